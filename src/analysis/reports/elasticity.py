"""The elasticity report's tables: parameters, the estimates table and the benchmark.

``notebooks/elasticities.ipynb`` declares the pairs and computes each estimate in a visible loop
over :mod:`analysis.metrics.elasticity` formulas; :mod:`analysis.reports.elasticity_rows` says which
formula a pair of windows allows and builds each row with its years, values and notes; this module
validates the parameters (:func:`prepare`) and writes ``tables/<run_name>.csv`` and the benchmark
through :mod:`analysis.reports.outputs`. Dependencies run one way: ``elasticity_vocab`` <-
``elasticity_select`` <- ``elasticity_rows`` <- this module <- ``elasticity_real``, ``elasticity_text``,
``elasticity_figures``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.data.load import UnknownChoice, check_choice, load_observations
from analysis.metrics import elasticity as el
from analysis.reports import real_terms as rt
from analysis.reports.elasticity_rows import estimate, table_row, value_in
from analysis.reports.elasticity_select import (
    RunSpec,
    Selected,
    notebook_parameter,
    select_run,
    select_specs,
)
from analysis.reports.outputs import Outputs
from analysis.reports.params import as_list, as_year, kinds_for, run_base

TABLE_COLUMNS = (
    "outcome",
    "driver",
    "region",
    "outcome_years",
    "driver_years",
    "method",
    "elasticity",
    "ci_low",
    "ci_high",
    "n_points",
    "note",
    "variant",
    "run",
    "driver_region",
    "outcome_window",
    "driver_window",
    "paired_years",
    "unit",
    "outcome_start_value",
    "outcome_end_value",
    "driver_start_value",
    "driver_end_value",
    "literature_low",
    "literature_high",
    "p_value",
    "dof",
    "status",
    "kinds_used",
    "external_used",
    "literature_difference",
)
"""Columns of ``tables/elasticities.csv``: the issue's eleven, then extras. The table holds the
estimates that were made; the pairs not computed are in ``<run_name>_not_computed.csv``."""

NOT_COMPUTED_COLUMNS = (
    "run",
    "variant",
    "outcome",
    "driver",
    "region",
    "driver_region",
    "outcome_window",
    "driver_window",
    "reason",
)
"""Columns of ``tables/<run_name>_not_computed.csv``: one row per run and variant not estimated, with why."""

BENCHMARK_COLUMNS = (
    "run",
    "gini",
    "sigma",
    "h_start_pct",
    "h_end_pct",
    "benchmark_start",
    "benchmark_end",
    "benchmark_arc",
    "required_log_growth",
    "required_multiple",
    "observed_driver_multiple",
    "observed_elasticity",
    "observed_method",
    "driver_window",
    "observed_real_driver_multiple",
    "observed_real_elasticity",
    "real_price_index",
    "real_note",
)
"""Columns of ``tables/<run_name>_benchmark.csv`` (lognormal distribution-neutral benchmark).

The benchmark's multiple is of real mean income (the line is fixed in 2010 prices), so it is
set against ``observed_real_driver_multiple`` (the driver deflated by the index that
:mod:`analysis.reports.real_terms` chooses), never against the nominal
``observed_driver_multiple``; without a real driver there is no comparison."""


@dataclass
class ElasticityRun:
    """A validated report: runs, variants, Gini values and where outputs go."""

    runs: list[Selected]
    variants: tuple[str, ...]
    gini_values: tuple[float, ...]
    include_external: bool
    out: Outputs
    name: str
    national_pair: RunSpec
    skipped: list[str] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    benchmark: pd.DataFrame = field(default_factory=pd.DataFrame)
    not_computed: pd.DataFrame = field(default_factory=pd.DataFrame)
    real: pd.DataFrame = field(default_factory=pd.DataFrame)
    national: pd.DataFrame = field(default_factory=pd.DataFrame)
    matched: pd.DataFrame = field(default_factory=pd.DataFrame)
    national_note: str = ""

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kinds of values the run uses (``external`` only when ``include_external``)."""
        return kinds_for(self.include_external)

    def rows(self, variant: str | None = None) -> pd.DataFrame:
        t = self.table
        return t if variant is None else t[t["variant"] == variant]


# --- Parameters ---------------------------------------------------------------------------------------------


