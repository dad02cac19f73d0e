"""The report runs: each notebook with each of its default parameter sets.

``make report`` executes every run listed here (Make tracks the inputs of each run, so only
the runs whose notebook, code or data changed are redone). Each run writes its figures as
``reports/figures/<run_name>_*.png|svg`` and its table as ``reports/tables/<run_name>.csv``,
so a run's outputs are found by its name; no run name may be a prefix of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis import paths


@dataclass(frozen=True)
class Run:
    """One notebook run: name, notebook and the parameters that differ from its defaults."""

    name: str
    notebook: str
    parameters: dict = field(default_factory=dict)
    title: str = ""
    inputs: tuple[str, ...] = ("data/processed/observations.csv",)
    show_code: bool = False  # keep the code in the HTML (the start-here template is about the code)

    @property
    def notebook_path(self):
        return paths.NOTEBOOKS / self.notebook

    @property
    def all_parameters(self) -> dict:
        """Parameters passed to papermill (``run_name`` always set to the run name)."""
        return {**self.parameters, "run_name": self.name}


RUNS: tuple[Run, ...] = (
    Run(
        "start_here",
        "00_start_here.ipynb",
        {},
        "Start here: load, cite, grow, an elasticity, a figure (the template)",
        ("data/processed/observations.csv", "data/processed/sources.csv"),
        show_code=True,
    ),
    Run("growth_rates", "growth_rates.ipynb", {}, "Growth rates (default series, document and external values)"),
    Run(
        "growth_documents_only",
        "growth_rates.ipynb",
        {"include_external": False},
        "Growth rates from document values only (external values left out)",
    ),
    Run("elasticities", "elasticities.ipynb", {}, "Poverty-growth and standards elasticities"),
    Run("comparisons", "comparisons.ipynb", {}, "Regions, benchmarks and standards side by side"),
    Run(
        "china_comparisons",
        "comparisons.ipynb",
        {"benchmark": "China"},
        "The same regions against China as the benchmark (national figures: NBS, external)",
    ),
    Run(
        "claims_audit",
        "claims_audit.ipynb",
        {},
        "Claims audit: derived statements recomputed",
        ("data/processed/observations.csv", "data/processed/claims.csv", "data/processed/consistency.csv"),
    ),
)

BY_NAME = {r.name: r for r in RUNS}
START_ORDER: tuple[str, ...] = (
    "elasticities",
    "growth_rates",
    "china_comparisons",
    "comparisons",
    "growth_documents_only",
    "claims_audit",
    "start_here",
)
"""The order in which a build with no timings yet (``build/timing/``) starts the runs: longest
first (as measured by ``make bench``), so that the short runs fill the end of a parallel build.
Every run appears once (tests/test_build.py); a later build orders by the last timings."""
