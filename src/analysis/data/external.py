"""External (secondary) observations, derived from the project's copy of ``figures.csv``.

``data/raw/external/figures.csv`` is a checksummed copy of the shared file of yearly
values the documents lack (publisher, address, verbatim quote, confidence, vintage and a
``preferred`` flag per row). ``make data`` turns every row into an observation here;
nothing is retyped. Each row is checked:

* the columns are present and the vocabularies known: region (``regions.csv``),
  indicator (``external_indicators.csv``, which maps the file's indicator names to the
  project's ``indicators.csv`` and names the unit each series is kept in), unit
  (``units.csv``), confidence, vintage, ``preferred`` (yes/no);
* ``value`` and ``year`` are plain numbers; ``value_printed`` occurs in ``quote`` and,
  read with its separators and scale words (``1만 4617원``, ``82,712.2 billion``,
  ``10,7 por ciento``), equals ``value`` in ``unit`` exactly;
* at most one row per (project indicator, region, year) is preferred; a key with only
  ``preferred = no`` rows (the unverified 2014 GDP figures) has no default value.

The value is then converted exactly (decimal) to the series unit (``1.12 万元`` is
``11200 元``, ``1.66 亿人`` is ``16600 万人``), keeping ``value_printed`` and
``unit_printed`` as the source printed them. Ids are ``region.indicator.year.ext`` for
the preferred row and ``region.indicator.year.ext.alt1``, ``.alt2``... (file order) for
the alternatives, which keep ``preferred = no`` and are never used by default.

Installing a new ``figures.csv`` (``make external FIGURES=PATH``) is
:mod:`analysis.data.external_update`: it validates the candidate with the whole raw data
(:mod:`analysis.data.raw`, which imports this module), so it sits above both.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.numbers import cell_number, parse_printed_scaled
from analysis.data.schema import CONFIDENCE, TEXT, is_missing_word, validate
from analysis.data.units import Unit
from analysis.errors import DataError, Problem

FIGURES = "figures.csv"
README = "README.md"
SUMS = "SHA256SUMS"
MAP_TABLE = "external_indicators.csv"

FIGURES_COLUMNS = (
    "indicator",
    "region",
    "year",
    "value",
    "value_printed",
    "unit",
    "basis",
    "publisher",
    "url",
    "quote",
    "confidence",
    "note",
    "vintage",
    "preferred",
)
"""Columns of ``figures.csv`` (all required)."""

VINTAGES = ("preliminary", "revised", "final", "as published")
PREFERRED = ("yes", "no")
YEAR_MIN, YEAR_MAX = 1978, 2025

_QUALIFIER_BEFORE = (
    (re.compile(r"(约为?|大约|around|about|approximately|some)\s*$"), "about"),
    (re.compile(r"(近|nearly|almost)\s*$"), "nearly"),
    (re.compile(r"(超过|逾|more than|over)\s*$"), "more_than"),
)
_QUALIFIER_AFTER = ((re.compile(r"^\s*(多|余)"), "more_than"),)


def _nonempty(col: str) -> pa.Check:
    return pa.Check.str_length(min_value=1, error=f"'{col}' must not be empty")


def _not_missing_word(col: str) -> pa.Check:
    return pa.Check(
        lambda s: ~s.astype(str).map(is_missing_word),
        error=f"'{col}' holds a missing-value marker (nan, None, #N/A ...); fill it in",
    )


def _vocab(values, what: str) -> pa.Check:
    vals = sorted(set(values))
    shown = ", ".join(vals) if len(vals) <= 40 else ", ".join(vals[:40]) + ", ..."
    return pa.Check.isin(vals, error=f"unknown {what}; valid: {shown}")


def figures_schema(regions, indicators, units) -> pa.DataFrameSchema:
    """pandera schema of ``figures.csv`` given the project's vocabularies."""
    # one schema object per set of vocabularies, so that validate() can reuse an unchanged table's result
    return _figures_schema(frozenset(regions), frozenset(indicators), frozenset(units))


