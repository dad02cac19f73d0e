"""The four sections of the comparison table: poverty, growth, assistance, counties.

Per-row helpers (``poverty_rows``, ``pair_rows``, ``cagr_row``, ``assistance_rows``,
``county_rows``) compute the :class:`~analysis.metrics.compare.Comparison` rows of one region
or series; the notebook loops over them, and ``<section>_comparisons`` runs the same loop for
:func:`analysis.reports.comparison.build_table` (the in-process build). Which indicators each
section uses is the run's (:class:`~analysis.reports.comparison_base.ComparisonRun`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace

from analysis.metrics.compare import (
    Comparison,
    ComparisonError,
    PeriodChange,
    Point,
    annualise_monthly,
    assistance_to_standard,
    compare_changes,
    exit_share,
    gap,
    known,
    not_compared,
    period_change,
    point_at,
    ratio_to_benchmark,
    ratios_at_matched_years,
    relative_change,
    share_of_income,
    standards_ratio,
    unmatched_changes,
)
from analysis.reports import poverty_bases as pb
from analysis.reports.comparison_base import ComparisonRun
from analysis.reports.comparison_data import basis_note, overlap
from analysis.reports.params import CENSUS_REVISION, INCOME_CONCEPT, series_breaks


def _with_note(c: Comparison, *notes: str) -> Comparison:
    extra = [n for n in notes if n]
    return replace(c, note="; ".join([*extra, c.note] if c.note else extra))


def _overlap(region: str, bench: str) -> str:
    text = overlap(region, bench)
    return f"{text}: the areas overlap and are not independent" if text else ""


def _change_note(a: PeriodChange, b: PeriodChange) -> str:
    if a.mode == "rate":
        return (
            f"{a.start.region} {a.change:+.2f} pp over {a.years} years ({a.change_per_year:+.2f} a year); "
            f"{b.start.region} {b.change:+.2f} pp over {b.years} years ({b.change_per_year:+.2f} a year)"
        )
    if a.mode == "count":
        return (
            f"{a.start.region} {100 * a.ratio:.1f}% remaining after {a.years} years (log change "
            f"{a.log_change / a.years:+.3f} a year); {b.start.region} {100 * b.ratio:.1f}% after {b.years} years "
            f"({b.log_change / b.years:+.3f} a year)"
        )
    return f"{a.start.region} {a.period}; {b.start.region} {b.period}"


def _append_note(c: Comparison, *notes: str) -> Comparison:
    return replace(c, note="; ".join(n for n in (c.note, *notes) if n))


def _change_rows(a: PeriodChange, b: PeriodChange, metric: str, notes: Sequence[str]) -> Comparison:
    """A change comparison over the same period, or both changes side by side (reason first)."""
    try:
        return _with_note(compare_changes(a, b, metric=metric), _change_note(a, b), *notes)
    except ComparisonError as exc:
        return _append_note(unmatched_changes(a, b, str(exc), metric=metric), _change_note(a, b), *notes)


def poverty_rows(run: ComparisonRun, ind: str, r: str) -> list[Comparison]:
    """Region ``r`` against the benchmark on ``ind``: start, end, matched years and the change over the period.

    Levels of two measurement systems keep both values without gap or ratio (:func:`across_levels`).
    """
    rows: list[Comparison] = []
    b = run.benchmark
    bp = run.points(b, ind)
    basis = basis_note(ind, r, b)
    rp = run.points(r, ind)
    over = _overlap(r, b)
    if not rp:
        return [
            not_compared(
                f"{ind}: gap to benchmark",
                None,
                b,
                f"{r} has no {ind} in the data (kinds {', '.join(run.kinds)})",
                status="not observed",
                region=r,
                year_or_period="",
            )
        ]
    if len(rp) < 2 or len(bp) < 2:
        try:
            for c in ratios_at_matched_years(rp, bp):
                y = int(c.year_or_period)
                c = gap(point_at(rp, y), point_at(bp, y), metric=f"{ind}: gap at matched year")
                rows.append(_with_note(c, over, basis))
        except ComparisonError as exc:
            rows.append(
                not_compared(
                    f"{ind}: gap to benchmark",
                    rp[0],
                    b,
                    f"{exc}; a start-end comparison needs two observed years on "
                    f"each side ({r}: {len(rp)}, {b}: {len(bp)})",
                    year_or_period=" ".join(str(p.year) for p in rp) + " vs " + " ".join(str(p.year) for p in bp),
                )
            )
        return [across_levels(c) for c in rows]
    pairs = (("start", rp[0], bp[0]), ("end", rp[-1], bp[-1]))
    for label, x, bx in pairs:
        c = gap(x, bx, allow_different_years=True, metric=f"{ind}: gap at {label} of period")
        where = f"{label} of each document's period" if c.status == "different years" else ""
        rows.append(_append_note(c, where, over, basis))
    used = {(x.year, y.year) for _, x, y in pairs}
    years_b = {p.year for p in bp}
    for x in rp:
        if x.year in years_b and (x.year, x.year) not in used:
            rows.append(_with_note(gap(x, point_at(bp, x.year), metric=f"{ind}: gap at matched year"), over, basis))
    ca, cb = period_change(rp[0], rp[-1]), period_change(bp[0], bp[-1])
    if pb.across_systems(r, b, ind):
        rows.append(pb.changes_side_by_side(ca, cb, f"{ind}: change over period", pb.systems_note(r, b)))
    else:
        rows.append(_change_rows(ca, cb, f"{ind}: change over period", [over]))
    return [across_levels(c) for c in rows]


def region_pairs(regions: list[str]) -> list[tuple[str, str]]:
    """Every pair of distinct regions, in selection order (``a, b`` with ``a`` before ``b``)."""
    return [(a, b) for i, a in enumerate(regions) for b in regions[i + 1 :]]


def poverty_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Each poverty indicator of each region against the benchmark, then the other pairs at matched years."""
    rows: list[Comparison] = []
    for ind in run.indicators:
        for r in run.compared:
            rows += poverty_rows(run, ind, r)
        for a, b in region_pairs(run.compared):
            rows += [across_levels(c) for c in pair_rows(run, ind, a, b)]
    return rows


