"""The growth report's run definition is the notebook's ``series`` parameter, and its analysis is the notebook's cells.

A series is added by one line of the parameter (here Xiangxi's urban disposable income, which the
default run leaves out); a bad line is refused naming the entry, the valid choices and the closest
one. The figure and narrative checks execute the notebook's own cells (the levels figure, the
sentences) in-process, so they test the code an economist reads and edits.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import UnknownChoice
from analysis.reports import figures
from analysis.reports import growth as gr
from analysis.reports import growth_text as gt
from helpers import drawn_encodings, notebook_cell, run_notebook_cells

NOTEBOOK = paths.NOTEBOOKS / "growth_rates.ipynb"
URBAN = ["Xiangxi", "urban_disposable_income"]


def cell(marker: str) -> str:
    """The growth notebook's code cell containing ``marker`` (exactly one)."""
    return notebook_cell(NOTEBOOK, marker)


def run_cells(tmp_path, *markers: str, **parameters) -> dict:
    """The growth notebook's parameters and prepare cells, then those containing ``markers``
    (:func:`helpers.run_notebook_cells`); figures stay open for inspection with :func:`saved_figures`."""
    return run_notebook_cells(NOTEBOOK, tmp_path, "gr.prepare(", *markers, **parameters)


@pytest.fixture
def saved_figures(monkeypatch):
    """Every figure passed to figures.save, by name, with its note (the files are still written)."""
    seen: dict[str, tuple[plt.Figure, str]] = {}
    real_save = figures.save

    def save(fig, name, note, out_dir):
        seen[name] = (fig, note)
        return real_save(fig, name, note, out_dir)

    monkeypatch.setattr(figures, "save", save)
    monkeypatch.setattr(plt, "close", lambda *a, **k: None)
    monkeypatch.setattr(figures, "show", lambda *a, **k: None)
    return seen


# ------------------------------------------------------------------ the series parameter


def test_the_default_run_is_the_notebooks_series_parameter():
    series = gr.notebook_series()
    assert series[0] == ["Xiangxi", "gdp", 2013, 2019]  # the first line of the parameters cell
    assert ["Wuling", "poor_population", 2011, 2019] in series and len(series) == 17
    assert "DEFAULT_SERIES" not in dir(gr)


def test_a_series_added_by_the_parameter_gets_its_row(tmp_path):
    # data/processed/observations.csv: xiangxi.urban_disposable_income.2015.ext = 19267 and .2020.ext = 27900
    # (external, figures.csv), with 2016 (20810) and 2017 (22790) between; 2018 and 2019 in no source.
    series = [["Xiangxi", "gdp", 2013, 2019], [*URBAN, None, None]]  # the notebook's first line, and one more
    run = gr.prepare(series=series, output_dir=str(tmp_path))
    t = gr.build_table(run)
    row = t[(t["series_id"] == "xiangxi.urban_disposable_income") & (t["segment"] == "full period")].iloc[0]
    # (27900 / 19267) ** (1/5) - 1 = 1.448072 ** 0.2 - 1 = 7.6857%
    assert (row["start_year"], row["end_year"], row["n_points"]) == (2015, 2020, 4)
    assert row["cagr"] == pytest.approx((27900 / 19267) ** 0.2 - 1, abs=1e-9)
    assert row["cagr"] == pytest.approx(0.076857, abs=1e-6)
    assert row["missing_years"] == "2018 2019"  # named, not interpolated
    # the other series' row is unchanged by the added line: Xiangxi GDP (705.7/418.9)^(1/6) - 1 = 9.08%
    gdp = t[(t["series_id"] == "xiangxi.gdp") & (t["segment"] == "full period")].iloc[0]
    assert gdp["cagr"] == pytest.approx(0.0908163, abs=1e-6)


def test_the_series_parameter_as_papermill_passes_a_string(tmp_path):
    # `papermill -p series "[['Xiangxi', 'urban_disposable_income', 2015, 2017]]"`: a string, read as a literal
    run = gr.prepare(series=str([[*URBAN, 2015, 2017]]), output_dir=str(tmp_path), run_name="urban")
    row = gr.build_table(run).iloc[0]
    # (22790 / 19267) ** (1/2) - 1 = 1.182852 ** 0.5 - 1 = 8.7590%
    assert row["cagr"] == pytest.approx(0.087590, abs=1e-6)
    assert len(run.specs) == 1 and run.specs[0].series_id == "xiangxi.urban_disposable_income"


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (
            [["Xiangxi", "urban_disposible_income", 2015, 2020]],
            (
                r"series entry 1 .*unknown indicator for Xiangxi 'urban_disposible_income'; valid choices: .*"
                r"did you mean 'urban_disposable_income'"
            ),
        ),
        ([["Xiangix", "gdp", 2013, 2019]], r"unknown region 'Xiangix'; valid choices: .*did you mean 'Xiangxi'"),
        ([["Xiangxi", "gdp", 2013]], r"series entry 1 .*give \[region, indicator, start_year, end_year\]"),
        ([["Xiangxi", "gdp", "2O13", 2019]], r"series entry 1 .*start_year='2O13' is not a year"),
        ([["Xiangxi", "gdp"], ["Xiangxi", "gdp", 2013, 2019]], r"series entry 2 .*listed twice"),
        ([[*URBAN, 2014, 2020]], r"start_year 2014 is not observed for Xiangxi urban_disposable_income; .*2015"),
        ("[['Xiangxi', 'gdp'", r"parameter series=.* is not a valid list"),
        ([], r"series is empty"),
    ],
)
def test_a_bad_series_is_refused_with_the_valid_choices(tmp_path, series, message):
    with pytest.raises(UnknownChoice, match=message):
        gr.prepare(series=series, output_dir=str(tmp_path))


