"""Rounding intervals: what a printed number stands for, and a formula over such numbers.

Shared by the claims audit (:mod:`analysis.metrics.audit`) and the internal-consistency
checks (:mod:`analysis.metrics.consistency`), so both judge with the same arithmetic.

Intervals
---------
*Stated value.* ``stated`` with rounding r (the ``rounding`` column; when blank, one unit
of the last printed digit of ``stated_printed``: ``68.47`` -> 0.01, ``98`` -> 1) stands
for [stated - r/2, stated + r/2]: ``98`` is [97.5, 98.5], ``68.47`` is [68.465, 68.475].

*Inputs.* Each input stands for its printed value plus or minus half a unit of its last
printed digit (``705.7`` -> +-0.05), converted to the observation's unit when it was
printed in another (an external 60.505 billion is 605.05 +- 0.005 亿元). Derived inputs use
their stored range (``value_low``..``value_high``). An input that is itself qualified
widens accordingly: ``more_than``/``at_least`` [v, inf), ``less_than`` (-inf, v].

*约 and 近.* A number printed with 约/左右 (``about``) or 近 (``nearly``) is a rounded
number, and the qualifier says no more than that: it stands for the values that round to
it at its last *significant* digit (:func:`significant_unit`: the trailing zeros of an
integer are not significant, so ``约1.28亿`` is 1.28 +- 0.005 亿 = 12800 +- 50 万, ``约6.6%``
is 6.55 to 6.65%, ``5户左右`` is 4.5 to 5.5, ``近6700`` is 6650 to 6700 and ``近2亿`` 1.5 to 2
亿). ``about`` is v +- half that unit, ``nearly`` [v - half that unit, v]. No relative band
is added: a band on a level (5% of 1.28亿 = +-640万) would become a much larger share of a
difference of two levels (+-27% of 12800 - 9899) and decide the verdict by itself.

*Recomputed value.* The point value (``recomputed``) uses the values as printed; its
interval (``recomputed_low``..``recomputed_high``) evaluates the formula at every corner
of the input intervals, which bounds it because every formula above is monotone in each
input for positive levels.

A ``more_than`` input printed with 多 or 余 right after it (``2.5万多``, ``57.2万余户``,
``6300多亿元``), or after a classifier (``3个多百分点``), is read the way Chinese uses it:
at least the printed value and less than the printed value plus one unit of its last
significant digit (``2.5万多`` is [2.5, 2.6) 万, ``3个多`` is [3, 4)); ``以上``, ``超过`` and
other bounds stay open above.

Intervals propagate through sums, differences and ratios by interval arithmetic (the
formula at every corner): 约1.28亿 - 9899万 is [12750, 12850] - [9898.5, 9899.5] =
[2850.5, 2951.5] 万.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from analysis.data.numbers import decimals_of, parse_printed

EPS = 1e-9
"""Relative slack in comparisons (floating point only)."""


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
        return f"{fmt(self.value)}{'' if self.unit == '%' else ' '}{self.unit}"

    def caveat(self) -> str:
        """``2015 (external; basis): note`` for external values, else ``""``."""
        if self.kind != "external":
            return ""
        basis = f", basis: {self.basis}" if self.basis else ""
        return f"{self.year} value {self.show()} is external{basis}" + (f"; note: {self.note}" if self.note else "")


def rounding_of(rounding: str, stated_printed: str, qualifier: str = "exact") -> float:
    """The rounding unit: the ``rounding`` cell, or one unit of the last printed digit.

    For a stated value qualified ``about`` (约) or ``nearly`` (近) the default is one unit of
    its last *significant* digit (:func:`significant_unit`): ``近6700`` -> 100.

    >>> rounding_of("", "68.47"), rounding_of("", "98"), rounding_of("0.1", "3.3")
    (0.01, 1.0, 0.1)
    >>> rounding_of("", "6700", "nearly"), rounding_of("", "6.6", "about")
    (100.0, 0.1)
    """
    if rounding and rounding.strip():
        return float(rounding)
    if qualifier in ("about", "nearly"):
        try:
            unit = significant_unit(float(parse_printed(stated_printed)), stated_printed)
        except (ValueError, ArithmeticError):
            unit = math.nan
        if not math.isnan(unit):
            return unit
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


_DUO = "(?<![0-9.]){}\\s*([十百千万亿]?)\\s*个?\\s*[多余]"
"""A printed number followed by 多/余, with an optional magnitude (万) or classifier (个) between.

