"""Kernels of the build: start one, reset it between runs, and a pool of workers that reuse them.

The build executes its runs in ``jobs`` worker processes. Each worker starts one kernel
and reuses it for every run it takes, whatever the notebook: between runs the kernel gets
:data:`KERNEL_RESET`, which puts back everything a notebook may change (namespace, figures,
rcParams, pandas display, warning filters), and the driver renumbers execution counts, so
a report is byte-identical to one from a fresh kernel (checked by ``tests/build/test_build.py``
and by nbval). Kernel start-up and the imports of the scientific stack are then paid once
per worker instead of once per run, which is most of the difference between the build and
its one-process floor (``benchmarks/results.md``).

Runs go to whichever worker is free, longest first, so that the short ones fill the end.
The workers are forked from the driver after it has imported papermill and nbconvert, so
those imports are also paid once.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.connection
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

KERNEL = "poverty-analysis"
JOBS_ENV = "ANALYSIS_BUILD_JOBS"
"""Environment variable: number of worker processes (kernels) of the build; default: the CPUs."""

# Run in a new kernel before its first run: remember the warning filters it started with.
KERNEL_SNAPSHOT = "import warnings as _w; _w._analysis_filters = list(_w.filters); del _w"
# Run in a reused kernel before each further run: a clean namespace, no open figures,
# matplotlib's default rcParams, pandas' default display options and DataFrame display (a
# notebook may set either: the claims audit widens display.max_colwidth), and the warning
# filters the kernel started with (so that a warning shown by the earlier run is shown again).
KERNEL_RESET = """\
get_ipython().run_line_magic("reset", "-f")
import sys, warnings, matplotlib, matplotlib.pyplot
matplotlib.pyplot.close("all"); matplotlib.rcdefaults()
if "pandas" in sys.modules:
    sys.modules["pandas"].reset_option(r"^display\\.")
    get_ipython().display_formatter.formatters["text/html"].pop(sys.modules["pandas"].DataFrame, None)
warnings.filters[:] = warnings._analysis_filters; warnings._filters_mutated()
for m in list(sys.modules.values()):
    getattr(m, "__warningregistry__", {}).clear()
