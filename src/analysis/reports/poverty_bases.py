"""How each region's poverty figures are measured, and what that allows.

Poverty incidence and poor population come from two measurement systems
(``poverty_measure`` of ``data/raw/regions.csv``):

* ``registered``: the 建档立卡 register of the poverty offices (Xiangxi, Hunan): registered poor over the
  agricultural-hukou population; the register was re-adjusted (动态调整), so a region may have a
  ``register_break`` (:func:`analysis.reports.params.series_breaks`);
* ``survey``: the NBS rural poverty monitoring survey (China): poor rural residents over the rural
  resident population (China 2011, 12800万 / 13.4%, is the poverty office's count of 扶贫对象 over the rural
  hukou population, not the survey);
* ``not stated``: the source does not say (Wuling).

Figures of different systems are compared only as within-system changes side by side (log changes),
never as level gaps or ratios (:data:`ACROSS_SYSTEMS`).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from analysis.data.vocab import load_indicators, load_regions
from analysis.metrics.compare import Comparison, PeriodChange
from analysis.reports.params import SeriesSpec, series_breaks

ACROSS_SYSTEMS = "different measurement systems"
"""Comparison status of a registered against a survey figure (or one whose system is not stated)."""


def poverty_indicators() -> tuple[str, ...]:
    """Indicators whose population basis depends on the region's measurement system (``indicators.csv``:
    ``system_dependent`` = yes).

    >>> poverty_indicators()
    ('poverty_incidence', 'poor_population', 'poverty_incidence_common_base')
    """
    t = load_indicators()
    return tuple(t.index[t["system_dependent"] == "yes"])


POPULATION_BASIS = {
    "registered": "registered (建档立卡) poor over the agricultural-hukou population (poverty-office register)",
    "survey": "poor rural residents over the rural resident population (NBS rural poverty monitoring survey)",
    "not stated": "measurement system and population basis not stated by the source",
}
"""The population basis of an incidence, by ``poverty_measure`` value (not by region)."""


def poverty_measure(region: str) -> str:
    """``poverty_measure`` of ``region`` in ``regions.csv`` (empty when the region has no poverty figures).

    >>> poverty_measure("Xiangxi"), poverty_measure("China"), poverty_measure("Wuling")
    ('registered', 'survey', 'not stated')
    """
    regions = load_regions()
    if region not in regions.index or "poverty_measure" not in regions.columns:
        return ""
    return str(regions.at[region, "poverty_measure"]).strip()


def population_basis(region: str) -> str:
    """The population an incidence of ``region`` is measured against (one clause)."""
    return POPULATION_BASIS.get(poverty_measure(region), "population basis not recorded")


def across_systems(region_a: str, region_b: str, indicator: str) -> bool:
    """Whether a poverty comparison of two regions crosses measurement systems.

    True when ``indicator`` is a poverty measure and the two regions' systems differ or either is not
    stated.

    >>> across_systems("Xiangxi", "China", "poverty_incidence")
    True
    >>> across_systems("Xiangxi", "Hunan", "poverty_incidence")
    False
    """
    if indicator not in poverty_indicators():
        return False
    a, b = poverty_measure(region_a), poverty_measure(region_b)
    return a != b or "not stated" in (a, b)


def certified_exits(obs: pd.DataFrame, region: str, end: int) -> tuple[float, str] | None:
    """Cumulative certified exits from the register by the end of ``end``, with its formula.

    The latest cumulative reduction (``poverty_reduction_cumulative``, 万人) before ``end`` plus the
    people lifted out of poverty (``poor_population_lifted``) in each later year up to ``end``. ``None``
    when the data lack either part. The fall of a registered poor population equals this flow, so the
    fall is an administrative identity, not a measured change of a stock.
    """
    pref = obs[(obs["region"] == region) & (obs["preferred"].fillna("yes") != "no")]
    # The two flows of the register identity (stock fall = cumulative exits + yearly exits): named here because
    # the identity itself is the method, not a fact about one indicator.
    cum = pref[(pref["indicator"] == "poverty_reduction_cumulative") & (pref["year"] < end) & (pref["unit"] == "万人")]
    if cum.empty:
        return None
    c = cum.sort_values("year").iloc[-1]
    lifted = pref[(pref["indicator"] == "poor_population_lifted") & (pref["year"] > c["year"]) & (pref["year"] <= end)]
    if set(lifted["year"].astype(int)) != set(range(int(c["year"]) + 1, end + 1)):
        return None
    parts = [float(c["value"])] + [float(v) / 10_000 for v in lifted["value_base"].astype(float)]
    total = math.fsum(parts)
    formula = (
        f"{float(c['value']):g}万 exited by end-{int(c['year'])} + "
        + " + ".join(f"{p:g}万 in {int(y)}" for p, y in zip(parts[1:], lifted["year"], strict=True))
        + f" = {total:.2f}万"
    )
    return total, formula


def systems_note(region: str, benchmark: str) -> str:
    """The note of a comparison across measurement systems: both population bases and what is compared."""
    return (
        f"{ACROSS_SYSTEMS}: {region}: {population_basis(region)}; {benchmark}: {population_basis(benchmark)}; "
        "only within-system changes are set side by side (log changes), never a level gap or ratio"
    )


def levels_side_by_side(c: Comparison, note: str) -> Comparison:
    """A level comparison across measurement systems: both values kept, gap and ratio removed."""
    return replace(
        c,
        ratio=None,
        gap=None,
        gap_unit="",
        status=ACROSS_SYSTEMS,
        note="; ".join(n for n in (note, c.note) if n),
    )


def changes_side_by_side(a: PeriodChange, b: PeriodChange, metric: str, note: str) -> Comparison:
    """Each side's log change over its own period, side by side (``value``, ``benchmark_value``), not differenced.

    The Xiangxi incidence 2016-19 against China's: ln(0.65/16.14) = -3.21 and ln(0.6/4.5) = -2.01.
    """
    same = (a.start.year, a.end.year) == (b.start.year, b.end.year)
    detail = (
        f"{a.start.region} log change {a.log_change:+.2f} over {a.period} ({a.log_change / a.years:+.3f} a year; "
        f"{a.start.value:g} to {a.end.value:g} {a.start.unit}); {b.start.region} {b.log_change:+.2f} over {b.period} "
        f"({b.log_change / b.years:+.3f} a year; {b.start.value:g} to {b.end.value:g} {b.start.unit})"
    )
    for c in (a, b):
        crossed = [y for y in series_breaks(c.start.region, c.start.indicator) if c.start.year < y <= c.end.year]
        detail += "".join(
            f"; {c.start.region}'s change crosses its {y} register break (adjusted register from {y}; "
            "claims audit doc004.k02, k04, k27)"
            for y in crossed
        )
    kinds = f"{a.start.kind} {a.end.kind} vs {b.start.kind} {b.end.kind}"
    return Comparison(
        metric,
        a.start.region,
        b.start.region,
        a.period if same else f"{a.period} vs {b.period}",
        a.log_change,
        b.log_change,
        None,
        None,
        "; ".join((note, detail)),
        "log change",
        "log change",
        "",
        ACROSS_SYSTEMS,
        kinds,
    )


def row_notes(sp: SeriesSpec, row: pd.Series, obs: pd.DataFrame) -> list[str]:
    """Notes of a growth-table row of a poverty series: population basis, the register break the window crosses
    (with the claims audit's finding), and for a registered poor population the certified exits its fall equals.
    Empty for other series."""
    if sp.indicator not in poverty_indicators():
        return []
    bits = [f"population basis: {population_basis(sp.region)}"]
    crossed = [int(y) for y in str(row.get("crosses_break") or "").split() if y.isdigit()]
    bits += [f"{b}: {sp.break_at(b).reason}; see the {sp.region} common-base row" for b in crossed]
    # The derived common-base series and the registered stock whose fall is the exits identity (the method).
    if sp.indicator == "poverty_incidence_common_base":
        bits.append("derived: the start year's poor population over the end year's base (poor / incidence)")
    if sp.indicator == "poor_population" and poverty_measure(sp.region) == "registered":
        exits = certified_exits(obs, sp.region, int(row["end_year"]))
        if exits is not None:
            bits.append(
                f"the fall equals cumulative certified exits ({exits[1]}): an administrative flow identity, "
                "not a measured change of a stock"
            )
    return bits
