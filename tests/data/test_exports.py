"""Exports for papers and colleagues: Stata, Excel, LaTeX tables, PDF figures (in-process).

The Stata and Excel files are read back with pandas and openpyxl and compared with
``data/processed``; the build's two-build determinism check (tests/build/test_build.py) covers
them as written by the build.
"""

from __future__ import annotations

import io
import re
import zipfile

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest

from analysis import get_series, load_observations
from analysis.data import exports as dx
from analysis.data.load import UnknownChoice
from analysis.reports import exports as rx
from analysis.reports import figures
from analysis.reports import start_here as sh


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    paths_ = dx.write_exports(out)
    return out, paths_


@pytest.fixture(scope="module")
def processed():
    return {n: dx.read_processed(n) for n in ("observations", "claims", "sources")}


# ------------------------------------------------------------------------------------ Stata


def test_stata_reads_back_with_values_and_labels(written, processed):
    out, _ = written
    with pd.io.stata.StataReader(out / "observations.dta") as reader:
        df = reader.read()
        var_labels = reader.variable_labels()
        value_labels = reader.value_labels()
        assert reader.data_label.startswith("Poverty-alleviation observations")
    assert (out / "observations.dta").read_bytes().startswith(b"<stata_dta><header><release>118</release>")
    obs = processed["observations"]
    assert len(df) == len(obs) == len(load_observations(preferred_only=False))  # alternatives exported too
    assert list(df["obs_id"]) == list(obs["obs_id"])
    gdp = df.set_index("obs_id").loc["xiangxi.gdp.2019"]
    assert gdp["value"] == pytest.approx(705.7) and gdp["value_base"] == pytest.approx(70570000000.0)
    assert gdp["year"] == 2019 and gdp["unit"] == "亿元" and gdp["kind"] == "document" and gdp["region"] == "Xiangxi"
    assert "418.9亿元增加到705.7亿元" in gdp["quote"]  # Chinese text intact (UTF-8, version 118)
    ext = df.set_index("obs_id").loc["xiangxi.gdp.2015.ext"]
    assert ext["kind"] == "external" and ext["confidence"] in dx.VALUE_LABELS["confidence"] and ext["url"]
    # every value equals the processed CSV (missing stays missing)
    for col in ("value", "value_base", "value_low", "value_high"):
        expected = pd.to_numeric(obs[col].replace("", None)).to_numpy(dtype=float)
        assert df[col].to_numpy(dtype=float) == pytest.approx(expected, nan_ok=True), col
    for col in ("quote", "note", "unit", "value_printed"):
        assert list(df[col]) == list(obs[col]), col
    # labels: every variable, and the vocabularies as labelled integers
    assert set(var_labels) == set(dx.OBSERVATION_COLUMNS) and all(0 < len(v) <= 80 for v in var_labels.values())
    assert var_labels["value_base"] == "Value in base unit (yuan, persons, fraction)"
    assert value_labels["kind"] == {0: "document", 1: "external", 2: "derived"}
    assert list(value_labels["qualifier"].values()) == list(dx.VALUE_LABELS["qualifier"])
    assert set(value_labels["region"].values()) == set(obs["region"])
    assert set(value_labels["source_id"].values()) == set(obs["source_id"])


def test_stata_file_is_deterministic(written, processed):
    """Written again (in this process) it is the same file: the timestamp is fixed, not today's."""
    out, _ = written
    again = dx.stata_bytes(processed["observations"])
    assert again == (out / "observations.dta").read_bytes()
    assert dx.fixed_time().strftime("%d %b %Y").encode() in again[:200]  # the header's time stamp


def test_stata_stores_the_vocabularies_as_integers(written):
    out, _ = written
    raw = pd.read_stata(out / "observations.dta", convert_categoricals=False)
    assert pd.api.types.is_integer_dtype(raw["kind"]) or raw["kind"].dropna().eq(raw["kind"].dropna().round()).all()
    assert set(raw["kind"].dropna().astype(int)) <= {0, 1, 2}


