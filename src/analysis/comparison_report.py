"""The comparison report: regions, benchmarks and standards side by side.

``notebooks/comparisons.ipynb`` calls these functions. Every number comes from
:mod:`analysis.compare`, which refuses mismatched years and units; a refused
comparison becomes a row of the table with ``status`` ``refused`` (or ``not
observed``) and the reason in ``note``, so the table says what was *not* compared as
plainly as what was. The table is written to ``tables/<run_name>.csv`` with the columns
``metric, region, benchmark, year_or_period, value, benchmark_value, ratio, gap, note``
followed by ``unit, benchmark_unit, gap_unit, status, kinds, section``.

Sections
--------
``poverty``      the selected indicators (default poverty incidence and poor population) of
                 each region against the benchmark at the start and end of each period
``growth``       income and output: CAGR of each series over its own period
``assistance``   social-assistance standards against the national poverty line, against
                 each other, against the payment level and against rural income
``counties``     poverty counties exited out of the total, and shares of national totals
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import figures
from analysis.compare import (ROW_COLUMNS, Comparison, ComparisonError, PeriodChange, Point, annualise_monthly,
                              assistance_to_standard, compare_changes, exit_share, gap, not_compared, period_change,
                              point_at, ratio_to_benchmark, ratios_at_matched_years, relative_change,
                              series_points, share_of_income, standards_ratio, unmatched_changes)
from analysis.growth import index as index_series
from analysis.load import KINDS, UnknownChoice, check_choice, get_series, load_observations
from analysis.outputs import Outputs, outputs
from analysis.params import as_bool, as_list, as_year

DEFAULT_REGIONS: tuple[str, ...] = ("Xiangxi", "Wuling", "Hunan", "Hunan40", "Luoxiao")
"""Regions of the default run (the benchmark is added when it is not among them)."""

DEFAULT_INDICATORS: tuple[str, ...] = ("poverty_incidence", "poor_population")
"""Indicators compared with the benchmark at start and end in the default run."""

DEFAULT_BENCHMARK = "Wuling"
"""The Wuling Mountain Area, the contiguous poor area Xiangxi belongs to."""

GAP_INDICATORS: tuple[str, ...] = ("poverty_incidence", "poor_population", "rural_disposable_income",
                                   "gdp_per_capita", "gdp")
"""Indicators a region can be compared with a benchmark on (valid ``indicator`` values,
restricted to those the benchmark observes)."""

INDEX_INDICATORS: tuple[str, ...] = ("rural_disposable_income", "gdp_per_capita", "gdp")
"""Income and output series drawn as indices and compared by CAGR."""

PERIOD_END = 2019
"""Last year of the income and output series: the documents' statistics end in 2019 (the
external 2020 GDP, a pandemic year, is left out)."""

POVERTY_LINE = ("China", "poverty_line_current_prices")
STANDARDS = ("rural_dibao_standard", "extreme_poverty_support_standard")
MONTHLY_ASSISTANCE = "rural_dibao_monthly_assistance"
INCOME = "rural_disposable_income"

SECTIONS = ("poverty", "growth", "assistance", "counties")
TABLE_COLUMNS = (*ROW_COLUMNS, "section")

OVERLAPS: dict[tuple[str, str], str] = {
    ("Xiangxi", "Wuling"): "Xiangxi's counties are part of the Wuling Mountain Area",
    ("Xiangxi", "Hunan"): "Xiangxi is part of Hunan",
    ("Xiangxi", "Hunan40"): "Xiangxi's counties are among Hunan's 40 key and contiguous-area counties",
    ("Hunan40", "Hunan"): "the 40 counties are part of Hunan",
}
"""Pairs (part, whole) where one area contains the other: their comparison is not of independent areas."""


BASIS_NOTES: dict[str, str] = {
    "poverty_incidence": ("Xiangxi's incidence is on the registered-poor (建档立卡) basis; the Wuling figure's basis is "
                          "not stated (area statistics are usually from the NBS rural household survey), so part of "
                          "any gap may be a difference of measurement"),
    "poor_population": ("regions of different size: the absolute gap measures size, the share remaining measures "
                        "the fall"),
}

SOURCE_NOTE = ("Source: curated from the five policy documents (data/raw); open markers are external "
               "(secondary) values, diamonds derived values. Current prices.")

UNIT_LABELS = figures.UNIT_LABELS
"""English unit labels for figure axes (figure text stays ASCII: no CJK font is assumed)."""

UNIT_SHORT = {"%": "%", "万人": " (10k persons)", "元": " yuan", "元/年": " yuan/yr", "元/月": " yuan/month",
              "亿元": " (100m yuan)", "个": ""}
LABELS = {"poverty_incidence": "poverty incidence", "poor_population": "poor population",
          "rural_disposable_income": "rural income per capita", "gdp_per_capita": "GDP per capita", "gdp": "GDP",
          "rural_dibao_standard": "dibao standard", "extreme_poverty_support_standard": "tekun standard",
          "rural_dibao_monthly_assistance x12": "dibao payment x12", "poverty_line_current_prices": "poverty line"}


def _rl(region: str) -> str:
    return figures.REGION_LABELS.get(region, region)


def _lab(indicator: str) -> str:
    return LABELS.get(indicator, indicator.replace("_", " "))


@dataclass
class ComparisonRun:
    """A validated comparison run: selection, data access and the rows computed so far."""

    regions: list[str]
    indicators: list[str]
    benchmark: str
    base_year: int | None
    include_external: bool
    kinds: tuple[str, ...]
    out: Outputs
    name: str
    obs: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    rows: dict[str, list[Comparison]] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def all_regions(self) -> list[str]:
        """The selected regions with the benchmark (first occurrence order)."""
        return list(dict.fromkeys([*self.regions, self.benchmark]))

    @property
    def compared(self) -> list[str]:
        """The selected regions other than the benchmark."""
        return [r for r in self.regions if r != self.benchmark]

    def points(self, region: str, indicator: str, end: int | None = None) -> list[Point]:
        """Observed points of a series with the run's kinds (empty when there are none)."""
        if not ((self.obs["region"] == region) & (self.obs["indicator"] == indicator)).any():
            return []
        return series_points(get_series(region, indicator, self.kinds, end=end))

    def index_series(self) -> list[list[Point]]:
        """Income and output series of the run's regions with at least two years up to :data:`PERIOD_END`."""
        out = []
        for ind in INDEX_INDICATORS:
            for r in self.all_regions:
                pts = self.points(r, ind, end=PERIOD_END)
                if len(pts) >= 2:
                    out.append(pts)
        return out


