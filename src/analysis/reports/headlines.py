"""Headline records: each report's key results as structured values, computed once from its table.

A :class:`Record` is one headline: its sentence, the lead value with its unit, the other numbers
the sentence states (``values``), its period and basis, and where to check it (report section,
table row, input observations). The per-report modules (:mod:`analysis.reports.growth_headlines`,
``comparison_headlines``, ``elasticity_headlines``, ``audit_headlines``) compute the records from
the report tables; :mod:`analysis.reports.fmt` renders them (notebook, index, README), and
:mod:`analysis.build.findings` collects them for the index.

Which headlines exist, in which order, about which series or table rows, with which subject
wording and curated caveat, is data: ``data/raw/headlines.csv`` (:func:`load_specs`, validated;
a damaged row names file, row and column). A headline whose table or row is absent raises
:class:`Skip`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.errors import DataError, Problem


class Skip(Exception):
    """A headline cannot be stated from the tables present (the message says why)."""


@dataclass(frozen=True)
class Record:
    """One headline result and where to check it.

    Attributes
    ----------
    key : str
        Stable id (``headlines.csv`` column ``key``; the HTML anchor ``finding-<key>``).
    text : str
        One sentence: the result with its period, basis and main caveat.
    period, basis : str
        Shown beside the sentence (e.g. ``2013-2019``; ``nominal; documents + external values``).
    report, section : str
        Report run name and the heading of the section that explains the number (alternatives
        separated by ``|``).
    table : str
        Table stem under ``reports/tables/`` and ``row``, the 1-based data row of the CSV.
    inputs : tuple of str
        Observation ids (anchors of the data catalog) the number is computed from.
    value : float
        The lead value of the sentence (NaN when the headline is a count of verdicts and
        ``values`` holds them), in ``unit``.
    unit : str
        Unit of ``value``: ``fraction a year``, ``log change a year``, ``elasticity``, ``ratio``,
        ``count``, ``fraction``.
    values : dict of str to float
        The other numbers the sentence states, by name (e.g. ``start_value``, ``end_value``).
    """

    key: str
    text: str
    period: str
    basis: str
    report: str
    section: str
    table: str
    row: int
    inputs: tuple[str, ...] = field(default_factory=tuple)
    value: float = float("nan")
    unit: str = ""
    values: dict[str, float] = field(default_factory=dict, compare=False, hash=False)


# ----------------------------------------------------------------------------- the vocabulary

HEADLINES_CSV: Path = paths.RAW / "headlines.csv"
SPEC_COLUMNS = (
    "key",
    "order",
    "report",
    "section",
    "table",
    "kind",
    "rows",
    "inputs",
    "subject",
    "caveat",
    "caveat_across",
    "optional",
    "shown",
    "description",
)
"""Columns of ``data/raw/headlines.csv``. ``rows``, ``inputs`` and ``subject`` hold lists separated by
``|``; ``caveat_across`` may use ``{crossed}`` (break years a window crosses), ``{start}`` and
``{caveat}``; ``shown`` is ``index`` (a key finding of the index and README's first screen) or
``docs`` (a results block of the documentation, named by its key)."""
SHOWN = ("index", "docs")


@dataclass(frozen=True)
class Spec:
    """One row of ``data/raw/headlines.csv``: which rows a headline reads and its curated wording."""

    key: str
    order: int
    report: str
    section: str
    table: str
    kind: str
    rows: tuple[str, ...]
    inputs: tuple[str, ...]
    subject: tuple[str, ...]
    caveat: str
    caveat_across: str
    optional: bool
    shown: str
    description: str


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def load_specs(path: Path | None = None, kinds: Iterable[str] | None = None) -> list[Spec]:
    """The headline specifications of ``data/raw/headlines.csv``, in page order (column ``order``).

    Parameters
    ----------
    path : Path, optional
        The vocabulary file (default ``data/raw/headlines.csv``).
    kinds : iterable of str, optional
        The valid values of column ``kind`` (the functions of the per-report modules); not
        checked when None.

    Raises
    ------
    DataError
        A missing column, an empty required cell, a duplicate key or order, an order or optional
        flag that is not valid, or an unknown kind: each problem names file, row and column.
    """
    path = HEADLINES_CSV if path is None else Path(path)
    where = paths.relative(path)
    t = read_table(path, required=SPEC_COLUMNS)  # malformed CSV or a missing column: named problems
    problems: list[Problem] = []
    valid_kinds = set(kinds) if kinds is not None else None
    specs: list[Spec] = []
    seen: dict[str, int] = {}
    orders: dict[str, int] = {}
    for line, r in iter_rows(t):  # line: where the record starts (the header is line 1)
        for col in ("key", "order", "report", "section", "table", "kind", "rows", "optional"):
            if not r[col].strip():
                problems.append(Problem(where, line, col, "is empty; every headline needs it"))
        if r["key"] and not re.fullmatch(r"[a-z0-9_.-]+", r["key"]):
            problems.append(
                Problem(where, line, "key", f"{r['key']!r} is not lower-case letters, digits, '.', '_' and '-'")
            )
        if r["key"] in seen:
            problems.append(Problem(where, line, "key", f"{r['key']!r} repeats row {seen[r['key']]}"))
        seen.setdefault(r["key"], line)
        if r["order"] and not r["order"].isdigit():
            problems.append(Problem(where, line, "order", f"{r['order']!r} is not a whole number"))
        elif r["order"] in orders:
            problems.append(Problem(where, line, "order", f"{r['order']} repeats row {orders[r['order']]}"))
        orders.setdefault(r["order"], line)
        if r["shown"] not in SHOWN:
            problems.append(Problem(where, line, "shown", f"{r['shown']!r} is not one of {', '.join(SHOWN)}"))
        if r["optional"] not in ("yes", "no", ""):
            problems.append(Problem(where, line, "optional", f"{r['optional']!r} is not yes or no"))
        if valid_kinds is not None and r["kind"] and r["kind"] not in valid_kinds:
            problems.append(
                Problem(where, line, "kind", f"{r['kind']!r} is not one of {', '.join(sorted(valid_kinds))}")
            )
        if problems:
            continue
        specs.append(
            Spec(
                key=r["key"],
                order=int(r["order"]),
                report=r["report"],
                section=r["section"],
                table=r["table"],
                kind=r["kind"],
                rows=_split(r["rows"]),
                inputs=_split(r["inputs"]),
                subject=_split(r["subject"]),
                caveat=r["caveat"].strip(),
                caveat_across=r["caveat_across"].strip(),
                optional=r["optional"] == "yes",
                shown=r["shown"],
                description=r["description"],
            )
        )
    if problems:
        raise DataError(problems)
    return sorted(specs, key=lambda s: s.order)


# ----------------------------------------------------------------------------- the tables


@dataclass
class Context:
    """What the headlines read: the report tables folder and the processed observations.

    Parameters
    ----------
    tables_dir : Path
        The folder of report tables (``<name>.csv``), e.g. ``reports/tables`` or a run's
        ``<output_dir>/tables``.
    observations : DataFrame
        The processed observations (:func:`analysis.data.load.load_observations`).
    sources : DataFrame, optional
        The processed sources (default: ``data/processed/sources.csv``, read on first use).
    """

    tables_dir: Path
    observations: pd.DataFrame
    sources_frame: pd.DataFrame | None = None
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def of(cls, tables_dir: Path | str) -> Context:
        """A context over ``tables_dir`` with the processed observations (what a notebook calls)."""
        from analysis.data.load import load_observations

        return cls(Path(tables_dir), load_observations())

    def table(self, name: str) -> pd.DataFrame:
        """The table ``<name>.csv`` (Skip when it was not built)."""
        if name not in self._cache:
            path = self.tables_dir / f"{name}.csv"
            if not path.exists():
                raise Skip(f"table {name}.csv not built")
            self._cache[name] = pd.read_csv(
                path, dtype={"start_year": "Int64", "end_year": "Int64"}, keep_default_na=True
            )
        return self._cache[name]

    def row(self, name: str, where: Callable[[pd.DataFrame], pd.Series] | None = None, **keys) -> tuple[int, pd.Series]:
        """The first row of table ``name`` matching ``keys`` (column == value) and ``where``.

        Returns the 1-based CSV data row number and the row. Skip when no row matches.
        """
        t = self.table(name)
        mask = pd.Series(True, index=t.index)
        for col, value in keys.items():
            if col not in t.columns:
                raise Skip(f"{name}.csv has no column {col!r}")
            mask &= t[col].astype(str) == str(value)
        if where is not None:
            mask &= where(t)
        hits = t[mask]
        if hits.empty:
            raise Skip(f"{name}.csv has no row with {keys}")
        i = int(hits.index[0])
        return i + 1, hits.iloc[0]

    def obs_ids(self, series_id: str, years, kinds=("document", "external", "derived")) -> tuple[str, ...]:
        """Observation ids of ``series_id`` in ``years``, one per year (the first of ``kinds`` observed).

        The same preference as the report computations: a document value where there is one.
        """
        out = []
        for y in sorted({int(y) for y in years}):
            try:
                out.append(str(self.obs(series_id, y, kinds)["obs_id"]))
            except Skip:
                continue
        return tuple(out)

    def obs(self, series_id: str, year: int, kinds=("document", "external", "derived")) -> pd.Series:
        """The observation of a series in a year (first of ``kinds`` in that order)."""
        rows = self._by_series_year.get((series_id, int(year)), {})
        for k in kinds:
            if k in rows:
                return self.observations.iloc[rows[k]]
        raise Skip(f"no observation {series_id} {year}")

    @cached_property
    def _by_series_year(self) -> dict[tuple[str, int], dict[str, int]]:
        """Row position of the first observation of each (series, year) and kind, in file order."""
        o = self.observations
        out: dict[tuple[str, int], dict[str, int]] = {}
        for pos, (sid, year, kind) in enumerate(zip(o["series_id"], o["year"], o["kind"], strict=True)):
            out.setdefault((sid, int(year)), {}).setdefault(kind, pos)
        return out

    @property
    def sources(self) -> pd.DataFrame:
        """The processed sources (``source_id``, ``date``, ...)."""
        if self.sources_frame is None:
            self.sources_frame = pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False)
        return self.sources_frame


def low_confidence(ctx: Context, ids: list[str]) -> str:
    """``; low-confidence input(s): <ids>`` for the observations whose confidence is low ('' if none)."""
    o = ctx.observations
    if "confidence" not in o.columns:
        return ""
    conf = dict(zip(o["obs_id"].astype(str), o["confidence"].fillna("").astype(str), strict=True))
    low = [i for i in ids if conf.get(i, "").strip().lower() == "low"]
    return f"; low-confidence input{'s' if len(low) > 1 else ''}: {', '.join(low)}" if low else ""


def run_records(
    ctx: Context, kinds: Mapping[str, Callable[[Context, Spec], Record]], specs: list[Spec] | None = None
) -> list[Record]:
    """The records of every spec whose kind is in ``kinds`` (a report's own headlines), skipped ones left out."""
    out = []
    for spec in load_specs() if specs is None else specs:
        if spec.kind in kinds and spec.shown == "index":
            try:
                out.append(kinds[spec.kind](ctx, spec))
            except Skip:
                continue
    return out
