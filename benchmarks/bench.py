"""Benchmark the build against its physical floor and against a naive user (``make bench``).

Each scenario runs ``--repeat`` times (default 3); the median, min and max are written
to ``benchmarks/results.md`` and printed. Scenarios:

* floor: one Python process imports the stack once and runs every report's notebook
  code in-process (the same ``analysis`` calls the notebooks make), writing the same
  tables and figures into a scratch folder;
* naive: the papermill CLI, then ``jupyter nbconvert --to html``, one run after another;
* ``make -j2 report`` from clean ``reports/`` and ``data/processed/`` (cold);
* no-op ``make report``; after touching one raw table; after touching one notebook;
* ``make test``;
* per-notebook overhead: one papermill run vs the same work in-process;
* scale: growth and elasticity functions on 10 ... 10,000 synthetic series.

``--fresh-clone`` instead measures only what a new user meets (issue 23): ``git clone`` of the
current commit into a temporary folder, ``make report`` there with empty package caches
(``UV_CACHE_DIR`` a new empty folder, ``PIP_NO_CACHE_DIR=1``, ``XDG_CACHE_HOME`` empty: the
environment is downloaded and installed from the package index), then ``make clean`` and a cold
``make report`` with the environment present; it replaces the "Fresh clone" section of the notes
in ``benchmarks/results.md`` (wall and CPU seconds, the load average before each, the ratio).

A second benchmark started while one runs is refused (exit 2): two at once on two cores measure
each other. The running one holds ``.bench.lock`` at the project root.

Usage: ``python benchmarks/bench.py [--repeat N] [--skip-test] [--fresh-clone] [--out benchmarks/results.md]``
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent


NOTES_MARKER = "<!-- notes: kept by make bench -->"
CPU: dict[str, list[float]] = {}
"""CPU seconds (user + sys of the child processes) per scenario: stable on a busy machine."""


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict | None = None, check: bool = True, cpu_key: str = "") -> float:
    c = children_cpu()
    t = time.perf_counter()
    r = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    wall = time.perf_counter() - t
    if cpu_key:
        CPU.setdefault(cpu_key, []).append(children_cpu() - c)
    return wall


PROBE = (
    "import time; t = time.perf_counter(); x = sum(i * i for i in range(20_000_000)); print(time.perf_counter() - t)"
)
"""A fixed pure-Python workload: its time says how fast this (virtual) machine is at the moment."""


def speed_probe() -> float:
    """Seconds of :data:`PROBE` in a fresh interpreter (best of three).

    On a shared virtual machine the same work can take 1.7x longer when the host is busy, and
    every scenario slows down with it; the probe, measured before and after the scenarios,
    lets a reader compare two benchmark runs (or a target in seconds) at the same speed.
    """
    runs = [
        float(subprocess.run([PY, "-c", PROBE], capture_output=True, text=True, check=True).stdout) for _ in range(3)
    ]
    return min(runs)


def steal_jiffies() -> int | None:
    """CPU time the hypervisor gave to other guests (``steal`` of /proc/stat), where Linux reports it."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        return int(fields[8])
    except (OSError, IndexError, ValueError):
        return None


