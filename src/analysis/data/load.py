"""The loading API: processed observations and claims, by series or by id.

Paths come from :mod:`analysis.paths` (the package location), so a notebook run by
papermill from any directory reads the same files. Run ``make data`` first.

Examples
--------
Xiangxi GDP as doc004 states it (亿元), then with the external values between the endpoints:

>>> from analysis import get_series, observation
>>> s = get_series("Xiangxi", "gdp", kinds=("document",))
>>> s["year"].tolist(), s["value"].tolist(), s["unit"].iloc[0]
([2013, 2019], [418.9, 705.7], '亿元')
>>> get_series("Xiangxi", "gdp", start=2013, end=2019)["year"].tolist()
[2013, 2015, 2016, 2018, 2019]
>>> float(observation("xiangxi.gdp.2019")["value_base"])  # yuan
70570000000.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths

KINDS = ("document", "external", "derived")
NUMERIC = ("value", "value_base", "value_low", "value_high")


class UnknownChoice(ValueError):
    """A parameter value that is not one of the valid choices (which it lists)."""


def check_choice(name: str, value: object, valid: Iterable[object]) -> None:
    """Raise :class:`UnknownChoice` listing the valid choices when ``value`` is not one.

    Parameters
    ----------
    name : str
        Parameter name used in the message.
    value : object
        The value given.
    valid : iterable
        The valid choices.
    """
    valid = sorted(set(valid), key=str)
    if value not in valid:
        raise UnknownChoice(f"unknown {name} {value!r}; valid choices: {', '.join(map(str, valid))}")


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in NUMERIC:
        df[c] = pd.to_numeric(df[c].replace("", None), errors="raise")
    for c in ("year", "period_start"):
        df[c] = pd.to_numeric(df[c].replace("", None)).astype("Int64")
    return df


def load_observations(kinds: Sequence[str] | None = None, path: Path | None = None) -> pd.DataFrame:
    """All processed observations, one tidy row each.

    Parameters
    ----------
    kinds : sequence of str, optional
        Keep only these kinds (``document``, ``external``, ``derived``); default all.
    path : Path, optional
        Default ``data/processed/observations.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns as written by ``make data`` (see :data:`analysis.data.build.OBSERVATION_OUTPUT`);
        ``value``, ``value_base``, ``value_low``, ``value_high`` are floats, years ``Int64``.
    """
    p = Path(path or paths.OBSERVATIONS_CSV)
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    df = _read(str(p), p.stat().st_mtime).copy()
    if kinds is not None:
        for k in kinds:
            check_choice("kind", k, KINDS)
        df = df[df["kind"].isin(list(kinds))]
    return df.reset_index(drop=True)


def get_series(
    region: str,
    indicator: str,
    kinds: Sequence[str] = KINDS,
    start: int | None = None,
    end: int | None = None,
    path: Path | None = None,
) -> pd.DataFrame:
    """One series, one row per year, document values preferred over external over derived.

    Parameters
    ----------
    region : str
        A region with observations (e.g. ``"Xiangxi"``).
    indicator : str
        An indicator observed for that region (e.g. ``"gdp_per_capita"``).
    kinds : sequence of str
        Kinds to include; pass ``("document",)`` to leave external values out.
    start, end : int, optional
        Inclusive year range.
    path : Path, optional
        Processed observations file (default ``data/processed/observations.csv``).

    Returns
    -------
    pandas.DataFrame
        Sorted by year; where two kinds give the same year the other rows are dropped
        (the kept row's ``kind`` says which was used).

    Raises
    ------
    UnknownChoice
        Unknown region, or an indicator that region does not have (valid choices listed).
    """
    obs = load_observations(path=path)
    check_choice("region", region, obs["region"])
    check_choice(f"indicator for {region}", indicator, obs.loc[obs["region"] == region, "indicator"])
    for k in kinds:
        check_choice("kind", k, KINDS)
    s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(kinds))].copy()
    if start is not None:
        s = s[s["year"] >= start]
    if end is not None:
        s = s[s["year"] <= end]
    order = {k: i for i, k in enumerate(KINDS)}
    s = s.assign(_k=s["kind"].map(order)).sort_values(["year", "_k"]).drop_duplicates("year")
    return s.drop(columns="_k").reset_index(drop=True)


def observation(obs_id: str, path: Path | None = None) -> pd.Series:
    """One observation by id (e.g. ``"xiangxi.gdp.2019"``)."""
    obs = load_observations(path=path)
    m = obs[obs["obs_id"] == obs_id]
    if m.empty:
        raise KeyError(f"no observation {obs_id!r} in {paths.relative(Path(path or paths.OBSERVATIONS_CSV))}")
    return m.iloc[0]


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """The validated claims register (``data/processed/claims.csv``)."""
    p = Path(path or paths.CLAIMS_CSV)
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")


def series_catalog(path: Path | None = None) -> pd.DataFrame:
    """Every (region, indicator) with its years, unit and kinds: the valid choices."""
    obs = load_observations(path=path)
    g = obs.groupby(["series_id", "region", "indicator", "label", "unit"], sort=True)
    return g.agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_points=("year", "nunique"),
        kinds=("kind", lambda k: " ".join(sorted(set(k)))),
    ).reset_index()
