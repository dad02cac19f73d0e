"""The start-here notebook: parameter checks and citation helpers.

``notebooks/00_start_here.ipynb`` is the template an economist copies to start an
analysis of their own. It calls the loading API, :mod:`analysis.metrics` and
:mod:`analysis.reports.figures` directly, so that each step is visible; this module holds
only what would clutter it: validating the parameters (an unknown region, indicator,
observation or year fails at once with the valid choices) and formatting a citation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data.load import UnknownChoice, check_choice, get_series, load_observations
from analysis.reports.outputs import Outputs
from analysis.reports.params import as_year, run_base


@dataclass(frozen=True)
class StartHere:
    """The validated parameters of the start-here notebook."""

    region: str
    indicator: str
    obs_id: str
    outcome: str
    driver: str
    start: int
    end: int
    kinds: tuple[str, ...]
    out: Outputs
    name: str


def observed_years(region: str, indicator: str, kinds: tuple[str, ...]) -> list[int]:
    """The years in which ``region``'s ``indicator`` is observed (in the kinds used)."""
    return [int(y) for y in get_series(region, indicator, kinds=kinds)["year"]]


def _check_year(year: int, region: str, indicator: str, kinds: tuple[str, ...], name: str) -> None:
    years = observed_years(region, indicator, kinds)
    if year not in years:
        raise UnknownChoice(
            f"{name}={year}: {region} {indicator} is not observed in {year} "
            f"({'/'.join(kinds)} values); observed years: {', '.join(map(str, years)) or 'none'}"
        )


def prepare(
    region: object,
    indicator: object,
    obs_id: object,
    outcome: object,
    driver: object,
    start_year: object,
    end_year: object,
    include_external: object = True,
    output_dir: object = None,
    run_name: object = "start_here",
) -> StartHere:
    """Validate the notebook's parameters.

    The choices have no defaults here: the run is defined by the notebook's parameters cell
    (``notebooks/00_start_here.ipynb``), which passes each of them.

    Raises
    ------
    UnknownChoice
        Naming the parameter and listing the valid choices (regions, the region's
        indicators, observation ids of the region, observed years).
    """
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    obs = load_observations()
    check_choice("region", region, obs["region"])
    mine = obs[obs["region"] == region]
    for name, value in (("indicator", indicator), ("outcome", outcome), ("driver", driver)):
        check_choice(f"{name} for {region}", value, mine["indicator"])
    if obs_id not in set(obs["obs_id"]):
        base = str(obs_id).removesuffix(".ext")
        if base != obs_id and base in set(obs["obs_id"]):  # a document value: its id has no .ext
            raise UnknownChoice(f"unknown obs_id {obs_id!r}: that year's value is a document one, {base!r}")
        # list the ids of the same series when the id names one (xiangxi.gdp.1999: Xiangxi's GDP), else the region's
        parts = str(obs_id).split(".")
        same = mine[mine["series_id"] == ".".join(parts[:2])]["obs_id"] if len(parts) >= 2 else mine["obs_id"][:0]
        check_choice("obs_id", obs_id, same if len(same) else mine["obs_id"])
    start, end = as_year(start_year, "start_year"), as_year(end_year, "end_year")
    if start is None or end is None or start >= end:
        raise UnknownChoice(f"start_year={start_year!r} and end_year={end_year!r}: need two years, start < end")
    kinds = shared.kinds
    for ind in (indicator, outcome, driver):
        for year, name in ((start, "start_year"), (end, "end_year")):
            _check_year(year, str(region), str(ind), kinds, name)
    name = shared.run_name
    out = shared.outputs()
    return StartHere(
        str(region),
        str(indicator),
        str(obs_id),
        str(outcome),
        str(driver),
        start,
        end,
        kinds,
        out,
        name,
    )


def value_in(series: pd.DataFrame, year: int) -> float:
    """The value of ``series`` (from :func:`analysis.get_series`) in ``year``."""
    row = series[series["year"] == year]
    if row.empty:
        raise KeyError(f"{series['series_id'].iloc[0]} has no value in {year}")
    return float(row["value"].iloc[0])


def load_sources() -> pd.DataFrame:
    """The source catalog (``data/processed/sources.csv``), indexed by ``source_id``."""
    from analysis import paths

    return pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")


def cite(row: pd.Series) -> str:
    """A citation of one observation (markdown): value, kind, verbatim quote and source."""
    qualifier = "" if row["qualifier"] == "exact" else f" ({row['qualifier'].replace('_', ' ')})"
    shown = row["value_printed"] or f"{row['value']:g}"
    text = f"**{shown} {row['unit']}**{qualifier}, `{row['obs_id']}` ({row['label']}, {row['year']}; "
    text += f"{row['kind']} value)\n\n> {row['quote']}\n\n"
    if row["kind"] == "external":
        return text + f"Source: {row['publisher']}, <{row['url']}> (confidence {row['confidence']})."
    if row["kind"] == "derived":
        return text + f"Derived: {row['note']}"
    src = load_sources().loc[row["source_id"]]
    return text + f"Source: {row['source_id']}, {src['issuer_en']}, *{src['title_en']}* ({src['date']})."
