"""Poverty-growth elasticities for short official series (``docs/methods.md``, section 4).

Small pure functions, one formula each:

* :func:`log_arc_elasticity` ``ln(H_T/H_0) / ln(Y_T/Y_0)``: the headline, comparable to
  the literature;
* :func:`midpoint_arc_elasticity` ``(dH/mean H) / (dY/mean Y)``: shows how much the
  formula matters;
* :func:`semi_elasticity` ``(H_T - H_0) / (100 ln(Y_T/Y_0))``: percentage points per 1%
  growth; finite as H approaches zero, but bounded by the starting level, so not
  comparable across areas that start from different levels;
* :func:`window_elasticity` ``(ln(S_T/S_0)/T_S) / (ln(Y_T/Y_0)/T_Y)``: the ratio of two
  average annual log growth rates; with equal windows the log arc elasticity, with
  different windows a ratio of growth rates, which the reports do not call an elasticity;
* :func:`year_on_year`: log arc elasticities between consecutive paired years, and
  :func:`curvature`, whether a log-log line fits at all;
* :func:`ols_elasticity`: log-log OLS point elasticity with a t-based 95% interval, only
  with at least :data:`MIN_OLS_POINTS` paired years;
* the Bourguignon (2003) distribution-neutral lognormal benchmark
  (:func:`sigma_from_gini`, :func:`headcount`, :func:`benchmark_elasticity`,
  :func:`benchmark_arc_elasticity`, :func:`benchmark_curve`).

Years are paired explicitly by :func:`pair_years`: nothing is interpolated and two
different years are never treated as one. When the outcome window differs from the
driver window the :class:`Pairing` says so, and only the window-length formula applies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

# statsmodels and scipy.stats are imported where they are used: a report that needs only
# the arc elasticities (the start-here notebook) does not pay ~1.5 s of CPU to import them.

MIN_OLS_POINTS = 4
"""Fewest paired years for the log-log OLS point elasticity (``docs/methods.md``, section 4)."""

GINI_VALUES: tuple[float, ...] = (0.30, 0.35, 0.40)
"""Gini coefficients of the lognormal benchmark curves."""

VARIANTS = ("log_arc", "midpoint", "semi", "window", "ols")
"""Elasticity variants a report can compute."""

METHOD_NAMES = {
    "log_arc": "log arc elasticity ln(H_T/H_0)/ln(Y_T/Y_0)",
    "midpoint": "midpoint arc elasticity (dH/mean H)/(dY/mean Y)",
    "semi": "semi-elasticity (H_T-H_0)/(100 ln(Y_T/Y_0)), pp per 1% growth",
    "semi_window": "semi-elasticity over different windows ((H_T-H_0)/T_H)/(100 ln(Y_T/Y_0)/T_Y), pp per 1% growth",
    "window": "window elasticity (ln(S_T/S_0)/T_S)/(ln(Y_T/Y_0)/T_Y)",
    "window_ratio": (
        "ratio of average annual log growth rates over different windows (ln(S_T/S_0)/T_S)/(ln(Y_T/Y_0)/T_Y); "
        "not an elasticity"
    ),
    "semi_window_ratio": (
        "ratio of percentage points a year to average annual log growth of the driver over different windows "
        "((H_T-H_0)/T_H)/(100 ln(Y_T/Y_0)/T_Y); not a semi-elasticity"
    ),
    "year_on_year": "year-on-year log arc elasticity ln(H_t/H_t-1)/ln(Y_t/Y_t-1)",
    "ols": "log-log OLS point elasticity ln H = a + e ln Y, t-based 95% CI",
}
"""The ``method`` text of each variant in the elasticity table (``window_ratio``: the window
formula when the outcome and driver windows differ, which is a ratio of growth rates, not an
elasticity)."""


class YearMismatch(ValueError):
    """Outcome and driver are not observed in the same years (and that was not allowed)."""


def _positive(*values: float) -> None:
    for v in values:
        if not v > 0:
            raise ValueError(f"logarithmic elasticities need positive values, got {v}")


def _growing(y0: float, y1: float) -> None:
    if y0 == y1:
        raise ValueError("the driver does not change between the endpoints: the elasticity is undefined")


def log_arc_elasticity(h0: float, h1: float, y0: float, y1: float) -> float:
    """Log arc elasticity ``ln(H_T / H_0) / ln(Y_T / Y_0)``.

    Parameters
    ----------
    h0, h1 : float
        Outcome (e.g. poverty incidence) at the start and end year; positive.
    y0, y1 : float
        Driver (e.g. GDP per capita) in the same two years; positive and different.

    Returns
    -------
    float
        Percent change of the outcome per 1% change of the driver (constant-elasticity
        reading of the two endpoints).

    Examples
    --------
    Xiangxi poverty incidence 31.93% -> 0.65% against GDP per capita 16171 -> 26691 元:

    >>> round(log_arc_elasticity(31.93, 0.65, 16171, 26691), 2)
    -7.77
    """
    _positive(h0, h1, y0, y1)
    _growing(y0, y1)
    return math.log(h1 / h0) / math.log(y1 / y0)


def midpoint_arc_elasticity(h0: float, h1: float, y0: float, y1: float) -> float:
    """Midpoint (arc) elasticity ``(dH / mean H) / (dY / mean Y)``.

    Parameters
    ----------
    h0, h1, y0, y1 : float
        Outcome and driver at the same start and end year.

    Returns
    -------
    float
        Bounded by 2 / (dY / mean Y) in magnitude, so it stays finite as H falls to zero.

    Examples
    --------
    >>> round(midpoint_arc_elasticity(31.93, 0.65, 16171, 26691), 2)
    -3.91
    """
    _growing(y0, y1)
    mh, my = (h0 + h1) / 2.0, (y0 + y1) / 2.0
    if mh == 0 or my == 0:
        raise ValueError("midpoint elasticity needs non-zero means")
    return ((h1 - h0) / mh) / ((y1 - y0) / my)


def semi_elasticity(h0: float, h1: float, y0: float, y1: float) -> float:
    """Semi-elasticity ``(H_T - H_0) / (100 ln(Y_T / Y_0))``: percentage points per 1% growth.

    Parameters
    ----------
    h0, h1 : float
        A rate in percent (31.93 means 31.93%).
    y0, y1 : float
        Driver in the same two years; positive and different.

    Returns
    -------
    float
        Change of the rate in percentage points per 1% (log-point) growth of the driver.

    Examples
    --------
    >>> round(semi_elasticity(31.93, 0.65, 16171, 26691), 3)
    -0.624
    """
    _positive(y0, y1)
    _growing(y0, y1)
    return (h1 - h0) / (100.0 * math.log(y1 / y0))


def window_elasticity(s0: float, s1: float, t_s: float, y0: float, y1: float, t_y: float) -> float:
    """Elasticity over windows of different length ``(ln(S_T/S_0)/T_S) / (ln(Y_T/Y_0)/T_Y)``.

    The ratio of the two annualised log growth rates. With equal windows it equals
    :func:`log_arc_elasticity`.

    Parameters
    ----------
    s0, s1 : float
        Outcome at the start and end of its window; positive.
    t_s : float
        Length of the outcome window in years.
    y0, y1 : float
        Driver at the start and end of its own window; positive and different.
    t_y : float
        Length of the driver window in years.

    Returns
    -------
    float

    Examples
    --------
    Xiangxi rural dibao standard 1980 -> 3927 元 (2014-2019) against GDP per capita
    16171 -> 26691 元 (2013-2019):

    >>> round(window_elasticity(1980, 3927, 5, 16171, 26691, 6), 2)
    1.64
    """
    if t_s <= 0 or t_y <= 0:
        raise ValueError(f"window lengths must be positive, got {t_s} and {t_y}")
    _positive(s0, s1, y0, y1)
    _growing(y0, y1)
    return (math.log(s1 / s0) / t_s) / (math.log(y1 / y0) / t_y)


def window_semi_elasticity(h0: float, h1: float, t_h: float, y0: float, y1: float, t_y: float) -> float:
    """Semi-elasticity over different windows ``((H_T-H_0)/T_H) / (100 ln(Y_T/Y_0)/T_Y)``.

    Percentage points a year per 1% a year of driver growth; equals
    :func:`semi_elasticity` when the windows are equal.
    """
    if t_h <= 0 or t_y <= 0:
        raise ValueError(f"window lengths must be positive, got {t_h} and {t_y}")
    _positive(y0, y1)
    _growing(y0, y1)
    return ((h1 - h0) / t_h) / (100.0 * math.log(y1 / y0) / t_y)


def log_arc_elasticity_many(
    h0: np.ndarray,
    h1: np.ndarray,
    y0: np.ndarray,
    y1: np.ndarray,
    t_h: np.ndarray | float = 1.0,
    t_y: np.ndarray | float = 1.0,
) -> np.ndarray:
    """Vectorised :func:`log_arc_elasticity` (and :func:`window_elasticity`) for many series.

    Parameters
    ----------
    h0, h1, y0, y1 : array_like
        Endpoints, one element per series (broadcast together).
    t_h, t_y : array_like or float
        Window lengths; equal windows (the default) give the log arc elasticity.

    Returns
    -------
    numpy.ndarray
        One elasticity per series; NaN where a value is not positive or the driver does
        not change.
    """
    h0, h1, y0, y1 = (np.asarray(a, dtype=float) for a in (h0, h1, y0, y1))
    t_h, t_y = np.asarray(t_h, dtype=float), np.asarray(t_y, dtype=float)
    ok = (h0 > 0) & (h1 > 0) & (y0 > 0) & (y1 > 0) & (y0 != y1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (np.log(h1 / h0) / t_h) / (np.log(y1 / y0) / t_y)
    return np.where(ok, out, np.nan)


@dataclass(frozen=True)
class OLSElasticity:
    """A log-log OLS point elasticity ``ln H = a + e ln Y`` with a t-based interval."""

    elasticity: float
    ci_low: float
    ci_high: float
    se: float
    p_value: float
    n_points: int
    dof: int
    r_squared: float
    years: tuple[int, ...]


def ols_elasticity(
    h: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    years: Sequence[int] | None = None,
    alpha: float = 0.05,
) -> OLSElasticity | None:
    """Log-log OLS point elasticity with a t-based ``1 - alpha`` interval.

    Parameters
    ----------
    h, y : sequence of float
        Outcome and driver in the same (paired) years; positive.
    years : sequence of int, optional
        The paired years (kept in the result for the table).
    alpha : float
        Significance level of the interval (default 0.05).

    Returns
    -------
    OLSElasticity or None
        None with fewer than :data:`MIN_OLS_POINTS` paired years. With four points the
        fit has two degrees of freedom: interval and p-value are descriptive.
    """
    h_arr, y_arr = np.asarray(h, dtype=float), np.asarray(y, dtype=float)
    if h_arr.shape != y_arr.shape:
        raise ValueError("outcome and driver must have one value per paired year")
    if len(h_arr) < MIN_OLS_POINTS:
        return None
    _positive(*h_arr, *y_arr)
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    fit = OLS(np.log(h_arr), add_constant(np.log(y_arr), has_constant="add")).fit()
    lo, hi = fit.conf_int(alpha=alpha)[1]
    yrs = tuple(int(v) for v in years) if years is not None else ()
    return OLSElasticity(
        float(fit.params[1]),
        float(lo),
        float(hi),
        float(fit.bse[1]),
        float(fit.pvalues[1]),
        len(h_arr),
        int(fit.df_resid),
        float(fit.rsquared),
        yrs,
    )


def year_on_year(h: Mapping[int, float], y: Mapping[int, float]) -> list[tuple[int, int, float]]:
    """Log arc elasticities between consecutive paired years ``ln(H_t/H_s) / ln(Y_t/Y_s)``.

    Parameters
    ----------
    h, y : mapping of int to float
        Outcome and driver by year; only years observed in both are used, and each
        elasticity joins a paired year with the next paired year (nothing interpolated).

    Returns
    -------
    list of (int, int, float)
        ``(start_year, end_year, elasticity)`` in year order.

    Examples
    --------
    China, poverty incidence 7.2% -> 5.7% against rural income 10489 -> 11422 元, 2014-2015:

    >>> [(a, b, round(e, 2)) for a, b, e in year_on_year({2014: 7.2, 2015: 5.7}, {2014: 10489, 2015: 11422})]
    [(2014, 2015, -2.74)]
    """
    years = sorted(set(h) & set(y))
    return [(a, b, log_arc_elasticity(h[a], h[b], y[a], y[b])) for a, b in pairwise(years)]


@dataclass(frozen=True)
class Curvature:
    """Curvature of a log-log fit: the quadratic term ``ln H = a + b ln Y + c (ln Y)^2``."""

    quadratic: float
    p_value: float
    residuals: tuple[float, ...]
    """Residuals of the linear log-log fit, in year order."""
    durbin_watson: float


def curvature(h: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> Curvature | None:
    """Whether a log-log line fits: the quadratic term's coefficient and p-value, and the linear fit's residuals.

    Parameters
    ----------
    h, y : sequence of float
        Outcome and driver in the same (paired) years, in year order; positive.

    Returns
    -------
    Curvature or None
        None with fewer than five points (the quadratic fit needs a residual degree of
        freedom beyond :data:`MIN_OLS_POINTS`).
    """
    h_arr, y_arr = np.log(np.asarray(h, dtype=float)), np.log(np.asarray(y, dtype=float))
    if len(h_arr) < MIN_OLS_POINTS + 1:
        return None
    from statsmodels.regression.linear_model import OLS
    from statsmodels.stats.stattools import durbin_watson
    from statsmodels.tools.tools import add_constant

    lin = OLS(h_arr, add_constant(y_arr, has_constant="add")).fit()
    x = y_arr - y_arr.mean()  # centred: the quadratic term's test does not depend on the centring
    quad = OLS(h_arr, add_constant(np.column_stack([x, x * x]), has_constant="add")).fit()
    return Curvature(
        float(quad.params[2]),
        float(quad.pvalues[2]),
        tuple(float(r) for r in lin.resid),
        float(durbin_watson(lin.resid)),
    )


# --- Year pairing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    """Which years of an outcome and a driver an elasticity uses.

    Attributes
    ----------
    outcome_window, driver_window : (int, int)
        Start and end year of each series used by the endpoint formulas.
    outcome_years, driver_years : tuple of int
        Observed years of each series inside its window.
    paired_years : tuple of int
        Years observed in both series inside the outcome window (the only years an OLS
        or a log-log path may use).
    note : str
        Plain statement of the windows, the paired years and the formula they allow.
    """

    outcome_window: tuple[int, int]
    driver_window: tuple[int, int]
    outcome_years: tuple[int, ...]
    driver_years: tuple[int, ...]
    paired_years: tuple[int, ...]
    note: str

    @property
    def same_window(self) -> bool:
        """True when both series use the same start and end year."""
        return self.outcome_window == self.driver_window

    @property
    def t_outcome(self) -> int:
        return self.outcome_window[1] - self.outcome_window[0]

    @property
    def t_driver(self) -> int:
        return self.driver_window[1] - self.driver_window[0]


def _years(values: Iterable[int]) -> list[int]:
    return sorted({int(v) for v in values})


def _span(w: tuple[int, int]) -> str:
    return f"{w[0]}-{w[1]}"


def _join(years: Iterable[int]) -> str:
    ys = list(years)
    return ", ".join(map(str, ys)) if ys else "none"


def choose_driver_window(
    outcome_window: tuple[int, int], driver_years: Iterable[int], document_years: Iterable[int] = ()
) -> tuple[int, int]:
    """The driver window used against an outcome window (no interpolation).

    Rule: the outcome window itself when the driver observes both of its years; else the
    tightest pair of the driver's ``document_years`` (values the source documents state) that
    brackets the outcome window (start at or before the outcome's, end at or after it), so that
    a document pair is preferred over a window that rests on an external value; else the
    widest window of driver years inside the outcome window (at least two); else the
    pair of observed driver years closest to the outcome endpoints (smallest
    ``|d0 - o0| + |d1 - o1|``, ties to the shorter window, then the earlier one).

    Raises
    ------
    YearMismatch
        When the driver has fewer than two observed years.

    Examples
    --------
    Dibao standard 2014-2019 against Xiangxi GDP per capita (observed 2013, 2015, 2019; the
    documents state 2013 and 2019): the document pair brackets the outcome window.

    >>> choose_driver_window((2014, 2019), [2013, 2015, 2019], [2013, 2019])
    (2013, 2019)
    >>> choose_driver_window((2014, 2019), [2013, 2015, 2019])
    (2015, 2019)
    """
    ys = _years(driver_years)
    if len(ys) < 2:
        raise YearMismatch(f"the driver has fewer than two observed years ({_join(ys)})")
    o0, o1 = outcome_window
    if o0 in ys and o1 in ys:
        return (o0, o1)
    docs = [y for y in _years(document_years) if y in ys]
    before, after = [y for y in docs if y <= o0], [y for y in docs if y >= o1]
    if before and after:
        return (before[-1], after[0])
    inside = [y for y in ys if o0 <= y <= o1]
    if len(inside) >= 2:
        return (inside[0], inside[-1])
    cands = [(abs(a - o0) + abs(b - o1), b - a, a, b) for i, a in enumerate(ys) for b in ys[i + 1 :]]
    _, _, a, b = min(cands)
    return (a, b)


def pair_years(
    outcome_years: Iterable[int],
    driver_years: Iterable[int],
    start: int | None = None,
    end: int | None = None,
    driver_window: tuple[int, int] | None = None,
    allow_different_windows: bool = True,
    driver_document_years: Iterable[int] = (),
) -> Pairing:
    """Pair the years of an outcome and a driver explicitly.

    Parameters
    ----------
    outcome_years, driver_years : iterable of int
        Observed years of each series.
    start, end : int, optional
        Outcome window; default its first and last observed year. Both must be observed.
    driver_window : (int, int), optional
        Driver window; default :func:`choose_driver_window`. Both years must be observed.
    allow_different_windows : bool
        When False, a driver window different from the outcome window raises instead of
        being reported (for formulas that need the same two years).
    driver_document_years : iterable of int
        The driver's years stated by the documents: a pair of them bracketing the outcome window
        is preferred (:func:`choose_driver_window`).

    Returns
    -------
    Pairing
        Windows, observed and paired years, and a note that states any mismatch.

    Raises
    ------
    YearMismatch
        Unobserved window years, fewer than two years, or (if not allowed) different windows.
    """
    oy, dy = _years(outcome_years), _years(driver_years)
    if len(oy) < 2:
        raise YearMismatch(f"the outcome has fewer than two observed years ({_join(oy)})")
    o0 = oy[0] if start is None else int(start)
    o1 = oy[-1] if end is None else int(end)
    for y in (o0, o1):
        if y not in oy:
            raise YearMismatch(f"outcome year {y} is not observed; observed years: {_join(oy)}")
    if o0 >= o1:
        raise YearMismatch(f"outcome window {o0}-{o1}: the start must be before the end")
    ow = (o0, o1)
    if driver_window is None:
        dw = choose_driver_window(ow, dy, driver_document_years)
    else:
        dw = (int(driver_window[0]), int(driver_window[1]))
        for y in dw:
            if y not in dy:
                raise YearMismatch(f"driver year {y} is not observed; observed years: {_join(dy)}")
        if dw[0] >= dw[1]:
            raise YearMismatch(f"driver window {_span(dw)}: the start must be before the end")
    o_in = tuple(y for y in oy if o0 <= y <= o1)
    d_in = tuple(y for y in dy if dw[0] <= y <= dw[1])
    paired = tuple(y for y in o_in if y in set(dy))
    if ow == dw:
        note = f"same window {_span(ow)} for outcome and driver; paired years: {_join(paired)}"
        unpaired = [y for y in o_in if y not in paired]
        if unpaired:
            note += f" (outcome years without a driver value, not interpolated: {_join(unpaired)})"
    else:
        if not allow_different_windows:
            raise YearMismatch(
                f"outcome window {_span(ow)} differs from driver window {_span(dw)} "
                f"(outcome observed {_join(oy)}; driver observed {_join(dy)})"
            )
        missing = [y for y in ow if y not in dy]
        why = f"the driver has no value for {_join(missing)}" if missing else "driver window set explicitly"
        docs = set(_years(driver_document_years))
        if driver_window is None and docs and dw != choose_driver_window(ow, dy):
            why += "; the document years bracketing the outcome window are preferred to a window with external values"
        note = (
            f"outcome window {_span(ow)} differs from driver window {_span(dw)} ({why}; observed driver years "
            f"{_join(dy)}; nothing interpolated): window-length formula; paired years: {_join(paired)}"
        )
    return Pairing(ow, dw, o_in, d_in, paired, note)


def paired_values(
    outcome: Mapping[int, float] | pd.DataFrame, driver: Mapping[int, float] | pd.DataFrame, pairing: Pairing
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Outcome and driver values in the paired years only (for OLS and log-log paths)."""
    o, d = _as_map(outcome), _as_map(driver)
    years = list(pairing.paired_years)
    return years, np.array([o[y] for y in years], float), np.array([d[y] for y in years], float)


def _as_map(s: Mapping[int, float] | pd.DataFrame) -> dict[int, float]:
    if isinstance(s, pd.DataFrame):
        return {int(y): float(v) for y, v in zip(s["year"], s["value"], strict=True)}
    return {int(k): float(v) for k, v in s.items()}


# --- Distribution-neutral lognormal benchmark (Bourguignon 2003) ----------------------------------------------


def sigma_from_gini(gini: float | np.ndarray) -> float | np.ndarray:
    """Lognormal sigma of a Gini coefficient: ``sqrt(2) * Phi^-1((G + 1) / 2)``.

    Examples
    --------
    >>> round(float(sigma_from_gini(0.35)), 4)
    0.6417
    """
    g = np.asarray(gini, dtype=float)
    if np.any((g <= 0) | (g >= 1)):
        raise ValueError(f"a Gini coefficient must lie strictly between 0 and 1, got {gini}")
    from scipy import stats

    out = math.sqrt(2.0) * stats.norm.ppf((g + 1.0) / 2.0)
    return float(out) if np.ndim(out) == 0 else out


def headcount(z_over_mu: float | np.ndarray, gini: float) -> float | np.ndarray:
    """Lognormal headcount ``H = Phi(ln(z/mu)/sigma + sigma/2)`` (a fraction, 0-1).

    Parameters
    ----------
    z_over_mu : float or ndarray
        Poverty line over mean income.
    gini : float
        Gini coefficient of the lognormal distribution.
    """
    s = sigma_from_gini(gini)
    from scipy import stats

    out = stats.norm.cdf(np.log(np.asarray(z_over_mu, dtype=float)) / s + s / 2.0)
    return float(out) if np.ndim(out) == 0 else out


def benchmark_elasticity(h: float | np.ndarray, gini: float) -> float | np.ndarray:
    """Distribution-neutral point elasticity of H to mean income: ``-phi(x) / (sigma Phi(x))``, ``x = Phi^-1(H)``.

    Parameters
    ----------
    h : float or ndarray
        Headcount as a fraction in (0, 1) (0.3193, not 31.93).
    gini : float

    Returns
    -------
    float or ndarray
        Negative; grows in magnitude as H falls.
    """
    h_arr = np.asarray(h, dtype=float)
    if np.any((h_arr <= 0) | (h_arr >= 1)):
        raise ValueError(f"the headcount must be a fraction strictly between 0 and 1, got {h}")
    s = sigma_from_gini(gini)
    from scipy import stats

    x = stats.norm.ppf(h_arr)
    out = -stats.norm.pdf(x) / (s * h_arr)
    return float(out) if np.ndim(out) == 0 else out


def benchmark_arc_elasticity(h0: float, h1: float, gini: float) -> float:
    """Distribution-neutral log arc elasticity between two headcounts (fractions).

    With sigma fixed, ``ln(z/mu) = sigma (Phi^-1(H) - sigma/2)``, so the mean-income growth
    that moves H from ``h0`` to ``h1`` is ``sigma (Phi^-1(h0) - Phi^-1(h1))`` and the arc
    elasticity is ``ln(h1/h0)`` over it.
    """
    return math.log(h1 / h0) / required_log_growth(h0, h1, gini)


def required_log_growth(h0: float, h1: float, gini: float) -> float:
    """Log growth of mean income that moves a lognormal headcount from ``h0`` to ``h1`` (fractions)."""
    for v in (h0, h1):
        if not 0 < v < 1:
            raise ValueError(f"the headcount must be a fraction strictly between 0 and 1, got {v}")
    s = sigma_from_gini(gini)
    from scipy import stats

    return float(s * (stats.norm.ppf(h0) - stats.norm.ppf(h1)))


def benchmark_curve(
    gini_values: Sequence[float] = GINI_VALUES, h_min: float = 0.002, h_max: float = 0.6, n: int = 200
) -> pd.DataFrame:
    """Benchmark elasticity over a grid of headcounts, one curve per Gini (for plotting).

    Returns
    -------
    pandas.DataFrame
        ``gini, sigma, headcount_pct, z_over_mu, elasticity``; the grid is log-spaced in H.
    """
    from scipy import stats

    grid = np.geomspace(h_min, h_max, n)
    frames = []
    for g in gini_values:
        s = sigma_from_gini(g)
        frames.append(
            pd.DataFrame(
                {
                    "gini": float(g),
                    "sigma": s,
                    "headcount_pct": 100.0 * grid,
                    "z_over_mu": np.exp(s * (stats.norm.ppf(grid) - s / 2.0)),
                    "elasticity": benchmark_elasticity(grid, g),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