def prepare(regions: object = DEFAULT_REGIONS, indicator: object = DEFAULT_INDICATORS, base_year: object = None,
            benchmark: object = DEFAULT_BENCHMARK, include_external: object = True, output_dir: object = None,
            run_name: str = "comparisons") -> ComparisonRun:
    """Validate the notebook parameters.

    Parameters
    ----------
    regions : list of str, str or "default"
        Regions to compare (names as in the data: Xiangxi, Wuling, Hunan, Hunan40, Luoxiao,
        China ...). ``"default"`` gives :data:`DEFAULT_REGIONS`.
    indicator : str, list of str or "default"
        Indicators compared with the benchmark (see :data:`GAP_INDICATORS`).
    base_year : int or None
        Index base year (= 100); None: each series' first observed year. Must be observed
        in at least one income or output series of the selected regions.
    benchmark : str
        The region every other region is compared with (default the Wuling area).
    include_external : bool
        Use external (secondary) values, among them the national poverty line.
    output_dir : str or None
        Output root (default ``reports/``).
    run_name : str
        Stem of the table and figure files.

    Raises
    ------
    analysis.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    ext = as_bool(include_external, "include_external")
    kinds = KINDS if ext else tuple(k for k in KINDS if k != "external")
    obs = load_observations()
    regs = as_list(regions, "regions")
    regs = list(DEFAULT_REGIONS) if regs == ["default"] else regs
    if not regs:
        raise UnknownChoice(f"regions is empty; valid choices: {', '.join(sorted(set(obs['region'])))}")
    for r in regs:
        check_choice("region", r, obs["region"])
    regs = list(dict.fromkeys(regs))
    used = obs[obs["kind"].isin(kinds)]
    bench_ok = used.loc[used["indicator"].isin(GAP_INDICATORS), "region"]
    check_choice(f"benchmark (a region with one of {', '.join(GAP_INDICATORS)})", benchmark, bench_ok)
    inds = as_list(indicator, "indicator")
    inds = list(DEFAULT_INDICATORS) if inds == ["default"] else inds
    if not inds:
        raise UnknownChoice("indicator is empty; valid choices: " + ", ".join(GAP_INDICATORS))
    valid_inds = [i for i in GAP_INDICATORS if ((used["region"] == benchmark) & (used["indicator"] == i)).any()]
    for i in inds:
        check_choice(f"indicator (observed for the benchmark {benchmark})", i, valid_inds)
    if not [r for r in regs if r != benchmark]:
        raise UnknownChoice(f"regions must include a region other than the benchmark {benchmark}; valid choices: "
                            + ", ".join(sorted(set(obs["region"]) - {benchmark})))
    if not isinstance(run_name, str) or not run_name or any(c in run_name for c in "/\\ "):
        raise UnknownChoice(f"run_name={run_name!r} must be a plain file stem (no spaces or slashes)")
    run = ComparisonRun(regs, list(dict.fromkeys(inds)), str(benchmark), None, ext, kinds, outputs(output_dir),
                        run_name, obs)
    base = as_year(base_year, "base_year")
    if base is not None:
        years = sorted({p.year for s in run.index_series() for p in s})
        check_choice("base_year (observed in an income or output series of the selected regions; or None)", base,
                     years)
        run.base_year = base
    return run


def selection(run: ComparisonRun) -> pd.DataFrame:
    """What the run compares: each region's role and which of the selected series it observes."""
    rows = []
    for r in run.all_regions:
        have = {ind: run.points(r, ind) for ind in (*run.indicators, *INDEX_INDICATORS)}
        rows.append({"region": r, "role": "benchmark" if r == run.benchmark else "compared",
                     **{ind: " ".join(str(p.year) for p in pts) or "-" for ind, pts in have.items()}})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------- poverty


def _with_note(c: Comparison, *notes: str) -> Comparison:
    extra = [n for n in notes if n]
    return replace(c, note="; ".join([*extra, c.note] if c.note else extra))


def _overlap(region: str, bench: str) -> str:
    text = OVERLAPS.get((region, bench)) or OVERLAPS.get((bench, region))
    return f"{text}: the areas overlap and are not independent" if text else ""


def _change_note(a: PeriodChange, b: PeriodChange) -> str:
    if a.mode == "rate":
        return (f"{a.start.region} {a.change:+.2f} pp over {a.years} years ({a.change_per_year:+.2f} a year); "
                f"{b.start.region} {b.change:+.2f} pp over {b.years} years ({b.change_per_year:+.2f} a year)")
    if a.mode == "count":
        return (f"{a.start.region} {100 * a.ratio:.1f}% remaining after {a.years} years (log change "
                f"{a.log_change / a.years:+.3f} a year); {b.start.region} {100 * b.ratio:.1f}% after {b.years} years "
                f"({b.log_change / b.years:+.3f} a year)")
    return f"{a.start.region} {a.period}; {b.start.region} {b.period}"


def _append_note(c: Comparison, *notes: str) -> Comparison:
    return replace(c, note="; ".join(n for n in (c.note, *notes) if n))


def _change_rows(a: PeriodChange, b: PeriodChange, metric: str, notes: Sequence[str]) -> Comparison:
    """A change comparison over the same period, or both changes side by side (reason first)."""
    try:
        return _with_note(compare_changes(a, b, metric=metric), _change_note(a, b), *notes)
    except ComparisonError as exc:
        return _append_note(unmatched_changes(a, b, str(exc), metric=metric), _change_note(a, b), *notes)


