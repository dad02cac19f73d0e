"""Headline records of the growth report, computed from its table (``growth_rates.csv``).

Which series each headline is about, its subject wording and curated caveat are rows of
``data/raw/headlines.csv``; the functions here, one per ``kind``, read the table's columns
(``segment``, ``break_year``, ``crosses_break``, ``cagr``, ...), never the ``note`` prose.

What a growth headline may claim: it leads with a window that crosses no series break (the
``crosses_break`` column) and states a window across a break after it, labelled; a log-linear
trend appears only as a descriptive fit without a confidence interval, never across a break;
poverty falls lead with the log change a year (comparable across starting levels), with
percentage points only beside the starting level; a year the audit's consistency register
disagrees with is named as doubtful.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.data.vocab import indicator_fact
from analysis.reports import fmt
from analysis.reports.audit_headlines import doubt
from analysis.reports.fmt import pct, printed
from analysis.reports.growth_segments import crossed_years
from analysis.reports.headlines import Context, Record, Skip, Spec, low_confidence, run_records
from analysis.reports.params import series_breaks


def crossed(r: pd.Series) -> list[int]:
    """Break years a growth row's window crosses (column ``crosses_break``; empty: like-for-like)."""
    return [int(y) for y in crossed_years(r.get("crosses_break"))]


def break_label(region: str, indicator: str, year: int) -> str:
    """``series break (census revision)``: the default break's short label (:func:`series_breaks`)."""
    brk = series_breaks(str(region), str(indicator)).get(int(year))
    return f"series break ({brk.label})" if brk else "series break"


def lead_rows(
    ctx: Context, table: str, series_id: str, column: str
) -> tuple[tuple[int, pd.Series] | None, tuple[int, pd.Series] | None]:
    """The like-for-like row a headline leads with, and the full-period row when it crosses a break.

    The lead is the row of ``series_id`` whose window crosses no series break and has ``column``,
    with the most observed years (then the longest window); None when there is none. The second
    is the full-period row when its window crosses a break (to be stated after the lead, labelled).
    """
    t = ctx.table(table)
    if "crosses_break" not in t.columns:
        raise Skip(f"{table}.csv has no column 'crosses_break' (a build from before the segment columns)")
    rows = [(int(i) + 1, r) for i, r in t[t["series_id"].astype(str) == series_id].iterrows()]
    if not rows:
        raise Skip(f"{table}.csv has no row with {{'series_id': {series_id!r}}}")
    ok = [(n, r) for n, r in rows if not crossed(r) and pd.notna(r.get(column))]
    lead = max(ok, key=lambda x: (int(x[1]["n_points"]), int(x[1]["end_year"]) - int(x[1]["start_year"])), default=None)
    full = [(n, r) for n, r in rows if r.get("segment") == "full period" and crossed(r) and pd.notna(r.get(column))]
    return lead, (full[0] if full else None)


def across(r: pd.Series, what: str) -> str:
    """``over 2013-2019, across the 2019 series break (census revision), <what>``."""
    brk = " and ".join(f"{b} {break_label(r['region'], r['indicator'], b)}" for b in crossed(r))
    return f"over {int(r['start_year'])}-{int(r['end_year'])}, across the {brk}, {what}"


def caveat_of(spec: Spec, lead: pd.Series | None, cross: pd.Series | None) -> str:
    """The spec's caveat: ``caveat_across`` when a window crosses a break, then preliminary values of the lead."""
    row = lead if lead is not None else cross
    population = indicator_fact(str(row["indicator"]), "population_basis") if row is not None else ""
    caveat = spec.caveat.format(
        population=f"; per person of the {population}, not the census count" if population else ""
    )
    if cross is not None and spec.caveat_across:
        years = "/".join(map(str, crossed(cross)))
        caveat = spec.caveat_across.format(crossed=years, start=int(cross["start_year"]), caveat=caveat)
    prelim = re.findall(r"(\d{4}) preliminary", str(lead.get("vintages", "")) if lead is not None else "")
    if prelim:
        caveat += f"; the {', '.join(prelim)} values are preliminary releases, not revised back"
    return caveat


