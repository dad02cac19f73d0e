"""Figures of the growth-rates report (each saved as PNG and SVG by :func:`analysis.reports.figures.save`)."""

from __future__ import annotations

import itertools
import math
from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.metrics.growth import BREAK_MARK, index, trend_growth
from analysis.reports import figures
from analysis.reports.growth import GrowthRun
from analysis.reports.params import SeriesSpec


def _unit_label(sp: SeriesSpec) -> str:
    return figures.unit_label(sp.unit)


def _note(run: GrowthRun, specs: list[SeriesSpec], encodings: set[str], extra: str = "", real: bool = False) -> str:
    """The source note: the encodings drawn, then which external values (and vintages) the plotted series use."""
    ext = figures.external_note(run.series[sp.series_id] for sp in specs)
    prices = "Current prices unless marked real." if real or "real" in encodings else "Current prices."
    return figures.encoding_note(encodings, prices=prices, extra=" ".join(t for t in (extra, ext) if t))


def segments(s: pd.DataFrame, sp: SeriesSpec) -> list[pd.DataFrame]:
    """The observed years of a series split at its breaks inside the period (each side like-for-like).

    Examples
    --------
    >>> from analysis.reports.params import SeriesSpec
    >>> sp = SeriesSpec("Xiangxi", "gdp", 2013, 2019, "growth", (2019,), ("document",), "亿元", "GDP")
    >>> s = pd.DataFrame({"year": [2013, 2015, 2016, 2017, 2018, 2019], "value": [1.0] * 6})
    >>> [list(x["year"]) for x in segments(s, sp)]
    [[2013, 2015, 2016, 2017, 2018], [2019]]
    """
    cuts = [b for b in sorted(sp.breaks) if sp.start < b <= sp.end]
    edges = [sp.start, *cuts, sp.end + 1]
    years = s["year"].astype(int)
    parts = [s[(years >= a) & (years < b)] for a, b in pairwise(edges)]
    return [p for p in parts if not p.empty]


def fig_levels(run: GrowthRun) -> dict | None:
    """Semi-log level panels with a log-linear fit and 95% band on each side of a break (growth series)."""
    specs = run.by_mode("growth")
    if not specs:
        return None
    ncol = 2 if len(specs) > 1 else 1
    nrow = math.ceil(len(specs) / ncol)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(7.5 * (ncol / 2 + 0.5) if ncol > 1 else 7.5, 2.9 * nrow + 0.6), squeeze=False
    )
    kinds: set[str] = set()
    drawn: set[str] = set()
    ylims = []
    for ax, sp in zip(axes.flat, specs, strict=False):  # the grid may have spare panels (hidden below)
        s = run.series[sp.series_id]
        kinds |= set(s["kind"])
        drawn |= figures.plot_points(ax, s, "C0") | figures.vintage_encodings(s)
        figures.mark_vintages(ax, s)
        missing = [y for y in range(sp.start, sp.end + 1) if y not in set(s["year"].astype(int))]
        if missing:
            ax.text(
                0.99,
                0.03,
                f"not observed: {figures.year_ranges(missing)}",
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=7,
                color="0.35",
            )
        shown = [*s["value"]]  # what the panel plots, for its axis ticks
        fitted = False
        for seg in segments(s, sp):  # never fitted or drawn across a series break
            tr = trend_growth(seg)
            if tr is None:
                continue
            yrs = np.arange(tr.years[0], tr.years[-1] + 1)
            band = tr.band(yrs)
            shown += [*band["low"], *band["high"]]
            ax.plot(
                band["year"],
                band["fitted"],
                color="C3",
                lw=1.2,
                label=f"log-linear fit {tr.years[0]}-{tr.years[-1]}: {100 * tr.growth:.1f}%/yr (descriptive)",
            )
            ax.fill_between(
                band["year"], band["low"], band["high"], color="C3", alpha=0.15, label=None if fitted else "95% band"
            )
            fitted = True
        g = run.real.get((sp.series_id, sp.start, sp.end))
        rv = g.real_values if g is not None else None
        has_real = rv is not None
        if g is not None and rv is not None:
            drawn.add("real")
            ax.plot(
                rv.index,
                rv.values,
                color="C2",
                ls="none",
                marker="x",
                ms=4,
                label=f"real, {g.base_year} prices {100 * g.real_cagr:.1f}%/yr",
            )
            # dashed between consecutive observed years only; dotted across unobserved ones (nothing interpolated)
            years, values = [int(y) for y in rv.index], [float(v) for v in rv.values]
            points = list(zip(years, values, strict=True))
            for (y0, v0), (y1, v1) in itertools.pairwise(points):
                ax.plot(
                    [y0, y1], [v0, v1], color="C2", lw=1.2 if y1 - y0 == 1 else 0.9, ls="--" if y1 - y0 == 1 else ":"
                )
                if y1 - y0 > 1:
                    drawn.add("gap")
        for b in (b for b in sp.breaks if sp.start < b <= sp.end):
            drawn.add("break")
            figures.mark_breaks(ax, [b], sp.break_at(b).label)
        shown += [*(rv.values if rv is not None else [])]
        figures.plain_log_axis(ax, values=shown)  # a narrow range gets evenly spaced ticks, not one
        ylims.append(ax.get_ylim())
        ax.set_title(f"{figures.REGION_LABELS.get(sp.region, sp.region)}: {sp.label}", fontsize=10)
        ax.set_ylabel(_unit_label(sp) + " (log scale)", fontsize=8)
        figures.year_axis(ax, range(sp.start, sp.end + 1))
        ax.tick_params(labelsize=8)
        if fitted or sp.breaks or has_real:
            ax.legend(fontsize=7, loc="upper left")
    for ax in list(axes.flat)[len(specs) :]:
        ax.set_visible(False)
    fig.legend(
        handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=8, ncol=3, bbox_to_anchor=(1, 0.02)
    )
    title = "Levels on a log scale"
    # Equal slopes mean equal growth rates only on one log scale: each panel has its own range,
    # so the claim is made across panels only where their log ranges (decades per inch) agree.
    spans = {round(math.log10(hi / lo), 2) for lo, hi in ylims if lo > 0}
    title += (
        " (equal slopes = equal growth rates)"
        if len(spans) <= 1
        else "\n(each panel has its own scale: compare slopes within a panel only)"
    )
    if "real" in drawn:
        title += "; dashed: real"
    fig.suptitle(title, fontweight="bold")
    saved = figures.save(fig, f"{run.name}_levels", _note(run, specs, drawn), run.out.figures)
    plt.close(fig)
    return saved