def poverty_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Each selected indicator of each region against the benchmark: start, end, matched years, change."""
    rows: list[Comparison] = []
    b = run.benchmark
    for ind in run.indicators:
        bp = run.points(b, ind)
        basis = BASIS_NOTES.get(ind, "")
        for r in run.compared:
            rp = run.points(r, ind)
            over = _overlap(r, b)
            if not rp:
                rows.append(not_compared(f"{ind}: gap to benchmark", None, b,
                                         f"{r} has no {ind} in the data (kinds {', '.join(run.kinds)})",
                                         status="not observed", region=r, year_or_period=""))
                continue
            if len(rp) < 2 or len(bp) < 2:
                try:
                    for c in ratios_at_matched_years(rp, bp):
                        y = int(c.year_or_period)
                        c = gap(point_at(rp, y), point_at(bp, y), metric=f"{ind}: gap at matched year")
                        rows.append(_with_note(c, over, basis))
                except ComparisonError as exc:
                    rows.append(not_compared(f"{ind}: gap to benchmark", rp[0], b,
                                             f"{exc}; a start-end comparison needs two observed years on "
                                             f"each side ({r}: {len(rp)}, {b}: {len(bp)})",
                                             year_or_period=" ".join(str(p.year) for p in rp) + " vs "
                                             + " ".join(str(p.year) for p in bp)))
                continue
            pairs = (("start", rp[0], bp[0]), ("end", rp[-1], bp[-1]))
            for label, x, y in pairs:
                c = gap(x, y, allow_different_years=True, metric=f"{ind}: gap at {label} of period")
                where = f"{label} of each document's period" if c.status == "different years" else ""
                rows.append(_append_note(c, where, over, basis))
            used = {(x.year, y.year) for _, x, y in pairs}
            years_b = {p.year for p in bp}
            for x in rp:
                if x.year in years_b and (x.year, x.year) not in used:
                    rows.append(_with_note(gap(x, point_at(bp, x.year), metric=f"{ind}: gap at matched year"),
                                           over, basis))
            rows.append(_change_rows(period_change(rp[0], rp[-1]), period_change(bp[0], bp[-1]),
                                     f"{ind}: change over period", [over]))
        for i, r in enumerate(run.compared):  # other pairs at matched years only
            for r2 in run.compared[i + 1:]:
                rows += _pair_rows(run, ind, r, r2)
    return rows


def _pair_rows(run: ComparisonRun, ind: str, r: str, r2: str) -> list[Comparison]:
    a, b = run.points(r, ind), run.points(r2, ind)
    if not a or not b:
        return []
    over = _overlap(r, r2) or _overlap(r2, r)
    try:
        return [_with_note(gap(point_at(a, int(c.year_or_period)), point_at(b, int(c.year_or_period)),
                               metric=f"{ind}: gap at matched year"), over)
                for c in ratios_at_matched_years(a, b)]
    except ComparisonError as exc:
        years = " ".join(str(p.year) for p in a) + " vs " + " ".join(str(p.year) for p in b)
        return [not_compared(f"{ind}: gap at matched year", a[0], r2, str(exc), region=r, year_or_period=years)]


# --------------------------------------------------------------------------------------- growth


def growth_changes(run: ComparisonRun) -> list[PeriodChange]:
    """CAGR of every income and output series over its own observed period (up to 2019)."""
    return [period_change(s[0], s[-1], "growth") for s in run.index_series()]


def _growth_notes(c: PeriodChange) -> list[str]:
    notes = ["nominal (current prices)"]
    if c.start.indicator == INCOME and c.start.year <= 2012 < c.end.year:
        notes.append("spans the 2013 change from rural net income (纯收入) to disposable income (可支配收入)")
    if c.start.indicator in ("gdp", "gdp_per_capita") and c.start.year < 2019 <= c.end.year:
        notes.append("2019 GDP is on the fourth-census basis (partly a level shift)")
    return notes


def growth_comparisons(run: ComparisonRun) -> list[Comparison]:
    """CAGRs side by side: each series against the benchmark's same indicator (same period only)."""
    rows: list[Comparison] = []
    changes = growth_changes(run)
    by = {(c.start.region, c.start.indicator): c for c in changes}
    for c in changes:
        r, ind = c.start.region, c.start.indicator
        if r == run.benchmark:
            continue
        bc = by.get((run.benchmark, ind))
        if bc is not None:
            rows.append(_change_rows(c, bc, f"{ind}: CAGR", [_overlap(r, run.benchmark), *_growth_notes(c),
                                                             *(["benchmark: " + n for n in _growth_notes(bc)[1:]])]))
        else:
            rows.append(Comparison(f"{ind}: CAGR", r, "", c.period, c.cagr, None, None, None,
                                   "; ".join([f"{run.benchmark} has no {ind} with two observed years: CAGR shown "
                                              "alone", *_growth_notes(c)]), "CAGR (per year)", "", "",
                                   "not observed", f"{c.start.kind}/{c.end.kind}"))
    for r in run.all_regions:
        for ind in INDEX_INDICATORS:
            pts = run.points(r, ind, end=PERIOD_END)
            if len(pts) == 1:
                rows.append(not_compared(f"{ind}: CAGR", pts[0], "",
                                         f"{r} {ind} has one observed year ({pts[0].year}): no growth rate",
                                         status="not observed"))
    for ind in INDEX_INDICATORS:
        for i, r in enumerate(run.compared):
            for r2 in run.compared[i + 1:]:
                rows += _pair_rows(run, ind, r, r2)
    return rows


# --------------------------------------------------------------------------------------- assistance


def _try(rows: list[Comparison], fn, metric: str, a: Point | None, bench: str, *, extra: str = "") -> None:
    try:
        rows.append(_with_note(fn(), extra) if extra else fn())
    except ComparisonError as exc:
        rows.append(not_compared(metric, a, bench, f"{exc}{'; ' + extra if extra else ''}"))


