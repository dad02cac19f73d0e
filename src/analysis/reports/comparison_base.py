"""The comparison report's run: parameters, data access and the table's format.

The lowest module of the comparison report; every other ``comparison_*`` module builds on
it and it imports none of them except :mod:`~analysis.reports.comparison_province` (which
needs nothing of the report)::

    comparison_base  <-  comparison_sections, comparison_national  <-  comparison (build_table)
                     <-  comparison_text  <-  comparison_figures

The run definition (which regions, which indicators each section compares, the national
benchmark, the poverty line, the last year of the growth series ...) is the parameters cell
of ``notebooks/comparisons.ipynb``: :func:`notebook_defaults` reads it, so a parameter left
at ``"default"`` here means the notebook's value and nothing is declared twice. Facts about
regions come from the vocabularies: ``regions.csv`` and ``region_overlaps.csv`` (which area
overlaps which), ``indicators.csv`` (labels).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.data import vocab
from analysis.data.load import (
    VINTAGE_CHOICES,
    UnknownChoice,
    check_choice,
    get_series,
    load_observations,
    single_vintage,
)
from analysis.metrics.compare import ROW_COLUMNS, Comparison, Point, series_points
from analysis.reports import comparison_province as prov
from analysis.reports import figures
from analysis.reports.comparison_data import notebook_defaults
from analysis.reports.outputs import Outputs
from analysis.reports.params import as_choice, as_list, as_year, run_base

SECTIONS = ("poverty", "growth", "assistance", "counties", "national", prov.SECTION)
TABLE_COLUMNS = (*ROW_COLUMNS, "section", "external_used")
"""``external_used``: whether an external (secondary) value entered the row (``kinds`` says which side)."""

GAP_MEASURES = ("level", "rate")
"""``measure`` (indicators.csv) of the indicators a region is compared with a benchmark on (gap and ratio)."""
MEASURES = ("level", "rate", "standard", "count", "share", "flow", "cumulative", "multiple")
"""Every ``measure`` an equivalent series may have."""


def region_label(region: str) -> str:
    """The short English name of a region in figures and text."""
    return figures.REGION_LABELS.get(region, region)


def indicator_label(indicator: str) -> str:
    """The ``label`` of ``indicators.csv`` inside a sentence (``GDP``, ``rural dibao standard``).

    A derived series named ``<indicator> x12`` (a monthly amount annualised) keeps the suffix.

    >>> indicator_label("rural_dibao_monthly_assistance x12")
    'rural dibao monthly assistance x12'
    """
    base, _, suffix = indicator.partition(" ")
    if base not in vocab.load_indicators().index:
        return indicator.replace("_", " ")
    return " ".join(t for t in (prov.label_in_sentence(base), suffix) if t)


@dataclass
class ComparisonRun:
    """A validated comparison run: selection, data access and the rows computed so far.

    The ``indicators`` are the poverty section's (parameter ``indicator``); the other
    sections' indicators are the fields below, each a parameter of the notebook.
    """

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
    growth_indicators: list[str] = field(default_factory=list)
    """Income and output series drawn as indices and compared by CAGR (parameter ``growth_indicators``)."""
    period_end: int = 0
    """Last year of the income and output series (parameter ``period_end``)."""
    national: str = ""
    """The national benchmark of the national section (parameter ``national``)."""
    national_indicators: list[str] = field(default_factory=list)
    """Poverty indicators set against the national figures (parameter ``national_indicators``)."""
    income: str = ""
    """The rural income series (parameter ``income``): convergence, standards over income."""
    poverty_line: tuple[str, str] = ("", "")
    """(region, indicator) of the poverty line (parameter ``poverty_line``)."""
    standard: str = ""
    """The social-assistance standard (parameter ``assistance``, first entry)."""
    higher_standard: str = ""
    """The standard set against ``standard`` (second entry)."""
    monthly_payment: str = ""
    """The monthly payment per recipient, annualised before it meets ``standard`` (third entry)."""
    average_standard: str = ""
    """An average standard across areas set against each region's ``standard`` (fourth entry)."""
    counties: tuple[str, str] = ("", "")
    """(exited, total) counts of poverty counties (parameter ``counties``)."""
    equivalents: dict[tuple[str, str], str] = field(default_factory=dict)
    """(region, indicator) -> the indicator that stands for it there (parameter ``equivalents``)."""

    @property
    def all_regions(self) -> list[str]:
        """The selected regions with the benchmark (first occurrence order)."""
        return list(dict.fromkeys([*self.regions, self.benchmark]))

    @property
    def compared(self) -> list[str]:
        """The selected regions other than the benchmark."""
        return [r for r in self.regions if r != self.benchmark]

    def series_indicator(self, region: str, indicator: str) -> str:
        """The indicator that stands for ``indicator`` in ``region`` (itself unless :attr:`equivalents` applies)."""
        return series_indicator(self.obs, region, indicator, self.equivalents)

    def points(self, region: str, indicator: str, end: int | None = None) -> list[Point]:
        """Observed points of a series with the run's kinds (empty when there are none).

        An equivalent series stands in where the region lacks the indicator (:attr:`equivalents`).
        """
        indicator = self.series_indicator(region, indicator)
        if not ((self.obs["region"] == region) & (self.obs["indicator"] == indicator)).any():
            return []
        if self.vintage == "single":
            return series_points(single_vintage(region, indicator, self.kinds, end=end)[0])
        return series_points(get_series(region, indicator, self.kinds, end=end))

    def single_vintage_note(self, region: str, indicator: str) -> str:
        """The label of a series read on one vintage (empty when the run reads it as published)."""
        if self.vintage != "single":
            return ""
        s, ids = single_vintage(region, indicator, self.kinds, end=self.period_end)
        if not ids:
            return ""
        low = [str(int(y)) for y, c in zip(s["year"], s["confidence"], strict=True) if c == "low"]
        return (
            f"{region}: single-vintage series (revised back after the "
            f"{s['basis'].str.extract(r'after the ([a-z ]+census)', expand=False).dropna().iloc[0]}; "
            f"vintage=published gives the mixed first releases){'; low-confidence values ' + ' '.join(low) if low else ''}"
        )

    def index_series(self) -> list[list[Point]]:
        """Income and output series of the run's regions with at least two years up to :attr:`period_end`."""
        out = []
        for ind in self.growth_indicators:
            for r in self.all_regions:
                pts = self.points(r, ind, end=self.period_end)
                if len(pts) >= 2:
                    out.append(pts)
        return out


