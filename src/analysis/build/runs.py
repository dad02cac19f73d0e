"""The report runs: each notebook with each of its default parameter sets, declared once (:data:`RUNS`).

``make report`` executes every run listed here (Make tracks the inputs of each run, so only
the runs whose notebook, code or data changed are redone). Each run writes its figures as
``reports/figures/<run_name>_*.png|svg`` and its table as ``reports/tables/<run_name>.csv``,
so a run's outputs are found by its name; no run name may be a prefix of another.

This is the only list of runs: the Makefile reads it from ``build/runs.mk``, which
``python -m analysis.build.runs build/runs.mk`` writes (standard library only, so Make runs
it before the virtual environment exists); the key findings and README's results compute the
tables of any run they read (:mod:`analysis.build.readme`). Adding a report is a notebook, a :class:`Run` here, and its tests.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.data.fileio import stem_problem
from analysis.data.parameters import notebook_parameters

SET_BY_THE_BUILD = ("output_dir", "run_name")
"""Notebook parameters the build sets itself (the report folder and the run's file stem)."""


@dataclass(frozen=True)
class Run:
    """One notebook run: name, notebook and the parameters that differ from its defaults."""

    name: str
    notebook: str
    parameters: dict = field(default_factory=dict)
    title: str = ""
    inputs: tuple[str, ...] = ("data/processed/observations.csv",)
    show_code: bool = False  # keep the code in the HTML (the start-here template is about the code)

    def __post_init__(self) -> None:
        if problem := stem_problem(self.name):
            raise ValueError(f"run name {self.name!r} {problem}")

    @property
    def notebook_path(self):
        return paths.NOTEBOOKS / self.notebook

    @property
    def all_parameters(self) -> dict:
        """Parameters passed to papermill (``run_name`` always set to the run name)."""
        return {**self.parameters, "run_name": self.name}

    def defaults(self) -> dict[str, object]:
        """The parameters of the run's notebook with their default values (:func:`notebook_parameters`)."""
        return notebook_parameters(self.notebook_path)


def split_overrides(runs: list[Run], overrides: dict[str, object]) -> dict[str, dict[str, object]]:
    """Each run's share of ``--param`` overrides: the ones its notebook has as parameters.

    A name that no named run's notebook has (a typo), or one the build sets itself
    (:data:`SET_BY_THE_BUILD`), is refused before anything runs. Papermill itself would only
    log an unknown name and inject it anyway, so a misspelt parameter would change nothing
    and the run would look like a variant.

    Raises
    ------
    ValueError
        Naming the parameter and the valid parameters of each run.

    Examples
    --------
    >>> from analysis.build.runs import BY_NAME
    >>> split_overrides([BY_NAME["growth_rates"], BY_NAME["claims_audit"]], {"prices": "real"})
    {'growth_rates': {'prices': 'real'}, 'claims_audit': {}}
    >>> split_overrides([BY_NAME["claims_audit"]], {"regoin": "Xiangxi"})
    Traceback (most recent call last):
    ...
    ValueError: --param regoin: not a parameter of claims_audit (claims_audit.ipynb: document, verdict, check_verdict, include_external)
    """
    params = {r.name: [k for k in r.defaults() if k not in SET_BY_THE_BUILD] for r in runs}
    for key in overrides:
        if key in SET_BY_THE_BUILD:
            raise ValueError(f"--param {key}: set by the build (the report folder and file names); not a choice here")
        if not any(key in names for names in params.values()):
            valid = "; ".join(f"{r.name} ({r.notebook}: {', '.join(params[r.name])})" for r in runs)
            raise ValueError(f"--param {key}: not a parameter of {valid}")
    return {r.name: {k: v for k, v in overrides.items() if k in params[r.name]} for r in runs}


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
        {"benchmark": "China"},  # a run definition: the parameter override of this variant (region named on purpose)
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
Every run appears once (tests/build/test_build.py); a later build orders by the last timings."""


def make_fragment(runs: tuple[Run, ...] = RUNS) -> str:
    """The Makefile's run list (``build/runs.mk``): ``RUNS := name:notebook-stem ...`` and each run's
    processed inputs ``RUN_INPUTS_<name>``.

    >>> print(make_fragment((Run("a", "x.ipynb"), Run("b", "x.ipynb", inputs=("p.csv", "q.csv")))), end="")
    # Generated by python -m analysis.build.runs from src/analysis/build/runs.py; do not edit.
    RUNS := a:x b:x
    RUN_INPUTS_a := data/processed/observations.csv
    RUN_INPUTS_b := p.csv q.csv
    """
    pairs = " ".join(f"{r.name}:{Path(r.notebook).stem}" for r in runs)
    lines = [
        f"# Generated by python -m analysis.build.runs from src/analysis/build/runs.py; do not edit.\nRUNS := {pairs}"
    ]
    lines += [f"RUN_INPUTS_{r.name} := {' '.join(r.inputs)}" for r in runs]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the Make fragment :func:`make_fragment` to the given file (rewritten only when it changes)."""
    ap = argparse.ArgumentParser(description="Write the Makefile's run list (build/runs.mk) from RUNS.")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    text = make_fragment()
    if args.out.is_file() and args.out.read_text(encoding="utf-8") == text:
        return 0  # unchanged: keep the timestamp, so Make does not restart for nothing
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
