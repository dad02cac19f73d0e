"""Comparison functions (hand-computed values), refusals, and the comparisons notebook under papermill."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

import notebook_helpers
from analysis import paths
from analysis.data.load import UnknownChoice, get_series
from analysis.metrics.compare import (
    ANNUAL_PER_CAPITA,
    ComparisonError,
    Point,
    annualise_monthly,
    assistance_to_standard,
    compare_changes,
    comparison_unit,
    exit_share,
    gap,
    implied_from_multiple,
    period_change,
    point_at,
    ratio_to_benchmark,
    ratios_at_matched_years,
    relative_change,
    series_points,
    share_of_income,
    standards_ratio,
)
from analysis.reports import comparison as cr
from analysis.reports import figures
from helpers import run_notebook_cells

TABLE_HEAD = ["metric", "region", "benchmark", "year_or_period", "value", "benchmark_value", "ratio", "gap", "note"]

NOTEBOOK = paths.NOTEBOOKS / "comparisons.ipynb"


def P(region, indicator, year, value, unit, base, kind="document", **kw):
    return Point(region, indicator, year, value, unit, base, kind, **kw)


DIBAO14 = P("Xiangxi", "rural_dibao_standard", 2014, 1980, "元/年", "yuan/year")
DIBAO19 = P("Xiangxi", "rural_dibao_standard", 2019, 3927, "元/年", "yuan/year")
TEKUN14 = P("Xiangxi", "extreme_poverty_support_standard", 2014, 2640, "元/年", "yuan/year")
TEKUN19 = P("Xiangxi", "extreme_poverty_support_standard", 2019, 4800, "元/年", "yuan/year")
MONTHLY14 = P("Xiangxi", "rural_dibao_monthly_assistance", 2014, 106, "元/月", "yuan/month")
MONTHLY19 = P("Xiangxi", "rural_dibao_monthly_assistance", 2019, 206, "元/月", "yuan/month")
LINE14 = P("China", "poverty_line_current_prices", 2014, 2800, "元/年", "yuan/year", "external")
LINE20 = P("China", "poverty_line_current_prices", 2020, 4000, "元/年", "yuan/year", "external", qualifier="about")
INCOME14 = P("Xiangxi", "rural_disposable_income", 2014, 5891, "元", "yuan", "external")
XI13 = P("Xiangxi", "poverty_incidence", 2013, 31.93, "%", "fraction")
XI19 = P("Xiangxi", "poverty_incidence", 2019, 0.65, "%", "fraction")
WI11 = P("Wuling", "poverty_incidence", 2011, 26.3, "%", "fraction")
WI19 = P("Wuling", "poverty_incidence", 2019, 1.7, "%", "fraction")


# ----------------------------------------------------------------------------- hand-computed values


def test_dibao_standard_increase():
    # 3927 / 1980 - 1 = 0.98333 (the document's "增幅98%")
    assert relative_change(DIBAO14, DIBAO19) == pytest.approx(0.98333, abs=1e-5)
    # 4800 / 2640 - 1 = 0.81818 ("增幅为82%"); 206 / 106 - 1 = 0.94340 ("增幅 94%")
    assert relative_change(TEKUN14, TEKUN19) == pytest.approx(0.81818, abs=1e-5)
    assert relative_change(MONTHLY14, MONTHLY19) == pytest.approx(0.94340, abs=1e-5)


def test_wuling_2010_income_implied_by_the_multiple():
    end = P("Wuling", "rural_disposable_income", 2019, 11544, "元", "yuan")
    mult = P("Wuling", "rural_income_multiple_2010", 2019, 3.3, "倍", "multiple")
    p = implied_from_multiple(end, mult, 2010)
    # 11544 / 3.3 = 3498.18 元
    assert (p.year, p.kind) == (2010, "derived")
    assert p.value == pytest.approx(3498.18, abs=0.005)
    # the processed table carries the same derived value
    table = point_at(series_points(get_series("Wuling", "rural_disposable_income")), 2010)
    assert table.kind == "derived" and table.value == pytest.approx(p.value, abs=0.005)


def test_dibao_over_poverty_line_2014():
    c = ratio_to_benchmark(DIBAO14, LINE14)
    # 1980 / 2800 = 0.70714; 1980 - 2800 = -820 元/年
    assert c.ratio == pytest.approx(0.70714, abs=1e-5)
    assert c.gap == -820 and c.gap_unit == "元/年" and c.status == "matched" and c.year_or_period == "2014"
    assert "external" in c.note


def test_tekun_over_dibao():
    # 2640 / 1980 = 1.33333 (2014); 4800 / 3927 = 1.22231 (2019)
    assert standards_ratio(TEKUN14, DIBAO14).ratio == pytest.approx(1.33333, abs=1e-5)
    assert standards_ratio(TEKUN19, DIBAO19).ratio == pytest.approx(1.22231, abs=1e-5)


def test_annualised_monthly_assistance_over_standard():
    a14 = annualise_monthly(MONTHLY14)
    # 106 x 12 = 1272 元/年
    assert (a14.value, a14.unit, a14.base_unit) == (1272, "元/年", "yuan/year")
    # 1272 / 1980 = 0.64242; 206 x 12 / 3927 = 2472 / 3927 = 0.62949
    assert assistance_to_standard(a14, DIBAO14).ratio == pytest.approx(0.64242, abs=1e-5)
    assert assistance_to_standard(annualise_monthly(MONTHLY19), DIBAO19).ratio == pytest.approx(0.62949, abs=1e-5)


def test_dibao_as_share_of_rural_income():
    c = share_of_income(DIBAO14, INCOME14)
    # 1980 / 5891 = 0.33611: income (元) is taken as per person per year by the explicit rule
    assert c.ratio == pytest.approx(0.33611, abs=1e-5)
    assert "ANNUAL_PER_CAPITA" in c.note
    assert comparison_unit(INCOME14) == "yuan/year" and "rural_disposable_income" in ANNUAL_PER_CAPITA


def test_incidence_gap_in_percentage_points_and_ratio():
    end = gap(XI19, WI19)
    # 0.65 - 1.7 = -1.05 pp; 0.65 / 1.7 = 0.38235
    assert end.gap == pytest.approx(-1.05) and end.gap_unit == "percentage points"
    assert end.ratio == pytest.approx(0.38235, abs=1e-5) and end.status == "matched"
    start = gap(XI13, WI11, allow_different_years=True)
    # 31.93 - 26.3 = +5.63 pp; 31.93 / 26.3 = 1.21407; labelled as different years
    assert start.gap == pytest.approx(5.63) and start.ratio == pytest.approx(1.21407, abs=1e-5)
    assert start.status == "different years" and start.year_or_period == "2013 vs 2011"
    assert "different years" in start.note


def test_incidence_change_over_period():
    c = period_change(XI13, XI19)
    # 0.65 - 31.93 = -31.28 pp over 6 years = -5.2133 pp a year; never compounded
    assert c.mode == "rate" and c.cagr is None
    assert c.change == pytest.approx(-31.28) and c.change_per_year == pytest.approx(-5.21333, abs=1e-5)


def test_income_cagr_comparison_over_the_same_period():
    a = period_change(
        P("X", "rural_disposable_income", 2014, 5891, "元", "yuan"),
        P("X", "rural_disposable_income", 2016, 7413, "元", "yuan"),
    )
    b = period_change(
        P("Y", "rural_disposable_income", 2014, 6000, "元", "yuan"),
        P("Y", "rural_disposable_income", 2016, 6000, "元", "yuan"),
    )
    c = compare_changes(a, b)
    # (7413 / 5891)^(1/2) - 1 = 1.12177 - 1 = 0.12177; the benchmark's CAGR is 0
    assert c.value == pytest.approx(0.12177, abs=1e-5) and c.gap == pytest.approx(0.12177, abs=1e-5)
    assert c.year_or_period == "2014-2016" and c.status == "matched"


def test_counties_exited_share():
    e = P("Wuling", "poverty_counties_exited", 2019, 70, "个", "count")
    t = P("Wuling", "poverty_counties_total", 2019, 71, "个", "count")
    c = exit_share(e, t)
    # 70 / 71 = 0.98592; one county (70 - 71 = -1) not yet exited
    assert c.ratio == pytest.approx(0.98592, abs=1e-5) and c.gap == -1
    lx = exit_share(
        P("Luoxiao", "poverty_counties_exited", 2020, 23, "个", "count"),
        P("Luoxiao", "poverty_counties_total", 2020, 23, "个", "count"),
    )
    assert lx.ratio == 1.0  # 23 / 23


def test_ratios_at_matched_years_use_only_common_years():
    income = series_points(get_series("Xiangxi", "rural_disposable_income"))
    line = series_points(get_series("China", "poverty_line_current_prices"))
    got = {c.year_or_period: round(c.ratio, 4) for c in ratios_at_matched_years(income, line)}
    # 4229/2625 = 1.6110, 5891/2800 = 2.1039, 6648/2855 = 2.3285, 7413/2952 = 2.5112, and 2020:
    # 1.12万元 = 11200 / 4000 (about) = 2.8; 2017 and 2018 have no line
    assert got == {"2012": 1.6110, "2014": 2.1039, "2015": 2.3285, "2016": 2.5112, "2020": 2.8}


# ----------------------------------------------------------------------------- refusals


def test_refusal_is_a_value_error():
    assert issubclass(ComparisonError, ValueError)


def test_monthly_against_annual_is_refused_unless_annualised():
    with pytest.raises(ComparisonError) as exc:
        assistance_to_standard(MONTHLY14, DIBAO14)
    msg = str(exc.value)
    for part in (
        "Xiangxi rural_dibao_monthly_assistance 2014 = 106 元/月",
        "Xiangxi rural_dibao_standard 2014 = 1980 元/年",
        "yuan/month",
        "yuan/year",
        "annualise",
    ):
        assert part in msg
    with pytest.raises(ComparisonError, match="units do not match"):
        ratio_to_benchmark(MONTHLY14, LINE14)


def test_xiangxi_2019_against_the_2020_poverty_line_is_refused():
    with pytest.raises(ComparisonError) as exc:
        ratio_to_benchmark(DIBAO19, LINE20)
    msg = str(exc.value)
    assert "different years" in msg
    assert "Xiangxi rural_dibao_standard 2019 = 3927 元/年" in msg
    assert "China poverty_line_current_prices 2020 = 4000 元/年" in msg


def test_no_interpolated_2019_poverty_line():
    line = series_points(get_series("China", "poverty_line_current_prices"))
    with pytest.raises(
        ComparisonError,
        match=r"has no 2019 value \(observed years: 2011, 2012, 2013, 2014, 2015, "
        r"2016, 2020\); nothing is interpolated",
    ):
        point_at(line, 2019)


def test_gap_of_different_years_is_refused_by_default():
    with pytest.raises(
        ComparisonError,
        match=r"Xiangxi poverty_incidence 2013 = 31.93 % vs Wuling poverty_incidence "
        r"2011 = 26.3 %",
    ):
        gap(XI13, WI11)


def test_a_yuan_total_is_not_a_per_capita_amount():
    total = P("Xiangxi", "labour_income_total", 2014, 300, "亿元", "yuan")
    with pytest.raises(ComparisonError, match="ANNUAL_PER_CAPITA"):
        ratio_to_benchmark(total, LINE14)
    with pytest.raises(ComparisonError, match="units do not match"):  # the rule switched off
        share_of_income(DIBAO14, INCOME14, annual_per_capita={})


def test_rate_against_count_is_refused():
    pop = P("Xiangxi", "poor_population", 2019, 1.56, "万人", "persons")
    with pytest.raises(ComparisonError, match=r"compared as fraction\) vs .*compared as persons"):
        gap(XI19, pop)


def test_changes_over_different_periods_are_refused():
    with pytest.raises(
        ComparisonError,
        match=r"different periods: Xiangxi poverty_incidence 2013-2019 .* vs Wuling "
        r"poverty_incidence 2011-2019",
    ):
        compare_changes(period_change(XI13, XI19), period_change(WI11, WI19))


def test_other_refusals():
    with pytest.raises(ComparisonError, match="needs one region"):
        standards_ratio(TEKUN14, P("Hunan", "rural_dibao_standard", 2014, 2000, "元/年", "yuan/year"))
    with pytest.raises(ComparisonError, match="only a monthly amount"):
        annualise_monthly(DIBAO14)
    with pytest.raises(ComparisonError, match="exceeds"):
        exit_share(P("A", "e", 2019, 72, "个", "count"), P("A", "t", 2019, 71, "个", "count"))
    with pytest.raises(ComparisonError, match="needs counts"):
        exit_share(XI19, P("Xiangxi", "t", 2019, 7, "个", "count"))
    with pytest.raises(ComparisonError, match="not later"):
        relative_change(DIBAO19, DIBAO14)
    with pytest.raises(ComparisonError, match="no matched year"):
        ratios_at_matched_years(
            series_points(get_series("Wuling", "rural_disposable_income")),
            series_points(get_series("China", "poverty_line_current_prices")),
        )


# ----------------------------------------------------------------------------- report module (in process)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"regions": ["Xiangxy"]}, r"unknown region 'Xiangxy'; valid choices: .*Hunan40, Luoxiao.*Xiangxi"),
        (
            {"indicator": "gpd"},
            (
                r"unknown indicator \(observed for the benchmark Wuling\) 'gpd'; valid choices: "
                # the levels and rates Wuling observes (indicators.csv measure), derived ones included
                r"poor_population, poverty_base_population_implied, poverty_incidence, rural_disposable_income"
            ),
        ),
        ({"benchmark": "Wulin"}, r"unknown benchmark .* 'Wulin'; valid choices: .*Wuling"),
        ({"base_year": 2011}, r"unknown base_year .* 2011; valid choices: 2010, 2012, 2013"),
        ({"regions": ["Wuling"]}, r"regions must include a region other than the benchmark Wuling"),
        ({"include_external": "maybe"}, r"include_external='maybe' must be True or False"),
    ],
)
def test_prepare_refuses_bad_parameters_listing_valid_choices(tmp_path, kw, message):
    with pytest.raises(UnknownChoice, match=message):
        cr.prepare(output_dir=str(tmp_path), **kw)


@pytest.mark.full("every comparison figure drawn twice")
def test_figures_are_byte_identical_across_runs(tmp_path):
    cells = ("cr.build_table(run)", "one slope chart per poverty indicator", "share of each area's poverty counties")
    for d in ("a", "b"):  # the notebook's own table, slope and counties cells, twice (test_build checks whole builds)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(figures, "show", lambda *a, **k: None)
            run_notebook_cells(NOTEBOOK, tmp_path / d, "cr.prepare(", *cells)
    names = sorted(p.name for p in (tmp_path / "a" / "figures").iterdir())
    assert "comparisons_counties.png" in names and "comparisons_slope_poverty_incidence.png" in names
    for name in names:
        assert (tmp_path / "a" / "figures" / name).read_bytes() == (tmp_path / "b" / "figures" / name).read_bytes(), (
            name
        )
    assert (tmp_path / "a/tables/comparisons.csv").read_bytes() == (tmp_path / "b/tables/comparisons.csv").read_bytes()


# ----------------------------------------------------------------------------- the notebook under papermill


outputs_text = notebook_helpers.outputs_text


def read_table(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def find(rows, metric, region, year_or_period=None):
    got = [
        r
        for r in rows
        if r["metric"] == metric
        and r["region"] == region
        and (year_or_period is None or r["year_or_period"] == year_or_period)
    ]
    assert len(got) == 1, (metric, region, year_or_period, got)
    return got[0]


def test_default_run(report_tables):
    """The default run's table (the session's in-process build, the notebook's own calls) and the committed
    notebook's outputs, which nbval checks are what the cells give now (no second execution here)."""
    path = report_tables / "comparisons.csv"
    with open(path, encoding="utf-8") as fh:
        assert fh.readline().strip().split(",")[:9] == TABLE_HEAD
    t = read_table(path)
    # issue 26: Xiangxi's registered incidence against Wuling's (system not stated, regions.csv
    # poverty_measure) is a comparison across measurement systems: both levels (0.65%, 1.7%; doc004 and
    # doc000 rows) side by side, no gap or ratio (was matched, gap -1.05 pp, ratio 0.38235)
    end = find(t, "poverty_incidence: gap at end of period", "Xiangxi")
    assert (end["benchmark"], end["year_or_period"], end["status"]) == (
        "Wuling",
        "2019",
        "different measurement systems",
    )
    assert (float(end["value"]), float(end["benchmark_value"])) == (0.65, 1.7) and end["gap"] == end["ratio"] == ""
    start = find(t, "poverty_incidence: gap at start of period", "Xiangxi")
    assert (start["year_or_period"], start["status"]) == ("2013 vs 2011", "different measurement systems")
    # each side's log change: ln(0.65/31.93) = -3.8943, ln(1.7/26.3) = -2.7389 (was the pp changes -31.28, -24.6)
    change = find(t, "poverty_incidence: change over period", "Xiangxi")
    assert change["status"] == "different measurement systems" and change["gap"] == "" and change["ratio"] == ""
    assert float(change["value"]) == pytest.approx(-3.8943, abs=1e-4)
    assert float(change["benchmark_value"]) == pytest.approx(-2.7389, abs=1e-4)
    assert find(t, "poverty_incidence: gap to benchmark", "Luoxiao")["status"] == "not observed"
    # Hunan 2019 incidence (0.36%, external, registered) against Wuling 2019 (1.7%): across systems, no gap
    hunan = find(t, "poverty_incidence: gap at end of period", "Hunan")
    assert (hunan["status"], hunan["kinds"]) == ("different measurement systems", "external/document")
    assert hunan["gap"] == hunan["ratio"] == ""
    line = "rural_dibao_standard / poverty_line_current_prices"
    assert float(find(t, line, "Xiangxi", "2014")["ratio"]) == pytest.approx(0.70714, abs=1e-5)
    no2019 = find(t, line, "Xiangxi", "2019")
    assert no2019["status"] == "refused" and no2019["ratio"] == "" and "no 2019 value" in no2019["note"]
    tk = "extreme_poverty_support_standard / rural_dibao_standard"
    assert float(find(t, tk, "Xiangxi", "2014")["ratio"]) == pytest.approx(1.33333, abs=1e-5)
    assert float(find(t, tk, "Xiangxi", "2019")["ratio"]) == pytest.approx(1.22231, abs=1e-5)
    ms = "rural_dibao_monthly_assistance x12 / rural_dibao_standard"
    assert float(find(t, ms, "Xiangxi", "2014")["ratio"]) == pytest.approx(0.64242, abs=1e-5)
    inc = "rural_dibao_standard / rural_disposable_income"
    assert float(find(t, inc, "Xiangxi", "2014")["ratio"]) == pytest.approx(0.33611, abs=1e-5)
    assert find(t, inc, "Xiangxi", "2019")["status"] == "refused"
    cty = "poverty_counties_exited / poverty_counties_total"
    assert float(find(t, cty, "Wuling")["ratio"]) == pytest.approx(0.98592, abs=1e-5)
    assert float(find(t, cty, "Luoxiao")["ratio"]) == 1.0
    assert find(t, cty, "Xiangxi")["status"] == "refused"
    cagr = find(t, "rural_disposable_income: CAGR", "Xiangxi")
    # (9183/4229)^(1/6) - 1 = 0.13796 vs 3.3^(1/9) - 1 = 0.14186, different periods: not differenced
    assert float(cagr["value"]) == pytest.approx(0.13796, abs=1e-5)
    assert float(cagr["benchmark_value"]) == pytest.approx(0.14186, abs=1e-5)
    assert cagr["status"] == "different periods" and cagr["gap"] == ""
    # the figures: drawn in-process by tests/reports/test_figures_honest.py, displayed in the committed notebook
    nb = nbformat.read(paths.NOTEBOOKS / "comparisons.ipynb", as_version=4)
    text = outputs_text(nb)
    # issue 26: two measurement systems side by side, no gap (was "absolute gap narrowed from 5.63 to 1.05 pp");
    # ln(0.65/31.93) = -3.89, ln(1.7/26.3) = -2.74
    assert "Within each system: log change -3.89 for Xiangxi and -2.74 for Wuling area" in text
    assert "Luoxiao area has no poverty incidence" in text and "no 2019 value" in text
    assert "Traceback" not in text and str(paths.ROOT) not in text
    assert not re.search(r"0x[0-9a-f]{6,}", text)