def series_indicator(obs: pd.DataFrame, region: str, indicator: str, equivalents: dict[tuple[str, str], str]) -> str:
    """The indicator that stands for ``indicator`` in ``region``: the equivalent where the region lacks it."""
    alt = equivalents.get((region, indicator))
    if alt and not ((obs["region"] == region) & (obs["indicator"] == indicator)).any():
        return alt
    return indicator


def _default(value: object, name: str) -> object:
    """``value``, or the notebook's default of parameter ``name`` for ``"default"`` (or None)."""
    return notebook_defaults()[name] if value is None or value == "default" or value == ["default"] else value


def _indicators(value: object, name: str, valid: list[str], n: int | None = None, label: str = "") -> list[str]:
    """A list parameter of indicators, each one of ``valid`` (``n`` entries when given)."""
    out = [str(i) for i in as_list(_default(value, name), name)]
    if not out or (n is not None and len(out) != n):
        what = f"{n} indicators" if n else "at least one indicator"
        raise UnknownChoice(f"{name} must list {what}; got {value!r}; valid choices: {', '.join(valid)}")
    for i in out:
        check_choice(label or name, i, valid)
    return out


def observed_indicators(obs: pd.DataFrame, *measures: str, region: str | None = None) -> list[str]:
    """Indicators observed in ``obs`` (of ``region`` when given) whose ``measure`` (indicators.csv) is one of ``measures``.

    >>> from analysis.data.load import load_observations
    >>> [i for i in observed_indicators(load_observations(), "count", region="Wuling") if i.startswith("poverty")]
    ['poverty_counties_exited', 'poverty_counties_total']
    """
    t = vocab.load_indicators()
    have = set(obs.loc[obs["region"] == region, "indicator"] if region is not None else obs["indicator"])
    return sorted(i for i in have if i in t.index and t.at[i, "measure"] in measures)


