"""The growth-rate report: series selection, the growth table and its figures.

``notebooks/growth_rates.ipynb`` calls these functions; each returns data (a table)
or saves a figure, so the notebook stays a short narrative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.load import get_series, load_observations
from analysis.metrics.growth import analyse_series, growth_table
from analysis.reports.outputs import Outputs, outputs
from analysis.reports.params import SeriesSpec, as_bool, as_year, pairs_from, resolve_series

DEFAULT_SERIES: tuple[tuple[str, str, int, int], ...] = (
    ("Xiangxi", "gdp", 2013, 2019),
    ("Xiangxi", "gdp_per_capita", 2013, 2019),
    ("Xiangxi", "rural_disposable_income", 2012, 2018),
    ("Wuling", "rural_disposable_income", 2010, 2019),
    ("Xiangxi", "rural_dibao_standard", 2014, 2019),
    ("Xiangxi", "rural_dibao_monthly_assistance", 2014, 2019),
    ("Xiangxi", "extreme_poverty_support_standard", 2014, 2019),
    ("Xiangxi", "severe_disability_care_subsidy", 2016, 2019),
    ("Xiangxi", "needy_disabled_living_subsidy", 2016, 2019),
    ("China", "poverty_line_current_prices", 2011, 2016),
    ("Xiangxi", "poverty_incidence", 2013, 2019),
    ("Xiangxi", "poor_population", 2013, 2019),
    ("Wuling", "poverty_incidence", 2011, 2019),
    ("Wuling", "poor_population", 2011, 2019),
)
"""The default run: (region, indicator, start, end)."""

SOURCE_NOTE = (
    "Source: curated from the five policy documents (data/raw); open markers are external "
    "(secondary) values, diamonds derived values. Current prices."
)


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
) -> GrowthRun:
    """Validate the notebook parameters and load the selected series.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    start, end, base = as_year(start_year, "start_year"), as_year(end_year, "end_year"), as_year(base_year, "base_year")
    ext = as_bool(include_external, "include_external")
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
    series = {sp.series_id: get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end) for sp in specs}
    return GrowthRun(specs, series, base, outputs(output_dir, run_name), run_name, skipped=skipped)


