"""The curated facts of the elasticity report, validated: literature bands and pair notes.

Both tables live under ``data/raw/`` (bad input names file, row and column):

- ``literature_bands.csv``: the literature's headcount-growth elasticity bands by outcome and driver, with
  their citation; an outcome listed there is a poverty outcome (registered poor), and one listed with no band
  (a count) has none named beside it;
- ``elasticity_notes.csv``: the caveat of a pair (``*`` matches any value) and whether its driver moves
  only by price indexation; a note may quote an observation as ``{obs_id:column}`` (``derivation``: the
  derived row's formula), so a number in it is read from the data, never typed.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.load import load_observations
from analysis.data.vocab import load_indicators, load_regions
from analysis.errors import DataError, Problem

ANY = "*"
"""The wildcard of a key column in the curated tables."""

BAND_COLUMNS = ("outcome", "driver", "low", "high", "driver_concept", "citation", "reference", "note")
NOTE_COLUMNS = (
    "region",
    "outcome",
    "driver",
    "driver_region",
    "driver_window",
    "note",
    "driver_price_indexed",
    "source",
)
TEMPLATE = re.compile(r"\{([a-z0-9_.]+):([a-z_]+)\}")
"""A quoted observation in a curated note: ``{obs_id:column}``."""


def _raw(raw: Path | None, name: str) -> Path:
    return Path(raw or paths.RAW) / name


def _known(column: str, value: str, known: set[str], what: str, file: str, row: int, out: list[Problem]) -> None:
    if value not in known and value != ANY:
        out.append(Problem(file, row, column, f"unknown {what} '{value}'; use one of data/raw/{what}s.csv or '*'."))


def load_literature_bands(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/literature_bands.csv``, validated: one row per poverty outcome and driver.

    ``low`` and ``high`` (floats, ``low < high < 0``) are both given with a ``citation`` and a
    ``driver_concept``, or both empty (an outcome with no band, e.g. a count). ``outcome`` and ``driver``
    name indicators of ``indicators.csv`` (``driver`` may be ``*``).

    Raises
    ------
    analysis.errors.DataError
        Naming file, row and column of each problem.
    """
    path = _raw(raw, "literature_bands.csv")
    t = read_table(path, required=list(BAND_COLUMNS), strict=True)
    name = t.attrs["file"]
    known = set(load_indicators(raw).index)
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for row, r in iter_rows(t):
        _known("outcome", r["outcome"], known - {ANY}, "indicator", name, row, problems)
        if r["outcome"] == ANY:
            problems.append(Problem(name, row, "outcome", "name one outcome indicator (no '*')."))
        _known("driver", r["driver"], known, "indicator", name, row, problems)
        key = (r["outcome"], r["driver"])
        if key in seen:
            problems.append(Problem(name, row, "driver", f"repeats row {seen[key]} ({key[0]}, {key[1]})."))
        seen[key] = row
        bounds = []
        for col in ("low", "high"):
            try:
                bounds.append(float(r[col]) if r[col] else None)
            except ValueError:
                problems.append(Problem(name, row, col, f"'{r[col]}' is not a number."))
                bounds.append(math.nan)
        lo, hi = bounds
        if (lo is None) != (hi is None):
            problems.append(Problem(name, row, "high" if hi is None else "low", "give both bounds or neither."))
        elif lo is not None and hi is not None and not (lo < hi < 0):
            problems.append(Problem(name, row, "high", f"the band must satisfy low < high < 0 (got {lo:g}, {hi:g})."))
        if lo is not None:
            for col in ("citation", "driver_concept"):
                if not r[col]:
                    problems.append(Problem(name, row, col, "a band needs its citation and the driver it is about."))
        if not r["note"]:
            problems.append(Problem(name, row, "note", "say what the band is (or why there is none)."))
    if problems:
        raise DataError(problems)
    return t


@lru_cache(maxsize=4)
def _cached_bands(raw: str, mtime: float) -> pd.DataFrame:
    return load_literature_bands(Path(raw))


def literature_bands() -> pd.DataFrame:
    """``literature_bands.csv``, validated once per version of the file (an edit is read at the next call)."""
    return _cached_bands(str(paths.RAW), _raw(None, "literature_bands.csv").stat().st_mtime)


