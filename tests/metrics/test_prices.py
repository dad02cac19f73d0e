"""Real terms and the national benchmark: values computed by hand from ../shared/external/figures.csv.

Hand computations (national CPI, annual averages, 2015-2019: 1.4, 2.0, 1.6, 2.1, 2.9%):
    price factor 2014 -> 2019 = 1.014 * 1.020 * 1.016 * 1.021 * 1.029 = 1.104010
    China rural disposable income 10489 -> 16021 yuan: nominal CAGR (16021/10489)^(1/5) - 1 = 8.84%;
    real CAGR ((16021/10489) / 1.104010)^(1/5) - 1 = 6.71% a year;
    official real growth 2015-2019 (7.5, 6.2, 7.3, 6.6, 6.2%) chained: 6.76% a year; gap -0.05 pp.
    China real GDP growth 2014-2019 (7.3, 6.9, 6.7, 6.8, 6.6, 6.0%) chained: 2019 volume 147.70
    (2013 = 100), 6.72% a year; nominal GDP 568845 -> 986515 亿元 gives an implied deflator of 117.42.
"""

from __future__ import annotations

import math

import pytest

from analysis.metrics import prices
from analysis.metrics.convergence import convergence, national_elasticity, ratios_by_year

CPI = {
    2010: 3.3,
    2011: 5.4,
    2012: 2.6,
    2013: 2.6,
    2014: 2.0,
    2015: 1.4,
    2016: 2.0,
    2017: 1.6,
    2018: 2.1,
    2019: 2.9,
    2020: 2.5,
}
CPI_F = {y: v / 100 for y, v in CPI.items()}
RURAL_CPI_F = {2013: 0.028, 2014: 0.018, 2015: 0.013}
INCOME = {2014: 10489, 2015: 11422, 2016: 12363, 2017: 13432, 2018: 14617, 2019: 16021}
INCIDENCE = {2014: 7.2, 2015: 5.7, 2016: 4.5, 2017: 3.1, 2018: 1.7, 2019: 0.6}
REAL_INCOME_GROWTH = {2015: 0.075, 2016: 0.062, 2017: 0.073, 2018: 0.066, 2019: 0.062}
GDP_REAL_GROWTH = {2014: 0.073, 2015: 0.069, 2016: 0.067, 2017: 0.068, 2018: 0.066, 2019: 0.060}


def test_price_level_chains_forward_and_backward_from_the_base_year():
    p = prices.price_level(CPI_F, 2014, range(2012, 2020))
    assert p[2014] == 100.0
    assert p[2015] == pytest.approx(101.4)
    assert p[2016] == pytest.approx(101.4 * 1.02)
    assert p[2019] == pytest.approx(110.400986, abs=1e-6)
    # backward: P_2013 = 100 / 1.020, P_2012 = P_2013 / 1.026
    assert p[2013] == pytest.approx(100 / 1.02)
    assert p[2012] == pytest.approx(100 / 1.02 / 1.026)


def test_deflate_gives_base_year_prices():
    real = prices.deflate(INCOME, CPI_F, 2014)
    assert real[2014] == 10489
    assert real[2019] == pytest.approx(16021 / 1.104010, rel=1e-6)  # 14511.6 yuan at 2014 prices
    assert round(real[2019]) == 14512


def test_real_cagr_china_rural_income_2014_2019():
    nominal = (16021 / 10489) ** (1 / 5) - 1
    assert round(100 * nominal, 2) == 8.84
    real = prices.real_cagr(10489, 16021, 2014, 2019, CPI_F)
    assert round(100 * real, 2) == 6.71
    # equivalently (1 + nominal CAGR) / (1 + geometric mean inflation) - 1
    assert real == pytest.approx((1 + nominal) / (1 + prices.mean_rate(CPI_F, 2014, 2019)) - 1, rel=1e-12)
    official = prices.chained_growth(REAL_INCOME_GROWTH, 2014, 2019)
    assert round(100 * official, 2) == 6.76
    assert round(100 * (real - official), 2) == -0.05


