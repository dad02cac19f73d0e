"""The claims audit: every derived number the documents state, recomputed.

Each row of the claims register (``data/raw/claims.csv``, validated into
``data/processed/claims.csv`` by ``make data``) is a number a document derives from
other numbers: a percentage change, a multiple, an average annual growth rate, a
difference, a share, or the year a level first crossed a round threshold. This module
recomputes each claim from the curated observations named in its ``inputs`` (or, for
threshold counts, from the series named in its ``params``) and judges it

``consistent``
    the recomputed value agrees with the stated one within the rounding both carry;
``inconsistent``
    it does not, whatever the rounding (the reason says what most likely explains it);
``not checkable``
    an input is missing (blank ``inputs``, an unknown id, or only one of two levels is
    stated), or the answer depends on years that are not observed.

:func:`audit_claims` returns one row per claim with the recomputed point value, the
tolerance used, the verdict and a one-line reason; :data:`CHECKS` is the dispatch table,
one small function per claim type of :data:`analysis.data.schema.CLAIM_TYPES`.

Formulas (inputs in register order)
-----------------------------------
=============================== ============ =================================================
claim type                      inputs       recomputed value
=============================== ============ =================================================
``percent_change``              ``a b``      100 (b / a - 1)
``multiple``                    ``a b``      b / a
``cagr``, ``cagr_at_least``     ``a b``      100 ((b / a)^(1 / (year_b - year_a)) - 1)
``difference``                  ``a b``      b - a; with ``direction=decrease``: a - b
``share_of``                    ``part whole`` 100 part / whole
``threshold_crossed_in``        the level in the stated year, ``threshold=N`` (observation unit)
``count_thresholds``            ``series=..;step=..;start=..;end=..``: multiples of step first
                                reached in the years start..end
``min_years_between_thresholds`` same params: shortest gap in years between successive crossings
=============================== ============ =================================================

Intervals
---------
*Stated value.* ``stated`` with rounding r (the ``rounding`` column; when blank, one unit
of the last printed digit of ``stated_printed``: ``68.47`` -> 0.01, ``98`` -> 1) stands
for [stated - r/2, stated + r/2]: ``98`` is [97.5, 98.5], ``68.47`` is [68.465, 68.475].

*Inputs.* Each input stands for its printed value plus or minus half a unit of its last
printed digit (``705.7`` -> +-0.05), converted to the observation's unit when it was
printed in another (an external 60.505 billion is 605.05 +- 0.005 亿元). Derived inputs use
their stored range (``value_low``..``value_high``). An input that is itself qualified
widens accordingly: ``more_than``/``at_least`` [v, inf), ``less_than`` (-inf, v],
``about`` v +- max(half unit, 5% of v), ``nearly`` [v - max(half unit, 5% of v), v].

*Recomputed value.* The point value (``recomputed``) uses the values as printed; its
interval (``recomputed_low``..``recomputed_high``) evaluates the formula at every corner
of the input intervals, which bounds it because every formula above is monotone in each
input for positive levels.

Qualifier rules
---------------
With s the stated value, r its rounding, [lo, hi] the recomputed interval and t the
``tolerance`` reported (a half-width, 0 for bounds):

=============== ==================================== ===================================
qualifier       tolerance t                          consistent when
=============== ==================================== ===================================
``exact``       r / 2                                [lo, hi] overlaps [s - t, s + t]
``about``       max(r, 5% of abs(s))                 [lo, hi] overlaps [s - t, s + t]
``nearly``      max(r, 5% of abs(s))                 lo <= s and hi >= s - t (at or just below s)
``more_than``   0                                    hi > s (the interval reaches above s)
``at_least``    0                                    hi >= s
``less_than``   0                                    lo < s
=============== ==================================== ===================================

A bound (``超过9%``, ``5000元以上``, ``不低于50%``) is a threshold, not a rounded value, so
its rounding does not widen it. ``cagr_at_least`` always reads the stated value as a
lower bound (strict when the qualifier is ``more_than``). Comparisons allow a relative
slack of 1e-9 for floating point.

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

Examples
--------
doc004's "增幅68.47%" for Xiangxi GDP 418.9 -> 705.7 亿元 (100 (705.7 / 418.9 - 1) = 68.465%),
and doc004's "人均GDP年均增幅超过9%" against the nominal CAGR (26691 / 16171)^(1/6) - 1 = 8.71%:

>>> from analysis.metrics.audit import audit_claims
>>> t = audit_claims().set_index("claim_id")
>>> round(float(t.loc["doc004.c03", "recomputed"]), 3), t.loc["doc004.c03", "verdict"]
(68.465, 'consistent')
>>> round(float(t.loc["doc004.c01", "recomputed"]), 2), t.loc["doc004.c01", "verdict"]
(8.71, 'inconsistent')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise, product

import pandas as pd

from analysis.data.load import KINDS, load_claims, load_observations
from analysis.data.numbers import decimals_of, parse_printed
from analysis.data.schema import CLAIM_TYPES

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

APPROX_REL = 0.05
"""Relative half-width of the band for ``about`` and ``nearly`` (5% of the stated value)."""
EPS = 1e-9
"""Relative slack in comparisons (floating point only)."""

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
}
"""What each input position means, by claim type (for messages)."""

MISSING = {
    "inputs": "no input is stated in the documents",
    "one input": "only one of the two inputs is stated",
    "unknown input": "an input id is not among the curated observations",
    "previous year": "the level of the year before the stated year is not observed",
    "unobserved years": "the answer depends on years that are not observed",
    "input rounding": "a level equals the threshold within its rounding",
    "params": "the claim's params are missing or invalid",
    "other": "the formula is undefined for these inputs",
}
"""Values of the ``missing`` column (why a claim is not checkable), with their meaning."""


# --------------------------------------------------------------------------------------
# Parsed claims, inputs and results
# --------------------------------------------------------------------------------------


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
            rounding=rounding_of(get("rounding"), printed),
            claim_type=get("claim_type"),
            inputs=tuple(get("inputs").split()),
            params=parse_params(get("params")),
            note=get("note"),
        )


@dataclass(frozen=True)
class Input:
    """An observation used as an input, with the interval its printing implies."""

    obs_id: str
    value: float
    low: float
    high: float
    year: int
    unit: str
    kind: str
    series_id: str
    label: str
    printed: str
    basis: str
    note: str
    quote: str
    qualifier: str

    def show(self) -> str:
        """``705.7 亿元`` (the value in its unit, as printed when printed in that unit)."""
        return f"{_g(self.value)}{'' if self.unit == '%' else ' '}{self.unit}"

    def caveat(self) -> str:
        """``2015 (external; basis): note`` for external values, else ``""``."""
        if self.kind != "external":
            return ""
        basis = f", basis: {self.basis}" if self.basis else ""
        return f"{self.year} value {self.show()} is external{basis}" + (f"; note: {self.note}" if self.note else "")


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

    @classmethod
    def of(cls, observations: pd.DataFrame) -> Context:
        ctx = cls(observations)
        for _, r in observations.iterrows():
            ctx.by_id[str(r["obs_id"])] = input_of(r)
        return ctx

    def series(self, series_id: str) -> dict[int, Input]:
        """Observed levels of a series by year, document preferred over external over derived."""
        order = {k: i for i, k in enumerate(KINDS)}
        best: dict[int, Input] = {}
        for inp in self.by_id.values():
            if inp.series_id != series_id:
                continue
            cur = best.get(inp.year)
            if cur is None or order.get(inp.kind, 9) < order.get(cur.kind, 9):
                best[inp.year] = inp
        return dict(sorted(best.items()))

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


# --------------------------------------------------------------------------------------
# Parsing and intervals
# --------------------------------------------------------------------------------------


def parse_params(text: str) -> dict[str, str]:
    """``"series=xiangxi.gdp;step=100"`` -> ``{"series": "xiangxi.gdp", "step": "100"}``."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, _, val = part.partition("=")
        out[key.strip()] = val.strip()
    return out


