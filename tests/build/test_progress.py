"""Build progress: runs done of the total, the time left from the last build's timings, a summary."""

from __future__ import annotations

from analysis.build.kernels import KernelOps, run_pool
from analysis.build.progress import Progress


def clock(*times: float):
    it = iter(times)
    return lambda: next(it)


def test_time_left_from_last_timings_over_two_kernels():
    # last build: a 40 s, b 30 s, c 20 s, d 10 s; two kernels.
    p = Progress(["a", "b", "c", "d"], {"a": 40, "b": 30, "c": 20, "d": 10}, jobs=2, clock=clock(0, 30, 40, 50, 60))
    # b done at 30 s: 30 s of estimated work in 30 s x 2 kernels -> speed 2;
    # the rest (a 40, c 20, d 10) at speed 2 is 140 s of kernel time over 2 kernels = 70 s, and the
    # longest single run (a, 80 s) is longer: 80 s left.
    assert p.done("b", True) == "1 of 4 runs done, about 1 min 20 s left"
    # a done at 40 s: 70 s of estimates in 40 s x 2 kernels -> speed 8/7; c, d: 22.9 and 11.4 s,
    # (22.9 + 11.4) / 2 = 17.1, but c alone takes 22.9 -> 23 s
    assert p.done("a", True) == "2 of 4 runs done, about 23 s left"
    # c done at 50 s: 90 s of estimates in 100 kernel-seconds -> speed 10/9; d: 11.1 -> 11 s
    assert p.done("c", False) == "3 of 4 runs done (1 failed), about 11 s left"
    assert p.done("d", True) == "4 of 4 runs done (1 failed)"
    assert p.summary() == "4 runs in 2 kernels in 1 min 00 s: 3 succeeded, 1 failed (c)"


def test_never_timed_runs_wait_for_the_pace_of_this_build():
    p = Progress(["a", "b", "c"], {}, jobs=1, what="notebooks", clock=clock(0, 5, 12))
    assert p.seconds_left() is None
    # one notebook in 12 s: two left at that pace
    assert p.done("a", True) == "1 of 3 notebooks done, about 24 s left"
    p2 = Progress(["a", "b"], {"a": 10}, jobs=1, clock=clock(0, 5))  # b untimed: counts as the median, 10 s
    assert p2.done("a", True) == "1 of 2 runs done, about 5 s left"


def test_the_pool_reports_each_run_as_it_finishes():
    seen: list[tuple[str, bool]] = []
    results = run_pool(
        ["a", "bad", "b"],
        lambda name, km: name != "bad",
        1,
        ".",
        KernelOps(start=lambda cwd: object(), reset=lambda km: None, stop=lambda km: None),
        on_done=lambda n, ok: seen.append((n, ok)),
    )
    assert seen == [("a", True), ("bad", False), ("b", True)] and results == dict(seen)
