"""The data of the provincial section's figure: share of provincial GDP and per-capita ratios by year.

The notebook draws the figure with matplotlib from :func:`province_panels`, joining only
consecutive observed years within one side of a series break (:func:`observed_runs`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.data import vocab
from analysis.metrics.compare import Comparison
from analysis.reports.comparison_province import ProvinceSpec
from analysis.reports.params import SERIES_BREAKS


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


@dataclass(frozen=True)
class Panel:
    """One panel of the provincial figure: a level comparison of one indicator, by region and year.

    ``values`` maps each region to ``{year: value}`` (a share in percent, or a ratio), from the
    matched rows only; ``breaks`` the series breaks inside the years drawn (year -> label).
    """

    indicator: str
    what: str
    values: dict[str, dict[int, float]]
    years: list[int]
    breaks: dict[int, str]
    title: str
    ylabel: str
    kinds: frozenset[str]


def province_panels(spec: ProvinceSpec | None, rows: Sequence[Comparison]) -> list[Panel]:
    """The panels of the provincial figure: each indicator's share of (additive) or ratio to the province.

    Empty without a province or without matched share or ratio rows.
    """
    if spec is None or not spec.parts:
        return []
    out = []
    for ind in spec.indicators:
        for what in ("share of", "relative to"):
            metric = f"{ind}: {what} {spec.province}"
            matched = [c for c in rows if c.metric == metric and c.status == "matched"]
            if not matched:
                continue
            scale = 100 if what == "share of" else 1
            values = {
                r: {int(c.year_or_period): float(c.ratio or 0) * scale for c in matched if c.region == r}
                for r in spec.parts
            }
            yrs = sorted({int(c.year_or_period) for c in matched})
            brk = {b: s.label for b, s in SERIES_BREAKS.get(ind, {}).items() if yrs[0] < b <= yrs[-1]}
            label = vocab.indicator_fact(ind, "label")
            if what == "share of":
                ylabel, title = f"% of {spec.province}'s {label} (same year)", f"Share of {spec.province}'s {label}, %"
            else:
                ylabel = f"ratio to {spec.province}'s (same year)"
                title = "\n".join(textwrap.wrap(f"{label}: ratio to {spec.province}", 40))
            kinds = frozenset(k for c in matched for k in c.kinds.split("/"))
            out.append(Panel(ind, what, values, yrs, brk, title, ylabel, kinds))
    return out


def source_note(spec: ProvinceSpec, panels: Sequence[Panel]) -> str:
    """The source note under the provincial figure (the kinds of value drawn)."""
    kinds = set().union(*(p.kinds for p in panels)) if panels else set()
    src = " and ".join(sorted(k for k in kinds if k in ("document", "external", "derived")))
    return (
        f"Source: {src} values (data/processed/observations.csv; {spec.province} from external figures: provincial "
        "communiques and reprints). Current prices. Points are observed years; lines join consecutive observed years "
        "only and never cross a series break (dashed)."
    )
