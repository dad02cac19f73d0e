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


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    r = gr.prepare(output_dir=tmp_path_factory.mktemp("growth"))
    gr.build_table(r)
    return r


def test_xiangxi_gdp_row_marks_external_vintages_and_the_missing_year(run):
    t = run.table[run.table["series_id"] == "xiangxi.gdp"]
    full, pre = t.iloc[0], t.iloc[1]
    assert full["years_used"] == "2013 2015 2016 2017 2018 2019" and full["missing_years"] == "2014"
    assert bool(full["external_used"]) and full["vintages"] == "2017 preliminary; 2018 preliminary"
    assert full["n_points"] == 6 and full["trend_growth"] == pytest.approx(0.085116, abs=1e-6)
    # without the census break: 2013-2018, five points, 3 degrees of freedom
    assert (pre["start_year"], pre["end_year"], pre["n_points"]) == (2013, 2018, 5)
    assert pre["trend_growth"] == pytest.approx(0.079172, abs=1e-6)
    docs_only = run.table[~run.table["external_used"].astype(bool)]
    assert set(docs_only["kinds_used"]) <= {"document", "derived document"}


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
    assert r["cagr_alternative"] == pytest.approx(r["cagr"]) == pytest.approx(0.0908163, abs=1e-6)
    assert r["trend_alternative"] == pytest.approx(0.0833096, abs=1e-6)
    assert r["trend_growth"] == pytest.approx(0.085116, abs=1e-6)


def test_narrative_names_missing_years_and_vintages(run):
    text = gr.narrate(run)
    gdp = next(line for line in text.splitlines() if line.startswith("- **Xiangxi GDP**"))
    assert "no value for 2014" in gdp and "2017 preliminary; 2018 preliminary" in gdp
    assert "4 degrees of freedom" in gdp and "3 degrees of freedom" in gdp


def test_documents_only_run_says_no_external_value(tmp_path):
    r = gr.prepare(include_external=False, output_dir=tmp_path, run_name="d")
    t = gr.build_table(r)
    assert not t["external_used"].any() and (t["vintages"] == "").all()
    assert figures.external_note(r.series.values()) == "No external values."


def test_figure_note_lists_external_values_and_vintages(run):
    note = figures.external_note([run.series["xiangxi.gdp"]])
    assert note == "External values: Xiangxi GDP 2015-2018 (preliminary: 2017-2018)."
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
    assert gr.build_table(r).iloc[0]["cagr"] == pytest.approx(0.088406, abs=1e-6)
    with pytest.raises(ValueError, match=r"valid choices: .*China"):
        gr.prepare(region="Chian")


def test_readme_growth_headlines_match_the_computed_values(run):
    """README.md types the headline numbers: they must be the ones the code computes."""
    from analysis import paths

    readme = " ".join((paths.ROOT / "README.md").read_text(encoding="utf-8").split())
    t = run.table[run.table["series_id"] == "xiangxi.gdp"]
    full, pre = t.iloc[0], t.iloc[1]

    def pct(v):
        return f"{100 * v:.2f}%"

    assert f"{pct(full['cagr'])} a year" in readme
    assert (
        f"{pct(full['trend_growth'])} a year (95% CI {pct(full['trend_ci_low'])} to {pct(full['trend_ci_high'])}, "
        f"{full['n_points'] - 2} degrees of freedom" in readme
    )
    assert f"{pct(pre['cagr'])} a year over {pre['start_year']}-{pre['end_year']}" in readme
    assert f"(trend {pct(pre['trend_growth'])}, {pre['n_points'] - 2} degrees of freedom)" in readme
    alt = gr.sensitivity(run).set_index("substitute").loc["xiangxi.gdp.2015.ext.alt1"]
    assert f"the trend is {pct(alt['trend_alternative'])}" in readme
    assert f"over 2014-2019 is {pct((16021 / 10489) ** (1 / 5) - 1)} a year" in readme