@lru_cache(maxsize=8)
def _figures_schema(regions: frozenset[str], indicators: frozenset[str], units: frozenset[str]) -> pa.DataFrameSchema:
    cols = {c: pa.Column(TEXT, [_nonempty(c), _not_missing_word(c)]) for c in FIGURES_COLUMNS if c != "note"}
    cols["note"] = pa.Column(TEXT)
    cols["region"] = pa.Column(TEXT, _vocab(regions, "region (add it to data/raw/regions.csv)"))
    cols["indicator"] = pa.Column(
        TEXT, _vocab(indicators, f"indicator (map it to a project indicator in data/raw/{MAP_TABLE})")
    )
    cols["unit"] = pa.Column(TEXT, _vocab(units, "unit (add it to data/raw/units.csv)"))
    cols["confidence"] = pa.Column(TEXT, _vocab(CONFIDENCE, "confidence"))
    cols["vintage"] = pa.Column(TEXT, _vocab(VINTAGES, "vintage"))
    cols["preferred"] = pa.Column(TEXT, _vocab(PREFERRED, "preferred (yes or no)"))
    return pa.DataFrameSchema(cols, strict=False, coerce=False, name="figures")


def read_indicator_map(
    path: Path, indicators: set[str], units: dict[str, Unit], problems: list[Problem]
) -> dict[str, tuple[str, str]]:
    """``external_indicators.csv``: figures indicator -> (project indicator, series unit)."""
    df = read_table(path, required=["figures_indicator", "indicator", "unit", "note"], strict=True)
    name = df.attrs["file"]
    out: dict[str, tuple[str, str]] = {}
    for row, r in iter_rows(df):
        before = len(problems)
        key = r["figures_indicator"]
        if not key.strip() or is_missing_word(key) or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            problems.append(
                Problem(name, row, "figures_indicator", f"'{key}' is not an indicator name of figures.csv.")
            )
        elif key in out:
            problems.append(Problem(name, row, "figures_indicator", f"'{key}' is mapped twice."))
        if r["indicator"] not in indicators:
            problems.append(
                Problem(name, row, "indicator", f"unknown indicator '{r['indicator']}'; add it to indicators.csv.")
            )
        if r["unit"] not in units:
            problems.append(Problem(name, row, "unit", f"unknown unit '{r['unit']}'; add it to units.csv."))
        if len(problems) == before:  # a broken mapping is reported, never used
            out[key] = (r["indicator"], r["unit"])
    return out


def convert(value: Decimal, unit: str, to: str, units: dict[str, Unit]) -> Decimal:
    """Convert ``value`` from ``unit`` to ``to`` exactly (decimal factors and offsets).

    An index with the preceding year = 100 (``上年=100``) becomes the change in percent
    exactly: the index minus 100.

    A yearly or monthly standard printed in plain yuan (``2536元``) converts to
    ``元/年``/``元/月`` one to one.

    Raises
    ------
    ValueError
        When the base units differ (persons cannot become yuan).
    """
    a, b = units[unit], units[to]
    if a.base_unit != b.base_unit and not (a.base_unit == "yuan" and b.base_unit in ("yuan/year", "yuan/month")):
        raise ValueError(f"cannot convert {unit} ({a.base_unit}) to {to} ({b.base_unit})")
    out = (value * a.factor + a.offset - b.offset) / b.factor
    return out.normalize() if out == out.to_integral_value() else out


def qualifier_of(quote: str, printed: str) -> str:
    """``about``, ``nearly``, ``more_than`` or ``exact``, from the words around the printed value."""
    k = quote.find(printed)
    if k < 0:
        return "exact"
    before, after = quote[max(0, k - 16) : k], quote[k + len(printed) : k + len(printed) + 4]
    for rx, q in _QUALIFIER_BEFORE:
        if rx.search(before):
            return q
    for rx, q in _QUALIFIER_AFTER:
        if rx.search(after):
            return q
    return "exact"


