"""The claims-audit report: parameters, tables, the figure and the computed narrative.

``notebooks/claims_audit.ipynb`` calls these functions; each returns data (a table or
markdown) or saves a figure, so the notebook stays a short narrative. The audit itself
(formulas, tolerances, qualifier rules) is in :mod:`analysis.metrics.audit`.

Outputs of a run named ``run_name`` (default ``claims_audit``), under ``output_dir``
(default: see :mod:`analysis.reports.outputs`; ``reports/`` only under ``make report``):

``tables/<run_name>.csv``          the selected claims, audited (every column of
                                   :func:`analysis.metrics.audit.audit_claims`); the default run
                                   selects the whole register
``tables/<run_name>_summary.csv``  counts of the claims by document and verdict
``tables/<run_name>_consistency.csv``  the selected internal-consistency checks, judged
                                   (every column of :func:`analysis.metrics.consistency.check_consistency`)
``tables/<run_name>_counts.csv``   verdict counts by document and kind (claims from the
                                   documents, external claims, consistency checks)
``tables/<run_name>_corroboration.csv``  external figures set against the document value
                                   of the same series and year
``figures/<run_name>_stated_vs_recomputed.png/.svg``
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import paths
from analysis.data.load import UnknownChoice, check_choice, load_claims, load_consistency, load_observations
from analysis.data.numbers import decimals_of
from analysis.metrics.audit import CONSISTENT, INCONSISTENT, MISSING, NOT_CHECKABLE, VERDICTS, audit_claims
from analysis.metrics.consistency import CHECK_VERDICTS, check_consistency
from analysis.metrics.corroboration import corroborate
from analysis.reports.outputs import Outputs
from analysis.reports.params import as_list, run_base

QUALIFIER_WORDS = {
    "exact": "",
    "more_than": "more than ",
    "at_least": "at least ",
    "nearly": "nearly ",
    "about": "about ",
    "less_than": "less than ",
}

SOURCE_NOTE = (
    "Source: claims register (data/raw/claims.csv) recomputed from the curated observations. Error bars: "
    "horizontal = tolerance of the stated value, vertical = range from the inputs' rounding; vertical "
    "lines without a point = not checkable, range over the unobserved years."
)


@dataclass
class AuditRun:
    """A validated selection of claims and the inputs of their audit.

    ``claims`` and ``observations`` are the register and the observations the audit uses (without
    the external ones when ``include_external`` is False); :attr:`audit` is every claim recomputed
    and judged (:func:`analysis.metrics.audit.audit_claims`), computed on first use unless the
    notebook sets it (``run.audited``).
    """

    documents: list[str]
    verdicts: list[str]
    claims: pd.DataFrame
    observations: pd.DataFrame
    sources: pd.DataFrame
    out: Outputs
    name: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every consistency check of the register, judged."""
    check_verdicts: list[str] = field(default_factory=lambda: list(CHECK_VERDICTS))
    include_external: bool = True
    corroboration: pd.DataFrame = field(default_factory=pd.DataFrame)
    audited: pd.DataFrame | None = None

    @property
    def audit(self) -> pd.DataFrame:
        """Every claim of the register recomputed and judged (all documents and verdicts)."""
        if self.audited is None:
            self.audited = audit_claims(self.claims, self.observations)
        return self.audited


def load_sources() -> pd.DataFrame:
    """The source catalog (``data/processed/sources.csv``)."""
    p = paths.PROCESSED / "sources.csv"
    if not p.exists():
        raise FileNotFoundError(f"{paths.relative(p)} does not exist: run `make data` first.")
    return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")


def document_choices(sources: pd.DataFrame | None = None) -> list[str]:
    """The valid ``document`` values: every document source id, and ``"all"``."""
    sources = load_sources() if sources is None else sources
    return [*sorted(s for s in sources["source_id"] if s.startswith("doc")), "all"]


def _choices(value: object, name: str, valid: list[str]) -> list[str]:
    values = as_list(value, name)
    if not values:
        raise UnknownChoice(f"parameter {name} is empty; valid choices: {', '.join(valid)}")
    for v in values:
        check_choice(name, v, valid)
    return values


