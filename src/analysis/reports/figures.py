"""Figure style and deterministic saving (PNG and SVG).

Figures use English labels (pinyin place names), units on the axes and a source note
under the plot. :func:`save` writes PNG and SVG with fixed metadata and a fixed SVG hash
salt, so the same data give byte-identical files in every run (TOOLING.md).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.rcParams["svg.hashsalt"] = "poverty-analysis"

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.data.csvio import atomic_write_bytes  # noqa: E402

PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}

KIND_STYLE = {
    "document": {"marker": "o", "markerfacecolor": "C0", "label": "document value"},
    "external": {"marker": "o", "markerfacecolor": "white", "label": "external value (secondary source)"},
    "derived": {"marker": "D", "markerfacecolor": "white", "label": "derived value (computed)"},
}
"""Marker style by kind: document points filled, external open, derived diamonds."""

UNIT_LABELS = {
    "元": "yuan per person",
    "元/年": "yuan per person per year",
    "元/月": "yuan per person per month",
    "亿元": "100 million yuan",
    "万元": "10,000 yuan",
    "万人": "10,000 persons",
    "人": "persons",
    "%": "percent",
    "倍": "times",
    "个": "count",
    "户": "households",
    "万户": "10,000 households",
}
"""English unit labels for figures (figure text stays ASCII: no CJK font is assumed)."""

UNIT_SHORT = {
    "元": "yuan",
    "元/年": "yuan/yr",
    "元/月": "yuan/month",
    "亿元": "100m yuan",
    "万人": "10k persons",
    "%": "%",
    "万元": "10k yuan",
}


def unit_label(unit: str, short: bool = False) -> str:
    """English label of a unit as printed (e.g. 元/年 -> yuan per person per year)."""
    table = UNIT_SHORT if short else UNIT_LABELS
    return table.get(unit, UNIT_LABELS.get(unit, unit.encode("ascii", "replace").decode()))


REGION_LABELS = {
    "Xiangxi": "Xiangxi",
    "Wuling": "Wuling area",
    "Hunan": "Hunan",
    "Luoxiao": "Luoxiao area",
    "China": "China",
    "Hunan40": "Hunan 40 key counties",
}


def setup() -> None:
    """Apply the project style (call once at the top of a notebook)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "poverty-analysis",
            "figure.dpi": 100,
            "savefig.dpi": 120,  # PNG for screens; the SVG is the print-quality copy
            "figure.figsize": (7.5, 4.2),
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "legend.fontsize": 9,
            "legend.frameon": False,
        }
    )


