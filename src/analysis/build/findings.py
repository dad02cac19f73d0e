"""Key findings for the top of ``reports/index.html``, generated from the report tables.

Each finding is one small function that reads a report table (``reports/tables/*.csv``),
picks its row and returns a :class:`Finding`: one sentence with the number, its period,
its basis (nominal or real; documents only or with external values) and its main
caveat, plus where it comes from (report section, table row, input observations). No
number is typed here: every number is read from a table or from the processed
observations.

A finding whose table or row is absent (a partial build, a run with other parameters, a
renamed series) raises :class:`Skip`; :func:`collect` logs the reason and goes on, so a
missing report never breaks the index.

To add a finding: write a function ``def my_finding(ctx: Context) -> Finding`` below,
decorate it with ``@finding``, read its row with ``ctx.row(table, **keys)`` and build the
sentence from the row's values. The order of definition is the order on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.metrics.growth import is_break_row


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

OPTIONAL = frozenset({"gdp_per_capita_growth", "wuling_poverty", "dibao_growth", "counties_exited"})
"""Findings left out first (from the end) when more than the page's limit are available."""


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


def _before_break(notes: pd.Series) -> pd.Series:
    """Growth rows of the years before a series break (``without the break year ... and after``)."""
    return is_break_row(notes) & notes.fillna("").str.startswith("without the break year")


def _after_break(notes: pd.Series) -> pd.Series:
    """Growth rows of the years from a series break on (``without the years before the break year ...``)."""
    return is_break_row(notes) & notes.fillna("").str.startswith("without the years before the break year")


# ---------------------------------------------------------------------------- findings


def _growth(ctx: Context, table: str, series_id: str, what: str, caveat: str, key: str) -> Finding:
    """A CAGR finding from a growth table row (full period, not the without-break row)."""
    n, r = ctx.row(table, series_id=series_id, where=lambda t: ~is_break_row(t["note"]))
    if pd.isna(r["cagr"]):
        raise Skip(f"{table}.csv row {n}: no CAGR for {series_id}")
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    trend = ""
    if pd.notna(r.get("trend_growth")):
        trend = (
            f" (log-linear trend {pct(r['trend_growth'])}, 95% CI {pct(r['trend_ci_low'])} to "
            f"{pct(r['trend_ci_high'])}, {int(r['n_points'])} points)"
        )
    text = (
        f"{what} grew {pct(r['cagr'])} a year in nominal terms over {s}-{e}, from {printed(o0)} to "
        f"{printed(o1)}{trend}; {caveat}."
    )
    return Finding(
        key,
        text,
        f"{s}-{e}",
        basis(r["kinds_used"]),
        table,
        "Growth table",
        table,
        n,
        ctx.obs_ids(series_id, _years(r["years_used"])),
    )


