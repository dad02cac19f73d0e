"""Display tables and generated prose of the comparison report (every number from the run)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from analysis.data.load import check_choice
from analysis.metrics.compare import Comparison, known
from analysis.metrics.materiality import GAP_WORDS, MATERIALITY, convergence_verdict, gap_verdict
from analysis.reports import poverty_bases as pb
from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table
from analysis.reports.comparison import (
    INCOME,
    SECTIONS,
    STATIC_LIMITS,
    UNIT_SHORT,
    ComparisonRun,
    indicator_label,
    region_label,
)
from analysis.reports.comparison_sections import growth_changes


def _num(v: float | None, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    v = float(v)
    if unit.startswith("CAGR"):
        return f"{100 * v:.2f}%"
    if unit.startswith("share remaining"):
        return f"{100 * v:.1f}%"
    if unit == "%":
        return f"{v:g}%"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


def display_rows(run: ComparisonRun, section: str) -> pd.DataFrame:
    """The rows of one section, formatted for reading (the CSV keeps full precision)."""
    check_choice("section", section, SECTIONS)
    t = run.table[run.table["section"] == section]
    out = pd.DataFrame(
        {
            "metric": t["metric"],
            "region": t["region"],
            "benchmark": t["benchmark"],
            "year_or_period": t["year_or_period"],
            "value": [_num(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
            "benchmark_value": [_num(v, u) for v, u in zip(t["benchmark_value"], t["benchmark_unit"], strict=True)],
            "ratio": ["" if pd.isna(v) else f"{v:.3f}" for v in t["ratio"]],
            "gap": [
                ""
                if pd.isna(v)
                else (
                    f"{100 * v:+.2f} pp/yr"
                    if u.startswith("CAGR")
                    else f"{v:+,.2f} {u}".replace("percentage points", "pp")
                )
                for v, u in zip(t["gap"], t["gap_unit"], strict=True)
            ],
            "status": t["status"],
            "note": [strip_boilerplate(n) for n in t["note"]],
        }
    )
    return out.reset_index(drop=True)


ROW_BOILERPLATE = (
    (
        "(ANNUAL_PER_CAPITA rule)",
        (
            "Per-capita rural income (元) is taken as an amount per person per year, the unit of the standards and "
            "of the poverty line (元/年): the rule `analysis.metrics.compare.ANNUAL_PER_CAPITA`, noted on each row "
            "it applies to in the CSV table."
        ),
    ),
    (
        "the areas overlap and are not independent",
        (
            "Where a region lies inside its benchmark area (Xiangxi in the Wuling area, Hunan and its 40 key "
            "counties), the two overlap and are not independent: a gap compares a part with a whole that contains it "
            "(noted on each such row in the CSV table)."
        ),
    ),
)
"""Row-note clauses that repeat on every row they apply to, with the sentence that states them once.

