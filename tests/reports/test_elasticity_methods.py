"""The elasticity report compares like with like (issue 27: items 3, 5 and 8), by hand.

* Regional incidence elasticities are set beside China's arc over the same outcome and
  driver years, and China's year-on-year elasticities are shown; the OLS is a description
  with its curvature, never an "inside/outside" verdict.
* Literature bands are named with the differences, never beside a count.
* The lognormal benchmark (a real mean-income multiple) is compared with the real driver.
* A ratio of growth rates over different windows is not called an elasticity; the poverty
  line moves only by price indexation and the report says so.
* The estimates made and the pairs not computed are separate tables.

Data rows used (data/raw/external/figures.csv, China, preferred rows): poverty_incidence
2014-2019 = 7.2, 5.7, 4.5, 3.1, 1.7, 0.6 %; rural_disposable_income 2014-2019 = 10489, 11422,
12363, 13432, 14617, 16021 元; cpi_change 2011-2019 = 5.4, 2.6, 2.6, 2.0, 1.4, 2.0, 1.6, 2.1,
2.9 %. Xiangxi (doc external rows): incidence 2016 16.14 %, 2018 4.39 %; rural income 2016
7413, 2018 9183 元. Wuling: incidence 2011 26.3 %, 2019 1.7 %; income 2019 11544 元 and the
derived 2010 value 11544 / 3.3.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis import paths
from analysis.metrics import elasticity as el
from analysis.reports import elasticity as er
from analysis.reports import elasticity_real as erl

XI = "xiangxi.poverty_incidence ~ rural_disposable_income"
XG = "xiangxi.poverty_incidence ~ gdp_per_capita"
WU = "wuling.poverty_incidence ~ rural_disposable_income"
LINE = "xiangxi.rural_dibao_standard ~ china.poverty_line_current_prices"


def notebook_text() -> str:
    """The Markdown outputs of the committed notebook: the narrative is written there as f-strings from the
    table's rows (nbval keeps the outputs current)."""
    nb = json.loads((paths.NOTEBOOKS / "elasticities.ipynb").read_text(encoding="utf-8"))
    return "\n".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> er.ElasticityRun:
    run = er.prepare(output_dir=str(tmp_path_factory.mktemp("el_methods")))
    er.build_table(run)
    er.build_benchmark(run)
    erl.build_real(run)
    erl.build_national(run)
    erl.build_matched(run)
    return run


# --- The nation over the same years ---------------------------------------------------------------------------


def test_year_on_year_formula_by_hand():
    # 2015: ln(5.7/7.2) = -0.233615; ln(11422/10489) = 0.085214; -0.233615 / 0.085214 = -2.7415
    got = el.year_on_year({2014: 7.2, 2015: 5.7, 2017: 3.1}, {2014: 10489, 2015: 11422, 2016: 12363})
    assert [(a, b) for a, b, _ in got] == [(2014, 2015)]  # 2016 has no incidence here, 2017 no income: not joined
    assert got[0][2] == pytest.approx(-2.7415, abs=1e-4)


def test_national_year_on_year_from_the_data(report: er.ElasticityRun):
    n = report.national
    yoy = n[(n["prices"] == "nominal") & (n["variant"] == "year_on_year")]
    assert list(yoy["years"]) == ["2014 2015", "2015 2016", "2016 2017", "2017 2018", "2018 2019"]
    # ln(H_t/H_t-1) / ln(Y_t/Y_t-1):
    # 2015 -0.233615/0.085214 = -2.7415; 2016 ln(4.5/5.7) -0.236389 / ln(12363/11422) 0.079167 = -2.9860;
    # 2017 ln(3.1/4.5) -0.372675 / ln(13432/12363) 0.082932 = -4.4938;
    # 2018 ln(1.7/3.1) -0.600774 / ln(14617/13432) 0.084545 = -7.1059;
    # 2019 ln(0.6/1.7) -1.041454 / ln(16021/14617) 0.091715 = -11.3553
    assert list(yoy["elasticity"]) == pytest.approx([-2.7415, -2.9860, -4.4938, -7.1059, -11.3553], abs=1e-4)


def test_national_ols_is_described_with_its_curvature(report: er.ElasticityRun):
    ols = report.national[(report.national["prices"] == "nominal") & (report.national["variant"] == "ols")].iloc[0]
    # the referee's recomputation: residuals -0.26, -0.02, +0.19, +0.29, +0.16, -0.37; quadratic term p = 0.006
    assert "not a reference interval" in ols["note"]
    assert "quadratic term p = 0.006" in ols["note"]
    assert "residuals -0.26, -0.02, +0.19, +0.29, +0.16, -0.37" in ols["note"]
    text = notebook_text()
    assert "inside" not in text and "outside" not in text


