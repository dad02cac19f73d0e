"""The growth-rate report: series selection, the growth table and its figures.

``notebooks/growth_rates.ipynb`` calls these functions; each returns data (a table)
or saves a figure, so the notebook stays a short narrative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.data.load import VINTAGE_CHOICES, get_series, load_observations, single_vintage
from analysis.data.vocab import indicator_fact
from analysis.metrics.growth import BREAK_MARK, analyse_series, growth_table, is_break_row
from analysis.reports import real_terms as rt
from analysis.reports.growth_levels import (  # re-exported: the notebook calls gr.levels_table, gr.sensitivity
    LEVEL_COLUMNS as LEVEL_COLUMNS,
)
from analysis.reports.growth_levels import (
    SENSITIVITY_COLUMNS as SENSITIVITY_COLUMNS,
)
from analysis.reports.growth_levels import (
    display_sensitivity as display_sensitivity,
)
from analysis.reports.growth_levels import (
    levels_table as levels_table,
)
from analysis.reports.growth_levels import (
    percent,
    with_release_vintage,
)
from analysis.reports.growth_levels import (
    sensitivity as sensitivity,
)
from analysis.reports.growth_segments import SEGMENT_COLUMNS, cagr_of, crossed_years, crosses_break, finish, segment_of
from analysis.reports.outputs import Outputs
from analysis.reports.params import (
    CENSUS_REVISION,
    SeriesSpec,
    as_choice,
    as_year,
    pairs_from,
    resolve_series,
    run_base,
)

DEFAULT_SERIES: tuple[tuple[str, str, int, int], ...] = (
    ("Xiangxi", "gdp", 2013, 2019),
    ("Xiangxi", "gdp_per_capita", 2013, 2019),
    ("Xiangxi", "rural_disposable_income", 2012, 2018),
    ("Wuling", "rural_disposable_income", 2010, 2019),
    ("China", "rural_disposable_income", 2014, 2019),
    ("China", "gdp", 2013, 2019),
    ("Xiangxi", "rural_dibao_standard", 2014, 2019),
    ("Xiangxi", "rural_dibao_monthly_assistance", 2014, 2019),
    ("Xiangxi", "extreme_poverty_support_standard", 2014, 2019),
    ("Xiangxi", "severe_disability_care_subsidy", 2016, 2019),
    ("Xiangxi", "needy_disabled_living_subsidy", 2016, 2019),
    ("China", "poverty_line_current_prices", 2011, 2016),
    ("Xiangxi", "poverty_incidence", 2013, 2019),
    ("Xiangxi", "poverty_incidence_common_base", 2013, 2019),
    ("Xiangxi", "poor_population", 2013, 2019),
    ("Wuling", "poverty_incidence", 2011, 2019),
    ("Wuling", "poor_population", 2011, 2019),
)
"""The default run: (region, indicator, start, end)."""

SOURCE_NOTE = (
    "Source: curated from the five policy documents (data/raw); open markers are external "
    "(secondary) values, diamonds derived values. Current prices unless marked real."
)

REAL_COLUMNS = (
    "prices",
    "real_cagr",
    "real_trend_growth",
    "real_trend_ci_low",
    "real_trend_ci_high",
    "price_index",
    "price_base_year",
    "official_real_growth",
    "official_gap",
    "real_note",
    "price_index_series",
    "price_index_proxy",
)
"""Columns appended to the growth table: real growth beside the nominal, the index used in every
row, the official real growth where NBS publishes it and the gap (CPI-deflated minus official, a
fraction a year). ``price_index_series`` is the series of the index used (``china.cpi_change``) and
``price_index_proxy`` says why it stands in for another (empty when it is the series' own). The nominal columns are always written; ``prices`` says what was requested."""


@dataclass
class GrowthRun:
    """A validated selection of series with their data."""

    specs: list[SeriesSpec]
    series: dict[str, pd.DataFrame]
    base_year: int | None
    out: Outputs
    name: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: list[str] = field(default_factory=list)
    prices: str = "both"
    real: dict = field(default_factory=dict)
    vintage: str = "single"
    substituted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per series id, the revised-back alternatives that make it single-vintage (``vintage="single"``)."""

    @property
    def show_nominal(self) -> bool:
        return self.prices in ("both", "nominal")

    @property
    def show_real(self) -> bool:
        return self.prices in ("both", "real")

    def by_mode(self, *modes: str) -> list[SeriesSpec]:
        return [s for s in self.specs if s.mode in modes]


def prepare(
    region: object = "default",
    indicator: object = "default",
    start_year: object = None,
    end_year: object = None,
    base_year: object = None,
    include_external: object = True,
    break_years: object = "auto",
    output_dir: object = None,
    run_name: str = "growth_rates",
    prices: object = "both",
    vintage: object = "single",
) -> GrowthRun:
    """Validate the notebook parameters and load the selected series.

    ``prices`` is one of :data:`analysis.reports.real_terms.PRICES`: ``both`` (default) puts
    real growth beside the nominal, ``nominal`` or ``real`` shows one of them. ``vintage`` is one
    of :data:`analysis.data.load.VINTAGE_CHOICES`: ``single`` (default) reads a series with
    revised-back alternatives (China's GDP after the fourth economic census) on that one vintage
    (:func:`analysis.data.load.single_vintage`), so its census break no longer applies and the
    published mixed-vintage rows are a labelled sensitivity; ``published`` uses the preferred rows.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    price_choice = as_choice(prices, "prices", rt.PRICES)
    vintage_choice = as_choice(vintage, "vintage", VINTAGE_CHOICES)
    start, end, base = as_year(start_year, "start_year"), as_year(end_year, "end_year"), as_year(base_year, "base_year")
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    ext = shared.include_external
    obs = load_observations()
    pairs = pairs_from(region, indicator, [(r, i) for r, i, _, _ in DEFAULT_SERIES], obs["region"])
    defaults = {(r, i): (a, b) for r, i, a, b in DEFAULT_SERIES}
    specs: list[SeriesSpec] = []
    skipped: list[str] = []
    using_defaults = indicator == "default"
    for pair in pairs:
        s0, e0 = (start, end)
        if pair in defaults and start is None and end is None and using_defaults:
            s0, e0 = defaults[pair]
        if using_defaults and not ext:
            docs = obs[(obs["region"] == pair[0]) & (obs["indicator"] == pair[1]) & (obs["kind"] != "external")]
            if docs["year"].nunique() < 2:
                skipped.append(f"{pair[0]} {pair[1]}: fewer than two non-external years")
                continue
            s0, e0 = (s0 if s0 in set(docs["year"]) else None), (e0 if e0 in set(docs["year"]) else None)
        specs += resolve_series([pair], s0, e0, ext, break_years, obs=obs)
    if base is not None:
        for sp in specs:
            years = set(get_series(sp.region, sp.indicator, sp.kinds)["year"].astype(int))
            if base not in years:
                raise ValueError(
                    f"base_year {base} is not observed for {sp.region} {sp.indicator}; valid "
                    f"choices: {', '.join(map(str, sorted(years)))}"
                )
    series, substituted = {}, {}
    for i, sp in enumerate(specs):
        s, ids = single_vintage(sp.region, sp.indicator, sp.kinds, sp.start, sp.end)
        if vintage_choice == "single" and ids:
            # One vintage throughout: the census revision is not a break inside this series.
            specs[i] = sp = replace(sp, breaks=tuple(b for b in sp.breaks if sp.break_at(b) is not CENSUS_REVISION))
            series[sp.series_id], substituted[sp.series_id] = s, ids
        else:
            series[sp.series_id] = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end)
        series[sp.series_id] = with_release_vintage(series[sp.series_id], sp)
    return GrowthRun(
        specs,
        series,
        base,
        shared.outputs(),
        shared.run_name,
        skipped=skipped,
        prices=price_choice,
        vintage=vintage_choice,
        substituted=substituted,
    )


def selection(run: GrowthRun) -> pd.DataFrame:
    """The selected series: period, observed years, kinds, unit, treatment, population basis.

    ``population basis`` is the denominator of a per-capita series (``indicators.csv``), empty
    for the others.

    Default series left out because they have no document values when external values
    are excluded are listed as ``skipped``.
    """
    rows = []
    for sp in run.specs:
        s = run.series[sp.series_id]
        rows.append(
            {
                "series": sp.series_id,
                "label": sp.label,
                "unit": sp.unit,
                "period": f"{sp.start}-{sp.end}",
                "observed years": " ".join(str(int(y)) for y in s["year"]),
                "kinds": " ".join(sorted(set(s["kind"]))),
                "treatment": sp.mode,
                "breaks": " ".join(map(str, sp.breaks)),
                "population basis": indicator_fact(sp.indicator, "population_basis"),
            }
        )
    for why in run.skipped:
        rows.append({"series": why.split(":")[0], "treatment": "skipped", "observed years": why.split(": ", 1)[1]})
    return pd.DataFrame(rows).fillna("")


def build_table(run: GrowthRun) -> pd.DataFrame:
    """Compute the growth table, write it to ``tables/<run_name>.csv`` and return it.

    The columns are :data:`analysis.metrics.growth.TABLE_COLUMNS`, then :data:`REAL_COLUMNS`,
    then :data:`SEGMENT_COLUMNS`.
    """
    rows, real, segments = [], [], []
    obs = load_observations()
    for sp in run.specs:
        for r in analyse_series(run.series[sp.series_id], sp.start, sp.end, sp.mode, sp.breaks):
            rows.append(r)
            real.append(_real_columns(run, sp, r.start_year, r.end_year, obs))
            segments.append(segment_of(r.start_year, r.end_year, sp.start, sp.end, sp.breaks))
    table = growth_table(rows)
    run.table = pd.concat(
        [
            table,
            pd.DataFrame(real, columns=list(REAL_COLUMNS)),
            pd.DataFrame(segments, columns=list(SEGMENT_COLUMNS)),
        ],
        axis=1,
    ).pipe(finish, run.specs, obs)
    run.out.table(run.table, run.name)
    external = any((s["kind"] == "external").any() for s in run.series.values())
    basis = "document and external values" if external else "document values only"
    run.out.latex(display_table(run), run.name, f"Growth rates of the curated series, current prices ({basis}).")
    return run.table


def _real_columns(run: GrowthRun, sp: SeriesSpec, start: int, end: int, obs: pd.DataFrame) -> dict:
    """The real columns of one growth row (empty values with a note where there is no real value)."""
    row: dict = {"prices": run.prices}
    if sp.mode != "growth":
        row["real_note"] = "not a money amount: no deflation (a poverty measure under a fixed real line is real)"
        return row
    if not run.show_real:
        row["real_note"] = "real terms not requested (prices = nominal)"
        return row
    g = rt.real_growth(run.series[sp.series_id], start, end, sp.kinds, obs)
    run.real[(sp.series_id, start, end)] = g
    row.update(
        real_cagr=g.real_cagr,
        real_trend_growth=g.trend_growth,
        real_trend_ci_low=g.trend_ci_low,
        real_trend_ci_high=g.trend_ci_high,
        price_index=g.index,
        price_base_year=g.base_year,
        official_real_growth=g.official,
        official_gap=g.gap,
        price_index_series=g.index_series,
        price_index_proxy=g.proxy,
    )
    notes = [g.reason] if g.reason else []
    if g.real_cagr is not None:
        notes.append(f"real values in {start} prices")
    if g.official_label:
        notes.append(g.official_label)
    row["real_note"] = "; ".join(notes)
    return row


def _pcts(v: object) -> str:
    return "" if v is None or pd.isna(v) else f"{100 * float(v):.2f}%"  # type: ignore[arg-type]  # a table cell: float or NaN


def display_table(run: GrowthRun) -> pd.DataFrame:
    """The growth table for reading: the columns a reader needs, rates in percent, units in the headers.

    Nominal and/or real columns as ``prices`` asks. The CSV (``tables/<run_name>.csv``) keeps
    every column at full precision; this view leaves out the method text, the log and total
    changes, the years used, the real trend and the price index (named in the note).
    ``attrs["decimals"]`` fixes the decimals of the HTML view (:mod:`analysis.reports.tables`).
    """
    t = run.table

    def pct(col: str) -> pd.Series:
        return percent(t[col])

    def ci(lo_col: str, hi_col: str) -> list[str]:
        return [
            "" if pd.isna(lo) else f"{100 * lo:.2f} to {100 * hi:.2f}"
            for lo, hi in zip(t[lo_col], t[hi_col], strict=True)
        ]

    unit = {"percentage points": "pp"}
    cols: dict[str, object] = {
        "series": t["series_id"],
        "period": t["start_year"].astype(str) + "-" + t["end_year"].astype(str),
        "years": t["n_points"],
    }
    if run.show_nominal:
        cols["CAGR (%/yr)"] = pct("cagr")
        cols["trend, 95% CI (%/yr)"] = [
            "" if pd.isna(g) else "not fitted across a break" if crossed else f"{100 * g:.2f} ({c})"
            for g, c, crossed in zip(
                t["trend_growth"], ci("trend_ci_low", "trend_ci_high"), crosses_break(t), strict=True
            )
        ]
    if run.show_real:
        cols["real CAGR (%/yr)"] = pct("real_cagr")
        cols["official real (gap), %/yr"] = [
            "" if pd.isna(o) else f"{100 * o:.2f} ({100 * g:+.2f})" if pd.notna(g) else f"{100 * o:.2f}"
            for o, g in zip(t["official_real_growth"], t["official_gap"], strict=True)
        ]
    cols["change (per year)"] = [
        ""
        if pd.isna(v)
        else f"{v:+.2f} {unit.get(u, u)} ({w:+.2f}/yr)"
        if pd.notna(w)
        else f"{v:+.2f} {unit.get(u, u)}"
        for v, w, u in zip(t["change"], t["change_per_year"], t["change_unit"], strict=True)
    ]
    if run.show_nominal:
        cols["doubling (years)"] = t["doubling_time"].map(lambda v: float("nan") if pd.isna(v) or math.isinf(v) else v)
    cols["external"] = t["external_used"]
    real_note = t["real_note"].fillna("") if run.show_real else pd.Series("", index=t.index)
    notes = []
    crossed = t["crosses_break"] if "crosses_break" in t else pd.Series("", index=t.index)
    for n, miss, r, x in zip(t["note"].fillna(""), t["missing_years"].fillna(""), real_note, crossed, strict=True):
        bits = [f"crosses the {' and '.join(crossed_years(x))} series break: not like-for-like"] * bool(
            crossed_years(x)
        )
        bits += [str(n)] if n else []
        if miss:
            bits.append(f"years missing: {miss}")
        if r:
            bits.append(f"real: {r}")
        notes.append("; ".join(bits))
    cols["note"] = notes
    out = pd.DataFrame(cols)
    out.attrs["decimals"] = {c: 2 for c in ("CAGR (%/yr)", "real CAGR (%/yr)") if c in out} | (
        {"doubling (years)": 1} if "doubling (years)" in out else {}
    )
    return out


def headline(run: GrowthRun, series_id: str, start: int | None = None, end: int | None = None) -> pd.Series | None:
    """The table row of ``series_id`` over its full period (or ``start``-``end``)."""
    t = run.table[(run.table["series_id"] == series_id) & ~is_break_row(run.table["note"])]
    if start is not None:
        t = t[(t["start_year"] == start) & (t["end_year"] == end)]
    return None if t.empty else t.iloc[0]


def _pct(v: float) -> str:
    return f"{100 * v:.2f}%"


def _real_sentence(r: pd.Series) -> str:
    """The real part of a series' sentence: real CAGR and trend, the index, the official check."""
    if pd.isna(r["real_cagr"]):
        return f"real: {r['real_note']}"
    txt = f"**real** CAGR {_pct(r['real_cagr'])} a year in {int(r['price_base_year'])} prices"
    if pd.notna(r["real_trend_growth"]) and not crossed_years(r.get("crosses_break")):
        txt += (
            f", real trend {_pct(r['real_trend_growth'])} (95% CI {_pct(r['real_trend_ci_low'])} to "
            f"{_pct(r['real_trend_ci_high'])})"
        )
    txt += f" (index: {r['price_index']})"
    if pd.notna(r["official_gap"]):
        txt += (
            f"; the official real growth chained over the same years is {_pct(r['official_real_growth'])} a year, "
            f"a gap of {rt.fmt_pp(float(r['official_gap']))} a year (CPI-deflated minus official)"
        )
    return txt


def narrate(run: GrowthRun) -> str:
    """One computed sentence per series (markdown bullets), stating method, years and n."""
    lines = []
    t = run.table
    for sp in run.specs:
        rows = t[t["series_id"] == sp.series_id]
        main = rows[~is_break_row(rows["note"])].iloc[0]
        s = run.series[sp.series_id]
        v0, v1 = float(s["value"].iloc[0]), float(s["value"].iloc[-1])
        head = (
            f"- **{sp.region} {sp.label}** ({sp.unit}), {sp.start}-{sp.end}, {main['n_points']} observed years "
            f"({main['kinds_used']}): {v0:g} to {v1:g}; "
        )
        if indicator_fact(sp.indicator, "population_basis"):
            head += f"per person of the {indicator_fact(sp.indicator, 'population_basis')}; "
        if sp.series_id in run.substituted:
            low = [str(int(y)) for y, c in zip(s["year"], s["confidence"], strict=True) if c == "low"]
            head += (
                "one vintage (revised back after the "
                f"{indicator_fact(sp.indicator, 'revision_basis')}; the published rows, which cross the revisions, are "
                f"in the sensitivity table){'; low-confidence values: ' + ', '.join(low) if low else ''}; "
            )
        if main["missing_years"] and main["n_points"] > 2:
            head += f"no value for {', '.join(main['missing_years'].split())} (not found, not interpolated); "
        if main["vintages"]:
            head += f"vintages: {main['vintages']}; "
        if sp.mode == "growth":
            txt = cagr_of(main)
            crossed = crossed_years(main.get("crosses_break"))
            if crossed:
                txt += f" across the {' and '.join(crossed)} series break (not like-for-like); no trend is fitted across it"
            elif pd.notna(main["trend_growth"]):
                txt += (
                    f"; log-linear trend {_pct(main['trend_growth'])} (95% CI {_pct(main['trend_ci_low'])} to "
                    f"{_pct(main['trend_ci_high'])}, {main['n_points'] - 2} degrees of freedom: descriptive)"
                )
            else:
                txt += "; too few points for a trend"
            for b in (b for b in sp.breaks if sp.start < b <= sp.end):
                around = rows[is_break_row(rows["note"]) & rows["note"].str.contains(f"break year {b} ")]
                txt += f"; series break in {b} ({sp.break_at(b).label})"
                if around.empty:
                    txt += ": too few observed years on either side for a growth rate on one basis"
            for _, r in rows[is_break_row(rows["note"])].iterrows():
                which = r["note"].split(BREAK_MARK)[0].strip()  # "without the break year 2019 and after"
                txt += f"; {which}: {_pct(r['cagr'])} a year ({r['start_year']}-{r['end_year']})"
                if pd.notna(r["trend_growth"]) and not crossed_years(r.get("crosses_break")):
                    txt += (
                        f", trend {_pct(r['trend_growth'])} (95% CI {_pct(r['trend_ci_low'])} to "
                        f"{_pct(r['trend_ci_high'])}, {r['n_points'] - 2} degrees of freedom: descriptive)"
                    )
            if run.show_real:
                txt += "; " + _real_sentence(main)
            if not run.show_nominal:
                txt = _real_sentence(main)
        else:
            unit = "percentage points" if sp.mode == "rate" else sp.unit
            txt = (
                f"change {main['change']:+.2f} {unit} ({main['change_per_year']:+.2f} a year); "
                f"log change {main['log_change']:.2f}"
            )
        lines.append(head + txt + ".")
    return "\n".join(lines)
