"""Elasticity formulas against hand-computed values, the year pairing, the report and the notebook.

Hand values are written as literals; the comment beside each shows the arithmetic (logs to
six decimals, normal quantiles from a printed table), so a wrong formula fails.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import UnknownChoice
from analysis.metrics import elasticity as el
from analysis.reports import elasticity as er
from hand_values import pinned

NOTEBOOK = paths.NOTEBOOKS / "elasticities.ipynb"
ISSUE_COLUMNS = [
    "outcome",
    "driver",
    "region",
    "outcome_years",
    "driver_years",
    "method",
    "elasticity",
    "ci_low",
    "ci_high",
    "n_points",
    "note",
]


# --- Formulas ---------------------------------------------------------------------------------------------------


def test_log_arc_xiangxi_incidence_vs_gdp_per_capita():
    # ln(0.65/31.93) = ln(0.020357) = -3.894329; ln(26691/16171) = ln(1.650547) = 0.501107
    # -3.894329 / 0.501107 = -7.7715
    assert el.log_arc_elasticity(31.93, 0.65, 16171, 26691) == pytest.approx(-7.7715, abs=1e-4)


def test_log_arc_xiangxi_poor_population_vs_gdp_per_capita():
    # ln(1.56/65.77) = ln(0.023719) = -3.741449; / 0.501107 = -7.4664
    assert el.log_arc_elasticity(65.77, 1.56, 16171, 26691) == pytest.approx(-7.4664, abs=1e-4)


def test_midpoint_xiangxi_incidence_vs_gdp_per_capita():
    # dH = 0.65 - 31.93 = -31.28, mean H = 16.29 -> -1.920196
    # dY = 26691 - 16171 = 10520, mean Y = 21431 -> 0.490878
    # -1.920196 / 0.490878 = -3.9118
    assert el.midpoint_arc_elasticity(31.93, 0.65, 16171, 26691) == pytest.approx(-3.9118, abs=1e-4)


def test_semi_elasticity_xiangxi_incidence_vs_gdp_per_capita():
    # (0.65 - 31.93) / (100 * 0.501107) = -31.28 / 50.1107 = -0.62422 pp per 1% growth
    assert el.semi_elasticity(31.93, 0.65, 16171, 26691) == pytest.approx(-0.62422, abs=1e-5)


def test_window_elasticity_dibao_standard_vs_gdp_per_capita():
    # dibao 1980 -> 3927 over 2014-2019: ln(1.983333) = 0.684779, / 5 = 0.136956 a year
    # GDP per capita 16171 -> 26691 over 2013-2019: 0.501107 / 6 = 0.083518 a year
    # 0.136956 / 0.083518 = 1.6398
    assert el.window_elasticity(1980, 3927, 5, 16171, 26691, 6) == pytest.approx(1.6398, abs=1e-4)


def test_window_elasticity_wuling_incidence_vs_income():
    # incidence 26.3 -> 1.7 over 2011-2019: ln(0.064639) = -2.738941, / 8 = -0.342368
    # income 3498.18 -> 11544 over 2010-2019: ln(3.300001) = 1.193923, / 9 = 0.132658
    # -0.342368 / 0.132658 = -2.5808
    assert el.window_elasticity(26.3, 1.7, 8, 3498.18, 11544, 9) == pytest.approx(-2.5808, abs=1e-4)


def test_window_semi_elasticity_wuling():
    # (1.7 - 26.3) / 8 = -3.075 pp a year; 100 * 1.193923 / 9 = 13.265810 % a year; ratio -0.23180
    assert el.window_semi_elasticity(26.3, 1.7, 8, 3498.18, 11544, 9) == pytest.approx(-0.23180, abs=1e-5)


def test_window_formula_with_equal_windows_is_the_log_arc():
    assert el.window_elasticity(31.93, 0.65, 6, 16171, 26691, 6) == pytest.approx(
        el.log_arc_elasticity(31.93, 0.65, 16171, 26691), rel=1e-12
    )


def test_monthly_assistance_vs_dibao_standard():
    # ln(206/106) = 0.664437; ln(3927/1980) = 0.684779; 0.664437 / 0.684779 = 0.97029
    assert el.log_arc_elasticity(106, 206, 1980, 3927) == pytest.approx(0.97029, abs=1e-5)


def test_formulas_refuse_impossible_inputs():
    with pytest.raises(ValueError, match=r"need positive values, got 0\.0"):
        el.log_arc_elasticity(31.93, 0.0, 16171, 26691)  # incidence reaching zero: log undefined
    with pytest.raises(ValueError, match="the driver does not change"):
        el.log_arc_elasticity(31.93, 0.65, 16171, 16171)  # driver unchanged
    with pytest.raises(ValueError, match="window lengths must be positive, got 0 and 6"):
        el.window_elasticity(1980, 3927, 0, 16171, 26691, 6)


def test_vectorised_log_arc_matches_the_scalar_formula():
    h0 = np.array([31.93, 65.77, 26.3, 1980.0, 5.0])
    h1 = np.array([0.65, 1.56, 1.7, 3927.0, 0.0])
    y0 = np.array([16171.0, 16171.0, 3498.18, 16171.0, 100.0])
    y1 = np.array([26691.0, 26691.0, 11544.0, 26691.0, 120.0])
    t_h = np.array([6, 6, 8, 5, 1])
    t_y = np.array([6, 6, 9, 6, 1])
    got = el.log_arc_elasticity_many(h0, h1, y0, y1, t_h, t_y)
    assert got[:4] == pytest.approx([-7.7715, -7.4664, -2.5808, 1.6398], abs=1e-4)
    assert math.isnan(got[4])  # a zero end value gives NaN, not -inf
    plain = el.log_arc_elasticity_many(h0[:2], h1[:2], y0[:2], y1[:2])
    assert plain == pytest.approx(
        [el.log_arc_elasticity(a, b, c, d) for a, b, c, d in zip(h0[:2], h1[:2], y0[:2], y1[:2], strict=True)],
        rel=1e-12,
    )


# --- OLS ----------------------------------------------------------------------------------------------------------


def test_ols_refuses_three_paired_points():
    assert el.ols_elasticity([31.93, 16.14, 0.65], [16171, 20000, 26691]) is None
    assert el.MIN_OLS_POINTS == 4


def test_ols_on_four_points_with_hand_values():
    # ln H = 3 - 2 ln Y + e, Y = 1, 2, 4, 8, e = (+0.1, -0.1, -0.1, +0.1): e sums to zero and is
    # orthogonal to ln Y, so the slope is exactly -2.
    # Sxx = (ln 2)^2 (2.25 + 0.25 + 0.25 + 2.25) = 5 * 0.480453 = 2.402265
    # s^2 = 4 * 0.01 / 2 = 0.02; se = sqrt(0.02 / 2.402265) = 0.091244
    # t(0.975, 2 df) = 4.3027 (table); CI = -2 -/+ 4.3027 * 0.091244 = (-2.3926, -1.6074)
    y = [1.0, 2.0, 4.0, 8.0]
    h = [math.exp(3 - 2 * math.log(v) + e) for v, e in zip(y, (0.1, -0.1, -0.1, 0.1), strict=True)]
    fit = el.ols_elasticity(h, y, [2013, 2016, 2018, 2019])
    assert fit is not None
    assert fit.elasticity == pytest.approx(-2.0, abs=1e-10)
    assert fit.se == pytest.approx(0.091244, abs=1e-6)
    assert (fit.ci_low, fit.ci_high) == pytest.approx((-2.3926, -1.6074), abs=1e-4)
    assert fit.dof == 2 and fit.n_points == 4 and fit.years == (2013, 2016, 2018, 2019)


# --- Year pairing ------------------------------------------------------------------------------------------------


def test_pairing_same_window_lists_unpaired_outcome_years():
    p = el.pair_years([2013, 2016, 2018, 2019], [2013, 2019])
    assert p.same_window and p.outcome_window == (2013, 2019) and p.paired_years == (2013, 2019)
    assert "2016, 2018" in p.note and "not interpolated" in p.note


def test_pairing_flags_different_windows_wuling():
    p = el.pair_years([2011, 2019], [2010, 2019])
    assert not p.same_window
    assert (p.outcome_window, p.driver_window, p.paired_years) == ((2011, 2019), (2010, 2019), (2019,))
    assert (p.t_outcome, p.t_driver) == (8, 9)
    assert "2011-2019 differs from driver window 2010-2019" in p.note and "window-length formula" in p.note


def test_pairing_refuses_different_windows_when_not_allowed():
    with pytest.raises(el.YearMismatch, match="2011-2019 differs from driver window 2010-2019"):
        el.pair_years([2011, 2019], [2010, 2019], allow_different_windows=False)


def test_pairing_poverty_line_has_no_2019_value():
    # dibao standard 2014 and 2019; national line 2011-2016 and 2020: the widest window inside
    # 2014-2019 is 2014-2016; the only same-year pair is 2014.
    line_years = [2011, 2012, 2013, 2014, 2015, 2016, 2020]
    p = el.pair_years([2014, 2019], line_years)
    assert p.driver_window == (2014, 2016) and p.paired_years == (2014,)
    assert "no value for 2019" in p.note
    explicit = el.pair_years([2014, 2019], line_years, driver_window=(2014, 2020))
    assert explicit.driver_window == (2014, 2020) and "2014-2020" in explicit.note


def test_pairing_refuses_unobserved_years():
    with pytest.raises(el.YearMismatch, match="observed years: 2011, 2019"):
        el.pair_years([2011, 2019], [2010, 2019], start=2012)
    with pytest.raises(el.YearMismatch, match="driver year 2018"):
        el.pair_years([2011, 2019], [2010, 2019], driver_window=(2010, 2018))
    with pytest.raises(el.YearMismatch, match="fewer than two"):
        el.pair_years([2011, 2019], [2019])


# --- Lognormal benchmark -----------------------------------------------------------------------------------------


def test_sigma_from_gini_hand_value():
    # Phi(0.45) = 0.67364, Phi(0.46) = 0.67724 (table): Phi^-1(0.675) = 0.45 + 0.01 * 0.00136 / 0.0036 = 0.45378
    # sigma = 1.414214 * 0.45378 = 0.64174 (the brief's 0.6433 is a rounding slip)
    assert el.sigma_from_gini(0.35) == pytest.approx(0.64174, abs=2e-4)
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, got 1\.2"):
        el.sigma_from_gini(1.2)


def test_headcount_and_benchmark_elasticity_hand_values():
    s = el.sigma_from_gini(0.35)
    # z/mu = exp(-sigma^2/2) makes ln(z/mu)/sigma + sigma/2 = 0, so H = Phi(0) = 0.5
    assert el.headcount(math.exp(-s * s / 2), 0.35) == pytest.approx(0.5, abs=1e-12)
    # z = mu: H = Phi(sigma/2) = Phi(0.32087); table Phi(0.32) = 0.62552, Phi(0.33) = 0.62930 -> 0.62585
    assert el.headcount(1.0, 0.35) == pytest.approx(0.62585, abs=2e-4)
    # at H = 0.5, x = 0 and phi(0) = 0.398942: -0.398942 / (0.64174 * 0.5) = -1.24331
    assert el.benchmark_elasticity(0.5, 0.35) == pytest.approx(-1.2433, abs=5e-4)
    # it rises in magnitude as H falls
    assert el.benchmark_elasticity(0.0065, 0.35) < el.benchmark_elasticity(0.3193, 0.35) < 0


def test_benchmark_curve_has_one_curve_per_gini():
    c = el.benchmark_curve((0.30, 0.35, 0.40), n=50)
    assert sorted(c["gini"].unique()) == [0.30, 0.35, 0.40] and len(c) == 150
    # a higher Gini gives a smaller elasticity magnitude at the same H
    at = c[np.isclose(c["headcount_pct"], c["headcount_pct"].iloc[10])]
    assert list(at.sort_values("gini")["elasticity"]) == sorted(at["elasticity"])
    # recovering H from z/mu closes the loop
    row = c.iloc[77]
    assert el.headcount(row["z_over_mu"], row["gini"]) == pytest.approx(row["headcount_pct"] / 100, rel=1e-9)


# --- The report (no notebook) ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_report(tmp_path_factory: pytest.TempPathFactory) -> er.ElasticityRun:
    run = er.prepare(output_dir=str(tmp_path_factory.mktemp("el_default")))
    er.build_table(run)
    er.build_benchmark(run)
    return run


def _row(t: pd.DataFrame, run: str, variant: str) -> pd.Series:
    m = t[(t["run"] == run) & (t["variant"] == variant)]
    assert len(m) == 1, (run, variant, len(m))
    return m.iloc[0]


def test_report_table_columns_and_headline_values(default_report: er.ElasticityRun):
    t = pd.read_csv(default_report.out.tables / "elasticities.csv")
    assert list(t.columns[:11]) == ISSUE_COLUMNS
    r = _row(t, "xiangxi.poverty_incidence ~ gdp_per_capita", "log_arc")
    pinned(r["elasticity"], "xiangxi incidence elasticity 2013-2019")
    assert (str(r["outcome_years"]), str(r["driver_years"]), r["n_points"]) == ("2013 2019", "2013 2019", 2)
    assert _row(t, "xiangxi.poverty_incidence ~ gdp_per_capita", "midpoint")["elasticity"] == pytest.approx(
        -3.9118, abs=1e-4
    )
    assert _row(t, "xiangxi.poverty_incidence ~ gdp_per_capita", "semi")["elasticity"] == pytest.approx(
        -0.62422, abs=1e-5
    )
    # issue 27: the table holds the estimates made; the OLS that needs 4 paired years is listed as not computed
    assert t[(t["run"] == "xiangxi.poverty_incidence ~ gdp_per_capita") & (t["variant"] == "ols")].empty
    ols = _row(default_report.not_computed, "xiangxi.poverty_incidence ~ gdp_per_capita", "ols")
    assert ols["reason"].startswith("not estimated: 2 paired years")


def test_report_states_both_windows_when_they_differ(default_report: er.ElasticityRun):
    t = default_report.table
    w = _row(t, "wuling.poverty_incidence ~ rural_disposable_income", "window")
    assert w["elasticity"] == pytest.approx(-2.5808, abs=1e-4)
    assert (w["outcome_years"], w["driver_years"]) == ("2011 2019", "2010 2019")
    assert "differs from driver window 2010-2019" in w["note"] and "derived" in w["note"]
    # issue 27: the different-window number is a ratio of growth rates, not an elasticity, and the log arc that
    # cannot be computed is in the not-computed table
    assert "not an elasticity" in w["method"]
    la = _row(default_report.not_computed, "wuling.poverty_incidence ~ rural_disposable_income", "log_arc")
    assert la["reason"].startswith("not computed")
    d = _row(t, "xiangxi.rural_dibao_standard ~ gdp_per_capita", "window")
    # h9 (review P7): the document years 2013 and 2019 (rows xiangxi.gdp_per_capita.2013 = 16171 and
    # .2019 = 26691) bracket the outcome window 2014-2019 and are preferred to 2015-2019, whose 2015
    # value (19488) is external and on the inclusive-cigarette basis:
    # (ln(3927/1980)/5) / (ln(26691/16171)/6) = 0.136956 / 0.083518 = 1.6398 (was 1.7418 with 2015-2019)
    assert d["elasticity"] == pytest.approx(1.6398, abs=1e-4)
    assert (d["outcome_years"], d["driver_years"]) == ("2014 2019", "2013 2019")
    assert "document years bracketing the outcome window are preferred" in d["note"]
    line = _row(t, "xiangxi.rural_dibao_standard ~ china.poverty_line_current_prices", "window")
    # (0.684779 / 5) / (ln(2952/2800) / 2) = 0.136956 / (0.052863 / 2) = 5.1815
    assert line["elasticity"] == pytest.approx(5.1815, abs=1e-3)
    assert line["driver_years"] == "2014 2016" and "no value for 2019" in line["note"]
    assert "external" in line["note"] and line["driver_region"] == "China"


def test_report_benchmark_for_xiangxi(default_report: er.ElasticityRun):
    b = default_report.benchmark
    r = b[(b["run"] == "xiangxi.poverty_incidence ~ gdp_per_capita") & np.isclose(b["gini"], 0.35)].iloc[0]
    # x0 = Phi^-1(0.3193) = -0.46966, x1 = Phi^-1(0.0065) = -2.48377; sigma (x0 - x1) = 0.64172 * 2.01411 = 1.29249
    # arc = ln(0.0065 / 0.3193) / 1.29249 = -3.894329 / 1.29249 = -3.0130; multiple exp(1.29249) = 3.642
    assert r["benchmark_arc"] == pytest.approx(-3.0130, abs=1e-3)
    assert r["required_multiple"] == pytest.approx(3.642, abs=2e-3)


def test_report_ols_where_four_years_are_paired(tmp_path: Path):
    # Xiangxi GDP (not per capita) is observed 2013 2015-2020; incidence 2013 2016 2017 2018 2019.
    run = er.prepare(region="Xiangxi", outcome="poverty_incidence", driver="gdp", output_dir=str(tmp_path))
    t = er.build_table(run)
    r = _row(t, "xiangxi.poverty_incidence ~ gdp", "ols")
    assert r["outcome_years"] == "2013 2016 2017 2018 2019" and r["n_points"] == 5 and r["dof"] == 3
    x = np.log([418.9, 551.7, 585, 605.05, 705.7])
    z = np.log([31.93, 16.14, 10.52, 4.39, 0.65])
    slope = ((x - x.mean()) * (z - z.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert r["elasticity"] == pytest.approx(slope, rel=1e-9)
    assert r["ci_low"] < r["elasticity"] < r["ci_high"]


def test_prepare_lists_valid_choices():
    with pytest.raises(UnknownChoice, match=r"valid choices: .*poverty_incidence"):
        er.prepare(region="Xiangxi", outcome="poverty_headcount", driver="gdp_per_capita")
    with pytest.raises(UnknownChoice, match=r"valid choices: .*log_arc"):
        er.prepare(variants=["log_arc", "elasticity"])
    with pytest.raises(UnknownChoice, match=r"valid choices: .*Wuling"):
        er.prepare(region="Wulingshan")
    with pytest.raises(UnknownChoice, match="between 0 and 1"):
        er.prepare(gini_values=[0.35, 35])
    with pytest.raises(UnknownChoice, match="observed years: 2011, 2019"):
        er.prepare(region="Wuling", outcome="poverty_incidence", start_year=2013)


def test_without_external_values_the_line_runs_are_skipped(tmp_path: Path):
    run = er.prepare(include_external=False, output_dir=str(tmp_path))
    ids = {s.run_id for s in run.runs}
    assert "xiangxi.poverty_incidence ~ gdp_per_capita" in ids
    assert not any("poverty_line" in i for i in ids)
    assert any("poverty_line" in s for s in run.skipped)


# --- The notebook ------------------------------------------------------------------------------------------------


def _texts(nb: dict) -> list[str]:
    """Every non-image output of every cell, as text (streams included)."""
    out = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            if o["output_type"] == "stream":
                out.append("".join(o["text"]))
            for k, v in o.get("data", {}).items():
                if not k.startswith("image/"):
                    out.append("".join(v) if isinstance(v, list) else str(v))
    return out


def test_notebook_default_parameters(report_tables: Path):
    """The default run's table (the session's in-process build, the notebook's own calls) and the committed
    notebook's outputs, which nbval checks are what the cells give now (no second execution here)."""
    t = pd.read_csv(report_tables / "elasticities.csv")
    assert list(t.columns[:11]) == ISSUE_COLUMNS
    pinned(
        _row(t, "xiangxi.poverty_incidence ~ gdp_per_capita", "log_arc")["elasticity"],
        "xiangxi incidence elasticity 2013-2019",
    )
    committed = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    texts = "\n".join(_texts(committed))
    assert str(paths.ROOT) not in texts and " at 0x" not in texts
    # the only stream output is the first one, saying where the run writes
    streams = [o for c in committed["cells"] for o in c.get("outputs", []) if o["output_type"] == "stream"]
    assert len(streams) == 1 and "".join(streams[0]["text"]).startswith("Exploratory run: tables and figures go to")
    # issue 27: the band is named with the differences, not as a verdict ("more negative than")
    assert "Log arc elasticity -7.77 (the literature's -2.3 to -1 is for survey headcounts against real GDP" in texts