def rounding_of(rounding: str, stated_printed: str) -> float:
    """The rounding unit: the ``rounding`` cell, or one unit of the last printed digit.

    >>> rounding_of("", "68.47"), rounding_of("", "98"), rounding_of("0.1", "3.3")
    (0.01, 1.0, 0.1)
    """
    if rounding and rounding.strip():
        return float(rounding)
    return float(10.0 ** -decimals_of(stated_printed))


def _fnum(v: object) -> float:
    try:
        f = float(v)  # type: ignore[arg-type]  # any cell value; what float() refuses is caught below
    except (TypeError, ValueError):
        return math.nan
    return f


def half_unit(value: float, printed: str) -> float:
    """Half a unit of the last printed digit, in the unit of ``value``.

    ``printed`` may be in another unit than ``value`` (an external figure printed in
    billions): the half unit is scaled by ``value / printed``.
    """
    if not printed:
        return 0.0
    try:
        p = float(parse_printed(printed))
        d = decimals_of(printed) if any(ch.isdigit() for ch in printed) else 0
    except (ValueError, ArithmeticError):
        return 0.0
    scale = value / p if p else 1.0
    return 0.5 * 10.0**-d * abs(scale)


def input_of(r: Mapping[str, object]) -> Input:
    """An :class:`Input` from a processed observation row, with its rounding interval."""
    value = _fnum(r["value"])
    printed = "" if r.get("value_printed") is None else str(r.get("value_printed") or "")
    qualifier = str(r.get("qualifier") or "exact")
    vlow, vhigh = _fnum(r.get("value_low")), _fnum(r.get("value_high"))
    if not printed and not math.isnan(vlow) and not math.isnan(vhigh):
        low, high = vlow, vhigh
    else:
        h = half_unit(value, printed)
        band = max(h, APPROX_REL * abs(value))
        low, high = {
            "more_than": (value, math.inf),
            "at_least": (value, math.inf),
            "less_than": (-math.inf, value),
            "about": (value - band, value + band),
            "nearly": (value - band, value + h),
        }.get(qualifier, (value - h, value + h))
    year = _fnum(r.get("year"))
    return Input(
        obs_id=str(r["obs_id"]),
        value=value,
        low=low,
        high=high,
        year=0 if math.isnan(year) else int(year),
        unit=str(r.get("unit", "")),
        kind=str(r.get("kind", "")),
        series_id=str(r.get("series_id", "")),
        label=str(r.get("label", "")),
        printed=printed,
        basis=str(r.get("basis") or ""),
        note=str(r.get("note") or ""),
        quote=str(r.get("quote") or ""),
        qualifier=qualifier,
    )


