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

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.schema import INDICATOR_SCHEMA, REGION_SCHEMA, validate
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


@lru_cache(maxsize=8)
def _read(path: str, mtime: float, which: str) -> pd.DataFrame:
    schema = INDICATOR_SCHEMA if which == "indicator" else REGION_SCHEMA
    optional = () if which == "indicator" else ("parent",)
    df = read_table(Path(path), required=list(schema.columns), optional=optional)
    problems = validate(schema, df)
    problems += check_indicator_references(df) if which == "indicator" else check_region_references(df)
    if problems:
        raise DataError(problems)
    return df


def _table(name: str, key: str, raw: Path | None) -> pd.DataFrame:
    path = Path(raw or paths.RAW) / name
    if not path.exists():
        raise DataError.one(paths.relative(path), None, None, "the vocabulary table is missing.")
    return _read(str(path), path.stat().st_mtime, key).set_index(key, drop=False)


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
    t = load_indicators(raw)
    if indicator not in t.index:
        raise KeyError(f"indicator {indicator!r} is not in data/raw/indicators.csv")
    if column not in t.columns:
        raise KeyError(f"data/raw/indicators.csv has no column {column!r}")
    return str(t.at[indicator, column])
