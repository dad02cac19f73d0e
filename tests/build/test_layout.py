"""The package layout: data -> metrics -> reports -> build, imports only downwards."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

from analysis import paths
from analysis.build import deps
from analysis.build.runs import RUNS

PKG = paths.ROOT / "src" / "analysis"
LAYERS = ("data", "metrics", "reports", "build")
FORBIDDEN = {"data": ("metrics", "reports", "build"), "metrics": ("reports", "build"), "reports": ("build",)}


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def layer_violations(root: Path = PKG) -> list[str]:
    """Every import that runs against the layering, as ``file:line imports module``."""
    bad = []
    for layer, banned in FORBIDDEN.items():
        for path in sorted((root / layer).rglob("*.py")):
            for line, mod in _imports(path):
                hit = [o for o in banned if mod == f"analysis.{o}" or mod.startswith(f"analysis.{o}.")]
                if hit:
                    bad.append(f"{path.relative_to(root.parent)}:{line} imports analysis.{hit[0]}")
    return sorted(set(bad))


def test_four_layers_with_docstrings():
    for layer in LAYERS:
        init = PKG / layer / "__init__.py"
        assert init.is_file(), init
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"{init} must say what it holds and what it may import"
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert top == ["__init__.py", "errors.py", "paths.py"]


def test_imports_run_only_downwards():
    assert layer_violations() == []


def test_layer_check_catches_a_violation(tmp_path):
    (tmp_path / "analysis" / "metrics").mkdir(parents=True)
    (tmp_path / "analysis" / "metrics" / "x.py").write_text("from analysis.reports import figures\n")
    assert layer_violations(tmp_path / "analysis") == ["analysis/metrics/x.py:1 imports analysis.reports"]


# The per-module line limit is replaced by tests/build/test_structure.py: no import cycle, no private
# name imported across modules (modules split by dependency direction, not by length).


def test_public_loading_api():
    from analysis import get_series, load_observations, observation

    assert observation("xiangxi.gdp.2019")["value_base"] == 70570000000.0
    assert get_series("Xiangxi", "gdp", kinds=("document",))["year"].tolist() == [2013, 2019]
    assert len(load_observations()) > 200


def test_run_dependencies_follow_the_imports():
    growth = deps.notebook_sources(paths.NOTEBOOKS / "growth_rates.ipynb")
    assert "src/analysis/reports/growth_figures.py" in growth
    assert "src/analysis/metrics/growth.py" in growth
    assert "src/analysis/reports/elasticity.py" not in growth
    assert "src/analysis/metrics/audit.py" not in growth
    audit = deps.notebook_sources(paths.NOTEBOOKS / "claims_audit.ipynb")
    assert "src/analysis/metrics/audit.py" in audit and "src/analysis/reports/growth_figures.py" not in audit


def _make_database() -> str:
    """Make's database for ``reports/index.html`` (``make -pnq``: nothing is run)."""
    make = shutil.which("make")
    assert make, "make is not installed: the README's two commands need it"
    return subprocess.run(
        [make, "-pnq", "--no-print-directory", "reports/index.html"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def _make_prerequisites() -> dict[str, set[str]]:
    """Prerequisites of each run's input marker ``build/runs/<run>.inputs`` in Make's database."""
    targets = {}
    for line in _make_database().splitlines():
        m = re.match(r"^build/runs/([a-z0-9_]+)\.inputs: (.*)$", line)
        if m:
            targets[m.group(1)] = set(m.group(2).split())
    return targets


def test_make_reruns_only_the_runs_that_import_a_changed_module():
    pre = _make_prerequisites()
    assert set(pre) == {r.name for r in RUNS}
    for module, runs in {
        "src/analysis/reports/growth_figures.py": {"growth_rates", "growth_documents_only"},
        "src/analysis/reports/comparison_text.py": {r.name for r in RUNS if r.notebook == "comparisons.ipynb"},
        "src/analysis/metrics/audit.py": {r.name for r in RUNS if r.notebook == "claims_audit.ipynb"},
    }.items():
        assert {name for name, files in pre.items() if module in files} == runs, module
    # the data layer and the build driver concern every run
    for name, files in pre.items():
        assert {"src/analysis/data/load.py", "src/analysis/build/report.py"} <= files, name


def test_one_driver_runs_every_stale_run_and_each_report_waits_for_it():
    db = _make_database().splitlines()
    stamp = next(line for line in db if line.startswith("build/reports.stamp:"))
    assert set(stamp.split(":", 1)[1].split("|")[0].split()) == {f"build/runs/{r.name}.inputs" for r in RUNS}
    for r in RUNS:
        assert f"reports/{r.name}.html: build/reports.stamp" in db, r.name
    index = next(line for line in db if line.startswith("reports/index.html:"))
    assert "build/reports.stamp" in index and "reports/data/observations.dta" in index