def selection(run: GrowthRun) -> pd.DataFrame:
    """The selected series: period, observed years, kinds, unit, treatment.

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
            }
        )
    for why in run.skipped:
        rows.append({"series": why.split(":")[0], "treatment": "skipped", "observed years": why.split(": ", 1)[1]})
    return pd.DataFrame(rows).fillna("")


def build_table(run: GrowthRun) -> pd.DataFrame:
    """Compute the growth table, write it to ``tables/<run_name>.csv`` and return it."""
    rows = []
    for sp in run.specs:
        rows += analyse_series(run.series[sp.series_id], sp.start, sp.end, sp.mode, sp.breaks)
    run.table = growth_table(rows)
    run.out.table(run.table, run.name)
    external = any((s["kind"] == "external").any() for s in run.series.values())
    basis = "document and external values" if external else "document values only"
    run.out.latex(display_table(run), run.name, f"Growth rates of the curated series, current prices ({basis}).")
    return run.table


LEVEL_COLUMNS = ("series_id", "year", "value", "unit", "kind", "vintage", "source", "note")


def levels_table(run: GrowthRun, min_points: int = 3) -> pd.DataFrame:
    """Every year of each annual growth series' period: the value used, where it comes from, or that it is missing.

    Series with at least ``min_points`` observed years are listed (endpoint-only series are in
    the dumbbell chart). A year no source gives is a row with no value (never interpolated);
    break years and preliminary or revised figures are marked, and an external alternative of
    another vintage or basis is named beside the value used. Written to
    ``tables/<run_name>_levels.csv``.
    """
    rows = []
    for sp in run.by_mode("growth"):
        s = run.series[sp.series_id]
        if len(s) < min_points:
            continue
        cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
        alts = cands[cands["preferred"] == "no"]
        by_year = s.set_index(s["year"].astype(int))
        for y in range(sp.start, sp.end + 1):
            notes = []
            if y in sp.breaks:
                notes.append(
                    "series break: revised basis (fourth economic census), not like-for-like with earlier years"
                )
            if y not in by_year.index:
                notes.append("no source gives this year: not interpolated")
                rows.append({**dict.fromkeys(LEVEL_COLUMNS, ""), "series_id": sp.series_id, "year": y, "unit": sp.unit})
                rows[-1]["note"] = "; ".join(notes)
                continue
            r = by_year.loc[y]
            source = (
                r["source_id"] if r["kind"] == "document" else r["publisher"] if r["kind"] == "external" else "derived"
            )
            if r["kind"] == "external":
                notes.append(f"external ({r['confidence']} confidence): {r['basis']}")
            for _, a in alts[alts["year"] == y].iterrows():
                notes.append(f"alternative not used: {a['value']:g} ({a['vintage']}; {a['basis']})")
            rows.append(
                {
                    "series_id": sp.series_id,
                    "year": y,
                    "value": r["value"],
                    "unit": sp.unit,
                    "kind": r["kind"],
                    "vintage": r["vintage"],
                    "source": source,
                    "note": "; ".join(notes),
                }
            )
    out = pd.DataFrame(rows, columns=list(LEVEL_COLUMNS))
    run.out.table(out, f"{run.name}_levels")
    return out


SENSITIVITY_COLUMNS = (
    "series_id",
    "period",
    "substitute",
    "year",
    "value_used",
    "value_alternative",
    "vintage",
    "basis",
    "cagr",
    "cagr_alternative",
    "trend_growth",
    "trend_alternative",
)


def sensitivity(run: GrowthRun) -> pd.DataFrame:
    """Growth with each external alternative (another vintage or basis) in place of the value used.

    One row per alternative inside a growth series' period: the CAGR and trend of the default
    series beside those of the series with the alternative substituted (labelled by its id,
    vintage and basis). Alternatives never enter the growth table itself. Written to
    ``tables/<run_name>_sensitivity.csv``.
    """
    rows = []
    for sp in run.by_mode("growth"):
        cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
        base = analyse_series(run.series[sp.series_id], sp.start, sp.end, sp.mode)[0]
        for _, a in cands[cands["preferred"] == "no"].iterrows():
            alt = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, substitute=[a["obs_id"]])
            r = analyse_series(alt, sp.start, sp.end, sp.mode)[0]
            used = run.series[sp.series_id]
            rows.append(
                {
                    "series_id": sp.series_id,
                    "period": f"{sp.start}-{sp.end}",
                    "substitute": a["obs_id"],
                    "year": int(a["year"]),
                    "value_used": used.loc[used["year"] == a["year"], "value"].iloc[0],
                    "value_alternative": a["value"],
                    "vintage": a["vintage"],
                    "basis": a["basis"],
                    "cagr": base.cagr,
                    "cagr_alternative": r.cagr,
                    "trend_growth": base.trend_growth,
                    "trend_alternative": r.trend_growth,
                }
            )
    out = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    run.out.table(out, f"{run.name}_sensitivity")
    return out


def display_table(run: GrowthRun) -> pd.DataFrame:
    """The growth table formatted for reading (percentages, rounded)."""
    t = run.table.copy()
    for c in ("cagr", "trend_growth", "trend_ci_low", "trend_ci_high"):
        t[c] = t[c].map(lambda v: "" if v is None or pd.isna(v) else f"{100 * v:.2f}%")
    t["change"] = [("" if pd.isna(v) else f"{v:+.2f} {u}") for v, u in zip(t["change"], t["change_unit"], strict=True)]
    t["change_per_year"] = t["change_per_year"].map(lambda v: "" if pd.isna(v) else f"{v:+.2f}")
    t["log_change"] = t["log_change"].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
    t["doubling_time"] = t["doubling_time"].map(lambda v: "" if pd.isna(v) or math.isinf(v) else f"{v:.1f}")
    t["period"] = t["start_year"].astype(str) + "-" + t["end_year"].astype(str)
    return t[
        [
            "series_id",
            "period",
            "n_points",
            "method",
            "cagr",
            "trend_growth",
            "trend_ci_low",
            "trend_ci_high",
            "change",
            "change_per_year",
            "log_change",
            "doubling_time",
            "external_used",
            "vintages",
            "missing_years",
            "note",
        ]
    ]


def headline(run: GrowthRun, series_id: str, start: int | None = None, end: int | None = None) -> pd.Series | None:
    """The table row of ``series_id`` over its full period (or ``start``-``end``)."""
    t = run.table[(run.table["series_id"] == series_id) & ~run.table["note"].str.contains("without the break")]
    if start is not None:
        t = t[(t["start_year"] == start) & (t["end_year"] == end)]
    return None if t.empty else t.iloc[0]


def _pct(v: float) -> str:
    return f"{100 * v:.2f}%"


def narrate(run: GrowthRun) -> str:
    """One computed sentence per series (markdown bullets), stating method, years and n."""
    lines = []
    t = run.table
    for sp in run.specs:
        rows = t[t["series_id"] == sp.series_id]
        main = rows[~rows["note"].str.contains("without the break")].iloc[0]
        s = run.series[sp.series_id]
        v0, v1 = float(s["value"].iloc[0]), float(s["value"].iloc[-1])
        head = (
            f"- **{sp.region} {sp.label}** ({sp.unit}), {sp.start}-{sp.end}, {main['n_points']} observed years "
            f"({main['kinds_used']}): {v0:g} to {v1:g}; "
        )
        if main["missing_years"] and main["n_points"] > 2:
            head += f"no value for {', '.join(main['missing_years'].split())} (not found, not interpolated); "
        if main["vintages"]:
            head += f"vintages: {main['vintages']}; "
        if sp.mode == "growth":
            txt = f"CAGR {_pct(main['cagr'])} a year"
            if not math.isinf(main["doubling_time"]):
                txt += f" (doubling time {main['doubling_time']:.1f} years)"
            if pd.notna(main["trend_growth"]):
                txt += (
                    f"; log-linear trend {_pct(main['trend_growth'])} (95% CI {_pct(main['trend_ci_low'])} to "
                    f"{_pct(main['trend_ci_high'])}, {main['n_points'] - 2} degrees of freedom)"
                )
            else:
                txt += "; too few points for a trend"
            for _, r in rows[rows["note"].str.contains("without the break")].iterrows():
                txt += f"; without the break year: {_pct(r['cagr'])} a year ({r['start_year']}-{r['end_year']})"
                if pd.notna(r["trend_growth"]):
                    txt += (
                        f", trend {_pct(r['trend_growth'])} (95% CI {_pct(r['trend_ci_low'])} to "
                        f"{_pct(r['trend_ci_high'])}, {r['n_points'] - 2} degrees of freedom)"
                    )
        else:
            unit = "percentage points" if sp.mode == "rate" else sp.unit
            txt = (
                f"change {main['change']:+.2f} {unit} ({main['change_per_year']:+.2f} a year); "
                f"log change {main['log_change']:.2f}"
            )
        lines.append(head + txt + ".")
    return "\n".join(lines)
