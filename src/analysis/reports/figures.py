"""Figure style and deterministic saving (PNG, SVG and PDF).

Figures use English labels (pinyin place names), units on the axes and a source note
under the plot. :func:`save` writes PNG (screens), SVG and PDF (vector, for papers) with
fixed metadata and a fixed SVG hash salt, so the same data give byte-identical files in
every run (``docs/build.md``, "Determinism").
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.rcParams["svg.hashsalt"] = "poverty-analysis"

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.data.csvio import atomic_write_bytes  # noqa: E402
from analysis.data.units import default_units  # noqa: E402
from analysis.data.vocab import LabelView, region_labels, unit_labels  # noqa: E402

PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None}
PDF_METADATA = {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}
FORMATS = (("png", PNG_METADATA), ("svg", SVG_METADATA), ("pdf", PDF_METADATA))
"""The formats :func:`save` writes, each with the metadata that makes it deterministic."""
FORMATS_ENV = "ANALYSIS_FIGURE_FORMATS"
"""Environment variable that restricts the formats of runs outside the build (e.g. ``png``).

Each vector format costs about as much as the PNG (the whole figure is drawn again), so
``png`` makes exploring (and ``make test``, which sets it outside CI) about three times
faster per figure. The build (:mod:`analysis.build.report`) always writes all three.
"""


def formats() -> tuple[str, ...]:
    """The formats :func:`save` writes in this process.

    All of PNG, SVG and PDF in a build run (``ANALYSIS_BUILD_OUTPUT_DIR`` set by the build
    driver) and by default; elsewhere :data:`FORMATS_ENV` may name a subset, which must
    include ``png`` (the notebook shows the PNG).

    Returns
    -------
    tuple of str
        In the order of :data:`FORMATS`.

    Raises
    ------
    ValueError
        Naming the variable, the unknown formats and the valid ones.
    """
    every = tuple(fmt for fmt, _ in FORMATS)
    raw = os.environ.get(FORMATS_ENV, "").strip()
    if not raw or os.environ.get(paths.BUILD_OUTPUT_ENV):
        return every
    chosen = {f.strip().lower() for f in raw.split(",") if f.strip()}
    unknown = sorted(chosen - set(every))
    if unknown or "png" not in chosen:
        problem = f"unknown format(s) {', '.join(unknown)}" if unknown else "png is missing"
        raise ValueError(f"{FORMATS_ENV}={raw!r}: {problem}; choose from {', '.join(every)}, png included")
    return tuple(f for f in every if f in chosen)


KIND_STYLE = {
    "document": {"marker": "o", "markerfacecolor": "C0", "label": "document value"},
    "external": {"marker": "o", "markerfacecolor": "white", "label": "external value (secondary source)"},
    "derived": {"marker": "D", "markerfacecolor": "white", "label": "derived value (computed)"},
}
"""Marker style by kind: document points filled, external open, derived diamonds."""

UNIT_LABELS: Mapping[str, str] = LabelView(unit_labels)
"""English unit labels for figures (``label`` of ``data/raw/units.csv``; ASCII: no CJK font is assumed)."""

UNIT_SHORT: Mapping[str, str] = LabelView(lambda: unit_labels(short=True))
"""Short unit labels (``short`` of ``data/raw/units.csv``: ``yuan/yr``, ``10k persons``)."""


def unit_label(unit: str, short: bool = False) -> str:
    """English label of a unit as printed (e.g. 元/年 -> yuan per person per year; ``short``: yuan/yr).

    A unit missing from ``units.csv`` (the processed data never has one) shows as ASCII text.
    """
    return (UNIT_SHORT if short else UNIT_LABELS).get(unit, unit.encode("ascii", "replace").decode())


def with_unit(number: str, unit: str) -> str:
    """A formatted number with the unit's short label: ``5.2%``, ``5891 yuan``, ``65 (10k persons)``.

    The percent sign follows the number; a short label that begins with a digit (a multiplier,
    ``10k persons``) is put in parentheses; a count of things (base unit ``count``) shows the number alone.
    """
    u = default_units().get(unit)
    if u is None:
        return f"{number} {unit_label(unit)}"
    if u.base_unit == "count":
        return number
    if u.short == "%":
        return f"{number}%"
    return f"{number} ({u.short})" if u.short[:1].isdigit() else f"{number} {u.short}"


REGION_LABELS: Mapping[str, str] = LabelView(region_labels)
"""Short English region labels (``label`` of ``data/raw/regions.csv``: ``Wuling area``)."""


def region_label(region: str) -> str:
    """The short English label of a region (``label`` of ``regions.csv``; the id when unknown)."""
    return REGION_LABELS.get(region, region)


DEEP = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd")
"""seaborn's "deep" palette (the colour cycle of the theme below)."""

