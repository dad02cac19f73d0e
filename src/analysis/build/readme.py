"""The results stated in the documentation, generated from the built tables (``make readme``).

Every analysis result that README.md, ``docs/*.md`` or ``benchmarks/README.md`` states (the
documents :data:`DOCUMENTS` lists) sits in a block between two marker lines::

    <!-- begin: results.growth -->
    ... generated text ...
    <!-- end: results.growth -->

Each block appears exactly once across the documents, in the one where its text belongs.
It is rendered by one small function registered with :func:`block`. It receives
a :class:`Sources` object, which gives the report tables (``tables/<name>.csv``), the
processed observations (``data/processed/observations.csv``) and the benchmark results
(``benchmarks/results.md``), and returns the block's Markdown. The prose around the
blocks is hand-written; nothing inside them is.

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

To add a result: write a function ``@block("results.name")`` below (a few lines reading a
table), put the two marker lines where the text belongs in one of the documents, and run
``make readme``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import math
import os
import re
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.build import findings
from analysis.build.runs import RUNS, Run
from analysis.data.load import load_observations
from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict

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
class Bench:
    """``benchmarks/results.md``, parsed: date, machine line, headline ratios and scenario medians."""

    date: str
    repeats: int
    python: str
    cores: str
    machine: str
    ratios: dict[str, tuple[float, str]]  # "cold/floor", "naive/cold" -> (ratio, target text)
    median: dict[str, float]
    scale: dict[int, tuple[float, float]]  # series -> (growth s, elasticity s)
    reruns: str
    probe: tuple[float, float] | None = None  # speed probe before and after the scenarios (s)

    @classmethod
    def parse(cls, path: Path) -> Bench:
        text = path.read_text(encoding="utf-8")
        where = paths.relative(path)

        def find(pattern: str, what: str) -> re.Match[str]:
            m = re.search(pattern, text, re.MULTILINE)
            if not m:
                raise ReadmeError(f"{where}: cannot find {what} (pattern {pattern!r}); rerun `make bench`")
            return m

        date = find(r"^Measured (\d{4}-\d{2}-\d{2})", "the date").group(1)
        repeats = int(find(r"by `make bench` \((\d+) runs? each", "the number of runs").group(1))
        machine = find(r"^Machine: (\d+) cores, ([^,]+),.*?Python ([\d.]+)", "the machine line")
        head = find(
            r"floor = \*\*([\d.]+)x\*\* \(target ([^)]*)\);.*?= \*\*([\d.]+)x\*\* \(target ([^)]*)\)", "headline"
        )
        median: dict[str, float] = {}
        scale: dict[int, tuple[float, float]] = {}
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and re.fullmatch(r"[\d.]+", cells[1]):
                median[cells[0]] = float(cells[1])
            elif len(cells) == 5 and re.fullmatch(r"[\d,]+", cells[0]):
                scale[int(cells[0].replace(",", ""))] = (float(cells[1]), float(cells[3]))
        reruns = find(r"reruns only: (.*)\.$", "the rerun line").group(1)
        p = re.search(r"^Speed probe [^:]*: ([\d.]+) s before the scenarios, ([\d.]+) s after", text, re.MULTILINE)
        return cls(
            date=date,
            repeats=repeats,
            cores=machine.group(1),
            machine=machine.group(2),
            python=machine.group(3),
            ratios={
                "cold/floor": (float(head.group(1)), head.group(2)),
                "naive/cold": (float(head.group(3)), head.group(4)),
            },
            median=median,
            scale=scale,
            reruns=reruns,
            probe=(float(p.group(1)), float(p.group(2))) if p else None,
        )

    def seconds(self, scenario: str) -> float:
        """The median of a scenario whose name starts with ``scenario``."""
        hits = [v for k, v in self.median.items() if k.startswith(scenario)]
        if len(hits) != 1:
            raise ReadmeError(
                f"benchmarks/results.md: {len(hits)} scenarios start with {scenario!r}; rerun `make bench`"
            )
        return hits[0]


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


def row(t: pd.DataFrame, what: str, **match: object) -> pd.Series:
    """The single row of ``t`` whose columns equal ``match`` (a clear error otherwise)."""
    mask = pd.Series(True, index=t.index)
    for col, val in match.items():
        mask &= t[col].astype(str) == str(val)
    hit = t[mask]
    if len(hit) != 1:
        raise ReadmeError(f"table {what}: {len(hit)} rows match {match} (expected one)")
    return hit.iloc[0]


# --------------------------------------------------------------------------------------- formatting


def pct(fraction: float, digits: int = 2) -> str:
    """``0.0908163`` -> ``9.08%``."""
    return f"{100 * fraction:.{digits}f}%"


def num(v: float) -> str:
    """A level as printed: ``418.9``, ``16171``, ``0.65``."""
    return f"{v:g}"


def exact(v: float) -> str:
    """A value without exponent or float noise: ``70570000000``, ``0.3193``."""
    return str(int(v)) if v.is_integer() else f"{v:.12g}"


def para(text: str, width: int = 90) -> str:
    """``text`` wrapped as a Markdown paragraph (words and numbers never split)."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def printed(o: pd.Series) -> str:
    """An observation's value as the document prints it, with its unit (``705.7 亿元``)."""
    return f"{o['value_printed'] or num(o['value'])} {o['unit']}"


