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
``percent_change``              ``a b``      100 (b / a - 1); with ``direction=decrease``: 100 (1 - b / a)
``multiple``                    ``a b``      b / a
``cagr``, ``cagr_at_least``     ``a b``      100 ((b / a)^(1 / (year_b - year_a)) - 1)
``difference``                  ``a b``      b - a; with ``direction=decrease``: a - b
``share_of``                    ``part whole`` 100 part / whole
``difference_per_year``         ``a b``      (b - a) / (year_b - year_a); ``direction=decrease``: (a - b) / ...
``real_growth``                 ``a b [p]``  100 ((b / a) / (1 + p / 100) - 1): levels of consecutive years
                                             deflated by the later year's inflation p (%) of the
                                             index indicators.csv names (rural CPI for rural income)
``threshold_crossed_in``        the level in the stated year, ``threshold=N`` (observation unit)
``count_thresholds``            ``series=..;step=..;start=..;end=..``: multiples of step first
                                reached in the years start..end
``min_years_between_thresholds`` same params: shortest gap in years between successive crossings
=============================== ============ =================================================

Register params that change the verdict (see :func:`unstated`): ``definitions=<text>``
(the inputs are of different definitions or bases) and ``assumption=<text>`` (the check
needs an assumption the text does not make) make the verdict ``not checkable`` with the
text as its reason, the arithmetic shown as taken at face value; ``same_fact=<check_id>``
names the consistency check of the same fact. ``share_of`` with ``whole=count/rate`` takes
the whole as a count over its rate (inputs ``part count rate``).

The model of a claim and the qualifier rules are in :mod:`analysis.metrics.claims`, the
rounding intervals in :mod:`analysis.metrics.intervals`, threshold claims in
:mod:`analysis.metrics.thresholds`, and the internal-consistency pairs (statements that
should agree with each other) in :mod:`analysis.metrics.consistency`.

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

from collections.abc import Callable, Mapping
from dataclasses import replace

import pandas as pd

