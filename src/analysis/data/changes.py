"""What a ``make data`` run changed in the processed tables, row by row.

``make data`` compares each new processed table with the one it replaces, by row id
(``obs_id`` for observations, ``claim_id`` for claims), and reports one summary line
(total, added, removed, changed) and, for removed, changed and added rows, their ids with
the old and the new value (the first :data:`LIMIT` of each, then a count). Nothing is
removed silently: a raw table that lost rows shows them here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

LIMIT = 20
"""Rows listed per kind of change; the rest are counted."""

IGNORED = frozenset({"source_row"})
"""Columns that do not make a row "changed" (a row's line moves when rows above it change)."""


@dataclass(frozen=True)
class TableChanges:
    """Differences between the previous and the new version of one processed table."""

    table: str
    total: int
    previous: int | None
    """Rows in the previous version; None when there was none (first build)."""
    added: list[tuple[str, str]] = field(default_factory=list)
    """(id, new value)"""
    removed: list[tuple[str, str]] = field(default_factory=list)
    """(id, old value)"""
    changed: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    """(id, old value, new value, other changed columns)"""

    def summary(self) -> str:
        """``observations: 249 total, 0 added, 3 removed, 1 changed``."""
        text = (
            f"{self.table}: {self.total} total, {len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed"
        )
        return text + (" (no previous version)" if self.previous is None else "")

    def details(self, limit: int = LIMIT) -> list[str]:
        """One line per removed, changed and added row (``limit`` of each, then a count)."""
        lines: list[str] = []

        def listed(rows: list, label: str, render) -> None:
            for row in rows[:limit]:
                lines.append(render(row))
            if len(rows) > limit:
                lines.append(f"  ... and {len(rows) - limit} more {label} {self.table} (not listed)")

        listed(self.removed, "removed", lambda r: f"  - removed {r[0]}: {r[1]} -> (none)")
        listed(
            self.changed,
            "changed",
            lambda r: f"  ~ changed {r[0]}: {r[1]} -> {r[2]}" + (f" ({', '.join(r[3])} changed)" if r[3] else ""),
        )
        if self.previous is not None:
            listed(self.added, "added", lambda r: f"  + added {r[0]}: (none) -> {r[1]}")
        return lines


def _rows(data: bytes | None, key: str) -> dict[str, dict[str, str]] | None:
    """Rows of a processed CSV by id, or None when absent or unreadable (no previous version)."""
    if not data:
        return None
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
        if key not in (reader.fieldnames or []):
            return None
        return {r[key]: r for r in reader}
    except (UnicodeDecodeError, csv.Error):
        return None


def compare(table: str, old: bytes | None, new: bytes, key: str, value: str, unit: str) -> TableChanges:
    """Compare two versions of a processed table by ``key``.

    Parameters
    ----------
    table : str
        Name for messages (``observations``).
    old, new : bytes
        The previous file content (None when there was none) and the new one.
    key : str
        The id column.
    value, unit : str
        The columns shown as "the value" of a row (e.g. ``value`` and ``unit``).

    Returns
    -------
    TableChanges
    """
    before, after = _rows(old, key), _rows(new, key) or {}

    def shown(row: dict[str, str]) -> str:
        v, u = row.get(value, ""), row.get(unit, "")
        return f"{v} {u}".strip() if v else "(empty)"

    if before is None:
        return TableChanges(table, len(after), None, added=[(k, shown(r)) for k, r in after.items()])
    added = [(k, shown(r)) for k, r in after.items() if k not in before]
    removed = [(k, shown(r)) for k, r in before.items() if k not in after]
    changed = []
    for k, r in after.items():
        o = before.get(k)
        if o is None:
            continue
        cols = [c for c in dict.fromkeys([*o, *r]) if c not in IGNORED and o.get(c, "") != r.get(c, "")]
        if cols:
            others = [c for c in cols if c not in (value, unit)]
            changed.append((k, shown(o), shown(r), others))
    return TableChanges(table, len(after), len(before), added, removed, changed)
