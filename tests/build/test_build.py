"""The report build: determinism, failure handling, index, data catalog, and the index in Chromium.

Builds one run (the claims audit: the quickest report run with several tables and a figure) twice
into two temporary report folders
(``ANALYSIS_REPORTS_DIR``) and compares every file byte for byte; the full build is
measured by ``make bench``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.build.runs import RUNS
from analysis.data.csvio import new_file_mode
from hand_values import CLAIM_VALUES, claim_verdicts, register_hint
from helpers import in_ci
from notebook_helpers import first_output, outputs_text

RUN = "claims_audit"
FIGURE = f"{RUN}_stated_vs_recomputed"
"""The run's figure (saved as PNG, SVG and PDF by every build run)."""
SCREENSHOTS = paths.ROOT / "reports" / "screenshots" / "test-build"
"""Where the page test saves the screenshots of its own build (the audit run only) under CI; ``make
screenshots`` saves those of the full build one folder up. Only screenshots go under reports/ from a
test, never a report file."""


def build(reports: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANALYSIS_REPORTS_DIR": str(reports)}
    r = subprocess.run(
        [sys.executable, "-m", "analysis.build.report", *args], env=env, capture_output=True, text=True, cwd=paths.ROOT
    )
    if check:
        assert r.returncode == 0, r.stderr[-3000:]
    return r


def build_all(reports: Path) -> Path:
    """A clean build of the run into ``reports``: the run, the data exports and the index pages.

    The exports run while the notebook runs, as under ``make -j2 report`` (neither reads what the
    other writes); the index comes after both.
    """
    exports = subprocess.Popen(
        [sys.executable, "-m", "analysis.data.exports"],
        env={**os.environ, "ANALYSIS_REPORTS_DIR": str(reports)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=paths.ROOT,
    )
    try:
        build(reports, "run", RUN, "--no-progress")
    finally:
        _, err = exports.communicate()
    assert exports.returncode == 0, err[-3000:]
    build(reports, "index")
    return reports


@pytest.fixture(scope="module")
def one_build(tmp_path_factory) -> Path:
    """One clean build (the folder the other tests of this module read)."""
    return build_all(tmp_path_factory.mktemp("a") / "reports")


@pytest.fixture(scope="module")
def two_builds(one_build, tmp_path_factory) -> tuple[Path, Path]:
    """Two clean builds in separate processes (the second only for the `full` determinism test)."""
    return one_build, build_all(tmp_path_factory.mktemp("b") / "reports")


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.full("a second whole build, compared byte for byte")
def test_two_builds_are_byte_identical(two_builds):
    """Every file of two clean builds, byte for byte (CI; locally ``make test-full``).

    ``make test`` checks the cheaper parts that can differ between processes: the index pages
    rebuilt from one build (below), figures saved twice in every format (test_exports), the
    Excel and Stata exports written twice (test_exports) and nbval's comparison of every
    notebook's outputs with the committed ones.
    """
    a, b = two_builds
    fa, fb = files(a), files(b)
    assert set(fa) == set(fb)
    varying = {"build_info.json"}
    differ = [k for k in fa if k not in varying and fa[k] != fb[k]]
    assert not differ, f"files differ between two builds: {differ}"
    assert {
        f"{RUN}.html",
        f"{RUN}.ipynb",
        "index.html",
        "data_catalog.html",
        "build_info.json",
        f"tables/{RUN}.csv",
        f"figures/{FIGURE}.png",
        f"figures/{FIGURE}.svg",
        f"figures/{FIGURE}.pdf",
        f"tables/{RUN}.tex",
        "data/observations.dta",
        "data/observations.xlsx",
    } <= set(fa)


def test_index_pages_are_rebuilt_byte_identical(one_build, tmp_path):
    """The index, data catalog and table pages written again (another process) from the same build."""
    import shutil

    again = tmp_path / "reports"
    shutil.copytree(one_build, again)
    pages = [p for p in files(one_build) if p.endswith(".html") and not p.startswith(RUN)]
    assert {"index.html", "data_catalog.html", f"tables/{RUN}.html"} <= set(pages)
    for p in pages:
        (again / p).unlink()
    build(again, "index")
    fa, fb = files(one_build), files(again)
    assert set(fa) == set(fb)
    differ = [k for k in fa if k != "build_info.json" and fa[k] != fb[k]]
    assert not differ, f"pages differ when rebuilt: {differ}"


def test_pages_load_nothing_from_the_network(one_build):
    """Reports, index, catalog and table pages read the same offline: no script, stylesheet or image
    from another host (links to the sources' web pages are fine)."""
    import re

    pages = sorted(one_build.rglob("*.html"))
    assert len(pages) >= 4
    fetched = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.IGNORECASE)
    remote = {str(p.relative_to(one_build)): fetched.findall(p.read_text(encoding="utf-8"))[:3] for p in pages}
    assert not {k: v for k, v in remote.items() if v}, remote


def test_executed_notebook_is_normalised(one_build):
    a = one_build
    nb = json.loads((a / f"{RUN}.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"] == {"parameters": {"run_name": RUN}}
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i:02d}" for i in range(len(nb["cells"]))]
    assert not any("papermill" in c["metadata"] or "execution" in c["metadata"] for c in nb["cells"])
    assert str(paths.ROOT) not in (a / f"{RUN}.ipynb").read_text(encoding="utf-8")
    # the build marks its runs, so the kernel wrote into the build's folder and says so
    assert (
        first_output(nbformat.reads(json.dumps(nb), as_version=4))
        == "Build run: tables and figures go to .../reports/\n"
    )


def test_built_files_get_the_mode_of_the_umask(one_build):
    """Notebook, HTML, index, figures and tables: 0o666 minus the umask (never mkstemp's 0600)."""
    expected = new_file_mode()
    modes = {str(p.relative_to(one_build)): stat.S_IMODE(p.stat().st_mode) for p in one_build.rglob("*") if p.is_file()}
    assert {f"{RUN}.html", f"{RUN}.ipynb", "index.html", f"tables/{RUN}.csv", f"figures/{FIGURE}.svg"} <= set(modes)
    assert {k: v for k, v in modes.items() if v != expected} == {}


def test_html_hides_code_and_has_figures(one_build):
    a = one_build
    text = (a / f"{RUN}.html").read_text(encoding="utf-8")
    assert "Claims audit: every derived number the documents state" in text and "data:image/png;base64" in text
    assert "ar.prepare(" not in text  # code input hidden for readers


def test_index_links_every_output_and_the_replication_table(one_build):
    a = one_build
    index = (a / "index.html").read_text(encoding="utf-8")
    for f in (a / "figures").glob(f"{RUN}_*.png"):
        assert f"figures/{f.name}" in index
    assert f"tables/{RUN}.csv" in index and "data_catalog.html" in index and "build_info.json" in index
    assert "Replication package" in index and f"notebooks/{RUN}.ipynb" in index
    obs = paths.PROCESSED / "observations.csv"
    import hashlib

    assert hashlib.sha256(obs.read_bytes()).hexdigest()[:16] in index
    assert "pandas " in index and "Git commit" in index


def test_index_links_and_lists_the_exports(one_build):
    a = one_build
    index = (a / "index.html").read_text(encoding="utf-8")
    for f in (a / "figures").glob(f"{RUN}_*.pdf"):
        assert f'href="figures/{f.name}"' in index
    assert f'href="tables/{RUN}.tex"' in index
    assert 'href="data/observations.dta"' in index and 'href="data/observations.xlsx"' in index
    replication = index[index.index('<h2 id="replication">') : index.index("<h3>Raw inputs</h3>")]
    for kind in ("report (HTML)", "tables (CSV)", "LaTeX tables", "figures (PNG)", "figures (SVG)", "figures (PDF)"):
        assert f'<span class="kind">{kind}</span>' in replication, kind
    assert '<span class="kind">Stata data</span>' in replication and "python -m analysis.data.exports" in replication
    # one row per program (the run, then the data exports), and every output file of the build in it
    assert replication.count("<tr id=") == 2 and f'id="repl-{RUN}"' in replication
    outputs = [p for sub in ("figures", "tables", "data") for p in (a / sub).iterdir() if p.suffix != ".html"]
    outputs.append(a / f"{RUN}.html")
    assert len(outputs) >= 15  # the run's tables, LaTeX tables, figure formats and the data exports
    missing = [str(p.relative_to(a)) for p in outputs if f'href="{p.relative_to(a)}"' not in replication]
    assert not missing, f"outputs not in the replication table: {missing}"


def test_data_catalog_lists_every_observation(one_build):
    a = one_build
    cat = (a / "data_catalog.html").read_text(encoding="utf-8")
    from analysis import load_observations

    obs = load_observations()
    for oid in obs["obs_id"]:
        assert f'id="{oid}"' in cat
    assert "湘西州的生产总值从418.9亿元增加到705.7亿元" in cat
    assert "tjgb.hongheiku.com" in cat and "confidence medium-high" in cat


def test_build_info_holds_what_varies(one_build):
    a = one_build
    info = json.loads((a / "build_info.json").read_text(encoding="utf-8"))
    assert info["runs"][RUN]["seconds"] > 0 and info["built"] and info["packages"]["papermill"]


def test_a_failing_run_names_its_cell_and_does_not_stop_the_others(one_build, tmp_path):
    """One worker for two runs: the audit fails (``verdict`` is a parameter of the audit notebook only,
    and the value is wrong), then start_here succeeds in a new kernel (a failed run's kernel is
    replaced); the failure names notebook, cell and error, the partial notebook is kept in failed/,
    the earlier audit report stays, the other report is written, and the exit status is 1. (A failure
    in a pool of two workers: test_safe_defaults, ``make notebooks``.)"""
    import shutil

    a = tmp_path / "reports"
    shutil.copytree(one_build, a)
    before = (a / f"{RUN}.html").read_bytes()
    r = build(a, "run", RUN, "start_here", "--no-progress", "--jobs", "1", "--param", "verdict=bogus", check=False)
    assert r.returncode == 1
    assert "--param verdict: not a parameter of start_here; left out there" in r.stdout
    assert f"FAILED: notebook {RUN}.ipynb" in r.stderr and "cell 3" in r.stderr  # the prepare cell
    assert "unknown verdict 'bogus'; valid choices: all, consistent, inconsistent, not checkable" in r.stderr
    assert f"1 of 2 runs failed: {RUN}" in r.stderr
    assert "2 runs in" in r.stdout and "1 succeeded, 1 failed" in r.stdout
    assert (a / f"{RUN}.html").read_bytes() == before
    assert (a / "start_here.html").exists() and (a / "failed" / f"{RUN}.ipynb").exists()
    assert not (a / "failed" / "start_here.ipynb").exists()


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("regoin=Xiangxi", "--param regoin: not a parameter of claims_audit (claims_audit.ipynb: document, verdict"),
        ("output_dir=/tmp/x", "--param output_dir: set by the build"),
        ("run_name=x", "--param run_name: set by the build"),
        ("region", "--param 'region': expected NAME=VALUE"),
    ],
)
def test_a_parameter_no_named_run_has_is_refused_before_anything_runs(tmp_path, param, message):
    """Papermill would inject a misspelt parameter and run anyway; the driver refuses it at once,
    with each run's valid parameters, and writes nothing (not even a variant folder)."""
    r = build(tmp_path / "reports", "run", "claims_audit", "--param", param, check=False)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert not (tmp_path / "reports").exists()


