"""Bad input: `make data` refuses it with file, row and column, and writes nothing.

Each test breaks one thing in a copy of data/raw and checks the message and that the
previous data/processed output is left byte-for-byte untouched.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis.data.build import build, main
from helpers import assert_untouched, edit_figures, only, problems_of, read_rows, resum, write_rows

QUOTE = "全州总面积1.55万平方千米,总人口299.3万人,其中以土家族、苗族为主的少数民族占80%。"
PROBE = {
    "obs_id": "xiangxi.probe_area.2019",
    "region": "Xiangxi",
    "indicator": "probe_area",
    "year": "2019",
    "period_start": "",
    "value_printed": "1.55",
    "qualifier": "exact",
    "unit": "万平方千米",
    "value": "1.55",
    "kind": "document",
    "source_id": "doc004",
    "quote": QUOTE,
    "note": "test row",
}


def add_probe(raw: Path, **changes: str) -> Path:
    """Add a one-row document table (and its indicator) to the raw copy; return its path."""
    ind = read_rows(raw / "indicators.csv")
    ind.append({"indicator": "probe_area", "label": "Probe", "measure": "level", "description": "test"})
    write_rows(raw / "indicators.csv", ind)
    path = raw / "observations_zz_probe.csv"
    write_rows(path, [{**PROBE, **changes}])
    return path


def test_valid_probe_row_passes(raw_copy):
    add_probe(raw_copy)
    build(raw_copy, raw_copy.parent / "ok")
    rows = read_rows(raw_copy.parent / "ok" / "observations.csv")
    probe = next(r for r in rows if r["obs_id"] == "xiangxi.probe_area.2019")
    assert probe["value_base"] == "15500" and probe["base_unit"] == "km2"


def test_missing_column_names_file_and_column(built):
    raw, out, before = built
    rows = read_rows(raw / "observations_hunan.csv")
    for r in rows:
        del r["quote"]
    write_rows(raw / "observations_hunan.csv", rows)
    msg = only(problems_of(raw), "observations_hunan.csv", "column 'quote'", "missing")
    assert "row 1" in msg
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)


def test_missing_figures_column_names_file_and_column(built):
    raw, out, before = built

    def drop(rows):
        for r in rows:
            del r["preferred"]

    edit_figures(raw, drop)
    only(problems_of(raw), "external/figures.csv", "column 'preferred'", "missing")
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)


def test_non_numeric_value(built, capsys):
    raw, out, before = built

    def bad(rows):
        assert rows[7]["value"] == "16171"  # line 9: Xiangxi GDP per capita 2013
        rows[7]["value"] = "16171元"

    edit_figures(raw, bad)
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "external/figures.csv, row 9, column 'value'" in err and "not a plain number" in err
    assert_untouched(out, before)


def test_duplicate_year_names_both_rows(built):
    raw, out, before = built
    rows = read_rows(raw / "observations_xiangxi.csv")
    i = next(k for k, r in enumerate(rows) if r["obs_id"] == "xiangxi.gdp.2019")
    rows.append(dict(rows[i], note="the same year again, with another note"))  # an exact copy is refused earlier
    write_rows(raw / "observations_xiangxi.csv", rows)
    msg = only(problems_of(raw), f"row {len(rows) + 1}", "already appears", f"row {i + 2}")
    assert "Xiangxi gdp 2019" in msg
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)


def test_unknown_unit_lists_valid_units(raw_copy):
    add_probe(raw_copy, unit="万平方公里")
    msg = only(problems_of(raw_copy), "observations_zz_probe.csv, row 2, column 'unit'", "unknown unit")
    assert "亿元" in msg and "data/raw/units.csv" in msg


def test_quote_not_in_document_points_at_difference(raw_copy):
    add_probe(raw_copy, quote=QUOTE.replace("299.3", "299.4"))
    msg = only(problems_of(raw_copy), "observations_zz_probe.csv, row 2, column 'quote'", "doc004")
    assert "does not occur verbatim" in msg and "299." in msg


def test_full_width_punctuation_in_quote_is_not_forgiven(raw_copy):
    add_probe(raw_copy, quote=QUOTE.replace(",", "，"))
    only(problems_of(raw_copy), "column 'quote'", "does not occur verbatim")


def test_value_not_in_quote(raw_copy):
    add_probe(raw_copy, value_printed="1.56", value="1.56")
    only(problems_of(raw_copy), "row 2, column 'value_printed'", "does not occur in the quote")


def test_value_differs_from_printed(raw_copy):
    add_probe(raw_copy, value="15.5")
    only(problems_of(raw_copy), "row 2, column 'value'", "does not equal the printed value 1.55")


def test_gbk_file_is_refused_with_a_fix(built):
    raw, out, before = built
    path = raw / "observations_hunan.csv"
    rows = read_rows(path)
    write_rows(path, rows, encoding="gbk")
    msg = only(problems_of(raw), "observations_hunan.csv", "not valid UTF-8")
    assert "GBK" in msg and "CSV UTF-8" in msg and "iconv" in msg and "row 2" in msg
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)


def test_gbk_figures_file_is_refused(raw_copy):
    edit_figures(raw_copy, lambda rows: None, encoding="gb18030")
    only(problems_of(raw_copy), "external/figures.csv", "not valid UTF-8")


def test_empty_file(built):
    raw, out, before = built
    (raw / "observations_hunan.csv").write_bytes(b"")
    only(problems_of(raw), "observations_hunan.csv", "empty")
    assert main(["--raw", str(raw), "--out", str(out)]) == 1
    assert_untouched(out, before)


def test_empty_figures_file(raw_copy):
    (raw_copy / "external" / "figures.csv").write_bytes(b"")
    resum(raw_copy)
    only(problems_of(raw_copy), "external/figures.csv", "empty")


def test_missing_figures_file(raw_copy):
    (raw_copy / "external" / "figures.csv").unlink()
    only(problems_of(raw_copy), "figures.csv", "missing")


def test_header_only_file(raw_copy):
    path = raw_copy / "observations_hunan.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    only(problems_of(raw_copy), "observations_hunan.csv", "no data rows")


def test_ragged_row(raw_copy):
    path = raw_copy / "external" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    resum(raw_copy)
    only(problems_of(raw_copy), "external/figures.csv, row 4", "fields")


def test_bom_is_accepted_and_output_identical(raw_copy, tmp_path):
    build(raw_copy, tmp_path / "plain")
    path = raw_copy / "external" / "figures.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    resum(raw_copy)
    build(raw_copy, tmp_path / "bom")
    assert (tmp_path / "plain" / "observations.csv").read_bytes() == (
        tmp_path / "bom" / "observations.csv"
    ).read_bytes()


def test_full_width_digits_are_normalised_not_misread(raw_copy, tmp_path):
    def fw(rows):
        assert rows[1]["value"] == "497.19"
        rows[1]["value"] = "４９７．１９"
        rows[1]["year"] = "２０１５"

    edit_figures(raw_copy, fw)
    build(raw_copy, tmp_path / "fw")
    out = read_rows(tmp_path / "fw" / "observations.csv")
    r = next(o for o in out if o["obs_id"] == "xiangxi.gdp.2015.ext")
    assert r["value"] == "497.19" and r["year"] == "2015" and r["value_base"] == "49719000000"


def test_implausible_year(raw_copy):
    add_probe(raw_copy, year="2091", obs_id="xiangxi.probe_area.2091")
    only(problems_of(raw_copy), "row 2, column 'year'", "between 1978 and 2025")


def test_wrong_obs_id(raw_copy):
    add_probe(raw_copy, obs_id="xiangxi.probe_area.2018")
    only(problems_of(raw_copy), "column 'obs_id'", "should be 'xiangxi.probe_area.2019'")


def test_derived_kind_is_refused_in_raw(raw_copy):
    add_probe(raw_copy, kind="derived")
    only(problems_of(raw_copy), "column 'kind'", "computed")


def test_unknown_region_and_indicator(raw_copy):
    add_probe(raw_copy, region="Xiangxi Prefecture")
    only(problems_of(raw_copy), "column 'region'", "unknown region", "Wuling")


def _set(i: int, **changes: str):
    def edit(rows):
        rows[i].update(changes)

    return edit


def test_external_printed_value_must_be_in_quote(raw_copy):
    edit_figures(raw_copy, _set(1, quote="湘西自治州512亿元"))  # line 3: Xiangxi GDP 2015 (497.19)
    only(problems_of(raw_copy), "figures.csv, row 3, column 'value_printed'", "does not occur in the quote")


def test_external_value_must_equal_printed_value_in_its_unit(raw_copy):
    edit_figures(raw_copy, _set(1, unit="万元", value="4971900"))  # same amount, but 497.19 is printed in 亿元
    only(problems_of(raw_copy), "figures.csv, row 3, column 'value'", "does not equal the printed value '497.19'")
    edit_figures(raw_copy, _set(1, unit="亿元", value="497.2"))
    only(problems_of(raw_copy), "figures.csv, row 3, column 'value'", "497.2")


def test_external_scaled_printed_value_is_checked(raw_copy):
    edit_figures(raw_copy, _set(5, value="605.5"))  # line 7: '60.505 billion CNY' is 605.05 亿元
    only(problems_of(raw_copy), "figures.csv, row 7, column 'value'", "60.505 billion CNY")


def test_external_unknown_unit_indicator_region_vintage(raw_copy):
    edit_figures(raw_copy, _set(1, unit="亿美元", indicator="gdp_usd", region="Xiangxi Prefecture", vintage="draft"))
    problems = problems_of(raw_copy)
    only(problems, "figures.csv, row 3, column 'unit'", "unknown unit", "units.csv")
    only(problems, "figures.csv, row 3, column 'indicator'", "external_indicators.csv")
    only(problems, "figures.csv, row 3, column 'region'", "unknown region", "Xiangxi")
    only(problems, "figures.csv, row 3, column 'vintage'", "preliminary")


def test_external_unit_that_cannot_convert_to_the_series_unit(raw_copy):
    edit_figures(raw_copy, _set(1, unit="万人", value="497.19"))
    only(problems_of(raw_copy), "figures.csv, row 3, column 'unit'", "cannot convert 万人")


def test_external_needs_at_most_one_preferred(raw_copy):
    # A key with no preferred row is allowed (it has no default value: figures.csv rows 135, 138);
    # two preferred rows for one key are not.
    edit_figures(raw_copy, lambda rows: (rows[1].update(preferred="yes"), rows[2].update(preferred="yes")))
    only(problems_of(raw_copy), "figures.csv, row 4, column 'preferred'", "more than one preferred")
    edit_figures(raw_copy, _set(2, preferred="maybe"))
    only(problems_of(raw_copy), "figures.csv, row 4, column 'preferred'", "yes or no")


def test_edited_figures_without_new_checksums_is_refused(raw_copy):
    path = raw_copy / "external" / "figures.csv"
    path.write_bytes(path.read_bytes().replace(b"497.19", b"497.18"))
    only(problems_of(raw_copy), "external/figures.csv", "checksum")


def test_altered_document_fails_checksum(raw_copy):
    doc = next((raw_copy / "documents").glob("004_*.txt"))
    doc.write_bytes(doc.read_bytes().replace(b"705.7", b"705.8"))
    only(problems_of(raw_copy), "004_", "checksum")


def test_command_line_exit_status(raw_copy, tmp_path):
    (raw_copy / "observations_hunan.csv").write_bytes(b"")
    r = subprocess.run(
        [sys.executable, "-m", "analysis.data.build", "--raw", str(raw_copy), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "observations_hunan.csv" in r.stderr and "empty" in r.stderr
    assert not (tmp_path / "o").exists()


def test_claims_quote_and_inputs_are_checked(raw_copy):
    path = raw_copy / "claims.csv"
    rows = read_rows(path) if path.exists() else []
    bad = {
        "claim_id": "doc004.c99",
        "source_id": "doc004",
        "quote": "增幅68.47%",
        "stated_printed": "68.47",
        "stated": "68.47",
        "unit": "%",
        "qualifier": "exact",
        "rounding": "0.01",
        "claim_type": "percent_change",
        "inputs": "xiangxi.gdp.2013 xiangxi.nothing.2019",
        "params": "",
        "note": "",
    }
    fields = list(bad)
    write_rows(path, [*rows, bad, {**bad, "claim_id": "doc004.c98", "quote": "增幅68.48%"}], fieldnames=fields)
    problems = problems_of(raw_copy)
    only(problems, "claims.csv", "column 'inputs'", "xiangxi.nothing.2019")
    only(problems, "claims.csv", "column 'quote'", "does not occur verbatim")