def test_xiangxi_beside_china_over_the_same_years(report: er.ElasticityRun):
    m = report.matched
    nom = m[(m["run"] == XI) & (m["prices"] == "nominal")].iloc[0]
    # China 2016-2018: ln(1.7/4.5) / ln(14617/12363) = -0.973449 / 0.167477 = -5.8124
    assert nom["national_elasticity"] == pytest.approx(-5.8124, abs=1e-4)
    # Xiangxi 2016-2018: ln(4.39/16.14) / ln(9183/7413) = -1.301971 / 0.214088 = -6.0816 (unchanged)
    assert nom["regional_elasticity"] == pytest.approx(-6.0806, abs=1e-3)
    assert (nom["outcome_window"], nom["driver_window"]) == ("2016-2018", "2016-2018")
    real = m[(m["run"] == XI) & (m["prices"] == "real")].iloc[0]
    # both drivers deflated by the index real_terms chooses (today the China CPI, 2017 1.6%, 2018 2.1%):
    # chain 1.016 * 1.021 = 1.037336; China -0.973449 / (0.167477 - 0.036656) = -7.4411
    assert real["national_elasticity"] == pytest.approx(-7.4411, abs=1e-3)
    assert "-5.81" in notebook_text()


def test_no_national_value_where_china_lacks_the_driver_or_a_year(report: er.ElasticityRun):
    m = report.matched
    gdp = m[m["run"] == XG].iloc[0]
    assert pd.isna(gdp["national_elasticity"]) and "China has no gdp_per_capita in the data" in gdp["note"]
    wu = m[m["run"] == WU].iloc[0]
    # Wuling's driver window starts in 2010; China's disposable income starts in 2014: no number, no other window
    assert pd.isna(wu["national_elasticity"]) and "rural_disposable_income 2010" in wu["note"]
    assert len(m[m["run"] == WU]) == 1


# --- Literature bands -----------------------------------------------------------------------------------------


def test_no_band_beside_a_count_and_the_difference_named_beside_a_rate(report: er.ElasticityRun):
    t = report.table
    counts = t[t["outcome"] == "poor_population"]
    assert not counts.empty and counts["literature_low"].isna().all() and (counts["literature_difference"] == "").all()
    rate = t[(t["run"] == XG) & (t["variant"] == "log_arc")].iloc[0]
    assert (rate["literature_low"], rate["literature_high"]) == (-2.3, -1.0)
    assert "not comparable" in rate["literature_difference"] and "nominal" in rate["literature_difference"]
    text = notebook_text()
    for verdict in ("inside the", "more negative than the literature", "less negative than the literature"):
        assert verdict not in text


# --- Lognormal benchmark with the real driver -------------------------------------------------------------------


def test_benchmark_compares_the_real_driver(report: er.ElasticityRun):
    b = report.benchmark
    r = b[(b["run"] == XI) & (b["gini"] == 0.35)].iloc[0]
    # sigma = 0.641717; Phi^-1(0.1614) = -0.988720, Phi^-1(0.0439) = -1.707119; growth needed
    # 0.641717 * 0.718399 = 0.461008, multiple exp(0.461008) = 1.5857 (a real multiple)
    assert r["required_multiple"] == pytest.approx(1.5857, abs=1e-3)
    # observed real multiple (9183/7413) / 1.037336 = 1.238804 / 1.037336 = 1.19421 (China CPI today);
    # real elasticity ln(4.39/16.14) / ln(1.19421) = -1.301971 / 0.177463 = -7.3366
    assert r["observed_real_driver_multiple"] == pytest.approx(1.19421, abs=1e-4)
    assert r["observed_real_elasticity"] == pytest.approx(-7.3366, abs=1e-3)
    assert r["observed_driver_multiple"] == pytest.approx(9183 / 7413, rel=1e-9)  # nominal kept, labelled
    w = b[(b["run"] == WU) & (b["gini"] == 0.35)].iloc[0]
    # Wuling: CPI 2011-2019 chain 1.054*1.026*1.026*1.020*1.014*1.020*1.016*1.021*1.029 = 1.249420;
    # real multiple 3.300001 / 1.249420 = 2.641226; window ratio (ln(1.7/26.3)/8) / (ln 2.641226 / 9) = -3.1725
    assert w["observed_real_driver_multiple"] == pytest.approx(2.6412, abs=1e-3)
    assert w["observed_real_elasticity"] == pytest.approx(-3.1725, abs=1e-3)
    g = b[(b["run"] == XG) & (b["gini"] == 0.35)].iloc[0]
    assert pd.isna(g["observed_real_driver_multiple"]) and "not a GDP deflator" in g["real_note"]
    text = notebook_text()
    assert "grew by a real factor 1.19" in text and "No comparison: the benchmark is about real mean income" in text