def test_non_default_run(interactive):
    """Plain papermill without output_dir: reports/ untouched, outputs in build/interactive/test_compare_xh/."""
    _, out = interactive(
        "comparisons",
        "test_compare_xh",
        regions=["Xiangxi"],
        indicator="rural_disposable_income",
        benchmark="Hunan40",
        base_year=2015,
    )
    t = read_table(out / "tables" / "test_compare_xh.csv")
    row = find(t, "rural_disposable_income: gap at matched year", "Xiangxi", "2015")
    # 6648 / 7114 = 0.93450; 6648 - 7114 = -466 元
    assert row["benchmark"] == "Hunan40" and float(row["ratio"]) == pytest.approx(0.93450, abs=1e-5)
    assert float(row["gap"]) == -466
    assert not [r for r in t if "Wuling" in (r["region"], r["benchmark"])]
    assert (out / "figures" / "test_compare_xh_index.png").exists()
    assert (out / "figures" / "test_compare_xh_slope_rural_disposable_income.png").exists()


def test_documents_only_selection_says_what_is_lost(tmp_path):
    """include_external=False (in-process; the notebook runs under papermill in the tests around)."""
    run = cr.prepare(include_external=False, output_dir=str(tmp_path), run_name="docs")
    cr.build_table(run)
    t = read_table(tmp_path / "tables" / "docs.csv")
    row = find(t, "rural_dibao_standard / poverty_line_current_prices", "Xiangxi")
    assert row["status"] == "refused" and "include_external=False" in row["note"]
    end = find(t, "poverty_incidence: gap at end of period", "Xiangxi")
    # across measurement systems (issue 26): no ratio; the two document levels 0.65% and 1.7% side by side
    assert end["ratio"] == "" and float(end["benchmark_value"]) == 1.7 and end["kinds"] == "document/document"
    shown_figures: list[str] = []
    with pytest.MonkeyPatch.context() as mp:  # the notebook's ratio cell draws nothing and says why
        mp.setattr(figures, "show", lambda saved, caption: shown_figures.append(Path(saved["png"]).stem))
        ns = run_notebook_cells(NOTEBOOK, tmp_path, "cr.prepare(", "cr.build_table(run)", "the ratio of incomes and standards",
                                include_external=False, run_name="docs")  # fmt: skip
    assert any("No ratio to the poverty line can be computed" in str(getattr(m, "data", m)) for m in ns["shown"])
    assert "docs_ratio_to_poverty_line" not in shown_figures and "docs_standards" in shown_figures
    assert not (tmp_path / "figures" / "docs_ratio_to_poverty_line.png").exists()


