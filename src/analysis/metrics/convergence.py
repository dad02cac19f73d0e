"""A region against a national benchmark: income convergence and the national elasticity.

``docs/methods.md``, sections 5 and 6 (convergence with China, materiality):

* **Income convergence.** The ratio of the region's rural income to the national figure
  by year, and the difference of their CAGRs over the common years (percentage points a
  year). A rising ratio (a positive CAGR difference) is relative convergence towards the
  national level; the region is poorer than the nation when the ratio is below 1.
* **The national poverty-income elasticity.** With six or more paired national years a
  log-log OLS elasticity with its t-based interval, reported beside the two-point arc
  forms (log arc, midpoint, semi), nominal and real, as the reference line for the
  regions.

Only years observed on both sides enter: nothing is interpolated.

Examples
--------
Xiangxi's rural income 5891 -> 9183 yuan against China's 10489 -> 14617 over 2014-2018:

>>> c = convergence({2014: 5891, 2018: 9183}, {2014: 10489, 2018: 14617})
>>> round(100 * c.cagr_gap, 2)
3.09
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.metrics.elasticity import (
    OLSElasticity,
    log_arc_elasticity,
    midpoint_arc_elasticity,
    ols_elasticity,
    semi_elasticity,
)
from analysis.metrics.growth import cagr


def _years(a: Mapping[int, float] | pd.Series) -> set[int]:
    return {int(y) for y in (a.index if isinstance(a, pd.Series) else a)}


def common_years(a: Mapping[int, float] | pd.Series, b: Mapping[int, float] | pd.Series) -> list[int]:
    """Years observed in both series (a mapping or a Series indexed by year), sorted."""
    return sorted(_years(a) & _years(b))


def ratios_by_year(region: Mapping[int, float], benchmark: Mapping[int, float]) -> pd.DataFrame:
    """Ratio of a region's values to the benchmark's at every common year.

    Returns
    -------
    pandas.DataFrame
        ``year, value, benchmark_value, ratio`` (empty when no year is common).
    """
    years = common_years(region, benchmark)
    return pd.DataFrame(
        {
            "year": years,
            "value": [float(region[y]) for y in years],
            "benchmark_value": [float(benchmark[y]) for y in years],
            "ratio": [float(region[y]) / float(benchmark[y]) for y in years],
        },
        columns=["year", "value", "benchmark_value", "ratio"],
    )


@dataclass(frozen=True)
class Convergence:
    """Growth of a region against the benchmark over their first and last common years.

    ``cagr_gap`` is the region's CAGR minus the benchmark's (a fraction a year: 0.0288 is
    2.88 percentage points a year); ``ratio_start`` and ``ratio_end`` are the region's
    level relative to the benchmark at the two ends.
    """

    start: int
    end: int
    years: tuple[int, ...]
    cagr_region: float
    cagr_benchmark: float
    ratio_start: float
    ratio_end: float

    @property
    def cagr_gap(self) -> float:
        return self.cagr_region - self.cagr_benchmark

    @property
    def converging(self) -> bool:
        """Relative convergence: the ratio moved towards 1."""
        return abs(math.log(self.ratio_end)) < abs(math.log(self.ratio_start))


def convergence(
    region: Mapping[int, float], benchmark: Mapping[int, float], start: int | None = None, end: int | None = None
) -> Convergence:
    """CAGRs of region and benchmark over their common years and the gap between them.

    Parameters
    ----------
    region, benchmark : mapping of year to value
        Observed values (same unit and concept; the caller checks).
    start, end : int, optional
        Restrict to common years in ``start``-``end``; the first and last common years
        in that range are the endpoints.

    Raises
    ------
    ValueError
        Fewer than two common years (the message lists each side's years).
    """
    years = [y for y in common_years(region, benchmark) if (start is None or y >= start) and (end is None or y <= end)]
    if len(years) < 2:
        raise ValueError(
            f"fewer than two common years (region: {', '.join(map(str, sorted(region)))}; "
            f"benchmark: {', '.join(map(str, sorted(benchmark)))}): no CAGR difference"
        )
    y0, y1 = years[0], years[-1]
    return Convergence(
        y0,
        y1,
        tuple(years),
        cagr(float(region[y0]), float(region[y1]), y1 - y0),
        cagr(float(benchmark[y0]), float(benchmark[y1]), y1 - y0),
        float(region[y0]) / float(benchmark[y0]),
        float(region[y1]) / float(benchmark[y1]),
    )


@dataclass(frozen=True)
class NationalElasticity:
    """The national poverty-income elasticity over paired years (one price basis).

    ``ols`` is None with fewer than four paired years.
    """

    prices: str
    years: tuple[int, ...]
    log_arc: float
    midpoint: float
    semi: float
    ols: OLSElasticity | None


def national_elasticity(
    incidence: Mapping[int, float], income: Mapping[int, float], prices: str = "nominal"
) -> NationalElasticity:
    """Log-log OLS (t-based 95% CI) and arc elasticities of incidence to income.

    Parameters
    ----------
    incidence : mapping of year to poverty incidence (percent)
    income : mapping of year to rural income (nominal, or real when ``prices="real"``)
    prices : str
        Label of the income's price basis.

    Raises
    ------
    ValueError
        Fewer than two paired years.
    """
    years = common_years(incidence, income)
    if len(years) < 2:
        raise ValueError("the national elasticity needs at least two paired years of incidence and income")
    h = [float(incidence[y]) for y in years]
    y = [float(income[t]) for t in years]
    return NationalElasticity(
        prices,
        tuple(years),
        log_arc_elasticity(h[0], h[-1], y[0], y[-1]),
        midpoint_arc_elasticity(h[0], h[-1], y[0], y[-1]),
        semi_elasticity(h[0], h[-1], y[0], y[-1]),
        ols_elasticity(h, y, years),
    )
