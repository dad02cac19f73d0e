"""Display tables and generated prose of the comparison report (every number from the run)."""

from __future__ import annotations

import pandas as pd

from analysis.reports import comparison_national as nat
from analysis.reports import comparison_table as table_
from analysis.reports import figures
from analysis.reports import poverty_bases as pb
from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table
from analysis.reports.comparison_base import SECTIONS, ComparisonRun, indicator_label, region_label
from analysis.reports.comparison_data import load_overlaps
from analysis.reports.comparison_table import ROW_BOILERPLATE, strip_boilerplate


def display_rows(run: ComparisonRun, section: str) -> pd.DataFrame:
    """The rows of one section of the run's table, formatted for reading (the CSV keeps full precision)."""
    return table_.display_rows(run.table, section)


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


def fmt_value(p: float, unit: str) -> str:
    """A value with an ASCII unit, for figure text (``8.2%``, ``2800 yuan/yr``)."""
    return f"{p:g}{'' if unit == '%' else ' '}{figures.unit_label(unit, short=True)}"


REAL_TERMS = (
    "**Real comparisons.** Incomes, output and standards are in current prices. Only the national section "
    "puts a real CAGR difference beside the nominal one (both sides deflated by the national rural CPI where it "
    "covers the window, else the national CPI; a proxy for the regions, and each row names its index); ratios at one "
    "year need no deflator, and a nominal CAGR is never set against an official real growth rate."
)


def observed(run: ComparisonRun, region: str, indicator: str) -> str:
    """``in 2015 (8.2%, document) and 2019 (0.36%, external)``: a series' observed years with the run's kinds."""
    pts = run.points(region, indicator)
    if not pts:
        return "in no year"
    return "in " + " and ".join(f"{p.year} ({p.value:g}{'' if p.unit == '%' else ' '}{p.unit}, {p.kind})" for p in pts)


def common_period(run: ComparisonRun, region: str, indicator: str) -> str:
    """Whether ``region`` and the benchmark share years of ``indicator`` (so that the gap's change is measured)."""
    x = [p.year for p in run.points(region, indicator)]
    w = [p.year for p in run.points(run.benchmark, indicator)]
    common = sorted(set(x) & set(w))

    def span(ys: list[int]) -> str:
        return f"{min(ys)}-{max(ys)}" if ys else "no year"

    if len(common) >= 2:
        same = f"the same-year gaps of {', '.join(map(str, common))} measure the gap's change from {common[0]}"
    elif common:
        same = f"only the {common[0]} gap is a same-year gap, so the gap's change is not measured"
    else:
        same = "there is no same-year gap"
    r, b = region_label(region), region_label(run.benchmark)
    return (
        f"**A common {indicator_label(indicator)} period for {r} and {b}.** {r}'s {indicator_label(indicator)} is observed "
        f"{len(x)} times in {span(x)}, {b}'s {len(w)} times in {span(w)}; without interpolation {same}."
    )


def line_in_end_year(run: ComparisonRun) -> str:
    """Whether the standard can be set against the poverty line in ``period_end`` (nothing interpolated)."""
    end = run.period_end
    head = f"**Whether the {end} {indicator_label(run.standard)} met the {indicator_label(run.poverty_line[1])}.** "
    pts = run.points(*run.poverty_line)
    if not pts:
        return head + "The line is not in this run's data; nothing is interpolated."
    within = [p.year for p in pts if p.year <= end]
    parts = [figures.year_ranges(within)] if within else []
    for p in pts:
        if p.year > end:
            about = "about " if p.qualifier == "about" else ""
            parts.append(f"{about}{p.value:g} {p.unit.split('/')[0]} for {p.year} ({p.kind})")
    held = "The line is in the data for " + " and ".join(parts)
    if end in within:
        return head + held + f": the {end} comparison is in the table."
    return head + held + f"; there is no {end} line and nothing is interpolated."