def source_note(fig: plt.Figure, text: str) -> None:
    """Write a source note under the plot area."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7.5, color="0.35", wrap=True)


def check_ascii(fig: plt.Figure, name: str) -> None:
    """Refuse figure text that the default font cannot draw (Chinese characters).

    Figure text is English with pinyin place names (TOOLING.md): a CJK glyph would render
    as a box and put a machine-specific warning into the notebook output.
    """
    from matplotlib.text import Text

    bad = sorted({t.get_text() for t in fig.findobj(Text) if any(ord(c) > 0x2E7F for c in t.get_text())})
    if bad:
        raise ValueError(f"figure {name!r} has text the figure font cannot draw (use English/pinyin): {bad[:3]}")


def save(fig: plt.Figure, name: str, note: str, out_dir: Path) -> dict[str, Path]:
    """Add the source note and save ``name``.png and ``name``.svg deterministically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem (e.g. ``growth_xiangxi_gdp_levels``).
    note : str
        Source note printed under the figure ("Source: ...").
    out_dir : Path
        The run's figure folder (``run.out.figures``, see :mod:`analysis.reports.outputs`);
        there is no default, so that nothing writes into ``reports/`` by accident.

    Returns
    -------
    dict
        ``{"png": path, "svg": path}``.
    """
    out_dir = Path(out_dir)
    source_note(fig, note)
    check_ascii(fig, name)
    # Room for the note (it wraps: about 17 characters of 7.5-point text per inch) and, above it,
    # any figure-level legend, so that a long note never runs under the legend.
    w, h = fig.get_size_inches()
    lines = max(1, -(-len(note) // int(w * 16)))
    note_top = (lines * 0.13 + 0.04) / h
    for leg in fig.legends:
        leg.set_bbox_to_anchor((1, note_top), transform=fig.transFigure)
    bottom = max(0.06, note_top + (0.35 / h if fig.legends else 0.0))
    fig.tight_layout(rect=(0, bottom, 1, 1))
    out = {}
    for fmt, meta in (("png", PNG_METADATA), ("svg", SVG_METADATA)):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=meta)
        path = out_dir / f"{name}.{fmt}"
        atomic_write_bytes(path, buf.getvalue())
        out[fmt] = path
    return out


def show(paths_: dict[str, Path], caption: str) -> None:
    """Display a saved PNG with its caption in a notebook (deterministic outputs)."""
    from IPython.display import Image, Markdown, display

    display(Image(filename=str(paths_["png"])))
    display(Markdown(caption))


def plot_points(ax: plt.Axes, s: pd.DataFrame, color: str, label: str | None = None, line: bool = True) -> None:
    """Plot a series with markers by kind (document filled, external open, derived diamond)."""
    s = s.sort_values("year")
    if line:
        # Dotted where consecutive observations are more than a year apart: the path between
        # them is not observed.
        yrs, vals = s["year"].to_numpy(), s["value"].to_numpy()
        for i in range(1, len(yrs)):
            gap = yrs[i] - yrs[i - 1] > 1
            ax.plot(
                yrs[i - 1 : i + 1],
                vals[i - 1 : i + 1],
                color=color,
                lw=1.2 if gap else 1.5,
                ls=":" if gap else "-",
                zorder=2,
                label=label if i == 1 else None,
            )
    for kind, g in s.groupby("kind"):
        st = dict(KIND_STYLE[kind])
        st.pop("label")
        face = color if kind == "document" else "white"
        ax.plot(
            g["year"],
            g["value"],
            ls="none",
            marker=st["marker"],
            markersize=6,
            markerfacecolor=face,
            markeredgecolor=color,
            markeredgewidth=1.4,
            zorder=3,
        )


def kind_legend_handles(kinds: Iterable[str]) -> list:
    """Legend handles explaining the marker styles for the kinds present."""
    from matplotlib.lines import Line2D

    handles = []
    for k in ("document", "external", "derived"):
        if k in set(kinds):
            st = KIND_STYLE[k]
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="none",
                    marker=st["marker"],
                    color="0.3",
                    markerfacecolor="0.3" if k == "document" else "white",
                    label=st["label"],
                )
            )
    return handles


def external_note(series: Iterable[pd.DataFrame]) -> str:
    """Sentence for a figure's source note saying which external values it shows, if any.

    Parameters
    ----------
    series : iterable of DataFrame
        The plotted series (rows from :func:`analysis.get_series`, with ``kind``,
        ``region``, ``label``/``indicator``, ``year`` and ``vintage``).

    Returns
    -------
    str
        e.g. ``"External values: Xiangxi GDP 2015-2018 (preliminary: 2017-2018)."`` or
        ``"No external values."``
    """
    parts = []
    for s in series:
        ext = s[s["kind"] == "external"] if "kind" in s else s.iloc[0:0]
        if ext.empty:
            continue
        r = ext.iloc[0]
        name = r["label"] if "label" in ext and r["label"] else r["indicator"]
        text = f"{REGION_LABELS.get(r['region'], r['region'])} {name} {year_ranges(ext['year'])}"
        vintages = ext.get("vintage", pd.Series([""] * len(ext), index=ext.index))
        for v in VINTAGE_MARKS:
            ys = ext.loc[vintages == v, "year"]
            if len(ys):
                text += f" ({v}: {year_ranges(ys)})"
        parts.append(text)
    if not parts:
        return "No external values."
    return "External values: " + "; ".join(parts) + "."


def year_ranges(years: Iterable[int]) -> str:
    """Years as compact ranges: ``[2014, 2015, 2016, 2018]`` -> ``"2014-2016, 2018"``."""
    ys = sorted({int(y) for y in years})
    out: list[list[int]] = []
    for y in ys:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in out)


VINTAGE_MARKS = {"preliminary": "p", "revised": "r"}
"""Marks for non-final vintages, drawn beside points and used in notes (2017p = preliminary)."""


def mark_vintages(ax: plt.Axes, s: pd.DataFrame, color: str = "0.25") -> None:
    """Write ``p`` (preliminary) or ``r`` (revised) beside each point of that vintage."""
    if "vintage" not in s:
        return
    for y, v, val in zip(s["year"], s["vintage"], s["value"], strict=False):
        m = VINTAGE_MARKS.get(v, "") if isinstance(v, str) else ""
        if m:
            ax.annotate(m, (y, val), xytext=(4, -10), textcoords="offset points", fontsize=7.5, color=color)


def mark_breaks(ax: plt.Axes, years: Iterable[int], label: str = "series break") -> None:
    """Dashed vertical lines half a year before each break year."""
    for i, y in enumerate(sorted(years)):
        ax.axvline(y - 0.5, color="0.4", ls="--", lw=1, label=label if i == 0 else None, zorder=1)


def plain_log_axis(ax: plt.Axes, axis: str = "y", values: Iterable[float] | None = None) -> None:
    """Log-scaled axis with plain numbers (1,000 not 10^3) on its ticks.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    axis : {"y", "x"}
    values : iterable of float, optional
        The plotted values; when they span less than a factor of 3, a few evenly spaced
        ticks are used instead of the 1-2-3-5 log ticks (which would show one tick or none).
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter, NullLocator

    a = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    vals = [v for v in (values or []) if v > 0]
    narrow = bool(vals) and max(vals) / min(vals) < 3
    a.set_major_locator(MaxNLocator(nbins=4) if narrow else LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    if narrow:
        a.set_minor_locator(NullLocator())
    a.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}"))
    a.set_minor_formatter(NullFormatter())


def year_axis(ax: plt.Axes, years: Iterable[int]) -> None:
    """Integer year ticks over the given years."""
    ys = sorted({int(y) for y in years})
    ax.set_xticks(np.arange(ys[0], ys[-1] + 1, 1 if ys[-1] - ys[0] <= 12 else 2))
    ax.set_xlim(ys[0] - 0.6, ys[-1] + 0.6)
