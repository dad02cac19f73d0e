"""Curated poverty-alleviation figures and the analyses built on them.

The package has one concern per module:

``paths``       where the project's files live (resolved from the package, not the cwd)
``errors``      the error type that names file, row and column
``csvio``       strict CSV reading (encoding, BOM, empty files) and atomic writes
``units``       the unit vocabulary and conversion to base units
``schema``      pandera schemas of the raw tables
``provenance``  checks that every value is printed in a verbatim quote of its source
``derive``      derived values (computed, labelled, never typed)
``build_data``  ``make data``: validate raw tables, write ``data/processed/``
``load``        the loading API: :func:`load_observations`, :func:`get_series`

Analysis modules (growth, elasticity, comparison, claims audit, figures) build on these.
"""

from analysis.errors import DataError
from analysis.load import get_series, load_claims, load_observations, observation

__all__ = ["DataError", "get_series", "load_claims", "load_observations", "observation"]
