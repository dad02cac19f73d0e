"""Run notebooks with papermill's API in tests (one kernel per test process, reset between runs).

:func:`run_notebook` passes ``output_dir`` (a temporary folder). :func:`run_interactive`
runs a notebook as a user would outside the build (plain papermill, no ``output_dir``, no
build mark) and checks that it leaves ``reports/`` byte-identical and writes to its scratch
folder ``build/interactive/<run_name>/``, whose location its first output names.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)  # see analysis.build.report: skips a slow optional import

import nbformat  # noqa: E402
import papermill as pm  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.build.kernels import KERNEL  # noqa: E402  (the kernel name the notebooks and the build use)

_KERNEL: list = []
"""The test process's kernel (at most one KernelManager), see :func:`kernel`."""


def kernel():
    """This test process's kernel, reset as the build resets a kernel it reuses.

    Papermill runs in the tests share one kernel per pytest worker instead of starting one
    each (kernel start-up and the imports of pandas, matplotlib and the package are most of
    a small run). Between runs the kernel gets the build's reset
    (:data:`analysis.build.report.KERNEL_RESET`: empty namespace, no figures, default
    rcParams, pandas display options and warning filters), which the build relies on to make a reused kernel's
    reports byte-identical to a fresh kernel's. The kernel starts with a user's environment
    (no build mark, no reports redirection); a kernel that died is replaced. Like the build's,
    it hands papermill one client for its life (``analysis.build.kernels.kernel_classes``).
    """
    import atexit

    from analysis.build.kernels import KERNEL_RESET, kernel_exec, start_kernel, stop_kernel

    if _KERNEL and _KERNEL[0].is_alive():
        kernel_exec(_KERNEL[0], KERNEL_RESET)
        return _KERNEL[0]
    if _KERNEL:
        stop_kernel(_KERNEL.pop())
    with _without_build_marks():
        km = start_kernel(str(paths.NOTEBOOKS))  # the build's kernel: one client for its life
    _KERNEL.append(km)
    atexit.register(lambda: stop_kernel(km))
    return km


def execute(source: Path, out: Path, parameters: dict) -> nbformat.NotebookNode:
    """Execute ``source`` with papermill in the test process's kernel (:func:`kernel`); write ``out``."""
    return pm.execute_notebook(
        str(source),
        str(out),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        km=kernel(),
    )


def run_notebook(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>.ipynb`` with ``parameters``; outputs under ``tmp_path``."""
    out = tmp_path / f"{name}.out.ipynb"
    parameters.setdefault("output_dir", str(tmp_path))
    execute(paths.NOTEBOOKS / f"{name}.ipynb", out, parameters)
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


REPORTS = paths.ROOT / "reports"
"""The project's real reports folder (not ``paths.REPORTS``, which ``make test`` redirects)."""


def reports_digest(root: Path = REPORTS) -> dict[str, str]:
    """sha256 of every file under ``reports/`` by relative path (new or missing files show too).

    ``reports/screenshots/`` is left out: the browser tests save their review screenshots
    there, possibly at the same moment in another pytest worker.
    """
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "screenshots"
    }


@contextmanager
def _without_build_marks():
    """The environment of a user's shell: no build mark and no reports redirection."""
    saved = {k: os.environ.pop(k) for k in (paths.BUILD_OUTPUT_ENV, "ANALYSIS_REPORTS_DIR") if k in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def first_output(nb: nbformat.NotebookNode) -> str:
    """The text of the notebook's first output (whatever cell produced it)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            return out.get("text") or out.get("data", {}).get("text/plain", "")
    return ""


def run_interactive(name: str, run_name: str, **parameters) -> tuple[nbformat.NotebookNode, Path]:
    """Execute a notebook as an exploring user would: papermill, no ``output_dir``.

    Asserts that every file under ``reports/`` is byte-identical afterwards (no file
    changed, appeared or vanished) and that the first output names the scratch folder.
    Returns the executed notebook and the scratch folder (``build/interactive/<run_name>``);
    tests call it through the ``interactive`` fixture, which removes the folder afterwards.
    """
    assert "output_dir" not in parameters
    scratch = paths.SCRATCH / run_name
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.parent.mkdir(parents=True, exist_ok=True)
    before = reports_digest()
    out = scratch.parent / f".{run_name}.out.ipynb"
    with _without_build_marks():
        execute(paths.NOTEBOOKS / f"{name}.ipynb", out, {**parameters, "run_name": run_name})
    nb = nbformat.read(out, as_version=4)
    out.unlink()
    after = reports_digest()
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"an exploratory run of {name} changed files under reports/: {changed[:10]}"
    assert f"build/interactive/{run_name}/" in first_output(nb), first_output(nb)
    assert str(paths.ROOT) not in first_output(nb)
    assert (scratch / "tables").is_dir() and any((scratch / "tables").iterdir()), f"nothing written to {scratch}"
    return nb, scratch


def without_notice(texts: list[str]) -> list[str]:
    """Text outputs without the run's location notice (it names a different folder per run mode)."""
    return [t for t in texts if not t.startswith(("Exploratory run:", "Build run:", "Tables and figures go to"))]
