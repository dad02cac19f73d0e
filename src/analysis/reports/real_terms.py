"""Which price index makes a series real, and the real growth of a series over a window.

Shared by the growth, comparison and elasticity reports: the one place that applies the
deflator rules. The rules are facts of the vocabulary (``deflator``,
``real_growth_indicator``, ``price_index`` and ``real_note`` columns of
``data/raw/indicators.csv``, read by :mod:`analysis.data.deflators`); the formulas are in
:mod:`analysis.metrics.prices`. For a series with deflator

* ``rural_cpi`` (rural incomes, assistance standards, the poverty line) or ``urban_cpi``
  (urban income and standards): that index of the series' own region, else of the country
  (the region of ``regions.csv`` without a parent, :func:`analysis.data.vocab.national_region`),
  where it is observed for every year of the window; else the CPI of all residents of the
  region, else of the country, for the whole window. One index per window, never a mix. Any
  other index is a proxy and the row says so, with the years the right index lacks
  (``China CPI (proxy: the rural CPI lacks 2016, 2018; ...)``), computed from the data;
* ``cpi``: the region's CPI, else the country's;
* ``volume`` (GDP): never a CPI. The region's official real growth rates
  (``real_growth_indicator``, 比上年增长) are chained into a volume index; where a year
  is missing, no real value;
* ``none`` (GDP per capita): no real value, with the vocabulary's ``real_note``;
* empty (rates and counts: poverty incidence, poor population): not deflated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.data.deflators import GENERAL_CPI, VOLUME, default_rules, kind_label
from analysis.data.load import load_observations
from analysis.data.vocab import national_region
from analysis.metrics import prices as pr
from analysis.metrics.growth import MIN_TREND_POINTS, cagr, trend_growth

PRICES = ("both", "nominal", "real")
"""Valid values of the reports' ``prices`` parameter (``both`` is the default)."""


def _rates(obs: pd.DataFrame, region: str, indicator: str, kinds: tuple[str, ...]) -> dict[int, float]:
    """Observed annual rates (fractions) of one series, one per year (the data's preferred value)."""
    s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(kinds))]
    if "preferred" in s.columns:
        s = s[s["preferred"].astype(str).str.lower().isin(["yes", "true", ""])]
    s = s.sort_values("year").drop_duplicates("year")
    return {int(y): float(v) for y, v in zip(s["year"], s["value_base"], strict=False)}


def _cpi(obs: pd.DataFrame, region: str, kind: str, kinds: tuple[str, ...], for_region: str, wanted: str):
    indicator = default_rules().price_indicator(kind)
    what = kind_label(kind)
    rates = _rates(obs, region, indicator, kinds) if indicator else {}
    return pr.PriceIndex(
        f"{region} {what}", region, indicator, rates, "cpi", what=what, wanted=kind_label(wanted), for_region=for_region
    )


def candidates(region: str, indicator: str, kinds: tuple[str, ...], obs: pd.DataFrame | None = None) -> list:
    """Price indices for a series, in order of preference (empty: no real value possible).

    Only indices with at least one observed rate are listed; :func:`analysis.metrics.prices.choose_index`
    takes the first that covers a window and labels it.
    """
    obs = load_observations() if obs is None else obs
    rule = default_rules().rule(indicator)
    if rule.deflator == VOLUME:
        rates = _rates(obs, region, rule.real_growth_indicator, kinds)
        label = f"{region} official real GDP growth (chained volume index)"
        return [pr.PriceIndex(label, region, rule.real_growth_indicator, rates, "volume", for_region=region)]
    if not rule.by_cpi:
        return []
    national = national_region()  # its index stands in where the region has none of its own
    order = [(region, rule.deflator), (national, rule.deflator), (region, GENERAL_CPI), (national, GENERAL_CPI)]
    out = [_cpi(obs, r, k, kinds, region, rule.deflator) for r, k in dict.fromkeys(order)]
    return [c for c in out if c.rates]


def is_money(indicator: str) -> bool:
    """Whether the indicator is a money amount that has (or lacks) a real counterpart."""
    return default_rules().rule(indicator).is_money


def no_real_reason(indicator: str) -> str:
    """Why a money series has no real counterpart at all (``deflator`` ``none``); ``""`` otherwise."""
    rule = default_rules().rule(indicator)
    return rule.real_note if rule.deflator == "none" else ""


@dataclass
class RealGrowth:
    """Real growth of one series over one window (or why there is none).

    ``real_cagr`` is None when refused; ``reason`` then says why (missing years named).
    ``official`` is the chained official real growth over the window where NBS publishes
    it, and ``gap`` the CPI-deflated CAGR minus it (fractions a year). ``index`` names the
    index used (with its proxy note), ``index_series`` its series and ``proxy`` the note
    alone (empty when the index is the series' own).
    """

    start: int
    end: int
    index: str = ""
    index_series: str = ""
    proxy: str = ""
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
    rule = default_rules().rule(indicator)
    if no_real_reason(indicator):
        out.reason = no_real_reason(indicator)
        return out
    cands = candidates(region, indicator, kinds, obs)
    if not cands:
        if rule.is_money:
            what = "official real growth" if rule.deflator == VOLUME else "price index"
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
    out.index, out.index_series, out.proxy, out.base_year = idx.description, idx.series_id, idx.proxy, start
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
    off_ind = rule.real_growth_indicator
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
