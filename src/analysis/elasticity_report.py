"""The elasticity report: run selection, the elasticity table, its figures and narrative.

``notebooks/elasticities.ipynb`` calls these functions; each returns data (a table or
text) or saves a figure, so the notebook stays a short narrative. Formulas live in
:mod:`analysis.elasticity`; this module pairs the years explicitly (never silently, never
interpolated), chooses which formula a pair of windows allows, and writes
``tables/<run_name>.csv`` through :mod:`analysis.outputs`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import matplotlib.pyplot as plt
import pandas as pd

from analysis import elasticity as el
from analysis import figures
from analysis.load import UnknownChoice, check_choice, get_series, load_observations
from analysis.outputs import Outputs, outputs
from analysis.params import GDP_BREAK_YEARS, as_bool, as_list, as_year, mode_of

TABLE_COLUMNS = ("outcome", "driver", "region", "outcome_years", "driver_years", "method", "elasticity", "ci_low",
                 "ci_high", "n_points", "note", "variant", "run", "driver_region", "outcome_window", "driver_window",
                 "paired_years", "unit", "outcome_start_value", "outcome_end_value", "driver_start_value",
                 "driver_end_value", "literature_low", "literature_high", "p_value", "dof", "status")
"""Columns of ``tables/elasticities.csv``: the issue's eleven, then extras."""

BENCHMARK_COLUMNS = ("run", "gini", "sigma", "h_start_pct", "h_end_pct", "benchmark_start", "benchmark_end",
                     "benchmark_arc", "required_log_growth", "required_multiple", "observed_driver_multiple",
                     "observed_elasticity", "observed_method", "driver_window")
"""Columns of ``tables/<run_name>_benchmark.csv`` (lognormal distribution-neutral benchmark)."""

POVERTY_OUTCOMES = ("poverty_incidence", "poor_population")
"""Outcomes compared with the literature band (headcount elasticities)."""

DRIVER_CONCEPTS = {"gdp_per_capita": "gdp", "gdp": "gdp", "rural_disposable_income": "income"}
"""Which literature band applies to a driver (see :data:`analysis.elasticity.LITERATURE_BANDS`)."""


@dataclass(frozen=True)
class RunSpec:
    """One outcome-driver pair to analyse.

    ``driver_region`` None means the outcome's region; ``start``/``end`` None the outcome's
    first/last observed year; ``driver_window`` None the rule of
    :func:`analysis.elasticity.choose_driver_window`.
    """

    region: str
    outcome: str
    driver: str
    driver_region: str | None = None
    start: int | None = None
    end: int | None = None
    driver_window: tuple[int, int] | None = None
    note: str = ""

    @property
    def d_region(self) -> str:
        return self.driver_region or self.region

    @property
    def run_id(self) -> str:
        d = self.driver if self.d_region == self.region else f"{self.d_region.lower()}.{self.driver}"
        w = f" [driver {self.driver_window[0]}-{self.driver_window[1]}]" if self.driver_window else ""
        return f"{self.region.lower()}.{self.outcome} ~ {d}{w}"


WULING_INCOME_NOTE = ("2010 income derived as 11544 / 3.3 (stated multiple) and spans the rural net-income (纯收入) "
                      "to disposable-income (可支配收入) break of 2013")
LINE_NOTE = "the poverty line in current prices is external and has no 2019 value"

DEFAULT_RUNS: tuple[RunSpec, ...] = (
    RunSpec("Xiangxi", "poverty_incidence", "gdp_per_capita", start=2013, end=2019),
    RunSpec("Xiangxi", "poor_population", "gdp_per_capita", start=2013, end=2019),
    RunSpec("Xiangxi", "poverty_incidence", "rural_disposable_income", start=2016, end=2018,
            note="both series external in 2016 and 2018; the only same-year pair with household income in Xiangxi"),
    RunSpec("Wuling", "poverty_incidence", "rural_disposable_income", start=2011, end=2019, note=WULING_INCOME_NOTE),
    RunSpec("Wuling", "poor_population", "rural_disposable_income", start=2011, end=2019, note=WULING_INCOME_NOTE),
    RunSpec("Xiangxi", "rural_dibao_standard", "gdp_per_capita", start=2014, end=2019),
    RunSpec("Xiangxi", "extreme_poverty_support_standard", "gdp_per_capita", start=2014, end=2019),
    RunSpec("Xiangxi", "rural_dibao_standard", "poverty_line_current_prices", "China", 2014, 2019, note=LINE_NOTE),
    RunSpec("Xiangxi", "rural_dibao_standard", "poverty_line_current_prices", "China", 2014, 2019, (2014, 2020),
            note=LINE_NOTE + "; sensitivity: driver window to 2020, whose line is approximate ('around 4000')"),
    RunSpec("Xiangxi", "extreme_poverty_support_standard", "poverty_line_current_prices", "China", 2014, 2019,
            note=LINE_NOTE),
    RunSpec("Xiangxi", "rural_dibao_monthly_assistance", "rural_dibao_standard", start=2014, end=2019,
            note="assistance is a monthly payment, the standard an annual threshold"),
)
"""The default runs (the issue's list plus one same-year household-income pair and one window sensitivity)."""

SOURCE_NOTE = ("Source: curated from the five policy documents (data/raw); open markers: external (secondary) "
               "values; diamonds: derived values. Current prices.")

UNIT_LABELS = figures.UNIT_LABELS

SHORT_LABELS = {"poverty_incidence": "poverty incidence", "poor_population": "poor population",
                "gdp_per_capita": "GDP per capita", "gdp": "GDP", "rural_disposable_income": "rural income per capita",
                "rural_dibao_standard": "dibao standard", "extreme_poverty_support_standard": "tekun standard",
                "rural_dibao_monthly_assistance": "dibao monthly assistance",
                "poverty_line_current_prices": "national poverty line"}

VARIANT_STYLE = {"log_arc": ("o", "C0", "log arc"), "midpoint": ("s", "C2", "midpoint arc"),
                 "window": ("^", "C1", "window formula"), "ols": ("D", "C3", "log-log OLS (95% CI)")}


