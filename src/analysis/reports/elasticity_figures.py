"""Figures of the elasticity report."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from analysis.reports import figures
from analysis.reports.elasticity import ElasticityRun, headline
from analysis.reports.elasticity_rows import value_in
from analysis.reports.elasticity_select import short_label

VARIANT_STYLE = {
    "log_arc": ("o", "C0", "log arc"),
    "midpoint": ("s", "C2", "midpoint arc"),
    "window": ("^", "C1", "window formula"),
    "ols": ("D", "C3", "log-log OLS (95% CI)"),
}
"""Marker, colour and legend label of each formula in the variants figure."""


def external_note(run: ElasticityRun) -> str:
    """Which external values the runs' series hold (figures.external_note), for every figure's note."""
    return figures.external_note(s for sel in run.runs for s in (sel.outcome, sel.driver))


MARKER_WORDS = {
    "document": "filled circles: document values",
    "external": "open circles: external (secondary) values",
    "derived": "open diamonds: derived values",
}
"""How each kind's marker (:data:`analysis.reports.figures.KIND_STYLE`) reads in a source note."""


def source_note(kinds: set[str] | None = None, prices: str = "Current prices.") -> str:
    """The source note of a figure, naming only the marker encodings the figure draws.

    Parameters
    ----------
    kinds : set of str, optional
        Kinds whose :data:`analysis.reports.figures.KIND_STYLE` markers the figure draws; None
        or empty when its markers encode something else (their meaning is in the legend).
    prices : str
        The price basis sentence.
    """
    note = "Source: curated from the five policy documents (data/raw) and external sources (data/raw/external)."
    drawn = [MARKER_WORDS[k] for k in ("document", "external", "derived") if kinds and k in kinds]
    if drawn:
        note += " Markers: " + "; ".join(drawn) + "."
    return f"{note} {prices}".strip()


def _unit(u: str) -> str:
    return figures.UNIT_LABELS.get(u, u)


def _marker_kind(*kinds: str) -> str:
    return "derived" if "derived" in kinds else ("external" if "external" in kinds else "document")


def point(ax: plt.Axes, x: float, y: float, kind: str, color: str, square: bool = False) -> None:
    """One marker in the style of its kind (filled: document; open: external; diamond: derived)."""
    st = figures.KIND_STYLE[kind]
    ax.plot(
        [x],
        [y],
        ls="none",
        marker="s" if square else st["marker"],
        markersize=6.5,
        markerfacecolor=color if kind == "document" else "white",
        markeredgecolor=color,
        markeredgewidth=1.4,
        zorder=3,
    )