def test_notebook_non_default_parameters(interactive):
    """Plain papermill without output_dir: reports/ untouched, outputs in build/interactive/test_el_wuling/."""
    nb, out = interactive(
        "elasticities",
        "test_el_wuling",
        region="Wuling",
        outcome="poor_population",
        variants=["window", "ols"],
        gini_values=[0.3, 0.45],
    )
    t = pd.read_csv(out / "tables" / "test_el_wuling.csv")
    assert set(t["region"]) == {"Wuling"} and set(t["outcome"]) == {"poor_population"}
    assert list(t["variant"]) == ["window"]  # issue 27: the OLS (1 paired year) is in the not-computed table
    assert list(pd.read_csv(out / "tables" / "test_el_wuling_not_computed.csv")["variant"]) == ["ols"]
    # ln(49/793) = -2.784000 / 8 = -0.348000; / 0.132658 = -2.6233
    assert t.loc[t["variant"] == "window", "elasticity"].iloc[0] == pytest.approx(-2.6233, abs=1e-4)
    assert (out / "figures" / "test_el_wuling_paths.png").exists()
    assert not (out / "figures" / "test_el_wuling_semi.png").exists()  # no incidence run: no semi bars
    texts = "\n".join(_texts(nb))
    assert "only the ratio of average annual log growth rates is computed (not an elasticity): -2.62" in texts


def test_notebook_first_cell_validates_with_prepare(tmp_path: Path):
    """A bad parameter fails in the notebook's first code cell, which calls prepare().

    (The papermill round trip of a bad parameter is exercised once, for the growth
    notebook, in test_growth_notebook.py; here the same call is made in-process.)
    """
    nb = json.loads((paths.NOTEBOOKS / "elasticities.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"]["tags"] and "er.prepare(" in "".join(code[1]["source"])
    with pytest.raises(UnknownChoice, match=r"valid choices.*poverty_incidence"):
        er.prepare(outcome="poverty_headcount", output_dir=str(tmp_path))


def test_wuling_income_note_quotes_the_derivations_printed_inputs():
    # the curated note of data/raw/elasticity_notes.csv quotes rows wuling.rural_disposable_income.2019 and
    # wuling.rural_income_multiple_2010.2019 as printed
    from analysis.reports.elasticity_select import RunSpec

    assert RunSpec("Wuling", "poverty_incidence", "rural_disposable_income").note.startswith(
        "2010 income derived as 11544 / 3.3 (stated multiple)"
    )  # 元, 倍 as printed