@dataclass
class Selected:
    """A validated run with its data and year pairing."""

    spec: RunSpec
    outcome: pd.DataFrame
    driver: pd.DataFrame
    pairing: el.Pairing
    mode: str
    outcome_unit: str
    driver_unit: str

    @property
    def run_id(self) -> str:
        return self.spec.run_id

    @property
    def is_poverty(self) -> bool:
        return self.spec.outcome in POVERTY_OUTCOMES

    @property
    def is_rate(self) -> bool:
        return self.mode == "rate"

    @property
    def band_key(self) -> str | None:
        """``gdp`` or ``income``: which literature band applies (poverty outcomes only)."""
        c = DRIVER_CONCEPTS.get(self.spec.driver)
        return c if (c and self.is_poverty) else None

    @property
    def band(self) -> tuple[float, float, str] | None:
        return el.LITERATURE_BANDS[self.band_key] if self.band_key else None

    def label(self) -> str:
        r = figures.REGION_LABELS.get(self.spec.region, self.spec.region)
        d = SHORT_LABELS.get(self.spec.driver, self.spec.driver)
        if self.spec.d_region != self.spec.region:
            d = f"{figures.REGION_LABELS.get(self.spec.d_region, self.spec.d_region)} {d}"
        return f"{r}: {SHORT_LABELS.get(self.spec.outcome, self.spec.outcome)} vs {d}"

    def windows_label(self) -> str:
        p = self.pairing
        if p.same_window:
            return f"{p.outcome_window[0]}-{p.outcome_window[1]}"
        return (f"outcome {p.outcome_window[0]}-{p.outcome_window[1]}, "
                f"driver {p.driver_window[0]}-{p.driver_window[1]}")


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

    def rows(self, variant: str | None = None) -> pd.DataFrame:
        t = self.table
        return t if variant is None else t[t["variant"] == variant]


# --- Parameters ---------------------------------------------------------------------------------------------

def _kinds(include_external: bool) -> tuple[str, ...]:
    return ("document", "external", "derived") if include_external else ("document", "derived")


def _usable_indicators(obs: pd.DataFrame, region: str, kinds: tuple[str, ...]) -> list[str]:
    s = obs[(obs["region"] == region) & obs["kind"].isin(kinds)]
    n = s.groupby("indicator")["year"].nunique()
    return sorted(n[n >= 2].index)


def _variants(value: object) -> tuple[str, ...]:
    vs = as_list(value, "variants")
    if vs in (["all"], []):
        return el.VARIANTS
    for v in vs:
        check_choice("variant", v, list(el.VARIANTS) + ["all"])
    return tuple(v for v in el.VARIANTS if v in vs)


def _ginis(value: object) -> tuple[float, ...]:
    out = []
    for g in as_list(value, "gini_values"):
        try:
            f = float(g)
        except (TypeError, ValueError):
            raise UnknownChoice(f"gini_values entry {g!r} is not a number; give Gini coefficients such as "
                                "0.30, 0.35, 0.40") from None
        if not 0 < f < 1:
            raise UnknownChoice(f"gini_values entry {g!r} must lie strictly between 0 and 1")
        out.append(f)
    if not out:
        raise UnknownChoice("gini_values is empty; give Gini coefficients such as 0.30, 0.35, 0.40")
    return tuple(out)


def _select_specs(region: object, outcome: object, driver: object, driver_region: object,
                  obs: pd.DataFrame, kinds: tuple[str, ...]) -> tuple[list[RunSpec], bool]:
    """The run specs a parameter combination means, and whether they come from the defaults."""
    regions = as_list(region, "region")
    if len(regions) != 1:
        raise UnknownChoice(f"region must be one region or 'default', got {region!r}")
    reg = str(regions[0])
    outcomes = [str(o) for o in as_list(outcome, "outcome")]
    drivers = [str(d) for d in as_list(driver, "driver")]
    dreg = None if driver_region in (None, "", "default") else str(driver_region)
    if reg != "default":
        check_choice("region", reg, obs["region"])
    if dreg is not None:
        check_choice("driver_region", dreg, obs["region"])
    o_default, d_default = outcomes in (["default"], []), drivers in (["default"], [])
    if reg != "default":
        valid = _usable_indicators(obs, reg, kinds)
        for o in ([] if o_default else outcomes):
            check_choice(f"outcome indicator for {reg}", o, valid)
        for d in ([] if d_default else drivers):
            if dreg is None:
                hint = [s.driver for s in DEFAULT_RUNS if s.region == reg and s.driver == d]
                if not hint:
                    check_choice(f"driver indicator for {reg} (set driver_region for another region's series)",
                                 d, valid)
            else:
                check_choice(f"driver indicator for {dreg}", d, _usable_indicators(obs, dreg, kinds))
    else:
        allowed_o = sorted({s.outcome for s in DEFAULT_RUNS})
        allowed_d = sorted({s.driver for s in DEFAULT_RUNS})
        for o in ([] if o_default else outcomes):
            check_choice("outcome (with region='default' only the default outcomes)", o, allowed_o)
        for d in ([] if d_default else drivers):
            check_choice("driver (with region='default' only the default drivers)", d, allowed_d)
    matches = [s for s in DEFAULT_RUNS
               if (reg == "default" or s.region == reg) and (o_default or s.outcome in outcomes)
               and (d_default or s.driver in drivers) and (dreg is None or s.d_region == dreg)]
    if o_default or d_default or reg == "default":
        if not matches:
            raise UnknownChoice(f"no default run for region {reg!r}, outcome {outcome!r}, driver {driver!r}; name both "
                                "an outcome and a driver, or choose among the default runs: "
                                + ", ".join(s.run_id for s in DEFAULT_RUNS))
        return matches, True
    specs = []
    region_indicators = set(_usable_indicators(obs, reg, kinds))
    for o in outcomes:
        for d in drivers:
            found = [s for s in matches if s.outcome == o and s.driver == d]
            d_reg = dreg
            if d_reg is None and d not in region_indicators:
                # e.g. the national poverty line: take the driver region the default runs use
                d_reg = next((s.d_region for s in DEFAULT_RUNS if s.region == reg and s.driver == d), None)
            specs += found or [RunSpec(reg, o, d, d_reg)]
    return specs, False


