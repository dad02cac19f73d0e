"""Helpers shared by the test modules (imported as ``helpers``; no test module imports another).

Fixtures are in ``tests/conftest.py``; papermill helpers in ``tests/notebook_helpers.py``; the
values computed by hand from the data, with the rows they rest on, in ``tests/hand_values.py``.
"""

from __future__ import annotations

import csv
import functools
import json
import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.pytest_plugin import in_ci as in_ci  # the one definition of "under CI"
from analysis.errors import DataError


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


def code_cells(notebook: Path) -> list[str]:
    """The sources of a notebook's code cells, in order."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def notebook_cell(notebook: Path, marker: str) -> str:
    """The notebook's code cell containing ``marker`` (exactly one)."""
    found = [c for c in code_cells(notebook) if marker in c]
    assert len(found) == 1, (notebook.name, marker, len(found))
    return found[0]


def run_notebook_cells(notebook: Path, tmp_path: Path, prepare: str, *markers: str, **parameters) -> dict:
    """Execute a notebook's parameters cell (with ``output_dir=tmp_path`` and ``parameters`` overriding it),
    the cell containing ``prepare`` and the cells containing ``markers``, in order, as a kernel would;
    return the namespace. ``display`` collects what the cells show in ``shown``."""
    ns: dict = {}
    exec(code_cells(notebook)[0], ns)
    ns.update(output_dir=str(tmp_path), **parameters)
    exec(notebook_cell(notebook, prepare), ns)
    ns["shown"] = []
    ns["display"] = ns["shown"].append
    for m in markers:
        exec(notebook_cell(notebook, m), ns)
    return ns


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


DRIVER_PATHS = (
    "src/analysis/build",
    "tests/build",
    "tests/conftest.py",
    "tests/helpers.py",
    "tests/notebook_helpers.py",
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "requirements-dev.lock",
    "tools",
)
"""What the ``driver`` tests test: the build layer, its tests, and the environment its kernels run in."""


@functools.cache
def driver_changes(root: Path = paths.ROOT) -> tuple[str, ...] | None:
    """The files under :data:`DRIVER_PATHS` that differ from the last commit (``git status``: changed,
    staged or new); None when git cannot tell (no git, or not a repository)."""
    try:
        r = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", *DRIVER_PATHS],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if r.returncode != 0:
        return None
    return tuple(line[3:] for line in r.stdout.splitlines() if line.strip())


def driver_skip_reason(why: str, changes: tuple[str, ...] | None) -> str | None:
    """Why ``make test`` skips a ``driver`` test, or None when it runs it: it runs when the build layer
    changed (a developer's change to the driver gets its tests) or when git cannot tell."""
    if changes is None or changes:
        return None
    return (
        f"{why}: the build layer is as last committed ({', '.join(DRIVER_PATHS[:2])}, ...: git status); "
        "runs in CI (.ci/run), with `make test-full`, and in `make test` once one of those files changes"
    )


# ----------------------------------------------------------------------------- bad-input tests


def problems_of(raw: Path) -> list[str]:
    """The problems a build of ``raw`` is refused with (it must be refused)."""
    from analysis.data.build import build  # not at import: conftest imports this module

    with pytest.raises(DataError) as exc:
        build(raw, raw.parent / "out_unused")
    return [str(p) for p in exc.value.problems]


def only(problems: list[str], *needles: str) -> str:
    """The first problem that mentions every needle (fails listing all problems when none does)."""
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, f"no problem mentions {needles}; got: {problems}"
    return hits[0]


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    """The processed folder ``out`` holds exactly the bytes it held before a failed build."""
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before, "a failed build changed data/processed"


def drawn_encodings(fig) -> set[str]:
    """The ENCODINGS keys a figure visibly draws, read back from its artists (not from the code)."""
    out: set[str] = set()
    for ax in fig.axes:
        for ln in ax.get_lines():
            x = list(ln.get_xdata())
            if not x:  # legend-only handles
                continue
            marker, face = ln.get_marker(), ln.get_markerfacecolor()
            if marker == "o":
                out.add("external" if face in ("white", "w", (1.0, 1.0, 1.0, 1.0)) else "document")
            elif marker == "D":
                out.add("derived")
            if ln.get_linestyle() == ":" and len(x) > 1:
                out.add("gap")
            if ln.get_linestyle() == "--" and len(x) == 2 and x[0] == x[1]:
                out.add("break")
            if ln.get_marker() == "x":  # real values: crosses, dashed between consecutive years
                out.add("real")
        marks = {"p": "preliminary", "r": "revised"}
        out |= {marks[t.get_text()] for t in ax.texts if t.get_text() in marks}
    return out
