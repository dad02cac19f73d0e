"""One vintage and one denominator per series (issue 26, the GDP parts).

Every expected value is computed by hand from the rows of ``data/processed/observations.csv``
named in the comment (their ``obs_id``), never read back from the code under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.data.load import UnknownChoice, get_series, release_vintage, single_vintage
from analysis.metrics import elasticity as el
from analysis.reports import comparison as cr
from analysis.reports import growth as gr
from analysis.reports.elasticity_select import census_drift, population_note


@pytest.fixture(scope="module")
def growth(tmp_path_factory):
    run = gr.prepare(output_dir=str(tmp_path_factory.mktemp("growth")))
    gr.build_table(run)
    return run


def _row(t: pd.DataFrame, sid: str, start: int, end: int) -> pd.Series:
    m = t[(t["series_id"] == sid) & (t["start_year"] == start) & (t["end_year"] == end)]
    assert len(m) == 1, (sid, start, end)
    return m.iloc[0]


def test_china_gdp_single_vintage_is_the_fourth_census_series():
    s, ids = single_vintage("China", "gdp")
    # china.gdp.2013.ext.alt2 592963.2, .2014.ext.alt2 643563.1, .2015.ext.alt1 688858.2, .2016.ext.alt1 746395.1,
    # .2017.ext.alt1 832035.9, .2018.ext.alt1 919281 (the four "REVISED ... fourth national economic census" rows
    # of each year), then the preferred final 2019 figure china.gdp.2019.ext 986515 (after the last revised year)
    assert s["value"].tolist() == [592963.2, 643563.1, 688858.2, 746395.1, 832035.9, 919281.0, 986515.0]
    assert ids[0] == "china.gdp.2013.ext.alt2" and len(ids) == 6
    assert "china.gdp.2013.ext" not in set(s["obs_id"])  # the preliminary 568845 is not mixed in
    # Xiangxi has first releases only: nothing to substitute, the default series is returned
    x, xids = single_vintage("Xiangxi", "gdp")
    assert xids == () and x["value"].tolist() == get_series("Xiangxi", "gdp")["value"].tolist()


def test_china_gdp_growth_on_one_vintage(growth):
    r = _row(growth.table, "china.gdp", 2013, 2019)
    # (986515 / 592963.2) ** (1/6) - 1 = 1.663700 ** (1/6) - 1 = 8.854% (was 9.61% with the preliminary 568845)
    assert r["cagr"] == pytest.approx((986515 / 592963.2) ** (1 / 6) - 1, abs=1e-9)
    assert round(100 * r["cagr"], 2) == 8.85
    # one vintage: the 2019 census revision is not a break inside this series, so a trend is fitted
    assert r["crosses_break"] == "" and not math.isnan(r["trend_growth"])
    assert growth.substituted["china.gdp"][0] == "china.gdp.2013.ext.alt2"
    # Xiangxi keeps its break: first releases, then the fourth-census 2019 value
    assert _row(growth.table, "xiangxi.gdp", 2013, 2019)["crosses_break"] == "2019"


def test_published_vintages_are_a_labelled_sensitivity(growth):
    t = gr.sensitivity(growth)
    pub = t[(t["series_id"] == "china.gdp") & (t["vintage"] == "mixed")]
    assert len(pub) == 1
    # the preferred rows: (986515 / 568845) ** (1/6) - 1 = 9.61% (china.gdp.2013.ext, china.gdp.2019.ext)
    assert round(100 * pub.iloc[0]["cagr_alternative"], 2) == 9.61
    assert "2013 preliminary" in pub.iloc[0]["use"] and "2019 final" in pub.iloc[0]["use"]
    # the published run gives the old figure as its main row, with the 2019 break back
    run = gr.prepare(region="China", indicator="gdp", vintage="published", output_dir=growth.out.root)
    assert round(100 * gr.build_table(run).iloc[0]["cagr"], 2) == 9.61
    with pytest.raises(UnknownChoice, match="unknown vintage 'latest'; valid choices: single, published"):
        gr.prepare(vintage="latest")


def test_gdp_per_capita_2015_on_the_gdp_series_basis(growth):
    t = gr.sensitivity(growth)
    d = t[(t["series_id"] == "xiangxi.gdp_per_capita") & (t["vintage"] == "derived")]
    assert len(d) == 1 and d.iloc[0]["period"] == "2013-2015"
    # xiangxi.gdp_per_capita.2015.ext 19488 x xiangxi.gdp.2015.ext 497.19 / xiangxi.gdp.2015.ext.alt1 511.9
    # = 18927.99; 2013-15 CAGR (18927.99 / 16171) ** 0.5 - 1 = 8.19% against (19488 / 16171) ** 0.5 - 1 = 9.78%
    assert d.iloc[0]["value_alternative"] == pytest.approx(19488 * 497.19 / 511.9, abs=1e-6)
    assert round(100 * d.iloc[0]["cagr"], 2) == 9.78 and round(100 * d.iloc[0]["cagr_alternative"], 2) == 8.19
    # the rounded 497 (xiangxi.gdp.2015.ext.alt2) is the same figure, not another basis: no row for it
    assert d.iloc[0]["basis"] == "rebased to the gdp value used"
    levels = gr.levels_table(growth)
    note = levels[(levels["series_id"] == "xiangxi.gdp_per_capita") & (levels["year"] == 2015)].iloc[0]["note"]
    assert "on another basis than the gdp series' value of this year" in note
    assert "per person of the resident population (常住人口)" in note


def test_release_vintage_rule():
    x = get_series("Xiangxi", "gdp", preferred_only=False)
    label = dict(zip(x["obs_id"], release_vintage(x), strict=True))
    # 497.19 "as published": xiangxi.gdp.2015.ext.alt2 gives 497 (the same figure rounded) as preliminary
    assert label["xiangxi.gdp.2015.ext"] == "preliminary"
    # 511.9 is another figure (the inclusive basis) with no later revision in the data
    assert label["xiangxi.gdp.2015.ext.alt1"] == "first release"
    assert label["xiangxi.gdp.2016.ext"] == "first release" and label["xiangxi.gdp.2018.ext"] == "preliminary"
    c = get_series("China", "gdp", preferred_only=False)
    cl = dict(zip(c["obs_id"], release_vintage(c), strict=True))
    assert cl["china.gdp.2013.ext"] == "preliminary" and cl["china.gdp.2019.ext"] == "final"
    # a figure labelled "as published" for which the data hold a revision is preliminary
    obs = pd.DataFrame(
        {"region": ["X", "X"], "indicator": ["gdp"] * 2, "year": [2016, 2016], "value": [100.0, 101.5],
         "vintage": ["as published", "revised"]}
    )  # fmt: skip
    assert release_vintage(obs).tolist() == ["preliminary", "revised"]


def test_levels_table_shows_release_and_low_confidence(growth):
    levels = gr.levels_table(growth)
    assert list(levels.columns)[-1] == "release_vintage"
    china = levels[levels["series_id"] == "china.gdp"].set_index("year")
    assert china.loc[2013, "value"] == 592963.2 and china.loc[2013, "release_vintage"] == "revised"
    assert "external (low confidence)" in china.loc[2013, "note"]
    assert "published figure not used: 568845 (preliminary" in china.loc[2013, "note"]
    xg = levels[levels["series_id"] == "xiangxi.gdp"].set_index("year")
    assert xg.loc[2015, "release_vintage"] == "preliminary" and xg.loc[2016, "release_vintage"] == "first release"
    vintages = _row(growth.table, "xiangxi.gdp", 2013, 2019)["vintages"]
    assert vintages == "2015 preliminary; 2017 preliminary; 2018 preliminary"


def test_china_comparison_gdp_gap_on_one_vintage_is_labelled(tmp_path):
    run = cr.prepare(benchmark="China", output_dir=str(tmp_path), run_name="china_comparisons")
    t = cr.build_table(run)
    r = t[(t["metric"] == "gdp: CAGR") & (t["region"] == "Xiangxi")].iloc[0]
    # Xiangxi (705.7 / 418.9) ** (1/6) - 1 = 9.0816% (xiangxi.gdp.2013, .2019); China on one vintage 8.8544%:
    # difference +0.23 pp a year (was 9.0816 - 9.6104 = -0.53 with the preliminary 2013 figure)
    assert r["gap"] == pytest.approx((705.7 / 418.9) ** (1 / 6) - (986515 / 592963.2) ** (1 / 6), abs=1e-9)
    assert round(100 * r["gap"], 2) == 0.23
    assert "not like-for-like: China's series is on one vintage, Xiangxi's is not" in r["note"]
    assert "low-confidence values 2013 2014 2015 2016 2017 2019" in r["note"]
    pub = cr.prepare(benchmark="China", vintage="published", output_dir=str(tmp_path), run_name="pub")
    p = cr.build_table(pub)
    g = p[(p["metric"] == "gdp: CAGR") & (p["region"] == "Xiangxi")].iloc[0]
    assert round(100 * g["gap"], 2) == -0.53 and "not like-for-like" not in g["note"]


def test_driver_window_prefers_bracketing_document_years():
    # outcome 2014-2019; GDP per capita observed 2013 (document), 2015 (external), 2019 (document)
    assert el.choose_driver_window((2014, 2019), [2013, 2015, 2019], [2013, 2019]) == (2013, 2019)
    # without document years the old rule: the widest window inside the outcome window
    assert el.choose_driver_window((2014, 2019), [2013, 2015, 2019]) == (2015, 2019)
    # the outcome window observed by the driver always wins
    assert el.choose_driver_window((2015, 2019), [2013, 2015, 2019], [2013, 2019]) == (2015, 2019)
    # documents that do not bracket the window are not used
    assert el.choose_driver_window((2014, 2020), [2013, 2015, 2019, 2020], [2013, 2019]) == (2015, 2020)


def test_population_caveats():
    # xiangxi.resident_population_implied.2019.derived 264.4 / xiangxi.resident_population.2020.ext 248.8105
    # - 1 = 6.27% -> "6.3% above"
    assert "(264.4 万人, derived) is 6.3% above the 2020 census count (248.81 万人" in census_drift("Xiangxi")
    assert census_drift("Wuling") == ""
    n = population_note("poverty_incidence", "gdp_per_capita", "Xiangxi")
    assert n.startswith("mixed populations: the outcome is measured on the registered (户籍) rural population")
    assert "no census-consistent GDP per capita is computed" in n
    inc = population_note("poverty_incidence", "rural_disposable_income", "Xiangxi")
    assert "rural residents" in inc and "census" not in inc
    assert population_note("rural_dibao_standard", "gdp_per_capita", "Xiangxi").startswith("driver per person of")


def test_gdp_finding_names_preliminary_values(report_tables):
    from analysis.build import findings as fnd
    from analysis.data.load import load_observations

    found = {f.key: f for f in fnd.collect(report_tables, load_observations())}
    # lead window 2013-2018 of xiangxi.gdp: 2015 (497.19, same figure as the preliminary 497 of
    # xiangxi.gdp.2015.ext.alt2), 2017 (585) and 2018 (605.05) are preliminary releases
    assert "the 2015, 2017, 2018 values are preliminary releases, not revised back" in found["gdp-growth"].text