def test_stale_runs_follow_the_markers_make_touches(tmp_path, monkeypatch):
    from analysis.build import report

    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")
    monkeypatch.setattr(report, "MARKERS", tmp_path / "runs")
    (tmp_path / "reports").mkdir()
    (tmp_path / "runs").mkdir()
    assert [r.name for r in report.stale_runs()] == [r.name for r in RUNS]  # nothing built yet

    def stamp(path: Path, t: int) -> None:
        path.write_text("x")
        os.utime(path, ns=(t, t))

    for r in RUNS:
        stamp(tmp_path / "runs" / f"{r.name}.inputs", 10**18)
        stamp(tmp_path / "reports" / f"{r.name}.html", 2 * 10**18)
        stamp(tmp_path / "reports" / f"{r.name}.ipynb", 2 * 10**18)
    assert report.stale_runs() == []
    stamp(tmp_path / "runs" / "comparisons.inputs", 3 * 10**18)  # an input of this run changed
    (tmp_path / "reports" / "start_here.ipynb").unlink()  # a report file is missing
    (tmp_path / "runs" / "claims_audit.inputs").unlink()  # never marked: run it
    assert {r.name for r in report.stale_runs()} == {"comparisons", "start_here", "claims_audit"}


def test_runs_start_longest_first(monkeypatch, tmp_path):
    from analysis.build import report
    from analysis.build.runs import START_ORDER

    assert sorted(START_ORDER) == sorted(r.name for r in RUNS)  # every run once
    monkeypatch.setattr(report, "TIMING", tmp_path)
    assert [r.name for r in report.run_order(list(RUNS))] == list(START_ORDER)  # no timings yet
    for r, s in zip(RUNS, range(1, len(RUNS) + 1), strict=True):
        (tmp_path / f"{r.name}.json").write_text(json.dumps({"seconds": s}))
    (tmp_path / "start_here.json").unlink()  # never timed: first
    order = [r.name for r in report.run_order(list(RUNS))]
    assert order[0] == "start_here" and order[1:] == [r.name for r in RUNS if r.name != "start_here"][::-1]


