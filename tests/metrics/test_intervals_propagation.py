"""Rounding intervals from printed precision, propagated through sums, differences and ratios.

Every expected interval is the hand arithmetic on the printed numbers: half a unit of the
last significant digit either side for exact, 约 (about) and 近 (nearly, below only), one
unit above for 多/余. No relative band: the old 5% band on 约1.28亿 (+-640万) became +-27% of
12800 - 9899 and turned a contradiction into "consistent" (ext.c35).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.metrics.claims import Claim, judge, stated_interval
from analysis.metrics.consistency import AGREE, DIFFERENT, DISAGREE, NOT_DECIDABLE, Side, judge_pair
from analysis.metrics.intervals import (
    duo_bounded,
    duo_unit,
    input_of,
    propagate,
    rounding_of,
    significant_unit,
)


def row(obs_id: str, value: float, printed: str, qualifier: str = "exact", quote: str = "") -> pd.Series:
    return pd.Series(
        {
            "obs_id": obs_id,
            "value": value,
            "value_printed": printed,
            "qualifier": qualifier,
            "quote": quote,
            "year": 2019,
            "unit": "万人",
            "kind": "external",
            "series_id": "x.y",
            "label": "y",
            "value_low": math.nan,
            "value_high": math.nan,
        }
    )


def claim(stated: str, qualifier: str, quote: str = "", rounding: str = "", claim_type: str = "difference") -> Claim:
    return Claim.from_row(
        {
            "claim_id": "t.c01",
            "source_id": "t",
            "quote": quote or f"q {stated}",
            "stated_printed": stated,
            "stated": stated,
            "unit": "万人",
            "qualifier": qualifier,
            "rounding": rounding,
            "claim_type": claim_type,
            "inputs": "",
            "params": "",
            "note": "",
        }
    )


# ------------------------------------------------------------------------- single numbers


def test_significant_unit_of_printed_numbers():
    # decimals count as printed; an integer's trailing zeros do not
    assert significant_unit(6.6, "6.6") == pytest.approx(0.1)
    assert significant_unit(6700, "6700") == 100
    assert significant_unit(45, "45") == 1
    assert significant_unit(2000, "2000") == 1000
    # printed in 亿, value in 万: 0.01 亿 = 100 万
    assert significant_unit(12800, "1.28") == pytest.approx(100)


def test_about_is_rounding_at_its_printed_precision_not_a_five_percent_band():
    # 约1.28亿 = 12800 万 +- 0.005 亿 = +- 50 万 (the old band was max(50, 5% of 12800) = 640 万)
    i = input_of(row("china.rural_poor_population.2011.ext", 12800, "1.28", "about"))
    assert (i.low, i.high) == (pytest.approx(12750), pytest.approx(12850))
    # 约6.6% = 6.55 to 6.65; 5户左右 = 4.5 to 5.5 (5% would have been 6.27 to 6.93 and 4.75 to 5.25)
    i = input_of(row("x.share.2019", 6.6, "6.6", "about"))
    assert (i.low, i.high) == (pytest.approx(6.55), pytest.approx(6.65))
    i = input_of(row("x.per_group.2020", 5, "5", "about"))
    assert (i.low, i.high) == (pytest.approx(4.5), pytest.approx(5.5))


def test_nearly_is_at_or_just_below_the_printed_value():
    # 近45万: 44.5 to 45; 近2亿: 1.5 to 2 (the last significant digit is the units); 近300亿: 250 to 300
    for value, printed, low in ((45, "45", 44.5), (2, "2", 1.5), (300, "300", 250)):
        i = input_of(row("x.n.2019", value, printed, "nearly"))
        assert (i.low, i.high) == (pytest.approx(low), pytest.approx(value)), printed


def test_stated_about_and_nearly_use_the_significant_digit():
    # stated 近6700 (ext.c36): rounding 100 by default, so 6650 to 6700
    assert rounding_of("", "6700", "nearly") == 100
    assert stated_interval(claim("6700", "nearly"))[1:] == (pytest.approx(6650), pytest.approx(6700))
    # stated 约6.6 (doc004.c13): 6.55 to 6.65, tolerance 0.05 (was max(0.1, 5% of 6.6) = 0.33)
    t, lo, hi = stated_interval(claim("6.6", "about", rounding="0.1", claim_type="share_of"))
    assert (t, lo, hi) == (pytest.approx(0.05), pytest.approx(6.55), pytest.approx(6.65))


# ------------------------------------------------------------------------- 多 and 余


def test_duo_after_a_classifier_is_bounded():
    # 「下降3个多百分点」: 3 and more, under 4 (the 多 rule missed 「3个多」 before)
    q = "截止2015年底,我省贫困发生率降至8.2%,较2013年下降3个多百分点;"
    assert duo_bounded("3", q) and duo_unit(3, "3", q) == 1
    i = input_of(row("hunan.poverty_incidence_fall.2015", 3, "3", "more_than", q))
    assert (i.low, i.high) == (3, 4)
    # the 3 of 2013 (or of 1.3) is not the printed 3: the match needs no digit before it
    assert not duo_bounded("3", "2013多") and not duo_bounded("3", "1.3万多")


def test_duo_after_a_magnitude_is_less_than_one_of_it():
    # 10万多 is 10 to 11 万; 10多万 is 10 to 20 万; 2000多 is 2000 to 3000; 2.5万多 is 2.5 to 2.6 万
    assert duo_unit(10, "10", "委托帮扶建档立卡户10万多人") == 1
    assert duo_unit(10, "10", "帮扶10多万人") == 10
    assert duo_unit(2000, "2000", "扶贫平台2000多个") == 1000
    assert duo_unit(2.5, "2.5", "共吸纳就业2.5万多人") == pytest.approx(0.1)
    assert math.isinf(duo_unit(5000, "5000", "人均年增收5000元以上"))


def test_stated_duo_claim_stands_for_a_half_open_interval():
    q = "较2013年下降3个多百分点"
    c = claim("3", "more_than", quote=q)
    assert stated_interval(c) == (0.0, 3, 4)
    # a recomputed fall of 3.5 points fits [3, 4); one of 4.2 does not (before: any value above 3 did)
    assert judge(c, 3.4, 3.6).verdict == "consistent"
    assert judge(c, 4.1, 4.3).verdict == "inconsistent"


# ------------------------------------------------------------------------- propagation


def test_difference_of_about_level_and_exact_level():
    # ext.c35: 约1.28亿 - 9899万 = [12750 - 9899.5, 12850 - 9898.5] = [2850.5, 2951.5], against 2339: no overlap
    a = input_of(row("a", 12800, "1.28", "about"))
    b = input_of(row("b", 9899, "9899"))
    point, low, high = propagate(lambda x, y: x - y, [a, b])
    assert (point, low, high) == (2901, pytest.approx(2850.5), pytest.approx(2951.5))
    assert judge(claim("2339", "exact"), low, high).verdict == "inconsistent"
    # the half-width is 50.5 (1.7% of the difference), not 640.5 (22% of it, +-27% with the 5% band on 9899 too)
    assert (high - low) / 2 == pytest.approx(50.5)


def test_ratio_of_two_rounded_numbers():
    # doc004.k03/c13: 1.56万 / 0.65% = 240万, interval [1.555 / 0.00655, 1.565 / 0.00645] = [237.40, 242.64]
    count = input_of(row("c", 1.56, "1.56"))
    rate = input_of(row("r", 0.65, "0.65"))
    point, low, high = propagate(lambda x, y: x / (y / 100), [count, rate])
    assert point == pytest.approx(240)
    assert low == pytest.approx(1.555 / 0.00655) and high == pytest.approx(1.565 / 0.00645)


def test_ratio_with_a_duo_bounded_denominator():
    # doc001: 218万 / 3个多百分点 = 218 / [0.03, 0.04) over 218 +- 0.5: [217.5 / 0.04, 218.5 / 0.03] = [5437.5, 7283.3]
    q = "较2013年下降3个多百分点"
    a = input_of(row("a", 218, "218"))
    b = input_of(row("b", 3, "3", "more_than", q))
    point, low, high = propagate(lambda x, y: x / (y / 100), [a, b])
    assert point == pytest.approx(218 / 0.03)
    assert low == pytest.approx(217.5 / 0.04) and high == pytest.approx(218.5 / 0.03)


# ------------------------------------------------------------------------- consistency verdict rules


def side(value: float, low: float, high: float, text: str = "x") -> Side:
    return Side(value, low, high, text)


def test_each_at_most_tests_every_part_not_their_sum():
    # doc004.k08: 1.9万 + 1.1万 against 2.5万多 = [2.5, 2.6): the sum 3.0 exceeds, each part fits
    parts = (side(1.9, 1.85, 1.95, "1.9 万人"), side(1.1, 1.05, 1.15, "1.1 万人"))
    total = side(2.5, 2.5, 2.6)
    whole = side(3.0, 2.9, 3.1)
    assert judge_pair(whole, total, "at_most", "")[0] == DISAGREE
    verdict, how = judge_pair(whole, total, "each_at_most", "", parts=parts)
    assert verdict == AGREE and "each part" in how
    over = (side(2.7, 2.65, 2.75, "2.7 万人"), *parts)
    verdict, how = judge_pair(whole, total, "each_at_most", "", parts=over)
    assert verdict == DISAGREE and "2.7 万人 exceeds" in how


def test_assumption_and_definitions_decide_the_verdict_word():
    a, b = side(3015, 3008, 3023), side(2882, 2771, 3000)  # doc000.k01: no overlap
    assert judge_pair(a, b, "equal", "")[0] == DISAGREE
    assert judge_pair(a, b, "equal", "", "a constant population")[0] == NOT_DECIDABLE
    assert judge_pair(a, b, "equal", "two years")[0] == DIFFERENT
    # definitions decide even when the numbers overlap (doc004.k28: 65.77 against 66 [65.5, 66.5])
    same = side(65.77, 65.765, 65.775), side(66, 65.5, 66.5)
    assert judge_pair(*same, "equal", "")[0] == AGREE
    assert judge_pair(*same, "equal", "a cumulative total against a stock")[0] == DIFFERENT
    # an agreement under an assumption stays an agreement (the reason states the assumption)
    assert judge_pair(*same, "equal", "", "some assumption")[0] == AGREE
