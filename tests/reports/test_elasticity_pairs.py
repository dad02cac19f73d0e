"""The elasticity run definition in the notebook, its curated tables validated (issue 24).

* ``pairs`` (the notebook's parameters cell) is the run definition: a pair added by parameter
  gets its rows, with the value computed by hand from the data rows named below.
* ``data/raw/literature_bands.csv`` and ``data/raw/elasticity_notes.csv`` are validated: a
  damaged row is refused naming file, row and column.

Data rows used (data/raw/observations_xiangxi.csv): xiangxi.poverty_incidence.2013 = 31.93 %,
.2019 = 0.65 %; xiangxi.gdp.2013 = 418.9, .2019 = 705.7 (100 million yuan).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.data.load import UnknownChoice
from analysis.errors import DataError
from analysis.reports import elasticity as er
from analysis.reports import elasticity_select as es
from analysis.reports import elasticity_vocab as ev

GDP_PAIR = ["Xiangxi", "poverty_incidence", "gdp", None, "2013-2019"]
GDP_RUN = "xiangxi.poverty_incidence ~ gdp"


def test_the_notebook_declares_the_pairs_and_passes_them_to_prepare():
    nb = json.loads((paths.NOTEBOOKS / "elasticities.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert "pairs = [" in code[0] and "pairs=pairs" in code[1] and "national=national" in code[1]
    pairs = es.notebook_parameter("pairs")
    assert isinstance(pairs, list) and len(pairs) == 12  # one line per pair: 12 default runs (none skipped)
    assert ["Xiangxi", "poverty_incidence", "gdp_per_capita", None, "2013-2019"] in pairs


def test_a_pair_added_by_parameter_gets_its_row(tmp_path: Path):
    pairs = [*list(es.notebook_parameter("pairs")), GDP_PAIR]  # type: ignore[call-overload]  # object: a literal list
    run = er.prepare(pairs=pairs, output_dir=str(tmp_path))
    t = er.build_table(run)
    assert GDP_RUN in set(t["run"]) and len(run.runs) == 13
    r = t[(t["run"] == GDP_RUN) & (t["variant"] == "log_arc")].iloc[0]
    # ln(0.65/31.93) / ln(705.7/418.9) = -3.894329 / 0.521558 = -7.4667
    assert r["elasticity"] == pytest.approx(-7.4667, abs=1e-4)
    assert (r["outcome_window"], r["driver_window"]) == ("2013-2019", "2013-2019")
    # the 2019 GDP is on the fourth-census basis (params.GDP_BREAK_YEARS): the note says so
    assert "fourth-census GDP revision" in r["note"]
    # the band of GDP per capita is named beside aggregate GDP (literature_bands.csv row poverty_incidence,gdp)
    assert (r["literature_low"], r["literature_high"]) == (-2.3, -1.0)
    written = list(csv.DictReader((run.out.tables / "elasticities.csv").open(encoding="utf-8")))
    assert sum(w["run"] == GDP_RUN for w in written) == len(t[t["run"] == GDP_RUN])


def test_one_pair_alone_and_bad_pairs_are_refused(tmp_path: Path):
    run = er.prepare(pairs=[GDP_PAIR], variants=["midpoint"], output_dir=str(tmp_path))
    t = er.build_table(run)
    # midpoint: ((0.65-31.93)/16.29) / ((705.7-418.9)/562.3) = -1.920196 / 0.510048 = -3.7647
    assert list(t["run"]) == [GDP_RUN] and t["elasticity"].iloc[0] == pytest.approx(-3.7647, abs=1e-4)
    with pytest.raises(UnknownChoice, match=r"valid choices.*gdp_per_capita"):
        er.prepare(pairs=[["Xiangxi", "poverty_incidence", "gdp_per_capta"]], output_dir=str(tmp_path))
    with pytest.raises(UnknownChoice, match="is not a window"):
        er.prepare(pairs=[["Xiangxi", "poverty_incidence", "gdp", None, "2013 to 2019"]], output_dir=str(tmp_path))
    with pytest.raises(UnknownChoice, match=r"must be a list \[region, outcome, driver"):
        er.prepare(pairs=["Xiangxi"], output_dir=str(tmp_path))


def test_the_pair_notes_quote_the_data():
    spec = es.RunSpec("Xiangxi", "poverty_incidence_common_base", "gdp_per_capita", None, 2013, 2019)
    # the formula of row xiangxi.poverty_incidence_common_base.2013.derived, quoted from its note
    assert "65.77 / (1.56 / 0.65%)" in spec.note
    line = es.RunSpec("Xiangxi", "rural_dibao_standard", "poverty_line_current_prices", "China", 2014, 2019)
    assert (
        line.driver_price_indexed
        and line.note == "the poverty line in current prices is external and has no 2019 value"
    )
    assert not es.RunSpec("Xiangxi", "poverty_incidence", "gdp", None, 2013, 2019).note


def _raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("indicators.csv", "regions.csv", "literature_bands.csv", "elasticity_notes.csv"):
        shutil.copy(paths.RAW / name, raw / name)
    return raw


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (``row``: the line number, header = 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _problems(exc: pytest.ExceptionInfo[DataError]) -> list[tuple[str, int | None, str | None]]:
    return [(Path(p.file).name, p.row, p.column) for p in exc.value.problems]


def test_the_literature_bands_are_validated(tmp_path: Path):
    raw = _raw_copy(tmp_path)
    assert len(ev.load_literature_bands(raw)) == 7
    bands = raw / "literature_bands.csv"
    _edit(bands, 3, "low", "minus two")
    with pytest.raises(DataError) as exc:
        ev.load_literature_bands(raw)
    assert ("literature_bands.csv", 3, "low") in _problems(exc) and "not a number" in str(exc.value)
    shutil.copy(paths.RAW / "literature_bands.csv", bands)
    _edit(bands, 2, "high", "-3.5")  # high below low (-2.3)
    _edit(bands, 4, "outcome", "poverty_incidense")
    _edit(bands, 5, "citation", "")
    with pytest.raises(DataError) as exc:
        ev.load_literature_bands(raw)
    assert {("literature_bands.csv", 2, "high"), ("literature_bands.csv", 4, "outcome")} <= set(_problems(exc))
    assert ("literature_bands.csv", 5, "citation") in _problems(exc)


def test_the_pair_notes_are_validated(tmp_path: Path):
    raw = _raw_copy(tmp_path)
    notes = raw / "elasticity_notes.csv"
    _edit(notes, 4, "note", "2010 income {wuling.rural_disposable_income.2011.derived:value_printed}")
    _edit(notes, 3, "driver_price_indexed", "maybe")
    _edit(notes, 2, "region", "Xiangxy")
    with pytest.raises(DataError) as exc:
        ev.load_pair_notes(raw)
    assert {
        ("elasticity_notes.csv", 4, "note"),
        ("elasticity_notes.csv", 3, "driver_price_indexed"),
        ("elasticity_notes.csv", 2, "region"),
    } <= set(_problems(exc))
    assert "unknown observation 'wuling.rural_disposable_income.2011.derived'" in str(exc.value)


@pytest.mark.full("a second papermill run of the elasticity notebook")
def test_papermill_pairs_parameter_adds_the_row(tmp_path: Path):
    from notebook_helpers import run_notebook  # shared papermill helper (tests/notebook_helpers.py)

    run_notebook("elasticities", tmp_path, pairs=[GDP_PAIR], variants=["log_arc"])
    rows = list(csv.DictReader((tmp_path / "tables" / "elasticities.csv").open(encoding="utf-8")))
    # -3.894329 / 0.521558 = -7.4667 (as above)
    assert [r["run"] for r in rows] == [GDP_RUN] and float(rows[0]["elasticity"]) == pytest.approx(-7.4667, abs=1e-4)


def test_the_notebook_writes_its_narrative_from_the_table():
    """The committed notebook's sentences (f-strings over the table's rows; nbval keeps them current)."""
    nb = json.loads((paths.NOTEBOOKS / "elasticities.ipynb").read_text(encoding="utf-8"))
    text = "\n".join(
        "".join(o.get("data", {}).get("text/markdown", "")) for c in nb["cells"] for o in c.get("outputs", [])
    )
    # rows xiangxi.poverty_incidence.2013/.2019 = 31.93/0.65 %, xiangxi.gdp_per_capita.2013/.2019 = 16171/26691:
    # ln(0.65/31.93) / ln(26691/16171) = -3.894329 / 0.501106 = -7.7715
    assert "Log arc elasticity -7.77 (the literature's -2.3 to -1 is for survey headcounts against real GDP" in text
    # 20 estimates: 5 log arc + 5 midpoint + 4 semi + 6 window ratios; no pair has the 4 paired years an OLS needs
    assert "**Two endpoints, no inference**: 20 of the 20 computed numbers" in text
    assert "the log-log OLS was estimable for 0 of 12 runs" in text