def fig_paths(run: ElasticityRun) -> dict | None:
    """Log-log path of each outcome against its driver, points labelled by year.

    Only paired years are drawn as path points; where the windows differ, the window
    endpoints are drawn as squares labelled with both years (e.g. "H 2011 / Y 2010").
    """
    sels = run.runs
    if not sels:
        return None
    ncol = min(3, len(sels))
    nrow = math.ceil(len(sels) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.9 * ncol, 3.3 * nrow + 0.9), squeeze=False)
    kinds: set[str] = set()
    for ax, sel in zip(axes.flat, sels, strict=False):  # the grid may have spare panels (hidden below)
        p = sel.pairing
        o = {int(y): r for y, r in zip(sel.outcome["year"], sel.outcome.to_dict("records"), strict=True)}
        d = {int(y): r for y, r in zip(sel.driver["year"], sel.driver.to_dict("records"), strict=True)}
        years = list(p.paired_years)
        xs = [d[y]["value"] for y in years]
        ys = [o[y]["value"] for y in years]
        if len(years) > 1:
            ax.plot(xs, ys, color="C0", lw=1.2, zorder=2)
        for y, xv, yv in zip(years, xs, ys, strict=True):
            k = _marker_kind(o[y]["kind"], d[y]["kind"])
            kinds.add(k)
            point(ax, xv, yv, k, "C0")
            ax.annotate(str(y), (xv, yv), textcoords="offset points", xytext=(5, 4), fontsize=7.5)
        if not p.same_window:
            ends = [(p.outcome_window[0], p.driver_window[0]), (p.outcome_window[1], p.driver_window[1])]
            ex = [d[dy]["value"] for _, dy in ends]
            ey = [o[oy]["value"] for oy, _ in ends]
            for (oy, dy), xv, yv in zip(ends, ex, ey, strict=True):
                if oy == dy:
                    continue
                k = _marker_kind(o[oy]["kind"], d[dy]["kind"])
                point(ax, xv, yv, k, "C1", square=True)
                tags = [f"{w} {r['kind']}" for w, r in (("H", o[oy]), ("Y", d[dy])) if r["kind"] != "document"]
                last = dy == p.driver_window[1]
                ax.annotate(
                    f"H {oy} / Y {dy}" + (f" ({', '.join(tags)})" if tags else ""),
                    (xv, yv),
                    textcoords="offset points",
                    xytext=(-6 if last else 5, -11),
                    fontsize=6.5,
                    color="C1",
                    ha="right" if last else "left",
                )
        allx = xs + ([d[y]["value"] for y in p.driver_window] if not p.same_window else [])
        ally = ys + ([o[y]["value"] for y in p.outcome_window] if not p.same_window else [])
        figures.plain_log_axis(ax, "x", allx)
        figures.plain_log_axis(ax, "y", ally)
        ax.margins(0.25)
        head = headline(run, sel) if not run.table.empty else None
        if head is not None:
            txt = (
                f"log arc elasticity {head['elasticity']:.2f}"
                if head["variant"] == "log_arc"
                else f"ratio of annual log growth {head['elasticity']:.2f}\n(windows differ: no segment drawn)"
            )
            ax.text(
                0.97,
                0.95,
                txt,
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=7.5,
                bbox={"facecolor": "white", "edgecolor": "0.8", "boxstyle": "round,pad=0.2"},
            )
        ax.set_title(sel.label().replace(" vs ", "\nvs "), fontsize=8.5)
        ax.set_xlabel(f"{short_label(sel.spec.driver)}, {_unit(sel.driver_unit)} (log)", fontsize=7.5)
        ax.set_ylabel(f"{short_label(sel.spec.outcome)}, {_unit(sel.outcome_unit)} (log)", fontsize=7.5)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(sels) :]:
        ax.set_visible(False)
    from matplotlib.lines import Line2D

    handles = figures.kind_legend_handles(kinds)
    if any(not s.pairing.same_window for s in sels):
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="s",
                color="C1",
                markerfacecolor="white",
                label="window endpoints in different years (not joined)",
            )
        )
    fig.legend(handles=handles, loc="lower right", fontsize=7.5, ncol=4, bbox_to_anchor=(1, 0.02))
    fig.suptitle("Outcome against driver by year, log-log axes (axes not equal-aspect)", fontweight="bold")
    saved = figures.save(
        fig,
        f"{run.name}_paths",
        source_note(kinds)
        + " Only years observed in both series are joined; nothing is interpolated. Squares (windows differ) "
        "are filled as document values or open as external or derived. " + external_note(run),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_variants(run: ElasticityRun) -> dict | None:
    """Dot plot of the elasticity variants by run, with the literature band shaded for poverty outcomes."""
    t = run.table[run.table["variant"].isin(list(VARIANT_STYLE)) & run.table["elasticity"].notna()]
    if t.empty:
        return None
    groups = [
        ("Poverty outcomes (headcount elasticities)", [s for s in run.runs if s.is_poverty]),
        ("Standards and payments (ratio of growth rates)", [s for s in run.runs if not s.is_poverty]),
    ]
    groups = [(title, g) for title, g in groups if g and not t[t["run"].isin([s.run_id for s in g])].empty]
    heights = [len(g) for _, g in groups]
    fig, axes = plt.subplots(
        len(groups),
        1,
        figsize=(8.5, 0.55 * sum(heights) + 1.6 * len(groups) + 0.6),
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    used: set[str] = set()
    for ax, (title, sels) in zip(axes[:, 0], groups, strict=True):
        sels = sels[::-1]
        for i, sel in enumerate(sels):
            rs = t[t["run"] == sel.run_id]
            offsets = {"log_arc": -0.18, "midpoint": -0.06, "window": 0.06, "ols": 0.18}
            if sel.pairing.same_window:
                rs = rs[rs["variant"] != "window"]
            bm = run.benchmark
            if sel.is_rate and not bm.empty:
                mid = run.gini_values[len(run.gini_values) // 2]
                b = bm[(bm["run"] == sel.run_id) & (bm["gini"] == mid)]
                if not b.empty:
                    used.add("benchmark")
                    bv = float(b["benchmark_arc"].iloc[0])
                    ax.plot([bv], [i + 0.3], "x", color="0.2", ms=6, zorder=3)
                    ax.annotate(
                        f"{bv:.2f}",
                        (bv, i + 0.3),
                        textcoords="offset points",
                        xytext=(5, -3),
                        fontsize=6.5,
                        color="0.2",
                    )
            for _, r in rs.iterrows():
                mk, color, _ = VARIANT_STYLE[r["variant"]]
                used.add(r["variant"])
                yy = i + offsets[r["variant"]]
                if r["variant"] == "ols":
                    ax.errorbar(
                        [r["elasticity"]],
                        [yy],
                        xerr=[[r["elasticity"] - r["ci_low"]], [r["ci_high"] - r["elasticity"]]],
                        fmt=mk,
                        color=color,
                        ms=5,
                        capsize=2,
                        zorder=3,
                    )
                else:
                    ax.plot([r["elasticity"]], [yy], mk, color=color, ms=6, zorder=3)
                ax.annotate(
                    f"{r['elasticity']:.2f}",
                    (r["elasticity"], yy),
                    textcoords="offset points",
                    xytext=(5, -3),
                    fontsize=6.5,
                    color=color,
                )
        ax.set_yticks(range(len(sels)), [f"{s.label()}\n{s.windows_label()}" for s in sels], fontsize=7)
        ax.set_ylim(-0.6, len(sels) - 0.4)
        ax.axvline(0, color="0.4", lw=0.8)
        if "Standards" in title:
            ax.axvline(1, color="0.4", lw=0.8, ls="--")
            ax.text(1, len(sels) - 0.45, " 1 = grows as fast as the driver", fontsize=7, color="0.3", va="top")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(
            "ratio of log changes (windows differ: of average annual log changes, not an elasticity)", fontsize=8
        )
        ax.tick_params(axis="x", labelsize=8)
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D

    handles: list[Artist] = [
        Line2D([], [], ls="none", marker=VARIANT_STYLE[v][0], color=VARIANT_STYLE[v][1], label=VARIANT_STYLE[v][2])
        for v in VARIANT_STYLE
        if v in used
    ]
    if "benchmark" in used:
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="x",
                color="0.2",
                label=f"lognormal distribution-neutral arc, Gini {run.gini_values[len(run.gini_values) // 2]:.2f}",
            )
        )
    fig.legend(handles=handles, loc="lower right", fontsize=7.5, ncol=3, bbox_to_anchor=(1, 0.035))
    fig.suptitle("Elasticity variants by run", fontweight="bold")
    saved = figures.save(
        fig,
        f"{run.name}_variants",
        source_note()
        + " Markers: the formula (legend). No literature band is drawn: the bands are survey headcounts against "
        "real drivers, these are registered-poor measures against nominal drivers. The lognormal cross is a real "
        "mean-income benchmark, set here beside nominal estimates for the incidence range only. " + external_note(run),
        run.out.figures,
    )
    plt.close(fig)
    return saved


def fig_semi(run: ElasticityRun) -> dict | None:
    """Horizontal bars of the semi-elasticity (pp per 1% growth) of incidence runs."""
    t = run.table[(run.table["variant"] == "semi") & run.table["elasticity"].notna()].iloc[::-1]
    if t.empty:
        return None
    labels = {
        s.run_id: f"{s.label().replace(' vs ', chr(10) + 'vs ')}\n{s.windows_label()}, starting at "
        f"{float(value_in(s.outcome, s.pairing.outcome_window[0])['value']):g}%"
        for s in run.runs
        if s.is_rate
    }
    fig, ax = plt.subplots(figsize=(8.5, 0.8 * len(t) + 1.9))
    vals = t["elasticity"].astype(float).to_numpy()
    colors = ["C1" if "window" in m else "C0" for m in t["method"]]
    ax.barh(range(len(t)), vals, color=colors, height=0.55)
    for i, v in enumerate(vals):
        ax.text(v - 0.01, i, f"{v:.3f}", va="center", ha="right", fontsize=8)
    ax.set_yticks(range(len(t)), [labels[r] for r in t["run"]], fontsize=7.5)
    ax.set_xlim(min(vals.min() * 1.3, -0.1), 0)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("percentage points of incidence per 1% growth of the driver", fontsize=9)
    ax.set_title("Semi-elasticity of poverty incidence\n(bounded by the starting level: rows are not comparable)")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[Patch(color="C0", label="same window"), Patch(color="C1", label="different windows (annualised)")],
        loc="upper left",
        bbox_to_anchor=(0, -0.22),
        ncol=2,
        fontsize=8,
    )
    saved = figures.save(fig, f"{run.name}_semi", source_note() + " " + external_note(run), run.out.figures)
    plt.close(fig)
    return saved