def clean() -> None:
    subprocess.run(["make", "--no-print-directory", "clean"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def repeat(n: int, fn, setup=None) -> list[float]:
    out = []
    for _ in range(n):
        if setup:
            setup()
        out.append(fn())
    return out


def floor_script(scratch: Path) -> str:
    """A script that runs every report's notebook code cells in one process."""
    return f"""
import sys, time, json
sys.modules.setdefault("rfc3987_syntax", None)
import os
os.environ["ANALYSIS_REPORTS_DIR"] = {str(scratch)!r}
os.environ["ANALYSIS_BUILD_OUTPUT_DIR"] = {str(scratch)!r}  # figures and tables into the scratch, as a build run
import nbformat, IPython.display as D
D.display = lambda *a, **k: None
from analysis.build.runs import RUNS
subprocess_data = __import__("subprocess").run([sys.executable, "-m", "analysis.data.build", "--out", {str(scratch / "processed")!r}], check=True, capture_output=True)
times = {{}}
for run in RUNS:
    t = time.perf_counter()
    nb = nbformat.read(str(run.notebook_path), as_version=4)
    ns = {{"display": D.display}}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = cell.source
        exec(compile(src, run.name, "exec"), ns)
        if "parameters" in cell.metadata.get("tags", []):
            ns.update(run.all_parameters)
    import matplotlib.pyplot as plt
    plt.close("all")
    times[run.name] = time.perf_counter() - t
t = time.perf_counter()
from analysis.data.exports import write_exports
write_exports({str(scratch / "data")!r})
times["data exports"] = time.perf_counter() - t
print(json.dumps(times))
"""


def in_process(scratch: Path) -> tuple[float, dict]:
    scratch.mkdir(parents=True, exist_ok=True)
    script = scratch / "floor.py"
    script.write_text(floor_script(scratch), encoding="utf-8")
    c = children_cpu()
    t = time.perf_counter()
    r = subprocess.run([PY, str(script)], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-3000:])
    wall = time.perf_counter() - t
    CPU.setdefault("floor", []).append(children_cpu() - c)
    return wall, json.loads(r.stdout.strip().splitlines()[-1])


def naive(scratch: Path) -> float:
    from analysis.build.runs import RUNS

    scratch.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    env = {"ANALYSIS_REPORTS_DIR": str(scratch), "ANALYSIS_BUILD_OUTPUT_DIR": str(scratch)}
    subprocess.run([PY, "-m", "analysis.data.build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    for run in RUNS:
        out = scratch / f"{run.name}.ipynb"
        args = [
            str(BIN / "papermill"),
            str(run.notebook_path),
            str(out),
            "-k",
            "poverty-analysis",
            "--cwd",
            str(ROOT / "notebooks"),
        ]
        for k, v in run.all_parameters.items():
            args += ["-p", k, str(v)]
        timed(args, env)
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)], env)
    return time.perf_counter() - t


def scale() -> list[tuple[int, float, float]]:
    import numpy as np

    from analysis.metrics.elasticity import log_arc_elasticity_many
    from analysis.metrics.growth import cagr_many, trend_growth_many

    rng = np.random.default_rng(1)
    rows = []
    for n in (10, 100, 1000, 10000):
        lengths = rng.integers(7, 31, size=n)
        width = 30
        vals = np.full((n, width), np.nan)
        for_len = np.arange(width)[None, :] < lengths[:, None]
        vals[for_len] = np.exp(rng.normal(0.05, 0.1, size=for_len.sum()))
        vals = np.where(for_len, np.nancumprod(np.where(for_len, vals, 1.0), axis=1) * 100, np.nan)
        years = np.arange(2000, 2000 + width)
        t = time.perf_counter()
        for _ in range(3):
            trend_growth_many(years, vals)
            last = vals[np.arange(n), lengths - 1]
            cagr_many(vals[:, 0], last, lengths - 1)
        g = (time.perf_counter() - t) / 3
        h0, h1 = rng.uniform(5, 40, n), rng.uniform(0.1, 5, n)
        t = time.perf_counter()
        for _ in range(3):
            log_arc_elasticity_many(h0, h1, vals[:, 0], last, lengths - 1, lengths - 1)
        e = (time.perf_counter() - t) / 3
        rows.append((n, g, e))
    return rows


FRESH_BEGIN = "<!-- fresh clone: written by make bench BENCH=--fresh-clone -->"
FRESH_END = "<!-- end of fresh clone -->"


