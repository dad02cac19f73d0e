"""Growth metrics against hand computations from the documents."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import get_series
from analysis.metrics.growth import (
    analyse_series,
    cagr,
    cagr_many,
    doubling_time,
    growth_table,
    index,
    percent_change,
    rate_change,
    trend_growth,
    trend_growth_many,
    yoy,
)
from hand_values import pinned


def frame(years, values, kinds=None, sid="x.y"):
    return pd.DataFrame(
        {
            "year": years,
            "value": values,
            "kind": kinds or ["document"] * len(years),
            "series_id": sid,
            "region": "X",
            "indicator": "y",
            "unit": "元",
        }
    )


def test_cagr_gdp_2013_2019():
    # (705.7 / 418.9) ** (1/6) - 1 = 1.684650 ** 0.166667 - 1 = 0.090816
    assert cagr(418.9, 705.7, 6) == pytest.approx(0.0908163, abs=1e-6)
    assert round(100 * cagr(418.9, 705.7, 6), 2) == 9.08


def test_cagr_per_capita_gdp_is_below_the_claimed_9_percent():
    # (26691 / 16171) ** (1/6) - 1 = 0.08710
    assert cagr(16171, 26691, 6) == pytest.approx(0.08710, abs=1e-5)


def test_dibao_percent_change_and_cagr():
    # 3927 / 1980 - 1 = 0.98333; (3927/1980) ** (1/5) - 1 = 0.14678
    assert percent_change(1980, 3927) == pytest.approx(0.98333, abs=1e-5)
    assert cagr(1980, 3927, 5) == pytest.approx(0.14678, abs=1e-5)


def test_doubling_time():
    # ln 2 / ln 1.0908163 = 0.693147 / 0.086929 = 7.974
    assert doubling_time(0.0908163) == pytest.approx(7.974, abs=1e-3)
    assert doubling_time(-0.01) == math.inf


def test_cagr_refuses_bad_input():
    with pytest.raises(ValueError, match="a positive number of years, got 0"):
        cagr(100, 200, 0)
    with pytest.raises(ValueError, match="a CAGR needs positive values"):
        cagr(0, 200, 3)


def test_index_needs_an_observed_base_year():
    s = frame([2014, 2019], [1980, 3927])
    ix = index(s, 2014)
    assert ix["index"].tolist() == pytest.approx([100.0, 198.333], abs=1e-3)
    with pytest.raises(ValueError, match="observed years: 2014, 2019"):
        index(s, 2015)


def test_yoy_labels_gaps():
    s = frame([2013, 2015, 2016], [418.9, 497.19, 551.7])
    y = yoy(s)
    # 551.7 / 497.19 - 1 = 0.10963; 2013 -> 2015 is a two-year gap: (497.19/418.9)^(1/2) - 1 = 0.08944
    assert y["change"].iloc[2] == pytest.approx(0.10963, abs=1e-5)
    assert y["gap_years"].iloc[1] == 2
    assert y["annualised"].iloc[1] == pytest.approx(0.08944, abs=1e-5)


def test_trend_growth_of_xiangxi_gdp_with_external_years():
    # OLS of ln(GDP) on year over 2013, 2015, 2016, 2017, 2018, 2019
    # (418.9, 497.19, 551.7, 585 preliminary, 605.05 preliminary, 705.7; 2014 not found):
    # slope b = Sxy/Sxx = 0.0816869, growth exp(b)-1 = 8.5116%, se 0.0060935, t(0.975, 4) = 2.77645
    s = get_series("Xiangxi", "gdp", start=2013, end=2019)
    tr = trend_growth(s)
    assert tr.n_points == 6 and tr.years == [2013, 2015, 2016, 2017, 2018, 2019]
    assert tr.slope == pytest.approx(0.0816869, abs=1e-6)
    assert tr.growth == pytest.approx(0.085116, abs=1e-5)
    assert tr.slope_se == pytest.approx(0.0060935, abs=1e-6)
    assert tr.ci_low == pytest.approx(math.expm1(0.0816869 - 2.77645 * 0.0060935), abs=1e-5)
    assert tr.ci_high == pytest.approx(math.expm1(0.0816869 + 2.77645 * 0.0060935), abs=1e-5)
    # the non-preferred 2015 figure (511.9, own basis incl. relocated cigarette output) as a sensitivity:
    alt = get_series("Xiangxi", "gdp", start=2013, end=2019, substitute=["xiangxi.gdp.2015.ext.alt1"])
    assert alt.loc[alt["year"] == 2015, "value"].item() == 511.9
    assert trend_growth(alt).growth == pytest.approx(0.0833096, abs=1e-6)


def test_no_trend_with_fewer_than_five_points():
    assert trend_growth(frame([2013, 2019], [16171, 26691])) is None
    assert trend_growth(frame([2013, 2015, 2016, 2018], [1, 2, 3, 4])) is None


def test_rate_change_is_in_percentage_points():
    # Xiangxi incidence 31.93 -> 0.65: -31.28 pp, -5.213 pp a year, log change ln(0.65/31.93) = -3.8943
    s = frame([2013, 2019], [31.93, 0.65])
    rc = rate_change(s, 2013, 2019)
    assert rc["pp_change"] == pytest.approx(-31.28)
    assert rc["pp_per_year"] == pytest.approx(-5.21333, abs=1e-5)
    assert rc["log_change"] == pytest.approx(-3.8943, abs=1e-4)


def test_analyse_series_reports_with_and_without_break():
    s = get_series("Xiangxi", "gdp", start=2013, end=2019)
    rows = analyse_series(s, 2013, 2019, "growth", (2019,))
    full, pre = rows
    assert (full.start_year, full.end_year, full.n_points) == (2013, 2019, 6)
    pinned(full.cagr, "xiangxi gdp cagr 2013-2019")
    assert full.trend_growth == pytest.approx(0.085116, abs=1e-5)
    # 2013-2018 without the census-revised 2019: (605.05/418.9) ** (1/5) - 1 = 0.076307; now five points
    # (2013, 2015-2018), so a trend: b = 0.0761940, exp(b) - 1 = 7.9172%, 3 degrees of freedom
    assert (pre.start_year, pre.end_year, pre.n_points) == (2013, 2018, 5)
    assert pre.cagr == pytest.approx(0.076307, abs=1e-6) and pre.trend_growth == pytest.approx(0.079172, abs=1e-5)
    assert "without the break year 2019" in pre.note and "external" in full.note
    assert "3 degrees of freedom" in pre.note and "4 degrees of freedom" in full.note


def test_a_break_at_the_start_gives_the_growth_from_the_break_on():
    """Rural income changed concept in 2013 (net to disposable income): Xiangxi's 2012 value is from
    before it, so besides 2012-2018 a row gives 2014-2018 (2013 is in no source), on one concept."""
    from analysis.metrics.growth import BREAK_MARK, is_break_row
    from analysis.reports.params import INCOME_CONCEPT, SERIES_BREAKS

    assert SERIES_BREAKS["rural_disposable_income"] == {2013: INCOME_CONCEPT}
    s = get_series("Xiangxi", "rural_disposable_income", start=2012, end=2018)
    full, post = analyse_series(s, 2012, 2018, "growth", (2013,))  # no row before 2013: one year only
    # (9183/4229) ** (1/6) - 1 = 13.795%; (9183/5891) ** (1/4) - 1 = 11.737% (2014, 2015-2018: five points)
    assert full.cagr == pytest.approx(0.137953, abs=1e-6) and full.note.find(BREAK_MARK) == -1
    assert (post.start_year, post.end_year, post.n_points) == (2014, 2018, 5)
    assert post.cagr == pytest.approx(0.117375, abs=1e-6)
    assert post.note.startswith("without the years before the break year 2013 (series break)")
    assert list(is_break_row(pd.Series([full.note, post.note, None]))) == [False, True, False]
    # a break with one observed year on each side gives no extra row (Wuling income: 2010 and 2019)
    w = get_series("Wuling", "rural_disposable_income")
    assert len(analyse_series(w, 2010, 2019, "growth", (2013,))) == 1


def test_endpoint_series_get_cagr_and_no_fake_trend():
    rows = analyse_series(get_series("Xiangxi", "rural_dibao_standard"), 2014, 2019)
    r = rows[0]
    assert r.method == "CAGR (endpoints)" and r.trend_growth is None and r.n_points == 2
    assert r.total_change == pytest.approx(0.98333, abs=1e-5)
    assert "trend not estimated" in r.note


def test_wuling_income_uses_the_derived_2010_value():
    # 11544 / 3498.18 = 3.3000; 3.3 ** (1/9) - 1 = 0.14186
    s = get_series("Wuling", "rural_disposable_income")
    r = analyse_series(s, 2010, 2019)[0]
    assert r.kinds_used == "derived document" and "derived values: 2010" in r.note
    assert r.cagr == pytest.approx(3.3 ** (1 / 9) - 1, abs=2e-6)


def test_unobserved_endpoint_is_refused():
    with pytest.raises(ValueError, match="observed years are 2013, 2015, 2016, 2017, 2018, 2019, 2020"):
        analyse_series(get_series("Xiangxi", "gdp"), 2014, 2019)


def test_rates_and_counts_are_not_compounded():
    r = analyse_series(get_series("Wuling", "poverty_incidence"), 2011, 2019, "rate")[0]
    assert r.cagr is None and r.change == pytest.approx(-24.6) and r.change_unit == "percentage points"
    c = analyse_series(get_series("Wuling", "poor_population"), 2011, 2019, "count")[0]
    assert c.cagr is None and c.change == pytest.approx(-744) and c.change_per_year == pytest.approx(-93)
    with pytest.raises(ValueError, match="valid choices"):
        analyse_series(get_series("Wuling", "poor_population"), 2011, 2019, "compound")


def test_table_columns():
    t = growth_table(analyse_series(get_series("Xiangxi", "gdp"), 2013, 2019))
    assert list(t.columns[:12]) == [
        "series_id",
        "region",
        "indicator",
        "start_year",
        "end_year",
        "n_points",
        "method",
        "cagr",
        "trend_growth",
        "trend_ci_low",
        "trend_ci_high",
        "change",
    ]


def test_vectorised_functions_agree_with_statsmodels():
    s = get_series("Xiangxi", "gdp", start=2013, end=2019)
    tr = trend_growth(s)
    many = trend_growth_many(s["year"].to_numpy(), np.vstack([s["value"].to_numpy()] * 3))
    assert many["growth"] == pytest.approx([tr.growth] * 3, rel=1e-10)
    assert many["ci_low"] == pytest.approx([tr.ci_low] * 3, rel=1e-8)
    assert many["ci_high"] == pytest.approx([tr.ci_high] * 3, rel=1e-8)
    short = trend_growth_many(np.arange(4), np.ones((2, 4)))
    assert np.isnan(short["growth"]).all()
    assert cagr_many(np.array([418.9]), np.array([705.7]), np.array([6])) == pytest.approx([0.0908163], abs=1e-6)


def test_vectorised_trend_handles_missing_years():
    rng = np.random.default_rng(0)
    vals = np.exp(rng.normal(size=(5, 8)).cumsum(axis=1))
    vals[0, 3] = np.nan
    years = np.arange(2010, 2018)
    many = trend_growth_many(years, vals)
    ok = ~np.isnan(vals[0])
    single = trend_growth(pd.DataFrame({"year": years[ok], "value": vals[0, ok]}))
    assert many["growth"][0] == pytest.approx(single.growth, rel=1e-10)
    assert many["n"][0] == 7
