"""Verdicts that state their assumption (issue 27, item 4; the referee review of the claims audit).

One test per re-judged row of the real registers, with the hand arithmetic on the printed
numbers of the documents and the verdict before -> after. A verdict that rests on an
assumption the text does not make is "not checkable" (claims) or "not decidable" /
"different definitions" (consistency checks), and its reason says which assumption; a fact
in both tables has one verdict there, and each row names the other.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.build import findings as fnd
from analysis.data.load import load_observations
from analysis.metrics.audit import CONSISTENT, NOT_CHECKABLE, audit_claims
from analysis.metrics.consistency import AGREE, DIFFERENT, NOT_DECIDABLE, check_consistency


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return audit_claims().set_index("claim_id")


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    return check_consistency().set_index("check_id")


# ------------------------------------------------------------------------- claims


def test_ext_c35_two_definitions_of_the_2011_level(claims):
    # 「去年以来,我国农村扶贫对象减少了2339万人,总规模下降到9899万人」; 2011 printed 约1.28亿 (poverty office).
    # 12800 - 9899 = 2901; at printed precision [12750 - 9899.5, 12850 - 9898.5] = [2850.5, 2951.5] vs 2339: no
    # overlap; 9899 + 2339 = 12238 is the level the stated fall implies (the NBS survey's), another definition.
    # before: consistent (through a 5% band on 约1.28亿, +-640万); after: not checkable, different definitions
    r = claims.loc["ext.c35"]
    assert r.verdict == NOT_CHECKABLE and r.missing == "definitions"
    assert r.recomputed == 2901
    assert r.recomputed_low == pytest.approx(2850.5) and r.recomputed_high == pytest.approx(2951.5)
    assert "different definitions" in r.reason and "扶贫对象" in r.reason and "12238" in r.reason


def test_doc001_c06_base_of_the_budget_growth_not_stated(claims):
    # 「已预算安排专项扶贫资金25.35亿元,同比增长205%」: implied base 25.35 / 3.05 = 8.31亿; against the 2015
    # full-year allocation 7.2亿 it would be 100 * (25.35 / 7.2 - 1) = 252.1%, but 同比 compares a June budget
    # with the same point of 2015. before: inconsistent (252.08 vs 205); after: not checkable (one input)
    r = claims.loc["doc001.c06"]
    assert r.verdict == NOT_CHECKABLE and r.missing == "one input"
    assert r.inputs == "hunan.provincial_special_poverty_funds.2016" and pd.isna(r.recomputed)
    assert "same point of 2015" in r.reason and "8.31" in r.note and "252" in r.note


def test_doc004_c07_2015_and_2016_on_two_bases(claims):
    # 「2016年突破500亿元」: 497.19 (2015, provincial ranking, without the relocated cigarette output) < 500 <=
    # 551.7 (2016, the prefecture's own basis); on the own basis 2015 was 511.9 >= 500 (551.7 / 511.9 = +7.8%
    # nominal against 7.1% real; 551.7 / 497.19 = +11.0%). before: consistent; after: not checkable, basis
    r = claims.loc["doc004.c07"]
    assert r.verdict == NOT_CHECKABLE and r.missing == "definitions"
    assert r.recomputed == 2016  # at face value
    assert "497.19" in r.reason and "511.9" in r.reason and "cigarette" in r.reason
    assert (
        pytest.approx(0.0778, abs=5e-4) == 551.7 / 511.9 - 1 and pytest.approx(0.1096, abs=5e-4) == 551.7 / 497.19 - 1
    )


def test_doc004_c13_checkable_from_doc004s_own_base(claims, checks):
    # 「共保障农村低保156484人,约占湘西州农业户籍人口的6.6%」; the base from 「1.56万人…0.65%」: 15600 / 0.0065 =
    # 2400000; 100 * 156484 / 2400000 = 6.520%, interval [100 * 156483.5 / (15650 / 0.00645),
    # 100 * 156484.5 / (15550 / 0.00655)] = [6.449, 6.591] against 约6.6 = [6.55, 6.65]: overlap.
    # before: not checkable ("agricultural-hukou population not stated"); after: consistent, like doc004.k03
    r = claims.loc["doc004.c13"]
    assert r.verdict == CONSISTENT
    assert r.recomputed == pytest.approx(100 * 156484 / (15600 / 0.0065))
    assert r.recomputed_low == pytest.approx(100 * 156483.5 / (15650 / 0.00645))
    assert r.recomputed_high == pytest.approx(100 * 156484.5 / (15550 / 0.00655))
    assert (r.stated_low, r.stated_high) == (pytest.approx(6.55), pytest.approx(6.65))
    # one fact, one verdict: the consistency check of the same base agrees, and each names the other
    assert checks.loc["doc004.k03", "verdict"] == AGREE
    assert "doc004.k03" in r.reason and "doc004.c13" in checks.loc["doc004.k03", "note"]


def test_doc004_c17_and_k01_one_home_per_village_not_stated(claims, checks):
    # 「建成留守儿童之家1726个,覆盖 91.9%的建制村」 against 「实现1567个建制村全覆盖」: 100 * 1726 / 1567 = 110.1%,
    # 1726 / 0.919 = 1878 villages; both read the homes as one per covered village, which the text does not say
    # (村(居): homes in residents' committees; the 1567 is another paragraph and year).
    # before: inconsistent (claim) and disagree (check); after: not checkable and different definitions
    c = claims.loc["doc004.c17"]
    assert c.verdict == NOT_CHECKABLE and c.missing == "assumption"
    assert c.recomputed == pytest.approx(100 * 1726 / 1567)
    assert "one home per covered village" in c.reason and "村(居)" in c.reason and "doc004.k01" in c.reason
    k = checks.loc["doc004.k01"]
    assert k.verdict == DIFFERENT and k.value_a == pytest.approx(1726 / 0.919)
    assert "村(居)" in k.reason and "doc004.c17" in k.note


def test_doc001_c08_a_change_in_percentage_points(claims):
    # 「报销比例提高10%」: 10% of a rate is a change of 10 percentage points (a difference), not percent_change.
    # before: percent_change in %, not checkable; after: difference in 百分点, not checkable (no rates stated)
    r = claims.loc["doc001.c08"]
    assert r.claim_type == "difference" and r.unit == "百分点" and r.verdict == NOT_CHECKABLE
    assert "percentage points" in r.note


def test_doc001_c03_cumulative_since_2013(claims):
    # 「农村居民人均可支配收入达7114元,增长24.5%」 beside 「较2013年」: 7114 / 1.245 = 5714 would be +24.5% in one
    # year (Hunan's rural income: 10993 / 10060 = +9.3% in 2015); over two years 1.245 ** 0.5 - 1 = 11.6% a year.
    # before: base read as 2014; after: base 2013 (still not checkable: the 2013 level is not stated)
    r = claims.loc["doc001.c03"]
    assert r.verdict == NOT_CHECKABLE and "2013 rural per-capita disposable income" in r.reason
    assert pytest.approx(0.116, abs=5e-4) == 1.245**0.5 - 1 and pytest.approx(0.093, abs=5e-4) == 10993 / 10060 - 1


def test_doc001_c02_three_and_more_points(claims):
    # 「较2013年下降3个多百分点」 is [3, 4) points (before: [3, inf)); still not checkable (no 2013 incidence)
    r = claims.loc["doc001.c02"]
    assert r.verdict == NOT_CHECKABLE and (r.stated_low, r.stated_high) == (3, 4)


# ------------------------------------------------------------------------- consistency checks


def test_doc000_k01_assumes_a_constant_population(checks):
    # 793万 / 26.3% = 3015万 [792.5 / 0.2635, 793.5 / 0.2625] = [3007.6, 3022.9]; 49万 / 1.7% = 2882万
    # [48.5 / 0.0175, 49.5 / 0.0165] = [2771.4, 3000]: equal only if the rural population stayed the same 2011-2019;
    # a fall of (3007.6 - 3000) / 3007.6 = 0.25% reconciles them. before: disagree; after: not decidable
    r = checks.loc["doc000.k01"]
    assert r.verdict == NOT_DECIDABLE
    assert r.low_a == pytest.approx(792.5 / 0.2635) and r.high_b == pytest.approx(49.5 / 0.0165)
    assert (r.low_a - r.high_b) / r.low_a == pytest.approx(0.0025, abs=5e-4)
    assert "the same in 2011 and 2019" in r.reason


def test_doc004_k08_each_part_within_the_total(checks):
    # 「共吸纳就业2.5万多人,其中家庭妇女1.9万人、建档立卡劳动力1.1万人」: 1.9 <= 2.6 and 1.1 <= 2.6 (2.5万多 is
    # [2.5, 2.6)); the overlap is at least 1.9 + 1.1 - 2.6 = 0.4万. before: different definitions; after: agree
    r = checks.loc["doc004.k08"]
    assert r.verdict == AGREE and r.relation == "each_at_most"
    assert r.high_b == pytest.approx(2.6) and r.value_a == pytest.approx(1.9 + 1.1)
    assert "each part is within b" in r.reason


def test_doc004_k23_women_workshops_among_the_309_not_stated(checks):
    # 1.1万 registered-poor workers of the 110 「巾帼创业扶贫车间」 against 5349 of the 309 「就业扶贫车间」:
    # 11000 / 5349 = 2.06; a disagreement only if the 110 are among the 309, which the text does not say.
    # before: different definitions ("separately named programmes"); after: not decidable
    r = checks.loc["doc004.k23"]
    assert r.verdict == NOT_DECIDABLE and r.ratio == pytest.approx(11000 / 5349)
    assert "among the 309" in r.reason and not r.definitions


def test_doc004_k28_cumulative_registered_total_against_a_stock(checks):
    # 「66萬貧困人口已累計脫貧55.42萬」 (cumulative registered) against 「2013年的65.77万人」: 65.77 vs 66 +- 0.5
    # overlap, but a cumulative total is not a one-year stock. before: agree ("corroborates"); after: different
    # definitions
    r = checks.loc["doc004.k28"]
    assert r.verdict == DIFFERENT and r.low_b <= r.value_a <= r.high_b
    assert "累計" in r.reason and "corroborates the 2013" not in r.note


def test_doc004_k06_factory_workshops_among_all_workshops(checks):
    # 211 「规模厂房式“扶贫车间”」 within 309 「就业扶贫车间」 of 「“厂房式”“居家式”“基地式”等多种形式」: 211 <= 309.
    # before: different definitions (same_count, equal); after: agree (subset, at_most)
    r = checks.loc["doc004.k06"]
    assert r.verdict == AGREE and r.relation == "at_most" and r.kind == "subset"
    assert r.high_a == 211.5 and r.low_b == 308.5


# ------------------------------------------------------------------------- registered statements


NEW = [
    "doc004.k41",
    "doc001.k05",
    "doc001.k06",
    "doc004.k29",
    "doc004.k30",
    "doc004.k31",
    "doc004.k32",
    "doc004.k33",
    "doc004.k34",
    "doc004.k35",
    "doc004.k36",
    "doc004.k37",
    "doc004.k38",
    "doc004.k39",
    "doc004.k40",
    "doc003.k03",
    "doc003.k04",
    "doc002.k01",
]


def test_registered_statements_state_their_assumptions(checks):
    assert set(NEW) <= set(checks.index)
    new = checks.loc[NEW]
    # every assumption the relation needs is in the reason, whatever the verdict
    for cid, r in new[new["assumption"] != ""].iterrows():
        assert r.assumption in r.reason, cid
    # the implied bases the review names: 291.5万元 / 2866元 = 1017 villagers (doc004.c11's sentence) and
    # 218万 / [3, 4) points = 5450 to 7267万 (doc001.c01 with c02, +-0.5万 rounding of 218: 5437.5 to 7283.3)
    assert checks.loc["doc004.k29", "value_b"] == pytest.approx((263.5e4 + 28e4) / 2866)
    assert round(checks.loc["doc004.k29", "value_b"]) == 1017
    k = checks.loc["doc004.k41"]
    assert k.low_b == pytest.approx(217.5 / 0.04) and k.high_b == pytest.approx(218.5 / 0.03)
    # per-capita GDP's population (705.7亿 / 26691 = 264.4万) is not 总人口 299.3万 unless 总人口 is the resident one
    assert checks.loc["doc004.k36", "verdict"] == NOT_DECIDABLE
    assert checks.loc["doc004.k36", "value_a"] == pytest.approx(705.7e8 / 26691 / 1e4)


# ------------------------------------------------------------------------- the findings


def test_findings_counts_follow_the_tables_and_the_example_is_a_real_case(report_tables):
    ctx = fnd.Context(report_tables, load_observations())
    t = pd.read_csv(report_tables / "claims_audit_consistency.csv", dtype=str, keep_default_na=False)
    f = fnd.record(ctx, "consistency")
    n = t["verdict"].value_counts()
    assert (
        f"{len(t)} pairs of statements in the documents give {n['agree']} agreements, {n['disagree']} "
        f"disagreements, {n['different definitions']} pairs whose wording shows two different things" in f.text
    )
    assert f"and {n['not decidable']} that cannot be decided" in f.text
    # the example is a same-count pair of different definitions whose numbers differ: doc004.k16, 105 townships
    # against 115 townships and sub-districts (乡镇(街道)), 105 / 115 = 0.913 (not the 1726 homes, doc004.k01)
    example = t.iloc[f.row - 1]
    assert example["check_id"] == "doc004.k16" and example["verdict"] == "different definitions"
    assert "for example doc004.k16: 105 个 against 115 个, where “105个乡镇” counts townships" in f.text
    assert "doc004.k01" not in f.text
    v = fnd.record(ctx, "audit")
    audit = pd.read_csv(report_tables / "claims_audit.csv", dtype=str, keep_default_na=False)
    docs = audit[audit["source_id"].str.fullmatch(r"doc\d+")]
    nc = docs[docs["verdict"] == "not checkable"]
    assert f"{len(nc)} cannot be checked (2 of them, doc004.c07, doc004.c17, because" in v.text
    assert "1 is not (doc004.c01)" in v.text