def _select_run(spec: RunSpec, obs: pd.DataFrame, kinds: tuple[str, ...]) -> Selected:
    o_all = get_series(spec.region, spec.outcome, kinds)
    d_all = get_series(spec.d_region, spec.driver, kinds)
    for s, what in ((o_all, f"{spec.region} {spec.outcome}"), (d_all, f"{spec.d_region} {spec.driver}")):
        if len(s) < 2:
            raise UnknownChoice(f"{what} has fewer than two observed years with kinds {', '.join(kinds)} "
                                f"(observed: {', '.join(str(int(y)) for y in s['year']) or 'none'})")
        if (s["value"] <= 0).any():
            raise UnknownChoice(f"{what} has non-positive values: no log elasticity")
    try:
        pairing = el.pair_years(o_all["year"].astype(int), d_all["year"].astype(int), spec.start, spec.end,
                                spec.driver_window)
    except el.YearMismatch as e:
        raise UnknownChoice(f"{spec.run_id}: {e}") from None
    ow = pairing.outcome_window
    o = o_all[(o_all["year"] >= ow[0]) & (o_all["year"] <= ow[1])].reset_index(drop=True)
    d = d_all.reset_index(drop=True)
    return Selected(spec, o, d, pairing, mode_of(obs, spec.outcome), str(o["unit"].iloc[0]),
                    str(d["unit"].iloc[0]))


def prepare(outcome: object = "default", driver: object = "default", region: object = "default",
            driver_region: object = None, start_year: object = None, end_year: object = None,
            variants: object = "all", gini_values: object = el.GINI_VALUES, include_external: object = True,
            output_dir: object = None, run_name: str = "elasticities") -> ElasticityRun:
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
        Subset of :data:`analysis.elasticity.VARIANTS`, or ``"all"``.
    gini_values : list of float
        Gini coefficients of the lognormal benchmark curves.
    include_external : bool
        Whether external (secondary) values may be used.
    output_dir : str, optional
        Default the project's ``reports/``.
    run_name : str
        Stem of the table and figure files.

    Raises
    ------
    analysis.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    start, end = as_year(start_year, "start_year"), as_year(end_year, "end_year")
    if start is not None and end is not None and start >= end:
        raise UnknownChoice(f"start_year {start} must be before end_year {end}")
    ext = as_bool(include_external, "include_external")
    kinds = _kinds(ext)
    vs, ginis = _variants(variants), _ginis(gini_values)
    if not isinstance(run_name, str) or not run_name or any(c in run_name for c in "/\\ "):
        raise UnknownChoice(f"run_name {run_name!r} must be a plain file stem (no spaces or slashes)")
    obs = load_observations()
    specs, from_defaults = _select_specs(region, outcome, driver, driver_region, obs, kinds)
    runs, skipped = [], []
    for spec in specs:
        if start is not None or end is not None:
            spec = replace(spec, start=start if start is not None else spec.start,
                           end=end if end is not None else spec.end, driver_window=None)
        try:
            runs.append(_select_run(spec, obs, kinds))
        except UnknownChoice as e:
            if not from_defaults or (start is not None or end is not None):
                raise
            skipped.append(f"{spec.run_id}: {e}")
    if not runs:
        raise UnknownChoice("no run can be computed: " + "; ".join(skipped))
    return ElasticityRun(runs, vs, ginis, ext, outputs(output_dir), run_name, skipped)


# --- The table ----------------------------------------------------------------------------------------------

def _value(s: pd.DataFrame, year: int) -> pd.Series:
    return s[s["year"] == year].iloc[0]


def _kind_note(sel: Selected) -> str:
    p = sel.pairing
    bits = []
    for s, years, what in ((sel.outcome, p.outcome_window, "outcome"), (sel.driver, p.driver_window, "driver")):
        for y in years:
            r = _value(s, y)
            if r["kind"] != "document":
                txt = f"{what} {y} {r['kind']}"
                if pd.notna(r.get("value_low")) and pd.notna(r.get("value_high")):
                    txt += f" ({r['value']:g}, rounding range {r['value_low']:g}-{r['value_high']:g})"
                bits.append(txt)
    return ("values not from the documents: " + ", ".join(bits)) if bits else ""


def _break_note(sel: Selected) -> str:
    dw = sel.pairing.driver_window
    br = [b for b in GDP_BREAK_YEARS.get(sel.spec.driver, ()) if dw[0] < b <= dw[1]]
    return (f"driver crosses a series break ({', '.join(map(str, br))}: fourth-census GDP revision, partly a level "
            "shift)") if br else ""


def _range_note(sel: Selected, variant: str) -> str:
    """Elasticity range from derived endpoints' rounding ranges (e.g. Wuling 2010 income)."""
    p = sel.pairing
    lo_hi = []
    d0, d1 = _value(sel.driver, p.driver_window[0]), _value(sel.driver, p.driver_window[1])
    o0, o1 = _value(sel.outcome, p.outcome_window[0]), _value(sel.outcome, p.outcome_window[1])
    has_range = any(pd.notna(r.get("value_low")) for r in (d0, d1, o0, o1))
    if not has_range:
        return ""

    def v(r: pd.Series, which: str) -> float:
        x = r.get(which)
        return float(x) if pd.notna(x) else float(r["value"])

    for a in ("value_low", "value_high"):
        for b in ("value_low", "value_high"):
            vals = (v(o0, a), v(o1, b), v(d0, a), v(d1, b))
            lo_hi.append(_compute(variant, sel, *vals))
    lo_hi = [x for x in lo_hi if x is not None and math.isfinite(x)]
    return f"range from rounding of derived inputs: {min(lo_hi):.3f} to {max(lo_hi):.3f}" if lo_hi else ""