def assistance_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Standards against the poverty line, each other, the payment level and rural income."""
    rows: list[Comparison] = []
    line = run.points(*POVERTY_LINE)
    line_name = " ".join(POVERTY_LINE)
    for r in run.all_regions:
        dibao = run.points(r, "rural_dibao_standard")
        tekun = run.points(r, "extreme_poverty_support_standard")
        monthly = run.points(r, MONTHLY_ASSISTANCE)
        income = run.points(r, INCOME)
        annual = [annualise_monthly(p) for p in monthly]
        if dibao and not line:
            rows.append(not_compared("rural_dibao_standard / poverty_line_current_prices", dibao[0], line_name,
                                     "the national poverty line is an external value, left out with "
                                     "include_external=False", year_or_period=" ".join(str(p.year) for p in dibao)))
        elif dibao:
            after = [p.year for p in line if p.year > max(q.year for q in dibao)]
            for p in dibao:
                extra = ""
                if p.year not in {q.year for q in line} and after:
                    nxt = point_at(line, after[0])
                    approx = "about " if nxt.qualifier == "about" else ""
                    extra = (f"the {nxt.year} line ({approx}{nxt.value:g} 元/年) is a different year and is not "
                             "used")
                _try(rows, lambda p=p: ratio_to_benchmark(p, point_at(line, p.year)),
                     "rural_dibao_standard / poverty_line_current_prices", p, line_name, extra=extra)
            for series in (tekun, annual):
                try:
                    rows += ratios_at_matched_years(series, line)
                except ComparisonError:
                    pass  # 2019 only: stated once, for the dibao standard above
        if income and line:
            try:
                rows += ratios_at_matched_years(income, line)
            except ComparisonError as exc:
                rows.append(not_compared("rural_disposable_income / poverty_line_current_prices", income[0],
                                         line_name, str(exc),
                                         year_or_period=" ".join(str(p.year) for p in income)))
        for p in tekun:
            _try(rows, lambda p=p: standards_ratio(p, point_at(dibao, p.year)),
                 "extreme_poverty_support_standard / rural_dibao_standard", p, f"{r} rural_dibao_standard")
        for p in annual:
            _try(rows, lambda p=p: assistance_to_standard(p, point_at(dibao, p.year)),
                 "rural_dibao_monthly_assistance x12 / rural_dibao_standard", p, f"{r} rural_dibao_standard")
        for p in dibao:
            _try(rows, lambda p=p: share_of_income(p, point_at(income, p.year)),
                 "rural_dibao_standard / rural_disposable_income", p, f"{r} rural_disposable_income",
                 extra="" if income else f"{r} rural income is external, left out" if not run.include_external else "")
        for series in (dibao, tekun, monthly):
            if len(series) >= 2:
                p0, p1 = series[0], series[-1]
                ch = relative_change(p0, p1)
                rows.append(Comparison(f"{p0.indicator}: change", r, f"{r} {p0.year}", f"{p0.year}-{p1.year}",
                                       float(p1.value), float(p0.value), float(p1.value) / float(p0.value),
                                       float(p1.value) - float(p0.value),
                                       f"increase {100 * ch:.1f}% (ratio = end / start); nominal",
                                       p1.unit, p0.unit, p1.unit, "matched", f"{p1.kind}/{p0.kind}"))
        avg = run.points(r, "rural_dibao_standard_avg")
        for p in avg:
            _try(rows, lambda p=p: ratio_to_benchmark(p, point_at(line, p.year)),
                 "rural_dibao_standard_avg / poverty_line_current_prices", p, line_name)
            for r2 in run.all_regions:
                for q in run.points(r2, "rural_dibao_standard"):
                    _try(rows, lambda p=p, q=q: ratio_to_benchmark(q, p, metric="rural_dibao_standard / "
                                                                                "rural_dibao_standard_avg"),
                         "rural_dibao_standard / rural_dibao_standard_avg", q, f"{r} rural_dibao_standard_avg")
    return rows


# --------------------------------------------------------------------------------------- counties


def county_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Poverty counties exited out of the total; exit shares and totals across regions (same year only)."""
    rows: list[Comparison] = []
    shares: list[Point] = []
    regions = list(dict.fromkeys([*run.all_regions, "China"]))
    totals: dict[str, list[Point]] = {}
    for r in regions:
        ex, tot = run.points(r, "poverty_counties_exited"), run.points(r, "poverty_counties_total")
        totals[r] = tot
        if r not in run.all_regions:
            continue  # China's totals are loaded for the shares of national, its rows only when selected
        for p in ex:
            try:
                c = exit_share(p, point_at(tot, p.year))
                rows.append(_with_note(c, f"{int(p.value)} of {int(c.benchmark_value)} exited"))
                shares.append(Point(r, "poverty_counties_exit_share", p.year, 100 * c.ratio, "%", "fraction",
                                    "computed", c.ratio, note="computed: exited / total"))
            except ComparisonError as exc:
                rows.append(not_compared("poverty_counties_exited / poverty_counties_total", p,
                                         f"{r} poverty_counties_total", f"{exc}" if tot else
                                         f"{r} has no total of poverty counties in the data, so the "
                                         f"{int(p.value)} exited cannot be put as a share"))
        if tot and not ex:
            rows.append(not_compared("poverty_counties_exited / poverty_counties_total", tot[0], "",
                                     f"{r} has a total ({int(tot[0].value)}) but no count of counties exited in the "
                                     "data",
                                     status="not observed", year_or_period=str(tot[0].year)))
    for i, a in enumerate(shares):
        for b in shares[i + 1:]:
            _try(rows, lambda a=a, b=b: gap(a, b, metric="poverty_counties_exit_share: gap"),
                 "poverty_counties_exit_share: gap", a, b.region)
    for r in run.all_regions:
        if r != "China" and totals.get(r) and totals.get("China"):
            for p in totals[r]:
                _try(rows, lambda p=p: ratio_to_benchmark(p, point_at(totals["China"], p.year),
                                                          metric="poverty_counties_total: share of national"),
                     "poverty_counties_total: share of national", p, "China",
                     extra="the national total of 832 poverty counties includes the contiguous-area counties")
    return rows


# --------------------------------------------------------------------------------------- table


def build_table(run: ComparisonRun) -> pd.DataFrame:
    """Compute every section, write ``tables/<run_name>.csv`` and return the table."""
    run.rows = {"poverty": poverty_comparisons(run), "growth": growth_comparisons(run),
                "assistance": assistance_comparisons(run), "counties": county_comparisons(run)}
    frames = [pd.DataFrame([{**c.row(), "section": s} for c in rows], columns=list(TABLE_COLUMNS))
              for s, rows in run.rows.items() if rows]
    run.table = (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(TABLE_COLUMNS)))
    run.out.table(run.table, run.name)
    return run.table