def test_notebook_first_cell_validates_with_prepare(tmp_path):
    """A bad parameter fails in the notebook's first code cell, which calls prepare()."""
    from analysis.data.load import UnknownChoice

    nb = json.loads((paths.NOTEBOOKS / "comparisons.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"]["tags"] and "cr.prepare(" in "".join(code[1]["source"])
    with pytest.raises(UnknownChoice, match=r"unknown region 'Xiangxy'; valid choices:.*Luoxiao.*Xiangxi"):
        cr.prepare(regions=["Xiangxy", "Wuling"], output_dir=str(tmp_path))


def test_committed_notebook_has_outputs_and_the_conventions():
    nb = json.loads((paths.NOTEBOOKS / "comparisons.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "poverty-analysis"
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i:02d}" for i in range(len(nb["cells"]))]
    params = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1 and "'" not in "".join(params[0]["source"])
    src = "".join(params[0]["source"])
    for name in ("regions", "indicator", "base_year", "benchmark", "include_external", "output_dir", "run_name"):
        assert re.search(rf"^{name} = ", src, re.MULTILINE), name
    import papermill as pm

    # papermill parses every parameter line (an apostrophe or "=" in a comment breaks its parser)
    assert list(pm.inspect_notebook(str(paths.NOTEBOOKS / "comparisons.ipynb"))) == [
        "regions",
        "benchmark",
        "indicator",
        "growth_indicators",  # each section's indicators are parameters (the run definition)
        "period_end",
        "base_year",
        "poverty_line",
        "assistance",
        "income",
        "counties",
        "national",
        "national_indicators",
        "equivalents",
        "include_external",
        "vintage",  # h9: China's GDP on one vintage (single) or as published
        "output_dir",
        "run_name",
        "province",  # the provincial benchmark (tests/reports/test_hunan.py)
        "province_regions",
        "province_indicators",
        "province_windows",
    ]
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])]
    assert all(c.get("outputs") for c in code[:3]), "the committed notebook is executed"


