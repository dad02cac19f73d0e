"""Headline records of the comparison reports, computed from their tables (``comparisons.csv``,
``china_comparisons.csv``).

Rows of ``data/raw/headlines.csv`` give the region (``subject``), the table metrics or the
indicators whose metrics a headline reads (``rows``), the input series and the curated caveat.
Whether a window is like for like is computed from the series breaks
(:func:`analysis.reports.params.series_breaks`), never read from the ``note`` prose.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.data.vocab import indicator_fact
from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict
from analysis.reports import fmt
from analysis.reports.fmt import faster, num, pct, printed
from analysis.reports.headlines import Context, Record, Skip, Spec, low_confidence, run_records
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


# ----------------------------------------------------------------------------- documentation records


def docs_convergence(ctx: Context, spec: Spec) -> Record:
    """The convergence paragraph: each region's ratio and gap to the nation (relative and absolute
    verdicts), the common window, and the incidence change against the nation's.

    ``subject``: the two regions; ``rows``: the CAGR-difference, ratio, common-window, incidence-change
    and incidence-gap metrics; ``inputs``: the series whose external endpoints are checked for low confidence.
    """
    conv_m, ratio_m, common_m, change_m, gap_m = spec.rows[:5]
    a, b = spec.subject[:2]
    tb = spec.table

    def ends(region: str) -> tuple[pd.Series, pd.Series, pd.Series]:
        _, conv = ctx.row(tb, metric=conv_m, region=region)
        y = fmt.years(conv["year_or_period"])
        return (
            conv,
            ctx.row(tb, metric=ratio_m, region=region, year_or_period=y[0])[1],
            ctx.row(tb, metric=ratio_m, region=region, year_or_period=y[-1])[1],
        )

    n = ctx.row(tb, metric=conv_m, region=a)[0]
    (conv, x0, x1), (hconv, h0, h1) = ends(a), ends(b)
    cx, ch = ctx.row(tb, metric=common_m, region=a)[1], ctx.row(tb, metric=common_m, region=b)[1]
    _, inc = ctx.row(tb, metric=change_m, region=a)
    py = fmt.years(inc["year_or_period"])
    p0, p1 = (ctx.row(tb, metric=gap_m, region=a, year_or_period=y)[1] for y in (py[0], py[-1]))
    xv, hv = convergence_verdict(x0["ratio"], x1["ratio"]), convergence_verdict(h0["ratio"], h1["ratio"])
    bench = str(conv["benchmark"])
    low = [
        str(ctx.obs(s, int(y), ("external",))["obs_id"])
        for s in spec.inputs
        for y in (h0["year_or_period"], h1["year_or_period"])
    ]
    lv = fmt.level
    text = (
        f"Headlines: {a}'s rural income was {x0['ratio']:.3f} of {bench}'s in {x0['year_or_period']} and "
        f"{x1['ratio']:.3f} in {x1['year_or_period']} (relative: {xv}, materiality threshold {MATERIALITY:g} log "
        f"points) while the absolute gap to {bench} {GAP_WORDS[gap_verdict(x0['gap'], x1['gap'])]}, from "
        f"{-x0['gap']:.0f} to {-x1['gap']:.0f} 元 (nominal); its CAGR was {pct(conv['value'], 2)} against "
        f"{pct(conv['benchmark_value'], 2)} ({100 * conv['gap']:+.2f} pp a year). {b}'s ratio moved from "
        f"{h0['ratio']:.3f} ({h0['year_or_period']}) to {h1['ratio']:.3f} ({h1['year_or_period']}), "
        f"{100 * hconv['gap']:+.2f} pp a year: {hv} in relative terms, while the absolute gap "
        f"{GAP_WORDS[gap_verdict(h0['gap'], h1['gap'])]} ({-h0['gap']:.0f} to {-h1['gap']:.0f} 元)"
        f"{low_confidence(ctx, low)}. Over the window common to both, {cx['year_or_period']}, {a}'s CAGR "
        f"difference to {bench} was {100 * cx['gap']:+.2f} pp a year and {b}'s {100 * ch['gap']:+.2f}. {a}'s "
        f"incidence fell by a log change of {math.log(p1['value'] / p0['value']):+.2f} over "
        f"{inc['year_or_period']} ({lv(p0['value'])}% to {lv(p1['value'])}%) against {bench}'s "
        f"{math.log(p1['benchmark_value'] / p0['benchmark_value']):+.2f} ({lv(p0['benchmark_value'])}% to "
        f"{lv(p1['benchmark_value'])}%; {spec.caveat})."
    )
    values = {"ratio_start": float(x0["ratio"]), "ratio_end": float(x1["ratio"]), "gap": float(conv["gap"])}
    values.update(other_gap=float(hconv["gap"]), common_gap=float(cx["gap"]), other_common_gap=float(ch["gap"]))
    return Record(
        spec.key, text, str(conv["year_or_period"]), fmt.basis(conv.get("kinds", "")), spec.report, spec.section,
        tb, n, (), float(conv["gap"]), "fraction a year", values,
    )  # fmt: skip


def docs_comparisons(ctx: Context, spec: Spec) -> Record:
    """The comparisons paragraph: incidence changes side by side, the standard against the line, the two
    standards against each other, payments against the standard, and counties exited.

    ``rows``: the incidence-change, standard/line, standard/standard, payments/standard and counties metrics;
    ``subject``: the region.
    """
    ch_m, line_m, tk_m, mo_m, ex_m = spec.rows[:5]
    region, tb = spec.subject[0], spec.table
    n, ch = ctx.row(tb, metric=ch_m, region=region)
    _, db = ctx.row(tb, metric=line_m, region=region, status="matched")
    tk = ctx.table(tb)
    tk = tk[(tk["metric"] == tk_m) & (tk["status"] == "matched")]
    tk0, tk1 = tk.iloc[0], tk.iloc[-1]
    _, mo = ctx.row(tb, metric=mo_m, status="matched")
    t = ctx.table(tb)
    exits = t[(t["metric"] == ex_m) & (t["status"] == "matched")]
    lv = fmt.level
    counties = ", ".join(f"{r.region} {lv(r.value)} of {lv(r.benchmark_value)}" for r in exits.itertuples())
    text = (
        f"Headlines: {region}'s registered incidence and the {ch['benchmark']} area's ({ch['status']}: its system "
        f"is not stated) are set side by side as log changes, {ch['value']:+.2f} and {ch['benchmark_value']:+.2f} "
        f"({ch['year_or_period']}), with no level gap or ratio; the {db['year_or_period']} dibao standard was "
        f"{db['ratio']:.3f} of the national poverty line in current prices ({lv(db['value'])} / "
        f"{lv(db['benchmark_value'])}); 特困 / 低保 was {tk0['ratio']:.3f} in {tk0['year_or_period']} and "
        f"{tk1['ratio']:.3f} in {tk1['year_or_period']}; monthly assistance x 12 was {mo['ratio']:.3f} of the "
        f"standard in {mo['year_or_period']}; counties exited: {counties}."
    )
    values = {"line_ratio": float(db["ratio"]), "tekun_start": float(tk0["ratio"]), "tekun_end": float(tk1["ratio"])}
    values["payments_ratio"] = float(mo["ratio"])
    return Record(
        spec.key, text, str(ch["year_or_period"]), "nominal", spec.report, spec.section, tb, n, (),
        float(ch["value"]), "log change", values,
    )  # fmt: skip


def lacking(ctx: Context, region: str, indicator: str, y0: int, y1: int) -> str:
    """``2014, 2018``: the years ``y0+1``..``y1`` a region's series has no observation of."""
    seen = set(
        ctx.observations.loc[ctx.observations["series_id"] == f"{region.lower()}.{indicator}", "year"].astype(int)
    )
    return ", ".join(str(y) for y in range(y0 + 1, y1 + 1) if y not in seen)


