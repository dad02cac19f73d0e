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
[2013, 2015, 2016, 2017, 2018, 2019]
>>> float(observation("xiangxi.gdp.2019")["value_base"])  # yuan
70570000000.0
"""

from __future__ import annotations

import difflib
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

    The message lists the valid choices and ends with the closest ones (``gpd``: did you mean
    'gdp'?).

    Examples
    --------
    >>> check_choice("indicator", "gpd", ["gdp", "gdp_per_capita", "poverty_incidence"])
    Traceback (most recent call last):
    ...
    analysis.data.load.UnknownChoice: unknown indicator 'gpd'; valid choices: gdp, gdp_per_capita, poverty_incidence; did you mean 'gdp'?
    """
    valid = sorted(set(valid), key=str)
    if value not in valid:
        raise UnknownChoice(
            f"unknown {name} {value!r}; valid choices: {', '.join(map(str, valid))}{did_you_mean(value, valid)}"
        )


def did_you_mean(value: object, valid: Iterable[object]) -> str:
    """``; did you mean 'gdp'?``: the closest valid choices (:mod:`difflib`), or an empty string.

    >>> did_you_mean("relas", ["nominal", "real", "both"])
    "; did you mean 'real'?"
    """
    close = difflib.get_close_matches(str(value), [str(v) for v in valid], n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def in_series(obs: pd.DataFrame) -> pd.Series:
    """Which rows the default series use: one per (region, indicator, year), or none.

    The rule of :func:`get_series`: among the rows that are not alternatives
    (``preferred != "no"``), a document value before an external one before a derived
    one, and among equals the first ``obs_id``. A year with only alternatives has no
    such row.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations with ``region, indicator, year, kind, preferred, obs_id``.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``obs``.

    Examples
    --------
    >>> obs = pd.DataFrame({"region": ["X"] * 3, "indicator": ["gdp"] * 3, "year": [2013] * 3,
    ...     "kind": ["external", "document", "external"], "preferred": ["yes", "yes", "no"],
    ...     "obs_id": ["x.gdp.2013.ext", "x.gdp.2013", "x.gdp.2013.ext.alt1"]})
    >>> in_series(obs).tolist()
    [False, True, False]
    """
    order = {k: i for i, k in enumerate(KINDS)}
    cand = obs[obs["preferred"] != "no"]
    cand = cand.assign(_k=cand["kind"].map(order))
    cand = cand.sort_values(["region", "indicator", "year", "_k", "obs_id"], kind="stable")
    first = cand.drop_duplicates(["region", "indicator", "year"]).index
    return pd.Series(obs.index.isin(first), index=obs.index, name="in_series")


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in NUMERIC:
        df[c] = pd.to_numeric(df[c].replace("", None), errors="raise")
    for c in ("year", "period_start"):
        df[c] = pd.to_numeric(df[c].replace("", None)).astype("Int64")
    return df


def load_observations(
    kinds: Sequence[str] | None = None, path: Path | None = None, preferred_only: bool = True
) -> pd.DataFrame:
    """All processed observations, one tidy row each.

    Parameters
    ----------
    kinds : sequence of str, optional
        Keep only these kinds (``document``, ``external``, ``derived``); default all.
    path : Path, optional
        Default ``data/processed/observations.csv``.
    preferred_only : bool
        Leave out the external alternatives (rows with ``preferred == "no"``: another
        vintage or basis of a figure, kept for sensitivity checks). Default True, so an
        alternative never enters an analysis unless asked for.

    Returns
    -------
    pandas.DataFrame
        Columns as written by ``make data`` (see :data:`analysis.data.build.OBSERVATION_OUTPUT`);
        ``value``, ``value_base``, ``value_low``, ``value_high`` are floats, years ``Int64``.
    """
    p = Path(path or paths.OBSERVATIONS_CSV)
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    if kinds is not None:
        for k in kinds:
            check_choice("kind", k, KINDS)
    st = p.stat()
    kept = None if kinds is None else tuple(kinds)
    # A shallow copy of the cached frame: pandas copies on write, so a caller's change stays its own.
    return _observations(str(p), st.st_mtime_ns, st.st_size, kept, preferred_only).copy(deep=False)


@lru_cache(maxsize=16)
def _observations(
    path: str, mtime_ns: int, size: int, kinds: tuple[str, ...] | None, preferred_only: bool
) -> pd.DataFrame:
    """:func:`load_observations` for one version (path, modification time, size) of the file."""
    df = _read(path, mtime_ns, size)
    if kinds is not None:
        df = df[df["kind"].isin(list(kinds))]
    if preferred_only:
        df = df[df["preferred"] != "no"]
    return df.reset_index(drop=True)


def get_series(
    region: str,
    indicator: str,
    kinds: Sequence[str] = KINDS,
    start: int | None = None,
    end: int | None = None,
    path: Path | None = None,
    preferred_only: bool = True,
    substitute: Sequence[str] = (),
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
    preferred_only : bool
        True (default): one row per year, never an external alternative. False: every
        candidate row of every year (documents, preferred external rows, alternatives,
        derived), with a boolean column ``in_series`` marking the row the default series
        uses: the long view for a labelled sensitivity table.
    substitute : sequence of str
        Ids of external alternatives (e.g. ``"xiangxi.gdp.2015.ext.alt1"``) to use instead
        of the row their year would otherwise use: a sensitivity series. The substituted
        rows keep their ``obs_id``, ``vintage`` and ``preferred = "no"``, so the result
        says what was swapped.

    Returns
    -------
    pandas.DataFrame
        Sorted by year; where two kinds give the same year the other rows are dropped
        (the kept row's ``kind`` says which was used).

    Raises
    ------
    UnknownChoice
        Unknown region, or an indicator that region does not have (valid choices listed),
        or a ``substitute`` id that is not an alternative of this series.
    """
    p = Path(path or paths.OBSERVATIONS_CSV)
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    st = p.stat()
    # The reports ask for the same series many times (each comparison pair, each table row):
    # the result is cached per file version and returned as a copy the caller may change.
    key = (str(p), st.st_mtime_ns, st.st_size, region, indicator, tuple(kinds), start, end, preferred_only)
    try:
        hash(key)
    except TypeError:  # an unhashable argument (a list for a region): not cached, refused as usual
        return _series.__wrapped__(*key, tuple(substitute))
    return _series(*key, tuple(substitute)).copy(deep=False)  # copy-on-write: the caller's changes stay its own


@lru_cache(maxsize=512)
def _series(
    path: str,
    mtime_ns: int,
    size: int,
    region: str,
    indicator: str,
    kinds: tuple[str, ...],
    start: int | None,
    end: int | None,
    preferred_only: bool,
    substitute: tuple[str, ...],
) -> pd.DataFrame:
    """:func:`get_series` for one version (path, modification time, size) of the observations file."""
    obs = load_observations(path=Path(path), preferred_only=False)
    check_choice("region", region, obs["region"])
    check_choice(f"indicator for {region}", indicator, obs.loc[obs["region"] == region, "indicator"])
    for k in kinds:
        check_choice("kind", k, KINDS)
    s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(kinds))].copy()
    alternatives = s[s["preferred"] == "no"]
    for oid in substitute:
        check_choice(f"alternative of {region} {indicator}", oid, alternatives["obs_id"])
    if start is not None:
        s = s[s["year"] >= start]
    if end is not None:
        s = s[s["year"] <= end]
    order = {k: i for i, k in enumerate(KINDS)}
    s = s.assign(_k=s["kind"].map(order), _p=(s["preferred"] == "no").astype(int))
    s = s.sort_values(["year", "_k", "_p", "obs_id"], kind="stable")
    default = s[in_series(s)]
    if not preferred_only:
        s["in_series"] = s.index.isin(default.index)
        return s.drop(columns=["_k", "_p"]).reset_index(drop=True)
    if substitute:
        swap = s[s["obs_id"].isin(list(substitute))]
        if swap["year"].duplicated().any():
            raise UnknownChoice(f"substitute names two alternatives for one year: {', '.join(substitute)}")
        default = pd.concat([default[~default["year"].isin(swap["year"])], swap]).sort_values("year")
    return default.drop(columns=["_k", "_p"]).reset_index(drop=True)


def alternatives(region: str | None = None, indicator: str | None = None, path: Path | None = None) -> pd.DataFrame:
    """The external alternatives (``preferred == "no"``) beside the row each year uses by default.

    Parameters
    ----------
    region, indicator : str, optional
        Restrict to one region and/or indicator.
    path : Path, optional
        Processed observations file.

    Returns
    -------
    pandas.DataFrame
        One row per alternative: ``series_id, year, obs_id, value, unit, vintage, basis,
        used_obs_id, used_value, used_kind, used_vintage, difference_pct`` (the
        alternative relative to the used value, in percent). A year with no default value
        (only ``preferred = no`` rows) has empty ``used_*`` columns and no difference.
    """
    obs = load_observations(path=path, preferred_only=False)
    if region is not None:
        check_choice("region", region, obs["region"])
        obs = obs[obs["region"] == region]
    if indicator is not None:
        check_choice("indicator", indicator, obs["indicator"])
        obs = obs[obs["indicator"] == indicator]
    rows = []
    for _, a in obs[obs["preferred"] == "no"].iterrows():
        used = get_series(a["region"], a["indicator"], start=int(a["year"]), end=int(a["year"]), path=path)
        # A year with only alternatives (unverified figures) has no default value to set them beside.
        u = used.iloc[0] if len(used) else pd.Series({"obs_id": "", "value": float("nan"), "kind": "", "vintage": ""})
        rows.append(
            {
                "series_id": a["series_id"],
                "year": int(a["year"]),
                "obs_id": a["obs_id"],
                "value": a["value"],
                "unit": a["unit"],
                "vintage": a["vintage"],
                "basis": a["basis"],
                "used_obs_id": u["obs_id"],
                "used_value": u["value"],
                "used_kind": u["kind"],
                "used_vintage": u["vintage"],
                "difference_pct": 100 * (a["value"] / u["value"] - 1),
            }
        )
    cols = [
        "series_id", "year", "obs_id", "value", "unit", "vintage", "basis",
        "used_obs_id", "used_value", "used_kind", "used_vintage", "difference_pct",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def observation(obs_id: str, path: Path | None = None) -> pd.Series:
    """One observation by id (e.g. ``"xiangxi.gdp.2019"``)."""
    obs = load_observations(path=path, preferred_only=False)
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


def load_consistency(path: Path | None = None) -> pd.DataFrame:
    """The validated internal-consistency register (``data/processed/consistency.csv``)."""
    p = Path(path or paths.CONSISTENCY_CSV)
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")


def series_catalog(path: Path | None = None) -> pd.DataFrame:
    """Every (region, indicator) with its years, unit, kinds and alternatives: the valid choices."""
    obs = load_observations(path=path, preferred_only=False)
    obs = obs.assign(_alt=obs["preferred"] == "no")
    pref = obs[~obs["_alt"]]
    g = pref.groupby(["series_id", "region", "indicator", "label", "unit"], sort=True)
    out = g.agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        n_points=("year", "nunique"),
        kinds=("kind", lambda k: " ".join(sorted(set(k)))),
        vintages=("vintage", lambda v: " ".join(sorted(set(v) - {""}))),
    ).reset_index()
    n_alt = obs[obs["_alt"]].groupby("series_id").size()
    out["alternatives"] = out["series_id"].map(n_alt).fillna(0).astype(int)
    return out


VINTAGE_CHOICES = ("single", "published")
"""How a series with revised-back alternatives is read (the ``vintage`` parameter of the reports):
``single`` (default) the single-vintage series of :func:`single_vintage`, ``published`` the
preferred rows as first published or last found (mixed vintages: a labelled sensitivity)."""


def single_vintage(
    region: str,
    indicator: str,
    kinds: Sequence[str] = KINDS,
    start: int | None = None,
    end: int | None = None,
    path: Path | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A series on one vintage: the revised-back alternatives named by ``indicators.csv``.

    ``indicators.csv`` column ``revision_basis`` names a revision (for GDP: the fourth national
    economic census). Where a series has external alternatives whose ``basis`` names it, those
    alternatives replace the rows of their years, and the years after the last of them keep their
    default rows (published on the revised basis); a year on or before the last revised-back
    year without one is left out, never mixed in. Without such alternatives (Xiangxi's GDP:
    first releases only) the default series is returned unchanged.

    Returns
    -------
    (pandas.DataFrame, tuple of str)
        The series (as :func:`get_series`) and the ids of the substituted alternatives (empty
        when nothing was substituted).

    Examples
    --------
    China's GDP on the fourth-census basis: the revised-back rows 2013-2018 and the final 2019 figure.

    >>> s, ids = single_vintage("China", "gdp")
    >>> s["value"].tolist()
    [592963.2, 643563.1, 688858.2, 746395.1, 832035.9, 919281.0, 986515.0]
    >>> single_vintage("Xiangxi", "gdp")[1]
    ()
    """
    from analysis.data.vocab import indicator_fact

    phrase = indicator_fact(indicator, "revision_basis")
    default = get_series(region, indicator, kinds, start, end, path)
    if not phrase:
        return default, ()
    cands = get_series(region, indicator, kinds, start, end, path, preferred_only=False)
    alts = cands[(cands["preferred"] == "no") & cands["basis"].str.contains(phrase, regex=False)]
    alts = alts.drop_duplicates("year")
    if alts.empty:
        return default, ()
    ids = tuple(alts["obs_id"])
    s = get_series(region, indicator, kinds, start, end, path, substitute=ids)
    last = int(alts["year"].max())
    keep = s["obs_id"].isin(ids) | (s["year"] > last)
    return s[keep].reset_index(drop=True), ids


RELEASE_VINTAGES = ("preliminary", "revised", "final", "first release")
"""The derived release label of :func:`release_vintage`."""


def release_vintage(obs: pd.DataFrame) -> pd.Series:
    """The release status of each row, derived from the rows of the same series and year.

    Rule (``docs/methods.md``): ``preliminary`` where the row's own vintage is preliminary, where
    another row of the same region, indicator and year is a later revision (vintage ``revised``
    or ``final`` with another value), or where another row gives the same figure (to the
    precision of the coarser) as preliminary; otherwise the stated vintage (``revised``,
    ``final``), and ``first release`` for a figure labelled ``as published`` with no later
    revision in the data. Document rows (no vintage) are ``first release``.

    Examples
    --------
    >>> obs = pd.DataFrame({"region": ["X"] * 3, "indicator": ["gdp"] * 3, "year": [2015] * 3,
    ...     "value": [497.19, 497.0, 511.9], "vintage": ["as published", "preliminary", "as published"]})
    >>> release_vintage(obs).tolist()
    ['preliminary', 'preliminary', 'first release']
    """
    keys = list(zip(obs["region"], obs["indicator"], obs["year"], strict=True))
    vintages = [v if isinstance(v, str) else "" for v in obs["vintage"]]
    values = [float(v) for v in obs["value"]]
    rows_of: dict[tuple, list[int]] = {}
    for i, k in enumerate(keys):
        rows_of.setdefault(k, []).append(i)
    out = []
    for i, k in enumerate(keys):
        same = [j for j in rows_of[k] if j != i]  # the other rows of the same region, indicator and year
        v = vintages[i]
        later = any(vintages[j] in ("revised", "final") and values[j] != values[i] for j in same)
        agrees = any(same_figure(values[i], values[j]) for j in same if vintages[j] == "preliminary")
        if v in ("revised", "final"):
            out.append(v)
        elif v == "preliminary" or agrees or later:
            out.append("preliminary")
        else:
            out.append("first release")
    return pd.Series(out, index=obs.index, name="release_vintage", dtype=str)


def same_figure(a: float, b: float) -> bool:
    """Whether two printings agree to the precision of the coarser (497.19 and 497).

    >>> same_figure(497.19, 497.0), same_figure(511.9, 497.19)
    (True, False)
    """
    decimals = min(len(repr(x).split(".")[1].rstrip("0")) if "." in repr(x) else 0 for x in (a, b))
    return round(a, decimals) == round(b, decimals)
