"""The national section of the comparison table: every region against China.

Whatever the run's benchmark, each selected region is set against the national figures
where China observes the series (``docs/methods.md``, section 6):

* **rural income relative to China** at every common year (the ratio and the gap in yuan),
  and **convergence**: the difference of the two CAGRs over the first and last common years,
  in percentage points a year, with relative (ratio) and absolute (gap in yuan, nominal)
  convergence stated together and called material only beyond
  :data:`analysis.metrics.materiality.MATERIALITY`; the real row (both sides deflated by the
  same national index, the rural CPI where it covers the window, else the CPI of all residents, as
  :mod:`analysis.reports.real_terms` chooses) is arithmetically the nominal difference divided by
  1 + inflation, not further evidence; and, where the regions' windows differ, the same difference over the
  window common to all of them;
* **poverty incidence and poor population** against China at every common year and their
  changes over the common years. The regions' figures are registered-poor (建档立卡) counts
  under exit targets (Wuling's system is not stated), the national ones the NBS rural poverty
  monitoring survey (2011 alone is the poverty office's count): different measurement systems
  (``poverty_measure`` of ``regions.csv``), shown side by side as levels and as each side's log
  change, never as a gap or a ratio (:mod:`analysis.reports.poverty_bases`).

Rural net income (纯收入, to 2013/2014) and disposable income (可支配收入) are separate
indicators and never joined; only years observed on both sides enter.
"""

from __future__ import annotations

from dataclasses import replace

from analysis.data.load import load_claims, observation
from analysis.metrics import prices as pr
from analysis.metrics.compare import (
    Comparison,
    ComparisonError,
    Point,
    compare_changes,
    not_compared,
    period_change,
    ratio_to_benchmark,
)
from analysis.metrics.convergence import common_years
from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict
from analysis.reports import poverty_bases as pb
from analysis.reports import real_terms as rt
from analysis.reports.comparison_base import ComparisonRun

SECTION = "national"

RATIO_METRIC = "rural income relative to China"
CONVERGENCE_METRIC = "rural income convergence: CAGR difference"
REAL_CONVERGENCE_METRIC = "rural income convergence: real CAGR difference"
COMMON_WINDOW_METRIC = "rural income convergence: CAGR difference, common window"


def china_2011_note() -> str:
    """China 2011 is the poverty office's count, not the NBS survey; what the package's own 2012 source implies.

    The 2012 source states the 2012 level and the fall during 2012 (claim ``ext.c35``); their sum is the 2011
    level of the survey series, derived here, not a curated survey value (the NBS 2011 figure is not in the data).
    """
    off = observation("china.rural_poor_population.2011.ext")
    level = observation("china.rural_poor_population.2012.ext")
    claims = load_claims()
    fall = claims.loc[claims["claim_id"] == "ext.c35", "stated"]
    text = (
        f"China 2011 ({float(off['value']):g}万) is the poverty office's count of 扶贫对象 over the rural hukou "
        "population, not the NBS survey (2010 and 2012 equal the NBS survey figures)"
    )
    if not fall.empty:
        f = float(fall.iloc[0])
        text += (
            f"; the 2012 source implies a 2011 survey level of {float(level['value']):g} + {f:g} = "
            f"{float(level['value']) + f:g}万 (derived, claim ext.c35; not in the data as a 2011 value)"
        )
    return text


def _measurement(region: str, national: str, years: tuple[int, ...]) -> str:
    text = pb.systems_note(region, national)
    if NATIONAL_OFF_SURVEY_YEAR in years:
        text += f"; {china_2011_note()}"
    return text


NATIONAL_OFF_SURVEY_YEAR = 2011
"""The one national year off the survey basis (the poverty office's count; ``basis`` of its observation)."""


def _note(c: Comparison, *notes: str) -> Comparison:
    return replace(c, note="; ".join(n for n in (*notes, c.note) if n))


def convergence_text(a0: Point, a1: Point, b0: Point, b1: Point, threshold: float = MATERIALITY) -> str:
    """Absolute and relative convergence together, in one clause (nominal yuan).

    >>> from analysis.metrics.compare import Point
    >>> p = lambda r, y, v: Point(r, "rural_disposable_income", y, v, "元", "yuan/year", "external")
    >>> convergence_text(p("Xiangxi", 2014, 5891), p("Xiangxi", 2018, 9183), p("China", 2014, 10489),
    ...                  p("China", 2018, 14617))  # doctest: +NORMALIZE_WHITESPACE
    'relative: converging (ratio to China 0.562 in 2014, 0.628 in 2018; materiality threshold 0.02 log points);
    absolute: the gap to China widened (4598 to 5434 yuan, nominal)'
    """
    r0, r1 = a0.value / b0.value, a1.value / b1.value
    g0, g1 = b0.value - a0.value, b1.value - a1.value
    return (
        f"relative: {convergence_verdict(r0, r1, threshold)} (ratio to China {r0:.3f} in {a0.year}, {r1:.3f} in "
        f"{a1.year}; materiality threshold {threshold:g} log points); absolute: the gap to China "
        f"{GAP_WORDS[gap_verdict(g0, g1, threshold)]} ({g0:.0f} to {g1:.0f} yuan, nominal)"
    )


