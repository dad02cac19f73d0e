"""What is known about an indicator, region or unit lives in the vocabularies under data/raw/.

An indicator is added by CSV rows only (in a temporary copy of the data: rows of
``indicators.csv``, two observation rows with their quotes, a derivation rule in
``derivations.csv``), ``make data``'s entry point (:func:`analysis.data.build.build`) runs on
the copy, and the new indicator is in the processed output with its label, its values, a
growth computed from them and its derived value. A damaged new column is refused naming
file, row and column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.data import vocab
from analysis.data.build import build
from analysis.data.load import get_series, load_observations
from analysis.data.raw import load_raw
from analysis.errors import DataError
from analysis.metrics import compare, growth
from analysis.reports import figures

NEW = "tekun_living_standard_copy"
"""The indicator the tests add (in a temporary copy of data/raw only)."""

QUOTE = (
    "湘西州保障农村特困人员共计1.28万人,2014年以来,特困供养人员的基本生活费标准从每人每年2640元"
    "增长到2019年的4800元,增幅为82%,累计发放资金3.1亿元。"
)
"""Document doc004, verbatim (the rows xiangxi.extreme_poverty_support_standard.2014/2019 quote it too)."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    """Append rows to a CSV as a spreadsheet would save them (every column; empty when not given)."""
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerows(
        [{c: r.get(c, "") for c in header} for r in rows]
    )
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def _set_cell(path: Path, row: int, column: str, text: str) -> None:
    """Set one cell (``row`` = the file's line number, header = 1)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _line_of(path: Path, column: str, value: str) -> int:
    """The line number (header = 1) of the first row whose ``column`` is ``value``."""
    return next(i for i, r in enumerate(_rows(path), start=2) if r[column] == value)


def _add_indicator(raw: Path) -> None:
    """The rows a curator adds for a new indicator: its vocabulary row, two observations, a derivation."""
    _append(
        raw / "indicators.csv",
        [
            {
                "indicator": NEW,
                "label": "Tekun basic living standard (test copy)",
                "measure": "standard",
                "description": "Basic living standard of extreme-poverty (特困) support, yuan per person per year",
                "deflator": "rural_cpi",
            },
            {
                "indicator": f"{NEW}_over_dibao",
                "label": "Tekun standard over dibao standard",
                "measure": "multiple",
                "description": "Derived: the tekun standard as a multiple of the rural dibao standard",
            },
        ],
    )
    obs = [
        {
            "obs_id": f"xiangxi.{NEW}.{year}",
            "region": "Xiangxi",
            "indicator": NEW,
            "year": str(year),
            "value_printed": printed,
            "qualifier": "exact",
            "unit": "元/年",
            "value": printed,
            "kind": "document",
            "source_id": "doc004",
            "quote": QUOTE,
            "note": "added by tests/data/test_vocabularies.py in a temporary copy",
        }
        for year, printed in ((2014, "2640"), (2019, "4800"))
    ]
    _append(raw / "observations_xiangxi.csv", obs)
    _append(
        raw / "derivations.csv",
        [
            {
                "derived": f"{NEW}_over_dibao",
                "rule": "ratio",
                "numerator": NEW,
                "numerator_unit": "元/年",
                "denominator": "rural_dibao_standard",
                "denominator_unit": "元/年",
                "unit": "倍",
                "formula": "tekun standard / dibao standard ({num} {num_unit} / {den} {den_unit})",
                "description": "The tekun standard as a multiple of the rural dibao standard (same region, year, source)",
            }
        ],
    )


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> Path:
    """A copy of data/raw with the new indicator, built into <tmp>/out; returns the processed observations."""
    import shutil

    from analysis import paths

    base = tmp_path_factory.mktemp("vocab")
    raw = base / "raw"
    shutil.copytree(paths.RAW, raw)
    _add_indicator(raw)
    build(raw, base / "out")
    return base / "out" / "observations.csv"


def test_a_new_indicator_by_csv_rows_is_in_the_processed_output(added):
    rows = load_observations(path=added)
    mine = rows[rows["indicator"] == NEW].sort_values("year")
    assert list(mine["year"]) == [2014, 2019]
    assert set(mine["label"]) == {"Tekun basic living standard (test copy)"}
    assert list(mine["value"]) == [2640, 4800] and set(mine["base_unit"]) == {"yuan/year"}
    s = get_series("Xiangxi", NEW, path=added)
    # rows xiangxi.tekun_living_standard_copy.2014/2019 (doc004): (4800/2640)**(1/5)-1 = 1.818182**0.2-1 = 12.70%
    g = growth.cagr(float(s["value"].iloc[0]), float(s["value"].iloc[-1]), 5)
    assert g == pytest.approx(0.127014, abs=5e-6)
    assert g == pytest.approx((4800 / 2640) ** 0.2 - 1)


def test_the_new_derivation_rule_derives_its_value(added):
    rows = load_observations(path=added)
    d = rows[rows["indicator"] == f"{NEW}_over_dibao"].set_index("year")
    assert set(d["kind"]) == {"derived"} and set(d["unit"]) == {"倍"}
    assert set(d["label"]) == {"Tekun standard over dibao standard"}
    # 2014: tekun 2640 / dibao 1980 (xiangxi.rural_dibao_standard.2014, doc004) = 1.3333 -> 1.33
    # 2019: tekun 4800 / dibao 3927 (xiangxi.rural_dibao_standard.2019, doc004) = 1.2223 -> 1.22
    assert d.loc[2014, "value"] == pytest.approx(1.33) and d.loc[2019, "value"] == pytest.approx(1.22)
    # rounding range from the inputs' last printed digit: 2640.5 / 1979.5 = 1.33392 -> 1.33 high
    assert d.loc[2014, "value_high"] == pytest.approx(1.33) and d.loc[2014, "value_low"] == pytest.approx(1.33)
    assert "tekun standard / dibao standard (2640 元/年 / 1980 元/年)" in d.loc[2014, "note"]


def test_the_existing_derivations_are_unchanged_by_the_rule_table():
    """The rules moved to derivations.csv give the values the code gave (pinned in test_data_values too)."""
    obs = load_observations(preferred_only=False).set_index("obs_id")
    # xiangxi.gdp.2013 418.9 亿元 / xiangxi.gdp_per_capita.2013 16171 元 = 418.9e8/16171/1e4 = 259.04 万人
    assert obs.loc["xiangxi.resident_population_implied.2013.derived", "value"] == pytest.approx(259.04)
    # xiangxi poor population 2013 65.77 万人 / incidence 31.93% = 205.98 万人
    assert obs.loc["xiangxi.poverty_base_population_implied.2013.derived", "value"] == pytest.approx(205.98)
    # common base: 65.77 * 0.65 / 1.56 = 27.40 (2013 incidence on the 2019 base)
    assert obs.loc["xiangxi.poverty_incidence_common_base.2013.derived", "value"] == pytest.approx(27.40)
    # base_year rule (year 2010 from derivations.csv): wuling.rural_disposable_income.2019 11544 元 /
    # wuling.rural_income_multiple_2010.2019 3.3 = 3498.18; range 11543.5/3.35 = 3445.82 to 11544.5/3.25 = 3552.15
    wuling = obs.loc["wuling.rural_disposable_income.2010.derived"]
    assert (wuling["value"], wuling["value_low"], wuling["value_high"]) == pytest.approx((3498.18, 3445.82, 3552.15))
    assert "2019 rural income / stated multiple of 2010 (11544 / 3.3)" in wuling["note"]


def test_labels_and_treatments_come_from_the_vocabularies():
    # regions.csv label: Wuling's short label; a region without a longer one keeps its id
    assert figures.region_label("Wuling") == "Wuling area" and figures.region_label("Dapo") == "Dapo"
    assert figures.REGION_LABELS.get("Hunan40") == "Hunan 40 key counties"
    # units.csv label and short
    assert (
        figures.unit_label("元/年") == "yuan per person per year"
        and figures.unit_label("元/年", short=True) == "yuan/yr"
    )
    assert figures.with_unit("65.77", "万人") == "65.77 (10k persons)" and figures.with_unit("5.2", "%") == "5.2%"
    assert figures.with_unit("7", "个") == "7" and figures.with_unit("5891", "元") == "5891 yuan"
    # indicators.csv columns
    assert "poor_population" in growth.COUNT_INDICATORS and "gdp" not in growth.COUNT_INDICATORS
    assert set(compare.ANNUAL_PER_CAPITA) == {"rural_disposable_income", "gdp_per_capita"}
    # the one region without a parent stands in for a region's missing price index
    assert vocab.national_region() == "China"


def _problems(exc: pytest.ExceptionInfo[DataError]) -> list[tuple[str, int | None, str | None]]:
    return [(Path(p.file).name, p.row, p.column) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("table", "key", "value", "column", "text"),
    [
        ("indicators.csv", "indicator", "poor_population", "change_measure", "counts"),
        ("regions.csv", "region", "Wuling", "label", "武陵"),
        ("regions.csv", "region", "Wuling", "label", ""),
    ],
)
def test_a_damaged_vocabulary_column_names_file_row_and_column(raw_copy, table, key, value, column, text):
    path = raw_copy / table
    line = _line_of(path, key, value)
    _set_cell(path, line, column, text)
    with pytest.raises(DataError) as exc:
        load_raw(raw_copy)
    assert (table, line, column) in _problems(exc)


def test_a_damaged_unit_label_names_file_row_and_column(raw_copy):
    path = raw_copy / "units.csv"
    line = _line_of(path, "unit", "万人")
    _set_cell(path, line, "short", "万 persons")
    with pytest.raises(DataError) as exc:
        load_raw(raw_copy)
    assert ("units.csv", line, "short") in _problems(exc)


@pytest.mark.parametrize(
    ("derived", "column", "text", "says"),
    [
        ("resident_population_implied", "numerator_unit", "亿", "unknown unit '亿'"),
        ("resident_population_implied", "numerator", "gpd", "unknown indicator 'gpd'"),
        ("resident_population_implied", "formula", "GDP / GDP per capita ({a})", "unknown placeholder(s) {a}"),
        ("resident_population_implied", "rule", "quotient", "unknown rule"),
        ("rural_disposable_income", "year", "", "needs the base year"),
        ("poverty_incidence_common_base", "denominator", "gdp", "is not a rate"),
        # a unit that matches no document value: the rule derives nothing, which is refused, not silent
        ("poverty_base_population_implied", "numerator_unit", "人", "derives no value"),
    ],
)
def test_a_damaged_derivation_rule_names_file_row_and_column(raw_copy, tmp_path, derived, column, text, says):
    path = raw_copy / "derivations.csv"
    line = _line_of(path, "derived", derived)
    _set_cell(path, line, column, text)
    with pytest.raises(DataError) as exc:
        build(raw_copy, tmp_path / "out")
    named = [p for p in exc.value.problems if Path(p.file).name == "derivations.csv" and p.row == line]
    assert named and says in " ".join(p.message for p in named)
    assert column in {p.column for p in named} or "derives no value" in says
    assert not (tmp_path / "out" / "observations.csv").exists()  # nothing written


def test_no_indicator_or_region_literal_in_the_vocabulary_modules():
    """The modules this change moved to the data name no indicator or region id in a string literal."""
    import ast

    from analysis import paths

    ids = set(vocab.load_indicators().index) | set(vocab.load_regions().index)
    files = [
        "data/derive.py",
        "data/vocab.py",
        "data/build.py",
        "reports/figure_notes.py",
        "reports/figures.py",
        "reports/real_terms.py",
        "reports/start_here.py",
        "metrics/compare.py",
        "metrics/growth.py",
        "metrics/elasticity.py",
    ]
    found = []
    for name in files:
        path = paths.ROOT / "src" / "analysis" / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids:
                found.append(f"{name}:{node.lineno} {node.value!r}")
    assert not found, found


def test_short_labels_and_overlaps_come_from_the_vocabularies():
    # indicators.csv short_label, else the label
    assert vocab.short_label("extreme_poverty_support_standard") == "tekun standard"
    assert vocab.short_label("gdp_real_growth") == "Real GDP growth"
    # region_overlaps.csv, either order; a pair that does not overlap has no note
    assert vocab.overlap_note("Wuling", "Xiangxi") == "Xiangxi's counties are part of the Wuling Mountain Area"
    assert vocab.overlap_note("Xiangxi", "Hunan40").startswith("Xiangxi's counties are among Hunan's 40")
    assert vocab.overlap_note("Wuling", "Luoxiao") == ""


@pytest.mark.parametrize(
    ("row", "column", "text", "says"),
    [
        (2, "whole", "Atlantis", "unknown region 'Atlantis'"),
        (3, "whole", "Xiangxi", "does not overlap itself"),
        (5, "whole", "Xiangxi", "listed twice"),  # Hunan40-Xiangxi is row 4 in the other order
    ],
)
def test_a_damaged_overlap_names_file_row_and_column(raw_copy, tmp_path, row, column, text, says):
    _set_cell(raw_copy / "region_overlaps.csv", row, column, text)
    with pytest.raises(DataError) as exc:
        build(raw_copy, tmp_path / "out")
    named = [p for p in exc.value.problems if Path(p.file).name == "region_overlaps.csv"]
    assert [(p.row, p.column) for p in named] == [(row, column)] and says in named[0].message


def test_a_damaged_series_break_names_file_row_and_column(raw_copy, tmp_path):
    path = raw_copy / "series_breaks.csv"
    _set_cell(path, 2, "year", "2019a")
    _set_cell(path, 3, "no_growth_across", "maybe")
    with pytest.raises(DataError) as exc:
        build(raw_copy, tmp_path / "out")
    assert {("series_breaks.csv", 2, "year"), ("series_breaks.csv", 3, "no_growth_across")} <= set(_problems(exc))
