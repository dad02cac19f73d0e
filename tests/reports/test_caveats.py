"""Caveats ranked, beside the findings they touch, boilerplate once, only where their data are used."""

from __future__ import annotations

import re

import pytest

from analysis.reports import audit as ar
from analysis.reports import audit_text as at
from analysis.reports import comparison as cr
from analysis.reports import comparison_text as ct
from analysis.reports import elasticity as er
from analysis.reports import elasticity_text as et
from analysis.reports import growth as gr
from analysis.reports import growth_text as gt
from analysis.reports.caveats import TOP, Caveat, rank, render


def test_rank_orders_by_effect_then_findings_touched_then_report_order():
    a = Caveat("a", "", "procedure", ("f1", "f2", "f3"))
    b = Caveat("b", "", "magnitude", ("f1",))
    c = Caveat("c", "", "sign")
    d = Caveat("d", "", "magnitude", ("f1", "f2"))
    e = Caveat("e", "", "magnitude", ("f3",))
    # sign first whatever it touches; among magnitude: d (2 findings) before b and e (1 each, in order)
    assert [k.title for k in rank([a, b, c, d, e])] == ["c", "d", "b", "e", "a"]


def test_unknown_effect_is_refused():
    with pytest.raises(ValueError, match="effect 'huge'"):
        Caveat("x", "", "huge")


def test_render_leads_with_three_numbered_and_links_their_findings():
    cs = [Caveat(f"c{i}.", "t", "scope", ("gdp-growth",) * (i % 2)) for i in range(5)]
    md = render(cs, ["Rule once."])
    numbered = re.findall(r"^(\d)\. \*\*(c\d)\.\*\*", md, flags=re.MULTILINE)
    # c1 and c3 touch a finding, so they rank first among equal effects; then c0 (report order)
    assert numbered == [("1", "c1"), ("2", "c3"), ("3", "c0")]
    assert len(numbered) == TOP
    assert md.count("(index.html#finding-gdp-growth)") == 2
    assert md.count("Rule once.") == 1
    assert "- **c2.**" in md and "- **c4.**" in md


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory):
    run = cr.prepare(output_dir=str(tmp_path_factory.mktemp("cmp")))
    cr.build_table(run)
    return run


def test_row_boilerplate_is_stated_once_not_on_every_displayed_row(comparisons):
    run = comparisons
    notes = run.table["note"].astype(str)
    # the CSV keeps the clause on every row it applies to (several income rows)
    assert notes.str.contains("(ANNUAL_PER_CAPITA rule)", regex=False).sum() > 1
    assert notes.str.contains("the areas overlap and are not independent", regex=False).sum() > 1
    for section in ("poverty", "growth", "assistance"):
        shown = ct.display_rows(run, section)["note"]
        assert not shown.str.contains("ANNUAL_PER_CAPITA rule", regex=False).any()
        assert not shown.str.contains("not independent", regex=False).any()
    md = ct.caveats(run)
    assert md.count("ANNUAL_PER_CAPITA") == 1 and md.count("not independent") == 1


def test_cannot_support_groups_the_absences_into_one_line(comparisons):
    run = comparisons
    text = ct.cannot_support(run)
    absent = [c for s in cr.SECTIONS for c in run.rows.get(s, []) if c.status == "not observed"]
    unique = {(c.metric, c.region, c.year_or_period) for c in absent}
    lines = text.splitlines()
    grouped = [ln for ln in lines if ln.startswith("- **Not in the data, so not compared")]
    assert len(grouped) == 1 and f"({len(unique)}):" in grouped[0]
    assert not any("; not observed)" in ln for ln in lines)  # no line per absence any more
    # every absence is named in the one grouped line (19 in the default run; before: 19 lines)
    assert all(f"{m} (" in grouped[0] for m, _, _ in unique)


def test_comparison_caveats_lead_with_measurement(comparisons):
    md = ct.caveats(comparisons)
    first = re.search(r"^1\. \*\*(.+?)\*\*", md, flags=re.MULTILINE)
    # the default run also sets each region against China (section national): both measurement caveats lead
    assert first and first.group(1).startswith(("Two measurement systems", "Registered poverty"))
    assert re.search(r"^2\. \*\*(Two measurement systems|Registered poverty)", md, flags=re.MULTILINE)
    assert "(index.html#finding-poverty-xiangxi)" in md


