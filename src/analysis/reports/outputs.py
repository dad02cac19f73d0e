"""Where a notebook run writes its tables and figures, and how.

Every notebook has an ``output_dir`` parameter (default: the project's ``reports/``);
tests pass a temporary folder so that a test run never touches the real reports.
Tables are written atomically with deterministic number formatting.
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

    def show_path(self, path: Path) -> str:
        """A path for display: relative to the output root (never machine-specific)."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return Path(path).name


def outputs(output_dir: object = None) -> Outputs:
    """The outputs of a run: ``output_dir`` or the project's ``reports/``.

    A relative ``output_dir`` is resolved against the project root, not the working
    directory (papermill may run the notebook from anywhere). The default follows
    :data:`analysis.paths.REPORTS`, which the environment variable ``ANALYSIS_REPORTS_DIR``
    redirects (``make test`` does, so that nbval never rewrites ``reports/``).
    """
    if output_dir is not None and not isinstance(output_dir, str | Path):
        raise TypeError(f"output_dir must be a folder path or None, got {output_dir!r}")
    root = paths.REPORTS if output_dir is None or output_dir == "" else Path(output_dir)
    if not root.is_absolute():
        root = paths.ROOT / root
    (root / "figures").mkdir(parents=True, exist_ok=True)
    (root / "tables").mkdir(parents=True, exist_ok=True)
    return Outputs(root)
