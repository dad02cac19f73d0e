"""External figures: every row of figures.csv in the data, exactly converted, vintages kept.

Expected values are read off ``data/raw/external/figures.csv`` by hand (line numbers are
the file's, header = line 1).
"""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.external import FIGURES_COLUMNS, convert, qualifier_of
from analysis.data.external_update import update
from analysis.data.load import UnknownChoice, alternatives, get_series, load_observations, observation, series_catalog
from analysis.data.numbers import parse_printed_scaled
from analysis.data.units import default_units
from analysis.errors import DataError
from analysis.metrics.growth import cagr
from hand_values import pinned
from helpers import read_rows, write_rows

FIGURES = paths.EXTERNAL / "figures.csv"


@pytest.fixture(scope="module")
def ext() -> pd.DataFrame:
    return load_observations(kinds=("external",), preferred_only=False)


# ----------------------------------------------------------------------------- every row


def test_every_row_of_figures_csv_is_an_observation(ext):
    # figures.csv: 175 data rows (lines 2-176, tests/hand_values.py); its README lists China 104, Hunan 25,
    # Xiangxi 46. If a legitimate new row is installed with `make external`, update these counts from the file.
    rows = read_rows(FIGURES)
    pinned(len(rows), "external rows")
    assert len(ext) == len(rows)
    pinned(ext["region"].value_counts().to_dict(), "external rows by region")
    pinned(
        ((ext["preferred"] == "yes").sum(), (ext["preferred"] == "no").sum()), "external rows preferred, alternatives"
    )
    assert sorted(int(r) for r in ext["source_row"]) == list(range(2, len(rows) + 2))
    assert set(ext["source_file"]) == {"data/raw/external/figures.csv"}
    for c in ("publisher", "url", "quote", "confidence", "basis", "vintage", "value_printed"):
        assert (ext[c] != "").all(), c


def test_each_row_keeps_its_source_text(ext):
    by_row = ext.set_index(ext["source_row"].astype(int))
    for line, r in enumerate(read_rows(FIGURES), start=2):
        o = by_row.loc[line]
        for c in (
            "region",
            "quote",
            "url",
            "publisher",
            "confidence",
            "vintage",
            "preferred",
            "value_printed",
            "basis",
        ):
            assert o[c] == r[c], (line, c)
        assert o["year"] == int(r["year"])


def test_every_quote_contains_its_printed_value(ext):
    assert all(p in q for p, q in zip(ext["value_printed"], ext["quote"], strict=False))


def test_exactly_one_preferred_per_indicator_region_year(ext):
    n = ext[ext["preferred"] == "yes"].groupby(["region", "indicator", "year"]).size()
    assert (n == 1).all()
    keys = set(map(tuple, ext[["region", "indicator", "year"]].astype(str).values))
    preferred = set(map(tuple, n.reset_index()[["region", "indicator", "year"]].astype(str).values))
    # Keys with only `preferred = no` rows have no default value (figures.csv rows 135, 138, 175).
    assert keys - preferred == {
        ("Xiangxi", "gdp", "2014"),
        ("Hunan", "gdp", "2014"),
        ("China", "poverty_line_current_prices", "2019"),
    }


def test_a_key_with_only_alternatives_stays_unobserved_by_default():
    for region in ("Xiangxi", "Hunan"):
        assert 2014 not in set(get_series(region, "gdp")["year"])
        every = get_series(region, "gdp", preferred_only=False)
        row = every[every["year"] == 2014].iloc[0]
        assert (row["preferred"], row["confidence"], bool(row["in_series"])) == ("no", "low", False)
    assert 2019 not in set(get_series("China", "poverty_line_current_prices")["year"])
    a = alternatives("Xiangxi", "gdp").set_index("obs_id")
    assert a.loc["xiangxi.gdp.2014.ext.alt1", "used_obs_id"] == ""
    assert pd.isna(a.loc["xiangxi.gdp.2014.ext.alt1", "difference_pct"])


