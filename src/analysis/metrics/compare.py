"""Comparisons of a region with a benchmark and of one standard with another.

Every function compares two *observed* points (or two observed periods) and refuses,
with a :class:`ComparisonError` that names both series, their years and their units,
whenever the two sides do not match. Nothing is interpolated and nothing is converted
silently (``docs/methods.md``, sections 2 and 6).

Rules
-----
Years
    Two points are compared only for the same year. :func:`gap` accepts
    ``allow_different_years=True`` for a comparison the caller wants to show anyway
    (the start of two documents' periods); the result is then labelled
    ``different years`` and its ``year_or_period`` reads ``"2013 vs 2011"``.
    Changes over periods (:func:`compare_changes`) need the same start and end years.
Units
    Two points are comparable when their *comparison units* are equal. The comparison
    unit is the processed table's ``base_unit`` (``yuan``, ``yuan/year``,
    ``yuan/month``, ``fraction``, ``count`` ...) with one documented exception:
    indicators listed in :data:`ANNUAL_PER_CAPITA` are recorded in 元 (base ``yuan``)
    but are amounts per person per year, so they compare as ``yuan/year`` (the unit of
    the standards and of the national poverty line, 元/年 = "yuan per person per year"
    in ``data/raw/units.csv``). Any other 元 amount (a fund, a grant) stays ``yuan``
    and is refused against 元/年. A monthly amount (元/月) is refused against an annual
    one until the caller annualises it explicitly with :func:`annualise_monthly` (x12).
Rates
    Rates (base unit ``fraction``, printed in %) are compared by their gap in
    percentage points and by their ratio (the relative gap); a rate is never compounded.

Examples
--------
>>> dibao = Point("Xiangxi", "rural_dibao_standard", 2014, 1980, "元/年", "yuan/year")
>>> line = Point("China", "poverty_line_current_prices", 2014, 2800, "元/年", "yuan/year")
>>> round(ratio_to_benchmark(dibao, line).ratio, 3)
0.707
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal

import pandas as pd

from analysis.data.vocab import LabelView, indicators_where
from analysis.metrics.growth import COUNT_INDICATORS, cagr

ANNUAL_PER_CAPITA: Mapping[str, str] = LabelView(lambda: indicators_where("annual_per_capita"))
"""Indicators recorded in 元 that are annual amounts per person (they compare as ``yuan/year``): those with
an ``annual_per_capita`` cell in ``data/raw/indicators.csv`` (the cell says what the amount is).

