"""Headline records computed once (issue 24 item 4): hand-computed values, one rendering, a validated vocabulary.

The records are computed from the report tables of the ``report_tables`` fixture (the tables each
notebook run writes, computed in-process). Values rest on these rows of ``data/raw``:

- ``observations_xiangxi.csv``: ``xiangxi.gdp.2013`` = 418.9 亿元 and ``xiangxi.gdp.2019`` = 705.7 亿元
  (doc004), ``xiangxi.gdp_per_capita.2013/.2019`` = 16171 / 26691 元 (doc004),
  ``xiangxi.poverty_incidence.2013/.2019`` = 31.93% / 0.65% (doc004);
- ``external/figures.csv``: Xiangxi GDP 2018 = 605.05 亿元 (preliminary, before the census revision).
"""

from __future__ import annotations

import contextlib
import html
import io
import math
import re
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.build import findings as fnd
from analysis.build import readme
from analysis.data.load import load_observations
from analysis.errors import DataError
from analysis.reports import audit_headlines, fmt, growth_headlines
from analysis.reports.headlines import HEADLINES_CSV, Context, Record, Skip, load_specs


@pytest.fixture(scope="module")
def ctx(report_tables) -> Context:
    return Context(report_tables, load_observations())


@pytest.fixture(scope="module")
def found(report_tables) -> dict[str, Record]:
    with contextlib.redirect_stdout(io.StringIO()):
        return {f.key: f for f in fnd.collect(report_tables, load_observations(), limit=99)}


def test_gdp_record_carries_the_like_for_like_cagr_and_the_one_across_the_break(found):
    r = found["gdp-growth"]
    # lead: 2013-2018, both before the 2019 census revision: 418.9 (doc004) -> 605.05 (external, preliminary)
    # (605.05/418.9)**(1/5)-1 = 0.076317 = 7.63%
    assert r.period == "2013-2018" and r.unit == "fraction a year"
    assert r.value == pytest.approx((605.05 / 418.9) ** (1 / 5) - 1, rel=1e-9)
    assert round(100 * r.value, 2) == 7.63
    # after it, labelled: 2013-2019 across the break: (705.7/418.9)**(1/6)-1 = 0.090816 = 9.08%
    assert r.values["across_cagr"] == pytest.approx((705.7 / 418.9) ** (1 / 6) - 1, rel=1e-9)
    assert round(100 * r.values["across_cagr"], 2) == 9.08
    assert r.values["start_value"] == 418.9 and r.values["end_value"] == 605.05
    # the sentence states the record's numbers, and the break by its label (params.series_breaks)
    assert "grew 7.63% a year in nominal terms over 2013-2018" in r.text
    assert "across the 2019 series break (census revision), 9.08% a year" in r.text


def test_poverty_and_elasticity_records_carry_their_log_changes(found):
    p = found["poverty-xiangxi"]
    # ln(0.65/31.93) = -3.8944 over 6 years = -0.6491 a year (observations_xiangxi.csv, doc004 rows)
    assert p.unit == "log change a year"
    assert p.value == pytest.approx(math.log(0.65 / 31.93) / 6, rel=1e-9)
    assert p.values["change"] == pytest.approx(0.65 - 31.93)  # -31.28 percentage points
    e = found["elasticity-gdp"]
    # ln(0.65/31.93) / ln(26691/16171) = -3.8944 / 0.50110 = -7.77
    assert e.unit == "elasticity"
    assert e.value == pytest.approx(math.log(0.65 / 31.93) / math.log(26691 / 16171), rel=1e-6)
    assert "log arc elasticity of −7.77 over 2013-2019" in e.text


def test_audit_record_counts_and_period_come_from_the_tables(found, report_tables):
    a = found["audit"]
    audit = pd.read_csv(report_tables / "claims_audit.csv", dtype=str, keep_default_na=False)
    docs = audit[audit["source_id"].str.fullmatch(r"doc\d+")]
    assert a.values["inconsistent"] == (docs["verdict"] == "inconsistent").sum() == 1  # doc004.c01
    assert a.values["total"] == len(docs)
    # the documents' dates in sources.csv run from doc001's 2016-06-13 to doc004's "2020-2021"
    assert a.period == "2016-2021 documents"


