"""Headline records of the claims audit, computed from its tables (``claims_audit*.csv``).

:func:`doubt` is the audit's word on a change's endpoints, used by the growth and elasticity
headlines: the consistency checks that disagree with either endpoint observation.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.reports import fmt
from analysis.reports.headlines import Context, Record, Skip, Spec, run_records

DOCUMENT_ID = r"doc\d+"
"""The source ids of the documents (the external figures' source is ``external``)."""


def doubt(ctx: Context, start_id: str, end_id: str, what: str = "the fall") -> str:
    """What the audit's consistency register says against a change's endpoints ('' when nothing or not built).

    The checks of ``claims_audit_consistency.csv`` whose verdict is ``disagree`` and that use
    either endpoint observation, with the years they put in doubt and one check's two sides.
    """
    try:
        t = ctx.table("claims_audit_consistency")
    except Skip:
        return ""
    if not {"verdict", "left", "right", "check_id"} <= set(t.columns):
        return ""
    sides = t["left"].fillna("").astype(str) + " " + t["right"].fillna("").astype(str)
    bad = t[
        (t["verdict"] == "disagree")
        & (sides.str.contains(start_id, regex=False) | sides.str.contains(end_id, regex=False))
    ]
    if bad.empty:
        return ""
    years = [i.split(".")[2] for i in (start_id, end_id) if sides[bad.index].str.contains(i, regex=False).any()]
    first = bad.iloc[0]
    shown = ""
    if pd.notna(first.get("shown_a")) and pd.notna(first.get("shown_b")):
        a, b = str(first["shown_a"]), str(first["shown_b"])
        if pd.notna(first.get("value_a")) and pd.notna(first.get("value_b")):
            unit = f" {first['unit']}" if pd.notna(first.get("unit")) else ""
            a, b = f"{a} = {float(first['value_a']):,.0f}{unit}", f"{b} = {float(first['value_b']):,.0f}{unit}"
        shown = f"; {first['check_id']}: {a} against {b}"
    return (
        f"the audit doubts the {' and '.join(years)} figure{'s' if len(years) > 1 else ''}, which imply different "
        f"population bases ({', '.join(bad['check_id'])} disagree{'' if len(bad) > 1 else 's'}{shown}), so "
        f"{what} rests on doubtful levels"
    )


def documents_period(ctx: Context) -> str:
    """``2016-2021 documents``: the first and last year of the documents' dates (``sources.csv``, column ``date``)."""
    s = ctx.sources
    docs = s[s["source_id"].astype(str).str.fullmatch(DOCUMENT_ID)]
    years = sorted(int(y) for d in docs["date"] for y in re.findall(r"\b(\d{4})\b", str(d)))
    return f"{years[0]}-{years[-1]} documents" if years else "documents"


def verdicts(ctx: Context, spec: Spec) -> Record:
    """Claims-audit verdict counts over the documents' claims (external claims counted apart).

    The not-checkable claims are split by why: an input never stated, or a check that would
    rest on an assumption the text does not make or on inputs of different definitions
    (the ``missing`` column of the audit table).
    """
    summary_name, audit_name = spec.table, spec.rows[0]
    n, _ = ctx.row(summary_name, document="all")
    summary = ctx.table(summary_name)
    docs = summary[summary["document"].astype(str).str.fullmatch(DOCUMENT_ID)]
    count = {c: int(docs[c].sum()) for c in ("consistent", "inconsistent", "not checkable", "total")}
    audit = ctx.table(audit_name)
    in_docs = audit["source_id"].astype(str).str.fullmatch(DOCUMENT_ID)
    bad = audit[(audit["verdict"] == "inconsistent") & in_docs]
    nc = audit[(audit["verdict"] == "not checkable") & in_docs]
    unstated = nc[nc["missing"].fillna("").isin(["assumption", "definitions"])]
    inputs: tuple[str, ...] = ()
    for cell in bad["inputs"].fillna(""):
        inputs += tuple(i for i in str(cell).split() if i not in inputs)
    why = (
        f" ({len(unstated)} of them, {', '.join(unstated['claim_id'])}, because the check would rest on an "
        f"assumption the text does not make or on inputs of different definitions; the others because an input "
        f"is never stated)"
        if len(unstated)
        else " because an input is never stated"
    )
    text = (
        f"Of the {count['total']} derived statements in the documents (growth rates, multiples, thresholds, shares), "
        f"{count['consistent']} are consistent with the documents' own levels within the rounding each number "
        f"carries, {count['inconsistent']} {'is' if count['inconsistent'] == 1 else 'are'} not "
        f"({', '.join(bad['claim_id'])}) and {count['not checkable']} cannot be checked{why}; {spec.caveat}."
    )
    values: dict[str, float] = {k: float(v) for k, v in count.items()}
    ext = summary[summary["document"].astype(str) == "external"]
    if not ext.empty:
        e = ext.iloc[0]
        values.update({f"external {c}": float(e[c]) for c in ("total", "consistent", "inconsistent", "not checkable")})
        text = text[:-1] + (
            f"; of {int(e['total'])} figures in external sources checked the same way, {int(e['consistent'])} agree,"
            f" {int(e['inconsistent'])} do not and {int(e['not checkable'])} cannot be checked."
        )
    return Record(
        spec.key, text, documents_period(ctx), "documents only", spec.report, spec.section, spec.table, n, inputs,
        float(count["inconsistent"]), "count", values,
    )  # fmt: skip


def consistency(ctx: Context, spec: Spec) -> Record:
    """Statements of the documents checked against each other (consistency register).

    The example of "different definitions" is a pair that is one by its wording: the
    same-count check (a quantity stated twice) with the closest values that still differ
    beyond rounding, and its ``definitions`` words are quoted.
    """
    t = ctx.table(spec.table)
    if "verdict" not in t.columns or t.empty:
        raise Skip(f"{spec.table}.csv has no verdicts")
    counts = t["verdict"].value_counts()
    diff = t[(t["verdict"] == "different definitions") & (t["kind"] == "same_count")]
    apart = diff[(diff["low_a"] > diff["high_b"]) | (diff["high_a"] < diff["low_b"])]
    if apart.empty:
        raise Skip("no same-count pair of different definitions differs beyond rounding")
    ratio = apart["value_a"].astype(float) / apart["value_b"].astype(float)
    gap = ratio.where(ratio >= 1, 1 / ratio)  # how far apart, whichever side is larger
    example = apart.loc[gap.idxmin()]
    n = int(gap.idxmin()) + 1  # the table's 1-based data row
    ids = set(ctx.observations["obs_id"])
    inputs: tuple[str, ...] = ()
    for col in ("left", "right"):
        for tok in str(example.get(col, "")).replace("/", " ").replace("*", " ").replace("+", " ").split():
            if tok in ids and tok not in inputs:
                inputs += (tok,)
    k = {v: int(counts.get(v, 0)) for v in ("agree", "disagree", "different definitions", "not decidable")}
    text = (
        f"Checked against each other, {len(t)} pairs of statements in the documents give "
        f"{k['agree']} agreements, {k['disagree']} disagreements, "
        f"{k['different definitions']} pairs whose wording shows two different things (for "
        f"example {example['check_id']}: {example.get('shown_a', '')} against {example.get('shown_b', '')}, "
        f"where {example.get('definitions', '')})"
        + (
            f" and {k['not decidable']} that cannot be decided because the comparison needs an assumption the text "
            "does not make"
            if k["not decidable"]
            else ""
        )
        + f"; {spec.caveat}."
    )
    return Record(
        spec.key, text, documents_period(ctx), "documents only", spec.report, spec.section, spec.table, n, inputs,
        float(k["disagree"]), "count", {"pairs": float(len(t)), **{v: float(c) for v, c in k.items()}},
    )  # fmt: skip


# ----------------------------------------------------------------------------- documentation records


def _clause(quote: str, printed_value: str) -> str:
    """The clause of ``quote`` (between commas or semicolons) that holds the printed value."""
    for part in re.split(r"[,，;；。、]", quote):
        if printed_value in part:
            return part.strip()
    return quote


def _claim_text(r: pd.Series) -> str:
    formula = str(r["reason"]).split(" (input rounding")[0].split(" does not agree")[0].split(" agrees")[0]
    return f'{r["claim_id"]} "{_clause(str(r["quote"]), str(r["stated_printed"]))}": {formula}'


def docs_audit(ctx: Context, spec: Spec) -> Record:
    """The audit's documentation block: verdict counts with an example (``rows``: the claims table, the
    example claim, the consistency table), each inconsistent claim, and each check that does not agree."""
    claims, example_id, checks = spec.rows[:3]
    t = ctx.table(claims)
    for col in ("stated_printed", "quote", "reason"):
        t[col] = t[col].fillna("").astype(str)
    verdicts = ("consistent", "inconsistent", "not checkable")
    docs, ext = t[t["source_id"] != "external"], t[t["source_id"] == "external"]
    n = {v: int((docs["verdict"] == v).sum()) for v in verdicts}
    consistent = docs[docs["verdict"] == "consistent"]
    example = consistent[consistent["claim_id"] == example_id]
    example = example if len(example) else consistent.head(1)
    ext_counts = ", ".join(f"{int((ext['verdict'] == v).sum())} {v}" for v in verdicts if (ext["verdict"] == v).any())
    lines = [
        f"Of the {len(docs)} claims of the documents, {n['consistent']} are consistent"
        + (f" (e.g. {_claim_text(example.iloc[0])})" if len(example) else "")
        + f", {n['inconsistent']} inconsistent and {n['not checkable']} not checkable"
        + (f"; of the {len(ext)} claims of the external sources, {ext_counts}" if len(ext) else "")
        + ". The inconsistent ones:",
        "",
    ]
    lines += [f"- {_claim_text(r)}" for _, r in t[t["verdict"] == "inconsistent"].iterrows()]
    c = ctx.table(checks)
    k = {v: int((c["verdict"] == v).sum()) for v in ("agree", "disagree", "different definitions", "not decidable")}
    lines += [
        "",
        (
            f"Of the {len(c)} consistency checks, {k['agree']} agree, {k['disagree']} disagree, "
            f"{k['different definitions']} differ because the wording measures different things and "
            f"{k['not decidable']} cannot be decided without an assumption the text does not make. The ones that "
            "do not agree (a against b, ratio a/b):"
        ),
        "",
    ]
    lines += [
        f"- {r['check_id']} ({r['verdict']}): {r['shown_a']} = {fmt.sized(r['value_a'])} {r['unit']} against "
        f"{r['shown_b']} = {fmt.sized(r['value_b'])} {r['unit']}, a/b = {r['ratio']:.3f}"
        for _, r in c[c["verdict"] != "agree"].iterrows()
    ]
    values = {f"claims {v}": float(x) for v, x in n.items()} | {f"checks {v}": float(x) for v, x in k.items()}
    return Record(
        spec.key, "\n".join(lines), documents_period(ctx), "documents only", spec.report, spec.section, claims, 1,
        (), float(n["inconsistent"]), "count", values,
    )  # fmt: skip


KINDS = {"verdicts": verdicts, "consistency": consistency, "docs_audit": docs_audit}
"""The audit's headline kinds (column ``kind`` of ``data/raw/headlines.csv``)."""


def records(ctx: Context) -> list[Record]:
    """The audit's headline records that the tables in ``ctx`` support (order of headlines.csv)."""
    return run_records(ctx, KINDS)
