"""Extending the reports as docs/development.md ("How to add a series, an indicator and a report") says.

* A series is one line of the growth notebook's ``series`` parameter: given to
  :func:`analysis.reports.growth.prepare` (in-process) and to ``notebooks/growth_rates.ipynb``
  through papermill, it is a row of the written table with the CAGR computed by hand.
* An indicator is CSV rows in a temporary copy of ``data/raw``: an ``indicators.csv`` row (every
  column), two observation rows quoting a document sentence that states both values; the
  processed data are built from the copy by ``make data``'s entry point
  (:func:`analysis.data.build.build`) and the loaders are pointed at the copy
  (``analysis.paths.RAW`` and ``analysis.paths.OBSERVATIONS_CSV``, read at call time); the growth
  report then finds the new indicator with its label from ``indicators.csv``.
* A pair of the elasticity report (its ``pairs`` parameter) and an indicator of the comparison
  report (its ``growth_indicators`` parameter) are rows of the written tables.

Every run writes into ``tmp_path`` (``output_dir``), never ``reports/``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.build import build
from analysis.reports import comparison as cr
from analysis.reports import elasticity as er
from analysis.reports import growth as gr
from analysis.reports.elasticity_select import notebook_parameter

URBAN = ["Xiangxi", "urban_disposable_income", 2015, 2017]
"""A series the growth notebook's default ``series`` does not list (external values only)."""

NEW = "dibao_monthly_payment_test_copy"
"""A synthetic test indicator, added only in a temporary copy of data/raw."""

NEW_LABEL = "Dibao monthly payment (test copy)"

QUOTE = "农村低保月人均救助水平由2014年的106元提升至2019年的206元,增幅 94%"
"""doc004, verbatim: the quote of the rows xiangxi.rural_dibao_monthly_assistance.2014/2019 of
data/raw/observations_xiangxi.csv, a sentence that states both values (106 and 206 元 a month)."""


def _quiet(fn, *args, **kwargs):
    """Call ``fn`` without its announcement of the output folder on stdout."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Append rows to a CSV of the copy as a spreadsheet saves them (every column of its header)."""
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    unknown = {c for r in rows for c in r} - set(header)
    assert not unknown, f"{path.name} has no column(s) {sorted(unknown)}"
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerows(
        [{c: r.get(c, "") for c in header} for r in rows]
    )
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def _full_period(table: pd.DataFrame, series_id: str) -> pd.Series:
    rows = table[(table["series_id"] == series_id) & (table["segment"] == "full period")]
    assert len(rows) == 1, f"{series_id}: {len(rows)} full-period rows in {list(table['series_id'])}"
    return rows.iloc[0]


# --- a series, by the growth notebook's `series` parameter ---------------------------------------


def test_a_series_added_by_the_series_parameter_is_a_row_of_the_growth_table(tmp_path):
    default = gr.notebook_series()
    assert not any(s[:2] == URBAN[:2] for s in default)  # really a new series
    run = _quiet(gr.prepare, series=[*default, URBAN], output_dir=str(tmp_path))
    _quiet(gr.build_table, run)
    written = pd.read_csv(tmp_path / "tables" / "growth_rates.csv")
    row = _full_period(written, "xiangxi.urban_disposable_income")
    assert (row["start_year"], row["end_year"], row["n_points"]) == (2015, 2017, 3)
    # rows xiangxi.urban_disposable_income.2015.ext (19267 元) and .2017.ext (22790 元), external
    # (data/raw/external/figures.csv): (22790/19267)**(1/2)-1 = 1.182852**0.5-1 = 8.759%
    assert row["cagr"] == pytest.approx(0.087590, abs=5e-7)
    assert bool(row["external_used"]) is True
    # the default series are still there: xiangxi.gdp 2013-2019 (705.7/418.9)**(1/6)-1 = 9.08%
    assert _full_period(written, "xiangxi.gdp")["cagr"] == pytest.approx(0.0908, abs=5e-5)
    assert written["series_id"].nunique() == len(default) + 1


