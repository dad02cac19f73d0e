"""Licence, data licence and citation metadata of the replication package.

``CITATION.cff`` is checked against the rules of the Citation File Format 1.2.0 that a
file like ours touches (required keys, the allowed top-level keys, the date pattern, an
SPDX licence id, authors as persons or entities); its version is the package's.
"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from analysis import paths

CFF_REQUIRED = {"cff-version", "message", "title", "authors"}
CFF_KEYS = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
    "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
    "repository-artifact", "repository-code", "title", "type", "url", "version",
}  # fmt: skip
"""Top-level keys of CFF 1.2.0 (its schema forbids any other)."""


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_follows_the_format(cff):
    assert cff["cff-version"] == "1.2.0"
    assert set(cff) >= CFF_REQUIRED, CFF_REQUIRED - set(cff)
    assert set(cff) <= CFF_KEYS, set(cff) - CFF_KEYS
    assert cff["type"] in ("software", "dataset")
    assert re.fullmatch(r"[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])", str(cff["date-released"]))
    assert cff["license"] == "MIT"
    assert cff["authors"] and all(("name" in a) or ("family-names" in a) for a in cff["authors"])
    assert all(isinstance(v, str) and v.strip() for k, v in cff.items() if k in ("message", "title", "abstract"))


def test_citation_version_is_the_package_version(cff):
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(cff["version"]) == project["version"]


def test_licences_cover_code_data_and_each_document():
    assert "MIT License" in (paths.ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (paths.ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in data and "article 5" in data
    for doc in sorted((paths.RAW / "documents").glob("*.txt")):
        assert f"`{doc.name}`" in data, f"LICENSE-DATA.md has no rights statement for {doc.name}"
    assert "`figures.csv`" in data
