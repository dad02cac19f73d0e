"""Figures of the comparison report."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.metrics.compare import Comparison, known
from analysis.reports import comparison_national as nat
from analysis.reports import figures
from analysis.reports.comparison_base import ComparisonRun, indicator_label, region_label, section_rows
from analysis.reports.comparison_text import fmt_value


def external_note(run: ComparisonRun, section: str) -> str:
    """Whether external values entered a section's rows (their ``kinds``; the table's ``external_used``), for figure notes."""
    rows = run.rows.get(section, [])
    used = [c for c in rows if "external" in (c.kinds or "")]
    if not used:
        return "No external values."
    regions = ", ".join(sorted({c.region for c in used}))
    return f"External values enter {len(used)} of the {len(rows)} table rows behind this figure ({regions}; see kinds)."


def _spread(values: list[float], min_gap: float) -> list[float]:
    """Label positions at least ``min_gap`` apart, in the order of ``values``."""
    order = np.argsort(values, kind="stable")
    pos = [float(v) for v in values]
    for k in range(1, len(order)):
        i, j = order[k], order[k - 1]
        if pos[i] - pos[j] < min_gap:
            pos[i] = pos[j] + min_gap
    return pos


def headline_pair(run: ComparisonRun, indicator: str) -> tuple[str, str] | None:
    """The pair a slope chart is about: the first selected region with a start and end gap row, and the benchmark.

    The first region in the selection order (``regions`` parameter) is the report's subject
    (Xiangxi by default); its gaps are annotated and named in the title, never those of
    whichever region a loop visited last (review F4).
    """
    for r in run.compared:
        if all(section_rows(run, "poverty", f"{indicator}: gap at {lab} of period", r) for lab in ("start", "end")):
            return r, run.benchmark
    return None


def points_frame(pts: list) -> pd.DataFrame:
    """Points as a frame of ``year, value, kind`` (what :func:`analysis.reports.figures.plot_points` draws)."""
    return pd.DataFrame({"year": [p.year for p in pts], "value": [p.value for p in pts], "kind": [p.kind for p in pts]})


def fig_slope(run: ComparisonRun, indicator: str) -> dict | None:
    """Each region's observed path of an indicator on the years it is observed, start and end labelled.

    The x-axis is the calendar year, so periods that start in different years are drawn where
    they start (no alignment of different years on one position); years between two
    observations are dotted (nothing interpolated). Left panel: linear scale (vertical
    distance = absolute gap). Right: log scale (vertical distance = ratio, the relative gap).
    The gaps annotated and the pair in the title are the headline pair's
    (:func:`headline_pair`). Regions with one observed year are left out.
    """
    series = [(r, run.points(r, indicator)) for r in run.all_regions]
    series = [(r, p) for r, p in series if len(p) >= 2]
    if not series:
        return None
    unit = series[0][1][0].unit
    lo = min(p.value for _, pts in series for p in pts)
    hi = max(p.value for _, pts in series for p in pts)
    pair = headline_pair(run, indicator)
    starts_ends = (
        {
            lab: section_rows(run, "poverty", f"{indicator}: gap at {lab} of period", pair[0])[0]
            for lab in ("start", "end")
        }
        if pair
        else {}
    )
    gaps = {lab: c for lab, c in starts_ends.items() if c.gap is not None}  # none across measurement systems
    gu = lambda c: " pp" if c.gap_unit == "percentage points" else " " + figures.unit_label(c.gap_unit, short=True)  # noqa: E731
    years = [p.year for _, pts in series for p in pts]
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.9))
    drawn: set[str] = set()
    for ax, log in zip(axes, (False, True), strict=True):
        tr = np.log10 if log else (lambda v: v)
        inv = (lambda v: 10**v) if log else (lambda v: v)
        span = (tr(hi) - tr(lo)) or 1.0
        labels: dict[str, list] = {"start": [], "end": []}
        for i, (r, pts) in enumerate(series):
            p0, p1 = pts[0], pts[-1]
            bench = r == run.benchmark
            color = "0.25" if bench else f"C{i}"
            drawn |= figures.plot_points(
                ax,
                points_frame(pts),
                color,
                label=region_label(r) + (" (benchmark)" if bench else "") + f", {p0.year}-{p1.year}",
                lw=2.2 if bench else 1.6,
            )
            labels["start"].append((p0, color))
            labels["end"].append((p1, color))
        for side, group in labels.items():
            pos = _spread([tr(p.value) for p, _ in group], 0.07 * span)
            for (p, color), y in zip(group, pos, strict=True):
                ax.annotate(
                    f"{p.year}: {fmt_value(p.value, unit)}",
                    (p.year, p.value),
                    xytext=(p.year + (-0.3 if side == "start" else 0.3), inv(y)),
                    ha="right" if side == "start" else "left",
                    va="center",
                    fontsize=7.5,
                    color=color,
                )
        figures.year_axis(ax, range(min(years), max(years) + 1))
        ax.set_xlim(min(years) - 2.6, max(years) + 2.6)
        ax.tick_params(axis="x", labelsize=7, rotation=45)
        if log:
            figures.plain_log_axis(ax)
            ax.set_ylim(lo / 1.6, hi * 1.5)
        else:
            ax.set_ylim(0, hi * 1.15)
        ax.set_ylabel(
            f"{indicator_label(indicator)}, {figures.unit_label(unit)}" + (" (log scale)" if log else ""), fontsize=8
        )
        if pair and not gaps:  # the pair's rows exist but measure poverty in two systems: no gap is drawn
            ax.set_title("linear scale" if not log else "log scale (equal slopes = equal log changes)", fontsize=9)
            ax.set_xlabel(
                f"{region_label(pair[0])} vs {region_label(pair[1])}: different measurement systems,\n"
                "so no gap or ratio between them is shown",
                fontsize=7.5,
            )
        else:
            ax.set_title(
                "vertical distance = absolute gap" if not log else "vertical distance = relative gap (log)", fontsize=9
            )
        if gaps and pair:
            ax.set_xlabel(
                f"{region_label(pair[0])} vs {region_label(pair[1])}\n"
                + "\n".join(
                    f"{lab} ({c.year_or_period}): "
                    + (f"gap {c.gap:+.2f}{gu(c)}" if not log else f"ratio {c.ratio:.2f}")
                    for lab, c in gaps.items()
                ),
                fontsize=7.5,
            )
    axes[1].legend(fontsize=7, loc="lower left")
    fig.suptitle(
        f"{indicator_label(indicator).capitalize()} by observed year"
        + (f" ({region_label(pair[0])} vs {region_label(pair[1])})" if pair else ""),
        fontweight="bold",
    )
    starts = sorted({pts[0].year for _, pts in series})
    periods = (
        f"Periods start in different years ({', '.join(map(str, starts))}), drawn at their own years."
        if len(starts) > 1
        else ""
    )
    note = figures.encoding_note(
        drawn, prices="", extra=" ".join(t for t in (periods, external_note(run, "poverty")) if t)
    )
    saved = figures.save(fig, f"{run.name}_slope_{indicator}", note, run.out.figures)
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


def fig_ratio(run: ComparisonRun) -> dict | None:
    """Ratio of incomes and standards to the national poverty line at matched years, with a 1.0 line."""
    rows = [
        c for c in run.rows.get("assistance", []) if c.status == "matched" and c.benchmark == " ".join(run.poverty_line)
    ]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(8.0, 4.6))
    groups: dict[tuple[str, str], list[Comparison]] = {}
    for c in rows:
        groups.setdefault((c.region, c.metric.split(" / ")[0]), []).append(c)
    drawn: set[str] = set()
    for i, ((r, ind), cs) in enumerate(groups.items()):
        yrs = [int(c.year_or_period) for c in cs]
        vals = [known(c.ratio, c.metric) for c in cs]
        color = f"C{i}"
        drawn |= figures.plot_points(
            ax,
            pd.DataFrame({"year": yrs, "value": vals, "kind": "derived"}),
            color,
            label=f"{region_label(r)} {indicator_label(ind)} / poverty line",
        )
        ax.text(yrs[-1] + 0.15, vals[-1], f"{vals[-1]:.2f}", fontsize=7.5, color=color, va="center")
    ax.axhline(1.0, color="0.15", lw=1.2, ls="--", label="= poverty line (ratio 1.0)")
    line_years = [p.year for p in run.points(*run.poverty_line)]
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
        figures.encoding_note(
            drawn,
            extra="Ratios computed from the two values; poverty line: external values. "
            + external_note(run, "assistance"),
        ),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def standard_ratios(run: ComparisonRun) -> list[tuple[str, str]]:
    """The ratios of the standards figure: (table metric, label), from the run's assistance roles."""
    metrics = [
        (run.higher_standard, run.standard),
        (f"{run.monthly_payment} x12", run.standard),
        (run.standard, run.income),
        (run.standard, run.poverty_line[1]),
    ]
    return [(f"{a} / {b}", f"{indicator_label(a)} / {indicator_label(b)}") for a, b in metrics]


