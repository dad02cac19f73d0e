"""The results stated in the documentation, generated from the built tables (``make readme``).

Every analysis result that README.md, ``docs/*.md`` or ``benchmarks/README.md`` states (the
documents :data:`DOCUMENTS` lists) sits in a block between two marker lines::

    <!-- begin: results.growth -->
    ... generated text ...
    <!-- end: results.growth -->

Each block appears exactly once across the documents, in the one where its text belongs.
A results block is a headline record (:mod:`analysis.reports.headlines`): a row of
``data/raw/headlines.csv`` with ``shown = docs`` whose key is the block's name, computed by its
report's ``*_headlines`` module and rendered by :func:`analysis.reports.fmt.block`; the first
screen's key findings are the index's records (:func:`analysis.build.findings.collect`),
rendered by :func:`analysis.reports.fmt.markdown`, so a sentence reads the same on the index
and in README. The other blocks (data examples, benchmarks) are small functions registered
with :func:`block`; each receives a :class:`Sources` object (report tables, processed
observations, ``benchmarks/results.md``). The prose around the blocks is hand-written;
nothing inside them is.

By default the report tables are computed in-process into a temporary folder: the same
``prepare``/``build_table`` calls, with the same parameters (the notebook's parameters
cell plus the run's overrides), that each notebook run makes, written by the same
writer, so the tables are byte-identical to ``reports/tables/`` after ``make report``
(``tests/build/test_build.py`` checks this for the growth run) without running a kernel.
``--tables DIR`` uses tables built elsewhere instead (e.g. ``reports/tables``).

Usage::

    python -m analysis.build.readme --write   # regenerate the blocks of every document (make readme)
    python -m analysis.build.readme --check   # exit 1 when a document is out of date (make test)

A failed check names each line that would change as ``file:line``, with the old and the new
values, e.g. ``docs/reports.md:187 [results.growth]: '9.08%' -> '9.10%'``.

To add a result: add a row to ``data/raw/headlines.csv`` (``shown = docs``, ``key`` = the block
name, an existing ``kind`` or a new function in the report's ``*_headlines`` module), put the two
marker lines where the text belongs in one of the documents, and run ``make readme``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.build import findings
from analysis.build.benchmarks import Bench, BenchError, performance_table, runtime_text
from analysis.build.runs import RUNS, Run
from analysis.data.load import load_observations
from analysis.reports.fmt import as_printed, exact, markdown, para
from analysis.reports.fmt import block as record_block
from analysis.reports.headlines import Context, Spec, load_specs

README: Path = paths.ROOT / "README.md"
DOCUMENTS: list[str] = ["README.md", "docs/*.md", "benchmarks/README.md"]
"""The documents that hold the generated blocks: glob patterns under the project root, in
this order. Every block of :data:`BLOCKS` appears in exactly one of them, exactly once."""
BENCH_RESULTS: Path = paths.ROOT / "benchmarks" / "results.md"

BEGIN = re.compile(r"^<!-- begin: (?P<name>[\w.-]+) -->\s*$")
END = re.compile(r"^<!-- end: (?P<name>[\w.-]+) -->\s*$")

# What each notebook calls after ``prepare`` to write its tables (the notebook's own calls;
# tests/build/test_readme.py checks that every notebook still makes them).
TABLE_STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "growth_rates.ipynb": ("analysis.reports.growth", ("build_table", "levels_table", "sensitivity")),
    "elasticities.ipynb": ("analysis.reports.elasticity", ("build_table", "build_benchmark")),
    "comparisons.ipynb": ("analysis.reports.comparison", ("build_table",)),
    "claims_audit.ipynb": ("analysis.reports.audit", ("build_table", "build_consistency_table", "summary")),
    "00_start_here.ipynb": ("analysis.reports.start_here", ()),  # its small table is written in a notebook cell
}


EXTRA_STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    "elasticities.ipynb": (
        ("analysis.reports.elasticity_real", "build_real"),
        ("analysis.reports.elasticity_real", "build_national"),
        ("analysis.reports.elasticity_real", "build_matched"),
    ),
}
"""Further table steps a notebook makes through another module (module, function), after TABLE_STEPS."""


class ReadmeError(Exception):
    """A document's markers or a block's inputs are not usable (the message says why)."""


# --------------------------------------------------------------------------------------- inputs


def compute_run_tables(run: Run, dest: Path) -> None:
    """Write the tables of ``run`` into ``dest/tables`` as the notebook run does, without a kernel."""
    if run.notebook not in TABLE_STEPS:
        raise ReadmeError(f"no table steps for notebook {run.notebook}; add it to TABLE_STEPS in {__name__}")
    module_name, steps = TABLE_STEPS[run.notebook]
    module = importlib.import_module(module_name)
    params = {**run.defaults(), **run.all_parameters, "output_dir": str(dest)}
    with contextlib.redirect_stdout(io.StringIO()):  # the runs announce their output folder; not needed here
        prepared = module.prepare(**params)
        for step in steps:
            getattr(module, step)(prepared)
        for extra_module, step in EXTRA_STEPS.get(run.notebook, ()):
            getattr(importlib.import_module(extra_module), step)(prepared)


@dataclass
class Sources:
    """Where the blocks read their numbers.

    Parameters
    ----------
    tables : Path, optional
        A folder of report tables (``<name>.csv``). ``None``: computed in-process on first use.
    processed : Path
        The folder with ``observations.csv`` (default ``data/processed``).
    bench : Path
        The benchmark results (default ``benchmarks/results.md``).
    """

    tables: Path | None = None
    processed: Path = paths.PROCESSED
    bench: Path = BENCH_RESULTS
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _contexts: dict[str, Context] = field(default_factory=dict, repr=False)
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def _computed(self, name: str) -> Path:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="readme-tables-")
        root = Path(self._scratch.name)
        path = root / "tables" / f"{name}.csv"
        if not path.exists():
            run = next((r for r in RUNS if name == r.name or name.startswith(r.name + "_")), None)
            if run is None:
                raise ReadmeError(f"no report run writes the table {name!r}; runs: {', '.join(r.name for r in RUNS)}")
            compute_run_tables(run, root)
        return path

    def table(self, name: str, text: tuple[str, ...] = ()) -> pd.DataFrame:
        """The report table ``<name>.csv`` (e.g. ``growth_rates``); ``text`` columns are read as strings."""
        if name not in self._cache:
            path = self.tables / f"{name}.csv" if self.tables is not None else self._computed(name)
            if not path.exists():
                raise ReadmeError(f"{paths.relative(path)} does not exist; run `make report` or omit --tables")
            self._cache[name] = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=dict.fromkeys(text, str))
        return self._cache[name]

    def context(self) -> Context:
        """The headline context over every run's tables (computed in-process on first use, or ``tables``)."""
        if "context" not in self._contexts:
            if self.tables is not None:
                folder = self.tables
            else:  # every run the records read (not through self.table, whose cache keeps other column types)
                computed = [self._computed(r.name) for r in RUNS if r.notebook in TABLE_STEPS]
                folder = computed[0].parent
            obs = load_observations(path=self.processed / "observations.csv")
            self._contexts["context"] = Context(folder, obs)
        return self._contexts["context"]

    def observations(self) -> pd.DataFrame:
        """The processed observations."""
        if "observations" not in self._cache:
            self._cache["observations"] = pd.read_csv(
                self.processed / "observations.csv", keep_default_na=False, na_values=[""], dtype={"value_printed": str}
            )
        return self._cache["observations"]

    def observation(self, obs_id: str) -> pd.Series:
        """One observation by its id (``xiangxi.gdp.2019``)."""
        o = self.observations()
        hit = o[o["obs_id"] == obs_id]
        if len(hit) != 1:
            raise ReadmeError(f"{paths.relative(self.processed / 'observations.csv')}: no observation {obs_id!r}")
        return hit.iloc[0]

    def benchmark(self) -> Bench:
        """The parsed ``benchmarks/results.md``."""
        return Bench.parse(self.bench)

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