def docs_province(ctx: Context, spec: Spec) -> Record:
    """The province paragraph: shares, the like-for-like and the crossing CAGR difference, why there is no
    real one, per-capita ratios and the standard against the provincial minimum, annualised.

    ``rows``: the indicator, the per-capita indicator, the standard metric; ``subject``: the region;
    ``inputs``: the provincial monthly minimum.
    """
    indicator, pc_ind, db_m = spec.rows[:3]
    region, tb = spec.subject[0], spec.table
    t = ctx.table(tb)
    t = t[(t["section"] == "province") & (t["region"] == region)]
    bench = str(t["benchmark"].iloc[0])
    cagr = t[(t["metric"] == f"{indicator}: CAGR difference with {bench}") & (t["status"] == "matched")]
    flags = [_like_for_like(region, indicator, *fmt.years(p))[0] for p in cagr["year_or_period"]]
    like, cross = cagr[flags].iloc[0], cagr[[not f for f in flags]].iloc[0]
    n = int(cagr[flags].index[0]) + 1
    y0, y1 = fmt.years(like["year_or_period"])
    real_ind = indicator_fact(indicator, "real_growth_indicator")
    lacks = "; ".join(f"{r} lacks {lacking(ctx, r, real_ind, y0, y1)}" for r in (region, bench))
    shares = t[(t["metric"] == f"{indicator}: share of {bench}") & (t["status"] == "matched")]
    pc = t[(t["metric"] == f"{pc_ind}: relative to {bench}") & (t["status"] == "matched")]
    _, db = ctx.row(tb, section="province", region=region, metric=db_m, status="matched")
    month = ctx.obs(spec.inputs[0], int(db["year_or_period"]))
    conversion = f"{month['value_printed']} {month['unit']} x 12 = {12 * float(month['value']):g} {db['unit']}"
    text = (
        f"Headlines: {region}'s share of {bench}'s GDP was "
        + ", ".join(f"{pct(r.ratio, 3)} ({r.year_or_period})" for r in shares.itertuples())
        + f"; over {like['year_or_period']} (like for like) its GDP CAGR was {pct(like['value'], 2)} against "
        f"{pct(like['benchmark_value'], 2)} ({100 * like['gap']:+.2f} pp a year), over {cross['year_or_period']} "
        f"(across the census revision) {100 * cross['gap']:+.2f} pp a year; nominal only (official real growth: "
        f"{lacks}); GDP per capita "
        + ", ".join(f"{r.ratio:.4f} of {bench}'s ({r.year_or_period})" for r in pc.itertuples())
        + f"; the {db['year_or_period']} rural dibao standard {fmt.level(db['value'])} {db['unit']} was "
        f"{db['ratio']:.3f} of {bench}'s provincial minimum (floor), annualised explicitly ({conversion})."
    )
    values = {"cagr": float(like["value"]), "benchmark_cagr": float(like["benchmark_value"])}
    values.update(across_gap=float(cross["gap"]), standard_ratio=float(db["ratio"]))
    return Record(
        spec.key, text, str(like["year_or_period"]), "nominal", spec.report, spec.section, tb, n, (),
        float(like["gap"]), "fraction a year", values,
    )  # fmt: skip


KINDS = {
    "convergence": convergence,
    "standards": standards,
    "province": province,
    "share": share,
    "docs_convergence": docs_convergence,
    "docs_comparisons": docs_comparisons,
    "docs_province": docs_province,
}
"""The comparison reports' headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The comparison reports' headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