def _compute(variant: str, sel: Selected, h0: float, h1: float, y0: float, y1: float) -> float | None:
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
    o0, o1 = float(_value(sel.outcome, ow[0])["value"]), float(_value(sel.outcome, ow[1])["value"])
    d0, d1 = float(_value(sel.driver, dw[0])["value"]), float(_value(sel.driver, dw[1])["value"])
    band = sel.band
    row = {"outcome": spec.outcome, "driver": spec.driver, "region": spec.region,
           "outcome_years": f"{ow[0]} {ow[1]}", "driver_years": f"{dw[0]} {dw[1]}",
           "method": el.METHOD_NAMES[variant], "elasticity": None, "ci_low": None, "ci_high": None, "n_points": 2,
           "note": "", "variant": variant, "run": spec.run_id, "driver_region": spec.d_region,
           "outcome_window": f"{ow[0]}-{ow[1]}", "driver_window": f"{dw[0]}-{dw[1]}",
           "paired_years": " ".join(map(str, p.paired_years)), "unit": "dimensionless (ratio of log changes)",
           "outcome_start_value": o0, "outcome_end_value": o1, "driver_start_value": d0, "driver_end_value": d1,
           "literature_low": band[0] if band else None, "literature_high": band[1] if band else None,
           "p_value": None, "dof": None, "status": ""}
    row["status"] = ("same window" if p.same_window else
                     f"windows differ: outcome {ow[0]}-{ow[1]}, driver {dw[0]}-{dw[1]}")
    notes = [p.note]
    if variant == "semi":
        if not sel.is_rate:
            return None
        row["unit"] = "percentage points per 1% growth of the driver"
        row["literature_low"] = row["literature_high"] = None
        if not p.same_window:
            row["method"] = el.METHOD_NAMES["semi_window"]
            row["unit"] = "percentage points a year per 1% a year of driver growth"
    if variant in ("log_arc", "midpoint") and not p.same_window:
        notes.insert(0, f"not computed: the {variant.replace('_', ' ')} formula needs the same two years for outcome "
                        "and driver; see the window elasticity")
        row["status"] = f"not computed: windows differ ({ow[0]}-{ow[1]} vs {dw[0]}-{dw[1]})"
        row["n_points"] = 0
    elif variant == "ols":
        years, h, y = el.paired_values(sel.outcome, sel.driver, p)
        row["outcome_years"] = row["driver_years"] = " ".join(map(str, years))
        row["n_points"] = len(years)
        fit = el.ols_elasticity(h, y, years)
        if fit is None:
            notes.insert(0, f"not estimated: {_n_years(len(years))} ({', '.join(map(str, years)) or 'none'}); "
                            f"the log-log OLS needs at least {el.MIN_OLS_POINTS}")
            row["status"] = f"not estimated: {_n_years(len(years))}, needs {el.MIN_OLS_POINTS}"
        else:
            row.update(elasticity=fit.elasticity, ci_low=fit.ci_low, ci_high=fit.ci_high, p_value=fit.p_value,
                       dof=fit.dof)
            notes.insert(0, f"{fit.n_points} paired years, {fit.dof} degrees of freedom: interval and p-value "
                            "descriptive")
            row["status"] = f"{fit.n_points} paired years, {fit.dof} degrees of freedom (descriptive)"
    else:
        row["elasticity"] = _compute(variant, sel, o0, o1, d0, d1)
        if variant == "window" and p.same_window:
            notes.insert(0, "same windows: identical to the log arc elasticity")
        notes.append("2 endpoints: no inference")
        rn = _range_note(sel, variant)
        if rn:
            notes.append(rn)
    for extra in (_kind_note(sel), _break_note(sel), spec.note):
        if extra:
            notes.append(extra)
    if sel.is_poverty:
        notes.append("registered-poor (建档立卡) basis under exit targets")
    notes.append("nominal values")
    row["note"] = "; ".join(notes)
    return row


def _n_years(n: int) -> str:
    return f"{n} paired year{'' if n == 1 else 's'}"


def build_table(run: ElasticityRun) -> pd.DataFrame:
    """Compute every requested variant for every run, write ``tables/<run_name>.csv`` and return it."""
    rows = [r for sel in run.runs for v in run.variants if (r := _row(sel, v)) is not None]
    run.table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    run.table["n_points"] = run.table["n_points"].astype(int)
    run.out.table(run.table, run.name)
    return run.table


def headline(run: ElasticityRun, sel: Selected) -> pd.Series | None:
    """The headline row of a run: the log arc elasticity, or the window formula when windows differ."""
    t = run.table[run.table["run"] == sel.run_id]
    for v in (("log_arc", "window") if sel.pairing.same_window else ("window",)):
        r = t[(t["variant"] == v) & t["elasticity"].notna()]
        if not r.empty:
            return r.iloc[0]
    return None


def _value_of(run: ElasticityRun, sel: Selected, variant: str) -> float | None:
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
        h0 = float(_value(sel.outcome, p.outcome_window[0])["value"]) / 100.0
        h1 = float(_value(sel.outcome, p.outcome_window[1])["value"]) / 100.0
        d0 = float(_value(sel.driver, p.driver_window[0])["value"])
        d1 = float(_value(sel.driver, p.driver_window[1])["value"])
        head = headline(run, sel) if not run.table.empty else None
        for g in run.gini_values:
            need = el.required_log_growth(h0, h1, g)
            rows.append({"run": sel.run_id, "gini": g, "sigma": el.sigma_from_gini(g), "h_start_pct": 100 * h0,
                         "h_end_pct": 100 * h1, "benchmark_start": el.benchmark_elasticity(h0, g),
                         "benchmark_end": el.benchmark_elasticity(h1, g),
                         "benchmark_arc": el.benchmark_arc_elasticity(h0, h1, g), "required_log_growth": need,
                         "required_multiple": math.exp(need), "observed_driver_multiple": d1 / d0,
                         "observed_elasticity": None if head is None else float(head["elasticity"]),
                         "observed_method": "" if head is None else str(head["variant"]),
                         "driver_window": f"{p.driver_window[0]}-{p.driver_window[1]}"})
    run.benchmark = pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))
    run.out.table(run.benchmark, f"{run.name}_benchmark")
    return run.benchmark


# --- Display ------------------------------------------------------------------------------------------------

