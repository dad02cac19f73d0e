"""The claims model: a register row parsed, its result, and how a stated value is judged.

Qualifier rules
---------------
With s the stated value, r its rounding, [lo, hi] the recomputed interval and t the
``tolerance`` reported (a half-width, 0 for bounds):

=============== ==================================== ===================================
qualifier       tolerance t                          consistent when
=============== ==================================== ===================================
``exact``       r / 2                                [lo, hi] overlaps [s - t, s + t]
``about``       r / 2                                [lo, hi] overlaps [s - t, s + t]
``nearly``      r / 2                                lo <= s and hi >= s - t (at or just below s)
``more_than``   0                                    hi > s (the interval reaches above s); with
                                                     多/余 (``3个多``) also lo < s + u: [s, s + u)
``at_least``    0                                    hi >= s
``less_than``   0                                    lo < s
=============== ==================================== ===================================

For ``about`` (约) and ``nearly`` (近) r defaults to one unit of the last *significant*
digit (``近6700``: r = 100, so 6650 to 6700); the qualifier marks a rounded number and adds
no band of its own. A stated 多/余 number (``3个多百分点``) stands for [s, s + u) with u one
unit of its last significant digit. A bound (``超过9%``, ``5000元以上``, ``不低于50%``) is a
threshold, not a rounded value, so its rounding does not widen it. ``cagr_at_least`` always reads the stated value as a
lower bound (strict when the qualifier is ``more_than``). Comparisons allow a relative
slack of 1e-9 for floating point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.data.load import KINDS
from analysis.data.numbers import decimals_of
from analysis.metrics.intervals import EPS, Input, duo_unit, input_of, propagate, rounding_of
from analysis.metrics.intervals import fmt as _g

VERDICTS = ("consistent", "inconsistent", "not checkable")
"""The three verdicts, in display order."""
CONSISTENT, INCONSISTENT, NOT_CHECKABLE = VERDICTS

AUDIT_COLUMNS = (
    "claim_id",
    "source_id",
    "quote",
    "claim_type",
    "stated",
    "recomputed",
    "tolerance",
    "verdict",
    "reason",
)
"""The leading columns of :func:`audit_claims`, in this order."""
EXTRA_COLUMNS = (
    "stated_printed",
    "unit",
    "qualifier",
    "rounding",
    "inputs",
    "params",
    "stated_low",
    "stated_high",
    "recomputed_low",
    "recomputed_high",
    "missing",
    "explanation",
    "note",
)
"""Further columns after :data:`AUDIT_COLUMNS`."""


NOMINAL_NOTE = (
    "the levels are current prices, so this is a nominal rate; official 年均增长 rates are real "
    "(comparable prices) and cannot be compared with it as equals"
)

ROLES = {
    "percent_change": ("a (base level)", "b (later level)"),
    "multiple": ("a (base level)", "b (later level)"),
    "cagr": ("a (start level)", "b (end level)"),
    "cagr_at_least": ("a (start level)", "b (end level)"),
    "difference": ("a (earlier level)", "b (later level)"),
    "share_of": ("part", "whole"),
    "threshold_crossed_in": ("the level in the stated year",),
    "difference_per_year": ("a (earlier level)", "b (later level)"),
    "real_growth": ("a (level of the previous year)", "b (level of the year)", "p (inflation of the year, %)"),
}
"""What each input position means, by claim type (for messages)."""

MISSING = {
    "inputs": "no input is stated in the documents or the external figures",
    "one input": "only one of the two inputs is stated in the documents or the external figures",
    "unknown input": "an input id is not among the curated observations",
    "previous year": "the level of the year before the stated year is not observed",
    "deflator": "the price index the levels are deflated by (their deflator) is not observed for the year",
    "unobserved years": "the answer depends on years that are not observed",
    "input rounding": "a level equals the threshold within its rounding",
    "assumption": "the check needs an assumption the text does not make",
    "definitions": "the inputs are of different definitions or bases",
    "params": "the claim's params are missing or invalid",
    "other": "the formula is undefined for these inputs",
}
"""Values of the ``missing`` column (why a claim is not checkable), with their meaning."""


def parse_params(text: str) -> dict[str, str]:
    """``"series=xiangxi.gdp;step=100"`` -> ``{"series": "xiangxi.gdp", "step": "100"}``."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, _, val = part.partition("=")
        out[key.strip()] = val.strip()
    return out


