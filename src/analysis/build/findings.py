"""Key findings for the top of ``reports/index.html``, generated from the report tables.

Each finding is one small function that reads a report table (``reports/tables/*.csv``),
picks its row and returns a :class:`Finding`: one sentence with the number, its period,
its basis (nominal or real; documents only or with external values) and its main
caveat, plus where it comes from (report section, table row, input observations). No
number is typed here: every number is read from a table or from the processed
observations.

What a headline may claim: a growth finding leads with a window that crosses no series
break (the growth table's ``crosses_break`` column) and states a window across a break after
it, labelled; a log-linear trend appears only as a descriptive fit without a confidence
interval, never across a break; poverty falls lead with the log change a year (comparable
across starting levels), with percentage points only beside the starting level; convergence
is relative and absolute together, with a materiality threshold
(:data:`analysis.metrics.materiality.MATERIALITY`); a year the audit's consistency register
disagrees with is named as doubtful; and every low-confidence input is named
(:func:`name_low_confidence`).

A finding whose table or row is absent (a partial build, a run with other parameters, a
renamed series) raises :class:`Skip`; :func:`collect` logs the reason and goes on, so a
missing report never breaks the index.

To add a finding: write a function ``def my_finding(ctx: Context) -> Finding`` below,
decorate it with ``@finding``, read its row with ``ctx.row(table, **keys)`` and build the
sentence from the row's values. The order of definition is the order on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.data.vocab import indicator_fact
from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict
from analysis.reports.growth_segments import crossed_years
from analysis.reports.params import SERIES_BREAKS


class Skip(Exception):
    """A finding cannot be stated from the tables present (the message says why)."""


@dataclass(frozen=True)
class Finding:
    """One headline result and where to check it.

    Attributes
    ----------
    key : str
        Stable id (the HTML anchor ``finding-<key>``).
    text : str
        One sentence: the result with its period, basis and main caveat.
    period, basis : str
        Shown beside the sentence (e.g. ``2013-2019``; ``nominal; documents + external``).
    report, section : str
        Report run name and the heading of the section that explains the number.
    table : str
        Table stem under ``reports/tables/`` and ``row``, the 1-based data row of the CSV.
    inputs : tuple of str
        Observation ids (anchors of the data catalog) the number is computed from.
    """

    key: str
    text: str
    period: str
    basis: str
    report: str
    section: str
    table: str
    row: int
    inputs: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class Context:
    """What the findings read: the report tables folder and the processed observations."""

    tables_dir: Path
    observations: pd.DataFrame
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """The table ``<name>.csv`` (Skip when it was not built)."""
        if name not in self._cache:
            path = self.tables_dir / f"{name}.csv"
            if not path.exists():
                raise Skip(f"table {name}.csv not built")
            self._cache[name] = pd.read_csv(
                path, dtype={"start_year": "Int64", "end_year": "Int64"}, keep_default_na=True
            )
        return self._cache[name]

    def row(self, name: str, where: Callable[[pd.DataFrame], pd.Series] | None = None, **keys) -> tuple[int, pd.Series]:
        """The first row of table ``name`` matching ``keys`` (column == value) and ``where``.

        Returns the 1-based CSV data row number and the row. Skip when no row matches.
        """
        t = self.table(name)
        mask = pd.Series(True, index=t.index)
        for col, value in keys.items():
            if col not in t.columns:
                raise Skip(f"{name}.csv has no column {col!r}")
            mask &= t[col].astype(str) == str(value)
        if where is not None:
            mask &= where(t)
        hits = t[mask]
        if hits.empty:
            raise Skip(f"{name}.csv has no row with {keys}")
        i = int(hits.index[0])
        return i + 1, hits.iloc[0]

    def obs_ids(self, series_id: str, years, kinds=("document", "external", "derived")) -> tuple[str, ...]:
        """Observation ids of ``series_id`` in ``years``, one per year (the first of ``kinds`` observed).

        The same preference as the report computations: a document value where there is one.
        """
        out = []
        for y in sorted({int(y) for y in years}):
            try:
                out.append(str(self.obs(series_id, y, kinds)["obs_id"]))
            except Skip:
                continue
        return tuple(out)

    def obs(self, series_id: str, year: int, kinds=("document", "external", "derived")) -> pd.Series:
        """The observation of a series in a year (first of ``kinds`` in that order)."""
        rows = self._by_series_year.get((series_id, int(year)), {})
        for k in kinds:
            if k in rows:
                return self.observations.iloc[rows[k]]
        raise Skip(f"no observation {series_id} {year}")

    @cached_property
    def _by_series_year(self) -> dict[tuple[str, int], dict[str, int]]:
        """Row position of the first observation of each (series, year) and kind, in file order."""
        o = self.observations
        out: dict[tuple[str, int], dict[str, int]] = {}
        for pos, (sid, year, kind) in enumerate(zip(o["series_id"], o["year"], o["kind"], strict=True)):
            out.setdefault((sid, int(year)), {}).setdefault(kind, pos)
        return out

    @cached_property
    def labels(self) -> dict[str, str]:
        return dict(zip(self.observations["indicator"], self.observations["label"], strict=True))


FINDINGS: list[Callable[[Context], Finding]] = []

OPTIONAL = frozenset({"gdp_per_capita_growth", "dibao_growth", "counties_exited"})
"""Findings left out first (from the end) when more than the page's limit are available: GDP per capita has
no like-for-like window in the data, and the dibao and county findings restate report tables."""


def finding(fn: Callable[[Context], Finding]) -> Callable[[Context], Finding]:
    """Register a finding function (page order = definition order)."""
    FINDINGS.append(fn)
    return fn


# ---------------------------------------------------------------------------- formatting


def pct(v: float, digits: int = 1) -> str:
    """A fraction as a percentage (0.0908 -> '9.1%')."""
    return f"{100 * float(v):.{digits}f}%"


def num(v: float, digits: int = 2) -> str:
    """A number with fixed decimals, trailing zeros kept (a minus sign, not a hyphen)."""
    return f"{float(v):.{digits}f}".replace("-", "−")


def printed(o: pd.Series) -> str:
    """An observation in English units, converted exactly from the printed value.

    418.9 亿元 -> '41.89 bn yuan'; 65.77 万人 -> '657,700 persons'; 1980 元/年 -> '1,980 yuan a year';
    31.93 % -> '31.93%'. The value as printed, with its quote, is in the data catalog.
    """
    p = o["value_printed"] if isinstance(o["value_printed"], str) and o["value_printed"] else f"{o['value']:g}"
    if not re.fullmatch(r"[\d,]+(\.\d+)?", p):  # printed in words or another unit ("60.505 billion CNY")
        p = f"{o['value']:g}"
    dec = len(p.split(".")[1]) if "." in p else 0
    v, unit = float(o["value"]), o["unit"]
    if unit == "亿元":
        return f"{v / 10:,.{dec + 1}f} bn yuan"
    if unit == "万人":
        return f"{v * 1e4:,.0f} persons"
    if unit == "%":
        return f"{p}%"
    words = {"元": "yuan", "元/年": "yuan a year", "元/月": "yuan a month", "个": "", "人": "persons"}
    if unit in words:
        return f"{v:,.{dec}f} {words[unit]}".strip()
    return f"{p} {unit}"


def basis(kinds: str, real: bool = False) -> str:
    """Basis text from a ``kinds_used`` cell ('document external' -> 'nominal; documents + external values')."""
    ks = set(str(kinds).replace("/", " ").split()) & {"document", "external", "derived"}
    src = (
        "documents only"
        if ks <= {"document"}
        else (
            "documents + " + " + ".join(f"{k} values" for k in sorted(ks - {"document"}))
            if "document" in ks
            else " + ".join(f"{k} values" for k in sorted(ks)) + " only"
        )
    )
    return f"{'real' if real else 'nominal'}; {src}"


def _years(cell: object) -> list[int]:
    return [int(y) for y in str(cell).split() if y.isdigit()]


# ---------------------------------------------------------------------------- findings


def _crossed(r: pd.Series) -> list[int]:
    """Break years a growth row's window crosses (column ``crosses_break``; empty: like-for-like)."""
    return [int(y) for y in crossed_years(r.get("crosses_break"))]


