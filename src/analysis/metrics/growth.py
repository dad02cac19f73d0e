"""Growth metrics for short official series (``docs/methods.md``, section 2).

Every result says which method produced it and which observed years it used. Nothing
is interpolated: a CAGR needs both endpoint years observed; a log-linear trend needs at
least :data:`MIN_TREND_POINTS` observed years, otherwise it is not estimated (an
endpoint-only series gets a CAGR and no fake trend). Rates such as poverty incidence get
percentage-point changes and log changes, never a compounded rate.

The single-series trend uses statsmodels OLS with t-based intervals; the vectorised
:func:`cagr_many` and :func:`trend_growth_many` compute the same numbers for many series
at once (closed-form OLS) and are tested against it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.vocab import LabelView, indicators_where

# statsmodels and scipy.stats cost about 1.2 s to import; they are imported where a
# trend is fitted, so notebooks that only need CAGRs (comparisons) start faster.

MIN_TREND_POINTS = 5
"""Fewest observed years for a log-linear trend (``docs/methods.md``, section 2)."""

TABLE_COLUMNS = (
    "series_id",
    "region",
    "indicator",
    "start_year",
    "end_year",
    "n_points",
    "method",
    "cagr",
    "trend_growth",
    "trend_ci_low",
    "trend_ci_high",
    "change",
    "change_per_year",
    "change_unit",
    "log_change",
    "doubling_time",
    "total_change",
    "years_used",
    "kinds_used",
    "note",
    "external_used",
    "vintages",
    "missing_years",
)
"""Columns of ``reports/tables/growth_rates.csv`` (the first twelve are the issue's).

``external_used`` says whether any external (secondary) value entered the row;
``vintages`` lists the years whose value is a preliminary or revised figure (e.g.
``2017 preliminary; 2018 preliminary``); ``missing_years`` the years inside the period
that no source gives (never interpolated)."""

COUNT_INDICATORS: Mapping[str, str] = LabelView(lambda: indicators_where("change_measure", "count"))
"""Counts that fall towards zero: reported as absolute and log changes, never compounded (``change_measure``
``count`` in ``data/raw/indicators.csv``; ``indicator in COUNT_INDICATORS`` tests membership)."""


def _years_values(series: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    s = series.sort_values("year")
    years = s["year"].astype(int).to_numpy()
    values = s["value"].astype(float).to_numpy()
    if len(set(years)) != len(years):
        raise ValueError("the series has two values for one year; use analysis.get_series, which keeps one")
    if (values <= 0).any():
        raise ValueError("growth rates need positive values")
    return years, values


def cagr(v0: float, v1: float, years: float) -> float:
    """Compound annual growth rate ``(v1 / v0) ** (1 / years) - 1``.

    Examples
    --------
    Xiangxi GDP 418.9 -> 705.7 亿元 over 2013-2019:

    >>> round(cagr(418.9, 705.7, 6), 4)
    0.0908
    """
    if years <= 0:
        raise ValueError(f"a CAGR needs a positive number of years, got {years}")
    if v0 <= 0 or v1 <= 0:
        raise ValueError("a CAGR needs positive values")
    return (v1 / v0) ** (1.0 / years) - 1.0


def doubling_time(rate: float) -> float:
    """Years to double at a constant annual growth ``rate``: ``ln 2 / ln(1 + rate)``.

    Returns ``inf`` for a non-positive rate.
    """
    return math.log(2) / math.log1p(rate) if rate > 0 else math.inf


def percent_change(v0: float, v1: float) -> float:
    """Total proportional change ``v1 / v0 - 1`` (e.g. 1980 -> 3927 元 is 0.983)."""
    return v1 / v0 - 1.0


def yoy(series: pd.DataFrame) -> pd.DataFrame:
    """Change between consecutive observed years.

    Where observed years are not adjacent (e.g. 2013 then 2015) the change is reported
    annualised over the gap and ``gap_years`` says so: it is not a year-on-year rate.

    Returns
    -------
    pandas.DataFrame
        ``year, value, prev_year, gap_years, change, annualised``.
    """
    years, values = _years_values(series)
    out = pd.DataFrame({"year": years, "value": values})
    out["prev_year"] = out["year"].shift(1).astype("Int64")
    out["gap_years"] = (out["year"] - out["prev_year"]).astype("Int64")
    out["change"] = out["value"] / out["value"].shift(1) - 1
    out["annualised"] = (out["value"] / out["value"].shift(1)) ** (1 / out["gap_years"].astype(float)) - 1
    return out


def index(series: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Index with ``base_year`` = 100; the base year must be observed.

    Raises
    ------
    ValueError
        When ``base_year`` is not an observed year (listing those that are).
    """
    years, values = _years_values(series)
    if base_year not in years:
        raise ValueError(f"base year {base_year} is not observed; observed years: {', '.join(map(str, years))}")
    base = values[list(years).index(base_year)]
    return pd.DataFrame({"year": years, "value": values, "index": 100.0 * values / base})


@dataclass
class Trend:
    """A log-linear OLS trend ``ln y = a + b t`` with t-based 95% interval."""

    growth: float
    ci_low: float
    ci_high: float
    slope: float
    slope_se: float
    n_points: int
    years: list[int]
    r_squared: float
    fit: Any = field(repr=False, default=None)  # statsmodels' RegressionResults (untyped library)

    def band(self, years: np.ndarray) -> pd.DataFrame:
        """Fitted values and 95% confidence band (in levels) at ``years``."""
        from statsmodels.tools.tools import add_constant

        x = add_constant(np.asarray(years, dtype=float) - self.years[0], has_constant="add")
        frame = self.fit.get_prediction(x).summary_frame(alpha=0.05)
        return pd.DataFrame(
            {
                "year": years,
                "fitted": np.exp(frame["mean"]),
                "low": np.exp(frame["mean_ci_lower"]),
                "high": np.exp(frame["mean_ci_upper"]),
            }
        )


def trend_growth(series: pd.DataFrame, alpha: float = 0.05) -> Trend | None:
    """Log-linear trend growth ``exp(b) - 1`` with a t-based ``1 - alpha`` interval.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year`` and ``value`` (observed years only).
    alpha : float
        Significance level of the interval (default 0.05).

    Returns
    -------
    Trend or None
        None when fewer than :data:`MIN_TREND_POINTS` years are observed.
    """
    years, values = _years_values(series)
    if len(years) < MIN_TREND_POINTS:
        return None
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    t = years - years[0]
    fit = OLS(np.log(values), add_constant(t.astype(float))).fit()
    lo, hi = fit.conf_int(alpha=alpha)[1]
    b = fit.params[1]
    return Trend(
        math.expm1(b),
        math.expm1(lo),
        math.expm1(hi),
        float(b),
        float(fit.bse[1]),
        len(years),
        [int(y) for y in years],
        float(fit.rsquared),
        fit,
    )


def rate_change(series: pd.DataFrame, start: int, end: int) -> dict[str, float]:
    """Percentage-point and log change of a rate between two observed years.

    ``value`` is in percent (31.93 means 31.93%). Returns ``pp_change`` (H_T - H_0),
    ``pp_per_year`` and ``log_change`` (ln(H_T / H_0)); a rate falling towards zero is
    never compounded.
    """
    s = series.set_index("year")["value"].astype(float)
    for y in (start, end):
        if y not in s.index:
            raise ValueError(f"year {y} is not observed; observed years: {', '.join(map(str, s.index))}")
    h0, h1 = s[start], s[end]
    return {"pp_change": h1 - h0, "pp_per_year": (h1 - h0) / (end - start), "log_change": math.log(h1 / h0)}


def cagr_many(v0: np.ndarray, v1: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Vectorised :func:`cagr` over arrays of endpoints and spans."""
    return np.power(np.asarray(v1, float) / np.asarray(v0, float), 1.0 / np.asarray(years, float)) - 1.0


def trend_growth_many(years: np.ndarray, values: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Vectorised log-linear trend for many series of equal length (closed-form OLS).

    Parameters
    ----------
    years : ndarray, shape (n,) or (k, n)
        Observed years (shared, or one row per series).
    values : ndarray, shape (k, n)
        Positive values, one series per row. NaN marks a missing year (such series
        are estimated on their observed years only; fewer than 5 gives NaN).

    Returns
    -------
    dict of ndarray
        ``growth``, ``ci_low``, ``ci_high``, ``slope``, ``se``, ``n`` (one entry per series).
    """
    from scipy import stats

    y = np.log(np.asarray(values, float))
    k, n = y.shape
    t = np.broadcast_to(np.asarray(years, float), (k, n))
    ok = np.isfinite(y)
    cnt = ok.sum(axis=1)
    tm = np.where(ok, t, 0).sum(axis=1) / np.maximum(cnt, 1)
    ym = np.where(ok, y, 0).sum(axis=1) / np.maximum(cnt, 1)
    dt = np.where(ok, t - tm[:, None], 0)
    dy = np.where(ok, y - ym[:, None], 0)
    sxx = (dt * dt).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        b = (dt * dy).sum(axis=1) / sxx
        resid = np.where(ok, dy - b[:, None] * dt, 0)
        dof = cnt - 2
        se = np.sqrt((resid * resid).sum(axis=1) / dof / sxx)
        tcrit = stats.t.ppf(1 - alpha / 2, np.maximum(dof, 1))
    bad = cnt < MIN_TREND_POINTS
    out = {
        "slope": b,
        "se": se,
        "growth": np.expm1(b),
        "ci_low": np.expm1(b - tcrit * se),
        "ci_high": np.expm1(b + tcrit * se),
        "n": cnt,
    }
    for key in ("slope", "se", "growth", "ci_low", "ci_high"):
        out[key] = np.where(bad, np.nan, out[key])
    return out


@dataclass
class GrowthRow:
    """One row of the growth table: a series over one period, with its method."""

    series_id: str
    region: str
    indicator: str
    start_year: int
    end_year: int
    n_points: int
    method: str
    cagr: float | None = None
    trend_growth: float | None = None
    trend_ci_low: float | None = None
    trend_ci_high: float | None = None
    change: float | None = None
    change_per_year: float | None = None
    change_unit: str = ""
    log_change: float | None = None
    doubling_time: float | None = None
    total_change: float | None = None
    years_used: str = ""
    kinds_used: str = ""
    note: str = ""
    external_used: bool = False
    vintages: str = ""
    missing_years: str = ""


def _meta(series: pd.DataFrame) -> tuple[str, str, str]:
    r = series.iloc[0]
    return r["series_id"], r["region"], r["indicator"]


BREAK_MARK = "(series break)"
"""How the note of a growth row computed on one side of a series break ends."""

MODES = ("growth", "rate", "count")
"""``growth``: CAGR and trend; ``rate`` (incidence, %): percentage-point and log change;
``count`` (poor population falling towards zero): absolute and log change, no compounding."""


def analyse_series(
    series: pd.DataFrame, start: int, end: int, mode: str = "growth", break_years: tuple[int, ...] = ()
) -> list[GrowthRow]:
    """Growth rows for one series over ``start``-``end`` (and without its break years).

    Parameters
    ----------
    series : pandas.DataFrame
        From :func:`analysis.get_series` (columns ``year, value, kind, series_id, ...``).
    start, end : int
        Period; both years must be observed (no interpolation).
    mode : {"growth", "rate", "count"}
        See :data:`MODES`. Rates (poverty incidence, in percent) get percentage-point
        and log changes; counts falling towards zero get absolute and log changes.
    break_years : tuple of int
        Statistical break years (e.g. 2019 for the census-revised GDP, 2013 for the change
        of rural income concept). For each break inside the period, extra rows give the
        growth of the observed years before it and of those from it on, where either has
        at least two observed years; their notes end in :data:`BREAK_MARK`.

    Returns
    -------
    list of GrowthRow
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; valid choices: {', '.join(MODES)}")
    s = series[(series["year"] >= start) & (series["year"] <= end)].sort_values("year")
    observed = [int(y) for y in s["year"]]
    if start not in observed or end not in observed:
        raise ValueError(
            f"{series['series_id'].iloc[0]}: start and end years must be observed; observed years "
            f"are {', '.join(map(str, sorted(series['year'].astype(int))))}"
        )
    sid, region, indicator = _meta(s)
    rows = [_row(s, sid, region, indicator, start, end, mode, "")]
    for b in break_years:
        if start < b <= end:
            before, after = s[s["year"] < b], s[s["year"] >= b]
            if len(before) >= 2:
                pre_end = int(before["year"].max())
                note = f"without the break year {b} and after {BREAK_MARK}"
                rows.append(_row(before, sid, region, indicator, start, pre_end, mode, note))
            if len(after) >= 2:
                post_start = int(after["year"].min())
                note = f"without the years before the break year {b} {BREAK_MARK}"
                rows.append(_row(after, sid, region, indicator, post_start, end, mode, note))
    return rows


def is_break_row(notes: pd.Series) -> pd.Series:
    """True for the rows :func:`analyse_series` adds around a series break (not the full period)."""
    return notes.fillna("").str.contains(BREAK_MARK, regex=False)


def vintages_of(series: pd.DataFrame) -> str:
    """Years whose value is a preliminary or revised figure: ``"2017 preliminary; 2018 preliminary"``.

    Reads the ``vintage`` column of :func:`analysis.get_series` rows (document and derived
    rows have none); ``as published`` and ``final`` values are not listed.
    """
    if "vintage" not in series:
        return ""
    marks = [
        f"{int(y)} {v}"
        for y, v in zip(series["year"], series["vintage"], strict=False)
        if v in ("preliminary", "revised")
    ]
    return "; ".join(marks)


def _row(
    s: pd.DataFrame, sid: str, region: str, indicator: str, start: int, end: int, mode: str, extra: str
) -> GrowthRow:
    years, values = _years_values(s)
    kinds = " ".join(sorted(set(s["kind"])))
    notes = [extra] if extra else []
    if "external" in kinds:
        notes.append(
            "includes external values: "
            + ", ".join(str(int(y)) for y, k in zip(s["year"], s["kind"], strict=True) if k == "external")
        )
    if "derived" in kinds:
        notes.append(
            "includes derived values: "
            + ", ".join(str(int(y)) for y, k in zip(s["year"], s["kind"], strict=True) if k == "derived")
        )
    row = GrowthRow(
        sid, region, indicator, start, end, len(years), "", years_used=" ".join(map(str, years)), kinds_used=kinds
    )
    row.external_used = "external" in kinds
    row.vintages = vintages_of(s)
    row.missing_years = " ".join(str(y) for y in range(start, end + 1) if y not in {int(v) for v in years})
    if mode in ("rate", "count"):
        rc = rate_change(s, start, end)
        row.change, row.change_per_year, row.log_change = rc["pp_change"], rc["pp_per_year"], rc["log_change"]
        if mode == "rate":
            row.change_unit = "percentage points"
            row.method = "percentage-point change and log change (endpoints)"
            notes.append("a rate: not compounded")
        else:
            row.change_unit = str(s["unit"].iloc[0]) if "unit" in s else ""
            row.method = "absolute change and log change (endpoints)"
            notes.append("a count falling towards zero: not compounded")
    else:
        row.cagr = cagr(values[0], values[-1], end - start)
        row.total_change = percent_change(values[0], values[-1])
        row.doubling_time = doubling_time(row.cagr)
        row.log_change = math.log(values[-1] / values[0])
        tr = trend_growth(s)
        if tr is None:
            row.method = "CAGR (endpoints)"
            notes.append(f"trend not estimated: {len(years)} observed years (needs {MIN_TREND_POINTS})")
        else:
            row.method = "CAGR (endpoints); log-linear OLS trend, t-based 95% CI"
            row.trend_growth, row.trend_ci_low, row.trend_ci_high = tr.growth, tr.ci_low, tr.ci_high
            notes.append(f"trend on {tr.n_points} points, {tr.n_points - 2} degrees of freedom: descriptive")
        notes.append("nominal (current prices)")
    row.note = "; ".join(notes)
    return row


def growth_table(rows: list[GrowthRow]) -> pd.DataFrame:
    """Rows as a DataFrame with :data:`TABLE_COLUMNS`."""
    return pd.DataFrame([asdict(r) for r in rows], columns=list(TABLE_COLUMNS))