# --------------------------------------------------------------------------------------- blocks

Renderer = Callable[[Sources], str]
BLOCKS: dict[str, Renderer] = {}


def low_confidence(s: Sources, *obs_ids: str) -> str:
    """``; low-confidence input: <ids>`` for the given observations whose confidence is low ('' if none)."""
    low = [i for i in obs_ids if str(s.observation(i).get("confidence", "")).strip().lower() == "low"]
    return f"; low-confidence input{'s' if len(low) > 1 else ''}: {', '.join(low)}" if low else ""


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
        f"For example, the Wuling 2010 rural income is {printed(b)} (2019) / {m['value_printed']} (the stated "
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


@block("results.growth")
def _results_growth(s: Sources) -> str:
    # Like-for-like first (the window before the 2019 census revision), then the window across
    # it, labelled; the log-linear trend only as a descriptive fit, never across the break.
    t = s.table("growth_rates", text=("crosses_break", "break_year"))
    gdp = row(t, "growth_rates", series_id="xiangxi.gdp", segment="full period")
    brk = row(t, "growth_rates", series_id="xiangxi.gdp", segment="before break")
    dibao = row(t, "growth_rates", series_id="xiangxi.rural_dibao_standard", start_year=2014, end_year=2019)
    g0, g1 = s.observation("xiangxi.gdp.2013"), s.observation("xiangxi.gdp.2019")
    obs = s.observations()
    gb = obs[(obs["series_id"] == "xiangxi.gdp") & (obs["year"] == int(brk["end_year"])) & (obs["preferred"] == "yes")]
    gb = gb.sort_values("kind").iloc[0]  # the document value where there is one, as the growth table uses
    d0, d1 = s.observation("xiangxi.rural_dibao_standard.2014"), s.observation("xiangxi.rural_dibao_standard.2019")
    text = (
        f"Headline: Xiangxi GDP {g0['value_printed']} -> {num(float(gb['value']))} {gb['unit']} over "
        f"{brk['start_year']}-{brk['end_year']}, "
        f"like-for-like, is {pct(brk['cagr'])} a year; over {gdp['start_year']}-{gdp['end_year']}, across the "
        f"{gdp['crosses_break']} census revision, to {printed(g1)}, it is {pct(gdp['cagr'])} a year (not "
        "like-for-like)"
    )
    if str(brk.get("trend_growth", "")) not in ("", "nan"):
        nb = int(brk["n_points"])
        missing = str(brk.get("missing_years", "")).split()
        text += (
            f". With the external annual figures {brk['start_year']}-{brk['end_year']} is observed in {nb} of "
            f"{int(brk['end_year']) - int(brk['start_year']) + 1} years"
            + (f" (no source gives {', '.join(missing)}" if missing else "")
            + (f"; vintages: {brk['vintages']}" if str(brk.get("vintages", "")) not in ("", "nan") else "")
            + (")" if missing else "")
            + f", and a descriptive log-linear fit gives {pct(brk['trend_growth'])} a year ({nb - 2} degrees of "
            "freedom: no confidence interval is given, and none is fitted across the break)"
        )
    text += (
        f"; the rural dibao standard {d0['value_printed']} -> {printed(d1)} over "
        f"{dibao['start_year']}-{dibao['end_year']} is {100 * dibao['total_change']:+.1f}%."
    )
    c0, c1 = (
        s.observation("china.rural_disposable_income.2014.ext"),
        s.observation("china.rural_disposable_income.2019.ext"),
    )
    rate = (float(c1["value"]) / float(c0["value"])) ** (1 / 5) - 1
    text += (
        f" China's rural disposable income {num(float(c0['value']))} -> {num(float(c1['value']))} 元 over 2014-2019 "
        f"is {pct(rate)} a year, nominal (external{low_confidence(s, c0['obs_id'], c1['obs_id'])}; `-p region China "
        "-p indicator rural_disposable_income`)."
    )
    return para(text)


