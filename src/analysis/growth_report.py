"""The growth-rate report: series selection, the growth table and its figures.

``notebooks/growth_rates.ipynb`` calls these functions; each returns data (a table)
or saves a figure, so the notebook stays a short narrative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import figures
from analysis.growth import analyse_series, growth_table, index, trend_growth
from analysis.load import get_series, load_observations
from analysis.outputs import Outputs, outputs
from analysis.params import SeriesSpec, as_bool, as_year, pairs_from, resolve_series

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

SOURCE_NOTE = ("Source: curated from the five policy documents (data/raw); open markers are external "
               "(secondary) values, diamonds derived values. Current prices.")


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


def prepare(region: object = "default", indicator: object = "default", start_year: object = None,
            end_year: object = None, base_year: object = None, include_external: object = True,
            break_years: object = "auto", output_dir: object = None, run_name: str = "growth_rates") -> GrowthRun:
    """Validate the notebook parameters and load the selected series.

    Raises
    ------
    analysis.load.UnknownChoice
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
                raise ValueError(f"base_year {base} is not observed for {sp.region} {sp.indicator}; valid "
                                 f"choices: {', '.join(map(str, sorted(years)))}")
    series = {sp.series_id: get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end) for sp in specs}
    return GrowthRun(specs, series, base, outputs(output_dir), run_name, skipped=skipped)


def selection(run: GrowthRun) -> pd.DataFrame:
    """The selected series: period, observed years, kinds, unit, treatment.

    Default series left out because they have no document values when external values
    are excluded are listed as ``skipped``.
    """
    rows = []
    for sp in run.specs:
        s = run.series[sp.series_id]
        rows.append({"series": sp.series_id, "label": sp.label, "unit": sp.unit, "period": f"{sp.start}-{sp.end}",
                     "observed years": " ".join(str(int(y)) for y in s["year"]),
                     "kinds": " ".join(sorted(set(s["kind"]))), "treatment": sp.mode,
                     "breaks": " ".join(map(str, sp.breaks))})
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
    return run.table


def display_table(run: GrowthRun) -> pd.DataFrame:
    """The growth table formatted for reading (percentages, rounded)."""
    t = run.table.copy()
    for c in ("cagr", "trend_growth", "trend_ci_low", "trend_ci_high"):
        t[c] = t[c].map(lambda v: "" if v is None or pd.isna(v) else f"{100 * v:.2f}%")
    t["change"] = [("" if pd.isna(v) else f"{v:+.2f} {u}") for v, u in zip(t["change"], t["change_unit"])]
    t["change_per_year"] = t["change_per_year"].map(lambda v: "" if pd.isna(v) else f"{v:+.2f}")
    t["log_change"] = t["log_change"].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
    t["doubling_time"] = t["doubling_time"].map(lambda v: "" if pd.isna(v) or math.isinf(v) else f"{v:.1f}")
    t["period"] = t["start_year"].astype(str) + "-" + t["end_year"].astype(str)
    return t[["series_id", "period", "n_points", "method", "cagr", "trend_growth", "trend_ci_low", "trend_ci_high",
              "change", "change_per_year", "log_change", "doubling_time", "note"]]


def _unit_label(sp: SeriesSpec) -> str:
    return figures.unit_label(sp.unit)