def propagate(func: Callable[..., float], inputs: Sequence[Input]) -> tuple[float, float, float]:
    """Point value and [low, high] of ``func`` over the inputs' intervals (corner evaluation).

    Valid for functions monotone in each argument, as every claim formula is for
    positive levels. Corners that are undefined (inf/inf) are skipped.
    """
    point = _safe(func, [i.value for i in inputs])
    corners = [_safe(func, list(c)) for c in product(*[(i.low, i.high) for i in inputs])]
    corners = [c for c in corners if not math.isnan(c)]
    if not corners:
        return point, math.nan, math.nan
    return point, min([*corners, point]), max([*corners, point])


def _safe(func: Callable[..., float], args: list[float]) -> float:
    try:
        v = func(*args)
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.nan
    return float(v) if not isinstance(v, complex) else math.nan


# --------------------------------------------------------------------------------------
# Judging a recomputed interval against the stated value
# --------------------------------------------------------------------------------------


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
        t = max(r, APPROX_REL * abs(s))
        return t, s - t, s + t
    if q == "nearly":
        t = max(r, APPROX_REL * abs(s))
        return t, s - t, s
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
    elif q == "more_than":
        ok, text = high > s + eps, f"more than {sv}"
    elif q == "at_least":
        ok, text = high >= s - eps, f"at least {sv}"
    else:
        ok, text = low < s - eps, f"less than {sv}"
    if math.isnan(low) or math.isnan(high):
        return Judgement(NOT_CHECKABLE, tol, slo, shi, text)  # pragma: no cover - defensive
    return Judgement(CONSISTENT if ok else INCONSISTENT, tol, slo, shi, text)


# --------------------------------------------------------------------------------------
# Inputs and the shared evaluation of formula claims
# --------------------------------------------------------------------------------------


