"""The claims-audit report's computed prose: the findings that open it.

Every number in these sentences comes from the audit tables (:func:`analysis.metrics.audit.audit_claims`,
:func:`analysis.metrics.consistency.check_consistency`, :func:`analysis.metrics.corroboration.corroborate`);
nothing is typed.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.data.schema import CONSISTENCY_KIND_WORDS
from analysis.metrics.audit import INCONSISTENT
from analysis.metrics.consistency import AGREE, DIFFERENT, DISAGREE, NOT_DECIDABLE
from analysis.reports import fmt
from analysis.reports.audit import (
    AuditRun,
    corroboration_table,
    recomputed_text,
    selected,
    selected_checks,
    stated_text,
)
from analysis.reports.caveats import Caveat, render
from analysis.reports.caveats import table as caveat_table


def _num(v: float) -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.sized(v)


def claim_size(r: pd.Series) -> str:
    """How far the recomputed value is from the stated one, in words (``18.2 percentage points higher``)."""
    rec, st = r["recomputed"], r["stated"]
    if pd.isna(rec):
        lo, hi = r["recomputed_low"], r["recomputed_high"]
        if pd.notna(hi) and r["claim_type"] == "threshold_crossed_in":
            return f"the threshold was already reached in {int(hi)}, not first in {int(st)}"
        return f"recomputed {recomputed_text(r)}" if pd.notna(lo) else "no recomputed value"
    diff = rec - st
    unit = "percentage points" if r["unit"] == "%" else r["unit"]
    way = "higher" if diff > 0 else "lower"
    ratio = f"; {rec / st:.2f} times the stated value" if st and r["unit"] != "%" else ""
    if r["qualifier"] in ("more_than", "at_least"):
        return f"{_num(abs(diff))} {unit} {'above' if diff >= 0 else 'below'} the bound"
    if r["qualifier"] == "less_than":
        return f"{_num(abs(diff))} {unit} {'above' if diff >= 0 else 'below'} the bound"
    return f"{_num(abs(diff))} {unit} {way}{ratio}"


def claim_sentence(r: pd.Series) -> str:
    """One sentence for an inconsistent claim, with its size."""
    where = "external source" if r["source_id"] == "external" else r["source_id"]
    why = ""
    if r["claim_type"] == "real_growth" and "deflated with" in r["reason"]:
        why = " (" + r["reason"].split("; ", 1)[1].split("; the official")[0] + ")"
    return (
        f"**{r['claim_id']}** ({where}, {r['claim_type']}): 「{r['quote']}」 states {stated_text(r)}, "
        f"the inputs give {recomputed_text(r)}: {claim_size(r)}{why}."
    )


def _side(r: pd.Series, s: str, u: str) -> str:
    """``65.77 万人 / 31.93% = 206 万人``; a lone value already in the check's unit is shown once."""
    shown, value = r[f"shown_{s}"], f"{_num(r[f'value_{s}'])}{u}"
    expr = r["left" if s == "a" else "right"]
    if not any(op in expr for op in "+-*/") and shown.endswith(u.strip()) and u.strip():
        return shown
    return f"{shown} = {value}"


def check_sentence(r: pd.Series) -> str:
    """One sentence for a consistency check that does not agree, with its size."""
    u = "" if r["unit"] == "%" else f" {r['unit']}"
    what = CONSISTENCY_KIND_WORDS.get(r["kind"], r["kind"])
    head = (
        f"**{r['check_id']}** ({what}): {_side(r, 'a', u)} against {_side(r, 'b', u)}, a ratio of {r['ratio']:.3f} "
        f"(a difference of {_num(r['difference'])}{u})"
    )
    if r["verdict"] == DIFFERENT:
        return f"{head}; different definitions: {r['definitions']}."
    if r["verdict"] == NOT_DECIDABLE:
        return f"{head}; not decidable: the comparison assumes {r['assumption']}, which the text does not say."
    return f"{head}; {r['note']}."


