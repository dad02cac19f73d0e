"""pytest plugin loaded early (``-p analysis.build.pytest_plugin`` in pyproject.toml).

nbval imports nbformat, which imports jsonschema, which imports the optional package
``rfc3987_syntax`` only to register an "iri" format check; building its grammar costs
about 2 s in every pytest process (the main one and each xdist worker). Notebook
validation never uses that format, so the test session skips it, as the report build
does (see :mod:`analysis.build.report`). This module must be imported before nbval,
which is why it is a ``-p`` plugin rather than part of ``conftest.py``.

It also tells whoever meets a stale committed notebook what to do: an nbval failure
"Cell outputs differ" gets a last paragraph naming ``make notebooks``; and, outside CI, it lets
nbval's notebooks share one kernel per test process (:func:`pytest_configure`).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

import pytest

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes its import fail fast

# A test process ends with a heap of DataFrames, figures and modules; the interpreter's final
# garbage collections over it took about 1.5 s per pytest worker, after the last test and before
# pytest could report. Registered at import, this runs after every other exit handler (kernels
# stopped, temporary folders removed): the objects are then frozen out of those collections, and
# the process exits at once (the memory goes back to the system with it).
atexit.register(gc.freeze)


STALE_HINT = (
    "The committed outputs of {nb} differ from what its cells give now. If the change is intended "
    "(new data or code), refresh them with `make notebooks` (it re-executes every notebook in "
    "notebooks/ in place) and commit the notebook; if not, the difference above is the regression."
)
"""What an nbval output mismatch means and how to fix it."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Add :data:`STALE_HINT` to the report of an nbval cell whose outputs differ from the committed ones."""
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.failed or type(item).__name__ != "IPyNbCell":
        return
    if call.excinfo is None or "Cell outputs differ" not in str(call.excinfo.value):
        return
    notebook = os.path.relpath(str(item.fspath), str(item.config.rootpath))
    report.longrepr = f"{report.longrepr}\n\n{STALE_HINT.format(nb=notebook)}"


# ------------------------------------------------------------------ one nbval kernel per process

_NBVAL_KERNEL: list = []
"""The kernel that nbval's notebooks share in this test process (see :func:`pytest_configure`)."""


def in_ci() -> bool:
    """True under CI (``CI=true``, as .ci/run and most CI services set it; also ``1`` or ``yes``).

    Outside CI, nbval's notebooks share a kernel (below) and the tests skip what ``tests/conftest.py``
    leaves to CI (``tests/helpers.py`` uses this function).
    """
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    """Outside CI, nbval's notebooks share one kernel per test process, reset between notebooks.

    nbval starts a kernel for every notebook; start-up and the imports of pandas, matplotlib and
    the package are then about a second of each notebook's check. Here the first notebook of a
    process starts the kernel as nbval does, and each further one gets the build's reset
    (:data:`analysis.build.kernels.KERNEL_RESET`), with which the build's reused kernels write
    reports byte-identical to a fresh kernel's. Under CI every notebook still gets a fresh kernel,
    so CI also checks that a fresh kernel reproduces the committed outputs (which ``make
    notebooks`` writes from reused kernels).
    """
    if in_ci() or not config.pluginmanager.hasplugin("nbval"):
        return
    from nbval.plugin import IPyNbFile

    from analysis.build.kernels import KERNEL_RESET, KERNEL_SNAPSHOT, client_exec

    fresh_setup = IPyNbFile.setup

    def setup(self) -> None:
        kernel = _NBVAL_KERNEL[0] if _NBVAL_KERNEL else None
        if kernel is not None and kernel.is_alive():
            client_exec(kernel.kc, KERNEL_RESET)
            self.kernel = kernel
            self.setup_sanitize_files()
            return
        fresh_setup(self)
        client_exec(self.kernel.kc, KERNEL_SNAPSHOT)
        _NBVAL_KERNEL[:] = [self.kernel]

    def teardown(self) -> None:
        """Keep the kernel for the next notebook (a kernel nbval stopped is replaced there)."""

    IPyNbFile.setup = setup
    IPyNbFile.teardown = teardown


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the shared nbval kernel."""
    while _NBVAL_KERNEL:
        kernel = _NBVAL_KERNEL.pop()
        if kernel.is_alive():
            kernel.stop()
