"""Display tables and generated prose of the elasticity report (every number from the run)."""

from __future__ import annotations

import math

import pandas as pd

from analysis.metrics import elasticity as el
from analysis.reports.elasticity import ElasticityRun, kind_note, n_years_text, value_in, variant_value
from analysis.reports.elasticity_select import SHORT_LABELS, Selected


def _fmt(v: float | None, digits: int = 2) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v) else f"{float(v):.{digits}f}"


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


def display_table(run: ElasticityRun) -> pd.DataFrame:
    """The elasticity table for reading: rounded, one short line per row."""
    t = run.table
    return pd.DataFrame(
        {
            "run": t["run"],
            "variant": t["variant"],
            "outcome years": t["outcome_years"],
            "driver years": t["driver_years"],
            "elasticity": t["elasticity"].map(_fmt),
            "95% CI": [
                f"{_fmt(a)} to {_fmt(b)}" if pd.notna(a) else "" for a, b in zip(t["ci_low"], t["ci_high"], strict=True)
            ],
            "n": t["n_points"],
            "literature band": [
                f"{_fmt(a, 1)} to {_fmt(b, 1)}" if pd.notna(a) else ""
                for a, b in zip(t["literature_low"], t["literature_high"], strict=True)
            ],
            "status": t["status"],
        }
    )


def benchmark_display(run: ElasticityRun) -> pd.DataFrame:
    """The benchmark table for reading."""
    b = run.benchmark
    if b.empty:
        return b
    return pd.DataFrame(
        {
            "run": b["run"],
            "Gini": b["gini"].map(lambda v: f"{v:.2f}"),
            "sigma": b["sigma"].map(lambda v: f"{v:.4f}"),
            "H start-end, %": [f"{a:g} -> {c:g}" for a, c in zip(b["h_start_pct"], b["h_end_pct"], strict=True)],
            "point elasticity at start": b["benchmark_start"].map(_fmt),
            "point elasticity at end": b["benchmark_end"].map(_fmt),
            "arc benchmark": b["benchmark_arc"].map(_fmt),
            "mean-income multiple needed": b["required_multiple"].map(_fmt),
            "observed driver multiple (nominal)": b["observed_driver_multiple"].map(_fmt),
            "observed": [
                f"{_fmt(v)} ({m.replace('_', ' ')})"
                for v, m in zip(b["observed_elasticity"], b["observed_method"], strict=True)
            ],
        }
    )


def _band_text(sel: Selected, e: float) -> str:
    band = sel.band
    if band is None:
        return ""
    lo, hi, _ = band
    where = "inside" if lo <= e <= hi else ("more negative than" if e < lo else "less negative than")
    concept = "GDP per capita" if sel.band_key == "gdp" else "survey mean income"
    return f" ({where} the literature band {lo:g} to {hi:g} for {concept})"


def narrate(run: ElasticityRun) -> str:
    """One computed bullet per run: windows, formula, value, companions and the literature band."""
    lines = []
    for sel in run.runs:
        p = sel.pairing
        o0 = float(value_in(sel.outcome, p.outcome_window[0])["value"])
        o1 = float(value_in(sel.outcome, p.outcome_window[1])["value"])
        d0 = float(value_in(sel.driver, p.driver_window[0])["value"])
        d1 = float(value_in(sel.driver, p.driver_window[1])["value"])
        head = (
            f"- **{sel.label()}**: {SHORT_LABELS.get(sel.spec.outcome, sel.spec.outcome)} {o0:g} -> {o1:g} "
            f"{sel.outcome_unit} ({p.outcome_window[0]}-{p.outcome_window[1]}), "
            f"{SHORT_LABELS.get(sel.spec.driver, sel.spec.driver)} {d0:g} -> {d1:g} {sel.driver_unit} "
            f"({p.driver_window[0]}-{p.driver_window[1]}). "
        )
        parts = []
        la, mp, win = (
            variant_value(run, sel, "log_arc"),
            variant_value(run, sel, "midpoint"),
            variant_value(run, sel, "window"),
        )
        semi, ols = variant_value(run, sel, "semi"), variant_value(run, sel, "ols")
        if p.same_window:
            if la is not None:
                parts.append(f"Log arc elasticity {la:.2f}{_band_text(sel, la)}")
            if mp is not None:
                parts.append(f"midpoint arc {mp:.2f}")
            if la is None and win is not None:
                parts.append(f"window elasticity {win:.2f}{_band_text(sel, win)}")
        else:
            parts.append(
                f"The windows differ, so only the window-length formula applies: {win:.2f}{_band_text(sel, win)}"
                if win is not None
                else "The windows differ"
            )
        if semi is not None:
            parts.append(
                f"semi-elasticity {semi:.3f} percentage points per 1% growth"
                + ("" if p.same_window else " (annualised)")
            )
        if "ols" in run.variants:
            if ols is None:
                parts.append(f"no OLS ({n_years_text(len(p.paired_years))}; needs {el.MIN_OLS_POINTS})")
            else:
                r = run.table[(run.table["run"] == sel.run_id) & (run.table["variant"] == "ols")].iloc[0]
                parts.append(
                    f"log-log OLS {ols:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}, "
                    f"{int(r['dof'])} degrees of freedom, descriptive)"
                )
        if not sel.is_poverty and win is not None:
            parts.append(
                f"the {SHORT_LABELS.get(sel.spec.outcome, sel.spec.outcome)} grew {win:.2f} times as fast "
                "as the driver (annualised log growth)"
            )
        lines.append(head + "; ".join(parts) + ".")
    if run.skipped:
        lines.append("- Not computed: " + "; ".join(run.skipped) + ".")
    return "\n".join(lines)


