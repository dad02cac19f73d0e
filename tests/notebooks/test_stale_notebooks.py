"""nbval on the committed notebooks: a stale notebook fails with a message that names the fix, and
outside CI the notebooks of a test process share one kernel, reset between them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest


def _notebook(path: Path, source: str, printed: str | None = None) -> Path:
    """A one-cell notebook whose committed output is ``printed`` (none when None)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)] if printed is not None else []
    cell.execution_count = 1
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "poverty-analysis", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _nbval(folder: Path, *notebooks: Path, ci: bool) -> subprocess.CompletedProcess:
    drop = ("CI", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")  # the nested run is plain nbval, in one process
    env = {k: v for k, v in os.environ.items() if k not in drop} | ({"CI": "true"} if ci else {})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "analysis.build.pytest_plugin",
         "--nbval", "--nbval-kernel-name", "poverty-analysis", "--rootdir", str(folder), *map(str, notebooks)],
        capture_output=True, text=True, cwd=folder, env=env,
    )  # fmt: skip


@pytest.fixture
def notebooks(tmp_path: Path) -> list[Path]:
    """Three notebooks checked in this order: one that leaves a variable and an environment mark in
    its kernel, one whose committed output says the next notebook found the mark but not the
    variable (the same process, reset), and a stale one (the cell prints 42, the output says 41)."""
    return [
        _notebook(
            tmp_path / "a_leaves.ipynb", "import os\nleft_over = 1\nos.environ['ANALYSIS_KERNEL_MARK'] = 'same kernel'"
        ),
        _notebook(
            tmp_path / "b_finds.ipynb",
            "import os\nprint(os.environ.get('ANALYSIS_KERNEL_MARK'), 'left_over' in dir())",
            "same kernel False\n",
        ),
        _notebook(tmp_path / "c_stale.ipynb", "print(6 * 7)", "41\n"),
    ]


def test_stale_outputs_name_make_notebooks_and_the_notebooks_share_a_reset_kernel(tmp_path, notebooks):
    """Outside CI the second notebook runs in the first one's kernel (the mark is there) after the
    build's reset (the variable is gone): 1 failure, the stale notebook, which names the fix."""
    r = _nbval(tmp_path, *notebooks, ci=False)
    assert r.returncode == 1, r.stdout[-2000:]
    assert "1 failed, 2 passed" in r.stdout, r.stdout[-2000:]
    assert "Cell outputs differ" in r.stdout
    assert "The committed outputs of c_stale.ipynb differ" in r.stdout and "`make notebooks`" in r.stdout


@pytest.mark.full("a second nbval run, with a fresh kernel per notebook as under CI")
def test_under_ci_every_notebook_gets_a_fresh_kernel(tmp_path, notebooks):
    r = _nbval(tmp_path, *notebooks[:2], ci=True)
    assert r.returncode == 1 and "1 failed, 1 passed" in r.stdout, r.stdout[-2000:]
    assert "None False" in r.stdout  # the second notebook's kernel never saw the first one's mark
