"""pytest plugin loaded early (``-p analysis.build.pytest_plugin`` in pyproject.toml).

nbval imports nbformat, which imports jsonschema, which imports the optional package
``rfc3987_syntax`` only to register an "iri" format check; building its grammar costs
about 2 s in every pytest process (the main one and each xdist worker). Notebook
validation never uses that format, so the test session skips it, as the report build
does (see :mod:`analysis.build.report`). This module must be imported before nbval,
which is why it is a ``-p`` plugin rather than part of ``conftest.py``.

It also tells whoever meets a stale committed notebook what to do: an nbval failure
"Cell outputs differ" gets a last paragraph naming ``make notebooks``.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes its import fail fast


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
