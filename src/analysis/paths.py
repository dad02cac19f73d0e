"""Project paths, resolved from the package location (never from the working directory).

The package lives in ``<root>/src/analysis``; every path below is derived from that, so
notebooks run by papermill from any directory find the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT: Path = Path(__file__).resolve().parents[2]
DATA: Path = ROOT / "data"
RAW: Path = DATA / "raw"
PROCESSED: Path = DATA / "processed"
DOCUMENTS: Path = RAW / "documents"
EXTERNAL: Path = RAW / "external"
NOTEBOOKS: Path = ROOT / "notebooks"
REPORTS: Path = Path(os.environ.get("ANALYSIS_REPORTS_DIR") or ROOT / "reports")
"""Where the build writes reports; ``ANALYSIS_REPORTS_DIR`` redirects it (tests, nbval)."""
BUILD_OUTPUT_ENV = "ANALYSIS_BUILD_OUTPUT_DIR"
"""Set by the build driver for the kernels it starts: their figures and tables go there.

Without it (JupyterLab, plain papermill, ``make notebooks``, nbval) a notebook writes to
:data:`SCRATCH` ``/<run_name>/`` instead (:mod:`analysis.reports.outputs`)."""
SCRATCH: Path = ROOT / "build" / "interactive"
"""Scratch folders of notebook runs outside the build (``build/`` is ignored by git)."""
FIGURES: Path = REPORTS / "figures"
TABLES: Path = REPORTS / "tables"

OBSERVATIONS_CSV: Path = PROCESSED / "observations.csv"
CLAIMS_CSV: Path = PROCESSED / "claims.csv"
CONSISTENCY_CSV: Path = PROCESSED / "consistency.csv"


def relative(path: Path) -> str:
    """Return ``path`` relative to the project root when inside it (for messages).

    Parameters
    ----------
    path : Path
        Any path.

    Returns
    -------
    str
        ``data/raw/claims.csv`` style text, or the absolute path when outside the project.
    """
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
