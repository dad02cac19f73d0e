"""Strict CSV reading and atomic writing.

Reading refuses what would otherwise be misread silently: a file that is not UTF-8
(Excel on a Chinese-language Windows saves GBK), an empty file, a header-only file,
rows with the wrong number of fields. A UTF-8 byte-order mark (as Excel's "CSV UTF-8"
writes) is accepted. Every cell is read as text; numbers are parsed later by
:mod:`analysis.data.numbers` so that nothing is guessed.

Writing goes to a temporary file in the target directory followed by ``os.replace``,
so a reader never sees a half-written file and a failed run leaves the old file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

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


def read_table(path: Path, required: Sequence[str] = (), optional: Sequence[str] = ()) -> pd.DataFrame:
    """Read a UTF-8 CSV as text, indexed by the line number of each record.

    Parameters
    ----------
    path : Path
        The CSV file.
    required : sequence of str
        Columns that must be present in the header.
    optional : sequence of str
        Columns that may be absent; they are added empty when missing.

    Returns
    -------
    pandas.DataFrame
        All cells as ``str`` (empty string for empty cells). The index is the 1-based
        line number where each record starts (header = line 1), named ``row``.
        ``df.attrs['file']`` holds the project-relative file name.

    Raises
    ------
    DataError
        Encoding problems, an empty or header-only file, a missing or duplicated
        column, or a row with the wrong number of fields.
    """
    name = relative(Path(path))
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataError.one(name, None, None, "the file does not exist.") from None
    text = decode_utf8(data, name)
    if not text.strip():
        raise DataError.one(name, None, None, "the file is empty; it needs a header row and at least one data row.")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    problems: list[Problem] = []
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(Problem(name, 1, h, "the column appears twice in the header."))
        seen.add(h)
    for col in required:
        if col not in header:
            problems.append(Problem(name, 1, col, f"required column is missing (the header has: {', '.join(header)})."))
    if problems:
        raise DataError(problems)
    rows: list[list[str]] = []
    index: list[int] = []
    start = 2
    for rec in reader:
        line = start
        start = reader.line_num + 1
        if not rec or all(not c.strip() for c in rec):
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def replace_all(files: dict[Path, bytes]) -> list[Path]:
    """Replace several files, writing all temporaries before renaming any.

    If writing any temporary file fails, nothing is replaced. Files whose content is
    already identical are left alone (their modification time too), so that Make does
    not rebuild what depends on them.

    Returns
    -------
    list of Path
        The files that were written.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            temps.append((tmp, path))
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)
    return [path for _, path in temps]