The national poverty line in current prices is itself stated as the level of rural
per-capita disposable income it corresponds to, so income and line are commensurable;
GDP per capita is an annual amount per person but not household income.
Pass ``annual_per_capita={}`` to any function to switch the rule off.
"""

ROW_COLUMNS = (
    "metric",
    "region",
    "benchmark",
    "year_or_period",
    "value",
    "benchmark_value",
    "ratio",
    "gap",
    "note",
    "unit",
    "benchmark_unit",
    "gap_unit",
    "status",
    "kinds",
)
"""Columns of a comparison row (the first nine are those of ``tables/comparisons.csv``)."""

STATUSES = (
    "matched",
    "different years",
    "different periods",
    "refused",
    "not observed",
    "different measurement systems",
)
"""``matched``: same year or period; ``different years``/``different periods``: shown with both
years, never differenced as if they matched (or only with the caller's explicit consent);
``refused``/``not observed``: the comparison was not made and ``note`` says why;
``different measurement systems``: registered against survey poverty (or a system not stated): both
values side by side (levels, or each side's log change), never a gap or a ratio."""


class ComparisonError(ValueError):
    """A comparison refused because its two sides do not match (years, units, region, period)."""


def known(v: float | None, what: str = "a value") -> float:
    """``v`` when it was computed, else a :class:`ComparisonError` naming ``what``.

    Refused or uncomputed comparisons keep ``None`` in their numeric fields; code that
    formats a computed one states that it expects a number (and type checkers see a float).

    The 2014 dibao standard over the national poverty line (1980 / 2800 元/年):

    >>> round(known(1980 / 2800, "ratio"), 3)
    0.707
    >>> known(None, "ratio")
    Traceback (most recent call last):
    ...
    analysis.metrics.compare.ComparisonError: ratio was not computed
    """
    if v is None:
        raise ComparisonError(f"{what} was not computed")
    return v


@dataclass(frozen=True)
class Point:
    """One observed value of one series.

    Parameters
    ----------
    region, indicator : str
    year : int
    value : float
        In ``unit`` (as printed: 31.93 for 31.93%).
    unit : str
        Printed unit (``%``, ``元/年``, ``万人`` ...).
    base_unit : str
        Base unit from the unit table (``fraction``, ``yuan/year``, ``persons`` ...).
    kind : str
        ``document``, ``external``, ``derived`` (or ``computed`` for an annualised value).
    value_base : float, optional
        Value in the base unit; computed from the unit table when omitted.
    qualifier : str
        ``exact`` or ``about`` (approximate values are flagged in notes).
    note : str
        How the point was obtained when it is not a plain observation.
    """

    region: str
    indicator: str
    year: int
    value: float
    unit: str
    base_unit: str
    kind: str = "document"
    value_base: float | None = None
    qualifier: str = "exact"
    note: str = ""

    @property
    def name(self) -> str:
        """``"Xiangxi rural_dibao_standard"``."""
        return f"{self.region} {self.indicator}"

    def describe(self) -> str:
        """``"Xiangxi rural_dibao_standard 2014 = 1980 元/年"`` (for messages)."""
        return f"{self.name} {self.year} = {self.value:g} {self.unit}"

    @property
    def base(self) -> float:
        """The value in the base unit (from ``value_base`` or the unit table)."""
        if self.value_base is not None:
            return float(self.value_base)
        from analysis.data.units import default_units

        units = default_units()
        if self.unit not in units:
            raise ComparisonError(
                f"{self.describe()}: unit {self.unit!r} is not in data/raw/units.csv, so it "
                "cannot be converted to its base unit"
            )
        return float(Decimal(str(self.value)) * units[self.unit].factor)


def point_from_row(row: Mapping | pd.Series) -> Point:
    """A :class:`Point` from a row of the processed observations (or of :func:`analysis.get_series`)."""
    vb = row.get("value_base")
    return Point(
        str(row["region"]),
        str(row["indicator"]),
        int(row["year"]),
        float(row["value"]),
        str(row["unit"]),
        str(row["base_unit"]),
        str(row.get("kind", "document")),
        None if vb is None or pd.isna(vb) else float(vb),
        str(row.get("qualifier", "") or "exact"),
    )


def series_points(series: pd.DataFrame) -> list[Point]:
    """The rows of one series (e.g. from :func:`analysis.get_series`) as points, by year."""
    return [point_from_row(r) for _, r in series.sort_values("year").iterrows()]


def point_at(points: Sequence[Point], year: int) -> Point:
    """The point of ``year``; refuses (listing the observed years) when it is not observed.

    Raises
    ------
    ComparisonError
        ``year`` is not observed; nothing is interpolated.
    """
    for p in points:
        if p.year == year:
            return p
    name = points[0].name if points else "the series"
    raise ComparisonError(
        f"{name} has no {year} value (observed years: "
        f"{', '.join(str(p.year) for p in points) or 'none'}); nothing is interpolated"
    )


def comparison_unit(p: Point, annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA) -> str:
    """The unit a point is compared in: its base unit, or ``yuan/year`` for :data:`ANNUAL_PER_CAPITA`.

    Examples
    --------
    >>> comparison_unit(Point("Wuling", "rural_disposable_income", 2019, 11544, "元", "yuan"))
    'yuan/year'
    >>> comparison_unit(Point("Xiangxi", "labour_income_total", 2020, 300, "亿元", "yuan"))
    'yuan'
    """
    if p.base_unit == "yuan" and p.indicator in annual_per_capita:
        return "yuan/year"
    return p.base_unit


def check_years(a: Point, b: Point) -> None:
    """Refuse two points of different years.

    Raises
    ------
    ComparisonError
        Naming both series, their years and units.
    """
    if a.year != b.year:
        raise ComparisonError(
            f"refused: different years: {a.describe()} vs {b.describe()} ({a.year} is not {b.year}); "
            "compare values of the same year (nothing is interpolated)"
        )


def check_units(a: Point, b: Point, annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA) -> str:
    """Refuse two points whose comparison units differ; return the shared unit.

    Raises
    ------
    ComparisonError
        Naming both series, their years and units, with the explicit step that would
        make them comparable when there is one (annualising a monthly amount).
    """
    ua, ub = comparison_unit(a, annual_per_capita), comparison_unit(b, annual_per_capita)
    if ua == ub:
        return ua
    hint = ""
    if {ua, ub} == {"yuan/month", "yuan/year"}:
        hint = "; annualise the monthly amount explicitly (annualise_monthly, x12) before comparing"
    elif {ua, ub} == {"yuan", "yuan/year"}:
        hint = (
            "; a 元 amount compares with 元/年 only for annual per-capita indicators (ANNUAL_PER_CAPITA: "
            f"{', '.join(sorted(annual_per_capita)) or 'none'})"
        )
    raise ComparisonError(
        f"refused: units do not match: {a.describe()} (compared as {ua}) vs {b.describe()} (compared as {ub}){hint}"
    )


def check_region(a: Point, b: Point, what: str) -> None:
    """Refuse two points of different regions where ``what`` needs one region."""
    if a.region != b.region:
        raise ComparisonError(
            f"refused: {what} needs one region: {a.describe()} is for {a.region}, {b.describe()} for {b.region}"
        )


def _values(a: Point, b: Point) -> tuple[float, float]:
    """The two values in a common unit: as printed when the printed units agree, else base units."""
    if a.unit == b.unit:
        return float(a.value), float(b.value)
    return a.base, b.base


def _gap_unit(a: Point, b: Point, unit: str) -> str:
    if unit == "fraction":
        return "percentage points"
    return a.unit if a.unit == b.unit else unit


def _kinds(*points: Point) -> str:
    return "/".join(p.kind for p in points)


def _flags(*points: Point) -> list[str]:
    notes = []
    for p in points:
        if p.kind in ("external", "derived"):
            notes.append(f"{p.name} {p.year} is {p.kind}")
        if p.qualifier == "about":
            notes.append(f"{p.name} {p.year} is approximate")
        if p.note:
            notes.append(f"{p.name}: {p.note}")
    return notes


def _benchmark_name(a: Point, b: Point) -> str:
    return b.region if a.indicator == b.indicator else f"{b.region} {b.indicator}"


@dataclass(frozen=True)
class Comparison:
    """One comparison, ready to be a row of ``tables/comparisons.csv`` (see :data:`ROW_COLUMNS`).

    ``ratio`` is ``value / benchmark_value`` (the relative gap); ``gap`` is
    ``value - benchmark_value`` in ``gap_unit`` (percentage points for rates).
    """

    metric: str
    region: str
    benchmark: str
    year_or_period: str
    value: float | None
    benchmark_value: float | None
    ratio: float | None
    gap: float | None
    note: str
    unit: str = ""
    benchmark_unit: str = ""
    gap_unit: str = ""
    status: str = "matched"
    kinds: str = ""

    def row(self) -> dict:
        """The comparison as a dict with :data:`ROW_COLUMNS` keys."""
        return asdict(self)


def _compare(
    a: Point,
    b: Point,
    metric: str | None,
    allow_different_years: bool,
    annual_per_capita: Mapping[str, str],
    extra: Sequence[str] = (),
) -> Comparison:
    unit = check_units(a, b, annual_per_capita)
    if not allow_different_years:
        check_years(a, b)
    va, vb = _values(a, b)
    if vb == 0:
        raise ComparisonError(f"refused: {b.describe()} is zero, so the ratio {a.name} / {b.name} is undefined")
    same = a.year == b.year
    notes = list(extra)
    if not same:
        notes.insert(0, f"different years ({a.region} {a.year} vs {b.region} {b.year}): not a same-year gap")
    for p in (a, b):
        if comparison_unit(p, annual_per_capita) != p.base_unit:
            notes.append(f"{p.name} ({p.unit}) taken as per person per year (ANNUAL_PER_CAPITA rule)")
    if a.unit != b.unit and unit != "yuan/year":
        notes.append(f"{a.unit} and {b.unit} compared in {unit}")
    notes += _flags(a, b)
    return Comparison(
        metric
        or (f"{a.indicator}: gap to benchmark" if a.indicator == b.indicator else f"{a.indicator} / {b.indicator}"),
        a.region,
        _benchmark_name(a, b),
        str(a.year) if same else f"{a.year} vs {b.year}",
        float(a.value),
        float(b.value),
        va / vb,
        va - vb,
        "; ".join(notes),
        a.unit,
        b.unit,
        _gap_unit(a, b, unit),
        "matched" if same else "different years",
        _kinds(a, b),
    )


def gap(
    a: Point,
    b: Point,
    *,
    allow_different_years: bool = False,
    metric: str | None = None,
    annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA,
) -> Comparison:
    """Absolute gap ``a - b`` and relative gap ``a / b`` of a region to a benchmark.

    Parameters
    ----------
    a, b : Point
        The region's and the benchmark's value (e.g. poverty incidence in %).
    allow_different_years : bool
        Default False: points of different years are refused. True compares them
        anyway and labels the result ``different years`` (``"2013 vs 2011"``).
    metric : str, optional
        Name of the comparison (default ``"<indicator>: gap to benchmark"``).
    annual_per_capita : mapping
        See :data:`ANNUAL_PER_CAPITA`.

    Returns
    -------
    Comparison
        ``gap`` in percentage points for rates, else in the common unit; ``ratio``.

    Raises
    ------
    ComparisonError
        Different years (unless allowed), incompatible units, or a zero benchmark.

    Examples
    --------
    Poverty incidence, Xiangxi vs the Wuling area, 2019: 0.65 - 1.7 = -1.05 pp, 0.65 / 1.7 = 0.382.

    >>> x = Point("Xiangxi", "poverty_incidence", 2019, 0.65, "%", "fraction")
    >>> w = Point("Wuling", "poverty_incidence", 2019, 1.7, "%", "fraction")
    >>> c = gap(x, w)
    >>> round(c.gap, 2), c.gap_unit, round(c.ratio, 3)
    (-1.05, 'percentage points', 0.382)
    """
    return _compare(a, b, metric, allow_different_years, annual_per_capita)


def ratio_to_benchmark(
    a: Point, b: Point, *, metric: str | None = None, annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA
) -> Comparison:
    """Ratio ``a / b`` at one year (e.g. dibao standard / national poverty line).

    Raises
    ------
    ComparisonError
        Different years or incompatible units.
    """
    return _compare(a, b, metric, False, annual_per_capita)


def ratios_at_matched_years(
    a: Sequence[Point],
    b: Sequence[Point],
    *,
    metric: str | None = None,
    annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA,
) -> list[Comparison]:
    """:func:`ratio_to_benchmark` at every year observed in both series (no interpolation).

    Raises
    ------
    ComparisonError
        When the two series share no year (listing both sets of years) or their units differ.
    """
    if a and b:
        check_units(a[0], b[0], annual_per_capita)
    yb = {p.year: p for p in b}
    common = [p for p in sorted(a, key=lambda p: p.year) if p.year in yb]
    if not common:
        an = a[0].name if a else "the first series"
        bn = b[0].name if b else "the second series"
        raise ComparisonError(
            f"refused: no matched year: {an} is observed in {', '.join(str(p.year) for p in a) or 'no year'} "
            f"({a[0].unit if a else ''}), {bn} in {', '.join(str(p.year) for p in b) or 'no year'} "
            f"({b[0].unit if b else ''}); nothing is interpolated"
        )
    return [ratio_to_benchmark(p, yb[p.year], metric=metric, annual_per_capita=annual_per_capita) for p in common]


def annualise_monthly(p: Point) -> Point:
    """A monthly amount (元/月) times 12, as an annual amount (元/年), marked as computed.

    The caller's explicit step that makes a monthly assistance level comparable with an
    annual standard.

    Raises
    ------
    ComparisonError
        When ``p`` is not a monthly amount.

    Examples
    --------
    >>> annualise_monthly(Point("Xiangxi", "rural_dibao_monthly_assistance", 2014, 106, "元/月", "yuan/month")).value
    1272.0
    """
    if p.base_unit != "yuan/month":
        raise ComparisonError(
            f"refused: only a monthly amount (元/月) can be annualised; {p.describe()} is in {p.base_unit}"
        )
    return replace(
        p,
        indicator=f"{p.indicator} x12",
        value=12.0 * float(p.value),
        unit="元/年",
        base_unit="yuan/year",
        value_base=12.0 * p.base,
        note=(p.note + "; " if p.note else "") + "annualised: 12 x the monthly amount",
    )


def standards_ratio(numerator: Point, denominator: Point, *, metric: str | None = None) -> Comparison:
    """Ratio of two annual standards of one region and year (e.g. 特困 / 低保 standard).

    Raises
    ------
    ComparisonError
        Different regions, years, or units (both must be 元/年 per person; annualise a
        monthly amount first).

    Examples
    --------
    >>> tk = Point("Xiangxi", "extreme_poverty_support_standard", 2014, 2640, "元/年", "yuan/year")
    >>> db = Point("Xiangxi", "rural_dibao_standard", 2014, 1980, "元/年", "yuan/year")
    >>> round(standards_ratio(tk, db).ratio, 3)
    1.333
    """
    check_region(numerator, denominator, "a ratio of two standards")
    return _compare(numerator, denominator, metric, False, {})


def assistance_to_standard(assistance: Point, standard: Point, *, metric: str | None = None) -> Comparison:
    """Annual assistance paid per recipient as a share of the annual standard.

    ``assistance`` must already be annual: pass ``annualise_monthly(monthly)``; a raw
    元/月 amount is refused. The ratio says what share of the standard the average
    payment reaches (dibao pays the gap to the standard, so it is below 1 by design).

    Raises
    ------
    ComparisonError
        Different regions, years or units.
    """
    check_region(assistance, standard, "assistance as a share of a standard")
    extra = ["average payment per recipient (gap-filling), not the standard itself"]
    return _compare(assistance, standard, metric, False, {}, extra)


def share_of_income(
    standard: Point,
    income: Point,
    *,
    metric: str | None = None,
    annual_per_capita: Mapping[str, str] = ANNUAL_PER_CAPITA,
) -> Comparison:
    """A standard (元/年 per person) as a share of per-capita rural income of the same region and year.

    Raises
    ------
    ComparisonError
        Different regions or years, or an income indicator not in ``annual_per_capita``.
    """
    check_region(standard, income, "a standard as a share of income")
    return _compare(standard, income, metric, False, annual_per_capita)


def exit_share(exited: Point, total: Point, *, metric: str | None = None) -> Comparison:
    """Counties (or villages) exited out of the total, for one region and year.

    Returns
    -------
    Comparison
        ``ratio`` = exited / total; ``gap`` = exited - total (minus the number not yet exited).

    Raises
    ------
    ComparisonError
        Different regions or years, non-count units, or more exited than the total.

    Examples
    --------
    >>> e = Point("Wuling", "poverty_counties_exited", 2019, 70, "个", "count")
    >>> t = Point("Wuling", "poverty_counties_total", 2019, 71, "个", "count")
    >>> round(exit_share(e, t).ratio, 4)
    0.9859
    """
    check_region(exited, total, "an exit share")
    for p in (exited, total):
        if p.base_unit != "count":
            raise ComparisonError(f"refused: an exit share needs counts; {p.describe()} is in {p.base_unit}")
    c = _compare(exited, total, metric or f"{exited.indicator} / {total.indicator}", False, {})
    if c.ratio is not None and c.ratio > 1:
        raise ComparisonError(f"refused: {exited.describe()} exceeds {total.describe()}")
    return replace(c, benchmark=f"{total.region} {total.indicator}")


def relative_change(p0: Point, p1: Point) -> float:
    """Total proportional change ``p1 / p0 - 1`` of one series between two observed years.

    Raises
    ------
    ComparisonError
        Different series or units, or ``p1`` not later than ``p0``.

    Examples
    --------
    Xiangxi rural dibao standard 1980 (2014) -> 3927 (2019):

    >>> round(relative_change(Point("Xiangxi", "s", 2014, 1980, "元/年", "yuan/year"),
    ...                       Point("Xiangxi", "s", 2019, 3927, "元/年", "yuan/year")), 3)
    0.983
    """
    if (p0.region, p0.indicator) != (p1.region, p1.indicator):
        raise ComparisonError(f"refused: a change needs one series: {p0.describe()} vs {p1.describe()}")
    check_units(p0, p1)
    if p1.year <= p0.year:
        raise ComparisonError(f"refused: {p1.describe()} is not later than {p0.describe()}")
    v0, v1 = _values(p0, p1)
    return v1 / v0 - 1.0


def implied_from_multiple(end: Point, multiple: Point, base_year: int) -> Point:
    """The base-year level implied by a stated multiple: ``end / multiple`` (a derived value).

    E.g. Wuling rural income 2019 = 11544 元, "是2010年的3.3倍": 2010 = 11544 / 3.3 = 3498.18 元.

    Raises
    ------
    ComparisonError
        ``multiple`` is not a multiple (倍), or is of another region or year than ``end``.
    """
    check_region(end, multiple, "an implied value")
    check_years(end, multiple)
    if multiple.base_unit != "multiple":
        raise ComparisonError(f"refused: {multiple.describe()} is not a multiple (倍)")
    if base_year >= end.year:
        raise ComparisonError(f"refused: base year {base_year} is not before {end.describe()}")
    return replace(
        end,
        year=base_year,
        value=float(end.value) / float(multiple.value),
        value_base=end.base / float(multiple.value),
        kind="derived",
        qualifier="exact",
        note=f"derived: {end.year} value / {multiple.value:g} (stated multiple of {base_year})",
    )


MODES = ("rate", "count", "growth")
"""How a change over a period is measured: ``rate`` in percentage points (never compounded),
``count`` as the share remaining (end / start) and log change, ``growth`` as a CAGR."""


def mode_for(p: Point) -> str:
    """``rate`` for percentages, ``count`` for poor populations (falling to zero), else ``growth``."""
    if p.base_unit == "fraction":
        return "rate"
    if p.indicator in COUNT_INDICATORS:
        return "count"
    return "growth"


@dataclass(frozen=True)
class PeriodChange:
    """The change of one series between two observed years.

    ``statistic`` is what :func:`compare_changes` compares: the change in percentage
    points (rate), the share remaining ``end / start`` (count) or the CAGR (growth).
    """

    start: Point
    end: Point
    mode: str
    change: float
    change_per_year: float
    ratio: float
    log_change: float
    cagr: float | None
    statistic: float
    statistic_unit: str

    @property
    def period(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    @property
    def years(self) -> int:
        return self.end.year - self.start.year


def period_change(p0: Point, p1: Point, mode: str | None = None) -> PeriodChange:
    """Change of one series from ``p0`` to ``p1`` (``docs/methods.md``, section 2: pp change for rates, CAGR for levels).

    Parameters
    ----------
    p0, p1 : Point
        Start and end of one series (same region, indicator and unit; ``p1`` later).
    mode : {"rate", "count", "growth"}, optional
        Default from :func:`mode_for`.

    Raises
    ------
    ComparisonError
        Different series or units, or the end not after the start.

    Examples
    --------
    >>> c = period_change(Point("Xiangxi", "poverty_incidence", 2013, 31.93, "%", "fraction"),
    ...                   Point("Xiangxi", "poverty_incidence", 2019, 0.65, "%", "fraction"))
    >>> round(c.change, 2), round(c.change_per_year, 3)
    (-31.28, -5.213)
    """
    relative_change(p0, p1)  # the checks: one series, one unit, p1 later
    mode = mode or mode_for(p0)
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid choices: {', '.join(MODES)}")
    v0, v1 = _values(p0, p1)
    years = p1.year - p0.year
    ratio = v1 / v0
    g = cagr(v0, v1, years) if mode == "growth" else None
    stat: float
    if mode == "rate":
        stat, unit = v1 - v0, "percentage points"
    elif mode == "count":
        stat, unit = ratio, "share remaining (end / start)"
    else:
        stat, unit = known(g, "CAGR"), "CAGR (per year)"
    return PeriodChange(p0, p1, mode, v1 - v0, (v1 - v0) / years, ratio, math.log(ratio), g, float(stat), unit)


def compare_changes(a: PeriodChange, b: PeriodChange, *, metric: str | None = None) -> Comparison:
    """Compare a region's change with a benchmark's over the *same* period.

    Rates: difference of the percentage-point changes; counts: of the shares remaining;
    growth: of the CAGRs (in percentage points a year); ``ratio`` is ``a / b``.

    Raises
    ------
    ComparisonError
        Different periods (e.g. 2013-2019 vs 2011-2019), modes or units: a change over
        six years is not differenced against one over eight.
    """
    check_units(a.start, b.start)
    if a.mode != b.mode:
        raise ComparisonError(f"refused: {a.start.name} is measured as {a.mode}, {b.start.name} as {b.mode}")
    if (a.start.year, a.end.year) != (b.start.year, b.end.year):
        raise ComparisonError(
            f"refused: different periods: {a.start.name} {a.period} ({a.start.value:g} -> {a.end.value:g} "
            f"{a.start.unit}) vs {b.start.name} {b.period} ({b.start.value:g} -> {b.end.value:g} {b.start.unit}); "
            "a change over one period is not differenced against a change over another"
        )
    gap_unit = {"rate": "percentage points", "count": "share remaining", "growth": "CAGR difference (per year)"}[a.mode]
    ratio = a.statistic / b.statistic if b.statistic else None
    return Comparison(
        metric or f"{a.start.indicator}: change {a.statistic_unit}",
        a.start.region,
        _benchmark_name(a.start, b.start),
        a.period,
        a.statistic,
        b.statistic,
        ratio,
        a.statistic - b.statistic,
        "; ".join(_flags(a.start, a.end, b.start, b.end)),
        a.statistic_unit,
        b.statistic_unit,
        gap_unit,
        "matched",
        _kinds(a.start, a.end) + " vs " + _kinds(b.start, b.end),
    )


def unmatched_changes(a: PeriodChange, b: PeriodChange, reason: str, *, metric: str | None = None) -> Comparison:
    """Both changes side by side, *not* differenced, labelled ``different periods``.

    Use after :func:`compare_changes` refused: the row shows both statistics with their
    periods and leaves ``ratio`` and ``gap`` empty.
    """
    return Comparison(
        metric or f"{a.start.indicator}: change {a.statistic_unit}",
        a.start.region,
        _benchmark_name(a.start, b.start),
        f"{a.period} vs {b.period}",
        a.statistic,
        b.statistic,
        None,
        None,
        "; ".join([reason, *_flags(a.start, a.end, b.start, b.end)]),
        a.statistic_unit,
        b.statistic_unit,
        "",
        "different periods",
        _kinds(a.start, a.end) + " vs " + _kinds(b.start, b.end),
    )


def not_compared(
    metric: str,
    a: Point | None,
    benchmark: str,
    reason: str,
    *,
    status: str = "refused",
    benchmark_point: Point | None = None,
    region: str | None = None,
    year_or_period: str | None = None,
) -> Comparison:
    """A row for a comparison that was not made: the values that exist, and why.

    Parameters
    ----------
    metric, benchmark : str
    a : Point or None
        The region's point when there is one.
    reason : str
        Why (usually the :class:`ComparisonError` message).
    status : {"refused", "not observed"}
    benchmark_point : Point, optional
    region, year_or_period : str, optional
        Defaults from ``a``.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; valid choices: {', '.join(STATUSES)}")
    years = [str(p.year) for p in (a, benchmark_point) if p is not None]
    yp = year_or_period if year_or_period is not None else " vs ".join(dict.fromkeys(years))
    return Comparison(
        metric,
        region or (a.region if a else ""),
        benchmark,
        yp,
        None if a is None else float(a.value),
        None if benchmark_point is None else float(benchmark_point.value),
        None,
        None,
        reason,
        a.unit if a else "",
        benchmark_point.unit if benchmark_point else "",
        "",
        status,
        _kinds(*[p for p in (a, benchmark_point) if p is not None]),
    )


def comparison_table(comparisons: Sequence[Comparison]) -> pd.DataFrame:
    """Comparisons as a DataFrame with :data:`ROW_COLUMNS`."""
    return pd.DataFrame([c.row() for c in comparisons], columns=list(ROW_COLUMNS))
