"""The comparison report: regions, benchmarks and standards side by side.

``notebooks/comparisons.ipynb`` calls these functions. Every number comes from
:mod:`analysis.metrics.compare`, which refuses mismatched years and units; a refused
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

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.load import (
    VINTAGE_CHOICES,
    UnknownChoice,
    check_choice,
    get_series,
    load_observations,
    single_vintage,
)
from analysis.metrics.compare import (
    ROW_COLUMNS,
    Comparison,
    Point,
    series_points,
)
from analysis.reports import comparison_province as prov
from analysis.reports import figures
from analysis.reports.outputs import Outputs
from analysis.reports.params import as_choice, as_list, as_year, run_base

DEFAULT_REGIONS: tuple[str, ...] = ("Xiangxi", "Wuling", "Hunan", "Hunan40", "Luoxiao")
"""Regions of the default run (the benchmark is added when it is not among them)."""

DEFAULT_INDICATORS: tuple[str, ...] = ("poverty_incidence", "poor_population")
"""Indicators compared with the benchmark at start and end in the default run."""

DEFAULT_BENCHMARK = "Wuling"
"""The Wuling Mountain Area, the contiguous poor area Xiangxi belongs to."""

GAP_INDICATORS: tuple[str, ...] = (
    "poverty_incidence",
    "poor_population",
    "rural_disposable_income",
    "gdp_per_capita",
    "gdp",
)
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

EQUIVALENTS: dict[tuple[str, str], str] = {("China", "poor_population"): "rural_poor_population"}
"""Where a benchmark has no series of an indicator but one that stands for it: China's rural poor under
the 2,300-yuan line (NBS survey) for the regions' registered poor population (two measurement systems;
the rows keep the benchmark's own indicator name and say so)."""


def series_indicator(obs: pd.DataFrame, region: str, indicator: str) -> str:
    """The indicator that stands for ``indicator`` in ``region`` (itself unless :data:`EQUIVALENTS` applies)."""
    alt = EQUIVALENTS.get((region, indicator))
    if alt and not ((obs["region"] == region) & (obs["indicator"] == indicator)).any():
        return alt
    return indicator


SECTIONS = ("poverty", "growth", "assistance", "counties", "national", prov.SECTION)
TABLE_COLUMNS = (*ROW_COLUMNS, "section", "external_used")
"""``external_used``: whether an external (secondary) value entered the row (``kinds`` says which side)."""

OVERLAPS: dict[tuple[str, str], str] = {
    ("Xiangxi", "Wuling"): "Xiangxi's counties are part of the Wuling Mountain Area",
    ("Xiangxi", "Hunan"): "Xiangxi is part of Hunan",
    ("Xiangxi", "Hunan40"): "Xiangxi's counties are among Hunan's 40 key and contiguous-area counties",
    ("Hunan40", "Hunan"): "the 40 counties are part of Hunan",
}
"""Pairs (part, whole) where one area contains the other: their comparison is not of independent areas."""


BASIS_NOTES: dict[str, str] = {
    "poverty_incidence": (
        "Xiangxi's incidence is on the registered-poor (建档立卡) basis; the Wuling figure's basis is "
        "not stated (area statistics are usually from the NBS rural household survey), so part of "
        "any gap may be a difference of measurement"
    ),
    "poor_population": (
        "regions of different size: the absolute gap measures size, the share remaining measures the fall"
    ),
}

BENCHMARK_BASIS_NOTES: dict[tuple[str, str], str] = {
    ("poverty_incidence", "China"): (
        "two measurement systems: the regions' incidence is registered-poor (建档立卡) or unstated, China's the NBS "
        "rural poverty monitoring survey (2011 alone: the poverty office's count); within-system changes side by "
        "side, no level gap or ratio"
    ),
    ("poor_population", "China"): (
        "two measurement systems: registered poor (建档立卡) in the regions, the NBS survey estimate for China "
        "(2011 alone: the poverty office's count)"
    ),
}
"""Basis notes that depend on the benchmark (they replace :data:`BASIS_NOTES` for that pair)."""

SOURCE_NOTE = (
    "Source: curated from the five policy documents (data/raw); open markers are external "
    "(secondary) values, diamonds derived values. Current prices."
)

