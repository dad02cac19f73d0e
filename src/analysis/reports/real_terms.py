"""Which price index makes a series real, and the real growth of a series over a window.

Shared by the growth, comparison and elasticity reports. The formulas are in
:mod:`analysis.metrics.prices`; this module reads the rates from the processed data and
applies METHODS.md's choice of index:

* rural incomes, assistance standards and the poverty line: the region's own rural CPI,
  else the national (China) rural CPI, where it is observed for every year of the window;
  else the region's own CPI, else the national CPI. An index of another region is a proxy
  (no Xiangxi or Wuling CPI exists) and every row says so;
* urban income: the region's CPI, else the national CPI;
* GDP: never a CPI. The region's official real growth rates (比上年增长) are chained into a
  volume index; where a year is missing, no real value;
* GDP per capita: no official real growth per capita is in the data and a CPI is not a
  GDP deflator, so no real value;
* rates and counts (poverty incidence, poor population): not money; already real.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.data.load import load_observations
from analysis.metrics import prices as pr
from analysis.metrics.growth import MIN_TREND_POINTS, cagr, trend_growth

PRICES = ("both", "nominal", "real")
"""Valid values of the reports' ``prices`` parameter (``both`` is the default)."""

CPI = "cpi_change"
RURAL_CPI = "rural_cpi_change"
NATIONAL = "China"

RURAL_MONEY: tuple[str, ...] = (
    "rural_disposable_income",
    "rural_net_income",
    "rural_dibao_standard",
    "rural_dibao_standard_avg",
    "rural_dibao_monthly_assistance",
    "extreme_poverty_support_standard",
    "severe_disability_care_subsidy",
    "needy_disabled_living_subsidy",
    "unsupported_children_aid_standard",
    "poverty_line_current_prices",
)
"""Money series of rural households, deflated by a rural CPI where one covers the window."""

URBAN_MONEY: tuple[str, ...] = ("urban_disposable_income",)
"""Money series deflated by a (general) CPI."""

VOLUME: dict[str, str] = {"gdp": "gdp_real_growth", "gdp_nominal": "gdp_real_growth"}
"""Output series made real by chaining the official real growth rates (indicator of the rates)."""

NO_REAL: dict[str, str] = {
    "gdp_per_capita": (
        "no real value: no official real growth of GDP per capita is in the data, and a CPI is not a GDP deflator"
    ),
}
"""Money series with no acceptable real counterpart, and why."""

OFFICIAL_REAL: dict[str, str] = {
    "rural_disposable_income": "rural_disposable_income_real_growth",
    "rural_net_income": "rural_net_income_real_growth",
}
"""Official real growth (扣除价格因素实际增长) published for a money series: the check on the CPI-deflated growth."""


def _rates(obs: pd.DataFrame, region: str, indicator: str, kinds: tuple[str, ...]) -> dict[int, float]:
    """Observed annual rates (fractions) of one series, one per year (the data's preferred value)."""
    s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(kinds))]
    if "preferred" in s.columns:
        s = s[s["preferred"].astype(str).str.lower().isin(["yes", "true", ""])]
    s = s.sort_values("year").drop_duplicates("year")
    return {int(y): float(v) for y, v in zip(s["year"], s["value_base"], strict=False)}


def _index(obs: pd.DataFrame, region: str, indicator: str, kinds: tuple[str, ...], for_region: str) -> pr.PriceIndex:
    what = {CPI: "CPI", RURAL_CPI: "rural CPI"}.get(indicator, indicator.replace("_", " "))
    kind = "volume" if indicator in VOLUME.values() else "cpi"
    label = f"{region} {what}" if kind == "cpi" else f"{region} official real GDP growth (chained volume index)"
    proxy = ""
    if region != for_region:
        scope = "national" if region == NATIONAL else region
        proxy = f"{scope} index used as a proxy for {for_region}: no {for_region} {what} in the data"
    return pr.PriceIndex(label, region, indicator, _rates(obs, region, indicator, kinds), kind, proxy)


def candidates(region: str, indicator: str, kinds: tuple[str, ...], obs: pd.DataFrame | None = None) -> list:
    """Price indices for a series, in order of preference (empty: no real value possible)."""
    obs = load_observations() if obs is None else obs
    if indicator in VOLUME:
        return [_index(obs, region, VOLUME[indicator], kinds, region)]
    if indicator in RURAL_MONEY:
        order = [(region, RURAL_CPI), (NATIONAL, RURAL_CPI), (region, CPI), (NATIONAL, CPI)]
    elif indicator in URBAN_MONEY:
        order = [(region, CPI), (NATIONAL, CPI)]
    else:
        return []
    out = []
    for r, i in dict.fromkeys(order):
        idx = _index(obs, r, i, kinds, region)
        if idx.rates:
            out.append(idx)
    return out