def fig_real_national(run: ElasticityRun) -> dict | None:
    """Each incidence run beside China's arc over the same years, nominal and real, and China year on year.

    No shaded interval and no literature band: a regional elasticity is read only against
    the nation over its own outcome and driver years (:func:`analysis.reports.elasticity_real.build_matched`).
    """
    m, nat = run.matched, run.national
    yoy = nat[(nat["variant"] == "year_on_year") & (nat["prices"] == "nominal")] if not nat.empty else nat
    # wrapped so that no tick label runs off the figure's left edge (review F7)
    labels = {
        s.run_id: "\n".join([*textwrap.wrap(s.label(), 30), *textwrap.wrap(s.windows_label(), 30)]) for s in run.runs
    }
    if m.empty and yoy.empty:
        return None
    runs = list(dict.fromkeys(m["run"])) if not m.empty else []
    fig, ax = plt.subplots(figsize=(8.5, 0.75 * (len(runs) + 1) + 1.8))
    for i, rid in enumerate(runs):
        g = m[m["run"] == rid]
        for prices, face in (("nominal", None), ("real", "white")):
            r = g[g["prices"] == prices]
            if r.empty:
                continue
            r0 = r.iloc[0]
            dy = -0.12 if prices == "nominal" else 0.12
            if pd.notna(r0["regional_elasticity"]):
                ax.plot([r0["regional_elasticity"]], [i + dy], "o", color="C0", ms=7, markerfacecolor=face or "C0")
                ax.annotate(
                    f"{r0['regional_elasticity']:.2f}",
                    (r0["regional_elasticity"], i + dy),
                    textcoords="offset points",
                    xytext=(0, 6),
                    fontsize=6.5,
                    ha="center",
                    color="C0",
                )
            if pd.notna(r0["national_elasticity"]):
                ax.plot([r0["national_elasticity"]], [i + dy], "^", color="C3", ms=7, markerfacecolor=face or "C3")
                ax.annotate(
                    f"{r0['national_elasticity']:.2f}",
                    (r0["national_elasticity"], i + dy),
                    textcoords="offset points",
                    xytext=(0, -11),
                    fontsize=6.5,
                    ha="center",
                    color="C3",
                )
        if g["national_elasticity"].isna().all():
            ax.annotate(
                "no national value over these years",
                (0, i + 0.34),  # above the row's markers and their labels
                textcoords="offset points",
                xytext=(-4, 0),
                va="center",
                fontsize=6.5,
                ha="right",
                color="0.4",
            )
    top = len(runs)
    for k, (_, r) in enumerate(yoy.iterrows()):
        ax.plot([r["elasticity"]], [top], "s", color="C3", ms=6, markerfacecolor="white")
        ax.annotate(
            str(r["years"]).split()[1],
            (r["elasticity"], top),
            textcoords="offset points",
            xytext=(0, 6 if k % 2 == 0 else -12),
            fontsize=6.5,
            ha="center",
            color="C3",
        )
    ax.plot([], [], "o", color="C0", label="region, nominal driver")
    ax.plot([], [], "o", color="C0", markerfacecolor="white", label="region, real driver")
    ax.plot([], [], "^", color="C3", label="China, same years, nominal")
    ax.plot([], [], "^", color="C3", markerfacecolor="white", label="China, same years, real")
    if not yoy.empty:
        ax.plot([], [], "s", color="C3", markerfacecolor="white", label="China year on year (nominal), end year")
    ax.set_yticks(
        range(len(runs) + (0 if yoy.empty else 1)),
        [labels.get(r, r) for r in runs]
        + ([] if yoy.empty else ["China: poverty incidence vs\nrural income, year on year"]),
        fontsize=7.5,
    )
    ax.set_ylim(-0.7, top + 0.6)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel("elasticity of poverty incidence to the driver named on the left (dimensionless)")
    ax.set_title("Regional incidence elasticities beside China's over the same years", fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    saved = figures.save(
        fig,
        f"{run.name}_real_national",
        source_note(None, "")
        + " Markers: region and prices (legend). China: NBS survey incidence and rural disposable income, external; "
        "the regions: registered poor or a basis the source does not state. Real: each driver deflated by the price index the real-terms rules choose.",
        run.out.figures,
    )
    plt.close(fig)
    return saved
