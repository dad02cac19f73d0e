"""The codebook of the exports: plain CSV tables and a Frictionless Data Package (``datapackage.json``).

``reports/data/`` holds, beside the Stata and Excel files (:mod:`analysis.data.exports`):

* ``observations.csv``: every processed observation with ``in_series``;
* ``sources.csv`` and ``regions.csv``: the tables the observations' ``source_id`` and
  ``region`` refer to (regions with their English name and GB/T 2260 code);
* ``datapackage.json``: a Data Package (https://specs.frictionlessdata.io/) describing the
  three tables and the panel: each column's name, type, description and constraints (the
  allowed kinds, qualifiers, units ...), the primary keys and the foreign keys to sources and
  regions, and the licence (CC BY 4.0).

The column descriptions are those of the Stata labels (:data:`analysis.data.columns.OBSERVATION_COLUMNS`),
so the codebook, the Stata variable labels and the Excel ``columns`` sheet cannot disagree.
:func:`validate` checks a table against its schema (tests and ``make report``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.columns import OBSERVATION_COLUMNS, PANEL_COLUMNS, SOURCE_COLUMNS, VALUE_LABELS
from analysis.data.load import in_series
from analysis.data.units import BASE_UNITS, read_units

INTEGER = ("year", "period_start", "source_row")
NUMBER = ("value", "value_base", "value_low", "value_high")
REGION_COLUMNS: dict[str, str] = {
    "region": "Region id used in the observations (pinyin).",
    "name_zh": "Name in Chinese.",
    "name_en": "Name in English.",
    "level": "Kind of area: country, province, prefecture, county group, mountain area, village.",
    "parent": "The region it lies in (a region id; empty for the top level).",
    "description": "What the region is.",
    "gbt2260_code": "National administrative division code (GB/T 2260), where the region is an administrative "
    "division down to county level; empty otherwise.",
    "code_note": "Why a region has no GB/T 2260 code.",
    "code_source": "Address of the official code list the code was read from.",
}


def observations_table(obs: pd.DataFrame) -> pd.DataFrame:
    """The processed observations with ``in_series`` (yes/no), in the codebook's column order."""
    frame = obs.copy()
    frame["in_series"] = in_series(obs).map({True: "yes", False: "no"})
    return frame[[c for c in OBSERVATION_COLUMNS if c in frame.columns]]