def _line_concept(c: Comparison, line: tuple[str, str]) -> Comparison:
    """Name the concept of the poverty line a ratio uses (net-income line, disposable-income line, exit threshold)."""
    year = int(c.year_or_period)
    breaks = series_breaks(*line)
    last = max((b for b in breaks if b <= year), default=None)
    if last is None:
        first = min(breaks, default=None)
        if first is None:
            return c
        return _append_note(
            c, f"against the line before the {first} break ({breaks[first].label}): {breaks[first].reason}"
        )
    return _append_note(c, f"against the line from the {last} break ({breaks[last].label}): {breaks[last].reason}")


def across_levels(c: Comparison) -> Comparison:
    """A level row of two measurement systems keeps both values, without gap or ratio (:mod:`poverty_bases`)."""
    ind = c.metric.split(":")[0]
    if c.status in ("matched", "different years") and pb.across_systems(c.region, c.benchmark, ind):
        return pb.levels_side_by_side(c, pb.systems_note(c.region, c.benchmark))
    return c


def pair_rows(run: ComparisonRun, ind: str, r: str, r2: str) -> list[Comparison]:
    """Two selected regions on ``ind`` at every year observed for both (or why not)."""
    a, b = run.points(r, ind), run.points(r2, ind)
    if not a or not b:
        return []
    over = _overlap(r, r2) or _overlap(r2, r)
    try:
        return [
            _with_note(
                gap(
                    point_at(a, int(c.year_or_period)),
                    point_at(b, int(c.year_or_period)),
                    metric=f"{ind}: gap at matched year",
                ),
                over,
            )
            for c in ratios_at_matched_years(a, b)
        ]
    except ComparisonError as exc:
        years = " ".join(str(p.year) for p in a) + " vs " + " ".join(str(p.year) for p in b)
        return [not_compared(f"{ind}: gap at matched year", a[0], r2, str(exc), region=r, year_or_period=years)]


