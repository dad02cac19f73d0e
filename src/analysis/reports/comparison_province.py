"""The provincial benchmark: each selected region inside a province set against it.

Section ``province`` of the comparison table. The run's notebook parameters name the
province, the indicators and the CAGR windows (``province``, ``province_indicators``,
``province_windows``); everything else comes from the vocabularies:

* which regions lie inside the province: ``regions.csv`` (``parent``);
* whether a part's value is a **share** of the whole (``additive`` in ``indicators.csv``:
  GDP) or a **ratio** (GDP per capita, income) or, for rates, a gap in percentage points;
* the indicator of the official **real growth** of a level (``real_growth``);
* the province's **minimum** or **average** standards of a region's own standard
  (``statistic``, ``statistic_of``), with the monthly or annual nature of each from its
  unit (``units.csv``: 元/月, 元/年).

Rows (each a :class:`~analysis.metrics.compare.Comparison`):

* ``<indicator>: share of <province>`` / ``relative to <province>`` / ``gap to <province>``
  at every year observed on both sides (nothing interpolated);
* ``<indicator>: CAGR difference with <province>`` over each window whose two ends are
  observed on both sides: region CAGR minus province CAGR (percentage points a year,
  convergence when positive for a poorer region); a window that crosses a series break
  (:data:`analysis.reports.params.SERIES_BREAKS`: the 2019 census revision of GDP) is
  labelled as such, one on one side of it as like for like;
* ``<indicator>: real CAGR difference with <province>`` only where both sides' official
  real growth is observed for every year of the window, else a refused row whose reason
  names the missing years of each side;
* ``<indicator> / <statistic indicator>``: the region's own standard against the
  province's minimum (a floor, never an average) or average of the same year, a monthly
  figure annualised explicitly (x 12) first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis.data import vocab
from analysis.data.load import UnknownChoice, alternatives, check_choice, get_series
from analysis.metrics import prices as pr
from analysis.metrics.compare import (
    Comparison,
    ComparisonError,
    Point,
    annualise_monthly,
    compare_changes,
    gap,
    mode_for,
    not_compared,
    period_change,
    point_from_row,
    ratio_to_benchmark,
)
from analysis.metrics.convergence import common_years
from analysis.reports.params import SERIES_BREAKS, as_list, as_year

SECTION = "province"

STATISTIC_WORDS = {
    "minimum": "a minimum (floor) that every area's standard must reach: not an average, and not {region}'s own standard",
    "average": "an average over {province}'s areas: not {region}'s own standard",
}
"""How a province's ``statistic`` (indicators.csv) is described beside a region's own standard."""

CHANGE_WORDS = {"growth": "CAGR difference", "rate": "change difference (pp)", "count": "share-remaining difference"}


@dataclass(frozen=True)
class ProvinceSpec:
    """The provincial benchmark of a run: the province, the regions inside it, indicators and windows."""

    province: str
    parts: tuple[str, ...]
    indicators: tuple[str, ...]
    windows: tuple[tuple[int, int], ...]
    kinds: tuple[str, ...]


def prepare_province(
    province: object,
    regions: object,
    indicators: object,
    windows: object,
    kinds: Sequence[str],
    obs: pd.DataFrame,
) -> ProvinceSpec | None:
    """Validate the provincial parameters of a comparison run (None: no provincial section).

    Parameters
    ----------
    province : str or None
        A region of ``regions.csv`` with observations (e.g. ``"Hunan"``).
    indicators : list of str
        Indicators of ``indicators.csv`` (the region's own: the province's minimum and
        average standards of them are found through ``statistic_of``).
    windows : list of [start, end]
        CAGR windows, the first one the lead (e.g. ``[[2013, 2018], [2013, 2019]]``).
    regions : list of str
        Regions inside the province (the ``parent`` chain of ``regions.csv``) to set against it.
    kinds, obs
        The run's kinds and observations.

    Raises
    ------
    UnknownChoice
        Unknown province, a region not inside it, an unknown indicator, or a window that is not
        two years in order.
    """
    if province is None or province == "":
        return None
    check_choice("province (a region with observations)", province, obs["region"])
    known = vocab.load_indicators().index
    inds = [str(i) for i in as_list(indicators, "province_indicators")]
    if not inds:
        raise UnknownChoice("province_indicators is empty; valid choices: " + ", ".join(sorted(known)))
    for i in inds:
        check_choice("province_indicators entry (an indicator of data/raw/indicators.csv)", i, known)
    wins: list[tuple[int, int]] = []
    for w in as_list(windows, "province_windows"):
        pair = as_list(w, "province_windows entry")
        ys = [as_year(y, "province_windows year") for y in pair]
        start, end = (ys[0], ys[1]) if len(ys) == 2 else (None, None)
        if start is None or end is None or start >= end:
            raise UnknownChoice(
                f"province_windows entry {w!r} must be [start, end] with start < end, e.g. [2013, 2018]"
            )
        wins.append((start, end))
    inside = [r for r in vocab.load_regions().index if vocab.contains(str(province), r)]
    parts = [str(r) for r in as_list(regions, "province_regions")]
    if not parts:
        raise UnknownChoice(f"province_regions is empty; valid choices (inside {province}): {', '.join(inside)}")
    for r in parts:
        check_choice(f"province_regions entry (a region inside {province}, regions.csv parent)", r, inside)
    return ProvinceSpec(
        str(province), tuple(dict.fromkeys(parts)), tuple(dict.fromkeys(inds)), tuple(dict.fromkeys(wins)), tuple(kinds)
    )


# ------------------------------------------------------------------------------------ helpers


def default_series(spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str) -> pd.DataFrame:
    """The default series (one row a year; alternatives never) with the run's kinds, or an empty frame."""
    have = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(spec.kinds))]
    if have.empty:
        return have
    return get_series(region, indicator, spec.kinds)