@block("results.elasticity")
def _results_elasticity(s: Sources) -> str:
    t = s.table("elasticities")
    run = "xiangxi.poverty_incidence ~ gdp_per_capita"
    arc = row(t, "elasticities", run=run, variant="log_arc")
    mid = row(t, "elasticities", run=run, variant="midpoint")
    semi = row(t, "elasticities", run=run, variant="semi")
    wl = row(t, "elasticities", run="wuling.poverty_incidence ~ rural_disposable_income", variant="window")
    e, w = arc["elasticity"], wl["elasticity"]
    return para(
        f"Headline: Xiangxi incidence {num(arc['outcome_start_value'])}% -> {num(arc['outcome_end_value'])}% against "
        f"per-capita GDP {num(arc['driver_start_value'])} -> {num(arc['driver_end_value'])} 元 gives a log arc "
        f"elasticity of {e:.2f} (midpoint {mid['elasticity']:.2f}, semi-elasticity {semi['elasticity']:.2f} pp per 1%); "
        f"the Wuling area's ratio of annual log growth rates is {w:.2f} (incidence {wl['outcome_window']}, income "
        f"{wl['driver_window']}: windows differ, so not an elasticity). Both are registered-poor rates against "
        f"nominal drivers, so the literature's {num(arc['literature_high'])} to {num(arc['literature_low'])} (GDP "
        f"per capita) and {num(wl['literature_high'])} to {num(wl['literature_low'])} (survey income) bands, survey "
        "headcounts against real drivers, are no benchmark for them."
    )


@block("results.real")
def _results_real(s: Sources) -> str:
    t = s.table("growth_rates")
    china = row(t, "growth_rates", series_id="china.rural_disposable_income", start_year=2014, end_year=2019)
    xx = row(t, "growth_rates", series_id="xiangxi.rural_disposable_income", start_year=2012, end_year=2018)
    xo = row(t, "growth_rates", series_id="xiangxi.rural_disposable_income", start_year=2014, end_year=2018)
    gdp = row(t, "growth_rates", series_id="china.gdp", start_year=2013, end_year=2019)
    c0, c1 = (
        s.observation("china.rural_disposable_income.2014.ext"),
        s.observation("china.rural_disposable_income.2019.ext"),
    )
    return para(
        f"Headlines: China's rural disposable income {num(c0['value'])} -> {num(c1['value'])} 元 over "
        f"{china['start_year']}-{china['end_year']} is {pct(china['cagr'])} a year nominal and "
        f"{pct(china['real_cagr'])} real, deflated by {china['price_index']}, against "
        f"an official real {pct(china['official_real_growth'])} (gap {100 * china['official_gap']:+.2f} pp a year); "
        f"Xiangxi's rural income {xo['start_year']}-{xo['end_year']}, on one income concept, is {pct(xo['cagr'])} "
        f"nominal and {pct(xo['real_cagr'])} real (national CPI as a proxy), and {xx['start_year']}-{xx['end_year']}, "
        f"across the 2013 change from net to disposable income (not like-for-like), {pct(xx['cagr'])} nominal and "
        f"{pct(xx['real_cagr'])} real; China's GDP {gdp['start_year']}-{gdp['end_year']} "
        f"is {pct(gdp['cagr'])} nominal and {pct(gdp['real_cagr'])} real from the chained official rates."
    )


