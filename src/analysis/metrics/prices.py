"""Real terms: price levels from annual inflation, deflation, and volume indices.

Money values in the documents are nominal (current prices). This module turns them into
real values in the only two ways the methods allow (which one a series takes is the
``deflator`` column of ``data/raw/indicators.csv``, see :mod:`analysis.data.deflators`):

* **Deflation by a CPI.** A price level is chained from annual inflation rates,
  ``P_base = 100``, ``P_t = P_(t-1) (1 + pi_t)`` forward and ``P_(t-1) = P_t / (1 + pi_t)``
  backward from the base year; the real value is ``y_t * P_base / P_t`` (in base-year
  prices). Used for incomes and assistance standards.
* **Chaining official real growth** (比上年增长, at comparable prices) into a volume index,
  ``V_base = 100``, ``V_t = V_(t-1) (1 + g_t)``. Used for GDP: a CPI is not a GDP
  deflator. The ratio of the nominal level to the volume index is the implied deflator.

Both chains need the rate of *every* year they cross: the rate of year ``t`` is the change
from ``t - 1`` to ``t``, so a window ``start``-``end`` needs the rates of ``start + 1`` to
``end`` (and of the years between the base year and the window). A missing year is never
filled: :class:`MissingRates` names it and the real value is not computed.

Rates are fractions here (0.02 for 2%), as in the processed tables' ``value_base``.

Examples
--------
China's CPI rose 2.0% in 2016 and 1.6% in 2017; with 2015 = 100:

>>> p = price_level({2016: 0.020, 2017: 0.016}, base_year=2015, years=range(2015, 2018))
>>> [round(v, 2) for v in p]
[100.0, 102.0, 103.63]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd


class MissingRates(ValueError):
    """A window crosses a year whose inflation (or real growth) rate is not observed.

    Attributes
    ----------
    missing : tuple of int
        The years whose rate is missing (sorted).
    """

    def __init__(self, message: str, missing: Iterable[int]):
        super().__init__(message)
        self.missing = tuple(sorted(int(y) for y in missing))


def required_years(start: int, end: int, base_year: int | None = None) -> list[int]:
    """Years whose rate a chain over ``start``-``end`` (and its base year) needs.

    The rate of year ``t`` links ``t - 1`` to ``t``, so the chain from ``lo`` to ``hi``
    needs the rates of ``lo + 1`` ... ``hi``.

    >>> required_years(2014, 2019)
    [2015, 2016, 2017, 2018, 2019]
    >>> required_years(2014, 2016, base_year=2010)
    [2011, 2012, 2013, 2014, 2015, 2016]
    """
    lo = min(start, end, base_year if base_year is not None else start)
    hi = max(start, end, base_year if base_year is not None else end)
    return list(range(lo + 1, hi + 1))


def missing_years(rates: Mapping[int, float], start: int, end: int, base_year: int | None = None) -> list[int]:
    """Years in :func:`required_years` with no rate in ``rates`` (NaN counts as missing)."""
    return [
        y
        for y in required_years(start, end, base_year)
        if y not in rates or rates[y] is None or (isinstance(rates[y], float) and math.isnan(rates[y]))
    ]


def check_coverage(
    rates: Mapping[int, float], start: int, end: int, base_year: int | None = None, what: str = "inflation"
) -> None:
    """Refuse a window with any year of ``what`` missing, naming those years.

    Raises
    ------
    MissingRates
        E.g. ``no real value for 2014-2019: inflation is missing for 2016, 2017 (observed: 2013, 2014, 2015)``.
    """
    miss = missing_years(rates, start, end, base_year)
    if miss:
        observed = ", ".join(str(y) for y in sorted(rates)) or "none"
        span = f"{start}-{end}" + (f" (base year {base_year})" if base_year not in (None, start, end) else "")
        raise MissingRates(
            f"no real value for {span}: {what} is missing for {', '.join(map(str, miss))} "
            f"(observed: {observed}); missing years are never filled",
            miss,
        )


def chain_index(rates: Mapping[int, float], base_year: int, years: Iterable[int], what: str = "inflation") -> pd.Series:
    """Chain annual rates into an index with ``base_year`` = 100, at ``years``.

    Parameters
    ----------
    rates : mapping of year to rate
        Annual rates as fractions (0.02 for 2%): the change from the previous year.
    base_year : int
        Year where the index is 100 (it need not be in ``years``).
    years : iterable of int
        Years at which the index is wanted.
    what : str
        Name of the rate in error messages (``inflation``, ``official real growth``).

    Returns
    -------
    pandas.Series
        Index values by year (float, base year = 100), in the order of ``years``.

    Raises
    ------
    MissingRates
        When a year between the base year and any requested year has no rate.
    """
    ys = [int(y) for y in years]
    if not ys:
        return pd.Series(dtype=float)
    check_coverage(rates, min(ys), max(ys), base_year, what)
    out = {}
    for y in ys:
        level = 100.0
        if y > base_year:
            for t in range(base_year + 1, y + 1):
                level *= 1.0 + float(rates[t])
        else:
            for t in range(y + 1, base_year + 1):
                level /= 1.0 + float(rates[t])
        out[y] = level
    return pd.Series(out, name="index", dtype=float)


def price_level(inflation: Mapping[int, float], base_year: int, years: Iterable[int]) -> pd.Series:
    """Price level ``P_t`` (base year = 100) chained from annual inflation (fractions).

    See :func:`chain_index`; refuses (:class:`MissingRates`) a year of inflation missing.
    """
    return chain_index(inflation, base_year, years, "inflation")


def volume_index(real_growth: Mapping[int, float], base_year: int, years: Iterable[int]) -> pd.Series:
    """Volume index (base year = 100) chained from official real growth rates (fractions).

    Examples
    --------
    China's real GDP growth 7.3% (2014), 6.9% (2015), 2013 = 100:

    >>> [round(v, 2) for v in volume_index({2014: 0.073, 2015: 0.069}, 2013, [2013, 2014, 2015])]
    [100.0, 107.3, 114.7]
    """
    return chain_index(real_growth, base_year, years, "official real growth")


def deflate(nominal: Mapping[int, float] | pd.Series, inflation: Mapping[int, float], base_year: int) -> pd.Series:
    """Real values in ``base_year`` prices: ``y_t * P_base / P_t``.

    Parameters
    ----------
    nominal : mapping or Series of year to value
        Nominal (current-price) values at observed years.
    inflation : mapping of year to rate
        Annual inflation as fractions.
    base_year : int
        Price base (the real value equals the nominal one there).

    Raises
    ------
    MissingRates
        When inflation is missing for a year the chain crosses.
    """
    nom = pd.Series(dict(nominal), dtype=float).sort_index()
    p = price_level(inflation, base_year, nom.index)
    return (nom * 100.0 / p).rename("real")


def real_cagr(v0: float, v1: float, start: int, end: int, inflation: Mapping[int, float]) -> float:
    """CAGR of the deflated endpoints: ``((v1 / v0) (P_0 / P_T))^(1/T) - 1``.

    Equals ``(1 + nominal CAGR) / (1 + mean inflation) - 1`` with the geometric mean of
    inflation over ``start + 1`` ... ``end`` (tested).

    Raises
    ------
    MissingRates
        When a year of inflation in the window is missing.
    """
    if end <= start:
        raise ValueError(f"a real CAGR needs end > start, got {start}-{end}")
    p = price_level(inflation, start, [start, end])
    return ((v1 / v0) * (p[start] / p[end])) ** (1.0 / (end - start)) - 1.0


def mean_rate(rates: Mapping[int, float], start: int, end: int, what: str = "inflation") -> float:
    """Geometric mean annual rate over ``start + 1`` ... ``end`` (refuses missing years)."""
    check_coverage(rates, start, end, None, what)
    prod = math.prod(1.0 + float(rates[t]) for t in range(start + 1, end + 1))
    return prod ** (1.0 / (end - start)) - 1.0


def chained_growth(real_growth: Mapping[int, float], start: int, end: int) -> float:
    """Average annual growth of official real rates chained over ``start + 1`` ... ``end``.

    This is the official real counterpart of a CAGR over ``start``-``end``.

    >>> round(100 * chained_growth({2015: 0.075, 2016: 0.062}, 2014, 2016), 3)
    6.848
    """
    return mean_rate(real_growth, start, end, "official real growth")


def implied_deflator(nominal: Mapping[int, float] | pd.Series, volume: pd.Series) -> pd.Series:
    """Implied deflator ``100 * (y_t / y_base) / (V_t / 100)`` with the volume index's base year.

    ``nominal`` must include the base year of ``volume`` (where ``V = 100``).
    """
    nom = pd.Series(dict(nominal), dtype=float).sort_index()
    base = [y for y, v in volume.items() if abs(v - 100.0) < 1e-12]
    if not base or base[0] not in nom.index:
        raise ValueError("the nominal series must be observed in the volume index's base year")
    common = [y for y in nom.index if y in volume.index]
    return (100.0 * (nom[common] / nom[base[0]]) / (volume[common] / 100.0)).rename("deflator")


@dataclass(frozen=True)
class PriceIndex:
    """An annual price (or volume) index chosen for a series, with what it is.

    Attributes
    ----------
    label : str
        How tables name it, e.g. ``"China rural CPI"``.
    region, indicator : str
        The series the rates come from (``China``, ``rural_cpi_change``).
    rates : dict of int to float
        Observed annual rates (fractions).
    kind : {"cpi", "volume"}
        ``cpi`` deflates a nominal series; ``volume`` chains official real growth.
    proxy : str
        A fixed note that the index is a proxy (empty if none). :func:`choose_index`
        adds the notes that depend on the window, from the fields below.
    what : str
        The index without its region (``"rural CPI"``, ``"CPI"``).
    wanted : str
        The index the series should be deflated by (``"rural CPI"``); when ``what``
        differs, the chosen index is a proxy and :func:`choose_index` says which years
        of the wanted index are missing.
    for_region : str
        The region of the series; an index of another region is a proxy.
    """

    label: str
    region: str
    indicator: str
    rates: dict
    kind: str = "cpi"
    proxy: str = ""
    what: str = ""
    wanted: str = ""
    for_region: str = ""

    def covers(self, start: int, end: int) -> bool:
        """Whether every rate the window ``start``-``end`` needs is observed."""
        return not missing_years(self.rates, start, end)

    @property
    def is_proxy(self) -> bool:
        """Whether the index stands in for another (another kind, or another region)."""
        return bool(self.proxy)

    @property
    def series_id(self) -> str:
        """The series of the rates (``china.rural_cpi_change``)."""
        return f"{self.region.lower()}.{self.indicator}"

    @property
    def description(self) -> str:
        """Label with the proxy note, as shown in every table row."""
        return self.label + (f" ({self.proxy})" if self.proxy else "")


def _years(ys: Iterable[int]) -> str:
    return ", ".join(map(str, ys))


def _with_proxy(chosen: PriceIndex, tried: list[tuple[PriceIndex, list[int]]], cands: list[PriceIndex]) -> PriceIndex:
    """``chosen`` with the window's proxy notes: which years the wanted index lacks, whose index it is."""
    parts = []
    if chosen.wanted and chosen.what and chosen.what != chosen.wanted:
        lacks = [
            f"the {c.what if c.region == chosen.region else c.label} lacks {_years(miss)}"
            for c, miss in tried
            if c.what == chosen.wanted
        ]
        parts.append("; ".join(lacks) or f"no {chosen.wanted} in the data")
    if chosen.for_region and chosen.region != chosen.for_region:
        own = any(c.region == chosen.for_region for c in cands)
        parts.append(
            f"{chosen.region} index used for {chosen.for_region}"
            + ("" if own else ", which has no price index of its own in the data")
        )
    if not parts:
        return chosen
    proxy = "proxy: " + "; ".join(parts) + (f"; {chosen.proxy}" if chosen.proxy else "")
    return replace(chosen, proxy=proxy)


def choose_index(candidates: Iterable[PriceIndex], start: int, end: int) -> PriceIndex:
    """The first candidate index observed for every year of ``start``-``end``, one index for the whole window.

    Candidates are in order of preference (the index the vocabulary names for the series,
    its own region's before the national one, then the CPI of all residents). Indices are
    never mixed within a window: a rural CPI missing one year gives way to the national
    CPI for every year. The returned index carries, in ``proxy``, the years the preferred
    index lacks and whether it belongs to another region (``"proxy: the rural CPI lacks
    2016, 2018"``).

    Raises
    ------
    MissingRates
        When none covers the window; the message names each candidate's missing years.
    """
    cands = list(candidates)
    reasons = []
    tried: list[tuple[PriceIndex, list[int]]] = []
    missing_all: set[int] = set()
    for c in cands:
        miss = missing_years(c.rates, start, end)
        if not miss:
            return _with_proxy(c, tried, cands)
        tried.append((c, miss))
        missing_all.update(miss)
        reasons.append(f"{c.label} is missing for {_years(miss)}")
    raise MissingRates(
        f"no real value for {start}-{end}: " + ("; ".join(reasons) or "no price index in the data"),
        missing_all,
    )
