"""pandera schemas of the raw tables, and the translation of their failures.

Every raw table is read as text (see :mod:`analysis.data.csvio`), so the schemas check
presence, vocabulary and shape; numbers and provenance are checked row by row in
:mod:`analysis.data.provenance`. Failures are reported lazily (all at once) as
:class:`analysis.errors.Problem` objects naming file, row and column.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache

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

RELATIONS = ("equal", "at_most", "each_at_most")
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
    "assumption",
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


MISSING_WORDS = ("nan", "none", "null", "na", "n/a", "#n/a", "<na>", "nat", "undefined")
"""What spreadsheets and pandas write for a missing cell (``nan``, ``None``, ``#N/A``,
``<NA>``...): never a valid label, key or vocabulary entry, refused wherever a vocabulary
cell must be filled."""


def is_missing_word(text: str) -> bool:
    """Whether ``text`` is a missing-value marker rather than a label (``nan``, ``None``, ``#N/A``...).

    >>> is_missing_word(" NaN "), is_missing_word("Nanning")
    (True, False)
    """
    return str(text).strip().lower() in MISSING_WORDS


def _nonempty(col: str) -> pa.Check:
    return pa.Check.str_length(min_value=1, error=f"'{col}' must not be empty")


def _not_missing_word(col: str) -> pa.Check:
    return pa.Check(
        lambda s: ~s.astype(str).str.strip().str.lower().isin(MISSING_WORDS),
        error=f"'{col}' holds a missing-value marker (nan, None, #N/A ...), not a label; fill it in",
    )


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
    # one schema object per set of vocabularies (the checks depend on the sets only), so that
    # validate() can reuse the result of an unchanged table
    return _observation_schema(
        frozenset(regions), frozenset(indicators), frozenset(units), frozenset(sources), external
    )


@lru_cache(maxsize=16)
def _observation_schema(
    regions: frozenset[str], indicators: frozenset[str], units: frozenset[str], sources: frozenset[str], external: bool
) -> pa.DataFrameSchema:
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
    return _claim_schema(frozenset(sources), frozenset(units))


@lru_cache(maxsize=8)
def _claim_schema(sources: frozenset[str], units: frozenset[str]) -> pa.DataFrameSchema:
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
    return _consistency_schema(frozenset(sources), frozenset(units))


@lru_cache(maxsize=8)
def _consistency_schema(sources: frozenset[str], units: frozenset[str]) -> pa.DataFrameSchema:
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
        "assumption": pa.Column(TEXT),
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
    cols = {c: pa.Column(TEXT, [_nonempty(c), _not_missing_word(c)]) for c in required}
    cols[key] = pa.Column(TEXT, [_nonempty(key), _not_missing_word(key)], unique=True)
    cols.update(extra or {})
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


DEFLATORS = ("rural_cpi", "urban_cpi", "cpi", "volume", "none")
"""Values of the ``deflator`` column of ``indicators.csv``: how a money series is made real
(see :mod:`analysis.data.deflators`); empty for a series that is not deflated."""
PRICE_INDICES = ("rural_cpi", "urban_cpi", "cpi")
"""Values of the ``price_index`` column: the price index an inflation indicator measures."""


def _choice(values: Iterable[str], what: str) -> pa.Check:
    """Values from ``values`` or empty; the error lists the valid choices."""
    return pa.Check.isin(["", *values], error=f"unknown {what}; valid: {', '.join(values)}, or empty")


STATISTICS = ("", "minimum", "average")
"""``statistic`` of an indicator: empty for a region's own value; ``minimum`` for a floor (保底) set
for every area of the region (never an average); ``average`` for an average over its areas."""
YES_NO = ("", "yes", "no")
CHANGE_MEASURES = ("", "rate", "count", "growth")
"""``change_measure`` of an indicator: how a change over a period is measured. Empty: by its unit (a
percentage as a ``rate``, in percentage points; anything else as ``growth``, a CAGR); ``count``: a count
falling towards zero (poor population), as the share remaining and the log change, never compounded."""


def _optional_vocab(values: Iterable[str], what: str) -> pa.Check:
    shown = ", ".join(v for v in values if v)
    return pa.Check.isin(list(values), error=f"unknown {what}; valid: {shown} (or empty)")


def ascii_label(col: str) -> pa.Check:
    """A label drawn in figures: ASCII only (no CJK font is assumed in figures)."""
    return pa.Check(
        lambda s: s.astype(str).map(str.isascii),
        error=f"'{col}' must be ASCII (English, pinyin): figures assume no CJK font",
    )


INDICATOR_SCHEMA = vocab_schema(
    "indicator",
    ["label", "measure", "description"],
    {
        "indicator": pa.Column(
            TEXT,
            [
                _nonempty("indicator"),
                _not_missing_word("indicator"),
                pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="indicator must be snake_case"),
            ],
            unique=True,
        ),
        "measure": pa.Column(TEXT, _vocab(MEASURES, "measure")),
        "deflator": pa.Column(TEXT, _choice(DEFLATORS, "deflator")),
        "real_growth_indicator": pa.Column(TEXT),
        "price_index": pa.Column(TEXT, _choice(PRICE_INDICES, "price_index")),
        "real_note": pa.Column(TEXT),
        "statistic": pa.Column(TEXT, _optional_vocab(STATISTICS, "statistic")),
        "statistic_of": pa.Column(TEXT),
        "additive": pa.Column(TEXT, _optional_vocab(YES_NO, "additive (whether areas' values add up to the whole's)")),
        # The revision whose revised-back alternatives (external rows whose basis names it) form a
        # single-vintage series (analysis.data.load.single_vintage); empty: no such series.
        "revision_basis": pa.Column(TEXT),
        # The aggregate a per-capita indicator divides (gdp for gdp_per_capita), and the population
        # it divides by: stated beside every per-capita value (docs/methods.md).
        "per_capita_of": pa.Column(TEXT),
        "population_basis": pa.Column(TEXT),
        # Filled for an amount per person over a calendar year recorded in 元 (what it is): it compares
        # with the 元/年 standards and poverty line as yuan/year (analysis.metrics.compare).
        "annual_per_capita": pa.Column(TEXT),
        "change_measure": pa.Column(TEXT, _optional_vocab(CHANGE_MEASURES, "change_measure")),
        # A short lower-case name for running text and crowded axes ("rural income per capita");
        # empty: the label (analysis.data.vocab.short_label).
        "short_label": pa.Column(TEXT, [_not_missing_word("short_label"), ascii_label("short_label")]),
        # yes: the indicator is measured in each region's poverty measurement system (regions.csv
        # poverty_measure), so comparisons across systems keep both levels without gap or ratio.
        "system_dependent": pa.Column(TEXT, _optional_vocab(YES_NO, "system_dependent")),
    },
)
POVERTY_MEASURES = ("registered", "survey", "not stated")
"""``poverty_measure`` of a region in ``regions.csv``: how its poverty incidence and poor population are
measured. ``registered``: the 建档立卡 register of the poverty offices (registered poor over the
agricultural-hukou population); ``survey``: the NBS rural poverty monitoring survey (poor rural residents over
the rural resident population); ``not stated``: the source does not say; empty: no poverty figures."""


REGION_SCHEMA = vocab_schema(
    "region",
    ["name_zh", "name_en", "level", "description", "label"],
    {
        # the short English name in figures and tables ("Wuling area")
        "label": pa.Column(TEXT, [_nonempty("label"), _not_missing_word("label"), ascii_label("label")]),
        "gbt2260_code": pa.Column(
            TEXT,
            pa.Check.str_matches(r"^(\d{6})?$", error="gbt2260_code must be a six-digit GB/T 2260 code or empty"),
        ),
        "poverty_measure": pa.Column(TEXT, _choice(POVERTY_MEASURES, "poverty_measure")),
        "register_break": pa.Column(
            TEXT,
            pa.Check.str_matches(r"^((19|20)\d{2})?$", error="register_break must be a year or empty"),
        ),
        "region": pa.Column(
            TEXT,
            [
                _nonempty("region"),
                _not_missing_word("region"),
                pa.Check.str_matches(r"^[A-Z][A-Za-z0-9]*$", error="region must be a pinyin name"),
            ],
            unique=True,
        ),
    },
)
DERIVATION_RULES = ("base_year", "ratio", "common_base")
"""``rule`` of ``data/raw/derivations.csv``: the formulas of :mod:`analysis.data.derive`."""
DERIVATION_FIELDS = ("year", "base", "end", "num", "num_unit", "num_end", "den", "den_unit", "den_end")
"""Placeholders a derivation's ``formula`` may name (``{num} {num_unit}``): the years and input values."""
DERIVATION_SCHEMA = vocab_schema(
    "derived",
    ["rule", "numerator", "denominator", "formula", "description"],
    {
        "rule": pa.Column(TEXT, _vocab(DERIVATION_RULES, "rule")),
        "numerator_unit": pa.Column(TEXT),
        "denominator_unit": pa.Column(TEXT),
        "unit": pa.Column(TEXT),
        "year": pa.Column(
            TEXT, pa.Check.str_matches(r"^((19|20)\d{2})?$", error="year must be a year (19xx or 20xx) or empty")
        ),
    },
)
"""Schema of ``data/raw/derivations.csv``: one row per derived indicator (``derived``, unique)."""
OVERLAP_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column(TEXT, [_nonempty(c), _not_missing_word(c)]) for c in ("part", "whole", "relation", "source")},
    strict=False,
    coerce=False,
)
"""Schema of ``data/raw/region_overlaps.csv``: pairs of regions where one area lies (partly) inside the
other (``part``, ``whole``), with the ``relation`` a comparison of the two prints and its ``source`` (they are not independent)."""
SOURCE_SCHEMA = vocab_schema(
    "source_id",
    ["file", "issuer", "title"],
    {
        "source_id": pa.Column(
            TEXT,
            [
                _nonempty("source_id"),
                pa.Check.str_matches(r"^(doc\d{3}|external)$", error="source_id must be doc000.. or external"),
            ],
            unique=True,
        )
    },
)


