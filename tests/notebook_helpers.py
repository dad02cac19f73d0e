"""Run notebooks with papermill's API in tests (outputs go to a temporary folder)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)  # see analysis.build.report: skips a slow optional import

import nbformat  # noqa: E402
import papermill as pm  # noqa: E402

from analysis import paths  # noqa: E402

KERNEL = "poverty-analysis"


def run_notebook(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>.ipynb`` with ``parameters``; outputs under ``tmp_path``."""
    out = tmp_path / f"{name}.out.ipynb"
    parameters.setdefault("output_dir", str(tmp_path))
    pm.execute_notebook(
        str(paths.NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """All text outputs of a notebook, concatenated (for assertions)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            for key in ("text/plain", "text/markdown", "text/html"):
                if key in out.get("data", {}):
                    parts.append(out["data"][key])
    return "\n".join(parts)
