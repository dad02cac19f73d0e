"""Strict CSV reading and atomic writing.

Reading refuses what would otherwise be misread silently: a file that is not UTF-8
(Excel on a Chinese-language Windows saves GBK; "Unicode text" is UTF-16), NUL bytes,
an empty file, a header-only file, a last line without a line break (the file may have
been cut short), a header repeated as a data row, a row repeated exactly, an empty column
name, malformed quoting, rows with the wrong number of fields. A UTF-8 byte-order mark (as Excel's
"CSV UTF-8" writes) and Windows (CRLF) or old Mac (CR) line ends are accepted. Every cell is read as text; numbers are parsed later by
:mod:`analysis.data.numbers` so that nothing is guessed.

Writing goes to a temporary file in the target directory followed by ``os.replace``,
so a reader never sees a half-written file and a failed run leaves the old file. The
temporary file is given the mode a new file gets under the process umask (0644 under
umask 022, 0664 under 002) before it replaces the target: ``tempfile.mkstemp`` creates
it private (0600), and ``os.replace`` would otherwise carry that mode over.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data.fileio import (  # noqa: F401 (re-exported: the package's writers import them from here)
    atomic_write_bytes,
    current_umask,
    new_file_mode,
    replace_all,
)
from analysis.errors import DataError, Problem
from analysis.paths import relative

BOM = b"\xef\xbb\xbf"


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_utf8(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (BOM allowed) or raise a :class:`DataError` with a fix.

    Parameters
    ----------
    data : bytes
        Raw file content.
    name : str
        File name used in messages.

    Returns
    -------
    str
        The decoded text without BOM, with ``\\r\\n`` normalised to ``\\n``.
    """
    data = data.removeprefix(BOM)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DataError.one(
            name,
            1,
            None,
            "the file is UTF-16 (Excel's 'Unicode Text'), not UTF-8. Fix: in Excel use 'Save As' > "
            f"'CSV UTF-8 (Comma delimited)', or convert it with: iconv -f UTF-16 -t UTF-8 {name} > fixed.csv",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError.one(
            name,
            _line_of_offset(data, nul),
            None,
            f"the file contains a NUL byte (offset {nul}): it is binary, UTF-16 or damaged, not a UTF-8 CSV "
            "table. Fix: restore it from git (git checkout -- FILE) or re-save it as 'CSV UTF-8'.",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        hint = ""
        try:
            data.decode("gb18030")
            hint = (
                " It decodes as GBK/GB18030, the encoding Excel uses on a Chinese-language"
                " Windows. Fix: in Excel use 'Save As' > 'CSV UTF-8 (Comma delimited)',"
                f" or convert it with: iconv -f GB18030 -t UTF-8 {name} > fixed.csv"
            )
        except UnicodeDecodeError:
            pass
        raise DataError.one(
            name,
            line,
            None,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}).{hint}",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_complete(text: str, name: str) -> None:
    """Refuse a table whose last line does not end with a line break.

    A file cut short (an interrupted copy or download, an editor that crashed) usually
    ends in the middle of a row, and the partial row may still have the right number of
    fields (a truncated last column). Every table the project writes, and every common
    editor, ends the last line with a line break, so a missing one is taken as a sign of
    truncation rather than guessed around.

    Raises
    ------
    DataError
        Naming the file, the last row's line and its first characters, with the fix.
    """
    last = text.rsplit("\n", 1)[-1]
    if not last.strip():  # ends with a line break (possibly followed by stray blanks)
        return
    line = text.count("\n") + 1
    shown = last if len(last) <= 80 else last[:40] + " ... " + last[-30:]
    raise DataError.one(
        name,
        line,
        None,
        f"the last line does not end with a line break, so the file may have been cut short (an "
        f"interrupted copy or save); the last row reads: {shown!r}. Fix: compare the file with its "
        f"last good version (git diff {name}) and restore what is missing; if the row is complete, "
        "add a line break at the end of the file.",
    )


def read_table(
    path: Path, required: Sequence[str] = (), optional: Sequence[str] = (), strict: bool = False
) -> pd.DataFrame:
    """Read a UTF-8 CSV as text, indexed by the line number of each record.

    Parameters
    ----------
    path : Path
        The CSV file.
    required : sequence of str
        Columns that must be present in the header.
    optional : sequence of str
        Columns that may be absent; they are added empty when missing.
    strict : bool
        Refuse any other column (a stray or misspelled column would otherwise be
        dropped silently with its data).

    Returns
    -------
    pandas.DataFrame
        All cells as ``str`` (empty string for empty cells). The index is the 1-based
        line number where each record starts (header = line 1), named ``row``.
        ``df.attrs['file']`` holds the project-relative file name.

    Raises
    ------
    DataError
        Encoding problems or NUL bytes, an empty or header-only file, a last line
        without a line break, a missing, unnamed or duplicated column, a repeated header
        row, a row repeated exactly, malformed quoting, or a row with the wrong number of fields.
    """
    name = relative(Path(path))
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError.one(name, None, None, "the file does not exist.") from None
    text = decode_utf8(data, name)
    if not text.strip():
        raise DataError.one(name, None, None, "the file is empty; it needs a header row and at least one data row.")
    if "\n" not in text.rstrip("\n"):
        raise DataError.one(name, None, None, "the file has a header but no data rows.")
    check_complete(text, name)
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataError.one(name, 1, None, f"the header cannot be read as CSV ({exc}).") from None
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, h in enumerate(header, start=1):
        if not h:
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    f"column {i} of the header has no name (a stray column, e.g. a trailing comma on "
                    "every line); remove it or name it.",
                )
            )
        elif h in seen:
            problems.append(Problem(name, 1, h, "the column appears twice in the header."))
        seen.add(h)
    if strict:
        known = [*required, *optional]
        for h in header:
            if h and h not in known:
                problems.append(
                    Problem(
                        name,
                        1,
                        h,
                        f"unknown column (stray or misspelled?); its values would be ignored. The table's "
                        f"columns are: {', '.join(known)}.",
                    )
                )
    for col in required:
        if col not in header:
            problems.append(Problem(name, 1, col, f"required column is missing (the header has: {', '.join(header)})."))
    if problems:
        raise DataError(problems)
    rows: list[list[str]] = []
    index: list[int] = []
    seen_rows: dict[tuple[str, ...], int] = {}
    start = 2
    while True:
        line = start
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(
                Problem(name, line, None, f"the row cannot be read as CSV ({exc}); check its double quotes.")
            )
            break
        start = reader.line_num + 1
        if not rec or all(not c.strip() for c in rec):
            continue
        if [c.strip() for c in rec] == header:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    "the row repeats the header (two copies of the table pasted together?); delete it.",
                )
            )
            continue
        if len(rec) != len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"the row has {len(rec)} fields but the header has {len(header)}; check for an unquoted comma in a quote.",
                )
            )
            continue
        key = tuple(c.strip() for c in rec)
        if key in seen_rows:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"the row repeats row {seen_rows[key]} exactly (pasted twice?); delete one of them.",
                )
            )
            continue
        seen_rows[key] = line
        rows.append(rec)
        index.append(line)
    if problems:
        raise DataError(problems)
    if not rows:
        raise DataError.one(name, None, None, "the file has a header but no data rows.")
    df = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="row"), dtype=object)
    for col in optional:
        if col not in df.columns:
            df[col] = ""
    df.attrs["file"] = name
    return df


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Render rows as UTF-8 CSV bytes with ``\\n`` line endings (deterministic)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def write_frame(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame as CSV atomically, with deterministic number formatting.

    Floats are written with ``repr`` after rounding to 12 significant digits, so the
    same values always give the same bytes; missing values are written as empty cells.
    """

    def fmt(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, float):
            if v.is_integer() and abs(v) < 1e16:
                return str(int(v))
            return repr(float(f"{v:.12g}"))
        return v

    rows = ([fmt(v) for v in rec] for rec in df.itertuples(index=False, name=None))
    atomic_write_bytes(path, csv_bytes(list(df.columns), rows))


def iter_rows(df: pd.DataFrame) -> Iterator[tuple[Any, dict[str, Any]]]:
    """``(index, {column: value})`` for each row: what ``DataFrame.iterrows`` gives, as plain dicts.

    The values are each column's own (``Series.tolist``: an ``Int64`` cell is an ``int`` or
    ``<NA>``), not one Series per row, which makes row-by-row validation about ten times faster.

    >>> list(iter_rows(pd.DataFrame({"a": ["x", "y"]}, index=[2, 3])))
    [(2, {'a': 'x'}), (3, {'a': 'y'})]
    """
    columns = list(df.columns)
    if not columns:
        yield from ((index, {}) for index in df.index)
        return
    for index, values in zip(df.index, zip(*(df[c].tolist() for c in columns), strict=True), strict=True):
        yield index, dict(zip(columns, values, strict=True))
