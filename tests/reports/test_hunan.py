"""Hunan as the provincial benchmark: section ``province`` of the comparison table, its finding and vocabularies.

Every pinned value is computed by hand from the rows of ``data/processed/observations.csv``
named in the comment (xiangxi.gdp.2013/2019 and xiangxi.gdp_per_capita.2013/2019 from doc004,
the other xiangxi.* and every hunan.* value from external rows of
``data/raw/external/figures.csv``).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import get_series, load_observations
from analysis.build import findings as fnd
from analysis.build.runs import BY_NAME
from analysis.data import vocab
from analysis.data.load import UnknownChoice
from analysis.errors import DataError
from analysis.reports import comparison as cr
from analysis.reports import comparison_province as cp
from analysis.reports import comparison_province_figures as cpf
from analysis.reports import comparison_province_text as cpt


def _province_params() -> dict[str, object]:
    """The run definition: the notebook's parameters cell (literals), as the build passes them."""
    d = BY_NAME["comparisons"].defaults()
    return {k: d[k] for k in ("province", "province_regions", "province_indicators", "province_windows")}


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    run = cr.prepare(output_dir=str(tmp_path_factory.mktemp("hunan")), **_province_params())
    cr.build_table(run)
    t = run.table[run.table["section"] == "province"]
    assert len(t), "the default run has a province section"
    return t


def rows(t: pd.DataFrame, metric: str, region: str = "Xiangxi") -> pd.DataFrame:
    return t[(t["metric"] == metric) & (t["region"] == region)]


def one(t: pd.DataFrame, metric: str, period: str, region: str = "Xiangxi") -> pd.Series:
    hit = rows(t, metric, region)
    hit = hit[hit["year_or_period"] == period]
    assert len(hit) == 1, (metric, period, len(hit))
    return hit.iloc[0]


def test_the_notebook_defines_the_provincial_run():
    p = _province_params()
    assert p["province"] == "Hunan" and p["province_regions"] == ["Xiangxi"]
    assert p["province_windows"] == [[2013, 2018], [2013, 2019]]  # the lead window first: both before 2019
    assert {"gdp", "gdp_per_capita", "rural_dibao_standard"} <= set(p["province_indicators"])


def test_share_of_hunan_gdp_by_year(table):
    share = rows(table, "gdp: share of Hunan")
    share = share[share["status"] == "matched"]
    got = dict(zip(share["year_or_period"].astype(str), share["ratio"], strict=True))
    # xiangxi.gdp.* / hunan.gdp.*.ext (亿元; Hunan 2013 printed 2,450.17 billion yuan = 24501.7 亿元,
    # 2016 printed 3.12 trillion yuan = 31200 亿元, 2017 printed 3,459.056 billion CNY = 34590.56 亿元)
    assert got == pytest.approx(
        {
            "2013": 418.9 / 24501.7,  # 1.7097%
            "2016": 551.7 / 31200,  # 1.7683% (Hunan rounded to 0.01 trillion)
            "2017": 585 / 34590.56,  # 1.6912%
            "2018": 605.05 / 36425.8,  # 1.6610%
            "2019": 705.7 / 39752.1,  # 1.7753% (both on the fourth-census basis)
        },
        rel=1e-9,
    )
    assert round(100 * got["2013"], 3) == 1.710 and round(100 * got["2016"], 3) == 1.768
    # no Hunan GDP in 2014 (the unverified aggregator figure is preferred=no) or 2015: no share there
    assert not {"2014", "2015"} & set(rows(table, "gdp: share of Hunan")["year_or_period"].astype(str))
    n16 = one(table, "gdp: share of Hunan", "2016")["note"]
    assert "Hunan 2016 printed as 3.12 trillion yuan (3 significant digits: ±0.005 trillion yuan, ±0.16%)" in n16
    n19 = one(table, "gdp: share of Hunan", "2019")["note"]
    assert "2019 on the revised basis for both Xiangxi and Hunan (census revision)" in n19


