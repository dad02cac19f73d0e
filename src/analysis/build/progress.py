"""Progress of a build: runs done of the total, the time left, and a one-line summary.

The time left is estimated from the seconds each run took in the last build
(``build/timing/<run>.json``, written by :func:`analysis.build.report.execute`), corrected
by how fast this build has gone so far, and divided among the kernels. A run never timed
counts as the median of the timed ones; with no timing at all the estimate waits for the
first run to finish. The same lines are printed whether or not the output is a terminal:
nothing is redrawn, so a log file reads like the screen.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def _fmt(seconds: float) -> str:
    """``42 s`` or ``3 min 05 s``."""
    s = round(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s"


class Progress:
    """Count finished runs and estimate the time left.

    Parameters
    ----------
    names : sequence of str
        The runs of this build.
    last_seconds : mapping
        Seconds each run took in the last build (``None`` or absent when never timed).
    jobs : int
        Kernels working in parallel.
    what : str
        The word for one unit of work in the lines (``runs``, ``notebooks``).
    clock : callable, optional
        Seconds since some origin (tests pass a fake clock).

    Examples
    --------
    >>> t = iter([0.0, 10.0, 30.0])
    >>> p = Progress(["a", "b", "c"], {"a": 10, "b": 10, "c": 20}, jobs=1, clock=lambda: next(t))
    >>> p.done("a", True)
    '1 of 3 runs done, about 30 s left'
    >>> p.done("b", False)
    '2 of 3 runs done (1 failed), about 30 s left'
    """

    def __init__(
        self,
        names: list[str],
        last_seconds: Mapping[str, float | None],
        jobs: int = 1,
        what: str = "runs",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.names, self.jobs, self.what, self.clock = list(names), max(1, jobs), what, clock
        known = [float(v) for n in self.names if (v := last_seconds.get(n)) is not None]
        fill = statistics.median(known) if known else None
        self.estimate = {n: (float(v) if (v := last_seconds.get(n)) is not None else fill) for n in self.names}
        self.finished: dict[str, bool] = {}
        self.start = clock()

    def done(self, name: str, ok: bool) -> str:
        """Record one finished run; the progress line to print."""
        self.finished[name] = ok
        n, total = len(self.finished), len(self.names)
        failed = sum(1 for v in self.finished.values() if not v)
        line = f"{n} of {total} {self.what} done" + (f" ({failed} failed)" if failed else "")
        if n < total:
            left = self.seconds_left()
            line += f", about {_fmt(left)} left" if left is not None else ", time left not yet known"
        return line

    def seconds_left(self) -> float | None:
        """Estimated seconds until the last run finishes (None when nothing is known yet)."""
        elapsed = self.clock() - self.start
        remaining = [self.estimate[n] for n in self.names if n not in self.finished]
        done = [self.estimate[n] for n in self.finished]
        rem = [e for e in remaining if e is not None]
        est = [e for e in done if e is not None]
        if len(rem) < len(remaining) or len(est) < len(done):  # nothing timed: the pace so far
            if not self.finished:
                return None
            return elapsed * len(remaining) / len(self.finished)
        speed = elapsed * self.jobs / sum(est) if sum(est) > 0 else 1.0
        work = [e * speed for e in rem]
        return max(sum(work) / self.jobs, max(work, default=0.0))

    def summary(self) -> str:
        """The build's last line: how many runs, how long, how many failed."""
        failed = [n for n, ok in self.finished.items() if not ok]
        kernels = f" in {self.jobs} kernels" if self.jobs > 1 else ""
        text = f"{len(self.finished)} {self.what}{kernels} in {_fmt(self.clock() - self.start)}: "
        text += f"{len(self.finished) - len(failed)} succeeded"
        return text + (f", {len(failed)} failed ({', '.join(failed)})" if failed else ", none failed")