def _num(v: object, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    if unit.startswith("CAGR"):
        return f"{100 * v:.2f}%"
    if unit.startswith("share remaining"):
        return f"{100 * v:.1f}%"
    if unit == "%":
        return f"{v:g}%"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


def display_rows(run: ComparisonRun, section: str) -> pd.DataFrame:
    """The rows of one section, formatted for reading (the CSV keeps full precision)."""
    check_choice("section", section, SECTIONS)
    t = run.table[run.table["section"] == section]
    out = pd.DataFrame({
        "metric": t["metric"], "region": t["region"], "benchmark": t["benchmark"],
        "year_or_period": t["year_or_period"],
        "value": [_num(v, u) for v, u in zip(t["value"], t["unit"])],
        "benchmark_value": [_num(v, u) for v, u in zip(t["benchmark_value"], t["benchmark_unit"])],
        "ratio": ["" if pd.isna(v) else f"{v:.3f}" for v in t["ratio"]],
        "gap": ["" if pd.isna(v) else (f"{100 * v:+.2f} pp/yr" if u.startswith("CAGR") else
                                        f"{v:+,.2f} {u}".replace("percentage points", "pp"))
                for v, u in zip(t["gap"], t["gap_unit"])],
        "status": t["status"], "note": t["note"]})
    return out.reset_index(drop=True)


def _rows(run: ComparisonRun, section: str, metric: str | None = None, region: str | None = None,
          status: Sequence[str] | None = None) -> list[Comparison]:
    out = []
    for c in run.rows.get(section, []):
        if metric is not None and c.metric != metric:
            continue
        if region is not None and c.region != region:
            continue
        if status is not None and c.status not in status:
            continue
        out.append(c)
    return out


# --------------------------------------------------------------------------------------- narrative


def _v(p: float, unit: str) -> str:
    return f"{p:g}%" if unit == "%" else f"{p:g} {unit}"


def _fv(p: float, unit: str) -> str:
    """A value with an ASCII unit, for figure text."""
    return f"{p:g}{UNIT_SHORT.get(unit, ' ' + unit.encode('ascii', 'replace').decode())}"


def narrate_poverty(run: ComparisonRun) -> str:
    """Computed sentences on each indicator: start, end, gaps and whether they closed or widened."""
    lines = []
    b = run.benchmark
    for ind in run.indicators:
        bp = run.points(b, ind)
        for r in run.compared:
            rp = run.points(r, ind)
            head = f"- **{_rl(r)} vs {_rl(b)}, {_lab(ind)}.** "
            if not rp:
                lines.append(head + f"{_rl(r)} has no {_lab(ind)} in the data: nothing to compare.")
                continue
            if len(rp) < 2 or len(bp) < 2:
                matched = _rows(run, "poverty", f"{ind}: gap at matched year", r)
                if matched:
                    c = matched[0]
                    lines.append(head + f"The only year observed for both is {c.year_or_period}: "
                                 f"{_v(c.value, c.unit)} vs {_v(c.benchmark_value, c.benchmark_unit)}, gap "
                                 f"{c.gap:+.2f} {c.gap_unit}, ratio {c.ratio:.2f}.")
                else:
                    lines.append(head + f"{_rl(r)} is observed only in {', '.join(str(p.year) for p in rp)} "
                                 f"({', '.join(_v(p.value, p.unit) for p in rp)}), {_rl(b)} in "
                                 f"{', '.join(str(p.year) for p in bp)}: no year in common and no start-end "
                                 "change, so no gap is computed.")
                continue
            s = _rows(run, "poverty", f"{ind}: gap at start of period", r)[0]
            e = _rows(run, "poverty", f"{ind}: gap at end of period", r)[0]
            ch = [c for c in run.rows["poverty"] if c.metric == f"{ind}: change over period" and c.region == r][0]
            gu = "pp" if s.gap_unit == "percentage points" else s.gap_unit
            sy = (", different years: the documents' periods start in different years" if s.status == "different years"
                  else ", same year")
            ey = ", same year" if e.status == "matched" else ", different years"
            txt = (f"Start: {_v(s.value, s.unit)} vs {_v(s.benchmark_value, s.benchmark_unit)} "
                   f"({s.year_or_period}{sy}), gap {s.gap:+.2f} {gu}, ratio {s.ratio:.2f}. "
                   f"End: {_v(e.value, e.unit)} vs {_v(e.benchmark_value, e.benchmark_unit)} ({e.year_or_period}{ey}), "
                   f"gap {e.gap:+.2f} {gu}, ratio {e.ratio:.2f}. ")
            rel0, rel1 = abs(math.log(s.ratio)), abs(math.log(e.ratio))
            if rp[0].base_unit == "fraction":
                txt += (f"The absolute gap {'narrowed' if abs(e.gap) < abs(s.gap) else 'widened'} from "
                        f"{abs(s.gap):.2f} to {abs(e.gap):.2f} {gu}, while the relative gap (|ln ratio|) "
                        f"{'widened' if rel1 > rel0 else 'narrowed'} from {rel0:.2f} to {rel1:.2f}")
                if (s.ratio - 1) * (e.ratio - 1) < 0:
                    txt += (f": {_rl(r)} went from {100 * abs(s.ratio - 1):.0f}% "
                            f"{'above' if s.ratio > 1 else 'below'} the benchmark to {100 * abs(e.ratio - 1):.0f}% "
                            f"{'above' if e.ratio > 1 else 'below'} it")
                txt += ". "
            else:
                txt += (f"The areas differ in size, so the absolute gap measures size; as a ratio, {_rl(r)} had "
                        f"{100 * s.ratio:.1f}% of the benchmark's level at the start and {100 * e.ratio:.1f}% at the "
                        "end. ")
            if ch.status == "different periods":
                txt += (f"Changes are over different periods ({ch.year_or_period}) and are not differenced: "
                        f"{_change_sentence(ch)}.")
            else:
                txt += f"Over the common period {ch.year_or_period}: {_change_sentence(ch)}."
            lines.append(head + txt)
    return "\n".join(lines)


def _change_sentence(ch: Comparison) -> str:
    """The per-region change clauses of a change row's note (written by :func:`_change_note`)."""
    parts = [p for p in ch.note.split("; ") if (" over " in p and " years" in p) or "remaining after" in p
             or " after " in p]
    return "; ".join(parts) or ch.note


def narrate_growth(run: ComparisonRun) -> str:
    """One line per income/output series: CAGR with its period; whether periods differ."""
    changes = growth_changes(run)
    if not changes:
        return "- No income or output series with two observed years for the selected regions."
    lines = []
    for c in changes:
        kinds = sorted({c.start.kind, c.end.kind} - {"document"})
        lines.append(f"- **{_rl(c.start.region)} {_lab(c.start.indicator)}** {c.period}: {c.start.value:g} to "
                     f"{c.end.value:g} {c.start.unit}, CAGR {100 * c.cagr:.2f}% a year (nominal)"
                     + (f"; uses {' and '.join(kinds)} values" if kinds else "") + ".")
    periods = {c.period for c in changes if c.start.indicator == INCOME}
    if len(periods) > 1:
        lines.append(f"- The rural-income periods differ ({', '.join(sorted(periods))}): the CAGRs are shown side "
                     "by side, not differenced.")
    for c in _rows(run, "growth", status=("matched",)):
        if c.metric.endswith("gap at matched year"):
            lines.append(f"- **{_rl(c.region)} vs {_rl(c.benchmark)}, {_lab(c.metric.split(':')[0])}, "
                         f"{c.year_or_period}:** {c.value:g} vs {c.benchmark_value:g} {c.unit}, ratio {c.ratio:.3f} "
                         f"(gap {c.gap:+,.0f} {c.gap_unit}); {c.note}.")
    return "\n".join(lines)


def narrate_assistance(run: ComparisonRun) -> str:
    """Computed sentences on the standards (only the comparisons the data support)."""
    rows = run.rows.get("assistance", [])
    if not rows:
        return "- None of the selected regions has social-assistance standards in the data."
    lines = []
    for c in rows:
        if c.status == "matched" and not c.metric.endswith(": change"):
            a, b = c.metric.split(" / ")
            lines.append(f"- {_rl(c.region)} {c.year_or_period}: {_lab(a)} / {_lab(b)} = {c.value:g} / "
                         f"{c.benchmark_value:g} = **{c.ratio:.3f}**.")
        elif c.metric.endswith(": change"):
            lines.append(f"- {_rl(c.region)} {_lab(c.metric.split(':')[0])} {c.year_or_period}: {c.benchmark_value:g} "
                         f"to {c.value:g} {c.unit}, {c.note.split(';')[0]}.")
        else:
            lines.append(f"- Not computed ({c.metric}, {c.year_or_period}): {c.note}.")
    return "\n".join(lines)


def narrate_counties(run: ComparisonRun) -> str:
    """Computed sentences on counties exited."""
    rows = run.rows.get("counties", [])
    if not rows:
        return "- No county counts for the selected regions."
    lines = []
    for c in rows:
        if c.status == "matched" and c.metric.startswith("poverty_counties_exited"):
            lines.append(f"- {_rl(c.region)} ({c.year_or_period}): {c.value:g} of {c.benchmark_value:g} poverty "
                         f"counties exited, **{100 * c.ratio:.1f}%**.")
        elif c.status == "matched":
            lines.append(f"- {_rl(c.region)} vs {_rl(c.benchmark)} ({c.year_or_period}, {c.metric}): "
                         f"{c.value:g} / {c.benchmark_value:g} = {c.ratio:.4f}.")
        else:
            lines.append(f"- Not computed ({c.metric}, {_rl(c.region)}, {c.year_or_period}): {c.note}.")
    return "\n".join(lines)


STATIC_LIMITS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((), "**Real comparisons.** Every income, output and standard is in current prices; no deflator is in the data, "
         "so no comparison here is in real terms, and a nominal CAGR is never set against an official real growth "
         "rate."),
    (("Xiangxi", "Wuling"), "**A common poverty period for Xiangxi and the Wuling area.** Xiangxi's incidence and "
                            "poor population run 2013-2019, the Wuling area's 2011-2019; without interpolation there "
                            "is no common start year, so only the 2019 gap is a same-year gap."),
    (("Hunan",), "**Hunan's trajectory.** Hunan's incidence is observed only in 2015 (8.2%); the stated fall of "
                 "\"3个多百分点\" since 2013 gives no 2013 level to compare."),
    (("Luoxiao",), "**Luoxiao poverty.** The data give no poverty incidence or poor population for the Luoxiao area, "
                   "only counties."),
    (("Xiangxi",), "**Independent areas.** Xiangxi lies inside the Wuling area, Hunan and the 40 key counties: where "
                   "one of them is the benchmark, region and benchmark overlap and the gap understates the difference "
                   "to the rest of the benchmark area."),
    (("Xiangxi",), "**Whether the 2019 dibao standard met the poverty line (两线合一).** The line in current prices is "
                   "in the data for 2011-2016 and about 4000 元 for 2020 (approximate, external); there is no 2019 "
                   "line and nothing is interpolated."),
    (("Xiangxi",), "**Adequacy of assistance.** Assistance per recipient divided by the standard is the average "
                   "top-up, not the share of need met; recipients' own incomes are not in the data."),
)
"""Limits stated whenever the regions they concern are in the run (``()``: always)."""


