"""A real client: the notebooks in a running JupyterLab (``make lab``'s command).

JupyterLab is started on 127.0.0.1 with a random token and port and stopped at the end.
The other real client, headless Chromium on ``reports/index.html``, is in
``test_build.py`` (it reuses that file's build).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request

import pytest

from analysis import paths


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
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"token {token}", "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


@pytest.mark.full("starts a JupyterLab server and a kernel per notebook")
def test_jupyterlab_opens_each_notebook_with_the_project_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--port={port} --ServerApp.token={token} --ServerApp.open_browser=False --ServerApp.port_retries=0"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "MAKEFLAGS": ""}
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"],
        cwd=paths.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
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
        session = _call(
            f"{base}/api/sessions",
            token,
            "POST",
            {"path": "notebooks/growth_rates.ipynb", "type": "notebook", "kernel": {"name": "poverty-analysis"}},
        )
        assert session["kernel"]["name"] == "poverty-analysis"
        _call(f"{base}/api/sessions/{session['id']}", token, "DELETE")
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
