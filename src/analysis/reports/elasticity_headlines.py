"""Headline records of the elasticity report, computed from its tables (``elasticities*.csv``).

Rows of ``data/raw/headlines.csv`` name the runs (``rows``: ``<outcome series> ~ <driver>``), the
input series, the subject wording (``subject``: driver, outcome, national outcome) and the
curated caveat (placeholders ``{high}``, ``{low}``: the literature band; ``{nation}``: the
national arc over the same years).
"""

from __future__ import annotations

import pandas as pd

from analysis.data.vocab import indicator_fact
from analysis.reports import fmt
from analysis.reports.audit_headlines import doubt
from analysis.reports.fmt import num
from analysis.reports.headlines import Context, Record, Skip, Spec, run_records
from analysis.reports.params import series_breaks

MATCHED = "{table}_matched"
"""The table of national arcs over the same years (beside the report's main table)."""


def log_arc(ctx: Context, spec: Spec) -> Record:
    """The log arc elasticity of the spec's first run, with the midpoint formula, the common-base run,
    a series break the window crosses, the audit's doubt and the national arc over the same years."""
    run = spec.rows[0]
    n, r = ctx.row(spec.table, run=run, variant="log_arc")
    _, mid = ctx.row(spec.table, run=run, variant="midpoint")
    if pd.isna(r["elasticity"]):
        raise Skip(f"{spec.table}.csv row {n}: {r['status']}")
    e = float(r["elasticity"])
    _, m = ctx.row(MATCHED.format(table=spec.table), run=run, prices="nominal")
    label = indicator_fact(str(r["driver"]), "label")
    nation = (
        f"there is no national arc over the same years (no national {label} in the data)"
        if pd.isna(m["national_elasticity"])
        else f"the nation over the same years: {num(m['national_elasticity'])}"
    )
    years = fmt.years(r["paired_years"])
    doubtful = doubt(ctx, f"{spec.inputs[0]}.{years[0]}", f"{spec.inputs[0]}.{years[-1]}", "the elasticity")
    breaks = series_breaks(str(r["driver_region"]), str(r["driver"]))
    crossed = [b for b in breaks if years[0] < b <= years[-1]]
    cross = (
        f"; the window crosses the {', '.join(map(str, crossed))} series break of {label} "
        f"({breaks[crossed[0]].label}), and no like-for-like window is observed"
        if crossed
        else ""
    )
    values = {"midpoint": float(mid["elasticity"])}
    common = ""
    if len(spec.rows) > 1:
        try:
            _, cb = ctx.row(spec.table, run=spec.rows[1], variant="log_arc")
            if pd.notna(cb["elasticity"]):
                values["common_base"] = float(cb["elasticity"])
                common = (
                    f"; with the start year's incidence put on the end year's population base (one register and one "
                    f"denominator, derived) it is {num(float(cb['elasticity']))}"
                )
        except Skip:
            pass
    hi, lo = float(r["literature_high"]), float(r["literature_low"])
    caveat = spec.caveat.format(high=num(hi, 1), low=num(lo, 1), nation=nation)
    text = (
        f"Against nominal {spec.subject[0]}, {spec.subject[1]} has a log arc elasticity of {num(e)} over "
        f"{r['outcome_window']} (midpoint formula {num(mid['elasticity'])}){common}{cross}"
        f"{'; ' + doubtful if doubtful else ''}; {caveat}."
    )
    inputs = tuple(i for s in spec.inputs for i in ctx.obs_ids(s, years))
    return Record(
        spec.key, text, str(r["outcome_window"]), fmt.basis(r["kinds_used"]), spec.report, spec.section,
        spec.table, n, inputs, e, "elasticity", values,
    )  # fmt: skip


def beside_nation(ctx: Context, spec: Spec) -> Record:
    """The log arc elasticity of the spec's run beside the nation's arc over the same years."""
    run = spec.rows[0]
    n, r = ctx.row(spec.table, run=run, variant="log_arc")
    _, m = ctx.row(MATCHED.format(table=spec.table), run=run, prices="nominal")
    if pd.isna(r["elasticity"]) or pd.isna(m["national_elasticity"]):
        raise Skip(f"{spec.table}.csv row {n} or its matched table: no matched national value")
    driver, outcome, national = spec.subject[:3]
    text = (
        f"Against {driver}, {outcome} fell with a log arc elasticity "
        f"of {num(r['elasticity'])} over {r['outcome_window']}, and {national} over the same years "
        f"with {num(m['national_elasticity'])} ({num(m['national_incidence_start'], 1)}% to "
        f"{num(m['national_incidence_end'], 1)}%); {spec.caveat}."
    )
    ow = fmt.years(r["outcome_window"])
    inputs = tuple(i for s in spec.inputs for i in ctx.obs_ids(s, ow))
    values = {
        "national_elasticity": float(m["national_elasticity"]),
        "national_incidence_start": float(m["national_incidence_start"]),
        "national_incidence_end": float(m["national_incidence_end"]),
    }
    return Record(
        spec.key, text, str(r["outcome_window"]), fmt.basis(r["kinds_used"]), spec.report, spec.section,
        spec.table, n, inputs, float(r["elasticity"]), "elasticity", values,
    )  # fmt: skip


