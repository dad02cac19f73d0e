"""``make data`` (:mod:`analysis.build.data`) also validates the curated tables the reports read themselves.

literature_bands.csv, elasticity_notes.csv, comparison_basis_notes.csv and headlines.csv are read by the
reports, not by the data build; a bad row in any of them fails ``make data`` by file, row and column, and
nothing in ``data/processed`` is written. The bad cells of each are among test_damage's named damages
(which run what ``make data`` runs); here: the command, the project's own tables, malformed files.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import paths
from analysis.build.data import report_vocabularies
from analysis.data.build import build
from analysis.errors import DataError
from helpers import assert_untouched, only, read_rows, write_rows


def test_the_report_vocabularies_of_the_project_pass(built):
    raw, out, _ = built
    build(raw, out, checks=[report_vocabularies])
    assert (out / ".validated").exists()


def test_make_data_runs_the_checks(built):
    """The command ``make data`` runs: exit 1, the problem by file, row and column, data/processed untouched."""
    raw, out, before = built
    rows = read_rows(raw / "headlines.csv")
    rows[0]["kind"] = "bogus"  # row 2 of the file
    write_rows(raw / "headlines.csv", rows)
    r = subprocess.run(
        [sys.executable, "-m", "analysis.build.data", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert r.returncode == 1
    assert "make data: FAILED, data/processed left unchanged." in r.stderr
    assert "headlines.csv" in r.stderr and "row 2" in r.stderr and "kind" in r.stderr
    assert_untouched(out, before)


@pytest.mark.parametrize("file", ["comparison_basis_notes.csv", "headlines.csv"])
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda text: "", "the file is empty"),
        (lambda text: text.replace("\n", '\n"', 2).replace('\n"', "\n", 1), "row 3"),  # a stray quote opening row 3
    ],
)
def test_a_malformed_report_vocabulary_is_a_named_refusal_not_a_traceback(built, file, damage, says):
    """These two were read with pandas' own parser, which raised its tracebacks (found by test_damage)."""
    raw, out, before = built
    path = raw / file
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        build(raw, out, checks=[report_vocabularies])
    only([str(p) for p in exc.value.problems], file, says)
    assert_untouched(out, before)