def _poverty(ctx: Context, series_id: str, who: str, key: str, caveat: str) -> Finding:
    n, r = ctx.row("growth_rates", series_id=series_id)
    s, e = int(r["start_year"]), int(r["end_year"])
    o0, o1 = ctx.obs(series_id, s), ctx.obs(series_id, e)
    text = (
        f"{who} poverty incidence fell from {printed(o0)} in {s} to {printed(o1)} in {e}, "
        f"{num(abs(r['change']))} percentage points ({num(abs(r['change_per_year']))} a year); {caveat}."
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
    """Xiangxi GDP: nominal CAGR, with the growth without the census-revised year."""
    _, alt = ctx.row("growth_rates", series_id="xiangxi.gdp", where=lambda t: _before_break(t["note"]))
    caveat = (
        f"the {int(alt['end_year']) + 1} value is on the fourth-census basis, and without it growth was "
        f"{pct(alt['cagr'])} a year ({int(alt['start_year'])}-{int(alt['end_year'])})"
    )
    return _growth(ctx, "growth_rates", "xiangxi.gdp", "Xiangxi's GDP", caveat, "gdp-growth")


@finding
def real_growth(ctx: Context) -> Finding:
    """Real growth beside the nominal, with the official real rate where published."""
    t = ctx.table("growth_rates")
    if "real_cagr" not in t.columns:
        raise Skip("growth_rates.csv has no real columns")
    for sid in ("xiangxi.gdp", "xiangxi.rural_disposable_income", "xiangxi.gdp_per_capita"):
        try:
            n, r = ctx.row(
                "growth_rates",
                series_id=sid,
                where=lambda t: ~is_break_row(t["note"]) & t["real_cagr"].notna(),
            )
            break
        except Skip:
            continue
    else:
        raise Skip("no Xiangxi series has a real CAGR in growth_rates.csv")
    s, e = int(r["start_year"]), int(r["end_year"])
    what = {
        "xiangxi.gdp": "Xiangxi's GDP",
        "xiangxi.rural_disposable_income": "Xiangxi's rural income per capita",
        "xiangxi.gdp_per_capita": "Xiangxi's GDP per capita",
    }[sid]
    official = ""
    if pd.notna(r.get("official_real_growth")):
        official = f"; the official real growth chained over the same years is {pct(r['official_real_growth'])} a year"
    after = ""
    try:  # the same on one side of a series break (rural income: one income concept)
        _, a = ctx.row("growth_rates", series_id=sid, where=lambda t: _after_break(t["note"]) & t["real_cagr"].notna())
        brk = str(a["note"]).split("break year ")[1].split()[0]
        after = (
            f"; over {int(a['start_year'])}-{int(a['end_year'])}, after the {brk} series break, "
            f"{pct(a['real_cagr'])} real against {pct(a['cagr'])} nominal"
        )
    except Skip:
        pass
    index, _, why = str(r["price_index"]).partition(" (")
    why = f"; {why.rstrip(')')}" if why else ""
    proxy = "" if why else "; a price index for a wider area stands in for the prefecture's own prices"
    text = (
        f"Deflated by {index} ({int(r['price_base_year'])} prices{why}), {what} grew {pct(r['real_cagr'])} a year "
        f"in real terms over {s}-{e}, against {pct(r['cagr'])} nominal{official}{after}{proxy}."
    )
    return Finding(
        "real-growth",
        text,
        f"{s}-{e}",
        basis(r["kinds_used"], real=True),
        "growth_rates",
        "Growth table",
        "growth_rates",
        n,
        ctx.obs_ids(sid, _years(r["years_used"])),
    )


@finding
def gdp_per_capita_growth(ctx: Context) -> Finding:
    """Xiangxi GDP per capita from the documents alone."""
    return _growth(
        ctx,
        "growth_documents_only",
        "xiangxi.gdp_per_capita",
        "Xiangxi's GDP per capita",
        "two endpoints only (no trend), the later one on the fourth-census basis",
        "gdppc-growth",
    )


@finding
def rural_income_growth(ctx: Context) -> Finding:
    """Xiangxi rural disposable income (external yearly values)."""
    sid = "xiangxi.rural_disposable_income"
    caveat = "these yearly values are secondary (external) data, not from the documents"
    try:
        _, a = ctx.row("growth_rates", series_id=sid, where=lambda t: _after_break(t["note"]))
        start = int(ctx.row("growth_rates", series_id=sid, where=lambda t: ~is_break_row(t["note"]))[1]["start_year"])
        brk = str(a["note"]).split("break year ")[1].split()[0]
        caveat = (
            f"the {start} value predates the {brk} change of rural income concept (net to disposable income), "
            f"and on one concept, {int(a['start_year'])}-{int(a['end_year'])}, growth was {pct(a['cagr'])} a "
            f"year; {caveat}"
        )
    except Skip:
        pass
    return _growth(ctx, "growth_rates", sid, "Xiangxi's rural disposable income per capita", caveat, "income-growth")


@finding
def china_convergence(ctx: Context) -> Finding:
    """Rural income against China: the CAGR difference (convergence) over the common years."""
    metric = "rural income convergence: CAGR difference"
    n, r = ctx.row("china_comparisons", metric=metric, region="Xiangxi", status="matched")
    ratios = ctx.table("china_comparisons")
    ratios = ratios[
        (ratios["metric"] == "rural income relative to China")
        & (ratios["region"] == "Xiangxi")
        & (ratios["status"] == "matched")
    ]
    period = str(r["year_or_period"])
    years = _years(period.replace("-", " "))
    real = ""
    try:
        _, rr = ctx.row(
            "china_comparisons",
            metric="rural income convergence: real CAGR difference",
            region="Xiangxi",
            status="matched",
        )
        real = f" ({num(100 * rr['gap'])} percentage points in real terms)"
    except Skip:
        pass
    move = ""
    if len(ratios) >= 2:
        move = f"; its ratio to China moved from {num(ratios['ratio'].iloc[0])} to {num(ratios['ratio'].iloc[-1])}"
    text = (
        f"Over {period} Xiangxi's rural income per capita grew {pct(r['value'])} a year against China's "
        f"{pct(r['benchmark_value'])}, {num(abs(100 * r['gap']))} percentage points a year "
        f"{'faster' if r['gap'] > 0 else 'slower'}{real}{move}; the Xiangxi series is external data and China's "
        f"national figure includes its richer provinces."
    )
    inputs = ctx.obs_ids("xiangxi.rural_disposable_income", years[:1] + years[-1:]) + ctx.obs_ids(
        "china.rural_disposable_income", years[:1] + years[-1:]
    )
    return Finding(
        "china-convergence",
        text,
        period,
        basis(r.get("kinds", "")) + ("; real alongside" if real else ""),
        "china_comparisons",
        "Against China: income convergence and poverty in two measurement systems|Rural income against China",
        "china_comparisons",
        n,
        inputs,
    )


@finding
def xiangxi_poverty(ctx: Context) -> Finding:
    return _poverty(
        ctx,
        "xiangxi.poverty_incidence",
        "Xiangxi's registered",
        "poverty-xiangxi",
        "registered-poor (建档立卡) counts under exit targets measure programme exits, not a survey",
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
    """Poverty-growth elasticity against GDP per capita beside the literature band."""
    run = "xiangxi.poverty_incidence ~ gdp_per_capita"
    n, r = ctx.row("elasticities", run=run, variant="log_arc")
    _, mid = ctx.row("elasticities", run=run, variant="midpoint")
    if pd.isna(r["elasticity"]):
        raise Skip(f"elasticities.csv row {n}: {r['status']}")
    lo, hi = float(r["literature_low"]), float(r["literature_high"])
    e = float(r["elasticity"])
    where = "inside" if lo <= e <= hi else ("more negative than" if e < lo else "less negative than")
    text = (
        f"Against GDP per capita, Xiangxi's poverty incidence has a log arc elasticity of {num(e)} over "
        f"{r['outcome_window']} (midpoint formula {num(mid['elasticity'])}), {where} the literature band "
        f"{num(lo, 1)} to {num(hi, 1)}; with two endpoints there is no inference, and incidence near zero "
        f"inflates the log arc."
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
    """Wuling: poverty incidence against rural income (window formula)."""
    run = "wuling.poverty_incidence ~ rural_disposable_income"
    n, r = ctx.row("elasticities", run=run, variant="window")
    if pd.isna(r["elasticity"]):
        raise Skip(f"elasticities.csv row {n}: {r['status']}")
    lo, hi = float(r["literature_low"]), float(r["literature_high"])
    e = float(r["elasticity"])
    where = "inside" if lo <= e <= hi else ("more negative than" if e < lo else "less negative than")
    text = (
        f"In the Wuling area, poverty incidence against rural income per capita has an elasticity of {num(e)} "
        f"(annualised, outcome {r['outcome_window']}, income {r['driver_window']}), {where} the survey-income "
        f"band {num(lo, 1)} to {num(hi, 1)}; the 2010 income is derived from a stated multiple and the "
        f"windows differ."
    )
    ow, dw = _years(str(r["outcome_window"]).replace("-", " ")), _years(str(r["driver_window"]).replace("-", " "))
    inputs = ctx.obs_ids("wuling.poverty_incidence", ow) + ctx.obs_ids("wuling.rural_disposable_income", dw)
    return Finding(
        "elasticity-income",
        text,
        f"{r['outcome_window']}",
        "nominal; documents + derived values",
        "elasticities",
        "Elasticity table",
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
    """Claims-audit verdict counts over the documents' claims (external claims counted apart)."""
    n, _ = ctx.row("claims_audit_summary", document="all")
    summary = ctx.table("claims_audit_summary")
    docs = summary[summary["document"].astype(str).str.fullmatch(r"doc\d+")]
    count = {c: int(docs[c].sum()) for c in ("consistent", "inconsistent", "not checkable", "total")}
    audit = ctx.table("claims_audit")
    bad = audit[(audit["verdict"] == "inconsistent") & audit["source_id"].astype(str).str.fullmatch(r"doc\d+")]
    inputs: tuple[str, ...] = ()
    for cell in bad["inputs"].fillna(""):
        inputs += tuple(i for i in str(cell).split() if i not in inputs)
    text = (
        f"Of the {count['total']} derived statements in the documents (growth rates, multiples, thresholds), "
        f"{count['consistent']} are consistent with the documents' own levels, {count['inconsistent']} are not "
        f"({', '.join(bad['claim_id'])}) and {count['not checkable']} cannot be checked because an input is never "
        f"stated (within the rounding each number carries); an inconsistency often means another "
        f"base or a real rate, not an arithmetic slip."
    )
    ext = summary[summary["document"].astype(str) == "external"]
    if not ext.empty:
        e = ext.iloc[0]
        text = text[:-1] + (
            f"; of {int(e['total'])} figures in external sources checked the same way, {int(e['consistent'])} agree"
            f" and {int(e['inconsistent'])} do not."
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
    """Statements of the documents checked against each other (consistency register)."""
    t = ctx.table("claims_audit_consistency")
    if "verdict" not in t.columns or t.empty:
        raise Skip("claims_audit_consistency.csv has no verdicts")
    counts = t["verdict"].value_counts()
    n, first = ctx.row("claims_audit_consistency", verdict="disagree")
    ids = set(ctx.observations["obs_id"])
    inputs: tuple[str, ...] = ()
    for col in ("left", "right"):
        for tok in str(first.get(col, "")).replace("/", " ").replace("*", " ").split():
            if tok in ids and tok not in inputs:
                inputs += (tok,)
    text = (
        f"Checked against each other, {len(t)} pairs of statements in the documents give "
        f"{int(counts.get('agree', 0))} agreements, {int(counts.get('disagree', 0))} disagreements and "
        f"{int(counts.get('different definitions', 0))} pairs that turn out to use different definitions (for "
        f"example {first['check_id']}: {first.get('shown_a', '')} against {first.get('shown_b', '')}); a "
        f"disagreement may reflect a different base or date rather than an error."
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


def collect(tables_dir: Path, observations: pd.DataFrame, limit: int = 12) -> list[Finding]:
    """Every finding the tables support, each skipped one printed with its reason.

    When more than ``limit`` are available, the :data:`OPTIONAL` ones are left out from the
    end of the page until ``limit`` remain.
    """
    ctx = Context(Path(tables_dir), observations)
    out: list[tuple[str, Finding]] = []
    for fn in FINDINGS:
        try:
            out.append((fn.__name__, fn(ctx)))
        except Skip as why:
            print(f"[findings] skipped {fn.__name__}: {why}")
        except (KeyError, ValueError, TypeError) as exc:  # a table whose layout changed
            print(f"[findings] skipped {fn.__name__}: {type(exc).__name__}: {exc}")
    for name in [n for n, _ in reversed(out) if n in OPTIONAL]:
        if len(out) <= limit:
            break
        out = [(n, f) for n, f in out if n != name]
    return [f for _, f in out[:limit]]
