"""Figures of the claims-audit report."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.metrics.audit import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, VERDICTS
from analysis.reports import figures
from analysis.reports.audit import SOURCE_NOTE, AuditRun

VERDICT_COLORS = {CONSISTENT: "#1b9e77", INCONSISTENT: "#d62728", NOT_CHECKABLE: "0.55"}
"""Colour of each verdict in the figure."""


def plottable(t: pd.DataFrame) -> pd.DataFrame:
    """Claims with a recomputed point, a range, or an upper bound (``2013 or earlier``)."""
    return t[t["recomputed"].notna() | t["recomputed_high"].notna()]


def _limits(t: pd.DataFrame, log: bool, years: bool) -> tuple[float, float]:
    vals = pd.concat([t["stated"], t["recomputed"], t["recomputed_low"], t["recomputed_high"]]).dropna()
    vals = vals[np.isfinite(vals)]
    lo, hi = float(vals.min()), float(vals.max())
    if years:
        return lo - 1.5, hi + 1.5
    if log and lo > 0:
        return lo / 1.8, hi * 1.8
    span = max(hi - lo, 1.0)
    return lo - 0.15 * span, hi + 0.15 * span


def _set_scale(ax: plt.Axes, lo: float, hi: float, log: bool) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    if log and lo > 0:
        fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}")
        for axis, setter in ((ax.xaxis, ax.set_xscale), (ax.yaxis, ax.set_yscale)):
            setter("log")
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(fmt)
            axis.set_minor_formatter(NullFormatter())
    elif log:
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=1)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)


def _labels(ax: plt.Axes, points: list[tuple[str, float, float]]) -> None:
    """Claim-id labels right of their points, nudged apart vertically (axes coordinates)."""
    to_axes = ax.transData + ax.transAxes.inverted()
    placed: list[tuple[float, float]] = []
    gap = 0.04
    for label, x, y in sorted(points, key=lambda p: (p[2], p[1], p[0])):
        ax_x, ax_y = to_axes.transform((x, y))
        ty = ax_y
        for px, py in placed:
            if abs(px - ax_x) < 0.25 and ty < py + gap:
                ty = py + gap
        placed.append((ax_x, ty))
        moved = abs(ty - ax_y) > 1e-9
        ax.annotate(
            label,
            (x, y),
            xytext=(ax_x + 0.035, ty - 0.012),
            textcoords="axes fraction",
            fontsize=7,
            color="0.15",
            arrowprops=dict(arrowstyle="-", color="0.6", lw=0.6) if moved else None,
        )


def panel(ax: plt.Axes, t: pd.DataFrame, log: bool, years: bool) -> None:
    """Draw the claims ``t`` on ``ax``: stated against recomputed, coloured by verdict, with the identity line,
    tolerance (horizontal) and input-rounding or unobserved-year range (vertical) bars and claim labels."""
    lo, hi = _limits(t, log, years)
    ax.plot([lo, hi], [lo, hi], color="0.4", lw=1, ls="--", zorder=1)
    _set_scale(ax, lo, hi, log and not years)
    points = []
    for _, r in t.sort_values(["stated", "claim_id"]).iterrows():
        color = VERDICT_COLORS[r["verdict"]]
        x = float(r["stated"])
        xerr = float(r["tolerance"]) if pd.notna(r["tolerance"]) else 0.0
        if pd.notna(r["recomputed"]):
            y = float(r["recomputed"])
            ylo = y - float(r["recomputed_low"]) if pd.notna(r["recomputed_low"]) else 0.0
            yhi = float(r["recomputed_high"]) - y if pd.notna(r["recomputed_high"]) else 0.0
            ax.errorbar(
                [x],
                [y],
                xerr=[[xerr], [xerr]],
                yerr=[[max(ylo, 0)], [max(yhi, 0)]],
                fmt="o",
                ms=6,
                color=color,
                ecolor=color,
                elinewidth=1.2,
                capsize=3,
                zorder=3,
            )
        elif pd.notna(r["recomputed_low"]):
            y0, y1 = float(r["recomputed_low"]), float(r["recomputed_high"])
            ax.plot([x, x], [y0, y1], color=color, lw=2.2, zorder=2, solid_capstyle="butt")
            ax.plot([x, x], [y0, y1], ls="none", marker="_", ms=10, color=color, zorder=2)
            y = math.sqrt(y0 * y1) if log and not years and y0 > 0 else (y0 + y1) / 2
        else:  # only an upper bound: "this year or earlier"
            y = float(r["recomputed_high"])
            ax.plot([x, x], [y, lo], color=color, lw=2.2, zorder=2)
            ax.plot([x], [y], ls="none", marker="_", ms=10, color=color, zorder=2)
            ax.plot([x], [lo + 0.35 if years else y / 1.3], ls="none", marker="v", ms=7, color=color, zorder=2)
        points.append((r["claim_id"], x, y))
    _labels(ax, points)
    ax.set_aspect("equal", adjustable="box")
    ax.tick_params(labelsize=8)


def label_panel(ax: plt.Axes, years: bool) -> None:
    """Title and axis labels of a panel (``years``: the threshold-year panel, with integer year ticks)."""
    if years:
        ax.set_title("Years a threshold was first crossed", fontsize=10)
        ax.set_xlabel("stated year")
        ax.set_ylabel("recomputed year (range: possible years)")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(plt.MaxNLocator(integer=True))
            axis.set_major_formatter(plt.FormatStrFormatter("%d"))
    else:
        ax.set_title("Derived values (log scale, in each claim's unit)", fontsize=10)
        ax.set_xlabel("stated value")
        ax.set_ylabel("recomputed value")


def legend_handles(t: pd.DataFrame) -> list:
    """Legend entries: each verdict drawn, the identity line and the range of a not-checkable claim."""
    from matplotlib.lines import Line2D

    present = [v for v in VERDICTS if v in set(t["verdict"])]
    handles = [Line2D([], [], ls="none", marker="o", color=VERDICT_COLORS[v], label=v) for v in present]
    handles.append(Line2D([], [], ls="--", color="0.4", label="recomputed = stated"))
    handles.append(
        Line2D([], [], ls="-", lw=2.2, color=VERDICT_COLORS[NOT_CHECKABLE], label="possible range (unobserved years)")
    )
    return handles


def fig_stated_vs_recomputed(run: AuditRun) -> dict | None:
    """Stated against recomputed values, coloured by verdict, with tolerance error bars.

    Two panels when the selection has threshold-year claims: derived values on a log
    scale (symlog when any value is not positive) and crossing years on a linear one.
    Returns None when no selected claim has a recomputed value or range. Only the
    documents' claims are drawn; the external claims (``ext.cNN``) are in the tables.
    The notebook draws the same figure with these calls in a cell.
    """
    t = plottable(documents_only(run.table))
    if t.empty:
        return None
    is_year = t["claim_type"] == "threshold_crossed_in"
    parts = [(p, y) for p, y in ((t[~is_year], False), (t[is_year], True)) if not p.empty]
    fig, axes = plt.subplots(1, len(parts), figsize=(5.2 * len(parts) + 0.6, 5.4), squeeze=False)
    for ax, (p, years) in zip(axes.flat, parts, strict=True):
        panel(ax, p, log=True, years=years)
        label_panel(ax, years)
    axes[0, 0].legend(handles=legend_handles(t), loc="upper left", fontsize=8)
    fig.suptitle("Claims audit: stated against recomputed", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_stated_vs_recomputed", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def documents_only(t: pd.DataFrame) -> pd.DataFrame:
    """The claims of the documents (the external figures' claims left out)."""
    return t[t["source_id"] != "external"]


def figure_caption(run: AuditRun) -> str:
    """Caption of the figure, computed from what it shows."""
    docs = documents_only(run.table)
    t = plottable(docs)
    n_none = len(docs) - len(t)
    n_ext = len(run.table) - len(docs)
    return (
        f"**Figure 1.** Stated against recomputed value for the {len(t)} selected claims of the documents that "
        f"could be recomputed at least as a range or bound ({n_none} others have no value to recompute and are "
        "not drawn" + (f"; the {n_ext} external claims are in the tables, not in the figure" if n_ext else "") + ")."
        " Points on the dashed line agree exactly; horizontal bars show the tolerance the stated "
        "rounding implies, vertical bars the range the inputs' own rounding allows; a bare vertical line is a "
        "not-checkable claim whose value depends on unobserved years (a downward arrow: that year or earlier)."
    )
