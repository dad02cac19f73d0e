"""The benchmark script refuses to run beside another benchmark (two at once measure each other)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

from analysis import paths


def test_a_second_benchmark_is_refused_while_one_runs(tmp_path):
    lock = tmp_path / "bench.lock"
    with open(lock, "w", encoding="utf-8") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running `make bench` holds
        r = subprocess.run(
            [sys.executable, str(paths.ROOT / "benchmarks" / "bench.py"), "--repeat", "1"],
            env={**os.environ, "ANALYSIS_BENCH_LOCK": str(lock)},
            capture_output=True,
            text=True,
            timeout=60,
            cwd=paths.ROOT,
        )
    assert r.returncode == 2, r.stderr[-2000:]
    assert "another benchmark is running" in r.stderr and "wait for it to finish" in r.stderr
    assert r.stdout == ""  # refused before anything ran (no make data, no scenario)
