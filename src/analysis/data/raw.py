"""Read and validate every raw table under ``data/raw/``.

:func:`load_raw` returns the validated tables or raises one :class:`DataError` listing
every problem found (file, row, column, what to do). The checks:

* schema (pandera): required columns, controlled vocabularies, non-empty cells;
* numbers: ``value``, ``year`` and ``period_start`` are plain numbers (full-width digits
  are normalised, anything else refused); years are plausible;
* provenance: the quote occurs verbatim in the named document; the printed value occurs
  in the quote and equals the numeric value in its unit;
* external rows: derived from the checksummed copy ``external/figures.csv`` with its own
  checks (:mod:`analysis.data.external`), never typed into a table;
* plausibility: each value of a level series against its neighbours, rates and shares
  within their range (:mod:`analysis.data.plausibility`);
* identity: ``obs_id`` follows ``region.indicator.year`` (external:
  ``.ext``/``.ext.altN``); a (region, indicator, year, kind) appears once across all
  tables among the preferred rows;
* claims: quote verbatim, stated value printed in it, inputs exist;
* consistency checks: both quotes verbatim in their documents (or in an external
  row's quote), both sides well-formed expressions of known observation ids, each
  operand's printed value in its side's quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.breaks import series_break_problems
from analysis.data.csvio import iter_rows, read_table
from analysis.data.deflators import deflator_problems
from analysis.data.expressions import parse_expression
from analysis.data.external import FIGURES, MAP_TABLE, external_observations, read_indicator_map
from analysis.data.numbers import cell_number, parse_printed, parse_printed_scaled
from analysis.data.plausibility import check_series
from analysis.data.provenance import check_quote, printed_matches, verify_checksums
from analysis.data.schema import (
    CLAIM_COLUMNS,
    CONSISTENCY_COLUMNS,
    INDICATOR_SCHEMA,
    OBSERVATION_COLUMNS,
    REGION_SCHEMA,
    SOURCE_SCHEMA,
    claim_schema,
    consistency_schema,
    observation_schema,
    validate,
)
from analysis.data.units import Unit, read_units
from analysis.data.vocab import check_indicator_references, check_region_references
from analysis.errors import DataError, Problem

YEAR_MIN, YEAR_MAX = 1978, 2025
"""Plausible reference years: reform era to the latest source's coverage."""

OBSERVATION_GLOB = "observations_*.csv"


@dataclass
class RawData:
    """The validated raw tables."""

    sources: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    units: dict[str, Unit]
    observations: pd.DataFrame
    claims: pd.DataFrame
    documents: dict[str, str] = field(default_factory=dict)
    consistency: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CONSISTENCY_COLUMNS)))


def _vocab_table(path: Path, schema, key: str, problems: list[Problem]) -> pd.DataFrame:
    df = read_table(path, required=list(schema.columns))
    problems += validate(schema, df)
    return df


def check_date(text: str) -> str | None:
    """Why ``text`` is not a date of a source (``2020``, ``2020-09``, ``2020-09-08`` or years ``2020-2021``), or None.

    >>> check_date("2016-06-13") is None, check_date("2020-2021") is None, check_date("2019-13-45")
    (True, True, "'2019-13-45' is not a calendar date (month 13?)")
    """
    t = text.strip()
    if span := re.fullmatch(r"(\d{4})-(\d{4})", t):
        first, last = (int(g) for g in span.groups())
        if not YEAR_MIN <= first < last <= YEAR_MAX:
            return f"'{text}' is not a span of years between {YEAR_MIN} and {YEAR_MAX}, first year first"
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", t)
    if not m:
        return f"'{text}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = (int(g) if g else None for g in m.groups())
    if not YEAR_MIN <= (year or 0) <= YEAR_MAX:
        return f"year {year} of '{text}' is not between {YEAR_MIN} and {YEAR_MAX}"
    try:
        date(year or 0, month or 1, day or 1)
    except ValueError:
        what = "month 13?" if month and month > 12 else "no such day"
        return f"'{text}' is not a calendar date ({what})"
    return None