def _variants(value: object) -> tuple[str, ...]:
    vs = as_list(value, "variants")
    if vs in (["all"], []):
        return el.VARIANTS
    for v in vs:
        check_choice("variant", v, [*list(el.VARIANTS), "all"])
    return tuple(v for v in el.VARIANTS if v in vs)


def _ginis(value: object) -> tuple[float, ...]:
    out = []
    for g in as_list(value, "gini_values"):
        try:
            f = float(g)
        except (TypeError, ValueError):
            raise UnknownChoice(
                f"gini_values entry {g!r} is not a number; give Gini coefficients such as 0.30, 0.35, 0.40"
            ) from None
        if not 0 < f < 1:
            raise UnknownChoice(f"gini_values entry {g!r} must lie strictly between 0 and 1")
        out.append(f)
    if not out:
        raise UnknownChoice("gini_values is empty; give Gini coefficients such as 0.30, 0.35, 0.40")
    return tuple(out)


def prepare(
    pairs: object = None,
    outcome: object = "default",
    driver: object = "default",
    region: object = "default",
    driver_region: object = None,
    start_year: object = None,
    end_year: object = None,
    variants: object = "all",
    gini_values: object = el.GINI_VALUES,
    include_external: object = True,
    national: object = None,
    output_dir: object = None,
    run_name: str = "elasticities",
) -> ElasticityRun:
    """Validate the notebook parameters and load the selected runs.

    Parameters
    ----------
    pairs : list of list, optional
        The run definition: one ``[region, outcome, driver, driver_region, window, driver_window]``
        per pair (the last three optional; see :meth:`analysis.reports.elasticity_select.RunSpec.parse`).
        None: the ``pairs`` of the notebook's parameters cell (:func:`~analysis.reports.elasticity_select.notebook_parameter`).
    outcome, driver : str or list
        Indicators, or ``"default"`` (a wildcard over ``pairs``). Several
        outcomes and drivers are crossed.
    region : str
        Region of the outcome, or ``"default"``.
    driver_region : str, optional
        Region of the driver (e.g. ``"China"`` for the national poverty line); default
        the outcome's region.
    start_year, end_year : int, optional
        Outcome window; both years must be observed. Default: each run's window.
    variants : str or list
        Subset of :data:`analysis.metrics.elasticity.VARIANTS`, or ``"all"``.
    gini_values : list of float
        Gini coefficients of the lognormal benchmark curves.
    include_external : bool
        Whether external (secondary) values may be used.
    national : list, optional
        The nation's reference pair ``[region, outcome, driver, None, window]`` set beside each incidence run;
        None: the notebook's ``national``.
    output_dir : str, optional
        Output root; default: the build's folder under ``make report``, else
        ``build/interactive/<run_name>/`` (see :mod:`analysis.reports.outputs`).
    run_name : str
        Stem of the table and figure files.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    start, end = as_year(start_year, "start_year"), as_year(end_year, "end_year")
    if start is not None and end is not None and start >= end:
        raise UnknownChoice(f"start_year {start} must be before end_year {end}")
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    ext, kinds = shared.include_external, shared.kinds
    vs, ginis = _variants(variants), _ginis(gini_values)
    items = as_list(notebook_parameter("pairs") if pairs is None else pairs, "pairs")
    if not items:
        raise UnknownChoice("pairs is empty: give at least one [region, outcome, driver] line")
    declared = [RunSpec.parse(item, f"pairs[{i}]") for i, item in enumerate(items)]
    nat = RunSpec.parse(notebook_parameter("national") if national is None else national, "national")
    if nat.start is None or nat.end is None:
        raise UnknownChoice(f'national {national!r} needs its window, e.g. "2014-2019"')
    obs = load_observations()
    specs, from_defaults = select_specs(declared, region, outcome, driver, driver_region, obs, kinds)
    runs, skipped = [], []
    for spec in specs:
        if start is not None or end is not None:
            spec = replace(
                spec,
                start=start if start is not None else spec.start,
                end=end if end is not None else spec.end,
                driver_window=None,
            )
        try:
            runs.append(select_run(spec, obs, kinds))
        except UnknownChoice as e:
            if not from_defaults or (start is not None or end is not None):
                raise
            skipped.append(f"{spec.run_id}: {e}")
    if not runs:
        raise UnknownChoice("no run can be computed: " + "; ".join(skipped))
    return ElasticityRun(runs, vs, ginis, ext, shared.outputs(), shared.run_name, nat, skipped)


# --- The table ----------------------------------------------------------------------------------------------


def _kinds_used(sel: Selected, row: dict) -> dict:
    """Kinds of the values a table row used (outcome and driver years it names) and whether any is external."""
    kinds: set[str] = set()
    for series, years in ((sel.outcome, row["outcome_years"]), (sel.driver, row["driver_years"])):
        used = series[series["year"].isin([int(y) for y in years.split()])]
        kinds |= set(used["kind"])
    return {"kinds_used": " ".join(sorted(kinds)), "external_used": "external" in kinds}


def build_table(run: ElasticityRun, rows: list[dict | None] | None = None) -> pd.DataFrame:
    """Split the rows into the estimates made and those not made, and write both.

    Parameters
    ----------
    run : ElasticityRun
        The prepared run.
    rows : list of dict, optional
        :func:`table_row` of every run and variant, as the notebook's loop makes them; None: made here
        with :func:`estimate`.

    Writes ``tables/<run_name>.csv`` (the estimates, one row per run and variant computed),
    ``tables/<run_name>_not_computed.csv`` (run, variant, windows and the reason) and the LaTeX
    display table, and returns the estimates.
    """
    if rows is None:
        rows = [table_row(sel, v, estimate(sel, v)) for sel in run.runs for v in run.variants]
    by_id = {sel.run_id: sel for sel in run.runs}
    made_rows = [{**r, **_kinds_used(by_id[r["run"]], r)} for r in rows if r is not None]
    full = pd.DataFrame(made_rows, columns=list(TABLE_COLUMNS))
    full["n_points"] = full["n_points"].astype(int)
    made = full["elasticity"].notna()
    run.table = full[made].reset_index(drop=True)
    run.not_computed = pd.DataFrame(
        [r for r in made_rows if r["elasticity"] is None], columns=list(NOT_COMPUTED_COLUMNS)
    ).reset_index(drop=True)
    run.out.table(run.table, run.name)
    run.out.table(run.not_computed, f"{run.name}_not_computed")
    basis = "document and external values" if run.include_external else "document values only"
    run.out.latex(
        display_table(run),
        run.name,
        f"Elasticities of poverty and standards with respect to income and output ({basis}); descriptive, nominal drivers.",
    )
    return run.table


def headline(run: ElasticityRun, sel: Selected) -> pd.Series | None:
    """The headline row of a run: the log arc elasticity, or the window formula when windows differ."""
    t = run.table[run.table["run"] == sel.run_id]
    for v in ("log_arc", "window") if sel.pairing.same_window else ("window",):
        r = t[(t["variant"] == v) & t["elasticity"].notna()]
        if not r.empty:
            return r.iloc[0]
    return None


def build_benchmark(run: ElasticityRun) -> pd.DataFrame:
    """Lognormal distribution-neutral benchmark for every incidence run, written to ``<run_name>_benchmark.csv``."""
    rows = []
    for sel in run.runs:
        if not sel.is_rate:
            continue
        p = sel.pairing
        h0 = float(value_in(sel.outcome, p.outcome_window[0])["value"]) / 100.0
        h1 = float(value_in(sel.outcome, p.outcome_window[1])["value"]) / 100.0
        d0 = float(value_in(sel.driver, p.driver_window[0])["value"])
        d1 = float(value_in(sel.driver, p.driver_window[1])["value"])
        head = headline(run, sel) if not run.table.empty else None
        real = rt.real_growth(sel.driver, p.driver_window[0], p.driver_window[1], run.kinds)
        real_multiple = real_e = None
        if real.real_values is not None:
            real_multiple = float(real.real_values[p.driver_window[1]] / real.real_values[p.driver_window[0]])
            real_e = el.window_elasticity(h0, h1, p.t_outcome, 1.0, real_multiple, p.t_driver)
        for g in run.gini_values:
            need = el.required_log_growth(h0, h1, g)
            rows.append(
                {
                    "run": sel.run_id,
                    "gini": g,
                    "sigma": el.sigma_from_gini(g),
                    "h_start_pct": 100 * h0,
                    "h_end_pct": 100 * h1,
                    "benchmark_start": el.benchmark_elasticity(h0, g),
                    "benchmark_end": el.benchmark_elasticity(h1, g),
                    "benchmark_arc": el.benchmark_arc_elasticity(h0, h1, g),
                    "required_log_growth": need,
                    "required_multiple": math.exp(need),
                    "observed_driver_multiple": d1 / d0,
                    "observed_elasticity": None if head is None else float(head["elasticity"]),
                    "observed_method": "" if head is None else str(head["variant"]),
                    "driver_window": f"{p.driver_window[0]}-{p.driver_window[1]}",
                    "observed_real_driver_multiple": real_multiple,
                    "observed_real_elasticity": real_e,
                    "real_price_index": f"{real.index}, {real.base_year} prices" if real.index else "",
                    "real_note": real.reason,
                }
            )
    run.benchmark = pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))
    run.out.table(run.benchmark, f"{run.name}_benchmark")
    if not run.benchmark.empty:
        run.out.latex(
            benchmark_display(run),
            f"{run.name}_benchmark",
            "Distribution-neutral lognormal benchmark elasticities (Bourguignon 2003) beside the observed ones.",
        )
    return run.benchmark


# --- Display tables (also written as LaTeX) -------------------------------------------------------------


def fmt(v: float | None, digits: int = 2) -> str:
    """A number rounded for display ('' when missing)."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else f"{float(v):.{digits}f}"