THEME: dict[str, Any] = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "font.family": ["DejaVu Sans"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}
"""The rcParams of ``seaborn.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")``.

Written out so that a notebook does not import seaborn (and, through it, scipy.stats:
about 1.2 s of CPU in every kernel) only to set a style; tests/data/test_exports.py checks
that they still equal what seaborn sets. Figures that draw with seaborn import it
themselves.
"""


def setup() -> None:
    """Apply the project style to figures and tables (call once at the top of a notebook).

    Tables: every DataFrame the notebook shows is rendered by :func:`analysis.reports.tables.style`.
    """
    from cycler import cycler
    from matplotlib.colors import to_rgb

    from analysis.reports import tables

    tables.setup()

    matplotlib.rcParams.update(
        cast("dict[Any, Any]", THEME)
    )  # keys are rcParams names (matplotlib types them as literals)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=[to_rgb(c) for c in DEEP])
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "poverty-analysis",
            "figure.dpi": 100,
            "savefig.dpi": 120,  # PNG for screens; the SVG is the print-quality copy
            "figure.figsize": (7.5, 4.2),
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            # A fixed title height: matplotlib's automatic one (None) measures every tick label
            # at each draw to lift the title over anything on top of the axes; no figure here
            # puts ticks or labels there, so it never moved a title, and cost a fifth of a draw.
            "axes.titley": 1.0,
            "legend.fontsize": 9,
            "legend.frameon": False,
        }
    )


NOTE_SIZE = 7.5
"""Font size (points) of the source note under each figure."""


def text_width(text: str, size: float = NOTE_SIZE) -> float:
    """Width in points of ``text`` in the figure font at ``size`` points, as wide as it draws anywhere.

    The larger of the outline width (SVG, PDF) and the width Agg draws in the PNG at
    ``savefig.dpi``, where hinting rounds each glyph to whole pixels (about 10% wider at
    7.5 points and 120 dpi).

    >>> text_width("Source: test") > text_width("Source:") > 0
    True
    """
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import LoadFlags

    font = font_manager.get_font(font_manager.findfont(font_manager.FontProperties(size=size)))
    dpi = float(matplotlib.rcParams["savefig.dpi"]) if matplotlib.rcParams["savefig.dpi"] != "figure" else 100.0
    widths = []
    for at, flags in ((72.0, LoadFlags.NO_HINTING), (dpi, get_hinting_flag())):
        font.set_size(size, at)
        font.set_text(text, 0, flags=flags)
        widths.append(font.get_width_height()[0] / 64 * 72 / at)
    return float(max(widths))


def wrap_text(text: str, width: float, size: float = NOTE_SIZE) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (greedy, at spaces).

    Each word is measured once, so a long note costs a few dozen font layouts where
    matplotlib's own ``wrap=True`` lays out every candidate line again at each draw (in
    every format: most of the text-layout time of a figure with a long note).
    Line breaks already in ``text`` are kept; a word longer than the line stays whole.

    >>> wrap_text("Source: curated from the five policy documents", 100)
    ['Source: curated from the', 'five policy documents']
    """
    space = text_width(" ", size)
    widths: dict[str, float] = {}
    lines: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split(" "):
            w = widths.setdefault(word, text_width(word, size))
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0.0) + w
            line.append(word)
        lines.append(" ".join(line))
    return lines


def source_note(fig: plt.Figure, text: str) -> int:
    """Write a source note under the plot area, wrapped to the figure's width; return its line count."""
    width = fig.get_size_inches()[0] * 72 * 0.97  # from x = 0.01 to 2% short of the right edge
    lines = wrap_text(text, width)
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=NOTE_SIZE, color="0.35")
    return len(lines)


def check_ascii(fig: plt.Figure, name: str) -> None:
    """Refuse figure text that the default font cannot draw (Chinese characters).

    Figure text is English with pinyin place names (``docs/development.md``): a CJK glyph would render
    as a box and put a machine-specific warning into the notebook output.
    """
    from matplotlib.text import Text

    bad = sorted({t.get_text() for t in fig.findobj(Text) if any(ord(c) > 0x2E7F for c in t.get_text())})
    if bad:
        raise ValueError(f"figure {name!r} has text the figure font cannot draw (use English/pinyin): {bad[:3]}")