def test_ratio_of_gdp_per_capita(table):
    r13 = one(table, "gdp_per_capita: relative to Hunan", "2013")
    r19 = one(table, "gdp_per_capita: relative to Hunan", "2019")
    assert r13["ratio"] == pytest.approx(16171 / 36763, rel=1e-12)  # 0.4399: xiangxi doc004, hunan 2013 communique
    assert r19["ratio"] == pytest.approx(26691 / 57540, rel=1e-12)  # 0.4639: both 2019 on the post-census basis
    assert round(r13["ratio"], 4) == 0.4399 and round(r19["ratio"], 4) == 0.4639
    assert "2019 on the revised basis for both Xiangxi and Hunan" in r19["note"]
    assert "revised basis" not in r13["note"]


def test_cagr_difference_like_for_like_and_across_the_census(table):
    lead = one(table, "gdp: CAGR difference with Hunan", "2013-2018")
    # Xiangxi (605.05/418.9)**(1/5)-1 = 7.63%; Hunan (36425.8/24501.7)**(1/5)-1 = 8.25%; -0.62 pp a year
    assert lead["value"] == pytest.approx((605.05 / 418.9) ** 0.2 - 1, rel=1e-12)
    assert lead["benchmark_value"] == pytest.approx((36425.8 / 24501.7) ** 0.2 - 1, rel=1e-12)
    assert lead["gap"] == pytest.approx(-0.0062295, abs=1e-7)
    assert lead["note"].startswith("like for like: 2013 and 2018 both before the 2019 census revision")
    assert "share of Hunan 1.710% in 2013, 1.661% in 2018" in lead["note"]
    cross = one(table, "gdp: CAGR difference with Hunan", "2013-2019")
    # Xiangxi (705.7/418.9)**(1/6)-1 = 9.08%; Hunan (39752.1/24501.7)**(1/6)-1 = 8.40%; +0.68 pp a year
    assert cross["gap"] == pytest.approx((705.7 / 418.9) ** (1 / 6) - (39752.1 / 24501.7) ** (1 / 6), rel=1e-9)
    assert round(100 * cross["gap"], 2) == 0.68
    assert cross["note"].startswith("crosses the 2019 census revision")
    pc = one(table, "gdp_per_capita: CAGR difference with Hunan", "2013-2019")
    # (26691/16171)**(1/6)-1 = 8.71% vs (57540/36763)**(1/6)-1 = 7.75%: ratio 0.4399 -> 0.4639, converging
    assert pc["gap"] == pytest.approx(0.0871046 - 0.0775228, abs=1e-6)
    assert "converging" in pc["note"] and pc["note"].startswith("crosses the 2019 census revision")
    not_obs = one(table, "gdp_per_capita: CAGR difference with Hunan", "2013-2018")
    assert not_obs["status"] == "not observed" and "Xiangxi 2018, Hunan 2018" in not_obs["note"]


def test_real_terms_refused_with_the_missing_years_from_the_data(table):
    real = one(table, "gdp: real CAGR difference with Hunan", "2013-2018")
    assert real["status"] == "refused" and pd.isna(real["gap"])
    obs = load_observations()
    hunan = sorted(obs.loc[obs["series_id"] == "hunan.gdp_real_growth", "year"].astype(int))
    assert hunan == [2013, 2017, 2019]  # hunan.gdp_real_growth.{2013,2017,2019}.ext: three years only
    # 2014-2018 needs every year 2014..2018: Hunan lacks 2014, 2015, 2016 and 2018
    assert "Hunan lacks 2014, 2015, 2016, 2018 (observed: 2013, 2017, 2019)" in real["note"]
    assert real["note"].startswith("nominal only: the official real growth (gdp_real_growth)")
    pc = one(table, "gdp_per_capita: real CAGR difference with Hunan", "2013-2019")
    assert pc["status"] == "refused" and "no official real growth is recorded for GDP per capita" in pc["note"]