_VALIDATED: OrderedDict[tuple, tuple[pa.DataFrameSchema, list[Problem]]] = OrderedDict()
"""Results of :func:`validate` by schema object and the table's exact content (most recent last)."""
_VALIDATED_MAX = 128


def validate(schema: pa.DataFrameSchema, df: pd.DataFrame) -> list[Problem]:
    """Validate ``df`` lazily and return the failures as problems (empty list if valid).

    The frame's index must be the file's line numbers and ``df.attrs['file']`` its name.
    The result is reused for the same schema object and a table of the same columns, types,
    line numbers and cells (a table read again unchanged, e.g. from each test's copy of
    ``data/raw``), with this table's name as the problems' file; any change to a cell
    validates afresh.
    """
    name = df.attrs.get("file", "<table>")
    try:
        key: tuple | None = (
            id(schema),
            tuple(df.columns),
            tuple(str(t) for t in df.dtypes),
            str(df.index.dtype),
            tuple(df.itertuples(index=True, name=None)),
        )
        hash(key)
    except TypeError:  # an unhashable cell: validated every time
        key = None
    if key is not None:
        hit = _VALIDATED.get(key)
        if hit is not None and hit[0] is schema:  # the entry holds the schema, so its id is not reused
            _VALIDATED.move_to_end(key)
            return [dataclasses.replace(p, file=name) for p in hit[1]]  # every problem names the table
    out = _validate(schema, df, name)
    if key is not None:
        _VALIDATED[key] = (schema, [copy.copy(p) for p in out])
        while len(_VALIDATED) > _VALIDATED_MAX:
            _VALIDATED.popitem(last=False)
    return out


def _validate(schema: pa.DataFrameSchema, df: pd.DataFrame, name: str) -> list[Problem]:
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