def display_table(run: ElasticityRun) -> pd.DataFrame:
    """The estimates for reading: one row per run with its headline and companions, rounded.

    The headline is the log arc elasticity where outcome and driver share their windows,
    else the ratio of average annual log growth rates (named so: not an elasticity). The
    pairs that could not be computed are in :func:`not_computed_display`.
    """
    t = run.table
    rows = []
    for sel in run.runs:
        r = t[t["run"] == sel.run_id]
        if r.empty:
            continue

        def v(variant: str, digits: int = 2, r: pd.DataFrame = r) -> str:
            x = r[r["variant"] == variant]
            return "" if x.empty else fmt(x["elasticity"].iloc[0], digits)

        head = "log_arc" if sel.pairing.same_window else "window"
        ols = r[r["variant"] == "ols"]
        rows.append(
            {
                "run": sel.label(),
                "windows": sel.windows_label(),
                "headline": (
                    "log arc elasticity" if head == "log_arc" else "ratio of annual log growth (windows differ)"
                ),
                "value": v(head),
                "midpoint": v("midpoint"),
                "semi (pp per 1%)": v("semi", 3),
                "OLS (95% CI)": ""
                if ols.empty
                else f"{fmt(ols['elasticity'].iloc[0])} ({fmt(ols['ci_low'].iloc[0])} to {fmt(ols['ci_high'].iloc[0])})",
                "kind": kind_label(sel),
            }
        )
    return pd.DataFrame(rows)