def cannot_support(run: ComparisonRun) -> str:
    """Markdown list of the comparisons the data cannot support (fixed items and refused rows)."""
    lines = [f"- {text}" for need, text in STATIC_LIMITS if set(need) <= set(run.all_regions)]
    seen = set()
    for s in SECTIONS:
        for c in run.rows.get(s, []):
            if c.status in ("refused", "not observed", "different periods"):
                key = (c.metric, c.region, c.year_or_period)
                if key in seen:
                    continue
                seen.add(key)
                where = f"{_rl(c.region)}{', ' + c.year_or_period if c.year_or_period else ''}"
                if c.status == "different periods":
                    lines.append(f"- *{c.metric}* ({_rl(c.region)} vs {_rl(c.benchmark)}, {c.year_or_period}): "
                                 "periods differ, so the two are shown side by side and not differenced.")
                else:
                    lines.append(f"- *{c.metric}* ({where}; {c.status}): {c.note.removeprefix('refused: ')}.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- figures


def _spread(values: list[float], min_gap: float) -> list[float]:
    """Label positions at least ``min_gap`` apart, in the order of ``values``."""
    order = np.argsort(values, kind="stable")
    pos = [float(v) for v in values]
    for k in range(1, len(order)):
        i, j = order[k], order[k - 1]
        if pos[i] - pos[j] < min_gap:
            pos[i] = pos[j] + min_gap
    return pos


def fig_slope(run: ComparisonRun, indicator: str) -> dict | None:
    """Slope chart of an indicator from the start to the end of each region's period.

    Left panel: linear scale (vertical distance = absolute gap). Right: log scale (vertical
    distance = ratio, the relative gap). Regions with one observed year are left out.
    """
    series = [(r, run.points(r, indicator)) for r in run.all_regions]
    series = [(r, p) for r, p in series if len(p) >= 2]
    if not series:
        return None
    unit = series[0][1][0].unit
    lo = min(p.value for _, pts in series for p in (pts[0], pts[-1]))
    hi = max(p.value for _, pts in series for p in (pts[0], pts[-1]))
    gaps = {lab: c for lab in ("start", "end") for c in _rows(run, "poverty")
            if c.metric == f"{indicator}: gap at {lab} of period"}
    gu = lambda c: " pp" if c.gap_unit == "percentage points" else UNIT_SHORT.get(c.gap_unit, "")  # noqa: E731
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.9))
    for ax, log in zip(axes, (False, True)):
        tr = np.log10 if log else (lambda v: v)
        inv = (lambda v: 10 ** v) if log else (lambda v: v)
        span = (tr(hi) - tr(lo)) or 1.0
        labels: dict[int, list] = {0: [], 1: []}
        for i, (r, pts) in enumerate(series):
            p0, p1 = pts[0], pts[-1]
            bench = r == run.benchmark
            color = "0.25" if bench else f"C{i}"
            ax.plot([0, 1], [p0.value, p1.value], color=color, lw=2.2 if bench else 1.6, zorder=2,
                    label=_rl(r) + (" (benchmark)" if bench else "") + f", {p0.year}-{p1.year}")
            for x, p in ((0, p0), (1, p1)):
                ax.plot([x], [p.value], ls="none", marker="D" if p.kind == "derived" else "o", markersize=7,
                        markerfacecolor=color if p.kind == "document" else "white", markeredgecolor=color,
                        markeredgewidth=1.5, zorder=3)
                labels[x].append((p, color))
        for x, group in labels.items():
            pos = _spread([tr(p.value) for p, _ in group], 0.07 * span)
            for (p, color), y in zip(group, pos):
                ax.text(x + (-0.06 if x == 0 else 0.06), inv(y), f"{p.year}: {_fv(p.value, unit)}",
                        ha="right" if x == 0 else "left", va="center", fontsize=7.5, color=color)
        ax.set_xticks([0, 1], ["start of period", "end of period"])
        ax.set_xlim(-0.75, 1.75)
        if log:
            figures.plain_log_axis(ax)
            ax.set_ylim(lo / 1.6, hi * 1.5)
        else:
            ax.set_ylim(0, hi * 1.15)
        ax.set_ylabel(f"{_lab(indicator)}, {UNIT_LABELS.get(unit, unit)}" + (" (log scale)" if log else ""),
                      fontsize=8)
        ax.set_title("vertical distance = absolute gap" if not log else "vertical distance = relative gap (log)",
                     fontsize=9)
        ax.grid(axis="x", visible=False)
        if gaps:
            ax.set_xlabel("\n".join(
                f"{lab} ({c.year_or_period}): " + (f"gap {c.gap:+.2f}{gu(c)}" if not log else f"ratio {c.ratio:.2f}")
                for lab, c in gaps.items()), fontsize=8)
    axes[1].legend(fontsize=7.5, loc="lower left")
    who = next((c for c in gaps.values()), None)
    fig.suptitle(f"{_lab(indicator).capitalize()}: start and end of each period"
                 + (f" ({_rl(who.region)} vs {_rl(who.benchmark)})" if who else ""), fontweight="bold")
    note = SOURCE_NOTE + " Periods differ by region; years are labelled."
    saved = figures.save(fig, f"{run.name}_slope_{indicator}", note, run.out.figures)
    plt.close(fig)
    return saved


