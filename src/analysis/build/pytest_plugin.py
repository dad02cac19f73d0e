"""pytest plugin loaded early (``-p analysis.build.pytest_plugin`` in pyproject.toml).

nbval imports nbformat, which imports jsonschema, which imports the optional package
``rfc3987_syntax`` only to register an "iri" format check; building its grammar costs
about 2 s in every pytest process (the main one and each xdist worker). Notebook
validation never uses that format, so the test session skips it, as the report build
does (see :mod:`analysis.build.report`). This module must be imported before nbval,
which is why it is a ``-p`` plugin rather than part of ``conftest.py``.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes its import fail fast