def regions_table(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/regions.csv`` (validated by ``make data``) in the codebook's column order."""
    df = pd.read_csv(Path(raw or paths.RAW) / "regions.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    return df[[c for c in REGION_COLUMNS if c in df.columns]]


def _field(name: str, description: str, enum: Iterable[str] | None = None, required: bool = False) -> dict:
    kind = "integer" if name in INTEGER else "number" if name in NUMBER else "string"
    field: dict = {"name": name, "type": kind, "description": description}
    constraints: dict = {}
    if required:
        constraints["required"] = True
    if enum is not None:
        constraints["enum"] = sorted(set(enum))
    if constraints:
        field["constraints"] = constraints
    return field


def _observation_fields(obs: pd.DataFrame, units: Iterable[str]) -> list[dict]:
    enums: dict[str, Iterable[str]] = {
        **VALUE_LABELS,
        "vintage": ("preliminary", "revised", "final", "as published"),
        "preferred": ("yes", "no"),
        "unit": units,
        "base_unit": BASE_UNITS,
    }
    optional = {"period_start", "value_low", "value_high", "source_row", "source_file", "quote"}
    external_only = {"publisher", "url", "basis", "confidence", "unit_printed", "vintage", "note", "value_printed"}
    out = []
    for name in obs.columns:
        enum = enums.get(name)  # an empty cell is a missing value, never checked against the enum
        required = name not in optional | external_only
        out.append(_field(name, OBSERVATION_COLUMNS[name][1], enum, required))
    return out


def datapackage(obs: pd.DataFrame, regions: pd.DataFrame, units: Iterable[str]) -> dict:
    """The Data Package descriptor of the exports."""
    panel_fields = [f for f in _observation_fields(obs, units) if f["name"] in PANEL_COLUMNS]
    by_name = {f["name"]: f for f in panel_fields}
    fk_sources = {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
    fk_regions = {"fields": "region", "reference": {"resource": "regions", "fields": "region"}}
    return {
        "profile": "tabular-data-package",
        "name": "xiangxi-poverty-alleviation-figures",
        "title": "Poverty-alleviation figures from five Chinese policy documents, with external figures",
        "description": (
            "Every curated, external and derived observation with its verbatim quote or address; in_series marks "
            "the one value per series and year the reports use. Generated by make report from data/processed."
        ),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "resources": [
            {
                "name": "observations",
                "path": "observations.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": _observation_fields(obs, units),
                    "missingValues": [""],
                    "primaryKey": "obs_id",
                    "foreignKeys": [fk_sources, fk_regions],
                },
            },
            {
                "name": "panel",
                "path": "panel.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [by_name[c] for c in PANEL_COLUMNS if c in by_name],
                    "missingValues": [""],
                    "primaryKey": ["series_id", "year"],
                    "foreignKeys": [fk_sources, fk_regions],
                },
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [_field(c, d, required=c in ("source_id", "file")) for c, d in SOURCE_COLUMNS.items()],
                    "missingValues": [""],
                    "primaryKey": "source_id",
                },
            },
            {
                "name": "regions",
                "path": "regions.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {
                            **_field(c, d, required=c in ("region", "name_en")),
                            **({"constraints": {"pattern": "^[0-9]{6}$"}} if c == "gbt2260_code" else {}),
                        }
                        for c, d in REGION_COLUMNS.items()
                        if c in regions.columns
                    ],
                    "missingValues": [""],
                    "primaryKey": "region",
                },
            },
        ],
    }


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def codebook_files(obs: pd.DataFrame, sources: pd.DataFrame, out_dir: Path) -> dict[Path, bytes]:
    """``observations.csv``, ``sources.csv``, ``regions.csv`` and ``datapackage.json`` (nothing written).

    ``obs`` and ``sources`` are the processed tables (:func:`analysis.data.exports.read_processed`).
    """
    table = observations_table(obs)
    src = sources[list(SOURCE_COLUMNS)]
    regions = regions_table()
    package = datapackage(table, regions, read_units(paths.RAW / "units.csv"))
    return {
        out_dir / "observations.csv": _csv_bytes(table),
        out_dir / "sources.csv": _csv_bytes(src),
        out_dir / "regions.csv": _csv_bytes(regions),
        out_dir / "datapackage.json": (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }


def validate(package: dict, folder: Path) -> list[str]:
    """Problems of the tables in ``folder`` against ``package`` (empty when every table conforms).

    Checks each resource's columns against its fields (names and order), types (integer,
    number), required cells, enums and patterns, the primary key's uniqueness and every
    foreign key's reference. Each problem names the file, row (header = 1) and column.
    """
    problems: list[str] = []
    tables = {
        r["name"]: pd.read_csv(folder / r["path"], dtype=str, keep_default_na=False, encoding="utf-8")
        for r in package["resources"]
    }
    for res in package["resources"]:
        df, schema, name = tables[res["name"]], res["schema"], res["path"]
        names = [f["name"] for f in schema["fields"]]
        if list(df.columns) != names:
            problems.append(f"{name}: columns {list(df.columns)} are not the schema's {names}")
            continue
        for f in schema["fields"]:
            col, cons = df[f["name"]], f.get("constraints", {})
            for i, v in col.items():
                where = f"{name}, row {int(i) + 2}, column '{f['name']}'"
                if v == "":
                    if cons.get("required"):
                        problems.append(f"{where}: required value missing")
                    continue
                try:
                    if f["type"] == "integer":
                        int(v)
                    elif f["type"] == "number":
                        float(v)
                except ValueError:
                    problems.append(f"{where}: {v!r} is not of type {f['type']}")
                if "enum" in cons and v not in cons["enum"]:
                    problems.append(f"{where}: {v!r} not in {cons['enum']}")
                if "pattern" in cons and not pd.Series([v]).str.fullmatch(cons["pattern"]).iloc[0]:
                    problems.append(f"{where}: {v!r} does not match {cons['pattern']}")
        key = schema.get("primaryKey")
        if key:
            cols = [key] if isinstance(key, str) else key
            dup = df[df.duplicated(cols, keep=False)]
            if not dup.empty:
                problems.append(f"{name}: primary key {cols} repeats in rows {[int(i) + 2 for i in dup.index][:5]}")
        for fk in schema.get("foreignKeys", []):
            ref = tables[fk["reference"]["resource"]][fk["reference"]["fields"]]
            bad = df[~df[fk["fields"]].isin(set(ref))]
            for i, v in bad[fk["fields"]].items():
                problems.append(f"{name}, row {int(i) + 2}, column '{fk['fields']}': {v!r} not in {fk['reference']}")
    return problems
