"""The growth-rate report: parameter checks, loading the series, the per-row helpers and writing the table.

The run definition (which series, over which years) is the ``series`` parameter of
``notebooks/growth_rates.ipynb``; the notebook builds the growth table with a loop over the
series calling :func:`analysis.metrics.growth.analyse_series`, :func:`real_columns` and
:func:`analysis.reports.growth_segments.segment_of`, then :func:`build_table` finishes and writes it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from analysis import paths
from analysis.data.load import (
    VINTAGE_CHOICES,
    UnknownChoice,
    check_choice,
    get_series,
    load_observations,
    single_vintage,
)
from analysis.data.parameters import notebook_parameters
from analysis.data.vocab import indicator_fact
from analysis.metrics.growth import TABLE_COLUMNS, analyse_series
from analysis.reports import real_terms as rt
from analysis.reports.growth_levels import (  # re-exported: the notebook calls gr.levels_table, gr.sensitivity
    LEVEL_COLUMNS as LEVEL_COLUMNS,
)
from analysis.reports.growth_levels import (
    SENSITIVITY_COLUMNS as SENSITIVITY_COLUMNS,
)
from analysis.reports.growth_levels import (
    display_sensitivity as display_sensitivity,
)
from analysis.reports.growth_levels import (
    levels_table as levels_table,
)
from analysis.reports.growth_levels import (
    percent,
    with_release_vintage,
)
from analysis.reports.growth_levels import (
    sensitivity as sensitivity,
)
from analysis.reports.growth_segments import SEGMENT_COLUMNS, crossed_years, crosses_break, finish, segment_of
from analysis.reports.outputs import Outputs
from analysis.reports.params import (
    CENSUS_REVISION,
    SeriesSpec,
    as_choice,
    as_list,
    as_year,
    pairs_from,
    resolve_series,
    run_base,
)

NOTEBOOK = "growth_rates.ipynb"
"""The notebook whose parameters cell holds the run definition (``series``)."""

SERIES_SHAPE = "[region, indicator, start_year, end_year] (years may be None: first/last observed year)"


def notebook_series() -> list[list]:
    """The ``series`` of the growth notebook's parameters cell: the default run, defined there only.

    ``prepare(series=None)`` (tests, the README build) uses it, so the run definition is typed
    once, as literals, where an economist edits it.

    Raises
    ------
    analysis.data.load.UnknownChoice
        When the notebook has no ``series`` parameter.
    """
    cell = notebook_parameters(paths.NOTEBOOKS / NOTEBOOK)
    value = cell.get("series")
    if not isinstance(value, list):
        raise UnknownChoice(f"notebooks/{NOTEBOOK} has no `series = [...]` in its parameters cell")
    return value


def as_series(value: object, valid: pd.DataFrame) -> list[tuple[str, str, int | None, int | None]]:
    """Check the ``series`` parameter: one ``[region, indicator, start_year, end_year]`` per series.

    A string (``papermill -p series "[['Xiangxi', 'gdp', 2013, 2019]]"``) is read as a Python
    literal; ``[region, indicator]`` alone means the first to the last observed year.

    Parameters
    ----------
    value : list of lists, or str
        The parameter as given.
    valid : pandas.DataFrame
        The observations (columns ``region``, ``indicator``): the valid choices.

    Raises
    ------
    analysis.data.load.UnknownChoice
        Naming the entry, the valid choices and the closest one (``gpd``: did you mean 'gdp'?).

    Examples
    --------
    >>> obs = pd.DataFrame({"region": ["Xiangxi", "Xiangxi"], "indicator": ["gdp", "gdp_per_capita"]})
    >>> as_series([["Xiangxi", "gdp", 2013, "2019"], ["Xiangxi", "gdp_per_capita"]], obs)
    [('Xiangxi', 'gdp', 2013, 2019), ('Xiangxi', 'gdp_per_capita', None, None)]
    >>> as_series([["Xiangxi", "gpd", 2013, 2019]], obs)
    Traceback (most recent call last):
    ...
    analysis.data.load.UnknownChoice: series entry 1 ['Xiangxi', 'gpd', 2013, 2019]: unknown indicator for Xiangxi 'gpd'; valid choices: gdp, gdp_per_capita; did you mean 'gdp'?
    """
    entries = as_list(value, "series")
    if not entries:
        raise UnknownChoice(f"parameter series is empty: give one {SERIES_SHAPE} per series")
    out: list[tuple[str, str, int | None, int | None]] = []
    for n, entry in enumerate(entries, 1):
        where = f"series entry {n} {entry!r}"
        if not isinstance(entry, list | tuple) or len(entry) not in (2, 4):
            raise UnknownChoice(f"{where}: give {SERIES_SHAPE}")
        region, indicator, *years = entry
        try:
            check_choice("region", region, valid["region"])
            check_choice(f"indicator for {region}", indicator, valid.loc[valid["region"] == region, "indicator"])
            start, end = (as_year(years[0], "start_year"), as_year(years[1], "end_year")) if years else (None, None)
        except UnknownChoice as e:
            raise UnknownChoice(f"{where}: {e}") from None
        if any((region, indicator) == (r, i) for r, i, _, _ in out):
            raise UnknownChoice(f"{where}: {region} {indicator} is listed twice")
        out.append((region, indicator, start, end))
    return out


SOURCE_NOTE = (
    "Source: curated from the five policy documents (data/raw); open markers are external "
    "(secondary) values, diamonds derived values. Current prices unless marked real."
)

REAL_COLUMNS = (
    "prices",
    "real_cagr",
    "real_trend_growth",
    "real_trend_ci_low",
    "real_trend_ci_high",
    "price_index",
    "price_base_year",
    "official_real_growth",
    "official_gap",
    "real_note",
    "price_index_series",
    "price_index_proxy",
)
"""Columns appended to the growth table: real growth beside the nominal, the index used in every
row, the official real growth where NBS publishes it and the gap (CPI-deflated minus official, a
fraction a year). ``price_index_series`` is the series of the index used (``china.cpi_change``) and
``price_index_proxy`` says why it stands in for another (empty when it is the series' own). The nominal columns are always written; ``prices`` says what was requested."""


@dataclass
class GrowthRun:
    """A validated selection of series with their data."""

    specs: list[SeriesSpec]
    series: dict[str, pd.DataFrame]
    base_year: int | None
    out: Outputs
    name: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: list[str] = field(default_factory=list)
    prices: str = "both"
    real: dict = field(default_factory=dict)
    vintage: str = "single"
    substituted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per series id, the revised-back alternatives that make it single-vintage (``vintage="single"``)."""

    @property
    def show_nominal(self) -> bool:
        return self.prices in ("both", "nominal")

    @property
    def show_real(self) -> bool:
        return self.prices in ("both", "real")

    def by_mode(self, *modes: str) -> list[SeriesSpec]:
        return [s for s in self.specs if s.mode in modes]


def prepare(
    series: object = None,
    region: object = "default",
    indicator: object = "default",
    start_year: object = None,
    end_year: object = None,
    base_year: object = None,
    include_external: object = True,
    break_years: object = "auto",
    output_dir: object = None,
    run_name: str = "growth_rates",
    prices: object = "both",
    vintage: object = "single",
) -> GrowthRun:
    """Validate the notebook parameters and load the selected series.

    ``series`` is the run definition, one ``[region, indicator, start_year, end_year]`` per
    series (:func:`as_series`); None reads it from the notebook's parameters cell
    (:func:`notebook_series`). ``region`` and ``indicator`` select from it (``"default"``: all);
    naming an indicator the list does not have analyses it over ``start_year``-``end_year`` (None:
    first/last observed year).
    ``prices`` is one of :data:`analysis.reports.real_terms.PRICES`: ``both`` (default) puts
    real growth beside the nominal, ``nominal`` or ``real`` shows one of them. ``vintage`` is one
    of :data:`analysis.data.load.VINTAGE_CHOICES`: ``single`` (default) reads a series with
    revised-back alternatives (China's GDP after the fourth economic census) on that one vintage
    (:func:`analysis.data.load.single_vintage`), so its census break no longer applies and the
    published mixed-vintage rows are a labelled sensitivity; ``published`` uses the preferred rows.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices.
    """
    price_choice = as_choice(prices, "prices", rt.PRICES)
    vintage_choice = as_choice(vintage, "vintage", VINTAGE_CHOICES)
    start, end, base = as_year(start_year, "start_year"), as_year(end_year, "end_year"), as_year(base_year, "base_year")
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    ext = shared.include_external
    obs = load_observations()
    defined = as_series(notebook_series() if series is None else series, obs)
    pairs = pairs_from(region, indicator, [(r, i) for r, i, _, _ in defined], obs["region"])
    defaults = {(r, i): (a, b) for r, i, a, b in defined}
    specs: list[SeriesSpec] = []
    skipped: list[str] = []
    using_defaults = indicator == "default"
    for pair in pairs:
        s0, e0 = (start, end)
        if pair in defaults and start is None and end is None and using_defaults:
            s0, e0 = defaults[pair]
        if using_defaults and not ext:
            docs = obs[(obs["region"] == pair[0]) & (obs["indicator"] == pair[1]) & (obs["kind"] != "external")]
            if docs["year"].nunique() < 2:
                skipped.append(f"{pair[0]} {pair[1]}: fewer than two non-external years")
                continue
            s0, e0 = (s0 if s0 in set(docs["year"]) else None), (e0 if e0 in set(docs["year"]) else None)
        specs += resolve_series([pair], s0, e0, ext, break_years, obs=obs)
    if base is not None:
        for sp in specs:
            years = set(get_series(sp.region, sp.indicator, sp.kinds)["year"].astype(int))
            if base not in years:
                raise ValueError(
                    f"base_year {base} is not observed for {sp.region} {sp.indicator}; valid "
                    f"choices: {', '.join(map(str, sorted(years)))}"
                )
    data, substituted = {}, {}
    for i, sp in enumerate(specs):
        s, ids = single_vintage(sp.region, sp.indicator, sp.kinds, sp.start, sp.end)
        if vintage_choice == "single" and ids:
            # One vintage throughout: the census revision is not a break inside this series.
            specs[i] = sp = replace(sp, breaks=tuple(b for b in sp.breaks if sp.break_at(b) is not CENSUS_REVISION))
            data[sp.series_id], substituted[sp.series_id] = s, ids
        else:
            data[sp.series_id] = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end)
        data[sp.series_id] = with_release_vintage(data[sp.series_id], sp)
    return GrowthRun(
        specs,
        data,
        base,
        shared.outputs(),
        shared.run_name,
        skipped=skipped,
        prices=price_choice,
        vintage=vintage_choice,
        substituted=substituted,
    )


def selection(run: GrowthRun) -> pd.DataFrame:
    """The selected series: period, observed years, kinds, unit, treatment, population basis.

    ``population basis`` is the denominator of a per-capita series (``indicators.csv``), empty
    for the others.

    Default series left out because they have no document values when external values
    are excluded are listed as ``skipped``.
    """
    rows = []
    for sp in run.specs:
        s = run.series[sp.series_id]
        rows.append(
            {
                "series": sp.series_id,
                "label": sp.label,
                "unit": sp.unit,
                "period": f"{sp.start}-{sp.end}",
                "observed years": " ".join(str(int(y)) for y in s["year"]),
                "kinds": " ".join(sorted(set(s["kind"]))),
                "treatment": sp.mode,
                "breaks": " ".join(map(str, sp.breaks)),
                "population basis": indicator_fact(sp.indicator, "population_basis"),
            }
        )
    for why in run.skipped:
        rows.append({"series": why.split(":")[0], "treatment": "skipped", "observed years": why.split(": ", 1)[1]})
    return pd.DataFrame(rows).fillna("")


TABLE = (*TABLE_COLUMNS, *REAL_COLUMNS, *SEGMENT_COLUMNS)
"""The growth table's columns: :data:`analysis.metrics.growth.TABLE_COLUMNS`, then
:data:`REAL_COLUMNS`, then :data:`analysis.reports.growth_segments.SEGMENT_COLUMNS`."""


def table_rows(run: GrowthRun) -> list[dict]:
    """The growth rows as the notebook builds them (its table cell is this loop, written out).

    For each series, :func:`analysis.metrics.growth.analyse_series` gives the full period and
    each side of a series break (CAGR, log change and trend, or changes for rates and counts);
    :func:`real_columns` adds the real terms and :func:`segment_of` which side of a break a row covers.
    """
    rows, obs = [], load_observations()
    for sp in run.specs:
        for r in analyse_series(run.series[sp.series_id], sp.start, sp.end, sp.mode, sp.breaks):
            rows.append(
                asdict(r)
                | real_columns(run, sp, r.start_year, r.end_year, obs)
                | segment_of(r.start_year, r.end_year, sp.start, sp.end, sp.breaks)
            )
    return rows


def build_table(run: GrowthRun, rows: list[dict] | None = None) -> pd.DataFrame:
    """Finish the growth table, write it to ``tables/<run_name>.csv`` (and LaTeX) and return it.

    Parameters
    ----------
    run : GrowthRun
    rows : list of dict, optional
        One dict per growth row (the notebook's loop); None computes them by :func:`table_rows`.

    The columns are :data:`TABLE`; :func:`analysis.reports.growth_segments.finish` empties the
    values across a change of concept and adds the poverty rows' notes.
    """
    obs = load_observations()
    rows = table_rows(run) if rows is None else rows
    run.table = pd.DataFrame(rows, columns=list(TABLE)).pipe(finish, run.specs, obs)
    run.out.table(run.table, run.name)
    external = any((s["kind"] == "external").any() for s in run.series.values())
    basis = "document and external values" if external else "document values only"
    run.out.latex(display_table(run), run.name, f"Growth rates of the curated series, current prices ({basis}).")
    return run.table


def real_columns(run: GrowthRun, sp: SeriesSpec, start: int, end: int, obs: pd.DataFrame | None = None) -> dict:
    """The :data:`REAL_COLUMNS` of one growth row: real CAGR and trend, the index, the official check.

    Only money amounts are deflated (:func:`analysis.reports.real_terms.real_growth` applies the
    deflator rule of ``indicators.csv``: a CPI chained from annual inflation, or for GDP the
    official real growth rates); a row without a real value says why in ``real_note``. The real
    growth is kept in ``run.real`` for the levels figure. ``obs``: the observations (loaded when None).
    """
    row: dict = {"prices": run.prices}
    if sp.mode != "growth":
        row["real_note"] = "not a money amount: no deflation (a poverty measure under a fixed real line is real)"
        return row
    if not run.show_real:
        row["real_note"] = "real terms not requested (prices = nominal)"
        return row
    g = rt.real_growth(run.series[sp.series_id], start, end, sp.kinds, obs)
    run.real[(sp.series_id, start, end)] = g
    row.update(
        real_cagr=g.real_cagr,
        real_trend_growth=g.trend_growth,
        real_trend_ci_low=g.trend_ci_low,
        real_trend_ci_high=g.trend_ci_high,
        price_index=g.index,
        price_base_year=g.base_year,
        official_real_growth=g.official,
        official_gap=g.gap,
        price_index_series=g.index_series,
        price_index_proxy=g.proxy,
    )
    notes = [g.reason] if g.reason else []
    if g.real_cagr is not None:
        notes.append(f"real values in {start} prices")
    if g.official_label:
        notes.append(g.official_label)
    row["real_note"] = "; ".join(notes)
    return row


def display_table(run: GrowthRun) -> pd.DataFrame:
    """The growth table for reading: the columns a reader needs, rates in percent, units in the headers.

    Nominal and/or real columns as ``prices`` asks. The CSV (``tables/<run_name>.csv``) keeps
    every column at full precision; this view leaves out the method text, the log and total
    changes, the years used, the real trend and the price index (named in the note).
    ``attrs["decimals"]`` fixes the decimals of the HTML view (:mod:`analysis.reports.tables`).
    """
    t = run.table

    def pct(col: str) -> pd.Series:
        return percent(t[col])

    def ci(lo_col: str, hi_col: str) -> list[str]:
        return [
            "" if pd.isna(lo) else f"{100 * lo:.2f} to {100 * hi:.2f}"
            for lo, hi in zip(t[lo_col], t[hi_col], strict=True)
        ]

    unit = {"percentage points": "pp"}
    cols: dict[str, object] = {
        "series": t["series_id"],
        "period": t["start_year"].astype(str) + "-" + t["end_year"].astype(str),
        "years": t["n_points"],
    }
    if run.show_nominal:
        cols["CAGR (%/yr)"] = pct("cagr")
        cols["trend, 95% CI (%/yr)"] = [
            "" if pd.isna(g) else "not fitted across a break" if crossed else f"{100 * g:.2f} ({c})"
            for g, c, crossed in zip(
                t["trend_growth"], ci("trend_ci_low", "trend_ci_high"), crosses_break(t), strict=True
            )
        ]
    if run.show_real:
        cols["real CAGR (%/yr)"] = pct("real_cagr")
        cols["official real (gap), %/yr"] = [
            "" if pd.isna(o) else f"{100 * o:.2f} ({100 * g:+.2f})" if pd.notna(g) else f"{100 * o:.2f}"
            for o, g in zip(t["official_real_growth"], t["official_gap"], strict=True)
        ]
    cols["change (per year)"] = [
        ""
        if pd.isna(v)
        else f"{v:+.2f} {unit.get(u, u)} ({w:+.2f}/yr)"
        if pd.notna(w)
        else f"{v:+.2f} {unit.get(u, u)}"
        for v, w, u in zip(t["change"], t["change_per_year"], t["change_unit"], strict=True)
    ]
    if run.show_nominal:
        cols["doubling (years)"] = t["doubling_time"].map(lambda v: float("nan") if pd.isna(v) or math.isinf(v) else v)
    cols["external"] = t["external_used"]
    real_note = t["real_note"].fillna("") if run.show_real else pd.Series("", index=t.index)
    notes = []
    crossed = t["crosses_break"] if "crosses_break" in t else pd.Series("", index=t.index)
    for n, miss, r, x in zip(t["note"].fillna(""), t["missing_years"].fillna(""), real_note, crossed, strict=True):
        bits = [f"crosses the {' and '.join(crossed_years(x))} series break: not like-for-like"] * bool(
            crossed_years(x)
        )
        bits += [str(n)] if n else []
        if miss:
            bits.append(f"years missing: {miss}")
        if r:
            bits.append(f"real: {r}")
        notes.append("; ".join(bits))
    cols["note"] = notes
    out = pd.DataFrame(cols)
    out.attrs["decimals"] = {c: 2 for c in ("CAGR (%/yr)", "real CAGR (%/yr)") if c in out} | (
        {"doubling (years)": 1} if "doubling (years)" in out else {}
    )
    return out