def _points(rows: pd.DataFrame) -> dict[int, Point]:
    return {int(r["year"]): point_from_row(r) for _, r in rows.iterrows()}


def label_in_sentence(indicator: str) -> str:
    """The indicator's label (indicators.csv) for use inside a sentence: ``GDP``, ``rural dibao standard``."""
    label = vocab.indicator_fact(indicator, "label")
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def year_list(d: Iterable[int]) -> str:
    """``2013, 2016, 2019`` (sorted), or ``no year``."""
    ys = sorted(d)
    return ", ".join(map(str, ys)) or "no year"


def _note(c: Comparison, *notes: str) -> Comparison:
    return replace(c, note="; ".join(n for n in (*notes, c.note) if n))


def significant_digits(printed: str) -> int | None:
    """Significant digits of the first number in a printed value (``"3.12"`` -> 3, ``"2,450.17"`` -> 6).

    >>> significant_digits("3.12"), significant_digits("60.505 billion CNY"), significant_digits("585")
    (3, 5, 3)
    """
    m = re.search(r"\d[\d,]*(?:\.\d+)?", str(printed))
    if not m:
        return None
    digits = m.group(0).replace(",", "").replace(".", "").lstrip("0")
    return len(digits) or None


def rounding_notes(rows: pd.DataFrame, years: Sequence[int]) -> list[str]:
    """A note for each value of ``years`` printed with three significant digits or fewer.

    ``Hunan 2016 printed as 3.12 trillion yuan (3 significant digits: ±0.005 trillion yuan, ±0.16%)``.
    """
    out = []
    for _, r in rows[rows["year"].isin(list(years))].iterrows():
        printed = str(r.get("value_printed", "") or "")
        n = significant_digits(printed)
        if n is None or n > 3:
            continue
        num = re.search(r"\d[\d,]*(?:\.\d+)?", printed)
        dec = len(num.group(0).split(".")[1]) if num and "." in num.group(0) else 0
        unit = str(r.get("unit_printed", "") or r["unit"])
        sep = "" if unit == "%" else " "
        half = 0.5 * 10.0**-dec
        printed_value = float(num.group(0).replace(",", "")) if num else float(r["value"])
        rel = half / printed_value
        out.append(
            f"{r['region']} {int(r['year'])} printed as {printed}{sep}{unit} ({n} significant digits: "
            f"±{half:g}{sep}{unit}, ±{100 * rel:.2f}%)"
        )
    return out


