"""Materiality of a change in an income ratio or gap: when is a region "converging"?

A ratio that moves from 0.959 to 0.961 has not converged: the move is smaller than the
revisions the endpoints themselves undergo. :func:`convergence_verdict` and :func:`gap_verdict`
call a change material only beyond :data:`MATERIALITY` log points, and the reports state
relative and absolute convergence together (a ratio can rise while the gap in yuan widens).
"""

from __future__ import annotations

import math

MATERIALITY = 0.02
"""Smallest move, in log points, that counts as convergence or divergence (default 0.02).

Relative: the distance of the income ratio from parity, ``|ln(region / China)|``, must fall
(converging) or rise (diverging) by more than this between the window's ends; absolute: the
gap in yuan must change by more than this in logs (``|ln(gap_end / gap_start)|``). Anything
smaller is "no material change". Why 0.02: the printed incomes are whole yuan, so rounding
moves a ratio by less than 0.0002 and is not what limits it; vintage is. The endpoints are
first releases (China's figures are preliminary NBS releases, Hunan's 2019 figure a
press-conference number) and may be revised when final. Allowing a revision of 1% to either
side moves the log ratio at one end by up to 0.01, and the change between the two ends by up
to 0.02. The 1% is an allowance, not an estimate from these data (they hold few first-release
and final pairs); a caller can pass another ``threshold``, and the text states the one used."""


def convergence_verdict(ratio_start: float, ratio_end: float, threshold: float = MATERIALITY) -> str:
    """Relative convergence of a region's income ratio to China, with a materiality threshold.

    ``converging`` when the distance from parity ``|ln ratio|`` falls by more than
    ``threshold`` (log points, :data:`MATERIALITY`), ``diverging`` when it rises by more, else
    ``no material change``.

    Examples
    --------
    Xiangxi 5891/10489 = 0.562 (2014) to 9183/14617 = 0.628 (2018); Hunan 10060/10489 = 0.959
    (2014) to 15395/16021 = 0.961 (2019):

    >>> convergence_verdict(5891 / 10489, 9183 / 14617)
    'converging'
    >>> convergence_verdict(10060 / 10489, 15395 / 16021)
    'no material change'
    """
    move = abs(math.log(ratio_start)) - abs(math.log(ratio_end))
    if move > threshold:
        return "converging"
    if move < -threshold:
        return "diverging"
    return "no material change"


GAP_WORDS = {"widened": "widened", "narrowed": "narrowed", "no material change": "did not change materially"}
""":func:`gap_verdict` as a verb phrase ("the gap ... widened")."""


def gap_verdict(gap_start: float, gap_end: float, threshold: float = MATERIALITY) -> str:
    """Whether an absolute gap (in yuan, either sign) ``widened``, ``narrowed`` or had ``no material change``.

    The change counts when ``|ln(|gap_end| / |gap_start|)|`` exceeds ``threshold``.

    >>> gap_verdict(5891 - 10489, 9183 - 14617)  # Xiangxi - China, 2014 and 2018: -4598 -> -5434 yuan
    'widened'
    """
    a, b = abs(gap_start), abs(gap_end)
    if a == 0 or b == 0:
        return "widened" if b > a else "narrowed" if b < a else "no material change"
    move = math.log(b / a)
    return "widened" if move > threshold else "narrowed" if move < -threshold else "no material change"
