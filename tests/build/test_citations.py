"""BibTeX for the sources (``reports/sources.bib``) and the citation line of each observation."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.build.citations import bibtex, cite_line, external_key
from analysis.data.load import load_observations


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def bib(sources) -> str:
    return bibtex(sources, load_observations(preferred_only=False))


def test_one_entry_per_document_and_per_external_page(bib):
    keys = re.findall(r"@misc\{([^,]+),", bib)
    assert len(keys) == len(set(keys))
    # data/processed/sources.csv: five documents (doc000-doc004) with their slugs as keys
    assert keys[:5] == [
        "neac_2020_wuling_proposal_reply",
        "hunan_2016_proposal_0389_reply",
        "mca_2020_luoxiao_article",
        "cpad_2020_npc_8255_reply",
        "xiangxi_targeted_poverty_case",
    ]
    # one per distinct address in data/raw/external/figures.csv
    urls = set(pd.read_csv(paths.EXTERNAL / "figures.csv", dtype=str, keep_default_na=False)["url"])
    assert sorted(keys[5:]) == sorted(external_key(u) for u in urls)
    assert bib.count("{") == bib.count("}") + bib.count(r"\}") - bib.count(r"\{")  # balanced braces


def test_document_entry_by_hand(bib):
    # sources.csv row doc004: issuer_en, title_en, date 2020-2021
    entry = bib[bib.index("@misc{xiangxi_targeted_poverty_case,") :].split("\n}\n")[0]
    assert (
        "author = {{China Poverty Alleviation Development Center / China Agricultural University research group}}"
        in entry
    )
    assert "title = {Case study of targeted poverty alleviation in Xiangxi Prefecture}" in entry
    assert "year = {2020}" in entry and "湘西州精准扶贫案例" in entry


def test_every_observation_has_a_citation_line(sources):
    obs = load_observations()
    lines = {r["obs_id"]: cite_line(r, sources) for r in obs.to_dict("records")}
    assert lines["xiangxi.gdp.2019"].endswith("[xiangxi_targeted_poverty_case]")
    ext = obs[obs["obs_id"] == "xiangxi.gdp.2018.ext"].iloc[0]
    assert lines["xiangxi.gdp.2018.ext"] == f"{ext['publisher']}, {ext['url']} [{external_key(ext['url'])}]"
    derived = obs[obs["kind"] == "derived"]
    assert all(lines[i].startswith("derived from ") for i in derived["obs_id"])
    assert all(re.search(r"\[[\w-]+\]$", v) for v in lines.values())