del sys, warnings, matplotlib, m
"""


@functools.cache
def kernel_classes() -> tuple[Any, Any]:
    """The build's kernel manager and client classes (``OneClientKernelManager``, ``OneClient``).

    Defined on first use, so that commands that start no kernel (the index, a dry run) do not
    import jupyter_client.
    """
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager

    class OneClient(BlockingKernelClient):
        """A kernel client that connects once: starting its channels or waiting for the kernel again
        (papermill does both, per run) costs nothing."""

        _ready = False

        def start_channels(self, *args: Any, **kwargs: Any) -> None:
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        def wait_for_ready(self, timeout: float | None = None) -> None:
            """Wait for the kernel once; later calls return at once (jupyter_client's wait ends
            with 0.2 s of listening for stray output, each time). A kernel that died later is
            reported by the execution that finds it dead."""
            if not self._ready:
                super().wait_for_ready(timeout=timeout)
                self._ready = True

    class OneClientKernelManager(KernelManager):
        """A kernel manager that hands out one client (``OneClient``) for the life of its kernel.

        Every new client subscribes to the kernel's output channel afresh and then waits about
        0.2 s for the subscription to catch up (jupyter_client's ``wait_for_ready``); the build
        would ask for one per reset and one per papermill run. Papermill, which did not start
        the kernel, leaves the client running; :func:`stop_kernel` stops it.
        """

        _one_client: Any = None
        socket_folder: str | None = None  # set by start_kernel: removed by stop_kernel

        def client(self, **kwargs: Any) -> Any:
            if self._one_client is None:
                self._one_client = super().client(**kwargs)
            return self._one_client

        def close_client(self) -> None:
            """Stop the client's channels (before the kernel is shut down)."""
            if self._one_client is not None:
                self._one_client.stop_channels()
                self._one_client = None

    return OneClientKernelManager, OneClient


def client_exec(kc: Any, code: str) -> None:
    """Run ``code`` through the started client ``kc`` silently; raise if it fails (used for the reset)."""
    reply = kc.execute_interactive(code, store_history=False, timeout=60, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel reset failed: {reply['content']}")


def kernel_exec(km: Any, code: str) -> None:
    """Run ``code`` in the kernel of ``km`` silently; raise if it fails (used for the reset)."""
    kc = km.client()
    shared = isinstance(km, kernel_classes()[0])  # the build's manager: its one client stays open
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        client_exec(kc, code)
    finally:
        if not shared:
            kc.stop_channels()


def start_kernel(cwd: str, env: dict[str, str] | None = None) -> Any:
    """Start a project kernel in ``cwd`` (with ``env``, default this process's) and snapshot its state.

    The kernel talks over Unix sockets in a private temporary folder (mode 0700), not TCP
    ports on 127.0.0.1 that any local user could reach (ipykernel warns about those at
    every start). The manager hands out one client for the kernel's life
    (``OneClientKernelManager`` of :func:`kernel_classes`); stop both with :func:`stop_kernel`,
    which also removes the folder.
    """
    manager, client = kernel_classes()
    sockets = tempfile.mkdtemp(prefix="analysis-kernel-")
    km = manager(kernel_name=KERNEL, client_factory=client, transport="ipc", ip=os.path.join(sockets, "kernel"))
    km.socket_folder = sockets
    try:
        km.start_kernel(cwd=cwd, env=dict(os.environ if env is None else env))
        kernel_exec(km, KERNEL_SNAPSHOT)
    except BaseException:
        stop_kernel(km)
        raise
    return km


def stop_kernel(km: Any) -> None:
    """Stop the client of a kernel from :func:`start_kernel`, then the kernel; remove its socket folder."""
    if isinstance(km, kernel_classes()[0]):
        km.close_client()
    if km.has_kernel:
        km.shutdown_kernel(now=True)
    folder = getattr(km, "socket_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def default_jobs(n_runs: int) -> int:
    """Worker processes for ``n_runs`` runs: ``$ANALYSIS_BUILD_JOBS``, else the usable CPUs; at most one per run.

    Raises
    ------
    ValueError
        If ``ANALYSIS_BUILD_JOBS`` is set to anything but a positive whole number.
    """
    raw = os.environ.get(JOBS_ENV, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"{JOBS_ENV}={raw!r}: expected a positive whole number of worker processes")
        jobs = int(raw)
    else:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs, n_runs))


RunOne = Callable[[str, Any], bool]
"""Execute the named run in the given kernel; True if it succeeded (it reports its own errors)."""


@dataclass(frozen=True)
class KernelOps:
    """How a worker starts, resets and stops its kernel (the real ones by default; tests pass fakes)."""

    start: Callable[[str], Any] = start_kernel
    reset: Callable[[Any], None] = lambda km: kernel_exec(km, KERNEL_RESET)
    stop: Callable[[Any], None] = stop_kernel


def _work(tasks: Iterator[str], done: Callable[[str, bool], None], run_one: RunOne, cwd: str, ops: KernelOps) -> None:
    """One worker: take runs until there are none left, in one kernel reset between runs."""
    km = None
    try:
        for name in tasks:
            ok = False
            try:
                if km is not None and km.is_alive():
                    ops.reset(km)
                else:
                    if km is not None:  # it died: release it (its sockets) before starting another
                        ops.stop(km)
                        km = None
                    km = ops.start(cwd)
                ok = run_one(name, km)
            except Exception as exc:  # the kernel could not be started or reset: report, go on
                print(f"[report] FAILED: run {name}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            if not ok and km is not None:  # a failed run may leave anything behind: next run gets a new kernel
                ops.stop(km)
                km = None
            done(name, ok)
    finally:
        if km is not None:
            ops.stop(km)


def _worker(*args: Any) -> None:
    """A forked worker: :func:`_work`, ending quietly on Ctrl-C (its kernel is stopped first)."""
    try:
        _work(*args)
    except KeyboardInterrupt:
        sys.exit(130)


def _queue_iter(q: Any) -> Iterator[str]:
    while (item := q.get()) is not None:
        yield item


def run_pool(
    names: Sequence[str],
    run_one: RunOne,
    jobs: int,
    cwd: str,
    ops: KernelOps | None = None,
    on_done: Callable[[str, bool], None] | None = None,
) -> dict[str, bool]:
    """Execute the runs ``names`` (in this order of priority) in ``jobs`` workers; return success per run.

    With one job the runs execute in this process, one after another, in one kernel. With
    more, ``jobs`` forked processes take the next run whenever they are free. A run whose
    worker died without reporting counts as failed. ``on_done(name, ok)`` is called in this
    process as each run finishes (the build's progress lines).
    """
    ops = ops or KernelOps()
    results: dict[str, bool] = {}

    def record(name: str, ok: bool) -> None:
        results[name] = ok
        if on_done is not None:
            on_done(name, ok)

    if jobs <= 1 or len(names) <= 1:
        _work(iter(names), record, run_one, cwd, ops)
        return results
    ctx = multiprocessing.get_context("fork")
    tasks: Any = ctx.Queue()
    for task in [*names, *([None] * jobs)]:
        tasks.put(task)
    # One pipe per worker for its results: a send is written before the worker goes on, so a
    # worker that dies loses no result it had sent, and the end of the pipe says it ended.
    pipes: dict[Any, Any] = {}
    for _ in range(jobs):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_worker, args=(_queue_iter(tasks), lambda n, ok, s=send: s.send((n, ok)), run_one, cwd, ops)
        )
        proc.start()
        send.close()  # the worker holds the only writing end: its exit ends the pipe
        pipes[receive] = proc
    try:
        while pipes:
            for ready in multiprocessing.connection.wait(list(pipes)):
                conn: Any = ready  # one of the pipes' receiving ends
                try:
                    done, ok = conn.recv()
                except EOFError:
                    pipes.pop(conn).join()
                    continue
                record(str(done), bool(ok))
    finally:  # only after an interruption: give the workers time to stop their kernels
        for conn, proc in pipes.items():
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
            conn.close()
    for name in names:
        if name not in results:
            print(f"[report] FAILED: run {name}: its worker process ended without a result", file=sys.stderr)
            record(name, False)
    return results