def kind_label(sel: Selected) -> str:
    """What the estimate is, in a few words (outcome measure, driver prices)."""
    if sel.is_poverty:
        what = "registered-poor " + ("rate" if sel.is_rate else "count")
    else:
        what = "assistance " + ("payment" if "monthly" in sel.outcome_unit or "月" in sel.outcome_unit else "standard")
    return f"{what}; nominal driver"


def benchmark_display(run: ElasticityRun) -> pd.DataFrame:
    """The benchmark table for reading."""
    b = run.benchmark
    if b.empty:
        return b
    return pd.DataFrame(
        {
            "run": b["run"],
            "Gini": b["gini"].map(lambda v: f"{v:.2f}"),
            "sigma": b["sigma"].map(lambda v: f"{v:.4f}"),
            "H start-end, %": [f"{a:g} -> {c:g}" for a, c in zip(b["h_start_pct"], b["h_end_pct"], strict=True)],
            "point elasticity at start": b["benchmark_start"].map(fmt),
            "point elasticity at end": b["benchmark_end"].map(fmt),
            "arc benchmark": b["benchmark_arc"].map(fmt),
            "real mean-income multiple needed": b["required_multiple"].map(fmt),
            "observed real driver multiple": [
                fmt(v) if pd.notna(v) else "none (no real driver)" for v in b["observed_real_driver_multiple"]
            ],
            "observed, real driver": b["observed_real_elasticity"].map(fmt),
        }
    )
