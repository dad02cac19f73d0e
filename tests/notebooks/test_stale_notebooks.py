"""A committed notebook whose outputs are stale fails nbval with a message that names the fix."""

from __future__ import annotations

import subprocess
import sys

import nbformat


def test_stale_outputs_name_make_notebooks(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(6 * 7)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="41\n")]  # stale: the cell prints 42
    cell.execution_count = 1
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "poverty-analysis", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "stale.ipynb"
    nbformat.write(nb, path)
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "analysis.build.pytest_plugin",
         "--nbval", "--nbval-kernel-name", "poverty-analysis", "--rootdir", str(tmp_path), str(path)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 1, r.stdout[-2000:]
    assert "Cell outputs differ" in r.stdout
    assert "The committed outputs of stale.ipynb differ" in r.stdout and "`make notebooks`" in r.stdout