UNIT_LABELS = figures.UNIT_LABELS
"""English unit labels for figure axes (figure text stays ASCII: no CJK font is assumed)."""

UNIT_SHORT = {
    "%": "%",
    "万人": " (10k persons)",
    "元": " yuan",
    "元/年": " yuan/yr",
    "元/月": " yuan/month",
    "亿元": " (100m yuan)",
    "个": "",
}
LABELS = {
    "poverty_incidence": "poverty incidence",
    "poor_population": "poor population",
    "rural_disposable_income": "rural income per capita",
    "gdp_per_capita": "GDP per capita",
    "gdp": "GDP",
    "rural_dibao_standard": "dibao standard",
    "extreme_poverty_support_standard": "tekun standard",
    "rural_dibao_monthly_assistance x12": "dibao payment x12",
    "poverty_line_current_prices": "poverty line",
}


def region_label(region: str) -> str:
    return figures.REGION_LABELS.get(region, region)


def indicator_label(indicator: str) -> str:
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
    province: prov.ProvinceSpec | None = None
    vintage: str = "single"
    """``single``: a series with revised-back alternatives (China's GDP) on one vintage
    (:func:`analysis.data.load.single_vintage`); ``published``: the preferred rows (mixed vintages)."""

    @property
    def all_regions(self) -> list[str]:
        """The selected regions with the benchmark (first occurrence order)."""
        return list(dict.fromkeys([*self.regions, self.benchmark]))

    @property
    def compared(self) -> list[str]:
        """The selected regions other than the benchmark."""
        return [r for r in self.regions if r != self.benchmark]

    def points(self, region: str, indicator: str, end: int | None = None) -> list[Point]:
        """Observed points of a series with the run's kinds (empty when there are none).

        China's rural poor population stands for the poor population (:data:`EQUIVALENTS`).
        """
        indicator = series_indicator(self.obs, region, indicator)
        if not ((self.obs["region"] == region) & (self.obs["indicator"] == indicator)).any():
            return []
        if self.vintage == "single":
            return series_points(single_vintage(region, indicator, self.kinds, end=end)[0])
        return series_points(get_series(region, indicator, self.kinds, end=end))

    def single_vintage_note(self, region: str, indicator: str) -> str:
        """The label of a series read on one vintage (empty when the run reads it as published)."""
        if self.vintage != "single":
            return ""
        s, ids = single_vintage(region, indicator, self.kinds, end=PERIOD_END)
        if not ids:
            return ""
        low = [str(int(y)) for y, o, c in zip(s["year"], s["obs_id"], s["confidence"], strict=True) if c == "low"]
        return (
            f"{region}: single-vintage series (revised back after the "
            f"{s['basis'].str.extract(r'after the ([a-z ]+census)', expand=False).dropna().iloc[0]}; "
            f"vintage=published gives the mixed first releases){'; low-confidence values ' + ' '.join(low) if low else ''}"
        )

    def index_series(self) -> list[list[Point]]:
        """Income and output series of the run's regions with at least two years up to :data:`PERIOD_END`."""
        out = []
        for ind in INDEX_INDICATORS:
            for r in self.all_regions:
                pts = self.points(r, ind, end=PERIOD_END)
                if len(pts) >= 2:
                    out.append(pts)
        return out