def test_bad_vocabulary_value_names_file_row_and_column(processed):
    obs = processed["observations"].copy()
    obs.loc[3, "kind"] = "guess"
    with pytest.raises(ValueError, match=r"observations.csv, row 5, column 'kind': 'guess' is not one of document"):
        dx.stata_bytes(obs)


# ------------------------------------------------------------------------------------ Excel


def test_excel_has_the_sheets_values_and_column_guide(written, processed):
    out, _ = written
    wb = openpyxl.load_workbook(out / "observations.xlsx", read_only=True)
    assert wb.sheetnames == ["observations", "claims", "sources", "columns", "panel", "about"]
    obs_rows = list(wb["observations"].iter_rows(values_only=True))
    header = list(obs_rows[0])
    assert header == list(dx.OBSERVATION_COLUMNS)
    table = {r[header.index("obs_id")]: dict(zip(header, r, strict=True)) for r in obs_rows[1:]}
    assert len(table) == len(processed["observations"])
    gdp = table["xiangxi.gdp.2019"]
    assert gdp["value"] == pytest.approx(705.7) and gdp["year"] == 2019 and gdp["unit"] == "亿元"
    assert gdp["kind"] == "document" and "705.7亿元" in gdp["quote"]
    assert table["xiangxi.gdp.2013"]["value"] == pytest.approx(418.9)
    claims = list(wb["claims"].iter_rows(values_only=True))
    assert list(claims[0]) == list(processed["claims"].columns) and len(claims) - 1 == len(processed["claims"])
    sources = list(wb["sources"].iter_rows(values_only=True))
    assert {r[0] for r in sources[1:]} == set(processed["sources"]["source_id"])
    guide = list(wb["columns"].iter_rows(values_only=True))
    described = {(s, c): d for s, c, d in guide[1:]}
    for sheet in ("observations", "claims", "sources"):
        for col in processed[sheet].columns:
            assert described.get((sheet, col)), f"column {col} of sheet {sheet} is not explained"
    wb.close()


def test_excel_zip_is_deterministic(processed):
    a = dx.excel_bytes(processed["observations"], processed["claims"], processed["sources"])
    b = dx.excel_bytes(processed["observations"], processed["claims"], processed["sources"])
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and core.count("2000-01-01T00:00:00Z") == 2


def test_source_date_epoch_sets_the_fixed_time(monkeypatch, processed):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01
    data = dx.stata_bytes(processed["observations"])
    with pd.io.stata.StataReader(io.BytesIO(data)) as reader:
        reader.read()
        assert reader.time_stamp == "01 Jan 2020 00:00"


