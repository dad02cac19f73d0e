"""The package's shape: imports in one direction, one run_name rule, the break vocabulary, one run list.

The import test reads every module of ``src/analysis`` with :mod:`ast` (imports at module level
and inside functions alike) and fails on any import cycle, naming its modules, and on any
``from module import _private`` (or ``module._private``) across modules. It replaces the old
per-module line limit: modules are split by dependency direction, not by length.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import paths
from analysis.data.breaks import BREAKS_FILE, read_series_breaks, series_break_problems
from analysis.data.load import UnknownChoice
from analysis.errors import DataError

SRC = paths.ROOT / "src"
PACKAGE = "analysis"


# ------------------------------------------------------------------------------------------- the import graph


@dataclass(frozen=True)
class Import:
    """One import of a package module by another: where, what module, which names."""

    importer: str
    line: int
    module: str
    names: tuple[str, ...] = ()


def package_modules(src: Path = SRC) -> dict[str, Path]:
    """``analysis.reports.growth`` -> its file, for every module of the package under ``src``."""
    out = {}
    for path in sorted((src / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _absolute(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def package_imports(src: Path = SRC) -> list[Import]:
    """Every import of a package module, at module level or inside a function or class (``ast.walk``).

    ``from analysis.reports import figures`` imports the module ``analysis.reports.figures``;
    ``from analysis.reports.params import as_list`` imports ``analysis.reports.params`` (name ``as_list``).
    Attribute access ``m._name`` on a name bound by ``import``/``from ... import module`` counts as
    importing ``_name`` from that module.
    """
    modules = package_modules(src)
    names = frozenset(modules)
    out: list[Import] = []
    for importer, path in modules.items():
        out += _file_imports(importer, path.name == "__init__.py", path.read_text(encoding="utf-8"), names)
    return [i for i in out if i.module in modules and i.module != i.importer]


@functools.lru_cache(maxsize=1024)
def _file_imports(importer: str, is_package: bool, text: str, modules: frozenset[str]) -> tuple[Import, ...]:
    """The imports of one module's text (a pure function of its arguments, cached: the planted-import
    tests copy the package and change one file, so every other file is read from the cache)."""
    out: list[Import] = []
    tree = ast.parse(text)
    aliases: dict[str, str] = {}  # local name -> package module it is bound to
    typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block) for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # `if TYPE_CHECKING:` imports are never executed
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == PACKAGE or a.name.startswith(PACKAGE + "."):
                    out.append(Import(importer, node.lineno, a.name))
                    if a.asname:
                        aliases[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(importer, is_package, node)
            if module != PACKAGE and not module.startswith(PACKAGE + "."):
                continue
            names = []
            for a in node.names:
                if f"{module}.{a.name}" in modules:  # a submodule
                    out.append(Import(importer, node.lineno, f"{module}.{a.name}"))
                    aliases[a.asname or a.name] = f"{module}.{a.name}"
                else:
                    names.append(a.name)
            if names:
                out.append(Import(importer, node.lineno, module, tuple(names)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            out.append(Import(importer, node.lineno, aliases[node.value.id], (node.attr,)))
    return tuple(out)


def import_cycles(src: Path = SRC) -> list[list[str]]:
    """The import cycles of the package: each strongly connected set of modules (sorted), sorted."""
    graph: dict[str, set[str]] = {m: set() for m in package_modules(src)}
    for i in package_imports(src):
        graph[i.importer].add(i.module)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def private_imports(src: Path = SRC) -> list[str]:
    """``importer:line imports _name from module`` for every private name used across modules."""
    return sorted(
        f"{i.importer}:{i.line} imports {n} from {i.module}"
        for i in package_imports(src)
        for n in i.names
        if n.startswith("_") and not n.startswith("__")
    )


def cycle_message(cycles: list[list[str]]) -> str:
    return "import cycles (split by dependency direction): " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_import_cycle_in_the_package():
    """No cycle anywhere in src/analysis, through imports at any level (also inside functions)."""
    cycles = import_cycles()
    assert not cycles, cycle_message(cycles)


def test_no_private_name_imported_across_modules():
    assert private_imports() == []


def _copy_package(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(SRC / PACKAGE, src / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    return src


def test_a_planted_cycle_through_a_function_level_import_is_found_and_named(tmp_path):
    src = _copy_package(tmp_path)
    before = import_cycles(src)
    csvio = src / PACKAGE / "data" / "csvio.py"
    csvio.write_text(
        csvio.read_text(encoding="utf-8") + "\n\ndef _planted():\n    from analysis.data import load  # noqa\n",
        encoding="utf-8",
    )
    new = [c for c in import_cycles(src) if c not in before]
    assert len(new) == 1 and {"analysis.data.csvio", "analysis.data.load"} <= set(new[0])
    assert "analysis.data.csvio" in cycle_message(new) and "analysis.data.load" in cycle_message(new)


def test_a_planted_private_import_is_found(tmp_path):
    src = _copy_package(tmp_path)
    site = src / PACKAGE / "build" / "site.py"
    site.write_text(
        site.read_text(encoding="utf-8") + "\n\ndef _planted():\n    from .record import _x  # noqa\n",
        encoding="utf-8",
    )
    growth = src / PACKAGE / "reports" / "growth.py"
    growth.write_text(
        growth.read_text(encoding="utf-8") + "\n\ndef _planted2():\n    return rt._secret  # noqa\n", encoding="utf-8"
    )
    found = private_imports(src)
    assert any(
        f.startswith("analysis.build.site:") and f.endswith("imports _x from analysis.build.record") for f in found
    )
    assert any(f.endswith("imports _secret from analysis.reports.real_terms") for f in found)


def test_the_removed_cycles_stay_removed():
    """data/raw <-> data/external and build/report <-> build/site (this branch): one direction each."""
    edges = {(i.importer, i.module) for i in package_imports()}
    assert ("analysis.data.raw", "analysis.data.external") in edges
    assert ("analysis.data.external", "analysis.data.raw") not in edges
    assert ("analysis.build.report", "analysis.build.site") in edges
    assert ("analysis.build.site", "analysis.build.report") not in edges


# --------------------------------------------------------------------------------------------- run_name rule


def _prepares():
    from functools import partial

    from analysis.build.runs import BY_NAME
    from analysis.reports import audit, comparison, elasticity, growth, start_here

    # start_here's run choices have no package defaults: they are its notebook's parameters cell
    defaults = {k: v for k, v in BY_NAME["start_here"].defaults().items() if k not in ("run_name", "output_dir")}
    return {
        "growth": growth.prepare,
        "elasticity": elasticity.prepare,
        "comparison": comparison.prepare,
        "audit": audit.prepare,
        "start_here": partial(start_here.prepare, **defaults),
    }


@pytest.mark.parametrize("report", ["growth", "elasticity", "comparison", "audit", "start_here"])
@pytest.mark.parametrize("bad", ["../x", "a b", "", "_hidden", 7])
def test_every_report_refuses_a_bad_run_name_with_one_message(report, bad, tmp_path):
    """One rule (analysis.data.fileio.stem_problem) and one message, checked before anything is written."""
    out = tmp_path / "out"
    with pytest.raises(UnknownChoice) as exc:
        _prepares()[report](run_name=bad, output_dir=str(out))
    assert str(exc.value) == (
        f"parameter run_name={bad!r} must be a file stem: a letter or digit, then letters, digits, _ . - "
        "(no spaces or slashes)"
    )
    assert not out.exists()


@pytest.mark.parametrize("report", ["growth", "elasticity", "comparison", "audit", "start_here"])
def test_every_report_reads_include_external_by_one_rule(report, tmp_path):
    with pytest.raises(UnknownChoice, match=r"parameter include_external='maybe' must be True or False"):
        _prepares()[report](include_external="maybe", output_dir=str(tmp_path))


def test_run_base_kinds_and_output_dir():
    from analysis.reports.params import kinds_for, run_base

    assert kinds_for(True) == ("document", "external", "derived")
    assert kinds_for("no") == ("document", "derived")
    base = run_base("growth_rates_mine", "False", "build/variants/mine")
    assert (base.run_name, base.include_external, base.kinds) == ("growth_rates_mine", False, ("document", "derived"))
    assert base.where.root == paths.ROOT / "build" / "variants" / "mine" and not base.where.root.exists()
    with pytest.raises(UnknownChoice, match="output_dir=3 must be a folder path"):
        run_base("x", True, 3)


def test_an_unknown_choice_suggests_the_closest():
    from analysis.reports.params import as_choice

    with pytest.raises(
        UnknownChoice, match=r"unknown prices 'rael'; valid choices: nominal, real, both; did you mean 'real'\?"
    ):
        as_choice("rael", "prices", ("nominal", "real", "both"))


# --------------------------------------------------------------------------------------------- variant names


def test_two_named_variants_of_one_report_get_their_own_folders(monkeypatch):
    """``--variant NAME`` puts a variant run in build/variants/NAME/ (the driver re-executes itself with
    ANALYSIS_REPORTS_DIR set there); two names, two folders; a bad name is refused like a run_name."""
    from analysis.build import report

    monkeypatch.delenv("ANALYSIS_REPORTS_DIR", raising=False)
    seen: list[str] = []

    class Exec(Exception):
        pass

    def fake_execve(exe, argv, env):
        seen.append(env["ANALYSIS_REPORTS_DIR"])
        raise Exec

    monkeypatch.setattr(report.os, "execve", fake_execve)
    for name in ("real_prices", "documents_only"):
        with pytest.raises(Exec):
            report.main(["run", "growth_rates", "--param", "prices=real", "--variant", name])
    assert seen == [str(paths.ROOT / "build" / "variants" / n) for n in ("real_prices", "documents_only")]
    with pytest.raises(Exec):
        report.main(["run", "growth_rates", "--param", "prices=real"])
    assert seen[-1] == str(paths.ROOT / "build" / "variants" / "growth_rates")  # unnamed: the run's name
    with pytest.raises(SystemExit) as exc:
        report.main(["run", "growth_rates", "--param", "prices=real", "--variant", "../x"])
    assert exc.value.code == 2 and len(seen) == 3
    with pytest.raises(SystemExit):
        report.main(["run", "growth_rates", "--variant", "mine"])  # a variant needs --param
    assert len(seen) == 3


# ------------------------------------------------------------------------------------------ the breaks vocabulary


def test_the_breaks_vocabulary_gives_the_breaks_the_reports_use():
    """Rows of data/raw/series_breaks.csv: gdp 2019 census revision (a revision); poverty line 2014 and 2020,
    no growth across; Xiangxi's poverty_incidence breaks at its register_break (regions.csv: 2018)."""
    from analysis.reports.params import GDP_BREAK_YEARS, revision_years, series_breaks

    gdp = series_breaks("Xiangxi", "gdp")
    assert list(gdp) == [2019] and gdp[2019].label == "census revision" and gdp[2019].revision
    line = series_breaks("China", "poverty_line_current_prices")
    assert [(y, b.label, b.no_growth_across) for y, b in line.items()] == [
        (2014, "poverty-line concept", True),
        (2020, "exit threshold", True),
    ]
    assert [(y, b.label) for y, b in series_breaks("Xiangxi", "poverty_incidence").items()] == [
        (2018, "register adjustment")
    ]
    assert series_breaks("China", "poverty_incidence") == {}
    assert GDP_BREAK_YEARS == {"gdp": (2019,), "gdp_per_capita": (2019,)} and revision_years("gdp") == (2019,)
    assert series_breaks("Xiangxi", "gdp_per_capita")[2019] is gdp[2019]  # one label, one break