@dataclass(frozen=True)
class Claim:
    """One register row, parsed.

    Attributes
    ----------
    stated : float
        The stated value (``stated`` column).
    rounding : float
        The stated value's rounding unit (``rounding`` column, or inferred from the
        decimals of ``stated_printed`` when blank).
    inputs : tuple of str
        Observation ids in register order.
    params : dict
        ``key=value`` pairs of the ``params`` column.
    """

    claim_id: str
    source_id: str
    quote: str
    stated_printed: str
    stated: float
    unit: str
    qualifier: str
    rounding: float
    claim_type: str
    inputs: tuple[str, ...]
    params: dict[str, str]
    note: str

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> Claim:
        """Parse a register row (all cells text, as in ``data/processed/claims.csv``)."""

        def get(key: str) -> str:
            v = row.get(key)
            return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()

        printed = get("stated_printed") or get("stated")
        return cls(
            claim_id=get("claim_id"),
            source_id=get("source_id"),
            quote=get("quote"),
            stated_printed=printed,
            stated=float(get("stated")),
            unit=get("unit"),
            qualifier=get("qualifier") or "exact",
            rounding=rounding_of(get("rounding"), printed, get("qualifier") or "exact"),
            claim_type=get("claim_type"),
            inputs=tuple(get("inputs").split()),
            params=parse_params(get("params")),
            note=get("note"),
        )


@dataclass
class Result:
    """The audit of one claim (see :data:`AUDIT_COLUMNS`)."""

    verdict: str
    reason: str
    recomputed: float = math.nan
    low: float = math.nan
    high: float = math.nan
    tolerance: float = math.nan
    stated_low: float = math.nan
    stated_high: float = math.nan
    explanation: str = ""
    missing: str = ""
    """For ``not checkable``: what is missing (see :data:`MISSING`)."""


@dataclass
class Context:
    """The observations the audit reads, indexed by id and by series."""

    observations: pd.DataFrame
    by_id: dict[str, Input] = field(default_factory=dict)
    factors: dict[str, float] = field(default_factory=dict)
    """Base-unit factor of each observation (``value_base / value``; 10000 for 万人)."""
    alternatives: set[str] = field(default_factory=set)
    """External rows of another vintage or basis (``preferred = no``): usable by id, never in a series."""

    @classmethod
    def of(cls, observations: pd.DataFrame) -> Context:
        ctx = cls(observations)
        for _, r in observations.iterrows():
            ctx.by_id[str(r["obs_id"])] = inp = input_of(r)
            base = pd.to_numeric(r.get("value_base"), errors="coerce")
            if inp.value and not pd.isna(base):
                ctx.factors[inp.obs_id] = float(base) / inp.value
            if str(r.get("preferred", "") or "") == "no":
                ctx.alternatives.add(str(r["obs_id"]))
        return ctx

    def series(self, series_id: str) -> dict[int, Input]:
        """Observed levels of a series by year, document preferred over external over derived."""
        order = {k: i for i, k in enumerate(KINDS)}
        best: dict[int, Input] = {}
        for inp in self.by_id.values():
            if inp.series_id != series_id or inp.obs_id in self.alternatives:
                continue
            cur = best.get(inp.year)
            if cur is None or order.get(inp.kind, 9) < order.get(cur.kind, 9):
                best[inp.year] = inp
        return dict(sorted(best.items()))

    def in_base(self, inp: Input) -> Input:
        """The input in its base unit (``240 万人`` -> 2400000 persons), interval included."""
        f = self.factors.get(inp.obs_id, 1.0)
        return replace(inp, value=inp.value * f, low=inp.low * f, high=inp.high * f)

    def same_sentence(self, inp: Input, exclude: Iterable[str] = ()) -> list[Input]:
        """Other observations quoted in the same sentence, same unit and year (candidate base parts)."""
        skip = {inp.obs_id, *exclude}
        return sorted(
            (
                o
                for o in self.by_id.values()
                if o.quote == inp.quote and o.unit == inp.unit and o.year == inp.year and o.obs_id not in skip
            ),
            key=lambda o: o.obs_id,
        )


@dataclass(frozen=True)
class Judgement:
    verdict: str
    tolerance: float
    stated_low: float
    stated_high: float
    stated_text: str


def stated_interval(claim: Claim) -> tuple[float, float, float]:
    """(tolerance, low, high) the stated value stands for under its qualifier (NaN = unbounded)."""
    s, r, q = claim.stated, claim.rounding, claim.qualifier
    if claim.claim_type == "cagr_at_least" and q not in ("more_than", "at_least"):
        q = "at_least"
    if q == "exact":
        return r / 2, s - r / 2, s + r / 2
    if q == "about":
        return r / 2, s - r / 2, s + r / 2
    if q == "nearly":
        return r / 2, s - r / 2, s
    if q == "more_than" and claim.claim_type != "cagr_at_least":
        u = duo_unit(s, claim.stated_printed, claim.quote)
        return 0.0, s, (math.nan if math.isinf(u) else s + u)
    if q in ("more_than", "at_least"):
        return 0.0, s, math.nan
    if q == "less_than":
        return 0.0, math.nan, s
    raise ValueError(f"unknown qualifier {claim.qualifier!r}")