def test_build_jobs_setting(monkeypatch):
    from analysis.build.kernels import JOBS_ENV, default_jobs

    monkeypatch.setenv(JOBS_ENV, "3")
    assert default_jobs(7) == 3 and default_jobs(2) == 2
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(JOBS_ENV, bad)
        with pytest.raises(ValueError, match=f"{JOBS_ENV}='{bad}': expected a positive whole number"):
            default_jobs(7)


def test_run_names_are_not_prefixes_of_each_other():
    names = [r.name for r in RUNS]
    for n in names:
        assert not any(m != n and m.startswith(n + "_") for m in names), n


def test_the_built_run_writes_its_tables_and_figure_with_the_hand_verdicts(one_build):
    """The default audit run (papermill, via the build): every claim's verdict in its table is the
    hand-computed one (tests/hand_values.py), and its figure is written in the three formats."""
    nb = nbformat.read(one_build / f"{RUN}.ipynb", as_version=4)
    with open(one_build / "tables" / f"{RUN}.csv", encoding="utf-8") as fh:
        table = {r["claim_id"]: r for r in csv.DictReader(fh)}
    assert {k: r["verdict"] for k, r in table.items()} == claim_verdicts()
    for claim_id, (_, value) in CLAIM_VALUES.items():  # e.g. doc004.c01: 100 * ((26691 / 16171) ** (1 / 6) - 1)
        got = table[claim_id]["recomputed"]
        hint = register_hint("claim", claim_id, table[claim_id]["inputs"])
        assert (got == "") if math.isnan(value) else float(got) == pytest.approx(value, rel=1e-6, abs=1e-6), hint
    for name in ("consistency", "summary", "counts", "corroboration", "caveats"):
        assert (one_build / "tables" / f"{RUN}_{name}.csv").stat().st_size > 100, name
    for ext in ("png", "svg", "pdf"):
        assert (one_build / "figures" / f"{FIGURE}.{ext}").stat().st_size > 1000
    text = outputs_text(nb)
    assert "Traceback" not in text and str(one_build) not in text


