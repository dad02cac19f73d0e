"""``benchmarks/results.md`` parsed, and the benchmark blocks of the documentation (``make bench``, ``make readme``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.build.runs import RUNS


class BenchError(Exception):
    """``benchmarks/results.md`` lacks a value the documentation states (the message says which)."""


@dataclass
class Bench:
    """``benchmarks/results.md``, parsed: date, machine line, headline ratios and scenario medians."""

    date: str
    repeats: int
    python: str
    cores: str
    machine: str
    ratios: dict[str, tuple[float, str]]  # "cold/floor", "naive/cold" -> (ratio, target text)
    median: dict[str, float]
    scale: dict[int, tuple[float, float]]  # series -> (growth s, elasticity s)
    reruns: str
    probe: tuple[float, float] | None = None  # speed probe before and after the scenarios (s)

    @classmethod
    def parse(cls, path: Path) -> Bench:
        text = path.read_text(encoding="utf-8")
        where = paths.relative(path)

        def find(pattern: str, what: str) -> re.Match[str]:
            m = re.search(pattern, text, re.MULTILINE)
            if not m:
                raise BenchError(f"{where}: cannot find {what} (pattern {pattern!r}); rerun `make bench`")
            return m

        date = find(r"^Measured (\d{4}-\d{2}-\d{2})", "the date").group(1)
        repeats = int(find(r"by `make bench` \((\d+) runs? each", "the number of runs").group(1))
        machine = find(r"^Machine: (\d+) cores, ([^,]+),.*?Python ([\d.]+)", "the machine line")
        head = find(
            r"floor = \*\*([\d.]+)x\*\* \(target ([^)]*)\);.*?= \*\*([\d.]+)x\*\* \(target ([^)]*)\)", "headline"
        )
        median: dict[str, float] = {}
        scale: dict[int, tuple[float, float]] = {}
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and re.fullmatch(r"[\d.]+", cells[1]):
                median[cells[0]] = float(cells[1])
            elif len(cells) == 5 and re.fullmatch(r"[\d,]+", cells[0]):
                scale[int(cells[0].replace(",", ""))] = (float(cells[1]), float(cells[3]))
        reruns = find(r"reruns only: (.*)\.$", "the rerun line").group(1)
        p = re.search(r"^Speed probe [^:]*: ([\d.]+) s before the scenarios, ([\d.]+) s after", text, re.MULTILINE)
        return cls(
            date=date,
            repeats=repeats,
            cores=machine.group(1),
            machine=machine.group(2),
            python=machine.group(3),
            ratios={
                "cold/floor": (float(head.group(1)), head.group(2)),
                "naive/cold": (float(head.group(3)), head.group(4)),
            },
            median=median,
            scale=scale,
            reruns=reruns,
            probe=(float(p.group(1)), float(p.group(2))) if p else None,
        )

    def seconds(self, scenario: str) -> float:
        """The median of a scenario whose name starts with ``scenario``."""
        hits = [v for k, v in self.median.items() if k.startswith(scenario)]
        if len(hits) != 1:
            raise BenchError(
                f"benchmarks/results.md: {len(hits)} scenarios start with {scenario!r}; rerun `make bench`"
            )
        return hits[0]


def _met(ok: bool) -> str:
    return "met" if ok else "missed"


# Targets of the build (project requirements, not measurements).
TARGET_COLD_OVER_FLOOR = 1.5  # cold make -j2 report / (floor / 2 cores): issue 15
TARGET_NAIVE_OVER_COLD = 2.0
TARGET_NOOP_S = 0.3
TARGET_TEST_S = 75.0
TARGET_SCALE_S = 2.0


def performance_table(b: Bench) -> str:
    """The performance table of ``benchmarks/README.md`` from the parsed results."""
    floor, naive = b.seconds("floor:"), b.seconds("naive:")
    cold, noop = b.seconds("make -j2 report, cold"), b.seconds("make report, no-op")
    ratio_cold, (ratio_naive, _) = cold / (floor / 2), b.ratios["naive/cold"]  # against the two-core floor
    test = b.seconds("make test")
    its_runs = {r.name for r in RUNS if r.notebook == "comparisons.ipynb"}
    only_its = set(b.reruns.split(", ")) == its_runs
    biggest = max(b.scale)
    scale_s = b.scale[biggest][0]
    return "\n".join(
        [
            "`make bench` (script `benchmarks/bench.py`) measures each scenario (three times by default) and",
            (
                f"writes `benchmarks/results.md` (median, min, max, machine facts). Measured {b.date}, "
                f"{b.repeats} run{'s' if b.repeats != 1 else ''} each, on a"
            ),
            f"{b.cores}-core {b.machine} machine (Python {b.python}"
            + (f"; speed probe {b.probe[0]:.2f} s before, {b.probe[1]:.2f} s after" if b.probe else "")
            + "):",
            "",
            "| scenario | median s | target |",
            "|---|---|---|",
            f"| floor: one Python process running every report's code in-process | {floor:.1f} | |",
            f"| naive: papermill CLI then `jupyter nbconvert --to html`, one run after another | {naive:.1f} | |",
            (
                f"| cold `make -j2 report` (clean `reports/` and `data/processed/`) | {cold:.1f} | "
                f"<= {TARGET_COLD_OVER_FLOOR:g}x the two-core floor (floor / 2): **{ratio_cold:.2f}x**, "
                f"{_met(ratio_cold <= TARGET_COLD_OVER_FLOOR)} |"
            ),
            (
                f"| naive / cold `make report` | **{ratio_naive:.2f}x** | >= {TARGET_NAIVE_OVER_COLD:g}x: "
                f"{_met(ratio_naive >= TARGET_NAIVE_OVER_COLD)} |"
            ),
            f"| no-op `make report` | {noop:.2f} | < {TARGET_NOOP_S:g} s: {_met(noop < TARGET_NOOP_S)} |",
            (
                f"| after touching one raw table (revalidates, reruns nothing) | "
                f"{b.seconds('make -j2 report after touching one raw table'):.1f} | |"
            ),
            (
                f"| after touching one notebook (comparisons; reran: {b.reruns}) | "
                f"{b.seconds('make -j2 report after touching one notebook'):.1f} | only its runs: {_met(only_its)} |"
            ),
            f"| `make test` (environment present) | {test:.1f} | < {TARGET_TEST_S:g} s: {_met(test < TARGET_TEST_S)} |",
            f"| one papermill run of growth_rates (driver, incl. HTML) | {b.seconds('one papermill run'):.1f} | |",
            f"| the same growth_rates cells in-process | {b.seconds('the same growth_rates cells'):.1f} | |",
            (
                f"| {biggest:,} synthetic series through the growth functions | {scale_s:.3f} | "
                f"< {TARGET_SCALE_S:g} s: {_met(scale_s < TARGET_SCALE_S)} |"
            ),
        ]
    )


def runtime_text(b: Bench) -> str:
    """README's time-to-reproduce sentence (unwrapped)."""
    cold, test = b.seconds("make -j2 report, cold"), b.seconds("make test")
    return (
        f"Time to reproduce: {cold:.1f} s for `make report` (cold, `-j2`: clean `reports/` and `data/processed/`) "
        f"and {test:.1f} s for `make test`, medians of {b.repeats} run{'s' if b.repeats != 1 else ''} measured "
        f"{b.date} on a {b.cores}-core {b.machine} machine with `.venv` present "
        "([benchmarks/results.md](benchmarks/results.md)); a fresh clone's first command also creates `.venv` "
        "(timed below)."
    )