def prepare(
    regions: object = DEFAULT_REGIONS,
    indicator: object = DEFAULT_INDICATORS,
    base_year: object = None,
    benchmark: object = DEFAULT_BENCHMARK,
    include_external: object = True,
    output_dir: object = None,
    run_name: str = "comparisons",
    province: object = None,
    province_regions: object = (),
    province_indicators: object = (),
    province_windows: object = (),
    vintage: object = "single",
) -> ComparisonRun:
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
        Output root; default: the build's folder under ``make report``, else
        ``build/interactive/<run_name>/`` (see :mod:`analysis.reports.outputs`).
    run_name : str
        Stem of the table and figure files.
    province, province_regions, province_indicators, province_windows
        The provincial benchmark (section ``province``): the province, the regions inside it set
        against it, the indicators and the CAGR windows (see :func:`analysis.reports.comparison_province.prepare_province`);
        ``province=None`` leaves the section out.
    vintage : str
        One of :data:`analysis.data.load.VINTAGE_CHOICES`: ``single`` (default) reads China's GDP on
        the fourth-census basis throughout, ``published`` the preferred rows (mixed vintages).

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    ext, kinds = shared.include_external, shared.kinds
    vintage_choice = as_choice(vintage, "vintage", VINTAGE_CHOICES)
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
    valid_inds = [
        i
        for i in GAP_INDICATORS
        if ((used["region"] == benchmark) & (used["indicator"] == series_indicator(obs, str(benchmark), i))).any()
    ]
    for i in inds:
        check_choice(f"indicator (observed for the benchmark {benchmark})", i, valid_inds)
    if not [r for r in regs if r != benchmark]:
        raise UnknownChoice(
            f"regions must include a region other than the benchmark {benchmark}; valid choices: "
            + ", ".join(sorted(set(obs["region"]) - {benchmark}))
        )
    run = ComparisonRun(
        regs, list(dict.fromkeys(inds)), str(benchmark), None, ext, kinds, shared.outputs(), shared.run_name, obs
    )
    run.vintage = vintage_choice
    run.province = prov.prepare_province(province, province_regions, province_indicators, province_windows, kinds, obs)
    base = as_year(base_year, "base_year")
    if base is not None:
        years = sorted({p.year for s in run.index_series() for p in s})
        check_choice("base_year (observed in an income or output series of the selected regions; or None)", base, years)
        run.base_year = base
    return run


def selection(run: ComparisonRun) -> pd.DataFrame:
    """What the run compares: each region's role and which of the selected series it observes."""
    rows = []
    for r in run.all_regions:
        have = {ind: run.points(r, ind) for ind in (*run.indicators, *INDEX_INDICATORS)}
        rows.append(
            {
                "region": r,
                "role": "benchmark" if r == run.benchmark else "compared",
                **{ind: " ".join(str(p.year) for p in pts) or "-" for ind, pts in have.items()},
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------- poverty


# --------------------------------------------------------------------------------------- growth


# --------------------------------------------------------------------------------------- assistance


# --------------------------------------------------------------------------------------- counties


# --------------------------------------------------------------------------------------- table


def build_table(run: ComparisonRun) -> pd.DataFrame:
    """Compute every section, write ``tables/<run_name>.csv`` and return the table."""
    # The sections module builds on ComparisonRun and the constants above, hence imported here.
    from analysis.reports import comparison_national as nat
    from analysis.reports import comparison_sections as sec

    run.rows = {
        "poverty": sec.poverty_comparisons(run),
        "growth": sec.growth_comparisons(run),
        "assistance": sec.assistance_comparisons(run),
        "counties": sec.county_comparisons(run),
        "national": nat.national_comparisons(run),
        prov.SECTION: prov.province_comparisons(run.province, run.obs),
    }
    frames = [
        pd.DataFrame([{**c.row(), "section": s} for c in rows], columns=list(TABLE_COLUMNS))
        for s, rows in run.rows.items()
        if rows
    ]
    run.table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(TABLE_COLUMNS))
    run.table["external_used"] = run.table["kinds"].fillna("").str.contains("external")
    run.out.table(run.table, run.name)
    from analysis.reports.comparison_text import display_rows  # the text module builds on this one

    shown = [display_rows(run, s).assign(section=s) for s in SECTIONS if (run.table["section"] == s).any()]
    if shown:
        basis = "document and external values" if run.include_external else "document values only"
        run.out.latex(
            pd.concat(shown, ignore_index=True)[["section", *shown[0].columns[:-1]]],
            run.name,
            f"Regions, benchmarks and standards compared: gaps and ratios at matched years ({basis}).",
        )
    return run.table


# --------------------------------------------------------------------------------------- narrative


def _observed(run: ComparisonRun, region: str, indicator: str) -> str:
    """``in 2015 (8.2%, document) and 2019 (0.36%, external)``: a series' observed years with the run's kinds."""
    pts = run.points(region, indicator)
    if not pts:
        return "in no year"
    return "in " + " and ".join(f"{p.year} ({p.value:g}{'' if p.unit == '%' else ' '}{p.unit}, {p.kind})" for p in pts)


def _years(run: ComparisonRun, region: str, indicator: str) -> list[int]:
    return [p.year for p in run.points(region, indicator)]


def _common_poverty_period(run: ComparisonRun) -> str:
    x, w = _years(run, "Xiangxi", "poverty_incidence"), _years(run, "Wuling", "poverty_incidence")
    common = sorted(set(x) & set(w))

    def span(ys: list[int]) -> str:
        return f"{min(ys)}-{max(ys)}" if ys else "no year"

    if len(common) >= 2:
        same = f"the same-year gaps of {', '.join(map(str, common))} measure the gap's change from {common[0]}"
    elif common:
        same = f"only the {common[0]} gap is a same-year gap, so the gap's change is not measured"
    else:
        same = "there is no same-year gap"
    return (
        "**A common poverty period for Xiangxi and the Wuling area.** Xiangxi's incidence is observed "
        f"{len(x)} times in {span(x)}, the Wuling area's {len(w)} times in {span(w)}; without interpolation "
        f"{same}."
    )


def _hunan_trajectory(run: ComparisonRun) -> str:
    years = _years(run, "Hunan", "poverty_incidence")
    return (
        f"**Hunan's trajectory.** Hunan's incidence is observed {_observed(run, 'Hunan', 'poverty_incidence')}"
        + ("" if len(years) > 1 else ": a single year, so no trend")
        + '; the stated fall of "3个多百分点" since 2013 gives no 2013 level to compare.'
    )


def _year_ranges(years: list[int]) -> str:
    """``2011-2013, 2015`` for 2011, 2012, 2013, 2015 (runs of consecutive years).

    >>> _year_ranges([2016, 2011, 2012, 2013])
    '2011-2013, 2016'
    """
    out: list[list[int]] = []
    for y in sorted(set(years)):
        if out and y == out[-1][-1] + 1:
            out[-1].append(y)
        else:
            out.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in out)