from analysis.data.deflators import GENERAL_CPI, default_rules, kind_label
from analysis.data.load import load_claims, load_observations
from analysis.data.numbers import decimals_of
from analysis.data.schema import CLAIM_TYPES
from analysis.metrics.claims import (  # noqa: F401  (re-exported: the audit's public names)
    AUDIT_COLUMNS,
    CONSISTENT,
    EXTRA_COLUMNS,
    INCONSISTENT,
    MISSING,
    NOMINAL_NOTE,
    NOT_CHECKABLE,
    ROLES,
    VERDICTS,
    Claim,
    Context,
    Judgement,
    Result,
    claim_inputs,
    evaluate,
    judge,
    missing_result,
    parse_params,
    stated_interval,
)
from analysis.metrics.intervals import (  # noqa: F401
    EPS,
    Input,
    half_unit,
    input_of,
    propagate,
    rounding_of,
)
from analysis.metrics.intervals import (
    fmt as _g,
)
from analysis.metrics.thresholds import (  # noqa: F401
    Crossings,
    check_count_thresholds,
    check_min_years_between_thresholds,
    check_threshold_crossed_in,
    crossings,
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


def check_percent_change(claim: Claim, ctx: Context) -> Result:
    """``percent_change``: stated = 100 (b / a - 1), inputs ``a b``."""
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got

    direction = claim.params.get("direction", "increase")
    if direction not in ("increase", "decrease"):
        return missing_result(claim, f"unknown params direction={direction!r} (valid: increase, decrease)", "params")
    sign = -1.0 if direction == "decrease" else 1.0

    def f(x: float, y: float) -> float:
        return sign * 100 * (y / x - 1)

    formula = f"100*({_g(b.value)}/{_g(a.value)} - 1)" if sign > 0 else f"100*(1 - {_g(b.value)}/{_g(a.value)})"
    res = evaluate(claim, f, got, formula)
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
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got

    def f(x: float, y: float) -> float:
        return y / x

    res = evaluate(claim, f, got, f"{_g(b.value)}/{_g(a.value)}")
    if res.verdict == INCONSISTENT:
        text, _ = _alternative_bases(claim, ctx, a, b, f, b.value / claim.stated)
        res.reason += f"; {text}"
        res.explanation = (
            f"The two levels give a multiple of {res.recomputed:.2f}, not {claim.stated_printed}. "
            f"{text[0].upper()}{text[1:]}. " + res.explanation
        )
    return res


def _cagr(claim: Claim, ctx: Context) -> Result:
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got
    years = b.year - a.year
    if years <= 0:
        return missing_result(
            claim, f"the inputs are not in time order ({a.obs_id} is {a.year}, {b.obs_id} is {b.year})"
        )

    def f(x: float, y: float) -> float:
        return 100 * ((y / x) ** (1 / years) - 1)

    res = evaluate(
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
        return missing_result(claim, f"unknown params direction={direction!r} (valid: increase, decrease)", "params")
    got = claim_inputs(claim, ctx)
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
    res = evaluate(claim, f, got, formula)
    if res.verdict == INCONSISTENT:
        implied = b.value + claim.stated if direction == "decrease" else b.value - claim.stated
        res.reason += (
            f"; the levels are {a.show()} ({a.year}) and {b.show()} ({b.year}): the stated change "
            f"implies a {a.year} level of {_g(implied)} {a.unit}, so it probably uses other base or end years "
            "or another definition"
        )
        res.explanation = (
            f"The stated change of {claim.stated_printed} {claim.unit} is not the difference of the "
            f"two levels ({res.recomputed:g}); the document probably measures it between other years "
            "or on another definition. " + res.explanation
        )
    return res


def check_share_of(claim: Claim, ctx: Context) -> Result:
    """``share_of``: stated = 100 part / whole, inputs ``part whole``.

    With ``whole=count/rate`` the whole is not printed but implied by a count and its
    rate (inputs ``part count rate``: the population a poverty incidence is measured
    against, 1.56万 / 0.65%), and stated = 100 part / (count / rate), in base units.
    """
    if claim.params.get("whole") == "count/rate":
        return _share_of_implied_whole(claim, ctx)
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    part, whole = got
    if part.unit != whole.unit:  # 156484 人 of 240 万人: compare in base units
        part, whole = ctx.in_base(part), ctx.in_base(whole)
        got = [part, whole]

    def f(x: float, y: float) -> float:
        return 100 * x / y

    res = evaluate(claim, f, got, f"100*{_g(part.value)}/{_g(whole.value)}")
    if res.verdict == INCONSISTENT:
        implied = part.value * 100 / claim.stated
        res.reason += f"; the stated share implies a whole of {_g(implied, 4)} {whole.unit}: a different denominator"
        res.explanation = (
            f"Different denominator: {claim.stated_printed}% of the whole would need a whole of "
            f"{_g(implied, 4)} {whole.unit}, not {whole.show()}. " + res.explanation
        )
    return res


def _share_of_implied_whole(claim: Claim, ctx: Context) -> Result:
    unknown = [i for i in claim.inputs if i not in ctx.by_id]
    if unknown or len(claim.inputs) != 3:
        why = f"input {', '.join(unknown)} is not among the curated observations" if unknown else ""
        return missing_result(
            claim, why or "share_of with whole=count/rate takes three inputs (part count rate)", "params"
        )
    part, count, rate = (ctx.in_base(ctx.by_id[i]) for i in claim.inputs)

    def f(x: float, y: float, z: float) -> float:
        return 100 * x / (y / z)

    formula = f"100*{_g(part.value)}/({_g(count.value)}/{_g(rate.value)})"
    res = evaluate(claim, f, [part, count, rate], formula)
    res.reason += f" (the whole, {count.value / rate.value:,.0f} persons, is the count over its rate)"
    return res


def check_difference_per_year(claim: Claim, ctx: Context) -> Result:
    """``difference_per_year``: stated = (b - a) / (year_b - year_a) (``direction=decrease``: a - b), inputs ``a b``.

    ``平均每年减少1391万人``, ``平均每年下降1.4个百分点``.
    """
    direction = claim.params.get("direction", "increase")
    if direction not in ("increase", "decrease"):
        return missing_result(claim, f"unknown params direction={direction!r} (valid: increase, decrease)", "params")
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b = got
    years = b.year - a.year
    if years <= 0:
        return missing_result(
            claim, f"the inputs are not in time order ({a.obs_id} is {a.year}, {b.obs_id} is {b.year})"
        )
    sign = -1.0 if direction == "decrease" else 1.0

    def f(x: float, y: float) -> float:
        return sign * (y - x) / years

    shown = f"({_g(a.value)} - {_g(b.value)})" if sign < 0 else f"({_g(b.value)} - {_g(a.value)})"
    return evaluate(claim, f, got, f"{shown}/{years}", suffix=f" a year {a.year}-{b.year}")


def _deflator_of(claim: Claim, ctx: Context) -> tuple[Claim, Result | None, str]:
    """The claim with its price index resolved by the vocabulary, or ``not checkable``; and the index's name.

    The index a level is deflated by is the ``deflator`` of its indicator in
    ``data/raw/indicators.csv`` (rural income: the rural CPI), of the level's own region.
    Inputs ``a b``: the rate of that index in the later year is looked up; if it is not in
    the data the claim is not checkable (another index is never used in its place).
    Inputs ``a b p``: ``p`` must be a rate of that index, else not checkable.
    """
    ids = claim.inputs
    if len(ids) not in (2, 3) or any(i not in ctx.by_id for i in ids):
        return claim, None, ""
    rules = default_rules()
    a, b = ctx.by_id[ids[0]], ctx.by_id[ids[1]]
    prefix, _, indicator = a.series_id.partition(".")
    rule = rules.rule(indicator)
    price = rules.price_indicator(rule.deflator) if rule.by_cpi else ""
    if not price:
        return claim, None, ""
    what, sid = kind_label(rule.deflator), f"{prefix}.{price}"
    why = f"{a.label.lower()} is deflated by the {what} (deflator of {indicator} in data/raw/indicators.csv)"
    if len(ids) == 3:
        given = ctx.by_id[ids[2]]
        if given.series_id != sid:
            reason = f"the register deflates with {given.obs_id}, but {why}: give {sid}.{b.year} or leave it out"
            return claim, missing_result(claim, reason, "deflator"), what
        return claim, None, what
    p = ctx.series(sid).get(b.year)
    if p is None:
        other = ctx.series(f"{prefix}.{rules.price_indicator(GENERAL_CPI)}").get(b.year)
        shown = (
            f"; the {kind_label(GENERAL_CPI)} of all residents ({other.obs_id} = {other.show()}) is another index "
            "and is not used in its place"
            if other
            else ""
        )
        reason = f"the {what} of {b.year} ({sid}.{b.year}) is not in the data, and {why}{shown}"
        return claim, missing_result(claim, reason, "deflator"), what
    return replace(claim, inputs=(*ids, p.obs_id)), None, what


def check_real_growth(claim: Claim, ctx: Context) -> Result:
    """``real_growth``: stated = 100 ((b / a) / (1 + p / 100) - 1), inputs ``a b`` or ``a b p``.

    A stated real growth rate (``扣除价格因素实际增长 x%``) against the nominal levels of
    two consecutive years deflated by the inflation rate ``p`` of the later year, of the
    index the vocabulary names for the levels (rural income: the rural CPI, as NBS
    deflates it). With inputs ``a b`` the rate is looked up in the data; where that index
    is missing for the year the claim is ``not checkable`` (``missing`` = ``deflator``),
    never judged with another index.
    """
    claim, refused, what = _deflator_of(claim, ctx)
    if refused is not None:
        return refused
    got = claim_inputs(claim, ctx)
    if isinstance(got, Result):
        return got
    a, b, p = got
    if b.year - a.year != 1 or p.year != b.year:
        return missing_result(
            claim,
            f"real_growth needs the levels of two consecutive years and the inflation of the later one "
            f"(got {a.year}, {b.year} and inflation of {p.year})",
            "params",
        )

    def f(x: float, y: float, z: float) -> float:
        return 100 * ((y / x) / (1 + z / 100) - 1)

    res = evaluate(claim, f, got, f"100*(({_g(b.value)}/{_g(a.value)})/(1 + {_g(p.value)}/100) - 1)")
    res.reason += f"; deflated with the {what or 'price index given'}, {p.obs_id}"
    if res.verdict == INCONSISTENT and what:
        res.reason += f"; the gap is not explained by the choice of price index (the {what} is the index NBS uses)"
    return res


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
    "difference_per_year": check_difference_per_year,
    "real_growth": check_real_growth,
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
    return unstated(c, check(c, ctx))


def unstated(claim: Claim, res: Result) -> Result:
    """Apply the register's ``assumption``, ``definitions`` and ``same_fact`` params to a result.

    ``assumption=<text>``: the check needs an assumption the text does not make (the 1726
    homes as one per covered village). ``definitions=<text>``: the inputs are of different
    definitions or bases (the poverty office's 扶贫对象 against the NBS survey count). In
    both cases the arithmetic is kept (recomputed value and interval, as if the assumption
    held), but it decides nothing: the verdict is ``not checkable`` and the reason says why,
    then gives the arithmetic. ``same_fact=<check_id>`` names the consistency check of the
    same fact, so the two tables refer to each other.
    """
    text, missing = "", ""
    if claim.params.get("definitions"):
        text = f"the inputs are of different definitions or bases: {claim.params['definitions']}"
        missing = "definitions"
    elif claim.params.get("assumption"):
        text = f"the check needs an assumption the text does not make: {claim.params['assumption']}"
        missing = "assumption"
    if text and res.verdict != NOT_CHECKABLE:
        res = replace(
            res,
            verdict=NOT_CHECKABLE,
            missing=missing,
            reason=f"not checkable: {text}. Taken at face value, {res.reason}",
            explanation=f"Not checkable: {text}. " + res.explanation,
        )
    if claim.params.get("same_fact"):
        res = replace(res, reason=f"{res.reason}; the same fact is consistency check {claim.params['same_fact']}")
    return res


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
