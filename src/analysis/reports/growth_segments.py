"""Which side of a series break a growth row covers: the growth table's last columns.

:func:`analysis.metrics.growth.analyse_series` gives a series' full period and, around each
break year inside it, the observed years before it and those from it on. These helpers label
those rows with :data:`SEGMENT_COLUMNS` so that readers (key findings, README, figures) pick
like-for-like rows from columns rather than from the prose of ``note``.
"""

from __future__ import annotations

import math

import pandas as pd

SEGMENT_COLUMNS = ("segment", "break_year", "crosses_break")
"""Columns appended after :data:`REAL_COLUMNS`: which side of a series break a row covers.

``segment`` is ``full period``, ``before break`` (the observed years before ``break_year``) or
``from break`` (the observed years from ``break_year`` on); ``crosses_break`` lists the break
years strictly inside the row's window (``start < b <= end``), empty for a like-for-like row.
Readers (the key findings, the README, the figures) pick like-for-like rows from these
columns, never from the prose of ``note``."""


def segment_of(start: int, end: int, series_start: int, series_end: int, breaks: tuple[int, ...]) -> dict:
    """The :data:`SEGMENT_COLUMNS` of a growth row over ``start``-``end`` of a series with ``breaks``.

    A row over the series' whole period is the ``full period``; a shorter one ending before a
    break is ``before break`` (its ``break_year`` the first break after its end), one starting at
    or after a break is ``from break`` (the last break at or before its start), as
    :func:`analysis.metrics.growth.analyse_series` builds them.

    Examples
    --------
    Xiangxi GDP 2013-2019 with the 2019 census revision, and its row without 2019:

    >>> segment_of(2013, 2019, 2013, 2019, (2019,))
    {'segment': 'full period', 'break_year': '', 'crosses_break': '2019'}
    >>> segment_of(2013, 2018, 2013, 2019, (2019,))
    {'segment': 'before break', 'break_year': '2019', 'crosses_break': ''}
    """
    inside = [b for b in sorted(breaks) if series_start < b <= series_end]
    crosses = " ".join(str(b) for b in inside if start < b <= end)
    if (start, end) == (series_start, series_end) or not inside:
        return {"segment": "full period", "break_year": "", "crosses_break": crosses}
    if start == series_start:
        b = min(b for b in inside if b > end)
        return {"segment": "before break", "break_year": str(b), "crosses_break": crosses}
    b = max(b for b in inside if b <= start)
    return {"segment": "from break", "break_year": str(b), "crosses_break": crosses}


def crosses_break(table: pd.DataFrame) -> pd.Series:
    """True for the growth rows whose window crosses a series break (column ``crosses_break``)."""
    if "crosses_break" not in table:
        return pd.Series(False, index=table.index)
    return table["crosses_break"].map(lambda v: bool(crossed_years(v)))


def crossed_years(cell: object) -> list[str]:
    """Break years in a ``crosses_break`` cell (a string, or a float after a CSV round trip)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [str(int(float(y))) for y in str(cell).split()]