def test_a_series_added_through_papermill_is_a_row_of_the_notebooks_table(tmp_path):
    from notebook_helpers import outputs_text, run_notebook

    nb = run_notebook(
        "growth_rates",
        tmp_path,
        series=[["Xiangxi", "gdp", None, None], URBAN],  # None, None: every observed year of the series
        run_name="growth_extended",
    )
    written = pd.read_csv(tmp_path / "tables" / "growth_extended.csv")
    assert set(written["series_id"]) == {"xiangxi.gdp", "xiangxi.urban_disposable_income"}
    # as above: (22790/19267)**(1/2)-1 = 8.759% (rows xiangxi.urban_disposable_income.2015/2017.ext)
    assert _full_period(written, "xiangxi.urban_disposable_income")["cagr"] == pytest.approx(0.087590, abs=5e-7)
    # None, None: 2013 (418.9, xiangxi.gdp.2013) to the last observed year, 2020 (725.1, xiangxi.gdp.2020.ext)
    gdp = _full_period(written, "xiangxi.gdp")
    assert (gdp["start_year"], gdp["end_year"]) == (2013, 2020)
    assert gdp["cagr"] == pytest.approx((725.1 / 418.9) ** (1 / 7) - 1, rel=1e-6)  # 8.1536%
    # the notebook's narrative sentence names it with its indicators.csv label and the CAGR
    assert "Xiangxi Urban disposable income per capita" in outputs_text(nb)
    assert "CAGR 8.76% a year" in outputs_text(nb)


# --- an indicator, by CSV rows in a copy of the data ---------------------------------------------