def save(fig: plt.Figure, name: str, note: str, out_dir: Path) -> dict[str, Path]:
    """Add the source note and save ``name``.png, ``.svg`` and ``.pdf`` deterministically.

    Outside a build run, :data:`FORMATS_ENV` may restrict the formats (see :func:`formats`).

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
        ``{"png": path, "svg": path, "pdf": path}`` (the formats written).
    """
    out_dir = Path(out_dir)
    lines = source_note(fig, note)
    check_ascii(fig, name)
    # Room for the note and, above it, any figure-level legend, so that a long note never
    # runs under the legend.
    _, h = fig.get_size_inches()
    note_top = (lines * 0.13 + 0.04) / h
    for leg in fig.legends:
        leg.set_bbox_to_anchor((1, note_top), transform=fig.transFigure)
    bottom = max(0.06, note_top + (0.35 / h if fig.legends else 0.0))
    fig.tight_layout(rect=(0, bottom, 1, 1))
    # tight_layout leaves a placeholder layout engine behind, which makes every savefig
    # below draw the whole figure twice (a layout pass, then the real one); the layout is
    # already done, so drop the engine: each format is then drawn once.
    fig.set_layout_engine(None)
    out = {}
    chosen = formats()
    for fmt, meta in FORMATS:
        path = out_dir / f"{name}.{fmt}"
        if fmt not in chosen:
            path.unlink(missing_ok=True)  # no stale copy of an earlier run beside the new PNG
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=meta)
        atomic_write_bytes(path, buf.getvalue())
        out[fmt] = path
    return out


def show(paths_: dict[str, Path], caption: str) -> None:
    """Display a saved PNG with its caption in a notebook (deterministic outputs).

    The image output carries ``{"analysis": {"figure": stem, "caption": caption}}`` in its
    metadata, from which the build captions the figure on ``reports/index.html``.
    """
    from IPython.display import Image, Markdown, display

    png = Path(paths_["png"])
    display(Image(filename=str(png)), metadata={"analysis": {"figure": png.stem, "caption": caption}})
    display(Markdown(caption))


from analysis.reports.figure_notes import ENCODINGS as ENCODINGS  # noqa: E402  (re-exported)
from analysis.reports.figure_notes import encoding_note as encoding_note  # noqa: E402
from analysis.reports.figure_notes import note_of as note_of  # noqa: E402


def vintage_encodings(s: pd.DataFrame) -> set[str]:
    """The vintage marks :func:`mark_vintages` writes for a series (``preliminary``, ``revised``)."""
    if "vintage" not in s:
        return set()
    return {v for v in s["vintage"] if isinstance(v, str) and v in VINTAGE_MARKS}


def plot_points(
    ax: plt.Axes, s: pd.DataFrame, color: str, label: str | None = None, line: bool = True, **line_kw: Any
) -> set[str]:
    """Plot a series with markers by kind (document filled, external open, derived diamond).

    Consecutive observed years are joined by a solid line, observations further apart by a
    dotted one. Returns the :data:`ENCODINGS` keys drawn (the kinds, and ``gap`` when a
    dotted segment is drawn), for :func:`encoding_note`.
    """
    s = s.sort_values("year")
    drawn = {str(k) for k in s["kind"]}
    if line:
        # Dotted where consecutive observations are more than a year apart: the path between
        # them is not observed.
        yrs, vals = s["year"].to_numpy(), s["value"].to_numpy()
        for i in range(1, len(yrs)):
            gap = yrs[i] - yrs[i - 1] > 1
            drawn |= {"gap"} if gap else set()
            ax.plot(
                yrs[i - 1 : i + 1],
                vals[i - 1 : i + 1],
                color=color,
                lw=1.2 if gap else line_kw.get("lw", 1.5),
                ls=":" if gap else line_kw.get("ls", "-"),
                zorder=line_kw.get("zorder", 2),
            )
    if label is not None:
        # The legend entry: a solid line (whatever the first segment is), or the marker alone
        # for a series of one observation.
        one = not line or len(s) < 2
        ax.plot(
            [],
            [],
            color=color,
            lw=line_kw.get("lw", 1.5),
            ls="none" if one else "-",
            marker="o" if one else None,
            label=label,
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
            zorder=line_kw.get("zorder", 2) + 1,
        )
    return drawn


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
        text = f"{region_label(r['region'])} {name} {year_ranges(ext['year'])}"
        vintages = ext.get("vintage", pd.Series([""] * len(ext), index=ext.index))
        for v in VINTAGE_MARKS:
            ys = ext.loc[vintages == v, "year"]
            if len(ys):
                text += f" ({v}: {year_ranges(ys)})"
        parts.append(text)
    if not parts:
        return "No external values."
    return "External values: " + "; ".join(dict.fromkeys(parts)) + "."


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