def limits(run: ComparisonRun) -> list[str]:
    """What the data cannot support in this run, each computed from the run's data (Markdown sentences).

    Real terms (always); for the first compared region, whether it shares years of the first
    poverty indicator with the benchmark; a region observed once (no trend) or not at all on
    the poverty indicators; overlapping areas (``region_overlaps.csv``); the standard against
    the line in ``period_end``; what the payment per recipient is.
    """
    out = [REAL_TERMS]
    first = run.indicators[0]
    subject = next((r for r in run.compared if run.points(r, first)), None)
    if subject is not None and run.points(run.benchmark, first):
        out.append(common_period(run, subject, first))
    labels = " or ".join(indicator_label(i) for i in run.indicators)
    for r in run.all_regions:
        have = {i: run.points(r, i) for i in run.indicators}
        if not any(have.values()):
            counties = any(run.points(r, c) for c in run.counties)
            out.append(f"**{region_label(r)} has no {labels} in the data**" + (", only counties." if counties else "."))
            continue
        if r == subject or r not in run.compared:
            continue
        for i, pts in have.items():
            if pts:
                out.append(
                    f"**{region_label(r)}'s {indicator_label(i)}** is observed {observed(run, r, i)}"
                    + (": a single year, so no trend." if len(pts) == 1 else ".")
                )
    overlaps = load_overlaps()
    inside = overlaps[overlaps["part"].isin(run.all_regions) & overlaps["whole"].isin(run.all_regions)]
    for part, wholes in inside.groupby("part", sort=False)["whole"]:
        out.append(
            f"**Independent areas.** {region_label(str(part))} lies inside "
            f"{', '.join(region_label(w) for w in wholes)} (data/raw/region_overlaps.csv): where one of them is the "
            "benchmark, region and benchmark overlap and the gap understates the difference to the rest of the "
            "benchmark area."
        )
    if any(run.points(r, run.standard) for r in run.all_regions):
        out.append(line_in_end_year(run))
    if any(run.points(r, run.monthly_payment) for r in run.all_regions):
        out.append(
            "**Adequacy of assistance.** Assistance per recipient divided by the standard is the average "
            "top-up, not the share of need met; recipients' own incomes are not in the data."
        )
    return out


def cannot_support(run: ComparisonRun) -> str:
    """Markdown list of the comparisons the data cannot support (fixed items and refused rows)."""
    lines = [f"- {text}" for text in limits(run)]
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


def _names(regions: list[str]) -> str:
    labels = [region_label(r) for r in regions]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def measurement_bases(run: ComparisonRun) -> str:
    """How the poverty figures of the regions the poverty section compares are measured (``regions.csv``
    ``poverty_measure``), as the caveat says it: the registered ones, then those whose source states no basis.
    Empty when no compared region has a registered or unstated basis (tests/reports/test_caveats.py).
    """
    shown = ("matched", "different years", pb.ACROSS_SYSTEMS)
    regions = dict.fromkeys(
        r for c in run.rows.get("poverty", []) if c.status in shown for r in (c.region, c.benchmark)
    )
    registered = [r for r in regions if pb.poverty_measure(r) == "registered"]
    unstated = [r for r in regions if pb.poverty_measure(r) == "not stated"]
    parts = []
    if registered:
        parts.append(
            f"{_names(registered)}: incidence from the registered-poor system (建档立卡) under exit targets, whose "
            "registers and denominators can differ between sources (see the claims audit)"
        )
    if unstated:
        parts.append(f"the basis of the {_names(unstated)} figure{'s' if len(unstated) > 1 else ''} is not stated")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}. Part of a gap may be a difference of measurement."


def caveat_list(run: ComparisonRun) -> list[Caveat]:
    """The run's caveats, each only where the run's rows use the data it is about (unranked)."""
    out = []
    nat_rows = run.rows.get(nat.SECTION, [])
    pov = [c for c in run.rows.get("poverty", []) if c.status in ("matched", "different years")]
    if run.benchmark == run.national or any(c.metric.startswith("poverty_incidence vs China") for c in nat_rows):
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
    if pov and (bases := measurement_bases(run)):
        out.append(
            Caveat("Registered poverty, and bases not stated.", bases, "sign", ("poverty-xiangxi", "poverty-wuling"))
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
    rows = [c for section in run.rows.values() for c in section]
    external = [c for c in rows if "external" in (c.kinds or "")]
    if run.include_external and external:
        regions = _names(
            list(dict.fromkeys(r for c in external for r in (c.region, c.benchmark) if r in run.all_regions))
        )
        out.append(
            Caveat(
                "External and derived values.",
                f"External (secondary-source) values enter {len(external)} of the {len(rows)} table rows"
                + (f" (comparisons involving {regions})" if regions else "")
                + "; the table's `kinds` and `note` flag them and derived values. Set `include_external = False` "
                "to see what the documents alone support.",
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
