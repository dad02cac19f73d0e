"""Threshold claims: the year a level first crossed a round number, and counts of crossings.

Thresholds and unobserved years
-------------------------------
A level "crosses" threshold T in year y when the level of y - 1 is below T and the
level of y is at least T. Levels come from the observations of the same series (any
kind; per year a document value is preferred to an external one, an external one to a
derived one).

``threshold_crossed_in`` looks up the previous year. If it is not observed the claim is
``not checkable`` (the reason says whether the stated year is above the threshold and
which earlier year last was below it); if any earlier observed year already reached T
it is ``inconsistent``.

``count_thresholds`` and ``min_years_between_thresholds`` need every year from start - 1
to end. Unobserved years are *completed*: each lies on a non-decreasing path between
its observed neighbours, growing by at most the fastest annual rate observed between
consecutive observed years of the series (before the first observed year this bound is
all that limits it). Every completion (enumerated by which multiples of step each year
has reached) gives a count or a shortest gap. The claim is ``consistent`` when every
completion agrees with it, ``inconsistent`` when none does, and ``not checkable`` when
the verdict depends on the unobserved years (the reason names them). A series that
falls between observed years is ``not checkable`` (crossings assume a rising series).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from analysis.metrics.claims import (
    CONSISTENT,
    INCONSISTENT,
    NOT_CHECKABLE,
    Claim,
    Context,
    Input,
    Result,
    claim_inputs,
    judge,
    stated_interval,
)
from analysis.metrics.claims import missing_result as _missing
from analysis.metrics.intervals import EPS
from analysis.metrics.intervals import fmt as _g


def check_threshold_crossed_in(claim: Claim, ctx: Context) -> Result:
    """``threshold_crossed_in``: the level first reached ``threshold`` in the stated year.

    The input is the observation for the stated year; the previous year is looked up in
    the same series (any kind, document preferred).
    """
    try:
        thr = float(claim.params["threshold"])
    except (KeyError, ValueError):
        return _missing(claim, "params threshold=N (in the unit of the observations) is missing", "params")
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    cur = got[0]
    year = round(claim.stated)
    t = _g(thr)
    base = Result(NOT_CHECKABLE, "", tolerance=0.0, stated_low=claim.stated, stated_high=claim.stated)
    if cur.year != year:
        return replace(
            base, reason=f"the input {cur.obs_id} is for {cur.year}, not the stated year {year}", missing="params"
        )
    lvl = f"{cur.show()} in {year}"
    caveats = [c for c in (cur.caveat(),) if c]
    if cur.high < thr:
        return replace(
            base,
            verdict=INCONSISTENT,
            reason=f"{lvl} is below {t}: the threshold was not reached in {year}",
            explanation=f"The level in {year} is below the threshold.",
        )
    if cur.low < thr:
        return replace(
            base,
            reason=f"{lvl} equals {t} within its rounding: whether it was reached is unknown",
            missing="input rounding",
        )
    earlier = {y: v for y, v in ctx.series(cur.series_id).items() if y < year}
    reached = [(y, v) for y, v in earlier.items() if v.low >= thr]
    if reached:
        y0, v0 = reached[0]
        return replace(
            base,
            verdict=INCONSISTENT,
            recomputed=math.nan,
            high=float(y0),
            reason=f"{v0.show()} in {y0} had already reached {t}, so {year} is not the first year above it ({lvl})",
            explanation=f"The level was already above {t} in {y0}: the crossing came earlier.",
        )
    prev = earlier.get(year - 1)
    if prev is None:
        if earlier:
            y1 = max(earlier)
            v1 = earlier[y1]
            span = f"in {y1 + 1} or {year}" if year - y1 == 2 else f"between {y1 + 1} and {year}"
            caveats = [c for c in (v1.caveat(), *caveats) if c]
            reason = (
                f"{lvl} is above {t}, but {year - 1} is not observed; the last earlier observation, "
                f"{v1.show()} in {y1}, is below {t}, so {t} was first reached {span}"
            )
            res = replace(base, reason=reason, low=float(y1 + 1), high=float(year), missing="previous year")
        else:
            reason = (
                f"{lvl} is above {t}, but {year - 1} is not observed (no earlier year of {cur.series_id} "
                f"is), so the crossing year cannot be confirmed"
            )
            res = replace(base, reason=reason, high=float(year), missing="previous year")
        res.explanation = f"Not checkable: the level of {year - 1} is not in the documents or external sources."
        if caveats:
            res.reason += ". Caveat: " + "; ".join(caveats)
        return res
    caveats = [c for c in (prev.caveat(), *caveats) if c]
    if prev.high >= thr:  # straddles (prev.low < thr, else caught above)
        return replace(
            base, reason=f"{prev.show()} in {year - 1} equals {t} within its rounding", missing="input rounding"
        )
    reason = f"{prev.show()} in {year - 1} < {t} <= {lvl}: first reached in {year}"
    if caveats:
        reason += ". Caveat: " + "; ".join(caveats)
    return replace(
        base,
        verdict=CONSISTENT,
        reason=reason,
        recomputed=float(year),
        low=float(year),
        high=float(year),
        explanation="Consistent on the values used; see the caveats on their basis.",
    )


# --------------------------------------------------------------------------------------
# Threshold crossings over a window, with unobserved years completed
# --------------------------------------------------------------------------------------


@dataclass
class Crossings:
    """Every completion of a series over a window, as the multiples of ``step`` each year reached."""

    series_id: str
    unit: str
    step: float
    start: int
    end: int
    observed: dict[int, Input]
    unobserved: list[int]
    growth_cap: float
    bounds: dict[int, tuple[float, float]]
    scenarios: list[dict[int, int]]

    def events(self, sc: dict[int, int]) -> list[tuple[float, int]]:
        """(threshold, year) of each crossing inside start..end in one completion."""
        out = []
        for y in range(self.start, self.end + 1):
            for k in range(sc[y - 1] + 1, sc[y] + 1):
                out.append((k * self.step, y))
        return out

    def describe(self) -> str:
        """Which years each threshold may have been first reached, over all completions."""
        ks = sorted({k for sc in self.scenarios for k in range(min(sc.values()) + 1, max(sc.values()) + 1)})
        parts = []
        for k in ks:
            opts: list[str] = []
            for sc in self.scenarios:
                if sc[self.start - 1] >= k:
                    o = "earlier"
                elif sc[self.end] < k:
                    o = f"after {self.end}"
                else:
                    o = str(next(y for y in range(self.start, self.end + 1) if sc[y] >= k))
                if o not in opts:
                    opts.append(o)
            opts.sort(key=lambda o: (o == "earlier", o.startswith("after"), o))
            parts.append(f"{_g(k * self.step)} in {' or '.join(opts)}")
        return "; ".join(parts)

    def context(self) -> str:
        obs = ", ".join(f"{y} {_g(v.value)}" for y, v in self.observed.items())
        miss = ", ".join(map(str, self.unobserved)) or "none"
        return (
            f"{self.series_id} ({self.unit}) observed {obs}; not observed: {miss}; completions are "
            f"non-decreasing with growth at most {100 * self.growth_cap:.1f}% a year (the fastest observed)"
        )

    def decisive(self, outcome: Callable[[dict[int, int]], object]) -> list[int]:
        """Unobserved years on whose level the outcome depends."""
        out = []
        for y in self.unobserved:
            groups: dict[int, set] = {}
            for sc in self.scenarios:
                groups.setdefault(sc[y], set()).add(outcome(sc))
            if len({frozenset(g) for g in groups.values()}) > 1:
                out.append(y)
        return out


def crossings(claim: Claim, ctx: Context) -> Crossings | Result:
    """Enumerate the completions of the series in ``params`` (see the module docstring)."""
    p = claim.params
    missing = [k for k in ("series", "step", "start", "end") if not p.get(k)]
    if missing:
        return _missing(
            claim, f"params {', '.join(missing)} missing (need series=..;step=..;start=..;end=..)", "params"
        )
    try:
        step, start, end = float(p["step"]), int(p["start"]), int(p["end"])
    except ValueError:
        return _missing(claim, f"params step/start/end are not numbers ({claim.params})", "params")
    if step <= 0 or start > end:
        return _missing(claim, f"params step must be positive and start <= end ({claim.params})", "params")
    levels = ctx.series(p["series"])
    if len(levels) < 2:
        return _missing(claim, f"series {p['series']} has fewer than two observed years", "unobserved years")
    yrs = list(levels)
    for y0, y1 in pairwise(yrs):
        if levels[y1].value < levels[y0].value:
            return _missing(claim, f"{p['series']} falls from {y0} to {y1}; threshold crossings assume a rising series")
    cap = max((levels[y1].value / levels[y0].value) ** (1 / (y1 - y0)) - 1 for y0, y1 in pairwise(yrs))
    window = range(start - 1, end + 1)
    bounds: dict[int, tuple[float, float]] = {}
    for y in window:
        if y in levels:
            bounds[y] = (levels[y].low, levels[y].high)
            continue
        before = [v for v in yrs if v < y]
        after = [v for v in yrs if v > y]
        lo, hi = -math.inf, math.inf
        if before:
            pv = levels[before[-1]]
            lo, hi = max(lo, pv.low), min(hi, pv.high * (1 + cap) ** (y - before[-1]))
        if after:
            nv = levels[after[0]]
            lo, hi = max(lo, nv.low / (1 + cap) ** (after[0] - y)), min(hi, nv.high)
        bounds[y] = (lo, hi)
    choices = {
        y: list(range(math.floor(lo / step + EPS), math.floor(hi / step + EPS) + 1)) for y, (lo, hi) in bounds.items()
    }
    scenarios: list[dict[int, int]] = []

    def walk(i: int, prev: int, acc: dict[int, int]) -> None:
        if i == len(window):
            scenarios.append(dict(acc))
            return
        y = window[i]
        for k in choices[y]:
            if k >= prev:
                acc[y] = k
                walk(i + 1, k, acc)
        acc.pop(y, None)

    walk(0, -(10**9), {})
    if not scenarios:
        return _missing(claim, f"no non-decreasing completion of {p['series']} fits the observed values")
    first = next(iter(levels.values()))
    return Crossings(
        p["series"],
        first.unit,
        step,
        start,
        end,
        {y: v for y, v in levels.items() if y in window},
        [y for y in window if y not in levels],
        cap,
        bounds,
        scenarios,
    )


def _judge_outcomes(
    claim: Claim, cx: Crossings, outcome: Callable[[dict[int, int]], float | None], what: str
) -> Result:
    values = [outcome(sc) for sc in cx.scenarios]
    verdicts = {judge(claim, v, v).verdict if v is not None else NOT_CHECKABLE for v in values}
    tol, slo, shi = stated_interval(claim)
    known = sorted({v for v in values if v is not None})
    shown = " or ".join(_g(v) for v in known) + (" or undefined" if None in values else "")
    if verdicts == {CONSISTENT}:
        verdict, tail = CONSISTENT, f"{what} is {shown} in every completion"
    elif CONSISTENT not in verdicts and None not in values:
        verdict, tail = INCONSISTENT, f"{what} is {shown} in every completion, not {claim.stated_printed}"
    else:
        dec = cx.decisive(outcome)
        on = (" on the unobserved level of " + ", ".join(map(str, dec))) if dec else " on the unobserved years"
        verdict, tail = NOT_CHECKABLE, f"{what} is {shown}: the verdict depends{on}"
    missing = "unobserved years" if verdict == NOT_CHECKABLE else ""
    reason = f"first reached: {cx.describe()}; {tail}. Data: {cx.context()}"
    point = known[0] if len(known) == 1 and None not in values else math.nan
    return Result(
        verdict,
        reason,
        point,
        known[0] if known else math.nan,
        known[-1] if known else math.nan,
        tol,
        slo,
        shi,
        missing=missing,
        explanation=(
            "Missing years make the exact crossing years unknown; the audit checks every "
            "completion of the unobserved years. " + (f"Register note: {claim.note}" if claim.note else "")
        ),
    )


def check_count_thresholds(claim: Claim, ctx: Context) -> Result:
    """``count_thresholds``: how many multiples of ``step`` were first reached in start..end."""
    cx = crossings(claim, ctx)
    if isinstance(cx, Result):
        return cx
    return _judge_outcomes(
        claim,
        cx,
        lambda sc: float(sc[cx.end] - sc[cx.start - 1]),
        f"the number of multiples of {_g(cx.step)} first reached in {cx.start}-{cx.end}",
    )


def check_min_years_between_thresholds(claim: Claim, ctx: Context) -> Result:
    """``min_years_between_thresholds``: the shortest gap between successive crossings in start..end."""
    cx = crossings(claim, ctx)
    if isinstance(cx, Result):
        return cx

    def gap(sc: dict[int, int]) -> float | None:
        ev = cx.events(sc)
        gaps = [y2 - y1 for (_, y1), (_, y2) in pairwise(ev)]
        return float(min(gaps)) if gaps else None

    return _judge_outcomes(claim, cx, gap, "the shortest gap between successive crossings (years)")
