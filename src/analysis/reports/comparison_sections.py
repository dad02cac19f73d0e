"""The four sections of the comparison table: poverty, growth, assistance, counties.

Each function returns the :class:`~analysis.metrics.compare.Comparison` rows of its section;
:func:`analysis.reports.comparison.build_table` assembles them."""

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
from analysis.reports.comparison import (
    BASIS_NOTES,
    BENCHMARK_BASIS_NOTES,
    INCOME,
    INDEX_INDICATORS,
    MONTHLY_ASSISTANCE,
    OVERLAPS,
    PERIOD_END,
    POVERTY_LINE,
    ComparisonRun,
)
from analysis.reports.params import series_breaks


def _with_note(c: Comparison, *notes: str) -> Comparison:
    extra = [n for n in notes if n]
    return replace(c, note="; ".join([*extra, c.note] if c.note else extra))


def _overlap(region: str, bench: str) -> str:
    text = OVERLAPS.get((region, bench)) or OVERLAPS.get((bench, region))
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


def _basis_note(ind: str, region: str, bench: str, note: str) -> str:
    """The measurement note of a pair: the Xiangxi-specific incidence note only where Xiangxi is compared."""
    if ind == "poverty_incidence" and note == BASIS_NOTES[ind] and "Xiangxi" not in (region, bench):
        return (
            f"the measurement basis of {region}'s and {bench}'s incidence is not stated with certainty (area "
            "statistics are usually from the NBS rural household survey, provincial counts from the registered poor, "
            "建档立卡), so part of any gap may be a difference of measurement"
        )
    return note


def poverty_comparisons(run: ComparisonRun) -> list[Comparison]:
    """Each selected indicator of each region against the benchmark: start, end, matched years, change."""
    rows: list[Comparison] = []
    b = run.benchmark
    for ind in run.indicators:
        bp = run.points(b, ind)
        common_basis = BENCHMARK_BASIS_NOTES.get((ind, b), BASIS_NOTES.get(ind, ""))
        for r in run.compared:
            basis = _basis_note(ind, r, b, common_basis)
            rp = run.points(r, ind)
            over = _overlap(r, b)
            if not rp:
                rows.append(
                    not_compared(
                        f"{ind}: gap to benchmark",
                        None,
                        b,
                        f"{r} has no {ind} in the data (kinds {', '.join(run.kinds)})",
                        status="not observed",
                        region=r,
                        year_or_period="",
                    )
                )
                continue
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
                            year_or_period=" ".join(str(p.year) for p in rp)
                            + " vs "
                            + " ".join(str(p.year) for p in bp),
                        )
                    )
                continue
            pairs = (("start", rp[0], bp[0]), ("end", rp[-1], bp[-1]))
            for label, x, bx in pairs:
                c = gap(x, bx, allow_different_years=True, metric=f"{ind}: gap at {label} of period")
                where = f"{label} of each document's period" if c.status == "different years" else ""
                rows.append(_append_note(c, where, over, basis))
            used = {(x.year, y.year) for _, x, y in pairs}
            years_b = {p.year for p in bp}
            for x in rp:
                if x.year in years_b and (x.year, x.year) not in used:
                    rows.append(
                        _with_note(gap(x, point_at(bp, x.year), metric=f"{ind}: gap at matched year"), over, basis)
                    )
            ca, cb = period_change(rp[0], rp[-1]), period_change(bp[0], bp[-1])
            if pb.across_systems(r, b, ind):
                rows.append(pb.changes_side_by_side(ca, cb, f"{ind}: change over period", pb.systems_note(r, b)))
            else:
                rows.append(_change_rows(ca, cb, f"{ind}: change over period", [over]))
        for i, r in enumerate(run.compared):  # other pairs at matched years only
            for r2 in run.compared[i + 1 :]:
                rows += _pair_rows(run, ind, r, r2)
    return [_across_levels(c) for c in rows]


def _line_concept(c: Comparison) -> Comparison:
    """Name the concept of the poverty line a ratio uses (net-income line, disposable-income line, exit threshold)."""
    year = int(c.year_or_period)
    breaks = series_breaks(*POVERTY_LINE)
    last = max((b for b in breaks if b <= year), default=None)
    if last is None:
        first = min(breaks, default=None)
        if first is None:
            return c
        return _append_note(
            c, f"against the line before the {first} break ({breaks[first].label}): {breaks[first].reason}"
        )
    return _append_note(c, f"against the line from the {last} break ({breaks[last].label}): {breaks[last].reason}")


def _across_levels(c: Comparison) -> Comparison:
    """A level row of two measurement systems keeps both values, without gap or ratio (:mod:`poverty_bases`)."""
    ind = c.metric.split(":")[0]
    if c.status in ("matched", "different years") and pb.across_systems(c.region, c.benchmark, ind):
        return pb.levels_side_by_side(c, pb.systems_note(c.region, c.benchmark))
    return c


def _pair_rows(run: ComparisonRun, ind: str, r: str, r2: str) -> list[Comparison]:
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
    """CAGR of every income and output series over its own observed period (up to 2019)."""
    return [period_change(s[0], s[-1], "growth") for s in run.index_series()]