def test_ids_of_preferred_rows_and_alternatives(ext):
    alts = sorted(ext.loc[ext["preferred"] == "no", "obs_id"])
    assert alts == [
        "china.gdp.2013.ext.alt1",  # 588019, after the third economic census
        "china.gdp.2013.ext.alt2",  # 592963.2, fourth-census series (low)
        "china.gdp.2014.ext.alt1",
        "china.gdp.2014.ext.alt2",
        "china.gdp.2015.ext.alt1",
        "china.gdp.2016.ext.alt1",
        "china.gdp.2017.ext.alt1",
        "china.gdp.2017.ext.alt2",  # 82.08 trillion, final verification
        "china.gdp.2018.ext.alt1",
        "china.gdp.2019.ext.alt1",
        "china.gdp_real_growth.2014.ext.alt1",
        "china.gdp_real_growth.2017.ext.alt1",
        "china.gdp_real_growth.2019.ext.alt1",
        "china.poverty_line_current_prices.2019.ext.alt1",
        "china.rural_cpi_change.2011.ext.alt1",
        "china.urban_cpi_change.2011.ext.alt1",
        "hunan.gdp.2014.ext.alt1",
        "xiangxi.gdp.2014.ext.alt1",
        "xiangxi.gdp.2015.ext.alt1",
        "xiangxi.gdp.2015.ext.alt2",
        "xiangxi.gdp_real_growth.2015.ext.alt1",
        "xiangxi.gdp_real_growth.2015.ext.alt2",
    ]
    assert all(re.fullmatch(r"[a-z]+\.[a-z_0-9]+\.\d{4}\.ext", i) for i in ext.loc[ext["preferred"] == "yes", "obs_id"])
    assert ext["obs_id"].is_unique


def test_project_copy_matches_the_shared_file(shared_dir):
    """The project's copy of the external figures is the team's shared file (``shared_dir``)."""
    shared = shared_dir / "external"
    assert FIGURES.read_bytes() == (shared / "figures.csv").read_bytes(), "run make external FIGURES=..."
    assert (paths.EXTERNAL / "README.md").read_bytes() == (shared / "README.md").read_bytes()


# ----------------------------------------------------------------------------- units and printed numbers


@pytest.mark.parametrize(
    ("obs_id", "value", "unit", "value_base", "unit_printed"),
    [
        ("china.rural_poor_population.2010.ext", 16600, "万人", "166000000", "亿人"),  # 1.66 亿人
        ("china.rural_poor_population.2011.ext", 12800, "万人", "128000000", "亿人"),  # about 1.28 亿人
        ("china.rural_poor_population.2012.ext", 9899, "万人", "98990000", ""),
        ("xiangxi.rural_disposable_income.2020.ext", 11200, "元", "11200", "万元"),  # 1.12 万元
        ("xiangxi.urban_disposable_income.2020.ext", 27900, "元", "27900", "万元"),
        ("xiangxi.gdp_per_capita.2020.ext", 28100, "元", "28100", "万元"),
        ("china.gdp.2017.ext", 827122, "亿元", "82712200000000", "billion yuan"),  # 82,712.2 billion
        ("china.gdp.2018.ext", 900309, "亿元", "90030900000000", "billion yuan"),
        ("xiangxi.resident_population.2020.ext", 248.8105, "万人", "2488105", "人"),  # 2,488,105 人
        ("xiangxi.gdp.2018.ext", 605.05, "亿元", "60505000000", ""),  # 60.505 billion CNY
        ("china.gdp.2014.ext.alt1", 636463, "亿元", "63646300000000", ""),  # 63조 6463억 위안
        ("china.rural_disposable_income.2018.ext", 14617, "元", "14617", ""),  # 1만 4617원
        ("china.rural_net_income.2012.ext", 7917, "元", "7917", ""),  # 7.917 yuanes
        ("china.rural_net_income_real_growth.2012.ext", 10.7, "%", "0.107", ""),  # 10,7 por ciento
        ("china.rural_disposable_income_real_growth.2017.ext", 7.3, "%", "0.073", ""),  # 7。3%
        ("china.poverty_line_current_prices.2020.ext", 4000, "元/年", "4000", "元"),  # 4,000 yuan
        ("hunan.gdp.2016.ext", 31200, "亿元", "3120000000000", "trillion yuan"),  # 3.12 trillion yuan
        ("china.gdp.2017.ext.alt2", 820800, "亿元", "82080000000000", "trillion yuan"),  # 82.08 trillion yuan
        ("hunan.rural_dibao_standard_min.2014.ext", 165, "元/月", "165", "yuan/month"),  # 165 yuan/month
        ("hunan.urban_dibao_standard_avg_grade1_2.2018.ext", 510, "元/月", "510", "CNY/month"),  # 510 CNY/month
        ("xiangxi.resident_population.2018.ext", 264.95, "万人", "2649500", "million"),  # 2.6495 million
        ("china.rural_cpi_change.2010.ext", 3.6, "%", "0.036", "上年=100"),  # index 103.6
        ("china.rural_cpi_change.2017.ext", 1.3, "%", "0.013", "上年=100"),  # index 101.3
        ("china.urban_cpi_change.2011.ext", 5.3, "%", "0.053", "上年=100"),  # index 105.3
    ],
)
def test_units_convert_exactly(obs_id, value, unit, value_base, unit_printed):
    r = observation(obs_id)
    assert (r["value"], r["unit"], r["unit_printed"]) == (pytest.approx(value, rel=0, abs=0), unit, unit_printed)
    text = pd.read_csv(paths.OBSERVATIONS_CSV, dtype=str, keep_default_na=False).set_index("obs_id")
    assert text.loc[obs_id, "value_base"] == value_base  # exact decimal text, no float rounding