def prepare(
    regions: object = "default",
    indicator: object = "default",
    base_year: object = None,
    benchmark: object = "default",
    include_external: object = True,
    output_dir: object = None,
    run_name: str = "comparisons",
    province: object = None,
    province_regions: object = (),
    province_indicators: object = (),
    province_windows: object = (),
    vintage: object = "single",
    growth_indicators: object = "default",
    period_end: object = "default",
    national: object = "default",
    national_indicators: object = "default",
    income: object = "default",
    poverty_line: object = "default",
    assistance: object = "default",
    counties: object = "default",
    equivalents: object = "default",
) -> ComparisonRun:
    """Validate the notebook parameters.

    Every parameter left at ``"default"`` takes the value of the notebook's parameters cell
    (:func:`notebook_defaults`).

    Parameters
    ----------
    regions : list of str
        Regions to compare (names as in ``regions.csv``).
    indicator : str or list of str
        Indicators of the poverty section, compared with the benchmark at start and end.
    base_year : int or None
        Index base year (= 100); None: each series' first observed year. Must be observed
        in at least one income or output series of the selected regions.
    benchmark : str
        The region every other region is compared with.
    include_external : bool
        Use external (secondary) values, among them the national poverty line.
    output_dir : str or None
        Output root; default: the build's folder under ``make report``, else
        ``build/interactive/<run_name>/`` (see :mod:`analysis.reports.outputs`).
    run_name : str
        Stem of the table and figure files.
    province, province_regions, province_indicators, province_windows
        The provincial benchmark (section ``province``; see
        :func:`analysis.reports.comparison_province.prepare_province`); ``province=None`` leaves it out.
    vintage : str
        One of :data:`analysis.data.load.VINTAGE_CHOICES`.
    growth_indicators : list of str
        Income and output series of the growth section (index and CAGR).
    period_end : int
        Last year of the income and output series.
    national : str
        The national benchmark of the national section.
    national_indicators : list of str
        Poverty indicators set against the national figures.
    income : str
        The rural income series (national convergence; standards over income).
    poverty_line : [region, indicator]
        The poverty line the standards and incomes are set against.
    assistance : [standard, higher standard, monthly payment, average standard]
        The social-assistance series, in these roles.
    counties : [exited, total]
        Counts of poverty counties.
    equivalents : list of [region, indicator, stands-for indicator]
        Where a region has no series of an indicator but one that stands for it.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices and the closest one.
    """
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    ext, kinds = shared.include_external, shared.kinds
    vintage_choice = as_choice(vintage, "vintage", VINTAGE_CHOICES)
    obs = load_observations()
    all_regions = sorted(set(obs["region"]))
    regs = [str(r) for r in as_list(_default(regions, "regions"), "regions")]
    if not regs:
        raise UnknownChoice(f"regions is empty; valid choices: {', '.join(all_regions)}")
    for r in regs:
        check_choice("region", r, all_regions)
    regs = list(dict.fromkeys(regs))
    equiv: dict[tuple[str, str], str] = {}
    for e in as_list(_default(equivalents, "equivalents"), "equivalents"):
        triple = [str(x) for x in as_list(e, "equivalents entry")]
        if len(triple) != 3:
            raise UnknownChoice(f"equivalents entry {e!r} must be [region, indicator, stands-for indicator]")
        check_choice("equivalents region", triple[0], all_regions)
        for i in triple[1:]:
            check_choice("equivalents indicator (observed in the data)", i, observed_indicators(obs, *MEASURES))
        equiv[(triple[0], triple[1])] = triple[2]
    bench = str(_default(benchmark, "benchmark"))
    check_choice("benchmark (a region of the data)", bench, all_regions)
    used = obs[obs["kind"].isin(kinds)]
    observed = set(used.loc[used["region"] == bench, "indicator"])
    gaps = observed_indicators(obs, *GAP_MEASURES)
    valid_inds = [i for i in gaps if series_indicator(obs, bench, i, equiv) in observed]
    inds = _indicators(indicator, "indicator", valid_inds, label=f"indicator (observed for the benchmark {bench})")
    if not [r for r in regs if r != bench]:
        raise UnknownChoice(
            f"regions must include a region other than the benchmark {bench}; valid choices: "
            + ", ".join(r for r in all_regions if r != bench)
        )
    nat = str(_default(national, "national"))
    check_choice("national", nat, all_regions)
    line = [str(x) for x in as_list(_default(poverty_line, "poverty_line"), "poverty_line")]
    if len(line) != 2:
        raise UnknownChoice(f"poverty_line must be [region, indicator]; got {poverty_line!r}")
    check_choice("poverty_line region", line[0], all_regions)
    check_choice("poverty_line indicator", line[1], observed_indicators(obs, "standard", region=line[0]))
    end = as_year(_default(period_end, "period_end"), "period_end")
    if end is None:
        raise UnknownChoice("period_end must be a year, e.g. 2019")
    std, higher, monthly, avg = _indicators(assistance, "assistance", observed_indicators(obs, "standard"), 4)
    exited, total = _indicators(counties, "counties", observed_indicators(obs, "count"), 2)
    run = ComparisonRun(
        regs,
        list(dict.fromkeys(inds)),
        bench,
        None,
        ext,
        kinds,
        shared.outputs(),
        shared.run_name,
        obs,
        vintage=vintage_choice,
        growth_indicators=list(
            dict.fromkeys(_indicators(growth_indicators, "growth_indicators", observed_indicators(obs, "level")))
        ),
        period_end=end,
        national=nat,
        national_indicators=list(
            dict.fromkeys(
                _indicators(national_indicators, "national_indicators", observed_indicators(obs, *GAP_MEASURES))
            )
        ),
        income=_indicators(income, "income", observed_indicators(obs, "level"), 1)[0],
        poverty_line=(line[0], line[1]),
        standard=std,
        higher_standard=higher,
        monthly_payment=monthly,
        average_standard=avg,
        counties=(exited, total),
        equivalents=equiv,
    )
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
        have = {ind: run.points(r, ind) for ind in (*run.indicators, *run.growth_indicators)}
        rows.append(
            {
                "region": r,
                "role": "benchmark" if r == run.benchmark else "compared",
                **{ind: " ".join(str(p.year) for p in pts) or "-" for ind, pts in have.items()},
            }
        )
    return pd.DataFrame(rows)


def section_rows(
    run: ComparisonRun,
    section: str,
    metric: str | None = None,
    region: str | None = None,
    status: tuple[str, ...] | None = None,
) -> list[Comparison]:
    """The rows of a section computed so far, filtered by metric, region and status."""
    return [
        c
        for c in run.rows.get(section, [])
        if (metric is None or c.metric == metric)
        and (region is None or c.region == region)
        and (status is None or c.status in status)
    ]