def _inputs(claim: Claim, ctx: Context) -> list[Input] | Result:
    """The claim's inputs, or a ``not checkable`` result naming what is missing."""
    roles = ROLES[claim.claim_type]
    unknown = [i for i in claim.inputs if i not in ctx.by_id]
    if unknown:
        return _missing(
            claim,
            f"input {', '.join(unknown)} is not among the curated observations (data/processed/observations.csv)",
            "unknown input",
        )
    given = [ctx.by_id[i] for i in claim.inputs]
    need = " and ".join(roles)
    if not given:
        what = ("neither the " + " nor the ".join(roles)) if len(roles) == 2 else f"the {roles[0]}"
        return _missing(claim, f"no inputs: {what} is stated in the documents", "inputs")
    if len(given) < len(roles):
        shown = ", ".join(f"{g.obs_id} = {g.show()} ({g.year})" for g in given)
        return _missing(
            claim, f"only one of {need} is given ({shown}); the other is not stated in the documents", "one input"
        )
    if len(given) > len(roles):
        return _missing(
            claim, f"{len(given)} inputs given but {claim.claim_type} takes {len(roles)} ({need})", "params"
        )
    return given


def _missing(claim: Claim, reason: str, missing: str = "other") -> Result:
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


def _evaluate(
    claim: Claim, func: Callable[..., float], inputs: Sequence[Input], formula: str, suffix: str = ""
) -> Result:
    """Recompute, judge, and write the common part of the reason."""
    point, low, high = propagate(func, inputs)
    if math.isnan(point):
        return _missing(claim, f"{formula} is undefined for these inputs")
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


def _alternative_bases(
    claim: Claim, ctx: Context, a: Input, b: Input, func: Callable[[float, float], float], implied: float
) -> tuple[str, bool]:
    """Explain an inconsistent change claim by its implied base and same-sentence alternatives.

    Returns the text and whether an alternative base reproduces the stated value.
    """
    d = decimals_of(claim.stated_printed) + 2
    u = "%" if claim.unit == "%" else f" {claim.unit}"
    parts = [f"the stated {claim.stated_printed}{u} implies a base of {_g(implied, 3)} {a.unit}"]
    tried = [f"{a.show()} ({func(a.value, b.value):.{d}f}{u})"]
    reproduced = False
    for x in ctx.same_sentence(a, exclude=claim.inputs):
        alt = replace(
            a, obs_id=f"{a.obs_id}+{x.obs_id}", value=a.value + x.value, low=a.low + x.low, high=a.high + x.high
        )
        _, lo, hi = propagate(func, [alt, b])
        ok = judge(claim, lo, hi).verdict == CONSISTENT
        reproduced |= ok
        tried.append(
            f"{_g(a.value)}+{_g(x.value)} = {_g(a.value + x.value)} {a.unit} (adding {x.obs_id} from the "
            f"same sentence: {func(alt.value, b.value):.{d}f}{u}" + (", which reproduces it)" if ok else ")")
        )
    if reproduced:
        parts.append("a base from the same sentence reproduces it: " + "; ".join(tried[1:]))
    elif len(tried) > 1:
        parts.append("different base: neither " + " nor ".join(tried) + " reproduces it")
    else:
        parts.append("different base (or period) than the levels quoted, or a misprint")
    return "; ".join(parts), reproduced


# --------------------------------------------------------------------------------------
# One function per claim type
# --------------------------------------------------------------------------------------


def check_percent_change(claim: Claim, ctx: Context) -> Result:
    """``percent_change``: stated = 100 (b / a - 1), inputs ``a b``."""
    got = _inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got

    def f(x: float, y: float) -> float:
        return 100 * (y / x - 1)

    res = _evaluate(claim, f, got, f"100*({_g(b.value)}/{_g(a.value)} - 1)")
    if res.verdict == INCONSISTENT:
        implied = b.value / (1 + claim.stated / 100)
        text, _ = _alternative_bases(claim, ctx, a, b, f, implied)
        res.reason += f"; {text}"
        res.explanation = (
            f"The two levels give {res.recomputed:.1f}%, not the {claim.stated_printed}% printed. "
            f"{text[0].upper()}{text[1:]}. The document's rate therefore rests on a base it does not "
            f"state (another year, another budget line, or a different coverage). " + res.explanation
        )
    return res


def check_multiple(claim: Claim, ctx: Context) -> Result:
    """``multiple``: stated = b / a, inputs ``a b``."""
    got = _inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got

    def f(x: float, y: float) -> float:
        return y / x

    res = _evaluate(claim, f, got, f"{_g(b.value)}/{_g(a.value)}")
    if res.verdict == INCONSISTENT:
        text, _ = _alternative_bases(claim, ctx, a, b, f, b.value / claim.stated)
        res.reason += f"; {text}"
        res.explanation = (
            f"The two levels give a multiple of {res.recomputed:.2f}, not {claim.stated_printed}. "
            f"{text[0].upper()}{text[1:]}. " + res.explanation
        )
    return res