The CSV table keeps them on every row; the displayed rows drop them (:func:`strip_boilerplate`)
and the caveat section states each once (:func:`caveats`)."""


def strip_boilerplate(note: str) -> str:
    """A row note without the clauses of :data:`ROW_BOILERPLATE` (stated once in the caveats).

    >>> strip_boilerplate("Wuling area contains Xiangxi: the areas overlap and are not independent; external")
    'external'
    """
    parts = [p for p in str(note).split("; ") if not any(marker in p for marker, _ in ROW_BOILERPLATE)]
    return "; ".join(parts)


def question(run: ComparisonRun) -> str:
    """The run's question, from its regions and benchmark (the notebook's opening sentence for this run)."""
    others = [region_label(r) for r in run.compared]
    subject, rest = (others[0], others[1:]) if others else (region_label(run.benchmark), [])
    with_ = f" (and {', '.join(rest)})" if rest else ""
    return (
        f"**This run's question:** how does {subject}{with_} compare with **{region_label(run.benchmark)}** "
        f"(the benchmark of this run), and how do the social-assistance standards compare with the national "
        f"poverty line, with each other and with rural income? Table: "
        f"`{run.out.show_path(run.out.tables / (run.name + '.csv'))}`."
    )


def section_rows(
    run: ComparisonRun,
    section: str,
    metric: str | None = None,
    region: str | None = None,
    status: Sequence[str] | None = None,
) -> list[Comparison]:
    out = []
    for c in run.rows.get(section, []):
        if metric is not None and c.metric != metric:
            continue
        if region is not None and c.region != region:
            continue
        if status is not None and c.status not in status:
            continue
        out.append(c)
    return out


def _v(p: float, unit: str) -> str:
    return f"{p:g}%" if unit == "%" else f"{p:g} {unit}"


def fmt_value(p: float, unit: str) -> str:
    """A value with an ASCII unit, for figure text."""
    return f"{p:g}{UNIT_SHORT.get(unit, ' ' + unit.encode('ascii', 'replace').decode())}"


def narrate_poverty(run: ComparisonRun) -> str:
    """Computed sentences on each indicator: start, end, gaps and whether they closed or widened."""
    lines = []
    b = run.benchmark
    for ind in run.indicators:
        bp = run.points(b, ind)
        for r in run.compared:
            rp = run.points(r, ind)
            head = f"- **{region_label(r)} vs {region_label(b)}, {indicator_label(ind)}.** "
            if not rp:
                lines.append(head + f"{region_label(r)} has no {indicator_label(ind)} in the data: nothing to compare.")
                continue
            if len(rp) < 2 or len(bp) < 2:
                matched = section_rows(run, "poverty", f"{ind}: gap at matched year", r)
                if matched:
                    c = matched[0]
                    lines.append(
                        head + f"The only year observed for both is {c.year_or_period}: "
                        f"{_v(known(c.value), c.unit)} vs {_v(known(c.benchmark_value), c.benchmark_unit)}, gap "
                        f"{known(c.gap):+.2f} {c.gap_unit}, ratio {known(c.ratio):.2f}."
                    )
                else:
                    lines.append(
                        head + f"{region_label(r)} is observed only in {', '.join(str(p.year) for p in rp)} "
                        f"({', '.join(_v(p.value, p.unit) for p in rp)}), {region_label(b)} in "
                        f"{', '.join(str(p.year) for p in bp)}: no year in common and no start-end "
                        "change, so no gap is computed."
                    )
                continue
            s = section_rows(run, "poverty", f"{ind}: gap at start of period", r)[0]
            e = section_rows(run, "poverty", f"{ind}: gap at end of period", r)[0]
            ch = next(c for c in run.rows["poverty"] if c.metric == f"{ind}: change over period" and c.region == r)
            if s.status == pb.ACROSS_SYSTEMS:
                lines.append(head + _across_sentence(r, b, s, e, ch))
                continue
            gu = "pp" if s.gap_unit == "percentage points" else s.gap_unit
            sy = (
                ", different years: the documents' periods start in different years"
                if s.status == "different years"
                else ", same year"
            )
            ey = ", same year" if e.status == "matched" else ", different years"
            s_gap, s_ratio = known(s.gap, f"{s.metric} gap"), known(s.ratio, f"{s.metric} ratio")
            e_gap, e_ratio = known(e.gap, f"{e.metric} gap"), known(e.ratio, f"{e.metric} ratio")
            txt = (
                f"Start: {_v(known(s.value), s.unit)} vs {_v(known(s.benchmark_value), s.benchmark_unit)} "
                f"({s.year_or_period}{sy}), gap {s_gap:+.2f} {gu}, ratio {s_ratio:.2f}. "
                f"End: {_v(known(e.value), e.unit)} vs {_v(known(e.benchmark_value), e.benchmark_unit)} "
                f"({e.year_or_period}{ey}), gap {e_gap:+.2f} {gu}, ratio {e_ratio:.2f}. "
            )
            rel0, rel1 = abs(math.log(s_ratio)), abs(math.log(e_ratio))
            if rp[0].base_unit == "fraction":
                txt += (
                    f"The absolute gap {'narrowed' if abs(e_gap) < abs(s_gap) else 'widened'} from "
                    f"{abs(s_gap):.2f} to {abs(e_gap):.2f} {gu}, while the relative gap (|ln ratio|) "
                    f"{'widened' if rel1 > rel0 else 'narrowed'} from {rel0:.2f} to {rel1:.2f}"
                )
                if (s_ratio - 1) * (e_ratio - 1) < 0:
                    txt += (
                        f": {region_label(r)} went from {100 * abs(s_ratio - 1):.0f}% "
                        f"{'above' if s_ratio > 1 else 'below'} the benchmark to {100 * abs(e_ratio - 1):.0f}% "
                        f"{'above' if e_ratio > 1 else 'below'} it"
                    )
                txt += ". "
            else:
                txt += (
                    f"The areas differ in size, so the absolute gap measures size; as a ratio, {region_label(r)} had "
                    f"{100 * s_ratio:.1f}% of the benchmark's level at the start and {100 * e_ratio:.1f}% at the "
                    "end. "
                )
            if ch.status == "different periods":
                txt += (
                    f"Changes are over different periods ({ch.year_or_period}) and are not differenced: "
                    f"{_change_sentence(ch)}."
                )
            else:
                txt += f"Over the common period {ch.year_or_period}: {_change_sentence(ch)}."
            lines.append(head + txt)
    return "\n".join(lines)


def _across_sentence(r: str, b: str, s: Comparison, e: Comparison, ch: Comparison) -> str:
    """Two measurement systems: the levels side by side and each side's own log change; no gap or ratio."""
    return (
        f"Different measurement systems ({region_label(r)}: {pb.population_basis(r)}; {region_label(b)}: "
        f"{pb.population_basis(b)}), so no level gap or ratio is computed. Start: {_v(known(s.value), s.unit)} "
        f"({s.year_or_period.split(' vs ')[0]}) and {_v(known(s.benchmark_value), s.benchmark_unit)} "
        f"({s.year_or_period.split(' vs ')[-1]}); end: {_v(known(e.value), e.unit)} and "
        f"{_v(known(e.benchmark_value), e.benchmark_unit)} ({e.year_or_period}). Within each system: "
        f"log change {known(ch.value):+.2f} for {region_label(r)} and {known(ch.benchmark_value):+.2f} for "
        f"{region_label(b)} ({ch.year_or_period}), side by side, not differenced."
    )


