"""Provenance checks: every value is printed in a verbatim quote of its named source.

For a document row: the quote occurs character for character in the document; the
printed value occurs in the quote; the printed value, converted from its unit, equals
the numeric value. External rows are derived from the project's checksummed copy of
``external/figures.csv`` and checked in :mod:`analysis.data.external`.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from analysis.data.numbers import parse_printed
from analysis.data.units import Unit
from analysis.errors import DataError, Problem
from analysis.paths import relative

READ_ONLY = "source documents are read-only raw data: restore the original copy."


def verify_checksums(folder: Path, sums_file: str = "SHA256SUMS", fix: str = READ_ONLY) -> list[Problem]:
    """Check files in ``folder`` against a ``sha256sum``-format list.

    ``fix`` ends the message for an altered file (what to do instead of editing it).

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
                    f"the file differs from its checksum in {name}; {fix}",
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
