"""The elasticity report: run selection, the elasticity table, its figures and narrative.

``notebooks/elasticities.ipynb`` calls these functions; each returns data (a table or
text) or saves a figure, so the notebook stays a short narrative. Formulas live in
:mod:`analysis.metrics.elasticity`; this module pairs the years explicitly (never silently, never
interpolated), chooses which formula a pair of windows allows, and writes
``tables/<run_name>.csv`` through :mod:`analysis.reports.outputs`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.data.load import UnknownChoice, check_choice, load_observations
from analysis.metrics import elasticity as el
from analysis.reports import figures
from analysis.reports import real_terms as rt
from analysis.reports.elasticity_select import SHORT_LABELS, Selected, select_run, select_specs
from analysis.reports.outputs import Outputs
from analysis.reports.params import GDP_BREAK_YEARS, as_list, as_year, kinds_for, run_base

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


SOURCE_NOTE = (
    "Source: curated from the five policy documents (data/raw); open markers: external (secondary) "
    "values; diamonds: derived values. Current prices."
)

UNIT_LABELS = figures.UNIT_LABELS


VARIANT_STYLE = {
    "log_arc": ("o", "C0", "log arc"),
    "midpoint": ("s", "C2", "midpoint arc"),
    "window": ("^", "C1", "window formula"),
    "ols": ("D", "C3", "log-log OLS (95% CI)"),
}


@dataclass
class ElasticityRun:
    """A validated report: runs, variants, Gini values and where outputs go."""

    runs: list[Selected]
    variants: tuple[str, ...]
    gini_values: tuple[float, ...]
    include_external: bool
    out: Outputs
    name: str
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
    outcome: object = "default",
    driver: object = "default",
    region: object = "default",
    driver_region: object = None,
    start_year: object = None,
    end_year: object = None,
    variants: object = "all",
    gini_values: object = el.GINI_VALUES,
    include_external: object = True,
    output_dir: object = None,
    run_name: str = "elasticities",
) -> ElasticityRun:
    """Validate the notebook parameters and load the selected runs.

    Parameters
    ----------
    outcome, driver : str or list
        Indicators, or ``"default"`` (a wildcard over :data:`DEFAULT_RUNS`). Several
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
    obs = load_observations()
    specs, from_defaults = select_specs(region, outcome, driver, driver_region, obs, kinds)
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
    return ElasticityRun(runs, vs, ginis, ext, shared.outputs(), shared.run_name, skipped)


# --- The table ----------------------------------------------------------------------------------------------


def value_in(s: pd.DataFrame, year: int) -> pd.Series:
    return s[s["year"] == year].iloc[0]


def kind_note(sel: Selected) -> str:
    p = sel.pairing
    bits = []
    for s, years, what in ((sel.outcome, p.outcome_window, "outcome"), (sel.driver, p.driver_window, "driver")):
        for y in years:
            r = value_in(s, y)
            if r["kind"] != "document":
                txt = f"{what} {y} {r['kind']}"
                if pd.notna(r.get("value_low")) and pd.notna(r.get("value_high")):
                    txt += f" ({r['value']:g}, rounding range {r['value_low']:g}-{r['value_high']:g})"
                bits.append(txt)
    return ("values not from the documents: " + ", ".join(bits)) if bits else ""


def _break_note(sel: Selected) -> str:
    dw = sel.pairing.driver_window
    br = [b for b in GDP_BREAK_YEARS.get(sel.spec.driver, ()) if dw[0] < b <= dw[1]]
    return (
        (f"driver crosses a series break ({', '.join(map(str, br))}: fourth-census GDP revision, partly a level shift)")
        if br
        else ""
    )


def _range_note(sel: Selected, variant: str) -> str:
    """Elasticity range from derived endpoints' rounding ranges (e.g. Wuling 2010 income)."""
    p = sel.pairing
    lo_hi: list[float | None] = []
    d0, d1 = value_in(sel.driver, p.driver_window[0]), value_in(sel.driver, p.driver_window[1])
    o0, o1 = value_in(sel.outcome, p.outcome_window[0]), value_in(sel.outcome, p.outcome_window[1])
    has_range = any(pd.notna(r.get("value_low")) for r in (d0, d1, o0, o1))
    if not has_range:
        return ""

    def v(r: pd.Series, which: str) -> float:
        x = r.get(which)
        return float(x) if pd.notna(x) else float(r["value"])

    for a in ("value_low", "value_high"):
        for b in ("value_low", "value_high"):
            vals = (v(o0, a), v(o1, b), v(d0, a), v(d1, b))
            lo_hi.append(variant_elasticity(variant, sel, *vals))
    finite = [x for x in lo_hi if x is not None and math.isfinite(x)]
    return f"range from rounding of derived inputs: {min(finite):.3f} to {max(finite):.3f}" if finite else ""


