"""Key findings for the top of ``reports/index.html``: the reports' headline records, collected.

The records are computed by the per-report modules (:mod:`analysis.reports.growth_headlines`,
``comparison_headlines``, ``elasticity_headlines``, ``audit_headlines``) from the report tables;
which headlines exist, in which order and which are optional is ``data/raw/headlines.csv``
(:func:`analysis.reports.headlines.load_specs`). This module only collects them: page order,
the page's limit (optional ones left out first, from the end), and the naming of every
low-confidence input (:func:`name_low_confidence`). The sentences are rendered by
:mod:`analysis.reports.fmt`, the same way as README's results.

A headline whose table or row is absent (a partial build, a run with other parameters, a
renamed series) raises :class:`Skip`; :func:`collect` logs the reason and goes on, so a
missing report never breaks the index.

To add a finding: add a row to ``data/raw/headlines.csv`` with an existing ``kind`` (or write a
``kind`` function in the report's ``*_headlines`` module and add it to its ``KINDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.reports import audit_headlines, comparison_headlines, elasticity_headlines, growth_headlines
from analysis.reports.headlines import Context, Record, Skip, Spec, load_specs

Finding = Record
"""The index's name for a headline record."""

__all__ = ["KINDS", "Context", "Finding", "Record", "Skip", "collect", "name_low_confidence", "record"]

KINDS: dict[str, Callable[[Context, Spec], Record]] = {
    **growth_headlines.KINDS,
    **comparison_headlines.KINDS,
    **elasticity_headlines.KINDS,
    **audit_headlines.KINDS,
}
"""Every headline kind (column ``kind`` of ``data/raw/headlines.csv``) and the function computing it."""


def name_low_confidence(ctx: Context, f: Record) -> Record:
    """The record with its low-confidence inputs named at the end of its sentence.

    An input whose ``confidence`` (the external figures' column of the observations) is
    ``low`` is listed by id, so a reader sees which headline rests on a weak source. The
    sentence is unchanged when no input is low or the observations have no such column.
    """
    o = ctx.observations
    if "confidence" not in o.columns or not f.inputs:
        return f
    conf = dict(zip(o["obs_id"].astype(str), o["confidence"].fillna("").astype(str), strict=True))
    low = [i for i in f.inputs if conf.get(i, "").strip().lower() == "low"]
    if not low:
        return f
    many = "s" if len(low) > 1 else ""
    text = f"{f.text.rstrip('.')}; it rests on low-confidence external value{many} {', '.join(low)}."
    return replace(f, text=text)


def record(ctx: Context, key: str) -> Record:
    """The record of the headline ``key`` of ``data/raw/headlines.csv`` (Skip when its table or row is absent)."""
    specs = {s.key: s for s in load_specs(kinds=KINDS)}
    if key not in specs:
        raise KeyError(f"no headline {key!r} in data/raw/headlines.csv; keys: {', '.join(specs)}")
    return KINDS[specs[key].kind](ctx, specs[key])


def collect(
    tables_dir: Path, observations: pd.DataFrame, limit: int = 12, specs: list[Spec] | None = None
) -> list[Record]:
    """Every headline the tables support, in page order, each skipped one printed with its reason.

    When more than ``limit`` are available, the optional ones (``headlines.csv``) are left out
    from the end of the page until ``limit`` remain.
    """
    ctx = Context(Path(tables_dir), observations)
    specs = [s for s in (load_specs(kinds=KINDS) if specs is None else specs) if s.shown == "index"]
    out: list[tuple[Spec, Record]] = []
    for spec in specs:
        try:
            out.append((spec, name_low_confidence(ctx, KINDS[spec.kind](ctx, spec))))
        except Skip as why:
            print(f"[findings] skipped {spec.key}: {why}")
        except (KeyError, ValueError, TypeError) as exc:  # a table whose layout changed
            print(f"[findings] skipped {spec.key}: {type(exc).__name__}: {exc}")
    for spec in [s for s, _ in reversed(out) if s.optional]:
        if len(out) <= limit:
            break
        out = [(s, f) for s, f in out if s.key != spec.key]
    return [f for _, f in out[:limit]]