def _raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("indicators.csv", "regions.csv", BREAKS_FILE):
        shutil.copyfile(paths.RAW / name, raw / name)
    return raw


def _damage(raw: Path, row: int, column: str, value: str) -> None:
    path = raw / BREAKS_FILE
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("row", "column", "value", "says"),
    [
        (2, "indicator", "gpd", "'gpd' is not an indicator of indicators.csv"),
        (3, "year", "20l9", "'20l9' is not a year in 1978-2030 or 'register'"),
        (4, "no_growth_across", "maybe", "'maybe' must be yes or no"),
        (5, "reason", "", "is empty; every break needs it"),
        (3, "reason", "another reason", "'census revision' differs from row 2 in reason or flags"),
        (6, "year", "2014", "poverty_line_current_prices 2014 is already a break in row 5"),
    ],
)
def test_a_damaged_breaks_file_is_refused_naming_file_row_and_column(tmp_path, row, column, value, says):
    raw = _raw_copy(tmp_path)
    read_series_breaks(raw)  # the copy is valid
    _damage(raw, row, column, value)
    with pytest.raises(DataError) as exc:
        read_series_breaks(raw)
    problems = [p for p in exc.value.problems if says in p.message]
    assert problems, str(exc.value)
    p = problems[0]
    assert p.file.endswith(BREAKS_FILE) and p.row == row
    assert p.column == ("label" if "differs" in says else "year" if "already" in says else column)
    assert series_break_problems(raw)  # what make data reports with the other tables