def _cagr(claim: Claim, ctx: Context) -> Result:
    got = _inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got
    years = b.year - a.year
    if years <= 0:
        return _missing(claim, f"the inputs are not in time order ({a.obs_id} is {a.year}, {b.obs_id} is {b.year})")

    def f(x: float, y: float) -> float:
        return 100 * ((y / x) ** (1 / years) - 1)

    res = _evaluate(
        claim, f, got, f"100*(({_g(b.value)}/{_g(a.value)})^(1/{years}) - 1)", suffix=f" a year {a.year}-{b.year}"
    )
    res.reason += f"; {NOMINAL_NOTE}"
    if res.verdict == INCONSISTENT:
        implied = 100 * ((b.value / a.value) ** (1 / years) - 1)
        below = implied < claim.stated
        res.reason += ". The stated rate is probably the official real growth rate" + (
            "; a real rate above the nominal one would need falling prices, so its period or basis also differs"
            if below
            else ""
        )
        res.explanation = (
            f"Nominal vs real: from the current-price levels {a.show()} ({a.year}) and {b.show()} ({b.year}) the "
            f"compound growth is {res.recomputed:.2f}% a year, which is "
            + ("below" if below else "above")
            + f" the {claim.stated_printed}% the document states. Official "
            "average growth rates (年均增长) are computed at comparable prices (real), ours is nominal; they are "
            "different quantities. "
            + (
                "A real rate above the nominal one would imply a falling price level, which is implausible, so the "
                "stated rate most likely also covers another period or a revised (census) basis. "
                if below
                else ""
            )
            + res.explanation
        )
    return res


def check_cagr(claim: Claim, ctx: Context) -> Result:
    """``cagr``: stated = 100 ((b / a)^(1 / (year_b - year_a)) - 1), inputs ``a b``."""
    return _cagr(claim, ctx)


def check_cagr_at_least(claim: Claim, ctx: Context) -> Result:
    """``cagr_at_least``: as :func:`check_cagr`, with the stated value a lower bound (``超过9%``)."""
    return _cagr(claim, ctx)


def check_difference(claim: Claim, ctx: Context) -> Result:
    """``difference``: stated = b - a (``direction=decrease``: a - b), inputs ``a b``."""
    direction = claim.params.get("direction", "increase")
    if direction not in ("increase", "decrease"):
        return _missing(claim, f"unknown params direction={direction!r} (valid: increase, decrease)", "params")
    got = _inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got
    if direction == "decrease":

        def f(x: float, y: float) -> float:
            return x - y

        formula = f"{_g(a.value)} - {_g(b.value)}"
    else:

        def f(x: float, y: float) -> float:
            return y - x

        formula = f"{_g(b.value)} - {_g(a.value)}"
    res = _evaluate(claim, f, got, formula)
    if res.verdict == INCONSISTENT:
        res.reason += (
            f"; the levels are {a.show()} ({a.year}) and {b.show()} ({b.year}): the stated change "
            "probably uses other base or end years"
        )
        res.explanation = (
            f"The stated change of {claim.stated_printed} {claim.unit} is not the difference of the "
            f"two levels ({res.recomputed:g}); the document probably measures it between other years "
            "or on another definition. " + res.explanation
        )
    return res


def check_share_of(claim: Claim, ctx: Context) -> Result:
    """``share_of``: stated = 100 part / whole, inputs ``part whole``."""
    got = _inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    part, whole = got

    def f(x: float, y: float) -> float:
        return 100 * x / y

    res = _evaluate(claim, f, got, f"100*{_g(part.value)}/{_g(whole.value)}")
    if res.verdict == INCONSISTENT:
        implied = part.value * 100 / claim.stated
        res.reason += f"; the stated share implies a whole of {_g(implied, 4)} {whole.unit}: a different denominator"
        res.explanation = (
            f"Different denominator: {claim.stated_printed}% of the whole would need a whole of "
            f"{_g(implied, 4)} {whole.unit}, not {whole.show()}. " + res.explanation
        )
    return res


