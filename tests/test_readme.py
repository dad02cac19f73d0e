"""README.md states only results the build computes: its marked blocks are regenerated and compared.

The report tables are computed in-process once per module (the notebooks' own ``prepare``
and ``build_table`` calls, no kernel); planted copies of a table, the observations and the
benchmark results show that a changed value fails the check with the README line, the
old value and the new one.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.build import readme
from analysis.build.runs import RUNS
from conftest import read_rows, write_rows

README = paths.ROOT / "README.md"
USED_RUNS = ("growth_rates", "elasticities", "comparisons", "china_comparisons", "claims_audit")


@pytest.fixture(scope="module")
def tables(report_tables) -> Path:
    """The report tables the README uses, computed in-process as the notebook runs compute them
    (the session's ``report_tables``, conftest.py)."""
    return report_tables


def readme_line(text: str) -> int:
    """The 1-based line of README.md that contains ``text`` (exactly one)."""
    hits = [i + 1 for i, line in enumerate(README.read_text(encoding="utf-8").splitlines()) if text in line]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def test_readme_is_current(tables):
    problems = readme.check(README, readme.Sources(tables))
    assert not problems, readme.out_of_date_message(problems)


def test_every_block_is_in_the_readme_and_the_numbers_are_the_documents():
    text = README.read_text(encoding="utf-8")
    words = " ".join(text.split())
    for name in readme.BLOCKS:
        assert f"<!-- begin: {name} -->" in text and f"<!-- end: {name} -->" in text
    # hand-computed from the documents: (705.7/418.9)^(1/6) - 1 = 9.08%; ln(0.65/31.93)/ln(26691/16171) = -7.77
    assert "is 9.08% a year" in words and "log arc elasticity of -7.77" in words
    assert "0.707 of the national poverty line" in words and "(1980 / 2800)" in words


PROSE_TIME = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? ?(?:s|seconds|ms|min|minutes)\b")
"""A time stated in README prose: ``61 s``, ``1.3-2 s``, ``0.2 seconds``."""

NOT_BENCHMARKS = {
    "1.3-2 s": "the import of jsonschema's rfc3987_syntax grammar per process (profiled; TOOLING.md)",
    "0.2 s": "a new kernel client's wait for the output channel (profiled)",
    "75 s": "the make test target (issues 15 and 16)",
}
"""Times the README may state in its prose that are not benchmark results: targets and profiled
costs of one mechanism, each with where it comes from."""


def prose_times(text: str) -> list[tuple[int, str]]:
    """Every time stated in README prose (outside the generated blocks), with its 1-based line."""
    found = []
    inside = False
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith("<!-- begin: "):
            inside = True
        elif line.startswith("<!-- end: "):
            inside = False
        elif not inside:
            found += [(i, m[0]) for m in PROSE_TIME.finditer(line)]
    return found


def unsourced_times(text: str, results: str) -> list[str]:
    """README prose times that are neither in :data:`NOT_BENCHMARKS` nor stated in results.md."""
    stated = set(PROSE_TIME.findall(results))
    numbers = {n for pair in stated for n in pair if n}
    bad = []
    for line, t in prose_times(text):
        m = PROSE_TIME.fullmatch(t)
        assert m
        if t not in NOT_BENCHMARKS and not all(n in numbers for n in m.groups() if n):
            bad.append(
                f"README.md line {line}: '{t}' is a time benchmarks/results.md does not state; generate it "
                "into a README block from results.md (make readme), or, if it is a target or a profiled cost, "
                "add it to NOT_BENCHMARKS with its source"
            )
    return bad


def test_readme_prose_states_no_time_the_benchmarks_do_not():
    """Timings in README.md come from benchmarks/results.md: the table is generated, and a time in
    the prose must be one results.md states (its notes keep the history) or a listed target."""
    results = (paths.ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    assert prose_times(text), "the pattern finds the README's times"
    assert not unsourced_times(text, results)
    # planted: a stale make test time in the prose is named with its line
    planted = text.replace("meets the 75 s target", "meets the 75 s target (61.3 s)", 1)
    assert planted != text
    bad = unsourced_times(planted, results)
    assert len(bad) == 1 and "'61.3 s' is a time benchmarks/results.md does not state" in bad[0]
    assert bad[0].startswith(f"README.md line {readme_line('meets the 75 s target')}:")


def test_a_changed_table_value_names_the_line_and_both_values(tables, tmp_path):
    planted = tmp_path / "tables"
    shutil.copytree(tables, planted)
    path = planted / "growth_rates.csv"
    rows = read_rows(path)
    gdp = next(r for r in rows if (r["series_id"], r["start_year"], r["end_year"]) == ("xiangxi.gdp", "2013", "2019"))
    gdp["cagr"] = "0.0951"
    write_rows(path, rows)
    problems = readme.check(README, readme.Sources(planted))
    assert len(problems) == 1, problems
    line = readme_line("is 9.08% a year")
    assert problems[0].startswith(f"README.md:{line} [results.growth]: '9.08%' -> '9.51%'"), problems[0]
    assert "9.51% a year" in problems[0]


def test_a_changed_verdict_changes_the_counts(tables, tmp_path):
    planted = tmp_path / "tables"
    shutil.copytree(tables, planted)
    path = planted / "claims_audit.csv"
    rows = read_rows(path)
    next(r for r in rows if r["claim_id"] == "doc004.c14")["verdict"] = "inconsistent"
    write_rows(path, rows)
    message = readme.out_of_date_message(readme.check(README, readme.Sources(planted)))
    assert f"README.md:{readme_line('Of the 32 claims')} [results.audit]" in message
    assert "'9' -> '8'" in message and "doc004.c14" in message and "make readme" in message


def test_a_changed_observation_and_benchmark_are_caught(tables, tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    with open(paths.OBSERVATIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["obs_id"] == "wuling.rural_disposable_income.2010.derived":
            r["value_high"] = "3600.2"
    write_rows(processed / "observations.csv", rows)
    bench = tmp_path / "results.md"
    text = readme.BENCH_RESULTS.read_text(encoding="utf-8")
    measured = float(re.search(r"\| make test \| ([\d.]+)", text).group(1))  # the committed results
    # a planted time on the other side of the 75 s target: the value and the verdict both change
    planted, verdict = ("98.20", "'met' -> 'missed'") if measured < 75 else ("61.20", "'missed' -> 'met'")
    bench.write_text(re.sub(r"(\| make test \| )[\d.]+", rf"\g<1>{planted}", text), encoding="utf-8")
    problems = readme.check(README, readme.Sources(tables, processed, bench))
    joined = "\n".join(problems)
    assert f"README.md:{readme_line('range 3446-3552')} [data.derived]: '3446-3552' -> '3446-3600'" in joined
    assert f"README.md:{readme_line('`make test` (environment present)')} [performance.table]" in joined
    assert f"'{measured:.1f}' -> '{float(planted):.1f}'" in joined and verdict in joined


def test_write_fills_the_blocks_and_keeps_the_prose(tables, tmp_path):
    copy = tmp_path / "README.md"
    original = README.read_text(encoding="utf-8")
    emptied = re.sub(
        r"(<!-- begin: results.growth -->\n).*?(<!-- end: results.growth -->)", r"\1\2", original, flags=re.DOTALL
    )
    copy.write_text(emptied.replace("## Quick start", "## Quick start (hand-written)"), encoding="utf-8")
    copy.chmod(0o664)
    added = "\n".join(readme.check(copy, readme.Sources(tables)))
    assert "[results.growth]: line would be added\n      new: Headline: Xiangxi GDP" in added
    assert readme.write(copy, readme.Sources(tables)) is True
    assert copy.read_text(encoding="utf-8") == original.replace("## Quick start", "## Quick start (hand-written)")
    assert copy.stat().st_mode & 0o777 == 0o664
    assert readme.write(copy, readme.Sources(tables)) is False


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("<!-- end: performance.table -->\n", ""), "'performance.table' has no end marker"),
        (lambda t: t.replace("<!-- end: results.growth -->\n", ""), "'results.real' begins inside"),
        (lambda t: t.replace(": results.audit -->", ": results.nothing -->"), "unknown block(s) ['results.nothing']"),
        (lambda t: re.sub(r"<!-- (begin|end): data.derived -->\n", "", t), "no markers for block(s) ['data.derived']"),
    ],
)
def test_broken_markers_are_named(tmp_path, edit, message):
    copy = tmp_path / "README.md"
    copy.write_text(edit(README.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(readme.ReadmeError, match=re.escape(message)):
        readme.check(copy, readme.Sources(tmp_path / "no-tables"))


def test_command_line_check_fails_with_the_line(tables, tmp_path, capsys):
    planted = tmp_path / "tables"
    shutil.copytree(tables, planted)
    path = planted / "elasticities.csv"
    rows = read_rows(path)
    for r in rows:
        if r["run"] == "xiangxi.poverty_incidence ~ gdp_per_capita" and r["variant"] == "log_arc":
            r["elasticity"] = "-6.5"
    write_rows(path, rows)
    assert readme.main(["--check", "--tables", str(planted)]) == 1
    err = capsys.readouterr().err
    assert f"README.md:{readme_line('log arc elasticity of -7.77')} [results.elasticity]" in err
    assert "'-7.77' -> '-6.50'" in err and "make readme" in err


def test_table_steps_are_the_notebooks_own_calls():
    """The in-process tables make the calls the notebooks make (faithful to `make report`)."""
    assert {r.notebook for r in RUNS} == set(readme.TABLE_STEPS)
    for notebook, (module, steps) in readme.TABLE_STEPS.items():
        nb = json.loads((paths.NOTEBOOKS / notebook).read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        alias = re.search(rf"from analysis\.reports import .*\b{module.rsplit('.', 1)[1]} as (\w+)", code)
        assert alias, (notebook, module)
        for fn in ("prepare", *steps):
            assert f"{alias[1]}.{fn}(" in code, (notebook, fn)
