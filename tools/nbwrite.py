"""Write a notebook from a list of (cell_type, source[, tags]) tuples (authoring aid).

Used once to create a notebook skeleton; afterwards the .ipynb is the source that
economists edit in JupyterLab. Usage from Python:

    from nbwrite import write
    write("notebooks/x.ipynb", [("markdown", "# Title"), ("code", "a = 1", ["parameters"])])
"""

from __future__ import annotations

import nbformat

KERNELSPEC = {"name": "poverty-analysis", "display_name": "Python 3 (poverty-analysis)", "language": "python"}


def write(path: str, cells: list[tuple]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(cells):
        kind, src = c[0], c[1].strip("\n")
        cell = nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        cell.id = f"cell-{i:02d}"
        if len(c) > 2:
            cell.metadata["tags"] = list(c[2])
        nb.cells.append(cell)
    nbformat.write(nb, path)
