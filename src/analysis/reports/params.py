"""Validation of notebook parameters: fail in the first cell, listing the valid choices.

papermill only warns about misspelled parameters and guesses types (``-p year 007`` is
7, ``-p regions [a,b]`` a string). Every notebook therefore calls these functions in its
first code cell, so an unknown region, indicator or impossible year range stops the run
at once with a message that lists what is valid.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.data.load import UnknownChoice, check_choice, load_observations
from analysis.data.vocab import load_regions
from analysis.metrics.growth import COUNT_INDICATORS


@dataclass(frozen=True)
class SeriesBreak:
    """A year from which a series is on another basis: not like-for-like with the years before."""

    label: str  # short, for a figure legend
    reason: str  # one clause, for tables and text
    no_growth_across: bool = False  # a change of concept: no growth rate is computed across it


CENSUS_REVISION = SeriesBreak(
    "census revision",
    "revised basis (fourth economic census), not like-for-like with earlier years (partly a level shift)",
)
INCOME_CONCEPT = SeriesBreak(
    "income concept",
    "rural income concept changed in 2013: per-capita net income (纯收入) before, disposable income (可支配收入) "
    "from the integrated household survey on; a pre-2013 figure published as disposable income may be either",
)
POVERTY_LINE_CONCEPT = SeriesBreak(
    "poverty-line concept",
    "poverty line on another income concept from 2014: the 2300-yuan line in current prices of rural per-capita "
    "net income (纯收入) for 2011-13, of rural disposable income (可支配收入) from 2014; no growth across the break",
    no_growth_across=True,
)
EXIT_THRESHOLD = SeriesBreak(
    "exit threshold",
    "the 2020 value (printed as an approximate round figure) is the exit threshold announced for 2020, another "
    "concept than the price-indexed line; no growth across the break",
    no_growth_across=True,
)
REGISTER_ADJUSTMENT = SeriesBreak(
    "register adjustment",
    "registered poverty on the register after dynamic adjustment (动态调整) from the break year; the earlier rates "
    "fit the original 2014 建档立卡 register and a 2013 value predates registration (claims audit doc004.k02, k04, "
    "k27: the population base implied by poor population / incidence differs between the start and the end)",
)

SERIES_BREAKS: dict[str, dict[int, SeriesBreak]] = {
    "gdp": {2019: CENSUS_REVISION},
    "gdp_per_capita": {2019: CENSUS_REVISION},
    "rural_disposable_income": {2013: INCOME_CONCEPT},
    "poverty_line_current_prices": {2014: POVERTY_LINE_CONCEPT, 2020: EXIT_THRESHOLD},
}
"""Default break years by indicator (``break_years="auto"``): regional GDP from 2019 is on the
fourth-economic-census basis (``docs/methods.md``, section 5); rural income changed concept in 2013 (the external
figures' README); the poverty line changes income concept in 2014 and its 2020 value is the exit threshold. A
region's register break (``register_break`` of ``data/raw/regions.csv``) is added for its registered poverty
incidence by :func:`series_breaks`."""

REGISTER_INDICATORS = ("poverty_incidence",)
"""Indicators on a region's poverty register: a ``register_break`` of ``regions.csv`` splits them."""


def series_breaks(region: str, indicator: str) -> dict[int, SeriesBreak]:
    """The default breaks of one series: :data:`SERIES_BREAKS` of its indicator and, for a registered
    poverty incidence, the region's register break (``regions.csv``, column ``register_break``).

    >>> sorted(series_breaks("Xiangxi", "poverty_incidence"))
    [2018]
    >>> series_breaks("China", "poverty_incidence")
    {}
    """
    out = dict(SERIES_BREAKS.get(indicator, {}))
    if indicator in REGISTER_INDICATORS:
        regions = load_regions()
        if region in regions.index and "register_break" in regions.columns:
            year = str(regions.at[region, "register_break"]).strip()
            if year:
                out[int(year)] = REGISTER_ADJUSTMENT
    return dict(sorted(out.items()))


GDP_BREAK_YEARS: dict[str, tuple[int, ...]] = {k: tuple(SERIES_BREAKS[k]) for k in ("gdp", "gdp_per_capita")}
"""The GDP breaks alone (the elasticity notes name them for GDP drivers)."""

USER_BREAK = SeriesBreak("series break", "series break given in break_years")


def as_list(value: object, name: str) -> list:
    """Accept a scalar, a list, or a string that spells a list (``"[a, b]"`` or ``"a,b"``)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        v = value.strip()
        if v.startswith("["):
            try:
                parsed = ast.literal_eval(v)
            except (ValueError, SyntaxError):
                raise UnknownChoice(f"parameter {name}={value!r} is not a valid list") from None
            return list(parsed)
        if "," in v:
            return [p.strip() for p in v.split(",") if p.strip()]
        return [v]
    return [value]


def as_year(value: object, name: str) -> int | None:
    """A year parameter: None, or an int between 1978 and 2030."""
    if value is None or value == "":
        return None
    if not isinstance(value, int | float | str):
        raise UnknownChoice(f"parameter {name}={value!r} is not a year")
    try:
        year = int(value)
    except ValueError:
        raise UnknownChoice(f"parameter {name}={value!r} is not a year") from None
    if str(value).strip() != str(year) and not isinstance(value, int):
        raise UnknownChoice(f"parameter {name}={value!r} is not a plain year")
    if not 1978 <= year <= 2030:
        raise UnknownChoice(f"parameter {name}={year} is outside 1978-2030")
    return year


def as_choice(value: object, name: str, valid: Sequence[str]) -> str:
    """A parameter that must be one of ``valid`` (the message lists them)."""
    if not isinstance(value, str) or value not in valid:
        raise UnknownChoice(f"unknown {name} {value!r}; valid choices: {', '.join(valid)}")
    return value


def as_bool(value: object, name: str) -> bool:
    """A boolean parameter (papermill passes ``True``/``False``; strings are accepted)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.lower() in ("true", "yes", "1")
    raise UnknownChoice(f"parameter {name}={value!r} must be True or False")


@dataclass(frozen=True)
class SeriesSpec:
    """A series selected for analysis, with the period and handling it gets."""

    region: str
    indicator: str
    start: int
    end: int
    mode: str
    breaks: tuple[int, ...]
    kinds: tuple[str, ...]
    unit: str
    label: str

    @property
    def series_id(self) -> str:
        return f"{self.region.lower()}.{self.indicator}"

    def break_at(self, year: int) -> SeriesBreak:
        """What the break in ``year`` is (the default breaks' reasons, else a user-given break)."""
        return series_breaks(self.region, self.indicator).get(year, USER_BREAK)


def mode_of(obs: pd.DataFrame, indicator: str) -> str:
    """``rate`` for percentages, ``count`` for poor populations, else ``growth``."""
    if indicator in COUNT_INDICATORS:
        return "count"
    base = obs.loc[obs["indicator"] == indicator, "base_unit"]
    return "rate" if (not base.empty and base.iloc[0] == "fraction") else "growth"


def resolve_series(
    pairs: Sequence[tuple[str, str]],
    start_year: int | None,
    end_year: int | None,
    include_external: bool,
    break_years: object = "auto",
    obs: pd.DataFrame | None = None,
) -> list[SeriesSpec]:
    """Check (region, indicator) pairs and a year range against the data.

    Parameters
    ----------
    pairs : sequence of (region, indicator)
    start_year, end_year : int or None
        None means the first/last observed year of each series. When given, both must be
        observed in every selected series (no interpolation).
    include_external : bool
        Whether external (secondary) values may be used.
    break_years : "auto", list of int, or None
        ``auto`` marks the breaks of :data:`SERIES_BREAKS` (2019 for GDP series: census revision;
        2013 for rural income: change of concept); a list applies to all.

    Raises
    ------
    UnknownChoice
        Unknown region or indicator, impossible range, or unobserved years; the message
        lists the valid choices.
    """
    obs = load_observations() if obs is None else obs
    kinds = ("document", "external", "derived") if include_external else ("document", "derived")
    if start_year is not None and end_year is not None and start_year >= end_year:
        raise UnknownChoice(f"start_year {start_year} must be before end_year {end_year}")
    specs = []
    for region, indicator in pairs:
        check_choice("region", region, obs["region"])
        check_choice(f"indicator for {region}", indicator, obs.loc[obs["region"] == region, "indicator"])
        s = obs[(obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(kinds)]
        years = sorted({int(y) for y in s["year"]})
        if len(years) < 2:
            raise UnknownChoice(
                f"{region} {indicator} has fewer than two observed years with kinds "
                f"{', '.join(kinds)} (observed: {', '.join(map(str, years)) or 'none'})"
            )
        start = years[0] if start_year is None else start_year
        end = years[-1] if end_year is None else end_year
        for y, name in ((start, "start_year"), (end, "end_year")):
            if y not in years:
                raise UnknownChoice(
                    f"{name} {y} is not observed for {region} {indicator}; valid choices: {', '.join(map(str, years))}"
                )
        if start >= end:
            raise UnknownChoice(f"start_year {start} must be before end_year {end} for {region} {indicator}")
        if break_years in ("auto", "default"):  # "default", like every other parameter's sentinel
            breaks = tuple(series_breaks(region, indicator))
        else:
            breaks = tuple(_year(b, "break_years") for b in as_list(break_years, "break_years"))
        unit = s["unit"].iloc[0]
        specs.append(
            SeriesSpec(region, indicator, start, end, mode_of(obs, indicator), breaks, kinds, unit, s["label"].iloc[0])
        )
    return specs


def _year(value: object, name: str) -> int:
    """A year given as a parameter (``2019`` or ``"2019"``), or :class:`UnknownChoice` saying what is valid."""
    try:
        return int(str(value))
    except ValueError:
        raise UnknownChoice(
            f'{name}: {value!r} is not a year; give years (e.g. [2019]), "default" for the series\' own breaks, '
            "or [] for none"
        ) from None


def pairs_from(
    region: object, indicator: object, default: Sequence[tuple[str, str]], valid_regions: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """Turn ``region``/``indicator`` parameters into (region, indicator) pairs.

    ``"default"`` for both gives ``default``; a named region with ``indicator="default"``
    gives that region's default series (and the reverse). One region and several
    indicators (or the reverse) are crossed; two lists of equal length are paired
    element-wise. Unknown regions are refused first, listing ``valid_regions``.
    """
    regions, indicators = as_list(region, "region"), as_list(indicator, "indicator")
    if valid_regions is not None:
        for r in regions:
            if r != "default":
                check_choice("region", r, valid_regions)
    if regions == ["default"] and indicators == ["default"]:
        return list(default)
    if indicators == ["default"]:
        pairs = [(r, i) for r, i in default if r in regions]
        if not pairs:
            raise UnknownChoice(
                f"no default series for {', '.join(regions)}; name the indicator (see "
                "analysis.data.load.series_catalog() for every series)"
            )
        return pairs
    if regions == ["default"]:
        pairs = [(r, i) for r, i in default if i in indicators]
        if not pairs:
            known = set(load_observations()["indicator"])
            for i in indicators:  # a misspelt indicator: name it and the closest ones first
                check_choice("indicator", i, known)
            raise UnknownChoice(f"no default series for indicator {', '.join(indicators)}; name the region too")
        return pairs
    if len(regions) == 1:
        return [(regions[0], i) for i in indicators]
    if len(indicators) == 1:
        return [(r, indicators[0]) for r in regions]
    if len(regions) != len(indicators):
        raise UnknownChoice(
            f"{len(regions)} regions and {len(indicators)} indicators: give one of each, "
            "one and several, or two lists of equal length"
        )
    return list(zip(regions, indicators, strict=True))