def check_threshold_crossed_in(claim: Claim, ctx: Context) -> Result:
    """``threshold_crossed_in``: the level first reached ``threshold`` in the stated year.

    The input is the observation for the stated year; the previous year is looked up in
    the same series (any kind, document preferred).
    """
    try:
        thr = float(claim.params["threshold"])
    except (KeyError, ValueError):
        return _missing(claim, "params threshold=N (in the unit of the observations) is missing", "params")
    got = _inputs(claim, ctx)
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


CHECKS: dict[str, Callable[[Claim, Context], Result]] = {
    "percent_change": check_percent_change,
    "multiple": check_multiple,
    "cagr": check_cagr,
    "cagr_at_least": check_cagr_at_least,
    "difference": check_difference,
    "share_of": check_share_of,
    "threshold_crossed_in": check_threshold_crossed_in,
    "count_thresholds": check_count_thresholds,
    "min_years_between_thresholds": check_min_years_between_thresholds,
}
"""The dispatch table: one check per claim type of :data:`analysis.data.schema.CLAIM_TYPES`."""

assert set(CHECKS) == set(CLAIM_TYPES), "every claim type needs a check"


# --------------------------------------------------------------------------------------
# The audit
# --------------------------------------------------------------------------------------


def audit_claim(claim: Claim | Mapping[str, object], ctx: Context) -> Result:
    """Audit one claim (a :class:`Claim` or a register row)."""
    c = claim if isinstance(claim, Claim) else Claim.from_row(claim)
    check = CHECKS.get(c.claim_type)
    if check is None:
        return Result(
            NOT_CHECKABLE, f"unknown claim type {c.claim_type!r}; valid: {', '.join(CLAIM_TYPES)}", missing="params"
        )
    return check(c, ctx)


def audit_claims(claims: pd.DataFrame | None = None, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute and judge every claim of the register.

    Parameters
    ----------
    claims : pandas.DataFrame, optional
        The register (text cells, columns of :data:`analysis.data.schema.CLAIM_COLUMNS`);
        default :func:`analysis.data.load.load_claims`.
    observations : pandas.DataFrame, optional
        The processed observations; default :func:`analysis.data.load.load_observations`.

    Returns
    -------
    pandas.DataFrame
        One row per claim, in register order, with the columns :data:`AUDIT_COLUMNS`
        (``stated``, ``recomputed`` point value and ``tolerance`` half-width are floats;
        ``recomputed`` is NaN when it cannot be computed) followed by
        :data:`EXTRA_COLUMNS` (``recomputed_low``/``_high``: the interval from the inputs'
        rounding, or the range over completions; ``stated_low``/``_high``: the interval the
        stated value stands for, NaN where unbounded; ``explanation``: plain words).
    """
    claims = load_claims() if claims is None else claims
    observations = load_observations() if observations is None else observations
    ctx = Context.of(observations)
    rows = []
    for _, r in claims.iterrows():
        c = Claim.from_row(r)
        res = audit_claim(c, ctx)
        rows.append(
            {
                "claim_id": c.claim_id,
                "source_id": c.source_id,
                "quote": c.quote,
                "claim_type": c.claim_type,
                "stated": c.stated,
                "recomputed": res.recomputed,
                "tolerance": res.tolerance,
                "verdict": res.verdict,
                "reason": res.reason,
                "stated_printed": c.stated_printed,
                "unit": c.unit,
                "qualifier": c.qualifier,
                "rounding": c.rounding,
                "inputs": " ".join(c.inputs),
                "params": ";".join(f"{k}={v}" for k, v in c.params.items()),
                "stated_low": res.stated_low,
                "stated_high": res.stated_high,
                "recomputed_low": res.low,
                "recomputed_high": res.high,
                "missing": res.missing,
                "explanation": res.explanation,
                "note": c.note,
            }
        )
    out = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS + EXTRA_COLUMNS))
    for col in (
        "stated",
        "recomputed",
        "tolerance",
        "rounding",
        "stated_low",
        "stated_high",
        "recomputed_low",
        "recomputed_high",
    ):
        out[col] = out[col].astype(float)
    return out


def _g(v: float | None, sig: int = 6) -> str:
    """A number for a message: up to ``sig`` significant digits, no exponent for ordinary sizes."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{sig}g}"