def fig_index(run: GrowthRun) -> dict | None:
    """Index chart (base year = 100) for the growth series that observe the base year."""
    specs = run.by_mode("growth")
    if not specs:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    kinds: set[str] = set()
    drawn: set[str] = set()
    for i, sp in enumerate(specs):
        s = run.series[sp.series_id]
        base = run.base_year if run.base_year is not None else sp.start
        ix = index(s, base).merge(s[["year", "kind"]], on="year")
        kinds |= set(ix["kind"])
        color = f"C{i % 10}"
        drawn |= figures.plot_points(
            ax,
            ix.rename(columns={"index": "v"}).assign(value=lambda d: d["v"]),
            color,
            label=f"{figures.REGION_LABELS.get(sp.region, sp.region)} {sp.label} ({base}=100)",
        )
    ax.axhline(100, color="0.5", lw=0.8)
    ax.set_ylabel("index (base year = 100)")
    ax.set_xlabel("year")
    yrs = [y for sp in specs for y in (sp.start, sp.end)]
    figures.year_axis(ax, range(min(yrs), max(yrs) + 1))
    ax.legend(fontsize=7, loc="upper left", ncol=1)
    ax.set_title("Growth since each series' base year (nominal)")
    saved = figures.save(fig, f"{run.name}_index", _note(run, specs, drawn), run.out.figures)
    plt.close(fig)
    return saved


