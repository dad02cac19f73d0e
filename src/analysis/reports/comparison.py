"""The comparison report: regions, benchmarks and standards side by side.

``notebooks/comparisons.ipynb`` is the analysis: its parameters cell is the run definition
and its cells build each section's rows with the per-row helpers of
:mod:`~analysis.reports.comparison_sections`, :mod:`~analysis.reports.comparison_national`
and :mod:`~analysis.reports.comparison_province`. This module is the report's top: it
validates the parameters (:func:`prepare`, from :mod:`~analysis.reports.comparison_base`)
and :func:`build_table` computes any section the notebook has not computed yet (all of them
in the in-process build of ``build/readme.py``) and writes ``tables/<run_name>.csv``.

Every number comes from :mod:`analysis.metrics.compare`, which refuses mismatched years and
units; a refused comparison becomes a row with ``status`` ``refused`` (or ``not observed``)
and the reason in ``note``. Columns: ``metric, region, benchmark, year_or_period, value,
benchmark_value, ratio, gap, note, unit, benchmark_unit, gap_unit, status, kinds, section,
external_used``.

Sections
--------
``poverty``      the poverty indicators of each region against the benchmark at start and end
``growth``       income and output: CAGR of each series over its own period
``assistance``   social-assistance standards against the poverty line, each other, payments, income
``counties``     poverty counties exited out of the total, and shares of national totals
``national``     every region against the national figures (income convergence, poverty)
``province``     the regions inside a province against it
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.metrics.compare import Comparison
from analysis.reports import comparison_national as nat
from analysis.reports import comparison_province as prov
from analysis.reports import comparison_sections as sec
from analysis.reports.comparison_base import SECTIONS, ComparisonRun, prepare, selection
from analysis.reports.comparison_table import write_table

__all__ = ["BUILDERS", "SECTIONS", "ComparisonRun", "build_table", "prepare", "selection"]

BUILDERS: dict[str, Callable[[ComparisonRun], list[Comparison]]] = {
    "poverty": sec.poverty_comparisons,
    "growth": sec.growth_comparisons,
    "assistance": sec.assistance_comparisons,
    "counties": sec.county_comparisons,
    "national": nat.national_comparisons,
    prov.SECTION: lambda run: prov.province_comparisons(run.province, run.obs),
}
"""The function that computes each section's rows (the same loops as the notebook's cells)."""


def build_table(run: ComparisonRun) -> pd.DataFrame:
    """Compute every section not yet in ``run.rows``, write ``tables/<run_name>.csv`` and return the table.

    The sections the notebook's cells computed are kept as they are.
    """
    for s in SECTIONS:
        if s not in run.rows:
            run.rows[s] = BUILDERS[s](run)
    return write_table(run)