def test_region_and_indicator_select_from_the_series(tmp_path):
    series = [["Xiangxi", "gdp", 2013, 2019], [*URBAN, 2015, 2017], ["Wuling", "poor_population", 2011, 2019]]
    run = gr.prepare(series=series, region="Xiangxi", output_dir=str(tmp_path))
    assert [sp.series_id for sp in run.specs] == ["xiangxi.gdp", "xiangxi.urban_disposable_income"]
    assert (run.specs[1].start, run.specs[1].end) == (2015, 2017)  # the line's own years
    with pytest.raises(UnknownChoice, match="did you mean 'gdp'"):
        gr.prepare(series=series, indicator="gpd", output_dir=str(tmp_path))


# ------------------------------------------------------------------ the notebook's cells


def test_the_notebook_loop_builds_the_packaged_table(tmp_path):
    """The table cell's loop and `table_rows` (used without a kernel, e.g. by the README build) agree."""
    ns = run_cells(tmp_path, "rows.append(")
    again = gr.build_table(ns["run"])
    pd.testing.assert_frame_equal(ns["table"], again)
    assert list(again.columns) == list(gr.TABLE)


def test_levels_title_claims_equal_slopes_only_on_a_shared_scale(tmp_path, saved_figures):
    run_cells(tmp_path, "rows.append(", "_levels")
    fig, note = saved_figures["growth_rates_levels"]
    spans = {round(ax.get_ylim()[1] / ax.get_ylim()[0], 2) for ax in fig.axes if ax.get_visible()}
    title = fig._suptitle.get_text()
    assert len(spans) > 1  # the default panels have their own ranges (e.g. GDP 400-700 vs subsidy 50-60)
    assert "equal slopes = equal growth rates" not in title
    assert "compare slopes within a panel only" in title
    assert figures.note_of(note) == drawn_encodings(fig)  # the source note names what is drawn, no more
    # real lines (C2) are dashed between consecutive observed years only, dotted across unobserved ones
    # (Xiangxi rural income: no 2013 value, 2012 -> 2014)
    for ax in fig.axes:
        for ln in ax.get_lines():
            x = [float(v) for v in ln.get_xdata()]
            if ln.get_color() == "C2" and ln.get_linestyle() == "--" and len(x) == 2 and x[0] != x[1]:
                assert x[1] - x[0] == 1, x


def test_levels_figure_fits_each_side_of_a_break_apart(tmp_path, saved_figures):
    run_cells(tmp_path, "rows.append(", "_levels", series=[["Xiangxi", "gdp", 2013, 2019]])
    ax = saved_figures["growth_rates_levels"][0].axes[0]
    fits = [ln for ln in ax.get_lines() if ln.get_label().startswith("log-linear fit")]
    # one fit, 2013-2018: OLS of ln GDP on 2013, 2015-2018 gives exp(0.07620) - 1 = 7.9%
    assert [ln.get_label() for ln in fits] == ["log-linear fit 2013-2018: 7.9%/yr (descriptive)"]
    assert max(fits[0].get_xdata()) == 2018  # not drawn into the census-revised 2019
    bands = [c for c in ax.collections if c.get_label() == "95% band"]
    assert len(bands) == 1 and bands[0].get_paths()[0].vertices[:, 0].max() <= 2018


def test_cagr_figure_has_a_bar_per_row_with_a_cagr(tmp_path, saved_figures):
    ns = run_cells(tmp_path, "rows.append(", "gf.cagr_bars(run)")
    ax = saved_figures["growth_rates_cagr"][0].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == int(ns["table"]["cagr"].notna().sum())
    # bottom-up: the first table row (Xiangxi GDP 2013-2019, 9.08%) is the top bar
    assert labels[-1] == "Xiangxi GDP, 2013-2019"
    assert any(t.get_text() == "9.1% nominal" for t in ax.texts)


def test_narrative_sentences_come_from_the_table_rows(tmp_path):
    ns = run_cells(tmp_path, "rows.append(", "lines.append(")
    text = ns["shown"][0].data
    gdp = next(line for line in text.splitlines() if line.startswith("- **Xiangxi GDP**"))
    # table rows xiangxi.gdp 2013-2019 (CAGR (705.7/418.9)^(1/6) - 1 = 9.08%) and 2013-2018 (7.63%)
    assert "no value for 2014" in gdp and "2017 preliminary; 2018 preliminary" in gdp
    assert "CAGR 9.08% a year across the 2019 series break" in gdp and "no trend is fitted across it" in gdp
    # no trend across the 2019 census revision (issue 27): only the 2013-2018 fit, 5 points, 3 dof
    assert "before the 2019 break (2013-2018): CAGR 7.63% a year" in gdp
    assert "3 degrees of freedom" in gdp and "4 degrees of freedom" not in gdp
    line = next(line for line in text.splitlines() if "National poverty line" in line or "poverty line" in line)
    assert "no growth rate across a change of concept" in line


# ------------------------------------------------------------------ caveats from the data, not from ids


def test_caveats_follow_the_breaks_and_deflators_of_the_run(tmp_path):
    china = gr.prepare(series=[["China", "gdp", 2013, 2019]], output_dir=str(tmp_path), run_name="c")
    gr.build_table(china)
    text = gt.caveats(china)
    # China GDP on one vintage (vintage="single"): no census break inside, no 2015 alternative
    assert "Two GDP figures for 2015" not in text and "Census revision" not in text
    assert "Real GDP" in text  # indicators.csv: gdp deflator = volume (official real growth only)
    income = gr.prepare(series=[["Xiangxi", "rural_disposable_income", 2012, 2018]], output_dir=str(tmp_path))
    gr.build_table(income)
    text = gt.caveats(income)
    assert "Concept break in rural income" in text and "Real GDP" not in text  # the 2013 income-concept break
