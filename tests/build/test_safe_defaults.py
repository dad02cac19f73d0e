"""Safe defaults: where notebook runs write, file modes, and browser tests on bare machines.

The papermill runs of each notebook without ``output_dir`` (reports/ byte-identical, outputs
in ``build/interactive/<run_name>/``) are the non-default runs in each notebook's test file,
through the ``interactive`` fixture; :func:`test_every_notebook_has_an_exploratory_run_test`
makes sure none is missing.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import paths
from analysis.data.build import build
from analysis.data.csvio import atomic_write_bytes, current_umask, new_file_mode, replace_all, write_frame
from analysis.data.load import UnknownChoice
from analysis.reports import figures
from analysis.reports.outputs import outputs, resolve

TESTS = Path(__file__).parents[1]

# ----------------------------------------------------------------------------- where runs write


@pytest.fixture
def no_build_mark(monkeypatch):
    monkeypatch.delenv(paths.BUILD_OUTPUT_ENV, raising=False)


def test_default_is_the_scratch_folder(no_build_mark):
    out = resolve(None, "my_try")
    assert out.root == paths.ROOT / "build" / "interactive" / "my_try" and out.origin == "scratch"
    assert out.notice.startswith("Exploratory run: tables and figures go to build/interactive/my_try/ (scratch")
    assert "reports/ is written only by `make report`" in out.notice and str(paths.ROOT) not in out.notice
    assert "/build/" in (paths.ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_build_mark_and_output_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.BUILD_OUTPUT_ENV, str(tmp_path / "reports"))
    out = resolve(None, "growth_rates")
    assert (out.root, out.origin) == (tmp_path / "reports", "build")
    assert out.notice == "Build run: tables and figures go to .../reports/"
    # an explicit output_dir wins over the build's mark
    out = resolve(str(tmp_path / "mine"), "growth_rates")
    assert (out.root, out.origin) == (tmp_path / "mine", "output_dir")
    assert out.notice == "Tables and figures go to .../mine/ (output_dir)." and str(tmp_path) not in out.notice
    # relative to the project root, not the working directory
    out = resolve("build/elsewhere", "x")
    assert out.root == paths.ROOT / "build" / "elsewhere" and out.notice.startswith("Tables and figures go to build/")


def test_outputs_announces_and_creates(no_build_mark, tmp_path, capsys):
    out = outputs(str(tmp_path / "o"), "r")
    assert out.tables.is_dir() and out.figures.is_dir()
    assert capsys.readouterr().out == "Tables and figures go to .../o/ (output_dir).\n"


@pytest.mark.parametrize("name", ["../up", "a b", "", "x/y", None])
def test_run_name_must_be_a_file_stem(no_build_mark, name):
    with pytest.raises(UnknownChoice, match="must be a file stem"):
        resolve(None, name)


def test_every_notebook_has_an_exploratory_run_test():
    """Each notebook is run once by plain papermill without output_dir (reports/ hashed before and after)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py"))
    covered = set(re.findall(r"interactive\(\s*\"(\w+)\"", source))
    assert covered == {p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")}


def test_make_does_not_pass_an_inherited_build_mark_on(tmp_path):
    """A build mark left in the shell (``ANALYSIS_BUILD_OUTPUT_DIR``) does not reach the commands Make runs
    (``make notebooks``, ``make lab``, nbval), so none of them becomes a build run; the driver sets the mark
    itself (the built notebook's first output, tests/build/test_build.py). Nor does
    ``PYTHONDONTWRITEBYTECODE``: the processes Make starts write bytecode caches, as Python does by default."""
    probe = tmp_path / "probe.mk"
    probe.write_text(
        f'probe-build-mark:\n\t@echo "[$${paths.BUILD_OUTPUT_ENV}][$$PYTHONDONTWRITEBYTECODE]"\n', encoding="utf-8"
    )
    r = subprocess.run(
        ["make", "--no-print-directory", "-f", "Makefile", "-f", str(probe), "probe-build-mark"],
        cwd=paths.ROOT,
        env={**os.environ, paths.BUILD_OUTPUT_ENV: str(tmp_path / "reports"), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[][]"


# ----------------------------------------------------------------------------- file modes


@pytest.fixture(params=[0o022, 0o002], ids=["umask022", "umask002"])
def umask(request):
    """Run the test under a umask; the previous one is restored afterwards."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_umask_is_read_without_changing_it(umask):
    assert current_umask() == umask
    assert current_umask() == umask
    assert new_file_mode() == {0o022: 0o644, 0o002: 0o664}[umask]


def test_atomic_writes_get_the_mode_of_the_umask(umask, tmp_path, monkeypatch):
    expected = {0o022: 0o644, 0o002: 0o664}[umask]
    a = tmp_path / "a.bin"
    atomic_write_bytes(a, b"1")
    assert mode(a) == expected
    a.chmod(0o600)  # as the old code left it: replacing it gives the umask's mode again
    atomic_write_bytes(a, b"2")
    assert mode(a) == expected and a.read_bytes() == b"2"
    b, c = tmp_path / "sub" / "b.csv", tmp_path / "c.csv"
    written = replace_all({b: b"x\n", c: b"y\n"})
    assert written == [b, c] and mode(b) == expected and mode(c) == expected
    t = tmp_path / "t.csv"
    write_frame(t, pd.DataFrame({"x": [1.5]}))
    assert mode(t) == expected
    monkeypatch.delenv(figures.FORMATS_ENV, raising=False)  # all formats, as in a build
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    ax.set_xlabel("year")
    saved = figures.save(fig, "probe", "Source: test.", tmp_path / "figures")
    plt.close(fig)
    assert [mode(saved["png"]), mode(saved["svg"]), mode(saved["pdf"])] == [expected] * 3
    assert not list(tmp_path.rglob(".*.tmp")), "temporary files left behind"


def test_make_data_outputs_get_the_mode_of_the_umask(umask, tmp_path):
    expected = {0o022: 0o644, 0o002: 0o664}[umask]
    out = tmp_path / "processed"
    build(None, out)
    modes = {p.name: mode(p) for p in out.iterdir()}
    assert set(modes) == {"observations.csv", "claims.csv", "consistency.csv", "sources.csv", ".validated"}
    assert set(modes.values()) == {expected}, modes


@pytest.mark.driver("runs the build driver's index in a process with another umask")
@pytest.mark.parametrize(("mask", "expected"), [(0o002, 0o664)])
def test_build_index_pages_get_the_mode_of_the_umask(tmp_path, mask, expected):
    """The build driver's own files (index, data catalog, build info), in a process with a group-writable
    umask (the usual 022 is the case of every file of test_build's build: test_built_files_get_the_mode_of_the_umask)."""
    reports = tmp_path / "reports"
    env = {**os.environ, "ANALYSIS_REPORTS_DIR": str(reports)}
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os, sys; os.umask({mask}); from analysis.build.report import main; main(['index'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    modes = {p.name: mode(p) for p in reports.iterdir() if p.is_file()}
    assert {"index.html", "data_catalog.html", "build_info.json"} <= set(modes)
    assert set(modes.values()) == {expected}, modes


# ----------------------------------------------------------------------------- browser tests without a browser

PROBE = "def test_needs_a_browser(chromium):\n    assert chromium\n"


def _probe(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    """Run a one-test file that takes the ``chromium`` fixture, with the browser hidden from PATH."""
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    env.update(PATH=str(empty), PYTHONPATH=str(TESTS), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-rs", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# ----------------------------------------------------------------------------- driver tests in make test


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_driver_tests_run_when_the_build_layer_changed_and_skip_when_it_is_as_committed(tmp_path):
    """``make test`` runs the ``driver`` tests when a file of the build layer (or its tests, or the
    environment) differs from the last commit: changed, staged or new; not for a change elsewhere;
    and always when git cannot tell. The skip reason names ``make test-full`` and CI."""
    from helpers import DRIVER_PATHS, driver_changes, driver_skip_reason

    assert "src/analysis/build" in DRIVER_PATHS and "Makefile" in DRIVER_PATHS
    root = tmp_path / "clone"
    (root / "src" / "analysis" / "build").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "src" / "analysis" / "build" / "report.py").write_text("x = 1\n")
    (root / "notebooks" / "growth.ipynb").write_text("{}\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "c")
    assert driver_changes(root) == ()
    reason = driver_skip_reason("interrupts a build", ())
    assert reason and reason.startswith("interrupts a build: ") and "`make test-full`" in reason and "CI" in reason

    (root / "notebooks" / "growth.ipynb").write_text("{ }\n")  # an economist's edit: not the driver's
    driver_changes.cache_clear()
    assert driver_changes(root) == ()

    (root / "src" / "analysis" / "build" / "report.py").write_text("x = 2\n")
    (root / "Makefile").write_text("all:\n")
    driver_changes.cache_clear()
    assert sorted(driver_changes(root) or ()) == ["Makefile", "src/analysis/build/report.py"]
    assert driver_skip_reason("interrupts a build", driver_changes(root)) is None

    driver_changes.cache_clear()
    assert driver_changes(tmp_path) is None  # not a repository: git cannot tell, the tests run
    assert driver_skip_reason("interrupts a build", None) is None
    driver_changes.cache_clear()


def test_outside_ci_browser_tests_skip_naming_make_test_full_and_the_install_command(tmp_path):
    r = _probe(tmp_path, ci=None)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "1 skipped" in r.stdout
    assert "SKIPPED" in r.stdout and "install with: apt-get install chromium chromium-driver" in r.stdout
    assert "drives headless Chromium" in r.stdout and "runs in CI (.ci/run) and with `make test-full`" in r.stdout


def test_under_ci_a_missing_browser_fails(tmp_path):
    r = _probe(tmp_path, ci="true")
    assert r.returncode == 1, r.stdout[-2000:]
    assert "1 error" in r.stdout and "CI=true" in r.stdout and "browser tests are required in CI" in r.stdout
    assert "apt-get install chromium chromium-driver" in r.stdout


def test_ci_script_requires_the_browser_tests():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export CI=true" in ci and "make test" in ci and "chromium-driver" in ci


def user_driver(*args: str) -> subprocess.CompletedProcess:
    """``python -m analysis.build.report ARGS`` from a user's shell (no build mark, no report redirection)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYSIS_REPORTS_DIR", paths.BUILD_OUTPUT_ENV)}
    return subprocess.run(
        [sys.executable, "-m", "analysis.build.report", *args],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.driver("a variant run of the build driver")
def test_driver_variant_run_leaves_reports_alone(tmp_path):
    """``analysis.build.report run NAME --param ...`` writes a variant to build/variants/NAME/."""
    from notebook_helpers import reports_digest

    before = reports_digest()
    r = user_driver("run", "start_here", "--no-progress", "--param", "indicator=gdp_per_capita")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "build/variants/start_here/" in r.stdout
    assert (paths.ROOT / "build" / "variants" / "start_here" / "start_here.html").is_file()
    assert reports_digest() == before


def test_kernel_reset_restores_what_a_notebook_may_change():
    """A reused kernel (the build's runs of one notebook, the tests' runs) starts each run as a fresh one
    would: namespace, figures, rcParams, pandas display options and DataFrame display."""
    from analysis.build.report import kernel_exec
    from notebook_helpers import kernel

    km = kernel()
    kernel_exec(
        km,
        "import pandas as pd, matplotlib\n"
        "pd.set_option('display.max_colwidth', None); matplotlib.rcParams['axes.titley'] = 0.5\n"
        "get_ipython().display_formatter.formatters['text/html'].for_type(pd.DataFrame, lambda d: 'x')\n"
        "leftover = 1",
    )
    km = kernel()  # the reset
    kernel_exec(
        km,
        "import pandas as pd, matplotlib\n"
        "assert 'leftover' not in globals()\n"
        "assert pd.get_option('display.max_colwidth') == 50\n"
        "assert matplotlib.rcParams['axes.titley'] is None\n"
        "assert pd.DataFrame not in get_ipython().display_formatter.formatters['text/html'].type_printers",
    )


@pytest.mark.driver("make notebooks: the build driver with a pool of two kernels")
def test_make_notebooks_refreshes_in_place_in_a_pool_and_names_a_failure(tmp_path):
    """``analysis.build.report notebook`` (``make notebooks``) with two workers: a good notebook is
    rewritten byte-identical to the committed one (fresh-kernel outputs), a broken one fails by
    name and is left as it was, and reports/ is untouched."""
    import json

    from notebook_helpers import reports_digest

    good, bad = tmp_path / "refresh_good.ipynb", tmp_path / "refresh_bad.ipynb"
    committed = (paths.NOTEBOOKS / "00_start_here.ipynb").read_bytes()
    nb = json.loads(committed)
    code = next(c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" in c["metadata"].get("tags", []))
    code["source"] = [*code["source"], "\nobs_id = 'no.such.observation'\n"]  # a default the next cell refuses
    bad.write_text(json.dumps(nb), encoding="utf-8")
    bad_before = bad.read_bytes()
    good.write_bytes(committed.replace(b'"execution_count": 1', b'"execution_count": 99', 1))  # stale outputs
    same = tmp_path / "refresh_same.ipynb"  # current outputs: must not be rewritten, not even touched
    same.write_bytes(committed)
    os.utime(same, ns=(1_000_000_000, 1_000_000_000))
    before = reports_digest()
    r = user_driver("notebook", str(good), str(bad), str(same), "--jobs", "2")
    assert r.returncode == 1, r.stderr[-2000:]
    assert good.read_bytes() == committed
    assert bad.read_bytes() == bad_before
    assert same.read_bytes() == committed and same.stat().st_mtime_ns == 1_000_000_000
    assert "unchanged" in r.stdout and "refresh_same.ipynb" in r.stdout
    assert "3 of 3 notebooks done (1 failed)" in r.stdout and "notebooks in 2 kernels in" in r.stdout
    assert "refresh_bad.ipynb" in r.stderr and "1 failed" in r.stderr and "no.such.observation" in r.stderr
    assert "refreshed" in r.stdout and "refresh_good.ipynb" in r.stdout
    assert reports_digest() == before
