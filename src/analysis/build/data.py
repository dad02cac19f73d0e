"""``make data``: the data build (:mod:`analysis.data.build`) and the reports' own curated tables.

Four tables under ``data/raw/`` are read by the reports rather than by the data build: the
literature bands and pair notes of the elasticity report (:mod:`analysis.reports.elasticity_vocab`),
the measurement notes of the comparisons (:func:`analysis.reports.comparison_data.load_basis_notes`)
and the key findings (``headlines.csv``, :func:`analysis.reports.headlines.load_specs`, each
``kind`` one of :data:`analysis.build.findings.KINDS`). The data layer cannot import their
validators (the reports layer sits above it), so this entry point, one layer up, hands them to
the data build as further checks: a bad row in any of them fails ``make data`` by file, row and
column, before anything is written, instead of failing a notebook run later.

Usage: ``python -m analysis.build.data [--raw DIR] [--out DIR]`` (the options of :mod:`analysis.data.build`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.build.findings import KINDS
from analysis.data import build
from analysis.errors import DataError, Problem
from analysis.reports.comparison_data import load_basis_notes
from analysis.reports.elasticity_vocab import load_literature_bands, load_pair_notes
from analysis.reports.headlines import load_specs


def _problems(load: Callable[[], object]) -> list[Problem]:
    try:
        load()
    except DataError as exc:
        return list(exc.problems)
    return []


def report_vocabularies(raw: Path | None, obs: pd.DataFrame) -> list[Problem]:
    """The problems of the reports' curated tables in ``raw`` (default ``data/raw``), given the observations.

    >>> from analysis.data.load import load_observations
    >>> report_vocabularies(None, load_observations(preferred_only=False))
    []
    """
    folder = Path(raw or paths.RAW)
    return [
        *_problems(lambda: load_literature_bands(raw)),
        *_problems(lambda: load_pair_notes(raw, obs)),
        *_problems(lambda: load_basis_notes(raw)),
        *_problems(lambda: load_specs(folder / "headlines.csv", kinds=KINDS)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``make data``); returns the exit status."""
    return build.main(argv, checks=[report_vocabularies])


if __name__ == "__main__":
    sys.exit(main())
