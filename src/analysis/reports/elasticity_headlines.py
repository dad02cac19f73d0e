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


KINDS = {"log_arc": log_arc, "beside_nation": beside_nation}
"""The elasticity report's headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The elasticity report's headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
