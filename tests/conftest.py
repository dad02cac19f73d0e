"""Shared fixtures: a writable copy of the raw data for bad-input tests; the browser.

Browser tests take the ``chromium`` fixture (the one place that decides whether a
browser is available). Without Debian's ``chromium`` and ``chromedriver`` on ``PATH`` they
are skipped with the install command as the reason, except under CI (``CI=true``), where
they are required and fail instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.build.browser import INSTALL as BROWSER_INSTALL  # what installs the browser (as .ci/run does)
from analysis.build.browser import chromium_paths
from helpers import driver_changes, driver_skip_reason, in_ci


@pytest.fixture
def interactive():
    """Run a notebook as an exploring user would (``notebook_helpers.run_interactive``).

    Call as ``interactive(notebook, run_name, **parameters)``; returns the executed notebook
    and its scratch folder ``build/interactive/<run_name>``, removed after the test.
    """
    from notebook_helpers import run_interactive

    made: list[Path] = []

    def run(name: str, run_name: str, **parameters):
        made.append(paths.SCRATCH / run_name)
        return run_interactive(name, run_name, **parameters)

    yield run
    for d in made:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A complete copy of data/raw in a temporary folder."""
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW, dst)
    return dst


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """One build of an unchanged copy of data/raw per test process: the raw folder and the files written."""
    from analysis.data.build import build

    base = tmp_path_factory.mktemp("clean_build")
    shutil.copytree(paths.RAW, base / "raw")
    build(base / "raw", base / "out")
    return base / "raw", {p.name: p.read_bytes() for p in (base / "out").iterdir()}


@pytest.fixture
def built(raw_copy: Path, tmp_path: Path, clean_build) -> tuple[Path, Path, dict[str, bytes]]:
    """A successful build of the raw copy into tmp/out, and the bytes it wrote.

    The raw copy is unchanged when this runs, so its build is the session's build of an
    identical copy (:func:`clean_build`) with that copy's folder name replaced by this one's
    (outside the project, ``source_file`` holds the absolute path); test_damaged_inputs checks
    that the two are byte-identical. Saves a build per bad-input test.
    """
    src, files = clean_build
    out = tmp_path / "out"
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data.replace(str(src).encode(), str(raw_copy).encode()))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "observations.csv" in before
    return raw_copy, out, before


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"browser: needs headless Chromium (skipped without it, required under CI=true; {BROWSER_INSTALL})"
    )
    config.addinivalue_line(
        "markers",
        "full(why): left to CI and `make test-full` (skipped by `make test`, with the reason): a whole build "
        "repeated, figures drawn twice, or an outside program (Chromium, a JupyterLab server, the package index)",
    )
    config.addinivalue_line(
        "markers",
        "driver(why): runs the build driver or its kernels in other processes; `make test` runs it when the "
        "build layer differs from the last commit (DRIVER_PATHS), CI and `make test-full` always",
    )


FIRST = (
    "tests/build/test_build.py",
    "notebooks/elasticities.ipynb",
    "notebooks/growth_rates.ipynb",
    "notebooks/comparisons.ipynb",
    "tests/build/test_safe_defaults.py",
    "tests/build/test_readme.py",
    "tests/data/test_damaged_inputs.py",
    "tests/data/test_data_validation.py",
    "tests/notebooks/test_clients.py",
)
"""Modules that take longest, in the order they start: ``make test`` gives out whole modules
(``--dist loadfile``) in collection order, so the long ones go first and the short ones fill the
gaps at the end. test_findings (which shares ``report_tables`` with test_readme) goes last."""
LAST = ("tests/build/test_findings.py",)


@pytest.hookimpl(wrapper=True)  # the order is in place before pytest-xdist's hooks see the items
def pytest_collection_modifyitems(items: list[pytest.Item]):
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        if path in LAST:
            return len(FIRST) + 1
        return FIRST.index(path) if path in FIRST else len(FIRST)

    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.full(f"drives headless Chromium (install with: {BROWSER_INSTALL})"))
        if "one_build" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("driver"):
            item.add_marker(pytest.mark.driver("reads the build driver's build of the claims audit run"))
        if not in_ci() and (driver := item.get_closest_marker("driver")):
            why = driver.args[0] if driver.args else "runs the build driver"
            if reason := driver_skip_reason(why, driver_changes()):
                item.add_marker(pytest.mark.skip(reason=reason))
        if not in_ci() and (full := item.get_closest_marker("full")):
            why = full.args[0] if full.args else "a CI test"
            item.add_marker(pytest.mark.skip(reason=f"{why}: runs in CI (.ci/run) and with `make test-full`"))
    items.sort(key=rank)  # stable: the order within a module (and a notebook's cells) is kept
    return (yield)


@pytest.fixture(scope="session")
def report_tables(tmp_path_factory) -> Path:
    """Every run's report tables, computed in-process as the notebook runs compute them
    (:func:`analysis.build.readme.compute_run_tables`, checked byte-identical to a papermill run
    by test_build); shared by the README and findings tests. Returns the ``tables`` folder."""
    import fcntl

    from analysis.build import readme
    from analysis.build.runs import RUNS

    # One computation per test session: pytest-xdist's workers share the folder above their own
    # (the session's); without workers the session's own folder is used.
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "report_tables"
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first one's tables
        if not (root / ".done").exists():
            for run in RUNS:
                if run.notebook in readme.TABLE_STEPS:
                    readme.compute_run_tables(run, root)
            (root / ".done").touch()
    return root / "tables"


SHARED_ENV = "ANALYSIS_SHARED_DIR"
"""Where the team's shared folder is (documents/, external/); default ``../shared`` beside the
project. ``.ci/run`` sets it when that folder exists, which makes the comparisons required."""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's shared folder, for the tests that compare the project's copies with it.

    Set through :data:`SHARED_ENV` (then required: a missing folder fails the test), else
    ``../shared`` beside the project when it exists; otherwise the test is skipped, with the
    reason and how to run it.
    """
    explicit = os.environ.get(SHARED_ENV)
    folder = Path(explicit) if explicit else paths.ROOT.parent / "shared"
    if (folder / "documents").is_dir() and (folder / "external").is_dir():
        return folder
    if explicit:
        pytest.fail(f"{SHARED_ENV}={explicit}: no documents/ and external/ there", pytrace=False)
    pytest.skip(f"../shared is not beside this clone; set {SHARED_ENV}=/path/to/shared to compare the copies")


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Paths of the Chromium browser and its WebDriver, found on ``PATH``.

    Browser tests are ``full`` tests (:func:`pytest_collection_modifyitems`): ``make test`` skips
    them with the install command as part of the reason, and CI (``CI=true``) and ``make test-full``
    run them, where a missing browser fails the test instead, so CI can never skip them silently.
    """
    if found := chromium_paths():  # the lookup make screenshots uses
        return found
    missing = " and ".join(n for n in ("chromium", "chromedriver") if not shutil.which(n))
    pytest.fail(
        f"CI=true: browser test needs {missing} on PATH; install with: {BROWSER_INSTALL} "
        "(browser tests are required in CI)",
        pytrace=False,
    )
