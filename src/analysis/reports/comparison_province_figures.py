"""The figure of the provincial section: share of provincial GDP and per-capita ratios by year."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt

from analysis.data import vocab
from analysis.metrics.compare import Comparison
from analysis.reports import figures
from analysis.reports.comparison_province import ProvinceSpec
from analysis.reports.params import SERIES_BREAKS

# ------------------------------------------------------------------------------------ figure


def observed_runs(years: Sequence[int], breaks: Sequence[int]) -> list[list[int]]:
    """Consecutive observed years, split at a series break (a line is drawn only within a run).

    >>> observed_runs([2013, 2016, 2017, 2018, 2019], [2019])
    [[2013], [2016, 2017, 2018], [2019]]
    """
    out: list[list[int]] = []
    for y in sorted(years):
        if out and y == out[-1][-1] + 1 and y not in breaks:
            out[-1].append(y)
        else:
            out.append([y])
    return out


def fig_province(spec: ProvinceSpec | None, rows: Sequence[Comparison], out_dir: Path, name: str) -> dict | None:
    """Share of provincial GDP and relative GDP per capita by year: points, lines only between consecutive years.

    Lines never cross an unobserved year or a series break (the 2019 census revision is marked).
    Returns the saved paths, or None when the rows hold neither series.
    """
    if spec is None or not spec.parts:
        return None
    panels = [
        (ind, what)
        for ind in spec.indicators
        for what in ("share of", "relative to")
        if any(c.metric == f"{ind}: {what} {spec.province}" and c.status == "matched" for c in rows)
    ]
    if not panels:
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(4.4 * len(panels), 4.0), squeeze=False)
    kinds: set[str] = set()
    for ax, (ind, what) in zip(axes[0], panels, strict=True):
        yrs = sorted(
            {
                int(c.year_or_period)
                for c in rows
                if c.metric == f"{ind}: {what} {spec.province}" and c.status == "matched"
            }
        )
        breaks = [b for b in SERIES_BREAKS.get(ind, {}) if yrs[0] < b <= yrs[-1]]
        for i, r in enumerate(spec.parts):
            cs = [
                c
                for c in rows
                if c.region == r and c.metric == f"{ind}: {what} {spec.province}" and c.status == "matched"
            ]
            pts = {int(c.year_or_period): float(c.ratio or 0) * (100 if what == "share of" else 1) for c in cs}
            kinds |= {k for c in cs for k in c.kinds.split("/")}
            for run_ in observed_runs(list(pts), breaks):
                ax.plot(run_, [pts[y] for y in run_], color=f"C{i}", marker="o", ls="-" if len(run_) > 1 else "none")
            for y, v in pts.items():
                ax.annotate(
                    f"{v:.3f}",
                    (y, v),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=7.5,
                    color=f"C{i}",
                )
            ax.plot([], [], color=f"C{i}", marker="o", label=r)
        for b in breaks:
            figures.mark_breaks(ax, [b], label=f"{SERIES_BREAKS[ind][b].label} ({b})")
        figures.year_axis(ax, range(min(yrs), max(yrs) + 1))
        label = vocab.indicator_fact(ind, "label")
        if what == "share of":
            ax.set_ylabel(f"% of {spec.province}'s {label} (same year)", fontsize=9)
            ax.set_title(f"Share of {spec.province}'s {label}, %", fontsize=9.5)
        else:
            ax.set_ylabel(f"ratio to {spec.province}'s (same year)", fontsize=9)
            ax.set_title("\n".join(textwrap.wrap(f"{label}: ratio to {spec.province}", 40)), fontsize=9.5)
        ax.margins(y=0.25)
        ax.legend(fontsize=7, loc="lower right")
    src = " and ".join(sorted(k for k in kinds if k in ("document", "external", "derived")))
    note = (
        f"Source: {src} values (data/processed/observations.csv; {spec.province} from external figures: provincial "
        "communiques and reprints). Current prices. Points are observed years; lines join consecutive observed years "
        "only and never cross a series break (dashed)."
    )
    saved = figures.save(fig, f"{name}_province", note, out_dir)
    plt.close(fig)
    return saved