def _line_in_end_year(run: ComparisonRun) -> str:
    head = f"**Whether the {PERIOD_END} dibao standard met the poverty line (两线合一).** "
    pts = run.points("China", "poverty_line_current_prices")
    if not pts:
        return head + "The line in current prices is not in this run's data; nothing is interpolated."
    within = [p.year for p in pts if p.year <= PERIOD_END]
    parts = [_year_ranges(within)] if within else []
    for p in pts:
        if p.year > PERIOD_END:
            about = "about " if p.qualifier == "about" else ""
            parts.append(f"{about}{p.value:g} {p.unit.split('/')[0]} for {p.year} ({p.kind})")
    held = "The line in current prices is in the data for " + " and ".join(parts)
    if PERIOD_END in within:
        return head + held + f": the {PERIOD_END} comparison is in the table."
    return head + held + f"; there is no {PERIOD_END} line and nothing is interpolated."


STATIC_LIMITS: tuple[tuple[tuple[str, ...], str | Callable[[ComparisonRun], str]], ...] = (
    (
        (),
        (
            "**Real comparisons.** Incomes, output and standards are in current prices. Only the national section "
            "puts a real CAGR difference beside the nominal one (both sides deflated by China's rural CPI where it "
            "covers the window, else China's CPI; a proxy for the regions, and each row names its index); ratios at one year need no deflator, and a nominal CAGR is never set against an official "
            "real growth rate."
        ),
    ),
    (("Xiangxi", "Wuling"), _common_poverty_period),
    (("Hunan",), _hunan_trajectory),
    (
        ("Luoxiao",),
        (
            "**Luoxiao poverty.** The data give no poverty incidence or poor population for the Luoxiao area, "
            "only counties."
        ),
    ),
    (
        ("Xiangxi",),
        (
            "**Independent areas.** Xiangxi lies inside the Wuling area, Hunan and the 40 key counties: where "
            "one of them is the benchmark, region and benchmark overlap and the gap understates the difference "
            "to the rest of the benchmark area."
        ),
    ),
    (("Xiangxi",), _line_in_end_year),
    (
        ("Xiangxi",),
        (
            "**Adequacy of assistance.** Assistance per recipient divided by the standard is the average "
            "top-up, not the share of need met; recipients' own incomes are not in the data."
        ),
    ),
)
"""Limits stated whenever the regions they concern are in the run (``()``: always)."""


# --------------------------------------------------------------------------------------- figures
