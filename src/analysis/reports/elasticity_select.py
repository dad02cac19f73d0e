"""Which elasticities a run computes: the pairs, parameter checks and year pairing.

The run definition is the ``pairs`` parameter of ``notebooks/elasticities.ipynb`` (one line per pair:
outcome region, outcome, driver[, driver region][, outcome window][, driver window]);
:func:`notebook_parameter` reads it from there, so the notebook is the one place that declares it. What is
known about a pair or a driver lives in curated tables under ``data/raw/``
(:mod:`analysis.reports.elasticity_vocab`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows
from analysis.data.load import UnknownChoice, check_choice, get_series, load_observations
from analysis.data.parameters import notebook_parameters
from analysis.data.vocab import indicator_fact, load_indicators, load_regions
from analysis.metrics import elasticity as el
from analysis.reports import poverty_bases as pb
from analysis.reports.elasticity_vocab import ANY, literature_bands, pair_notes, poverty_outcomes, quote
from analysis.reports.figures import REGION_LABELS
from analysis.reports.params import as_list, mode_of, series_breaks

NOTEBOOK = "elasticities.ipynb"
"""The notebook whose parameters cell declares the default ``pairs``."""


# --- The pairs ---------------------------------------------------------------------------------------------


def notebook_parameter(name: str) -> object:
    """One literal of the parameters cell of ``notebooks/elasticities.ipynb`` (``pairs``, ``national``): the
    default run definition is declared there only.

    Raises
    ------
    analysis.data.load.UnknownChoice
        When the parameters cell does not assign ``name`` a literal.
    """
    cell = notebook_parameters(paths.NOTEBOOKS / NOTEBOOK)
    if name not in cell:
        raise UnknownChoice(f"notebooks/{NOTEBOOK} has no {name!r} in its parameters cell")
    return cell[name]


def _window(value: object, what: str) -> tuple[int, int] | None:
    """``"2013-2019"``, ``[2013, 2019]`` or None/"" (none given)."""
    if value in (None, "", "default"):
        return None
    parts = value.split("-") if isinstance(value, str) else value if isinstance(value, (list, tuple)) else [value]
    try:
        a, b = (int(str(x).strip()) for x in parts)
    except (TypeError, ValueError):
        raise UnknownChoice(f'{what} {value!r} is not a window such as "2013-2019" or [2013, 2019]') from None
    if a >= b:
        raise UnknownChoice(f"{what} {value!r}: the start must be before the end")
    return a, b


@dataclass(frozen=True)
class RunSpec:
    """One outcome-driver pair to analyse (one line of the notebook's ``pairs``).

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

    @classmethod
    def parse(cls, item: object, where: str = "pair") -> RunSpec:
        """One entry of ``pairs``: ``[region, outcome, driver, driver_region, window, driver_window]``, the last
        three optional (None or "" for the default).

        Raises
        ------
        analysis.data.load.UnknownChoice
            An entry that is not such a list, or names an unknown region or indicator.
        """
        if not isinstance(item, (list, tuple)) or not 3 <= len(item) <= 6:
            raise UnknownChoice(
                f"{where} {item!r} must be a list [region, outcome, driver, driver region, window, driver window] "
                "(the last three optional)"
            )
        region, outcome, driver, *rest = (*item, None, None, None)[:6]
        check_choice(f"{where} region", region, load_regions().index)
        indicators = load_indicators().index
        check_choice(f"{where} outcome", outcome, indicators)
        check_choice(f"{where} driver", driver, indicators)
        d_region = None if rest[0] in (None, "", region) else str(rest[0])
        if d_region is not None:
            check_choice(f"{where} driver region", d_region, load_regions().index)
        start, end = _window(rest[1], f"{where} window") or (None, None)
        return cls(
            str(region), str(outcome), str(driver), d_region, start, end, _window(rest[2], f"{where} driver window")
        )

    def _matches(self, r: dict) -> bool:
        def eq(col: str, value: str) -> bool:
            return r[col] in (ANY, value)

        dreg = r["driver_region"] in (ANY, self.d_region) if r["driver_region"] else self.d_region == self.region
        dw = self.driver_window
        w = r["driver_window"]
        dwin = w == ANY or (w == "" and dw is None) or (dw is not None and w == f"{dw[0]}-{dw[1]}")
        return eq("region", self.region) and eq("outcome", self.outcome) and eq("driver", self.driver) and dreg and dwin

    def curated(self) -> list[dict]:
        """The rows of ``elasticity_notes.csv`` that match this pair, in file order."""
        return [r for _, r in iter_rows(pair_notes()) if self._matches(r)]

    @property
    def note(self) -> str:
        """The curated caveats of the pair (``elasticity_notes.csv``), observations quoted from the data."""
        return "; ".join(quote(r["note"]) for r in self.curated() if r["note"])

    @property
    def driver_price_indexed(self) -> bool:
        """The driver moves only by price indexation (``elasticity_notes.csv``): the ratio is then the
        outcome's nominal growth over the driver's inflation."""
        return any(r["driver_price_indexed"] == "yes" for r in self.curated())

    @property
    def note_text(self) -> str:
        """:attr:`note`, then the population caveat (:func:`population_note`)."""
        return "; ".join(n for n in (self.note, population_note(self.outcome, self.driver, self.d_region)) if n)

    @property
    def d_region(self) -> str:
        return self.driver_region or self.region

    @property
    def run_id(self) -> str:
        d = self.driver if self.d_region == self.region else f"{self.d_region.lower()}.{self.driver}"
        w = f" [driver {self.driver_window[0]}-{self.driver_window[1]}]" if self.driver_window else ""
        return f"{self.region.lower()}.{self.outcome} ~ {d}{w}"


def short_label(indicator: str) -> str:
    """The ``label`` of ``indicators.csv`` for use inside a sentence (first letter lower case unless an acronym)."""
    lab = indicator_fact(indicator, "label") or indicator
    return lab if lab[1:2].isupper() else lab[:1].lower() + lab[1:]


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
    if outcome in poverty_outcomes():
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
            f"{short_label(driver)} is computed (nothing interpolated)"
        )
    return "; ".join(bits)