def _note_problems(name: str, row: int, note: str, obs_ids: set[str], columns: set[str]) -> list[Problem]:
    out = []
    for obs_id, col in TEMPLATE.findall(note):
        if obs_id not in obs_ids:
            out.append(Problem(name, row, "note", f"quotes unknown observation '{obs_id}'."))
        if col not in columns | {"derivation"}:
            out.append(Problem(name, row, "note", f"quotes unknown column '{col}' of observation '{obs_id}'."))
    if TEMPLATE.sub("", note).count("{") or TEMPLATE.sub("", note).count("}"):
        out.append(Problem(name, row, "note", "a brace that is not a quote {obs_id:column}."))
    return out


def load_pair_notes(raw: Path | None = None, obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """``data/raw/elasticity_notes.csv``, validated: curated caveats of elasticity pairs.

    Key columns ``region``, ``outcome``, ``driver``, ``driver_region`` (empty: the outcome's region) and
    ``driver_window`` (``YYYY-YYYY``; empty: no driver window given) match a pair, ``*`` any value.
    ``driver_price_indexed`` (``yes``/``no``): the driver moves only by price indexation. A ``note`` may
    quote an observation as ``{obs_id:column}``; every quoted observation must exist in ``obs`` (default: the
    processed observations; ``make data`` passes the ones it is about to write).

    Raises
    ------
    analysis.errors.DataError
        Naming file, row and column of each problem.
    """
    t = read_table(_raw(raw, "elasticity_notes.csv"), required=list(NOTE_COLUMNS), strict=True)
    name = t.attrs["file"]
    indicators, regions = set(load_indicators(raw).index), set(load_regions(raw).index)
    if obs is None:
        obs = load_observations(preferred_only=False)
    obs_ids, columns = set(obs["obs_id"]), set(obs.columns)
    problems: list[Problem] = []
    for row, r in iter_rows(t):
        for col in ("outcome", "driver"):
            _known(col, r[col], indicators, "indicator", name, row, problems)
        _known("region", r["region"], regions, "region", name, row, problems)
        if r["driver_region"]:
            _known("driver_region", r["driver_region"], regions, "region", name, row, problems)
        w = r["driver_window"]
        if w and w != ANY and not re.fullmatch(r"(\d{4})-(\d{4})", w):
            problems.append(Problem(name, row, "driver_window", f"'{w}' is not YYYY-YYYY, '*' or empty."))
        if r["driver_price_indexed"] not in ("yes", "no"):
            problems.append(Problem(name, row, "driver_price_indexed", f"'{r['driver_price_indexed']}': yes or no."))
        if not r["note"] and r["driver_price_indexed"] != "yes":
            problems.append(Problem(name, row, "note", "empty: the row says nothing."))
        if not r["source"]:
            problems.append(Problem(name, row, "source", "say what the note rests on."))
        problems += _note_problems(name, row, r["note"], obs_ids, columns)
    if problems:
        raise DataError(problems)
    return t


@lru_cache(maxsize=4)
def _cached_notes(raw: str, mtime: float) -> pd.DataFrame:
    return load_pair_notes(Path(raw))


def pair_notes() -> pd.DataFrame:
    """``elasticity_notes.csv``, validated once per version of the file (an edit is read at the next call)."""
    return _cached_notes(str(paths.RAW), _raw(None, "elasticity_notes.csv").stat().st_mtime)


def quote(note: str) -> str:
    """A curated note with each ``{obs_id:column}`` replaced by the observation's value.

    ``derivation`` is the formula of a derived row (its ``note`` up to the list of inputs).
    """
    obs = load_observations(preferred_only=False).set_index("obs_id")

    def one(m: re.Match[str]) -> str:
        obs_id, col = m.groups()
        if col == "derivation":
            return str(obs.at[obs_id, "note"]).split(" (inputs")[0]
        v = obs.at[obs_id, col]
        return f"{v:g}" if isinstance(v, float) else str(v)

    return TEMPLATE.sub(one, note)


def poverty_outcomes() -> list[str]:
    """The poverty outcomes (registered poor): the outcomes of ``literature_bands.csv``."""
    return sorted(set(literature_bands()["outcome"]))
