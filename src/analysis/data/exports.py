"""The processed tables in the formats economists open directly: Stata and Excel.

``python -m analysis.data.exports [--out DIR]`` (run by ``make report``; default
``reports/data``) writes:

``observations.dta``  every processed observation (Stata 14+ format, version 118: UTF-8,
                      Chinese quotes intact), with a variable label on every column and
                      value labels on the closed vocabularies (region, kind, qualifier,
                      confidence, source_id); free text (units as printed, quotes, notes)
                      stays text;
``observations.xlsx`` sheets ``observations``, ``claims``, ``sources``, ``columns`` (what
                      each column of each sheet means), ``panel`` and ``about``;
``panel.dta``         the analysis-ready panel: one row per series and year, the value the
                      reports use (``in_series``), ``series_id`` a labelled integer so that
                      ``xtset series_id year`` works;
``panel.csv``         the same panel as UTF-8 CSV (``pandas.read_csv`` then
                      ``pivot(index="year", columns="series_id", values="value")``);
``observations.csv``, ``sources.csv``, ``regions.csv`` and ``datapackage.json``
                      plain CSV and their codebook, a Frictionless Data Package
                      (:mod:`analysis.data.codebook`).

The observations hold every row, alternatives included: ``preferred`` says whether an
external figure is the chosen one of its (region, indicator, year) or an alternative of
another vintage or basis; ``in_series`` says which single row of a series and year the
reports use (a document value before an external one before a derived one, never an
alternative: :func:`analysis.data.load.in_series`). A year with only alternatives has no
``in_series`` row and is not in the panel.

All are deterministic: the Stata time stamp, the workbook's created/modified dates and
every zip entry's date are fixed (``SOURCE_DATE_EPOCH`` when set, else 2000-01-01), so the
same processed tables give byte-identical files. The files are written atomically, and
only when all could be produced.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.codebook import codebook_files
from analysis.data.columns import (
    CLAIM_COLUMNS,
    LABELLED_FROM_DATA,
    OBSERVATION_COLUMNS,
    PANEL_COLUMNS,
    PANEL_SERIES_LABEL,
    SOURCE_COLUMNS,
    VALUE_LABELS,
)
from analysis.data.csvio import csv_bytes, replace_all
from analysis.data.load import in_series

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
STATA_VERSION = 118
STATA_STR_MAX = 2045  # bytes; longer text is stored as strL


def fixed_time() -> datetime:
    """The time stamp written into every export (``SOURCE_DATE_EPOCH`` or 2000-01-01, UTC)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or DEFAULT_EPOCH)
    return datetime.fromtimestamp(max(epoch, 315532800), tz=UTC).replace(tzinfo=None)  # zip: >= 1980


def read_processed(name: str, processed: Path | None = None) -> pd.DataFrame:
    """A processed table (``observations``, ``claims``, ``sources``) as text columns."""
    path = Path(processed or paths.PROCESSED) / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{paths.relative(path)} does not exist: run `make data` first.")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def observations_for_stata(obs: pd.DataFrame) -> pd.DataFrame:
    """Typed observations: numbers as floats, years as integers, vocabularies as categoricals.

    Raises
    ------
    ValueError
        When a vocabulary column holds a value outside its vocabulary (naming the column,
        the value and its row in ``observations.csv``).
    """
    out = pd.DataFrame(index=obs.index)
    if "in_series" not in obs:
        obs = obs.assign(in_series=in_series(obs).map({True: "yes", False: "no"}))
    for col in OBSERVATION_COLUMNS:
        s = obs[col] if col in obs else pd.Series("", index=obs.index)
        if col in ("value", "value_base", "value_low", "value_high"):
            out[col] = pd.to_numeric(s.replace("", None), errors="raise").astype("float64")
        elif col in ("year", "period_start", "source_row"):
            out[col] = pd.to_numeric(s.replace("", None), errors="raise").astype("Int32")
        elif col in VALUE_LABELS or col in LABELLED_FROM_DATA:
            cats = VALUE_LABELS.get(col) or tuple(sorted(set(s) - {""}))
            bad = sorted(set(s) - set(cats) - {""})
            if bad:
                row = int(s[s == bad[0]].index[0]) + 2
                raise ValueError(
                    f"data/processed/observations.csv, row {row}, column {col!r}: {bad[0]!r} is not one of "
                    f"{', '.join(cats)}"
                )
            out[col] = pd.Categorical(s.replace("", None), categories=list(cats))
        else:
            out[col] = s.astype(object)
    return out.reset_index(drop=True)


def _dta(df: pd.DataFrame, data_label: str, labels: dict[str, str]) -> bytes:
    strl = [
        c
        for c in df.columns
        if df[c].dtype == object and df[c].map(lambda v: len(str(v).encode("utf-8"))).max() > STATA_STR_MAX
    ]
    buf = io.BytesIO()
    df.to_stata(
        buf,
        write_index=False,
        version=STATA_VERSION,
        time_stamp=fixed_time(),
        data_label=data_label,
        variable_labels=labels,
        convert_strl=strl,
    )
    return buf.getvalue()


def stata_bytes(obs: pd.DataFrame) -> bytes:
    """``observations.dta`` (version 118) with variable and value labels, as bytes."""
    df = observations_for_stata(obs)
    return _dta(
        df,
        "Poverty-alleviation observations (data/processed, analysis suite)",
        {c: OBSERVATION_COLUMNS[c][0] for c in df.columns},
    )


