"""The claims-audit report: parameters, tables, the figure and the computed narrative.

``notebooks/claims_audit.ipynb`` calls these functions; each returns data (a table or
markdown) or saves a figure, so the notebook stays a short narrative. The audit itself
(formulas, tolerances, qualifier rules) is in :mod:`analysis.audit`.

Outputs of a run named ``run_name`` (default ``claims_audit``), under ``output_dir``
(default ``reports/``):

``tables/<run_name>.csv``          the selected claims, audited (every column of
                                   :func:`analysis.audit.audit_claims`); the default run
                                   selects the whole register
``tables/<run_name>_summary.csv``  counts by document and verdict
``figures/<run_name>_stated_vs_recomputed.png/.svg``
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import figures, paths
from analysis.audit import CONSISTENT, INCONSISTENT, MISSING, NOT_CHECKABLE, VERDICTS, audit_claims
from analysis.load import UnknownChoice, check_choice, load_claims, load_observations
from analysis.numbers import decimals_of
from analysis.outputs import Outputs, outputs
from analysis.params import as_list

VERDICT_COLORS = {CONSISTENT: "#1b9e77", INCONSISTENT: "#d62728", NOT_CHECKABLE: "0.55"}
"""Colour of each verdict in the figure."""

QUALIFIER_WORDS = {"exact": "", "more_than": "more than ", "at_least": "at least ", "nearly": "nearly ",
                   "about": "about ", "less_than": "less than "}

SOURCE_NOTE = ("Source: claims register (data/raw/claims.csv) recomputed from the curated observations. Error bars: "
               "horizontal = tolerance of the stated value, vertical = range from the inputs' rounding; vertical "
               "lines without a point = not checkable, range over the unobserved years.")

_STEM = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass
class AuditRun:
    """A validated selection of claims, audited."""

    documents: list[str]
    verdicts: list[str]
    audit: pd.DataFrame
    sources: pd.DataFrame
    out: Outputs
    name: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


def load_sources() -> pd.DataFrame:
    """The source catalog (``data/processed/sources.csv``)."""
    p = paths.PROCESSED / "sources.csv"
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")


def document_choices(sources: pd.DataFrame | None = None) -> list[str]:
    """The valid ``document`` values: every document source id, and ``"all"``."""
    sources = load_sources() if sources is None else sources
    return sorted(s for s in sources["source_id"] if s.startswith("doc")) + ["all"]


def _choices(value: object, name: str, valid: list[str]) -> list[str]:
    values = as_list(value, name)
    if not values:
        raise UnknownChoice(f"parameter {name} is empty; valid choices: {', '.join(valid)}")
    for v in values:
        check_choice(name, v, valid)
    return values


def prepare(document: object = "all", verdict: object = "all", output_dir: object = None,
            run_name: str = "claims_audit") -> AuditRun:
    """Validate the notebook parameters and audit the register.

    Parameters
    ----------
    document : str or list of str
        A document source id (``doc000`` ... ``doc004``), a list of them, or ``"all"``.
    verdict : str or list of str
        ``consistent``, ``inconsistent``, ``not checkable``, a list of them, or ``"all"``.
    output_dir : str or Path, optional
        Where tables and figures go (default the project's ``reports/``).
    run_name : str
        Stem of the output files.

    Raises
    ------
    analysis.load.UnknownChoice
        On an unknown document or verdict, or an unusable run name; the message lists
        the valid choices.
    """
    sources = load_sources()
    docs = _choices(document, "document", document_choices(sources))
    verdicts = _choices(verdict, "verdict", [*VERDICTS, "all"])
    if not isinstance(run_name, str) or not _STEM.match(run_name):
        raise UnknownChoice(f"parameter run_name={run_name!r} must be a file stem (letters, digits, _ . -)")
    docs = document_choices(sources)[:-1] if "all" in docs else sorted(set(docs))
    verdicts = list(VERDICTS) if "all" in verdicts else [v for v in VERDICTS if v in verdicts]
    audit = audit_claims(load_claims(), load_observations())
    return AuditRun(docs, verdicts, audit, sources, outputs(output_dir), run_name)


def selected(run: AuditRun) -> pd.DataFrame:
    """The audited claims of the selected documents and verdicts."""
    a = run.audit
    return a[a["source_id"].isin(run.documents) & a["verdict"].isin(run.verdicts)].reset_index(drop=True)


def selection(run: AuditRun) -> pd.DataFrame:
    """What this run covers: one row per selected document, with its claims in the register."""
    rows = []
    src = run.sources.set_index("source_id")
    for d in run.documents:
        n_all = int((run.audit["source_id"] == d).sum())
        n_sel = int(((run.audit["source_id"] == d) & run.audit["verdict"].isin(run.verdicts)).sum())
        rows.append({"document": d, "issuer": src.loc[d, "issuer_en"], "title": src.loc[d, "title_en"],
                     "date": src.loc[d, "date"], "claims in register": n_all, "selected": n_sel})
    out = pd.DataFrame(rows)
    out.attrs["verdicts"] = ", ".join(run.verdicts)
    return out


def build_table(run: AuditRun) -> pd.DataFrame:
    """Select the claims, write ``tables/<run_name>.csv`` and return the selection."""
    run.table = selected(run)
    run.out.table(run.table, run.name)
    return run.table


def summary(run: AuditRun) -> pd.DataFrame:
    """Counts by document and verdict of the selection (with a total row); also written to CSV."""
    t = selected(run)
    rows = []
    for d in run.documents:
        g = t[t["source_id"] == d]
        rows.append({"document": d, **{v: int((g["verdict"] == v).sum()) for v in run.verdicts}, "total": len(g)})
    out = pd.DataFrame(rows, columns=["document", *run.verdicts, "total"])
    total = {"document": "all", **{v: int(out[v].sum()) for v in run.verdicts}, "total": int(out["total"].sum())}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    run.out.table(out, f"{run.name}_summary")
    return out


def stated_text(r: pd.Series) -> str:
    """The stated value as the document says it: ``more than 9%``, ``2016年``, ``3.3倍``."""
    return f"{QUALIFIER_WORDS.get(r['qualifier'], '')}{r['stated_printed']}{r['unit']}"


def recomputed_text(r: pd.Series) -> str:
    """The recomputed value for reading: point (two more decimals than stated) or range."""
    unit = r["unit"]
    d = decimals_of(str(r["stated_printed"])) + 2
    if r["claim_type"] in ("threshold_crossed_in", "count_thresholds", "min_years_between_thresholds"):
        d = 0
    if pd.notna(r["recomputed"]):
        return f"{r['recomputed']:.{d}f}{unit}"
    lo, hi = r["recomputed_low"], r["recomputed_high"]
    if pd.notna(lo) and pd.notna(hi):
        return f"{lo:.{d}f} to {hi:.{d}f}{unit}"
    if pd.notna(hi):
        return f"{hi:.{d}f}{unit} or earlier"
    return ""


def _tolerance_text(r: pd.Series) -> str:
    v = r["tolerance"]
    if pd.isna(v):
        return ""
    if r["claim_type"] == "threshold_crossed_in":
        return "same year"
    return f"±{v:g}" if v > 0 else "bound"


def display_table(t: pd.DataFrame) -> pd.DataFrame:
    """Audited claims formatted for reading (Chinese quotes and units kept)."""
    if t.empty:
        return pd.DataFrame(columns=["claim", "quote", "type", "stated", "recomputed", "tolerance", "verdict",
                                     "reason"])
    return pd.DataFrame({
        "claim": t["claim_id"], "quote": t["quote"], "type": t["claim_type"],
        "stated": [stated_text(r) for _, r in t.iterrows()],
        "recomputed": [recomputed_text(r) for _, r in t.iterrows()],
        "tolerance": [_tolerance_text(r) for _, r in t.iterrows()],
        "verdict": t["verdict"], "reason": t["reason"],
    }).reset_index(drop=True)


def by_document(run: AuditRun) -> list[tuple[str, pd.DataFrame]]:
    """(markdown heading, formatted table) for each selected document with selected claims."""
    src = run.sources.set_index("source_id")
    out = []
    for d in run.documents:
        g = run.table[run.table["source_id"] == d]
        if g.empty:
            continue
        counts = ", ".join(f"{int((g['verdict'] == v).sum())} {v}" for v in run.verdicts
                           if (g["verdict"] == v).any())
        head = (f"### {d}: {src.loc[d, 'title_en']}\n\n{src.loc[d, 'issuer_en']}, {src.loc[d, 'date']} "
                f"({src.loc[d, 'title']}). {len(g)} claim{'s' if len(g) != 1 else ''}: {counts}.")
        out.append((head, display_table(g)))
    return out


def inconsistencies(run: AuditRun) -> str:
    """Markdown bullets: each inconsistent claim in plain words."""
    t = run.table[run.table["verdict"] == INCONSISTENT]
    if t.empty:
        return "No claim in this selection is inconsistent."
    lines = []
    for _, r in t.iterrows():
        lines.append(f"- **{r['claim_id']}** ({r['claim_type']}) 「{r['quote']}」: stated {stated_text(r)}, "
                     f"recomputed {recomputed_text(r)}. {r['explanation']}")
    return "\n".join(lines)


def not_checkable_table(run: AuditRun) -> pd.DataFrame:
    """The not-checkable claims with what is missing and the register's note."""
    t = run.table[run.table["verdict"] == NOT_CHECKABLE]
    return pd.DataFrame({
        "claim": t["claim_id"], "quote": t["quote"], "type": t["claim_type"],
        "stated": [stated_text(r) for _, r in t.iterrows()],
        "missing": [MISSING.get(m, m) for m in t["missing"]],
        "what the audit found": t["reason"], "register note": t["note"],
    }).reset_index(drop=True)


def narrate(run: AuditRun) -> str:
    """Computed summary sentences (markdown)."""
    t = run.table
    n_reg = len(run.audit)
    if t.empty:
        return (f"No claim of the register ({n_reg} claims) matches this selection "
                f"(documents {', '.join(run.documents)}; verdicts {', '.join(run.verdicts)}).")
    counts = {v: int((t["verdict"] == v).sum()) for v in VERDICTS}
    head = (f"This run audits **{len(t)}** of the {n_reg} claims in the register "
            f"(documents {', '.join(run.documents)}; verdicts {', '.join(run.verdicts)}): "
            + ", ".join(f"**{counts[v]} {v}**" for v in VERDICTS if v in run.verdicts) + ".")
    lines = [head]
    nc = t[t["verdict"] == NOT_CHECKABLE]
    if not nc.empty:
        why = nc["missing"].value_counts()
        order = [m for m in MISSING if m in why.index]
        lines.append("Not checkable, by what is missing: " + "; ".join(
            f"{MISSING[m]} ({int(why[m])}: {', '.join(nc.loc[nc['missing'] == m, 'claim_id'])})" for m in order) + ".")
    ok = t[t["verdict"] == CONSISTENT]
    if not ok.empty:
        narrow = ok[ok["reason"].str.contains("only through the input rounding", regex=False)]
        lines.append(f"Consistent: {', '.join(ok['claim_id'])}." + (
            f" Of these, {', '.join(narrow['claim_id'])} agree only once the inputs' own rounding is allowed for."
            if not narrow.empty else ""))
    bad = t[t["verdict"] == INCONSISTENT]
    if not bad.empty:
        lines.append("Inconsistent: " + "; ".join(f"{r['claim_id']} (stated {stated_text(r)}, recomputed "
                                                  f"{recomputed_text(r)})" for _, r in bad.iterrows()) + ".")
    return "\n\n".join(lines)


def _plottable(t: pd.DataFrame) -> pd.DataFrame:
    """Claims with a recomputed point, a range, or an upper bound (``2013 or earlier``)."""
    return t[t["recomputed"].notna() | t["recomputed_high"].notna()]


def _limits(t: pd.DataFrame, log: bool, years: bool) -> tuple[float, float]:
    vals = pd.concat([t["stated"], t["recomputed"], t["recomputed_low"], t["recomputed_high"]]).dropna()
    vals = vals[np.isfinite(vals)]
    lo, hi = float(vals.min()), float(vals.max())
    if years:
        return lo - 1.5, hi + 1.5
    if log and lo > 0:
        return lo / 1.8, hi * 1.8
    span = max(hi - lo, 1.0)
    return lo - 0.15 * span, hi + 0.15 * span


def _set_scale(ax: plt.Axes, lo: float, hi: float, log: bool) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    if log and lo > 0:
        fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}")
        for axis, setter in ((ax.xaxis, ax.set_xscale), (ax.yaxis, ax.set_yscale)):
            setter("log")
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(fmt)
            axis.set_minor_formatter(NullFormatter())
    elif log:
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("symlog", linthresh=1)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)