@block("results.national_elasticity")
def _results_national_elasticity(s: Sources) -> str:
    t = s.table("elasticities_national", text=("years",))
    n = {
        v: row(t, "elasticities_national", prices="nominal", variant=v) for v in ("ols", "log_arc", "midpoint", "semi")
    }
    r = {v: row(t, "elasticities_national", prices="real", variant=v) for v in ("ols", "log_arc")}
    real = s.table("elasticities_real")
    xr = row(real, "elasticities_real", run="xiangxi.poverty_incidence ~ rural_disposable_income", variant="log_arc")
    years = str(n["ols"]["years"]).split()
    yoy = t[(t["prices"] == "nominal") & (t["variant"] == "year_on_year")]
    m = s.table("elasticities_matched")
    xrun = "xiangxi.poverty_incidence ~ rural_disposable_income"
    mn, mr = (row(m, "elasticities_matched", run=xrun, prices=p) for p in ("nominal", "real"))
    return para(
        f"Headlines: China {years[0]}-{years[-1]}, nominal OLS {n['ols']['elasticity']:.2f} (95% CI "
        f"{n['ols']['ci_low']:.2f} to {n['ols']['ci_high']:.2f}, {int(n['ols']['dof'])} degrees of freedom, "
        f"descriptive), log arc {n['log_arc']['elasticity']:.2f} (ln({num(n['log_arc']['incidence_end'])}/"
        f"{num(n['log_arc']['incidence_start'])}) / ln({num(n['log_arc']['income_end'])}/"
        f"{num(n['log_arc']['income_start'])})), midpoint {n['midpoint']['elasticity']:.2f}, semi "
        f"{n['semi']['elasticity']:.3f} pp per 1%; real ({r['ols']['price_index']}) OLS {r['ols']['elasticity']:.2f} "
        f"({r['ols']['ci_low']:.2f} to {r['ols']['ci_high']:.2f}), log arc {r['log_arc']['elasticity']:.2f}. "
        f"Year on year (nominal): {', '.join(f'{str(y).split()[1]} {e:.2f}' for y, e in zip(yoy['years'], yoy['elasticity'], strict=True))}. "
        f"Xiangxi's incidence against rural income {xr['driver_window']} is {xr['nominal_elasticity']:.2f} nominal "
        f"(China over the same years {mn['national_elasticity']:.2f}) and {xr['real_elasticity']:.2f} real (China "
        f"{mr['national_elasticity']:.2f})."
    )