@pytest.mark.parametrize(
    ("printed", "number", "scaled"),
    [
        ("63조 6463억 위안", Decimal(63646300000000), True),
        ("1만 4617원", Decimal(14617), True),
        ("82,712.2 billion", Decimal(82712200000000), True),
        ("60.505 billion CNY", Decimal(60505000000), True),
        ("2,488,105", Decimal(2488105), False),
        ("7.917 yuanes", Decimal(7917), False),
        ("10,7 por ciento", Decimal("10.7"), False),
        ("7。3%", Decimal("7.3"), False),
        ("4,000 yuan", Decimal(4000), False),
        ("705.7", Decimal("705.7"), False),
        ("四", Decimal(4), False),
    ],
)
def test_printed_numbers_are_read_as_printed(printed, number, scaled):
    assert parse_printed_scaled(printed) == (number, scaled)


@pytest.mark.parametrize("printed", ["1,23", "12,34.5", "about 4000", "4000 dollars", ""])
def test_unreadable_printed_numbers_are_refused(printed):
    with pytest.raises(ValueError, match=r"."):
        parse_printed_scaled(printed)


def test_convert_is_exact_and_refuses_other_base_units():
    units = default_units()
    assert convert(Decimal("1.66"), "亿人", "万人", units) == Decimal(16600)
    assert convert(Decimal(2488105), "人", "万人", units) == Decimal("248.8105")
    assert convert(Decimal("82712.2"), "billion yuan", "亿元", units) == Decimal(827122)
    assert convert(Decimal(2536), "元", "元/年", units) == Decimal(2536)
    with pytest.raises(ValueError, match="cannot convert"):
        convert(Decimal(1), "万人", "元", units)


def test_qualifiers_come_from_the_words_before_the_number():
    assert qualifier_of("an absolute poverty line of around 4,000 yuan", "4,000 yuan") == "about"
    assert qualifier_of("对应的扶贫对象规模约为1.28亿人", "1.28") == "about"
    assert qualifier_of("全州地区生产总值418.9亿元", "418.9") == "exact"
    assert observation("china.poverty_incidence.2011.ext")["qualifier"] == "about"
    assert observation("china.gdp.2013.ext")["qualifier"] == "exact"