def test_the_same_record_renders_identically_in_the_index_and_readme(report_tables, found):
    src = readme.Sources(report_tables)
    try:
        block = readme.BLOCKS["readme.headlines"](src)
    finally:
        src.close()
    # the index renders f.text through the template (HTML-escaped); README the bullet: both fmt.sentence
    for key, line in zip(readme.HEADLINES, block.splitlines(), strict=True):
        r = found[key]
        assert line == f"- {fmt.sentence(r)}"
        assert html.unescape(fmt.html(r)) == fmt.sentence(r)


def test_docs_blocks_are_records_rendered_by_fmt(ctx):
    specs = {s.key: s for s in load_specs(kinds=fnd.KINDS)}
    assert {k for k, s in specs.items() if s.shown == "docs"} <= set(readme.BLOCKS)
    r = fnd.KINDS[specs["results.growth"].kind](ctx, specs["results.growth"])
    # the documentation paragraph states the same numbers as the index record: 7.63% and 9.08%
    assert r.value == pytest.approx((605.05 / 418.9) ** (1 / 5) - 1, rel=1e-9)
    assert "is 7.63% a year; over 2013-2019, across the 2019 census revision" in " ".join(fmt.block(r).split())
    audit = fnd.KINDS[specs["results.audit"].kind](ctx, specs["results.audit"])
    lines = fmt.block(audit).split("\n")
    assert any(x.startswith("- doc004.c01 ") for x in lines)  # list lines are kept whole
    assert all(len(x) <= 90 for x in lines if not x.startswith("- "))


def test_a_report_module_gives_its_own_records_for_a_notebook(ctx):
    keys = [r.key for r in growth_headlines.records(ctx)]
    assert keys[:2] == ["gdp-growth", "real-growth"] and "results.growth" not in keys
    assert [r.key for r in audit_headlines.records(ctx)] == ["audit", "consistency"]
    assert fmt.markdown(audit_headlines.records(ctx)).startswith("- Of the 32 derived statements")


def test_a_missing_table_is_a_skip(tmp_path):
    empty = Context(tmp_path, load_observations())
    assert growth_headlines.records(empty) == []
    with pytest.raises(Skip, match=re.escape("growth_rates.csv not built")):
        fnd.record(empty, "gdp-growth")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.assign(kind=t["kind"].where(t.index != 1, "cagrr")), "row 3, column 'kind': 'cagrr' is not one"),
        (
            lambda t: t.assign(key=t["key"].where(t.index != 2, "gdp-growth")),
            "row 4, column 'key': 'gdp-growth' repeats row 2",
        ),
        (lambda t: t.assign(rows=t["rows"].where(t.index != 0, "")), "row 2, column 'rows': is empty"),
        (
            lambda t: t.assign(order=t["order"].where(t.index != 4, "x")),
            "row 6, column 'order': 'x' is not a whole number",
        ),
        (
            lambda t: t.assign(shown=t["shown"].where(t.index != 5, "site")),
            "row 7, column 'shown': 'site' is not one of",
        ),
        (lambda t: t.drop(columns=["subject"]), "row 1, column 'subject': required column is missing"),
    ],
)
def test_damaged_headlines_csv_names_file_row_and_column(tmp_path, edit, message):
    path = tmp_path / "headlines.csv"
    shutil.copy(HEADLINES_CSV, path)
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(t).to_csv(path, index=False)
    with pytest.raises(DataError, match=message) as err:
        load_specs(path, kinds=fnd.KINDS)
    assert "headlines.csv" in str(err.value)


def test_the_vocabulary_names_every_series_it_reads(ctx):
    """Every series id in ``rows``/``inputs`` of a growth or input list is a series of the observations."""
    series = set(load_observations()["series_id"])
    for s in load_specs(kinds=fnd.KINDS):
        for sid in s.inputs:
            assert sid in series, (paths.relative(HEADLINES_CSV), s.key, sid)
        if s.table.startswith("growth"):
            assert all(r in series for r in s.rows), (s.key, s.rows)