def census_drift(region: str) -> str:
    """How far the last population implied by GDP / GDP per capita lies from the next census count.

    Reads the derived ``resident_population_implied`` rows and the ``resident_population`` rows whose
    basis names a census; empty when either is missing. Two different years: stated, not adjusted.
    """
    obs = load_observations()
    mine = obs[obs["region"] == region]
    # the indicator pair of this check (the implied population and the census count it is held against)
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


@dataclass(frozen=True)
class Band:
    """A literature band of the headcount-growth elasticity (``literature_bands.csv``)."""

    low: float
    high: float
    driver_concept: str
    citation: str


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
        """The outcome is a poverty measure (an outcome of ``literature_bands.csv``)."""
        return self.spec.outcome in poverty_outcomes()

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
        if not self.is_rate and pb.poverty_measure(self.spec.region) == "registered":
            exits = pb.certified_exits(load_observations(), self.spec.region, ow[1])
            if exits is not None:
                notes.append(f"the fall equals cumulative certified exits ({exits[1]}): a flow identity")
        return "; ".join(notes)

    @property
    def band(self) -> Band | None:
        """The literature band named beside the run (``literature_bands.csv``; poverty rates only).

        The bands are headcount-ratio elasticities; a count (poor population) adds the growth
        of its population base, so no band is named beside it.
        """
        if not (self.is_poverty and self.is_rate):
            return None
        t = literature_bands()
        r = t[(t["outcome"] == self.spec.outcome) & (t["driver"] == self.spec.driver) & (t["low"] != "")]
        if r.empty:
            return None
        b = r.iloc[0]
        return Band(float(b["low"]), float(b["high"]), str(b["driver_concept"]), str(b["citation"]))

    def label(self) -> str:
        """``Region: outcome vs driver`` in words (region labels of the figures, indicator labels of the vocabulary)."""
        r = region_label(self.spec.region)
        d = short_label(self.spec.driver)
        if self.spec.d_region != self.spec.region:
            d = f"{region_label(self.spec.d_region)} {d}"
        return f"{r}: {short_label(self.spec.outcome)} vs {d}"

    def windows_label(self) -> str:
        p = self.pairing
        if p.same_window:
            return f"{p.outcome_window[0]}-{p.outcome_window[1]}"
        return f"outcome {p.outcome_window[0]}-{p.outcome_window[1]}, driver {p.driver_window[0]}-{p.driver_window[1]}"