@block("results.convergence")
def _results_convergence(s: Sources) -> str:
    # Relative (ratio) and absolute (gap in yuan) convergence together, each verdict with the
    # materiality threshold; no real-terms gap (the same index on both sides adds nothing).
    t = s.table("china_comparisons", text=("year_or_period",))
    ratio = "rural income relative to China"
    conv = row(t, "china_comparisons", metric="rural income convergence: CAGR difference", region="Xiangxi")
    x0 = row(t, "china_comparisons", metric=ratio, region="Xiangxi", year_or_period=str(conv["year_or_period"])[:4])
    x1 = row(t, "china_comparisons", metric=ratio, region="Xiangxi", year_or_period=str(conv["year_or_period"])[-4:])
    hconv = row(t, "china_comparisons", metric="rural income convergence: CAGR difference", region="Hunan")
    h0 = row(t, "china_comparisons", metric=ratio, region="Hunan", year_or_period=str(hconv["year_or_period"])[:4])
    h1 = row(t, "china_comparisons", metric=ratio, region="Hunan", year_or_period=str(hconv["year_or_period"])[-4:])
    common = t[t["metric"] == "rural income convergence: CAGR difference, common window"]
    cx = row(common, "china_comparisons", region="Xiangxi")
    ch = row(common, "china_comparisons", region="Hunan")
    inc = row(t, "china_comparisons", metric="poverty_incidence vs China: change over common years", region="Xiangxi")
    py0, py1 = str(inc["year_or_period"])[:4], str(inc["year_or_period"])[-4:]
    p0 = row(
        t,
        "china_comparisons",
        metric="poverty_incidence vs China: gap at common year",
        region="Xiangxi",
        year_or_period=py0,
    )
    p1 = row(
        t,
        "china_comparisons",
        metric="poverty_incidence vs China: gap at common year",
        region="Xiangxi",
        year_or_period=py1,
    )
    xv, hv = convergence_verdict(x0["ratio"], x1["ratio"]), convergence_verdict(h0["ratio"], h1["ratio"])
    hyears = (h0["year_or_period"], h1["year_or_period"])
    xg = GAP_WORDS[gap_verdict(x0["gap"], x1["gap"])]
    return para(
        f"Headlines: Xiangxi's rural income was {x0['ratio']:.3f} of China's in {x0['year_or_period']} and "
        f"{x1['ratio']:.3f} in {x1['year_or_period']} (relative: {xv}, materiality threshold {MATERIALITY:g} log "
        f"points) while the absolute gap to China {xg}, from {-x0['gap']:.0f} to {-x1['gap']:.0f} 元 (nominal); its "
        f"CAGR was {pct(conv['value'])} against {pct(conv['benchmark_value'])} ({100 * conv['gap']:+.2f} pp a "
        f"year). Hunan's ratio moved from {h0['ratio']:.3f} ({h0['year_or_period']}) to {h1['ratio']:.3f} "
        f"({h1['year_or_period']}), {100 * hconv['gap']:+.2f} pp a year: {hv} in relative terms, while the "
        f"absolute gap {GAP_WORDS[gap_verdict(h0['gap'], h1['gap'])]} ({-h0['gap']:.0f} to {-h1['gap']:.0f} 元)"
        f"{low_confidence(s, *(f'{r}.rural_disposable_income.{y}.ext' for r in ('hunan', 'china') for y in hyears))}. "
        "Over the window common to both, "
        f"{cx['year_or_period']}, Xiangxi's CAGR difference to China was {100 * cx['gap']:+.2f} pp a year and "
        f"Hunan's {100 * ch['gap']:+.2f}. Xiangxi's incidence fell by a log change of "
        f"{math.log(p1['value'] / p0['value']):+.2f} over {inc['year_or_period']} ({num(p0['value'])}% to "
        f"{num(p1['value'])}%) against China's {math.log(p1['benchmark_value'] / p0['benchmark_value']):+.2f} "
        f"({num(p0['benchmark_value'])}% to {num(p1['benchmark_value'])}%; different measurement systems)."
    )


@block("results.comparisons")
def _results_comparisons(s: Sources) -> str:
    t = s.table("comparisons")
    ch = row(t, "comparisons", metric="poverty_incidence: change over period", region="Xiangxi")
    line = "rural_dibao_standard / poverty_line_current_prices"
    db_line = row(t, "comparisons", metric=line, region="Xiangxi", year_or_period=2014)
    tk = "extreme_poverty_support_standard / rural_dibao_standard"
    tk14 = row(t, "comparisons", metric=tk, year_or_period=2014)
    tk19 = row(t, "comparisons", metric=tk, year_or_period=2019)
    mo = row(t, "comparisons", metric="rural_dibao_monthly_assistance x12 / rural_dibao_standard", year_or_period=2014)
    exits = t[t["metric"] == "poverty_counties_exited / poverty_counties_total"]
    exits = exits[exits["status"] == "matched"]
    counties = ", ".join(f"{r.region} {num(r.value)} of {num(r.benchmark_value)}" for r in exits.itertuples())
    return para(
        f"Headlines: Xiangxi's registered incidence and the {ch['benchmark']} area's ({ch['status']}: its system is "
        f"not stated) are set side by side as log changes, {ch['value']:+.2f} and {ch['benchmark_value']:+.2f} "
        f"({ch['year_or_period']}), with no level gap or ratio; "
        f"the {db_line['year_or_period']} dibao standard was {db_line['ratio']:.3f} of the national poverty line in "
        f"current prices ({num(db_line['value'])} / {num(db_line['benchmark_value'])}); 特困 / 低保 was "
        f"{tk14['ratio']:.3f} in {tk14['year_or_period']} and {tk19['ratio']:.3f} in {tk19['year_or_period']}; "
        f"monthly assistance x 12 was {mo['ratio']:.3f} of the standard in {mo['year_or_period']}; counties exited: "
        f"{counties}."
    )