def fig_cagr(run: GrowthRun) -> dict | None:
    """Horizontal bars of CAGR, each labelled with its value and period; nominal and real side by side."""
    t = run.table[run.table["cagr"].notna()].iloc[::-1]
    if t.empty:
        return None
    real = t["real_cagr"].astype(float) if run.show_real else pd.Series(np.nan, index=t.index)
    nominal = t["cagr"].astype(float) if run.show_nominal else pd.Series(np.nan, index=t.index)
    both = run.show_real and run.show_nominal and real.notna().any()
    h = 0.4 if both else 0.8
    fig, ax = plt.subplots(figsize=(7.5, (0.6 if both else 0.42) * len(t) + 1.4))
    names = {sp.series_id: f"{figures.REGION_LABELS.get(sp.region, sp.region)} {sp.label}" for sp in run.specs}
    labels = [
        f"{names.get(sid, sid)}, {a}-{b}" + (" (excl. break)" if BREAK_MARK in n else "")
        for sid, a, b, n in zip(t["series_id"], t["start_year"], t["end_year"], t["note"], strict=True)
    ]
    colors = ["C1" if "external" in k else ("C2" if "derived" in k else "C0") for k in t["kinds_used"]]
    ypos = np.arange(len(t), dtype=float)
    bars = []
    if run.show_nominal:
        bars.append((ypos + (h / 2 if both else 0), 100 * nominal, "", "nominal"))
    if run.show_real:
        bars.append((ypos - (h / 2 if both else 0), 100 * real, "////", "real"))
    top = 1.0
    for y, vals, hatch, what in bars:
        ok = vals.notna().to_numpy()
        ax.barh(
            y[ok],
            vals[ok],
            height=h,
            color=[c for c, k in zip(colors, ok, strict=False) if k],
            hatch=hatch,
            edgecolor="white" if hatch else None,
        )
        for yi, v in zip(y[ok], vals[ok], strict=False):
            ax.text(max(v, 0) + 0.2, yi, f"{v:.1f}% {what}", va="center", fontsize=7)
        if ok.any():
            top = max(top, float(vals[ok].max()))
    ax.set_yticks(ypos, labels, fontsize=8)
    which = {"both": "nominal (solid) and real (hatched)", "nominal": "nominal", "real": "real"}[run.prices]
    ax.set_xlabel(f"CAGR, % per year\n({which})", fontsize=10)
    ax.set_xlim(min(0, float(np.nanmin([0, *real.dropna(), *nominal.dropna()])) * 1.2), top * 1.3)
    ax.set_title("CAGR by series and period")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color="C0", label="document values only"),
            Patch(color="C1", label="uses external values"),
            Patch(color="C2", label="uses a derived value"),
            *(
                [Patch(facecolor="0.6", hatch="////", edgecolor="white", label="real (external price index)")]
                if run.show_real and real.notna().any()
                else []
            ),
        ],
        loc="lower right",
        fontsize=8,
    )
    shown = [sp for sp in run.specs if sp.series_id in set(t["series_id"])]
    saved = figures.save(
        fig,
        f"{run.name}_cagr",
        _note(run, shown, set(), real=run.show_real and bool(real.notna().any())),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_dumbbell(run: GrowthRun) -> dict | None:
    """Dumbbell chart of endpoint-only series: start = 100 to end, with levels labelled."""
    specs = [sp for sp in run.by_mode("growth") if len(run.series[sp.series_id]) == 2]
    if not specs:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(specs) + 1.6))
    drawn: set[str] = set()
    for i, sp in enumerate(specs[::-1]):
        s = run.series[sp.series_id].sort_values("year")
        v0, v1 = float(s["value"].iloc[0]), float(s["value"].iloc[-1])
        end_ix = 100 * v1 / v0
        ax.plot([100, end_ix], [i, i], color="0.6", lw=2, zorder=1)
        k0, k1 = s["kind"].iloc[0], s["kind"].iloc[-1]
        drawn |= {k0, "document" if k1 == "document" else "external"}  # the end is never drawn as a diamond
        ax.scatter(
            [100],
            [i],
            color="C0" if k0 == "document" else "white",
            edgecolor="C0",
            zorder=2,
            s=40,
            marker="D" if k0 == "derived" else "o",
        )
        ax.scatter([end_ix], [i], color="C3" if k1 == "document" else "white", edgecolor="C3", zorder=2, s=40)
        ax.text(
            end_ix + 4,
            i,
            f"{v0:g} -> {v1:g} {figures.unit_label(sp.unit, short=True)} ({int(s['year'].iloc[0])}-{int(s['year'].iloc[-1])})",
            va="center",
            fontsize=7.5,
        )
    ax.set_yticks(range(len(specs)), [f"{sp.region} {sp.label}" for sp in specs[::-1]], fontsize=8)
    ax.set_xlabel("end level as index (start year = 100)")
    ax.set_xlim(
        80,
        max(
            100 * float(run.series[sp.series_id]["value"].iloc[-1]) / float(run.series[sp.series_id]["value"].iloc[0])
            for sp in specs
        )
        * 2.0,
    )
    ax.set_title("Endpoint-only series: start = 100 and end level")
    saved = figures.save(
        fig,
        f"{run.name}_dumbbell",
        _note(run, specs, drawn, "Start in blue, end in red; the line joins two endpoints only."),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_poverty(run: GrowthRun) -> dict | None:
    """Poverty incidence (percent) and poor population by year, linear scale."""
    rates, counts = run.by_mode("rate"), run.by_mode("count")
    if not rates and not counts:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.8), squeeze=False)
    kinds: set[str] = set()
    drawn: set[str] = set()
    for ax, group, ylabel in (
        (axes[0, 0], rates, "poverty incidence, %"),
        (axes[0, 1], counts, "poor population, 10,000 persons"),
    ):
        for i, sp in enumerate(group):
            s = run.series[sp.series_id]
            kinds |= set(s["kind"])
            drawn |= figures.plot_points(ax, s, f"C{i}", label=figures.REGION_LABELS.get(sp.region, sp.region))
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        if group:
            figures.year_axis(ax, range(min(sp.start for sp in group), max(sp.end for sp in group) + 1))
            ax.legend(fontsize=8)
            ax.tick_params(axis="x", labelsize=7, rotation=45)
        else:
            ax.set_visible(False)
    fig.suptitle("Poverty incidence and poor population by observed year", fontweight="bold")
    fig.legend(
        handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=8, ncol=3, bbox_to_anchor=(1, 0.02)
    )
    saved = figures.save(
        fig,
        f"{run.name}_poverty",
        _note(run, rates + counts, drawn, "The basis (registered poor or other) is each source's: see the caveats."),
        run.out.figures,
    )
    plt.close(fig)
    return saved