def fig_index(run: ComparisonRun) -> dict | None:
    """Index lines (base year = 100) across regions and the CAGR of each series, side by side."""
    series = run.index_series()
    changes = growth_changes(run)
    if not series:
        return None
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.8), gridspec_kw={"width_ratios": [1.35, 1]})
    kinds: set[str] = set()
    drawn = 0
    for i, pts in enumerate(series):
        base = run.base_year if run.base_year is not None else pts[0].year
        if base not in [p.year for p in pts]:
            continue
        df = pd.DataFrame({"year": [p.year for p in pts], "value": [p.value for p in pts],
                           "kind": [p.kind for p in pts]})
        ix = index_series(df, base).merge(df[["year", "kind"]], on="year")
        kinds |= set(ix["kind"])
        figures.plot_points(ax, ix.assign(value=ix["index"]), f"C{i}",
                            label=f"{_rl(pts[0].region)} {_lab(pts[0].indicator)} ({base}=100)")
        drawn += 1
    ax.axhline(100, color="0.5", lw=0.8)
    ax.set_ylabel("index (base year = 100), nominal")
    years = [p.year for pts in series for p in pts]
    figures.year_axis(ax, range(min(years), max(years) + 1))
    ax.tick_params(axis="x", labelsize=7, rotation=45)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("Index lines" + (f" (base {run.base_year})" if run.base_year else " (each series' first year = 100)"),
                 fontsize=10)
    labels = [f"{_rl(c.start.region)} {_lab(c.start.indicator)}, {c.period}" for c in changes][::-1]
    vals = [100 * c.cagr for c in changes][::-1]
    colors = ["C1" if {c.start.kind, c.end.kind} - {"document"} else "C0" for c in changes][::-1]
    bx.barh(range(len(vals)), vals, color=colors)
    for i, v in enumerate(vals):
        bx.text(v + 0.2, i, f"{v:.1f}%", va="center", fontsize=8)
    bx.set_yticks(range(len(vals)), labels, fontsize=8)
    bx.set_xlim(0, max(vals) * 1.9)
    bx.set_xlabel("CAGR, % per year (nominal)")
    periods = {c.period for c in changes}
    bx.set_title("CAGR, each over its own period" + ("\n(periods differ)" if len(periods) > 1 else ""),
                 fontsize=10)
    from matplotlib.patches import Patch
    bx.legend(handles=[Patch(color="C0", label="document values"),
                       Patch(color="C1", label="uses external or derived values")], fontsize=7, loc="lower right")
    fig.legend(handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=7, ncol=3,
               bbox_to_anchor=(1, 0.03))
    fig.suptitle("Income and output: growth since each base year, and CAGR", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_index", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def index_left_out(run: ComparisonRun) -> list[str]:
    """Series not drawn on the index chart because they do not observe ``base_year``."""
    if run.base_year is None:
        return []
    return [f"{pts[0].region} {pts[0].indicator} ({', '.join(str(p.year) for p in pts)})"
            for pts in run.index_series() if run.base_year not in [p.year for p in pts]]


RATIO_SERIES = ("rural_disposable_income", "rural_dibao_standard", "extreme_poverty_support_standard",
                "rural_dibao_monthly_assistance x12")


def fig_ratio(run: ComparisonRun) -> dict | None:
    """Ratio of incomes and standards to the national poverty line at matched years, with a 1.0 line."""
    rows = [c for c in run.rows.get("assistance", []) if c.status == "matched"
            and c.benchmark == " ".join(POVERTY_LINE)]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8.0, 4.6))
    groups: dict[tuple[str, str], list[Comparison]] = {}
    for c in rows:
        groups.setdefault((c.region, c.metric.split(" / ")[0]), []).append(c)
    for i, ((r, ind), cs) in enumerate(groups.items()):
        yrs = [int(c.year_or_period) for c in cs]
        vals = [c.ratio for c in cs]
        color = f"C{i}"
        ax.plot(yrs, vals, color=color, lw=1.3, ls=":" if len(yrs) > 1 else "none", marker="o", markersize=6,
                markerfacecolor="white" if any("external" in c.kinds.split("/")[0] for c in cs) else color,
                markeredgecolor=color, label=f"{_rl(r)} {_lab(ind)} / poverty line")
        ax.text(yrs[-1] + 0.15, vals[-1], f"{vals[-1]:.2f}", fontsize=7.5, color=color, va="center")
    ax.axhline(1.0, color="0.15", lw=1.2, ls="--", label="= poverty line (ratio 1.0)")
    line_years = [p.year for p in run.points(*POVERTY_LINE)]
    if line_years:
        missing = [y for y in range(min(line_years), max(line_years) + 1) if y not in line_years]
        if missing:
            ax.axvspan(min(missing) - 0.5, max(missing) + 0.5, color="0.9", zorder=0,
                       label=f"no poverty line in the data ({min(missing)}-{max(missing)})")
    figures.year_axis(ax, range(min(line_years + [2014]), max(line_years + [2019]) + 1))
    ax.set_ylim(0, max(c.ratio for c in rows) * 1.15)
    ax.set_ylabel("ratio to the national poverty line (current prices)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right", facecolor="white", frameon=True)
    ax.set_title("Ratio to the national poverty line (matched years only)")
    saved = figures.save(fig, f"{run.name}_ratio_to_poverty_line", SOURCE_NOTE + " Poverty line: external values.",
                         run.out.figures)
    plt.close(fig)
    return saved


