"""Where the time of one report run goes (``python benchmarks/profile_run.py [RUN ...]``).

For each run: the driver's imports (papermill, nbconvert), kernel start-up, each cell's
execution (from papermill's cell timings), the nbconvert HTML export, and, measured
in-process on the same notebook code, the CPU time matplotlib spends saving each figure
format (PNG, SVG, PDF). Wall-clock figures on a shared machine are noisy; CPU times
(``process_time``) are the stable ones. Writes nothing under ``reports/``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)  # as the build driver does


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(t: tuple[float, float]) -> dict[str, float]:
    w, c = clock()
    return {"wall": round(w - t[0], 3), "cpu": round(c - t[1], 3)}


def profile_driver(run_name: str, scratch: Path) -> dict:
    """Import, kernel start, cells, HTML export of one run, as the build driver does them."""
    out: dict = {}
    t = clock()
    import nbformat
    import papermill as pm

    out["import papermill+nbformat"] = since(t)
    t = clock()
    from nbconvert import HTMLExporter

    out["import nbconvert"] = since(t)
    from analysis import paths
    from analysis.build.report import KERNEL, normalise, to_html
    from analysis.build.runs import BY_NAME

    run = BY_NAME[run_name]
    nb_out = scratch / f"{run_name}.ipynb"
    t = clock()
    pm.execute_notebook(
        str(run.notebook_path),
        str(nb_out),
        parameters=run.all_parameters,
        kernel_name=KERNEL,
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
        log_output=False,
    )
    total = since(t)
    nb = nbformat.read(nb_out, as_version=4)
    cells = [c.metadata.get("papermill", {}) for c in nb.cells if c.cell_type == "code"]
    durations = [c.get("duration") or 0.0 for c in cells]
    out["papermill execute (wall, driver cpu)"] = total
    out["cells (wall, kernel)"] = round(sum(durations), 3)
    out["slowest cells (wall)"] = sorted((round(d, 3) for d in durations), reverse=True)[:4]
    out["kernel start + papermill overhead (wall)"] = round(total["wall"] - sum(durations), 3)
    t = clock()
    normalise(nb, run.all_parameters)
    to_html(nb, run.name, True)
    out["nbconvert HTML"] = since(t)
    del HTMLExporter
    return out


def profile_in_process(run_name: str, scratch: Path) -> dict:
    """The run's code cells in this process, with savefig CPU time per format."""
    import nbformat

    t = clock()
    import matplotlib

    matplotlib.use("Agg")
    import IPython.display as D
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    out: dict = {"import matplotlib": since(t)}
    per_fmt: dict[str, float] = defaultdict(float)
    orig = Figure.savefig

    def timed_savefig(self, fname, *a, **k):
        c = time.process_time()
        try:
            return orig(self, fname, *a, **k)
        finally:
            per_fmt[k.get("format") or Path(str(fname)).suffix.lstrip(".")] += time.process_time() - c

    Figure.savefig = timed_savefig
    D.display = lambda *a, **k: None
    from analysis.build.runs import BY_NAME

    run = BY_NAME[run_name]
    nb = nbformat.read(str(run.notebook_path), as_version=4)
    ns = {"display": D.display}
    t = clock()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, run_name, "exec"), ns)
        if "parameters" in cell.metadata.get("tags", []):
            ns.update({**run.all_parameters, "output_dir": str(scratch / "inproc")})
    plt.close("all")
    out["all cells in-process (incl. imports of the stack)"] = since(t)
    out["savefig cpu by format"] = {k: round(v, 3) for k, v in sorted(per_fmt.items())}
    Figure.savefig = orig
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="*", default=["growth_rates"])
    ap.add_argument("--in-process", action="store_true", help="also time the cells in-process (savefig by format)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ANALYSIS_REPORTS_DIR"] = tmp
        res = {}
        for name in args.runs:
            res[name] = profile_driver(name, Path(tmp))
            if args.in_process:
                res[name]["in-process"] = profile_in_process(name, Path(tmp))
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