def growth_changes(run: ComparisonRun) -> list[PeriodChange]:
    """CAGR of every income and output series over its own observed period (up to the run's ``period_end``)."""
    return [period_change(s[0], s[-1], "growth") for s in run.index_series()]


def _growth_notes(c: PeriodChange, single: str = "") -> list[str]:
    """Nominal, and the series breaks the period spans (``analysis.reports.params.series_breaks``)."""
    crossed = {
        y: brk for y, brk in series_breaks(c.start.region, c.start.indicator).items() if c.start.year < y <= c.end.year
    }
    notes = ["nominal (current prices)"]
    notes += [
        f"spans the {y} change from rural net income (纯收入) to disposable income (可支配收入)"
        for y, brk in crossed.items()
        if brk is INCOME_CONCEPT
    ]
    if single:
        notes.append(single)
    else:
        notes += [
            f"{y} GDP is on the fourth-census basis (partly a level shift)"
            for y, brk in crossed.items()
            if brk is CENSUS_REVISION
        ]
    return notes


def _vintage_mismatch(run: ComparisonRun, a: PeriodChange, b: PeriodChange) -> str:
    """Why two CAGRs are not like-for-like when one series is single-vintage and the other is not."""
    sa, sb = (run.single_vintage_note(c.start.region, c.start.indicator) for c in (a, b))
    if bool(sa) == bool(sb):
        return ""
    mixed, single = (a, b) if sb else (b, a)
    return (
        f"not like-for-like: {single.start.region}'s series is on one vintage, {mixed.start.region}'s is not "
        f"(no revised-back series of {mixed.start.region} in the data), so the difference mixes growth with "
        "revisions; vintage=published gives first releases on both sides"
    )


def cagr_row(run: ComparisonRun, c: PeriodChange, changes: list[PeriodChange]) -> Comparison:
    """One series' CAGR against the benchmark's of the same indicator (same period only), or alone."""
    r, ind = c.start.region, c.start.indicator
    bc = next((x for x in changes if (x.start.region, x.start.indicator) == (run.benchmark, ind)), None)
    if bc is not None:
        return _change_rows(
            c,
            bc,
            f"{ind}: CAGR",
            [
                _vintage_mismatch(run, c, bc),
                _overlap(r, run.benchmark),
                *_growth_notes(c, run.single_vintage_note(r, ind)),
                *["benchmark: " + n for n in _growth_notes(bc, run.single_vintage_note(run.benchmark, ind))[1:]],
            ],
        )
    return Comparison(
        f"{ind}: CAGR",
        r,
        "",
        c.period,
        c.cagr,
        None,
        None,
        None,
        "; ".join([f"{run.benchmark} has no {ind} with two observed years: CAGR shown alone", *_growth_notes(c)]),
        "CAGR (per year)",
        "",
        "",
        "not observed",
        f"{c.start.kind}/{c.end.kind}",
    )


def one_year_rows(run: ComparisonRun, r: str, ind: str) -> list[Comparison]:
    """A series with one observed year (up to ``period_end``): no growth rate, said so."""
    pts = run.points(r, ind, end=run.period_end)
    if len(pts) != 1:
        return []
    return [
        not_compared(
            f"{ind}: CAGR",
            pts[0],
            "",
            f"{r} {ind} has one observed year ({pts[0].year}): no growth rate",
            status="not observed",
        )
    ]


def growth_comparisons(run: ComparisonRun) -> list[Comparison]:
    """CAGRs side by side, single-year series, then the other pairs at matched years."""
    changes = growth_changes(run)
    rows = [cagr_row(run, c, changes) for c in changes if c.start.region != run.benchmark]
    rows += [row for r in run.all_regions for ind in run.growth_indicators for row in one_year_rows(run, r, ind)]
    for ind in run.growth_indicators:
        for a, b in region_pairs(run.compared):
            rows += pair_rows(run, ind, a, b)
    return rows


