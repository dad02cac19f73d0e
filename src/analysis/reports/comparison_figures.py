"""What the comparison report's figures share: the notes, the pair a slope chart is about, label spacing,
points as a frame, the series the index leaves out and the standards' ratios.

The figures themselves are drawn in the cells of ``notebooks/comparisons.ipynb`` and saved by
:func:`analysis.reports.figures.save`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.reports.comparison_base import ComparisonRun, indicator_label, section_rows


def external_note(run: ComparisonRun, section: str) -> str:
    """Whether external values entered a section's rows (their ``kinds``; the table's ``external_used``), for figure notes."""
    rows = run.rows.get(section, [])
    used = [c for c in rows if "external" in (c.kinds or "")]
    if not used:
        return "No external values."
    regions = ", ".join(sorted({c.region for c in used}))
    return f"External values enter {len(used)} of the {len(rows)} table rows behind this figure ({regions}; see kinds)."


def spread_labels(values: list[float], min_gap: float) -> list[float]:
    """Label positions at least ``min_gap`` apart, in the order of ``values``."""
    order = np.argsort(values, kind="stable")
    pos = [float(v) for v in values]
    for k in range(1, len(order)):
        i, j = order[k], order[k - 1]
        if pos[i] - pos[j] < min_gap:
            pos[i] = pos[j] + min_gap
    return pos


def headline_pair(run: ComparisonRun, indicator: str) -> tuple[str, str] | None:
    """The pair a slope chart is about: the first selected region with a start and end gap row, and the benchmark.

    The first region in the selection order (``regions`` parameter) is the report's subject
    (Xiangxi by default); its gaps are annotated and named in the title, never those of
    whichever region a loop visited last (review F4).
    """
    for r in run.compared:
        if all(section_rows(run, "poverty", f"{indicator}: gap at {lab} of period", r) for lab in ("start", "end")):
            return r, run.benchmark
    return None


def points_frame(pts: list) -> pd.DataFrame:
    """Points as a frame of ``year, value, kind`` (what :func:`analysis.reports.figures.plot_points` draws)."""
    return pd.DataFrame({"year": [p.year for p in pts], "value": [p.value for p in pts], "kind": [p.kind for p in pts]})


def index_left_out(run: ComparisonRun) -> list[str]:
    """Series not drawn on the index chart because they do not observe ``base_year``."""
    if run.base_year is None:
        return []
    return [
        f"{pts[0].region} {pts[0].indicator} ({', '.join(str(p.year) for p in pts)})"
        for pts in run.index_series()
        if run.base_year not in [p.year for p in pts]
    ]


def standard_ratios(run: ComparisonRun) -> list[tuple[str, str]]:
    """The ratios of the standards figure: (table metric, label), from the run's assistance roles."""
    metrics = [
        (run.higher_standard, run.standard),
        (f"{run.monthly_payment} x12", run.standard),
        (run.standard, run.income),
        (run.standard, run.poverty_line[1]),
    ]
    return [(f"{a} / {b}", f"{indicator_label(a)} / {indicator_label(b)}") for a, b in metrics]