def test_limits_quote_the_years_the_data_have(tmp_path):
    """The 'cannot support' items (Hunan, the common poverty period, the 2019 line) come from the run's data."""
    from analysis.reports import comparison_text as ct

    regions = ["Xiangxi", "Wuling", "Hunan"]
    with_ext = ct.cannot_support(cr.prepare(regions=regions, output_dir=str(tmp_path / "a")))
    docs = ct.cannot_support(cr.prepare(regions=regions, include_external=False, output_dir=str(tmp_path / "b")))
    # the limits are computed for any region (no Hunan sentence typed in Python)
    assert "Hunan's poverty incidence** is observed in 2015 (8.2%, document) and 2019 (0.36%, external)." in with_ext
    assert "Hunan's poverty incidence** is observed in 2015 (8.2%, document): a single year, so no trend." in docs
    assert (
        "Xiangxi's poverty incidence is observed 5 times in 2013-2019, Wuling area's 2 times in 2011-2019" in with_ext
    )
    assert (
        "only the 2019 gap is a same-year gap" in docs
        and "Xiangxi's poverty incidence is observed 2 times in 2013-2019" in docs
    )
    line = "line is in the data for 2011-2016 and about 4000 元 for 2020 (external); there is no 2019"
    assert line in with_ext and "The line is not in this run's data" in docs
