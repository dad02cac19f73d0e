"""Real variants of the poverty elasticities and the national reference elasticity.

``docs/methods.md``, section 3 ("Real terms"): a poverty measure under the 2,300-yuan line (2010 prices) is
already real, so the real variant of a poverty-income elasticity deflates the *driver*
only. Rural income is deflated by the CPI that :mod:`analysis.reports.real_terms` chooses
(for a prefecture or an area the national index is a proxy, and the row says so). GDP per
capita has no acceptable real counterpart in the data (no official real growth per capita,
and a CPI is not a GDP deflator): its real rows are refused with that reason.

The national reference: China's poverty incidence (NBS survey) against China's rural
disposable income over the paired years 2014-2019, nominal and real: the arc forms, the
year-on-year log arc elasticities (which drift: the relation is curved, and the log form
grows as incidence falls), and a log-log OLS kept as a description only, with its
curvature stated (quadratic term and residuals). A regional estimate is compared with the
nation over its own windows (:func:`build_matched`: the national arc over the same outcome
and driver years), never with one window's OLS interval, whose "inside/outside" would only
restate that the incidence ranges differ.

Tables: ``tables/<run_name>_real.csv``, ``tables/<run_name>_national.csv`` and
``tables/<run_name>_matched.csv``.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.load import get_series, load_observations
from analysis.metrics import elasticity as el
from analysis.metrics import prices as pr
from analysis.metrics.convergence import national_elasticity
from analysis.reports import real_terms as rt
from analysis.reports.elasticity import ElasticityRun
from analysis.reports.elasticity_rows import compute_variant, value_in
from analysis.reports.elasticity_select import Selected, short_label
from analysis.reports.params import kinds_for

REAL_COLUMNS = (
    "run",
    "variant",
    "nominal_elasticity",
    "real_elasticity",
    "ci_low",
    "ci_high",
    "driver_window",
    "price_index",
    "price_base_year",
    "real_driver_start",
    "real_driver_end",
    "status",
    "note",
)
"""Columns of ``tables/<run_name>_real.csv``: one row per poverty run and variant."""

NATIONAL_COLUMNS = (
    "prices",
    "variant",
    "method",
    "elasticity",
    "ci_low",
    "ci_high",
    "n_points",
    "dof",
    "p_value",
    "years",
    "income_start",
    "income_end",
    "incidence_start",
    "incidence_end",
    "price_index",
    "note",
)
"""Columns of ``tables/<run_name>_national.csv`` (variant ``year_on_year``: one row per pair of
consecutive paired years)."""

MATCHED_COLUMNS = (
    "run",
    "region",
    "prices",
    "variant",
    "outcome_window",
    "driver_window",
    "regional_elasticity",
    "national_elasticity",
    "national_incidence_start",
    "national_incidence_end",
    "national_driver_start",
    "national_driver_end",
    "price_index",
    "status",
    "note",
)
"""Columns of ``tables/<run_name>_matched.csv``: each poverty-incidence run beside China's arc over
the same outcome and driver years (or why there is none)."""

REAL_VARIANTS = ("log_arc", "midpoint", "semi", "window", "ols")


def _nominal(run: ElasticityRun, sel: Selected, variant: str) -> float | None:
    t = run.table[(run.table["run"] == sel.run_id) & (run.table["variant"] == variant)]
    return None if t.empty or pd.isna(t["elasticity"].iloc[0]) else float(t["elasticity"].iloc[0])


def _real_rows(run: ElasticityRun, sel: Selected, obs: pd.DataFrame) -> list[dict]:
    spec, p = sel.spec, sel.pairing
    dw = p.driver_window
    base = {"run": sel.run_id, "driver_window": f"{dw[0]}-{dw[1]}"}
    variants = [
        v
        for v in run.variants
        if v in REAL_VARIANTS and (v != "semi" or sel.is_rate) and not (v == "window" and p.same_window)
    ]
    idx = None
    years: list[int] = [*dw, *p.paired_years]
    refusal = rt.no_real_reason(spec.driver)
    if not refusal:
        cands = rt.candidates(spec.d_region, spec.driver, run.kinds, obs)
        try:
            if not cands:
                raise pr.MissingRates(
                    f"no real value: no price index for {spec.d_region} {spec.driver} with kinds {', '.join(run.kinds)}",
                    (),
                )
            idx = pr.choose_index(cands, min(years), max(years))
        except pr.MissingRates as e:
            refusal = str(e)
    rows = []
    for v in variants:
        row = {**base, "variant": v, "nominal_elasticity": _nominal(run, sel, v)}
        if idx is None:
            rows.append({**row, "status": "refused", "note": refusal})
            continue
        d = sel.driver
        nominal = {
            int(y): float(x) for y, x in zip(d["year"], d["value"], strict=False) if min(years) <= int(y) <= max(years)
        }
        real = pr.deflate(nominal, idx.rates, dw[0])
        o0 = float(value_in(sel.outcome, p.outcome_window[0])["value"])
        o1 = float(value_in(sel.outcome, p.outcome_window[1])["value"])
        row.update(
            price_index=idx.description,
            price_base_year=dw[0],
            real_driver_start=real[dw[0]],
            real_driver_end=real[dw[1]],
        )
        notes = [f"driver deflated by {idx.description}, {dw[0]} prices; the poverty measure is already real"]
        if v == "ols":
            yrs = list(p.paired_years)
            h = [float(value_in(sel.outcome, y)["value"]) for y in yrs]
            fit = el.ols_elasticity(h, [real[y] for y in yrs], yrs)
            if fit is None:
                rows.append({**row, "status": f"not estimated: {len(yrs)} paired year(s)", "note": "; ".join(notes)})
                continue
            row.update(real_elasticity=fit.elasticity, ci_low=fit.ci_low, ci_high=fit.ci_high)
            notes.append(f"{fit.n_points} paired years, {fit.dof} degrees of freedom (descriptive)")
        elif v in ("log_arc", "midpoint") and not p.same_window:
            rows.append({**row, "status": "not computed: windows differ", "note": "; ".join(notes)})
            continue
        else:
            row["real_elasticity"] = compute_variant(v, sel, o0, o1, real[dw[0]], real[dw[1]])
        rows.append({**row, "status": "computed", "note": "; ".join(notes)})
    return rows


def build_real(run: ElasticityRun) -> pd.DataFrame:
    """Real variants (driver deflated) of every poverty run; written to ``<run_name>_real.csv``."""
    obs = load_observations()
    rows = [r for sel in run.runs if sel.is_poverty for r in _real_rows(run, sel, obs)]
    run.real = pd.DataFrame(rows, columns=list(REAL_COLUMNS))
    run.out.table(run.real, f"{run.name}_real")
    return run.real


def national_series(run: ElasticityRun) -> tuple[dict[int, float], dict[int, float], str]:
    """The nation's outcome and driver over the window of the run's ``national`` pair (empty with a reason
    if absent)."""
    spec = run.national_pair
    region, h_ind, y_ind = spec.region, spec.outcome, spec.driver
    kinds = kinds_for(run.include_external)
    obs = load_observations()
    have = obs[(obs["region"] == region) & obs["kind"].isin(list(kinds))]
    if not {h_ind, y_ind} <= set(have["indicator"]):
        kinds_seen = obs.loc[(obs["region"] == region) & obs["indicator"].isin([h_ind, y_ind]), "kind"]
        what = " and ".join(sorted(set(kinds_seen))) or "no"
        return (
            {},
            {},
            f"{region}'s {short_label(h_ind)} and {short_label(y_ind)} are {what} values (kinds used: {', '.join(kinds)})",
        )
    lo, hi = spec.start, spec.end
    h = get_series(region, h_ind, kinds, lo, hi)
    y = get_series(region, y_ind, kinds, lo, hi)
    return (
        {int(a): float(b) for a, b in zip(h["year"], h["value"], strict=False)},
        {int(a): float(b) for a, b in zip(y["year"], y["value"], strict=False)},
        "",
    )


def build_national(run: ElasticityRun) -> pd.DataFrame:
    """The national reference elasticity, nominal and real; written to ``<run_name>_national.csv``."""
    h, y, reason = national_series(run)
    rows: list[dict] = []
    if reason:
        run.national_note = reason
    else:
        cands = rt.candidates(run.national_pair.region, run.national_pair.driver, run.kinds, load_observations())
        lo, hi = min(set(h) & set(y)), max(set(h) & set(y))
        bases: list[tuple[str, dict[int, float], str]] = [("nominal", y, "")]
        try:
            idx = pr.choose_index(cands, lo, hi)
            bases.append(("real", dict(pr.deflate(y, idx.rates, lo)), f"{idx.description}, {lo} prices"))
        except pr.MissingRates as e:
            run.national_note = str(e)
        for prices, income, index in bases:
            ne = national_elasticity(h, income, prices)
            yrs = ne.years
            common = {
                "prices": prices,
                "years": " ".join(map(str, yrs)),
                "income_start": income[yrs[0]],
                "income_end": income[yrs[-1]],
                "incidence_start": h[yrs[0]],
                "incidence_end": h[yrs[-1]],
                "price_index": index,
            }
            two = f"endpoints {yrs[0]} and {yrs[-1]}: no inference"
            for variant, value in (("log_arc", ne.log_arc), ("midpoint", ne.midpoint), ("semi", ne.semi)):
                rows.append(
                    {
                        **common,
                        "variant": variant,
                        "method": el.METHOD_NAMES[variant],
                        "elasticity": value,
                        "n_points": 2,
                        "note": two,
                    }
                )
            for a, b, value in el.year_on_year(h, income):
                rows.append(
                    {
                        **common,
                        "variant": "year_on_year",
                        "method": el.METHOD_NAMES["year_on_year"],
                        "elasticity": value,
                        "n_points": 2,
                        "years": f"{a} {b}",
                        "income_start": income[a],
                        "income_end": income[b],
                        "incidence_start": h[a],
                        "incidence_end": h[b],
                        "note": f"consecutive paired years {a} and {b}",
                    }
                )
            if ne.ols is not None:
                o = ne.ols
                yrs_ols = sorted(set(h) & set(income))
                curv = el.curvature([h[t] for t in yrs_ols], [income[t] for t in yrs_ols])
                bent = (
                    ""
                    if curv is None
                    else (
                        f"; descriptive only, not a reference interval: the log-log relation is curved (quadratic "
                        f"term p = {curv.p_value:.3f}; residuals {', '.join(f'{r:+.2f}' for r in curv.residuals)}; "
                        f"Durbin-Watson {curv.durbin_watson:.2f}), so its slope depends on the window"
                    )
                )
                rows.append(
                    {
                        **common,
                        "variant": "ols",
                        "method": el.METHOD_NAMES["ols"],
                        "elasticity": o.elasticity,
                        "ci_low": o.ci_low,
                        "ci_high": o.ci_high,
                        "n_points": o.n_points,
                        "dof": o.dof,
                        "p_value": o.p_value,
                        "note": f"{o.n_points} paired years, {o.dof} degrees of freedom: interval and p-value descriptive"
                        + bent,
                    }
                )
    run.national = pd.DataFrame(rows, columns=list(NATIONAL_COLUMNS))
    run.out.table(run.national, f"{run.name}_national")
    return run.national


def national_value(run: ElasticityRun, prices: str, variant: str) -> pd.Series | None:
    """One row of the national table (None when it was not computed)."""
    t = run.national
    if t is None or t.empty:
        return None
    r = t[(t["prices"] == prices) & (t["variant"] == variant)]
    return None if r.empty else r.iloc[0]


def _series(region: str, indicator: str, kinds: tuple[str, ...]) -> dict[int, float]:
    obs = load_observations()
    if not ((obs["region"] == region) & (obs["indicator"] == indicator) & obs["kind"].isin(list(kinds))).any():
        return {}
    s = get_series(region, indicator, kinds)
    return {int(a): float(b) for a, b in zip(s["year"], s["value"], strict=False)}


def build_matched(run: ElasticityRun) -> pd.DataFrame:
    """Each poverty-incidence run beside China's arc over the same years; ``<run_name>_matched.csv``.

    For a run whose outcome window is ``o0-o1`` and driver window ``d0-d1``, the national
    value is :func:`analysis.metrics.elasticity.window_elasticity` of China's incidence over
    ``o0-o1`` and China's series of the same driver over ``d0-d1`` (the log arc when the
    windows are equal), nominal, and real with each driver deflated by the index
    :mod:`analysis.reports.real_terms` chooses. Where China lacks the driver or a window
    year, the row says which and gives no number (nothing interpolated, no other window).
    """
    region = run.national_pair.region
    h = _series(region, run.national_pair.outcome, run.kinds)
    rows: list[dict] = []
    for sel in run.runs:
        if not (sel.is_poverty and sel.is_rate):
            continue
        p = sel.pairing
        ow, dw = p.outcome_window, p.driver_window
        variant = "log_arc" if p.same_window else "window"
        base = {
            "run": sel.run_id,
            "region": sel.spec.region,
            "variant": variant,
            "outcome_window": f"{ow[0]}-{ow[1]}",
            "driver_window": f"{dw[0]}-{dw[1]}",
        }
        y = _series(region, sel.spec.driver, run.kinds)
        missing = [f"incidence {t}" for t in ow if t not in h] + [f"{sel.spec.driver} {t}" for t in dw if t not in y]
        regional = _nominal(run, sel, variant)
        if not y or missing:
            why = (
                f"{region} has no {sel.spec.driver} in the data"
                if not y
                else f"{region} is not observed in the window years ({', '.join(missing)}; observed {sel.spec.driver}: "
                f"{', '.join(map(str, sorted(y)))})"
            )
            rows.append(
                {
                    **base,
                    "prices": "nominal",
                    "regional_elasticity": regional,
                    "status": "no national value",
                    "note": why,
                }
            )
            continue
        national = el.window_elasticity(h[ow[0]], h[ow[1]], p.t_outcome, y[dw[0]], y[dw[1]], p.t_driver)
        common = {
            **base,
            "national_incidence_start": h[ow[0]],
            "national_incidence_end": h[ow[1]],
            "status": "matched windows",
        }
        rows.append(
            {
                **common,
                "prices": "nominal",
                "regional_elasticity": regional,
                "national_elasticity": national,
                "national_driver_start": y[dw[0]],
                "national_driver_end": y[dw[1]],
                "note": "same outcome and driver years; China: NBS survey incidence, the region: registered poor",
            }
        )
        real_rows = (
            run.real[(run.real["run"] == sel.run_id) & (run.real["variant"] == variant)]
            if not run.real.empty
            else run.real
        )
        if real_rows.empty or pd.isna(real_rows["real_elasticity"].iloc[0]):
            continue
        nat = get_series(region, sel.spec.driver, run.kinds)
        rg = rt.real_growth(nat, dw[0], dw[1], run.kinds)
        if rg.real_values is None:
            rows.append({**common, "prices": "real", "status": "no national value", "note": rg.reason})
            continue
        ry0, ry1 = float(rg.real_values[dw[0]]), float(rg.real_values[dw[1]])
        rows.append(
            {
                **common,
                "prices": "real",
                "regional_elasticity": float(real_rows["real_elasticity"].iloc[0]),
                "national_elasticity": el.window_elasticity(h[ow[0]], h[ow[1]], p.t_outcome, ry0, ry1, p.t_driver),
                "national_driver_start": ry0,
                "national_driver_end": ry1,
                "price_index": f"{region}: {rg.index}, {rg.base_year} prices; region: {real_rows['price_index'].iloc[0]}",
                "note": "each driver deflated by the price index the real-terms rules choose for it",
            }
        )
    run.matched = pd.DataFrame(rows, columns=list(MATCHED_COLUMNS))
    run.out.table(run.matched, f"{run.name}_matched")
    return run.matched