def _fmt(v: object, digits: int = 2) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else f"{float(v):.{digits}f}"


def selection(run: ElasticityRun) -> pd.DataFrame:
    """The selected runs: outcome and driver, units, observed years and kinds."""
    rows = []
    for sel in run.runs:
        o, d = sel.outcome, sel.driver
        rows.append({"run": sel.run_id, "outcome unit": sel.outcome_unit, "driver unit": sel.driver_unit,
                     "outcome years": " ".join(f"{int(y)}{'' if k == 'document' else ' (' + k[:3] + ')'}"
                                               for y, k in zip(o["year"], o["kind"])),
                     "driver years": " ".join(f"{int(y)}{'' if k == 'document' else ' (' + k[:3] + ')'}"
                                              for y, k in zip(d["year"], d["kind"]))})
    return pd.DataFrame(rows)


def pairing_table(run: ElasticityRun) -> pd.DataFrame:
    """Windows and paired years of every run, with the formula they allow."""
    return pd.DataFrame([{"run": s.run_id, "outcome window": f"{s.pairing.outcome_window[0]}-"
                          f"{s.pairing.outcome_window[1]}",
                          "driver window": f"{s.pairing.driver_window[0]}-{s.pairing.driver_window[1]}",
                          "same window": "yes" if s.pairing.same_window else "NO",
                          "paired years": " ".join(map(str, s.pairing.paired_years)) or "none",
                          "note": s.pairing.note} for s in run.runs])


def display_table(run: ElasticityRun) -> pd.DataFrame:
    """The elasticity table for reading: rounded, one short line per row."""
    t = run.table
    out = pd.DataFrame({"run": t["run"], "variant": t["variant"], "outcome years": t["outcome_years"],
                        "driver years": t["driver_years"], "elasticity": t["elasticity"].map(_fmt),
                        "95% CI": [f"{_fmt(a)} to {_fmt(b)}" if pd.notna(a) else "" for a, b in
                                   zip(t["ci_low"], t["ci_high"])],
                        "n": t["n_points"], "literature band": [f"{_fmt(a, 1)} to {_fmt(b, 1)}" if pd.notna(a) else ""
                                                                for a, b in zip(t["literature_low"],
                                                                                t["literature_high"])],
                        "status": t["status"]})
    return out


def benchmark_display(run: ElasticityRun) -> pd.DataFrame:
    """The benchmark table for reading."""
    b = run.benchmark
    if b.empty:
        return b
    return pd.DataFrame({"run": b["run"], "Gini": b["gini"].map(lambda v: f"{v:.2f}"),
                         "sigma": b["sigma"].map(lambda v: f"{v:.4f}"),
                         "H start-end, %": [f"{a:g} -> {c:g}" for a, c in zip(b["h_start_pct"], b["h_end_pct"])],
                         "point elasticity at start": b["benchmark_start"].map(_fmt),
                         "point elasticity at end": b["benchmark_end"].map(_fmt),
                         "arc benchmark": b["benchmark_arc"].map(_fmt),
                         "mean-income multiple needed": b["required_multiple"].map(_fmt),
                         "observed driver multiple (nominal)": b["observed_driver_multiple"].map(_fmt),
                         "observed": [f"{_fmt(v)} ({m.replace('_', ' ')})" for v, m in
                                      zip(b["observed_elasticity"], b["observed_method"])]})


# --- Figures ------------------------------------------------------------------------------------------------

def _unit(u: str) -> str:
    return UNIT_LABELS.get(u, u)


def _marker_kind(*kinds: str) -> str:
    return "derived" if "derived" in kinds else ("external" if "external" in kinds else "document")


def _point(ax: plt.Axes, x: float, y: float, kind: str, color: str, square: bool = False) -> None:
    st = figures.KIND_STYLE[kind]
    ax.plot([x], [y], ls="none", marker="s" if square else st["marker"], markersize=6.5,
            markerfacecolor=color if kind == "document" else "white", markeredgecolor=color, markeredgewidth=1.4,
            zorder=3)


