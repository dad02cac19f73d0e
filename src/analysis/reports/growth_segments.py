"""Which side of a series break a growth row covers: the growth table's last columns.

:func:`analysis.metrics.growth.analyse_series` gives a series' full period and, around each
break year inside it, the observed years before it and those from it on. These helpers label
those rows with :data:`SEGMENT_COLUMNS` so that readers (key findings, README, figures) pick
like-for-like rows from columns rather than from the prose of ``note``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from analysis.reports import poverty_bases as pb
from analysis.reports.params import SeriesSpec

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


GROWTH_VALUE_COLUMNS = (
    "cagr",
    "trend_growth",
    "trend_ci_low",
    "trend_ci_high",
    "change",
    "change_per_year",
    "log_change",
    "doubling_time",
    "total_change",
    "real_cagr",
    "real_trend_growth",
    "real_trend_ci_low",
    "real_trend_ci_high",
    "official_real_growth",
    "official_gap",
)
"""Columns left empty in a row whose window crosses a change of concept (``no_growth_across`` breaks)."""


def finish(table: pd.DataFrame, specs: Sequence[SeriesSpec], obs: pd.DataFrame) -> pd.DataFrame:
    """Finish the growth table (issue 26; changed in place and returned).

    * No growth, nominal or real, across a change of concept (the poverty line's 2014 income concept, its
      2020 exit threshold): the row stays, its values empty and the reason in ``real_note``.
    * Every poverty row's ``note`` gains its population basis, the register break it crosses (with the
      claims audit's finding) and, for a registered poor population, the certified exits its fall equals
      (:func:`analysis.reports.poverty_bases.row_notes`).
    """
    by_id = {sp.series_id: sp for sp in specs}
    for i, r in table.iterrows():
        sp = by_id[r["series_id"]]
        concepts = [int(b) for b in crossed_years(r["crosses_break"]) if sp.break_at(int(b)).no_growth_across]
        if concepts:
            table.loc[i, list(GROWTH_VALUE_COLUMNS)] = float("nan")
            why = "; ".join(f"{b}: {sp.break_at(b).reason}" for b in concepts)
            table.loc[i, "real_note"] = f"no growth rate across a change of concept ({why})"
        bits = pb.row_notes(sp, r, obs)
        if bits:
            note = str(r["note"]) if pd.notna(r["note"]) and r["note"] else ""
            table.loc[i, "note"] = "; ".join([note, *bits] if note else bits)
    return table
