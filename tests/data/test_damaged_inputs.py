"""Damaged raw tables: each is read correctly or refused with file and row, never half-read.

And ``make data`` reports what changed against the previous processed tables, so rows
never vanish silently.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import paths
from analysis.data.build import build, main
from analysis.data.changes import compare
from helpers import assert_untouched, only, problems_of, read_rows

XIANGXI = "observations_xiangxi.csv"


def refused(raw: Path, out: Path, before: dict[str, bytes], *needles: str) -> str:
    """The build fails naming ``needles`` (file, row ...), exits 1 and leaves ``out`` untouched."""
    msg = only(problems_of(raw), *needles)
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)
    return msg


# ----------------------------------------------------------------------------- truncated tables


def test_table_cut_short_is_refused(built, capsys):
    """The issue's case: the last seventh cut off, ending inside the last row's note."""
    raw, out, before = built
    path = raw / XIANGXI
    data = path.read_bytes()
    cut = data[: len(data) * 6 // 7]
    assert not cut.endswith(b"\n")
    path.write_bytes(cut)
    last_line = cut.decode("utf-8", "ignore").count("\n") + 1
    msg = refused(raw, out, before, XIANGXI, f"row {last_line}")
    assert "does not end with a line break" in msg and "cut short" in msg
    assert "git diff" in msg and "add a line break" in msg
    last_row = cut.decode("utf-8", "ignore").rsplit("\n", 1)[-1]
    assert last_row[:40] in msg  # the last row is quoted so the user can find it
    assert "FAILED, data/processed left unchanged" in capsys.readouterr().err


def test_complete_table_without_final_line_break_is_refused_too(built):
    raw, out, before = built
    path = raw / "claims.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    n = path.read_bytes().count(b"\n") + 1
    msg = refused(raw, out, before, "claims.csv", f"row {n}")
    assert "if the row is complete, add a line break" in msg


def test_vocabulary_tables_are_checked_as_well(built):
    raw, out, before = built
    path = raw / "units.csv"
    path.write_bytes(path.read_bytes()[:-5])
    refused(raw, out, before, "units.csv", "cut short")


# ----------------------------------------------------------------------------- what changed


def _drop_rows(path: Path, ids: list[str]) -> None:
    lines = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(lines)))
    keep = [r for r in rows if r[0] not in ids]
    assert len(keep) == len(rows) - len(ids)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(keep)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_make_data_names_removed_and_changed_rows(built, capsys):
    raw, out, _before = built
    old = {r["obs_id"]: r for r in read_rows(out / "observations.csv")}
    # rows no claim, consistency check or derivation uses can be dropped without breaking the registers
    claims = (raw / "claims.csv").read_text(encoding="utf-8") + (raw / "consistency.csv").read_text(encoding="utf-8")
    n_claims = len(read_rows(raw / "claims.csv"))
    derived_inputs = " ".join(r["note"] for r in old.values() if r["kind"] == "derived")
    rows = read_rows(raw / XIANGXI)
    free = [r["obs_id"] for r in rows if r["obs_id"] not in claims and r["obs_id"] not in derived_inputs]
    gone = [free[0], free[len(free) // 2], free[-1]]
    _drop_rows(raw / XIANGXI, gone)
    # and one change that keeps the row valid: its note
    edited = free[1]
    text = (raw / XIANGXI).read_text(encoding="utf-8")
    note = next(r["note"] for r in rows if r["obs_id"] == edited)
    rows2 = read_rows(raw / XIANGXI)
    for r in rows2:
        if r["obs_id"] == edited:
            r["note"] = note + " (checked again)"
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows2[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows2)
    assert buf.getvalue() != text
    (raw / XIANGXI).write_text(buf.getvalue(), encoding="utf-8")
    capsys.readouterr()

    assert main(["--raw", str(raw), "--out", str(out)]) == 0
    report = capsys.readouterr().out
    n = len(old) - 3
    assert (
        f"observations: {n} total, 0 added, 3 removed, 1 changed; claims: {n_claims} total, 0 added, 0 removed, 0 changed"
        in report
    ), report
    for oid in gone:
        r = old[oid]
        assert f"  - removed {oid}: {r['value']} {r['unit']} -> (none)" in report
    e = old[edited]
    assert f"  ~ changed {edited}: {e['value']} {e['unit']} -> {e['value']} {e['unit']} (note changed)" in report
    # rows below the removed ones moved up a line: that alone is not a change
    assert report.count("  ~ changed") == 1


def test_built_fixture_equals_a_real_build_of_its_raw_copy(built, tmp_path):
    """The ``built`` fixture reuses one build per process (conftest.py); it must be exactly a build."""
    raw, _out, before = built
    build(raw, tmp_path / "fresh")
    fresh = {p.name: p.read_bytes() for p in (tmp_path / "fresh").iterdir()}
    assert fresh == before
    assert str(raw).encode() in before["observations.csv"]  # the path of this copy, not the session's


def test_first_build_and_unchanged_rebuild(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--out", str(out)]) == 0
    first = capsys.readouterr().out
    assert "observations: " in first and "(no previous version)" in first and "removed" in first
    assert main(["--out", str(out)]) == 0
    again = capsys.readouterr().out
    n_claims = len(read_rows(paths.RAW / "claims.csv"))
    assert f"0 added, 0 removed, 0 changed; claims: {n_claims} total, 0 added, 0 removed, 0 changed" in again
    assert "no file changed" in again and "  - removed" not in again


def test_change_report_lists_twenty_then_counts():
    head = b"obs_id,value,unit\n"
    old = head + b"".join(f"id{i:02d},{i},yuan\n".encode() for i in range(30))
    new = head + b"".join(f"id{i:02d},{i + 1},yuan\n".encode() for i in range(25, 30))
    ch = compare("observations", old, new, "obs_id", "value", "unit")
    assert ch.summary() == "observations: 5 total, 0 added, 25 removed, 5 changed"
    lines = ch.details()
    assert lines[0] == "  - removed id00: 0 yuan -> (none)" and lines[19] == "  - removed id19: 19 yuan -> (none)"
    assert lines[20] == "  ... and 5 more removed observations (not listed)"
    assert lines[21] == "  ~ changed id25: 25 yuan -> 26 yuan"


# ----------------------------------------------------------------------------- other damage

ROW = 5  # line of the row the cases below damage (header = line 1)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def _write(path: Path, lines: list[str], end: str = "\n") -> None:
    path.write_bytes((end.join(lines) + end).encode("utf-8"))


def _swap(line: str, i: int, j: int) -> str:
    rec = next(csv.reader([line]))
    rec[i], rec[j] = rec[j], rec[i]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(rec)
    return buf.getvalue()


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_ends_are_read_correctly(raw_copy, tmp_path, end):
    build(raw_copy, tmp_path / "lf")
    for path in raw_copy.glob("*.csv"):
        _write(path, _lines(path), end)
    build(raw_copy, tmp_path / "other")
    for name in ("observations.csv", "claims.csv", "consistency.csv", "sources.csv"):
        assert (tmp_path / "lf" / name).read_bytes() == (tmp_path / "other" / name).read_bytes(), name


def test_swapped_columns_are_read_by_name(raw_copy, tmp_path):
    """Two whole columns swapped (header and data, as reordering in a spreadsheet does): same result."""
    build(raw_copy, tmp_path / "a")
    path = raw_copy / XIANGXI
    header = next(csv.reader([_lines(path)[0]]))
    i, j = header.index("unit"), header.index("quote")
    _write(path, [_swap(line, i, j) for line in _lines(path)])
    build(raw_copy, tmp_path / "b")
    assert (tmp_path / "a" / "observations.csv").read_bytes() == (tmp_path / "b" / "observations.csv").read_bytes()


def test_swapped_values_under_a_fixed_header_are_refused(built):
    raw, out, before = built
    path = raw / XIANGXI
    lines = _lines(path)
    header = next(csv.reader([lines[0]]))
    lines[ROW - 1] = _swap(lines[ROW - 1], header.index("value"), header.index("unit"))
    _write(path, lines)
    refused(raw, out, before, XIANGXI, f"row {ROW}", "column")


def _trailing_comma(lines: list[str]) -> list[str]:
    return [line + "," for line in lines]


def _named_stray(lines: list[str]) -> list[str]:
    return [lines[0] + ",checked_by"] + [line + ",ana" for line in lines[1:]]


def _header_again(lines: list[str]) -> list[str]:
    return [*lines[: ROW - 1], lines[0], *lines[ROW - 1 :]]


def _too_few(lines: list[str]) -> list[str]:
    rec = next(csv.reader([lines[ROW - 1]]))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(rec[:-2])
    return [*lines[: ROW - 1], buf.getvalue(), *lines[ROW:]]


def _too_many(lines: list[str]) -> list[str]:
    return [*lines[: ROW - 1], lines[ROW - 1] + ",x,y", *lines[ROW:]]


def _bad_quotes(lines: list[str]) -> list[str]:
    return [*lines[: ROW - 1], '"xiangxi.gdp"x' + lines[ROW - 1][lines[ROW - 1].index(",") :], *lines[ROW:]]


def _open_quote(lines: list[str]) -> list[str]:
    return [*lines, 'xiangxi.gdp.2030,Xiangxi,gdp,2030,,1,exact,亿元,1,document,doc004,"unfinished']


@pytest.mark.parametrize(
    ("damage", "needles"),
    [
        (_trailing_comma, ("row 1", "has no name", "stray column")),
        (_named_stray, ("row 1", "column 'checked_by'", "unknown column")),
        (_header_again, (f"row {ROW}", "repeats the header")),
        (_too_few, (f"row {ROW}", "11 fields but the header has 13")),
        (_too_many, (f"row {ROW}", "15 fields but the header has 13")),
        (_bad_quotes, (f"row {ROW}", "cannot be read as CSV")),
        (_open_quote, ("cannot be read as CSV",)),
    ],
    ids=[
        "trailing_comma",
        "named_stray_column",
        "header_repeated",
        "too_few_fields",
        "too_many_fields",
        "malformed_quotes",
        "unterminated_quote",
    ],
)
def test_damaged_rows_are_refused_with_file_and_row(built, damage, needles):
    raw, out, before = built
    path = raw / XIANGXI
    _write(path, damage(_lines(path)))
    refused(raw, out, before, XIANGXI, *needles)


def test_nul_bytes_are_refused_with_the_row(built):
    raw, out, before = built
    path = raw / XIANGXI
    lines = _lines(path)
    lines[ROW - 1] = lines[ROW - 1].replace(",", ",\x00", 1)
    _write(path, lines)
    refused(raw, out, before, XIANGXI, f"row {ROW}", "NUL byte")


def test_utf16_is_refused_with_a_fix(built):
    raw, out, before = built
    path = raw / XIANGXI
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    msg = refused(raw, out, before, XIANGXI, "UTF-16")
    assert "iconv -f UTF-16 -t UTF-8" in msg


def test_header_only_without_line_break(built):
    raw, out, before = built
    path = raw / XIANGXI
    path.write_text(_lines(path)[0], encoding="utf-8")
    refused(raw, out, before, XIANGXI, "no data rows")


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(raw_copy, tmp_path):
    build(raw_copy, tmp_path / "a")
    path = raw_copy / XIANGXI
    lines = _lines(path)
    _write(path, [*lines[:3], "", "  ", *lines[3:], ""])
    path.write_bytes(path.read_bytes() + b"  ")  # blanks after the final line break are not a cut-short row
    build(raw_copy, tmp_path / "b")
    a, b = read_rows(tmp_path / "a" / "observations.csv"), read_rows(tmp_path / "b" / "observations.csv")
    assert [r["obs_id"] for r in a] == [r["obs_id"] for r in b]
    moved = [r for r in b if r["source_file"].endswith(XIANGXI) and int(r["source_row"]) > 3]
    assert moved and all(
        int(r["source_row"]) == int(next(x for x in a if x["obs_id"] == r["obs_id"])["source_row"]) + 2 for r in moved
    )