def _change_sentence(ch: Comparison) -> str:
    """The per-region change clauses of a change row's note (written by :func:`_change_note`)."""
    parts = [
        p for p in ch.note.split("; ") if (" over " in p and " years" in p) or "remaining after" in p or " after " in p
    ]
    return "; ".join(parts) or ch.note


def narrate_growth(run: ComparisonRun) -> str:
    """One line per income/output series: CAGR with its period; whether periods differ."""
    changes = growth_changes(run)
    if not changes:
        return "- No income or output series with two observed years for the selected regions."
    lines = []
    for c in changes:
        kinds = sorted({c.start.kind, c.end.kind} - {"document"})
        lines.append(
            f"- **{region_label(c.start.region)} {indicator_label(c.start.indicator)}** {c.period}: {c.start.value:g} to "
            f"{c.end.value:g} {c.start.unit}, CAGR {100 * known(c.cagr, 'CAGR'):.2f}% a year (nominal)"
            + (f"; uses {' and '.join(kinds)} values" if kinds else "")
            + (f"; {v}" if (v := run.single_vintage_note(c.start.region, c.start.indicator)) else "")
            + "."
        )
    periods = {c.period for c in changes if c.start.indicator == INCOME}
    if len(periods) > 1:
        lines.append(
            f"- The rural-income periods differ ({', '.join(sorted(periods))}): the CAGRs are shown side "
            "by side, not differenced."
        )
    for m in section_rows(run, "growth", status=("matched",)):
        if m.metric.endswith("gap at matched year"):
            lines.append(
                f"- **{region_label(m.region)} vs {region_label(m.benchmark)}, {indicator_label(m.metric.split(':')[0])}, "
                f"{m.year_or_period}:** {known(m.value):g} vs {known(m.benchmark_value):g} {m.unit}, "
                f"ratio {known(m.ratio):.3f} (gap {known(m.gap):+,.0f} {m.gap_unit}); {m.note}."
            )
    return "\n".join(lines)


def narrate_assistance(run: ComparisonRun) -> str:
    """Computed sentences on the standards (only the comparisons the data support)."""
    rows = run.rows.get("assistance", [])
    if not rows:
        return "- None of the selected regions has social-assistance standards in the data."
    lines = []
    for c in rows:
        if c.status == "matched" and not c.metric.endswith(": change"):
            a, b = c.metric.split(" / ")
            lines.append(
                f"- {region_label(c.region)} {c.year_or_period}: {indicator_label(a)} / {indicator_label(b)} = {c.value:g} / "
                f"{c.benchmark_value:g} = **{c.ratio:.3f}**."
            )
        elif c.metric.endswith(": change"):
            lines.append(
                f"- {region_label(c.region)} {indicator_label(c.metric.split(':')[0])} {c.year_or_period}: {c.benchmark_value:g} "
                f"to {c.value:g} {c.unit}, {c.note.split(';')[0]}."
            )
        else:
            lines.append(f"- Not computed ({c.metric}, {c.year_or_period}): {c.note}.")
    return "\n".join(lines)