# --------------------------------------------------------------------------------------- blocks

Renderer = Callable[[Sources], str]
BLOCKS: dict[str, Renderer] = {}


def block(name: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of the documentation block ``name``."""

    def register(fn: Renderer) -> Renderer:
        BLOCKS[name] = fn
        return fn

    return register


@block("data.derived")
def _data_derived(s: Sources) -> str:
    d = s.observation("wuling.rural_disposable_income.2010.derived")
    b = s.observation("wuling.rural_disposable_income.2019")
    m = s.observation("wuling.rural_income_multiple_2010.2019")
    return para(
        f"For example, the Wuling 2010 rural income is {as_printed(b)} (2019) / {m['value_printed']} (the stated "
        f"multiple) = {d['value']:.0f} {d['unit']}, range {d['value_low']:.0f}-{d['value_high']:.0f} from the "
        "rounding of its inputs."
    )


@block("data.base_units")
def _data_base_units(s: Sources) -> str:
    examples = ("xiangxi.gdp.2019", "xiangxi.poor_population.2013", "xiangxi.poverty_incidence.2013")
    parts = []
    for oid in examples:
        o = s.observation(oid)
        base = exact(float(o["value_base"]))
        unit = {"fraction": "", "persons": " persons", "yuan": " yuan"}.get(o["base_unit"], f" {o['base_unit']}")
        sep = "" if o["unit"] == "%" else " "
        parts.append(f"{o['value_printed']}{sep}{o['unit']} -> {base}{unit}")
    return para(
        "`value_base` converts exactly (decimal arithmetic) to yuan, persons or a fraction: " + ", ".join(parts) + "."
    )


@block("data.loading_api")
def _data_loading_api(s: Sources) -> str:
    o = s.observation("xiangxi.gdp.2019")
    docs = s.observations()
    years = sorted(
        int(y) for y in docs[(docs["series_id"] == "xiangxi.gdp") & (docs["kind"] == "document")]["year"].unique()
    )
    return "\n".join(
        [
            "```python",
            "from analysis import load_observations, get_series, observation",
            "from analysis.data.load import alternatives, series_catalog",
            'obs = load_observations()                         # every preferred row; kinds=("document",) to filter',
            'gdp = get_series("Xiangxi", "gdp")                # one row per year, document preferred over external',
            f'docs = get_series("Xiangxi", "gdp", kinds=("document",))  # years {", ".join(map(str, years))}',
            'every = get_series("China", "gdp", preferred_only=False)  # all candidate rows; in_series marks the one used',
            'sens = get_series("Xiangxi", "gdp", substitute=["xiangxi.gdp.2015.ext.alt1"])  # a labelled sensitivity',
            "alternatives()                                    # each alternative beside the value used, difference in %",
            "series_catalog()                                  # every series: years, unit, kinds, vintages, alternatives",
            f'observation("xiangxi.gdp.2019")["value_base"]     # {float(o["value_base"])!r}',
            "```",
        ]
    )


@block("performance.table")
def _performance(s: Sources) -> str:
    return performance_table(s.benchmark())


# --------------------------------------------------------------------------------------- first screen

HEADLINES: tuple[str, ...] = ("gdp-growth", "poverty-xiangxi", "elasticity-income", "china-convergence", "audit")
"""Keys of the index's key findings (:mod:`analysis.build.findings`) that README.md's first
screen shows, in this order: growth, the fall in poverty, elasticities, comparisons, claims audit."""


@block("readme.headlines")
def _readme_headlines(s: Sources) -> str:
    ctx = s.context()
    with contextlib.redirect_stdout(io.StringIO()):  # skipped findings are printed by the build, not here
        found = {f.key: f for f in findings.collect(ctx.tables_dir, ctx.observations)}
    missing = [k for k in HEADLINES if k not in found]
    if missing:
        raise ReadmeError(f"key finding(s) {missing} not available from the tables; available: {', '.join(found)}")
    # one bullet per line, unwrapped, so that each headline is one line of the first screen (fmt.markdown,
    # the same sentence as the index's)
    return markdown(found[k] for k in HEADLINES)


def _docs_block(spec: Spec) -> Renderer:
    """The renderer of a documentation results block: the record of ``spec`` (``shown = docs``) via fmt."""

    def render(s: Sources) -> str:
        return record_block(findings.KINDS[spec.kind](s.context(), spec))

    return render


for _spec in load_specs(kinds=findings.KINDS):
    if _spec.shown == "docs":
        BLOCKS[_spec.key] = _docs_block(_spec)


@block("readme.runtime")
def _readme_runtime(s: Sources) -> str:
    return para(runtime_text(s.benchmark()), 100)


# --------------------------------------------------------------------------------------- document blocks


@dataclass(frozen=True)
class Block:
    """A marked block of a document: its name and the 0-based indexes of its marker lines."""

    name: str
    begin: int
    end: int


def documents(root: Path = paths.ROOT) -> list[Path]:
    """The files :data:`DOCUMENTS` names under ``root``, in that order, each once."""
    found: list[Path] = []
    for pattern in DOCUMENTS:
        found += [p for p in sorted(root.glob(pattern)) if p.is_file() and p not in found]
    return found


def find_blocks(lines: list[str], where: str = "README.md") -> list[Block]:
    """The marked blocks of one document, in order; unbalanced, nested, duplicate or unknown markers are errors."""
    blocks: list[Block] = []
    open_: tuple[str, int] | None = None
    for i, line in enumerate(lines):
        b, e = BEGIN.match(line), END.match(line)
        if b:
            if open_:
                raise ReadmeError(f"{where}:{i + 1}: block {b['name']!r} begins inside block {open_[0]!r}")
            open_ = (b["name"], i)
        elif e:
            if not open_ or open_[0] != e["name"]:
                raise ReadmeError(f"{where}:{i + 1}: 'end: {e['name']}' without its 'begin: {e['name']}'")
            blocks.append(Block(open_[0], open_[1], i))
            open_ = None
    if open_:
        raise ReadmeError(f"{where}:{open_[1] + 1}: block {open_[0]!r} has no end marker")
    names = [b.name for b in blocks]
    unknown = sorted(set(names) - set(BLOCKS))
    if unknown:
        raise ReadmeError(f"{where}: unknown block(s) {unknown}; known: {', '.join(sorted(BLOCKS))}")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ReadmeError(f"{where}: block(s) {dup} appear more than once")
    return blocks


def locate(texts: dict[str, str]) -> dict[str, list[Block]]:
    """The blocks of each document (``where`` -> its text), checked across the set.

    Every block of :data:`BLOCKS` must appear exactly once across the documents: a block in
    two documents, or in none, is an error naming ``file:line``.
    """
    found = {where: find_blocks(text.split("\n"), where) for where, text in texts.items()}
    seen: dict[str, str] = {}
    for where, blocks in found.items():
        for b in blocks:
            if b.name in seen:
                raise ReadmeError(
                    f"{where}:{b.begin + 1}: block {b.name!r} appears again (first at {seen[b.name]}); "
                    "each block belongs in one document"
                )
            seen[b.name] = f"{where}:{b.begin + 1}"
    missing = sorted(set(BLOCKS) - set(seen))
    if missing:
        raise ReadmeError(
            f"no markers for block(s) {missing} in {', '.join(texts) or 'any document'}; add "
            "'<!-- begin: NAME -->' and '<!-- end: NAME -->' to the document where the text belongs"
        )
    return found


def render(text: str, sources: Sources, where: str = "README.md") -> str:
    """``text`` with every block regenerated."""
    lines = text.split("\n")
    out: list[str] = []
    pos = 0
    for b in find_blocks(lines, where):
        out += lines[pos : b.begin + 1]
        out += BLOCKS[b.name](sources).split("\n")
        pos = b.end
    out += lines[pos:]
    return "\n".join(out)


def _changed_words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(" "), new.split(" ")
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2])) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def differences(text: str, sources: Sources, where: str = "README.md") -> list[str]:
    """One message per line of a document that would change: ``file:line``, block, old and new values."""
    lines = text.split("\n")
    problems: list[str] = []
    for b in find_blocks(lines, where):
        old = lines[b.begin + 1 : b.end]
        new = BLOCKS[b.name](sources).split("\n")
        sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                o = old[i1 + k] if i1 + k < i2 else None
                n = new[j1 + k] if j1 + k < j2 else None
                lineno = b.begin + 2 + (i1 + k if o is not None else i2)
                head = f"{where}:{lineno} [{b.name}]"
                if o is not None and n is not None:
                    words = "; ".join(f"{x!r} -> {y!r}" for x, y in _changed_words(o, n))
                    problems.append(f"{head}: {words}\n      old: {o}\n      new: {n}")
                elif o is not None:
                    problems.append(f"{head}: line would be removed\n      old: {o}")
                else:
                    problems.append(f"{head}: line would be added\n      new: {n}")
    return problems


def _texts(root: Path) -> dict[str, str]:
    """Each document under ``root`` (``README.md``, ``docs/reports.md``, ...) -> its text."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in documents(root)}


def check(root: Path = paths.ROOT, sources: Sources | None = None) -> list[str]:
    """The differences between the documents under ``root`` and their regenerated blocks (empty when current)."""
    own = sources is None
    src = sources or Sources()
    try:
        texts = _texts(root)
        locate(texts)
        return [p for where, text in texts.items() for p in differences(text, src, where)]
    finally:
        if own:
            src.close()


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, keeping its mode."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write(root: Path = paths.ROOT, sources: Sources | None = None) -> list[str]:
    """Regenerate the blocks of every document under ``root`` in place; the documents that changed."""
    own = sources is None
    src = sources or Sources()
    try:
        texts = _texts(root)
        locate(texts)
        new = {where: render(text, src, where) for where, text in texts.items()}
    finally:
        if own:
            src.close()
    changed = [where for where, text in texts.items() if new[where] != text]
    for where in changed:
        _replace(root / where, new[where])
    return changed


def out_of_date_message(problems: list[str], what: str = "The documentation") -> str:
    return (
        f"{what} is out of date: {len(problems)} line(s) differ from what the build computes.\n"
        + "\n".join(f"  {p}" for p in problems)
        + "\nRun `make readme` to regenerate the marked blocks (edit analysis/build/readme.py to change their wording)."
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.build.readme", description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate the marked blocks of every document")
    mode.add_argument("--check", action="store_true", help="exit 1 when a document is out of date")
    ap.add_argument("--root", type=Path, default=paths.ROOT, help="the project folder holding the documents")
    ap.add_argument("--tables", type=Path, help="use these report tables (default: compute them in-process)")
    ap.add_argument("--processed", type=Path, default=paths.PROCESSED)
    ap.add_argument("--bench", type=Path, default=BENCH_RESULTS)
    args = ap.parse_args(argv)
    sources = Sources(args.tables, args.processed, args.bench)
    names = ", ".join(p.relative_to(args.root).as_posix() for p in documents(args.root))
    try:
        if args.write:
            changed = write(args.root, sources)
            what = f"regenerated {', '.join(changed)}" if changed else "already current"
            print(f"readme: {what} ({len(BLOCKS)} blocks in {names})")
            return 0
        problems = check(args.root, sources)
    except (ReadmeError, BenchError) as e:
        print(f"readme: {e}", file=sys.stderr)
        return 2
    finally:
        sources.close()
    if problems:
        print(out_of_date_message(problems), file=sys.stderr)
        return 1
    print(f"readme: current ({len(BLOCKS)} blocks in {names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
