"""pandera schemas of the raw tables, and the translation of their failures.

Every raw table is read as text (see :mod:`analysis.data.csvio`), so the schemas check
presence, vocabulary and shape; numbers and provenance are checked row by row in
:mod:`analysis.data.provenance`. Failures are reported lazily (all at once) as
:class:`analysis.errors.Problem` objects naming file, row and column.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError, Problem

TEXT = None
"""Column dtype for pandera: none is checked. Every cell is already text (read_table reads
the CSV as strings, never guessing types), so a per-element dtype check would only cost
time; numbers are parsed and checked row by row in :mod:`analysis.data.raw`."""

QUALIFIERS = ("exact", "more_than", "at_least", "nearly", "about", "less_than")
"""How a printed number relates to the true value: 6300多 is ``more_than`` 6300."""

KINDS = ("document", "external")
"""Kinds a raw row may have. ``derived`` values are computed, never stored by hand."""

MEASURES = ("level", "rate", "standard", "count", "flow", "cumulative", "multiple", "share", "target")

CLAIM_TYPES = (
    "percent_change",
    "multiple",
    "cagr",
    "cagr_at_least",
    "difference",
    "share_of",
    "threshold_crossed_in",
    "count_thresholds",
    "min_years_between_thresholds",
    "difference_per_year",
    "real_growth",
)
"""Machine-checkable forms of a derived statement (see :mod:`analysis.metrics.audit`)."""

RELATIONS = ("equal", "at_most")
CONSISTENCY_KINDS = (
    "same_count",
    "parts_sum",
    "subset",
    "implied_denominator",
    "implied_base",
    "implied_ratio",
)
"""What a consistency check compares (``kind`` column of ``consistency.csv``)."""
CONSISTENCY_KIND_WORDS = {
    "same_count": "the same quantity stated twice",
    "parts_sum": "parts against their stated total",
    "subset": "a part against the whole it belongs to",
    "implied_denominator": "the denominator a share implies against a stated denominator",
    "implied_base": "the population base implied by a poor population and its incidence",
    "implied_ratio": "a stated ratio against the ratio of two stated counts",
}

CONSISTENCY_COLUMNS = (
    "check_id",
    "kind",
    "source_a",
    "quote_a",
    "left",
    "source_b",
    "quote_b",
    "right",
    "relation",
    "unit",
    "definitions",
    "note",
)
"""Columns of the register ``data/raw/consistency.csv``."""

OBSERVATION_COLUMNS = (
    "obs_id",
    "region",
    "indicator",
    "year",
    "period_start",
    "value_printed",
    "qualifier",
    "unit",
    "value",
    "kind",
    "source_id",
    "quote",
    "note",
)
CONFIDENCE = ("high", "medium-high", "medium", "low")
CLAIM_COLUMNS = (
    "claim_id",
    "source_id",
    "quote",
    "stated_printed",
    "stated",
    "unit",
    "qualifier",
    "rounding",
    "claim_type",
    "inputs",
    "params",
    "note",
)


def _nonempty(col: str) -> pa.Check:
    return pa.Check.str_length(min_value=1, error=f"'{col}' must not be empty")


def _vocab(values: Iterable[str], what: str) -> pa.Check:
    vals = sorted(set(values))
    shown = ", ".join(vals) if len(vals) <= 40 else ", ".join(vals[:40]) + ", ..."
    return pa.Check.isin(vals, error=f"unknown {what}; valid: {shown}")


def observation_schema(
    regions: Iterable[str], indicators: Iterable[str], units: Iterable[str], sources: Iterable[str], external: bool
) -> pa.DataFrameSchema:
    """Schema of an ``observations_*.csv`` table.

    Parameters
    ----------
    regions, indicators, units, sources : iterable of str
        The controlled vocabularies (from ``regions.csv``, ``indicators.csv``,
        ``units.csv``, ``sources.csv``).
    external : bool
        Whether the table holds external rows (which need publisher, address, basis and
        confidence).
    """
    cols = {
        "obs_id": pa.Column(
            TEXT,
            [
                _nonempty("obs_id"),
                pa.Check.str_matches(
                    r"^[a-z0-9_]+\.[a-z0-9_]+\.\d{4}(\.ext)?$",
                    error="obs_id must look like region.indicator.year (external: region.indicator.year.ext)",
                ),
            ],
        ),
        "region": pa.Column(TEXT, _vocab(regions, "region (add it to data/raw/regions.csv)")),
        "indicator": pa.Column(TEXT, _vocab(indicators, "indicator (add it to data/raw/indicators.csv)")),
        "year": pa.Column(TEXT, _nonempty("year")),
        "period_start": pa.Column(TEXT),
        "value_printed": pa.Column(TEXT, _nonempty("value_printed")),
        "qualifier": pa.Column(TEXT, _vocab(QUALIFIERS, "qualifier")),
        "unit": pa.Column(TEXT, _vocab(units, "unit (add it to data/raw/units.csv)")),
        "value": pa.Column(TEXT, _nonempty("value")),
        "kind": pa.Column(
            TEXT,
            pa.Check.isin(
                ["external"] if external else ["document"],
                error=(
                    "kind must be 'external' in this table"
                    if external
                    else "kind must be 'document' in a document table; "
                    "'derived' values are computed by the code, never stored"
                ),
            ),
        ),
        "source_id": pa.Column(TEXT, _vocab(sources, "source_id (see data/raw/sources.csv)")),
        "quote": pa.Column(TEXT, _nonempty("quote")),
        "note": pa.Column(TEXT),
    }
    return pa.DataFrameSchema(cols, strict=False, coerce=False, name="observations")


def claim_schema(sources: Iterable[str], units: Iterable[str]) -> pa.DataFrameSchema:
    """Schema of ``claims.csv``."""
    return pa.DataFrameSchema(
        {
            "claim_id": pa.Column(
                TEXT,
                pa.Check.str_matches(
                    r"^(doc\d{3}|ext)\.c\d{2,3}$", error="claim_id must look like doc004.c01 (external: ext.c01)"
                ),
                unique=True,
            ),
            "source_id": pa.Column(TEXT, _vocab(sources, "source_id")),
            "quote": pa.Column(TEXT, _nonempty("quote")),
            "stated_printed": pa.Column(TEXT, _nonempty("stated_printed")),
            "stated": pa.Column(TEXT, _nonempty("stated")),
            "unit": pa.Column(TEXT, _vocab(units, "unit")),
            "qualifier": pa.Column(TEXT, _vocab(QUALIFIERS, "qualifier")),
            "rounding": pa.Column(TEXT),
            "claim_type": pa.Column(TEXT, _vocab(CLAIM_TYPES, "claim_type")),
            "inputs": pa.Column(TEXT),
            "params": pa.Column(TEXT),
            "note": pa.Column(TEXT),
        },
        strict=False,
        coerce=False,
        name="claims",
    )


def consistency_schema(sources: Iterable[str], units: Iterable[str]) -> pa.DataFrameSchema:
    """Schema of ``consistency.csv`` (see :mod:`analysis.metrics.consistency`)."""
    cols = {
        "check_id": pa.Column(
            TEXT,
            pa.Check.str_matches(
                r"^(doc\d{3}|ext)\.k\d{2,3}$", error="check_id must look like doc004.k01 (external: ext.k01)"
            ),
            unique=True,
        ),
        "kind": pa.Column(TEXT, _vocab(CONSISTENCY_KINDS, "kind")),
        "relation": pa.Column(TEXT, _vocab(RELATIONS, "relation")),
        "unit": pa.Column(TEXT, _vocab(units, "unit (add it to data/raw/units.csv)")),
        "definitions": pa.Column(TEXT),
        "note": pa.Column(TEXT, _nonempty("note")),
    }
    for side in ("a", "b"):
        cols[f"source_{side}"] = pa.Column(TEXT, _vocab(sources, f"source_{side}"))
        cols[f"quote_{side}"] = pa.Column(TEXT, _nonempty(f"quote_{side}"))
    for c in ("left", "right"):
        cols[c] = pa.Column(TEXT, _nonempty(c))
    return pa.DataFrameSchema(cols, strict=False, coerce=False, name="consistency")


def vocab_schema(key: str, required: Iterable[str], extra: dict[str, pa.Column] | None = None) -> pa.DataFrameSchema:
    """Schema of a small vocabulary table whose ``key`` column is unique and non-empty."""
    cols = {c: pa.Column(TEXT, _nonempty(c)) for c in required}
    cols[key] = pa.Column(TEXT, _nonempty(key), unique=True)
    cols.update(extra or {})
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


STATISTICS = ("", "minimum", "average")
"""``statistic`` of an indicator: empty for a region's own value; ``minimum`` for a floor (保底) set
for every area of the region (never an average); ``average`` for an average over its areas."""
YES_NO = ("", "yes", "no")


def _optional_vocab(values: Iterable[str], what: str) -> pa.Check:
    shown = ", ".join(v for v in values if v)
    return pa.Check.isin(list(values), error=f"unknown {what}; valid: {shown} (or empty)")


INDICATOR_SCHEMA = vocab_schema(
    "indicator",
    ["label", "measure"],
    {
        "measure": pa.Column(TEXT, _vocab(MEASURES, "measure")),
        "statistic": pa.Column(TEXT, _optional_vocab(STATISTICS, "statistic")),
        "statistic_of": pa.Column(TEXT),
        "additive": pa.Column(TEXT, _optional_vocab(YES_NO, "additive (whether areas' values add up to the whole's)")),
        "real_growth": pa.Column(TEXT),
    },
)
"""``indicators.csv``. ``statistic_of`` names the indicator a ``minimum`` or ``average`` summarises
(a provincial minimum rural dibao standard is a statistic of ``rural_dibao_standard``);
``additive`` says whether the areas' values add up to the whole's (GDP: a part's share of the
whole is meaningful); ``real_growth`` names the indicator of the official real growth rate
published for a level (GDP: ``gdp_real_growth``). The references are checked by
:func:`analysis.data.vocab.check_indicator_references`."""
REGION_SCHEMA = vocab_schema("region", ["name_zh", "level"])
SOURCE_SCHEMA = vocab_schema("source_id", ["file", "issuer", "title"])


def validate(schema: pa.DataFrameSchema, df: pd.DataFrame) -> list[Problem]:
    """Validate ``df`` lazily and return the failures as problems (empty list if valid).

    The frame's index must be the file's line numbers and ``df.attrs['file']`` its name.
    """
    name = df.attrs.get("file", "<table>")
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out: list[Problem] = []
        for fc in exc.failure_cases.itertuples(index=False):
            row = None if fc.index is None or pd.isna(fc.index) else int(fc.index)
            if fc.check == "column_in_dataframe":
                out.append(Problem(name, 1, str(fc.failure_case), "required column is missing."))
                continue
            if str(fc.check).startswith("field_uniqueness") or fc.check == "unique":
                msg = f"'{fc.failure_case}' appears more than once; it must be unique."
            else:
                msg = f"{fc.check} (got '{fc.failure_case}')."
            out.append(Problem(name, row, None if fc.column is None else str(fc.column), msg))
        return sorted(out, key=lambda p: (p.row or 0, p.column or ""))
    return []


def require_valid(schema: pa.DataFrameSchema, df: pd.DataFrame) -> None:
    """Raise :class:`DataError` when ``df`` fails ``schema``."""
    problems = validate(schema, df)
    if problems:
        raise DataError(problems)