# --- Windows and the poverty line -------------------------------------------------------------------------------


def test_different_windows_give_a_ratio_not_an_elasticity(report: er.ElasticityRun):
    t = report.table
    line = t[(t["run"] == LINE) & (t["variant"] == "window")].iloc[0]
    # no common window: the dibao standard is observed 2014 and 2019, the line (preferred rows) 2011-2016 and 2020
    assert (line["outcome_window"], line["driver_window"]) == ("2014-2019", "2014-2016")
    assert (
        line["method"].startswith("ratio of average annual log growth rates") and "not an elasticity" in line["method"]
    )
    # value unchanged: (ln(3927/1980)/5) / (ln(2952/2800)/2) = 0.136956 / 0.026432 = 5.1815
    assert line["elasticity"] == pytest.approx(5.1815, abs=1e-3)
    text = notebook_text()
    # the standard's nominal growth 13.7% a year (0.136956) against the line's inflation 2.6% a year (0.026432)
    assert "moves only by price indexation" in text and "(13.7% a year, 2014-2019)" in text
    assert "(2.6% a year, 2014-2016)" in text
    # no real variant of a standard against the line (both sides would be deflated by the same index)
    assert not report.real["run"].str.contains("poverty_line").any()


# --- Tables -----------------------------------------------------------------------------------------------------


def test_estimates_and_the_pairs_not_computed_are_separate(report: er.ElasticityRun):
    t, n = report.table, report.not_computed
    # issue 26: + the common-base Xiangxi incidence run (log arc, midpoint, semi made; window, ols not), and the
    # dibao ~ line sensitivity to 2020 no longer made (its driver window crosses the 2020 exit threshold)
    assert t["elasticity"].notna().all() and len(t) == 20
    # one row per run with an estimate: the 2014-2020 sensitivity has none
    assert len(er.display_table(report)) == 11 and len(report.runs) == 12
    # 12 runs x 5 variants = 60; the semi-elasticity only for the 4 incidence runs: 60 - 8 = 52 rows,
    # of which 18 + 3 - 1 = 20 were made and 29 + 2 + 1 = 32 not
    assert len(n) == 32 and len(t) + len(n) == 52
    wu = n[(n["run"] == WU) & (n["variant"] == "log_arc")].iloc[0]
    assert wu["reason"].startswith("not computed: the log arc formula needs the same two years")
    dup = n[(n["run"] == XG) & (n["variant"] == "window")].iloc[0]
    assert dup["reason"].startswith("not computed separately: same windows")
    ols = n[(n["run"] == XI) & (n["variant"] == "ols")].iloc[0]
    assert ols["reason"] == "not estimated: 3 paired years (2016, 2017, 2018); the log-log OLS needs at least 4"
    written = pd.read_csv(report.out.tables / "elasticities_not_computed.csv")
    assert list(written.columns) == list(er.NOT_COMPUTED_COLUMNS) and len(written) == 32
    assert len(pd.read_csv(report.out.tables / "elasticities.csv")) == 20


def test_curvature_by_hand_on_a_parabola():
    # ln H = 1 - (ln Y)^2 exactly, ln Y = 0..4: ln H = 1, 0, -3, -8, -15. Linear fit: Sxy = -40, Sxx = 10,
    # slope -4, intercept -5 + 8 = 3; fitted 3, -1, -5, -9, -13; residuals -2, +1, +2, +1, -2; quadratic term -1
    y = [math.exp(v) for v in range(5)]
    h = [math.exp(1 - v * v) for v in range(5)]
    c = el.curvature(h, y)
    assert c is not None and c.quadratic == pytest.approx(-1.0, abs=1e-9)
    assert c.residuals == pytest.approx((-2.0, 1.0, 2.0, 1.0, -2.0), abs=1e-9)
    assert el.curvature(h[:4], y[:4]) is None  # four points leave the quadratic fit one degree of freedom