@block("results.province")
def _results_province(s: Sources) -> str:
    t = s.table("comparisons", text=("year_or_period",))
    t = t[(t["section"] == "province") & (t["region"] == "Xiangxi")]
    bench = str(t["benchmark"].iloc[0])
    cagr = t[(t["metric"] == f"gdp: CAGR difference with {bench}") & (t["status"] == "matched")]
    like = cagr[cagr["note"].str.startswith("like for like")].iloc[0]
    cross = cagr[cagr["note"].str.startswith("crosses")].iloc[0]
    real = row(
        t, "comparisons", metric=f"gdp: real CAGR difference with {bench}", year_or_period=like["year_or_period"]
    )
    shares = t[(t["metric"] == f"gdp: share of {bench}") & (t["status"] == "matched")]
    pc = t[(t["metric"] == f"gdp_per_capita: relative to {bench}") & (t["status"] == "matched")]
    db = row(t, "comparisons", metric="rural_dibao_standard / rural_dibao_standard_min", status="matched")
    lacks = re.sub(r" \(observed: [^)]*\)", "", str(real["note"]).split("sides: ")[-1].split("; nothing")[0])
    conversion = str(db["note"]).split("converted explicitly: ")[-1].split(";")[0]
    return para(
        f"Headlines: Xiangxi's share of {bench}'s GDP was "
        + ", ".join(f"{pct(r.ratio, 3)} ({r.year_or_period})" for r in shares.itertuples())
        + f"; over {like['year_or_period']} (like for like) its GDP CAGR was {pct(like['value'])} against "
        f"{pct(like['benchmark_value'])} ({100 * like['gap']:+.2f} pp a year), over {cross['year_or_period']} (across "
        f"the census revision) {100 * cross['gap']:+.2f} pp a year; nominal only (official real growth: {lacks}); GDP per "
        "capita "
        + ", ".join(f"{r.ratio:.4f} of {bench}'s ({r.year_or_period})" for r in pc.itertuples())
        + f"; the {db['year_or_period']} rural dibao standard {num(db['value'])} 元/年 was {db['ratio']:.3f} of "
        f"{bench}'s provincial minimum (floor), annualised explicitly ({conversion})."
    )


def _clause(quote: str, printed_value: str) -> str:
    """The clause of ``quote`` (between commas or semicolons) that holds the printed value."""
    for part in re.split(r"[,，;；。、]", quote):
        if printed_value in part:
            return part.strip()
    return quote


def _claim_text(r: pd.Series) -> str:
    formula = str(r["reason"]).split(" (input rounding")[0].split(" does not agree")[0].split(" agrees")[0]
    return f'{r["claim_id"]} "{_clause(str(r["quote"]), str(r["stated_printed"]))}": {formula}'


def _sized(v: float) -> str:
    """A value with about four significant digits and thousands separators (``1,878``, ``64.21``)."""
    mag = abs(v)
    d = 0 if mag >= 100 else 1 if mag >= 10 else 2 if mag >= 0.1 else 3
    return f"{v:,.{d}f}"