# ------------------------------------------------------------------------------------------------ one run list


def test_the_run_list_is_declared_once():
    """The Makefile's runs (build/runs.mk, generated from runs.py) are runs.py's, with the same notebooks
    and inputs; the Makefile names no run itself."""
    from analysis.build.runs import RUNS

    db = subprocess.run(
        ["make", "-pnq", "--no-print-directory", "help"], cwd=paths.ROOT, capture_output=True, text=True, check=False
    ).stdout
    runs = next(line for line in db.splitlines() if line.startswith("RUNS := "))
    assert runs.removeprefix("RUNS := ").split() == [f"{r.name}:{Path(r.notebook).stem}" for r in RUNS]
    for r in RUNS:
        assert f"RUN_INPUTS_{r.name} := {' '.join(r.inputs)}" in db.splitlines(), r.name
        rule = next(line for line in db.splitlines() if line.startswith(f"build/runs/{r.name}.inputs: "))
        prerequisites = set(rule.split(":", 1)[1].split())
        # its notebook, its processed inputs and the break vocabulary the reports read themselves
        assert {f"notebooks/{r.notebook}", *r.inputs, "data/raw/series_breaks.csv"} <= prerequisites, r.name
        # observation tables reach the runs only through data/processed/: touching one reruns no run by itself
        assert not [p for p in prerequisites if p.startswith("data/raw/observations_")], r.name
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    for r in RUNS:
        assert not re.search(rf"\b{re.escape(r.name)}\b", makefile), f"the Makefile names the run {r.name} itself"


def test_a_run_name_must_be_a_file_stem():
    from analysis.build.runs import Run

    with pytest.raises(ValueError, match="run name 'my run' must be a file stem"):
        Run("my run", "growth_rates.ipynb")