def cagr(ctx: Context, spec: Spec) -> Record:
    """A CAGR headline: the like-for-like window first, the window across a series break after it, labelled.

    A log-linear trend is given only on the lead (like-for-like) row, as a descriptive fit
    without a confidence interval: a handful of yearly points is not a sample.
    """
    series_id, what = spec.rows[0], spec.subject[0]
    lead, cross = lead_rows(ctx, spec.table, series_id, "cagr")
    if lead is None and cross is None:
        raise Skip(f"{spec.table}.csv: no CAGR for {series_id}")
    caveat = caveat_of(spec, lead[1] if lead else None, cross[1] if cross else None)
    chosen = lead if lead is not None else cross
    assert chosen is not None  # one of them, checked above
    n, r = chosen
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    values = {"start_value": float(o0["value"]), "end_value": float(o1["value"])}
    if lead is None:  # only a window across a break is observed: say so first
        text = (
            f"{what} grew {pct(r['cagr'], 2)} a year in nominal terms {across(r, 'from')} "
            f"{printed(o0)} to {printed(o1)}: no like-for-like window is observed; {caveat}."
        )
        years = fmt.years(r["years_used"])
        kinds = str(r["kinds_used"])
    else:
        trend = ""
        if pd.notna(r.get("trend_growth")):
            values["trend_growth"] = float(r["trend_growth"])
            trend = (
                f" (a descriptive log-linear fit on its {int(r['n_points'])} observed years gives "
                f"{pct(r['trend_growth'], 2)}, with no confidence interval)"
            )
        after = ""
        if cross:
            values["across_cagr"] = float(cross[1]["cagr"])
            after = f"; {across(cross[1], pct(cross[1]['cagr'], 2) + ' a year')}"
        text = (
            f"{what} grew {pct(r['cagr'], 2)} a year in nominal terms over {s}-{e}, from {printed(o0)} to "
            f"{printed(o1)}{trend}{after}; {caveat}."
        )
        years = fmt.years(r["years_used"]) + (fmt.years(cross[1]["years_used"]) if cross else [])
        kinds = f"{r['kinds_used']} {cross[1]['kinds_used'] if cross else ''}"
    return Record(
        spec.key, text, f"{s}-{e}", fmt.basis(kinds), spec.report, spec.section, spec.table, n,
        ctx.obs_ids(series_id, years), float(r["cagr"]), "fraction a year", values,
    )  # fmt: skip


def real_cagr(ctx: Context, spec: Spec) -> Record:
    """Real growth beside the nominal: the first of the spec's series with a like-for-like real CAGR."""
    t = ctx.table(spec.table)
    if "real_cagr" not in t.columns:
        raise Skip(f"{spec.table}.csv has no real columns")
    for k, sid in enumerate(spec.rows):
        lead, cross = lead_rows(ctx, spec.table, sid, "real_cagr")
        if lead is not None:
            what = spec.subject[k]
            break
    else:
        raise Skip(f"no series of {spec.key} has a like-for-like real CAGR in {spec.table}.csv")
    n, r = lead
    s, e = int(r["start_year"]), int(r["end_year"])
    values = {"cagr": float(r["cagr"])}
    official = ""
    if pd.notna(r.get("official_real_growth")):
        values["official_real_growth"] = float(r["official_real_growth"])
        official = (
            f"; the official real growth chained over the same years is {pct(r['official_real_growth'], 2)} a year"
        )
    after = ""
    if cross is not None:
        c = cross[1]
        after = "; " + across(c, f"{pct(c['real_cagr'], 2)} real against {pct(c['cagr'], 2)} nominal")
    index, _, why = str(r["price_index"]).partition(" (")
    why = f"; {why.rstrip(')')}" if why else ""
    proxy = "" if why else "; a price index for a wider area stands in for the prefecture's own prices"
    text = (
        f"Deflated by {index} ({int(r['price_base_year'])} prices{why}), {what} grew {pct(r['real_cagr'], 2)} a "
        f"year in real terms over {s}-{e}, against {pct(r['cagr'], 2)} nominal{official}{after}{proxy}."
    )
    years = fmt.years(r["years_used"]) + (fmt.years(cross[1]["years_used"]) if cross else [])
    return Record(
        spec.key, text, f"{s}-{e}", fmt.basis(r["kinds_used"], real=True), spec.report, spec.section, spec.table,
        n, ctx.obs_ids(sid, years), float(r["real_cagr"]), "fraction a year", values,
    )  # fmt: skip


def common_base(ctx: Context, spec: Spec) -> str:
    """The fall on one population base (the spec's second series, derived), '' when not computed."""
    if len(spec.rows) < 2:
        return ""
    try:
        _, cb = ctx.row(spec.table, series_id=spec.rows[1])
        s, e = int(cb["start_year"]), int(cb["end_year"])
        o0, o1 = ctx.obs(cb["series_id"], s), ctx.obs(cb["series_id"], e)
    except Skip:
        return ""
    return (
        f"on one population base (the {s} incidence put on the {e} base: {s} poor population / ({e} poor "
        f"population / {e} incidence) = {printed(o0)}, derived) the fall is {fmt.num(abs(cb['change']))} percentage "
        f"points to {printed(o1)} and the log change {fmt.num(cb['log_change'])}"
    )