@block("results.audit")
def _results_audit(s: Sources) -> str:
    t = s.table("claims_audit", text=("stated_printed", "quote", "reason"))
    verdicts = ("consistent", "inconsistent", "not checkable")
    docs, ext = t[t["source_id"] != "external"], t[t["source_id"] == "external"]
    n = {v: int((docs["verdict"] == v).sum()) for v in verdicts}
    consistent = docs[docs["verdict"] == "consistent"]
    example = consistent[consistent["claim_id"] == "doc004.c03"]
    example = example if len(example) else consistent.head(1)
    ext_counts = ", ".join(f"{int((ext['verdict'] == v).sum())} {v}" for v in verdicts if (ext["verdict"] == v).any())
    lines = [
        para(
            f"Of the {len(docs)} claims of the documents, {n['consistent']} are consistent"
            + (f" (e.g. {_claim_text(example.iloc[0])})" if len(example) else "")
            + f", {n['inconsistent']} inconsistent and {n['not checkable']} not checkable"
            + (f"; of the {len(ext)} claims of the external sources, {ext_counts}" if len(ext) else "")
            + ". The inconsistent ones:"
        ),
        "",
    ]
    lines += [f"- {_claim_text(r)}" for _, r in t[t["verdict"] == "inconsistent"].iterrows()]
    c = s.table("claims_audit_consistency", text=("shown_a", "shown_b", "definitions"))
    k = {v: int((c["verdict"] == v).sum()) for v in ("agree", "disagree", "different definitions", "not decidable")}
    lines += [
        "",
        para(
            f"Of the {len(c)} consistency checks, {k['agree']} agree, {k['disagree']} disagree, "
            f"{k['different definitions']} differ because the wording measures different things and "
            f"{k['not decidable']} cannot be decided without an assumption the text does not make. The ones that "
            "do not agree (a against b, ratio a/b):"
        ),
        "",
    ]
    lines += [
        f"- {r['check_id']} ({r['verdict']}): {r['shown_a']} = {_sized(r['value_a'])} {r['unit']} against "
        f"{r['shown_b']} = {_sized(r['value_b'])} {r['unit']}, a/b = {r['ratio']:.3f}"
        for _, r in c[c["verdict"] != "agree"].iterrows()
    ]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


# Targets of the build (project requirements, not measurements).
TARGET_COLD_OVER_FLOOR = 1.5  # cold make -j2 report / (floor / 2 cores): issue 15
TARGET_NAIVE_OVER_COLD = 2.0
TARGET_NOOP_S = 0.3
TARGET_TEST_S = 75.0
TARGET_SCALE_S = 2.0


