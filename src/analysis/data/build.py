"""``make data``: validate every raw table and write ``data/processed/``.

Outputs (replaced together, atomically, only when every check passes):

``observations.csv``  one tidy row per observation (document, external, derived)
``claims.csv``        the validated claims register
``consistency.csv``   the validated internal-consistency register
``sources.csv``       the source catalog

On any problem the command prints each one (file, row, column, what to do), exits
with status 1, and leaves the previous ``data/processed/`` untouched. On success it
reports what changed against the previous processed tables (:mod:`analysis.data.changes`):
one summary line, then the ids of removed, changed and added rows with old and new value.

Usage: ``python -m analysis.data.build [--raw DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

import pandas as pd

from analysis import paths
from analysis.data.changes import TableChanges, compare
from analysis.data.csvio import csv_bytes, iter_rows, replace_all
from analysis.data.derive import derive_all
from analysis.data.raw import RawData, load_raw
from analysis.data.vocab import load_derivations, load_overlaps
from analysis.errors import DataError, Problem

Check = Callable[[Path | None, pd.DataFrame], list[Problem]]
"""A further check of the raw folder, given the tidy observations about to be written (for curated
tables that layers above the data read, e.g. the reports' vocabularies: :mod:`analysis.build.data`)."""

OBSERVATION_OUTPUT = (
    "series_id",
    "obs_id",
    "region",
    "indicator",
    "label",
    "year",
    "period_start",
    "value",
    "unit",
    "value_base",
    "base_unit",
    "value_low",
    "value_high",
    "kind",
    "qualifier",
    "value_printed",
    "unit_printed",
    "source_id",
    "quote",
    "publisher",
    "url",
    "basis",
    "confidence",
    "vintage",
    "preferred",
    "note",
    "source_file",
    "source_row",
)
"""Columns of ``data/processed/observations.csv``."""

KIND_ORDER = {"document": 0, "external": 1, "derived": 2}


def _plain(d: Decimal | None) -> str:
    """Decimal as plain text without exponent or trailing zeros (``7.057E+10`` -> ``70570000000``)."""
    if d is None:
        return ""
    return format(d.normalize(), "f")


def tidy_observations(data: RawData, raw: Path | None = None) -> pd.DataFrame:
    """Combine document, external and derived rows into the tidy processed table.

    The derivation rules are ``derivations.csv`` of ``raw`` (default ``data/raw``), validated here
    with ``region_overlaps.csv`` (:mod:`analysis.data.vocab`).
    """
    obs = data.observations.copy()
    measure = data.regions.get("poverty_measure", pd.Series("", index=data.regions.index))
    rules = load_derivations(Path(raw or paths.RAW), data.indicators, data.units)
    load_overlaps(raw, data.regions)
    derived = derive_all(obs, rules, data.units, data.regions.loc[measure == "registered", "region"])
    labels = dict(zip(data.indicators["indicator"], data.indicators["label"], strict=True))
    rows = []
    for _, r in iter_rows(obs):
        rows.append(
            {
                **{c: r.get(c, "") for c in OBSERVATION_OUTPUT if c in r},
                "value": r["value_decimal"],
                "value_low": None,
                "value_high": None,
            }
        )
    for _, r in derived.iterrows():
        rows.append(
            {
                **r.to_dict(),
                "qualifier": "exact",
                "value_printed": "",
                "preferred": "yes",
                "vintage": "",
                "source_file": "",
                "source_row": "",
            }
        )
    out = pd.DataFrame(rows)
    for c in OBSERVATION_OUTPUT:
        if c not in out.columns:
            out[c] = ""
    out["series_id"] = out["region"].str.lower() + "." + out["indicator"]
    out["label"] = out["indicator"].map(labels).fillna(out["indicator"])
    base = [data.units[u] for u in out["unit"]]
    out["base_unit"] = [u.base_unit for u in base]
    out["value_base"] = [_plain(Decimal(v) * u.factor) for v, u in zip(out["value"], base, strict=True)]
    for c in ("value", "value_low", "value_high"):
        out[c] = [_plain(Decimal(v)) if v is not None and v == v and v != "" else "" for v in out[c]]
    out["_k"] = out["kind"].map(KIND_ORDER)
    out["_p"] = (out["preferred"] == "no").astype(int)
    out = out.sort_values(["series_id", "year", "_k", "_p"], kind="stable").drop(columns=["_k", "_p"])
    return out[list(OBSERVATION_OUTPUT)].reset_index(drop=True)


def _frame_bytes(df: pd.DataFrame, columns: list[str]) -> bytes:
    def cell(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
            return ""
        return v

    return csv_bytes(columns, ([cell(v) for v in rec] for rec in df[columns].itertuples(index=False, name=None)))


def _previous(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class BuildCounts(TypedDict):
    """What :func:`build` validated and wrote."""

    observations: int
    claims: int
    consistency: int
    sources: int
    changed: int
    changes: list[TableChanges]


def build(raw: Path | None = None, out: Path | None = None, checks: Sequence[Check] = ()) -> BuildCounts:
    """Validate ``raw`` and write the processed tables to ``out`` atomically.

    Parameters
    ----------
    raw : Path, optional
        Raw data folder (default ``data/raw``).
    out : Path, optional
        Output folder (default ``data/processed``).
    checks : sequence of callables, optional
        Further checks, each given ``raw`` and the tidy observations; their problems fail the
        build like any other (nothing is written).

    Returns
    -------
    dict
        Row counts written, by table; ``changed`` (files rewritten) and ``changes``
        (:class:`analysis.data.changes.TableChanges` of observations and claims against
        the previous version).

    Raises
    ------
    DataError
        When any raw table fails validation; nothing is written then.
    """
    out = Path(out or paths.PROCESSED)
    data = load_raw(raw)
    obs = tidy_observations(data, raw)
    problems = [p for check in checks for p in check(raw, obs)]
    if problems:
        raise DataError(problems)
    claims = data.claims.drop(columns=["stated_decimal"], errors="ignore")
    sources = data.sources
    files = {
        out / "observations.csv": _frame_bytes(obs, list(OBSERVATION_OUTPUT)),
        out / "claims.csv": _frame_bytes(claims, list(claims.columns)),
        out / "consistency.csv": _frame_bytes(data.consistency, list(data.consistency.columns)),
        out / "sources.csv": _frame_bytes(sources, list(sources.columns)),
    }
    changes = [
        compare(
            "observations",
            _previous(out / "observations.csv"),
            files[out / "observations.csv"],
            "obs_id",
            "value",
            "unit",
        ),
        compare("claims", _previous(out / "claims.csv"), files[out / "claims.csv"], "claim_id", "stated", "unit"),
    ]
    written = replace_all(files)
    (out / ".validated").write_text("validated\n", encoding="utf-8")
    return {
        "observations": len(obs),
        "claims": len(claims),
        "consistency": len(data.consistency),
        "sources": len(sources),
        "changed": len(written),
        "changes": changes,
    }


def change_report(changes: list[TableChanges]) -> str:
    """The summary line and the listed rows (see :mod:`analysis.data.changes`)."""
    lines = ["make data: changes against the previous data/processed: " + "; ".join(c.summary() for c in changes)]
    for c in changes:
        lines += c.details()
    return "\n".join(lines)


def main(argv: list[str] | None = None, checks: Sequence[Check] = ()) -> int:
    """Command-line entry point (``checks`` as for :func:`build`); returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=None, help="raw data folder (default data/raw)")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default data/processed)")
    args = ap.parse_args(argv)
    try:
        counts = build(args.raw, args.out, checks)
    except DataError as exc:
        print(f"make data: FAILED, data/processed left unchanged.\n{exc}", file=sys.stderr)
        return 1
    where = paths.relative(Path(args.out or paths.PROCESSED))
    changed = f"{counts['changed']} file(s) changed" if counts["changed"] else "no file changed"
    print(
        f"make data: validated; {counts['observations']} observations, {counts['claims']} claims, "
        f"{counts['consistency']} consistency checks and "
        f"{counts['sources']} sources in {where}/ ({changed})"
    )
    print(change_report(counts["changes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