def _try(rows: list[Comparison], fn, metric: str, a: Point | None, bench: str, *, extra: str = "") -> None:
    try:
        rows.append(_with_note(fn(), extra) if extra else fn())
    except ComparisonError as exc:
        rows.append(not_compared(metric, a, bench, f"{exc}{'; ' + extra if extra else ''}"))


def assistance_rows(run: ComparisonRun, r: str) -> list[Comparison]:
    """Region ``r``'s standards against the poverty line, each other, the payment level and rural income.

    The roles are the run's (parameter ``assistance``): ``standard`` (e.g. the dibao standard),
    ``higher_standard`` (tekun), ``monthly_payment`` (annualised x 12 first) and ``average_standard``.
    """
    rows: list[Comparison] = []
    line = run.points(*run.poverty_line)
    line_ind = run.poverty_line[1]
    line_name = " ".join(run.poverty_line)
    std = run.standard
    dibao = run.points(r, std)
    tekun = run.points(r, run.higher_standard)
    monthly = run.points(r, run.monthly_payment)
    income = run.points(r, run.income)
    annual = [annualise_monthly(p) for p in monthly]
    if dibao and not line:
        rows.append(
            not_compared(
                f"{std} / {line_ind}",
                dibao[0],
                line_name,
                "the national poverty line is an external value, left out with include_external=False",
                year_or_period=" ".join(str(p.year) for p in dibao),
            )
        )
    elif dibao:
        after = [p.year for p in line if p.year > max(q.year for q in dibao)]
        for p in dibao:
            extra = ""
            if p.year not in {q.year for q in line} and after:
                nxt = point_at(line, after[0])
                approx = "about " if nxt.qualifier == "about" else ""
                extra = f"the {nxt.year} line ({approx}{nxt.value:g} 元/年) is a different year and is not used"
            _try(
                rows,
                lambda p=p: ratio_to_benchmark(p, point_at(line, p.year)),
                f"{std} / {line_ind}",
                p,
                line_name,
                extra=extra,
            )
        for series in (tekun, annual):
            with contextlib.suppress(ComparisonError):  # a year without the line: stated once, for the standard above
                rows += ratios_at_matched_years(series, line)
    if income and line:
        try:
            rows += [_line_concept(c, run.poverty_line) for c in ratios_at_matched_years(income, line)]
        except ComparisonError as exc:
            rows.append(
                not_compared(
                    f"{run.income} / {line_ind}",
                    income[0],
                    line_name,
                    str(exc),
                    year_or_period=" ".join(str(p.year) for p in income),
                )
            )
    for p in tekun:
        _try(
            rows,
            lambda p=p: standards_ratio(p, point_at(dibao, p.year)),
            f"{run.higher_standard} / {std}",
            p,
            f"{r} {std}",
        )
    for p in annual:
        _try(
            rows,
            lambda p=p: assistance_to_standard(p, point_at(dibao, p.year)),
            f"{run.monthly_payment} x12 / {std}",
            p,
            f"{r} {std}",
        )
    for p in dibao:
        _try(
            rows,
            lambda p=p: share_of_income(p, point_at(income, p.year)),
            f"{std} / {run.income}",
            p,
            f"{r} {run.income}",
            extra="" if income else f"{r} rural income is external, left out" if not run.include_external else "",
        )
    for series in (dibao, tekun, monthly):
        if len(series) >= 2:
            rows.append(_change_row(r, series[0], series[-1]))
    for p in run.points(r, run.average_standard):
        _try(
            rows,
            lambda p=p: ratio_to_benchmark(p, point_at(line, p.year)),
            f"{run.average_standard} / {line_ind}",
            p,
            line_name,
        )
        for r2 in run.all_regions:
            for q in run.points(r2, std):
                _try(
                    rows,
                    lambda p=p, q=q: ratio_to_benchmark(q, p, metric=f"{std} / {run.average_standard}"),
                    f"{std} / {run.average_standard}",
                    q,
                    f"{r} {run.average_standard}",
                )
    return rows