def has_national(run: ComparisonRun) -> bool:
    """Whether the national benchmark observes rural income or poverty with the run's kinds."""
    return any(run.points(run.national, ind) for ind in (run.income, *run.national_indicators))


def regions(run: ComparisonRun) -> list[str]:
    """The run's regions other than the national benchmark."""
    return [r for r in run.all_regions if r != run.national]


def _by_year(points: list[Point]) -> dict[int, Point]:
    return {p.year: p for p in points}


def income_rows(run: ComparisonRun, region: str) -> list[Comparison]:
    """Ratio to China at every common year, then the CAGR difference (nominal and real)."""
    a = _by_year(run.points(region, run.income, end=run.period_end))
    b = _by_year(run.points(run.national, run.income, end=run.period_end))
    if not a or not b:
        who = region if not a else run.national
        return [
            not_compared(
                RATIO_METRIC,
                None,
                run.national,
                f"{who} has no rural disposable income in the data",
                status="not observed",
                region=region,
                year_or_period="",
            )
        ]
    years = common_years(a, b)
    if not years:
        return [
            not_compared(
                RATIO_METRIC,
                next(iter(a.values())),
                run.national,
                f"no common year: {region} {', '.join(map(str, sorted(a)))}; China {', '.join(map(str, sorted(b)))}; "
                "nothing is interpolated (and net income before 2014 is another concept)",
                status="not observed",
                year_or_period=f"{' '.join(map(str, sorted(a)))} vs {' '.join(map(str, sorted(b)))}",
            )
        ]
    rows = [ratio_to_benchmark(a[y], b[y], metric=RATIO_METRIC) for y in years]
    if len(years) < 2:
        rows.append(
            not_compared(
                CONVERGENCE_METRIC,
                a[years[0]],
                run.national,
                f"one common year ({years[0]}): no CAGR difference",
                status="not observed",
            )
        )
        return rows
    y0, y1 = years[0], years[-1]
    ca, cb = period_change(a[y0], a[y1], "growth"), period_change(b[y0], b[y1], "growth")
    conv = compare_changes(ca, cb, metric=CONVERGENCE_METRIC)
    rows.append(
        _note(
            conv,
            f"nominal; {convergence_text(a[y0], a[y1], b[y0], b[y1])}",
            f"common years {' '.join(map(str, years))}",
        )
    )
    rows.append(_real_convergence(run, a[y0], a[y1], b[y0], b[y1], conv))
    return rows


def common_window_rows(run: ComparisonRun, names: list[str]) -> list[Comparison]:
    """The CAGR difference of every region over one window common to all of them and China.

    Each region's own convergence row uses its first and last common years with China, and
    those windows differ (Xiangxi 2014-2018, Hunan 2014-2019), so regions are compared with
    each other only over the years that every region with two or more common years shares
    with China. Nothing when fewer than two regions qualify or their windows already agree.
    """
    b = _by_year(run.points(run.national, run.income, end=run.period_end))
    own = {}
    for r in names:
        a = _by_year(run.points(r, run.income, end=run.period_end))
        years = common_years(a, b) if a and b else []
        if len(years) >= 2:
            own[r] = (a, years)
    windows = {(ys[0], ys[-1]) for _, ys in own.values()}
    if len(own) < 2 or len(windows) == 1:
        return []
    shared = sorted(set.intersection(*(set(ys) for _, ys in own.values())))
    if len(shared) < 2:
        listed = ", ".join(f"{r} ({' '.join(map(str, ys))})" for r, (_, ys) in own.items())
        return [
            not_compared(
                COMMON_WINDOW_METRIC,
                None,
                run.national,
                f"no window of two or more years is common to {listed}",
                status="not observed",
                region=", ".join(own),
                year_or_period="",
            )
        ]
    y0, y1 = shared[0], shared[-1]
    rows = []
    for a, _ in own.values():
        ca, cb = period_change(a[y0], a[y1], "growth"), period_change(b[y0], b[y1], "growth")
        rows.append(
            _note(
                compare_changes(ca, cb, metric=COMMON_WINDOW_METRIC),
                f"nominal; {convergence_text(a[y0], a[y1], b[y0], b[y1])}",
                f"the window common to {', '.join(own)} and China: {y0}-{y1}",
            )
        )
    return rows