def narrate_benchmark(run: ElasticityRun) -> str:
    """The lognormal benchmark beside each observed incidence elasticity."""
    b = run.benchmark
    if b.empty:
        return "No incidence run is selected: the lognormal benchmark applies to a headcount ratio only."
    lines = []
    for rid, g in b.groupby("run", sort=False):
        r0 = g.iloc[len(g) // 2]
        rng = f"{g['benchmark_arc'].min():.2f} to {g['benchmark_arc'].max():.2f}"
        obs = ""
        if pd.notna(r0["observed_elasticity"]):
            e, lo, hi = float(r0["observed_elasticity"]), g["benchmark_arc"].min(), g["benchmark_arc"].max()
            where = (
                "inside the benchmark range"
                if lo <= e <= hi
                else "more negative than the benchmark range: incidence fell faster than distribution-neutral "
                "growth of this driver would imply"
                if e < lo
                else "less negative than the benchmark range: incidence fell more slowly than distribution-neutral "
                "growth of this driver would imply"
            )
            obs = f" The observed {r0['observed_method'].replace('_', ' ')} elasticity is {e:.2f}, {where}."
        lines.append(
            f"- **{rid}**: H {r0['h_start_pct']:g}% -> {r0['h_end_pct']:g}%. A distribution-neutral (lognormal) fall "
            f"over this range has an arc elasticity of {rng} for Gini {g['gini'].min():.2f}-{g['gini'].max():.2f} "
            f"(point elasticity {r0['benchmark_start']:.2f} at the start and {r0['benchmark_end']:.2f} at the end, "
            f"Gini {r0['gini']:.2f}); it needs mean income to grow by a factor {r0['required_multiple']:.2f}, while "
            f"the driver grew by a factor {r0['observed_driver_multiple']:.2f} ({r0['driver_window']}, nominal).{obs}"
        )
    return "\n".join(lines)


def narrate_caveats(run: ElasticityRun) -> str:
    """Computed caveats: how much the formula matters, what rests on two endpoints, which windows differ."""
    t = run.table
    lines = []
    for sel in run.runs:
        la, mp, semi = (variant_value(run, sel, v) for v in ("log_arc", "midpoint", "semi"))
        h1 = float(value_in(sel.outcome, sel.pairing.outcome_window[1])["value"])
        if sel.is_rate and la is not None and mp is not None:
            txt = (
                f"- **Formula matters** for {sel.label()} ({sel.windows_label()}): log arc {la:.2f} against "
                f"midpoint {mp:.2f}, a factor {la / mp:.2f}; the log form grows without bound as incidence "
                f"approaches zero (here it ends at {h1:g}%)"
            )
            if semi is not None:
                txt += f", so the semi-elasticity ({semi:.3f} percentage points per 1% growth) is the robust companion"
            lines.append(txt + ".")
    computed = t[t["elasticity"].notna()]
    endpoints = computed[computed["variant"] != "ols"]
    ols = computed[computed["variant"] == "ols"]
    lines.append(
        f"- **Two endpoints, no inference**: {len(endpoints)} of the {len(computed)} computed numbers rest on "
        f"two observations per series; the log-log OLS was estimable for {ols['run'].nunique()} of "
        f"{len(run.runs)} runs (it needs {el.MIN_OLS_POINTS} paired years)"
        + (
            f", with {int(ols['dof'].min())}-{int(ols['dof'].max())} degrees of freedom: its interval and "
            "p-value are descriptive."
            if not ols.empty
            else "."
        )
    )
    differ = [s for s in run.runs if not s.pairing.same_window]
    if differ:
        lines.append(
            "- **Different windows** (window-length formula, log arc and midpoint not computed): "
            + "; ".join(f"{s.label()} ({s.windows_label()})" for s in differ)
            + "."
        )
    ext = [s for s in run.runs if "values not from the documents" in kind_note(s)]
    if ext:
        lines.append(
            "- **Values not from the documents** at a window endpoint: "
            + "; ".join(f"{s.label()} ({kind_note(s).split(': ', 1)[1]})" for s in ext)
            + "."
        )
    return "\n".join(lines)


# --- Real variants and the national reference ---------------------------------------------------------------


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
                _fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["nominal_elasticity"], t["variant"], strict=False)
            ],
            "real": [
                _fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["real_elasticity"], t["variant"], strict=False)
            ],
            "95% CI": [
                f"{_fmt(a)} to {_fmt(b)}" if pd.notna(a) else ""
                for a, b in zip(t["ci_low"], t["ci_high"], strict=False)
            ],
            "price index": t["price_index"].fillna(""),
            "status": [s if s != "refused" else f"refused: {n}" for s, n in zip(t["status"], t["note"], strict=False)],
        }
    ).reset_index(drop=True)


