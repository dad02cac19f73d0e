"""The vocabularies (``data/raw/indicators.csv``, ``regions.csv``) as the reports read them.

Facts about an indicator or a region live in these tables, not in Python constants: an
indicator's ``statistic`` (a provincial ``minimum`` standard is a floor, never an average)
and the indicator it summarises (``statistic_of``), whether the areas' values add up to
the whole's (``additive``: a share of provincial GDP is meaningful, a share of provincial
GDP per capita is not), the indicator of its official real growth (``real_growth_indicator``,
validated with the deflator rules in :mod:`analysis.data.deflators`), and which region contains which (``regions.csv``: ``parent``).

The tables are validated here as in ``make data`` (:func:`analysis.data.raw.load_raw` calls
the same checks), so a report never reads an unchecked vocabulary: bad input raises a
:class:`~analysis.errors.DataError` naming file, row and column.

Examples
--------
>>> contains("Hunan", "Xiangxi"), contains("China", "Shibadong"), contains("Wuling", "Xiangxi")
(True, True, False)
>>> statistics_of("rural_dibao_standard")
['rural_dibao_standard_avg', 'rural_dibao_standard_min']
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.schema import (
    DERIVATION_FIELDS,
    DERIVATION_SCHEMA,
    INDICATOR_SCHEMA,
    OVERLAP_SCHEMA,
    REGION_SCHEMA,
    validate,
)
from analysis.data.units import Unit, default_units
from analysis.errors import DataError, Problem


def check_indicator_references(indicators: pd.DataFrame) -> list[Problem]:
    """Cross-row checks of ``indicators.csv``: ``statistic_of`` names a known indicator.

    ``statistic_of`` is required with a ``statistic`` and refused without one.
    """
    name = indicators.attrs.get("file", "data/raw/indicators.csv")
    known = set(indicators["indicator"])
    out: list[Problem] = []
    for row, r in iter_rows(indicators):
        stat, of = r.get("statistic", ""), r.get("statistic_of", "")
        if stat and not of:
            out.append(
                Problem(name, row, "statistic_of", f"'{r['indicator']}' is a {stat}: name the indicator it summarises.")
            )
        if of and not stat:
            out.append(Problem(name, row, "statistic_of", "set only with a statistic (minimum or average)."))
        if of and of not in known:
            out.append(Problem(name, row, "statistic_of", f"unknown indicator '{of}'; add it to indicators.csv."))
        if of and of == r["indicator"]:
            out.append(Problem(name, row, "statistic_of", "an indicator cannot be a statistic of itself."))
        agg = r.get("per_capita_of", "")
        if agg and (agg not in known or agg == r["indicator"]):
            out.append(Problem(name, row, "per_capita_of", f"'{agg}' is not another indicator of indicators.csv."))
        if agg and not r.get("population_basis", ""):
            out.append(Problem(name, row, "population_basis", "a per-capita indicator must name its population."))
    return out


def check_region_references(regions: pd.DataFrame) -> list[Problem]:
    """Cross-row checks of ``regions.csv``: a ``parent`` is a known region and no region contains itself."""
    name = regions.attrs.get("file", "data/raw/regions.csv")
    parents = regions["parent"] if "parent" in regions.columns else pd.Series("", index=regions.index)
    parent = dict(zip(regions["region"], parents, strict=True))
    out: list[Problem] = []
    for row, r in iter_rows(regions):
        p = parent[r["region"]]
        if p and p not in parent:
            out.append(Problem(name, row, "parent", f"unknown region '{p}'; add it to regions.csv."))
            continue
        seen = {r["region"]}
        while p and p in parent:
            if p in seen:
                out.append(Problem(name, row, "parent", f"'{r['region']}' is inside itself (a cycle through '{p}')."))
                break
            seen.add(p)
            p = parent[p]
    return out


Stamp = tuple[str, int, int]
"""A vocabulary file as the caches know it: path, modification time (ns) and size."""


def _stamp(name: str, raw: Path | None) -> Stamp:
    path = Path(raw or paths.RAW) / name
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataError.one(paths.relative(path), None, None, "the vocabulary table is missing.") from None
    return str(path), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=8)
def _read(stamp: Stamp, which: str) -> pd.DataFrame:
    schema = INDICATOR_SCHEMA if which == "indicator" else REGION_SCHEMA
    optional = () if which == "indicator" else ("parent",)
    df = read_table(Path(stamp[0]), required=list(schema.columns), optional=optional)
    problems = validate(schema, df)
    problems += check_indicator_references(df) if which == "indicator" else check_region_references(df)
    if problems:
        raise DataError(problems)
    return df.set_index(which, drop=False)


def _table(name: str, key: str, raw: Path | None) -> pd.DataFrame:
    """The validated table, read again only when the file changed; a shallow copy, so that a caller's
    change (copy-on-write) never reaches the cache."""
    return _read(_stamp(name, raw), key).copy(deep=False)


def load_indicators(raw: Path | None = None) -> pd.DataFrame:
    """``indicators.csv``, validated, indexed by ``indicator`` (every cell text; empty when not stated).

    Raises
    ------
    DataError
        Naming file, row and column of each problem.
    """
    return _table("indicators.csv", "indicator", raw)


def load_regions(raw: Path | None = None) -> pd.DataFrame:
    """``regions.csv``, validated, indexed by ``region``.

    Raises
    ------
    DataError
        Naming file, row and column of each problem.
    """
    return _table("regions.csv", "region", raw)


def ancestors(region: str, raw: Path | None = None) -> list[str]:
    """The regions that contain ``region``, nearest first (``Xiangxi`` -> ``Hunan``, ``China``)."""
    parent = load_regions(raw)["parent"].to_dict()
    out: list[str] = []
    p = parent.get(region, "")
    while p:
        out.append(p)
        p = parent.get(p, "")
    return out


def contains(whole: str, part: str, raw: Path | None = None) -> bool:
    """Whether ``whole`` contains ``part`` (through the ``parent`` chain of ``regions.csv``)."""
    return whole in ancestors(part, raw)


def national_region(raw: Path | None = None) -> str:
    """The one region of ``regions.csv`` that no other contains (no ``parent``): the country.

    Its price indices stand in where a region has none of its own, and its figures are the
    national benchmark.

    Raises
    ------
    DataError
        When not exactly one region is without a parent (naming the file and column).
    """
    t = load_regions(raw)
    roots = sorted(t.loc[t["parent"] == "", "region"])
    if len(roots) != 1:
        found = ", ".join(roots) or "none"
        raise DataError.one(
            "data/raw/regions.csv", None, "parent", f"exactly one region must have no parent (found: {found})."
        )
    return roots[0]


def region_labels(raw: Path | None = None) -> dict[str, str]:
    """The short English label of each region (``label`` of ``regions.csv``: ``Wuling area``)."""
    return dict(_labels(_stamp("regions.csv", raw)))


@lru_cache(maxsize=8)
def _labels(stamp: Stamp) -> tuple[tuple[str, str], ...]:
    t = _read(stamp, "region")
    return tuple(zip(t["region"], t["label"], strict=True))


def unit_labels(short: bool = False) -> dict[str, str]:
    """The English label (``label``) or short label (``short``) of each unit of ``units.csv``."""
    return {u: (x.short if short else x.label) for u, x in default_units().items()}


V = TypeVar("V")


class LabelView(Mapping[str, V], Generic[V]):
    """A read-only mapping onto one label column of a vocabulary, read when used.

    Lets code look labels up as ``labels.get(key, key)`` while the labels stay in the CSV
    (the vocabularies are validated and cached by their loaders).
    """

    def __init__(self, read: Callable[[], Mapping[str, V]]) -> None:
        self._read = read

    def __getitem__(self, key: str) -> V:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def statistics_of(indicator: str, raw: Path | None = None) -> list[str]:
    """The indicators that are a minimum or an average of ``indicator`` across areas (sorted)."""
    t = load_indicators(raw)
    return sorted(t.loc[t["statistic_of"] == indicator, "indicator"])


def indicator_fact(indicator: str, column: str, raw: Path | None = None) -> str:
    """One cell of ``indicators.csv`` (empty string when not stated).

    Raises
    ------
    KeyError
        An indicator or column that is not in the table (naming it).
    """
    t = _read(_stamp("indicators.csv", raw), "indicator")  # read only: no copy needed
    if indicator not in t.index:
        raise KeyError(f"indicator {indicator!r} is not in data/raw/indicators.csv")
    if column not in t.columns:
        raise KeyError(f"data/raw/indicators.csv has no column {column!r}")
    return str(t.at[indicator, column])


DERIVATIONS = "derivations.csv"
"""The derivation rules under ``data/raw/`` (:mod:`analysis.data.derive`)."""


def check_derivations(rules: pd.DataFrame, indicators: pd.DataFrame, units: Mapping[str, Unit]) -> list[Problem]:
    """Cross-table checks of ``derivations.csv`` that its schema cannot make.

    Every indicator named is in ``indicators.csv``; a unit named is in ``units.csv``; a
    ``ratio`` or ``common_base`` rule names the units of both inputs and of the result; a
    ``base_year`` rule derives its numerator in the base ``year`` from a ``multiple``
    indicator and keeps the numerator's unit; a ``common_base`` rule's denominator is a
    ``rate``; the ``formula`` names only :data:`analysis.data.schema.DERIVATION_FIELDS`.
    """
    name = rules.attrs.get("file", "data/raw/derivations.csv")
    measure = dict(zip(indicators["indicator"], indicators["measure"], strict=True))
    out: list[Problem] = []
    for row, r in iter_rows(rules):
        for col in ("derived", "numerator", "denominator"):
            if r[col] not in measure:
                out.append(Problem(name, row, col, f"unknown indicator '{r[col]}'; add it to indicators.csv first."))
        if r["numerator"] == r["denominator"]:
            out.append(Problem(name, row, "denominator", "the denominator must be another indicator."))
        for col in ("numerator_unit", "denominator_unit", "unit"):
            u = r.get(col, "")
            if u and u not in units:
                out.append(Problem(name, row, col, f"unknown unit '{u}'; valid units are those of units.csv."))
            elif not u and r["rule"] != "base_year":
                out.append(Problem(name, row, col, f"a {r['rule']} rule needs the unit (from units.csv)."))
        if r["rule"] == "base_year":
            if not r["year"]:
                out.append(Problem(name, row, "year", "a base_year rule needs the base year of the multiple."))
            if r["unit"]:
                out.append(Problem(name, row, "unit", "a base_year rule keeps the numerator's unit: leave unit empty."))
            if r["derived"] != r["numerator"]:
                out.append(
                    Problem(name, row, "derived", "a base_year rule derives its numerator (the same indicator).")
                )
            if measure.get(r["denominator"], "multiple") != "multiple":
                out.append(Problem(name, row, "denominator", f"'{r['denominator']}' is not a multiple (measure)."))
        elif r["year"]:
            out.append(Problem(name, row, "year", f"only a base_year rule has a year (this is a {r['rule']} rule)."))
        if r["rule"] == "common_base" and measure.get(r["denominator"], "rate") != "rate":
            out.append(Problem(name, row, "denominator", f"'{r['denominator']}' is not a rate (measure)."))
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(r["formula"]) if f is not None}
        except ValueError as exc:
            out.append(Problem(name, row, "formula", f"unbalanced braces ({exc})."))
            continue
        unknown = sorted(fields - set(DERIVATION_FIELDS))
        if unknown:
            out.append(
                Problem(
                    name,
                    row,
                    "formula",
                    f"unknown placeholder(s) {', '.join('{' + f + '}' for f in unknown)}; "
                    f"valid: {', '.join('{' + f + '}' for f in DERIVATION_FIELDS)}.",
                )
            )
    return out


def load_derivations(raw: Path, indicators: pd.DataFrame, units: Mapping[str, Unit]) -> pd.DataFrame:
    """``derivations.csv`` of the raw folder ``raw``, validated against its schema and the vocabularies.

    Parameters
    ----------
    raw : Path
        The raw data folder (``data/raw`` or a test's copy).
    indicators : pandas.DataFrame
        The validated ``indicators.csv``.
    units : mapping of str to Unit
        The validated unit table.

    Returns
    -------
    pandas.DataFrame
        One row per derived indicator, indexed by line number (``attrs['file']`` its name).

    Raises
    ------
    DataError
        Naming file, row and column of each problem.
    """
    df = read_table(Path(raw) / DERIVATIONS, required=list(DERIVATION_SCHEMA.columns))
    problems = validate(DERIVATION_SCHEMA, df)
    if not problems:
        problems = check_derivations(df, indicators, units)
    if problems:
        raise DataError(problems)
    return df


def indicators_where(column: str, value: str | None = None, raw: Path | None = None) -> dict[str, str]:
    """The indicators whose ``column`` of ``indicators.csv`` is filled (or equals ``value``), with the cell.

    >>> sorted(indicators_where("change_measure", "count"))
    ['poor_population', 'rural_poor_population']
    """
    return dict(_where(_stamp("indicators.csv", raw), column, value))


@lru_cache(maxsize=64)
def _where(stamp: Stamp, column: str, value: str | None) -> tuple[tuple[str, str], ...]:
    t = _read(stamp, "indicator")
    cells = t[column] if column in t.columns else pd.Series("", index=t.index)
    keep = cells != "" if value is None else cells == value
    return tuple(zip(t.loc[keep, "indicator"], cells[keep], strict=True))


def short_label(indicator: str, raw: Path | None = None) -> str:
    """The short lower-case name of an indicator for running text (``short_label`` of ``indicators.csv``,
    else its ``label``; the id when the indicator is unknown).

    >>> short_label("rural_disposable_income"), short_label("gdp_real_growth")
    ('rural income per capita', 'Real GDP growth')
    """
    t = load_indicators(raw)
    if indicator not in t.index:
        return indicator
    r = t.loc[indicator]
    return str(r.get("short_label", "") or r["label"])


OVERLAPS = "region_overlaps.csv"
"""Pairs of overlapping areas under ``data/raw/`` (see :func:`load_overlaps`)."""


def load_overlaps(raw: Path | None = None, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """``region_overlaps.csv``, validated: known regions (of ``regions``, default ``regions.csv``), a part
    that is not its whole, each pair once (in either order).

    Raises
    ------
    DataError
        Naming file, row and column of each problem.
    """
    path = Path(raw or paths.RAW) / OVERLAPS
    df = read_table(path, required=list(OVERLAP_SCHEMA.columns))
    problems = validate(OVERLAP_SCHEMA, df)
    known = set((load_regions(raw) if regions is None else regions)["region"])
    name = df.attrs.get("file", "data/raw/region_overlaps.csv")
    seen: set[frozenset[str]] = set()
    for row, r in iter_rows(df):
        for col in ("part", "whole"):
            if r[col] and r[col] not in known:
                problems.append(Problem(name, row, col, f"unknown region '{r[col]}'; add it to regions.csv."))
        pair = frozenset((r["part"], r["whole"]))
        if r["part"] == r["whole"]:
            problems.append(Problem(name, row, "whole", "a region does not overlap itself."))
        elif pair in seen:
            problems.append(Problem(name, row, "whole", f"the pair {r['part']}-{r['whole']} is listed twice."))
        seen.add(pair)
    if problems:
        raise DataError(problems)
    return df


def overlap_note(a: str, b: str, raw: Path | None = None) -> str:
    """What ``region_overlaps.csv`` says about two areas, in either order (empty when they do not overlap).

    >>> overlap_note("Hunan", "Xiangxi")
    'Xiangxi is part of Hunan'
    """
    path = Path(raw or paths.RAW) / OVERLAPS
    return _overlaps(str(path.parent), path.stat().st_mtime if path.exists() else 0.0).get(frozenset((a, b)), "")


@lru_cache(maxsize=4)
def _overlaps(raw: str, mtime: float) -> dict[frozenset[str], str]:
    t = load_overlaps(Path(raw))
    return {frozenset((p, w)): n for p, w, n in zip(t["part"], t["whole"], t["relation"], strict=True)}