def _check_vocabularies(sources: pd.DataFrame, regions: pd.DataFrame, problems: list[Problem]) -> None:
    """Checks across rows that a schema cannot make: source dates, region parents, region codes (a GB/T 2260
    code with the address it was read at, or a note saying why a region has none)."""
    for row, r in iter_rows(sources):
        if r["date"].strip() and (why := check_date(r["date"])):
            problems.append(Problem(sources.attrs["file"], row, "date", f"{why}."))
    known = set(regions["region"])
    for row, r in iter_rows(regions):
        code, note, source = (str(r.get(c, "") or "").strip() for c in ("gbt2260_code", "code_note", "code_source"))
        if code and not source:
            problems.append(
                Problem(regions.attrs["file"], row, "code_source", "a GB/T 2260 code needs the address it was read at.")
            )
        if not code and not note:
            problems.append(
                Problem(
                    regions.attrs["file"],
                    row,
                    "code_note",
                    "without a GB/T 2260 code, say why (not an administrative division, below the county level ...).",
                )
            )
        if str(r.get("register_break", "") or "").strip() and str(r.get("poverty_measure", "")).strip() != "registered":
            problems.append(
                Problem(
                    regions.attrs["file"],
                    row,
                    "register_break",
                    "a register break needs poverty_measure 'registered' (only the 建档立卡 register is re-adjusted).",
                )
            )
        parent = r["parent"].strip()
        if parent and (parent not in known or parent == r["region"]):
            problems.append(
                Problem(
                    regions.attrs["file"],
                    row,
                    "parent",
                    f"parent '{parent}' is not another region of regions.csv; leave it empty for the top level.",
                )
            )


