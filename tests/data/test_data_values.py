"""The processed table holds the documents' numbers, converted correctly.

Expected values are typed from the documents by hand (not computed by the code under
test), with the sentence they come from.
"""

from __future__ import annotations

import csv
import hashlib

import pytest

from analysis import get_series, load_observations, observation, paths
from analysis.data.build import build
from analysis.data.load import UnknownChoice

# (obs_id, value, unit, value_base, base_unit), read off the documents.
EXPECTED = [
    # doc004: 湘西州的生产总值从418.9亿元增加到705.7亿元 ... 人均生产总值从16171元增加到26691元
    ("xiangxi.gdp.2013", 418.9, "亿元", 41890000000, "yuan"),
    ("xiangxi.gdp.2019", 705.7, "亿元", 70570000000, "yuan"),
    ("xiangxi.gdp_per_capita.2013", 16171, "元", 16171, "yuan"),
    ("xiangxi.gdp_per_capita.2019", 26691, "元", 26691, "yuan"),
    # 贫困人口由2013年的65.77万人减少到2019年底的1.56万人,贫困发生率由31.93%下降至0.65%
    ("xiangxi.poor_population.2013", 65.77, "万人", 657700, "persons"),
    ("xiangxi.poor_population.2019", 1.56, "万人", 15600, "persons"),
    ("xiangxi.poverty_incidence.2013", 31.93, "%", 0.3193, "fraction"),
    ("xiangxi.poverty_incidence.2019", 0.65, "%", 0.0065, "fraction"),
    # 农村低保标准由2014年的1980元提升至2019年的3927元 ... 月人均救助水平由2014年的106元提升至2019年的206元
    ("xiangxi.rural_dibao_standard.2014", 1980, "元/年", 1980, "yuan/year"),
    ("xiangxi.rural_dibao_standard.2019", 3927, "元/年", 3927, "yuan/year"),
    ("xiangxi.rural_dibao_monthly_assistance.2014", 106, "元/月", 106, "yuan/month"),
    ("xiangxi.rural_dibao_monthly_assistance.2019", 206, "元/月", 206, "yuan/month"),
    # 特困供养人员的基本生活费标准从每人每年2640元增长到2019年的4800元
    ("xiangxi.extreme_poverty_support_standard.2014", 2640, "元/年", 2640, "yuan/year"),
    ("xiangxi.extreme_poverty_support_standard.2019", 4800, "元/年", 4800, "yuan/year"),
    # 重度残疾人护理补贴标准由 2016年的每人每月50元提升至2019年的每人每月60元 ... 2020年 ... 100元
    ("xiangxi.severe_disability_care_subsidy.2016", 50, "元/月", 50, "yuan/month"),
    ("xiangxi.severe_disability_care_subsidy.2019", 60, "元/月", 60, "yuan/month"),
    ("xiangxi.severe_disability_care_subsidy.2020", 100, "元/月", 100, "yuan/month"),
    ("xiangxi.needy_disabled_living_subsidy.2016", 50, "元/月", 50, "yuan/month"),
    ("xiangxi.needy_disabled_living_subsidy.2019", 100, "元/月", 100, "yuan/month"),
    ("xiangxi.unsupported_children_aid_standard.2019", 800, "元/月", 800, "yuan/month"),
    # 共保障农村低保156484人 ... 累计发放农村低保金21.8亿元 ... 特困人员共计1.28万人 ... 累计发放资金3.1亿元
    ("xiangxi.rural_dibao_recipients.2019", 156484, "人", 156484, "persons"),
    ("xiangxi.rural_dibao_cumulative_spending.2019", 21.8, "亿元", 2180000000, "yuan"),
    ("xiangxi.extreme_poverty_support_recipients.2019", 1.28, "万人", 12800, "persons"),
    ("xiangxi.extreme_poverty_cumulative_spending.2019", 3.1, "亿元", 310000000, "yuan"),
    # doc000: 2019年农村居民人均可支配收入为11544元,是2010年的3.3倍;从2011年的793万人下降到49万人;26.3%下降到1.7%;71个片区县中有70个
    ("wuling.rural_disposable_income.2019", 11544, "元", 11544, "yuan"),
    ("wuling.rural_income_multiple_2010.2019", 3.3, "倍", 3.3, "multiple"),
    ("wuling.poor_population.2011", 793, "万人", 7930000, "persons"),
    ("wuling.poor_population.2019", 49, "万人", 490000, "persons"),
    ("wuling.poverty_incidence.2011", 26.3, "%", 0.263, "fraction"),
    ("wuling.poverty_incidence.2019", 1.7, "%", 0.017, "fraction"),
    ("wuling.poverty_counties_exited.2019", 70, "个", 70, "count"),
    ("wuling.poverty_counties_total.2019", 71, "个", 71, "count"),
    ("wuling.support_funds_invested_all_departments.2019", 6300, "亿元", 630000000000, "yuan"),
    # doc002: 全部23个县（区、市）均已脱贫摘帽
    ("luoxiao.poverty_counties_exited.2020", 23, "个", 23, "count"),
    # doc001: 我省共减少贫困人口218万人 ... 贫困发生率降至8.2% ... 人均可支配收入达7114元
    ("hunan.poverty_incidence.2015", 8.2, "%", 0.082, "fraction"),
    ("hunan.poor_population_reduction.2015", 218, "万人", 2180000, "persons"),
    ("hunan40.rural_disposable_income.2015", 7114, "元", 7114, "yuan"),
    ("hunan.poverty_counties_total.2015", 40, "个", 40, "count"),  # 40个国家扶贫开发工作重点县和片区县
    ("hunan.provincial_special_poverty_funds.2015", 7.2, "亿元", 720000000, "yuan"),
    ("hunan.provincial_special_poverty_funds.2016", 25.35, "亿元", 2535000000, "yuan"),
    # doc003: 832个贫困县累计发展农民合作社68.2万家 ... 参保率稳定在99.9%以上
    ("china.farmer_cooperatives_poor_counties.2020", 68.2, "万家", 682000, "count"),
    ("china.poor_basic_medical_insurance_enrolment_rate.2020", 99.9, "%", 0.999, "fraction"),
    # external: figures.csv
    ("xiangxi.gdp.2015.ext", 497.19, "亿元", 49719000000, "yuan"),
    ("xiangxi.gdp.2018.ext", 605.05, "亿元", 60505000000, "yuan"),
    ("china.poverty_line_current_prices.2014.ext", 2800, "元/年", 2800, "yuan/year"),
]


