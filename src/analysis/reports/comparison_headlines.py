"""Headline records of the comparison reports, computed from their tables (``comparisons.csv``,
``china_comparisons.csv``).

Rows of ``data/raw/headlines.csv`` give the region (``subject``), the table metrics or the
indicators whose metrics a headline reads (``rows``), the input series and the curated caveat.
Whether a window is like for like is computed from the series breaks
(:func:`analysis.reports.params.series_breaks`), never read from the ``note`` prose.
"""

from __future__ import annotations

from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict
from analysis.reports import fmt
from analysis.reports.fmt import faster, num, pct, printed
from analysis.reports.headlines import Context, Record, Skip, Spec, run_records
from analysis.reports.params import series_breaks

CONVERGENCE_WORDS = {
    "converging": "relative convergence",
    "diverging": "relative divergence",
    "no material change": "no material change in relative terms",
}


def convergence(ctx: Context, spec: Spec) -> Record:
    """Relative and absolute convergence together, with a materiality threshold.

    ``rows``: the CAGR-difference metric, then the ratio metric; ``subject``: the region.
    """
    metric, ratio = spec.rows[:2]
    region = spec.subject[0]
    n, r = ctx.row(spec.table, metric=metric, region=region, status="matched")
    period = str(r["year_or_period"])
    years = fmt.years(period)
    _, x0 = ctx.row(spec.table, metric=ratio, region=region, status="matched", year_or_period=years[0])
    _, x1 = ctx.row(spec.table, metric=ratio, region=region, status="matched", year_or_period=years[-1])
    rel = convergence_verdict(float(x0["ratio"]), float(x1["ratio"]))
    bench = str(r["benchmark"])
    g0, g1 = -float(x0["gap"]), -float(x1["gap"])  # ratio rows: gap = region - benchmark; the gap to it is its negative
    text = (
        f"Over {period} {region}'s rural income per capita went from {num(x0['ratio'], 3)} to "
        f"{num(x1['ratio'], 3)} of {bench}'s ({CONVERGENCE_WORDS[rel]}: "
        f"{'within' if rel == 'no material change' else 'beyond'} the {MATERIALITY:g} log-point materiality "
        f"threshold) while the absolute gap to {bench} {GAP_WORDS[gap_verdict(g0, g1)]}, from {g0:,.0f} to "
        f"{g1:,.0f} yuan (nominal); its CAGR was {pct(r['value'], 2)} against {bench}'s "
        f"{pct(r['benchmark_value'], 2)}, {num(100 * r['gap'])} percentage points a year {faster(r['gap'])}; "
        f"{spec.caveat}."
    )
    inputs = tuple(i for s in spec.inputs for i in ctx.obs_ids(s, years[:1] + years[-1:]))
    values = {"ratio_start": float(x0["ratio"]), "ratio_end": float(x1["ratio"]), "gap_start": g0, "gap_end": g1}
    values.update(cagr=float(r["value"]), benchmark_cagr=float(r["benchmark_value"]))
    return Record(
        spec.key, text, period, fmt.basis(r.get("kinds", "")), spec.report, spec.section, spec.table, n, inputs,
        float(r["gap"]), "fraction a year", values,
    )  # fmt: skip


def standards(ctx: Context, spec: Spec) -> Record:
    """Two assistance standards against a line in the year both are observed.

    ``rows``: the two ratio metrics; ``inputs``: the standard, the second standard, the line.
    """
    region = spec.subject[0]
    n, r = ctx.row(spec.table, section="assistance", status="matched", metric=spec.rows[0], region=region)
    year = int(str(r["year_or_period"]).split()[0])
    _, t = ctx.row(spec.table, section="assistance", status="matched", region=region, metric=spec.rows[1])
    std, line = ctx.obs(spec.inputs[0], year), ctx.obs(spec.inputs[2], year)
    text = (
        f"In {year} {region}'s rural dibao standard ({printed(std)}) was {pct(r['ratio'], 0)} of the national "
        f"poverty line in current prices ({printed(line)}) and the tekun (特困) support standard "
        f"{pct(t['ratio'], 0)}; {year} is the only year both are observed, and {spec.caveat}."
    )
    inputs = tuple(i for s in spec.inputs for i in ctx.obs_ids(s, [year]))
    return Record(
        spec.key, text, str(year), "nominal; documents + external values", spec.report, spec.section, spec.table,
        n, inputs, float(r["ratio"]), "ratio", {"second_ratio": float(t["ratio"])},
    )  # fmt: skip


def _like_for_like(region: str, indicator: str, y0: int, y1: int) -> tuple[bool, str]:
    """Whether ``y0``-``y1`` crosses no series break, and the phrase saying so (or naming the break)."""
    breaks = series_breaks(region, indicator)
    inside = [b for b in breaks if y0 < b <= y1]
    if inside:
        return False, f"the {inside[0]} {breaks[inside[0]].label}"
    after = [b for b in breaks if b > y1]
    return True, (f"{y0} and {y1} both before the {after[0]} {breaks[after[0]].label}" if after else "no break")