@pytest.fixture(scope="module")
def browser_1280(chromium, tmp_path_factory):
    """Headless Chromium with a 1280 x 800 viewport (:mod:`analysis.build.browser`); ``chromium``
    skips or fails (CI) without a browser."""
    from analysis.build import browser

    driver = browser.start(tmp_path_factory.mktemp("chromium-profile"), browser=chromium)
    yield driver
    driver.quit()


def test_every_page_fits_1280_in_chromium(one_build, browser_1280, tmp_path):
    """Index, data catalog, table pages and every report at 1280 x 800: nothing wider than the window,
    no table wider than its box, every image loaded; every local link of the index resolves, every
    finding link reaches its table row and catalog entries, and the catalog has an anchor per
    observation; under CI, screenshots go to reports/screenshots/test-build/ (SCREENSHOTS).

    The built run (the claims audit) is checked as built, with the pages ``make screenshots`` checks
    (:func:`analysis.build.browser.site_pages`); the other reports are rendered from their committed
    notebooks (default-run outputs) with the same nbconvert template.
    Chromium (Debian chromium + chromium-driver): skipped without them, required in CI.
    """
    import nbformat

    from analysis.build import browser
    from analysis.build.report import to_html

    built = one_build
    pages = browser.site_pages(built)
    # index and catalog first, then the other top-level pages in name order (the run's report, codebook.html)
    assert pages[:4] == [
        built / "index.html",
        built / "data_catalog.html",
        *sorted([built / "codebook.html", built / f"{RUN}.html"]),
    ]
    assert len(pages) == 4 + len(list((built / "tables").glob("*.html"))) >= 6
    for nb_path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        if nb_path.stem == RUN:
            continue
        out = tmp_path / f"{nb_path.stem}.html"
        out.write_bytes(to_html(nbformat.read(nb_path, as_version=4), nb_path.stem, True))
        pages.append(out)
    assert browser_1280.execute_script("return window.innerWidth;") == 1280
    # Screenshots (about half the test's time) under CI, as a record of the run; locally
    # `make screenshots` takes them of the real build.
    shots = SCREENSHOTS if in_ci() else None
    failures = browser.check_pages(browser_1280, pages, shots)
    assert not failures, f"pages that do not fit 1280 px or lost an image: {failures}"
    if shots:
        assert (shots / "index.png").is_file() and (shots / f"table_{RUN}.png").is_file()
    index = browser.load(browser_1280, built / "index.html")
    assert "Poverty-alleviation analysis" in index["title"]
    assert len(index["images"]) == len(list((built / "figures").glob("*.png"))) >= 1  # every figure, loaded
    links = browser_1280.execute_script("return Array.from(document.links).map(a => a.getAttribute('href'));")
    missing = [h for h in links if not h.startswith("http") and not (built / h.split("#")[0]).exists()]
    assert not missing, f"links of the index to missing files: {missing}"
    findings = browser_1280.execute_script("return document.querySelectorAll('ol.findings > li').length;")
    assert findings >= 2  # the audit run alone supports the audit's findings (documents' claims and checks)
    # every finding link resolves: its table row and its catalog entries exist
    hrefs = browser_1280.execute_script(
        "return Array.from(document.querySelectorAll('ol.findings a')).map(a => a.getAttribute('href'));"
    )
    for h in hrefs:
        file, _, anchor = h.partition("#")
        target = built / file
        assert target.exists(), h
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{h}: no anchor {anchor}"
    browser.load(browser_1280, built / "data_catalog.html")
    assert browser_1280.find_element("id", "xiangxi.gdp.2019")  # an anchor per observation
    # A half-screen window: the index, the catalog and the reports with the widest tables still fit
    # (below 1280 px table cells wrap and the catalog sizes its columns by their content).
    browser.set_viewport(browser_1280, 960, 800)
    try:
        narrow = {
            p.name: browser.problems(browser.load(browser_1280, p)) for p in (*pages[:3], tmp_path / "comparisons.html")
        }
        # ... and stays readable: the catalog's headers, years, kinds and sources keep one line each
        browser.load(browser_1280, pages[1])
        broken = browser_1280.execute_script(
            "return Array.from(document.querySelectorAll('table.catalog th, table.catalog td.short'))"
            ".filter(e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size > 1; })"
            ".slice(0, 5).map(e => e.innerText);"
        )
    finally:
        browser.set_viewport(browser_1280, 1280, 800)
    assert not any(narrow.values()), f"at 960 px: {narrow}"
    assert not broken, f"catalog cells that wrap at 960 px: {broken}"


