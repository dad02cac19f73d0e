"""Plausibility: a value far from its neighbours in the series is refused, naming the likely unit slip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from analysis.data import plausibility as pl
from analysis.data.raw import load_raw
from analysis.errors import DataError
from helpers import edit_figures, read_rows, write_rows

XIANGXI = "observations_xiangxi.csv"


def _problems(raw: Path) -> list[str]:
    with pytest.raises(DataError) as exc:
        load_raw(raw)
    return [str(p) for p in exc.value.problems]


def _set_document(raw: Path, obs_id: str, **cells: str) -> int:
    """Change cells of one document row; return its line number (header = line 1)."""
    rows = read_rows(raw / XIANGXI)
    i = next(k for k, r in enumerate(rows) if r["obs_id"] == obs_id)
    rows[i].update(cells)
    write_rows(raw / XIANGXI, rows)
    return i + 2


def test_the_data_passes_with_its_largest_jumps_inside_the_limits():
    data = load_raw()  # refuses on any implausible value
    assert pl.check_series(data.observations, data.indicators, data.units) == []
    obs = data.observations.set_index("obs_id")
    # GDP 2018 -> 2019 crosses the census revision: 605.05 (figures.csv) -> 705.7 亿元 (doc004), +16.6%, factor 1.17 < 5
    assert obs.loc["xiangxi.gdp.2019", "value_decimal"] / obs.loc["xiangxi.gdp.2018.ext", "value_decimal"] < 5
    # China's rural poor 2018 -> 2019: 1660 -> 551 万人 (figures.csv), factor 3.01: the largest yearly change, < 5
    ratio = obs.loc["china.rural_poor_population.2018.ext", "value_decimal"] / Decimal(551)
    assert ratio == pytest.approx(Decimal("3.0127"), abs=Decimal("1e-4")) and ratio < pl.MAX_YEARLY_FACTOR


def test_a_unit_slip_in_a_document_row_is_refused_naming_the_slip(raw_copy):
    """xiangxi.gdp.2019 (705.7 亿元, doc004) typed as 万元: 10,000 times too small, and only that row is named."""
    line = _set_document(raw_copy, "xiangxi.gdp.2019", unit="万元")
    problems = _problems(raw_copy)
    assert len(problems) == 1, problems  # 2020 (725.1 亿元) still agrees with 2018 (605.05 亿元): not named
    msg = problems[0]
    assert f"{XIANGXI}, row {line}, column 'value'" in msg
    # against 2017 (585 亿元): 705.7e4 / 585e8 = 1/8290, the nearest of its neighbours in ratio
    # (2018 605.05: 1/8574; 2020 725.1: 1/10275); the limit at one or two years is 5 or 25
    assert "Xiangxi gdp 2019: 705.7 万元 is 8,290 times smaller than its neighbours" in msg
    assert "2018: 605.05 亿元" in msg and "万元 for 亿元?" in msg and pl.BREAK_MARKER in msg


def test_a_row_that_states_the_break_passes(raw_copy):
    _set_document(raw_copy, "xiangxi.gdp.2019", unit="万元", note=f"{pl.BREAK_MARKER} test: a stated break")
    load_raw(raw_copy)  # no error


def test_a_unit_slip_in_an_external_row_is_refused(raw_copy):
    """figures.csv line 5: Xiangxi GDP 2016, 551.7 亿元, edited to 万元 (with make external's checksums)."""

    def slip(rows):
        assert (rows[3]["region"], rows[3]["year"], rows[3]["value"]) == ("Xiangxi", "2016", "551.7")
        rows[3]["unit"] = "万元"

    edit_figures(raw_copy, slip)
    (msg,) = _problems(raw_copy)
    assert "external/figures.csv, row 5, column 'value'" in msg
    # 551.7e4 / 497.19e8 (2015) = 1/9012 and / 585e8 (2017) = 1/10604: the nearest in ratio is 2014's 457 亿元
    # (the unverified alternative, 1/8283)
    assert "551.7 万元 is 8,283 times smaller" in msg and "万元 for 亿元?" in msg


def test_an_index_read_as_a_change_is_out_of_range(raw_copy):
    """figures.csv line 154: China's rural CPI 2010 printed as 103.6 with the preceding year = 100; read as 103.6%."""

    def as_percent(rows):
        r = rows[152]
        assert (r["indicator"], r["year"], r["value"], r["unit"]) == ("rural_cpi_index", "2010", "103.6", "上年=100")
        r["unit"] = "%"

    edit_figures(raw_copy, as_percent)
    (msg,) = _problems(raw_copy)
    assert "external/figures.csv, row 154, column 'value'" in msg
    assert "103.6 % is 103.6%, outside the range of a rate (-100% to 100%)" in msg and "上年=100" in msg


def test_slip_names_units_of_the_same_base():
    units = load_raw().units
    assert pl.slip_hint(Decimal("1e-4"), "万元", units) == " 万元 for 亿元?"
    assert pl.slip_hint(Decimal("1e4"), "万人", units) == " 万人 for 人 or 名?"
    assert pl.slip_hint(Decimal(30), "万人", units) == ""  # not near a power of ten: no slip named
    assert pl.slip_hint(Decimal(9), "万人", units) == " A slip of 10^1 (the wrong unit or misplaced zeros)?"