@pytest.fixture
def data_with_new_indicator(tmp_path, monkeypatch) -> Path:
    """A copy of data/raw with a new indicator (rows only), built; the loaders read the copy."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    _append_rows(
        raw / "indicators.csv",
        [
            {  # every column of indicators.csv (docs/data-curation.md, "Adding an indicator")
                "indicator": NEW,
                "label": NEW_LABEL,
                "measure": "standard",
                "description": "Synthetic test indicator: the average monthly dibao payment per recipient, again",
                "deflator": "rural_cpi",  # a money amount: deflated by the rural CPI
                "real_growth_indicator": "",
                "price_index": "",
                "real_note": "",
                "statistic": "",
                "statistic_of": "",
                "additive": "",
                "revision_basis": "",
                "per_capita_of": "",
                "population_basis": "",
                "annual_per_capita": "",  # a monthly amount, not yuan per person per year
                "change_measure": "",  # by unit: a CAGR
                "short_label": "dibao payment (test copy)",
                "system_dependent": "",
            }
        ],
    )
    # the unit 元/月 is already a row of units.csv (yuan per person per month): no units.csv row
    assert "元/月" in {r["unit"] for r in csv.DictReader(io.StringIO((raw / "units.csv").read_text(encoding="utf-8")))}
    _append_rows(
        raw / "observations_xiangxi.csv",
        [
            {
                "obs_id": f"xiangxi.{NEW}.{year}",
                "region": "Xiangxi",
                "indicator": NEW,
                "year": str(year),
                "value_printed": printed,
                "qualifier": "exact",
                "unit": "元/月",
                "value": printed,
                "kind": "document",
                "source_id": "doc004",
                "quote": QUOTE,
                "note": "added by tests/reports/test_extending.py in a temporary copy",
            }
            for year, printed in ((2014, "106"), (2019, "206"))
        ],
    )
    out = tmp_path / "processed"
    _quiet(build, raw, out)  # make data's Python entry (python -m analysis.data.build) on the copy
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "PROCESSED", out)
    monkeypatch.setattr(paths, "OBSERVATIONS_CSV", out / "observations.csv")
    return out


def test_an_indicator_added_by_csv_rows_is_a_row_of_the_growth_table(data_with_new_indicator, tmp_path):
    series = [["Xiangxi", NEW, None, None]]  # None, None: first and last observed year
    run = _quiet(gr.prepare, series=series, output_dir=str(tmp_path / "out"), run_name="growth_new")
    assert [(sp.label, sp.unit) for sp in run.specs] == [(NEW_LABEL, "元/月")]  # label from indicators.csv
    shown = gr.selection(run).iloc[0]  # the notebook's first output: the selected series
    assert (shown["label"], shown["period"], shown["observed years"]) == (NEW_LABEL, "2014-2019", "2014 2019")
    _quiet(gr.build_table, run)
    written = pd.read_csv(tmp_path / "out" / "tables" / "growth_new.csv")
    row = _full_period(written, f"xiangxi.{NEW}")
    assert (row["indicator"], row["start_year"], row["end_year"], row["n_points"]) == (NEW, 2014, 2019, 2)
    # rows xiangxi.dibao_monthly_payment_test_copy.2014 (106) and .2019 (206), doc004:
    # (206/106)**(1/5)-1 = 1.943396**0.2-1 = 14.212%
    assert row["cagr"] == pytest.approx(0.142121, abs=5e-7)
    assert row["kinds_used"] == "document"
    # the processed copy carries the label; data/processed itself does not know the indicator
    built = pd.read_csv(data_with_new_indicator / "observations.csv")
    assert set(built.loc[built["indicator"] == NEW, "label"]) == {NEW_LABEL}


# --- a pair of the elasticity report, an indicator of the comparison report -----------------------


def test_a_pair_added_by_the_pairs_parameter_is_a_row_of_the_elasticity_table(tmp_path):
    new = ["Xiangxi", "rural_dibao_monthly_assistance", "extreme_poverty_support_standard", None, "2014-2019"]
    default = notebook_parameter("pairs")
    assert isinstance(default, list) and new not in default
    run = _quiet(er.prepare, pairs=[*default, new], output_dir=str(tmp_path))
    _quiet(er.build_table, run)
    written = pd.read_csv(tmp_path / "tables" / "elasticities.csv")
    mine = written[
        (written["outcome"] == "rural_dibao_monthly_assistance")
        & (written["driver"] == "extreme_poverty_support_standard")
    ].set_index("variant")
    # rows xiangxi.rural_dibao_monthly_assistance.2014/2019 (106, 206 元/月) and
    # xiangxi.extreme_poverty_support_standard.2014/2019 (2640, 4800 元/年), doc004:
    # log arc: ln(206/106)/ln(4800/2640) = 0.664437/0.597837 = 1.1114
    assert mine.loc["log_arc", "elasticity"] == pytest.approx(1.111402, abs=5e-7)
    assert mine.loc["log_arc", "elasticity"] == pytest.approx(math.log(206 / 106) / math.log(4800 / 2640))
    # midpoint: ((206-106)/156) / ((4800-2640)/3720) = 0.641026/0.580645 = 1.1040
    assert mine.loc["midpoint", "elasticity"] == pytest.approx(1.103989, abs=5e-7)
    assert (mine.loc["log_arc", "outcome_window"], mine.loc["log_arc", "driver_window"]) == ("2014-2019", "2014-2019")
    # the default pairs are still computed
    assert ((written["outcome"] == "poverty_incidence") & (written["driver"] == "gdp_per_capita")).any()


def test_an_indicator_added_by_a_parameter_is_a_row_of_the_comparison_table(tmp_path):
    run = _quiet(
        cr.prepare,
        growth_indicators=["rural_disposable_income", "gdp_per_capita", "gdp", "urban_disposable_income"],
        output_dir=str(tmp_path),
    )
    _quiet(cr.build_table, run)
    written = pd.read_csv(tmp_path / "tables" / "comparisons.csv")
    row = written[(written["metric"] == "urban_disposable_income: CAGR") & (written["region"] == "Xiangxi")]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["section"], row["year_or_period"]) == ("growth", "2015-2017")
    # rows xiangxi.urban_disposable_income.2015.ext (19267) and .2017.ext (22790); 2020 is after
    # period_end 2019: (22790/19267)**(1/2)-1 = 8.759%
    assert row["value"] == pytest.approx(0.087590, abs=5e-6)
    # the default comparison regions are all in the table (Xiangxi, Hunan, Hunan40, Luoxiao against Wuling)
    assert {"Xiangxi", "Hunan", "Hunan40", "Luoxiao"} <= set(written["region"])


def test_a_region_added_by_the_regions_parameter_is_in_the_comparison_table(tmp_path):
    regions = ["Xiangxi", "Wuling", "Hunan", "Hunan40", "Luoxiao", "China"]
    run = _quiet(cr.prepare, regions=regions, output_dir=str(tmp_path), run_name="comparisons_china")
    _quiet(cr.build_table, run)
    written = pd.read_csv(tmp_path / "tables" / "comparisons_china.csv")
    china = written[(written["region"] == "China") & (written["metric"] == "rural_disposable_income: CAGR")]
    assert len(china) == 1
    # China rural income, external rows china.rural_disposable_income.2014.ext (10489 元) and
    # .2019.ext (16021 元): (16021/10489)**(1/5)-1 = 1.527410**0.2-1 = 8.84%, beside the benchmark's
    # (Wuling) period 2010-2019
    assert china.iloc[0]["year_or_period"] == "2014-2019 vs 2010-2019"
    assert china.iloc[0]["value"] == pytest.approx(0.088406, abs=5e-6)
    assert china.iloc[0]["value"] == pytest.approx((16021 / 10489) ** 0.2 - 1, abs=5e-6)
