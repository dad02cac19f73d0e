"""Display tables and generated prose of the elasticity report (every number from the run)."""

from __future__ import annotations

import pandas as pd

from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table
from analysis.reports.elasticity import ElasticityRun, fmt
from analysis.reports.elasticity_select import Selected
from analysis.reports.elasticity_vocab import load_literature_bands
from analysis.reports.params import CENSUS_REVISION, INCOME_CONCEPT, SeriesBreak, series_breaks


def selection(run: ElasticityRun) -> pd.DataFrame:
    """The selected runs: outcome and driver, units, observed years and kinds."""
    rows = []
    for sel in run.runs:
        o, d = sel.outcome, sel.driver
        rows.append(
            {
                "run": sel.run_id,
                "outcome unit": sel.outcome_unit,
                "driver unit": sel.driver_unit,
                "outcome years": " ".join(
                    f"{int(y)}{'' if k == 'document' else ' (' + k[:3] + ')'}"
                    for y, k in zip(o["year"], o["kind"], strict=True)
                ),
                "driver years": " ".join(
                    f"{int(y)}{'' if k == 'document' else ' (' + k[:3] + ')'}"
                    for y, k in zip(d["year"], d["kind"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def pairing_table(run: ElasticityRun) -> pd.DataFrame:
    """Windows and paired years of every run, with the formula they allow."""
    return pd.DataFrame(
        [
            {
                "run": s.run_id,
                "outcome window": f"{s.pairing.outcome_window[0]}-{s.pairing.outcome_window[1]}",
                "driver window": f"{s.pairing.driver_window[0]}-{s.pairing.driver_window[1]}",
                "same window": "yes" if s.pairing.same_window else "NO",
                "paired years": " ".join(map(str, s.pairing.paired_years)) or "none",
                "note": s.pairing.note,
            }
            for s in run.runs
        ]
    )


def not_computed_display(run: ElasticityRun) -> pd.DataFrame:
    """The pairs that could not be computed (or are not repeated), with the reason, one line each."""
    n = run.not_computed
    if n.empty:
        return pd.DataFrame(columns=["run", "variant", "windows", "reason"])
    return pd.DataFrame(
        {
            "run": n["run"],
            "variant": n["variant"].str.replace("_", " "),
            "windows": [
                o if o == d else f"outcome {o}, driver {d}"
                for o, d in zip(n["outcome_window"], n["driver_window"], strict=True)
            ],
            "reason": n["reason"],
        }
    )


def band_text(sel: Selected) -> str:
    """The literature band named with the differences in the same sentence (incidence runs only; '' otherwise).

    The band and the driver it is about come from ``data/raw/literature_bands.csv``.
    """
    band = sel.band
    if band is None:
        return ""
    return (
        f" (the literature's {band.low:g} to {band.high:g} is for survey headcounts against {band.driver_concept} "
        "across countries; "
        "this is registered-poor incidence against a nominal driver, so the band is no benchmark for it)"
    )


def real_display(run: ElasticityRun) -> pd.DataFrame:
    """The real variants beside the nominal ones (rounded), one row per poverty run and variant."""
    t = run.real
    if t.empty:
        return pd.DataFrame(columns=["run", "variant", "nominal", "real", "95% CI", "price index", "status"])
    return pd.DataFrame(
        {
            "run": t["run"],
            "variant": t["variant"],
            "nominal": [
                fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["nominal_elasticity"], t["variant"], strict=False)
            ],
            "real": [fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["real_elasticity"], t["variant"], strict=False)],
            "95% CI": [
                f"{fmt(a)} to {fmt(b)}" if pd.notna(a) else "" for a, b in zip(t["ci_low"], t["ci_high"], strict=False)
            ],
            "price index": t["price_index"].fillna(""),
            "status": [s if s != "refused" else f"refused: {n}" for s, n in zip(t["status"], t["note"], strict=False)],
        }
    ).reset_index(drop=True)


def national_display(run: ElasticityRun) -> pd.DataFrame:
    """The national elasticities, nominal and real (rounded): arcs, year on year, and the descriptive OLS."""
    t = run.national
    if t.empty:
        return pd.DataFrame(
            columns=["prices", "variant", "years", "incidence, %", "elasticity", "95% CI", "price index"]
        )
    order = {"year_on_year": 0, "log_arc": 1, "midpoint": 2, "semi": 3, "ols": 4}
    t = t.assign(_o=t["variant"].map(order)).sort_values(["prices", "_o"], kind="stable")
    return pd.DataFrame(
        {
            "prices": t["prices"],
            "variant": t["variant"].str.replace("_", " ").replace({"ols": "OLS (descriptive; curved)"}),
            "years": [
                y if v == "ols" else f"{str(y).split()[0]}-{str(y).split()[-1]}"
                for y, v in zip(t["years"], t["variant"], strict=True)
            ],
            "incidence, %": [f"{a:g} -> {b:g}" for a, b in zip(t["incidence_start"], t["incidence_end"], strict=True)],
            "elasticity": [
                fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["elasticity"], t["variant"], strict=False)
            ],
            "95% CI": [
                f"{fmt(a)} to {fmt(b)}" if pd.notna(a) else "" for a, b in zip(t["ci_low"], t["ci_high"], strict=False)
            ],
            "price index": t["price_index"].fillna(""),
        }
    ).reset_index(drop=True)


def matched_display(run: ElasticityRun) -> pd.DataFrame:
    """Each incidence run beside China's arc over the same years (rounded)."""
    m = run.matched
    if m.empty:
        return pd.DataFrame(columns=["run", "prices", "windows", "region", "China, same years", "note"])
    return pd.DataFrame(
        {
            "run": m["run"],
            "prices": m["prices"],
            "windows": [
                o if o == d else f"outcome {o}, driver {d}"
                for o, d in zip(m["outcome_window"], m["driver_window"], strict=True)
            ],
            "region": m["regional_elasticity"].map(fmt),
            "China, same years": [fmt(v) if pd.notna(v) else "none" for v in m["national_elasticity"]],
            "note": m["note"],
        }
    )


def _bands_text() -> str:
    """``about -1 to -2.3 against real GDP per capita and -2 to -3 against ...`` from ``literature_bands.csv``."""
    t = load_literature_bands()
    t = t[t["low"] != ""].drop_duplicates("driver_concept")
    return " and ".join(
        f"{float(r['high']):g} to {float(r['low']):g} against {r['driver_concept']}" for _, r in t.iterrows()
    )


def _crosses(sel: Selected, brk: SeriesBreak) -> bool:
    """Whether a run's driver has the series break ``brk`` (:func:`analysis.reports.params.series_breaks`)."""
    return any(b is brk for b in series_breaks(sel.spec.d_region, sel.spec.driver).values())


def caveat_list(run: ElasticityRun) -> list[Caveat]:
    """The report's caveats, each only where a run uses the data it is about (unranked)."""
    poverty = [s for s in run.runs if s.is_poverty]
    out = []
    if poverty:
        out.append(
            Caveat(
                "Registered poverty under exit targets.",
                "Incidence and poor population come from the registered-poor system (建档立卡) under exit "
                "targets (or a basis the source does not state), not from a household survey. Their fall measures "
                "programme exits as much as living standards, so the elasticities are descriptive, not structural, "
                "and not the survey-based elasticities of the literature.",
                "sign",
                ("elasticity-gdp", "elasticity-income"),
            )
        )
    if any(_crosses(s, CENSUS_REVISION) for s in poverty):
        out.append(
            Caveat(
                "GDP per capita is not household income, and it crosses a census revision.",
                f"Across countries, survey headcounts fall with elasticities of about {_bands_text()}; "
                "the estimates here are registered-poor rates "
                "against nominal drivers over two endpoints, so those bands are context, not a benchmark. Where the "
                "GDP-per-capita window ends on the fourth-economic-census basis, part of its growth is a level shift.",
                "magnitude",
                ("elasticity-gdp",),
            )
        )
    if any(s.is_rate for s in poverty):
        out.append(
            Caveat(
                "The log form explodes near zero.",
                "ln(H_T/H_0) goes to minus infinity as H_T goes to zero, which is why the midpoint form is reported "
                "beside it; the semi-elasticity stays finite but is bounded by the starting level.",
                "magnitude",
                ("elasticity-gdp", "elasticity-income"),
            )
        )
    if run.runs:
        out.append(
            Caveat(
                "Nominal and real.",
                "Document money values are in current prices. A nominal elasticity divides by growth that includes "
                "inflation, so it is smaller in magnitude than the real one; the real variants deflate the driver "
                "with a national CPI that, for a prefecture or an area, is a proxy.",
                "magnitude",
                ("elasticity-gdp", "elasticity-income"),
            )
        )
    if any(_crosses(s, INCOME_CONCEPT) for s in poverty):
        out.append(
            Caveat(
                "Income concept break.",
                "A derived or pre-2013 rural income spans the change from net income (纯收入) to disposable income "
                "(可支配收入) of the 2013 integrated household survey.",
                "magnitude",
                ("elasticity-income",),
            )
        )
    if any(not s.is_poverty for s in run.runs):
        out.append(
            Caveat(
                "Standards against the poverty line.",
                "The line moves only by price indexation (2,300 yuan at 2010 prices, re-priced each year), so a "
                "standard's ratio to it is the standard's nominal growth over the line's inflation, a measure of its "
                "real growth, not a response to the line; the line in current prices is external and not observed "
                "in every year of the standards' window. With only two endpoints nothing shows when the growth "
                "happened.",
                "scope",
                ("dibao-growth",),
            )
        )
    return out


def caveats(run: ElasticityRun) -> str:
    """The caveat section's Markdown: the ranked caveats (the ones computed from the run's numbers are written
    in the notebook), also written to ``tables/<run_name>_caveats.csv``."""
    found = caveat_list(run)
    run.out.table(caveat_table(found), f"{run.name}_caveats")  # the index shows them beside the findings
    return render(found)