def poverty(ctx: Context, spec: Spec) -> Record:
    """A poverty-incidence headline led by the log change per year (comparable across starting levels).

    The percentage-point change is given only beside the starting level it is bounded by; a
    start year the audit's consistency register disagrees with is named as doubtful; a second
    series of the spec (the common-base incidence) is stated in the caveat.
    """
    series_id, who = spec.rows[0], spec.subject[0]
    n, r = ctx.row(spec.table, series_id=series_id)
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    doubtful = doubt(ctx, str(o0["obs_id"]), str(o1["obs_id"]))
    base = common_base(ctx, spec)
    caveat = (f"{base}; " if base else "") + spec.caveat
    per_year = float(r["log_change"]) / (e - s)
    text = (
        f"{who} poverty incidence had a log change of {fmt.num(per_year)} a year over {s}-{e} "
        f"({fmt.num(r['log_change'])} in all, from {printed(o0)} to {printed(o1)}: a fall of "
        f"{fmt.num(abs(r['change']))} percentage points from a starting level of {printed(o0)})"
        f"{'; ' + doubtful if doubtful else ''}; {caveat}."
    )
    values = {"log_change": float(r["log_change"]), "change": float(r["change"]), "start_value": float(o0["value"])}
    return Record(
        spec.key, text, f"{s}-{e}", fmt.basis(r["kinds_used"]).replace("nominal; ", "rate; "), spec.report,
        spec.section, spec.table, n, ctx.obs_ids(series_id, fmt.years(r["years_used"])), per_year,
        "log change a year", values,
    )  # fmt: skip


def endpoints(ctx: Context, spec: Spec) -> Record:
    """A level stated at two endpoints only: total change and CAGR."""
    series_id = spec.rows[0]
    n, r = ctx.row(spec.table, series_id=series_id)
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    text = (
        f"{spec.subject[0]} rose from {printed(o0)} in {s} to {printed(o1)} in {e}, "
        f"{pct(r['total_change'])} in all or {pct(r['cagr'])} a year; {spec.caveat}."
    )
    return Record(
        spec.key, text, f"{s}-{e}", fmt.basis(r["kinds_used"]), spec.report, spec.section, spec.table, n,
        ctx.obs_ids(series_id, [s, e]), float(r["total_change"]), "fraction", {"cagr": float(r["cagr"])},
    )  # fmt: skip


# ----------------------------------------------------------------------------- documentation records


def docs_growth(ctx: Context, spec: Spec) -> Record:
    """The growth paragraph of the documentation: the lead series like for like and across its break,
    the observed years and trend, a standard at its endpoints, and a national series.

    ``rows``: the lead series, the standard, the national series.
    """
    lead_id, std_id, nat_id = spec.rows[:3]
    lead, cross = lead_rows(ctx, spec.table, lead_id, "cagr")
    if lead is None or cross is None:
        raise Skip(f"{spec.table}.csv: {lead_id} has no like-for-like window beside one across a break")
    (n, brk), gdp = lead, cross[1]
    g0, g1 = ctx.obs(lead_id, int(gdp["start_year"])), ctx.obs(lead_id, int(gdp["end_year"]))
    gb = ctx.obs(lead_id, int(brk["end_year"]))
    _, dibao = ctx.row(spec.table, series_id=std_id)
    d0, d1 = ctx.obs(std_id, int(dibao["start_year"])), ctx.obs(std_id, int(dibao["end_year"]))
    _, nat = ctx.row(spec.table, series_id=nat_id)
    c0, c1 = ctx.obs(nat_id, int(nat["start_year"])), ctx.obs(nat_id, int(nat["end_year"]))
    years = "/".join(map(str, crossed(gdp)))
    label = break_label(gdp["region"], gdp["indicator"], crossed(gdp)[0]).removeprefix("series break (").rstrip(")")
    text = (
        f"Headline: {spec.subject[0]} {g0['value_printed']} -> {fmt.level(float(gb['value']))} {gb['unit']} over "
        f"{brk['start_year']}-{brk['end_year']}, like-for-like, is {pct(brk['cagr'], 2)} a year; over "
        f"{gdp['start_year']}-{gdp['end_year']}, across the {years} {label}, to {fmt.as_printed(g1)}, it is "
        f"{pct(gdp['cagr'], 2)} a year (not like-for-like)"
    )
    values = {"cagr": float(brk["cagr"]), "across_cagr": float(gdp["cagr"])}
    if pd.notna(brk.get("trend_growth")):
        nb = int(brk["n_points"])
        missing = str(brk.get("missing_years", "")).split() if pd.notna(brk.get("missing_years")) else []
        values["trend_growth"] = float(brk["trend_growth"])
        text += (
            f". With the external annual figures {brk['start_year']}-{brk['end_year']} is observed in {nb} of "
            f"{int(brk['end_year']) - int(brk['start_year']) + 1} years"
            + (f" (no source gives {', '.join(missing)}" if missing else "")
            + (f"; vintages: {brk['vintages']}" if pd.notna(brk.get("vintages")) else "")
            + (")" if missing else "")
            + f", and a descriptive log-linear fit gives {pct(brk['trend_growth'], 2)} a year ({nb - 2} degrees of "
            "freedom: no confidence interval is given, and none is fitted across the break)"
        )
    values.update(standard_change=float(dibao["total_change"]), national_cagr=float(nat["cagr"]))
    text += (
        f"; {spec.subject[1]} {d0['value_printed']} -> {fmt.as_printed(d1)} over "
        f"{dibao['start_year']}-{dibao['end_year']} is {100 * dibao['total_change']:+.1f}%. {spec.subject[2]} "
        f"{fmt.level(float(c0['value']))} -> {fmt.level(float(c1['value']))} {c1['unit']} over "
        f"{nat['start_year']}-{nat['end_year']} is {pct(nat['cagr'], 2)} a year, nominal "
        f"({spec.caveat}{low_confidence(ctx, [str(c0['obs_id']), str(c1['obs_id'])])}; `-p region {nat['region']} "
        f"-p indicator {nat['indicator']}`)."
    )
    return Record(
        spec.key, text, f"{brk['start_year']}-{brk['end_year']}", fmt.basis(brk["kinds_used"]), spec.report,
        spec.section, spec.table, n, ctx.obs_ids(lead_id, fmt.years(brk["years_used"])), float(brk["cagr"]),
        "fraction a year", values,
    )  # fmt: skip


