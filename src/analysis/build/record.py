"""What a build is made of: the commit, the packages, each run's outputs and the raw inputs.

The replication record of ``reports/index.html`` (:mod:`analysis.build.site`) and
``reports/build_info.json`` (:mod:`analysis.build.report`) both read these; they live
below both so that the driver imports the site builder and never the reverse.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from analysis import paths
from analysis.build.exports import run_exports
from analysis.build.runs import RUNS, Run

PACKAGES: tuple[str, ...] = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "pandera",
    "papermill",
    "nbconvert",
    "nbformat",
    "jupyterlab",
    "ipykernel",
)
"""Packages whose versions the replication record names: those that make the reports. The test
tools (pytest, nbval) are not among them: a build needs only the runtime lock, where they are not."""


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def git_commit() -> str:
    """The commit the working tree is at (``git rev-parse HEAD``), or ``unknown``."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def git_uncommitted() -> list[str] | None:
    """Tracked files that differ from the commit (``git status``); None when git cannot tell.

    A build from a working tree with such changes is not the commit it names, so the
    replication record says so (files the build writes are not tracked).
    """
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return sorted(line[3:] for line in out.stdout.splitlines() if line.strip())


def run_outputs(run: Run) -> dict[str, list[Path]]:
    """Figures and tables a run wrote (found by its name)."""
    figs = sorted(paths.FIGURES.glob(f"{run.name}_*.png"))
    return {
        "figures": figs,
        "svgs": [f.with_suffix(".svg") for f in figs if f.with_suffix(".svg").exists()],
        "PDF figures": [e.path for e in run_exports(run) if e.kind == "PDF figure"],
        "tables": sorted(paths.TABLES.glob(f"{run.name}.csv")) + sorted(paths.TABLES.glob(f"{run.name}_*.csv")),
        "LaTeX tables": [e.path for e in run_exports(run) if e.kind == "LaTeX table"],
    }


def built_runs() -> list[Run]:
    """The runs whose report exists (a partial build indexes only what it built)."""
    return [r for r in RUNS if (paths.REPORTS / f"{r.name}.html").exists()]


def raw_inputs() -> list[Path]:
    """Every raw file the processed tables are built from."""
    files = sorted(paths.RAW.glob("*.csv")) + sorted(paths.DOCUMENTS.glob("*")) + sorted(paths.EXTERNAL.glob("*"))
    return [f for f in files if f.is_file()]