def fig_standards(run: ComparisonRun) -> dict | None:
    """Grouped bars of the standards ratios by year, with the ones the data cannot give marked."""
    rows = run.rows.get("assistance", [])
    metrics = [(m, lab) for m, lab in standard_ratios(run) if any(c.metric == m for c in rows)]
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
        figures.encoding_note(
            (),
            extra="Hatched: a side of the ratio is not observed that year (no interpolation). "
            + external_note(run, "assistance"),
        ),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_counties(run: ComparisonRun) -> dict | None:
    """Bars of the share of poverty counties exited, with counts; regions without a total labelled."""
    rows = run.rows.get("counties", [])
    items = [c for c in rows if c.metric == " / ".join(run.counties)]
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
    note = figures.encoding_note(
        (),
        prices="",
        extra=(f"Years differ ({', '.join(years)}): not a ranking. " if len(years) > 1 else "")
        + external_note(run, "counties"),
    )
    saved = figures.save(fig, f"{run.name}_counties", note, run.out.figures)
    plt.close(fig)
    return saved


def fig_national(run: ComparisonRun) -> dict | None:
    """Against China: rural income relative to China by year, and poverty incidence in every observed year.

    Both panels join only consecutive observed years with a solid line; years between two
    observations are dotted (nothing interpolated), and China's incidence is not joined
    across the change of its measurement basis (:data:`analysis.reports.comparison_national.NATIONAL_OFF_SURVEY_YEAR`: the
    poverty office's count of 2011 is drawn apart, never joined to the survey years).
    """
    rows = run.rows.get(nat.SECTION, [])
    incidence = run.national_indicators[0]
    ratios = [c for c in rows if c.metric == nat.RATIO_METRIC and c.status == "matched"]
    gaps = [
        c
        for c in rows
        if c.metric == f"{incidence} vs China: gap at common year"
        and c.status in ("matched", "different measurement systems")
    ]
    if not ratios and not gaps:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 4.4))
    drawn: set[str] = set()
    for i, r in enumerate(dict.fromkeys(c.region for c in ratios)):
        cs = [c for c in ratios if c.region == r]
        yrs, vals = [int(c.year_or_period) for c in cs], [float(known(c.ratio, c.metric)) for c in cs]
        drawn |= figures.plot_points(
            ax1, pd.DataFrame({"year": yrs, "value": vals, "kind": "derived"}), f"C{i}", label=region_label(r)
        )
        ax1.text(yrs[-1] + 0.15, vals[-1], f"{vals[-1]:.2f}", fontsize=7.5, color=f"C{i}", va="center")
    ax1.axhline(1.0, color="0.15", lw=1.1, ls="--", label="= China (ratio 1.0)")
    ax1.set_ylim(0, 1.15)
    ax1.set_ylabel("rural disposable income / China's (same year)", fontsize=9)
    ax1.set_title("Rural income relative to China (nominal; a ratio needs no deflator)", fontsize=9.5)
    ax1.legend(fontsize=7, loc="lower right")
    yrs_all = [int(c.year_or_period) for c in ratios] or [2014, 2019]
    figures.year_axis(ax1, range(min(yrs_all), max(yrs_all) + 1))
    shown: list[float] = []
    years: list[int] = []
    for i, r in enumerate(dict.fromkeys(c.region for c in gaps)):
        df = points_frame(run.points(r, incidence))
        drawn |= figures.plot_points(
            ax2, df, f"C{i}", label=f"{region_label(r)} (regional, registered-poor or unstated basis)"
        )
        shown += [*df["value"]]
        years += [*df["year"]]
    china = points_frame(run.points(run.national, incidence)) if gaps else pd.DataFrame()
    if not china.empty:
        off = nat.NATIONAL_OFF_SURVEY_YEAR  # the poverty office's count; every other year is the NBS survey
        survey, count = china[china["year"] != off], china[china["year"] == off]
        if not survey.empty:
            drawn |= figures.plot_points(ax2, survey, "0.2", label="China (NBS survey)")
        if not count.empty:
            drawn |= figures.plot_points(ax2, count, "0.55", label=f"China {off}: poverty office count (not joined)")
        shown += [*china["value"]]
        years += [*china["year"]]
    if shown:
        figures.plain_log_axis(ax2, values=shown)
        figures.year_axis(ax2, range(min(years), max(years) + 1))
        ax2.tick_params(axis="x", labelsize=7, rotation=45)
    ax2.set_ylabel(f"{indicator_label(incidence)}, % (log scale)", fontsize=9)
    ax2.set_title("Poverty incidence: two measurement systems", fontsize=9.5)
    ax2.legend(fontsize=7, loc="lower left")
    saved = figures.save(
        fig,
        f"{run.name}_national",
        figures.encoding_note(drawn, prices="", extra="Left: ratios derived from the two incomes."),
        run.out.figures,
    )
    plt.close(fig)
    return saved