def narrate_counties(run: ComparisonRun) -> str:
    """Computed sentences on counties exited."""
    rows = run.rows.get("counties", [])
    if not rows:
        return "- No county counts for the selected regions."
    lines = []
    for c in rows:
        if c.status == "matched" and c.metric.startswith("poverty_counties_exited"):
            lines.append(
                f"- {region_label(c.region)} ({c.year_or_period}): {c.value:g} of {c.benchmark_value:g} poverty "
                f"counties exited, **{100 * known(c.ratio):.1f}%**."
            )
        elif c.status == "matched":
            lines.append(
                f"- {region_label(c.region)} vs {region_label(c.benchmark)} ({c.year_or_period}, {c.metric}): "
                f"{c.value:g} / {c.benchmark_value:g} = {c.ratio:.4f}."
            )
        else:
            lines.append(f"- Not computed ({c.metric}, {region_label(c.region)}, {c.year_or_period}): {c.note}.")
    return "\n".join(lines)


def cannot_support(run: ComparisonRun) -> str:
    """Markdown list of the comparisons the data cannot support (fixed items and refused rows)."""
    lines = [
        f"- {text(run) if callable(text) else text}"
        for need, text in STATIC_LIMITS
        if set(need) <= set(run.all_regions)
    ]
    seen = set()
    absent: list[str] = []
    periods: list[str] = []
    for s in SECTIONS:
        for c in run.rows.get(s, []):
            if c.status in ("refused", "not observed", "different periods"):
                key = (c.metric, c.region, c.year_or_period)
                if key in seen:
                    continue
                seen.add(key)
                where = f"{region_label(c.region)}{', ' + c.year_or_period if c.year_or_period else ''}"
                if c.status == "different periods":
                    periods.append(
                        f"{c.metric} ({region_label(c.region)} vs {region_label(c.benchmark)}, {c.year_or_period})"
                    )
                elif c.status == "not observed":
                    absent.append(f"{c.metric} ({where})")
                else:
                    lines.append(
                        f"- *{c.metric}* ({where}; refused): {strip_boilerplate(c.note.removeprefix('refused: '))}."
                    )
    # Absences and side-by-side periods are grouped into one line each: they say what is not in
    # the data, not what changes a reading (review, section 4).
    if periods:
        lines.append(
            f"- **Different periods, shown side by side and not differenced ({len(periods)}):** {'; '.join(periods)}."
        )
    if absent:
        lines.append(f"- **Not in the data, so not compared ({len(absent)}):** {'; '.join(absent)}.")
    return "\n".join(lines)


def caveat_list(run: ComparisonRun) -> list[Caveat]:
    """The run's caveats, each only where the run's rows use the data it is about (unranked)."""
    from analysis.reports import comparison_national as nat

    out = []
    nat_rows = run.rows.get(nat.SECTION, [])
    pov = [c for c in run.rows.get("poverty", []) if c.status in ("matched", "different years")]
    if run.benchmark == nat.NATIONAL or any(c.metric.startswith("poverty_incidence vs China") for c in nat_rows):
        out.append(
            Caveat(
                "Two measurement systems against China.",
                "National poverty is measured by the NBS survey (from 2013; earlier a count), the regions' by "
                "registration or on a basis the source does not state: a gap in levels mixes the two systems, so "
                "compare changes, not levels alone.",
                "sign",
                ("poverty-xiangxi", "poverty-wuling"),
            )
        )
    if pov:
        out.append(
            Caveat(
                "Registered poverty, and bases not stated.",
                "Xiangxi's incidence comes from the registered-poor system (建档立卡) under exit targets, with "
                "registers and denominators that differ between sources (see the claims audit); the basis of the "
                "Wuling area figure is not stated. Part of a gap may be a difference of measurement.",
                "sign",
                ("poverty-xiangxi", "poverty-wuling"),
            )
        )
    if any(c.metric.startswith("rural income convergence") for c in nat_rows):
        out.append(
            Caveat(
                "Nominal and real.",
                "Values are in current prices; ratios at one year are free of inflation, growth rates and changes "
                "are not. The real CAGR difference against China deflates both sides by a national CPI, a proxy for "
                "a region.",
                "magnitude",
                ("china-convergence",),
            )
        )
    if any(c.status == "different years" for c in pov):
        out.append(
            Caveat(
                "Different start years.",
                "Start-of-period gaps of regions whose documents start in different years compare different years "
                "(labelled); changes over different periods are never differenced.",
                "magnitude",
                ("poverty-wuling",),
            )
        )
    if run.rows.get("assistance"):
        out.append(
            Caveat(
                "Standards against the line.",
                "The national poverty line in current prices is external and not observed in every year of the "
                "standards: a standard is set against it only in years where both are observed.",
                "scope",
                ("dibao-line",),
            )
        )
    if run.include_external:
        out.append(
            Caveat(
                "External and derived values.",
                "National figures, the poverty line, most Xiangxi incomes and some incidence values are external "
                "(secondary sources); the table's `note` flags them and derived values. Set "
                "`include_external = False` to see what the documents alone support.",
                "scope",
            )
        )
    return out