STANDARD_RATIOS = (
    ("extreme_poverty_support_standard / rural_dibao_standard", "tekun standard / dibao standard"),
    ("rural_dibao_monthly_assistance x12 / rural_dibao_standard", "dibao payment x12 / dibao standard"),
    ("rural_dibao_standard / rural_disposable_income", "dibao standard / rural income"),
    ("rural_dibao_standard / poverty_line_current_prices", "dibao standard / poverty line"),
)


def fig_standards(run: ComparisonRun) -> dict | None:
    """Grouped bars of the standards ratios by year, with the ones the data cannot give marked."""
    rows = run.rows.get("assistance", [])
    metrics = [(m, lab) for m, lab in STANDARD_RATIOS if any(c.metric == m for c in rows)]
    if not metrics:
        return None
    years = sorted({int(c.year_or_period) for c in rows if c.metric in dict(metrics) and c.year_or_period.isdigit()})
    fig, ax = plt.subplots(figsize=(8.0, 4.4))
    width = 0.8 / max(len(years), 1)
    for j, y in enumerate(years):
        for i, (m, lab) in enumerate(metrics):
            x = i + (j - (len(years) - 1) / 2) * width
            c = next((c for c in rows if c.metric == m and c.year_or_period == str(y)), None)
            if c is not None and c.ratio is not None and not pd.isna(c.ratio):
                ax.bar(x, c.ratio, width * 0.92, color=f"C{j}", label=str(y) if i == 0 else None)
                ax.text(x, c.ratio + 0.02, f"{c.ratio:.3f}", ha="center", fontsize=7.5)
            else:
                ax.bar(x, 0.02, width * 0.92, color="white", edgecolor=f"C{j}", hatch="//",
                       label=str(y) if i == 0 else None)
                ax.text(x, 0.06, "not in\nthe data", ha="center", fontsize=6.5, color="0.3")
    ax.axhline(1.0, color="C3", lw=1.0, ls="--")
    ax.set_xticks(range(len(metrics)), [lab.replace(" / ", "\n/ ") for _, lab in metrics], fontsize=8)
    ax.set_ylabel("ratio")
    ax.set_ylim(0, 1.6)
    ax.legend(fontsize=8, loc="upper right", title="year", title_fontsize=8)
    regions = dict.fromkeys(c.region for c in rows if c.metric in dict(metrics))
    ax.set_title(f"{', '.join(_rl(r) for r in regions)}: social-assistance ratios")
    saved = figures.save(fig, f"{run.name}_standards", SOURCE_NOTE + " Hatched: a side of the ratio is not observed "
                         "that year (no interpolation).", run.out.figures)
    plt.close(fig)
    return saved


def fig_counties(run: ComparisonRun) -> dict | None:
    """Bars of the share of poverty counties exited, with counts; regions without a total labelled."""
    rows = run.rows.get("counties", [])
    items = [c for c in rows if c.metric == "poverty_counties_exited / poverty_counties_total"]
    if not items:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 0.6 * len(items) + 1.6))
    for i, c in enumerate(items[::-1]):
        if c.status == "matched":
            ax.barh(i, 100, color="0.88")
            ax.barh(i, 100 * c.ratio, color="C2")
            ax.text(101, i, f"{c.value:g} of {c.benchmark_value:g} ({100 * c.ratio:.1f}%), {c.year_or_period}",
                    va="center", fontsize=8)
        elif c.status == "not observed":
            ax.text(1, i, f"{c.value:g} poverty counties in total ({c.year_or_period}); number exited not in the data",
                    va="center", fontsize=8)
        else:
            ax.text(1, i, f"{c.value:g} exited ({c.year_or_period}); total not in the data", va="center", fontsize=8)
    ax.set_yticks(range(len(items)), [_rl(c.region) for c in items[::-1]], fontsize=9)
    ax.set_xlim(0, 150)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("poverty counties exited, % of the area's poverty counties")
    ax.set_title("Poverty counties exited")
    years = sorted({c.year_or_period for c in items})
    note = SOURCE_NOTE + (f" Years differ ({', '.join(years)}): not a ranking." if len(years) > 1 else "")
    saved = figures.save(fig, f"{run.name}_counties", note, run.out.figures)
    plt.close(fig)
    return saved
