"""The unit vocabulary (``data/raw/units.csv``) and conversion to base units.

Each unit as printed in the documents (亿元, 万人, %, 元/月 ...) maps to a base unit
(yuan, persons, fraction ...) and an exact decimal factor, so that
``value_base = value * factor + offset`` is computed in decimal arithmetic: 65.77 万人 is
exactly 657700 persons, 31.93% exactly 0.3193. The optional ``offset`` column serves
indices printed with the preceding year = 100 (``上年=100``): factor 0.01 and offset -1
make the index 103.6 the change 0.036 (3.6%), exactly the index minus 100.

The table is checked like data: every unit and description filled (never ``nan``), a
known base unit, a factor positive, finite and within :data:`FACTOR_MIN`..
:data:`FACTOR_MAX`, an offset only for an index (base unit ``fraction``, between -1 and 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.numbers import parse_plain
from analysis.data.schema import is_missing_word
from analysis.errors import DataError, Problem

BASE_UNITS = (
    "yuan",
    "yuan/year",
    "yuan/month",
    "persons",
    "person-times",
    "households",
    "fraction",
    "percentage points",
    "multiple",
    "count",
    "km",
    "km2",
    "mu",
    "years",
    "months",
    "days",
)


FACTOR_MIN, FACTOR_MAX = Decimal("1e-6"), Decimal("1e15")
"""The range of a unit factor: a printed unit is between a millionth and a thousand trillion
of its base unit (the table's extremes are 0.01 for % and 10^12 for trillion yuan). A factor
outside it is a typing slip (a missing or extra run of zeros, 1e308), never a real unit."""


@dataclass(frozen=True)
class Unit:
    """A unit as printed and how to convert it to its base unit."""

    unit: str
    base_unit: str
    factor: Decimal
    description: str
    offset: Decimal = Decimal(0)
    label: str = ""
    """English label for axes and tables (``yuan per person per year``), ASCII."""
    short: str = ""
    """Short English label beside a number or on a crowded axis (``yuan/yr``, ``10k persons``), ASCII."""


def read_units(path: Path | None = None) -> dict[str, Unit]:
    """Read and validate the unit table.

    Parameters
    ----------
    path : Path, optional
        Defaults to ``data/raw/units.csv``.

    Returns
    -------
    dict of str to Unit
    """
    path = path or paths.RAW / "units.csv"
    df = read_table(path, required=["unit", "base_unit", "factor", "description", "label", "short"])
    name = df.attrs["file"]
    problems: list[Problem] = []
    out: dict[str, Unit] = {}
    for row, r in iter_rows(df):
        if r["unit"] in out:
            problems.append(Problem(name, row, "unit", f"unit '{r['unit']}' is defined twice."))
        if r["base_unit"] not in BASE_UNITS:
            problems.append(
                Problem(
                    name, row, "base_unit", f"unknown base unit '{r['base_unit']}'; valid: {', '.join(BASE_UNITS)}."
                )
            )
        for col in ("unit", "description", "label", "short"):
            if not r[col].strip() or is_missing_word(r[col]):
                problems.append(Problem(name, row, col, f"'{r[col]}' is not a {col}; fill it in."))
            elif col in ("label", "short") and not r[col].isascii():
                problems.append(Problem(name, row, col, f"'{r[col]}' must be ASCII: figures assume no CJK font."))
        try:
            factor = parse_plain(r["factor"])
        except ValueError as exc:
            problems.append(Problem(name, row, "factor", f"{exc}."))
            continue
        if not factor.is_finite() or not FACTOR_MIN <= factor <= FACTOR_MAX:
            problems.append(
                Problem(
                    name,
                    row,
                    "factor",
                    f"factor {r['factor']} must be a positive, finite number between {FACTOR_MIN:E} and "
                    f"{FACTOR_MAX:E} (how many base units one printed unit is).",
                )
            )
            continue
        offset_text = str(r.get("offset", "") or "").strip()
        try:
            offset = parse_plain(offset_text) if offset_text else Decimal(0)
        except ValueError as exc:
            problems.append(Problem(name, row, "offset", f"{exc}."))
            continue
        if offset and (r["base_unit"] != "fraction" or not -1 <= offset <= 1):
            problems.append(
                Problem(
                    name,
                    row,
                    "offset",
                    f"offset {offset_text} is only for an index printed against a reference of 100 (base unit "
                    "fraction, offset between -1 and 1, e.g. -1 for 上年=100); other units convert by factor alone.",
                )
            )
            continue
        out[r["unit"]] = Unit(r["unit"], r["base_unit"], factor, r["description"], offset, r["label"], r["short"])
    if problems:
        raise DataError(problems)
    return out


@lru_cache(maxsize=1)
def default_units() -> dict[str, Unit]:
    """The project's unit table (cached)."""
    return read_units()


def to_base(value: Decimal, unit: str, units: dict[str, Unit] | None = None) -> tuple[Decimal, str]:
    """Convert ``value`` in ``unit`` to its base unit.

    Examples
    --------
    >>> to_base(Decimal("705.7"), "亿元")
    (Decimal('70570000000.0'), 'yuan')
    """
    u = (units or default_units())[unit]
    return value * u.factor + u.offset, u.base_unit
