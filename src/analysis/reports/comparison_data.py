"""The comparison report's inputs besides the observations: the run definition and two curated tables.

The run definition is the parameters cell of ``notebooks/comparisons.ipynb``
(:func:`notebook_defaults`).

Two small vocabulary tables under ``data/raw`` (each row with its source), validated here:

* ``region_overlaps.csv`` (``part, whole, relation, source``): areas one of which contains
  the other (not only through ``parent`` in ``regions.csv``: Xiangxi's counties lie in the
  Wuling Mountain Area), so their comparison is not of independent areas;
* ``comparison_basis_notes.csv`` (``indicator, benchmark, involves, note, source``): the
  measurement note a poverty comparison carries (:func:`basis_note`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data import vocab
from analysis.data.csvio import iter_rows, read_table
from analysis.data.parameters import notebook_parameters
from analysis.errors import DataError, Problem

NOTEBOOK = "comparisons.ipynb"
"""The notebook whose parameters cell is the run definition (:func:`notebook_defaults`)."""

OVERLAPS_FILE = "region_overlaps.csv"


@lru_cache(maxsize=2)
def notebook_defaults(notebook: str = NOTEBOOK) -> dict[str, object]:
    """The literal assignments of the notebook's cell tagged ``parameters`` (the run definition).

    Raises
    ------
    ValueError
        When the notebook has no cell tagged ``parameters``.
    """
    return notebook_parameters(paths.NOTEBOOKS / notebook)


def _curated(file: str, columns: tuple[str, ...], region_cols: tuple[str, ...], raw: Path | None) -> pd.DataFrame:
    """A small curated table of ``data/raw``, validated: its columns, known regions and indicators, no empty text."""
    path = (raw or paths.RAW) / file
    return _read_curated(str(path), path.stat().st_mtime, columns, region_cols, raw).copy()


@lru_cache(maxsize=8)
def _read_curated(
    file: str, mtime: float, columns: tuple[str, ...], region_cols: tuple[str, ...], raw: Path | None
) -> pd.DataFrame:
    t = read_table(Path(file), required=list(columns), strict=True)  # malformed CSV: named problems, no traceback
    name = t.attrs["file"]
    regions = set(vocab.load_regions(raw).index)
    indicators = set(vocab.load_indicators(raw).index)
    problems = []
    for row, r in iter_rows(t):
        problems += [
            Problem(name, row, col, f"unknown region {r[col]!r}; add it to regions.csv or correct it")
            for col in region_cols
            if r[col] and r[col] not in regions
        ]
        if "indicator" in t.columns and r["indicator"] not in indicators:
            problems.append(
                Problem(name, row, "indicator", f"unknown indicator {r['indicator']!r}; see indicators.csv")
            )
        problems += [Problem(name, row, c, "empty") for c in columns[-2:] if not r[c].strip()]
    if problems:
        raise DataError(problems)
    return t


def load_overlaps(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/region_overlaps.csv``: pairs (part, whole) of areas that overlap, with the relation and source.

    Validated by :func:`analysis.data.vocab.load_overlaps` (also run by ``make data``).

    Raises
    ------
    analysis.errors.DataError
        A missing column, an unknown or empty region or an empty relation (naming file, row and column).
    """
    return vocab.load_overlaps(raw)


BASIS_NOTES_FILE = "comparison_basis_notes.csv"
BASIS_NOTE_COLUMNS = ("indicator", "benchmark", "involves", "note", "source")


def load_basis_notes(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/comparison_basis_notes.csv``: the measurement note of a poverty comparison.

    A row applies to a comparison of ``indicator`` when its ``benchmark`` is empty or the
    benchmark, and its ``involves`` is empty or one of the two regions; the first row that
    applies wins. ``{region}`` and ``{benchmark}`` in ``note`` are filled in.

    Raises
    ------
    analysis.errors.DataError
        A missing column, an unknown region or indicator, an empty note or source.
    """
    return _curated(BASIS_NOTES_FILE, BASIS_NOTE_COLUMNS, ("benchmark", "involves"), raw)


def basis_note(indicator: str, region: str, benchmark: str) -> str:
    """The measurement note of comparing ``region`` with ``benchmark`` on ``indicator`` (empty if none).

    >>> basis_note("poor_population", "Xiangxi", "Wuling")
    'regions of different size: the absolute gap measures size, the share remaining measures the fall'
    """
    for _, r in load_basis_notes().iterrows():
        if (
            r["indicator"] == indicator
            and r["benchmark"] in ("", benchmark)
            and (r["involves"] == "" or r["involves"] in (region, benchmark))
        ):
            return str(r["note"]).format(region=region, benchmark=benchmark)
    return ""


def overlap(region: str, other: str) -> str:
    """The relation of two overlapping areas (either order; ``region_overlaps.csv``), or empty.

    >>> overlap("Hunan", "Xiangxi")
    'Xiangxi is part of Hunan'
    """
    t = load_overlaps()
    hit = t[((t["part"] == region) & (t["whole"] == other)) | ((t["part"] == other) & (t["whole"] == region))]
    return str(hit["relation"].iloc[0]) if len(hit) else ""