def test_the_measurement_caveat_names_the_regions_the_run_compares(comparisons, tmp_path):
    """regions.csv ``poverty_measure``: the default run compares Xiangxi and Hunan (registered) with the
    Wuling area (basis not stated); a run of Hunan and Xiangxi alone names no Wuling."""
    from analysis.reports import comparison_text as ct

    text = ct.measurement_bases(comparisons)
    assert text.startswith("Xiangxi and Hunan: incidence from the registered-poor system (建档立卡) under exit targets")
    assert "; the basis of the Wuling area figure is not stated. Part of a gap" in text
    caveat = next(c for c in ct.caveat_list(comparisons) if c.title.startswith("Registered poverty"))
    assert caveat.text == text
    own = cr.prepare(regions=["Hunan", "Xiangxi"], benchmark="Hunan", indicator="poverty_incidence",
                     output_dir=str(tmp_path), run_name="hx")  # fmt: skip
    cr.build_table(own)
    assert "Wuling" not in ct.measurement_bases(own) and ct.measurement_bases(own).startswith("Xiangxi and Hunan:")


def test_the_external_values_caveat_counts_the_rows_they_enter(comparisons, tmp_path):
    """The caveat counts the table rows whose kinds include an external value (no region typed in Python);
    a documents-only run has none and no such caveat."""
    from analysis.reports import comparison_text as ct

    rows = [c for section in comparisons.rows.values() for c in section]
    n = sum("external" in (c.kinds or "") for c in rows)
    caveat = next(c for c in ct.caveat_list(comparisons) if c.title.startswith("External"))
    assert caveat.text.startswith(f"External (secondary-source) values enter {n} of the {len(rows)} table rows")
    assert 0 < n < len(rows)
    docs = cr.prepare(include_external=False, output_dir=str(tmp_path), run_name="docs")
    cr.build_table(docs)
    assert not [c for c in ct.caveat_list(docs) if c.title.startswith("External")]


def test_growth_caveats_only_where_their_data_are_used(tmp_path):
    full = gr.prepare(output_dir=str(tmp_path))
    gr.build_table(full)
    only_income = gr.prepare(output_dir=str(tmp_path), region="Xiangxi", indicator="rural_dibao_standard")
    gr.build_table(only_income)
    md = gt.caveats(full)
    assert "Census revision" in md and "Two GDP figures for 2015" in md
    small = gt.caveats(only_income)
    # the dibao standard alone: no GDP, no poverty, no rural income
    for absent in ("Census revision", "2015", "Poverty measured", "Concept break", "Real GDP"):
        assert absent not in small, absent


def test_elasticity_and_audit_sections_are_ranked(tmp_path):
    run = er.prepare(output_dir=str(tmp_path / "el"))
    er.build_table(run)
    md = et.caveats(run)
    assert re.search(r"^1\. \*\*Registered poverty under exit targets", md, flags=re.MULTILINE)
    assert "Computed from this run's numbers" not in md  # those sentences are written in the notebook (issue 24)
    audit = ar.prepare(output_dir=str(tmp_path / "au"))
    ar.build_table(audit)
    amd = at.caveats(audit)
    assert re.search(r"^1\. \*\*", amd, flags=re.MULTILINE) and amd.count("interval its printed digits imply") == 1


def test_caveats_stand_beside_the_findings_they_touch(tmp_path, monkeypatch):
    """Each run writes its ranked caveats (tables/<run>_caveats.csv); the index lists, under a key
    finding, the top-three caveats of any report that touch it, linked to their table row."""
    from analysis import paths
    from analysis.build import site
    from analysis.reports import caveats as cv

    ranked = cv.table(
        [
            cv.Caveat("Procedure.", "how", "procedure", ("gdp-growth",)),
            cv.Caveat("Census revision.", "level shift", "magnitude", ("gdp-growth",)),
            cv.Caveat("Registers.", "two registers", "sign", ("poverty-xiangxi", "gdp-growth")),
            cv.Caveat("Scope.", "covers", "scope", ("gdp-growth",)),
        ]
    )
    # ranked by effect (sign, magnitude, scope, procedure); the title loses its full stop
    assert list(ranked["title"]) == ["Registers", "Census revision", "Scope", "Procedure"]
    assert list(ranked["rank"]) == [1, 2, 3, 4] and ranked.loc[0, "findings"] == "poverty-xiangxi gdp-growth"
    monkeypatch.setattr(paths, "TABLES", tmp_path)
    ranked.to_csv(tmp_path / "growth_rates_caveats.csv", index=False)
    got = site.caveats_of("gdp-growth")
    assert [c["title"] for c in got] == ["Registers", "Census revision", "Scope"]  # the top three only
    assert got[0]["href"] == "tables/growth_rates_caveats.html#row-1"
    assert site.caveats_of("counties") == []