def _break_note(indicator: str, year: int, first: int, region: str, province: str) -> str:
    """The revised-basis note of a level comparison in a year on or after a series break that follows ``first``."""
    return "; ".join(
        f"{year} on the revised basis for both {region} and {province} ({s.label}): not like for like with {first}"
        for b, s in SERIES_BREAKS.get(indicator, {}).items()
        if year >= b > first
    )


def window_label(indicator: str, y0: int, y1: int) -> str:
    """``like for like: ...`` or ``crosses the 2019 census revision: ...`` for a window of a series."""
    breaks = SERIES_BREAKS.get(indicator, {})
    crossed = [(b, s) for b, s in breaks.items() if y0 < b <= y1]
    if crossed:
        return "; ".join(f"crosses the {b} {s.label}: {s.reason}" for b, s in crossed)
    before = [f"the {b} {s.label}" for b, s in breaks.items() if b > y1]
    after = [f"the {b} {s.label}" for b, s in breaks.items() if b <= y0]
    if before:
        return f"like for like: {y0} and {y1} both before {', '.join(before)}"
    if after:
        return f"like for like: {y0} and {y1} both on the basis from {', '.join(after)}"
    return "like for like: no series break recorded for this indicator"


# ------------------------------------------------------------------------------------ rows


def level_rows(spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str) -> list[Comparison]:
    """Share (additive indicators), ratio (other levels) or gap (rates) at every common year."""
    prov = spec.province
    ra, rb = default_series(spec, obs, region, indicator), default_series(spec, obs, prov, indicator)
    a, b = _points(ra), _points(rb)
    additive = vocab.indicator_fact(indicator, "additive") == "yes"
    rate = any(x.base_unit == "fraction" for x in (*a.values(), *b.values()))
    what = "gap to" if rate else ("share of" if additive else "relative to")
    metric = f"{indicator}: {what} {prov}"
    if not a or not b:
        who = [x for x, d in ((region, a), (prov, b)) if not d]
        return [
            not_compared(
                metric,
                None,
                prov,
                f"{' and '.join(who)} {'has' if len(who) == 1 else 'have'} no {label_in_sentence(indicator)} ({indicator}) with "
                f"kinds {', '.join(spec.kinds)}",
                status="not observed",
                region=region,
                year_or_period="",
            )
        ]
    years = common_years(a, b)
    if not years:
        return [
            not_compared(
                metric,
                None,
                prov,
                f"no common year: {region} {year_list(a)}; {prov} {year_list(b)}; nothing is interpolated",
                status="not observed",
                region=region,
                year_or_period=f"{year_list(a)} vs {year_list(b)}",
            )
        ]
    out = []
    part = f"{region} is part of {prov} (regions.csv): the provincial figure includes {region}'s own"
    for y in years:
        c = gap(a[y], b[y], metric=metric) if rate else ratio_to_benchmark(a[y], b[y], metric=metric)
        notes = [part if not additive else f"share of a whole that includes {region}"]
        notes += [_break_note(indicator, y, years[0], region, prov), *rounding_notes(ra, [y]), *rounding_notes(rb, [y])]
        if rate:
            for rr in (ra, rb):
                basis = rr.loc[rr["year"] == y, "basis"]
                if len(basis) and str(basis.iloc[0]):
                    notes.append(f"{rr['region'].iloc[0]} {y} basis: {basis.iloc[0]}")
        out.append(_note(c, *notes))
    return out