def findings(run: AuditRun) -> str:
    """Markdown: every inconsistent claim and every check that does not agree, one sentence each, largest first.

    Checks are grouped by verdict: disagree, different definitions, not decidable (the
    comparison rests on an assumption the text does not make, stated in the sentence).
    """
    claims = selected(run)
    bad = claims[claims["verdict"] == INCONSISTENT]
    checks = selected_checks(run)
    dis = checks[checks["verdict"] == DISAGREE] if len(checks) else checks
    diff = checks[checks["verdict"] == DIFFERENT] if len(checks) else checks
    undecided = checks[checks["verdict"] == NOT_DECIDABLE] if len(checks) else checks
    parts = []
    if len(bad):
        doc = bad[bad["source_id"] != "external"]
        ext = bad[bad["source_id"] == "external"]
        if len(doc):
            parts.append(
                f"**Claims the documents' own numbers contradict ({len(doc)}):**\n\n"
                + "\n".join(f"- {claim_sentence(r)}" for _, r in doc.iterrows())
            )
        if len(ext):
            parts.append(
                f"**External claims their own levels contradict ({len(ext)}):**\n\n"
                + "\n".join(f"- {claim_sentence(r)}" for _, r in ext.iterrows())
            )
    order = lambda t: t.assign(_s=(t["ratio"].apply(lambda x: abs(math.log(x)) if x > 0 else 0.0))).sort_values(  # noqa: E731
        "_s", ascending=False, kind="stable"
    )
    if len(dis):
        parts.append(
            f"**Statements that disagree with each other ({len(dis)}):**\n\n"
            + "\n".join(f"- {check_sentence(r)}" for _, r in order(dis).iterrows())
        )
    if len(diff):
        parts.append(
            f"**Statements whose numbers differ because the wording measures different things ({len(diff)}):**\n\n"
            + "\n".join(f"- {check_sentence(r)}" for _, r in order(diff).iterrows())
        )
    if len(undecided):
        parts.append(
            f"**Statements whose comparison rests on an assumption the text does not make ({len(undecided)}):**\n\n"
            + "\n".join(f"- {check_sentence(r)}" for _, r in order(undecided).iterrows())
        )
    corro = corroboration_table(run)
    if len(corro):
        off = corro[corro["verdict"] != AGREE]
        if len(off):
            parts.append(
                f"**External figures that differ from the document value ({len(off)}):**\n\n"
                + "\n".join(
                    f"- {r['series_id']} {r['year']}: document {_num(r['document_value'])} {r['unit']}, external "
                    f"{_num(r['external_value'])} {r['unit']} ({r['publisher']}, {r['basis']}): a difference of "
                    f"{_num(r['difference'])} {r['unit']}."
                    for _, r in off.iterrows()
                )
            )
    if not parts:
        return "No claim in this selection is inconsistent and every consistency check agrees."
    return "\n\n".join(parts)


# --- Ranked caveats ----------------------------------------------------------------------------------------------


def _uses(run: AuditRun, prefix: str) -> bool:
    """Whether a selected claim's inputs or parameters name a series starting with ``prefix``."""
    t = run.table
    if t.empty:
        return False
    cells = pd.concat([t["inputs"].astype(str), t["params"].astype(str)])
    return bool(cells.str.contains(prefix, regex=False).any())


def caveat_list(run: AuditRun) -> list[Caveat]:
    """The audit's caveats, each only where the selection uses the data it is about (unranked)."""
    gdp = _uses(run, "xiangxi.gdp")
    out = [
        Caveat(
            "Different bases.",
            "A percentage change is only as good as its base. Where the stated rate cannot be reproduced, the audit "
            "reports the base it implies and tries the other amounts quoted in the same sentence; where the document "
            "does not state the base, the claim is not checkable.",
            "sign",
            ("audit", "consistency"),
        ),
        Caveat(
            "Nominal vs real.",
            "Every level in the documents is in current prices; the official 年均增长 and 比上年增长 rates are real. "
            "A nominal CAGR below a stated real rate cannot be reconciled by inflation, so it also points to a "
            "different period or basis.",
            "sign",
            ("audit",),
        ),
    ]
    if gdp:
        out += [
            Caveat(
                "Two GDP figures for 2015.",
                "A crossing of a GDP threshold in 2016 can hold on the external provincial-ranking figure for 2015 "
                "(which excludes newly relocated cigarette production) and fail on the prefecture's own basis; such "
                "a claim is not checkable (the reason quotes the values and their notes).",
                "sign",
                ("audit",),
            ),
            Caveat(
                "Census revision.",
                "2019 GDP is probably on the fourth-economic-census basis while the 2018 figure is preliminary: a "
                "crossing in 2019 compares unlike bases.",
                "sign",
                ("audit",),
            ),
            Caveat(
                "Unobserved years.",
                "GDP is not observed in every year (the reasons list the missing ones). Claims about crossing years "
                "and counts are judged over every completion of the missing years; when completions disagree the "
                "claim is not checkable.",
                "magnitude",
                ("audit",),
            ),
        ]
    out.append(
        Caveat(
            "Not checkable is not wrong.",
            "Most of the register cannot be checked because the documents state a share or a change without the "
            "numbers it was computed from.",
            "scope",
            ("audit",),
        )
    )
    if not run.checks.empty:
        out.append(
            Caveat(
                "Internal consistency is about the wording too.",
                "Two numbers that disagree may measure different things; a check is marked *different definitions* "
                "only when the words show it, *not decidable* when the comparison needs an assumption the text does "
                "not make (for example an unchanged population between two years), otherwise *disagree*.",
                "scope",
                ("consistency",),
            )
        )
    if run.include_external:
        out.append(
            Caveat(
                "External figures are secondary.",
                "They come from bulletins, reprints and mirrors of varying confidence; they are marked *external* "
                "wherever they are used and the run can leave them out (`include_external = False`).",
                "scope",
            )
        )
    return out


BOILERPLATE = (
    (
        "A claim is consistent when the interval its printed digits imply overlaps the interval the inputs' printed "
        "digits allow; one that agrees only through the inputs' rounding is flagged in its reason."
    ),
)


def caveats(run: AuditRun) -> str:
    """The caveat section's Markdown: ranked, only those whose data the selection uses, the rounding rule once."""
    found = caveat_list(run)
    run.out.table(caveat_table(found), f"{run.name}_caveats")  # the index shows them beside the findings
    return render(found, BOILERPLATE)
