"""Provenance checks: every value is printed in a verbatim quote of its named source.

For a document row: the quote occurs character for character in the document; the
printed value occurs in the quote; the printed value, converted from its unit, equals
the numeric value. For an external row the named source is the project's copy of
``external/figures.csv``: a row with the same region, indicator, year, value, quote and
address must exist there.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd

from analysis.data.csvio import read_table
from analysis.data.numbers import normalise, parse_printed
from analysis.data.units import Unit
from analysis.errors import DataError, Problem
from analysis.paths import relative


def verify_checksums(folder: Path, sums_file: str = "SHA256SUMS") -> list[Problem]:
    """Check files in ``folder`` against a ``sha256sum``-format list.

    Returns
    -------
    list of Problem
        One per missing or altered file.
    """
    sums = folder / sums_file
    name = relative(sums)
    if not sums.exists():
        return [Problem(name, None, None, "checksum file is missing.")]
    problems = []
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, fname = line.split(maxsplit=1)
        f = folder / fname.strip().lstrip("*")
        if not f.exists():
            problems.append(Problem(name, n, None, f"{relative(f)} is listed but missing."))
        elif hashlib.sha256(f.read_bytes()).hexdigest() != digest:
            problems.append(
                Problem(
                    relative(f),
                    None,
                    None,
                    f"the file differs from its checksum in {name}; source documents are "
                    "read-only raw data: restore the original copy.",
                )
            )
    return problems


def printed_matches(value_printed: str, unit_printed: str, value: Decimal, unit: str, units: dict[str, Unit]) -> bool:
    """Whether the printed number in ``unit_printed`` equals ``value`` in ``unit``."""
    printed = parse_printed(value_printed)
    a = printed * units[unit_printed].factor
    b = value * units[unit].factor
    pb, vb = units[unit_printed].base_unit, units[unit].base_unit
    # A standard printed as "2536元" in a sentence about a yearly line is 元/年.
    if pb != vb and not (pb == "yuan" and vb in ("yuan/year", "yuan/month")):
        return False
    return abs(a - b) <= abs(b) * Decimal("1e-12")


def load_external_reference(path: Path) -> pd.DataFrame:
    """Read the project's copy of ``external/figures.csv`` (the external rows' source)."""
    return read_table(
        path, required=["indicator", "region", "year", "value", "unit", "publisher", "url", "quote", "confidence"]
    )


def check_external_row(r: pd.Series, row: int, name: str, ref: pd.DataFrame) -> list[Problem]:
    """Check that an external row matches a row of the reference ``figures.csv``."""
    year = normalise(r["year"])
    m = ref[(ref["region"] == r["region"]) & (ref["indicator"] == r["indicator"]) & (ref["year"] == year)]
    if m.empty:
        return [
            Problem(name, row, "obs_id", f"no row for {r['region']} {r['indicator']} {year} in {ref.attrs['file']}.")
        ]
    problems = []
    for col, refcol in (("quote", "quote"), ("url", "url"), ("publisher", "publisher"), ("confidence", "confidence")):
        if not (m[refcol] == r[col]).any():
            problems.append(
                Problem(
                    name,
                    row,
                    col,
                    f"differs from {ref.attrs['file']} (expected "
                    f"'{m.iloc[0][refcol]}'); external rows keep the source's text.",
                )
            )
    units = {r["unit"], r.get("unit_printed") or r["unit"]}
    if not m["unit"].isin(list(units)).any():
        problems.append(
            Problem(
                name,
                row,
                "unit",
                f"unit '{r['unit']}' differs from {ref.attrs['file']} (which has "
                f"'{m.iloc[0]['unit']}'); set unit_printed to the source's unit.",
            )
        )
    try:
        if not any(Decimal(v) == Decimal(normalise(r["value"])) for v in m["value"]):
            problems.append(
                Problem(name, row, "value", f"differs from {ref.attrs['file']} (expected {m.iloc[0]['value']}).")
            )
    except Exception:  # non-numeric values are reported by the numeric check
        pass
    return problems


def check_quote(quote: str, text: str, name: str, row: int, source_id: str) -> list[Problem]:
    """Check that ``quote`` occurs verbatim in the document ``text``."""
    if quote in text:
        return []
    # Find the longest prefix that does match, to point at the first difference.
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    where = (
        f"it matches the document up to character {lo} ('...{quote[max(0, lo - 12) : lo]}' then "
        f"'{quote[lo : lo + 12]}...')"
        if lo
        else "not even its first character matches"
    )
    return [
        Problem(
            name,
            row,
            "quote",
            f"the quote does not occur verbatim in {source_id}; {where}. Copy it from the document "
            "exactly, keeping full-width punctuation and stray spaces.",
        )
    ]


def require(problems: list[Problem]) -> None:
    """Raise :class:`DataError` when ``problems`` is not empty."""
    if problems:
        raise DataError(problems)
