"""The codebook: plain CSV exports beside a Frictionless Data Package that describes them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.data import exports
from analysis.data.codebook import validate
from analysis.data.columns import OBSERVATION_COLUMNS


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    exports.write_exports(d)
    return d


@pytest.fixture(scope="module")
def package(out) -> dict:
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def test_every_exported_table_conforms_to_its_schema(out, package):
    names = {r["name"]: r["path"] for r in package["resources"]}
    assert names == {
        "observations": "observations.csv",
        "panel": "panel.csv",
        "sources": "sources.csv",
        "regions": "regions.csv",
    }
    assert validate(package, out) == []
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_codebook_and_the_stata_labels_share_their_descriptions(package):
    obs = next(r for r in package["resources"] if r["name"] == "observations")["schema"]
    assert [f["name"] for f in obs["fields"]] == list(OBSERVATION_COLUMNS)
    for f in obs["fields"]:
        assert f["description"] == OBSERVATION_COLUMNS[f["name"]][1]
    by = {f["name"]: f for f in obs["fields"]}
    assert by["year"]["type"] == "integer" and by["value"]["type"] == "number"
    assert by["kind"]["constraints"]["enum"] == ["derived", "document", "external"]
    assert "上年=100" in by["unit"]["constraints"]["enum"] and "亿元" in by["unit"]["constraints"]["enum"]
    assert obs["primaryKey"] == "obs_id"
    assert {fk["fields"] for fk in obs["foreignKeys"]} == {"source_id", "region"}
    assert "preferred" in by and "in_series" in by and "in_series" in by["preferred"]["description"]


def test_regions_merge_with_other_statistics(out):
    regions = pd.read_csv(out / "regions.csv", dtype=str, keep_default_na=False).set_index("region")
    # GB/T 2260: Hunan 430000, Xiangxi Tujia and Miao Autonomous Prefecture 433100 (MCA code list)
    assert regions.loc["Hunan", "gbt2260_code"] == "430000" and regions.loc["Xiangxi", "gbt2260_code"] == "433100"
    assert regions.loc["Xiangxi", "name_en"] == "Xiangxi Tujia and Miao Autonomous Prefecture"
    for area in ("Wuling", "Luoxiao"):  # no code, and the table says why
        assert (
            regions.loc[area, "gbt2260_code"] == ""
            and "not an administrative division" in regions.loc[area, "code_note"]
        )
    assert (regions["name_en"] != "").all()


def test_observations_csv_carries_in_series_once_per_series_and_year(out):
    obs = pd.read_csv(out / "observations.csv", dtype=str, keep_default_na=False)
    used = obs[obs["in_series"] == "yes"]
    assert not used.duplicated(["series_id", "year"]).any()
    # Xiangxi GDP 2013: a document row and an external row (both preferred); the document one is used
    y13 = obs[(obs["series_id"] == "xiangxi.gdp") & (obs["year"] == "2013")].set_index("obs_id")
    assert (y13.loc["xiangxi.gdp.2013", "in_series"], y13.loc["xiangxi.gdp.2013.ext", "in_series"]) == ("yes", "no")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda df: df.assign(year=df["year"].where(df.index != 3, "20x3")), "observations.csv, row 5, column 'year'"),
        (lambda df: df.assign(kind=df["kind"].where(df.index != 0, "guess")), "row 2, column 'kind': 'guess' not in"),
        (lambda df: df.assign(region=df["region"].where(df.index != 1, "Atlantis")), "'Atlantis' not in"),
        (lambda df: pd.concat([df, df.iloc[[0]]]), "primary key ['obs_id'] repeats"),
    ],
)
def test_a_damaged_export_fails_its_schema_with_file_row_column(out, package, tmp_path, edit, message):
    for p in out.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    obs = pd.read_csv(tmp_path / "observations.csv", dtype=str, keep_default_na=False)
    edit(obs).to_csv(tmp_path / "observations.csv", index=False)
    problems = validate(package, tmp_path)
    assert any(message in p for p in problems), problems[:5]
