"""The report build driver behind ``make report``.

Commands (``python -m analysis.build.report COMMAND``):

``run NAME``   execute one run of :mod:`analysis.build.runs` with papermill, normalise the
               executed notebook so that rebuilds are byte-identical, write
               ``reports/NAME.ipynb`` and ``reports/NAME.html`` (nbconvert; code input
               hidden unless ``HIDE_CODE=0``). On failure: name the notebook, the cell and
               the error, keep the partial notebook in ``reports/failed/``, leave the
               previous complete report in place, exit 1.
``index``      write ``reports/index.html`` (every report, figure and table, and the
               replication-package table), ``reports/data_catalog.html`` (every
               observation with its source) and ``reports/build_info.json`` (what varies:
               run times, build date).
``notebook PATH``  re-execute a notebook in ``notebooks/`` in place with its defaults
               (``make notebooks``), normalised the same way; its tables and figures go to
               the scratch folder ``build/interactive/<run_name>/``, not ``reports/``.

Only ``run`` writes figures and tables into ``reports/``: it sets ``ANALYSIS_BUILD_OUTPUT_DIR``
for the kernel it starts (:mod:`analysis.reports.outputs`). Every written file gets the mode
the umask gives a new file.

Timings go to ``build/timing/`` and into ``reports/build_info.json`` only, never into the
deterministic files.
"""

from __future__ import annotations

import sys

# jsonschema imports the optional rfc3987_syntax package for its "iri" format check,
# which builds a grammar at import time (~1.3 s of every `import nbformat`). Neither
# papermill nor nbconvert validates "iri" formats, so the build skips it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None makes its import fail fast

import argparse  # noqa: E402
import hashlib  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.build.runs import BY_NAME, RUNS, Run  # noqa: E402
from analysis.data.csvio import atomic_write_bytes  # noqa: E402

KERNEL = "poverty-analysis"
TIMING = (
    paths.ROOT / "build" / "timing"
    if paths.REPORTS == paths.ROOT / "reports"
    else paths.REPORTS.parent / f"{paths.REPORTS.name}.timing"
)
FAILED = paths.REPORTS / "failed"
PACKAGES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "scipy",
    "pandera",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbval",
    "jupyterlab",
    "ipykernel",
    "pytest",
)


def normalise(nb, parameters: dict) -> None:
    """Make an executed notebook deterministic (in place).

    Renumbers cell ids, drops papermill/execution timing metadata from every cell and
    keeps only the parameters in the notebook's ``metadata.papermill``.
    """
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    nb.metadata["papermill"] = {"parameters": parameters}
    nb.metadata.pop("widgets", None)


def _error_summary(nb) -> tuple[int | None, str]:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename')}: {out.get('evalue')}"
    return None, "unknown error"


def to_html(nb, title: str, hide_code: bool) -> bytes:
    """Render a notebook as standalone HTML (nbconvert), optionally without code input."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=hide_code, exclude_input_prompt=hide_code, exclude_output_prompt=hide_code)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body.encode("utf-8")


def execute(run: Run, progress: bool = True, overrides: dict | None = None) -> float:
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
        pm.execute_notebook(
            str(run.notebook_path),
            str(partial),
            parameters=params,
            kernel_name=KERNEL,
            progress_bar=progress,
            cwd=str(paths.NOTEBOOKS),
            log_output=False,
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
    nb = nbformat.read(partial, as_version=4)
    normalise(nb, params)
    hide = os.environ.get("HIDE_CODE", "1") != "0"
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


def execute_in_place(path: Path) -> None:
    """Re-execute a committed notebook with its defaults and normalise it (``make notebooks``)."""
    import nbformat
    import papermill as pm

    path = Path(path).resolve()
    tmp = paths.ROOT / "build" / "notebooks" / path.name
    tmp.parent.mkdir(parents=True, exist_ok=True)
    # Not a build run: like a run in JupyterLab, the refresh writes its figures and tables to
    # build/interactive/<run_name>/, never into reports/, and its first output says so.
    os.environ.pop(paths.BUILD_OUTPUT_ENV, None)
    pm.execute_notebook(str(path), str(tmp), kernel_name=KERNEL, cwd=str(path.parent), progress_bar=True)
    nb = nbformat.read(tmp, as_version=4)
    normalise(nb, {})
    nb.metadata.pop("papermill", None)
    atomic_write_bytes(path, nbformat.writes(nb).encode("utf-8") + b"\n")
    print(f"[notebooks] refreshed {paths.relative(path)}")


# ---------------------------------------------------------------------------- index


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def run_outputs(run: Run) -> dict[str, list[Path]]:
    """Figures and tables a run wrote (found by its name)."""
    figs = sorted(paths.FIGURES.glob(f"{run.name}_*.png"))
    return {
        "figures": figs,
        "svgs": [f.with_suffix(".svg") for f in figs if f.with_suffix(".svg").exists()],
        "tables": sorted(paths.TABLES.glob(f"{run.name}.csv")) + sorted(paths.TABLES.glob(f"{run.name}_*.csv")),
    }


def built_runs() -> list[Run]:
    """The runs whose report exists (a partial build indexes only what it built)."""
    return [r for r in RUNS if (paths.REPORTS / f"{r.name}.html").exists()]


def raw_inputs() -> list[Path]:
    """Every raw file the processed tables are built from."""
    files = sorted(paths.RAW.glob("*.csv")) + sorted(paths.DOCUMENTS.glob("*")) + sorted(paths.EXTERNAL.glob("*"))
    return [f for f in files if f.is_file()]


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC',sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .45rem;
vertical-align:top}th{background:#f4f4f4;text-align:left}code{font-size:.85em}
.figs{display:flex;flex-wrap:wrap;gap:1rem}.figs figure{margin:0;width:22rem}.figs img{width:100%;border:1px solid #eee}
figcaption{font-size:.8rem}.small{font-size:.8rem;color:#555}
"""


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    ).encode()