def is_money(indicator: str) -> bool:
    """Whether the indicator is a money amount that has (or lacks) a real counterpart."""
    return indicator in RURAL_MONEY or indicator in URBAN_MONEY or indicator in VOLUME or indicator in NO_REAL


@dataclass
class RealGrowth:
    """Real growth of one series over one window (or why there is none).

    ``real_cagr`` is None when refused; ``reason`` then says why (missing years named).
    ``official`` is the chained official real growth over the window where NBS publishes
    it, and ``gap`` the CPI-deflated CAGR minus it (fractions a year).
    """

    start: int
    end: int
    index: str = ""
    base_year: int | None = None
    real_cagr: float | None = None
    trend_growth: float | None = None
    trend_ci_low: float | None = None
    trend_ci_high: float | None = None
    official: float | None = None
    official_label: str = ""
    gap: float | None = None
    reason: str = ""
    real_values: pd.Series | None = None


def real_growth(
    series: pd.DataFrame, start: int, end: int, kinds: tuple[str, ...], obs: pd.DataFrame | None = None
) -> RealGrowth:
    """Real CAGR, real trend (five or more points) and the official check of one series.

    Parameters
    ----------
    series : pandas.DataFrame
        From :func:`analysis.get_series` (``region``, ``indicator``, ``year``, ``value``).
    start, end : int
        Window; both observed. Real values are in ``start``-year prices.
    kinds : tuple of str
        Kinds of the price data allowed (the run's: without ``external`` there is no CPI).
    """
    obs = load_observations() if obs is None else obs
    region, indicator = str(series["region"].iloc[0]), str(series["indicator"].iloc[0])
    out = RealGrowth(start, end)
    if indicator in NO_REAL:
        out.reason = NO_REAL[indicator]
        return out
    cands = candidates(region, indicator, kinds, obs)
    if not cands:
        if indicator in VOLUME or is_money(indicator):
            what = "official real growth" if indicator in VOLUME else "price index"
            ext = "" if "external" in kinds else " (price data are external values, left out of this run)"
            out.reason = f"no real value: no {what} for {region} in the data{ext}"
        return out
    try:
        idx = pr.choose_index(cands, start, end)
    except pr.MissingRates as e:
        out.reason = str(e)
        return out
    s = series[(series["year"] >= start) & (series["year"] <= end)].sort_values("year")
    nominal = {int(y): float(v) for y, v in zip(s["year"], s["value"], strict=False)}
    out.index, out.base_year = idx.description, start
    if idx.kind == "volume":
        vol = pr.volume_index(idx.rates, start, list(nominal))
        real = (vol / 100.0 * nominal[start]).rename("real")
    else:
        real = pr.deflate(nominal, idx.rates, start)
    out.real_values = real
    out.real_cagr = cagr(real[start], real[end], end - start)
    if len(real) >= MIN_TREND_POINTS:
        tr = trend_growth(pd.DataFrame({"year": list(real.index), "value": list(real.values)}))
        if tr is not None:
            out.trend_growth, out.trend_ci_low, out.trend_ci_high = tr.growth, tr.ci_low, tr.ci_high
    if idx.kind == "volume":
        nominal_cagr = cagr(nominal[start], nominal[end], end - start)
        out.official_label = (
            f"implied deflator {(1 + nominal_cagr) / (1 + out.real_cagr) - 1:.2%} a year (nominal over volume)"
        )
    off_ind = OFFICIAL_REAL.get(indicator)
    if off_ind and idx.kind == "cpi":
        rates = _rates(obs, region, off_ind, kinds)
        if rates and not pr.missing_years(rates, start, end):
            out.official = pr.chained_growth(rates, start, end)
            out.official_label = f"{region} official real growth ({off_ind}), chained {start + 1}-{end}"
            out.gap = out.real_cagr - out.official
        elif rates:
            miss = pr.missing_years(rates, start, end)
            out.official_label = f"official real growth missing for {', '.join(map(str, miss))}"
    return out


def fmt_pp(v: float | None) -> str:
    """A fraction a year as signed percentage points (``+0.05 pp``); empty for None/NaN."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:+.2f} pp"
