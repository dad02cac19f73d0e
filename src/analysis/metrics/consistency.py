"""Internal consistency: statements that should agree with each other, checked against each other.

A claim (:mod:`analysis.metrics.audit`) is one derived number recomputed from its inputs.
A *consistency check* is a pair (or set) of statements about the same quantity, often in
different paragraphs or documents: the same count stated twice, parts that should add up
to a stated total, a share whose implied denominator can be set against a denominator
stated elsewhere, or a poor population and its incidence implying the population base.
Each is a row of ``data/raw/consistency.csv`` (validated by ``make data`` into
``data/processed/consistency.csv``):

``check_id``       ``doc004.k01`` (the document of side a), unique
``kind``           what is compared (:data:`KINDS`)
``source_a``, ``quote_a``, ``left``   side a: the verbatim sentence and an expression over
                   observation ids whose printed values occur in it
``source_b``, ``quote_b``, ``right``  side b, likewise
``relation``       ``equal`` (the two sides are the same quantity), ``at_most`` (side a
                   is part of side b: a subgroup, a subset, a part) or ``each_at_most``
                   (side a is a sum of parts, ``x + y``, each of them part of side b, but
                   not necessarily a partition of it: two 其中 groups that may overlap)
``unit``           the unit both sides are shown in (a unit of ``units.csv``)
``definitions``    blank, or the words that show the two sides measure different things
``assumption``     blank, or the assumption the relation needs that the text does not
                   make (the reason states it)
``note``           the curator's one-line reading

Expressions combine observation ids with ``+ - * /`` (usual precedence, no typed
numbers). Each operand is taken in its base unit (``万人`` -> persons, ``%`` -> fraction),
so ``xiangxi.poor_population.2013 / xiangxi.poverty_incidence.2013`` is the population
the 2013 incidence is measured against, in persons; the result is shown in ``unit``.

Arithmetic and verdict
----------------------
Each operand stands for the interval its printing implies, exactly as for claims
(:mod:`analysis.metrics.intervals`: half a unit of the last printed digit, 多/余 and
other qualifiers widened); an expression's interval is its value at every corner of
the operand intervals (every expression here is monotone in each operand for
positive values). The verdict is

``different definitions``  ``definitions`` names the words that show two concepts (the
                           reason quotes them); the numbers are still shown, and whether
                           they happen to match decides nothing;
``agree``                  else, the intervals overlap (``equal``), or side a's lower end
                           is at most side b's upper end (``at_most``; for
                           ``each_at_most`` every part's lower end);
``not decidable``          they do not, and the relation rests on an ``assumption`` the
                           text does not make (the reason states it);
``disagree``               they do not, and the wording gives no reason to expect it.

An agreement that rests on an ``assumption`` says so in its reason.

The point values give the size: the ratio a / b and the difference a - b.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from analysis import paths
from analysis.data.expressions import Expression, parse_expression
from analysis.data.load import load_consistency, load_observations
from analysis.data.schema import CONSISTENCY_COLUMNS, CONSISTENCY_KINDS, RELATIONS  # noqa: F401 (re-exported)
from analysis.data.units import read_units
from analysis.metrics.intervals import EPS, Input, fmt, input_of, propagate

AGREE, DISAGREE, DIFFERENT, NOT_DECIDABLE = "agree", "disagree", "different definitions", "not decidable"
CHECK_VERDICTS = (AGREE, DISAGREE, DIFFERENT, NOT_DECIDABLE)
"""The three consistency verdicts, in display order."""
RESULT_COLUMNS = (
    "check_id",
    "kind",
    "source_a",
    "quote_a",
    "source_b",
    "quote_b",
    "left",
    "right",
    "relation",
    "unit",
    "value_a",
    "low_a",
    "high_a",
    "value_b",
    "low_b",
    "high_b",
    "ratio",
    "difference",
    "shown_a",
    "shown_b",
    "verdict",
    "reason",
    "definitions",
    "assumption",
    "note",
)
"""Columns of :func:`check_consistency`, in this order."""


def _base(inp: Input, factor: float) -> Input:
    """The input converted to its base unit (``1.56 万人`` -> 15600 persons)."""
    return replace(inp, value=inp.value * factor, low=inp.low * factor, high=inp.high * factor)


@dataclass(frozen=True)
class Side:
    """One evaluated side: point value and interval in the display unit, and its text."""

    value: float
    low: float
    high: float
    text: str


def evaluate_side(expr: Expression, obs: Mapping[str, Input], factors: Mapping[str, float], scale: float) -> Side:
    """Evaluate an expression over base-unit intervals; return it in the display unit (divided by ``scale``)."""
    inputs = [_base(obs[i], factors[i]) for i in expr.ids]
    point, low, high = propagate(expr.func, inputs)
    shown = expr.text
    words = {"more_than": "more than ", "about": "about ", "nearly": "nearly ", "at_least": "at least "}
    for i in expr.ids:
        o = obs[i]
        num = f"{words.get(o.qualifier, '')}{o.printed or fmt(o.value)}"
        shown = shown.replace(i, f"{num}{'' if o.unit == '%' else ' '}{o.unit}")
    return Side(point / scale, low / scale, high / scale, shown)


def _num(v: float, ref: float) -> str:
    """A value for a sentence with about four significant digits (more when ``ref`` needs them)."""
    if math.isinf(v):
        return "unbounded"
    mag = max(abs(v), abs(ref), 1e-12)
    d = max(0, 3 - math.floor(math.log10(mag)))
    return f"{v:,.{d}f}"


def judge_pair(
    a: Side, b: Side, relation: str, definitions: str, assumption: str = "", parts: tuple[Side, ...] = ()
) -> tuple[str, str]:
    """The verdict and the words for how the two intervals relate (see the module docstring).

    ``parts`` are the terms of side a for ``each_at_most`` (each must fit within b).
    """
    tol = EPS * max(1.0, abs(b.high))
    if relation == "each_at_most":
        over = [p for p in parts if p.low > b.high + tol]
        ok = not over
        how = (
            "each part is within b (the parts may overlap)"
            if ok
            else f"{', '.join(p.text for p in over)} exceeds b even at the ends of the rounding"
        )
    elif relation == "at_most":
        ok = a.low <= b.high + tol
        how = "a is within b" if ok else "a exceeds b even at the ends of the rounding"
    else:
        ok = a.high >= b.low - EPS * max(1.0, abs(b.low)) and a.low <= b.high + tol
        how = "the intervals overlap within rounding" if ok else "no overlap within rounding"
    if definitions.strip():
        return DIFFERENT, how
    if ok:
        return AGREE, how
    return (NOT_DECIDABLE if assumption.strip() else DISAGREE), how


def check_consistency(register: pd.DataFrame | None = None, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate and judge every row of the consistency register.

    Parameters
    ----------
    register : pandas.DataFrame, optional
        Rows with :data:`CONSISTENCY_COLUMNS` (text cells); default
        :func:`analysis.data.load.load_consistency`.
    observations : pandas.DataFrame, optional
        The processed observations; default :func:`analysis.data.load.load_observations`.

    Returns
    -------
    pandas.DataFrame
        One row per check in register order with :data:`RESULT_COLUMNS`: each side's
        point value and rounding interval in ``unit``, ``ratio`` (a / b) and
        ``difference`` (a - b) of the point values, the verdict and a one-line reason.
    """
    register = load_consistency() if register is None else register
    observations = load_observations() if observations is None else observations
    units = read_units(paths.RAW / "units.csv")
    obs: dict[str, Input] = {}
    factors: dict[str, float] = {}
    for _, r in observations.iterrows():
        oid = str(r["obs_id"])
        obs[oid] = input_of(r)
        factors[oid] = float(units[str(r["unit"])].factor)
    rows = []
    for _, r in register.iterrows():
        cell = {c: ("" if pd.isna(r.get(c)) else str(r.get(c))) for c in CONSISTENCY_COLUMNS}
        left, right = parse_expression(cell["left"]), parse_expression(cell["right"])
        unknown = [i for i in (*left.ids, *right.ids) if i not in obs]
        if unknown:
            raise KeyError(f"consistency check {cell['check_id']}: unknown observation {', '.join(unknown)}")
        scale = float(units[cell["unit"]].factor)
        a = evaluate_side(left, obs, factors, scale)
        b = evaluate_side(right, obs, factors, scale)
        parts: tuple[Side, ...] = ()
        if cell["relation"] == "each_at_most" and any(op in cell["left"] for op in "-*/()"):
            raise ValueError(
                f"consistency check {cell['check_id']}: relation each_at_most needs a sum of parts as left "
                f"(x + y), got {cell['left']!r}"
            )
        if cell["relation"] == "each_at_most":
            parts = tuple(evaluate_side(parse_expression(i), obs, factors, scale) for i in left.ids)
        verdict, how = judge_pair(a, b, cell["relation"], cell["definitions"], cell["assumption"], parts)
        ratio = a.value / b.value if b.value else math.nan
        diff = a.value - b.value
        u = cell["unit"]
        sp = "" if u == "%" else " "
        rng = lambda s: f"{_num(s.low, s.value)} to {_num(s.high, s.value)}"  # noqa: E731
        reason = (
            f"a: {a.text} = {_num(a.value, a.value)}{sp}{u} ({rng(a)}); b: {b.text} = {_num(b.value, b.value)}{sp}{u} "
            f"({rng(b)}); a/b = {ratio:.3f}, a - b = {_num(diff, max(abs(a.value), abs(b.value)))}{sp}{u}: {how}"
        )
        if verdict == DIFFERENT:
            reason += f"; different definitions: {cell['definitions']}"
        elif verdict == NOT_DECIDABLE:
            reason += f"; not decidable: the comparison assumes {cell['assumption']}, which the text does not say"
        elif cell["assumption"].strip():
            reason += f"; this assumes {cell['assumption']}, which the text does not say"
        rows.append(
            {
                **{k: cell[k] for k in ("check_id", "kind", "source_a", "quote_a", "source_b", "quote_b")},
                "left": cell["left"],
                "right": cell["right"],
                "relation": cell["relation"],
                "unit": u,
                "value_a": a.value,
                "low_a": a.low,
                "high_a": a.high,
                "value_b": b.value,
                "low_b": b.low,
                "high_b": b.high,
                "ratio": ratio,
                "difference": diff,
                "shown_a": a.text,
                "shown_b": b.text,
                "verdict": verdict,
                "reason": reason,
                "definitions": cell["definitions"],
                "assumption": cell["assumption"],
                "note": cell["note"],
            }
        )
    out = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    for c in ("value_a", "low_a", "high_a", "value_b", "low_b", "high_b", "ratio", "difference"):
        out[c] = out[c].astype(float)
    return out
