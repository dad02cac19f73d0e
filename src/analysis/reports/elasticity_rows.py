"""The rows of the elasticity table: which formula a run's windows allow, and each row's years, values and notes.

The notebook's loop computes each estimate with :mod:`analysis.metrics.elasticity` and hands it to
:func:`table_row`; :func:`estimate` is the same loop as one function (for a run made without the
notebook). Depends on :mod:`analysis.reports.elasticity_select` only.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.metrics import elasticity as el
from analysis.reports.elasticity_select import Selected, short_label
from analysis.reports.params import GDP_BREAK_YEARS


def value_in(s: pd.DataFrame, year: int) -> pd.Series:
    """The row of a series in one year (the first, when several).

    Raises
    ------
    IndexError
        When the series has no row in ``year``.
    """
    for i, y in enumerate(s["year"].tolist()):
        if y is not pd.NA and y == year:
            return s.iloc[i]
    raise IndexError(f"the series has no row in {year}")


def window_values(s: pd.DataFrame, window: tuple[int, int]) -> tuple[float, float]:
    """The values of a series at the start and end of a window (both observed: the pairing checked it)."""
    return float(value_in(s, window[0])["value"]), float(value_in(s, window[1])["value"])


def kind_note(sel: Selected) -> str:
    """Which window endpoints are not document values (with a derived value's rounding range)."""
    p = sel.pairing
    bits = []
    for s, years, what in ((sel.outcome, p.outcome_window, "outcome"), (sel.driver, p.driver_window, "driver")):
        for y in years:
            r = value_in(s, y)
            if r["kind"] != "document":
                txt = f"{what} {y} {r['kind']}"
                if pd.notna(r.get("value_low")) and pd.notna(r.get("value_high")):
                    txt += f" ({r['value']:g}, rounding range {r['value_low']:g}-{r['value_high']:g})"
                bits.append(txt)
    return ("values not from the documents: " + ", ".join(bits)) if bits else ""


def _break_note(sel: Selected) -> str:
    dw = sel.pairing.driver_window
    br = [b for b in GDP_BREAK_YEARS.get(sel.spec.driver, ()) if dw[0] < b <= dw[1]]
    return (
        (f"driver crosses a series break ({', '.join(map(str, br))}: fourth-census GDP revision, partly a level shift)")
        if br
        else ""
    )


def _range_note(sel: Selected, variant: str) -> str:
    """Elasticity range from derived endpoints' rounding ranges (e.g. Wuling 2010 income)."""
    p = sel.pairing
    lo_hi: list[float | None] = []
    d0, d1 = value_in(sel.driver, p.driver_window[0]), value_in(sel.driver, p.driver_window[1])
    o0, o1 = value_in(sel.outcome, p.outcome_window[0]), value_in(sel.outcome, p.outcome_window[1])
    has_range = any(pd.notna(r.get("value_low")) for r in (d0, d1, o0, o1))
    if not has_range:
        return ""

    def v(r: pd.Series, which: str) -> float:
        x = r.get(which)
        return float(x) if pd.notna(x) else float(r["value"])

    for a in ("value_low", "value_high"):
        for b in ("value_low", "value_high"):
            vals = (v(o0, a), v(o1, b), v(d0, a), v(d1, b))
            lo_hi.append(compute_variant(variant, sel, *vals))
    finite = [x for x in lo_hi if x is not None and math.isfinite(x)]
    return f"range from rounding of derived inputs: {min(finite):.3f} to {max(finite):.3f}" if finite else ""


def compute_variant(variant: str, sel: Selected, h0: float, h1: float, y0: float, y1: float) -> float | None:
    """One endpoint formula of :mod:`analysis.metrics.elasticity` for a run's windows (None for ``ols``).

    The semi-elasticity and the window formula use the window lengths when the windows differ.
    """
    p = sel.pairing
    if variant == "log_arc":
        return el.log_arc_elasticity(h0, h1, y0, y1)
    if variant == "midpoint":
        return el.midpoint_arc_elasticity(h0, h1, y0, y1)
    if variant == "semi":
        if p.same_window:
            return el.semi_elasticity(h0, h1, y0, y1)
        return el.window_semi_elasticity(h0, h1, p.t_outcome, y0, y1, p.t_driver)
    if variant == "window":
        return el.window_elasticity(h0, h1, p.t_outcome, y0, y1, p.t_driver)
    return None


def not_computed_reason(sel: Selected, variant: str) -> str:
    """Why a formula is not applied to a run ('' when it is): the semi-elasticity of a non-rate, the window
    formula over equal windows (it equals the log arc), an arc formula over different windows, a driver
    window across a change of concept. The OLS is refused by :func:`analysis.metrics.elasticity.ols_elasticity`
    itself (too few paired years)."""
    p = sel.pairing
    if variant == "semi" and not sel.is_rate:
        return "no semi-elasticity: the outcome is not a rate"
    if variant == "window" and p.same_window:
        return "not computed separately: same windows, the window formula equals the log arc elasticity"
    if variant in ("log_arc", "midpoint") and not p.same_window:
        return (
            f"not computed: the {variant.replace('_', ' ')} formula needs the same two years for outcome "
            "and driver; see the window elasticity"
        )
    if variant == "ols":
        return ""
    return sel.concept_break()


def estimate(sel: Selected, variant: str) -> float | el.OLSElasticity | None:
    """The estimate of one run by one formula (the notebook's loop spelled as one function).

    The endpoint formulas through :func:`compute_variant`, the log-log OLS through
    :func:`analysis.metrics.elasticity.ols_elasticity` on the paired years; None where
    :func:`not_computed_reason` gives a reason.
    """
    if not_computed_reason(sel, variant):
        return None
    if variant == "ols":
        years, h, y = el.paired_values(sel.outcome, sel.driver, sel.pairing)
        return el.ols_elasticity(h, y, years)
    h0, h1 = window_values(sel.outcome, sel.pairing.outcome_window)
    y0, y1 = window_values(sel.driver, sel.pairing.driver_window)
    return compute_variant(variant, sel, h0, h1, y0, y1)


def table_row(sel: Selected, variant: str, value: float | el.OLSElasticity | None) -> dict | None:
    """The table row of one run and formula: the estimate ``value`` with its years, values, status and notes.

    Parameters
    ----------
    sel : Selected
        The run.
    variant : str
        One of :data:`analysis.metrics.elasticity.VARIANTS`.
    value : float, OLSElasticity or None
        The estimate (an OLS fit for ``ols``); None where it was not computed (the row then carries the reason).

    Returns
    -------
    dict or None
        None for the semi-elasticity of an outcome that is not a rate (no row at all).
    """
    p, spec = sel.pairing, sel.spec
    ow, dw = p.outcome_window, p.driver_window
    o0, o1 = window_values(sel.outcome, ow)
    d0, d1 = window_values(sel.driver, dw)
    band = sel.band
    row = {
        "outcome": spec.outcome,
        "driver": spec.driver,
        "region": spec.region,
        "outcome_years": f"{ow[0]} {ow[1]}",
        "driver_years": f"{dw[0]} {dw[1]}",
        "method": el.METHOD_NAMES[variant],
        "elasticity": None,
        "ci_low": None,
        "ci_high": None,
        "n_points": 2,
        "note": "",
        "variant": variant,
        "run": spec.run_id,
        "driver_region": spec.d_region,
        "outcome_window": f"{ow[0]}-{ow[1]}",
        "driver_window": f"{dw[0]}-{dw[1]}",
        "paired_years": " ".join(map(str, p.paired_years)),
        "unit": "dimensionless (ratio of log changes)",
        "outcome_start_value": o0,
        "outcome_end_value": o1,
        "driver_start_value": d0,
        "driver_end_value": d1,
        "literature_low": band.low if band else None,
        "literature_high": band.high if band else None,
        "p_value": None,
        "dof": None,
        "status": "",
        "literature_difference": literature_difference(sel) if band else "",
    }
    row["status"] = (
        "same window" if p.same_window else f"windows differ: outcome {ow[0]}-{ow[1]}, driver {dw[0]}-{dw[1]}"
    )
    notes = [p.note]
    if variant == "semi":
        if not sel.is_rate:
            return None
        row["unit"] = "percentage points per 1% growth of the driver"
        row["literature_low"] = row["literature_high"] = None
        if not p.same_window:
            row["method"] = el.METHOD_NAMES["semi_window_ratio"]
            row["unit"] = "percentage points a year per 1% a year of driver growth"
    if variant == "window" and not p.same_window:
        row["method"] = el.METHOD_NAMES["window_ratio"]
        row["unit"] = "dimensionless (ratio of average annual log growth rates)"
    reason = not_computed_reason(sel, variant)
    if variant == "window" and p.same_window:
        notes.insert(0, reason)
        row["status"] = "not computed separately: same windows (see the log arc row)"
        row["n_points"] = 0
    elif variant in ("log_arc", "midpoint") and not p.same_window:
        notes.insert(0, reason)
        row["status"] = f"not computed: windows differ ({ow[0]}-{ow[1]} vs {dw[0]}-{dw[1]})"
        row["n_points"] = 0
    elif variant == "ols":
        years = list(p.paired_years)
        row["outcome_years"] = row["driver_years"] = " ".join(map(str, years))
        row["n_points"] = len(years)
        fit = value if isinstance(value, el.OLSElasticity) else None
        if fit is None:
            notes.insert(
                0,
                f"not estimated: {n_years_text(len(years))} ({', '.join(map(str, years)) or 'none'}); "
                f"the log-log OLS needs at least {el.MIN_OLS_POINTS}",
            )
            row["status"] = f"not estimated: {n_years_text(len(years))}, needs {el.MIN_OLS_POINTS}"
        else:
            row.update(
                elasticity=fit.elasticity, ci_low=fit.ci_low, ci_high=fit.ci_high, p_value=fit.p_value, dof=fit.dof
            )
            notes.insert(
                0, f"{fit.n_points} paired years, {fit.dof} degrees of freedom: interval and p-value descriptive"
            )
            row["status"] = f"{fit.n_points} paired years, {fit.dof} degrees of freedom (descriptive)"
    elif reason:
        notes.insert(0, reason)
        row.update(status=reason.split(" (")[0], n_points=0)
    else:
        row["elasticity"] = None if value is None or isinstance(value, el.OLSElasticity) else float(value)
        notes.append("2 endpoints: no inference")
        rn = _range_note(sel, variant)
        if rn:
            notes.append(rn)
    for extra in (kind_note(sel), _break_note(sel), spec.note_text, sel.poverty_note()):
        if extra:
            notes.append(extra)
    notes.append("nominal values")
    row["note"] = "; ".join(notes)
    if row["elasticity"] is None:
        row["reason"] = notes[0]  # the first note says why (the not-computed table's reason)
    return row


def literature_difference(sel: Selected) -> str:
    """How a run's estimate differs from the literature band's kind (empty when it has no band).

    The bands are survey headcounts against a real driver; every difference is named, so
    the band is never read as a verdict ("inside", "outside") on an estimate of another kind.
    """
    band = sel.band
    if band is None:
        return ""
    diffs = [f"the driver is nominal ({short_label(sel.spec.driver)} in current prices)"]
    if sel.is_poverty:
        diffs.append("the outcome is registered-poor incidence (建档立卡), not a survey headcount")
    if not sel.pairing.same_window:
        diffs.append("outcome and driver windows differ (a ratio of growth rates)")
    diffs.append("two endpoints of one area, not a cross-country regression")
    return (
        f"not comparable with the literature band {band.low:g} to {band.high:g} (survey headcounts against "
        f"{band.driver_concept}, across countries): " + "; ".join(diffs)
    )


def n_years_text(n: int) -> str:
    """``"1 paired year"``, ``"3 paired years"``."""
    return f"{n} paired year{'' if n == 1 else 's'}"
