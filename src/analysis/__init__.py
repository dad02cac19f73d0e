"""Curated poverty-alleviation figures and the analyses built on them.

The package is a pipeline of four layers; each may import only the layers above it
(``tests/build/test_layout.py`` enforces it):

``data``     reading, validating and deriving the curated tables (``make data``) and the
             loading API (:func:`load_observations`, :func:`get_series`, :func:`observation`)
``metrics``  the pure computations: growth, elasticities, comparisons, the claims audit
``reports``  what the notebooks call: run selection, tables, figures and generated prose
``build``    the report build driver (``make report``), the run list and the pytest plugin

``paths`` (where the project's files live) and ``errors`` (the error that names file, row
and column) sit at the top and import nothing from the layers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.data.load import get_series, load_claims, load_observations, observation
    from analysis.errors import DataError

__all__ = ["DataError", "get_series", "load_claims", "load_observations", "observation"]

_LAZY = {
    "DataError": "analysis.errors",
    "get_series": "analysis.data.load",
    "load_claims": "analysis.data.load",
    "load_observations": "analysis.data.load",
    "observation": "analysis.data.load",
}


def __getattr__(name: str) -> Any:
    """Import the loading API on first use, so ``import analysis.paths`` stays cheap (no pandas)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
