"""The export files of a build, for the index and the replication table.

:func:`produced` lists every file the build writes for use outside the HTML reports: the
LaTeX version of each report table (``tables/*.tex``), the PDF version of each figure
(``figures/*.pdf``) and the Stata and Excel exports of the processed data
(``data/observations.dta|.xlsx|.csv``, ``data/panel.dta|.csv``, ``data/sources.csv``,
``data/regions.csv`` and the codebook ``data/datapackage.json``, written by :mod:`analysis.data.exports`). Each entry
names its path, kind, a one-line description and its inputs, so that pages can link
them without knowing how they were made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.build.runs import RUNS, Run

PROCESSED_INPUTS = ("data/processed/observations.csv", "data/processed/claims.csv", "data/processed/sources.csv")
DATA_EXPORTS = (
    (
        "observations.dta",
        "Stata data",
        "every processed observation; Stata 14+ (version 118), variable and value labels",
    ),
    (
        "observations.xlsx",
        "Excel workbook",
        "sheets observations, claims, sources, columns (what each column means) and panel",
    ),
    (
        "panel.dta",
        "Stata data",
        "the panel: one row per series and year, the values the reports use; xtset series_id year",
    ),
    (
        "panel.csv",
        "CSV table",
        "the panel as CSV: one row per series and year (series_id, year unique), the values the reports use",
    ),
    ("observations.csv", "CSV table", "every processed observation with in_series, as plain UTF-8 CSV"),
    ("sources.csv", "CSV table", "the sources the observations' source_id refers to"),
    ("regions.csv", "CSV table", "the regions: Chinese and English names, GB/T 2260 codes where one exists"),
    (
        "datapackage.json",
        "codebook",
        "Frictionless Data Package: every column's type, description and constraints, keys; see codebook.html",
    ),
)


@dataclass(frozen=True)
class ExportFile:
    """One export: where it is, what it is, what it was made from."""

    path: Path
    kind: str
    description: str
    inputs: tuple[str, ...]
    run: str = ""  # the report run that wrote it ("" for the data exports)

    @property
    def rel(self) -> str:
        """Path relative to the reports folder (for links)."""
        return str(self.path.relative_to(paths.REPORTS))


def run_exports(run: Run, reports: Path | None = None) -> list[ExportFile]:
    """The LaTeX tables and PDF figures that ``run`` wrote (found by its name)."""
    root = Path(reports or paths.REPORTS)
    inputs = (f"notebooks/{run.notebook}", *run.inputs)
    tex = sorted((root / "tables").glob(f"{run.name}.tex")) + sorted((root / "tables").glob(f"{run.name}_*.tex"))
    out = [
        ExportFile(
            p, "LaTeX table", f"{p.stem}: booktabs table, numbers as in the report (\\input{{}} it)", inputs, run.name
        )
        for p in tex
    ]
    out += [
        ExportFile(p, "PDF figure", f"{p.stem}: vector figure for print", inputs, run.name)
        for p in sorted((root / "figures").glob(f"{run.name}_*.pdf"))
    ]
    return out


def data_exports(reports: Path | None = None) -> list[ExportFile]:
    """The Stata and Excel exports of ``data/processed`` that exist."""
    root = Path(reports or paths.REPORTS) / "data"
    return [
        ExportFile(root / name, kind, desc, PROCESSED_INPUTS)
        for name, kind, desc in DATA_EXPORTS
        if (root / name).exists()
    ]


def produced(reports: Path | None = None) -> list[ExportFile]:
    """Every export file of the build that exists: data exports first, then per run."""
    root = Path(reports or paths.REPORTS)
    out = data_exports(root)
    for run in RUNS:
        out += run_exports(run, root)
    return out