def test_make_screenshots_checks_a_build_and_names_a_page_that_does_not_fit(
    browser_1280, tmp_path, capsys, monkeypatch
):
    """``make screenshots`` (``python -m analysis.build.browser``) on a small site: exit 0 and one PNG
    per page when every page fits (a stale PNG removed); a table page with a 2251 px wide block fails
    with exit 1, naming the page and its width; no build is exit 2 with the reason. (The real pages
    are checked by the test above, with the same functions.) It borrows the module's browser rather
    than starting two more (``start`` is what that fixture calls)."""
    from analysis.build import browser

    class Borrowed:
        def __init__(self, driver):
            self.driver = driver

        def __getattr__(self, name):
            return getattr(self.driver, name)

        def quit(self):
            """The fixture quits the browser after the module."""

    monkeypatch.setattr(browser, "start", lambda *a, **k: Borrowed(browser_1280))

    site, shots = tmp_path / "reports", tmp_path / "shots"
    (site / "tables").mkdir(parents=True)
    page = "<!DOCTYPE html><html><head><title>{0}</title></head><body><p>{0}</p></body></html>"
    for name in ("index.html", "data_catalog.html", "growth_rates.html", "tables/growth_rates.html"):
        (site / name).write_text(page.format(name), encoding="utf-8")
    shots.mkdir()
    (shots / "gone.png").write_bytes(b"")
    assert browser.main([str(site), "--screenshots", str(shots)]) == 0
    assert sorted(p.name for p in shots.iterdir()) == [
        "data_catalog.png",
        "growth_rates.png",
        "index.png",
        "table_growth_rates.png",
    ]
    assert (shots / "index.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wide = site / "tables" / "growth_rates.html"
    wide.write_text(page.format('<div style="width:2251px">wide</div>'), encoding="utf-8")
    capsys.readouterr()
    assert browser.main([str(site), "--screenshots", str(shots)]) == 1
    said = re.search(rf"{re.escape(str(wide))}: page is (\d+) px wide in a 1280 px window", capsys.readouterr().err)
    assert said and int(said[1]) >= 2251, said  # the planted 2251 px plus the page's margins
    assert browser.main([str(tmp_path / "nothing"), "--screenshots", str(shots)]) == 2
    assert "no index.html; build the reports first (make report)" in capsys.readouterr().err


def test_make_screenshots_without_a_browser_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    """No Chromium on PATH: exit 2 with the install command, and no screenshot folder is made
    (runs everywhere, browser or not)."""
    from analysis.build import browser

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "index.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.main([str(tmp_path / "reports"), "--screenshots", str(tmp_path / "shots")]) == 2
    err = capsys.readouterr().err
    assert "needs chromium and chromedriver on PATH; install with: apt-get install chromium chromium-driver" in err
    assert not (tmp_path / "shots").exists()


def test_normalise_renumbers_execution_counts_as_a_fresh_kernel():
    """Runs that reuse a kernel (runs of one notebook) get the counts a fresh kernel gives."""
    from analysis.build.report import normalise

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# t"),
        nbformat.v4.new_code_cell("a = 1", execution_count=17),
        nbformat.v4.new_code_cell("a", execution_count=18),
        nbformat.v4.new_code_cell("# not run"),
    ]
    nb.cells[2].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=18)]
    normalise(nb, {"run_name": "x"})
    assert [c.get("execution_count") for c in nb.cells[1:]] == [1, 2, None]
    assert nb.cells[2].outputs[0]["execution_count"] == 2
    assert [c["id"] for c in nb.cells] == ["cell-00", "cell-01", "cell-02", "cell-03"]


