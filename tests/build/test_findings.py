"""Key findings: generated from the report tables, numbers checked by hand, absent tables skipped.

The report tables are built in-process (no kernel) into a temporary folder with the same
functions the notebooks call, so the findings are checked on exactly what a build writes.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from analysis import load_observations
from analysis.build import findings as fnd
from analysis.reports import tables
from hand_values import assert_mentions, shown


@pytest.fixture(scope="module")
def tables_dir(report_tables):
    """Every run's tables (the session's ``report_tables``, conftest.py)."""
    return report_tables


@pytest.fixture(scope="module")
def found(tables_dir):
    return {f.key: f for f in fnd.collect(tables_dir, load_observations())}


def csv_row(tables_dir, table: str, n: int) -> dict:
    with open(tables_dir / f"{table}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))[n - 1]


def test_eight_to_twelve_findings_each_one_sentence_with_period_and_basis(found):
    assert 8 <= len(found) <= 12
    for f in found.values():
        assert f.text.endswith(".") and f.text.count(". ") == 0, f.text  # one sentence
        assert f.period and f.basis and f.inputs, f.key
        assert "nominal" in f.basis or "real" in f.basis or "rate" in f.basis or "documents" in f.basis, f.basis


def test_gdp_growth_numbers_by_hand(found, tables_dir):
    f = found["gdp-growth"]
    # issue 27: the like-for-like window leads, the one across the 2019 census revision follows, labelled.
    # (605.05 / 418.9) ** (1/5) - 1 = 7.63% (xiangxi.gdp.2013, xiangxi.gdp.2018.ext);
    # (705.7 / 418.9) ** (1/6) - 1 = 9.08% (with xiangxi.gdp.2019)
    assert "grew 7.63% a year in nominal terms over 2013-2018" in f.text
    assert "from 41.89 bn yuan to 60.505 bn yuan" in f.text  # 418.9 and 605.05 亿元
    cagr = shown("xiangxi gdp cagr 2013-2019", "{:.2%}")
    assert_mentions(
        f.text,
        f"over 2013-2019, across the 2019 series break (census revision), {cagr} a year",
        "xiangxi gdp cagr 2013-2019",
    )
    assert f.basis == "nominal; documents + external values"
    row = csv_row(tables_dir, f.table, f.row)  # the link points at the row the number comes from
    assert (row["series_id"], row["start_year"], row["end_year"]) == ("xiangxi.gdp", "2013", "2018")
    assert f.inputs == (
        "xiangxi.gdp.2013",
        "xiangxi.gdp.2015.ext",
        "xiangxi.gdp.2016.ext",
        "xiangxi.gdp.2017.ext",
        "xiangxi.gdp.2018.ext",
        "xiangxi.gdp.2019",
    )


def test_income_findings_state_the_2013_concept_break(found, tables_dir):
    """Xiangxi's 2012 rural income predates the 2013 change from net to disposable income: the
    findings lead with the growth on one concept and give the full period after it, labelled."""
    inc = found["income-growth"]
    # (9183/5891) ** (1/4) - 1 = 11.74% leads; (9183/4229) ** (1/6) - 1 = 13.80% follows
    assert "grew 11.74% a year in nominal terms over 2014-2018, from 5,891 yuan to 9,183 yuan" in inc.text
    assert "over 2012-2018, across the 2013 series break (income concept), 13.80% a year" in inc.text
    assert "the 2012 value predates the change of rural income concept" in inc.text
    real = found["real-growth"]
    # China CPI 2015-2018: 1.014 * 1.020 * 1.016 * 1.021 = 1.07289; (1.558818 / 1.07289) ** (1/4) - 1 = 9.79%
    # the rural CPI lacks 2016 and 2018 (no china.rural_cpi_change rows): the national CPI for every year, named
    assert "Deflated by China CPI (2014 prices; proxy: the rural CPI lacks 2016, 2018; China index" in real.text
    assert "grew 9.79% a year in real terms over 2014-2018, against 11.74% nominal" in real.text
    # 2012-2018 with CPI chain 1.1228: ((9183/4229)/1.1228) ** (1/6) - 1 = 11.62%
    assert "over 2012-2018, across the 2013 series break (income concept), 11.62% real against 13.80% nominal" in (
        real.text
    )
    levels = pd.read_csv(tables_dir / "growth_rates_levels.csv", dtype=str, keep_default_na=False)
    y2013 = levels[(levels["series_id"] == "xiangxi.rural_disposable_income") & (levels["year"] == "2013")].iloc[0]
    assert (
        y2013["value"] == "" and "net income (纯收入) before" in y2013["note"] and "not interpolated" in y2013["note"]
    )


def test_poverty_elasticity_and_audit_by_hand(found, tables_dir):
    pov = found["poverty-xiangxi"]
    # issue 27: log change a year leads, ln(0.65/31.93) / 6 = -0.649; pp only beside the start level
    assert "had a log change of −0.65 a year over 2013-2019" in pov.text
    assert "a fall of 31.28 percentage points from a starting level of 31.93%" in pov.text
    el = found["elasticity-gdp"]
    # ln(0.65/31.93) / ln(26691/16171) = -7.77; issue 27: the band (survey headcounts against real GDP per
    # capita) is named as no benchmark, not as "more negative than"
    assert "log arc elasticity of −7.77 over 2013-2019" in el.text and "more negative than" not in el.text
    assert "so it is no benchmark here" in el.text
    assert csv_row(tables_dir, el.table, el.row)["variant"] == "log_arc"
    inc = found["elasticity-income"]
    # Xiangxi 2016-2018 ln(4.39/16.14) / ln(9183/7413) = -6.08; China over the same years
    # ln(1.7/4.5) / ln(14617/12363) = -0.973449 / 0.167477 = -5.81
    assert "log arc elasticity of −6.08 over 2016-2018" in inc.text and "same years with −5.81" in inc.text
    assert "inside" not in inc.text and csv_row(tables_dir, inc.table, inc.row)["run"].startswith("xiangxi.")
    audit = found["audit"]
    summary = pd.read_csv(tables_dir / "claims_audit_summary.csv")
    docs = summary[summary["document"].str.fullmatch(r"doc\d+")]  # the documents' claims, not external ones
    assert f"Of the {docs['total'].sum()} derived statements" in audit.text
    # doc001.c06 (base of 同比 not stated) and doc004.c17 (one home per village not stated) are not checkable now
    assert f"{docs['inconsistent'].sum()} is not (doc004.c01)" in audit.text
    line = found["dibao-line"]
    # 1980 / 2800 = 70.7%; 2640 / 2800 = 94.3%
    assert "(1,980 yuan a year) was 71% of the national poverty line" in line.text and "94%" in line.text
    assert set(line.inputs) == {
        "xiangxi.rural_dibao_standard.2014",
        "xiangxi.extreme_poverty_support_standard.2014",
        "china.poverty_line_current_prices.2014.ext",
    }


def test_every_input_is_an_observation(found):
    ids = set(load_observations()["obs_id"])
    for f in found.values():
        assert set(f.inputs) <= ids, (f.key, set(f.inputs) - ids)


def test_absent_table_is_skipped_with_its_reason(tables_dir, tmp_path, capsys):
    (tmp_path / "growth_rates.csv").write_bytes((tables_dir / "growth_rates.csv").read_bytes())
    got = fnd.collect(tmp_path, load_observations())
    assert {f.key for f in got} == {
        "gdp-growth",
        "income-growth",
        "poverty-xiangxi",
        "poverty-wuling",
        "dibao-growth",
        "real-growth",
    }  # every finding that reads only the growth table
    out = capsys.readouterr().out
    assert "[findings] skipped elasticity-gdp: table elasticities.csv not built" in out
    # a row that is absent: the row lookup names table and keys
    ctx = fnd.Context(tmp_path, load_observations())
    with pytest.raises(fnd.Skip, match=re.escape("growth_rates.csv has no row with {'series_id': 'nowhere.gdp'}")):
        ctx.row("growth_rates", series_id="nowhere.gdp")


def test_limit_drops_optional_findings_first(tables_dir):
    every = [f.key for f in fnd.collect(tables_dir, load_observations(), limit=99)]
    assert len(every) == 15  # with the Hunan benchmark: three more than the page holds
    got = [f.key for f in fnd.collect(tables_dir, load_observations(), limit=12)]
    assert len(got) == 12 and not {"counties", "dibao-growth", "gdppc-growth"} & set(got)
    assert got[0] == "gdp-growth" and "audit" in got and "poverty-wuling" in got  # headline ones stay, in order
    assert got == [k for k in every if k in got]


def test_styler_hides_index_aligns_and_fixes_decimals():
    df = pd.DataFrame(
        {
            "series": ["xiangxi.gdp", "wuling.poor_population"],
            "CAGR (%/yr)": [9.08163, 14.2],
            "years": [5, 2],
            "change": ["", "−24.60 pp"],
            "note": ["a long note " * 5, ""],
        }
    )
    df.attrs["decimals"] = {"CAGR (%/yr)": 2}
    html = tables.to_html(df)
    assert html == tables.to_html(df)  # deterministic id
    assert "9.08</td>" in html and "14.20</td>" in html and ">5</td>" in html
    assert 'class="row_heading' not in html  # no 0, 1, 2 index
    assert "text-align: right" in html and "text-align: left" in html
    assert tables.is_number_column(df["change"]) and not tables.is_number_column(df["note"])
    assert tables.auto_decimals(pd.Series([0.38, 0.41])) == 3 and tables.auto_decimals(pd.Series([2013, 2019])) == 0
    with pytest.raises(KeyError, match="no column"):
        tables.style(df, decimals={"nope": 1})