def test_dibao_floor_annualised_explicitly_and_never_an_average(table):
    r = one(table, "rural_dibao_standard / rural_dibao_standard_min", "2014")
    # hunan.rural_dibao_standard_min.2014.ext = 165 元/月 x 12 = 1980 元/年 = xiangxi.rural_dibao_standard.2014
    assert (r["value"], r["benchmark_value"], r["ratio"]) == (1980, 165 * 12, 1.0)
    assert r["benchmark_unit"] == "元/年" and r["unit"] == "元/年"
    assert "converted explicitly: 165 元/月 x 12 = 1980 元/年" in r["note"]
    assert "provincial minimum rural dibao standard, a minimum (floor)" in r["note"] and "not an average" in r["note"]
    assert "Xiangxi's standard equals Hunan's minimum" in r["note"]
    avg = one(table, "rural_dibao_standard / rural_dibao_standard_avg", "2018")
    # hunan.rural_dibao_standard_avg.2018.ext = 4098 元/年 (per year: no conversion); Xiangxi has 2014 and 2019 only
    assert avg["status"] == "not observed" and avg["benchmark_value"] == 4098 and pd.isna(avg["ratio"])
    assert "x 12" not in avg["note"] and "observed in 2014, 2019, not 2018" in avg["note"]
    urban = one(table, "urban_dibao_standard / urban_dibao_standard_avg_grade1_2", "2018")
    assert urban["benchmark_value"] == 510 * 12 and "510 元/月 x 12 = 6120 元/年" in urban["note"]  # per month by grade
    assert "Xiangxi has no urban dibao standard" in urban["note"]


def test_the_unverified_2014_figure_stays_out_of_default_series(tmp_path):
    assert 2014 not in set(get_series("Hunan", "gdp")["year"])  # hunan.gdp.2014.ext.* is preferred=no only
    assert 2014 not in set(load_observations().query("series_id == 'hunan.gdp'")["year"])
    run = cr.prepare(output_dir=str(tmp_path), **{**_province_params(), "province_windows": [[2014, 2019]]})
    got = [c for c in cp.province_comparisons(run.province, run.obs) if c.metric == "gdp: CAGR difference with Hunan"]
    assert len(got) == 1 and got[0].status == "not observed"
    assert "Hunan 2014 exists only as an unverified alternative" in got[0].note and "preferred=no" in got[0].note


def test_limits_are_computed_from_the_data(tmp_path):
    run = cr.prepare(output_dir=str(tmp_path), **_province_params())
    text = cpt.limits(run.province, run.obs)
    assert "**Hunan GDP** is observed in 2013, 2016, 2017, 2018, 2019: 2014, 2015 missing" in text
    assert "official real growth (gdp_real_growth) only for 2013, 2017, 2019" in text
    assert "165 元/月 (per month), a minimum (floor)" in text and "4098 元/年 (per year), an average" in text
    assert "Low confidence:** Hunan" in text and "(nominal/real) not stated" in text  # the 2018 income growth


def test_parameters_are_validated(tmp_path):
    with pytest.raises(UnknownChoice, match="unknown province_indicators entry"):
        cr.prepare(output_dir=str(tmp_path), province="Hunan", province_indicators=["gpd"], province_windows=[])
    with pytest.raises(UnknownChoice, match=r"province_windows entry \[2018, 2013\] must be \[start, end\]"):
        cr.prepare(
            output_dir=str(tmp_path), province="Hunan", province_indicators=["gdp"], province_windows=[[2018, 2013]]
        )
    run = cr.prepare(output_dir=str(tmp_path), province=None)
    assert run.province is None and cp.province_comparisons(None, run.obs) == []


