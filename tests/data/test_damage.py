"""Random damage to every raw table ends in a named refusal or unchanged values, never a traceback.

A seeded generator applies :data:`DAMAGES` (a cell deleted, 1e308, text in a cell, ``nan``,
a row duplicated, two cells swapped, a row cut short, a byte-order mark, an empty file ...)
to every raw CSV table, vocabularies and the external figures included (their checksums
rewritten, as ``make external`` would). Each damaged copy is read by ``load_raw`` and made
tidy as ``make data`` does; the only accepted outcomes are a :class:`DataError` whose every
problem names a file of the raw folder, or processed values equal to the undamaged ones.
Any other exception fails the test with the damage that caused it.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis import paths
from analysis.data.build import tidy_observations
from analysis.data.raw import load_raw
from analysis.errors import DataError
from helpers import resum

SEED = 20261207
ROUNDS = 5  # damages per table: 12 tables x 5 = 60 builds, about 0.15 s of CPU each
VALUE_COLUMNS = ["obs_id", "value", "unit", "value_base", "base_unit", "kind", "preferred", "year", "period_start"]

Rows = list[list[str]]


def _cell(rng: random.Random, rows: Rows) -> tuple[int, int]:
    r = rng.randrange(1, len(rows))
    return r, rng.randrange(len(rows[r]))


def _set(text: str) -> Callable[[random.Random, Rows], str]:
    def damage(rng: random.Random, rows: Rows) -> str:
        r, c = _cell(rng, rows)
        rows[r][c] = text
        return f"row {r + 1}, column {rows[0][c]!r} set to {text!r}"

    return damage


def _duplicate(rng: random.Random, rows: Rows) -> str:
    r = rng.randrange(1, len(rows))
    rows.insert(r + 1, list(rows[r]))
    return f"row {r + 1} duplicated"


def _swap(rng: random.Random, rows: Rows) -> str:
    r, a = _cell(rng, rows)
    b = rng.randrange(len(rows[r]))
    rows[r][a], rows[r][b] = rows[r][b], rows[r][a]
    return f"row {r + 1}: columns {rows[0][a]!r} and {rows[0][b]!r} swapped"


def _truncate(rng: random.Random, rows: Rows) -> str:
    r, c = _cell(rng, rows)
    rows[r] = rows[r][: max(1, c)]
    return f"row {r + 1} cut after {max(1, c)} fields"


def _negate(rng: random.Random, rows: Rows) -> str:
    r, c = _cell(rng, rows)
    rows[r][c] = "-" + rows[r][c]
    return f"row {r + 1}, column {rows[0][c]!r} negated"


DAMAGES: dict[str, Callable[[random.Random, Rows], str]] = {
    "delete": _set(""),
    "huge": _set("1e308"),
    "text": _set("n.a. (see note)"),
    "nan": _set("nan"),
    "negative": _negate,
    "duplicate": _duplicate,
    "swap": _swap,
    "truncate": _truncate,
}
"""Damages to the rows of a table (whole-file damages are in :func:`_damage`)."""


def _damage(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One random damage to a CSV file's bytes, and what it was."""
    kind = rng.choice([*DAMAGES, "bom", "empty", "header_only", "quote"])
    text = data.decode("utf-8")
    if kind == "bom":  # a byte-order mark, as Excel writes: accepted, values unchanged
        return b"\xef\xbb\xbf" + data, "byte-order mark"
    if kind == "empty":
        return b"", "emptied"
    if kind == "header_only":
        return text.split("\n", 1)[0].encode() + b"\n", "header only"
    if kind == "quote":  # a stray double quote opening a field
        lines = text.split("\n")
        k = rng.randrange(1, len(lines) - 1)
        lines[k] = lines[k].replace(",", ',"', 1)
        return "\n".join(lines).encode(), f"row {k + 1}: a stray double quote"
    rows = list(csv.reader(io.StringIO(text)))
    what = DAMAGES[kind](rng, rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode(), what


def _values(raw: Path) -> list[tuple[str, ...]]:
    """What ``make data`` writes of ``raw``: refused (DataError) by the data build or by the reports' curated
    tables that ``make data`` also validates (:mod:`analysis.build.data`)."""
    from analysis.build.data import report_vocabularies

    obs = tidy_observations(load_raw(raw), raw)
    if problems := report_vocabularies(raw, obs):
        raise DataError(problems)
    return sorted(map(tuple, obs[VALUE_COLUMNS].astype(str).to_numpy().tolist()))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, list[tuple[str, ...]]]:
    """One copy of data/raw (documents linked, not copied) and its processed values."""
    raw = tmp_path_factory.mktemp("damage") / "raw"
    shutil.copytree(paths.RAW, raw, ignore=shutil.ignore_patterns("documents"))
    (raw / "documents").symlink_to(paths.RAW / "documents", target_is_directory=True)
    return raw, _values(raw)


