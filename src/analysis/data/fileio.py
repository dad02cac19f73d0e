"""Atomic file writes with the umask's modes (standard library only, so the build driver
need not import pandas for them).

Writing goes to a temporary file in the target directory followed by ``os.replace``,
so a reader never sees a half-written file and a failed run leaves the old file. The
temporary file is given the mode a new file gets under the process umask (0644 under
umask 022, 0664 under 002) before it replaces the target: ``tempfile.mkstemp`` creates
it private (0600), and ``os.replace`` would otherwise carry that mode over.
:mod:`analysis.data.csvio` re-exports these functions.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

FILE_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
"""A run name (and a variant's name): a letter or digit, then letters, digits, ``_ . -``."""
FILE_STEM_RULE = "a letter or digit, then letters, digits, _ . - (no spaces or slashes)"


def stem_problem(value: object) -> str | None:
    """Why ``value`` cannot name a run's files and folder (:data:`FILE_STEM`), or None when it can.

    The one rule for every ``run_name`` parameter and every variant name of the build, so that a
    run's outputs stay inside their folder (``../x`` and ``a b`` are refused).

    >>> stem_problem("growth_rates_real") is None
    True
    >>> stem_problem("../x")
    'must be a file stem: a letter or digit, then letters, digits, _ . - (no spaces or slashes)'
    """
    if isinstance(value, str) and FILE_STEM.match(value):
        return None
    return f"must be a file stem: {FILE_STEM_RULE}"


def current_umask() -> int:
    """The process umask, read without changing it where the system allows.

    Linux reports it in ``/proc/self/status``; elsewhere it is read with ``os.umask``
    (set and immediately restored).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: ``0o666`` minus the umask."""
    return 0o666 & ~current_umask()


def _temporary(path: Path) -> tuple[int, str]:
    """A temporary file next to ``path`` with the mode a new file gets (not mkstemp's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, new_file_mode())
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    The file gets the mode the umask gives a new file (see :func:`new_file_mode`).
    """
    path = Path(path)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_all(files: dict[Path, bytes]) -> list[Path]:
    """Replace several files, writing all temporaries before renaming any.

    If writing any temporary file fails, nothing is replaced (and no temporary file is
    left behind). Each file gets the mode the umask gives a new file. Files whose content is
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
            fd, tmp = _temporary(path)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in temps:
        os.replace(tmp, path)
    return [path for _, path in temps]
