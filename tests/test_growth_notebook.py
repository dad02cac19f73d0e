"""The growth notebook under papermill: non-default runs and bad parameters.

The default run is executed by papermill in ``test_build.py`` (the report build runs it
twice for the determinism check); its table and figures are checked there.
"""

from __future__ import annotations

import csv

import pytest
from papermill.exceptions import PapermillExecutionError

from analysis import growth_report as gr
from notebook_helpers import outputs_text, run_notebook


def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8")))


def test_non_default_run_from_the_issue(tmp_path):
    run_notebook("growth_rates", tmp_path, region="Xiangxi", indicator="gdp_per_capita", start_year=2013,
                 end_year=2019, run_name="pc")
    t = rows(tmp_path / "tables/pc.csv")
    # the per-capita GDP series crosses the 2019 census break: full period plus "without the break"
    assert [(r["series_id"], r["start_year"], r["end_year"]) for r in t] == [("xiangxi.gdp_per_capita", "2013", "2019")]
    assert float(t[0]["cagr"]) == pytest.approx(0.087105, abs=1e-6)      # (26691/16171)^(1/6) - 1
    assert (tmp_path / "figures" / "pc_dumbbell.png").exists()


def test_documents_only_leaves_external_out(tmp_path):
    run_notebook("growth_rates", tmp_path, region="Xiangxi", indicator="gdp", include_external=False,
                 run_name="docs")
    t = rows(tmp_path / "tables/docs.csv")
    assert t[0]["n_points"] == "2" and t[0]["kinds_used"] == "document" and t[0]["trend_growth"] == ""


def test_bad_parameter_fails_in_the_first_code_cell(tmp_path):
    with pytest.raises(PapermillExecutionError, match="unknown region 'Xiangxy'; valid choices: .*Xiangxi") as exc:
        run_notebook("growth_rates", tmp_path, region="Xiangxy")
    # parameters (1), papermill's injected parameters (2), then the validation cell (3)
    assert exc.value.exec_count == 3 and "gr.prepare(" in exc.value.source


@pytest.mark.parametrize("params,message", [
    ({"region": "Xiangxi", "indicator": "gpd"}, "unknown indicator for Xiangxi 'gpd'; valid choices: .*gdp_per_capita"),
    ({"region": "Xiangxi", "indicator": "gdp", "start_year": 2014}, "start_year 2014 is not observed .*2013, 2015"),
    ({"region": "Xiangxi", "indicator": "gdp", "start_year": 2019, "end_year": 2013}, "must be before"),
    ({"region": "Xiangxi", "indicator": "gdp", "base_year": 2014}, "base_year 2014 is not observed .*2013, 2015"),
    ({"include_external": "maybe"}, "must be True or False"),
    ({"start_year": "20l3"}, "is not a year"),
    ({"region": ["Xiangxi", "Wuling"], "indicator": ["gdp", "poor_population", "x"]}, "2 regions and 3 indicators"),
])
def test_bad_parameters_are_refused_with_the_valid_choices(tmp_path, params, message):
    """The same validation the notebook's first code cell runs (without a kernel)."""
    with pytest.raises(ValueError, match=message):
        gr.prepare(output_dir=str(tmp_path), **params)