def _real_convergence(
    run: ComparisonRun, a0: Point, a1: Point, b0: Point, b1: Point, nominal: Comparison
) -> Comparison:
    cands = rt.candidates(run.national, run.income, run.kinds, run.obs)
    try:
        idx = pr.choose_index(cands, a0.year, a1.year)
    except pr.MissingRates as e:
        return not_compared(REAL_CONVERGENCE_METRIC, a1, run.national, str(e), year_or_period=f"{a0.year}-{a1.year}")
    ga = pr.real_cagr(a0.value, a1.value, a0.year, a1.year, idx.rates)
    gb = pr.real_cagr(b0.value, b1.value, b0.year, b1.year, idx.rates)
    return replace(
        nominal,
        metric=REAL_CONVERGENCE_METRIC,
        value=ga,
        benchmark_value=gb,
        ratio=ga / gb if gb else None,
        gap=ga - gb,
        note=f"real, both deflated by {idx.description}, {a0.year} prices; a national index is a proxy for "
        f"{a0.region}; arithmetically the nominal CAGR difference divided by one plus the index's average inflation: the same "
        "deflator on both sides leaves the income ratios unchanged, so this row adds no evidence to the nominal one",
    )


def poverty_rows(run: ComparisonRun, region: str, indicator: str) -> list[Comparison]:
    """Same-year gaps at every common year and the change over the common years."""
    a, b = _by_year(run.points(region, indicator)), _by_year(run.points(run.national, indicator))
    metric = f"{indicator} vs China"
    if not a or not b:
        who = region if not a else run.national
        return [
            not_compared(
                metric,
                None,
                run.national,
                f"{who} has no {indicator} in the data",
                status="not observed",
                region=region,
                year_or_period="",
            )
        ]
    years = common_years(a, b)
    if not years:
        return [
            not_compared(
                metric,
                next(iter(a.values())),
                run.national,
                f"no common year: {region} {', '.join(map(str, sorted(a)))}; China {', '.join(map(str, sorted(b)))}",
                status="not observed",
                year_or_period="",
            )
        ]
    label = _measurement(region, run.national, tuple(years))
    rows = []
    across = pb.across_systems(region, run.national, indicator)
    for y in years:
        try:
            c = ratio_to_benchmark(a[y], b[y], metric=f"{metric}: gap at common year")
            rows.append(pb.levels_side_by_side(c, label) if across else _note(c, label))
        except ComparisonError as e:
            rows.append(not_compared(f"{metric}: gap at common year", a[y], run.national, str(e), benchmark_point=b[y]))
    if len(years) >= 2:
        y0, y1 = years[0], years[-1]
        ca, cb = period_change(a[y0], a[y1]), period_change(b[y0], b[y1])
        if across:
            ch = pb.changes_side_by_side(ca, cb, f"{metric}: change over common years", label)
            rows.append(_note(ch, f"common years {' '.join(map(str, years))}"))
            return rows
        ch = compare_changes(ca, cb, metric=f"{metric}: change over common years")
        if ca.mode == "rate":
            detail = (
                f"{region} {ca.change:+.2f} pp ({ca.change_per_year:+.2f} a year), log change {ca.log_change:+.2f}; "
                f"China {cb.change:+.2f} pp ({cb.change_per_year:+.2f} a year), log change {cb.log_change:+.2f}"
            )
        else:
            detail = (
                f"{region} {100 * ca.ratio:.1f}% remaining (log change {ca.log_change:+.2f}); "
                f"China {100 * cb.ratio:.1f}% remaining (log change {cb.log_change:+.2f})"
            )
        rows.append(_note(ch, label, detail, f"common years {' '.join(map(str, years))}"))
    return rows


def national_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Every region against China: income ratio and convergence, poverty over common years."""
    if not has_national(run):
        return []
    rows: list[Comparison] = []
    for r in regions(run):
        rows += income_rows(run, r)
        for ind in run.national_indicators:
            rows += poverty_rows(run, r, ind)
    return rows + common_window_rows(run, regions(run))


def convergence_rows(run: ComparisonRun, real: bool = False) -> list[Comparison]:
    """The convergence rows that were computed (status matched)."""
    metric = REAL_CONVERGENCE_METRIC if real else CONVERGENCE_METRIC
    return [c for c in run.rows.get(SECTION, []) if c.metric == metric and c.status == "matched"]
