"""The growth notebook under papermill: non-default runs and bad parameters.

The default run is executed by papermill in ``test_build.py`` (the report build runs it
twice for the determinism check); its table and figures are checked there.
"""

from __future__ import annotations

import csv

import pytest

from analysis.reports import growth as gr


def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8")))


def test_non_default_run_from_the_issue(interactive):
    """Plain papermill without output_dir: reports/ untouched, outputs in build/interactive/test_growth_pc/."""
    _, out = interactive(
        "growth_rates",
        "test_growth_pc",
        region="Xiangxi",
        indicator="gdp_per_capita",
        start_year=2013,
        end_year=2019,
    )
    t = rows(out / "tables/test_growth_pc.csv")
    # 2013 and 2015 (external, 19488) are observed before the 2019 census break: a "without the break" row
    assert [(r["series_id"], r["start_year"], r["end_year"]) for r in t] == [
        ("xiangxi.gdp_per_capita", "2013", "2019"),
        ("xiangxi.gdp_per_capita", "2013", "2015"),
    ]
    assert float(t[0]["cagr"]) == pytest.approx(0.087105, abs=1e-6)  # (26691/16171)^(1/6) - 1
    assert float(t[1]["cagr"]) == pytest.approx(0.097780, abs=1e-6)  # (19488/16171)^(1/2) - 1
    assert t[0]["missing_years"] == "2014 2016 2017 2018" and t[0]["external_used"] == "True"
    assert (out / "figures" / "test_growth_pc_levels.png").exists()  # three points now: not endpoint-only
    assert "a CPI is not a GDP deflator" in t[0]["real_note"]


def test_documents_only_leaves_external_out(tmp_path):
    """include_external=False (in-process: the same prepare/build_table calls the notebook makes)."""
    run = gr.prepare(
        region="Xiangxi", indicator="gdp", include_external=False, output_dir=str(tmp_path), run_name="docs"
    )
    gr.build_table(run)
    t = rows(tmp_path / "tables/docs.csv")
    assert t[0]["n_points"] == "2" and t[0]["kinds_used"] == "document" and t[0]["trend_growth"] == ""
    # the default set without external values skips the series that only external sources give
    run = gr.prepare(include_external=False, output_dir=str(tmp_path), run_name="docs_default")
    assert "Xiangxi rural_disposable_income: fewer than two non-external years" in run.skipped


# The papermill round trip of a bad parameter (the run fails in the validation cell with the
# valid choices, and the error names the cell) is tested on this notebook in
# test_build.py::test_a_failing_run_names_its_cell_and_does_not_stop_the_others.


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"region": "Xiangxi", "indicator": "gpd"},
            "unknown indicator for Xiangxi 'gpd'; valid choices: .*gdp_per_capita",
        ),
        ({"region": "Xiangxi", "indicator": "gdp", "start_year": 2014}, "start_year 2014 is not observed .*2013, 2015"),
        ({"region": "Xiangxi", "indicator": "gdp", "start_year": 2019, "end_year": 2013}, "must be before"),
        ({"region": "Xiangxi", "indicator": "gdp", "base_year": 2014}, "base_year 2014 is not observed .*2013, 2015"),
        ({"include_external": "maybe"}, "must be True or False"),
        ({"start_year": "20l3"}, "is not a year"),
        ({"region": ["Xiangxi", "Wuling"], "indicator": ["gdp", "poor_population", "x"]}, "2 regions and 3 indicators"),
    ],
)
def test_bad_parameters_are_refused_with_the_valid_choices(tmp_path, params, message):
    """The same validation the notebook's first code cell runs (without a kernel)."""
    with pytest.raises(ValueError, match=message):
        gr.prepare(output_dir=str(tmp_path), **params)
