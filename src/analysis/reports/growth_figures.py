"""What the growth report's figures share: the source note, the segments and real series of a panel, the
levels title, the CAGR bars and their legend. The figures themselves are drawn in the cells of
``notebooks/growth_rates.ipynb`` and saved by :func:`analysis.reports.figures.save`."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis.metrics.growth import BREAK_MARK
from analysis.reports import figures
from analysis.reports.growth import GrowthRun
from analysis.reports.params import SeriesSpec


def source_note(
    run: GrowthRun, specs: list[SeriesSpec], encodings: set[str], extra: str = "", real: bool = False
) -> str:
    """The source note of a figure: the encodings drawn, then which external values (and vintages) the plotted series use.

    Parameters
    ----------
    run : GrowthRun
    specs : list of SeriesSpec
        The series the figure plots.
    encodings : set of str
        What the figure draws (:func:`analysis.reports.figures.plot_points` returns them).
    extra : str
        A sentence put before the external values.
    real : bool
        Whether real values are drawn (the note then says "Current prices unless marked real").
    """
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
    parts = [s[(years >= a) & (years < b)] for a, b in itertools.pairwise(edges)]
    return [p for p in parts if not p.empty]


def draw_real(ax: plt.Axes, run: GrowthRun, sp: SeriesSpec) -> set[str]:
    """Draw a series' real values (crosses, in the prices of its first year) on a levels panel.

    Dashed between consecutive observed years only, dotted across unobserved ones (nothing is
    interpolated). Nothing is drawn where the run has no real value for the series' period
    (:func:`analysis.reports.growth.real_columns` keeps them in ``run.real``).

    Returns
    -------
    set of str
        The encodings drawn (``real``, ``gap``), for the source note.
    """
    g = run.real.get((sp.series_id, sp.start, sp.end))
    rv = g.real_values if g is not None else None
    if g is None or rv is None:
        return set()
    drawn = {"real"}
    ax.plot(
        rv.index,
        rv.values,
        color="C2",
        ls="none",
        marker="x",
        ms=4,
        label=f"real, {g.base_year} prices {100 * g.real_cagr:.1f}%/yr",
    )
    points = [(int(y), float(v)) for y, v in zip(rv.index, rv.values, strict=True)]
    for (y0, v0), (y1, v1) in itertools.pairwise(points):
        ax.plot([y0, y1], [v0, v1], color="C2", lw=1.2 if y1 - y0 == 1 else 0.9, ls="--" if y1 - y0 == 1 else ":")
        if y1 - y0 > 1:
            drawn.add("gap")
    return drawn


def finish_panel(ax: plt.Axes, run: GrowthRun, sp: SeriesSpec, shown: list[float]) -> set[str]:
    """Finish a levels panel: break lines, the unobserved years, a plain log axis, title and legend.

    ``shown`` are the values the panel plots (points, trend bands); the real values are added
    here. Returns the encodings drawn (``break``).
    """
    s = run.series[sp.series_id]
    drawn: set[str] = set()
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
    for b in (b for b in sp.breaks if sp.start < b <= sp.end):
        drawn.add("break")
        figures.mark_breaks(ax, [b], sp.break_at(b).label)
    g = run.real.get((sp.series_id, sp.start, sp.end))
    real = g.real_values if g is not None else None
    figures.plain_log_axis(ax, values=[*shown, *(real.values if real is not None else [])])
    ax.set_title(f"{figures.REGION_LABELS.get(sp.region, sp.region)}: {sp.label}", fontsize=10)
    ax.set_ylabel(figures.unit_label(sp.unit) + " (log scale)", fontsize=8)
    figures.year_axis(ax, range(sp.start, sp.end + 1))
    ax.tick_params(labelsize=8)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="upper left")
    return drawn


def levels_title(axes: list[plt.Axes], drawn: set[str]) -> str:
    """The levels figure's title: "equal slopes = equal growth rates" only where the panels share a log scale.

    Each panel has its own range, so the claim is made across panels only where their log ranges
    (decades per inch) agree; otherwise the title says to compare slopes within a panel.
    """
    spans = {round(math.log10(hi / lo), 2) for lo, hi in (ax.get_ylim() for ax in axes) if lo > 0}
    title = "Levels on a log scale"
    title += (
        " (equal slopes = equal growth rates)"
        if len(spans) <= 1
        else "\n(each panel has its own scale: compare slopes within a panel only)"
    )
    return title + ("; dashed: real" if "real" in drawn else "")


def cagr_bars(run: GrowthRun) -> pd.DataFrame:
    """The bars of the CAGR figure, bottom-up: one per growth-table row with a CAGR.

    Columns ``label`` (series, period, "excl. break" for a row without a break year), ``colour``
    (C0 document values only, C1 external values used, C2 a derived value used), ``nominal`` and
    ``real`` (percent a year; NaN where ``prices`` leaves one out or there is no real value) and
    ``series_id``.
    """
    t = run.table[run.table["cagr"].notna()].iloc[::-1]
    names = {sp.series_id: f"{figures.REGION_LABELS.get(sp.region, sp.region)} {sp.label}" for sp in run.specs}
    return pd.DataFrame(
        {
            "series_id": t["series_id"],
            "label": [
                f"{names.get(sid, sid)}, {a}-{b}" + (" (excl. break)" if BREAK_MARK in n else "")
                for sid, a, b, n in zip(t["series_id"], t["start_year"], t["end_year"], t["note"], strict=True)
            ],
            "colour": ["C1" if "external" in k else ("C2" if "derived" in k else "C0") for k in t["kinds_used"]],
            "nominal": 100 * t["cagr"].astype(float) if run.show_nominal else np.nan,
            "real": 100 * t["real_cagr"].astype(float) if run.show_real else np.nan,
        }
    ).reset_index(drop=True)


def cagr_legend(real: bool) -> list[Patch]:
    """Legend handles of the CAGR figure: the colours by kind of value, and the hatch of real bars when drawn."""
    return [
        Patch(color="C0", label="document values only"),
        Patch(color="C1", label="uses external values"),
        Patch(color="C2", label="uses a derived value"),
        *(
            [Patch(facecolor="0.6", hatch="////", edgecolor="white", label="real (external price index)")]
            if real
            else []
        ),
    ]