def judge(claim: Claim, low: float, high: float) -> Judgement:
    """Judge a recomputed interval [low, high] against the claim (rules in the module docstring)."""
    s = claim.stated
    q = claim.qualifier
    if claim.claim_type == "cagr_at_least" and q not in ("more_than", "at_least"):
        q = "at_least"
    tol, slo, shi = stated_interval(claim)
    eps = EPS * max(1.0, abs(s))
    u = "" if claim.unit == "%" else " "
    sv = f"{claim.stated_printed}{u}{claim.unit}"
    if q in ("exact", "about", "nearly"):
        ok = high >= slo - eps and low <= (s if q == "nearly" else shi) + eps
        word = {"exact": "", "about": "about ", "nearly": "nearly "}[q]
        text = f"{word}{sv} (stands for {_g(slo)} to {_g(shi)})"
    elif q == "more_than" and not math.isnan(shi):
        ok, text = high > s + eps and low < shi - eps, f"{sv} and more (多: {_g(slo)} to under {_g(shi)})"
    elif q == "more_than":
        ok, text = high > s + eps, f"more than {sv}"
    elif q == "at_least":
        ok, text = high >= s - eps, f"at least {sv}"
    else:
        ok, text = low < s - eps, f"less than {sv}"
    if math.isnan(low) or math.isnan(high):
        return Judgement(NOT_CHECKABLE, tol, slo, shi, text)  # pragma: no cover - defensive
    return Judgement(CONSISTENT if ok else INCONSISTENT, tol, slo, shi, text)


def claim_inputs(claim: Claim, ctx: Context) -> list[Input] | Result:
    """The claim's inputs, or a ``not checkable`` result naming what is missing."""
    roles = ROLES[claim.claim_type]
    unknown = [i for i in claim.inputs if i not in ctx.by_id]
    if unknown:
        return missing_result(
            claim,
            f"input {', '.join(unknown)} is not among the curated observations (data/processed/observations.csv)",
            "unknown input",
        )
    given = [ctx.by_id[i] for i in claim.inputs]
    need = " and ".join(roles)
    lacking = claim.params.get("missing", "")
    nowhere = "is stated neither in the documents nor in the external figures"
    if not given:
        what = ("neither the " + " nor the ".join(roles)) if len(roles) == 2 else f"the {roles[0]}"
        text = f"no inputs: {lacking} {nowhere}" if lacking else f"no inputs: {what} is stated in the documents"
        return missing_result(claim, text, "inputs")
    if len(given) < len(roles):
        shown = ", ".join(f"{g.obs_id} = {g.show()} ({g.year})" for g in given)
        other = f"{lacking} {nowhere}" if lacking else "the other is not stated in the documents"
        return missing_result(claim, f"only one of {need} is given ({shown}); {other}", "one input")
    if len(given) > len(roles):
        return missing_result(
            claim, f"{len(given)} inputs given but {claim.claim_type} takes {len(roles)} ({need})", "params"
        )
    return given


def missing_result(claim: Claim, reason: str, missing: str = "other") -> Result:
    tol, slo, shi = stated_interval(claim)
    return Result(
        NOT_CHECKABLE,
        reason,
        tolerance=tol,
        stated_low=slo,
        stated_high=shi,
        missing=missing,
        explanation=f"Not checkable: {reason}. Register note: {claim.note}"
        if claim.note
        else f"Not checkable: {reason}.",
    )


def evaluate(
    claim: Claim, func: Callable[..., float], inputs: Sequence[Input], formula: str, suffix: str = ""
) -> Result:
    """Recompute, judge, and write the common part of the reason."""
    point, low, high = propagate(func, inputs)
    if math.isnan(point):
        return missing_result(claim, f"{formula} is undefined for these inputs")
    j = judge(claim, low, high)
    d = decimals_of(claim.stated_printed) + 2
    while d < decimals_of(claim.stated_printed) + 4 and f"{low:.{d}f}" == f"{high:.{d}f}":
        d += 1
    u = "%" if claim.unit == "%" else f" {claim.unit}"
    rel = {CONSISTENT: "agrees with", INCONSISTENT: "does not agree with", NOT_CHECKABLE: "cannot be compared with"}
    reason = (
        f"{formula} = {point:.{d}f}{u}{suffix} (input rounding: {low:.{d}f} to {high:.{d}f}) "
        f"{rel[j.verdict]} {j.stated_text}"
    )
    if (
        j.verdict == CONSISTENT
        and claim.qualifier == "exact"
        and not (j.stated_low - EPS <= point <= j.stated_high + EPS)
    ):
        reason += (
            f"; only through the input rounding: the point value would print as "
            f"{_round_print(point, claim)} (the document truncates or used unrounded inputs)"
        )
    return Result(
        j.verdict, reason, point, low, high, j.tolerance, j.stated_low, j.stated_high, explanation=_input_notes(inputs)
    )


def _round_print(v: float, claim: Claim) -> str:
    d = decimals_of(claim.stated_printed)
    return f"{round(v, d):.{d}f}"


def _input_notes(inputs: Sequence[Input]) -> str:
    return (
        "Inputs: "
        + "; ".join(f"{i.obs_id} = {i.show()} ({i.kind}{', ' + i.note if i.note else ''})" for i in inputs)
        + "."
    )