def printed_equals(printed: str, value: Decimal, unit: str, units: dict[str, Unit]) -> bool:
    """Whether ``printed`` (as the source prints it) equals ``value`` in ``unit``."""
    number, scaled = parse_printed_scaled(printed)
    if scaled:  # a scale word was printed: the number is in the base unit
        return number == value * units[unit].factor
    return number == value


def external_observations(
    path: Path,
    regions: set[str],
    indicator_map: dict[str, tuple[str, str]],
    units: dict[str, Unit],
    problems: list[Problem],
) -> pd.DataFrame:
    """Validate ``figures.csv`` and return one observation row per line.

    Parameters
    ----------
    path : Path
        The project's copy, ``data/raw/external/figures.csv``.
    regions : set of str
        Valid regions.
    indicator_map : dict
        From :func:`read_indicator_map`.
    units : dict
        The unit table.
    problems : list of Problem
        Problems found are appended (file, row, column).

    Returns
    -------
    pandas.DataFrame
        Observation columns plus ``unit_printed, basis, publisher, url, confidence,
        vintage, preferred, value_decimal, source_file, source_row``.
    """
    try:
        df = read_table(path, required=list(FIGURES_COLUMNS), strict=True)
    except DataError as exc:
        problems += exc.problems
        return pd.DataFrame()
    name = df.attrs["file"]
    check_readme(path.parent / README, df, problems)
    found = validate(figures_schema(regions, indicator_map, units), df)
    problems += found
    bad_rows = {p.row for p in found}
    rows = []
    for row, r in iter_rows(df):
        year = cell_number(r["year"], name, row, "year", problems)
        if year is not None and (year != year.to_integral_value() or not YEAR_MIN <= year <= YEAR_MAX):
            problems.append(
                Problem(name, row, "year", f"year {r['year']} is not a whole year between {YEAR_MIN} and {YEAR_MAX}.")
            )
            year = None
        value = cell_number(r["value"], name, row, "value", problems)
        printed, quote = r["value_printed"], r["quote"]
        if printed and quote and printed not in quote:
            problems.append(
                Problem(name, row, "value_printed", f"the printed value '{printed}' does not occur in the quote.")
            )
        if row in bad_rows or year is None or value is None or r["indicator"] not in indicator_map:
            continue
        try:
            ok = printed_equals(printed, value, r["unit"], units)
        except ValueError as exc:
            problems.append(Problem(name, row, "value_printed", f"{exc}."))
            continue
        if not ok:
            problems.append(
                Problem(
                    name, row, "value", f"value {r['value']} {r['unit']} does not equal the printed value '{printed}'."
                )
            )
            continue
        indicator, series_unit = indicator_map[r["indicator"]]
        try:
            v = convert(value, r["unit"], series_unit, units)
        except ValueError as exc:
            problems.append(Problem(name, row, "unit", f"{exc} (the series unit in data/raw/{MAP_TABLE})."))
            continue
        note = r["note"]
        if units[r["unit"]].offset:
            derived = f"change derived from the printed index ({r['unit']}) as index minus 100"
            note = f"{derived}; {note}" if note else derived
        rows.append(
            {
                "region": r["region"],
                "indicator": indicator,
                "year": int(year),
                "period_start": None,
                "value_printed": printed,
                "unit_printed": r["unit"] if r["unit"] != series_unit else "",
                "qualifier": qualifier_of(quote, printed),
                "unit": series_unit,
                "value": format(v, "f"),
                "value_decimal": v,
                "kind": "external",
                "source_id": "external",
                "quote": quote,
                "note": note,
                "basis": r["basis"],
                "publisher": r["publisher"],
                "url": r["url"],
                "confidence": r["confidence"],
                "vintage": r["vintage"],
                "preferred": r["preferred"],
                "source_file": name,
                "source_row": row,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    _check_one_preferred(out, name, problems)
    ids = []
    alt: dict[tuple, int] = {}
    for _, r in iter_rows(out):
        key = (r["region"], r["indicator"], r["year"])
        base = f"{r['region'].lower()}.{r['indicator']}.{r['year']}.ext"
        if r["preferred"] == "yes":
            ids.append(base)
        else:
            alt[key] = alt.get(key, 0) + 1
            ids.append(f"{base}.alt{alt[key]}")
    out.insert(0, "obs_id", ids)
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["period_start"] = pd.array([None] * len(out), dtype="Int64")
    return out


def _check_one_preferred(out: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    keys = ["region", "indicator", "year"]
    n_yes = (out["preferred"] == "yes").groupby([out[k] for k in keys], sort=False).transform("sum")
    for (region, indicator, year), g in out[n_yes > 1].groupby(keys, sort=False):
        # A key with only `preferred = no` rows (unverified figures, say) is allowed: it has
        # no default value, and its rows are alternatives that a report uses only when asked.
        yes = g[g["preferred"] == "yes"]
        rows = ", ".join(str(r) for r in g["source_row"])
        for r in yes["source_row"].iloc[1:]:
            problems.append(
                Problem(
                    name,
                    int(r),
                    "preferred",
                    f"{region} {indicator} {year} has more than one preferred row (rows {rows}); mark exactly one "
                    "'yes'.",
                )
            )


_README_TOTAL = re.compile(r"\b(\d[\d,]*) rows:")
_README_REGION = re.compile(r"^\s*-\s+([A-Z][A-Za-z0-9]*) \((\d[\d,]*)\)")


def check_readme(readme: Path, figures: pd.DataFrame, problems: list[Problem]) -> None:
    """Check the counts that ``README.md`` states (``175 rows:``, ``- Xiangxi (46): ...``) against the file.

    Parameters
    ----------
    readme : Path
        The README beside ``figures.csv`` (nothing is checked when it is missing: the
        checksums and :func:`update` report that).
    figures : pandas.DataFrame
        ``figures.csv`` as read (one row per line, column ``region``).
    problems : list of Problem
        A problem naming the README's line for each count that differs, and for a region
        of the file the README does not count.
    """
    if not readme.is_file():
        return
    name = paths.relative(readme)
    lines = readme.read_text(encoding="utf-8").splitlines()
    fix = "update the README's counts (and what the rows cover) together with figures.csv."
    counts = figures["region"].value_counts()
    total = [(n, m) for n, line in enumerate(lines, start=1) if (m := _README_TOTAL.search(line))]
    if not total:
        problems.append(Problem(name, None, None, f"the README states no row count ('{len(figures)} rows:'); {fix}"))
    for n, m in total:
        if int(m.group(1).replace(",", "")) != len(figures):
            problems.append(
                Problem(name, n, None, f"the README says '{m.group(0)}' but {FIGURES} has {len(figures)} rows; {fix}")
            )
    listed: set[str] = set()
    for n, line in enumerate(lines, start=1):
        if m := _README_REGION.match(line):
            region, stated = m.group(1), int(m.group(2).replace(",", ""))
            listed.add(region)
            if stated != int(counts.get(region, 0)):
                problems.append(
                    Problem(
                        name,
                        n,
                        None,
                        f"the README says {region} ({stated}) but {FIGURES} has {int(counts.get(region, 0))} "
                        f"{region} rows; {fix}",
                    )
                )
    for region, k in counts.items():
        if region not in listed and region:
            problems.append(
                Problem(name, None, None, f"the README lists no count for {region} ({FIGURES} has {k} rows); {fix}")
            )


def sums_text(folder: Path, names: tuple[str, ...] = (FIGURES, README)) -> str:
    """``sha256sum``-format list of ``names`` in ``folder``."""
    return "".join(
        f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in names if (folder / n).exists()
    )