def test_normalise_keeps_the_python_version_to_major_minor():
    """The same notebook refreshed on Python 3.11.2 (Debian 12) and 3.11.7 gives the same bytes."""
    from analysis.build.report import normalise

    for patch in ("3.11.2", "3.11.7"):
        nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python", "version": patch}})
        normalise(nb, {})
        assert nb.metadata["language_info"] == {"name": "python", "version": "3.11"}


def test_readme_tables_equal_the_notebook_run(one_build, report_tables):
    """make readme computes the tables in-process (the README and findings tests share that
    computation: ``report_tables``); they are byte-identical to the papermill run's. Last in
    this module, so the shared tables are usually ready when it asks for them."""
    built = (one_build / "tables" / f"{RUN}.csv").read_bytes()
    assert (report_tables / f"{RUN}.csv").read_bytes() == built


def test_replication_record_names_uncommitted_changes(tmp_path, monkeypatch):
    """A build from a working tree whose tracked files differ from the commit says so (index and
    build_info.json); a clean tree says nothing more; outside git the record cannot tell (None)."""
    from analysis.build import record, report, site
    from analysis.data.load import load_observations

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True, capture_output=True
        )

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    assert record.git_uncommitted() is None  # not a repository
    git("init", "-q")
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "b.py").write_text("y\n")
    git("add", "a.csv", "b.py")
    git("commit", "-q", "-m", "one")
    (tmp_path / "untracked.txt").write_text("build output\n")  # untracked files do not count
    assert record.git_uncommitted() == []
    assert "uncommitted" not in site.index_page(load_observations()).decode()
    (tmp_path / "a.csv").write_text("changed\n")
    assert record.git_uncommitted() == ["a.csv"]
    page = site.index_page(load_observations()).decode()
    assert "<strong>with uncommitted changes</strong> to\n1 tracked file (a.csv): commit them" in page
    assert json.loads(report.build_info())["git_uncommitted_changes"] == ["a.csv"]