def fig_paths(run: ElasticityRun) -> dict | None:
    """Log-log path of each outcome against its driver, points labelled by year.

    Only paired years are drawn as path points; where the windows differ, the window
    endpoints are drawn as squares labelled with both years (e.g. "H 2011 / Y 2010").
    """
    sels = run.runs
    if not sels:
        return None
    ncol = min(3, len(sels))
    nrow = math.ceil(len(sels) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.9 * ncol, 3.3 * nrow + 0.9), squeeze=False)
    kinds: set[str] = set()
    for ax, sel in zip(axes.flat, sels):
        p = sel.pairing
        o = {int(y): r for y, r in zip(sel.outcome["year"], sel.outcome.to_dict("records"))}
        d = {int(y): r for y, r in zip(sel.driver["year"], sel.driver.to_dict("records"))}
        years = list(p.paired_years)
        xs = [d[y]["value"] for y in years]
        ys = [o[y]["value"] for y in years]
        if len(years) > 1:
            ax.plot(xs, ys, color="C0", lw=1.2, zorder=2)
        for y, xv, yv in zip(years, xs, ys):
            k = _marker_kind(o[y]["kind"], d[y]["kind"])
            kinds.add(k)
            _point(ax, xv, yv, k, "C0")
            ax.annotate(str(y), (xv, yv), textcoords="offset points", xytext=(5, 4), fontsize=7.5)
        if not p.same_window:
            ends = [(p.outcome_window[0], p.driver_window[0]), (p.outcome_window[1], p.driver_window[1])]
            ex = [d[dy]["value"] for _, dy in ends]
            ey = [o[oy]["value"] for oy, _ in ends]
            ax.plot(ex, ey, color="C1", lw=1.1, ls=":", zorder=2)
            for (oy, dy), xv, yv in zip(ends, ex, ey):
                if oy == dy:
                    continue
                k = _marker_kind(o[oy]["kind"], d[dy]["kind"])
                _point(ax, xv, yv, k, "C1", square=True)
                tags = [f"{w} {r['kind']}" for w, r in (("H", o[oy]), ("Y", d[dy])) if r["kind"] != "document"]
                last = dy == p.driver_window[1]
                ax.annotate(f"H {oy} / Y {dy}" + (f" ({', '.join(tags)})" if tags else ""), (xv, yv),
                            textcoords="offset points", xytext=(-6 if last else 5, -11), fontsize=6.5, color="C1",
                            ha="right" if last else "left")
        allx = xs + ([d[y]["value"] for y in p.driver_window] if not p.same_window else [])
        ally = ys + ([o[y]["value"] for y in p.outcome_window] if not p.same_window else [])
        figures.plain_log_axis(ax, "x", allx)
        figures.plain_log_axis(ax, "y", ally)
        ax.margins(0.25)
        head = headline(run, sel) if not run.table.empty else None
        if head is not None:
            txt = f"{'log arc' if head['variant'] == 'log_arc' else 'window'} elasticity {head['elasticity']:.2f}"
            ax.text(0.97, 0.95, txt, transform=ax.transAxes, ha="right", va="top", fontsize=7.5,
                    bbox={"facecolor": "white", "edgecolor": "0.8", "boxstyle": "round,pad=0.2"})
        ax.set_title(sel.label().replace(" vs ", "\nvs "), fontsize=8.5)
        ax.set_xlabel(f"{SHORT_LABELS.get(sel.spec.driver, sel.spec.driver)}, {_unit(sel.driver_unit)} (log)",
                      fontsize=7.5)
        ax.set_ylabel(f"{SHORT_LABELS.get(sel.spec.outcome, sel.spec.outcome)}, {_unit(sel.outcome_unit)} (log)",
                      fontsize=7.5)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(sels):]:
        ax.set_visible(False)
    from matplotlib.lines import Line2D
    handles = figures.kind_legend_handles(kinds)
    if any(not s.pairing.same_window for s in sels):
        handles.append(Line2D([], [], ls=":", marker="s", color="C1", markerfacecolor="white",
                              label="window endpoints in different years"))
    fig.legend(handles=handles, loc="lower right", fontsize=7.5, ncol=4, bbox_to_anchor=(1, 0.02))
    fig.suptitle("Outcome against driver on log-log axes (slope = elasticity)", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_paths", SOURCE_NOTE + " Only years observed in both series are "
                         "joined; nothing is interpolated.", run.out.figures)
    plt.close(fig)
    return saved


