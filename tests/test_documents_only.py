"""``include_external=False`` reproduces the documents-only results from before issue 13 exactly.

The fixtures in ``tests/fixtures/documents_only/`` are the tables the documents-only runs
produced with the code of commit af4bbcd, when the project held 22 external rows (see
``make_fixtures.py`` there). Adding the 133 rows of ``figures.csv`` (and their vintages and
alternatives) must not change a byte of them.
"""

from __future__ import annotations

from pathlib import Path

from analysis.reports import comparison as cr
from analysis.reports import elasticity as er
from analysis.reports import growth as gr

FIXTURES = Path(__file__).parent / "fixtures" / "documents_only"


def _same(out: Path, name: str) -> None:
    got = (out / "tables" / name).read_bytes()
    want = (FIXTURES / name).read_bytes()
    assert got == want, f"{name} differs from the documents-only fixture"


def test_growth_documents_only_is_unchanged(tmp_path):
    run = gr.prepare(include_external=False, output_dir=tmp_path, run_name="growth_documents_only")
    table = gr.build_table(run)
    # Issue 13 appended the real-terms columns (gr.REAL_COLUMNS); every column of the fixture is
    # unchanged, string for string, and no real value exists without the (external) price indices.
    import pandas as pd

    got = pd.read_csv(tmp_path / "tables" / "growth_documents_only.csv", dtype=str, keep_default_na=False)
    want = pd.read_csv(FIXTURES / "growth_documents_only.csv", dtype=str, keep_default_na=False)
    assert list(got.columns) == [*want.columns, *gr.REAL_COLUMNS]
    assert got[list(want.columns)].equals(want), "growth_documents_only.csv differs from the documents-only fixture"
    assert (got["real_cagr"] == "").all()
    dibao = table[table["series_id"] == "xiangxi.rural_dibao_standard"].iloc[0]
    assert "price data are external values, left out of this run" in dibao["real_note"]
    assert set(table["kinds_used"]) <= {"document", "derived", "derived document"}
    assert not table["external_used"].any() if "external_used" in table else True


def test_elasticities_documents_only_are_unchanged(tmp_path):
    run = er.prepare(include_external=False, output_dir=tmp_path, run_name="elasticities_documents_only")
    er.build_table(run)
    er.build_benchmark(run)
    _same(tmp_path, "elasticities_documents_only.csv")
    _same(tmp_path, "elasticities_documents_only_benchmark.csv")


def test_comparisons_documents_only_are_unchanged(tmp_path):
    run = cr.prepare(include_external=False, output_dir=tmp_path, run_name="comparisons_documents_only")
    table = cr.build_table(run)
    _same(tmp_path, "comparisons_documents_only.csv")
    assert not table["kinds"].str.contains("external").any()