# ----------------------------------------------------------------------------- documentation records


def docs_elasticity(ctx: Context, spec: Spec) -> Record:
    """The elasticity paragraph: the first run's log arc, midpoint and semi-elasticity, and the second
    run's ratio of annual log growth rates (``rows``: the two runs)."""
    run, window_run = spec.rows[:2]
    n, arc = ctx.row(spec.table, run=run, variant="log_arc")
    _, mid = ctx.row(spec.table, run=run, variant="midpoint")
    _, semi = ctx.row(spec.table, run=run, variant="semi")
    _, wl = ctx.row(spec.table, run=window_run, variant="window")
    lv = fmt.level
    text = (
        f"Headline: {spec.subject[0]} {lv(arc['outcome_start_value'])}% -> {lv(arc['outcome_end_value'])}% against "
        f"{spec.subject[1]} {lv(arc['driver_start_value'])} -> {lv(arc['driver_end_value'])} 元 gives a log arc "
        f"elasticity of {arc['elasticity']:.2f} (midpoint {mid['elasticity']:.2f}, semi-elasticity "
        f"{semi['elasticity']:.2f} pp per 1%); {spec.subject[2]} is {wl['elasticity']:.2f} (incidence "
        f"{wl['outcome_window']}, income {wl['driver_window']}: windows differ, so not an elasticity). "
        + spec.caveat.format(
            high=lv(arc["literature_high"]),
            low=lv(arc["literature_low"]),
            high2=lv(wl["literature_high"]),
            low2=lv(wl["literature_low"]),
        )
        + "."
    )
    values = {"midpoint": float(mid["elasticity"]), "semi": float(semi["elasticity"])}
    values["window_ratio"] = float(wl["elasticity"])
    return Record(
        spec.key, text, str(arc["outcome_window"]), fmt.basis(arc["kinds_used"]), spec.report, spec.section,
        spec.table, n, (), float(arc["elasticity"]), "elasticity", values,
    )  # fmt: skip


def docs_national(ctx: Context, spec: Spec) -> Record:
    """The national elasticity paragraph: OLS with its interval, log arc, midpoint, semi, real, year on
    year, and the region's run against the nation over the same years (``rows``: that run)."""
    national, real_t, matched = (f"{spec.table}_{s}" for s in ("national", "real", "matched"))
    t = ctx.table(national)
    nom = {v: ctx.row(national, prices="nominal", variant=v)[1] for v in ("ols", "log_arc", "midpoint", "semi")}
    r = {v: ctx.row(national, prices="real", variant=v)[1] for v in ("ols", "log_arc")}
    n = ctx.row(national, prices="nominal", variant="ols")[0]
    _, xr = ctx.row(real_t, run=spec.rows[0], variant="log_arc")
    mn, mr = (ctx.row(matched, run=spec.rows[0], prices=p)[1] for p in ("nominal", "real"))
    years = str(nom["ols"]["years"]).split()
    yoy = t[(t["prices"] == "nominal") & (t["variant"] == "year_on_year")]
    ols, arc, lv = nom["ols"], nom["log_arc"], fmt.level
    each = ", ".join(f"{str(y).split()[1]} {e:.2f}" for y, e in zip(yoy["years"], yoy["elasticity"], strict=True))
    text = (
        f"Headlines: {spec.subject[0]} {years[0]}-{years[-1]}, nominal OLS {ols['elasticity']:.2f} (95% CI "
        f"{ols['ci_low']:.2f} to {ols['ci_high']:.2f}, {int(ols['dof'])} degrees of freedom, "
        f"descriptive), log arc {arc['elasticity']:.2f} (ln({lv(arc['incidence_end'])}/"
        f"{lv(arc['incidence_start'])}) / ln({lv(arc['income_end'])}/{lv(arc['income_start'])})), midpoint "
        f"{nom['midpoint']['elasticity']:.2f}, semi {nom['semi']['elasticity']:.3f} pp per 1%; real "
        f"({r['ols']['price_index']}) OLS {r['ols']['elasticity']:.2f} ({r['ols']['ci_low']:.2f} to "
        f"{r['ols']['ci_high']:.2f}), log arc {r['log_arc']['elasticity']:.2f}. Year on year (nominal): {each}. "
        f"{spec.subject[1]} {xr['driver_window']} is {xr['nominal_elasticity']:.2f} nominal "
        f"({spec.subject[0]} over the same years {mn['national_elasticity']:.2f}) and {xr['real_elasticity']:.2f} "
        f"real ({spec.subject[0]} {mr['national_elasticity']:.2f})."
    )
    values = {"ci_low": float(ols["ci_low"]), "ci_high": float(ols["ci_high"]), "log_arc": float(arc["elasticity"])}
    values.update(real_ols=float(r["ols"]["elasticity"]), region_nominal=float(xr["nominal_elasticity"]))
    return Record(
        spec.key, text, f"{years[0]}-{years[-1]}", "nominal and real", spec.report, spec.section, national, n, (),
        float(ols["elasticity"]), "elasticity", values,
    )  # fmt: skip


KINDS = {
    "log_arc": log_arc,
    "beside_nation": beside_nation,
    "docs_elasticity": docs_elasticity,
    "docs_national": docs_national,
}
"""The elasticity report's headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The elasticity report's headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