def caveats(run: ComparisonRun) -> str:
    """The caveat section's Markdown: ranked, only those whose data the run uses, row boilerplate once."""
    used = {marker for marker, _ in ROW_BOILERPLATE if any(marker in str(n) for n in run.table.get("note", []))}
    once = [
        (
            "A gap or ratio is computed only between values of the same year and in compatible units; monthly amounts "
            "are annualised only explicitly."
        ),
        *(text for marker, text in ROW_BOILERPLATE if marker in used),
    ]
    found = caveat_list(run)
    run.out.table(caveat_table(found), f"{run.name}_caveats")  # the index shows them beside the findings
    return render(found, once)


def narrate_national(run: ComparisonRun) -> str:
    """Markdown bullets (section ``national``): income relative to China and convergence, then poverty over common years."""
    from analysis.reports import comparison_national as nat

    rows = run.rows.get(nat.SECTION, [])
    if not rows:
        return "China has no rural income or poverty series with this run's kinds: no national comparison."
    lines = []
    for r in nat.regions(run):
        ratios = [c for c in rows if c.region == r and c.metric == nat.RATIO_METRIC and c.status == "matched"]
        if ratios:
            path = ", ".join(f"{c.ratio:.3f} ({c.year_or_period})" for c in ratios)
            text = f"- **{r} rural income relative to China:** {path}."
            conv = [c for c in rows if c.region == r and c.metric == nat.CONVERGENCE_METRIC and c.status == "matched"]
            realc = [
                c for c in rows if c.region == r and c.metric == nat.REAL_CONVERGENCE_METRIC and c.status == "matched"
            ]
            if conv:
                c = conv[0]
                r0 = float(ratios[0].ratio or 1.0)
                r1 = float(next(x for x in ratios if x.year_or_period == c.year_or_period[-4:]).ratio or 1.0)
                cv, cb, cg = float(c.value or 0), float(c.benchmark_value or 0), float(c.gap or 0)
                g0 = next(x for x in ratios if x.year_or_period == c.year_or_period[:4]).gap
                g1 = next(x for x in ratios if x.year_or_period == c.year_or_period[-4:]).gap
                text += (
                    f" Over {c.year_or_period} its CAGR was {100 * cv:.2f}% against China's "
                    f"{100 * cb:.2f}%: a difference of {100 * cg:+.2f} percentage points a year, "
                    f"the ratio moving from {r0:.3f} to {r1:.3f} (relative: {convergence_verdict(r0, r1)}, "
                    f"materiality threshold {MATERIALITY:g} log points) while the absolute gap to China went from "
                    f"{-float(g0 or 0):.0f} to {-float(g1 or 0):.0f} yuan, nominal "
                    f"({GAP_WORDS[gap_verdict(float(g0 or 0), float(g1 or 0))]})"
                )
                if realc:
                    rc = realc[0]
                    rv, rb, rg = float(rc.value or 0), float(rc.benchmark_value or 0), float(rc.gap or 0)
                    text += (
                        f"; in real terms {100 * rv:.2f}% against {100 * rb:.2f}%, {100 * rg:+.2f} pp a year (the "
                        "nominal difference deflated by the same index on both sides: no further evidence)"
                    )
                text += "."
            lines.append(text)
        for ind in nat.POVERTY:
            ch = [c for c in rows if c.region == r and c.metric == f"{ind} vs China: change over common years"]
            if ch:
                c = ch[0]
                lines.append(f"- **{r} vs China, {ind.replace('_', ' ')}, {c.year_or_period}:** {c.note}.")
    common = [c for c in rows if c.metric == nat.COMMON_WINDOW_METRIC]
    for c in common:
        if c.status != "matched":
            lines.append(f"- **Common window:** {c.note}.")
            continue
        lines.append(
            f"- **{c.region} against China over the common window {c.year_or_period}:** CAGR "
            f"{100 * float(c.value or 0):.2f}% against {100 * float(c.benchmark_value or 0):.2f}% "
            f"({100 * float(c.gap or 0):+.2f} pp a year); {c.note}."
        )
    return "\n".join(lines)
