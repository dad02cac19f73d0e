"""Honest headlines: like-for-like windows first, no intervals on few points, log changes across
areas, absolute and relative convergence together with a materiality threshold, low-confidence
inputs named (issue 27, items 2 and 5).

Every number is computed by hand from ``data/processed/observations.csv`` (the rows are named in
the comments); the report tables are the session's in-process build (``report_tables``).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from analysis import load_observations
from analysis.build import findings as fnd
from analysis.build import readme
from analysis.metrics.materiality import MATERIALITY, convergence_verdict, gap_verdict


@pytest.fixture(scope="module")
def found(report_tables):
    return {f.key: f for f in fnd.collect(report_tables, load_observations())}


@pytest.fixture(scope="module")
def growth(report_tables):
    return pd.read_csv(report_tables / "growth_rates.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def china(report_tables):
    return pd.read_csv(report_tables / "china_comparisons.csv", dtype={"year_or_period": str})


# ------------------------------------------------------------------ like-for-like first


def test_growth_table_says_which_rows_cross_a_break(growth):
    gdp = growth[growth["series_id"] == "xiangxi.gdp"].set_index(["start_year", "end_year"])
    # xiangxi.gdp.2019 (705.7, fourth-census basis) is the break year 2019
    assert gdp.loc[("2013", "2019"), ["segment", "break_year", "crosses_break"]].tolist() == ["full period", "", "2019"]
    assert gdp.loc[("2013", "2018"), ["segment", "break_year", "crosses_break"]].tolist() == [
        "before break",
        "2019",
        "",
    ]
    inc = growth[growth["series_id"] == "xiangxi.rural_disposable_income"].set_index(["start_year", "end_year"])
    # 2012 (4229, external) precedes the 2013 change of income concept; 2014-2018 is on one concept
    assert inc.loc[("2012", "2018"), "crosses_break"] == "2013"
    assert inc.loc[("2014", "2018"), ["segment", "break_year", "crosses_break"]].tolist() == ["from break", "2013", ""]
    dibao = growth[growth["series_id"] == "xiangxi.rural_dibao_standard"].iloc[0]
    assert (dibao["segment"], dibao["crosses_break"]) == ("full period", "")  # no break: like-for-like


def test_gdp_finding_leads_with_the_window_before_the_census_revision(found):
    text = found["gdp-growth"].text
    # xiangxi.gdp.2013 = 418.9, xiangxi.gdp.2018.ext = 605.05: (605.05/418.9)**(1/5) - 1 = 7.6307%
    assert text.startswith("Xiangxi's GDP grew 7.63% a year in nominal terms over 2013-2018, from 41.89 bn yuan")
    # the break-crossing figure after it, labelled: (705.7/418.9)**(1/6) - 1 = 9.0816%
    assert "over 2013-2019, across the 2019 series break (census revision), 9.08% a year" in text
    assert text.index("7.63%") < text.index("9.08%")
    # OLS of ln GDP on the years 2013, 2015-2018: slope 0.07620, exp - 1 = 7.92%, a descriptive fit
    assert "descriptive log-linear fit on its 5 observed years gives 7.92%" in text
    assert found["gdp-growth"].period == "2013-2018"


def test_income_finding_leads_with_one_income_concept(found):
    text = found["income-growth"].text
    # 2014 5891 -> 2018 9183 (external): (9183/5891)**(1/4) - 1 = 11.7375%
    assert text.startswith(
        "Xiangxi's rural disposable income per capita grew 11.74% a year in nominal terms over 2014-2018"
    )
    # 2012 4229 -> 2018 9183 across the 2013 concept change: (9183/4229)**(1/6) - 1 = 13.7953%
    assert "over 2012-2018, across the 2013 series break (income concept), 13.80% a year" in text
    assert text.index("11.74%") < text.index("13.80%")


def test_no_confidence_interval_in_any_key_finding(found):
    for f in found.values():
        assert "95%" not in f.text and "CI " not in f.text, f.key


# ------------------------------------------------------------------ log changes across areas


def test_poverty_findings_lead_with_log_change_per_year(found):
    xx, wl = found["poverty-xiangxi"].text, found["poverty-wuling"].text
    # Xiangxi 31.93% (2013) -> 0.65% (2019), doc004: ln(0.65/31.93) = -3.8944, / 6 = -0.649 a year
    assert "incidence had a log change of −0.65 a year over 2013-2019 (−3.89 in all" in xx
    # pp only beside the starting level: 31.93 - 0.65 = 31.28
    assert "a fall of 31.28 percentage points from a starting level of 31.93%" in xx
    # Wuling 26.3% (2011) -> 1.7% (2019), doc000: ln(1.7/26.3) = -2.7389, / 8 = -0.342 a year
    assert "incidence had a log change of −0.34 a year over 2011-2019 (−2.74 in all" in wl
    assert "a fall of 24.60 percentage points from a starting level of 26.3%" in wl  # 26.3 - 1.7
    for text in (xx, wl):  # no pp a year to set side by side
        assert "percentage points a year" not in text and "a year)" not in text


def test_xiangxi_poverty_names_the_audits_doubt_about_2013(found):
    text = found["poverty-xiangxi"].text
    # consistency.csv: doc004.k02, k04 and k27 find the 2013 pair (65.77万 / 31.93%) implies a base
    # of 65.77 / 0.3193 = 206万, against 1.56 / 0.0065 = 240万 from the 2019 pair (k02)
    assert "the audit doubts the 2013 and 2019 figures, which imply different population bases" in text
    assert "(doc004.k02, doc004.k04, doc004.k27 disagree; doc004.k02: 65.77 万人 / 31.93% = 206 万人 against" in text
    assert "1.56 万人 / 0.65% = 240 万人), so the fall rests on doubtful levels" in text


# ------------------------------------------------------------------ convergence


def test_materiality_verdicts_by_hand():
    # Xiangxi / China rural income: 5891/10489 = 0.5616 (2014), 9183/14617 = 0.6282 (2018);
    # |ln| falls 0.5769 -> 0.4649, by 0.112 > 0.02: converging
    assert convergence_verdict(5891 / 10489, 9183 / 14617) == "converging"
    # Hunan / China: 10060/10489 = 0.9591 (2014), 15395/16021 = 0.9609 (2019); |ln| 0.0418 -> 0.0399,
    # a fall of 0.0019 < 0.02: no material change (not "converging")
    assert convergence_verdict(10060 / 10489, 15395 / 16021) == "no material change"
    # absolute gap China - Xiangxi: 10489 - 5891 = 4598, 14617 - 9183 = 5434; ln(5434/4598) = 0.167: widened
    assert gap_verdict(4598, 5434) == "widened"
    assert gap_verdict(-4598, -5434) == "widened"  # either sign
    assert MATERIALITY == 0.02
    # a planted move just beyond the threshold counts, one just within does not
    assert convergence_verdict(0.5, 0.5 * math.exp(0.021)) == "converging"
    assert convergence_verdict(0.5, 0.5 * math.exp(0.019)) == "no material change"
    assert convergence_verdict(0.5, 0.5 * math.exp(-0.021)) == "diverging"


def test_convergence_finding_gives_absolute_and_relative_and_no_real_gap(found):
    text = found["china-convergence"].text
    assert "went from 0.562 to 0.628 of China's (relative convergence: beyond the 0.02" in text
    assert "the absolute gap to China widened, from 4,598 to 5,434 yuan (nominal)" in text
    # (9183/5891)**(1/4) - 1 = 11.74%, (14617/10489)**(1/4) - 1 = 8.65%: 3.09 pp a year
    assert "11.74% against China's 8.65%, 3.09 percentage points a year faster" in text
    assert "real terms" not in text and "3.03" not in text


def test_convergence_rows_state_both_verdicts_and_hunan_is_not_converging(china):
    conv = china[china["metric"] == "rural income convergence: CAGR difference"].set_index("region")
    assert "relative: converging (ratio to China 0.562 in 2014, 0.628 in 2018" in conv.loc["Xiangxi", "note"]
    assert "absolute: the gap to China widened (4598 to 5434 yuan, nominal)" in conv.loc["Xiangxi", "note"]
    # Hunan 2014-2019: 0.959 -> 0.961, within the threshold
    assert conv.loc["Hunan", "year_or_period"] == "2014-2019"
    assert "relative: no material change (ratio to China 0.959 in 2014, 0.961 in 2019" in conv.loc["Hunan", "note"]
    assert "converging" not in conv.loc["Hunan", "note"]
    real = china[china["metric"] == "rural income convergence: real CAGR difference"].set_index("region")
    assert "adds no evidence to the nominal one" in real.loc["Xiangxi", "note"]


def test_common_window_for_all_regions(china):
    common = china[china["metric"] == "rural income convergence: CAGR difference, common window"].set_index("region")
    # Xiangxi's common years with China are 2014-2018, Hunan's 2014, 2015, 2019: both share 2014-2015
    assert set(common["year_or_period"]) == {"2014-2015"}
    # Xiangxi 6648/5891 - 1 = 12.850%, China 11422/10489 - 1 = 8.895%: +3.955 pp
    assert round(100 * common.loc["Xiangxi", "gap"], 2) == 3.96
    # Hunan 10993/10060 - 1 = 9.274%: +0.379 pp; ratio 0.9591 -> 0.9624, a move of 0.0035 log points
    assert round(100 * common.loc["Hunan", "gap"], 2) == 0.38
    assert "relative: no material change" in common.loc["Hunan", "note"]


# ------------------------------------------------------------------ low-confidence inputs


def test_low_confidence_inputs_are_named_from_the_observations(found, report_tables):
    obs = load_observations()
    f = found["gdp-growth"]
    # planted: one input of the GDP finding marked low confidence
    planted = obs.copy()
    planted.loc[planted["obs_id"] == f.inputs[1], "confidence"] = "low"
    ctx = fnd.Context(report_tables, planted)
    bare = replace(f, text=f.text.split("; it rests on low-confidence")[0].rstrip(".") + ".")
    named = fnd.name_low_confidence(ctx, bare)
    assert named.text.endswith(f"; it rests on low-confidence external value {f.inputs[1]}.")
    assert named.text.count(". ") == 0  # still one sentence
    # and with no low input the sentence is unchanged
    clean = obs.copy()
    clean["confidence"] = "high"
    assert fnd.name_low_confidence(fnd.Context(report_tables, clean), bare).text == bare.text


def test_every_low_confidence_input_of_a_finding_is_named(found):
    obs = load_observations()
    low = set(obs.loc[obs["confidence"].fillna("").str.lower() == "low", "obs_id"])
    for f in found.values():
        for i in set(f.inputs) & low:
            assert i in f.text, (f.key, i)


# ------------------------------------------------------------------ figures and README


def test_readme_blocks_say_what_the_findings_say(report_tables):
    src = readme.Sources(report_tables)
    growth = " ".join(readme.BLOCKS["results.growth"](src).split())
    assert "over 2013-2018, like-for-like, is 7.63% a year; over 2013-2019, across the 2019 census revision" in growth
    assert "95% CI" not in growth
    assert "(external; low-confidence input: china.rural_disposable_income.2019.ext;" in growth
    conv = " ".join(readme.BLOCKS["results.convergence"](src).split())
    assert "(relative: converging, materiality threshold 0.02 log points)" in conv
    assert "the absolute gap to China widened, from 4598 to 5434 元 (nominal)" in conv
    # Hunan: ratio 0.959 -> 0.961 is no material change; gap 10489 - 10060 = 429 -> 16021 - 15395 = 626 widened
    assert "0.959 (2014) to 0.961 (2019), +0.04 pp a year: no material change in relative terms" in conv
    assert "while the absolute gap widened (429 to 626 元)" in conv
    # China's 2019 rural income (16021, figures.csv) is a low-confidence external value: named
    assert "low-confidence input: china.rural_disposable_income.2019.ext" in conv
    assert "real" not in conv
    # 2016-2019 incidence, Xiangxi 16.14 -> 0.65: ln = -3.21; China 4.5 -> 0.6: ln = -2.01
    assert "log change of -3.21 over 2016-2019" in conv and "against China's -2.01" in conv
