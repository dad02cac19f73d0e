"""Where a notebook run writes its tables and figures, and how.

Every notebook has an ``output_dir`` parameter (default: the project's ``reports/``);
tests pass a temporary folder so that a test run never touches the real reports.
Tables are written atomically with deterministic number formatting, as CSV (full
precision) and, through :meth:`Outputs.latex`, as LaTeX formatted as in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import write_frame


@dataclass(frozen=True)
class Outputs:
    """The figure and table folders of one run."""

    root: Path

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


def outputs(output_dir: str | Path | None = None) -> Outputs:
    """The outputs of a run: ``output_dir`` or the project's ``reports/``.

    A relative ``output_dir`` is resolved against the project root, not the working
    directory (papermill may run the notebook from anywhere). The default follows
    :data:`analysis.paths.REPORTS`, which the environment variable ``ANALYSIS_REPORTS_DIR``
    redirects (``make test`` does, so that nbval never rewrites ``reports/``).
    """
    root = paths.REPORTS if output_dir in (None, "") else Path(output_dir)
    if not root.is_absolute():
        root = paths.ROOT / root
    (root / "figures").mkdir(parents=True, exist_ok=True)
    (root / "tables").mkdir(parents=True, exist_ok=True)
    return Outputs(root)
