"""Figures say only what the data say (review F1-F8): notes from the encodings drawn, no line
across unobserved years, titles about the pair they name, caveats only where their data are used."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.lines import Line2D

from analysis import paths
from analysis.reports import comparison as cr
from analysis.reports import comparison_text as ct
from analysis.reports import figures
from analysis.reports import growth as gr
from analysis.reports import growth_text as gt
from helpers import drawn_encodings, run_notebook_cells

ROOT = Path(__file__).resolve().parents[2]
COMPARISONS = paths.NOTEBOOKS / "comparisons.ipynb"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """The figures the tests inspect, drawn once per module by the notebooks' own cells (the files are
    still written): ``{figure name: (figure, note)}``, and under ``"notes"`` the names of the China run's
    national, slope (poverty incidence) and ratio figures."""
    seen: dict = {}
    real_save = figures.save

    def save(fig, name, note, out_dir):
        seen[name] = (fig, note)
        return real_save(fig, name, note, out_dir)

    out = tmp_path_factory.mktemp("figures")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(figures, "save", save)
        mp.setattr(plt, "close", lambda *a, **k: None)  # keep the figures for inspection
        mp.setattr(figures, "show", lambda *a, **k: None)
        # the comparison figures, drawn by the notebook's own cells after its table cell (which fills every section)
        cells = ("cr.build_table(run)", "one slope chart per poverty indicator", "the ratio of incomes and standards",
                 "against China: rural income relative")  # fmt: skip
        run_notebook_cells(
            COMPARISONS, out / "china", "cr.prepare(", *cells, benchmark="China", run_name="china_comparisons"
        )
        notes = [f"china_comparisons_{n}" for n in ("national", "slope_poverty_incidence", "ratio_to_poverty_line")]
        run_notebook_cells(COMPARISONS, out / "default", "cr.prepare(", *cells[:2], run_name="comparisons")
        # the growth notebook's poverty figure, drawn by its own cell
        run_notebook_cells(paths.NOTEBOOKS / "growth_rates.ipynb", out / "growth", "gr.prepare(", 'by_mode("rate")')
    figs = dict(seen)
    yield {**figs, "notes": notes}
    for fig, _ in figs.values():
        plt.close(fig)


def test_encoding_note_names_exactly_the_encodings_given():
    note = figures.encoding_note({"external", "gap"})
    assert figures.note_of(note) == {"external", "gap"}
    assert "diamond" not in note and "filled circles" not in note
    with pytest.raises(ValueError, match="unknown figure encoding"):
        figures.encoding_note({"squares"})


def test_comparison_figure_notes_list_exactly_the_encodings_drawn(drawn):
    assert len(drawn["notes"]) >= 3
    for name in drawn["notes"]:
        fig, note = drawn[name]
        assert figures.note_of(note) == drawn_encodings(fig), name
        assert "open markers are external" not in note, name  # the old pasted legend


def test_national_panel_has_no_line_across_unobserved_years_and_every_china_year(drawn):
    fig, _ = drawn["china_comparisons_national"]
    right = fig.axes[1]
    china_years: set[int] = set()
    count_years: set[int] = set()
    for ln in right.get_lines():
        x = [float(v) for v in ln.get_xdata()]
        if len(x) > 1 and ln.get_linestyle() == "-":
            # a solid segment joins consecutive observed years only
            assert all(b - a == 1 for a, b in itertools.pairwise(x)), x
        if (
            ln.get_marker() == "o"
            and ln.get_linestyle() == "None"
            and ln.get_markeredgecolor() in ("0.2", (0.2, 0.2, 0.2, 1.0))
        ):
            china_years |= {int(v) for v in x}
        if ln.get_marker() == "o" and ln.get_markeredgecolor() in ("0.55", (0.55, 0.55, 0.55, 1.0)):
            count_years |= {int(v) for v in x}
    # data/raw/external/figures.csv, poverty_incidence China: 2010, 2011, 2012, 2014-2019 (no 2013 row):
    # every observed year is drawn (the old panel drew 2010-2011, 2015 and 2019 only as the common years);
    # 2011 is the poverty office's count, drawn apart from the NBS survey years and never joined to them
    assert china_years == {2010, 2012, 2014, 2015, 2016, 2017, 2018, 2019} and count_years == {2011}
    # the 2011 -> 2019 Wuling segment and the China 2012 -> 2014 step are dotted or absent, never solid
    solid = [
        (float(ln.get_xdata()[0]), float(ln.get_xdata()[-1]))
        for ln in right.get_lines()
        if ln.get_linestyle() == "-" and len(ln.get_xdata()) > 1
    ]
    assert (2011.0, 2019.0) not in solid and (2012.0, 2014.0) not in solid


@pytest.mark.parametrize(
    ("run_name", "pair"), [("comparisons", "(Xiangxi vs Wuling area)"), ("china_comparisons", "(Xiangxi vs China)")]
)
def test_slope_chart_is_about_the_headline_pair_on_calendar_years(drawn, run_name, pair):
    for ind in ("poverty_incidence", "poor_population"):
        fig, note = drawn[f"{run_name}_slope_{ind}"]
        assert fig._suptitle.get_text().endswith(pair)  # not the last region of the loop (Hunan)
        assert all(ax.get_xlabel().startswith(pair.strip("()")) for ax in fig.axes)
        # periods are drawn at their own years: Xiangxi's poverty incidence starts in 2013 (doc row
        # xiangxi.poverty_incidence.2013), the Wuling area's in 2011 (wuling.poverty_incidence.2011)
        xs = {int(x) for ax in fig.axes for ln in ax.get_lines() for x in ln.get_xdata()}
        assert min(xs) <= 2011 and 2013 in xs and 0 not in xs and 1 not in xs
        assert "Periods start in different years" in note


def test_growth_documents_only_has_no_2015_gdp_caveat(tmp_path):
    docs = gr.prepare(output_dir=str(tmp_path), include_external=False, run_name="growth_documents_only")
    gr.build_table(docs)
    full = gr.prepare(output_dir=str(tmp_path))
    gr.build_table(full)
    # the 2015 Xiangxi GDP is external only (xiangxi.gdp.2015.ext and its alternative): without external
    # values the run has no 2015 value, so neither the caveat nor its trend remark may appear
    assert 2015 not in set(docs.series["xiangxi.gdp"]["year"].astype(int))
    assert "2015" not in gt.caveats(docs)
    assert "Two GDP figures for 2015" in gt.caveats(full)


def test_china_comparisons_opens_with_its_own_question_and_table():
    nb = json.loads((ROOT / "notebooks" / "comparisons.ipynb").read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    assert "How does Xiangxi compare with the Wuling Mountain Area" not in first
    assert "tables/comparisons.csv" not in "".join("".join(c["source"]) for c in nb["cells"])


def test_comparison_question_names_the_benchmark_and_the_table(tmp_path):
    run = cr.prepare(output_dir=str(tmp_path), benchmark="China", run_name="china_comparisons")
    q = ct.question(run)
    assert "**China**" in q and "china_comparisons.csv" in q and "Wuling Mountain" not in q


def test_no_figure_text_claims_registered_basis_for_every_region(drawn):
    fig, note = drawn["growth_rates_poverty"]
    assert not fig._suptitle.get_text().startswith("Registered")  # the Wuling basis is not stated (F8)
    assert "basis" in note


def test_legend_handles_are_solid_even_when_the_first_segment_is_dotted():
    fig, ax = plt.subplots()
    import pandas as pd

    s = pd.DataFrame({"year": [2013, 2016, 2017], "value": [3.0, 2.0, 1.0], "kind": ["document"] * 3})
    drawn = figures.plot_points(ax, s, "C0", label="x")
    assert drawn == {"document", "gap"}
    handle = [ln for ln in ax.get_lines() if ln.get_label() == "x"]
    assert len(handle) == 1 and isinstance(handle[0], Line2D) and handle[0].get_linestyle() == "-"
    plt.close(fig)