def _labels(ax: plt.Axes, points: list[tuple[str, float, float]]) -> None:
    """Claim-id labels right of their points, nudged apart vertically (axes coordinates)."""
    to_axes = ax.transData + ax.transAxes.inverted()
    placed: list[tuple[float, float]] = []
    gap = 0.04
    for label, x, y in sorted(points, key=lambda p: (p[2], p[1], p[0])):
        ax_x, ax_y = to_axes.transform((x, y))
        ty = ax_y
        for px, py in placed:
            if abs(px - ax_x) < 0.25 and ty < py + gap:
                ty = py + gap
        placed.append((ax_x, ty))
        moved = abs(ty - ax_y) > 1e-9
        ax.annotate(label, (x, y), xytext=(ax_x + 0.035, ty - 0.012), textcoords="axes fraction", fontsize=7,
                    color="0.15", arrowprops=dict(arrowstyle="-", color="0.6", lw=0.6) if moved else None)


def _panel(ax: plt.Axes, t: pd.DataFrame, log: bool, years: bool) -> None:
    lo, hi = _limits(t, log, years)
    ax.plot([lo, hi], [lo, hi], color="0.4", lw=1, ls="--", zorder=1)
    _set_scale(ax, lo, hi, log and not years)
    points = []
    for _, r in t.sort_values(["stated", "claim_id"]).iterrows():
        color = VERDICT_COLORS[r["verdict"]]
        x = float(r["stated"])
        xerr = float(r["tolerance"]) if pd.notna(r["tolerance"]) else 0.0
        if pd.notna(r["recomputed"]):
            y = float(r["recomputed"])
            ylo = y - float(r["recomputed_low"]) if pd.notna(r["recomputed_low"]) else 0.0
            yhi = float(r["recomputed_high"]) - y if pd.notna(r["recomputed_high"]) else 0.0
            ax.errorbar([x], [y], xerr=[[xerr], [xerr]], yerr=[[max(ylo, 0)], [max(yhi, 0)]], fmt="o", ms=6,
                        color=color, ecolor=color, elinewidth=1.2, capsize=3, zorder=3)
        elif pd.notna(r["recomputed_low"]):
            y0, y1 = float(r["recomputed_low"]), float(r["recomputed_high"])
            ax.plot([x, x], [y0, y1], color=color, lw=2.2, zorder=2, solid_capstyle="butt")
            ax.plot([x, x], [y0, y1], ls="none", marker="_", ms=10, color=color, zorder=2)
            y = math.sqrt(y0 * y1) if log and not years and y0 > 0 else (y0 + y1) / 2
        else:  # only an upper bound: "this year or earlier"
            y = float(r["recomputed_high"])
            ax.plot([x, x], [y, lo], color=color, lw=2.2, zorder=2)
            ax.plot([x], [y], ls="none", marker="_", ms=10, color=color, zorder=2)
            ax.plot([x], [lo + 0.35 if years else y / 1.3], ls="none", marker="v", ms=7, color=color, zorder=2)
        points.append((r["claim_id"], x, y))
    _labels(ax, points)
    ax.set_aspect("equal", adjustable="box")
    ax.tick_params(labelsize=8)


