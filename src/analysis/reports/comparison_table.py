"""The comparison table: rows to a frame, display formatting, and writing ``tables/<run_name>.csv``."""

from __future__ import annotations

import pandas as pd

from analysis.data.load import check_choice
from analysis.metrics.compare import Comparison
from analysis.reports.comparison_base import SECTIONS, TABLE_COLUMNS, ComparisonRun


def rows_frame(rows: list[Comparison], section: str) -> pd.DataFrame:
    """Rows of one section as a frame with the table's columns."""
    t = pd.DataFrame([{**c.row(), "section": section} for c in rows], columns=list(TABLE_COLUMNS))
    t["external_used"] = t["kinds"].fillna("").str.contains("external")
    return t


def with_unit(v: float, unit: str) -> str:
    """A value with its unit as printed: ``31.93%``, ``65.77 万人``.

    >>> with_unit(31.93, "%"), with_unit(65.77, "万人")
    ('31.93%', '65.77 万人')
    """
    return f"{v:g}%" if unit == "%" else f"{v:g} {unit}"


def _num(v: float | None, unit: str = "") -> str:
    if v is None or pd.isna(v):
        return ""
    v = float(v)
    if unit.startswith("CAGR"):
        return f"{100 * v:.2f}%"
    if unit.startswith("share remaining"):
        return f"{100 * v:.1f}%"
    if unit == "%":
        return f"{v:g}%"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


ROW_BOILERPLATE = (
    (
        "(ANNUAL_PER_CAPITA rule)",
        (
            "Per-capita rural income (元) is taken as an amount per person per year, the unit of the standards and "
            "of the poverty line (元/年): the rule `analysis.metrics.compare.ANNUAL_PER_CAPITA`, noted on each row "
            "it applies to in the CSV table."
        ),
    ),
    (
        "the areas overlap and are not independent",
        (
            "Where a region lies inside its benchmark area (data/raw/region_overlaps.csv), the two overlap and are "
            "not independent: a gap compares a part with a whole that contains it (noted on each such row in the "
            "CSV table)."
        ),
    ),
)
"""Row-note clauses that repeat on every row they apply to, with the sentence that states them once.

The CSV table keeps them on every row; the displayed rows drop them (:func:`strip_boilerplate`)
and the caveat section states each once."""


def strip_boilerplate(note: str) -> str:
    """A row note without the clauses of :data:`ROW_BOILERPLATE` (stated once in the caveats).

    >>> strip_boilerplate("Wuling area contains Xiangxi: the areas overlap and are not independent; external")
    'external'
    """
    parts = [p for p in str(note).split("; ") if not any(marker in p for marker, _ in ROW_BOILERPLATE)]
    return "; ".join(parts)


def display_rows(table: pd.DataFrame, section: str) -> pd.DataFrame:
    """The rows of one section of a table, formatted for reading (the CSV keeps full precision)."""
    check_choice("section", section, SECTIONS)
    t = table[table["section"] == section]
    out = pd.DataFrame(
        {
            "metric": t["metric"],
            "region": t["region"],
            "benchmark": t["benchmark"],
            "year_or_period": t["year_or_period"],
            "value": [_num(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
            "benchmark_value": [_num(v, u) for v, u in zip(t["benchmark_value"], t["benchmark_unit"], strict=True)],
            "ratio": ["" if pd.isna(v) else f"{v:.3f}" for v in t["ratio"]],
            "gap": [
                ""
                if pd.isna(v)
                else (
                    f"{100 * v:+.2f} pp/yr"
                    if u.startswith("CAGR")
                    else f"{v:+,.2f} {u}".replace("percentage points", "pp")
                )
                for v, u in zip(t["gap"], t["gap_unit"], strict=True)
            ],
            "status": t["status"],
            "note": [strip_boilerplate(n) for n in t["note"]],
        }
    )
    return out.reset_index(drop=True)


def write_table(run: ComparisonRun) -> pd.DataFrame:
    """Assemble :attr:`ComparisonRun.rows` (section order), write ``tables/<run_name>.csv`` and its LaTeX."""
    frames = [rows_frame(run.rows[s], s) for s in SECTIONS if run.rows.get(s)]
    run.table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(TABLE_COLUMNS))
    run.table["external_used"] = run.table["kinds"].fillna("").str.contains("external")
    run.out.table(run.table, run.name)
    shown = [display_rows(run.table, s).assign(section=s) for s in SECTIONS if (run.table["section"] == s).any()]
    if shown:
        basis = "document and external values" if run.include_external else "document values only"
        run.out.latex(
            pd.concat(shown, ignore_index=True)[["section", *shown[0].columns[:-1]]],
            run.name,
            f"Regions, benchmarks and standards compared: gaps and ratios at matched years ({basis}).",
        )
    return run.table
