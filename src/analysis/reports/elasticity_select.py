"""Which elasticities a run computes: the default runs, parameter checks and year pairing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.data.load import UnknownChoice, check_choice, get_series, load_observations, observation
from analysis.data.vocab import indicator_fact
from analysis.metrics import elasticity as el
from analysis.reports import figures
from analysis.reports import poverty_bases as pb
from analysis.reports.params import as_list, mode_of, series_breaks

POVERTY_OUTCOMES = ("poverty_incidence", "poverty_incidence_common_base", "poor_population")
"""Poverty outcomes (registered poor): the rate is named beside the literature band, with the
differences stated; the count never is."""


DRIVER_CONCEPTS = {"gdp_per_capita": "gdp", "gdp": "gdp", "rural_disposable_income": "income"}
"""Which literature band applies to a driver (see :data:`analysis.metrics.elasticity.LITERATURE_BANDS`)."""


@dataclass(frozen=True)
class RunSpec:
    """One outcome-driver pair to analyse.

    ``driver_region`` None means the outcome's region; ``start``/``end`` None the outcome's
    first/last observed year; ``driver_window`` None the rule of
    :func:`analysis.metrics.elasticity.choose_driver_window`.
    """

    region: str
    outcome: str
    driver: str
    driver_region: str | None = None
    start: int | None = None
    end: int | None = None
    driver_window: tuple[int, int] | None = None
    note: str | Callable[[], str] = ""
    """A caveat for the notes column; a function when it quotes data (called when the run is made)."""
    driver_price_indexed: bool = False
    """The driver moves only by price indexation (the national poverty line): the ratio is then the
    outcome's nominal growth over the line's inflation, and the report says so."""

    @property
    def note_text(self) -> str:
        """:attr:`note`, computed if it is a function, then the population caveat (:func:`population_note`)."""
        own = self.note() if callable(self.note) else self.note
        return "; ".join(n for n in (own, population_note(self.outcome, self.driver, self.d_region)) if n)

    @property
    def d_region(self) -> str:
        return self.driver_region or self.region

    @property
    def run_id(self) -> str:
        d = self.driver if self.d_region == self.region else f"{self.d_region.lower()}.{self.driver}"
        w = f" [driver {self.driver_window[0]}-{self.driver_window[1]}]" if self.driver_window else ""
        return f"{self.region.lower()}.{self.outcome} ~ {d}{w}"


def wuling_income_note() -> str:
    """The caveat on the Wuling income series, its derivation's inputs read from the data.

    The 2010 value is derived (income of 2019 over the multiple of 2010 the document states);
    the printed inputs come from ``data/processed/observations.csv``, so nothing is typed here.
    """
    derived = observation("wuling.rural_disposable_income.2010.derived")
    inputs = {
        o: observation(o) for o in ("wuling.rural_disposable_income.2019", "wuling.rural_income_multiple_2010.2019")
    }
    if not all(o in derived["note"] for o in inputs):  # the derivation's own inputs, or the note would mislead
        raise ValueError(f"the derived 2010 Wuling income no longer rests on {', '.join(inputs)}: {derived['note']}")
    income, multiple = (inputs[o]["value_printed"] for o in inputs)
    return (
        f"2010 income derived as {income} / {multiple} (stated multiple) and spans the rural net-income (纯收入) "
        "to disposable-income (可支配收入) break of 2013"
    )


def population_note(outcome: str, driver: str, driver_region: str) -> str:
    """The population caveat of a run: the driver's denominator, and a mixed-population warning.

    The driver's population comes from ``indicators.csv`` (``population_basis``). A poverty outcome
    (registered poor, 建档立卡: a share or count of the registered, 户籍, rural population) against a
    per-resident driver relates an outcome of one population to a driver of another: the note says
    so. For GDP per capita it adds why no census-consistent variant is computed, with the drift of
    the intercensal estimate read from the data (:func:`census_drift`).

    Examples
    --------
    >>> population_note("rural_dibao_standard", "poverty_line_current_prices", "China")
    ''
    """
    basis = indicator_fact(driver, "population_basis")
    if not basis:
        return ""
    bits = []
    if outcome in POVERTY_OUTCOMES:
        bits.append(
            f"mixed populations: the outcome is measured on the registered (户籍) rural population (registered-poor basis), "
            f"the driver per person of the {basis}"
        )
    else:
        bits.append(f"driver per person of the {basis}")
    if indicator_fact(driver, "per_capita_of"):
        drift = census_drift(driver_region)
        bits.append(
            (drift + "; " if drift else "")
            + "no census-consistent population for the years between censuses is in the data, so no census-consistent "
            f"{SHORT_LABELS.get(driver, driver)} is computed (nothing interpolated)"
        )
    return "; ".join(bits)


def census_drift(region: str) -> str:
    """How far the last population implied by GDP / GDP per capita lies from the next census count.

    Reads the derived ``resident_population_implied`` rows and the ``resident_population`` rows whose
    basis names a census; empty when either is missing. Two different years: stated, not adjusted.
    """
    obs = load_observations()
    mine = obs[obs["region"] == region]
    implied = mine[mine["indicator"] == "resident_population_implied"].sort_values("year")
    census = mine[(mine["indicator"] == "resident_population") & mine["basis"].str.contains("census", case=False)]
    if implied.empty or census.empty:
        return ""
    i = implied.iloc[-1]
    after = census[census["year"] >= i["year"]].sort_values("year")
    if after.empty:
        return ""
    c = after.iloc[0]
    return (
        f"the {int(i['year'])} resident population implied by GDP / GDP per capita ({i['value']:g} {i['unit']}, derived) "
        f"is {100 * (i['value'] / c['value'] - 1):.1f}% above the {int(c['year'])} census count ({c['value']:g} "
        f"{c['unit']}, external): the per-capita values rest on pre-census estimates"
    )


LINE_NOTE = "the poverty line in current prices is external and has no 2019 value"


def common_base_note() -> str:
    """The caveat on the common-base incidence run, its formula read from the derived 2013 row."""
    derived = observation("xiangxi.poverty_incidence_common_base.2013.derived")
    return (
        "variant of the run on the published rates: the 2013 incidence on the 2019 population base "
        f"({str(derived['note']).split(' (inputs')[0]}), so that the change is not partly a change of register "
        "or denominator (claims audit doc004.k02, k04, k27)"
    )


DEFAULT_RUNS: tuple[RunSpec, ...] = (
    RunSpec("Xiangxi", "poverty_incidence", "gdp_per_capita", start=2013, end=2019),
    RunSpec("Xiangxi", "poverty_incidence_common_base", "gdp_per_capita", start=2013, end=2019, note=common_base_note),
    RunSpec("Xiangxi", "poor_population", "gdp_per_capita", start=2013, end=2019),
    RunSpec(
        "Xiangxi",
        "poverty_incidence",
        "rural_disposable_income",
        start=2016,
        end=2018,
        note="both series external in 2016 and 2018; the only same-year pair with household income in Xiangxi",
    ),
    RunSpec("Wuling", "poverty_incidence", "rural_disposable_income", start=2011, end=2019, note=wuling_income_note),
    RunSpec("Wuling", "poor_population", "rural_disposable_income", start=2011, end=2019, note=wuling_income_note),
    RunSpec("Xiangxi", "rural_dibao_standard", "gdp_per_capita", start=2014, end=2019),
    RunSpec("Xiangxi", "extreme_poverty_support_standard", "gdp_per_capita", start=2014, end=2019),
    RunSpec(
        "Xiangxi",
        "rural_dibao_standard",
        "poverty_line_current_prices",
        "China",
        2014,
        2019,
        note=LINE_NOTE,
        driver_price_indexed=True,
    ),
    RunSpec(
        "Xiangxi",
        "rural_dibao_standard",
        "poverty_line_current_prices",
        "China",
        2014,
        2019,
        (2014, 2020),
        note=LINE_NOTE + "; sensitivity: driver window to 2020, whose line is approximate ('around 4000')",
        driver_price_indexed=True,
    ),
    RunSpec(
        "Xiangxi",
        "extreme_poverty_support_standard",
        "poverty_line_current_prices",
        "China",
        2014,
        2019,
        note=LINE_NOTE,
        driver_price_indexed=True,
    ),
    RunSpec(
        "Xiangxi",
        "rural_dibao_monthly_assistance",
        "rural_dibao_standard",
        start=2014,
        end=2019,
        note="assistance is a monthly payment, the standard an annual threshold",
    ),
)
"""The default runs (the issue's list plus one same-year household-income pair and one window sensitivity)."""


SHORT_LABELS = {
    "poverty_incidence": "poverty incidence",
    "poverty_incidence_common_base": "poverty incidence (common base)",
    "poor_population": "poor population",
    "gdp_per_capita": "GDP per capita",
    "gdp": "GDP",
    "rural_disposable_income": "rural income per capita",
    "rural_dibao_standard": "dibao standard",
    "extreme_poverty_support_standard": "tekun standard",
    "rural_dibao_monthly_assistance": "dibao monthly assistance",
    "poverty_line_current_prices": "national poverty line",
}


@dataclass
class Selected:
    """A validated run with its data and year pairing."""

    spec: RunSpec
    outcome: pd.DataFrame
    driver: pd.DataFrame
    pairing: el.Pairing
    mode: str
    outcome_unit: str
    driver_unit: str

    @property
    def run_id(self) -> str:
        return self.spec.run_id

    @property
    def is_poverty(self) -> bool:
        return self.spec.outcome in POVERTY_OUTCOMES

    @property
    def is_rate(self) -> bool:
        return self.mode == "rate"

    def concept_break(self) -> str:
        """Why no elasticity is computed when the driver's window crosses a change of concept (the poverty
        line's 2014 income concept, its 2020 exit threshold): no growth across it ('' when none)."""
        dw = self.pairing.driver_window
        breaks = series_breaks(self.spec.d_region, self.spec.driver)
        crossed = [b for b, brk in breaks.items() if brk.no_growth_across and dw[0] < b <= dw[1]]
        return "".join(
            f"not computed: the driver window {dw[0]}-{dw[1]} crosses the {b} change of concept "
            f"({breaks[b].label}: {breaks[b].reason})"
            for b in crossed[:1]
        )

    def poverty_note(self) -> str:
        """For a poverty outcome: the register break inside its window, its population basis and, for a
        registered poor population, the certified exits its fall equals ('' for other outcomes)."""
        if not self.is_poverty:
            return ""
        ow, breaks = self.pairing.outcome_window, series_breaks(self.spec.region, self.spec.outcome)
        notes = [
            f"outcome crosses the {b} series break ({breaks[b].label}: {breaks[b].reason}); one base only where "
            "both years have a poor population (the common-base run)"
            for b in breaks
            if ow[0] < b <= ow[1]
        ]
        notes.append(f"population basis: {pb.population_basis(self.spec.region)}")
        if self.spec.outcome == "poor_population" and pb.poverty_measure(self.spec.region) == "registered":
            exits = pb.certified_exits(load_observations(), self.spec.region, ow[1])
            if exits is not None:
                notes.append(f"the fall equals cumulative certified exits ({exits[1]}): a flow identity")
        return "; ".join(notes)

    @property
    def band_key(self) -> str | None:
        """``gdp`` or ``income``: which literature band is named beside the run (incidence only).

        The bands are headcount-ratio elasticities; a count (poor population) adds the growth
        of its population base, so no band is named beside it.
        """
        c = DRIVER_CONCEPTS.get(self.spec.driver)
        return c if (c and self.is_poverty and self.is_rate) else None

    @property
    def band(self) -> tuple[float, float, str] | None:
        return el.LITERATURE_BANDS[self.band_key] if self.band_key else None

    def label(self) -> str:
        r = figures.REGION_LABELS.get(self.spec.region, self.spec.region)
        d = SHORT_LABELS.get(self.spec.driver, self.spec.driver)
        if self.spec.d_region != self.spec.region:
            d = f"{figures.REGION_LABELS.get(self.spec.d_region, self.spec.d_region)} {d}"
        return f"{r}: {SHORT_LABELS.get(self.spec.outcome, self.spec.outcome)} vs {d}"

    def windows_label(self) -> str:
        p = self.pairing
        if p.same_window:
            return f"{p.outcome_window[0]}-{p.outcome_window[1]}"
        return f"outcome {p.outcome_window[0]}-{p.outcome_window[1]}, driver {p.driver_window[0]}-{p.driver_window[1]}"


def _usable_indicators(obs: pd.DataFrame, region: str, kinds: tuple[str, ...]) -> list[str]:
    s = obs[(obs["region"] == region) & obs["kind"].isin(kinds)]
    n = s.groupby("indicator")["year"].nunique()
    return sorted(n[n >= 2].index)


def select_specs(
    region: object, outcome: object, driver: object, driver_region: object, obs: pd.DataFrame, kinds: tuple[str, ...]
) -> tuple[list[RunSpec], bool]:
    """The run specs a parameter combination means, and whether they come from the defaults."""
    regions = as_list(region, "region")
    if len(regions) != 1:
        raise UnknownChoice(f"region must be one region or 'default', got {region!r}")
    reg = str(regions[0])
    outcomes = [str(o) for o in as_list(outcome, "outcome")]
    drivers = [str(d) for d in as_list(driver, "driver")]
    dreg = None if driver_region in (None, "", "default") else str(driver_region)
    if reg != "default":
        check_choice("region", reg, obs["region"])
    if dreg is not None:
        check_choice("driver_region", dreg, obs["region"])
    o_default, d_default = outcomes in (["default"], []), drivers in (["default"], [])
    if reg != "default":
        valid = _usable_indicators(obs, reg, kinds)
        for o in [] if o_default else outcomes:
            check_choice(f"outcome indicator for {reg}", o, valid)
        for d in [] if d_default else drivers:
            if dreg is None:
                hint = [s.driver for s in DEFAULT_RUNS if s.region == reg and s.driver == d]
                if not hint:
                    check_choice(
                        f"driver indicator for {reg} (set driver_region for another region's series)", d, valid
                    )
            else:
                check_choice(f"driver indicator for {dreg}", d, _usable_indicators(obs, dreg, kinds))
    else:
        allowed_o = sorted({s.outcome for s in DEFAULT_RUNS})
        allowed_d = sorted({s.driver for s in DEFAULT_RUNS})
        for o in [] if o_default else outcomes:
            check_choice("outcome (with region='default' only the default outcomes)", o, allowed_o)
        for d in [] if d_default else drivers:
            check_choice("driver (with region='default' only the default drivers)", d, allowed_d)
    matches = [
        s
        for s in DEFAULT_RUNS
        if (reg == "default" or s.region == reg)
        and (o_default or s.outcome in outcomes)
        and (d_default or s.driver in drivers)
        and (dreg is None or s.d_region == dreg)
    ]
    if o_default or d_default or reg == "default":
        if not matches:
            raise UnknownChoice(
                f"no default run for region {reg!r}, outcome {outcome!r}, driver {driver!r}; name both "
                "an outcome and a driver, or choose among the default runs: "
                + ", ".join(s.run_id for s in DEFAULT_RUNS)
            )
        return matches, True
    specs = []
    region_indicators = set(_usable_indicators(obs, reg, kinds))
    for o in outcomes:
        for d in drivers:
            found = [s for s in matches if s.outcome == o and s.driver == d]
            d_reg = dreg
            if d_reg is None and d not in region_indicators:
                # e.g. the national poverty line: take the driver region the default runs use
                d_reg = next((s.d_region for s in DEFAULT_RUNS if s.region == reg and s.driver == d), None)
            specs += found or [RunSpec(reg, o, d, d_reg)]
    return specs, False


def select_run(spec: RunSpec, obs: pd.DataFrame, kinds: tuple[str, ...]) -> Selected:
    """The observed outcome and driver series of one run spec with the run's kinds, paired (raises
    :class:`UnknownChoice` when a series has fewer than two observed years)."""
    o_all = get_series(spec.region, spec.outcome, kinds)
    d_all = get_series(spec.d_region, spec.driver, kinds)
    for s, what in ((o_all, f"{spec.region} {spec.outcome}"), (d_all, f"{spec.d_region} {spec.driver}")):
        if len(s) < 2:
            raise UnknownChoice(
                f"{what} has fewer than two observed years with kinds {', '.join(kinds)} "
                f"(observed: {', '.join(str(int(y)) for y in s['year']) or 'none'})"
            )
        if (s["value"] <= 0).any():
            raise UnknownChoice(f"{what} has non-positive values: no log elasticity")
    try:
        pairing = el.pair_years(
            o_all["year"].astype(int),
            d_all["year"].astype(int),
            spec.start,
            spec.end,
            spec.driver_window,
            driver_document_years=d_all.loc[d_all["kind"] == "document", "year"].astype(int),
        )
    except el.YearMismatch as e:
        raise UnknownChoice(f"{spec.run_id}: {e}") from None
    ow = pairing.outcome_window
    o = o_all[(o_all["year"] >= ow[0]) & (o_all["year"] <= ow[1])].reset_index(drop=True)
    d = d_all.reset_index(drop=True)
    return Selected(spec, o, d, pairing, mode_of(obs, spec.outcome), str(o["unit"].iloc[0]), str(d["unit"].iloc[0]))
