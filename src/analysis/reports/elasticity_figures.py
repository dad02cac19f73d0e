"""What the elasticity report's figures share: marker styles, source notes, the marker of a point.

The figures themselves are drawn in the cells of ``notebooks/elasticities.ipynb`` and saved by
:func:`analysis.reports.figures.save`."""

from __future__ import annotations

import matplotlib.pyplot as plt

from analysis.reports import figures
from analysis.reports.elasticity import ElasticityRun

VARIANT_STYLE = {
    "log_arc": ("o", "C0", "log arc"),
    "midpoint": ("s", "C2", "midpoint arc"),
    "window": ("^", "C1", "window formula"),
    "ols": ("D", "C3", "log-log OLS (95% CI)"),
}
"""Marker, colour and legend label of each formula in the variants figure."""


def external_note(run: ElasticityRun) -> str:
    """Which external values the runs' series hold (figures.external_note), for every figure's note."""
    return figures.external_note(s for sel in run.runs for s in (sel.outcome, sel.driver))


MARKER_WORDS = {
    "document": "filled circles: document values",
    "external": "open circles: external (secondary) values",
    "derived": "open diamonds: derived values",
}
"""How each kind's marker (:data:`analysis.reports.figures.KIND_STYLE`) reads in a source note."""


def source_note(kinds: set[str] | None = None, prices: str = "Current prices.") -> str:
    """The source note of a figure, naming only the marker encodings the figure draws.

    Parameters
    ----------
    kinds : set of str, optional
        Kinds whose :data:`analysis.reports.figures.KIND_STYLE` markers the figure draws; None
        or empty when its markers encode something else (their meaning is in the legend).
    prices : str
        The price basis sentence.
    """
    note = "Source: curated from the five policy documents (data/raw) and external sources (data/raw/external)."
    drawn = [MARKER_WORDS[k] for k in ("document", "external", "derived") if kinds and k in kinds]
    if drawn:
        note += " Markers: " + "; ".join(drawn) + "."
    return f"{note} {prices}".strip()


def unit_text(u: str) -> str:
    """The English label of a unit (``figures.UNIT_LABELS``), or the unit itself."""
    return figures.UNIT_LABELS.get(u, u)


def marker_kind(*kinds: str) -> str:
    """The marker kind of a point whose coordinates are of ``kinds``: derived over external over document."""
    return "derived" if "derived" in kinds else ("external" if "external" in kinds else "document")


def point(ax: plt.Axes, x: float, y: float, kind: str, color: str, square: bool = False) -> None:
    """One marker in the style of its kind (filled: document; open: external; diamond: derived)."""
    st = figures.KIND_STYLE[kind]
    ax.plot(
        [x],
        [y],
        ls="none",
        marker="s" if square else st["marker"],
        markersize=6.5,
        markerfacecolor=color if kind == "document" else "white",
        markeredgecolor=color,
        markeredgewidth=1.4,
        zorder=3,
    )