def region_label(region: str) -> str:
    """The label of a region in the reports (:data:`analysis.reports.figures.REGION_LABELS`)."""
    from_figures = REGION_LABELS.get(region)
    return from_figures or region


def usable_indicators(obs: pd.DataFrame, region: str, kinds: tuple[str, ...]) -> list[str]:
    """Indicators of a region observed in at least two years with the given kinds."""
    s = obs[(obs["region"] == region) & obs["kind"].isin(kinds)]
    n = s.groupby("indicator")["year"].nunique()
    return sorted(n[n >= 2].index)


def select_specs(
    pairs: list[RunSpec],
    region: object,
    outcome: object,
    driver: object,
    driver_region: object,
    obs: pd.DataFrame,
    kinds: tuple[str, ...],
) -> tuple[list[RunSpec], bool]:
    """The run specs a parameter combination means, and whether they come from ``pairs``.

    ``region``, ``outcome``, ``driver`` and ``driver_region`` filter ``pairs`` (``"default"``: any);
    naming a region, an outcome and a driver that no pair has makes a new pair.
    """
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
        valid = usable_indicators(obs, reg, kinds)
        for o in [] if o_default else outcomes:
            check_choice(f"outcome indicator for {reg}", o, valid)
        for d in [] if d_default else drivers:
            if dreg is None:
                hint = [s.driver for s in pairs if s.region == reg and s.driver == d]
                if not hint:
                    check_choice(
                        f"driver indicator for {reg} (set driver_region for another region's series)", d, valid
                    )
            else:
                check_choice(f"driver indicator for {dreg}", d, usable_indicators(obs, dreg, kinds))
    else:
        allowed_o = sorted({s.outcome for s in pairs})
        allowed_d = sorted({s.driver for s in pairs})
        for o in [] if o_default else outcomes:
            check_choice("outcome (with region='default' only the outcomes of pairs)", o, allowed_o)
        for d in [] if d_default else drivers:
            check_choice("driver (with region='default' only the drivers of pairs)", d, allowed_d)
    matches = [
        s
        for s in pairs
        if (reg == "default" or s.region == reg)
        and (o_default or s.outcome in outcomes)
        and (d_default or s.driver in drivers)
        and (dreg is None or s.d_region == dreg)
    ]
    if o_default or d_default or reg == "default":
        if not matches:
            raise UnknownChoice(
                f"no pair for region {reg!r}, outcome {outcome!r}, driver {driver!r}; name both "
                "an outcome and a driver, add a line to pairs, or choose among the pairs: "
                + ", ".join(s.run_id for s in pairs)
            )
        return matches, True
    specs = []
    region_indicators = set(usable_indicators(obs, reg, kinds))
    for o in outcomes:
        for d in drivers:
            found = [s for s in matches if s.outcome == o and s.driver == d]
            d_reg = dreg
            if d_reg is None and d not in region_indicators:
                # e.g. the national poverty line: take the driver region the pairs use
                d_reg = next((s.d_region for s in pairs if s.region == reg and s.driver == d), None)
            specs += found or [RunSpec(reg, o, d, d_reg)]
    return specs, False


def select_run(spec: RunSpec, obs: pd.DataFrame, kinds: tuple[str, ...]) -> Selected:
    """The data and year pairing of one pair.

    Raises
    ------
    analysis.data.load.UnknownChoice
        A series with fewer than two observed years or non-positive values, or years that cannot be paired.
    """
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
