"""README.md, docs/ and benchmarks/README.md state only results the build computes: their marked
blocks are regenerated and compared.

The report tables are computed in-process once per module (the notebooks' own ``prepare``
and ``build_table`` calls, no kernel); planted copies of a table, the observations and the
benchmark results show that a changed value fails the check with the document's ``file:line``,
the old value and the new one.
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
from helpers import read_rows, write_rows

README = paths.ROOT / "README.md"
DOCS = readme.documents()
USED_RUNS = ("growth_rates", "elasticities", "comparisons", "china_comparisons", "claims_audit")


@pytest.fixture(scope="module")
def tables(report_tables) -> Path:
    """The report tables the README uses, computed in-process as the notebook runs compute them
    (the session's ``report_tables``, conftest.py)."""
    return report_tables


def doc_line(text: str) -> str:
    """``file:line`` of the one line of the documents (README.md, docs/, benchmarks/README.md) containing ``text``."""
    hits = [
        f"{doc.relative_to(paths.ROOT).as_posix()}:{i + 1}"
        for doc in DOCS
        for i, line in enumerate(doc.read_text(encoding="utf-8").splitlines())
        if text in line
    ]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def copy_docs(dest: Path) -> Path:
    """A copy of the documents under ``dest``, at their paths relative to the project root."""
    for doc in DOCS:
        target = dest / doc.relative_to(paths.ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(doc, target)
    return dest


def test_documents_are_current(tables):
    problems = readme.check(paths.ROOT, readme.Sources(tables))
    assert not problems, readme.out_of_date_message(problems)


def test_documents_are_the_readme_docs_and_the_benchmarks_readme():
    names = [d.relative_to(paths.ROOT).as_posix() for d in DOCS]
    assert names[0] == "README.md" and names[-1] == "benchmarks/README.md"
    assert {"docs/reports.md", "docs/data-curation.md", "docs/methods.md"} <= set(names)


def test_every_block_is_in_one_document_and_the_numbers_are_the_documents():
    texts = {d: d.read_text(encoding="utf-8") for d in DOCS}
    for name in readme.BLOCKS:
        holders = [d for d, text in texts.items() if f"<!-- begin: {name} -->" in text]
        assert len(holders) == 1, (name, holders)
        assert f"<!-- end: {name} -->" in texts[holders[0]]
    words = " ".join(texts[paths.ROOT / "docs" / "reports.md"].split())
    # hand-computed from the documents: (705.7/418.9)^(1/6) - 1 = 9.08%; ln(0.65/31.93)/ln(26691/16171) = -7.77
    assert "is 9.08% a year" in words and "log arc elasticity of -7.77" in words
    assert "0.707 of the national poverty line" in words and "(1980 / 2800)" in words


def test_the_first_screen_answers_what_how_and_how_long():
    """README's first 40 lines: what each report answers, the two commands, the time, the headlines."""
    first = "\n".join(README.read_text(encoding="utf-8").splitlines()[:40])
    for report in ("Growth rates", "Elasticities", "Comparisons", "Claims audit"):
        assert f"**{report}**" in first
    assert "make report   #" in first and "make test     #" in first
    assert "<!-- end: readme.runtime -->" in first and "Time to reproduce:" in first
    assert "<!-- end: readme.headlines -->" in first
    headlines = first.split("<!-- begin: readme.headlines -->")[1].split("<!-- end: readme.headlines -->")[0]
    bullets = [line for line in headlines.splitlines() if line.startswith("- ")]
    assert 3 <= len(bullets) <= 5 == len(readme.HEADLINES)
    # doc004: GDP 418.9 (2013) -> 705.7 亿元 (2019): (705.7/418.9)^(1/6) - 1 = 9.08% a year, the index's finding
    assert "9.08% a year" in bullets[0]
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_the_headlines_are_the_index_findings(tables):
    """The README's headline bullets are the texts of the key findings the index shows."""
    from analysis.build import findings
    from analysis.data.load import load_observations

    texts = {f.key: f.text for f in findings.collect(tables, load_observations())}
    block = readme.BLOCKS["readme.headlines"](readme.Sources(tables))
    assert block.splitlines() == [f"- {' '.join(texts[k].split())}" for k in readme.HEADLINES]


PROSE_TIME = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? ?(?:s|seconds|ms|min|minutes)\b")
"""A time stated in README prose: ``61 s``, ``1.3-2 s``, ``0.2 seconds``."""

NOT_BENCHMARKS = {
    "1.3-2 s": "the import of jsonschema's rfc3987_syntax grammar per process (profiled; benchmarks/README.md)",
    "0.2 s": "a new kernel client's wait for the output channel (profiled)",
    "75 s": "the make test target (issues 15 and 16)",
}
"""Times the documents may state in their prose that are not benchmark results: targets and profiled
costs of one mechanism, each with where it comes from."""


def prose_times(text: str) -> list[tuple[int, str]]:
    """Every time stated in a document's prose (outside the generated blocks), with its 1-based line."""
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


def unsourced_times(text: str, results: str, where: str = "README.md") -> list[str]:
    """Prose times of the document ``where`` that are neither in :data:`NOT_BENCHMARKS` nor stated in results.md."""
    stated = set(PROSE_TIME.findall(results))
    numbers = {n for pair in stated for n in pair if n}
    bad = []
    for line, t in prose_times(text):
        m = PROSE_TIME.fullmatch(t)
        assert m
        if t not in NOT_BENCHMARKS and not all(n in numbers for n in m.groups() if n):
            bad.append(
                f"{where} line {line}: '{t}' is a time benchmarks/results.md does not state; generate it "
                "into a block from results.md (make readme), or, if it is a target or a profiled cost, "
                "add it to NOT_BENCHMARKS with its source"
            )
    return bad


def test_prose_states_no_time_the_benchmarks_do_not():
    """Timings in README.md, docs/ and benchmarks/README.md come from benchmarks/results.md: the
    table and the first screen's time are generated, and a time in the prose must be one
    results.md states (its notes keep the history) or a listed target."""
    results = (paths.ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    bench = paths.ROOT / "benchmarks" / "README.md"
    for doc in DOCS:
        where = doc.relative_to(paths.ROOT).as_posix()
        assert not unsourced_times(doc.read_text(encoding="utf-8"), results, where)
    text = bench.read_text(encoding="utf-8")
    assert prose_times(text), "the pattern finds the performance narrative's times"
    # planted: a stale make test time in the prose is named with its file and line
    planted = text.replace("meets the 75 s target", "meets the 75 s target (61.3 s)", 1)
    assert planted != text
    bad = unsourced_times(planted, results, "benchmarks/README.md")
    assert len(bad) == 1 and "'61.3 s' is a time benchmarks/results.md does not state" in bad[0]
    assert bad[0].startswith(f"{doc_line('meets the 75 s target').replace(':', ' line ')}:")


def test_a_changed_table_value_names_the_line_and_both_values(tables, tmp_path):
    planted = tmp_path / "tables"
    shutil.copytree(tables, planted)
    path = planted / "growth_rates.csv"
    rows = read_rows(path)
    gdp = next(r for r in rows if (r["series_id"], r["start_year"], r["end_year"]) == ("xiangxi.gdp", "2013", "2019"))
    gdp["cagr"] = "0.0951"
    write_rows(path, rows)
    problems = readme.check(paths.ROOT, readme.Sources(planted))
    # the report's block and the README's headline (the index's finding reads the same row)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{doc_line('over 2013-2019, across the 2019 series break')} [readme.headlines]")
    assert "'9.08%' -> '9.51%'" in problems[0]
    line = doc_line("is 9.08% a year")
    assert problems[1].startswith(f"{line} [results.growth]: '9.08%' -> '9.51%'"), problems[1]
    assert "9.51% a year" in problems[1]


def test_a_changed_verdict_changes_the_counts(tables, tmp_path):
    planted = tmp_path / "tables"
    shutil.copytree(tables, planted)
    path = planted / "claims_audit.csv"
    rows = read_rows(path)
    next(r for r in rows if r["claim_id"] == "doc004.c14")["verdict"] = "inconsistent"
    write_rows(path, rows)
    message = readme.out_of_date_message(readme.check(paths.ROOT, readme.Sources(planted)))
    assert f"{doc_line('Of the 32 claims')} [results.audit]" in message
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
    problems = readme.check(paths.ROOT, readme.Sources(tables, processed, bench))
    joined = "\n".join(problems)
    assert f"{doc_line('range 3446-3552')} [data.derived]: '3446-3552' -> '3446-3600'" in joined
    assert f"{doc_line('`make test` (environment present)')} [performance.table]" in joined
    runtime = f"{doc_line('s for `make test`, medians of')} [readme.runtime]"  # the first screen's time
    assert f"{runtime}: '{measured:.1f}' -> '{float(planted):.1f}'" in joined
    assert f"'{measured:.1f}' -> '{float(planted):.1f}'" in joined and verdict in joined


def test_write_fills_the_blocks_and_keeps_the_prose(tables, tmp_path):
    root = copy_docs(tmp_path)
    copy = root / "docs" / "reports.md"
    original = copy.read_text(encoding="utf-8")
    emptied = re.sub(
        r"(<!-- begin: results.growth -->\n).*?(<!-- end: results.growth -->)", r"\1\2", original, flags=re.DOTALL
    )
    copy.write_text(emptied.replace("## Growth rates", "## Growth rates (hand-written)"), encoding="utf-8")
    copy.chmod(0o664)
    added = "\n".join(readme.check(root, readme.Sources(tables)))
    assert "docs/reports.md:" in added
    assert "[results.growth]: line would be added\n      new: Headline: Xiangxi GDP" in added
    assert readme.write(root, readme.Sources(tables)) == ["docs/reports.md"]
    assert copy.read_text(encoding="utf-8") == original.replace("## Growth rates", "## Growth rates (hand-written)")
    assert copy.stat().st_mode & 0o777 == 0o664
    assert (root / "README.md").read_bytes() == README.read_bytes()
    assert readme.write(root, readme.Sources(tables)) == []


@pytest.mark.parametrize(
    ("doc", "edit", "message"),
    [
        (
            "benchmarks/README.md",
            lambda t: t.replace("<!-- end: performance.table -->\n", ""),
            f"{doc_line('<!-- begin: performance.table -->')}: block 'performance.table' has no end marker",
        ),
        (
            "docs/reports.md",
            lambda t: t.replace("<!-- end: results.growth -->\n", ""),
            "'results.real' begins inside",
        ),
        (
            "docs/reports.md",
            lambda t: t.replace(": results.audit -->", ": results.nothing -->"),
            "docs/reports.md: unknown block(s) ['results.nothing']",
        ),
        (
            "docs/data-curation.md",
            lambda t: re.sub(r"<!-- (begin|end): data.derived -->\n", "", t),
            "no markers for block(s) ['data.derived']",
        ),
        (  # a block copied into a second document
            "README.md",
            lambda t: t + "\n<!-- begin: results.audit -->\n<!-- end: results.audit -->\n",
            "block 'results.audit' appears again (first at README.md:",
        ),
    ],
)
def test_broken_markers_are_named(tmp_path, doc, edit, message):
    root = copy_docs(tmp_path)
    (root / doc).write_text(edit((root / doc).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(readme.ReadmeError, match=re.escape(message)):
        readme.check(root, readme.Sources(tmp_path / "no-tables"))


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
    assert f"{doc_line('log arc elasticity of -7.77')} [results.elasticity]" in err
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