def _change_row(r: str, p0: Point, p1: Point) -> Comparison:
    """A standard's change between its first and last observed years (ratio end / start; nominal)."""
    ch = relative_change(p0, p1)
    return Comparison(
        f"{p0.indicator}: change",
        r,
        f"{r} {p0.year}",
        f"{p0.year}-{p1.year}",
        float(p1.value),
        float(p0.value),
        float(p1.value) / float(p0.value),
        float(p1.value) - float(p0.value),
        f"increase {100 * ch:.1f}% (ratio = end / start); nominal",
        p1.unit,
        p0.unit,
        p1.unit,
        "matched",
        f"{p1.kind}/{p0.kind}",
    )


def assistance_comparisons(run: ComparisonRun) -> list[Comparison]:
    """:func:`assistance_rows` of every region of the run."""
    return [row for r in run.all_regions for row in assistance_rows(run, r)]


def county_rows(run: ComparisonRun, r: str) -> tuple[list[Comparison], list[Point]]:
    """Region ``r``'s poverty counties exited out of its total, and the exit shares as points (for the gaps)."""
    exited, total = run.counties
    rows: list[Comparison] = []
    shares: list[Point] = []
    ex, tot = run.points(r, exited), run.points(r, total)
    for p in ex:
        try:
            c = exit_share(p, point_at(tot, p.year))
            rows.append(_with_note(c, f"{int(p.value)} of {int(known(c.benchmark_value))} exited"))
            shares.append(
                Point(
                    r,
                    f"{exited.removesuffix('_exited')}_exit_share",
                    p.year,
                    100 * known(c.ratio),
                    "%",
                    "fraction",
                    "computed",
                    c.ratio,
                    note="computed: exited / total",
                )
            )
        except ComparisonError as exc:
            rows.append(
                not_compared(
                    f"{exited} / {total}",
                    p,
                    f"{r} {total}",
                    f"{exc}"
                    if tot
                    else f"{r} has no total of poverty counties in the data, so the "
                    f"{int(p.value)} exited cannot be put as a share",
                )
            )
    if tot and not ex:
        rows.append(
            not_compared(
                f"{exited} / {total}",
                tot[0],
                "",
                f"{r} has a total ({int(tot[0].value)}) but no count of counties exited in the data",
                status="not observed",
                year_or_period=str(tot[0].year),
            )
        )
    return rows, shares


def share_gap_rows(shares: list[Point]) -> list[Comparison]:
    """The gap between every two exit shares (same year only, else refused)."""
    rows: list[Comparison] = []
    for i, a in enumerate(shares):
        for b in shares[i + 1 :]:
            metric = f"{a.indicator}: gap"
            _try(rows, lambda a=a, b=b, metric=metric: gap(a, b, metric=metric), metric, a, b.region)
    return rows


def national_share_rows(run: ComparisonRun, r: str) -> list[Comparison]:
    """Region ``r``'s total of poverty counties as a share of the national total (same year)."""
    total = run.counties[1]
    mine, national = run.points(r, total), run.points(run.national, total)
    if r == run.national or not mine or not national:
        return []
    rows: list[Comparison] = []
    for p in mine:
        metric = f"{total}: share of national"
        _try(
            rows,
            lambda p=p, metric=metric: ratio_to_benchmark(p, point_at(national, p.year), metric=metric),
            metric,
            p,
            run.national,
            extra=f"the national total of {national[-1].value:g} poverty counties includes the contiguous-area counties",
        )
    return rows


def county_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Poverty counties exited out of the total; exit shares and totals across regions (same year only)."""
    rows: list[Comparison] = []
    shares: list[Point] = []
    for r in run.all_regions:
        own, pts = county_rows(run, r)
        rows += own
        shares += pts
    rows += share_gap_rows(shares)
    return rows + [row for r in run.all_regions for row in national_share_rows(run, r)]
