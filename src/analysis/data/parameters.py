"""Read a notebook's parameters cell: the one place a run definition is declared.

The standard library only: the build's run list (:mod:`analysis.build.runs`) reads the
parameters before the virtual environment exists, and the reports read their default run
definition (the growth ``series``, the elasticity ``pairs``, the comparison sections) from
the same cell, so it is typed once, as literals, where an economist edits it.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from analysis import paths


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """The assignments of a notebook's cell tagged ``parameters`` (literal values only).

    Raises
    ------
    ValueError
        When the notebook has no cell tagged ``parameters``.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            out: dict[str, object] = {}
            for node in ast.parse("".join(cell["source"])).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    raise ValueError(f"{paths.relative(Path(notebook))} has no cell tagged 'parameters'")
