"""Figures of the comparison report."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.metrics.compare import Comparison, known
from analysis.metrics.growth import index as index_series
from analysis.reports import figures
from analysis.reports.comparison import (
    POVERTY_LINE,
    SOURCE_NOTE,
    UNIT_LABELS,
    UNIT_SHORT,
    ComparisonRun,
    indicator_label,
    region_label,
)
from analysis.reports.comparison_sections import growth_changes
from analysis.reports.comparison_text import fmt_value, section_rows


def _ext(run: ComparisonRun, section: str) -> str:
    """Whether external values entered a section's rows (the table's ``external_used``), for figure notes."""
    t = run.table[run.table["section"] == section] if not run.table.empty else run.table
    used = t[t["external_used"].astype(bool)] if "external_used" in t else t.iloc[0:0]
    if used.empty:
        return "No external values."
    regions = ", ".join(sorted(set(used["region"])))
    return f"External values enter {len(used)} of the {len(t)} table rows behind this figure ({regions}; see kinds)."


def _spread(values: list[float], min_gap: float) -> list[float]:
    """Label positions at least ``min_gap`` apart, in the order of ``values``."""
    order = np.argsort(values, kind="stable")
    pos = [float(v) for v in values]
    for k in range(1, len(order)):
        i, j = order[k], order[k - 1]
        if pos[i] - pos[j] < min_gap:
            pos[i] = pos[j] + min_gap
    return pos


def fig_slope(run: ComparisonRun, indicator: str) -> dict | None:
    """Slope chart of an indicator from the start to the end of each region's period.

    Left panel: linear scale (vertical distance = absolute gap). Right: log scale (vertical
    distance = ratio, the relative gap). Regions with one observed year are left out.
    """
    series = [(r, run.points(r, indicator)) for r in run.all_regions]
    series = [(r, p) for r, p in series if len(p) >= 2]
    if not series:
        return None
    unit = series[0][1][0].unit
    lo = min(p.value for _, pts in series for p in (pts[0], pts[-1]))
    hi = max(p.value for _, pts in series for p in (pts[0], pts[-1]))
    gaps = {
        lab: c
        for lab in ("start", "end")
        for c in section_rows(run, "poverty")
        if c.metric == f"{indicator}: gap at {lab} of period" and c.gap is not None  # none across systems
    }
    gu = lambda c: " pp" if c.gap_unit == "percentage points" else UNIT_SHORT.get(c.gap_unit, "")  # noqa: E731
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.9))
    for ax, log in zip(axes, (False, True), strict=True):
        tr = np.log10 if log else (lambda v: v)
        inv = (lambda v: 10**v) if log else (lambda v: v)
        span = (tr(hi) - tr(lo)) or 1.0
        labels: dict[int, list] = {0: [], 1: []}
        for i, (r, pts) in enumerate(series):
            p0, p1 = pts[0], pts[-1]
            bench = r == run.benchmark
            color = "0.25" if bench else f"C{i}"
            ax.plot(
                [0, 1],
                [p0.value, p1.value],
                color=color,
                lw=2.2 if bench else 1.6,
                zorder=2,
                label=region_label(r) + (" (benchmark)" if bench else "") + f", {p0.year}-{p1.year}",
            )
            for x, p in ((0, p0), (1, p1)):
                ax.plot(
                    [x],
                    [p.value],
                    ls="none",
                    marker="D" if p.kind == "derived" else "o",
                    markersize=7,
                    markerfacecolor=color if p.kind == "document" else "white",
                    markeredgecolor=color,
                    markeredgewidth=1.5,
                    zorder=3,
                )
                labels[x].append((p, color))
        for x, group in labels.items():
            pos = _spread([tr(p.value) for p, _ in group], 0.07 * span)
            for (p, color), y in zip(group, pos, strict=True):
                ax.text(
                    x + (-0.06 if x == 0 else 0.06),
                    inv(y),
                    f"{p.year}: {fmt_value(p.value, unit)}",
                    ha="right" if x == 0 else "left",
                    va="center",
                    fontsize=7.5,
                    color=color,
                )
        ax.set_xticks([0, 1], ["start of period", "end of period"])
        ax.set_xlim(-0.75, 1.75)
        if log:
            figures.plain_log_axis(ax)
            ax.set_ylim(lo / 1.6, hi * 1.5)
        else:
            ax.set_ylim(0, hi * 1.15)
        ax.set_ylabel(
            f"{indicator_label(indicator)}, {UNIT_LABELS.get(unit, unit)}" + (" (log scale)" if log else ""), fontsize=8
        )
        ax.set_title(
            "vertical distance = absolute gap" if not log else "vertical distance = relative gap (log)", fontsize=9
        )
        ax.grid(axis="x", visible=False)
        if gaps:
            ax.set_xlabel(
                "\n".join(
                    f"{lab} ({c.year_or_period}): "
                    + (f"gap {c.gap:+.2f}{gu(c)}" if not log else f"ratio {c.ratio:.2f}")
                    for lab, c in gaps.items()
                ),
                fontsize=8,
            )
    axes[1].legend(fontsize=7.5, loc="lower left")
    who = next((c for c in gaps.values()), None)
    fig.suptitle(
        f"{indicator_label(indicator).capitalize()}: start and end of each period"
        + (f" ({region_label(who.region)} vs {region_label(who.benchmark)})" if who else ""),
        fontweight="bold",
    )
    note = SOURCE_NOTE + " Periods differ by region; years are labelled. " + _ext(run, "poverty")
    saved = figures.save(fig, f"{run.name}_slope_{indicator}", note, run.out.figures)
    plt.close(fig)
    return saved


def fig_index(run: ComparisonRun) -> dict | None:
    """Index lines (base year = 100) across regions and the CAGR of each series, side by side."""
    series = run.index_series()
    changes = growth_changes(run)
    if not series:
        return None
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.8), gridspec_kw={"width_ratios": [1.35, 1]})
    kinds: set[str] = set()
    drawn = 0
    for i, pts in enumerate(series):
        base = run.base_year if run.base_year is not None else pts[0].year
        if base not in [p.year for p in pts]:
            continue
        df = pd.DataFrame(
            {"year": [p.year for p in pts], "value": [p.value for p in pts], "kind": [p.kind for p in pts]}
        )
        ix = index_series(df, base).merge(df[["year", "kind"]], on="year")
        kinds |= set(ix["kind"])
        figures.plot_points(
            ax,
            ix.assign(value=ix["index"]),
            f"C{i}",
            label=f"{region_label(pts[0].region)} {indicator_label(pts[0].indicator)} ({base}=100)",
        )
        drawn += 1
    ax.axhline(100, color="0.5", lw=0.8)
    ax.set_ylabel("index (base year = 100), nominal")
    years = [p.year for pts in series for p in pts]
    figures.year_axis(ax, range(min(years), max(years) + 1))
    ax.tick_params(axis="x", labelsize=7, rotation=45)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(
        "Index lines" + (f" (base {run.base_year})" if run.base_year else " (each series' first year = 100)"),
        fontsize=10,
    )
    labels = [f"{region_label(c.start.region)} {indicator_label(c.start.indicator)}, {c.period}" for c in changes][::-1]
    vals = [100 * known(c.cagr, "CAGR") for c in changes][::-1]
    colors = ["C1" if {c.start.kind, c.end.kind} - {"document"} else "C0" for c in changes][::-1]
    bx.barh(range(len(vals)), vals, color=colors)
    for i, v in enumerate(vals):
        bx.text(v + 0.2, i, f"{v:.1f}%", va="center", fontsize=8)
    bx.set_yticks(range(len(vals)), labels, fontsize=8)
    bx.set_xlim(0, max(vals) * 1.9)
    bx.set_xlabel("CAGR, % per year (nominal)")
    periods = {c.period for c in changes}
    bx.set_title("CAGR, each over its own period" + ("\n(periods differ)" if len(periods) > 1 else ""), fontsize=10)
    from matplotlib.patches import Patch

    bx.legend(
        handles=[
            Patch(color="C0", label="document values"),
            Patch(color="C1", label="uses external or derived values"),
        ],
        fontsize=7,
        loc="lower right",
    )
    fig.legend(
        handles=figures.kind_legend_handles(kinds), loc="lower right", fontsize=7, ncol=3, bbox_to_anchor=(1, 0.03)
    )
    fig.suptitle("Income and output: growth since each base year, and CAGR", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_index", SOURCE_NOTE + " " + _ext(run, "growth"), run.out.figures)
    plt.close(fig)
    return saved


def index_left_out(run: ComparisonRun) -> list[str]:
    """Series not drawn on the index chart because they do not observe ``base_year``."""
    if run.base_year is None:
        return []
    return [
        f"{pts[0].region} {pts[0].indicator} ({', '.join(str(p.year) for p in pts)})"
        for pts in run.index_series()
        if run.base_year not in [p.year for p in pts]
    ]


RATIO_SERIES = (
    "rural_disposable_income",
    "rural_dibao_standard",
    "extreme_poverty_support_standard",
    "rural_dibao_monthly_assistance x12",
)


def fig_ratio(run: ComparisonRun) -> dict | None:
    """Ratio of incomes and standards to the national poverty line at matched years, with a 1.0 line."""
    rows = [
        c for c in run.rows.get("assistance", []) if c.status == "matched" and c.benchmark == " ".join(POVERTY_LINE)
    ]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8.0, 4.6))
    groups: dict[tuple[str, str], list[Comparison]] = {}
    for c in rows:
        groups.setdefault((c.region, c.metric.split(" / ")[0]), []).append(c)
    for i, ((r, ind), cs) in enumerate(groups.items()):
        yrs = [int(c.year_or_period) for c in cs]
        vals = [known(c.ratio, c.metric) for c in cs]
        color = f"C{i}"
        ax.plot(
            yrs,
            vals,
            color=color,
            lw=1.3,
            ls=":" if len(yrs) > 1 else "none",
            marker="o",
            markersize=6,
            markerfacecolor="white" if any("external" in c.kinds.split("/")[0] for c in cs) else color,
            markeredgecolor=color,
            label=f"{region_label(r)} {indicator_label(ind)} / poverty line",
        )
        ax.text(yrs[-1] + 0.15, vals[-1], f"{vals[-1]:.2f}", fontsize=7.5, color=color, va="center")
    ax.axhline(1.0, color="0.15", lw=1.2, ls="--", label="= poverty line (ratio 1.0)")
    line_years = [p.year for p in run.points(*POVERTY_LINE)]
    if line_years:
        missing = [y for y in range(min(line_years), max(line_years) + 1) if y not in line_years]
        if missing:
            ax.axvspan(
                min(missing) - 0.5,
                max(missing) + 0.5,
                color="0.9",
                zorder=0,
                label=f"no poverty line in the data ({min(missing)}-{max(missing)})",
            )
    figures.year_axis(ax, range(min([*line_years, 2014]), max([*line_years, 2019]) + 1))
    ax.set_ylim(0, max(known(c.ratio, c.metric) for c in rows) * 1.15)
    ax.set_ylabel("ratio to the national poverty line (current prices)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right", facecolor="white", frameon=True)
    ax.set_title("Ratio to the national poverty line (matched years only)")
    saved = figures.save(
        fig,
        f"{run.name}_ratio_to_poverty_line",
        SOURCE_NOTE + " Poverty line: external values. " + _ext(run, "assistance"),
        run.out.figures,
    )
    plt.close(fig)
    return saved


STANDARD_RATIOS = (
    ("extreme_poverty_support_standard / rural_dibao_standard", "tekun standard / dibao standard"),
    ("rural_dibao_monthly_assistance x12 / rural_dibao_standard", "dibao payment x12 / dibao standard"),
    ("rural_dibao_standard / rural_disposable_income", "dibao standard / rural income"),
    ("rural_dibao_standard / poverty_line_current_prices", "dibao standard / poverty line"),
)


def fig_standards(run: ComparisonRun) -> dict | None:
    """Grouped bars of the standards ratios by year, with the ones the data cannot give marked."""
    rows = run.rows.get("assistance", [])
    metrics = [(m, lab) for m, lab in STANDARD_RATIOS if any(c.metric == m for c in rows)]
    if not metrics:
        return None
    years = sorted({int(c.year_or_period) for c in rows if c.metric in dict(metrics) and c.year_or_period.isdigit()})
    fig, ax = plt.subplots(figsize=(8.0, 4.4))
    width = 0.8 / max(len(years), 1)
    for j, y in enumerate(years):
        for i, (m, _label) in enumerate(metrics):
            x = i + (j - (len(years) - 1) / 2) * width
            c = next((c for c in rows if c.metric == m and c.year_or_period == str(y)), None)
            if c is not None and c.ratio is not None and not pd.isna(c.ratio):
                ax.bar(x, c.ratio, width * 0.92, color=f"C{j}", label=str(y) if i == 0 else None)
                ax.text(x, c.ratio + 0.02, f"{c.ratio:.3f}", ha="center", fontsize=7.5)
            else:
                ax.bar(
                    x,
                    0.02,
                    width * 0.92,
                    color="white",
                    edgecolor=f"C{j}",
                    hatch="//",
                    label=str(y) if i == 0 else None,
                )
                ax.text(x, 0.06, "not in\nthe data", ha="center", fontsize=6.5, color="0.3")
    ax.axhline(1.0, color="C3", lw=1.0, ls="--")
    ax.set_xticks(range(len(metrics)), [lab.replace(" / ", "\n/ ") for _, lab in metrics], fontsize=8)
    ax.set_ylabel("ratio")
    ax.set_ylim(0, 1.6)
    ax.legend(fontsize=8, loc="upper right", title="year", title_fontsize=8)
    regions = dict.fromkeys(c.region for c in rows if c.metric in dict(metrics))
    ax.set_title(f"{', '.join(region_label(r) for r in regions)}: social-assistance ratios")
    saved = figures.save(
        fig,
        f"{run.name}_standards",
        SOURCE_NOTE
        + " Hatched: a side of the ratio is not observed that year (no interpolation). "
        + _ext(run, "assistance"),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_counties(run: ComparisonRun) -> dict | None:
    """Bars of the share of poverty counties exited, with counts; regions without a total labelled."""
    rows = run.rows.get("counties", [])
    items = [c for c in rows if c.metric == "poverty_counties_exited / poverty_counties_total"]
    if not items:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 0.6 * len(items) + 1.6))
    for i, c in enumerate(items[::-1]):
        if c.status == "matched":
            ax.barh(i, 100, color="0.88")
            share = 100 * known(c.ratio, c.metric)
            ax.barh(i, share, color="C2")
            ax.text(
                101,
                i,
                f"{c.value:g} of {c.benchmark_value:g} ({share:.1f}%), {c.year_or_period}",
                va="center",
                fontsize=8,
            )
        elif c.status == "not observed":
            ax.text(
                1,
                i,
                f"{c.value:g} poverty counties in total ({c.year_or_period}); number exited not in the data",
                va="center",
                fontsize=8,
            )
        else:
            ax.text(1, i, f"{c.value:g} exited ({c.year_or_period}); total not in the data", va="center", fontsize=8)
    ax.set_yticks(range(len(items)), [region_label(c.region) for c in items[::-1]], fontsize=9)
    ax.set_xlim(0, 150)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("poverty counties exited, % of the area's poverty counties")
    ax.set_title("Poverty counties exited")
    years = sorted({c.year_or_period for c in items})
    note = SOURCE_NOTE + (f" Years differ ({', '.join(years)}): not a ranking." if len(years) > 1 else "")
    note += " " + _ext(run, "counties")
    saved = figures.save(fig, f"{run.name}_counties", note, run.out.figures)
    plt.close(fig)
    return saved


def fig_national(run: ComparisonRun) -> dict | None:
    """Against China: rural income relative to China by year, and poverty incidence over common years."""
    from analysis.reports import comparison_national as nat

    rows = run.rows.get(nat.SECTION, [])
    ratios = [c for c in rows if c.metric == nat.RATIO_METRIC and c.status == "matched"]
    gaps = [
        c
        for c in rows
        if c.metric == "poverty_incidence vs China: gap at common year"
        and c.status in ("matched", "different measurement systems")
    ]
    if not ratios and not gaps:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 4.4))
    for i, r in enumerate(dict.fromkeys(c.region for c in ratios)):
        cs = [c for c in ratios if c.region == r]
        yrs, vals = [int(c.year_or_period) for c in cs], [c.ratio for c in cs]
        ax1.plot(yrs, vals, color=f"C{i}", marker="o", ls=":" if len(yrs) > 1 else "none", label=region_label(r))
        ax1.text(yrs[-1] + 0.15, vals[-1], f"{vals[-1]:.2f}", fontsize=7.5, color=f"C{i}", va="center")
    ax1.axhline(1.0, color="0.15", lw=1.1, ls="--", label="= China (ratio 1.0)")
    ax1.set_ylim(0, 1.15)
    ax1.set_ylabel("rural disposable income / China's (same year)", fontsize=9)
    ax1.set_title("Rural income relative to China (nominal; a ratio needs no deflator)", fontsize=9.5)
    ax1.legend(fontsize=7, loc="lower right")
    yrs_all = [int(c.year_or_period) for c in ratios] or [2014, 2019]
    figures.year_axis(ax1, range(min(yrs_all), max(yrs_all) + 1))
    china: dict[int, float] = {}
    for i, r in enumerate(dict.fromkeys(c.region for c in gaps)):
        cs = [c for c in gaps if c.region == r]
        yrs = [int(c.year_or_period) for c in cs]
        ax2.plot(
            yrs,
            [c.value for c in cs],
            color=f"C{i}",
            marker="o",
            label=f"{region_label(r)} (regional, registered-poor or unstated basis)",
        )
        china.update({y: float(c.benchmark_value or 0) for y, c in zip(yrs, cs, strict=True)})
    if china:
        ys = sorted(china)
        ax2.plot(ys, [china[y] for y in ys], color="0.2", ls="--", marker="s", label="China (NBS survey; 2011: count)")
        figures.plain_log_axis(ax2, values=[*china.values(), *(float(c.value or 0) for c in gaps)])
        figures.year_axis(ax2, range(min(ys), max(ys) + 1))
    ax2.set_ylabel("poverty incidence, % (log scale)", fontsize=9)
    ax2.set_title("Poverty incidence in common years: two measurement systems", fontsize=9.5)
    ax2.legend(fontsize=7, loc="lower left")
    saved = figures.save(
        fig,
        f"{run.name}_national",
        SOURCE_NOTE + " China: external values (NBS).",
        run.out.figures,
    )
    plt.close(fig)
    return saved
