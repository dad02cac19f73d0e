"""Caveats of the growth-rates report, listed only where the run uses their data, ranked (:mod:`.caveats`)."""

from __future__ import annotations

from analysis.data.load import get_series
from analysis.data.vocab import indicator_fact
from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table
from analysis.reports.growth import GrowthRun
from analysis.reports.params import CENSUS_REVISION, INCOME_CONCEPT, SeriesSpec

ALTERNATIVE_2015_GDP = "xiangxi.gdp.2015.ext.alt1"
"""The prefecture's own 2015 GDP figure (an observation id of ``figures.csv``): the caveat on two
2015 figures is about it, and is listed when a series of the run uses an external value in its year
while it is an alternative of that series."""


def _observed(run: GrowthRun, series_id: str, year: int) -> bool:
    s = run.series.get(series_id)
    return s is not None and bool((s["year"].astype(int) == year).any())


def _with_break(run: GrowthRun, kind: object) -> list[SeriesSpec]:
    """The series of the run with a break of ``kind`` (a :class:`analysis.reports.params.SeriesBreak`) after their start."""
    return [sp for sp in run.specs if any(sp.start < b and sp.break_at(b) is kind for b in sp.breaks)]


def _external_with_alternative(run: GrowthRun, obs_id: str) -> bool:
    """True when a series of the run has ``obs_id`` as an alternative and uses an external value in its year."""
    for sp in run.by_mode("growth"):
        cands = get_series(sp.region, sp.indicator, sp.kinds, sp.start, sp.end, preferred_only=False)
        alt = cands[cands["obs_id"] == obs_id]
        if alt.empty:
            continue
        s = run.series[sp.series_id]
        if (s.loc[s["year"].astype(int) == int(alt["year"].iloc[0]), "kind"] == "external").any():
            return True
    return False


def caveat_list(run: GrowthRun) -> list[Caveat]:
    """The run's caveats, each only where the run uses the data it is about (unranked)."""
    out = []
    crossing = [
        sp
        for sp in _with_break(run, CENSUS_REVISION)
        if any(sp.start < b <= sp.end and _observed(run, sp.series_id, b) for b in sp.breaks)
    ]
    if crossing:
        labels = sorted({sp.break_at(b).label for sp in crossing for b in sp.breaks if sp.start < b <= sp.end})
        out.append(
            Caveat(
                "Census revision and vintages.",
                f"The GDP series cross a statistical break ({', '.join(labels)}): part of the jump into the "
                "break year is a level shift, so the headlines lead with the growth without the break year and "
                "give the growth across it second, labelled; no trend is fitted across it. The earlier Xiangxi "
                "and Hunan values are first releases, not revised back, and the last years before the break are "
                "preliminary (the levels table's `release_vintage`; p in Figure 1). China's GDP is read on one "
                'vintage (`vintage="single"`: the series revised back after the fourth census, partly from a '
                "low-confidence copy of the NBS database); the published rows, which cross the third census, the "
                "R&D capitalisation and the fourth census, are a labelled row of the sensitivity table.",
                "magnitude",
                ("gdp-growth",),
            )
        )
    if _external_with_alternative(run, ALTERNATIVE_2015_GDP):
        out.append(
            Caveat(
                "Two GDP figures for 2015.",
                "The external 2015 value is the provincial-ranking figure, which excludes newly relocated "
                "cigarette production; the prefecture's own figure including it is higher "
                f"(`{ALTERNATIVE_2015_GDP}`). The trend uses the former; the sensitivity table shows the "
                "growth with the latter.",
                "magnitude",
                ("gdp-growth",),
            )
        )
    if _with_break(run, INCOME_CONCEPT):
        out.append(
            Caveat(
                "Concept break in rural income.",
                "Rural income was per-capita net income (纯收入) until 2012 and disposable income (可支配收入) "
                "from the 2013 integrated household survey on. A pre-2013 figure called disposable income can be "
                "a back-cast or the old concept, so the table also gives the growth on one concept; a derived "
                "starting value spans the change.",
                "magnitude",
                ("income-growth",),
            )
        )
    if run.by_mode("rate", "count"):
        out.append(
            Caveat(
                "Poverty measured by registration.",
                "Incidence and poor population come from the registered-poor system (建档立卡) under exit targets "
                "(or a basis the source does not state), not from a household survey; their fall measures "
                "programme exits as much as living standards, and registers and denominators differ between "
                "sources (see the claims audit).",
                "sign",
                ("poverty-xiangxi", "poverty-wuling"),
            )
        )
    if run.show_real and run.real:
        out.append(
            Caveat(
                "Nominal and real.",
                "Document values are in current prices; the real columns deflate them with a national (or rural) "
                "CPI from external sources, a proxy for a prefecture or an area. A nominal CAGR is never set beside "
                "an official real growth rate (比上年增长 x%) as if they measured the same thing.",
                "magnitude",
                ("real-growth", "income-growth"),
            )
        )
    if any(indicator_fact(sp.indicator, "deflator") == "volume" for sp in run.by_mode("growth")):
        out.append(
            Caveat(
                "Real GDP.",
                "GDP is made real only with official real growth rates; where they are missing for some years "
                "the real growth is not computed (the growth table says where).",
                "scope",
                ("real-growth",),
            )
        )
    if any(len(run.series[sp.series_id]) == 2 for sp in run.specs):
        out.append(
            Caveat(
                "Few points.",
                "Series with two observations give a CAGR and nothing about the path between the endpoints.",
                "scope",
            )
        )
    return out


BOILERPLATE = (
    "A CAGR is computed between two observed years and never across an unobserved one by interpolation;",
    "the growth of poverty incidence is reported in percentage points and log change, never compounded.",
)


def caveats(run: GrowthRun) -> str:
    """The caveat section's Markdown: ranked, only those whose data the run uses, boilerplate once."""
    found = caveat_list(run)
    run.out.table(caveat_table(found), f"{run.name}_caveats")  # the index shows them beside the findings
    return render(found, BOILERPLATE)