def province(ctx: Context, spec: Spec) -> Record:
    """A region against its province: GDP CAGR difference over the like-for-like window, shares, per-capita ratio.

    ``rows``: the indicator of the CAGR and share metrics, then the per-capita one; ``subject``: the region.
    """
    indicator, per_capita_ind = spec.rows[:2]
    region = spec.subject[0]
    t = ctx.table(spec.table)
    prov = t[(t["section"] == "province") & (t["region"] == region)]
    if prov.empty:
        raise Skip(f"{spec.table}.csv has no province section for {region}")
    bench = str(prov["benchmark"].iloc[0])
    cagr = prov[(prov["metric"] == f"{indicator}: CAGR difference with {bench}") & (prov["status"] == "matched")]
    windows = {i: _like_for_like(region, indicator, *fmt.years(p)) for i, p in cagr["year_or_period"].items()}
    like_rows = [i for i, (ok, _) in windows.items() if ok]
    if not like_rows:
        raise Skip(f"{spec.table}.csv: no like-for-like {indicator} CAGR difference for {region}")
    r = cagr.loc[like_rows[0]]
    n = int(like_rows[0]) + 1
    y0, y1 = fmt.years(r["year_or_period"])
    _, real = ctx.row(
        spec.table, section="province", region=region, year_or_period=r["year_or_period"],
        metric=f"{indicator}: real CAGR difference with {bench}",
    )  # fmt: skip
    real_text = (
        f"{num(100 * real['gap'])} pp in real terms"
        if real["status"] == "matched"
        else "nominal only: official real growth does not cover every year of the window on both sides"
    )
    share = f"{indicator}: share of {bench}"
    _, s0 = ctx.row(spec.table, section="province", region=region, metric=share, year_or_period=y0)
    _, s1 = ctx.row(spec.table, section="province", region=region, metric=share, year_or_period=y1)
    values = {"benchmark_cagr": float(r["benchmark_value"]), "share_start": float(s0["ratio"])}
    values["share_end"] = float(s1["ratio"])
    across = ""
    crossing = [i for i, (ok, _) in windows.items() if not ok]
    if crossing:
        x = cagr.loc[crossing[0]]
        values["across_gap"] = float(x["gap"])
        across = (
            f"; across the {windows[crossing[0]][1].split(' ', 2)[-1]} ({x['year_or_period']}) it grew "
            f"{num(abs(100 * x['gap']))} pp a year {faster(x['gap'])}"
        )
    pc = prov[(prov["metric"] == f"{per_capita_ind}: relative to {bench}") & (prov["status"] == "matched")]
    per_capita = ""
    if len(pc) >= 2:
        a, b = pc.iloc[0], pc.iloc[-1]
        ya, yb = int(a["year_or_period"]), int(b["year_or_period"])
        revised = (
            ""
            if _like_for_like(region, per_capita_ind, ya, yb)[0]
            else " (the later year on the revised basis for both)"
        )
        values.update(per_capita_start=float(a["ratio"]), per_capita_end=float(b["ratio"]))
        per_capita = (
            f", and GDP per capita was {num(a['ratio'])} of {bench}'s in {ya} and {num(b['ratio'])} in {yb}{revised}"
        )
    bench_series = f"{bench.lower()}.{indicator}"
    seen = {int(y) for y in ctx.observations.loc[ctx.observations["series_id"] == bench_series, "year"]}
    gaps = [y for y in range(y0, y1 + 1) if y not in seen]
    missing = f", and {bench}'s GDP for {', '.join(map(str, gaps))} is not in the data" if gaps else ""
    text = (
        f"Over {y0}-{y1} ({windows[like_rows[0]][1]}), {region}'s GDP grew {pct(r['value'], 2)} a year "
        f"against {bench}'s {pct(r['benchmark_value'], 2)}, {num(abs(100 * r['gap']))} percentage points a year "
        f"{faster(r['gap'])} ({real_text}), so its share of {bench}'s GDP went from "
        f"{pct(s0['ratio'], 3)} to {pct(s1['ratio'], 3)}{across}{per_capita}; {region} is part of {bench}{missing}."
    )
    ids = tuple(ctx.obs_ids(f"{region.lower()}.{indicator}", [y0, y1]) + ctx.obs_ids(bench_series, [y0, y1]))
    if per_capita:
        yrs = [int(pc.iloc[0]["year_or_period"]), int(pc.iloc[-1]["year_or_period"])]
        ids += ctx.obs_ids(f"{region.lower()}.{per_capita_ind}", yrs)
        ids += ctx.obs_ids(f"{bench.lower()}.{per_capita_ind}", yrs)
    return Record(
        spec.key, text, f"{y0}-{y1}", fmt.basis(r.get("kinds", "")), spec.report, spec.section, spec.table, n,
        ids, float(r["gap"]), "fraction a year", {"cagr": float(r["value"]), **values},
    )  # fmt: skip


def share(ctx: Context, spec: Spec) -> Record:
    """A count against its total (``rows``: the ratio metric; ``subject``: region, then its wording)."""
    region, who = spec.subject[:2]
    n, r = ctx.row(spec.table, section="counties", status="matched", region=region, metric=spec.rows[0])
    year = int(str(r["year_or_period"]).split()[0])
    text = (
        f"By {year}, {r['value']:g} of {who}'s {r['benchmark_value']:g} poverty counties had exited "
        f"poverty status ({pct(r['ratio'])}); {spec.caveat}."
    )
    inputs = tuple(i for s in spec.inputs for i in ctx.obs_ids(s, [year]))
    return Record(
        spec.key, text, str(year), "documents only", spec.report, spec.section, spec.table, n, inputs,
        float(r["ratio"]), "fraction", {"count": float(r["value"]), "total": float(r["benchmark_value"])},
    )  # fmt: skip


KINDS = {"convergence": convergence, "standards": standards, "province": province, "share": share}
"""The comparison reports' headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The comparison reports' headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