def test_exports_are_all_or_nothing(tmp_path, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(dx, "excel_bytes", boom)
    with pytest.raises(RuntimeError):
        dx.write_exports(tmp_path)
    assert not list(tmp_path.iterdir())  # the Stata file was not written alone


# ------------------------------------------------------------------------------------ panel


def test_in_series_flags_the_row_the_reports_use(written, processed):
    """2013 has a document row and a preferred external row of Xiangxi GDP: only the document is in the series."""
    out, _ = written
    df = pd.read_stata(out / "observations.dta").set_index("obs_id")
    # observations_xiangxi.csv (xiangxi.gdp.2013, doc004) and figures.csv (the 2013 bulletin, preferred = yes)
    assert df.loc["xiangxi.gdp.2013", "in_series"] == "yes"
    assert df.loc["xiangxi.gdp.2013.ext", "in_series"] == "no"
    assert df.loc["xiangxi.gdp.2013.ext", "preferred"] == "yes"  # preferred among the external rows only
    assert df.loc["xiangxi.gdp.2015.ext", "in_series"] == "yes"  # no document row in 2015
    assert df.loc["xiangxi.gdp.2015.ext.alt1", "in_series"] == "no"  # the 511.9 alternative
    assert df.loc["xiangxi.gdp.2014.ext.alt1", "in_series"] == "no"  # 2014 has only an alternative: no value
    # exactly the rows get_series uses, series by series
    flagged = df[df["in_series"] == "yes"]
    assert not flagged.reset_index().duplicated(["series_id", "year"]).any()
    for series_id in ("xiangxi.gdp", "china.rural_cpi_change", "hunan.gdp"):
        region, indicator = flagged.loc[flagged["series_id"] == series_id, ["region", "indicator"]].iloc[0]
        used = get_series(str(region), str(indicator))
        assert sorted(flagged.index[flagged["series_id"] == series_id]) == sorted(used["obs_id"]), series_id
    wb = openpyxl.load_workbook(out / "observations.xlsx", read_only=True)
    described = {(s_, c): d for s_, c, d in list(wb["columns"].iter_rows(values_only=True))[1:]}
    assert "the reports" in described[("observations", "in_series")]
    assert "alternative" in described[("observations", "preferred")]
    wb.close()


def test_panel_is_one_row_per_series_and_year(written, processed):
    out, _ = written
    panel = pd.read_csv(out / "panel.csv", encoding="utf-8")
    assert list(panel.columns) == list(dx.PANEL_COLUMNS)
    assert not panel.duplicated(["series_id", "year"]).any()
    obs = processed["observations"]
    assert len(panel) == int(dx.in_series(obs).sum()) < len(obs)  # alternatives and second kinds left out
    wide = panel.pivot(index="year", columns="series_id", values="value")  # the naive pivot works
    gdp = wide["xiangxi.gdp"].loc[2013:2019].dropna()
    # 2013 and 2019 from doc004, 2015-2018 the preferred external rows; 2014 has no preferred row
    assert gdp.to_dict() == {2013: 418.9, 2015: 497.19, 2016: 551.7, 2017: 585.0, 2018: 605.05, 2019: 705.7}
    slope = np.polyfit(gdp.index.to_numpy(dtype=float), np.log(gdp.to_numpy()), 1)[0]
    # OLS of ln GDP on year over 2013, 2015-2019: mean year 2016.333, Sxx = 23.333,
    # Sxy = 1.906028 (ln values 6.0376, 6.2090, 6.3130, 6.3716, 6.4053, 6.5592), slope 0.0816869,
    # exp(0.0816869) - 1 = 8.51%
    assert np.expm1(slope) == pytest.approx(0.085116, abs=1e-6)


def test_panel_dta_has_a_labelled_integer_series_id_for_xtset(written):
    out, _ = written
    with pd.io.stata.StataReader(out / "panel.dta") as reader:
        df = reader.read(convert_categoricals=False)
        labels = reader.variable_labels()
        value_labels = reader.value_labels()
    assert pd.api.types.is_integer_dtype(df["series_id"]) and pd.api.types.is_integer_dtype(df["year"])
    assert not df.duplicated(["series_id", "year"]).any()  # what xtset series_id year requires
    assert set(labels) == set(dx.PANEL_COLUMNS) and all(0 < len(v) <= 80 for v in labels.values())
    assert "xtset" in labels["series_id"]
    names = value_labels["series_id"]
    gdp = df[df["series_id"] == next(k for k, v in names.items() if v == "xiangxi.gdp")]
    assert gdp.set_index("year")["value"].to_dict()[2019] == pytest.approx(705.7)  # doc004
    assert 2014 not in set(gdp["year"])  # only an unverified alternative: no value
    wb = openpyxl.load_workbook(out / "observations.xlsx", read_only=True)
    rows = list(wb["panel"].iter_rows(values_only=True))
    assert list(rows[0]) == list(dx.PANEL_COLUMNS) and len(rows) - 1 == len(df)
    wb.close()


# ------------------------------------------------------------------------------------ LaTeX


def test_latex_table_is_booktabs_with_caption_label_and_escapes():
    shown = pd.DataFrame(
        {
            "series_id": ["xiangxi.gdp", "wuling.poor_population"],
            "cagr": ["9.08%", ""],
            "change": ["", "-744.00 万人"],
            "note": ["includes external values: 2015, 2016, 2018; trend on 5 points & more", "a count"],
        }
    )
    tex = rx.to_latex(shown, "Growth rates_of 100% series", "tab:growth_rates")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "\\caption{Growth rates\\_of 100\\% series}" in tex and "\\label{tab:growth_rates}" in tex
    assert "xiangxi.gdp & 9.08\\% &" in tex and "series\\_id" in tex and "5 points \\& more" in tex
    assert "-744.00 万人" in tex
    assert "{lr" in tex  # text left, numbers right
    assert "p{" in tex  # long text wraps


def test_latex_numbers_as_in_a_styler_and_longtable_for_long_tables():
    df = pd.DataFrame({"region": [f"r{i}" for i in range(30)], "ratio": [i / 3 for i in range(30)]})
    styler = df.style.format({"ratio": "{:.3f}"}).hide(axis="index")
    tex = rx.to_latex(styler, "Ratios", "tab:ratios")
    assert "r1 & 0.333 \\\\" in tex and "\\begin{longtable}" in tex and "{lr}" in tex


def test_outputs_latex_writes_beside_the_csv(tmp_path):
    from analysis.reports.outputs import outputs

    out = outputs(tmp_path)
    path = out.latex(pd.DataFrame({"a": ["x"], "b": ["1.50"]}), "demo", "Demo")
    assert path == tmp_path / "tables" / "demo.tex"
    assert path.read_text(encoding="utf-8").startswith("% Full-precision values: tables/demo.csv")


# ------------------------------------------------------------------------------------ PDF figures


def test_figures_save_writes_deterministic_vector_pdf(tmp_path, monkeypatch):
    monkeypatch.delenv(figures.FORMATS_ENV, raising=False)  # all formats, as in a build
    figures.setup()

    def draw(d):
        fig, ax = plt.subplots()
        ax.plot([2013, 2019], [418.9, 705.7])
        out = figures.save(fig, "demo", "Source: test.", d)
        plt.close(fig)
        return out

    a, b = draw(tmp_path / "a"), draw(tmp_path / "b")
    assert set(a) == {"png", "svg", "pdf"}
    for fmt in a:
        assert a[fmt].read_bytes() == b[fmt].read_bytes(), fmt
    pdf = a["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf and b"/Subtype /Image" not in pdf  # vector, no raster


def _demo_figure() -> plt.Figure:
    fig, ax = plt.subplots()
    ax.plot([2013, 2019], [418.9, 705.7])
    return fig


def test_figure_formats_outside_a_build_follow_the_environment(tmp_path, monkeypatch):
    """ANALYSIS_FIGURE_FORMATS restricts exploratory runs (PNG kept); a build writes all three."""
    monkeypatch.delenv(figures.FORMATS_ENV, raising=False)
    monkeypatch.delenv("ANALYSIS_BUILD_OUTPUT_DIR", raising=False)
    assert figures.formats() == ("png", "svg", "pdf")
    monkeypatch.setenv(figures.FORMATS_ENV, " PNG , pdf")
    assert figures.formats() == ("png", "pdf")
    first = figures.save(_demo_figure(), "demo", "Source: test.", tmp_path)
    assert set(first) == {"png", "pdf"}
    (tmp_path / "demo.svg").write_text("stale", encoding="utf-8")
    monkeypatch.setenv(figures.FORMATS_ENV, "png")
    assert set(figures.save(_demo_figure(), "demo", "Source: test.", tmp_path)) == {"png"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.png"]  # no stale vector copies beside it
    monkeypatch.setenv("ANALYSIS_BUILD_OUTPUT_DIR", str(tmp_path))
    assert figures.formats() == ("png", "svg", "pdf")  # the build ignores the restriction
    monkeypatch.delenv("ANALYSIS_BUILD_OUTPUT_DIR")
    for bad, says in (("png,eps", "unknown format(s) eps"), ("svg", "png is missing")):
        monkeypatch.setenv(figures.FORMATS_ENV, bad)
        with pytest.raises(
            ValueError, match=rf"ANALYSIS_FIGURE_FORMATS='{bad}': {re.escape(says)}; choose from png, svg, pdf"
        ):
            figures.formats()
    plt.close("all")


def test_source_note_is_wrapped_to_the_figure_width():
    """The note is broken at spaces so that no line is wider than the figure (measured in the font)."""
    note = "Source: curated from the five policy documents (data/raw); " * 6
    fig = _demo_figure()
    width = fig.get_size_inches()[0] * 72 * 0.97
    lines = figures.wrap_text(note.strip(), width)
    assert len(lines) > 1 and " ".join(lines) == note.strip()
    assert all(figures.text_width(line) <= width for line in lines)
    assert figures.text_width(lines[0] + " " + lines[1].split(" ")[0]) > width  # greedy: the next word did not fit
    assert figures.source_note(fig, note.strip()) == len(lines)
    assert figures.wrap_text("a\nb c", 1000) == ["a", "b c"]
    plt.close(fig)


# ------------------------------------------------------------------------------------ start here


def _start_here(**changed):
    """The template's run (its notebook's parameters cell) with ``changed`` parameters."""
    from analysis.build.runs import BY_NAME

    return sh.prepare(**{**BY_NAME["start_here"].defaults(), **changed})


def test_start_here_validates_parameters_with_choices():
    with pytest.raises(UnknownChoice, match="unknown region 'Atlantis'; valid choices: China"):
        _start_here(region="Atlantis")
    with pytest.raises(UnknownChoice, match="unknown driver for Xiangxi 'gdp_pc'"):
        _start_here(driver="gdp_pc")
    with pytest.raises(UnknownChoice, match=r"start_year=2014: Xiangxi gdp is not observed in 2014 .*2013, 2015"):
        _start_here(start_year=2014)
    with pytest.raises(UnknownChoice, match=r"unknown obs_id 'xiangxi\.gdp\.1999'"):
        _start_here(obs_id="xiangxi.gdp.1999")
    with pytest.raises(UnknownChoice, match="run_name"):
        _start_here(run_name="../x")


def test_start_here_documents_only_refuses_external_years(tmp_path):
    with pytest.raises(UnknownChoice, match="not observed in 2015"):
        _start_here(start_year=2015, include_external=False, output_dir=str(tmp_path))


def test_start_here_cites_quote_and_source():
    from analysis import observation

    text = sh.cite(observation("xiangxi.gdp.2019"))
    assert text.startswith("**705.7 亿元**") and "从418.9亿元增加到705.7亿元" in text and "doc004" in text
    ext = sh.cite(observation("xiangxi.gdp.2015.ext"))
    assert "external value" in ext and "http" in ext


def test_written_out_theme_equals_seaborns():
    """figures.THEME avoids importing seaborn in every kernel; it must stay what seaborn sets."""
    import seaborn as sns

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        sns.set_theme(style="whitegrid", context="notebook", font="DejaVu Sans")
        theirs = dict(matplotlib.rcParams)
    for key, value in figures.THEME.items():
        assert theirs[key] == value, key
    assert [tuple(c["color"]) for c in theirs["axes.prop_cycle"]] == [matplotlib.colors.to_rgb(c) for c in figures.DEEP]


def test_start_here_exploratory_run_with_other_parameters(interactive):
    """Plain papermill, no output_dir: reports/ untouched; CSV, LaTeX and figure in the scratch folder."""
    from notebook_helpers import outputs_text

    nb, out = interactive(
        "00_start_here",
        "test_start_here",
        indicator="gdp_per_capita",
        obs_id="xiangxi.poverty_incidence.2019",
        outcome="poor_population",
    )
    text = outputs_text(nb)
    assert "CAGR of **8.71%**" in text  # (26691/16171)^(1/6) - 1
    assert "log arc elasticity **-7.47**" in text  # ln(1.56 / 65.77) / ln(26691 / 16171) 万人, 元
    with open(out / "tables" / "test_start_here.csv", encoding="utf-8") as fh:
        values = [float(line.rsplit(",", 1)[1]) for line in fh.read().splitlines()[1:]]
    assert values == pytest.approx([0.087105, -7.46643], abs=1e-5)
    assert "\\label{tab:test_start_here}" in (out / "tables" / "test_start_here.tex").read_text(encoding="utf-8")
    assert {p.suffix for p in (out / "figures").glob("test_start_here_series.*")} == {
        f".{f}" for f in figures.formats()
    }