TABLES = sorted(
    str(p.relative_to(paths.RAW)) for p in [*paths.RAW.glob("*.csv"), *(paths.RAW / "external").glob("*.csv")]
)


def test_every_raw_table_is_damaged():
    assert len(TABLES) >= 12 and "external/figures.csv" in TABLES and "units.csv" in TABLES


@pytest.mark.parametrize("table", TABLES)
def test_random_damage_is_refused_by_name_or_harmless(pristine, table):
    raw, clean = pristine
    rng = random.Random(f"{SEED}:{table}")
    path = raw / table
    original, sums = path.read_bytes(), (raw / "external" / "SHA256SUMS").read_bytes()
    outcomes = []
    try:
        for _ in range(ROUNDS):
            damaged, what = _damage(rng, original)
            path.write_bytes(damaged)
            if table.startswith("external/"):
                resum(raw)
            refusal: DataError | None = None
            try:
                values = _values(raw)
            except DataError as exc:
                refusal = exc
            except Exception as exc:  # the defect this test exists for
                pytest.fail(f"{table}, {what}: {type(exc).__name__}: {exc} (a traceback, not a named refusal)")
            if refusal is not None:
                unnamed = [str(p) for p in refusal.problems if not p.file or "raw" not in p.file]
                assert refusal.problems and not unnamed, f"{table}, {what}: problems without a file: {unnamed}"
                outcomes.append("refused")
            else:
                assert values == clean, f"{table}, {what}: accepted, and the processed values changed"
                outcomes.append("unchanged")
            path.write_bytes(original)
            (raw / "external" / "SHA256SUMS").write_bytes(sums)
    finally:
        path.write_bytes(original)
        (raw / "external" / "SHA256SUMS").write_bytes(sums)
    assert len(outcomes) == ROUNDS


@pytest.mark.parametrize(
    ("table", "row", "column", "text", "says"),
    [
        # the two tracebacks, now named problems
        ("observations_hunan.csv", 2, "period_start", "1e308", "is too large"),
        ("external_indicators.csv", 2, "unit", "nan", "unknown unit 'nan'"),
        ("units.csv", 3, "factor", "1e308", "is too large"),
        ("units.csv", 3, "factor", "-10000", "must be a positive, finite number"),
        ("regions.csv", 5, "name_zh", "nan", "missing-value marker"),
        ("indicators.csv", 2, "label", "NaN", "missing-value marker"),
        ("sources.csv", 3, "date", "2016-13-45", "is not a calendar date (month 13?)"),
        ("sources.csv", 2, "file", "documents", "is not a file"),  # a folder (was IsADirectoryError)
        ("units.csv", 3, "factor", "1e16", "between 1E-6 and 1E+15"),
        ("units.csv", 2, "offset", "-1", "only for an index printed against a reference of 100"),
        ("regions.csv", 4, "parent", "Atlantis", "is not another region of regions.csv"),
        ("indicators.csv", 2, "measure", "levels", "unknown measure"),
        ("external_indicators.csv", 3, "figures_indicator", "None", "is not an indicator name of figures.csv"),
        # the curated tables the reports read, which make data validates too (analysis.build.data)
        ("literature_bands.csv", 3, "low", "minus two", "is not a number"),
        ("literature_bands.csv", 2, "high", "-3.5", "low < high < 0"),
        ("elasticity_notes.csv", 3, "note", "see {xiangxi.no_such_obs.2016:value}", "unknown observation"),
        ("elasticity_notes.csv", 2, "driver_price_indexed", "maybe", "yes or no"),
        ("comparison_basis_notes.csv", 2, "benchmark", "Atlantis", "unknown region 'Atlantis'"),
        ("comparison_basis_notes.csv", 3, "indicator", "gpd", "unknown indicator 'gpd'"),
        ("headlines.csv", 2, "kind", "bogus", "'bogus' is not one of"),
        ("headlines.csv", 3, "order", "10", "repeats row 2"),
    ],
)
def test_named_damages(pristine, table, row, column, text, says):
    """Specific damages, each refused by what ``make data`` runs, naming file, row and column."""
    raw, _ = pristine
    path = raw / table
    original = path.read_bytes()
    rows = list(csv.reader(io.StringIO(original.decode("utf-8"))))
    rows[row - 1][rows[0].index(column)] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    try:
        with pytest.raises(DataError) as exc:
            _values(raw)
    finally:
        path.write_bytes(original)
    named = [str(p) for p in exc.value.problems if p.file.endswith(table) and p.row == row and p.column == column]
    assert named and says in named[0], [str(p) for p in exc.value.problems]
