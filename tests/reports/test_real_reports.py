"""Real terms and China as the benchmark in the reports (values by hand from ../shared/external/figures.csv).

Hand computations (national CPI, annual averages: 2013 2.6, 2014 2.0, 2015 1.4, 2016 2.0, 2017 1.6,
2018 2.1, 2019 2.9%):

* China rural disposable income 10489 -> 16021 yuan, 2014-2019: nominal CAGR 8.84%; price factor
  1.014 * 1.020 * 1.016 * 1.021 * 1.029 = 1.104010, real CAGR 6.71%; official real growth 7.5, 6.2,
  7.3, 6.6, 6.2% chained: 6.76% a year; gap -0.05 pp a year. The rural CPI (2010-2015 and 2017) does not
  cover the window, so the national CPI is used for every year, labelled as a proxy.
* Xiangxi rural income 4229 -> 9183 yuan, 2012-2018: price factor 2013-2018 = 1.122807, real CAGR
  ((9183 / 4229) / 1.122807)^(1/6) - 1 = 11.62%, with the national CPI as a proxy.
* Convergence, Xiangxi vs China 2014-2018: (9183/5891)^(1/4) - 1 = 11.74% vs (14617/10489)^(1/4) - 1
  = 8.65%: +3.09 pp a year (ratio 0.562 -> 0.628); real (both / 1.072896 over 2015-2018): 9.79% vs
  6.76%, +3.03 pp a year.
* National elasticity 2014-2019, incidence 7.2 -> 0.6%: log arc ln(0.6/7.2) / ln(16021/10489) = -5.87;
  log-log OLS on six years -5.62 (95% CI -7.94 to -3.29, 4 dof); real (income in 2014 prices)
  log arc -7.65, OLS -7.25 (-10.55 to -3.95).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.load import UnknownChoice
from analysis.reports import comparison as cr
from analysis.reports import comparison_national as cn
from analysis.reports import elasticity as er
from analysis.reports import elasticity_real as erl
from analysis.reports import growth as gr
from hand_values import pinned


def _row(t: pd.DataFrame, sid: str, start: int, end: int) -> pd.Series:
    r = t[(t["series_id"] == sid) & (t["start_year"] == start) & (t["end_year"] == end)]
    assert len(r) == 1, (sid, start, end)
    return r.iloc[0]


@pytest.fixture(scope="module")
def growth_run(tmp_path_factory):
    run = gr.prepare(output_dir=str(tmp_path_factory.mktemp("growth")))
    gr.build_table(run)
    return run


def test_growth_real_china_rural_income_and_official_gap(growth_run):
    r = _row(growth_run.table, "china.rural_disposable_income", 2014, 2019)
    pinned(r["cagr"], "china rural income cagr 2014-2019")
    assert round(100 * r["real_cagr"], 2) == 6.71
    # the rural CPI lacks 2016, 2018, 2019 (rows china.rural_cpi_change.*): the national CPI, a named proxy
    assert r["price_index"] == "China CPI (proxy: the rural CPI lacks 2016, 2018, 2019)"
    assert int(r["price_base_year"]) == 2014
    assert round(100 * r["official_real_growth"], 2) == 6.76
    assert round(100 * r["official_gap"], 2) == -0.05
    # six real points: a real trend with its interval beside the nominal one
    assert r["real_trend_ci_low"] < r["real_trend_growth"] < r["real_trend_ci_high"]


def test_growth_real_prefecture_uses_the_national_cpi_as_a_labelled_proxy(growth_run):
    r = _row(growth_run.table, "xiangxi.rural_disposable_income", 2012, 2018)
    assert round(100 * r["real_cagr"], 2) == 11.62
    assert r["price_index"].startswith("China CPI (proxy: the rural CPI lacks 2016, 2018; China index used for Xiangxi")
    assert pd.isna(r["official_gap"])


def test_growth_real_gdp_never_from_a_cpi(growth_run):
    gdp = _row(growth_run.table, "xiangxi.gdp", 2013, 2019)
    assert pd.isna(gdp["real_cagr"])
    assert "official real GDP growth (chained volume index) is missing for 2014, 2018, 2019" in gdp["real_note"]
    china = _row(growth_run.table, "china.gdp", 2013, 2019)
    # 7.3, 6.9, 6.7, 6.8, 6.6, 6.0% chained: 147.70 in 2019 (2013 = 100), 6.72% a year; nominal on one
    # vintage (vintage="single", h9): rows china.gdp.2013.ext.alt2 and china.gdp.2019.ext,
    # (986515/592963.2)**(1/6)-1 = 8.85% (was 9.61% from the preliminary 2013 figure 568845)
    assert round(100 * china["real_cagr"], 2) == 6.72 and round(100 * china["cagr"], 2) == 8.85
    assert "chained volume index" in china["price_index"] and "implied deflator" in china["real_note"]
    gpc = _row(growth_run.table, "xiangxi.gdp_per_capita", 2013, 2019)
    assert pd.isna(gpc["real_cagr"]) and "a CPI is not a GDP deflator" in gpc["real_note"]
    rate = _row(growth_run.table, "xiangxi.poverty_incidence", 2013, 2019)
    assert pd.isna(rate["real_cagr"]) and "not a money amount" in rate["real_note"]


def test_growth_prices_parameter(tmp_path):
    with pytest.raises(UnknownChoice, match="unknown prices 'constant'; valid choices: both, nominal, real"):
        gr.prepare(prices="constant", output_dir=str(tmp_path))
    run = gr.prepare(region="China", indicator="rural_disposable_income", prices="nominal", output_dir=str(tmp_path))
    t = gr.build_table(run)
    assert t["real_cagr"].isna().all() and "not requested" in t["real_note"].iloc[0]
    assert "real CAGR (%/yr)" not in gr.display_table(run).columns
    run = gr.prepare(
        region="China",
        indicator="rural_disposable_income",
        start_year=2014,
        end_year=2019,
        prices="real",
        output_dir=str(tmp_path),
    )
    gr.build_table(run)
    shown = gr.display_table(run)
    # ((16021 / 10489) / 1.104010) ** (1 / 5) - 1 = 6.71%
    assert "CAGR (%/yr)" not in shown.columns and round(shown["real CAGR (%/yr)"].iloc[0], 2) == 6.71


def test_growth_documents_only_has_no_price_index(tmp_path):
    run = gr.prepare(
        region="Xiangxi", indicator="rural_dibao_standard", include_external=False, output_dir=str(tmp_path)
    )
    r = gr.build_table(run).iloc[0]
    assert pd.isna(r["real_cagr"]) and "external values, left out" in r["real_note"]


@pytest.fixture(scope="module")
def china_run(tmp_path_factory):
    run = cr.prepare(benchmark="China", output_dir=str(tmp_path_factory.mktemp("cmp")), run_name="china_comparisons")
    cr.build_table(run)
    return run


def test_china_is_a_valid_benchmark_and_unknown_benchmarks_list_it(tmp_path):
    with pytest.raises(UnknownChoice, match=r"unknown benchmark .*'Chna'; valid choices: .*China.*Wuling"):
        cr.prepare(benchmark="Chna", output_dir=str(tmp_path))


def test_convergence_xiangxi_against_china(china_run):
    rows = china_run.rows[cn.SECTION]
    ratios = {c.year_or_period: c.ratio for c in rows if c.region == "Xiangxi" and c.metric == cn.RATIO_METRIC}
    assert round(ratios["2014"], 3) == 0.562 and round(ratios["2018"], 3) == 0.628
    conv = next(c for c in rows if c.region == "Xiangxi" and c.metric == cn.CONVERGENCE_METRIC)
    assert conv.year_or_period == "2014-2018"
    assert round(100 * conv.value, 2) == 11.74 and round(100 * conv.benchmark_value, 2) == 8.65
    assert round(100 * conv.gap, 2) == 3.09
    real = next(c for c in rows if c.region == "Xiangxi" and c.metric == cn.REAL_CONVERGENCE_METRIC)
    assert round(100 * real.value, 2) == 9.79 and round(100 * real.gap, 2) == 3.03
    # 2014-2018 needs the 2015-2018 rates; the rural CPI lacks 2016 and 2018: the national CPI, named as a proxy
    assert "both deflated by China CPI (proxy: the rural CPI lacks 2016, 2018), 2014 prices" in real.note


def test_poverty_against_china_is_labelled_as_two_measurement_systems(china_run):
    rows = [c for c in china_run.rows[cn.SECTION] if c.region == "Xiangxi" and c.metric.startswith("poverty_incidence")]
    change = next(c for c in rows if c.metric.endswith("change over common years"))
    assert change.year_or_period == "2016-2019"
    # issue 26: different measurement systems, each side's log change, not differenced (was -15.49 pp vs -3.90 pp,
    # gap -11.59 pp): Xiangxi ln(0.65/16.14) = -3.21, China ln(0.6/4.5) = -2.01
    assert round(change.value, 2) == -3.21 and round(change.benchmark_value, 2) == -2.01
    assert change.gap is None and change.status == "different measurement systems"
    assert all("different measurement systems" in c.note for c in rows)
    pop = [c for c in china_run.rows[cn.SECTION] if c.region == "Xiangxi" and c.metric.startswith("poor_population")]
    assert [c.year_or_period for c in pop if "common year" in c.metric and "change" not in c.metric] == ["2013", "2019"]


def test_wuling_default_run_also_has_the_national_section(tmp_path):
    run = cr.prepare(output_dir=str(tmp_path))
    t = cr.build_table(run)
    assert run.benchmark == "Wuling" and (t["section"] == "national").any()


def test_national_elasticity_nominal_and_real(tmp_path):
    run = er.prepare(output_dir=str(tmp_path))
    er.build_table(run)
    erl.build_national(run)
    n_ols, r_ols = erl.national_value(run, "nominal", "ols"), erl.national_value(run, "real", "ols")
    assert n_ols["years"] == "2014 2015 2016 2017 2018 2019" and int(n_ols["dof"]) == 4
    assert round(n_ols["elasticity"], 2) == -5.62
    assert (round(n_ols["ci_low"], 2), round(n_ols["ci_high"], 2)) == (-7.94, -3.29)
    assert round(erl.national_value(run, "nominal", "log_arc")["elasticity"], 2) == -5.87
    assert round(r_ols["elasticity"], 2) == -7.25
    assert (round(r_ols["ci_low"], 2), round(r_ols["ci_high"], 2)) == (-10.55, -3.95)
    assert round(erl.national_value(run, "real", "log_arc")["elasticity"], 2) == -7.65
    # 2014-2019: the rural CPI lacks 2016, 2018, 2019, so China's CPI for every year, named as a proxy
    assert r_ols["price_index"] == "China CPI (proxy: the rural CPI lacks 2016, 2018, 2019), 2014 prices"
    assert (tmp_path / "tables" / "elasticities_national.csv").exists()


def test_elasticity_real_variants_deflate_the_driver(tmp_path):
    run = er.prepare(output_dir=str(tmp_path))
    er.build_table(run)
    real = erl.build_real(run)
    gdp = real[real["run"] == "xiangxi.poverty_incidence ~ gdp_per_capita"]
    assert (gdp["status"] == "refused").all() and gdp["note"].str.contains("not a GDP deflator").all()
    inc = real[(real["run"] == "xiangxi.poverty_incidence ~ rural_disposable_income") & (real["variant"] == "log_arc")]
    r = inc.iloc[0]
    # 2016-2018: 16.14 -> 4.39 %, income 7413 -> 9183 nominal; CPI 2017-2018 1.016 * 1.021 = 1.037336
    # real 9183 / 1.037336 = 8852.48; ln(4.39/16.14) / ln(8852.48/7413) = -7.34 (nominal -6.08)
    assert round(r["real_driver_end"], 2) == 8852.48
    assert round(r["real_elasticity"], 2) == -7.34 and round(r["nominal_elasticity"], 2) == -6.08
    # the window 2016-2018 needs the 2017 and 2018 rates; the rural CPI lacks 2018: the national CPI, named
    assert r["price_index"].startswith("China CPI (proxy: the rural CPI lacks 2018; China index used for Xiangxi")


def test_readme_extra_table_steps_are_the_notebooks_calls():
    """analysis.build.readme recomputes the real and national tables with the calls the notebook makes."""
    import json

    from analysis import paths
    from analysis.build import readme

    code = "\n".join(
        "".join(c["source"])
        for c in json.loads((paths.NOTEBOOKS / "elasticities.ipynb").read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
    )
    for module, fn in readme.EXTRA_STEPS["elasticities.ipynb"]:
        assert f"import {module.rsplit('.', 1)[1]} as erl" in code and f"erl.{fn}(run)" in code
