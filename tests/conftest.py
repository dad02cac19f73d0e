"""Shared fixtures: a writable copy of the raw data for bad-input tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis import paths


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A complete copy of data/raw in a temporary folder."""
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW, dst)
    return dst


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV as dicts (UTF-8)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", fieldnames=None) -> None:
    """Write dict rows as CSV in the given encoding."""
    fieldnames = fieldnames or list(rows[0])
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def resum(raw: Path) -> None:
    """Rewrite data/raw/external/SHA256SUMS after a test edited figures.csv (as `make external` would)."""
    from analysis.data.external import sums_text

    (raw / "external" / "SHA256SUMS").write_text(sums_text(raw / "external"), encoding="utf-8")


def edit_figures(raw: Path, edit, encoding: str = "utf-8") -> Path:
    """Apply ``edit(rows)`` to the raw copy's figures.csv, rewrite it and its checksums; return its path."""
    path = raw / "external" / "figures.csv"
    rows = read_rows(path)
    fields = list(rows[0])
    edit(rows)
    write_rows(path, rows, encoding=encoding, fieldnames=fields if rows and set(rows[0]) == set(fields) else None)
    resum(raw)
    return path