def fresh_clone(out: Path) -> str:
    """Time a fresh clone's ``make report`` with empty package caches against a cold one (see the module doc)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
        caches = {"UV_CACHE_DIR": Path(tmp) / "uv-cache", "XDG_CACHE_HOME": Path(tmp) / "cache"}
        for d in caches.values():
            d.mkdir()
        env = {**os.environ, **{k: str(v) for k, v in caches.items()}, "PIP_NO_CACHE_DIR": "1"}
        rows = []
        for label, before in (("fresh clone, no package caches: `make report`", None), ("cold `make report`", "clean")):
            if before:
                subprocess.run(["make", "--no-print-directory", before], cwd=repo, check=True, capture_output=True)
            load = os.getloadavg()[0]
            c, t = children_cpu(), time.perf_counter()
            r = subprocess.run(
                ["make", "--no-print-directory", "report"], cwd=repo, env=env, capture_output=True, text=True
            )
            wall, cpu = time.perf_counter() - t, children_cpu() - c
            if r.returncode != 0:
                raise RuntimeError(f"{label} failed:\n{r.stdout[-1500:]}\n{r.stderr[-1500:]}")
            first = r.stdout.splitlines()[0] if before is None and r.stdout else ""
            rows.append((label, wall, cpu, load, first))
    (_, fw, fc, _, how), (_, cw, cc, _, _) = rows
    lines = [
        FRESH_BEGIN,
        "## Fresh clone: `make report` with no package caches against a cold `make report`",
        "",
        (
            f"Measured {time.strftime('%Y-%m-%d %H:%M')} UTC by `python benchmarks/bench.py --fresh-clone` at "
            f'commit {head.strip()} (one run each; the clone\'s first line: "{how}").'
        ),
        "",
        "| scenario | wall s | CPU s (user + sys) | load average before |",
        "|---|---|---|---|",
        *[f"| {label} | {w:.1f} | {c:.1f} | {ld:.1f} |" for label, w, c, ld, _ in rows],
        "",
        (
            f"Fresh clone {fw:.1f} s against cold {cw:.1f} s: **{fw / cw:.2f}x** wall (target < 2x); CPU "
            f"{fc:.1f} s against {cc:.1f} s, {fc / cc:.2f}x. On a busy host the wall times stretch with the load "
            "average; the CPU ratio does less so."
        ),
        FRESH_END,
    ]
    section = "\n".join(lines)
    text = out.read_text(encoding="utf-8")
    if FRESH_BEGIN in text:
        text = text[: text.index(FRESH_BEGIN)] + section + text[text.index(FRESH_END) + len(FRESH_END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    out.write_text(text, encoding="utf-8")
    return section


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} | {min(xs):.2f} | {max(xs):.2f}"


LOCK_ENV = "ANALYSIS_BENCH_LOCK"
"""Where the lock of a running benchmark is (default ``.bench.lock``, ignored by git, outside ``build/``,
which the cold scenario removes with ``make clean``); tests point it elsewhere."""


def hold_lock():
    """The lock of this benchmark (an open file), or None when another benchmark holds it.

    Two benchmarks at once on two cores measure each other (every scenario about twice as slow),
    so a second one is refused before it starts anything.
    """
    path = Path(os.environ.get(LOCK_ENV) or ROOT / ".bench.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (held open for the whole run)
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        return None
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


def main() -> int:
    lock = hold_lock()
    if lock is None:
        print(
            "bench.py: another benchmark is running (make bench holds .bench.lock); two at once "
            "measure each other: wait for it to finish",
            file=sys.stderr,
        )
        return 2
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-test", action="store_true", help="do not time make test")
    ap.add_argument("--fresh-clone", action="store_true", help="only the fresh-clone scenario (see above)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = ap.parse_args()
    if args.fresh_clone:
        print(fresh_clone(args.out))
        return 0
    n = max(args.repeat, 1)
    res: dict[str, list[float]] = {}
    subprocess.run(["make", "--no-print-directory", "data"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    probe_before, steal_before, started = speed_probe(), steal_jiffies(), time.perf_counter()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floors, per_nb = [], []
        for i in range(n):
            d = tmp / f"floor{i}"
            secs, times = in_process(d)
            floors.append(secs)
            per_nb.append(times)
        res["floor: one process, all runs in-process"] = floors
        res["naive: papermill CLI + nbconvert, one after another"] = [naive(tmp / f"naive{i}") for i in range(n)]

    res["make -j2 report, cold (clean reports/ and data/processed/)"] = repeat(
        n, lambda: timed(["make", "-j2", "--no-print-directory", "report"], cpu_key="cold"), clean
    )
    res["make report, no-op"] = repeat(n, lambda: timed(["make", "--no-print-directory", "report"]))
    raw = ROOT / "data" / "raw" / "observations_hunan.csv"
    res["make -j2 report after touching one raw table"] = repeat(
        n, lambda: timed(["make", "-j2", "--no-print-directory", "report"]), lambda: raw.touch()
    )
    nb = ROOT / "notebooks" / "comparisons.ipynb"
    res["make -j2 report after touching one notebook (comparisons)"] = repeat(
        n, lambda: timed(["make", "-j2", "--no-print-directory", "report"]), lambda: nb.touch()
    )
    dry = subprocess.run(
        ["make", "-n", "-W", str(nb.relative_to(ROOT)), "report"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    # Make touches the input marker of each run it considers stale; the driver then runs exactly those.
    reruns = sorted(set(re.findall(r"touch build/runs/([a-z0-9_]+)\.inputs", dry)))
    if not args.skip_test:
        res["make test"] = repeat(n, lambda: timed(["make", "--no-print-directory", "test"]))

    # per-notebook overhead: one papermill run vs the same cells in-process
    with tempfile.TemporaryDirectory() as tmp:
        env = {"ANALYSIS_REPORTS_DIR": tmp}
        pm = repeat(n, lambda: timed([PY, "-m", "analysis.build.report", "run", "growth_rates", "--no-progress"], env))
    inproc = [t["growth_rates"] for t in per_nb]
    scale_rows = scale()

    probe_after, steal_after = speed_probe(), steal_jiffies()
    steal = ""
    if steal_before is not None and steal_after is not None:
        hz = os.sysconf("SC_CLK_TCK")
        share = (steal_after - steal_before) / hz / ((time.perf_counter() - started) * (os.cpu_count() or 1))
        steal = f"; hypervisor steal time {100 * share:.1f}% of the CPUs' time during the scenarios"
    med = {k: statistics.median(v) for k, v in res.items()}
    cold = med["make -j2 report, cold (clean reports/ and data/processed/)"]
    floor = med["floor: one process, all runs in-process"]
    naive_t = med["naive: papermill CLI + nbconvert, one after another"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `make bench` ({n} runs each; seconds).",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; "
        + ", ".join(
            f"{p} {version(p)}"
            for p in ("pandas", "matplotlib", "statsmodels", "papermill", "nbconvert", "nbformat", "ipykernel")
        )
        + ".",
        (
            f"Speed probe (a fixed pure-Python loop, `benchmarks/bench.py` PROBE): {probe_before:.2f} s before the "
            f"scenarios, {probe_after:.2f} s after{steal}. On a shared virtual machine the same work can take "
            "much longer when the host is busy, and every scenario moves with the probe: compare runs (and "
            "targets in seconds) at similar probe values."
        ),
        "",
        (
            f"**Headline:** cold `make -j2 report` / two-core floor = **{cold / (floor / 2):.2f}x** "
            f"(target <= 1.5); naive / `make report` = **{naive_t / cold:.2f}x** (target >= 2). "
            f"CPU time (user + sys, all processes): floor {statistics.median(CPU['floor']):.1f} s, cold build "
            f"{statistics.median(CPU['cold']):.1f} s (ratio {statistics.median(CPU['cold']) / statistics.median(CPU['floor']):.2f}; "
            "the wall-clock ratio to floor / 2 cannot be lower than this CPU ratio)."
        ),
        "",
        "| scenario | median | min | max |",
        "|---|---|---|---|",
        *[f"| {k} | {fmt(v)} |" for k, v in res.items()],
        f"| one papermill run of growth_rates (driver, incl. HTML) | {fmt(pm)} |",
        f"| the same growth_rates cells in-process | {fmt(inproc)} |",
        "",
        f"Touching `notebooks/comparisons.ipynb` reruns only: {', '.join(reruns) or 'nothing'}.",
        "",
        "## Scale: vectorised growth and elasticity functions",
        "",
        (
            "Synthetic series of 7 to 30 years (random lengths); growth = log-linear trend + CAGR; elasticity = "
            "window log arc elasticity. Seconds per call, and microseconds per series."
        ),
        "",
        "| series | growth s | growth us/series | elasticity s | elasticity us/series |",
        "|---|---|---|---|---|",
        *[f"| {k:,} | {g:.4f} | {1e6 * g / k:.1f} | {e:.5f} | {1e6 * e / k:.2f} |" for k, g, e in scale_rows],
        "",
    ]
    # benchmarks/README.md's performance table is generated from this file (analysis.build.readme parses the
    # headline, the scenario table and the rerun line; tests/build/test_readme.py fails if it cannot):
    # after `make bench`, run `make readme`.
    text = "\n".join(lines)
    # Notes below the marker (profiles, before/after of changes) are kept across reruns.
    if args.out.exists() and NOTES_MARKER in (old := args.out.read_text(encoding="utf-8")):
        text += "\n" + old[old.index(NOTES_MARKER) :]
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