def variant_elasticity(variant: str, sel: Selected, h0: float, h1: float, y0: float, y1: float) -> float | None:
    """The elasticity ``variant`` of one selected pair from outcome values ``h0, h1`` and driver values ``y0, y1``
    (None where the variant is not defined for the pair); the real variants call it with deflated drivers.
    """
    p = sel.pairing
    if variant == "log_arc":
        return el.log_arc_elasticity(h0, h1, y0, y1)
    if variant == "midpoint":
        return el.midpoint_arc_elasticity(h0, h1, y0, y1)
    if variant == "semi":
        if p.same_window:
            return el.semi_elasticity(h0, h1, y0, y1)
        return el.window_semi_elasticity(h0, h1, p.t_outcome, y0, y1, p.t_driver)
    if variant == "window":
        return el.window_elasticity(h0, h1, p.t_outcome, y0, y1, p.t_driver)
    return None


def _row(sel: Selected, variant: str) -> dict | None:
    p, spec = sel.pairing, sel.spec
    ow, dw = p.outcome_window, p.driver_window
    o0, o1 = float(value_in(sel.outcome, ow[0])["value"]), float(value_in(sel.outcome, ow[1])["value"])
    d0, d1 = float(value_in(sel.driver, dw[0])["value"]), float(value_in(sel.driver, dw[1])["value"])
    band = sel.band
    row = {
        "outcome": spec.outcome,
        "driver": spec.driver,
        "region": spec.region,
        "outcome_years": f"{ow[0]} {ow[1]}",
        "driver_years": f"{dw[0]} {dw[1]}",
        "method": el.METHOD_NAMES[variant],
        "elasticity": None,
        "ci_low": None,
        "ci_high": None,
        "n_points": 2,
        "note": "",
        "variant": variant,
        "run": spec.run_id,
        "driver_region": spec.d_region,
        "outcome_window": f"{ow[0]}-{ow[1]}",
        "driver_window": f"{dw[0]}-{dw[1]}",
        "paired_years": " ".join(map(str, p.paired_years)),
        "unit": "dimensionless (ratio of log changes)",
        "outcome_start_value": o0,
        "outcome_end_value": o1,
        "driver_start_value": d0,
        "driver_end_value": d1,
        "literature_low": band[0] if band else None,
        "literature_high": band[1] if band else None,
        "p_value": None,
        "dof": None,
        "status": "",
        "literature_difference": literature_difference(sel) if band else "",
    }
    row["status"] = (
        "same window" if p.same_window else f"windows differ: outcome {ow[0]}-{ow[1]}, driver {dw[0]}-{dw[1]}"
    )
    notes = [p.note]
    if variant == "semi":
        if not sel.is_rate:
            return None
        row["unit"] = "percentage points per 1% growth of the driver"
        row["literature_low"] = row["literature_high"] = None
        if not p.same_window:
            row["method"] = el.METHOD_NAMES["semi_window_ratio"]
            row["unit"] = "percentage points a year per 1% a year of driver growth"
    if variant == "window" and not p.same_window:
        row["method"] = el.METHOD_NAMES["window_ratio"]
        row["unit"] = "dimensionless (ratio of average annual log growth rates)"
    if variant == "window" and p.same_window:
        notes.insert(0, "not computed separately: same windows, the window formula equals the log arc elasticity")
        row["status"] = "not computed separately: same windows (see the log arc row)"
        row["n_points"] = 0
    elif variant in ("log_arc", "midpoint") and not p.same_window:
        notes.insert(
            0,
            f"not computed: the {variant.replace('_', ' ')} formula needs the same two years for outcome "
            "and driver; see the window elasticity",
        )
        row["status"] = f"not computed: windows differ ({ow[0]}-{ow[1]} vs {dw[0]}-{dw[1]})"
        row["n_points"] = 0
    elif variant == "ols":
        years, h, y = el.paired_values(sel.outcome, sel.driver, p)
        row["outcome_years"] = row["driver_years"] = " ".join(map(str, years))
        row["n_points"] = len(years)
        fit = el.ols_elasticity(h, y, years)
        if fit is None:
            notes.insert(
                0,
                f"not estimated: {n_years_text(len(years))} ({', '.join(map(str, years)) or 'none'}); "
                f"the log-log OLS needs at least {el.MIN_OLS_POINTS}",
            )
            row["status"] = f"not estimated: {n_years_text(len(years))}, needs {el.MIN_OLS_POINTS}"
        else:
            row.update(
                elasticity=fit.elasticity, ci_low=fit.ci_low, ci_high=fit.ci_high, p_value=fit.p_value, dof=fit.dof
            )
            notes.insert(
                0, f"{fit.n_points} paired years, {fit.dof} degrees of freedom: interval and p-value descriptive"
            )
            row["status"] = f"{fit.n_points} paired years, {fit.dof} degrees of freedom (descriptive)"
    elif reason := sel.concept_break():
        notes.insert(0, reason)
        row.update(status=reason.split(" (")[0], n_points=0)
    else:
        row["elasticity"] = variant_elasticity(variant, sel, o0, o1, d0, d1)
        notes.append("2 endpoints: no inference")
        rn = _range_note(sel, variant)
        if rn:
            notes.append(rn)
    for extra in (kind_note(sel), _break_note(sel), spec.note_text, sel.poverty_note()):
        if extra:
            notes.append(extra)
    notes.append("nominal values")
    row["note"] = "; ".join(notes)
    if row["elasticity"] is None:
        row["reason"] = notes[0]  # the first note says why (the not-computed table's reason)
    return row