def test_a_missing_inflation_year_is_refused_and_named():
    with pytest.raises(prices.MissingRates, match=r"missing for 2016, 2017, 2018, 2019") as e:
        prices.real_cagr(10489, 16021, 2014, 2019, RURAL_CPI_F)
    assert e.value.missing == (2016, 2017, 2018, 2019)
    gap = {y: v for y, v in CPI_F.items() if y != 2017}
    with pytest.raises(prices.MissingRates, match=r"inflation is missing for 2017 \(observed"):
        prices.deflate(INCOME, gap, 2014)
    # the base year's own rate is not needed, the years it links to are
    assert prices.missing_years(RURAL_CPI_F, 2013, 2015) == []
    assert prices.missing_years(RURAL_CPI_F, 2012, 2015) == []
    assert prices.missing_years(RURAL_CPI_F, 2011, 2015) == [2012]


def test_choose_index_prefers_the_rural_cpi_where_it_covers_the_window():
    rural = prices.PriceIndex("China rural CPI", "China", "rural_cpi_change", RURAL_CPI_F)
    national = prices.PriceIndex("China CPI", "China", "cpi_change", CPI_F, proxy="national CPI for Xiangxi")
    assert prices.choose_index([rural, national], 2013, 2015) is rural
    assert prices.choose_index([rural, national], 2014, 2019) is national
    with pytest.raises(prices.MissingRates, match="China rural CPI is missing for 2016, 2017, 2018, 2019"):
        prices.choose_index([rural], 2014, 2019)
    assert national.description == "China CPI (national CPI for Xiangxi)"


def test_volume_index_chains_official_real_gdp_growth():
    v = prices.volume_index(GDP_REAL_GROWTH, 2013, range(2013, 2020))
    assert v[2014] == pytest.approx(107.3)
    assert v[2019] == pytest.approx(147.698529, abs=1e-6)
    assert round(100 * ((v[2019] / 100) ** (1 / 6) - 1), 2) == 6.72
    defl = prices.implied_deflator({2013: 568845, 2019: 986515}, v)
    assert defl[2013] == pytest.approx(100)
    assert round(defl[2019], 2) == 117.42
    with pytest.raises(prices.MissingRates, match="official real growth is missing for 2014"):
        prices.volume_index({2013: 0.04, 2015: 0.083}, 2013, [2013, 2015])


def test_convergence_xiangxi_and_hunan_against_china():
    x = {2014: 5891, 2015: 6648, 2016: 7413, 2017: 8300, 2018: 9183}
    c = convergence(x, INCOME)
    assert (c.start, c.end) == (2014, 2018)
    # (9183/5891)^(1/4) - 1 = 11.74%; (14617/10489)^(1/4) - 1 = 8.65%: 3.09 pp a year
    assert round(100 * c.cagr_region, 2) == 11.74
    assert round(100 * c.cagr_benchmark, 2) == 8.65
    assert round(100 * c.cagr_gap, 2) == 3.09
    assert round(c.ratio_start, 3) == 0.562 and round(c.ratio_end, 3) == 0.628
    assert c.converging
    hunan = convergence({2014: 10060, 2015: 10993, 2019: 15395}, INCOME)
    assert round(100 * hunan.cagr_gap, 2) == 0.04  # 8.88% vs 8.84%
    r = ratios_by_year({2014: 10060, 2015: 10993, 2019: 15395}, INCOME)
    assert list(r["year"]) == [2014, 2015, 2019]
    assert round(r["ratio"].iloc[-1], 3) == 0.961
    with pytest.raises(ValueError, match="fewer than two common years"):
        convergence({2010: 1.0, 2019: 2.0}, {2014: 1.0, 2019: 2.0})


def test_national_elasticity_nominal_and_real_2014_2019():
    n = national_elasticity(INCIDENCE, INCOME)
    # ln(0.6/7.2) / ln(16021/10489) = -2.4849 / 0.4236
    assert round(n.log_arc, 2) == -5.87
    assert round(n.midpoint, 2) == -4.05
    assert round(n.semi, 3) == -0.156
    assert n.ols.n_points == 6 and n.ols.dof == 4
    assert round(n.ols.elasticity, 2) == -5.62
    assert round(n.ols.ci_low, 2) == -7.94 and round(n.ols.ci_high, 2) == -3.29
    real = national_elasticity(INCIDENCE, prices.deflate(INCOME, CPI_F, 2014), "real")
    assert round(real.log_arc, 2) == -7.65
    assert round(real.ols.elasticity, 2) == -7.25
    assert round(real.ols.ci_low, 2) == -10.55 and round(real.ols.ci_high, 2) == -3.95
    assert math.isclose(real.semi, -0.2033, abs_tol=1e-4)