def _growth_notes(c: PeriodChange, single: str = "") -> list[str]:
    notes = ["nominal (current prices)"]
    if c.start.indicator == INCOME and c.start.year <= 2012 < c.end.year:
        notes.append("spans the 2013 change from rural net income (纯收入) to disposable income (可支配收入)")
    if single:
        notes.append(single)
    elif c.start.indicator in ("gdp", "gdp_per_capita") and c.start.year < 2019 <= c.end.year:
        notes.append("2019 GDP is on the fourth-census basis (partly a level shift)")
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
            rows.append(
                _change_rows(
                    c,
                    bc,
                    f"{ind}: CAGR",
                    [
                        _vintage_mismatch(run, c, bc),
                        _overlap(r, run.benchmark),
                        *_growth_notes(c, run.single_vintage_note(r, ind)),
                        *(
                            [
                                "benchmark: " + n
                                for n in _growth_notes(bc, run.single_vintage_note(run.benchmark, ind))[1:]
                            ]
                        ),
                    ],
                )
            )
        else:
            rows.append(
                Comparison(
                    f"{ind}: CAGR",
                    r,
                    "",
                    c.period,
                    c.cagr,
                    None,
                    None,
                    None,
                    "; ".join(
                        [f"{run.benchmark} has no {ind} with two observed years: CAGR shown alone", *_growth_notes(c)]
                    ),
                    "CAGR (per year)",
                    "",
                    "",
                    "not observed",
                    f"{c.start.kind}/{c.end.kind}",
                )
            )
    for r in run.all_regions:
        for ind in INDEX_INDICATORS:
            pts = run.points(r, ind, end=PERIOD_END)
            if len(pts) == 1:
                rows.append(
                    not_compared(
                        f"{ind}: CAGR",
                        pts[0],
                        "",
                        f"{r} {ind} has one observed year ({pts[0].year}): no growth rate",
                        status="not observed",
                    )
                )
    for ind in INDEX_INDICATORS:
        for i, r in enumerate(run.compared):
            for r2 in run.compared[i + 1 :]:
                rows += _pair_rows(run, ind, r, r2)
    return rows


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
            rows.append(
                not_compared(
                    "rural_dibao_standard / poverty_line_current_prices",
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
                    "rural_dibao_standard / poverty_line_current_prices",
                    p,
                    line_name,
                    extra=extra,
                )
            for series in (tekun, annual):
                with contextlib.suppress(ComparisonError):  # 2019 only: stated once, for the dibao standard above
                    rows += ratios_at_matched_years(series, line)
        if income and line:
            try:
                rows += [_line_concept(c) for c in ratios_at_matched_years(income, line)]
            except ComparisonError as exc:
                rows.append(
                    not_compared(
                        "rural_disposable_income / poverty_line_current_prices",
                        income[0],
                        line_name,
                        str(exc),
                        year_or_period=" ".join(str(p.year) for p in income),
                    )
                )
        for p in tekun:
            _try(
                rows,
                lambda p=p, dibao=dibao: standards_ratio(p, point_at(dibao, p.year)),
                "extreme_poverty_support_standard / rural_dibao_standard",
                p,
                f"{r} rural_dibao_standard",
            )
        for p in annual:
            _try(
                rows,
                lambda p=p, dibao=dibao: assistance_to_standard(p, point_at(dibao, p.year)),
                "rural_dibao_monthly_assistance x12 / rural_dibao_standard",
                p,
                f"{r} rural_dibao_standard",
            )
        for p in dibao:
            _try(
                rows,
                lambda p=p, income=income: share_of_income(p, point_at(income, p.year)),
                "rural_dibao_standard / rural_disposable_income",
                p,
                f"{r} rural_disposable_income",
                extra="" if income else f"{r} rural income is external, left out" if not run.include_external else "",
            )
        for series in (dibao, tekun, monthly):
            if len(series) >= 2:
                p0, p1 = series[0], series[-1]
                ch = relative_change(p0, p1)
                rows.append(
                    Comparison(
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
                )
        avg = run.points(r, "rural_dibao_standard_avg")
        for p in avg:
            _try(
                rows,
                lambda p=p: ratio_to_benchmark(p, point_at(line, p.year)),
                "rural_dibao_standard_avg / poverty_line_current_prices",
                p,
                line_name,
            )
            for r2 in run.all_regions:
                for q in run.points(r2, "rural_dibao_standard"):
                    _try(
                        rows,
                        lambda p=p, q=q: ratio_to_benchmark(
                            q, p, metric="rural_dibao_standard / rural_dibao_standard_avg"
                        ),
                        "rural_dibao_standard / rural_dibao_standard_avg",
                        q,
                        f"{r} rural_dibao_standard_avg",
                    )
    return rows


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
                rows.append(_with_note(c, f"{int(p.value)} of {int(known(c.benchmark_value))} exited"))
                shares.append(
                    Point(
                        r,
                        "poverty_counties_exit_share",
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
                        "poverty_counties_exited / poverty_counties_total",
                        p,
                        f"{r} poverty_counties_total",
                        f"{exc}"
                        if tot
                        else f"{r} has no total of poverty counties in the data, so the "
                        f"{int(p.value)} exited cannot be put as a share",
                    )
                )
        if tot and not ex:
            rows.append(
                not_compared(
                    "poverty_counties_exited / poverty_counties_total",
                    tot[0],
                    "",
                    f"{r} has a total ({int(tot[0].value)}) but no count of counties exited in the data",
                    status="not observed",
                    year_or_period=str(tot[0].year),
                )
            )
    for i, a in enumerate(shares):
        for b in shares[i + 1 :]:
            _try(
                rows,
                lambda a=a, b=b: gap(a, b, metric="poverty_counties_exit_share: gap"),
                "poverty_counties_exit_share: gap",
                a,
                b.region,
            )
    for r in run.all_regions:
        if r != "China" and totals.get(r) and totals.get("China"):
            for p in totals[r]:
                _try(
                    rows,
                    lambda p=p: ratio_to_benchmark(
                        p, point_at(totals["China"], p.year), metric="poverty_counties_total: share of national"
                    ),
                    "poverty_counties_total: share of national",
                    p,
                    "China",
                    extra="the national total of 832 poverty counties includes the contiguous-area counties",
                )
    return rows