@block("performance.table")
def _performance(s: Sources) -> str:
    b = s.benchmark()
    floor, naive = b.seconds("floor:"), b.seconds("naive:")
    cold, noop = b.seconds("make -j2 report, cold"), b.seconds("make report, no-op")
    ratio_cold, (ratio_naive, _) = cold / (floor / 2), b.ratios["naive/cold"]  # against the two-core floor
    test = b.seconds("make test")
    its_runs = {r.name for r in RUNS if r.notebook == "comparisons.ipynb"}
    only_its = set(b.reruns.split(", ")) == its_runs
    biggest = max(b.scale)
    scale_s = b.scale[biggest][0]
    return "\n".join(
        [
            "`make bench` (script `benchmarks/bench.py`) measures each scenario (three times by default) and",
            (
                f"writes `benchmarks/results.md` (median, min, max, machine facts). Measured {b.date}, "
                f"{b.repeats} run{'s' if b.repeats != 1 else ''} each, on a"
            ),
            f"{b.cores}-core {b.machine} machine (Python {b.python}"
            + (f"; speed probe {b.probe[0]:.2f} s before, {b.probe[1]:.2f} s after" if b.probe else "")
            + "):",
            "",
            "| scenario | median s | target |",
            "|---|---|---|",
            f"| floor: one Python process running every report's code in-process | {floor:.1f} | |",
            f"| naive: papermill CLI then `jupyter nbconvert --to html`, one run after another | {naive:.1f} | |",
            (
                f"| cold `make -j2 report` (clean `reports/` and `data/processed/`) | {cold:.1f} | "
                f"<= {TARGET_COLD_OVER_FLOOR:g}x the two-core floor (floor / 2): **{ratio_cold:.2f}x**, "
                f"{_met(ratio_cold <= TARGET_COLD_OVER_FLOOR)} |"
            ),
            (
                f"| naive / cold `make report` | **{ratio_naive:.2f}x** | >= {TARGET_NAIVE_OVER_COLD:g}x: "
                f"{_met(ratio_naive >= TARGET_NAIVE_OVER_COLD)} |"
            ),
            f"| no-op `make report` | {noop:.2f} | < {TARGET_NOOP_S:g} s: {_met(noop < TARGET_NOOP_S)} |",
            (
                f"| after touching one raw table (revalidates, reruns nothing) | "
                f"{b.seconds('make -j2 report after touching one raw table'):.1f} | |"
            ),
            (
                f"| after touching one notebook (comparisons; reran: {b.reruns}) | "
                f"{b.seconds('make -j2 report after touching one notebook'):.1f} | only its runs: {_met(only_its)} |"
            ),
            f"| `make test` (environment present) | {test:.1f} | < {TARGET_TEST_S:g} s: {_met(test < TARGET_TEST_S)} |",
            f"| one papermill run of growth_rates (driver, incl. HTML) | {b.seconds('one papermill run'):.1f} | |",
            f"| the same growth_rates cells in-process | {b.seconds('the same growth_rates cells'):.1f} | |",
            (
                f"| {biggest:,} synthetic series through the growth functions | {scale_s:.3f} | "
                f"< {TARGET_SCALE_S:g} s: {_met(scale_s < TARGET_SCALE_S)} |"
            ),
        ]
    )


# --------------------------------------------------------------------------------------- first screen

HEADLINES: tuple[str, ...] = ("gdp-growth", "poverty-xiangxi", "elasticity-income", "china-convergence", "audit")
"""Keys of the index's key findings (:mod:`analysis.build.findings`) that README.md's first
screen shows, in this order: growth, the fall in poverty, elasticities, comparisons, claims audit."""

FINDING_TABLES: tuple[str, ...] = ("growth_rates", "elasticities", "comparisons", "china_comparisons", "claims_audit")
"""Report runs whose tables the key findings read (each computed in-process on first use)."""


@block("readme.headlines")
def _readme_headlines(s: Sources) -> str:
    tables = s.tables
    if tables is None:  # computed in-process, every run the findings read (not through s.table, whose
        # cache keeps the first reader's column types)
        computed = [s._computed(name) for name in FINDING_TABLES]
        tables = computed[0].parent
    obs = load_observations(path=s.processed / "observations.csv")
    with contextlib.redirect_stdout(io.StringIO()):  # skipped findings are printed by the build, not here
        found = {f.key: f for f in findings.collect(tables, obs)}
    missing = [k for k in HEADLINES if k not in found]
    if missing:
        raise ReadmeError(f"key finding(s) {missing} not available from the tables; available: {', '.join(found)}")
    # one bullet per line, unwrapped, so that each headline is one line of the first screen
    return "\n".join(f"- {' '.join(found[k].text.split())}" for k in HEADLINES)


@block("readme.runtime")
def _readme_runtime(s: Sources) -> str:
    b = s.benchmark()
    cold, test = b.seconds("make -j2 report, cold"), b.seconds("make test")
    return para(
        f"Time to reproduce: {cold:.1f} s for `make report` (cold, `-j2`: clean `reports/` and `data/processed/`) "
        f"and {test:.1f} s for `make test`, medians of {b.repeats} run{'s' if b.repeats != 1 else ''} measured "
        f"{b.date} on a {b.cores}-core {b.machine} machine with `.venv` present "
        "([benchmarks/results.md](benchmarks/results.md)); the first command also creates `.venv` from the lock "
        "(download and install, not benchmarked).",
        100,
    )


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
    except ReadmeError as e:
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