# ----------------------------------------------------------------------------- series


def test_china_rural_disposable_income_cagr_2014_2019():
    # 10489 -> 16021 元 over 5 years: (16021/10489) ** (1/5) - 1 = 8.84% a year, nominal
    s = get_series("China", "rural_disposable_income", start=2014, end=2019)
    assert list(s["year"]) == [2014, 2015, 2016, 2017, 2018, 2019]
    assert list(s["value"]) == [10489, 11422, 12363, 13432, 14617, 16021]
    pinned(cagr(s["value"].iloc[0], s["value"].iloc[-1], 5), "china rural income cagr 2014-2019")
    assert set(s["vintage"]) == {"preliminary", "as published"}


def test_rural_net_income_stays_a_separate_series():
    net = get_series("China", "rural_net_income")
    disp = get_series("China", "rural_disposable_income")
    assert list(net["year"]) == [2010, 2011, 2012, 2013, 2014] and list(disp["year"]) == list(range(2014, 2021))
    # 2014 exists in both concepts, with different values: 9892 net vs 10489 disposable
    assert net.loc[net["year"] == 2014, "value"].item() == 9892
    assert disp.loc[disp["year"] == 2014, "value"].item() == 10489


def test_china_is_a_valid_region_with_its_series():
    cat = series_catalog()
    china = set(cat.loc[cat["region"] == "China", "indicator"])
    assert {
        "gdp",
        "gdp_real_growth",
        "cpi_change",
        "rural_cpi_change",
        "rural_disposable_income",
        "rural_disposable_income_real_growth",
        "rural_net_income",
        "rural_poor_population",
        "poverty_incidence",
        "poverty_line_current_prices",
    } <= china
    cpi = get_series("China", "cpi_change")
    assert list(cpi["year"]) == list(range(2010, 2021)) and cpi["value"].iloc[0] == 3.3
    # incidence 2013 was not found: never filled
    assert 2013 not in set(get_series("China", "poverty_incidence")["year"])
    with pytest.raises(UnknownChoice, match=r"valid choices: .*cpi_change"):
        get_series("China", "cpi")


def test_alternatives_are_never_mixed_in_by_default():
    s = get_series("China", "gdp")
    assert s.loc[s["year"] == 2014, "value"].item() == 636139  # revised, preferred
    assert s.loc[s["year"] == 2019, "value"].item() == 986515  # final, preferred
    assert (s["preferred"] == "yes").all() and s["year"].is_unique
    assert not load_observations()["obs_id"].str.contains(r"\.alt\d").any()


def test_every_candidate_row_with_the_one_used():
    s = get_series("China", "gdp", preferred_only=False)
    y14 = s[s["year"] == 2014].set_index("obs_id")
    assert list(y14.index) == ["china.gdp.2014.ext", "china.gdp.2014.ext.alt1", "china.gdp.2014.ext.alt2"]
    assert list(y14["in_series"]) == [True, False, False]
    assert list(y14["vintage"]) == ["revised", "preliminary", "revised"]
    assert s["in_series"].sum() == get_series("China", "gdp")["year"].nunique()


def test_substitute_builds_a_labelled_sensitivity_series():
    s = get_series("Xiangxi", "gdp", start=2013, end=2019, substitute=["xiangxi.gdp.2015.ext.alt1"])
    r = s[s["year"] == 2015].iloc[0]
    assert (r["value"], r["obs_id"], r["preferred"]) == (511.9, "xiangxi.gdp.2015.ext.alt1", "no")
    assert list(s["year"]) == [2013, 2015, 2016, 2017, 2018, 2019]
    with pytest.raises(
        UnknownChoice, match=r"valid choices: xiangxi\.gdp\.2014\.ext\.alt1, xiangxi\.gdp\.2015\.ext\.alt1"
    ):
        get_series("Xiangxi", "gdp", substitute=["xiangxi.gdp.2016.ext"])


