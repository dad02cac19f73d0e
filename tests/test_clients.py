"""Real clients: the index in headless Chromium, the notebooks in a running JupyterLab.

Chromium and ChromeDriver come from Debian (``chromium``, ``chromium-driver``); ``.ci/run``
installs them when missing. JupyterLab is started with ``make lab``'s command on
127.0.0.1 and stopped at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis import paths

CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,2000")


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> Path:
    """A report folder with one run and the index (built like make report does)."""
    reports = tmp_path_factory.mktemp("site") / "reports"
    env = {**os.environ, "ANALYSIS_REPORTS_DIR": str(reports)}
    for args in (["run", "growth_rates", "--no-progress"], ["index"]):
        r = subprocess.run([sys.executable, "-m", "analysis.build_report", *args], env=env, capture_output=True,
                           text=True, cwd=paths.ROOT)
        assert r.returncode == 0, r.stderr[-2000:]
    return reports


def test_index_in_headless_chromium(built_index, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_bin = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    assert Path(chromium).exists() and Path(driver_bin).exists(), \
        "install Debian's chromium and chromium-driver (.ci/run does)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for f in CHROME_FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(service=Service(driver_bin), options=opts)
    try:
        driver.get((built_index / "index.html").as_uri())
        assert "Poverty-alleviation analysis" in driver.title
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.getAttribute('src'), i.complete, i.naturalWidth]);")
        assert len(images) >= 5
        broken = [src for src, done, width in images if not done or width == 0]
        assert not broken, f"figures that did not load: {broken}"
        links = driver.execute_script("return Array.from(document.links).map(a => a.getAttribute('href'));")
        local = [h for h in links if not h.startswith("http")]
        missing = [h for h in local if not (built_index / h.split('#')[0]).exists()]
        assert not missing, f"links to missing files: {missing}"
        shots = paths.ROOT / "reports" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(shots / "index.png"))
        driver.get((built_index / "data_catalog.html").as_uri())
        assert driver.find_element("id", "xiangxi.gdp.2019")
        driver.save_screenshot(str(shots / "data_catalog.png"))
    finally:
        driver.quit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> dict:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def _call(url: str, token: str, method: str, body: dict | None = None) -> dict | None:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def test_jupyterlab_opens_each_notebook_with_the_project_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--port={port} --ServerApp.token={token} --ServerApp.open_browser=False --ServerApp.port_retries=0"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "MAKEFLAGS": ""}
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=paths.ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"make lab exited: {proc.stdout.read().decode()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        specs = _get(f"{base}/api/kernelspecs", token)
        assert "poverty-analysis" in specs["kernelspecs"]
        lab = urllib.request.urlopen(urllib.request.Request(f"{base}/lab?token={token}"), timeout=10)
        assert lab.status == 200
        notebooks = sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb"))
        assert "growth_rates.ipynb" in notebooks
        for name in notebooks:
            model = _get(f"{base}/api/contents/notebooks/{name}?content=1", token)
            assert model["type"] == "notebook"
            assert model["content"]["metadata"]["kernelspec"]["name"] == "poverty-analysis", name
        session = _call(f"{base}/api/sessions", token, "POST",
                        {"path": "notebooks/growth_rates.ipynb", "type": "notebook",
                         "kernel": {"name": "poverty-analysis"}})
        assert session["kernel"]["name"] == "poverty-analysis"
        _call(f"{base}/api/sessions/{session['id']}", token, "DELETE")
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