def fig_variants(run: ElasticityRun) -> dict | None:
    """Dot plot of the elasticity variants by run, with the literature band shaded for poverty outcomes."""
    t = run.table[run.table["variant"].isin(list(VARIANT_STYLE)) & run.table["elasticity"].notna()]
    if t.empty:
        return None
    groups = [("Poverty outcomes (headcount elasticities)", [s for s in run.runs if s.is_poverty]),
              ("Standards and payments (ratio of growth rates)", [s for s in run.runs if not s.is_poverty])]
    groups = [(title, g) for title, g in groups if g and not t[t["run"].isin([s.run_id for s in g])].empty]
    heights = [len(g) for _, g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(8.5, 0.55 * sum(heights) + 1.6 * len(groups) + 0.6),
                             squeeze=False, gridspec_kw={"height_ratios": heights})
    used: set[str] = set()
    band_used: set[str] = set()
    for ax, (title, sels) in zip(axes[:, 0], groups):
        sels = sels[::-1]
        for i, sel in enumerate(sels):
            band, key = sel.band, sel.band_key
            if band is not None and key is not None:
                band_used.add(key)
                ax.fill_betweenx([i - 0.42, i + 0.42], band[0], band[1], color="C7" if key == "gdp" else "C4",
                                 alpha=0.18, lw=0, zorder=1)
            rs = t[t["run"] == sel.run_id]
            offsets = {"log_arc": -0.18, "midpoint": -0.06, "window": 0.06, "ols": 0.18}
            if sel.pairing.same_window:
                rs = rs[rs["variant"] != "window"]
            bm = run.benchmark
            if sel.is_rate and not bm.empty:
                mid = run.gini_values[len(run.gini_values) // 2]
                b = bm[(bm["run"] == sel.run_id) & (bm["gini"] == mid)]
                if not b.empty:
                    used.add("benchmark")
                    bv = float(b["benchmark_arc"].iloc[0])
                    ax.plot([bv], [i + 0.3], "x", color="0.2", ms=6, zorder=3)
                    ax.annotate(f"{bv:.2f}", (bv, i + 0.3), textcoords="offset points", xytext=(5, -3), fontsize=6.5,
                                color="0.2")
            for _, r in rs.iterrows():
                mk, color, _ = VARIANT_STYLE[r["variant"]]
                used.add(r["variant"])
                yy = i + offsets[r["variant"]]
                if r["variant"] == "ols":
                    ax.errorbar([r["elasticity"]], [yy], xerr=[[r["elasticity"] - r["ci_low"]],
                                                               [r["ci_high"] - r["elasticity"]]],
                                fmt=mk, color=color, ms=5, capsize=2, zorder=3)
                else:
                    ax.plot([r["elasticity"]], [yy], mk, color=color, ms=6, zorder=3)
                ax.annotate(f"{r['elasticity']:.2f}", (r["elasticity"], yy), textcoords="offset points",
                            xytext=(5, -3), fontsize=6.5, color=color)
        ax.set_yticks(range(len(sels)), [f"{s.label()}\n{s.windows_label()}" for s in sels], fontsize=7)
        ax.set_ylim(-0.6, len(sels) - 0.4)
        ax.axvline(0, color="0.4", lw=0.8)
        if "Standards" in title:
            ax.axvline(1, color="0.4", lw=0.8, ls="--")
            ax.text(1, len(sels) - 0.45, " 1 = grows as fast as the driver", fontsize=7, color="0.3", va="top")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("elasticity (ratio of log changes; window formula: of annualised log changes)", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    handles = [Line2D([], [], ls="none", marker=VARIANT_STYLE[v][0], color=VARIANT_STYLE[v][1],
                      label=VARIANT_STYLE[v][2]) for v in VARIANT_STYLE if v in used]
    if "benchmark" in used:
        handles.append(Line2D([], [], ls="none", marker="x", color="0.2",
                              label="lognormal distribution-neutral arc, Gini "
                                    f"{run.gini_values[len(run.gini_values) // 2]:.2f}"))
    if "income" in band_used:
        handles.append(Patch(color="C4", alpha=0.3, label="literature: vs survey mean income (-2 to -3)"))
    if "gdp" in band_used:
        handles.append(Patch(color="C7", alpha=0.3, label="literature: vs GDP per capita (-1 to -2.3)"))
    fig.legend(handles=handles, loc="lower right", fontsize=7.5, ncol=3, bbox_to_anchor=(1, 0.035))
    fig.suptitle("Elasticity variants by run", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_variants", SOURCE_NOTE + " Bands: Ravallion & Chen 1997; Adams 2004.",
                         run.out.figures)
    plt.close(fig)
    return saved


def fig_semi(run: ElasticityRun) -> dict | None:
    """Horizontal bars of the semi-elasticity (pp per 1% growth) of incidence runs."""
    t = run.table[(run.table["variant"] == "semi") & run.table["elasticity"].notna()].iloc[::-1]
    if t.empty:
        return None
    labels = {s.run_id: f"{s.label().replace(' vs ', chr(10) + 'vs ')}\n{s.windows_label()}" for s in run.runs}
    fig, ax = plt.subplots(figsize=(8.5, 0.8 * len(t) + 1.9))
    vals = t["elasticity"].astype(float).to_numpy()
    colors = ["C1" if "window" in m else "C0" for m in t["method"]]
    ax.barh(range(len(t)), vals, color=colors, height=0.55)
    for i, v in enumerate(vals):
        ax.text(v - 0.01, i, f"{v:.3f}", va="center", ha="right", fontsize=8)
    ax.set_yticks(range(len(t)), [labels[r] for r in t["run"]], fontsize=7.5)
    ax.set_xlim(min(vals.min() * 1.3, -0.1), 0)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("percentage points of incidence per 1% growth of the driver", fontsize=9)
    ax.set_title("Semi-elasticity of poverty incidence")
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="C0", label="same window"),
                       Patch(color="C1", label="different windows (annualised)")], loc="upper left",
              bbox_to_anchor=(0, -0.22), ncol=2, fontsize=8)
    saved = figures.save(fig, f"{run.name}_semi", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def fig_benchmark(run: ElasticityRun) -> dict | None:
    """Lognormal benchmark curves (H vs point elasticity) with the observed incidence arcs overlaid."""
    curve = el.benchmark_curve(run.gini_values)
    fig, ax = plt.subplots(figsize=(7.8, 6.4))
    for i, g in enumerate(run.gini_values):
        c = curve[curve["gini"] == g]
        ax.plot(c["headcount_pct"], c["elasticity"], color=("0.2", "0.45", "0.65", "0.8")[i % 4], lw=1.6,
                ls=("-", "--", "-.", ":")[i % 4], label=f"lognormal benchmark, Gini {g:.2f}")
    mid = run.gini_values[len(run.gini_values) // 2]
    rates = [s for s in run.runs if s.is_rate]
    lows = [-8.5]
    for j, sel in enumerate(rates):
        color = f"C{j % 7}"
        head = headline(run, sel) if not run.table.empty else None
        p = sel.pairing
        h0 = float(_value(sel.outcome, p.outcome_window[0])["value"])
        h1 = float(_value(sel.outcome, p.outcome_window[1])["value"])
        if head is not None:
            e = float(head["elasticity"])
            lows.append(1.1 * e)
            ax.plot([h0, h1], [e, e], color=color, lw=2.2, alpha=0.8,
                    label=f"{sel.label()} {sel.windows_label()}: "
                          f"{'log arc' if head['variant'] == 'log_arc' else 'window'} {e:.2f}")
            for h, y in ((h0, p.outcome_window[0]), (h1, p.outcome_window[1])):
                ax.annotate(str(y), (h, e), textcoords="offset points", xytext=(0, 5), fontsize=7, color=color,
                            ha="center")
        for v, k in zip(sel.outcome["value"], sel.outcome["kind"]):
            be = el.benchmark_elasticity(float(v) / 100.0, mid)
            _point(ax, float(v), be, k, color)
    ax.set_xscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks([0.2, 0.5, 1, 2, 5, 10, 20, 50])
    ax.invert_xaxis()
    ax.set_xlabel("poverty headcount H, % (log scale, falling to the right)")
    ax.set_ylabel("elasticity of H to mean income")
    ax.set_ylim(min(lows), 0)
    ax.set_title("Distribution-neutral benchmark (Bourguignon 2003) and observed arcs")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0, -0.13), ncol=1)
    note = (SOURCE_NOTE + f" Markers on the Gini {mid:.2f} curve: benchmark point elasticity at each observed "
            "incidence; horizontal bars: observed elasticity over the window (its H range).")
    saved = figures.save(fig, f"{run.name}_benchmark", note, run.out.figures)
    plt.close(fig)
    return saved


# --- Narrative ----------------------------------------------------------------------------------------------

def _band_text(sel: Selected, e: float) -> str:
    band = sel.band
    if band is None:
        return ""
    lo, hi, _ = band
    where = "inside" if lo <= e <= hi else ("more negative than" if e < lo else "less negative than")
    concept = "GDP per capita" if sel.band_key == "gdp" else "survey mean income"
    return f" ({where} the literature band {lo:g} to {hi:g} for {concept})"