def fig_levels(run: GrowthRun) -> dict | None:
    """Semi-log level panels with trend line, 95% band and breaks (growth series)."""
    specs = run.by_mode("growth")
    if not specs:
        return None
    ncol = 2 if len(specs) > 1 else 1
    nrow = math.ceil(len(specs) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.5 * (ncol / 2 + 0.5) if ncol > 1 else 7.5, 2.9 * nrow + 0.6),
                             squeeze=False)
    kinds: set[str] = set()
    for ax, sp in zip(axes.flat, specs):
        s = run.series[sp.series_id]
        kinds |= set(s["kind"])
        figures.plot_points(ax, s, "C0")
        tr = trend_growth(s)
        if tr is not None:
            yrs = np.arange(sp.start, sp.end + 1)
            band = tr.band(yrs)
            ax.plot(band["year"], band["fitted"], color="C3", lw=1.2,
                    label=f"log-linear trend {100 * tr.growth:.1f}%/yr")
            ax.fill_between(band["year"], band["low"], band["high"], color="C3", alpha=0.15, label="95% band")
        if sp.breaks:
            figures.mark_breaks(ax, [b for b in sp.breaks if sp.start < b <= sp.end], "census revision")
        figures.plain_log_axis(ax)
        ax.set_title(f"{figures.REGION_LABELS.get(sp.region, sp.region)}: {sp.label}", fontsize=10)
        ax.set_ylabel(_unit_label(sp) + " (log scale)", fontsize=8)
        figures.year_axis(ax, range(sp.start, sp.end + 1))
        ax.tick_params(labelsize=8)
        if tr is not None or sp.breaks:
            ax.legend(fontsize=7, loc="upper left")
    for ax in list(axes.flat)[len(specs):]:
        ax.set_visible(False)
    fig.legend(handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=8, ncol=3,
               bbox_to_anchor=(1, 0.02))
    fig.suptitle("Levels on a log scale (equal slopes = equal growth rates)", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_levels", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def fig_index(run: GrowthRun) -> dict | None:
    """Index chart (base year = 100) for the growth series that observe the base year."""
    specs = run.by_mode("growth")
    if not specs:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    kinds: set[str] = set()
    for i, sp in enumerate(specs):
        s = run.series[sp.series_id]
        base = run.base_year if run.base_year is not None else sp.start
        ix = index(s, base).merge(s[["year", "kind"]], on="year")
        kinds |= set(ix["kind"])
        color = f"C{i % 10}"
        figures.plot_points(ax, ix.rename(columns={"index": "v"}).assign(value=lambda d: d["v"]), color,
                            label=f"{figures.REGION_LABELS.get(sp.region, sp.region)} {sp.label} ({base}=100)")
    ax.axhline(100, color="0.5", lw=0.8)
    ax.set_ylabel("index (base year = 100)")
    ax.set_xlabel("year")
    yrs = [y for sp in specs for y in (sp.start, sp.end)]
    figures.year_axis(ax, range(min(yrs), max(yrs) + 1))
    ax.legend(fontsize=7, loc="upper left", ncol=1)
    ax.set_title("Growth since each series' base year (nominal)")
    saved = figures.save(fig, f"{run.name}_index", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def fig_cagr(run: GrowthRun) -> dict | None:
    """Horizontal bars of CAGR, each labelled with its value and period."""
    t = run.table[run.table["cagr"].notna()].iloc[::-1]
    if t.empty:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(t) + 1.4))
    names = {sp.series_id: f"{figures.REGION_LABELS.get(sp.region, sp.region)} {sp.label}" for sp in run.specs}
    labels = [f"{names.get(sid, sid)}, {a}-{b}" + (" (excl. break)" if "without the break" in n else "")
              for sid, a, b, n in zip(t["series_id"], t["start_year"], t["end_year"], t["note"])]
    vals = 100 * t["cagr"].astype(float)
    colors = ["C1" if "external" in k else ("C2" if "derived" in k else "C0") for k in t["kinds_used"]]
    ax.barh(range(len(t)), vals, color=colors)
    for i, v in enumerate(vals):
        ax.text(v + 0.2, i, f"{v:.1f}%", va="center", fontsize=8)
    ax.set_yticks(range(len(t)), labels, fontsize=8)
    ax.set_xlabel("CAGR, % per year (nominal)")
    ax.set_xlim(0, max(vals.max() * 1.18, 1))
    ax.set_title("CAGR by series and period")
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="C0", label="document values only"),
                       Patch(color="C1", label="uses external values"),
                       Patch(color="C2", label="uses a derived value")], loc="lower right", fontsize=8)
    saved = figures.save(fig, f"{run.name}_cagr", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def fig_dumbbell(run: GrowthRun) -> dict | None:
    """Dumbbell chart of endpoint-only series: start = 100 to end, with levels labelled."""
    specs = [sp for sp in run.by_mode("growth") if len(run.series[sp.series_id]) == 2]
    if not specs:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(specs) + 1.6))
    for i, sp in enumerate(specs[::-1]):
        s = run.series[sp.series_id].sort_values("year")
        v0, v1 = float(s["value"].iloc[0]), float(s["value"].iloc[-1])
        end_ix = 100 * v1 / v0
        ax.plot([100, end_ix], [i, i], color="0.6", lw=2, zorder=1)
        k0, k1 = s["kind"].iloc[0], s["kind"].iloc[-1]
        ax.scatter([100], [i], color="C0" if k0 == "document" else "white", edgecolor="C0", zorder=2, s=40,
                   marker="D" if k0 == "derived" else "o")
        ax.scatter([end_ix], [i], color="C3" if k1 == "document" else "white", edgecolor="C3", zorder=2, s=40)
        ax.text(end_ix + 4, i, f"{v0:g} -> {v1:g} {figures.unit_label(sp.unit, short=True)} ({int(s['year'].iloc[0])}-{int(s['year'].iloc[-1])})",
                va="center", fontsize=7.5)
    ax.set_yticks(range(len(specs)), [f"{sp.region} {sp.label}" for sp in specs[::-1]], fontsize=8)
    ax.set_xlabel("end level as index (start year = 100)")
    ax.set_xlim(80, max(100 * float(run.series[sp.series_id]["value"].iloc[-1]) /
                       float(run.series[sp.series_id]["value"].iloc[0]) for sp in specs) * 2.0)
    ax.set_title("Endpoint-only series: start = 100 and end level")
    saved = figures.save(fig, f"{run.name}_dumbbell", SOURCE_NOTE + " Diamonds: derived start values.",
                         run.out.figures)
    plt.close(fig)
    return saved