def official_rates(spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str) -> dict[int, float]:
    """Observed official rates of a region (fractions by year) with the run's kinds."""
    s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(spec.kinds))]
    s = s.sort_values("year").drop_duplicates("year")
    return {int(y): float(v) for y, v in zip(s["year"], s["value_base"], strict=True)}


def real_row(
    spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str, y0: int, y1: int, nominal: Comparison
) -> Comparison:
    """The real CAGR difference from both sides' official real growth, or why there is none (nominal only)."""
    prov = spec.province
    metric = f"{indicator}: real CAGR difference with {prov}"
    period = f"{y0}-{y1}"
    real_ind = vocab.indicator_fact(indicator, "real_growth_indicator")
    if not real_ind:
        return not_compared(
            metric,
            None,
            prov,
            f"nominal only: no official real growth is recorded for {label_in_sentence(indicator)} (data/raw/indicators.csv, "
            "column real_growth_indicator), and a CPI is not an output deflator",
            region=region,
            year_or_period=period,
        )
    rates = {r: official_rates(spec, obs, r, real_ind) for r in (region, prov)}
    missing = {r: pr.missing_years(rates[r], y0, y1) for r in (region, prov)}
    if any(missing.values()):
        parts = [
            f"{r} lacks {', '.join(map(str, m))} (observed: {year_list(rates[r])})" for r, m in missing.items() if m
        ]
        return not_compared(
            metric,
            None,
            prov,
            f"nominal only: the official real growth ({real_ind}) does not cover every year {y0 + 1}-{y1} on both "
            f"sides: {'; '.join(parts)}; nothing is interpolated",
            region=region,
            year_or_period=period,
        )
    ga, gb = pr.chained_growth(rates[region], y0, y1), pr.chained_growth(rates[prov], y0, y1)
    return replace(
        nominal,
        metric=metric,
        value=ga,
        benchmark_value=gb,
        ratio=ga / gb if gb else None,
        gap=ga - gb,
        note=f"real: each side's official real growth ({real_ind}) chained over {y0 + 1}-{y1}; "
        + window_label(indicator, y0, y1),
    )


def window_rows(spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str) -> list[Comparison]:
    """For each window: the change difference (nominal CAGR difference for levels), then the real one or its refusal."""
    prov = spec.province
    a, b = _points(default_series(spec, obs, region, indicator)), _points(default_series(spec, obs, prov, indicator))
    if not a or not b:
        return []
    out: list[Comparison] = []
    for y0, y1 in spec.windows:
        period = f"{y0}-{y1}"
        mode = mode_for(a[min(a)])
        metric = f"{indicator}: {CHANGE_WORDS.get(mode, 'change difference')} with {prov}"
        missing = [f"{r} {y}" for r, d in ((region, a), (prov, b)) for y in (y0, y1) if y not in d]
        if missing:
            alt = []
            for r, d in ((region, a), (prov, b)):
                al = alternatives(r, indicator)
                for _, x in al.iterrows():
                    if int(x["year"]) in (y0, y1) and int(x["year"]) not in d:
                        alt.append(
                            f"{r} {int(x['year'])} exists only as an unverified alternative ({x['obs_id']}, "
                            "preferred=no), left out of the default series"
                        )
            out.append(
                not_compared(
                    metric,
                    None,
                    prov,
                    f"not observed: {', '.join(missing)} (observed: {region} {year_list(a)}; {prov} {year_list(b)}); "
                    + "; ".join([*alt, "nothing is interpolated"]),
                    status="not observed",
                    region=region,
                    year_or_period=period,
                )
            )
            continue
        ca, cb = period_change(a[y0], a[y1], mode), period_change(b[y0], b[y1], mode)
        try:
            c = compare_changes(ca, cb, metric=metric)
        except ComparisonError as exc:
            out.append(not_compared(metric, a[y0], prov, str(exc), region=region, year_or_period=period))
            continue
        r0, r1 = ca.start.base / cb.start.base, ca.end.base / cb.end.base
        notes = [window_label(indicator, y0, y1)]
        if mode == "growth":
            notes.append("nominal (current prices)")
            if vocab.indicator_fact(indicator, "additive") == "yes":
                notes.append(f"{region}'s share of {prov} {100 * r0:.3f}% in {y0}, {100 * r1:.3f}% in {y1}")
            else:
                towards = abs(math.log(r1)) < abs(math.log(r0))
                notes.append(
                    f"ratio to {prov} {r0:.4f} in {y0}, {r1:.4f} in {y1}: "
                    + ("converging (moving towards 1)" if towards else "diverging (moving away from 1)")
                )
        out.append(_note(c, *notes))
        if mode == "growth":
            out.append(real_row(spec, obs, region, indicator, y0, y1, c))
    return out


