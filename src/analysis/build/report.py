"""The report build driver behind ``make report``.

Commands (``python -m analysis.build.report COMMAND``):

``run NAME ...``  execute runs of :mod:`analysis.build.runs` with papermill, normalise each
               executed notebook so that rebuilds are byte-identical, write
               ``reports/NAME.ipynb`` and ``reports/NAME.html`` (nbconvert; code input
               hidden unless ``HIDE_CODE=0``). The runs share a pool of kernels
               (:mod:`analysis.build.kernels`; ``--jobs N`` or ``ANALYSIS_BUILD_JOBS``
               worker processes, default the CPUs). On failure: name the notebook, the
               cell and the error, keep the partial notebook in ``reports/failed/``, leave
               the previous complete report in place, finish the other runs, exit 1.
               ``--param KEY=VALUE`` makes a variant run: written to ``build/variants/<NAME>/``
               (``--variant NAME``; default the run names joined by ``+``), never ``reports/``.
``stale``      what ``make report`` calls: ``run`` for every run whose report is missing
               or older than ``build/runs/<run>.inputs``, the marker Make touches when
               one of that run's inputs changed (``--dry-run`` lists them).
``index``      write ``reports/index.html`` (key findings, every report, figure and table,
               and the replication-package table), ``reports/data_catalog.html`` (every
               observation with its source), ``reports/tables/<name>.html`` (one card per
               CSV row) from the Jinja2 templates of :mod:`analysis.build.site`, and
               ``reports/build_info.json`` (what varies: run times, build date).
``notebook PATH ...``  re-execute notebooks in ``notebooks/`` in place with their defaults
               (``make notebooks``; the same pool of kernels), normalised the same way; their
               tables and figures go to the scratch folder ``build/interactive/<run_name>/``,
               not ``reports/``.

Only ``run`` writes figures and tables into ``reports/``: it sets ``ANALYSIS_BUILD_OUTPUT_DIR``
for the kernel it starts (:mod:`analysis.reports.outputs`). Every written file gets the mode
the umask gives a new file.

Timings go to ``build/timing/`` and into ``reports/build_info.json`` only, never into the
deterministic files.
"""

from __future__ import annotations

import os
import sys

# jsonschema imports the optional rfc3987_syntax package for its "iri" format check,
# which builds a grammar at import time (~1.3 s of every `import nbformat`). Neither
# papermill nor nbconvert validates "iri" formats, so the build skips it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes its import fail fast
# nbformat validates every notebook it reads or writes; fastjsonschema (pinned) does the
# same check several times faster than jsonschema.
os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")

import argparse  # noqa: E402
import functools  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.build.kernels import (  # noqa: E402  (also the names tests and benchmarks use)
    JOBS_ENV,
    KERNEL,
    KERNEL_RESET,
    KERNEL_SNAPSHOT,
    default_jobs,
    kernel_exec,
    run_pool,
)
from analysis.build.progress import Progress  # noqa: E402
from analysis.build.record import PACKAGES, git_commit, git_uncommitted  # noqa: E402
from analysis.build.runs import BY_NAME, RUNS, START_ORDER, Run, split_overrides  # noqa: E402
from analysis.data.fileio import atomic_write_bytes, stem_problem  # noqa: E402

__all__ = ["KERNEL", "KERNEL_RESET", "KERNEL_SNAPSHOT", "execute", "execute_runs", "kernel_exec", "main", "normalise"]
TIMING = (
    paths.ROOT / "build" / "timing"
    if paths.REPORTS == paths.ROOT / "reports"
    else paths.REPORTS.parent / f"{paths.REPORTS.name}.timing"
)
FAILED = paths.REPORTS / "failed"
MARKERS = paths.ROOT / "build" / "runs"  # build/runs/<run>.inputs: touched by Make when a run's inputs change
TEMPLATES = Path(__file__).parent / "templates"  # nbconvert template "report" (lab + reading layout)


def normalise(nb, parameters: dict) -> None:
    """Make an executed notebook deterministic (in place).

    Renumbers cell ids, drops papermill/execution timing metadata from every cell, keeps
    only the parameters in the notebook's ``metadata.papermill`` and the kernel's Python
    version as major.minor (``language_info.version``).
    """
    count = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") == "code":
            # Execution counts as a fresh kernel gives them (1, 2, ...), also when the kernel
            # was reused from an earlier run of the same notebook.
            if cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
                if out.get("output_type") == "execute_result":
                    out["execution_count"] = cell.get("execution_count")
    nb.metadata["papermill"] = {"parameters": parameters}
    nb.metadata.pop("widgets", None)
    # The kernel's Python as major.minor: the patch release (3.11.2 on Debian 12, 3.11.7 here)
    # says nothing about the notebook and would make the same run differ between machines.
    info = nb.metadata.get("language_info", {})
    if "version" in info:
        info["version"] = ".".join(str(info["version"]).split(".")[:2])