@pytest.mark.parametrize(("obs_id", "value", "unit", "value_base", "base_unit"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_value_and_base_conversion(obs_id, value, unit, value_base, base_unit):
    r = observation(obs_id)
    assert r["value"] == pytest.approx(value, rel=1e-12)
    assert r["unit"] == unit
    assert r["value_base"] == pytest.approx(value_base, rel=1e-12)
    assert r["base_unit"] == base_unit


def test_processed_value_base_is_exact_text():
    with open(paths.OBSERVATIONS_CSV, encoding="utf-8") as fh:
        rows = {r["obs_id"]: r for r in csv.DictReader(fh)}
    assert rows["xiangxi.gdp.2019"]["value_base"] == "70570000000"
    assert rows["xiangxi.poor_population.2013"]["value_base"] == "657700"
    assert rows["xiangxi.poverty_incidence.2013"]["value_base"] == "0.3193"


def test_qualifiers_are_kept():
    assert observation("wuling.support_funds_invested_all_departments.2019")["qualifier"] == "more_than"
    assert observation("china.poor_inpatient_reimbursement_rate.2020")["qualifier"] == "nearly"


def test_cumulative_values_carry_their_period():
    r = observation("xiangxi.rural_dibao_cumulative_spending.2019")
    assert r["period_start"] == 2014


def test_every_document_quote_is_verbatim_and_holds_its_value():
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in (paths.DOCUMENTS).glob("*.txt")}
    obs = load_observations(kinds=["document"])
    assert len(obs) >= 200
    for _, r in obs.iterrows():
        assert r["quote"] in texts[r["source_id"][3:]], r["obs_id"]
        assert r["value_printed"] in r["quote"], r["obs_id"]


def test_derived_wuling_2010_income():
    # 11544 / 3.3 = 3498.18; with 3.3 meaning [3.25, 3.35) and 11544 +-0.5: 3445.8 to 3552.2
    r = observation("wuling.rural_disposable_income.2010.derived")
    assert r["kind"] == "derived"
    assert r["value"] == pytest.approx(3498.18, abs=0.005)
    assert r["value_low"] == pytest.approx(3445.82, abs=0.01)
    assert r["value_high"] == pytest.approx(3552.15, abs=0.01)
    assert "3.3" in r["note"] and "derived" in r["note"]


def test_derived_population_denominators():
    # 418.9e8 / 16171 = 2,590,439 persons = 259.04 万人; 65.77 / 0.3193 = 205.98 万人
    assert observation("xiangxi.resident_population_implied.2013.derived")["value"] == pytest.approx(259.04)
    assert observation("xiangxi.poverty_base_population_implied.2013.derived")["value"] == pytest.approx(205.98)
    assert observation("wuling.poverty_base_population_implied.2011.derived")["value"] == pytest.approx(3015.21)


def test_external_rows_keep_their_provenance():
    r = observation("xiangxi.gdp.2016.ext")
    assert r["kind"] == "external" and r["value"] == 551.7
    assert r["publisher"] and r["url"].startswith("http") and r["confidence"] == "medium" and r["basis"]


def test_get_series_prefers_documents_and_can_leave_external_out():
    s = get_series("Xiangxi", "gdp")
    assert list(s["year"]) == [2013, 2015, 2016, 2017, 2018, 2019, 2020]
    assert s.loc[s["year"] == 2013, "kind"].item() == "document"
    docs = get_series("Xiangxi", "gdp", kinds=("document",))
    assert list(docs["year"]) == [2013, 2019]
    assert list(get_series("Xiangxi", "gdp", start=2015, end=2018)["year"]) == [2015, 2016, 2017, 2018]


def test_get_series_unknown_choices_are_listed():
    with pytest.raises(UnknownChoice, match=r"valid choices: .*Wuling.*Xiangxi"):
        get_series("Xiangxy", "gdp")
    with pytest.raises(UnknownChoice, match="gdp_per_capita"):
        get_series("Xiangxi", "gpd")


def test_loader_does_not_depend_on_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert observation("xiangxi.gdp.2019")["value"] == 705.7


def _checksummed_documents() -> list[list[str]]:
    sums = (paths.DOCUMENTS / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    return [line.split() for line in sums if line.strip()]


def test_documents_match_checksums():
    listed = _checksummed_documents()
    assert len([n for _, n in listed if n.endswith(".txt")]) == 5
    for digest, name in listed:
        assert hashlib.sha256((paths.DOCUMENTS / name).read_bytes()).hexdigest() == digest, name


def test_documents_are_the_shared_copies(shared_dir):
    for _, name in _checksummed_documents():
        assert (shared_dir / "documents" / name).read_bytes() == (paths.DOCUMENTS / name).read_bytes(), name


def test_build_is_deterministic(tmp_path):
    build(paths.RAW, tmp_path / "a")
    build(paths.RAW, tmp_path / "b")
    for name in ("observations.csv", "claims.csv", "sources.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_catalog_ids():
    with open(paths.RAW / "sources.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["source_id"] for r in rows]
    assert ids == ["doc000", "doc001", "doc002", "doc003", "doc004", "external"]
    for r in rows[:5]:
        assert (paths.RAW / r["file"]).exists() and r["issuer"] and r["date"] and r["title"]