def test_alternatives_table():
    a = alternatives().set_index("obs_id")
    assert len(a) == 22  # the preferred=no rows of figures.csv
    x = a.loc["xiangxi.gdp.2015.ext.alt1"]
    assert (x["used_obs_id"], x["used_value"], x["value"]) == ("xiangxi.gdp.2015.ext", 497.19, 511.9)
    assert x["difference_pct"] == pytest.approx(100 * (511.9 / 497.19 - 1))  # 2.9586%
    g = a.loc["china.gdp_real_growth.2017.ext.alt1"]
    assert (g["vintage"], g["used_vintage"], g["value"], g["used_value"]) == ("preliminary", "revised", 6.9, 6.8)


def test_document_values_take_precedence_over_external_ones():
    # Xiangxi GDP 2013: document 004 and the external bulletin both give 418.9; the document row is used,
    # the external row stays available
    s = get_series("Xiangxi", "gdp")
    assert s.loc[s["year"] == 2013, "kind"].item() == "document"
    assert observation("xiangxi.gdp.2013.ext")["kind"] == "external"
    full = get_series("Xiangxi", "gdp", preferred_only=False)
    y13 = full[full["year"] == 2013]
    assert list(zip(y13["kind"], y13["in_series"], strict=False)) == [("document", True), ("external", False)]


# ----------------------------------------------------------------------------- make external


@pytest.fixture
def candidate(tmp_path: Path) -> Path:
    """A copy of the project's figures.csv and README in a folder of its own."""
    d = tmp_path / "incoming"
    d.mkdir()
    shutil.copyfile(FIGURES, d / "figures.csv")
    shutil.copyfile(paths.EXTERNAL / "README.md", d / "README.md")
    return d / "figures.csv"


def _snapshot(raw: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (raw / "external").iterdir()}


def test_update_installs_a_valid_file_with_new_checksums(raw_copy, candidate):
    rows = read_rows(candidate)
    fields = list(FIGURES_COLUMNS)
    extra = dict(rows[0], year="2014", value="459.6", value_printed="459.6", quote="全州生产总值459.6亿元", note="test")
    write_rows(candidate, [*rows, extra], fieldnames=fields)
    readme = candidate.parent / "README.md"  # its counts are checked: one more Xiangxi row
    text = readme.read_text(encoding="utf-8").replace("175 rows:", "176 rows:").replace("Xiangxi (46)", "Xiangxi (47)")
    readme.write_text(text, encoding="utf-8")
    report = update(candidate, raw_copy)
    # 2014 already has the unverified alternative (row 135, 457, preferred=no): the key changes
    assert "176 rows" in report and "0 added" in report and "changed: Xiangxi gdp 2014" in report
    assert (raw_copy / "external" / "figures.csv").read_bytes() == candidate.read_bytes()
    sums = (raw_copy / "external" / "SHA256SUMS").read_text(encoding="utf-8")
    assert "figures.csv" in sums and "README.md" in sums
    from analysis.data.raw import load_raw

    obs = load_raw(raw_copy).observations
    assert (obs["obs_id"] == "xiangxi.gdp.2014.ext").sum() == 1


def test_update_refuses_a_bad_file_and_changes_nothing(raw_copy, candidate):
    before = _snapshot(raw_copy)
    rows = read_rows(candidate)
    rows[2]["preferred"] = "yes"  # line 4: Xiangxi GDP 2015 now has two preferred rows (lines 3 and 4)
    rows[5]["value"] = "605.5"  # line 7: differs from the printed 60.505 billion
    write_rows(candidate, rows, fieldnames=list(FIGURES_COLUMNS))
    with pytest.raises(DataError) as exc:
        update(candidate, raw_copy)
    text = str(exc.value)
    assert f"{candidate}, row 4, column 'preferred'" in text
    assert f"{candidate}, row 7, column 'value'" in text
    assert _snapshot(raw_copy) == before


def test_update_needs_the_readme(raw_copy, candidate):
    (candidate.parent / "README.md").unlink()
    before = _snapshot(raw_copy)
    with pytest.raises(DataError, match="README"):
        update(candidate, raw_copy)
    assert _snapshot(raw_copy) == before


