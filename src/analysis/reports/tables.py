"""Tables a person can read: one style for every table a notebook shows.

:func:`style` turns a display frame into a pandas ``Styler``: no row index (a 0, 1, 2, ...
index means nothing to a reader), text left-aligned and wrapped (Chinese quotes
included), numbers right-aligned with one fixed number of decimals per column, and an
optional unit appended to a header (``decimals``, ``units`` and ``caption`` may also come
from the frame's ``attrs``). :func:`setup` (called by
:func:`analysis.reports.figures.setup`, so by every notebook) registers :func:`style` as
the HTML form of every ``DataFrame`` shown in a notebook, so a table added later gets the
same treatment without any code.

The Styler id is derived from the table's content (not random), and cell ids are off, so
notebook outputs stay byte-identical between runs and nbval can compare them
(``docs/build.md``, "Tables a person can read"). The style sheet travels with each table, so JupyterLab and the exported
HTML reports show the same thing.

Columns are classified by their values: numeric dtypes, and text columns whose every
non-empty cell reads as a number (``9.08%``, ``+5.63 pp``, ``±0.05``, ``7,114``, ``1980 元``),
are numbers; everything else is text.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

NUMBER_TEXT = re.compile(r"^[+\-−±]?\d[\d,]*(\.\d+)?(\s?(%|pp|x|倍|元|个|万人|亿元|万元|人|元/年|元/月|years?))?$")
"""A cell of a text column that reads as a number (then the column is right-aligned)."""

TEXT_MAX_WIDTH = "28em"
"""Text cells wrap at this width (long quotes and notes become paragraphs, not one line)."""
TEXT_MIN_WIDTH = "8em"
"""A wrapping text column is never squeezed narrower than this."""
SHORT_TEXT = 16
"""Text columns whose longest cell has at most this many characters (ids, periods) never wrap."""

BASE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0;"},
    {"selector": "th, td", "props": "padding: 0.2em 0.5em; vertical-align: top; border-bottom: 1px solid #e3e3e3;"},
    {"selector": "thead th", "props": "border-bottom: 1px solid #999; font-weight: 600; white-space: normal;"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0;"},
]


def is_number_column(values: pd.Series) -> bool:
    """Whether a column holds numbers (by dtype, or every non-empty text cell reads as one)."""
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    cells = [str(v).strip() for v in values if not _empty(v)]
    return bool(cells) and all(NUMBER_TEXT.match(c) for c in cells)


def auto_decimals(values: pd.Series) -> int:
    """Decimals for a numeric column: 0 for whole numbers, else three significant digits of its median.

    Examples: a column of 2013, 2019 gets 0; a median of 31.9 gets 1; 0.38 gets 3; 1.2 gets 2.
    Capped at 4. Pass ``decimals`` to :func:`style` to fix a column's decimals by hand.
    """
    nums = pd.to_numeric(values, errors="coerce").dropna()
    nums = nums[nums.map(math.isfinite)]
    if nums.empty or (nums == nums.round()).all():
        return 0
    nonzero = nums[nums != 0].abs()
    if nonzero.empty:
        return 0
    return int(min(4, max(0, 2 - math.floor(math.log10(float(nonzero.median()))))))


def _longest(values: pd.Series) -> int:
    return max((len(str(v)) for v in values if not _empty(v)), default=0)


def _empty(v: object) -> bool:
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _number_formatter(d: int):
    def fmt(v: Any) -> str:
        if _empty(v):
            return ""
        x = float(v)
        if math.isinf(x):
            return "∞" if x > 0 else "−∞"
        return f"{x:.{d}f}"

    return fmt


def table_uuid(df: pd.DataFrame, extra: str = "") -> str:
    """A short id derived from the table's content (deterministic, unlike the Styler's default)."""
    h = hashlib.sha1((extra + "|" + df.to_csv(index=False)).encode("utf-8")).hexdigest()
    return f"t{h[:10]}"


def style(
    df: pd.DataFrame,
    decimals: Mapping[str, int] | None = None,
    units: Mapping[str, str] | None = None,
    caption: str | None = None,
    index: bool = False,
    uuid: str | None = None,
) -> Styler:
    """A readable Styler of ``df``.

    Parameters
    ----------
    df
        The table to show (display values; numbers may be numeric or already formatted text).
    decimals
        Fixed decimals per numeric column (others: :func:`auto_decimals`).
    units
        Unit per column, shown in the header as ``name (unit)``.
    caption
        Shown above the table.
    index
        Keep the row index (only when it means something, e.g. a named index).
    uuid
        The Styler id; default derived from the content (:func:`table_uuid`).

    Returns
    -------
    pandas.io.formats.style.Styler
        Index hidden (unless ``index``), text left-aligned and wrapped, numbers right-aligned
        with fixed decimals, empty cells blank.
    """
    decimals = dict(decimals or {})
    units = dict(units or {})
    unknown = sorted((set(decimals) | set(units)) - set(map(str, df.columns)))
    if unknown:
        raise KeyError(f"style: no column {unknown}; columns: {list(df.columns)}")
    shown = df.rename(columns={c: f"{c} ({units[str(c)]})" for c in df.columns if str(c) in units})
    styler = Styler(shown, uuid=uuid or table_uuid(df, caption or ""), cell_ids=False, na_rep="")
    styles = list(BASE_STYLES)
    for i, (orig, col) in enumerate(zip(df.columns, shown.columns, strict=True)):
        values = df[orig]
        if isinstance(values, pd.DataFrame):  # duplicated column name: leave as is
            continue
        if is_number_column(values):
            align = "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;"
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                d = decimals.get(str(orig), auto_decimals(values))
                styler = styler.format(_number_formatter(d), subset=[col])
            else:
                styler = styler.format(lambda v: "" if _empty(v) else str(v), subset=[col])
        elif _longest(values) <= SHORT_TEXT:
            align = "text-align: left; white-space: nowrap;"
        else:
            align = (
                f"text-align: left; white-space: normal; overflow-wrap: break-word; min-width: {TEXT_MIN_WIDTH}; "
                f"max-width: {TEXT_MAX_WIDTH};"
            )
            styler = styler.format(lambda v: "" if _empty(v) else str(v), subset=[col])
        styles.append({"selector": f"td.col{i}", "props": align})
        head = align.split(";")[0] + "; white-space: normal; overflow-wrap: normal;"
        styles.append({"selector": f"th.col_heading.col{i}", "props": head})
    styler = styler.set_table_styles(styles).set_table_attributes('class="report-table"')
    if caption:
        styler = styler.set_caption(caption)
    if not index:
        styler = styler.hide(axis="index")
    return styler


def to_html(df: pd.DataFrame) -> str:
    """HTML of ``df`` through :func:`style` (the notebook's HTML form of a DataFrame).

    A display function can fix decimals, units or a caption through the frame's ``attrs``
    (``df.attrs["decimals"] = {"CAGR (%/yr)": 2}``), so it still returns a plain DataFrame.
    """
    a = df.attrs
    return style(
        df, decimals=a.get("decimals"), units=a.get("units"), caption=a.get("caption"), index=_meaningful_index(df)
    ).to_html()


def _meaningful_index(df: pd.DataFrame) -> bool:
    """An index means something when it is named or holds labels (a plain integer index does not)."""
    idx = df.index
    if any(n is not None for n in idx.names):
        return True
    return not pd.api.types.is_integer_dtype(idx)


def setup() -> None:
    """Show every DataFrame in this notebook through :func:`style` (no-op outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is installed with the kernel
        return
    ip = get_ipython()
    if ip is None:
        return
    ip.display_formatter.formatters["text/html"].for_type(pd.DataFrame, to_html)
