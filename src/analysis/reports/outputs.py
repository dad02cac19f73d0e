"""Where a notebook run writes its tables and figures, and how.

Exploring never overwrites the built reports. A run writes to, in this order:

1. the ``output_dir`` parameter, when given (relative paths are taken from the project root);
2. the folder in the environment variable ``ANALYSIS_BUILD_OUTPUT_DIR``: the build driver
   (:mod:`analysis.build.report`, behind ``make report``) sets it for the kernels it starts,
   so only the build writes ``reports/``;
3. otherwise, the scratch folder ``build/interactive/<run_name>/`` (ignored by git): a run
   in JupyterLab, by plain papermill, ``make notebooks`` or nbval.

The first output of every run says which folder it writes to, with a project-relative
path (never a machine-specific one). Tables are written atomically with deterministic
number formatting, as CSV (full precision) and, through :meth:`Outputs.latex`, as LaTeX
formatted as in the report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import write_frame
from analysis.data.fileio import stem_problem
from analysis.data.load import UnknownChoice


@dataclass(frozen=True)
class Outputs:
    """The figure and table folders of one run, and why the run writes there."""

    root: Path
    origin: str = "output_dir"
    """``output_dir`` (the parameter), ``build`` (the build driver) or ``scratch``."""

    def open(self, announce: bool = True) -> Outputs:
        """Create ``figures/`` and ``tables/`` and, with ``announce``, print :attr:`notice`; return self."""
        self.figures.mkdir(parents=True, exist_ok=True)
        self.tables.mkdir(parents=True, exist_ok=True)
        if announce:
            print(self.notice, flush=True)
        return self

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    def table(self, df: pd.DataFrame, name: str) -> Path:
        """Write ``df`` to ``tables/<name>.csv`` atomically and return the path."""
        path = self.tables / f"{name}.csv"
        write_frame(path, df)
        return path

    def latex(self, table: pd.DataFrame, name: str, caption: str) -> Path:
        """Write the displayed ``table`` to ``tables/<name>.tex`` (booktabs, caption, label ``tab:<name>``).

        ``table`` is the table as the report shows it (display strings or a Styler), so the
        LaTeX carries the same rows and number formatting as the HTML.
        """
        from analysis.reports.exports import write_latex

        return write_latex(
            table, self.tables / f"{name}.tex", caption, source=f"Full-precision values: tables/{name}.csv"
        )

    def show_path(self, path: Path) -> str:
        """A path for display: relative to the output root (never machine-specific)."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return Path(path).name

    @property
    def where(self) -> str:
        """The output folder for display: project-relative, or ``.../<name>/`` outside the project."""
        try:
            return f"{self.root.resolve().relative_to(paths.ROOT).as_posix()}/"
        except ValueError:
            return f".../{self.root.name}/"

    @property
    def notice(self) -> str:
        """One line saying where this run writes, and why (the first output of every run)."""
        if self.origin == "scratch":
            return (
                f"Exploratory run: tables and figures go to {self.where} (scratch, ignored by git); "
                "reports/ is written only by `make report`. Set output_dir to choose another folder."
            )
        if self.origin == "build":
            return f"Build run: tables and figures go to {self.where}"
        return f"Tables and figures go to {self.where} (output_dir)."


def check_run_name(run_name: object) -> str:
    """The ``run_name`` parameter of every report: a file stem (:func:`analysis.data.fileio.stem_problem`).

    It names the run's files and, for exploratory runs, its folder ``build/interactive/<run_name>/``.

    Raises
    ------
    UnknownChoice
        ``parameter run_name='../x' must be a file stem: ...`` (one message for every report).
    """
    problem = stem_problem(run_name)
    if problem:
        raise UnknownChoice(f"parameter run_name={run_name!r} {problem}")
    assert isinstance(run_name, str)
    return run_name


def resolve(output_dir: object, run_name: str) -> Outputs:
    """Where a run writes (see the module docstring), without creating anything."""
    check_run_name(run_name)
    if output_dir is not None and not isinstance(output_dir, str | Path):
        raise UnknownChoice(f"parameter output_dir={output_dir!r} must be a folder path or None")
    if output_dir not in (None, ""):
        root, origin = Path(output_dir), "output_dir"
    elif os.environ.get(paths.BUILD_OUTPUT_ENV):
        root, origin = Path(os.environ[paths.BUILD_OUTPUT_ENV]), "build"
    else:
        root, origin = paths.SCRATCH / run_name, "scratch"
    if not root.is_absolute():
        root = paths.ROOT / root
    return Outputs(root, origin)


def outputs(output_dir: object = None, run_name: str = "run", announce: bool = True) -> Outputs:
    """The outputs of a run: ``output_dir``, the build's folder, or the scratch folder.

    Parameters
    ----------
    output_dir : str or Path, optional
        The notebook's ``output_dir`` parameter; wins when given. A relative path is
        resolved against the project root, not the working directory (papermill may run
        the notebook from anywhere).
    run_name : str
        The run's name; the scratch folder is ``build/interactive/<run_name>/``.
    announce : bool
        Print :attr:`Outputs.notice` (the notebooks' first output says where they write).

    Returns
    -------
    Outputs
        With ``figures/`` and ``tables/`` created.
    """
    return resolve(output_dir, run_name).open(announce)