def fig_poverty(run: GrowthRun) -> dict | None:
    """Poverty incidence (percent) and poor population by year, linear scale."""
    rates, counts = run.by_mode("rate"), run.by_mode("count")
    if not rates and not counts:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.8), squeeze=False)
    kinds: set[str] = set()
    for ax, group, ylabel in ((axes[0, 0], rates, "poverty incidence, %"),
                              (axes[0, 1], counts, "poor population, 10,000 persons")):
        for i, sp in enumerate(group):
            s = run.series[sp.series_id]
            kinds |= set(s["kind"])
            figures.plot_points(ax, s, f"C{i}", label=figures.REGION_LABELS.get(sp.region, sp.region))
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        if group:
            figures.year_axis(ax, range(min(sp.start for sp in group), max(sp.end for sp in group) + 1))
            ax.legend(fontsize=8)
            ax.tick_params(axis="x", labelsize=7, rotation=45)
        else:
            ax.set_visible(False)
    fig.suptitle("Registered poverty: incidence and poor population", fontweight="bold")
    fig.legend(handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=8, ncol=3,
               bbox_to_anchor=(1, 0.02))
    saved = figures.save(fig, f"{run.name}_poverty", SOURCE_NOTE + " Registered-poor (jiandang lika) basis.",
                         run.out.figures)
    plt.close(fig)
    return saved


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
        head = (f"- **{sp.region} {sp.label}** ({sp.unit}), {sp.start}-{sp.end}, {main['n_points']} observed years "
                f"({main['kinds_used']}): {v0:g} to {v1:g}; ")
        if sp.mode == "growth":
            txt = f"CAGR {_pct(main['cagr'])} a year"
            if not math.isinf(main["doubling_time"]):
                txt += f" (doubling time {main['doubling_time']:.1f} years)"
            if pd.notna(main["trend_growth"]):
                txt += (f"; log-linear trend {_pct(main['trend_growth'])} (95% CI {_pct(main['trend_ci_low'])} to "
                        f"{_pct(main['trend_ci_high'])}, {main['n_points'] - 2} degrees of freedom)")
            else:
                txt += "; too few points for a trend"
            for _, r in rows[rows["note"].str.contains("without the break")].iterrows():
                txt += f"; without the break year: {_pct(r['cagr'])} a year ({r['start_year']}-{r['end_year']})"
        else:
            unit = "percentage points" if sp.mode == "rate" else sp.unit
            txt = (f"change {main['change']:+.2f} {unit} ({main['change_per_year']:+.2f} a year); "
                   f"log change {main['log_change']:.2f}")
        lines.append(head + txt + ".")
    return "\n".join(lines)
