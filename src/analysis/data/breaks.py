"""The series-break vocabulary ``data/raw/series_breaks.csv``: years from which a series is on another basis.

One row per (indicator, year) break, with a short ``label`` (figure legends), the ``reason``
(one clause, for tables and text), whether no growth rate is computed across it
(``no_growth_across``: a change of concept), whether it is a ``revision`` of the published
series (a new vintage: a series read on one vintage has no break there) and a ``note`` (where
the fact comes from). ``year`` is a year, or ``register`` for the break at each region's
``register_break`` of ``regions.csv`` (registered poverty only).

Rows with the same ``label`` describe the same kind of break: they must agree on ``reason``,
``no_growth_across`` and ``revision``, and are one :class:`SeriesBreak` object. ``make data``
validates the file (through :func:`analysis.data.raw.load_raw`), and every reader does again:
a bad cell is a :class:`analysis.errors.DataError` naming file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.vocab import load_indicators
from analysis.errors import DataError, Problem

BREAKS_FILE = "series_breaks.csv"
COLUMNS = ("indicator", "year", "label", "reason", "no_growth_across", "revision", "note")
REGISTER = "register"
"""The ``year`` of a break at each region's ``register_break`` (``regions.csv``)."""
YES_NO = ("yes", "no")
YEARS = (1978, 2030)


@dataclass(frozen=True)
class SeriesBreak:
    """A year from which a series is on another basis: not like-for-like with the years before."""

    label: str  # short, for a figure legend
    reason: str  # one clause, for tables and text
    no_growth_across: bool = False  # a change of concept: no growth rate is computed across it
    revision: bool = False  # a revision of the published series (a new vintage), not a change of concept


@dataclass(frozen=True)
class BreakRow:
    """One row of ``series_breaks.csv``: an indicator's break in ``year`` (None: the region's register break)."""

    indicator: str
    year: int | None
    brk: SeriesBreak


def _flag(value: str, column: str, file: str, row: int, problems: list[Problem]) -> bool:
    if value not in YES_NO:
        problems.append(Problem(file, row, column, f"{value!r} must be yes or no."))
    return value == "yes"


def read_series_breaks(raw: Path | None = None) -> tuple[BreakRow, ...]:
    """Read and validate ``series_breaks.csv``.

    Parameters
    ----------
    raw : Path, optional
        The raw data folder (default ``data/raw``); its ``indicators.csv`` is the vocabulary
        of the ``indicator`` column.

    Returns
    -------
    tuple of BreakRow
        In file order; rows with one label share one :class:`SeriesBreak`.

    Raises
    ------
    DataError
        Naming file, row and column of every problem: a missing column or cell, an unknown
        indicator, a year that is not a year (or ``register``) in 1978-2030, a flag that is not
        yes/no, a repeated (indicator, year), or rows of one label that disagree.
    """
    folder = Path(raw or paths.RAW)
    path = folder / BREAKS_FILE
    if not path.exists():
        raise DataError.one(paths.relative(path), None, None, "the series-break vocabulary is missing.")
    df = read_table(path, required=COLUMNS, strict=True)
    file = df.attrs.get("file", paths.relative(path))
    known = set(load_indicators(raw).index)
    problems: list[Problem] = []
    rows: list[BreakRow] = []
    by_label: dict[str, tuple[SeriesBreak, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row, r in iter_rows(df):
        for col in ("indicator", "year", "label", "reason"):
            if not str(r[col]).strip():
                problems.append(Problem(file, row, col, "is empty; every break needs it."))
        indicator, label = str(r["indicator"]).strip(), str(r["label"]).strip()
        if indicator and indicator not in known:
            problems.append(Problem(file, row, "indicator", f"{indicator!r} is not an indicator of indicators.csv."))
        text = str(r["year"]).strip()
        year: int | None = None
        if text and text != REGISTER:
            if not text.isdigit() or not YEARS[0] <= int(text) <= YEARS[1]:
                problems.append(
                    Problem(file, row, "year", f"{text!r} is not a year in {YEARS[0]}-{YEARS[1]} or {REGISTER!r}.")
                )
            else:
                year = int(text)
        brk = SeriesBreak(
            label,
            str(r["reason"]).strip(),
            _flag(str(r["no_growth_across"]).strip(), "no_growth_across", file, row, problems),
            _flag(str(r["revision"]).strip(), "revision", file, row, problems),
        )
        if label in by_label and by_label[label][0] != brk:
            first = by_label[label][1]
            problems.append(
                Problem(
                    file, row, "label", f"{label!r} differs from row {first} in reason or flags; one label, one kind."
                )
            )
        brk = by_label.setdefault(label, (brk, row))[0]
        key = (indicator, text)
        if key in seen and text:
            problems.append(Problem(file, row, "year", f"{indicator} {text} is already a break in row {seen[key]}."))
        seen.setdefault(key, row)
        rows.append(BreakRow(indicator, year, brk))
    if problems:
        raise DataError(problems)
    return tuple(rows)


def series_break_problems(raw: Path | None = None) -> list[Problem]:
    """Every problem of ``series_breaks.csv`` (empty when it is valid); ``make data`` reports them with the rest."""
    try:
        read_series_breaks(raw)
    except DataError as exc:
        return list(exc.problems)
    return []


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> tuple[BreakRow, ...]:
    return read_series_breaks(Path(path).parent)


def load_series_breaks(raw: Path | None = None) -> tuple[BreakRow, ...]:
    """:func:`read_series_breaks`, cached until the file changes."""
    path = Path(raw or paths.RAW) / BREAKS_FILE
    if not path.exists():
        return read_series_breaks(raw)  # raises, naming the file
    return _cached(str(path), path.stat().st_mtime)


def indicator_breaks(indicator: str, raw: Path | None = None) -> dict[int, SeriesBreak]:
    """The dated breaks of an indicator (all regions), by year.

    >>> {y: b.label for y, b in indicator_breaks("poverty_line_current_prices").items()}
    {2014: 'poverty-line concept', 2020: 'exit threshold'}
    """
    return {r.year: r.brk for r in load_series_breaks(raw) if r.indicator == indicator and r.year is not None}


def register_break(indicator: str, raw: Path | None = None) -> SeriesBreak | None:
    """The break an indicator has at a region's ``register_break`` (``regions.csv``), if any.

    >>> register_break("poverty_incidence").label
    'register adjustment'
    """
    return next((r.brk for r in load_series_breaks(raw) if r.indicator == indicator and r.year is None), None)


def break_labelled(label: str, raw: Path | None = None) -> SeriesBreak:
    """The break of one kind, by its ``label``.

    Raises
    ------
    KeyError
        Naming the labels of the file.
    """
    rows = load_series_breaks(raw)
    for r in rows:
        if r.brk.label == label:
            return r.brk
    raise KeyError(
        f"no break labelled {label!r} in {BREAKS_FILE}; labels: {', '.join(sorted({r.brk.label for r in rows}))}"
    )
