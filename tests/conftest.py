"""Shared fixtures: a writable copy of the raw data for bad-input tests; the browser.

Browser tests take the ``chromium`` fixture (the one place that decides whether a
browser is available). Without Debian's ``chromium`` and ``chromedriver`` on ``PATH`` they
are skipped with the install command as the reason, except under CI (``CI=true``), where
they are required and fail instead.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from analysis import paths


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


@pytest.fixture
def built(raw_copy: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A successful build of the raw copy into tmp/out, and the bytes it wrote."""
    from analysis.data.build import build

    out = tmp_path / "out"
    build(raw_copy, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "observations.csv" in before
    return raw_copy, out, before


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV as dicts (UTF-8)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", fieldnames=None) -> None:
    """Write dict rows as CSV in the given encoding."""
    fieldnames = fieldnames or list(rows[0])
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fieldnames, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def resum(raw: Path) -> None:
    """Rewrite data/raw/external/SHA256SUMS after a test edited figures.csv (as `make external` would)."""
    from analysis.data.external import sums_text

    (raw / "external" / "SHA256SUMS").write_text(sums_text(raw / "external"), encoding="utf-8")


def edit_figures(raw: Path, edit, encoding: str = "utf-8") -> Path:
    """Apply ``edit(rows)`` to the raw copy's figures.csv, rewrite it and its checksums; return its path."""
    path = raw / "external" / "figures.csv"
    rows = read_rows(path)
    fields = list(rows[0])
    edit(rows)
    write_rows(path, rows, encoding=encoding, fieldnames=fields if rows and set(rows[0]) == set(fields) else None)
    resum(raw)
    return path


BROWSER_INSTALL = "apt-get install chromium chromium-driver"
"""The command that installs the browser tests' needs (as .ci/run does)."""


def in_ci() -> bool:
    """True under CI (``CI=true``, as .ci/run and most CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"browser: needs headless Chromium (skipped without it, required under CI=true; {BROWSER_INSTALL})"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Paths of the Chromium browser and its WebDriver, found on ``PATH``.

    Skips the test with the install command when either is missing; under CI
    (``CI=true``) fails instead, so CI can never skip the browser tests silently.
    """
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if not p)
    reason = f"browser test needs {missing} on PATH; install with: {BROWSER_INSTALL}"
    if in_ci():
        pytest.fail(f"CI=true: {reason} (browser tests are required in CI)", pytrace=False)
    pytest.skip(reason)