def docs_real(ctx: Context, spec: Spec) -> Record:
    """The real-terms paragraph: a national income series, the region's income on one concept and across
    its change, and national GDP from the chained official rates (``rows`` in that order)."""
    nat_id, inc_id, gdp_id = spec.rows[:3]
    n, china = ctx.row(spec.table, series_id=nat_id)
    lead, cross = lead_rows(ctx, spec.table, inc_id, "real_cagr")
    if lead is None or cross is None:
        raise Skip(f"{spec.table}.csv: {inc_id} has no real window on one concept beside one across its break")
    xo, xx = lead[1], cross[1]
    _, gdp = ctx.row(spec.table, series_id=gdp_id)
    c0, c1 = ctx.obs(nat_id, int(china["start_year"])), ctx.obs(nat_id, int(china["end_year"]))
    text = (
        f"Headlines: {spec.subject[0]} {fmt.level(c0['value'])} -> {fmt.level(c1['value'])} {c1['unit']} over "
        f"{china['start_year']}-{china['end_year']} is {pct(china['cagr'], 2)} a year nominal and "
        f"{pct(china['real_cagr'], 2)} real, deflated by {china['price_index']}, against "
        f"an official real {pct(china['official_real_growth'], 2)} (gap {100 * china['official_gap']:+.2f} pp a "
        f"year); {spec.subject[1]} {xo['start_year']}-{xo['end_year']}, on one income concept, is "
        f"{pct(xo['cagr'], 2)} nominal and {pct(xo['real_cagr'], 2)} real (national CPI as a proxy), and "
        f"{xx['start_year']}-{xx['end_year']}, {spec.caveat_across.format(crossed=crossed(xx)[0])} (not "
        f"like-for-like), {pct(xx['cagr'], 2)} nominal and {pct(xx['real_cagr'], 2)} real; {spec.subject[2]} "
        f"{gdp['start_year']}-{gdp['end_year']} is {pct(gdp['cagr'], 2)} nominal and {pct(gdp['real_cagr'], 2)} real "
        "from the chained official rates."
    )
    values = {k: float(china[k]) for k in ("cagr", "official_real_growth", "official_gap")}
    values.update(region_real=float(xo["real_cagr"]), region_real_across=float(xx["real_cagr"]))
    values.update(gdp_real=float(gdp["real_cagr"]))
    return Record(
        spec.key, text, f"{china['start_year']}-{china['end_year']}", fmt.basis(china["kinds_used"], real=True),
        spec.report, spec.section, spec.table, n, (str(c0["obs_id"]), str(c1["obs_id"])), float(china["real_cagr"]),
        "fraction a year", values,
    )  # fmt: skip


KINDS = {
    "cagr": cagr,
    "real_cagr": real_cagr,
    "poverty": poverty,
    "endpoints": endpoints,
    "docs_growth": docs_growth,
    "docs_real": docs_real,
}
"""The growth report's headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The growth report's headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