def narrate(run: ElasticityRun) -> str:
    """One computed bullet per run: windows, formula, value, companions and the literature band."""
    lines = []
    for sel in run.runs:
        p = sel.pairing
        o0 = float(_value(sel.outcome, p.outcome_window[0])["value"])
        o1 = float(_value(sel.outcome, p.outcome_window[1])["value"])
        d0 = float(_value(sel.driver, p.driver_window[0])["value"])
        d1 = float(_value(sel.driver, p.driver_window[1])["value"])
        head = (f"- **{sel.label()}**: {SHORT_LABELS.get(sel.spec.outcome, sel.spec.outcome)} {o0:g} -> {o1:g} "
                f"{sel.outcome_unit} ({p.outcome_window[0]}-{p.outcome_window[1]}), "
                f"{SHORT_LABELS.get(sel.spec.driver, sel.spec.driver)} {d0:g} -> {d1:g} {sel.driver_unit} "
                f"({p.driver_window[0]}-{p.driver_window[1]}). ")
        parts = []
        la, mp, win = _value_of(run, sel, "log_arc"), _value_of(run, sel, "midpoint"), _value_of(run, sel, "window")
        semi, ols = _value_of(run, sel, "semi"), _value_of(run, sel, "ols")
        if p.same_window:
            if la is not None:
                parts.append(f"Log arc elasticity {la:.2f}{_band_text(sel, la)}")
            if mp is not None:
                parts.append(f"midpoint arc {mp:.2f}")
            if la is None and win is not None:
                parts.append(f"window elasticity {win:.2f}{_band_text(sel, win)}")
        else:
            parts.append(f"The windows differ, so only the window-length formula applies: {win:.2f}"
                         f"{_band_text(sel, win)}" if win is not None else "The windows differ")
        if semi is not None:
            parts.append(f"semi-elasticity {semi:.3f} percentage points per 1% growth"
                         + ("" if p.same_window else " (annualised)"))
        if "ols" in run.variants:
            if ols is None:
                parts.append(f"no OLS ({_n_years(len(p.paired_years))}; needs {el.MIN_OLS_POINTS})")
            else:
                r = run.table[(run.table["run"] == sel.run_id) & (run.table["variant"] == "ols")].iloc[0]
                parts.append(f"log-log OLS {ols:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}, "
                             f"{int(r['dof'])} degrees of freedom, descriptive)")
        if not sel.is_poverty and win is not None:
            parts.append(f"the {SHORT_LABELS.get(sel.spec.outcome, sel.spec.outcome)} grew {win:.2f} times as fast "
                         "as the driver (annualised log growth)")
        lines.append(head + "; ".join(parts) + ".")
    if run.skipped:
        lines.append("- Not computed: " + "; ".join(run.skipped) + ".")
    return "\n".join(lines)


def narrate_benchmark(run: ElasticityRun) -> str:
    """The lognormal benchmark beside each observed incidence elasticity."""
    b = run.benchmark
    if b.empty:
        return "No incidence run is selected: the lognormal benchmark applies to a headcount ratio only."
    lines = []
    for rid, g in b.groupby("run", sort=False):
        r0 = g.iloc[len(g) // 2]
        rng = f"{g['benchmark_arc'].min():.2f} to {g['benchmark_arc'].max():.2f}"
        obs = ""
        if pd.notna(r0["observed_elasticity"]):
            e, lo, hi = float(r0["observed_elasticity"]), g["benchmark_arc"].min(), g["benchmark_arc"].max()
            where = ("inside the benchmark range" if lo <= e <= hi else
                     "more negative than the benchmark range: incidence fell faster than distribution-neutral "
                     "growth of this driver would imply" if e < lo else
                     "less negative than the benchmark range: incidence fell more slowly than distribution-neutral "
                     "growth of this driver would imply")
            obs = f" The observed {r0['observed_method'].replace('_', ' ')} elasticity is {e:.2f}, {where}."
        lines.append(
            f"- **{rid}**: H {r0['h_start_pct']:g}% -> {r0['h_end_pct']:g}%. A distribution-neutral (lognormal) fall "
            f"over this range has an arc elasticity of {rng} for Gini {g['gini'].min():.2f}-{g['gini'].max():.2f} "
            f"(point elasticity {r0['benchmark_start']:.2f} at the start and {r0['benchmark_end']:.2f} at the end, "
            f"Gini {r0['gini']:.2f}); it needs mean income to grow by a factor {r0['required_multiple']:.2f}, while "
            f"the driver grew by a factor {r0['observed_driver_multiple']:.2f} ({r0['driver_window']}, nominal).{obs}")
    return "\n".join(lines)


def narrate_caveats(run: ElasticityRun) -> str:
    """Computed caveats: how much the formula matters, what rests on two endpoints, which windows differ."""
    t = run.table
    lines = []
    for sel in run.runs:
        la, mp, semi = (_value_of(run, sel, v) for v in ("log_arc", "midpoint", "semi"))
        h1 = float(_value(sel.outcome, sel.pairing.outcome_window[1])["value"])
        if sel.is_rate and la is not None and mp is not None:
            txt = (f"- **Formula matters** for {sel.label()} ({sel.windows_label()}): log arc {la:.2f} against "
                   f"midpoint {mp:.2f}, a factor {la / mp:.2f}; the log form grows without bound as incidence "
                   f"approaches zero (here it ends at {h1:g}%)")
            if semi is not None:
                txt += f", so the semi-elasticity ({semi:.3f} percentage points per 1% growth) is the robust companion"
            lines.append(txt + ".")
    computed = t[t["elasticity"].notna()]
    endpoints = computed[computed["variant"] != "ols"]
    ols = computed[computed["variant"] == "ols"]
    lines.append(f"- **Two endpoints, no inference**: {len(endpoints)} of the {len(computed)} computed numbers rest on "
                 f"two observations per series; the log-log OLS was estimable for {ols['run'].nunique()} of "
                 f"{len(run.runs)} runs (it needs {el.MIN_OLS_POINTS} paired years)"
                 + (f", with {int(ols['dof'].min())}-{int(ols['dof'].max())} degrees of freedom: its interval and "
                    "p-value are descriptive." if not ols.empty else "."))
    differ = [s for s in run.runs if not s.pairing.same_window]
    if differ:
        lines.append("- **Different windows** (window-length formula, log arc and midpoint not computed): "
                     + "; ".join(f"{s.label()} ({s.windows_label()})" for s in differ) + ".")
    ext = [s for s in run.runs if "values not from the documents" in _kind_note(s)]
    if ext:
        lines.append("- **Values not from the documents** at a window endpoint: "
                     + "; ".join(f"{s.label()} ({_kind_note(s).split(': ', 1)[1]})" for s in ext) + ".")
    return "\n".join(lines)