The look-behind keeps ``3`` from matching the end of ``2013`` or ``1.3``.
"""


def significant_unit(value: float, printed: str) -> float:
    """One unit of the last significant digit of ``printed``, in the unit of ``value``.

    Decimals count as printed (``1.28`` -> 0.01); an integer's trailing zeros do not
    (``6700`` -> 100, ``2000`` -> 1000, ``45`` -> 1). ``printed`` may be in another unit
    than ``value`` (``1.28`` 亿 for 12800 万 -> 100 万). NaN when ``printed`` is not a number.

    >>> significant_unit(6700, "6700"), significant_unit(12800, "1.28"), significant_unit(6.6, "6.6")
    (100.0, 100.0, 0.1)
    """
    try:
        p = float(parse_printed(printed))
    except (ValueError, ArithmeticError, TypeError):
        return math.nan
    if not p:
        return math.nan
    d = decimals_of(printed) if any(ch.isdigit() for ch in printed) else 0
    if d:
        unit = 10.0**-d
    else:
        digits = f"{abs(round(p)):d}"
        stripped = digits.rstrip("0")
        unit = 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0
    return float(f"{unit * abs(value / p):.12g}")


def duo_bounded(printed: str, quote: str) -> bool:
    """Whether ``printed`` stands in ``quote`` directly before 多 or 余 (``2.5万多``, ``4236余对``).

    >>> duo_bounded("2.5", "共吸纳就业2.5万多人"), duo_bounded("5000", "人均年增收5000元以上")
    (True, False)
    """
    return bool(printed) and re.search(_DUO.format(re.escape(printed)), quote) is not None


def duo_unit(value: float, printed: str, quote: str) -> float:
    """How far above ``value`` a number printed with 多/余 can go: one unit of its last significant digit.

    ``2.5万多`` -> 0.1 (万), ``5100多`` -> 100, ``2000多`` -> 1000, ``4236余`` -> 1,
    ``3个多`` -> 1, ``10万多`` -> 1 (万: the 多 after the magnitude is less than one of it)
    (in the unit of ``value``); ``inf`` when ``printed`` is not followed by 多 or 余
    (``5000元以上``).

    >>> duo_unit(2.5, "2.5", "吸纳就业2.5万多人"), duo_unit(5100, "5100", "培训5100多人")
    (0.1, 100.0)
    >>> duo_unit(3, "3", "较2013年下降3个多百分点"), duo_unit(10, "10", "委托帮扶建档立卡户10万多人")
    (1.0, 1.0)
    >>> duo_unit(5000, "5000", "人均年增收5000元以上")
    inf
    """
    m = re.search(_DUO.format(re.escape(printed)), quote) if printed else None
    if m is None:
        return math.inf
    unit = significant_unit(value, printed)
    if m.group(1) and not decimals_of(printed) and not math.isnan(unit):
        # 10万多: the 多 stands after the magnitude, so it is less than one 万 (10 to 11 万),
        # unlike 10多万 (10 to 20 万) or 2000多 (2000 to 3000)
        unit = float(parse_printed(printed))
        unit = abs(value / unit) if unit else math.nan
    return math.inf if math.isnan(unit) else unit


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
        sig = significant_unit(value, printed) if printed else math.nan
        band = h if math.isnan(sig) else max(h, sig / 2)
        low, high = {
            "more_than": (value, value + duo_unit(value, printed, str(r.get("quote") or ""))),
            "at_least": (value, math.inf),
            "less_than": (-math.inf, value),
            "about": (value - band, value + band),
            "nearly": (value - band, value),
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


def fmt(v: float, sig: int = 6) -> str:
    """A number for a message: up to ``sig`` significant digits, no exponent for ordinary sizes."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.{sig}g}"