def panel_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """The analysis-ready panel: the ``in_series`` rows, one per series and year, typed.

    Parameters
    ----------
    obs : pandas.DataFrame
        The processed observations as text (:func:`read_processed`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PANEL_COLUMNS`, sorted by series and year; ``(series_id, year)`` is
        unique. Numbers are floats, years integers, vocabularies categoricals.
    """
    typed = observations_for_stata(obs)
    panel = typed[typed["in_series"] == "yes"].sort_values(["series_id", "year"], kind="stable")
    if panel.duplicated(["series_id", "year"]).any():  # pragma: no cover - in_series picks one row per year
        raise ValueError("the panel has two rows for one series and year")
    return panel[list(PANEL_COLUMNS)].reset_index(drop=True)


def panel_stata_bytes(obs: pd.DataFrame) -> bytes:
    """``panel.dta``: the panel with ``series_id`` as a labelled integer (``xtset series_id year``)."""
    df = panel_frame(obs)
    df["series_id"] = pd.Categorical(df["series_id"], categories=sorted(set(df["series_id"])))
    labels = {c: OBSERVATION_COLUMNS[c][0] for c in df.columns}
    labels["series_id"] = PANEL_SERIES_LABEL[0]
    return _dta(df, "Poverty-alleviation panel: one row per series and year (values the reports use)", labels)


def panel_csv_bytes(obs: pd.DataFrame) -> bytes:
    """``panel.csv``: the panel as UTF-8 CSV; numbers as in ``data/processed`` (full precision)."""
    keep = in_series(obs)
    text = obs[keep].assign(_y=pd.to_numeric(obs.loc[keep, "year"]))
    text = text.sort_values(["series_id", "_y"], kind="stable")
    return csv_bytes(PANEL_COLUMNS, text[list(PANEL_COLUMNS)].itertuples(index=False, name=None))


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip (an .xlsx) with fixed entry dates and fixed document-property dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, content, compresslevel=6)
    return out.getvalue()


def columns_sheet(obs: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per (sheet, column): what the column means."""
    rows = []
    described = {c: d for c, (_, d) in OBSERVATION_COLUMNS.items()}
    for sheet, columns, desc in (
        ("observations", obs.columns, described),
        ("claims", claims.columns, CLAIM_COLUMNS),
        ("sources", sources.columns, SOURCE_COLUMNS),
        ("panel", PANEL_COLUMNS, described | {"series_id": PANEL_SERIES_LABEL[1]}),
    ):
        for c in columns:
            rows.append({"sheet": sheet, "column": c, "description": desc.get(c, "")})
    return pd.DataFrame(rows)


def excel_bytes(obs: pd.DataFrame, claims: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    """``observations.xlsx``: observations, claims, sources and a column guide, as bytes."""
    from openpyxl.styles import Alignment, Font

    typed = observations_for_stata(obs)
    panel = panel_frame(obs)
    for frame in (typed, panel):  # plain text in the workbook (empty cell for missing)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = frame[col].astype(object)
    when = fixed_time()
    about = pd.DataFrame(
        {
            "sheet": ["observations", "claims", "sources", "columns", "panel"],
            "contents": [
                (
                    f"{len(typed)} observations (data/processed/observations.csv): document values with their "
                    "verbatim quote, external values with publisher and address, derived values with their formula; "
                    "alternatives included (preferred = no); in_series = yes marks the row the reports use."
                ),
                f"{len(claims)} derived statements of the documents (claims register), recomputed by the claims audit.",
                f"{len(sources)} sources: the five documents and the external figures.",
                "What each column of each sheet means.",
                (
                    f"{len(panel)} rows: one per series and year, the values the reports use (in_series = yes), "
                    "ready for a pivot or a panel command."
                ),
            ],
        }
    )
    sheets = {
        "observations": typed,
        "claims": claims,
        "sources": sources,
        "columns": columns_sheet(typed, claims, sources),
        "panel": panel,
        "about": about,
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False, freeze_panes=(1, 0))
            ws = xw.sheets[name]
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, col in enumerate(frame.columns, start=1):
                longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                letter = ws.cell(row=1, column=i).column_letter
                ws.column_dimensions[letter].width = min(max(10, longest + 2), 60)
                if longest > 60:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.auto_filter.ref = ws.dimensions
        xw.book.properties.creator = "analysis suite (make report)"
        xw.book.properties.created = when
        xw.book.properties.modified = when
    return normalise_zip(buf.getvalue(), when)


def export_files(out_dir: Path | None = None) -> dict[Path, bytes]:
    """The export files and their bytes (nothing written)."""
    out_dir = Path(out_dir or paths.REPORTS / "data")
    obs, claims, sources = (read_processed(n) for n in ("observations", "claims", "sources"))
    return {
        out_dir / "observations.dta": stata_bytes(obs),
        out_dir / "observations.xlsx": excel_bytes(obs, claims, sources),
        out_dir / "panel.dta": panel_stata_bytes(obs),
        out_dir / "panel.csv": panel_csv_bytes(obs),
        **codebook_files(obs, sources, out_dir),
    }


def write_exports(out_dir: Path | None = None) -> list[Path]:
    """Write the observations (``.dta``, ``.xlsx``, ``.csv``), the panel (``.dta``, ``.csv``), sources, regions
    and the codebook, all or none; return the paths."""
    files = export_files(out_dir)
    replace_all(files)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the Stata and Excel exports of data/processed.")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default reports/data)")
    args = ap.parse_args(argv)
    for p in write_exports(args.out):
        print(f"[exports] {paths.relative(p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
