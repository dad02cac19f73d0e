"""The build's pool of kernels (analysis.build.kernels) with fake kernels: scheduling and failures.

The real kernels are exercised by every build run (tests/build/test_build.py); these tests check the
pool's bookkeeping, which a real run would take seconds to reach.
"""

from __future__ import annotations

import os

import pytest

from analysis.build.kernels import KernelOps, run_pool


class FakeKernel:
    def __init__(self, n: int) -> None:
        self.n = n
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive


def fake_ops(log: list) -> KernelOps:
    counter = iter(range(100))

    def start(cwd: str) -> FakeKernel:
        km = FakeKernel(next(counter))
        log.append(("start", km.n))
        return km

    return KernelOps(
        start=start,
        reset=lambda km: log.append(("reset", km.n)),
        stop=lambda km: log.append(("stop", km.n)),
    )


def test_one_worker_reuses_its_kernel_and_replaces_it_after_a_failure():
    log: list = []

    def run_one(name: str, km: FakeKernel) -> bool:
        log.append((name, km.n))
        return name != "bad"

    results = run_pool(["a", "bad", "b", "c"], run_one, 1, ".", fake_ops(log))
    assert results == {"a": True, "bad": False, "b": True, "c": True}
    assert log == [
        ("start", 0), ("a", 0),
        ("reset", 0), ("bad", 0), ("stop", 0),  # a failed run's kernel is not reused
        ("start", 1), ("b", 1),
        ("reset", 1), ("c", 1), ("stop", 1),
    ]  # fmt: skip


def test_a_kernel_that_died_between_runs_is_released_and_replaced():
    log: list = []

    def run_one(name: str, km: FakeKernel) -> bool:
        log.append((name, km.n))
        km.alive = name != "kills-its-kernel"
        return True

    assert run_pool(["kills-its-kernel", "next"], run_one, 1, ".", fake_ops(log)) == {
        "kills-its-kernel": True,
        "next": True,
    }
    assert log == [("start", 0), ("kills-its-kernel", 0), ("stop", 0), ("start", 1), ("next", 1), ("stop", 1)]


def test_a_worker_that_dies_fails_its_run_and_the_others_finish(capfd):
    def run_one(name: str, km: FakeKernel) -> bool:
        if name == "dies":
            os._exit(3)  # the worker process ends without reporting (as if killed)
        return True

    results = run_pool(["a", "dies", "b", "c", "d"], run_one, 2, ".", fake_ops([]))
    assert results["dies"] is False
    assert {k: v for k, v in results.items() if k != "dies"} == {"a": True, "b": True, "c": True, "d": True}
    assert "run dies: its worker process ended without a result" in capfd.readouterr().err


def test_a_kernel_that_cannot_start_fails_the_run_with_its_error(capfd):
    def start(cwd: str) -> FakeKernel:
        raise RuntimeError("no kernel spec poverty-analysis")

    results = run_pool(["a", "b"], lambda name, km: True, 1, ".", KernelOps(start=start, stop=lambda km: None))
    assert results == {"a": False, "b": False}
    assert "FAILED: run a: RuntimeError: no kernel spec poverty-analysis" in capfd.readouterr().err


@pytest.mark.driver("starts a kernel of the build")
def test_kernels_talk_over_private_unix_sockets():
    """The build's (and the tests') kernels use Unix sockets in a 0700 folder, not TCP ports."""
    import stat
    from pathlib import Path

    from analysis.build.kernels import start_kernel, stop_kernel

    km = start_kernel(".")
    folder = Path(km.socket_folder)
    try:
        assert km.transport == "ipc" and km.ip.startswith(str(folder))
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert any(p.is_socket() for p in folder.iterdir())
    finally:
        stop_kernel(km)
    assert not folder.exists()


def processes_with(setting: str) -> list[str]:
    """Command lines of the live processes whose environment holds ``setting`` (``NAME=value``).

    Linux /proc; zombies excluded. The kernels run in sessions of their own (jupyter_client starts
    them so), so a setting unique to one test finds the driver, its workers and their kernels,
    and still finds a kernel that outlived the driver.
    """
    from pathlib import Path

    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            if setting.encode() not in (stat.parent / "environ").read_bytes().split(b"\0"):
                continue
            out.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return out


@pytest.mark.driver("interrupts a build of two runs in two kernels")
def test_ctrl_c_stops_the_workers_and_their_kernels(tmp_path):
    """SIGINT to the driver's process group (what Ctrl-C in a terminal sends): exit 130 with a
    message, no kernel or worker left running, no half-written report."""
    import signal
    import subprocess
    import sys
    import time

    from analysis import paths

    setting = f"ANALYSIS_REPORTS_DIR={tmp_path / 'reports'}"  # unique to this test: finds its processes
    env = {**os.environ, "ANALYSIS_REPORTS_DIR": str(tmp_path / "reports")}
    # A driver started from a terminal gets Ctrl-C; one started in the background by a
    # non-interactive shell inherits SIGINT ignored (POSIX) and rightly keeps ignoring it. The
    # test may itself run in such a background job, so the driver gets the terminal's default.
    saved = signal.signal(signal.SIGINT, signal.default_int_handler)  # exec resets it to SIG_DFL
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.build.report", "run", "elasticities", "growth_rates", "--jobs", "2"],
            cwd=paths.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    finally:
        if saved is not None:  # None: a handler set outside Python, which this test did not replace
            signal.signal(signal.SIGINT, saved)
    assert proc.stdout is not None
    started = 0
    while started < 2:  # both workers have a kernel and are running a notebook
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        started += ".ipynb {" in line
    deadline = time.monotonic() + 30
    while sum("ipykernel" in c for c in processes_with(setting)) < 2:  # both kernels are up
        assert time.monotonic() < deadline and proc.poll() is None, "the two kernels did not start"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "[report] interrupted: kernels stopped" in err
    deadline = time.monotonic() + 5  # the kernels' own exit after the driver's may take a moment
    while (left := processes_with(setting)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == [], f"processes of the interrupted build still running: {left}"
    assert not list((tmp_path / "reports").glob("*.html"))