def fig_stated_vs_recomputed(run: AuditRun) -> dict | None:
    """Stated against recomputed values, coloured by verdict, with tolerance error bars.

    Two panels when the selection has threshold-year claims: derived values on a log
    scale (symlog when any value is not positive) and crossing years on a linear one.
    Returns None when no selected claim has a recomputed value or range.
    """
    t = _plottable(run.table)
    if t.empty:
        return None
    is_year = t["claim_type"] == "threshold_crossed_in"
    parts = [(t[~is_year], False), (t[is_year], True)]
    parts = [(p, y) for p, y in parts if not p.empty]
    fig, axes = plt.subplots(1, len(parts), figsize=(5.2 * len(parts) + 0.6, 5.4), squeeze=False)
    for ax, (p, years) in zip(axes.flat, parts):
        _panel(ax, p, log=True, years=years)
        if years:
            ax.set_title("Years a threshold was first crossed", fontsize=10)
            ax.set_xlabel("stated year")
            ax.set_ylabel("recomputed year (range: possible years)")
            ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
            ax.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
            ax.xaxis.set_major_formatter(plt.FormatStrFormatter("%d"))
            ax.yaxis.set_major_formatter(plt.FormatStrFormatter("%d"))
        else:
            ax.set_title("Derived values (log scale, in each claim's unit)", fontsize=10)
            ax.set_xlabel("stated value")
            ax.set_ylabel("recomputed value")
    from matplotlib.lines import Line2D
    present = [v for v in VERDICTS if v in set(t["verdict"])]
    handles = [Line2D([], [], ls="none", marker="o", color=VERDICT_COLORS[v], label=v) for v in present]
    handles.append(Line2D([], [], ls="--", color="0.4", label="recomputed = stated"))
    handles.append(Line2D([], [], ls="-", lw=2.2, color=VERDICT_COLORS[NOT_CHECKABLE],
                          label="possible range (unobserved years)"))
    axes[0, 0].legend(handles=handles, loc="upper left", fontsize=8)
    fig.suptitle("Claims audit: stated against recomputed", fontweight="bold")
    saved = figures.save(fig, f"{run.name}_stated_vs_recomputed", SOURCE_NOTE, run.out.figures)
    plt.close(fig)
    return saved


def figure_caption(run: AuditRun) -> str:
    """Caption of the figure, computed from what it shows."""
    t = _plottable(run.table)
    n_none = len(run.table) - len(t)
    return (f"**Figure 1.** Stated against recomputed value for the {len(t)} selected claims that could be "
            f"recomputed at least as a range or bound ({n_none} others have no value to recompute and are not "
            "drawn). Points on the dashed line agree exactly; horizontal bars show the tolerance the stated "
            "rounding implies, vertical bars the range the inputs' own rounding allows; a bare vertical line is a "
            "not-checkable claim whose value depends on unobserved years (a downward arrow: that year or earlier).")