def _rel(p: Path) -> str:
    return html.escape(str(Path(p).relative_to(paths.REPORTS)))


def index_page() -> bytes:
    """The index: reports, figures, tables, data catalog link, replication package."""
    e = html.escape
    parts = [
        "<h1>Poverty-alleviation analysis: reports</h1>",
        (
            "<p>Built by <code>make report</code> from the curated tables in <code>data/raw</code>. Every number "
            "traces to a verbatim quote in one of five policy documents or to an external (secondary) source; "
            'see the <a href="data_catalog.html">data catalog</a>. Run times and the build date are in '
            '<a href="build_info.json">build_info.json</a>.</p>'
        ),
        "<h2>Reports</h2><ul>",
    ]
    for run in built_runs():
        parts.append(
            f'<li><a href="{e(run.name)}.html">{e(run.title or run.name)}</a> '
            f'(<a href="{e(run.name)}.ipynb">executed notebook</a>; source <code>notebooks/'
            f"{e(run.notebook)}</code>)</li>"
        )
    parts.append("</ul>")
    for run in built_runs():
        out = run_outputs(run)
        parts.append(f"<h2>{e(run.title or run.name)}</h2>")
        if out["tables"]:
            parts.append(
                "<p>Tables: " + ", ".join(f'<a href="{_rel(t)}">{e(t.name)}</a>' for t in out["tables"]) + "</p>"
            )
        parts.append('<div class="figs">')
        for f in out["figures"]:
            svg = f.with_suffix(".svg")
            parts.append(
                f'<figure><a href="{_rel(f)}"><img src="{_rel(f)}" alt="{e(f.stem)}"></a>'
                f'<figcaption>{e(f.stem)} (<a href="{_rel(f)}">PNG</a>'
                + (f', <a href="{_rel(svg)}">SVG</a>' if svg.exists() else "")
                + ")</figcaption></figure>"
            )
        parts.append("</div>")
    parts.append(replication_section())
    return _page("Poverty-alleviation analysis: reports", "\n".join(parts))


def replication_section() -> str:
    """The AEA-template table: output -> notebook -> parameters -> inputs (sha256)."""
    e = html.escape
    rows = []
    for run in built_runs():
        out = run_outputs(run)
        inputs = [run.notebook_path, *[paths.ROOT / i for i in run.inputs]]
        inp = "<br>".join(
            f'<code>{e(paths.relative(p))}</code> <span class="small">sha256 {sha256(p)[:16]}</span>'
            for p in inputs
            if p.exists()
        )
        params = e(json.dumps(run.all_parameters, sort_keys=True, ensure_ascii=False))
        for o in out["figures"] + out["tables"] + [paths.REPORTS / f"{run.name}.html"]:
            kind = "figure" if o.suffix == ".png" else ("table" if o.suffix == ".csv" else "report")
            rows.append(
                f'<tr><td>{kind}</td><td><a href="{_rel(o)}">{e(o.name)}</a></td><td><code>notebooks/'
                f"{e(run.notebook)}</code></td><td><code>{params}</code></td><td>{inp}</td></tr>"
            )
    raw = "".join(
        f"<tr><td><code>{e(paths.relative(p))}</code></td><td><code>{sha256(p)}</code></td></tr>" for p in raw_inputs()
    )
    versions = ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    return (
        "<h2>Replication package</h2><p>Generated from the build (Social Science Data Editors template: "
        "output &rarr; program &rarr; parameters &rarr; inputs). Software: Python "
        f"{e(platform.python_version())}; {e(versions)}. Git commit <code>{e(_git_commit())}</code>. "
        'Expected run time and hardware: see <a href="build_info.json">build_info.json</a>; '
        "reproduce with <code>make report</code>.</p>"
        "<table><tr><th>kind</th><th>output</th><th>program</th><th>parameters</th><th>inputs (sha256)</th></tr>"
        + "".join(rows)
        + "</table><h3>Raw inputs</h3><p>The processed tables are built by <code>make data</code> "
        "from these files (data availability: the five documents are public policy texts, copied unchanged; "
        "external figures are secondary data with publisher and address in the catalog).</p>"
        "<table><tr><th>file</th><th>sha256</th></tr>" + raw + "</table>"
    )