def statistic_rows(spec: ProvinceSpec, obs: pd.DataFrame, region: str, indicator: str) -> list[Comparison]:
    """The region's own standard beside the province's minimum or average of the same year (monthly x 12 first)."""
    prov = spec.province
    own = _points(default_series(spec, obs, region, indicator))
    out: list[Comparison] = []
    for stat_ind in vocab.statistics_of(indicator):
        stat = vocab.indicator_fact(stat_ind, "statistic")
        words = STATISTIC_WORDS[stat].format(region=region, province=prov)
        metric = f"{indicator} / {stat_ind}"
        for y, q in sorted(_points(default_series(spec, obs, prov, stat_ind)).items()):
            notes = [f"{prov} {y}: {label_in_sentence(stat_ind)}, {words}"]
            bench = q
            if q.base_unit == "yuan/month":
                bench = annualise_monthly(q)
                notes.append(f"converted explicitly: {q.value:g} {q.unit} x 12 = {bench.value:g} {bench.unit}")
            p = own.get(y)
            if p is not None and p.base_unit == "yuan/month" and q.base_unit == "yuan/month":
                bench = q
            if p is None:
                why = (
                    f"{region} has no {label_in_sentence(indicator)} ({indicator}) in the data"
                    if not own
                    else f"{region}'s {label_in_sentence(indicator)} is observed in {year_list(own)}, not {y}; nothing is interpolated"
                )
                out.append(
                    not_compared(
                        metric,
                        None,
                        prov,
                        f"{why}; {prov}'s figure stands alone: " + "; ".join(notes),
                        status="not observed",
                        benchmark_point=bench,
                        region=region,
                        year_or_period=str(y),
                    )
                )
                continue
            try:
                c = ratio_to_benchmark(p, bench, metric=metric)
            except ComparisonError as exc:
                out.append(not_compared(metric, p, prov, str(exc), benchmark_point=bench))
                continue
            if c.ratio is not None and math.isclose(c.ratio, 1.0):
                notes.insert(0, f"{region}'s standard equals {prov}'s {stat}")
            out.append(_note(c, *notes))
    return out


def province_comparisons(spec: ProvinceSpec | None, obs: pd.DataFrame) -> list[Comparison]:
    """Every row of the provincial section (empty without a province)."""
    if spec is None:
        return []
    if not spec.parts:
        return [
            not_compared(
                f"provincial benchmark {spec.province}",
                None,
                spec.province,
                f"no selected region lies inside {spec.province} (data/raw/regions.csv, parent)",
                status="not observed",
                region="",
                year_or_period="",
            )
        ]
    rows: list[Comparison] = []
    for r in spec.parts:
        for ind in spec.indicators:
            own = ((obs["region"] == spec.province) & (obs["indicator"] == ind)).any()
            if own or not vocab.statistics_of(ind):  # a province with only a minimum or an average: those rows
                rows += level_rows(spec, obs, r, ind)
                rows += window_rows(spec, obs, r, ind)
            rows += statistic_rows(spec, obs, r, ind)
    return rows