def prepare(
    document: object = "all",
    verdict: object = "all",
    output_dir: object = None,
    run_name: str = "claims_audit",
    check_verdict: object = "all",
    include_external: object = True,
) -> AuditRun:
    """Validate the notebook parameters and audit the register.

    Parameters
    ----------
    document : str or list of str
        A document source id (``doc000`` ... ``doc004``), a list of them, or ``"all"``.
        External claims (source ``external``) belong to every selection unless
        ``include_external`` is False.
    verdict : str or list of str
        ``consistent``, ``inconsistent``, ``not checkable``, a list of them, or ``"all"``.
    check_verdict : str or list of str
        Verdicts of the consistency checks to show: ``agree``, ``disagree``,
        ``different definitions``, ``not decidable``, a list of them, or ``"all"``.
    include_external : bool
        False leaves every external figure out: external claims, and external
        observations as inputs (claims that need them become not checkable).
    output_dir : str or Path, optional
        Where tables and figures go; default: the build's folder under ``make report``, else
        ``build/interactive/<run_name>/`` (see :mod:`analysis.reports.outputs`).
    run_name : str
        Stem of the output files.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On an unknown document or verdict, or an unusable run name; the message lists
        the valid choices.
    """
    shared = run_base(run_name, include_external, output_dir)  # run_name, include_external, output_dir: one rule each
    include_external = shared.include_external
    sources = load_sources()
    docs = _choices(document, "document", document_choices(sources))
    verdicts = _choices(verdict, "verdict", [*VERDICTS, "all"])
    cverdicts = _choices(check_verdict, "check_verdict", [*CHECK_VERDICTS, "all"])
    docs = document_choices(sources)[:-1] if "all" in docs else sorted(set(docs))
    if include_external:
        docs = [*docs, "external"]
    verdicts = list(VERDICTS) if "all" in verdicts else [v for v in VERDICTS if v in verdicts]
    cverdicts = list(CHECK_VERDICTS) if "all" in cverdicts else [v for v in CHECK_VERDICTS if v in cverdicts]
    obs = load_observations()
    claims = load_claims()
    if not include_external:
        obs = obs[obs["kind"] != "external"].reset_index(drop=True)
        claims = claims[claims["source_id"] != "external"].reset_index(drop=True)
    register = load_consistency()
    ext_ids = set(load_observations(kinds=["external"])["obs_id"])
    if not include_external:
        uses_ext = register[["left", "right"]].apply(lambda r: any(t in ext_ids for t in " ".join(r).split()), axis=1)
        register = register[~uses_ext].reset_index(drop=True)
    checks = check_consistency(register, load_observations())
    corro = corroborate(load_observations()) if include_external else pd.DataFrame()
    return AuditRun(
        docs,
        verdicts,
        claims,
        obs,
        sources,
        shared.outputs(),
        shared.run_name,
        checks=checks,
        check_verdicts=cverdicts,
        include_external=include_external,
        corroboration=corro,
    )


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
        rows.append(
            {
                "document": d,
                "issuer": src.loc[d, "issuer_en"],
                "title": src.loc[d, "title_en"],
                "date": src.loc[d, "date"],
                "claims in register": n_all,
                "selected": n_sel,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["verdicts"] = ", ".join(run.verdicts)
    return out


def build_table(run: AuditRun, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Write the audited claims ``table`` (default: :func:`selected`) to ``tables/<run_name>.csv`` and return it."""
    run.table = selected(run) if table is None else table
    run.out.table(run.table, run.name)
    run.out.latex(
        display_table(run.table),
        run.name,
        "Claims audit: each derived statement of the documents recomputed from the curated values, with its verdict.",
    )
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
    run.out.latex(out, f"{run.name}_summary", "Claims audit: verdicts by document.")
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
        return pd.DataFrame(
            columns=["claim", "quote", "type", "stated", "recomputed", "tolerance", "verdict", "reason"]
        )
    return pd.DataFrame(
        {
            "claim": t["claim_id"],
            "quote": t["quote"],
            "type": t["claim_type"],
            "stated": [stated_text(r) for _, r in t.iterrows()],
            "recomputed": [recomputed_text(r) for _, r in t.iterrows()],
            "tolerance": [_tolerance_text(r) for _, r in t.iterrows()],
            "verdict": t["verdict"],
            "reason": t["reason"],
        }
    ).reset_index(drop=True)


def by_document(run: AuditRun) -> list[tuple[str, pd.DataFrame]]:
    """(markdown heading, formatted table) for each selected document with selected claims."""
    src = run.sources.set_index("source_id")
    out = []
    for d in run.documents:
        g = run.table[run.table["source_id"] == d]
        if g.empty:
            continue
        counts = ", ".join(f"{int((g['verdict'] == v).sum())} {v}" for v in run.verdicts if (g["verdict"] == v).any())
        head = (
            f"### {d}: {src.loc[d, 'title_en']}\n\n{src.loc[d, 'issuer_en']}, {src.loc[d, 'date']} "
            f"({src.loc[d, 'title']}). {len(g)} claim{'s' if len(g) != 1 else ''}: {counts}."
        )
        out.append((head, display_table(g)))
    return out


def inconsistencies(run: AuditRun) -> str:
    """Markdown bullets: each inconsistent claim in plain words."""
    t = run.table[run.table["verdict"] == INCONSISTENT]
    if t.empty:
        return "No claim in this selection is inconsistent."
    lines = []
    for _, r in t.iterrows():
        lines.append(
            f"- **{r['claim_id']}** ({r['claim_type']}) 「{r['quote']}」: stated {stated_text(r)}, "
            f"recomputed {recomputed_text(r)}. {r['explanation']}"
        )
    return "\n".join(lines)


def not_checkable_table(run: AuditRun) -> pd.DataFrame:
    """The not-checkable claims with what is missing and the register's note."""
    t = run.table[run.table["verdict"] == NOT_CHECKABLE]
    return pd.DataFrame(
        {
            "claim": t["claim_id"],
            "quote": t["quote"],
            "type": t["claim_type"],
            "stated": [stated_text(r) for _, r in t.iterrows()],
            "missing": [MISSING.get(m, m) for m in t["missing"]],
            "what the audit found": t["reason"],
            "register note": t["note"],
        }
    ).reset_index(drop=True)


def narrate(run: AuditRun) -> str:
    """Computed summary sentences (markdown)."""
    t = run.table
    n_reg = len(run.audit)
    if t.empty:
        return (
            f"No claim of the register ({n_reg} claims) matches this selection "
            f"(documents {', '.join(run.documents)}; verdicts {', '.join(run.verdicts)})."
        )

    def tally(g: pd.DataFrame) -> str:
        return ", ".join(f"**{int((g['verdict'] == v).sum())} {v}**" for v in VERDICTS if v in run.verdicts)

    docs, ext = t[t["source_id"] != "external"], t[t["source_id"] == "external"]
    head = (
        f"This run audits **{len(t)}** of the {n_reg} claims in the register "
        f"(documents {', '.join(run.documents)}; verdicts {', '.join(run.verdicts)}). "
        f"Claims of the documents ({len(docs)}): {tally(docs)}."
        + (f" Claims of the external sources ({len(ext)}): {tally(ext)}." if len(ext) else "")
    )
    lines = [head]
    nc = t[t["verdict"] == NOT_CHECKABLE]
    if not nc.empty:
        why = nc["missing"].value_counts()
        order = [m for m in MISSING if m in why.index]
        lines.append(
            "Not checkable, by what is missing: "
            + "; ".join(
                f"{MISSING[m]} ({int(why[m])}: {', '.join(nc.loc[nc['missing'] == m, 'claim_id'])})" for m in order
            )
            + "."
        )
    ok = t[t["verdict"] == CONSISTENT]
    if not ok.empty:
        narrow = ok[ok["reason"].str.contains("only through the input rounding", regex=False)]
        lines.append(
            f"Consistent: {', '.join(ok['claim_id'])}."
            + (
                f" Of these, {', '.join(narrow['claim_id'])} agree only once the inputs' own rounding is allowed for."
                if not narrow.empty
                else ""
            )
        )
    bad = t[t["verdict"] == INCONSISTENT]
    if not bad.empty:
        lines.append(
            "Inconsistent: "
            + "; ".join(
                f"{r['claim_id']} (stated {stated_text(r)}, recomputed {recomputed_text(r)})" for _, r in bad.iterrows()
            )
            + "."
        )
    return "\n\n".join(lines)


# --------------------------------------------------------------------------------------
# Internal consistency, counts and corroboration
# --------------------------------------------------------------------------------------


def selected_checks(run: AuditRun) -> pd.DataFrame:
    """Consistency checks touching a selected document (either side), with a selected verdict."""
    c = run.checks
    if c.empty:
        return c
    docs = set(run.documents)
    keep = (c["source_a"].isin(docs) | c["source_b"].isin(docs)) & c["verdict"].isin(run.check_verdicts)
    return c[keep].reset_index(drop=True)


def build_consistency_table(run: AuditRun) -> pd.DataFrame:
    """Write ``tables/<run_name>_consistency.csv`` (the selected checks, every column) and return it."""
    t = selected_checks(run)
    run.out.table(t, f"{run.name}_consistency")
    return t


def display_checks(t: pd.DataFrame) -> pd.DataFrame:
    """Consistency checks formatted for reading: both quotes, both values, the size, verdict and reason."""
    cols = ["check", "kind", "statement a", "statement b", "a", "b", "a / b", "verdict", "reason"]
    if t.empty:
        return pd.DataFrame(columns=cols)

    def side(r: pd.Series, s: str) -> str:
        return f"{_fmt(r[f'value_{s}'])} {r['unit']} ({_fmt(r[f'low_{s}'])} to {_fmt(r[f'high_{s}'])})"

    return pd.DataFrame(
        {
            "check": t["check_id"],
            "kind": t["kind"],
            "statement a": [f"{r['source_a']}: 「{r['quote_a']}」" for _, r in t.iterrows()],
            "statement b": [f"{r['source_b']}: 「{r['quote_b']}」" for _, r in t.iterrows()],
            "a": [f"{r['shown_a']} = {side(r, 'a')}" for _, r in t.iterrows()],
            "b": [f"{r['shown_b']} = {side(r, 'b')}" for _, r in t.iterrows()],
            "a / b": [f"{v:.3f}" for v in t["ratio"]],
            "verdict": t["verdict"],
            "reason": [f"{r['note']}. Computed: {r['reason']}" for _, r in t.iterrows()],
        }
    ).reset_index(drop=True)


def _fmt(v: float) -> str:
    if pd.isna(v):
        return ""
    if abs(v) == float("inf"):
        return "unbounded"
    mag = abs(v)
    d = 0 if mag >= 100 else 1 if mag >= 10 else 2 if mag >= 1 else 3
    return f"{v:,.{d}f}"


KIND_LABELS = {"claim": "claim (document)", "external": "claim (external)", "consistency": "consistency check"}
"""The kinds of :func:`counts`: claims of the documents, claims of the external sources, consistency checks."""


def counts(run: AuditRun) -> pd.DataFrame:
    """Verdict counts by document and kind (claims and consistency checks); also written to CSV.

    A consistency check is counted under the document of its side a (the document whose
    statement is set against another). Columns: document, kind, one per verdict of
    claims and of checks (blank where a verdict does not apply to the kind), total.
    """
    claims = selected(run)
    checks = selected_checks(run)
    cols = [*VERDICTS, *CHECK_VERDICTS]
    rows: list[dict[str, object]] = []
    for d in run.documents:
        g = claims[claims["source_id"] == d]
        kind = "external" if d == "external" else "claim"
        if len(g):
            rows.append(
                {"document": d, "kind": KIND_LABELS[kind], "total": len(g)}
                | {v: int((g["verdict"] == v).sum()) for v in VERDICTS}
            )
        h = checks[checks["source_a"] == d] if len(checks) else checks
        if len(h):
            rows.append(
                {"document": d, "kind": KIND_LABELS["consistency"], "total": len(h)}
                | {v: int((h["verdict"] == v).sum()) for v in CHECK_VERDICTS}
            )
    out = pd.DataFrame(rows, columns=["document", "kind", *cols, "total"])
    for kind in KIND_LABELS.values():
        k = out[out["kind"] == kind]
        if len(k):
            tot = {
                "document": "all",
                "kind": kind,
                **{v: k[v].sum(min_count=1) for v in cols},
                "total": k["total"].sum(),
            }
            out = pd.concat([out, pd.DataFrame([tot])], ignore_index=True)
    for c in [*cols, "total"]:
        out[c] = out[c].astype("Int64")
    run.out.table(out, f"{run.name}_counts")
    return out


def corroboration_table(run: AuditRun) -> pd.DataFrame:
    """External figures that restate a document value (same series and year); also written to CSV."""
    t = run.corroboration
    if t.empty or not run.include_external:
        return pd.DataFrame()
    docs = set(run.documents)
    ids = set(load_observations().loc[lambda o: o["source_id"].isin(docs), "obs_id"])
    t = t[t["document_obs"].isin(ids)].reset_index(drop=True)
    run.out.table(t, f"{run.name}_corroboration")
    return t


def corroboration_display(t: pd.DataFrame) -> pd.DataFrame:
    """The corroboration table for reading: values, verdict, publisher and reason (ids and basis in the CSV)."""
    if t.empty:
        return t
    cols = ["series_id", "year", "document_value", "external_value", "unit", "difference", "verdict", "publisher"]
    out = t[[*cols, "reason"]].rename(
        columns={"series_id": "series", "document_value": "document", "external_value": "external"}
    )
    return out.reset_index(drop=True)
