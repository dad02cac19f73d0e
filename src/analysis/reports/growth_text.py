"""Caveats of the growth-rates report, listed only where the run uses their data, ranked (:mod:`.caveats`)."""

from __future__ import annotations

from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table
from analysis.reports.growth import GrowthRun


def _observed(run: GrowthRun, series_id: str, year: int) -> bool:
    s = run.series.get(series_id)
    return s is not None and bool((s["year"].astype(int) == year).any())


def _has(run: GrowthRun, indicator: str) -> list:
    return [sp for sp in run.specs if sp.indicator == indicator]


def caveat_list(run: GrowthRun) -> list[Caveat]:
    """The run's caveats, each only where the run uses the data it is about (unranked)."""
    out = []
    gdp = [sp for sp in run.specs if sp.indicator in ("gdp", "gdp_per_capita")]
    crossing = [sp for sp in gdp if any(sp.start < b <= sp.end and _observed(run, sp.series_id, b) for b in sp.breaks)]
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
    if any(_observed(run, sp.series_id, 2015) for sp in _has(run, "gdp") if sp.region == "Xiangxi"):
        s = run.series["xiangxi.gdp"]
        if (s.loc[s["year"].astype(int) == 2015, "kind"] == "external").any():
            out.append(
                Caveat(
                    "Two GDP figures for 2015.",
                    "The external 2015 value is the provincial-ranking figure, which excludes newly relocated "
                    "cigarette production; the prefecture's own figure including it is higher "
                    "(`xiangxi.gdp.2015.ext.alt1`). The trend uses the former; the sensitivity table shows the "
                    "growth with the latter.",
                    "magnitude",
                    ("gdp-growth",),
                )
            )
    income = [sp for sp in _has(run, "rural_disposable_income") if sp.breaks and sp.start < min(sp.breaks)]
    if income:
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
    if any(sp.region == "Xiangxi" for sp in gdp):
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