def _documents(sources: pd.DataFrame, raw: Path, problems: list[Problem]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for row, r in iter_rows(sources):
        if not r["source_id"].startswith("doc"):
            continue
        f = raw / r["file"]
        if not r["file"].strip() or not f.is_file():
            problems.append(Problem(sources.attrs["file"], row, "file", f"{paths.relative(f)} is not a file."))
            continue
        texts[r["source_id"]] = f.read_text(encoding="utf-8")
    return texts


def _check_observations(df: pd.DataFrame, data: RawData, problems: list[Problem]) -> pd.DataFrame:
    """Row-by-row numeric and provenance checks of a document table; returns it with parsed columns."""
    name = df.attrs["file"]
    years, starts, values = [], [], []
    for row, r in iter_rows(df):
        year = cell_number(r["year"], name, row, "year", problems)
        if year is not None and (year != year.to_integral_value() or not YEAR_MIN <= year <= YEAR_MAX):
            problems.append(
                Problem(name, row, "year", f"year {r['year']} is not a whole year between {YEAR_MIN} and {YEAR_MAX}.")
            )
            year = None
        start = cell_number(r["period_start"], name, row, "period_start", problems, required=False)
        if start is not None and year is not None and not (YEAR_MIN <= start < year):
            problems.append(
                Problem(
                    name,
                    row,
                    "period_start",
                    f"period_start {r['period_start']} must be a year before year {r['year']}.",
                )
            )
            start = None
        value = cell_number(r["value"], name, row, "value", problems)
        years.append(int(year) if year is not None else None)
        starts.append(int(start) if start is not None else None)
        values.append(value)
        if year is not None and r["region"] and r["indicator"]:
            expected = f"{r['region'].lower()}.{r['indicator']}.{int(year)}"
            if r["obs_id"] != expected:
                problems.append(
                    Problem(
                        name, row, "obs_id", f"obs_id '{r['obs_id']}' should be '{expected}' (region.indicator.year)."
                    )
                )
        quote, printed = r["quote"], r["value_printed"]
        if printed and quote and printed not in quote:
            problems.append(
                Problem(name, row, "value_printed", f"the printed value '{printed}' does not occur in the quote.")
            )
        unit_printed = r["unit"]
        if value is not None and printed and r["unit"] in data.units and unit_printed in data.units:
            try:
                ok = printed_matches(printed, unit_printed, value, r["unit"], data.units)
            except ValueError as exc:
                problems.append(Problem(name, row, "value_printed", f"{exc}."))
            else:
                if not ok:
                    problems.append(
                        Problem(
                            name,
                            row,
                            "value",
                            f"value {r['value']} {r['unit']} does not equal the printed value "
                            f"{printed} {unit_printed}.",
                        )
                    )
        sid = r["source_id"]
        if sid in data.documents and quote:
            problems.extend(check_quote(quote, data.documents[sid], name, row, sid))
        elif sid and not sid.startswith("doc"):
            problems.append(
                Problem(name, row, "source_id", f"document rows must cite a document (doc000..), not '{sid}'.")
            )
    out = df.copy()
    out["year"] = pd.array(years, dtype="Int64")
    out["period_start"] = pd.array(starts, dtype="Int64")
    out["value_decimal"] = values
    out["source_file"] = name
    out["source_row"] = df.index
    return out


def _check_unique(obs: pd.DataFrame, problems: list[Problem]) -> None:
    key = ["region", "indicator", "year", "kind"]
    pref = obs[obs["preferred"] != "no"]
    dup = pref[pref.duplicated(key, keep=False) & pref["year"].notna()]
    for _, g in dup.groupby(key, dropna=True):
        first = g.iloc[0]
        for _, r in g.iloc[1:].iterrows():
            problems.append(
                Problem(
                    r["source_file"],
                    int(r["source_row"]),
                    "year",
                    f"{r['region']} {r['indicator']} {r['year']} ({r['kind']}) already appears in "
                    f"{first['source_file']}, row {first['source_row']}; each (region, indicator, "
                    "year, kind) appears once.",
                )
            )
    dup_id = obs[obs.duplicated("obs_id", keep=False)]
    for oid, g in dup_id.groupby("obs_id"):
        if g.duplicated(key).any():
            continue  # already reported above
        r = g.iloc[1]
        problems.append(Problem(r["source_file"], int(r["source_row"]), "obs_id", f"obs_id '{oid}' is not unique."))


def _check_claims(
    claims: pd.DataFrame,
    data: RawData,
    obs_ids: set[str] | None,
    problems: list[Problem],
    ext_quotes: set[str] | None = None,
) -> pd.DataFrame:
    """Row checks of the claims register.

    ``obs_ids`` None skips the input-id check and ``ext_quotes`` None the external-quote
    check (a table was unreadable: its problems are reported, not their consequences).
    """
    name = claims.attrs["file"]
    stated = []
    for row, r in iter_rows(claims):
        v = cell_number(r["stated"], name, row, "stated", problems)
        cell_number(r["rounding"], name, row, "rounding", problems, required=False)
        stated.append(v)
        if r["source_id"] in data.documents and r["quote"]:
            problems.extend(check_quote(r["quote"], data.documents[r["source_id"]], name, row, r["source_id"]))
        elif (
            r["source_id"] == "external"
            and r["quote"]
            and ext_quotes is not None
            and not any(r["quote"] in q for q in ext_quotes)
        ):
            problems.append(
                Problem(
                    name,
                    row,
                    "quote",
                    "the quote of an external claim must occur in the quote of an external row "
                    "(external/figures.csv); copy it from there exactly.",
                )
            )
        if r["stated_printed"] and r["quote"] and r["stated_printed"] not in r["quote"]:
            problems.append(
                Problem(
                    name,
                    row,
                    "stated_printed",
                    f"the stated value '{r['stated_printed']}' does not occur in the quote.",
                )
            )
        if v is not None and r["stated_printed"]:
            try:
                parse = parse_printed_scaled if r["source_id"] == "external" else parse_printed
                printed_value = parse(r["stated_printed"])
                printed_value = printed_value[0] if isinstance(printed_value, tuple) else printed_value
                if printed_value != v:
                    problems.append(
                        Problem(
                            name,
                            row,
                            "stated",
                            f"stated {r['stated']} does not equal the printed value {r['stated_printed']}.",
                        )
                    )
            except ValueError as exc:
                problems.append(Problem(name, row, "stated_printed", f"{exc}."))
        for oid in r["inputs"].split() if obs_ids is not None else ():
            if obs_ids is not None and oid not in obs_ids:
                problems.append(
                    Problem(
                        name, row, "inputs", f"input '{oid}' is not an observation id in data/raw/{OBSERVATION_GLOB}."
                    )
                )
        for part in filter(None, (p.strip() for p in r["params"].split(";"))):
            if "=" not in part:
                problems.append(Problem(name, row, "params", f"'{part}' is not key=value."))
    out = claims.copy()
    out["stated_decimal"] = stated
    return out


def _check_consistency(register: pd.DataFrame, data: RawData, obs: pd.DataFrame, problems: list[Problem]) -> None:
    """Quotes verbatim, expressions well-formed over known ids, printed values in their side's quote."""
    name = register.attrs["file"]
    printed = dict(zip(obs.get("obs_id", []), obs.get("value_printed", []), strict=True))
    ext_quotes = set(obs.loc[obs["kind"] == "external", "quote"]) if "kind" in obs else set()
    for row, r in iter_rows(register):
        for side, col in (("a", "left"), ("b", "right")):
            sid, quote = r[f"source_{side}"], r[f"quote_{side}"]
            if sid in data.documents and quote:
                for p in check_quote(quote, data.documents[sid], name, row, sid):
                    problems.append(Problem(p.file, p.row, f"quote_{side}", p.message))
            elif sid == "external" and quote and not any(quote in q for q in ext_quotes):
                problems.append(
                    Problem(name, row, f"quote_{side}", "the quote does not occur in the quote of any external row.")
                )
            try:
                expr = parse_expression(r[col])
            except ValueError as exc:
                problems.append(Problem(name, row, col, f"{exc}."))
                continue
            for oid in expr.ids:
                if oid not in printed:
                    problems.append(
                        Problem(
                            name,
                            row,
                            col,
                            f"'{oid}' is not a curated observation id (data/raw/{OBSERVATION_GLOB} or the external figures).",
                        )
                    )
                elif quote and printed[oid] not in quote:
                    problems.append(
                        Problem(
                            name,
                            row,
                            col,
                            f"the printed value '{printed[oid]}' of {oid} does not occur in quote_{side}; "
                            "quote the sentence that states it.",
                        )
                    )


def load_raw(raw: Path | None = None) -> RawData:
    """Read and validate every raw table.

    Parameters
    ----------
    raw : Path, optional
        The raw data folder (default ``data/raw``); tests pass a temporary copy.

    Returns
    -------
    RawData

    Raises
    ------
    DataError
        Listing every problem found, each with file, row and column.
    """
    raw = Path(raw or paths.RAW)
    problems: list[Problem] = []
    problems += verify_checksums(raw / "documents")
    problems += verify_checksums(
        raw / "external",
        fix=(
            "the external figures are not edited in place. Put the edited figures.csv (with its README.md) "
            "in a folder of its own and install it with `make external FIGURES=path/to/figures.csv`, which "
            "validates it and rewrites the checksums; or restore this copy: "
            f"git checkout -- {paths.relative(raw / 'external')}"
        ),
    )
    sources = _vocab_table(raw / "sources.csv", SOURCE_SCHEMA, "source_id", problems)
    regions = _vocab_table(raw / "regions.csv", REGION_SCHEMA, "region", problems)
    indicators = _vocab_table(raw / "indicators.csv", INDICATOR_SCHEMA, "indicator", problems)
    problems += deflator_problems(indicators)
    _check_vocabularies(sources, regions, problems)
    if not problems:
        problems += check_indicator_references(indicators) + check_region_references(regions)
    if not problems:
        problems += series_break_problems(raw)
    units = read_units(raw / "units.csv")
    data = RawData(sources, regions, indicators, units, pd.DataFrame(), pd.DataFrame())
    data.documents = _documents(sources, raw, problems)
    if problems:
        raise DataError(problems)

    frames = []
    unreadable = False  # an unreadable table's ids are unknown: the claims' input ids are not checked then
    files = sorted(raw.glob(OBSERVATION_GLOB))
    if not files:
        raise DataError.one(paths.relative(raw), None, None, f"no {OBSERVATION_GLOB} tables found.")
    for f in files:
        try:
            df = read_table(f, required=OBSERVATION_COLUMNS, strict=True)
        except DataError as exc:
            problems += exc.problems
            unreadable = True
            continue
        schema = observation_schema(regions["region"], indicators["indicator"], units, sources["source_id"], False)
        found = validate(schema, df)
        problems += found
        checked = _check_observations(df, data, problems)
        checked["preferred"] = "yes"
        checked["vintage"] = ""
        frames.append(checked)
    figures = raw / "external" / FIGURES
    if figures.exists():
        try:
            imap = read_indicator_map(raw / MAP_TABLE, set(indicators["indicator"]), units, problems)
        except DataError as exc:
            problems += exc.problems
        else:
            ext = external_observations(figures, set(regions["region"]), imap, units, problems)
            if ext.empty:  # unreadable (reported): the ids and quotes that claims cite are unknown
                unreadable = True
            else:
                frames.append(ext)
    else:
        problems.append(Problem(paths.relative(figures), None, None, "the external figures file is missing."))
    obs = pd.concat(frames) if frames else pd.DataFrame()
    if not obs.empty:
        _check_unique(obs, problems)
        problems += check_series(obs, indicators, units)

    claims_path = raw / "claims.csv"
    claims = pd.DataFrame(columns=list(CLAIM_COLUMNS))
    if claims_path.exists():
        try:
            claims = read_table(claims_path, required=CLAIM_COLUMNS, strict=True)
        except DataError as exc:
            problems += exc.problems
        else:
            problems += validate(claim_schema(sources["source_id"], units), claims)
            quotes = set(obs.loc[obs["kind"] == "external", "quote"]) if "kind" in obs else set()
            obs_ids = None if unreadable else set(obs.get("obs_id", []))
            claims = _check_claims(claims, data, obs_ids, problems, None if unreadable else quotes)
    consistency_path = raw / "consistency.csv"
    if consistency_path.exists() and not unreadable:
        try:
            register = read_table(consistency_path, required=CONSISTENCY_COLUMNS, strict=True)
        except DataError as exc:
            problems += exc.problems
        else:
            problems += validate(consistency_schema(sources["source_id"], units), register)
            _check_consistency(register, data, obs, problems)
            data.consistency = register.reset_index(drop=True)
    if problems:
        raise DataError(problems)
    data.observations = obs.reset_index(drop=True)
    data.claims = claims.reset_index(drop=True)
    return data
