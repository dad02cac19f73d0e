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
from typing import Any

import pandas as pd

from analysis.data.breaks import SeriesBreak, indicator_breaks, load_series_breaks, register_break
from analysis.data.load import KINDS, UnknownChoice, check_choice, did_you_mean, load_observations
from analysis.data.vocab import load_regions
from analysis.metrics.growth import COUNT_INDICATORS
from analysis.reports.outputs import Outputs, check_run_name, resolve


def series_breaks(region: str, indicator: str) -> dict[int, SeriesBreak]:
    """The default breaks of one series (``break_years="default"``), by year.

    The dated breaks of its indicator in ``data/raw/series_breaks.csv`` (:mod:`analysis.data.breaks`)
    and, where that file gives the indicator a ``register`` break (registered poverty incidence),
    the region's ``register_break`` of ``data/raw/regions.csv``.

    >>> sorted(series_breaks("Xiangxi", "poverty_incidence"))
    [2018]
    >>> series_breaks("China", "poverty_incidence")
    {}
    """
    out = indicator_breaks(indicator)
    register = register_break(indicator)
    if register is not None:
        regions = load_regions()
        if region in regions.index and "register_break" in regions.columns:
            year = str(regions.at[region, "register_break"]).strip()
            if year:
                out[int(year)] = register
    return dict(sorted(out.items()))


def revision_years(indicator: str) -> tuple[int, ...]:
    """Years of the indicator's revision breaks (``revision`` = yes in ``series_breaks.csv``: a new vintage).

    >>> revision_years("gdp"), revision_years("rural_disposable_income")
    ((2019,), ())
    """
    return tuple(y for y, b in indicator_breaks(indicator).items() if b.revision)


def _legacy(name: str) -> Any:
    """The names params.py had before the breaks moved to ``series_breaks.csv`` (callers on other branches).

    ``SERIES_BREAKS`` (indicator -> year -> break), ``GDP_BREAK_YEARS`` (indicator -> revision years)
    and the break constants (``CENSUS_REVISION`` ...: the label in capitals) are computed from the file.
    """
    rows = load_series_breaks()
    if name == "SERIES_BREAKS":
        return {ind: indicator_breaks(ind) for ind in dict.fromkeys(r.indicator for r in rows if r.year is not None)}
    if name == "GDP_BREAK_YEARS":
        return {ind: revision_years(ind) for ind in dict.fromkeys(r.indicator for r in rows if r.brk.revision)}
    for r in rows:
        if r.brk.label.upper().replace("-", "_").replace(" ", "_") == name:
            return r.brk
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __getattr__(name: str) -> Any:
    if name.isupper():
        return _legacy(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    """A parameter that must be one of ``valid`` (the message lists them, and the closest ones)."""
    if not isinstance(value, str) or value not in valid:
        raise UnknownChoice(f"unknown {name} {value!r}; valid choices: {', '.join(valid)}{did_you_mean(value, valid)}")
    return value


def as_bool(value: object, name: str) -> bool:
    """A boolean parameter (papermill passes ``True``/``False``; strings are accepted)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.lower() in ("true", "yes", "1")
    raise UnknownChoice(f"parameter {name}={value!r} must be True or False")


def kinds_for(include_external: object) -> tuple[str, ...]:
    """The kinds of value a run uses: every kind (:data:`analysis.data.load.KINDS`), less ``external``
    when ``include_external`` is False. The one rule of every report.

    >>> kinds_for(True), kinds_for("False")
    (('document', 'external', 'derived'), ('document', 'derived'))
    """
    ext = as_bool(include_external, "include_external")
    return tuple(KINDS) if ext else tuple(k for k in KINDS if k != "external")


@dataclass(frozen=True)
class RunBase:
    """The parameters every report run shares, each checked by one rule (:func:`run_base`)."""

    run_name: str
    """The file stem of the run's tables and figures (:func:`analysis.reports.outputs.check_run_name`)."""
    include_external: bool
    kinds: tuple[str, ...]
    """The kinds of value the run uses (:func:`kinds_for`)."""
    where: Outputs
    """Where the run writes (:func:`analysis.reports.outputs.resolve`; nothing created yet)."""

    def outputs(self, announce: bool = True) -> Outputs:
        """Create the run's output folders and say where they are (the first output of a run)."""
        return self.where.open(announce)


def run_base(run_name: object, include_external: object = True, output_dir: object = None) -> RunBase:
    """Check the parameters every report's ``prepare()`` has: ``run_name``, ``include_external``, ``output_dir``.

    Parameters
    ----------
    run_name : str
        A file stem (one rule and one message for every report; ``../x`` is refused).
    include_external : bool
        Whether external (secondary) values may be used; ``True``/``False`` or their spellings
        (``"false"``, ``"no"``, ``0`` ...: :func:`as_bool`).
    output_dir : str or Path, optional
        Where the run writes (:mod:`analysis.reports.outputs`: the parameter, else the build's
        folder, else ``build/interactive/<run_name>/``).

    Returns
    -------
    RunBase
        Nothing is written until :meth:`RunBase.outputs`.

    Raises
    ------
    UnknownChoice
        On a run name that is not a file stem, an ``include_external`` that is not a boolean, or
        an ``output_dir`` that is not a path.

    Examples
    --------
    >>> base = run_base("growth_rates_real", False, "build/variants/mine")
    >>> base.kinds, base.where.where
    (('document', 'derived'), 'build/variants/mine/')
    """
    name = check_run_name(run_name)
    return RunBase(
        name, as_bool(include_external, "include_external"), kinds_for(include_external), resolve(output_dir, name)
    )


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
        ``auto`` (or ``default``) marks each series' breaks (:func:`series_breaks`, from
        ``data/raw/series_breaks.csv``); a list applies to all.

    Raises
    ------
    UnknownChoice
        Unknown region or indicator, impossible range, or unobserved years; the message
        lists the valid choices.
    """
    obs = load_observations() if obs is None else obs
    kinds = kinds_for(include_external)
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