def catalog_page() -> bytes:
    """Every observation with value, unit, year, kind, source and quote."""
    from analysis.data.load import load_observations

    e = html.escape
    obs = load_observations()
    rows = []
    for _, r in obs.iterrows():
        ext = ""
        if r["kind"] == "external":
            ext = (
                f'<br><span class="small">{e(r["publisher"])}; <a href="{e(r["url"])}">{e(r["url"])}</a>; '
                f"confidence {e(r['confidence'])}; basis: {e(r['basis'])}</span>"
            )
        period = f"{r['period_start']}-{r['year']}" if not _isna(r["period_start"]) else f"{r['year']}"
        rows.append(
            f'<tr id="{e(r["obs_id"])}"><td><code>{e(r["obs_id"])}</code></td><td>{e(r["region"])}</td>'
            f"<td>{e(r['label'])}</td><td>{e(period)}</td><td>{e(r['value_printed'] or str(r['value']))}"
            f"{'' if r['qualifier'] == 'exact' else ' (' + e(r['qualifier']) + ')'}</td><td>{e(r['unit'])}"
            f'</td><td>{e(r["kind"])}</td><td>{e(r["source_id"])}</td><td lang="zh">{e(r["quote"])}{ext}'
            f'</td><td class="small">{e(r["note"])}</td></tr>'
        )
    body = (
        '<h1>Data catalog</h1><p><a href="index.html">&larr; reports</a>. Every observation in '
        "<code>data/processed/observations.csv</code>: document values with the verbatim sentence they come "
        "from; external values with publisher, address and confidence; derived values with their formula. "
        f"{len(obs)} rows.</p><table><tr><th>id</th><th>region</th><th>indicator</th><th>year</th><th>value</th>"
        "<th>unit</th><th>kind</th><th>source</th><th>quote</th><th>note</th></tr>" + "".join(rows) + "</table>"
    )
    return _page("Data catalog", body)


def _isna(v: object) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def build_info() -> bytes:
    """Everything that varies between builds: run times, build date, machine."""
    runs = {}
    for run in RUNS:
        f = TIMING / f"{run.name}.json"
        if f.exists():
            runs[run.name] = json.loads(f.read_text())
    info = {
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "runs": runs,
        "total_run_seconds": round(sum(r["seconds"] for r in runs.values()), 1),
        "packages": {p: version(p) for p in PACKAGES},
    }
    return (json.dumps(info, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_index() -> None:
    """Write index.html, data_catalog.html and build_info.json."""
    atomic_write_bytes(paths.REPORTS / "data_catalog.html", catalog_page())
    atomic_write_bytes(paths.REPORTS / "index.html", index_page())
    atomic_write_bytes(paths.REPORTS / "build_info.json", build_info())
    if FAILED.exists() and not any(FAILED.iterdir()):
        FAILED.rmdir()
    info = json.loads((paths.REPORTS / "build_info.json").read_text())
    print(
        f"[report] {len(info['runs'])} runs, {info['total_run_seconds']} s of notebook time; "
        f"index: {paths.relative(paths.REPORTS / 'index.html')}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Report build driver (see module docstring).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="execute one run")
    r.add_argument("name", choices=sorted(BY_NAME))
    r.add_argument("--no-progress", action="store_true")
    r.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter for this run (value parsed as JSON, else text)",
    )
    sub.add_parser("index", help="write index.html, data_catalog.html, build_info.json")
    nb = sub.add_parser("notebook", help="re-execute a notebook in place with its defaults")
    nb.add_argument("path", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if args.cmd == "run":
        overrides = {}
        for kv in args.param:
            key, _, value = kv.partition("=")
            try:
                overrides[key] = json.loads(value)
            except json.JSONDecodeError:
                overrides[key] = value
        execute(BY_NAME[args.name], progress=not args.no_progress, overrides=overrides)
    elif args.cmd == "index":
        write_index()
    else:
        for p in args.path:
            execute_in_place(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