def _break_label(indicator: str, year: int) -> str:
    """``series break (census revision)``: the default break's short label from the report parameters."""
    brk = SERIES_BREAKS.get(str(indicator), {}).get(int(year))
    return f"series break ({brk.label})" if brk else "series break"


def _lead_rows(
    ctx: Context, table: str, series_id: str, column: str
) -> tuple[tuple[int, pd.Series] | None, tuple[int, pd.Series] | None]:
    """The like-for-like row a finding leads with, and the full-period row when it crosses a break.

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
    ok = [(n, r) for n, r in rows if not _crossed(r) and pd.notna(r.get(column))]
    lead = max(ok, key=lambda x: (int(x[1]["n_points"]), int(x[1]["end_year"]) - int(x[1]["start_year"])), default=None)
    full = [(n, r) for n, r in rows if r.get("segment") == "full period" and _crossed(r) and pd.notna(r.get(column))]
    return lead, (full[0] if full else None)


def _across(r: pd.Series, what: str) -> str:
    """``over 2013-2019, across the 2019 series break (census revision), <what>``."""
    brk = " and ".join(f"{b} {_break_label(r['indicator'], b)}" for b in _crossed(r))
    return f"over {int(r['start_year'])}-{int(r['end_year'])}, across the {brk}, {what}"


def _growth(ctx: Context, table: str, series_id: str, what: str, caveat: str, key: str) -> Finding:
    """A CAGR finding: the like-for-like window first, the window across a series break after it, labelled.

    A log-linear trend is given only on the lead (like-for-like) row, as a descriptive fit
    without a confidence interval: a handful of yearly points is not a sample.
    """
    lead, cross = _lead_rows(ctx, table, series_id, "cagr")
    if lead is None and cross is None:
        raise Skip(f"{table}.csv: no CAGR for {series_id}")
    if lead is None:  # only a window across a break is observed: say so first
        assert cross is not None
        n, r = cross
        s, e = int(r["start_year"]), int(r["end_year"])
        text = (
            f"{what} grew {pct(r['cagr'], 2)} a year in nominal terms {_across(r, 'from')} "
            f"{printed(ctx.obs(series_id, s))} to {printed(ctx.obs(series_id, e))}: no like-for-like window is "
            f"observed; {caveat}."
        )
        inputs = ctx.obs_ids(series_id, _years(r["years_used"]))
        return Finding(key, text, f"{s}-{e}", basis(r["kinds_used"]), table, "Growth table", table, n, inputs)
    n, r = lead
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    trend = ""
    if pd.notna(r.get("trend_growth")):
        trend = (
            f" (a descriptive log-linear fit on its {int(r['n_points'])} observed years gives "
            f"{pct(r['trend_growth'], 2)}, with no confidence interval)"
        )
    after = f"; {_across(cross[1], pct(cross[1]['cagr'], 2) + ' a year')}" if cross else ""
    text = (
        f"{what} grew {pct(r['cagr'], 2)} a year in nominal terms over {s}-{e}, from {printed(o0)} to "
        f"{printed(o1)}{trend}{after}; {caveat}."
    )
    years = _years(r["years_used"]) + (_years(cross[1]["years_used"]) if cross else [])
    kinds = f"{r['kinds_used']} {cross[1]['kinds_used'] if cross else ''}"
    return Finding(key, text, f"{s}-{e}", basis(kinds), table, "Growth table", table, n, ctx.obs_ids(series_id, years))


def _doubt(ctx: Context, start_id: str, end_id: str) -> str:
    """What the audit's consistency register says against a change's endpoints ('' when nothing or not built).

    The checks of ``claims_audit_consistency.csv`` whose verdict is ``disagree`` and that use
    either endpoint observation, with the years they put in doubt and one check's two sides.
    """
    try:
        t = ctx.table("claims_audit_consistency")
    except Skip:
        return ""
    if not {"verdict", "left", "right", "check_id"} <= set(t.columns):
        return ""
    sides = t["left"].fillna("").astype(str) + " " + t["right"].fillna("").astype(str)
    bad = t[
        (t["verdict"] == "disagree")
        & (sides.str.contains(start_id, regex=False) | sides.str.contains(end_id, regex=False))
    ]
    if bad.empty:
        return ""
    years = [i.split(".")[2] for i in (start_id, end_id) if sides[bad.index].str.contains(i, regex=False).any()]
    first = bad.iloc[0]
    shown = ""
    if pd.notna(first.get("shown_a")) and pd.notna(first.get("shown_b")):
        a, b = str(first["shown_a"]), str(first["shown_b"])
        if pd.notna(first.get("value_a")) and pd.notna(first.get("value_b")):
            unit = f" {first['unit']}" if pd.notna(first.get("unit")) else ""
            a, b = f"{a} = {float(first['value_a']):,.0f}{unit}", f"{b} = {float(first['value_b']):,.0f}{unit}"
        shown = f"; {first['check_id']}: {a} against {b}"
    return (
        f"the audit doubts the {' and '.join(years)} figure{'s' if len(years) > 1 else ''}, which imply different "
        f"population bases ({', '.join(bad['check_id'])} disagree{'' if len(bad) > 1 else 's'}{shown}), so the fall "
        "rests on doubtful levels"
    )


def _poverty(ctx: Context, series_id: str, who: str, key: str, caveat: str) -> Finding:
    """A poverty-incidence finding led by the log change per year (comparable across starting levels).

    The percentage-point change is given only beside the starting level it is bounded by;
    a start year the audit's consistency register disagrees with is named as doubtful.
    """
    n, r = ctx.row("growth_rates", series_id=series_id)
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    doubt = _doubt(ctx, str(o0["obs_id"]), str(o1["obs_id"]))
    text = (
        f"{who} poverty incidence had a log change of {num(r['log_change'] / (e - s))} a year over {s}-{e} "
        f"({num(r['log_change'])} in all, from {printed(o0)} to {printed(o1)}: a fall of {num(abs(r['change']))} "
        f"percentage points from a starting level of {printed(o0)}){'; ' + doubt if doubt else ''}; {caveat}."
    )
    return Finding(
        key,
        text,
        f"{s}-{e}",
        basis(r["kinds_used"]).replace("nominal; ", "rate; "),
        "growth_rates",
        "Registered poverty",
        "growth_rates",
        n,
        ctx.obs_ids(series_id, _years(r["years_used"])),
    )


@finding
def gdp_growth(ctx: Context) -> Finding:
    """Xiangxi GDP: the nominal CAGR before the census revision first, the one across it after.

    The caveat names the preliminary values of the lead window (column ``vintages``: the derived
    release labels of :func:`analysis.data.load.release_vintage`).
    """
    lead, cross = _lead_rows(ctx, "growth_rates", "xiangxi.gdp", "cagr")
    caveat = "nominal GDP, with no price index for the prefecture"
    if cross is not None:
        caveat = (
            f"the {'/'.join(map(str, _crossed(cross[1])))} value is taken to be on the fourth-economic-census basis "
            "(the document does not say so; the jump from the preliminary 2018 figure suggests a level shift), so "
            "the longer window probably mixes two bases"
        )
    prelim = re.findall(r"(\d{4}) preliminary", str(lead[1].get("vintages", "")) if lead is not None else "")
    if prelim:
        caveat += f"; the {', '.join(prelim)} values are preliminary releases, not revised back"
    return _growth(ctx, "growth_rates", "xiangxi.gdp", "Xiangxi's GDP", caveat, "gdp-growth")


@finding
def real_growth(ctx: Context) -> Finding:
    """Real growth beside the nominal: the like-for-like window first, with the official real rate where published."""
    t = ctx.table("growth_rates")
    if "real_cagr" not in t.columns:
        raise Skip("growth_rates.csv has no real columns")
    for sid in ("xiangxi.gdp", "xiangxi.rural_disposable_income", "xiangxi.gdp_per_capita"):
        lead, cross = _lead_rows(ctx, "growth_rates", sid, "real_cagr")
        if lead is not None:
            break
    else:
        raise Skip("no Xiangxi series has a like-for-like real CAGR in growth_rates.csv")
    n, r = lead
    s, e = int(r["start_year"]), int(r["end_year"])
    what = {
        "xiangxi.gdp": "Xiangxi's GDP",
        "xiangxi.rural_disposable_income": "Xiangxi's rural income per capita",
        "xiangxi.gdp_per_capita": "Xiangxi's GDP per capita",
    }[sid]
    official = ""
    if pd.notna(r.get("official_real_growth")):
        official = (
            f"; the official real growth chained over the same years is {pct(r['official_real_growth'], 2)} a year"
        )
    after = ""
    if cross is not None:
        c = cross[1]
        after = "; " + _across(c, f"{pct(c['real_cagr'], 2)} real against {pct(c['cagr'], 2)} nominal")
    index, _, why = str(r["price_index"]).partition(" (")
    why = f"; {why.rstrip(')')}" if why else ""
    proxy = "" if why else "; a price index for a wider area stands in for the prefecture's own prices"
    text = (
        f"Deflated by {index} ({int(r['price_base_year'])} prices{why}), {what} grew {pct(r['real_cagr'], 2)} a "
        f"year in real terms over {s}-{e}, against {pct(r['cagr'], 2)} nominal{official}{after}{proxy}."
    )
    years = _years(r["years_used"]) + (_years(cross[1]["years_used"]) if cross else [])
    return Finding(
        "real-growth",
        text,
        f"{s}-{e}",
        basis(r["kinds_used"], real=True),
        "growth_rates",
        "Growth table",
        "growth_rates",
        n,
        ctx.obs_ids(sid, years),
    )


@finding
def gdp_per_capita_growth(ctx: Context) -> Finding:
    """Xiangxi GDP per capita from the documents alone (like-for-like window first)."""
    population = indicator_fact("gdp_per_capita", "population_basis")
    return _growth(
        ctx,
        "growth_documents_only",
        "xiangxi.gdp_per_capita",
        "Xiangxi's GDP per capita",
        "the documents give only these two years, too few for a trend"
        + (f"; per person of the {population}, not the census count" if population else ""),
        "gdppc-growth",
    )


@finding
def rural_income_growth(ctx: Context) -> Finding:
    """Xiangxi rural disposable income (external yearly values): one income concept first."""
    sid = "xiangxi.rural_disposable_income"
    caveat = "these yearly values are secondary (external) data, not from the documents"
    _, cross = _lead_rows(ctx, "growth_rates", sid, "cagr")
    if cross is not None:
        caveat = (
            f"the {cross[1]['start_year']} value predates the change of rural income concept (net to disposable "
            f"income); {caveat}"
        )
    return _growth(ctx, "growth_rates", sid, "Xiangxi's rural disposable income per capita", caveat, "income-growth")


@finding
def china_convergence(ctx: Context) -> Finding:
    """Rural income against China: relative and absolute convergence together, with a materiality threshold."""
    metric = "rural income convergence: CAGR difference"
    ratio = "rural income relative to China"
    n, r = ctx.row("china_comparisons", metric=metric, region="Xiangxi", status="matched")
    period = str(r["year_or_period"])
    years = _years(period.replace("-", " "))
    _, x0 = ctx.row("china_comparisons", metric=ratio, region="Xiangxi", status="matched", year_or_period=years[0])
    _, x1 = ctx.row("china_comparisons", metric=ratio, region="Xiangxi", status="matched", year_or_period=years[-1])
    rel = convergence_verdict(float(x0["ratio"]), float(x1["ratio"]))
    words = {
        "converging": "relative convergence",
        "diverging": "relative divergence",
        "no material change": "no material change in relative terms",
    }[rel]
    # ratio rows: gap = Xiangxi - China (yuan); the gap to China is its negative
    g0, g1 = -float(x0["gap"]), -float(x1["gap"])
    text = (
        f"Over {period} Xiangxi's rural income per capita went from {num(x0['ratio'], 3)} to "
        f"{num(x1['ratio'], 3)} of China's ({words}: {'within' if rel == 'no material change' else 'beyond'} the "
        f"{MATERIALITY:g} log-point materiality threshold) while the absolute gap to China "
        f"{GAP_WORDS[gap_verdict(g0, g1)]}, from {g0:,.0f} to {g1:,.0f} yuan (nominal); its CAGR was "
        f"{pct(r['value'], 2)} against China's {pct(r['benchmark_value'], 2)}, {num(100 * r['gap'])} percentage "
        f"points a year {'faster' if r['gap'] > 0 else 'slower'}; the Xiangxi series is external data and China's "
        f"national figure includes its richer provinces."
    )
    inputs = ctx.obs_ids("xiangxi.rural_disposable_income", years[:1] + years[-1:]) + ctx.obs_ids(
        "china.rural_disposable_income", years[:1] + years[-1:]
    )
    return Finding(
        "china-convergence",
        text,
        period,
        basis(r.get("kinds", "")),
        "china_comparisons",
        "Against China: income convergence and poverty in two measurement systems|Rural income against China",
        "china_comparisons",
        n,
        inputs,
    )


def _common_base(ctx: Context) -> str:
    """The Xiangxi fall on one population base (growth table's common-base row), '' when not computed."""
    try:
        _, cb = ctx.row("growth_rates", series_id="xiangxi.poverty_incidence_common_base")
        s, e = int(cb["start_year"]), int(cb["end_year"])
        o0, o1 = ctx.obs(cb["series_id"], s), ctx.obs(cb["series_id"], e)
    except Skip:
        return ""
    return (
        f"on one population base (the {s} incidence put on the {e} base: {s} poor population / ({e} poor "
        f"population / {e} incidence) = {printed(o0)}, derived) the fall is {num(abs(cb['change']))} percentage points "
        f"to {printed(o1)} and the log change {num(cb['log_change'])}"
    )


@finding
def xiangxi_poverty(ctx: Context) -> Finding:
    base = _common_base(ctx)
    return _poverty(
        ctx,
        "xiangxi.poverty_incidence",
        "Xiangxi's registered",
        "poverty-xiangxi",
        (f"{base}; " if base else "")
        + "registered-poor (建档立卡) counts under exit targets measure programme exits, not a survey, and the fall "
        "of the poor population equals cumulative certified exits (an administrative flow identity)",
    )


@finding
def wuling_poverty(ctx: Context) -> Finding:
    return _poverty(
        ctx,
        "wuling.poverty_incidence",
        "The Wuling Mountain Area's",
        "poverty-wuling",
        "its measurement basis is not stated in the document, so it is not strictly comparable with "
        "Xiangxi's registered rate",
    )


@finding
def elasticity_gdp(ctx: Context) -> Finding:
    """Poverty-growth elasticity against GDP per capita, with how it differs from the literature's kind."""
    run = "xiangxi.poverty_incidence ~ gdp_per_capita"
    n, r = ctx.row("elasticities", run=run, variant="log_arc")
    _, mid = ctx.row("elasticities", run=run, variant="midpoint")
    if pd.isna(r["elasticity"]):
        raise Skip(f"elasticities.csv row {n}: {r['status']}")
    lo, hi = float(r["literature_low"]), float(r["literature_high"])
    e = float(r["elasticity"])
    _, m = ctx.row("elasticities_matched", run=run, prices="nominal")
    nation = (
        "there is no national arc over the same years (no China GDP per capita in the data)"
        if pd.isna(m["national_elasticity"])
        else f"China over the same years: {num(m['national_elasticity'])}"
    )
    years = _years(r["paired_years"])
    doubt = _doubt(ctx, f"xiangxi.poverty_incidence.{years[0]}", f"xiangxi.poverty_incidence.{years[-1]}")
    doubt = doubt.replace("so the fall rests on doubtful levels", "so the elasticity rests on doubtful levels")
    crossed = [b for b in SERIES_BREAKS.get("gdp_per_capita", {}) if years[0] < b <= years[-1]]
    cross = (
        f"; the window crosses the {', '.join(map(str, crossed))} series break of GDP (census revision), and no "
        "like-for-like window is observed"
        if crossed
        else ""
    )
    try:
        _, cb = ctx.row("elasticities", run="xiangxi.poverty_incidence_common_base ~ gdp_per_capita", variant="log_arc")
        common = (
            f"; with the start year's incidence put on the end year's population base (one register and one "
            f"denominator, derived) it is {num(float(cb['elasticity']))}"
            if pd.notna(cb["elasticity"])
            else ""
        )
    except Skip:
        common = ""
    text = (
        f"Against nominal GDP per capita, Xiangxi's registered poverty incidence has a log arc elasticity of "
        f"{num(e)} over {r['outcome_window']} (midpoint formula {num(mid['elasticity'])}){common}{cross}"
        f"{'; ' + doubt if doubt else ''}; the literature's "
        f"{num(hi, 1)} to {num(lo, 1)} is for survey headcounts against real GDP per capita across countries, "
        f"so it is no benchmark here, and {nation}; with two endpoints there is no inference, and incidence "
        f"near zero inflates the log arc."
    )
    inputs = ctx.obs_ids("xiangxi.poverty_incidence", _years(r["paired_years"])) + ctx.obs_ids(
        "xiangxi.gdp_per_capita", _years(r["paired_years"])
    )
    return Finding(
        "elasticity-gdp",
        text,
        str(r["outcome_window"]),
        "nominal; documents only",
        "elasticities",
        "Elasticity table",
        "elasticities",
        n,
        inputs,
    )


@finding
def elasticity_income(ctx: Context) -> Finding:
    """Xiangxi: poverty incidence against rural income beside China's arc over the same years."""
    run = "xiangxi.poverty_incidence ~ rural_disposable_income"
    n, r = ctx.row("elasticities", run=run, variant="log_arc")
    _, m = ctx.row("elasticities_matched", run=run, prices="nominal")
    if pd.isna(r["elasticity"]) or pd.isna(m["national_elasticity"]):
        raise Skip(f"elasticities.csv row {n} or elasticities_matched.csv: no matched national value")
    text = (
        f"Against rural income per capita, Xiangxi's registered poverty incidence fell with a log arc elasticity "
        f"of {num(r['elasticity'])} over {r['outcome_window']}, and China's survey incidence over the same years "
        f"with {num(m['national_elasticity'])} ({num(m['national_incidence_start'], 1)}% to "
        f"{num(m['national_incidence_end'], 1)}%); both nominal with two endpoints each, registered poor against "
        f"a survey, so a reading, not a test."
    )
    ow = _years(str(r["outcome_window"]).replace("-", " "))
    inputs = (
        ctx.obs_ids("xiangxi.poverty_incidence", ow)
        + ctx.obs_ids("xiangxi.rural_disposable_income", ow)
        + ctx.obs_ids("china.poverty_incidence", ow)
        + ctx.obs_ids("china.rural_disposable_income", ow)
    )
    return Finding(
        "elasticity-income",
        text,
        f"{r['outcome_window']}",
        basis(r["kinds_used"]),
        "elasticities",
        "The nation over the same years",
        "elasticities",
        n,
        inputs,
    )


@finding
def dibao_vs_line(ctx: Context) -> Finding:
    """The rural dibao standard against the national poverty line in the year both are observed."""
    n, r = ctx.row(
        "comparisons",
        section="assistance",
        status="matched",
        metric="rural_dibao_standard / poverty_line_current_prices",
        region="Xiangxi",
    )
    year = int(str(r["year_or_period"]).split()[0])
    _, t = ctx.row(
        "comparisons",
        section="assistance",
        status="matched",
        region="Xiangxi",
        metric="extreme_poverty_support_standard / poverty_line_current_prices",
    )
    std = ctx.obs("xiangxi.rural_dibao_standard", year)
    line = ctx.obs("china.poverty_line_current_prices", year)
    text = (
        f"In {year} Xiangxi's rural dibao standard ({printed(std)}) was {pct(r['ratio'], 0)} of the national "
        f"poverty line in current prices ({printed(line)}) and the tekun (特困) support standard "
        f"{pct(t['ratio'], 0)}; {year} is the only year both are observed, and the line is an external value."
    )
    inputs = (
        ctx.obs_ids("xiangxi.rural_dibao_standard", [year])
        + ctx.obs_ids("xiangxi.extreme_poverty_support_standard", [year])
        + ctx.obs_ids("china.poverty_line_current_prices", [year])
    )
    return Finding(
        "dibao-line",
        text,
        str(year),
        "nominal; documents + external values",
        "comparisons",
        "Social assistance: standards against the poverty line, each other, payments and income",
        "comparisons",
        n,
        inputs,
    )


@finding
def dibao_growth(ctx: Context) -> Finding:
    """Growth of the rural dibao standard."""
    n, r = ctx.row("growth_rates", series_id="xiangxi.rural_dibao_standard")
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs("xiangxi.rural_dibao_standard", s), ctx.obs("xiangxi.rural_dibao_standard", e)
    text = (
        f"Xiangxi's rural dibao (低保) standard rose from {printed(o0)} in {s} to {printed(o1)} in {e}, "
        f"{pct(r['total_change'])} in all or {pct(r['cagr'])} a year; nominal, with only the two endpoints "
        f"stated."
    )
    return Finding(
        "dibao-growth",
        text,
        f"{s}-{e}",
        basis(r["kinds_used"]),
        "growth_rates",
        "Growth table",
        "growth_rates",
        n,
        ctx.obs_ids("xiangxi.rural_dibao_standard", [s, e]),
    )


@finding
def audit_verdicts(ctx: Context) -> Finding:
    """Claims-audit verdict counts over the documents' claims (external claims counted apart).

    The not-checkable claims are split by why: an input never stated, or a check that would
    rest on an assumption the text does not make or on inputs of different definitions
    (the ``missing`` column of the audit table).
    """
    n, _ = ctx.row("claims_audit_summary", document="all")
    summary = ctx.table("claims_audit_summary")
    docs = summary[summary["document"].astype(str).str.fullmatch(r"doc\d+")]
    count = {c: int(docs[c].sum()) for c in ("consistent", "inconsistent", "not checkable", "total")}
    audit = ctx.table("claims_audit")
    in_docs = audit["source_id"].astype(str).str.fullmatch(r"doc\d+")
    bad = audit[(audit["verdict"] == "inconsistent") & in_docs]
    nc = audit[(audit["verdict"] == "not checkable") & in_docs]
    unstated = nc[nc["missing"].fillna("").isin(["assumption", "definitions"])]
    inputs: tuple[str, ...] = ()
    for cell in bad["inputs"].fillna(""):
        inputs += tuple(i for i in str(cell).split() if i not in inputs)
    why = (
        f" ({len(unstated)} of them, {', '.join(unstated['claim_id'])}, because the check would rest on an "
        f"assumption the text does not make or on inputs of different definitions; the others because an input "
        f"is never stated)"
        if len(unstated)
        else " because an input is never stated"
    )
    text = (
        f"Of the {count['total']} derived statements in the documents (growth rates, multiples, thresholds, shares), "
        f"{count['consistent']} are consistent with the documents' own levels within the rounding each number "
        f"carries, {count['inconsistent']} {'is' if count['inconsistent'] == 1 else 'are'} not "
        f"({', '.join(bad['claim_id'])}) and {count['not checkable']} cannot be checked{why}; an inconsistency "
        f"often means another base or a real rate, not an arithmetic slip."
    )
    ext = summary[summary["document"].astype(str) == "external"]
    if not ext.empty:
        e = ext.iloc[0]
        text = text[:-1] + (
            f"; of {int(e['total'])} figures in external sources checked the same way, {int(e['consistent'])} agree,"
            f" {int(e['inconsistent'])} do not and {int(e['not checkable'])} cannot be checked."
        )
    return Finding(
        "audit",
        text,
        "2016-2021 documents",
        "documents only",
        "claims_audit",
        "Verdict counts by document and kind|Verdicts by document",
        "claims_audit_summary",
        n,
        inputs,
    )


@finding
def audit_disagreements(ctx: Context) -> Finding:
    """Statements of the documents checked against each other (consistency register).

    The example of "different definitions" is a pair that is one by its wording: the
    same-count check (a quantity stated twice) with the closest values that still differ
    beyond rounding, and its ``definitions`` words are quoted.
    """
    t = ctx.table("claims_audit_consistency")
    if "verdict" not in t.columns or t.empty:
        raise Skip("claims_audit_consistency.csv has no verdicts")
    counts = t["verdict"].value_counts()
    diff = t[(t["verdict"] == "different definitions") & (t["kind"] == "same_count")]
    apart = diff[(diff["low_a"] > diff["high_b"]) | (diff["high_a"] < diff["low_b"])]
    if apart.empty:
        raise Skip("no same-count pair of different definitions differs beyond rounding")
    ratio = apart["value_a"].astype(float) / apart["value_b"].astype(float)
    gap = ratio.where(ratio >= 1, 1 / ratio)  # how far apart, whichever side is larger
    example = apart.loc[gap.idxmin()]
    n = int(gap.idxmin()) + 1  # the table's 1-based data row
    ids = set(ctx.observations["obs_id"])
    inputs: tuple[str, ...] = ()
    for col in ("left", "right"):
        for tok in str(example.get(col, "")).replace("/", " ").replace("*", " ").replace("+", " ").split():
            if tok in ids and tok not in inputs:
                inputs += (tok,)
    undecided = int(counts.get("not decidable", 0))
    text = (
        f"Checked against each other, {len(t)} pairs of statements in the documents give "
        f"{int(counts.get('agree', 0))} agreements, {int(counts.get('disagree', 0))} disagreements, "
        f"{int(counts.get('different definitions', 0))} pairs whose wording shows two different things (for "
        f"example {example['check_id']}: {example.get('shown_a', '')} against {example.get('shown_b', '')}, "
        f"where {example.get('definitions', '')})"
        + (
            f" and {undecided} that cannot be decided because the comparison needs an assumption the text does not make"
            if undecided
            else ""
        )
        + "; a disagreement may reflect a different base or date rather than an error."
    )
    return Finding(
        "consistency",
        text,
        "2016-2021 documents",
        "documents only",
        "claims_audit",
        "Internal consistency",
        "claims_audit_consistency",
        n,
        inputs,
    )


@finding
def province_benchmark(ctx: Context) -> Finding:
    """Xiangxi against Hunan: the GDP CAGR difference over the like-for-like window, the share and per-capita ratio."""
    prov = ctx.table("comparisons")
    prov = prov[(prov["section"] == "province") & (prov["region"] == "Xiangxi")]
    if prov.empty:
        raise Skip("comparisons.csv has no province section for Xiangxi")
    bench = str(prov["benchmark"].iloc[0])
    cagr = f"gdp: CAGR difference with {bench}"
    n, r = ctx.row(
        "comparisons",
        section="province",
        region="Xiangxi",
        metric=cagr,
        status="matched",
        where=lambda t: t["note"].fillna("").str.startswith("like for like"),
    )
    y0, y1 = _years(str(r["year_or_period"]).replace("-", " "))
    _, real = ctx.row(
        "comparisons",
        section="province",
        region="Xiangxi",
        year_or_period=r["year_or_period"],
        metric=f"gdp: real CAGR difference with {bench}",
    )
    real_text = (
        f"{num(100 * real['gap'])} pp in real terms"
        if real["status"] == "matched"
        else "nominal only: official real growth does not cover every year of the window on both sides"
    )
    _, s0 = ctx.row(
        "comparisons", section="province", region="Xiangxi", metric=f"gdp: share of {bench}", year_or_period=y0
    )
    _, s1 = ctx.row(
        "comparisons", section="province", region="Xiangxi", metric=f"gdp: share of {bench}", year_or_period=y1
    )
    across = ""
    try:
        _, x = ctx.row(
            "comparisons",
            section="province",
            region="Xiangxi",
            metric=cagr,
            status="matched",
            where=lambda t: t["note"].fillna("").str.startswith("crosses"),
        )
        across = (
            f"; across the census revision ({x['year_or_period']}) it grew {num(abs(100 * x['gap']))} pp a year "
            f"{'faster' if x['gap'] > 0 else 'slower'}"
        )
    except Skip:
        pass
    pc = prov[(prov["metric"] == f"gdp_per_capita: relative to {bench}") & (prov["status"] == "matched")]
    per_capita = ""
    if len(pc) >= 2:
        a, b = pc.iloc[0], pc.iloc[-1]
        revised = " (the later year on the revised basis for both)" if "revised basis" in str(b["note"]) else ""
        per_capita = (
            f", and GDP per capita was {num(a['ratio'])} of {bench}'s in {a['year_or_period']} and {num(b['ratio'])} in "
            f"{b['year_or_period']}{revised}"
        )
    seen = {int(y) for y in ctx.observations.loc[ctx.observations["series_id"] == f"{bench.lower()}.gdp", "year"]}
    gaps = [y for y in range(y0, y1 + 1) if y not in seen]
    missing = f", and {bench}'s GDP for {', '.join(map(str, gaps))} is not in the data" if gaps else ""
    like = str(r["note"]).split(";")[0].removeprefix("like for like: ")
    text = (
        f"Over {y0}-{y1} ({like}), Xiangxi's GDP grew {pct(r['value'], 2)} a year "
        f"against {bench}'s {pct(r['benchmark_value'], 2)}, {num(abs(100 * r['gap']))} percentage points a year "
        f"{'faster' if r['gap'] > 0 else 'slower'} ({real_text}), so its share of {bench}'s GDP went from "
        f"{pct(s0['ratio'], 3)} to {pct(s1['ratio'], 3)}{across}{per_capita}; Xiangxi is part of {bench}{missing}."
    )
    ids = tuple(o for o in ctx.obs_ids("xiangxi.gdp", [y0, y1]) + ctx.obs_ids(f"{bench.lower()}.gdp", [y0, y1]))
    if per_capita:
        yrs = [int(pc.iloc[0]["year_or_period"]), int(pc.iloc[-1]["year_or_period"])]
        ids += ctx.obs_ids("xiangxi.gdp_per_capita", yrs) + ctx.obs_ids(f"{bench.lower()}.gdp_per_capita", yrs)
    return Finding(
        "province-benchmark",
        text,
        f"{y0}-{y1}",
        basis(r.get("kinds", "")),
        "comparisons",
        "Against the province: each region inside it and the provincial benchmark",
        "comparisons",
        n,
        ids,
    )


@finding
def counties_exited(ctx: Context) -> Finding:
    """Poverty counties exited in the Wuling area."""
    n, r = ctx.row(
        "comparisons",
        section="counties",
        status="matched",
        region="Wuling",
        metric="poverty_counties_exited / poverty_counties_total",
    )
    year = int(str(r["year_or_period"]).split()[0])
    text = (
        f"By {year}, {r['value']:g} of the Wuling area's {r['benchmark_value']:g} poverty counties had exited "
        f"poverty status ({pct(r['ratio'])}); exit is an administrative status, not a measured income level."
    )
    inputs = ctx.obs_ids("wuling.poverty_counties_exited", [year]) + ctx.obs_ids(
        "wuling.poverty_counties_total", [year]
    )
    return Finding(
        "counties",
        text,
        str(year),
        "documents only",
        "comparisons",
        "Area outcomes: poverty counties exited",
        "comparisons",
        n,
        inputs,
    )


# ---------------------------------------------------------------------------- collect


def name_low_confidence(ctx: Context, f: Finding) -> Finding:
    """The finding with its low-confidence inputs named at the end of its sentence.

    An input whose ``confidence`` (the external figures' column of the observations) is
    ``low`` is listed by id, so a reader sees which headline rests on a weak source. The
    sentence is unchanged when no input is low or the observations have no such column.
    """
    o = ctx.observations
    if "confidence" not in o.columns or not f.inputs:
        return f
    conf = dict(zip(o["obs_id"].astype(str), o["confidence"].fillna("").astype(str), strict=True))
    low = [i for i in f.inputs if conf.get(i, "").strip().lower() == "low"]
    if not low:
        return f
    many = "s" if len(low) > 1 else ""
    text = f"{f.text.rstrip('.')}; it rests on low-confidence external value{many} {', '.join(low)}."
    return replace(f, text=text)


def collect(tables_dir: Path, observations: pd.DataFrame, limit: int = 12) -> list[Finding]:
    """Every finding the tables support, each skipped one printed with its reason.

    When more than ``limit`` are available, the :data:`OPTIONAL` ones are left out from the
    end of the page until ``limit`` remain.
    """
    ctx = Context(Path(tables_dir), observations)
    out: list[tuple[str, Finding]] = []
    for fn in FINDINGS:
        try:
            out.append((fn.__name__, name_low_confidence(ctx, fn(ctx))))
        except Skip as why:
            print(f"[findings] skipped {fn.__name__}: {why}")
        except (KeyError, ValueError, TypeError) as exc:  # a table whose layout changed
            print(f"[findings] skipped {fn.__name__}: {type(exc).__name__}: {exc}")
    for name in [n for n, _ in reversed(out) if n in OPTIONAL]:
        if len(out) <= limit:
            break
        out = [(n, f) for n, f in out if n != name]
    return [f for _, f in out[:limit]]
