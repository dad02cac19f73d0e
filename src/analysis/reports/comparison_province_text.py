"""Display table and generated prose of the provincial section (every number from its rows or the data).

:mod:`analysis.reports.comparison_province` computes the rows; this module formats them
(:func:`display_table`) and lists what the provincial
benchmark can and cannot support (:func:`limits`).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.data import vocab
from analysis.data.load import alternatives
from analysis.reports.comparison_province import (
    SECTION,
    STATISTIC_WORDS,
    ProvinceSpec,
    default_series,
    label_in_sentence,
    official_rates,
    rounding_notes,
    year_list,
)

# ------------------------------------------------------------------------------------ display and text


def _fmt(v: float | None, unit: str, share: bool = False) -> str:
    if v is None or math.isnan(v):
        return ""
    x = float(v)
    if share:
        return f"{100 * x:.3f}%"
    if unit.startswith("CAGR"):
        return f"{100 * x:.2f}%"
    if unit == "%":
        return f"{x:g}%"
    return f"{x:,.4f}".rstrip("0").rstrip(".") if abs(x) < 10 else f"{x:,.2f}".rstrip("0").rstrip(".")


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The provincial rows of a comparison table, formatted for reading (a share in percent)."""
    t = table[table["section"] == SECTION]
    share = t["metric"].str.contains(": share of ", regex=False)
    return pd.DataFrame(
        {
            "metric": t["metric"],
            "region": t["region"],
            "benchmark": t["benchmark"],
            "year_or_period": t["year_or_period"],
            "value": [_fmt(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
            "benchmark_value": [_fmt(v, u) for v, u in zip(t["benchmark_value"], t["benchmark_unit"], strict=True)],
            "ratio or share": [
                "" if pd.isna(v) else (f"{100 * v:.3f}%" if s else f"{v:.4f}")
                for v, s in zip(t["ratio"], share, strict=True)
            ],
            "gap": [
                ""
                if pd.isna(v)
                else (
                    f"{100 * v:+.2f} pp/yr"
                    if str(u).startswith("CAGR")
                    else f"{v:+,.2f} {u}".replace("percentage points", "pp")
                )
                for v, u in zip(t["gap"], t["gap_unit"], strict=True)
            ],
            "status": t["status"],
            "note": t["note"],
        }
    ).reset_index(drop=True)


def limits(spec: ProvinceSpec | None, obs: pd.DataFrame) -> str:
    """What the provincial benchmark can and cannot support, computed from the data (Markdown bullets)."""
    if spec is None or not spec.parts:
        return "No provincial benchmark in this run."
    p = spec.province
    lines = [
        (
            f"- **Part and whole.** {', '.join(spec.parts)} {'lies' if len(spec.parts) == 1 else 'lie'} inside {p} "
            "(data/raw/regions.csv): a share is of a total that includes the region, and a ratio understates the gap "
            f"to the rest of {p}."
        )
    ]
    for ind in spec.indicators:
        rows = default_series(spec, obs, p, ind)
        if rows.empty:
            continue
        ys = sorted(int(y) for y in rows["year"])
        gaps = [y for y in range(ys[0], ys[-1] + 1) if y not in ys]
        text = f"- **{p} {label_in_sentence(ind)}** is observed in {year_list(ys)}"
        if gaps:
            text += f": {year_list(gaps)} missing, never interpolated"
        al = alternatives(p, ind)
        if len(al):
            text += "; " + "; ".join(
                f"{int(x['year'])} only as an unverified alternative ({x['value']:g} {x['unit']}, preferred=no), left out"
                for _, x in al.iterrows()
                if str(x["used_obs_id"]) == ""
            )
        rnd = rounding_notes(rows, ys)
        if rnd:
            text += "; rounded: " + "; ".join(rnd)
        real_ind = vocab.indicator_fact(ind, "real_growth_indicator")
        if real_ind:
            rates = official_rates(spec, obs, p, real_ind)
            text += f"; official real growth ({real_ind}) only for {year_list(rates)}"
        lines.append(text + ".")
    for ind in spec.indicators:
        for s in vocab.statistics_of(ind):
            rows = default_series(spec, obs, p, s)
            for _, x in rows.iterrows():
                stat = vocab.indicator_fact(s, "statistic")
                per = (
                    "per month"
                    if x["base_unit"] == "yuan/month"
                    else "per year"
                    if x["base_unit"] == "yuan/year"
                    else ""
                )
                lines.append(
                    f"- **{vocab.indicator_fact(s, 'label')}, {int(x['year'])}:** {x['value']:g} {x['unit']} ({per}), "
                    f"{STATISTIC_WORDS[stat].format(region=' or '.join(spec.parts), province=p)}."
                )
    used = set(spec.indicators)
    for ind in spec.indicators:
        used |= {*vocab.statistics_of(ind), vocab.indicator_fact(ind, "real_growth_indicator")}
    low = obs[(obs["region"] == p) & (obs["confidence"] == "low") & obs["kind"].isin(list(spec.kinds))]
    for _, x in low.iterrows():
        use = "used in this section: read it with care" if x["indicator"] in used else "not used in this section"
        lines.append(
            f"- **Low confidence:** {p} {label_in_sentence(str(x['indicator']))} {int(x['year'])} = {x['value']:g} {x['unit']} "
            f"({x['basis']}): {use}."
        )
    return "\n".join(lines)