def _error_summary(nb) -> tuple[int | None, str]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None, "unknown error"


@functools.cache
def html_exporter(hide_code: bool):
    """The nbconvert exporter of the reports (one per process and setting: its templates compile once)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        template_name="report",
        extra_template_basedirs=[str(TEMPLATES)],
    )


def to_html(nb, title: str, hide_code: bool) -> bytes:
    """Render a notebook as standalone HTML (nbconvert), optionally without code input."""
    body, _ = html_exporter(hide_code).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body.encode("utf-8")


def _hide_code(run: Run) -> bool:
    return os.environ.get("HIDE_CODE", "1") != "0" and not run.show_code


def _warm_html_exporters(runs: list[Run]) -> None:
    """Compile the report template once before the workers fork (each inherits it compiled)."""
    import nbformat

    empty = nbformat.v4.new_notebook()
    for hide in {_hide_code(r) for r in runs}:
        to_html(empty, "warm-up", hide)


def run_order(runs: list[Run]) -> list[Run]:
    """The runs longest first: by the seconds of their last build (``build/timing/``), runs never timed
    first in the order of :data:`analysis.build.runs.START_ORDER` (the longest in ``benchmarks/results.md``)."""

    def seconds(run: Run) -> float:
        s = last_seconds(run.name)
        return float("inf") if s is None else s

    return sorted(runs, key=lambda r: (-seconds(r), START_ORDER.index(r.name)))


def last_seconds(name: str) -> float | None:
    """Seconds the run ``name`` took in the last build (``build/timing/``), None when never timed."""
    try:
        return float(json.loads((TIMING / f"{name}.json").read_text())["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stale_runs(runs: tuple[Run, ...] = RUNS) -> list[Run]:
    """The runs whose report is missing or older than their inputs.

    Make decides which inputs a run has: it touches ``build/runs/<run>.inputs`` when any of
    them changed (the notebook, the processed tables it reads, the package modules it
    imports, the build driver). A run is stale when that marker is missing or newer than
    its notebook or HTML report.
    """
    out = []
    for run in runs:
        marker = MARKERS / f"{run.name}.inputs"
        reports = [paths.REPORTS / f"{run.name}.html", paths.REPORTS / f"{run.name}.ipynb"]
        if (
            not marker.exists()
            or not all(r.exists() for r in reports)
            or min(r.stat().st_mtime_ns for r in reports) < marker.stat().st_mtime_ns
        ):
            out.append(run)
    return out


def execute_runs(
    runs: list[Run], progress: bool = True, overrides: dict[str, dict] | None = None, jobs: int | None = None
) -> None:
    """Execute runs in a pool of kernels (:mod:`analysis.build.kernels`), longest first.

    ``overrides`` maps a run name to the parameters that replace its defaults (see
    :func:`analysis.build.runs.split_overrides`).

    ``jobs`` worker processes (default :func:`analysis.build.kernels.default_jobs`) each
    reuse one kernel for every run they take, reset between runs, so each report is
    byte-identical to a fresh-kernel run. Every run is attempted; exits with status 1 if any failed.
    """
    import papermill  # noqa: F401  (imported once here, before the workers fork)

    if not runs:
        print("[report] every report is current", flush=True)
        return
    jobs = default_jobs(len(runs)) if jobs is None else max(1, min(jobs, len(runs)))
    # The build marks its runs: the kernels inherit this and write their figures and tables into
    # the build's report folder. Every other run (JupyterLab, plain papermill) writes to
    # build/interactive/<run_name>/ (analysis.reports.outputs).
    os.environ[paths.BUILD_OUTPUT_ENV] = str(paths.REPORTS)
    ordered = run_order(runs)
    if jobs > 1:
        _warm_html_exporters(runs)
        progress = False  # progress bars of several processes would overwrite each other
        print(f"[report] {len(runs)} runs in {jobs} kernels: {', '.join(r.name for r in ordered)}", flush=True)

    def run_one(name: str, km) -> bool:
        try:
            execute(BY_NAME[name], progress, (overrides or {}).get(name), km=km)
        except SystemExit:
            return False
        return True

    progress_lines = Progress([r.name for r in ordered], {r.name: last_seconds(r.name) for r in ordered}, jobs)

    def on_done(name: str, ok: bool) -> None:
        print(f"[report] {progress_lines.done(name, ok)}", flush=True)

    results = run_pool([r.name for r in ordered], run_one, jobs, str(paths.NOTEBOOKS), on_done=on_done)
    print(f"[report] {progress_lines.summary()}", flush=True)
    failed = [name for name, ok in results.items() if not ok]
    if failed:
        print(f"[report] {len(failed)} of {len(runs)} runs failed: {', '.join(failed)}", file=sys.stderr, flush=True)
        raise SystemExit(1)


def execute(run: Run, progress: bool = True, overrides: dict | None = None, km=None) -> float:
    """Execute one run; write its notebook and HTML. Returns seconds taken.

    Raises
    ------
    SystemExit
        With status 1 (and a message naming notebook, cell and error) when a cell fails.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    paths.REPORTS.mkdir(parents=True, exist_ok=True)
    partial = paths.REPORTS / f".{run.name}.partial.ipynb"  # per run: safe under make -j
    failed = FAILED / f"{run.name}.ipynb"
    params = {**run.all_parameters, **(overrides or {})}
    # The build marks its runs: the kernel inherits this and writes its figures and tables
    # into the build's report folder. Every other run (JupyterLab, plain papermill) writes to
    # build/interactive/<run_name>/ (analysis.reports.outputs).
    os.environ[paths.BUILD_OUTPUT_ENV] = str(paths.REPORTS)
    print(f"[report] {run.name}: {run.notebook} {json.dumps(params, sort_keys=True)}", flush=True)
    try:
        # request_save_on_cell_execute=False: papermill would otherwise validate and rewrite the
        # whole notebook (images included) twice per cell; it still writes the partial notebook
        # when a cell fails, and the executed notebook is returned.
        nb = pm.execute_notebook(
            str(run.notebook_path),
            str(partial),
            parameters=params,
            kernel_name=KERNEL,
            progress_bar=progress,
            cwd=str(paths.NOTEBOOKS),
            log_output=False,
            request_save_on_cell_execute=False,
            **({"km": km} if km else {}),
        )
    except PapermillExecutionError as exc:
        FAILED.mkdir(parents=True, exist_ok=True)
        os.replace(partial, failed)
        nb = nbformat.read(failed, as_version=4)
        cell, _err = _error_summary(nb)
        print(
            f"[report] FAILED: notebook {run.notebook} (run {run.name}), cell {exc.exec_count} "
            f"(index {cell}): {exc.ename}: {exc.evalue}\n[report] partial output kept in "
            f"{paths.relative(failed)}; earlier complete reports left in place.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    normalise(nb, params)
    hide = _hide_code(run)
    html_bytes = to_html(nb, run.name, hide)
    atomic_write_bytes(paths.REPORTS / f"{run.name}.ipynb", nbformat.writes(nb).encode("utf-8") + b"\n")
    atomic_write_bytes(paths.REPORTS / f"{run.name}.html", html_bytes)
    partial.unlink(missing_ok=True)
    failed.unlink(missing_ok=True)  # an earlier failure of this run is resolved
    seconds = time.perf_counter() - start
    TIMING.mkdir(parents=True, exist_ok=True)
    (TIMING / f"{run.name}.json").write_text(
        json.dumps({"run": run.name, "seconds": round(seconds, 2), "finished": datetime.now(UTC).isoformat()})
    )
    print(
        f"[report] {run.name}: done in {seconds:.1f} s -> {paths.relative(paths.REPORTS / (run.name + '.html'))}",
        flush=True,
    )
    return seconds


def execute_in_place(path: Path, km=None) -> None:
    """Re-execute a committed notebook with its defaults and normalise it (``make notebooks``); a
    notebook whose bytes would not change is not rewritten."""
    import nbformat
    import papermill as pm

    path = Path(path).resolve()
    tmp = paths.ROOT / "build" / "notebooks" / path.name
    tmp.parent.mkdir(parents=True, exist_ok=True)
    # Not a build run: like a run in JupyterLab, the refresh writes its figures and tables to
    # build/interactive/<run_name>/, never into reports/, and its first output says so.
    os.environ.pop(paths.BUILD_OUTPUT_ENV, None)
    pm.execute_notebook(
        str(path),
        str(tmp),
        kernel_name=KERNEL,
        cwd=str(path.parent),
        progress_bar=km is None,
        **({"km": km} if km is not None else {}),
    )
    nb = nbformat.read(tmp, as_version=4)
    normalise(nb, {})
    nb.metadata.pop("papermill", None)
    new = nbformat.writes(nb).encode("utf-8") + b"\n"
    # A notebook whose outputs did not change is left untouched (not even its time stamp), so the
    # next `make report` reruns only the runs whose notebook really changed.
    if path.read_bytes() == new:
        print(f"[notebooks] unchanged {paths.relative(path)}", flush=True)
        return
    atomic_write_bytes(path, new)
    print(f"[notebooks] refreshed {paths.relative(path)}", flush=True)


def refresh_notebooks(notebooks: list[Path], jobs: int | None = None) -> None:
    """``make notebooks``: re-execute notebooks in place in the build's pool of kernels.

    Each worker reuses its kernel with the build's reset, so the refreshed outputs are
    those of a fresh kernel (which nbval checks on every ``make test``). The kernels start
    without the build mark: figures and tables go to ``build/interactive/``. Every notebook
    is attempted; exits with status 1 naming those that failed.
    """
    import papermill  # noqa: F401  (imported once here, before the workers fork)

    os.environ.pop(paths.BUILD_OUTPUT_ENV, None)

    def run_one(name: str, km) -> bool:
        try:
            execute_in_place(Path(name), km=km)
        except Exception as exc:  # papermill names the cell and the error
            print(f"[notebooks] FAILED: {paths.relative(Path(name))}: {exc}", file=sys.stderr, flush=True)
            return False
        return True

    failed = []
    by_folder: dict[Path, list[str]] = {}
    for nb in notebooks:
        resolved = Path(nb).resolve()
        by_folder.setdefault(resolved.parent, []).append(str(resolved))
    for folder, names in by_folder.items():
        n_jobs = default_jobs(len(names)) if jobs is None else max(1, min(jobs, len(names)))
        lines = Progress(names, {}, n_jobs, what="notebooks")

        def on_done(name: str, ok: bool, lines: Progress = lines) -> None:
            print(f"[notebooks] {lines.done(name, ok)}", flush=True)

        results = run_pool(names, run_one, n_jobs, str(folder), on_done=on_done)
        print(f"[notebooks] {lines.summary()}", flush=True)
        failed += [paths.relative(Path(n)) for n, ok in results.items() if not ok]
    if failed:
        print(f"[notebooks] {len(failed)} failed: {', '.join(failed)}", file=sys.stderr, flush=True)
        raise SystemExit(1)


# ---------------------------------------------------------------------------- index


def build_info() -> bytes:
    """Everything that varies between builds: run times, build date, machine."""
    runs = {}
    for run in RUNS:
        f = TIMING / f"{run.name}.json"
        if f.exists():
            runs[run.name] = json.loads(f.read_text())
    info = {
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "git_uncommitted_changes": git_uncommitted(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "runs": runs,
        "total_run_seconds": round(sum(r["seconds"] for r in runs.values()), 1),
        "packages": {p: version(p) for p in PACKAGES},
    }
    return (json.dumps(info, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_index() -> None:
    """Write index.html, data_catalog.html, the table pages (templates: :mod:`analysis.build.site`) and build_info.json."""
    from analysis.build import site  # the index pages (jinja2, findings): only for `index`; site never imports this

    site.write_pages()
    atomic_write_bytes(paths.REPORTS / "build_info.json", build_info())
    if FAILED.exists() and not any(FAILED.iterdir()):
        FAILED.rmdir()
    info = json.loads((paths.REPORTS / "build_info.json").read_text())
    print(
        f"[report] {len(info['runs'])} runs, {info['total_run_seconds']} s of notebook time; "
        f"index: {paths.relative(paths.REPORTS / 'index.html')}"
    )


def variant_dir(names: list[str], variant: str | None = None) -> Path:
    """The folder of a variant run: ``build/variants/<variant>/``; without a name, the run names joined by ``+``.

    >>> variant_dir(["growth_rates"], "real_prices").relative_to(paths.ROOT).as_posix()
    'build/variants/real_prices'
    >>> variant_dir(["growth_rates", "elasticities"]).name
    'growth_rates+elasticities'
    """
    return paths.ROOT / "build" / "variants" / (variant or "+".join(names))


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); Ctrl-C stops the kernels and exits 130."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(
            "[report] interrupted: kernels stopped; reports written before the interruption are complete, "
            "the others are as they were",
            file=sys.stderr,
        )
        return 130


def _main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Report build driver (see module docstring).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="execute one run")
    r.add_argument(
        "name", choices=sorted(BY_NAME), nargs="+", help="one or more runs; they share a pool of kernels (--jobs)"
    )
    r.add_argument("--no-progress", action="store_true")
    r.add_argument(
        "--jobs", type=int, default=None, help=f"worker processes (kernels); default ${JOBS_ENV} or the CPUs"
    )
    r.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter (value parsed as JSON, else text); it must be a parameter of at least one "
        "named run and applies to the runs that have it",
    )
    r.add_argument(
        "--variant",
        default=None,
        metavar="NAME",
        help="with --param: the variant's name, its folder build/variants/NAME/ (default: the run names joined "
        "by +), so that two variants of one report do not overwrite each other",
    )
    st = sub.add_parser("stale", help="execute every run whose report is older than its inputs (make report)")
    st.add_argument(
        "--jobs", type=int, default=None, help=f"worker processes (kernels); default ${JOBS_ENV} or the CPUs"
    )
    st.add_argument("--dry-run", action="store_true", help="only list the stale runs")
    sub.add_parser("index", help="write index.html, data_catalog.html, build_info.json")
    nb = sub.add_parser("notebook", help="re-execute a notebook in place with its defaults")
    nb.add_argument("path", type=Path, nargs="+")
    nb.add_argument(
        "--jobs", type=int, default=None, help=f"worker processes (kernels); default ${JOBS_ENV} or the CPUs"
    )
    args = ap.parse_args(argv)
    try:
        if getattr(args, "jobs", None) is None and args.cmd in ("run", "stale", "notebook"):
            default_jobs(1)  # a bad ANALYSIS_BUILD_JOBS fails here, before anything runs
    except ValueError as exc:
        ap.error(str(exc))
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        ap.error(f"--jobs {args.jobs}: expected a positive whole number of worker processes")
    runs: list[Run] = []
    given: dict[str, object] = {}
    overrides: dict[str, dict[str, object]] = {}
    if args.cmd == "run":
        runs = [BY_NAME[n] for n in dict.fromkeys(args.name)]
        for kv in args.param:
            key, sep, value = kv.partition("=")
            if not sep or not key:
                ap.error(f"--param {kv!r}: expected NAME=VALUE")
            try:
                given[key] = json.loads(value)
            except json.JSONDecodeError:
                given[key] = value
        try:
            overrides = split_overrides(runs, given)  # a misspelt name fails here, before anything runs
        except ValueError as exc:
            ap.error(str(exc))
    if args.cmd == "run" and args.variant is not None:
        if not args.param:
            ap.error("--variant names a variant run: give the parameters that differ with --param KEY=VALUE")
        if problem := stem_problem(args.variant):
            ap.error(f"--variant {args.variant!r} {problem}")
    if args.cmd == "run" and args.param and not os.environ.get("ANALYSIS_REPORTS_DIR"):
        # A run with other parameters is a variant, not the published report: it goes to
        # build/variants/<variant>/ (--variant, else the run names) so that reports/ and index.html
        # always describe the default runs.
        variant = variant_dir(args.name, args.variant)
        print(
            f"[report] --param: a variant run; writing to {paths.relative(variant)}/ (reports/ untouched)", flush=True
        )
        env = {**os.environ, "ANALYSIS_REPORTS_DIR": str(variant)}
        rest = list(argv) if argv is not None else sys.argv[1:]
        os.execve(sys.executable, [sys.executable, "-m", "analysis.build.report", *rest], env)
    if args.cmd == "run":
        for run in runs:
            if left := sorted(set(given) - set(overrides[run.name])):
                print(f"[report] --param {', '.join(left)}: not a parameter of {run.name}; left out there", flush=True)
        execute_runs(runs, progress=not args.no_progress, overrides=overrides, jobs=args.jobs)
    elif args.cmd == "stale":
        stale = stale_runs()
        if args.dry_run:
            for run in stale:
                print(run.name)
        else:
            execute_runs(stale, jobs=args.jobs)
    elif args.cmd == "index":
        write_index()
    else:
        refresh_notebooks(args.path, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