def literature_difference(sel: Selected) -> str:
    """How a run's estimate differs from the literature band's kind (empty when it has no band).

    The bands are survey headcounts against a real driver; every difference is named, so
    the band is never read as a verdict ("inside", "outside") on an estimate of another kind.
    """
    band = sel.band
    if band is None:
        return ""
    concept = "real GDP per capita" if sel.band_key == "gdp" else "real survey mean income"
    diffs = [f"the driver is nominal ({SHORT_LABELS.get(sel.spec.driver, sel.spec.driver)} in current prices)"]
    if sel.is_poverty:
        diffs.append("the outcome is registered-poor incidence (建档立卡), not a survey headcount")
    if not sel.pairing.same_window:
        diffs.append("outcome and driver windows differ (a ratio of growth rates)")
    diffs.append("two endpoints of one area, not a cross-country regression")
    return (
        f"not comparable with the literature band {band[0]:g} to {band[1]:g} (survey headcounts against "
        f"{concept}, across countries): " + "; ".join(diffs)
    )


def n_years_text(n: int) -> str:
    return f"{n} paired year{'' if n == 1 else 's'}"


def _kinds_used(sel: Selected, row: dict) -> dict:
    """Kinds of the values a table row used (outcome and driver years it names) and whether any is external."""
    kinds: set[str] = set()
    for series, years in ((sel.outcome, row["outcome_years"]), (sel.driver, row["driver_years"])):
        used = series[series["year"].isin([int(y) for y in years.split()])]
        kinds |= set(used["kind"])
    return {"kinds_used": " ".join(sorted(kinds)), "external_used": "external" in kinds}


def build_table(run: ElasticityRun) -> pd.DataFrame:
    """Compute every requested variant for every run and split the estimates made from those not made.

    Writes ``tables/<run_name>.csv`` (the estimates, one row per run and variant computed) and
    ``tables/<run_name>_not_computed.csv`` (run, variant, windows and the reason), and
    returns the estimates.
    """
    rows = [{**r, **_kinds_used(sel, r)} for sel in run.runs for v in run.variants if (r := _row(sel, v)) is not None]
    full = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    full["n_points"] = full["n_points"].astype(int)
    made = full["elasticity"].notna()
    run.table = full[made].reset_index(drop=True)
    run.not_computed = pd.DataFrame(
        [r for r in rows if r["elasticity"] is None], columns=list(NOT_COMPUTED_COLUMNS)
    ).reset_index(drop=True)
    run.out.table(run.table, run.name)
    run.out.table(run.not_computed, f"{run.name}_not_computed")
    from analysis.reports.elasticity_text import display_table  # the text module builds on this one

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


def variant_value(run: ElasticityRun, sel: Selected, variant: str) -> float | None:
    t = run.table[(run.table["run"] == sel.run_id) & (run.table["variant"] == variant)]
    if t.empty or pd.isna(t["elasticity"].iloc[0]):
        return None
    return float(t["elasticity"].iloc[0])


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
        from analysis.reports.elasticity_text import benchmark_display

        run.out.latex(
            benchmark_display(run),
            f"{run.name}_benchmark",
            "Distribution-neutral lognormal benchmark elasticities (Bourguignon 2003) beside the observed ones.",
        )
    return run.benchmark


# --- Display ------------------------------------------------------------------------------------------------


# --- Figures ------------------------------------------------------------------------------------------------


# --- Narrative ----------------------------------------------------------------------------------------------
