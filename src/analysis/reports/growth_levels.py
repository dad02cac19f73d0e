"""The growth report's levels and sensitivity tables: every year's value with its release, and the alternatives.

Split from :mod:`analysis.reports.growth` (which re-exports :func:`levels_table`,
:func:`sensitivity` and :func:`display_sensitivity`); the functions take a growth run
(:class:`analysis.reports.growth.GrowthRun`, described here by :class:`GrowthRunLike` so that this
module does not import the report module).
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from analysis.data.load import get_series, release_vintage, same_figure
from analysis.data.vocab import indicator_fact
from analysis.metrics.growth import analyse_series
from analysis.reports.outputs import Outputs
from analysis.reports.params import SeriesSpec


class GrowthRunLike(Protocol):
    """What these tables read of a growth run."""

    specs: list[SeriesSpec]
    series: dict[str, pd.DataFrame]
    out: Outputs
    name: str
    substituted: dict[str, tuple[str, ...]]

    def by_mode(self, *modes: str) -> list[SeriesSpec]: ...


def with_release_vintage(s: pd.DataFrame, sp: SeriesSpec) -> pd.DataFrame:
    """The series with ``vintage`` replaced by the derived release label (the curated one kept as ``vintage_curated``).

    :func:`analysis.data.load.release_vintage` compares each row with every row of its year
    (alternatives included), so a first release with a later revision in the data, or one another
    source labels preliminary, is marked ``preliminary`` in the growth table's ``vintages`` column.
    """
    cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
    label = dict(zip(cands["obs_id"], release_vintage(cands), strict=True))
    return s.assign(vintage_curated=s["vintage"], vintage=s["obs_id"].map(label).fillna(""))


LEVEL_COLUMNS = ("series_id", "year", "value", "unit", "kind", "vintage", "source", "note", "release_vintage")
"""``release_vintage``: the release status derived by :func:`analysis.data.load.release_vintage`
(``preliminary`` where a later revision exists in the data or the figure is labelled a first estimate)."""


def levels_table(run: GrowthRunLike, min_points: int = 3) -> pd.DataFrame:
    """Every year of each annual growth series' period: the value used, where it comes from, or that it is missing.

    Series with at least ``min_points`` observed years are listed (endpoint-only series are in
    the dumbbell chart). A year no source gives is a row with no value (never interpolated);
    break years and preliminary or revised figures are marked, and an external alternative of
    another vintage or basis is named beside the value used. Written to
    ``tables/<run_name>_levels.csv``.
    """
    rows = []
    for sp in run.by_mode("growth"):
        s = run.series[sp.series_id]
        if len(s) < min_points:
            continue
        cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
        cands["release_vintage"] = release_vintage(cands)
        used_ids = set(s["obs_id"])
        alts = cands[~cands["obs_id"].isin(used_ids) & ((cands["preferred"] == "no") | cands["in_series"])]
        release = dict(zip(cands["obs_id"], cands["release_vintage"], strict=True))
        rebased = {int(r["year"]): r for r in _rebased_per_capita_rows(run, sp)}
        by_year = s.set_index(s["year"].astype(int))
        for y in range(sp.start, sp.end + 1):
            notes = []
            if y in sp.breaks:
                notes.append(f"series break: {sp.break_at(y).reason}")
            if y not in by_year.index:
                notes.append("no source gives this year: not interpolated")
                rows.append({**dict.fromkeys(LEVEL_COLUMNS, ""), "series_id": sp.series_id, "year": y, "unit": sp.unit})
                rows[-1]["note"] = "; ".join(notes)
                continue
            r = by_year.loc[y]
            source = (
                r["source_id"] if r["kind"] == "document" else r["publisher"] if r["kind"] == "external" else "derived"
            )
            if r["kind"] == "external":
                notes.append(f"external ({r['confidence']} confidence): {r['basis']}")
            if indicator_fact(sp.indicator, "population_basis"):
                notes.append(f"per person of the {indicator_fact(sp.indicator, 'population_basis')}")
            if y in rebased:
                notes.append(
                    f"on another basis than the {indicator_fact(sp.indicator, 'per_capita_of')} series' value of this "
                    f"year: the sensitivity table gives the derived value on that basis, "
                    f"{rebased[y]['value_alternative']:.0f}"
                )
            if r["obs_id"] in run.substituted.get(sp.series_id, ()):
                notes.append(
                    "single-vintage series (vintage=single): this revised-back value replaces the published one"
                )
            for _, a in alts[alts["year"] == y].iterrows():
                what = "published figure not used" if a["preferred"] != "no" else "alternative not used"
                notes.append(f"{what}: {a['value']:g} ({a['release_vintage']}; {a['basis']})")
            rows.append(
                {
                    "series_id": sp.series_id,
                    "year": y,
                    "value": r["value"],
                    "unit": sp.unit,
                    "kind": r["kind"],
                    "vintage": r["vintage_curated"],
                    "source": source,
                    "note": "; ".join(notes),
                    "release_vintage": release.get(r["obs_id"], ""),
                }
            )
    out = pd.DataFrame(rows, columns=list(LEVEL_COLUMNS))
    run.out.table(out, f"{run.name}_levels")
    return out


SENSITIVITY_COLUMNS = (
    "series_id",
    "period",
    "substitute",
    "year",
    "use",
    "value_used",
    "value_alternative",
    "vintage",
    "confidence",
    "basis",
    "cagr",
    "cagr_alternative",
    "trend_growth",
    "trend_alternative",
)


def sensitivity(run: GrowthRunLike) -> pd.DataFrame:
    """Growth with each external alternative (another vintage or basis) in place of the value used.

    One row per alternative inside a growth series' period: the CAGR and trend of the default
    series beside those of the series with the alternative substituted (labelled by its id,
    vintage, confidence and basis). An alternative for a year the default series does not
    observe (the unverified 2014 GDP figures) is added rather than substituted, and ``use``
    says so. Alternatives never enter the growth table itself. Written to
    ``tables/<run_name>_sensitivity.csv``.
    """
    rows = []
    for sp in run.by_mode("growth"):
        cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
        base = analyse_series(run.series[sp.series_id], sp.start, sp.end, sp.mode)[0]
        if sp.series_id in run.substituted:
            rows.append(_published_row(run, sp, base))
            continue
        rows += _rebased_per_capita_rows(run, sp)
        for _, a in cands[cands["preferred"] == "no"].iterrows():
            alt = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, substitute=[a["obs_id"]])
            r = analyse_series(alt, sp.start, sp.end, sp.mode)[0]
            used = run.series[sp.series_id]
            same_year = used.loc[used["year"] == a["year"], "value"]
            # A year with only alternatives (the unverified 2014 GDP) has no default value: the
            # alternative is added to the series, never silently, and marked as such.
            use = "replaces the value used" if len(same_year) else "added: the year has no default value"
            rows.append(
                {
                    "series_id": sp.series_id,
                    "period": f"{sp.start}-{sp.end}",
                    "substitute": a["obs_id"],
                    "year": int(a["year"]),
                    "use": use,
                    "value_used": same_year.iloc[0] if len(same_year) else float("nan"),
                    "value_alternative": a["value"],
                    "vintage": a["vintage"],
                    "confidence": a["confidence"],
                    "basis": a["basis"],
                    "cagr": base.cagr,
                    "cagr_alternative": r.cagr,
                    "trend_growth": base.trend_growth,
                    "trend_alternative": r.trend_growth,
                }
            )
    out = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    run.out.table(out, f"{run.name}_sensitivity")
    return out


def _rebased_per_capita_rows(run: GrowthRunLike, sp: SeriesSpec) -> list[dict]:
    """Derived sensitivity rows: a per-capita value put on the basis of the aggregate series used.

    Where the aggregate (``indicators.csv`` ``per_capita_of``: GDP for GDP per capita) has, in a
    year of the per-capita series, an alternative on another basis (not the same figure rounded),
    the per-capita value is rescaled by the ratio of the aggregate used to that alternative:
    Xiangxi 2015, 19488 x 497.19 / 511.9 (the prefecture's own 2015 figure includes the relocated
    cigarette output, the GDP series' provincial figure excludes it). A derived value, assuming the
    per-capita figure is on the alternative's basis (its quote pairs it with that figure) and the
    same population; one row per growth window of the series that the year changes.
    """
    agg = indicator_fact(sp.indicator, "per_capita_of")
    if not agg:
        return []
    pc = run.series[sp.series_id]
    cands = get_series(sp.region, agg, sp.kinds, sp.start, sp.end, preferred_only=False)
    used = get_series(sp.region, agg, sp.kinds, sp.start, sp.end).set_index("year")
    rows = []
    for _, a in cands[cands["preferred"] == "no"].iterrows():
        y = int(a["year"])
        if y not in set(pc["year"].astype(int)) or y not in used.index:
            continue
        u = used.loc[y]
        if same_figure(float(u["value"]), float(a["value"])):
            continue  # the same figure, rounded: not another basis
        alt = pc.copy()
        i = alt.index[alt["year"] == y][0]
        v = float(alt.at[i, "value"]) * float(u["value"]) / float(a["value"])
        alt.at[i, "value"] = v
        label = f"derived: {float(pc.at[i, 'value']):g} x {float(u['value']):g} / {float(a['value']):g}"
        for r0, r1 in zip(
            analyse_series(pc, sp.start, sp.end, sp.mode, sp.breaks),
            analyse_series(alt, sp.start, sp.end, sp.mode, sp.breaks),
            strict=True,
        ):
            if not (r0.start_year <= y <= r1.end_year) or (r0.cagr == r1.cagr and r0.trend_growth == r1.trend_growth):
                continue
            rows.append(
                {
                    "series_id": sp.series_id,
                    "period": f"{r0.start_year}-{r0.end_year}",
                    "substitute": label,
                    "year": y,
                    "use": f"replaces the value used: on the basis of the {agg} series used ({u['basis']}), "
                    f"not of {a['basis']}; same population assumed",
                    "value_used": float(pc.at[i, "value"]),
                    "value_alternative": v,
                    "vintage": "derived",
                    "confidence": str(pc.at[i, "confidence"]),
                    "basis": f"rebased to the {agg} value used",
                    "cagr": r0.cagr,
                    "cagr_alternative": r1.cagr,
                    "trend_growth": r0.trend_growth,
                    "trend_alternative": r1.trend_growth,
                }
            )
    return rows


def _published_row(run: GrowthRunLike, sp: SeriesSpec, base) -> dict:
    """The sensitivity row of a single-vintage series: the published (preferred, mixed-vintage) rows instead."""
    pub = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end)
    r = analyse_series(pub, sp.start, sp.end, sp.mode)[0]
    return {
        "series_id": sp.series_id,
        "period": f"{sp.start}-{sp.end}",
        "substitute": "published rows (vintage = published)",
        "year": float("nan"),
        "use": "the published rows replace the single-vintage series (vintages mixed: "
        + ", ".join(f"{int(y)} {v}" for y, v in zip(pub["year"], release_vintage(pub), strict=True))
        + "; the published series crosses the revisions, so no trend is like-for-like)",
        "value_used": float("nan"),
        "value_alternative": float("nan"),
        "vintage": "mixed",
        "confidence": " ".join(sorted(set(pub["confidence"]) - {""})),
        "basis": "preferred rows as first published or last found",
        "cagr": base.cagr,
        "cagr_alternative": r.cagr,
        "trend_growth": base.trend_growth,
        "trend_alternative": r.trend_growth,
    }


def percent(values: pd.Series) -> pd.Series:
    """Fractions as percent (0.0908 -> 9.08); missing stays NaN."""
    return values.map(lambda v: float("nan") if v is None or pd.isna(v) else 100 * float(v))


def display_sensitivity(table: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table (:func:`sensitivity`) for reading: rates in percent, plain headers.

    One row per alternative: the series and period, the alternative's id, year, vintage and
    basis, the value used and the alternative (in the series' unit), and the CAGR and trend with
    each, in percent a year with two decimals. The CSV keeps the fractions at full precision.

    Examples
    --------
    >>> t = pd.DataFrame([{"series_id": "xiangxi.gdp", "period": "2013-2019",
    ...     "substitute": "xiangxi.gdp.2015.ext.alt1", "year": 2015, "use": "replaces the value used",
    ...     "value_used": 497.19, "value_alternative": 511.9, "vintage": "as published",
    ...     "confidence": "medium", "basis": "incl. tobacco",
    ...     "cagr": (705.7 / 418.9) ** (1 / 6) - 1, "cagr_alternative": (705.7 / 418.9) ** (1 / 6) - 1,
    ...     "trend_growth": 0.0851, "trend_alternative": 0.0833}])
    >>> display_sensitivity(t)[["CAGR (%/yr)", "trend with alternative (%/yr)"]].round(2).iloc[0].tolist()
    [9.08, 8.33]
    """

    def pct(col: str) -> pd.Series:
        return percent(table[col])

    out = pd.DataFrame(
        {
            # a break opportunity after the underscore (xiangxi.gdp_per_capita) so the table fits the page
            "series": table["series_id"].str.replace("_", "_\u200b", regex=False),
            "period": table["period"],
            "alternative": table["substitute"],
            "year": table["year"],
            "use": table["use"],
            "vintage": table["vintage"],
            "confidence": table["confidence"],
            "basis": table["basis"],
            "value used": table["value_used"],
            "alternative value": table["value_alternative"],
            "CAGR (%/yr)": pct("cagr"),
            "CAGR with alternative (%/yr)": pct("cagr_alternative"),
            "trend (%/yr)": pct("trend_growth"),
            "trend with alternative (%/yr)": pct("trend_alternative"),
        }
    )
    out.attrs["decimals"] = {c: 2 for c in out.columns if c.endswith("(%/yr)")}
    return out