def test_makefile_and_code_do_not_refer_to_shared():
    for f in [paths.ROOT / "Makefile", *sorted((paths.ROOT / "src").rglob("*.py"))]:
        assert "../shared" not in f.read_text(encoding="utf-8"), f
    with open(paths.ROOT / "Makefile", encoding="utf-8") as fh:
        assert any(line.startswith("external:") for line in fh)


def test_no_hand_copied_external_table_remains():
    assert not (paths.RAW / "observations_external.csv").exists()
    for f in paths.RAW.glob("observations_*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            assert all(r["kind"] == "document" for r in csv.DictReader(fh)), f


def test_a_hand_edit_of_the_copy_names_make_external(raw_copy):
    """The issue's case: one value of data/raw/external/figures.csv edited in place."""
    path = raw_copy / "external" / "figures.csv"
    path.write_bytes(path.read_bytes().replace(b"gdp,Xiangxi,2016,551.7,", b"gdp,Xiangxi,2016,551.8,", 1))
    from analysis.data.raw import load_raw

    with pytest.raises(DataError) as exc:
        load_raw(raw_copy)
    (problem,) = exc.value.problems
    assert problem.file.endswith("external/figures.csv")
    assert "make external FIGURES=" in problem.message and "restore the original copy" not in problem.message


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda line: line.replace('"', "", 1), "the row has 19 fields but the header has 14"),  # a quote lost
        (lambda line: line + ",stray", "the row has 15 fields but the header has 14"),  # an extra column
    ],
)
def test_a_malformed_candidate_stops_at_its_row(raw_copy, candidate, damage, says):
    """One problem, naming the candidate's line 11, not a hundred follow-on problems in temporary files."""
    lines = candidate.read_text(encoding="utf-8").split("\n")
    lines[10] = damage(lines[10])  # line 11: Xiangxi rural disposable income 2015, quoted text with commas
    candidate.write_text("\n".join(lines), encoding="utf-8")
    before = _snapshot(raw_copy)
    with pytest.raises(DataError) as exc:
        update(candidate, raw_copy)
    assert [str(p) for p in exc.value.problems] == [
        f"{candidate}, row 11: {says}; check for an unquoted comma in a quote."
    ]
    assert _snapshot(raw_copy) == before


def test_readme_counts_are_checked_against_the_file(raw_copy, candidate):
    """README.md line 7 says '175 rows:', line 9 'Xiangxi (46)', line 21 'Hunan (25)', line 14 'China (104)'."""
    rows = read_rows(candidate)
    hunan = next(i for i, r in enumerate(rows) if r["region"] == "Hunan" and r["indicator"] == "cpi_change")
    del rows[hunan]  # a Hunan row no claim or check cites
    write_rows(candidate, rows, fieldnames=list(FIGURES_COLUMNS))
    with pytest.raises(DataError) as exc:
        update(candidate, raw_copy)
    readme = candidate.parent / "README.md"
    assert [str(p) for p in exc.value.problems] == [
        (
            f"{readme}, row 7: the README says '175 rows:' but figures.csv has 174 rows; update the README's counts "
            "(and what the rows cover) together with figures.csv."
        ),
        (
            f"{readme}, row 21: the README says Hunan (25) but figures.csv has 24 Hunan rows; update the README's "
            "counts (and what the rows cover) together with figures.csv."
        ),
    ]
    # make data checks the project's copy the same way (README edited, checksums rewritten)
    from analysis.data.raw import load_raw
    from helpers import resum

    text = (raw_copy / "external" / "README.md").read_text(encoding="utf-8")
    (raw_copy / "external" / "README.md").write_text(text.replace("China (104)", "China (105)"), encoding="utf-8")
    resum(raw_copy)
    with pytest.raises(DataError, match=r"README.md, row 14: the README says China \(105\) but figures.csv has 104"):
        load_raw(raw_copy)