def national_display(run: ElasticityRun) -> pd.DataFrame:
    """The national reference elasticity, nominal and real (rounded)."""
    t = run.national
    if t.empty:
        return pd.DataFrame(columns=["prices", "variant", "elasticity", "95% CI", "n", "years", "price index"])
    return pd.DataFrame(
        {
            "prices": t["prices"],
            "variant": t["variant"],
            "elasticity": [
                _fmt(v, 3 if k == "semi" else 2) for v, k in zip(t["elasticity"], t["variant"], strict=False)
            ],
            "95% CI": [
                f"{_fmt(a)} to {_fmt(b)}" if pd.notna(a) else ""
                for a, b in zip(t["ci_low"], t["ci_high"], strict=False)
            ],
            "n": t["n_points"],
            "years": t["years"],
            "price index": t["price_index"],
        }
    )


def narrate_national(run: ElasticityRun) -> str:
    """The national reference in words, and where Xiangxi and the Wuling area stand against it."""
    from analysis.reports.elasticity_real import national_value

    n_ols, r_ols = national_value(run, "nominal", "ols"), national_value(run, "real", "ols")
    if n_ols is None:
        return f"No national reference: {run.national_note or 'China has no paired incidence and income years'}."
    la, rla = national_value(run, "nominal", "log_arc"), national_value(run, "real", "log_arc")
    assert la is not None  # computed together with the OLS row
    lines = [
        (
            f"- **China, poverty incidence against rural disposable income, {n_ols['years'].split()[0]}-"
            f"{n_ols['years'].split()[-1]}** ({int(n_ols['n_points'])} paired years; incidence "
            f"{n_ols['incidence_start']:g}% -> {n_ols['incidence_end']:g}%, NBS survey): log-log OLS "
            f"{n_ols['elasticity']:.2f} nominal (95% CI {n_ols['ci_low']:.2f} to {n_ols['ci_high']:.2f}, "
            f"{int(n_ols['dof'])} degrees of freedom, descriptive); log arc {la['elasticity']:.2f}."
        )
    ]
    if r_ols is not None and rla is not None:
        lines.append(
            f"- **Real** (income deflated by {r_ols['price_index']}): OLS {r_ols['elasticity']:.2f} (95% CI "
            f"{r_ols['ci_low']:.2f} to {r_ols['ci_high']:.2f}); log arc {rla['elasticity']:.2f}. Deflating the "
            "driver shrinks income growth, so the real elasticity is larger in magnitude."
        )
    elif run.national_note:
        lines.append(f"- No real national elasticity: {run.national_note}.")
    for sel in run.runs:
        if not (sel.is_rate and sel.spec.driver == "rural_disposable_income"):
            continue
        t = run.real[(run.real["run"] == sel.run_id) & run.real["real_elasticity"].notna()]
        t = t[t["variant"].isin(["log_arc", "window"])]
        nominal_row = run.table[(run.table["run"] == sel.run_id) & run.table["variant"].isin(["log_arc", "window"])]
        nominal_row = nominal_row[nominal_row["elasticity"].notna()]
        if nominal_row.empty:
            continue
        e = float(nominal_row["elasticity"].iloc[0])
        inside = n_ols["ci_low"] <= e <= n_ols["ci_high"]
        text = (
            f"- **{sel.label()}**: {nominal_row['variant'].iloc[0].replace('_', ' ')} {e:.2f} nominal, "
            f"{'inside' if inside else 'outside'} the national OLS interval"
        )
        if not t.empty and r_ols is not None:
            er = float(t["real_elasticity"].iloc[0])
            inside_r = r_ols["ci_low"] <= er <= r_ols["ci_high"]
            text += f"; {er:.2f} real, {'inside' if inside_r else 'outside'} the real national interval"
        lines.append(text + " (registered poor against a survey measure, over other years: a reading, not a test).")
    return "\n".join(lines)
