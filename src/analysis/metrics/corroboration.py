"""Corroboration: external figures set against the document value of the same series and year.

The external figures (``data/raw/external/figures.csv``) are secondary: read from bulletins,
reprints and mirrors. Where one states the same quantity as a document (same region,
indicator and year), the two are compared with the rounding intervals of
:mod:`analysis.metrics.intervals`: ``agree`` when the intervals overlap (the external
figure corroborates the document, and the document the external source), else
``disagree`` (usually another vintage or basis; the external row's ``basis`` and
``note`` say which).
"""

from __future__ import annotations

import pandas as pd

from analysis.data.load import load_observations
from analysis.metrics.consistency import AGREE, DISAGREE
from analysis.metrics.intervals import EPS, fmt, input_of

CORROBORATION_COLUMNS = (
    "series_id",
    "year",
    "document_obs",
    "document_value",
    "external_obs",
    "external_value",
    "unit",
    "difference",
    "verdict",
    "publisher",
    "confidence",
    "basis",
    "reason",
)
"""Columns of :func:`corroborate`."""


def corroborate(observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every external observation that has a document observation of the same series and year.

    Parameters
    ----------
    observations : pandas.DataFrame, optional
        The processed observations (default :func:`analysis.data.load.load_observations`).

    Returns
    -------
    pandas.DataFrame
        One row per (document, external) pair, sorted by series and year, with
        :data:`CORROBORATION_COLUMNS`; ``difference`` is external - document in the
        document's unit (values are compared in base units, so 60.505 billion and
        605.05 亿元 are the same number).
    """
    obs = load_observations() if observations is None else observations
    docs = obs[obs["kind"] == "document"]
    ext = obs[obs["kind"] == "external"]
    rows = []
    for _, e in ext.iterrows():
        match = docs[(docs["series_id"] == e["series_id"]) & (docs["year"] == e["year"])]
        for _, d in match.iterrows():
            a, b = input_of(d), input_of(e)
            fa = float(d["value_base"]) / a.value if a.value else 1.0
            fb = float(e["value_base"]) / b.value if b.value else 1.0
            lo_a, hi_a, lo_b, hi_b = a.low * fa, a.high * fa, b.low * fb, b.high * fb
            tol = EPS * max(1.0, abs(hi_a))
            ok = hi_b >= lo_a - tol and lo_b <= hi_a + tol
            diff = (b.value * fb - a.value * fa) / fa if fa else float("nan")
            shown = f"{fmt(a.value)} {a.unit} ({d['source_id']}) vs {e['value_printed']} as printed externally"
            rows.append(
                {
                    "series_id": d["series_id"],
                    "year": int(d["year"]),
                    "document_obs": d["obs_id"],
                    "document_value": a.value,
                    "external_obs": e["obs_id"],
                    "external_value": b.value * fb / fa if fa else b.value,
                    "unit": a.unit,
                    "difference": diff,
                    "verdict": AGREE if ok else DISAGREE,
                    "publisher": e.get("publisher", ""),
                    "confidence": e.get("confidence", ""),
                    "basis": e.get("basis", ""),
                    "reason": shown
                    + (": the external figure corroborates it" if ok else ": they differ beyond rounding"),
                }
            )
    out = pd.DataFrame(rows, columns=list(CORROBORATION_COLUMNS))
    return out.sort_values(["series_id", "year", "external_obs"], kind="stable").reset_index(drop=True)