def test_vocabularies_hold_the_facts_and_are_validated(tmp_path):
    assert vocab.contains("Hunan", "Xiangxi") and not vocab.contains("Hunan", "Wuling")
    assert vocab.indicator_fact("rural_dibao_standard_min", "statistic") == "minimum"
    assert (
        vocab.indicator_fact("gdp", "additive") == "yes" and vocab.indicator_fact("gdp_per_capita", "additive") == "no"
    )
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(vocab.paths.RAW / "regions.csv", raw / "regions.csv")
    lines = (vocab.paths.RAW / "indicators.csv").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("rural_dibao_standard_min,"))
    lines[n] = lines[n].replace(",minimum,rural_dibao_standard,", ",floor,rural_dibao_standards,")
    (raw / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        vocab.load_indicators(raw)
    assert f"data/raw/indicators.csv, row {n + 1}, column 'statistic'" in str(e.value) or (
        f"indicators.csv, row {n + 1}, column 'statistic'" in str(e.value)
    )
    lines[n] = lines[n].replace(",floor,", ",minimum,")
    (raw / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=rf"row {n + 1}, column 'statistic_of': unknown indicator 'rural_dibao_standards'"
    ):
        vocab.load_indicators(raw)


def test_the_finding_states_the_like_for_like_window_first(report_tables):
    f = fnd.record(fnd.Context(report_tables, load_observations()), "province-benchmark")
    assert f.key == "province-benchmark" and f.period == "2013-2018"
    # 7.63% vs 8.25% (see above), -0.62 pp; share 418.9/24501.7 = 1.710% -> 605.05/36425.8 = 1.661%
    assert f.text.startswith(
        "Over 2013-2018 (2013 and 2018 both before the 2019 census revision), Xiangxi's GDP grew 7.63% a year "
        "against Hunan's 8.25%, 0.62 percentage points a year slower (nominal only: official real growth does not "
        "cover every year of the window on both sides)"
    )
    assert "its share of Hunan's GDP went from 1.710% to 1.661%" in f.text
    assert "across the census revision (2013-2019) it grew 0.68 pp a year faster" in f.text
    assert "GDP per capita was 0.44 of Hunan's in 2013 and 0.46 in 2019 (the later year on the revised basis" in f.text
    assert "Hunan's GDP for 2014, 2015 is not in the data" in f.text
    assert f.text.endswith(".") and f.text.count(". ") == 0
    assert set(f.inputs) >= {"xiangxi.gdp.2013", "hunan.gdp.2013.ext", "hunan.gdp.2018.ext"}
    assert f in fnd.collect(report_tables, load_observations())


def test_figure_draws_no_line_across_unobserved_years_or_the_census(tmp_path):
    # observed shares 2013, 2016-2018, 2019 (2019 after the break): three runs, a line only within 2016-2018
    assert cpf.observed_runs([2013, 2016, 2017, 2018, 2019], [2019]) == [[2013], [2016, 2017, 2018], [2019]]
    run = cr.prepare(output_dir=str(tmp_path), **_province_params())
    cr.build_table(run)
    # the notebook draws the panels with matplotlib, a line per observed run (the figure is drawn in the notebook)
    panels = cpf.province_panels(run.province, run.rows["province"])
    share = panels[0]
    assert (share.indicator, share.what) == ("gdp", "share of") and list(share.breaks) == [2019]
    xiangxi = share.values["Xiangxi"]
    assert sorted(xiangxi) == [2013, 2016, 2017, 2018, 2019]
    # 2013: xiangxi.gdp.2013 / hunan.gdp.2013.ext = 418.9 / 24501.7 = 1.710% (comparisons.csv, gdp: share of Hunan)
    assert xiangxi[2013] == pytest.approx(100 * 418.9 / 24501.7, abs=1e-9)
    runs = cpf.observed_runs(list(xiangxi), list(share.breaks))
    assert [r for r in runs if len(r) > 1] == [[2016, 2017, 2018]]  # 2013 and 2019 stand alone
    assert "%" in share.ylabel and "ratio" in panels[1].ylabel
    assert cpf.source_note(run.province, panels).startswith("Source: ")
