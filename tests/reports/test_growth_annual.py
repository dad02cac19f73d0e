"""Growth report with the annual external values: every year a source gives, vintages and breaks marked.

Hand computations (figures.csv and document 004): Xiangxi GDP 2013 418.9 (doc), 2015 497.19,
2016 551.7, 2017 585 (preliminary), 2018 605.05 (preliminary), 2019 705.7 (doc, census basis);
2014 is in no source.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.reports import figures
from analysis.reports import growth as gr
from hand_values import pinned


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    r = gr.prepare(output_dir=tmp_path_factory.mktemp("growth"))
    gr.build_table(r)
    return r


def test_xiangxi_gdp_row_marks_external_vintages_and_the_missing_year(run):
    t = run.table[run.table["series_id"] == "xiangxi.gdp"]
    full, pre = t.iloc[0], t.iloc[1]
    assert full["years_used"] == "2013 2015 2016 2017 2018 2019" and full["missing_years"] == "2014"
    # h9: 2015 (xiangxi.gdp.2015.ext, 497.19 "as published") is preliminary by release: the row
    # xiangxi.gdp.2015.ext.alt2 (497, Hunan bureau ranking of 1 Feb 2016) gives the same figure as preliminary
    assert bool(full["external_used"]) and full["vintages"] == "2015 preliminary; 2017 preliminary; 2018 preliminary"
    assert full["n_points"] == 6 and full["trend_growth"] == pytest.approx(0.085116, abs=1e-6)
    # without the census break: 2013-2018, five points, 3 degrees of freedom
    assert (pre["start_year"], pre["end_year"], pre["n_points"]) == (2013, 2018, 5)
    assert pre["trend_growth"] == pytest.approx(0.079172, abs=1e-6)
    docs_only = run.table[~run.table["external_used"].astype(bool)]
    # "derived": the common-base incidence (issue 26) rests on document values only, through a derivation
    assert set(docs_only["kinds_used"]) <= {"document", "derived document", "derived"}


def test_levels_table_has_every_year_and_says_what_is_missing(run):
    lv = gr.levels_table(run)
    g = lv[lv["series_id"] == "xiangxi.gdp"].set_index("year")
    assert list(g.index) == list(range(2013, 2020))
    assert g.loc[2014, "value"] == "" and "not interpolated" in g.loc[2014, "note"]
    assert list(g.loc[[2017, 2018], "vintage"]) == ["preliminary", "preliminary"]
    assert (g.loc[2013, "kind"], g.loc[2013, "source"]) == ("document", "doc004")
    assert "series break" in g.loc[2019, "note"]
    assert "alternative not used: 511.9" in g.loc[2015, "note"]
    assert (run.out.tables / f"{run.name}_levels.csv").exists()


def test_sensitivity_shows_the_alternative_2015_gdp(run):
    s = gr.sensitivity(run).set_index("substitute")
    r = s.loc["xiangxi.gdp.2015.ext.alt1"]
    assert (r["value_used"], r["value_alternative"]) == (497.19, 511.9)
    # the endpoints are unchanged, so is the CAGR; the trend with 511.9: exp(0.0800208) - 1 = 8.3310%
    assert r["cagr_alternative"] == pytest.approx(r["cagr"])
    pinned(r["cagr"], "xiangxi gdp cagr 2013-2019")
    assert r["trend_alternative"] == pytest.approx(0.0833096, abs=1e-6)
    assert r["trend_growth"] == pytest.approx(0.085116, abs=1e-6)
    assert r["use"] == "replaces the value used"


def test_sensitivity_adds_the_unverified_2014_gdp_marked_as_such(run):
    # figures.csv rows 135 (Xiangxi 2014, 457 亿元, low, preferred=no, no preferred row): the
    # default series leaves 2014 unobserved; the sensitivity table adds it, labelled.
    assert 2014 not in set(run.series["xiangxi.gdp"]["year"])
    s = gr.sensitivity(run).set_index("substitute")
    r = s.loc["xiangxi.gdp.2014.ext.alt1"]
    assert r["use"] == "added: the year has no default value" and pd.isna(r["value_used"])
    assert (r["value_alternative"], r["confidence"]) == (457, "low")
    # OLS of ln GDP on year over 2013-2019 with 418.9, 457, 497.19, 551.7, 585, 605.05, 705.7:
    # slope 0.0816895 -> exp - 1 = 8.5168% (without 2014: 8.5116%)
    assert r["trend_alternative"] == pytest.approx(0.0851678, abs=1e-6)
    pinned(r["cagr_alternative"], "xiangxi gdp cagr 2013-2019")


def test_documents_only_run_says_no_external_value(tmp_path):
    r = gr.prepare(include_external=False, output_dir=tmp_path, run_name="d")
    t = gr.build_table(r)
    assert not t["external_used"].any() and (t["vintages"] == "").all()
    assert figures.external_note(r.series.values()) == "No external values."


def test_figure_note_lists_external_values_and_vintages(run):
    note = figures.external_note([run.series["xiangxi.gdp"]])
    # h9: the growth run's series carry the derived release label, so 2015 (497.19, which
    # xiangxi.gdp.2015.ext.alt2 gives as the preliminary 497) is marked preliminary in the figure note
    assert note == "External values: Xiangxi GDP 2015-2018 (preliminary: 2015, 2017-2018)."
    assert figures.year_ranges([2012, 2014, 2015, 2016, 2018]) == "2012, 2014-2016, 2018"
    frame = pd.DataFrame({"kind": ["document"], "year": [2013], "region": ["Xiangxi"], "indicator": ["gdp"]})
    assert figures.external_note([frame]) == "No external values."


def test_china_is_a_valid_growth_region(tmp_path):
    r = gr.prepare(region="China", indicator="rural_disposable_income", output_dir=tmp_path, run_name="c")
    t = gr.build_table(r)
    row = t.iloc[0]
    assert (row["start_year"], row["end_year"], row["n_points"]) == (2014, 2020, 7)
    r = gr.prepare(
        region="China", indicator="rural_disposable_income", start_year=2014, end_year=2019, output_dir=tmp_path
    )
    # (16021 / 10489) ** (1/5) - 1 = 8.84% a year, nominal
    pinned(gr.build_table(r).iloc[0]["cagr"], "china rural income cagr 2014-2019")
    with pytest.raises(ValueError, match=r"valid choices: .*China"):
        gr.prepare(region="Chian")


def test_elasticity_and_comparison_figure_notes_say_whether_external_values_entered(tmp_path):
    from analysis.reports import comparison as cr
    from analysis.reports import comparison_figures as cf
    from analysis.reports import elasticity as er
    from analysis.reports import elasticity_figures as ef

    e = er.prepare(output_dir=tmp_path, run_name="e")
    note = ef.external_note(e)
    assert (
        note.startswith("External values: ") and "China National poverty line (current prices) 2011-2016, 2020" in note
    )
    assert note.count("Xiangxi GDP per capita") == 1
    assert (
        ef.external_note(er.prepare(include_external=False, output_dir=tmp_path, run_name="d")) == "No external values."
    )
    c = cr.prepare(output_dir=tmp_path, run_name="c")
    cr.build_table(c)
    assert cf.external_note(c, "counties") == "No external values."
    assert cf.external_note(c, "poverty").startswith("External values enter ")
    d = cr.prepare(include_external=False, output_dir=tmp_path, run_name="cd")
    cr.build_table(d)
    assert all(cf.external_note(d, s) == "No external values." for s in ("poverty", "growth", "assistance", "counties"))
