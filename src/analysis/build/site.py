"""The pages around the reports: ``index.html``, ``data_catalog.html`` and one page per table.

The build only gathers what the pages show (key findings, reports, captioned figures,
tables, the replication table, the observations) and fills the Jinja2 templates in
``analysis/build/templates/`` (``index.html.j2``, ``data_catalog.html.j2``,
``table.html.j2``, the shared ``base.html.j2`` and ``site.css``). Change the look there,
not here.

``reports/tables/<name>.html`` shows every row of ``<name>.csv`` as a card with the
anchor ``#row-<n>`` (``n`` = the 1-based data row of the CSV), so a finding can link to
the exact row it is read from.
"""

from __future__ import annotations

import functools
import html
import json
import platform
import re
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.build import findings as fnd
from analysis.build.citations import bibtex, cite_line
from analysis.build.exports import data_exports
from analysis.build.record import PACKAGES, built_runs, git_commit, git_uncommitted, raw_inputs, run_outputs, sha256
from analysis.build.runs import Run
from analysis.data.csvio import atomic_write_bytes
from analysis.reports.caveats import TOP as TOP_CAVEATS

TEMPLATES = Path(__file__).parent / "templates"
ANCHOR_CHARS = re.compile(r"\s")


@functools.cache
def environment():
    """The Jinja2 environment of the site templates (autoescaping on; one per process, so
    each template is compiled once; Jinja2 reloads a template whose file changed)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context) -> bytes:
    """Render one template to UTF-8 bytes."""
    return environment().get_template(template).render(**context).encode("utf-8")


def _rel(p: Path) -> str:
    return Path(p).relative_to(paths.REPORTS).as_posix()


def section_anchor(heading: str) -> str:
    """The id nbconvert gives a markdown heading (spaces become hyphens)."""
    return ANCHOR_CHARS.sub("-", heading.strip())


# ---------------------------------------------------------------------------- figures


def _caption_html(markdown: str) -> str:
    """A figure caption (markdown with **bold** and `code`) as safe HTML."""
    text = html.escape(markdown.strip())
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def figure_captions(run: Run) -> dict[str, str]:
    """Caption of each figure of a run, read from the executed notebook (``figures.show`` metadata)."""
    nb_path = paths.REPORTS / f"{run.name}.ipynb"
    if not nb_path.exists():
        return {}
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = {}
    for cell in nb.get("cells", []):
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("analysis", {})
            if "figure" in meta:
                out[meta["figure"]] = meta.get("caption", "")
    return out


def _figures(run: Run, outs: dict) -> list[dict]:
    """The run's figures in the order its notebook shows them (then any others by name), captioned."""
    captions = figure_captions(run)
    order = {stem: i for i, stem in enumerate(captions)}
    figs = []
    for png in sorted(outs["figures"], key=lambda p: (order.get(p.stem, len(order)), p.name)):
        others = [(p.suffix[1:].upper(), _rel(p)) for p in sorted(png.parent.glob(f"{png.stem}.*")) if p != png]
        caption = captions.get(png.stem)
        figs.append(
            {
                "stem": png.stem,
                "png": _rel(png),
                "others": others,
                "alt": (caption or png.stem).replace("**", "")[:200],
                "caption_html": _markup(caption) if caption else png.stem.replace("_", " "),
            }
        )
    return figs


def _markup(text: str):
    from markupsafe import Markup

    return Markup(_caption_html(text))


# ---------------------------------------------------------------------------- tables


def _tables(outs: dict) -> list[dict]:
    rows = []
    for csv in outs["tables"]:
        page = csv.with_suffix(".html")
        others = [
            (p.suffix[1:].upper(), _rel(p))
            for p in sorted(csv.parent.glob(f"{csv.stem}.*"))
            if p.suffix not in (".csv", ".html")
        ]
        rows.append({"name": csv.stem, "csv": _rel(csv), "html": _rel(page) if page.exists() else "", "others": others})
    return rows


def _linker(obs_ids: set[str]):
    """A function that escapes text and links every observation id in it to the data catalog."""
    from markupsafe import Markup, escape

    if not obs_ids:
        return escape
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(i) for i in sorted(obs_ids, key=len, reverse=True)) + r")(?![\w])"
    )

    def link(text: str) -> Markup:
        out, last = [], 0
        for m in pattern.finditer(text):
            out.append(escape(text[last : m.start()]))
            out.append(Markup('<a href="../data_catalog.html#{0}">{0}</a>').format(m.group(1)))
            last = m.end()
        out.append(escape(text[last:]))
        return Markup("").join(out)

    return link


def table_page(csv: Path, run: Run, obs_ids: set[str] | None = None) -> bytes:
    """One card per CSV row, anchored ``#row-<n>``; long text fields span the card.

    Observation ids in any field link to their data-catalog entry.
    """
    link = _linker(obs_ids or set())
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    title_cols = [
        c
        for c in df.columns
        if c
        in (
            "series_id",
            "run",
            "claim_id",
            "metric",
            "document",
            "variant",
            "region",
            "start_year",
            "end_year",
            "year_or_period",
            "gini",
        )
    ][:4]
    rows = []
    for i, r in enumerate(df.itertuples(index=False), start=1):
        rec = dict(zip(df.columns, r, strict=True))
        fields = [(k, link(v), len(v) > 60) for k, v in rec.items() if v != ""]
        title = " · ".join(rec[c] for c in title_cols if rec[c]) or f"row {i}"
        rows.append({"n": i, "title": title, "fields": fields})
    return render(
        "table.html.j2",
        title=f"Table {csv.stem}",
        name=csv.stem,
        rows=rows,
        report=run.name,
        report_title=run.title or run.name,
    )


def write_table_pages(obs_ids: set[str]) -> list[Path]:
    """Write ``tables/<name>.html`` for every table of every built run."""
    written = []
    for run in built_runs():
        for csv in run_outputs(run)["tables"]:
            page = csv.with_suffix(".html")
            atomic_write_bytes(page, table_page(csv, run, obs_ids))
            written.append(page)
    return written


# ---------------------------------------------------------------------------- index


def finding_context(f: fnd.Finding) -> dict:
    """A finding with its links resolved.

    ``f.section`` may list alternative headings separated by ``|`` (a section renamed by a
    later version of the notebook); the first one present in the report HTML is linked, else
    the report page itself (and the build says so).
    """
    report = paths.REPORTS / f"{f.report}.html"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    href, section = f"{f.report}.html", f.section.split("|")[0]
    for heading in f.section.split("|"):
        if f'id="{section_anchor(heading)}"' in text:
            href, section = f"{f.report}.html#{section_anchor(heading)}", heading
            break
    else:
        print(f"[findings] {f.key}: section {f.section!r} not found in {f.report}.html; linking the report")
    return {
        **f.__dict__,
        "section": section,
        "section_href": href,
        "row_href": f"tables/{f.table}.html#row-{f.row}",
        "csv_href": f"tables/{f.table}.csv",
        "caveats": caveats_of(f.key),
    }


def caveats_of(key: str) -> list[dict]:
    """The top-ranked caveats of the built reports that touch the finding ``key``, one per title.

    Read from each run's ``tables/<run>_caveats.csv`` (:func:`analysis.reports.caveats.table`): a caveat
    among its report's three highest ranked, with a link to the row that states it.
    """
    out: dict[str, dict] = {}
    for csv in sorted(paths.TABLES.glob("*_caveats.csv")):
        t = pd.read_csv(csv, dtype=str, keep_default_na=False)
        if not {"rank", "title", "findings"} <= set(t.columns):
            continue
        for n, r in enumerate(t.to_dict("records"), start=1):
            if int(r["rank"]) <= TOP_CAVEATS and key in r["findings"].split() and r["title"] not in out:
                out[r["title"]] = {"title": r["title"], "href": f"tables/{csv.stem}.html#row-{n}"}
    return list(out.values())


#: The replication table's output kinds, in the order a reader looks for them.
OUTPUT_KINDS = (
    ("reports", "report (HTML)"),
    ("tables", "tables (CSV)"),
    ("LaTeX tables", "LaTeX tables"),
    ("figures", "figures (PNG)"),
    ("svgs", "figures (SVG)"),
    ("PDF figures", "figures (PDF)"),
)


def replication_rows() -> list[dict]:
    """Program -> parameters -> inputs -> outputs: one row per built run, then the data exports.

    Each row lists every output file of its run, grouped by kind (:data:`OUTPUT_KINDS`), so the
    table stays one short row per program however many figures a run draws.
    """
    rows = []
    for run in built_runs():
        outs = {**run_outputs(run), "reports": [paths.REPORTS / f"{run.name}.html"]}
        inputs = [run.notebook_path, *[paths.ROOT / i for i in run.inputs]]
        rows.append(
            {
                "run": run.name,
                "program": f"notebooks/{run.notebook}",
                "parameters": json.dumps(run.all_parameters, sort_keys=True, ensure_ascii=False),
                "inputs": [(paths.relative(p), sha256(p)[:16]) for p in inputs if p.exists()],
                "outputs": [
                    (label, [(_rel(o), o.name) for o in outs[key]]) for key, label in OUTPUT_KINDS if outs.get(key)
                ],
            }
        )
    exports = data_exports()
    if exports:
        rows.append(
            {
                "run": "data exports",
                "program": "python -m analysis.data.exports",
                "parameters": "",
                "inputs": [
                    (i, sha256(paths.ROOT / i)[:16])
                    for i in dict.fromkeys(i for e in exports for i in e.inputs)
                    if (paths.ROOT / i).exists()
                ],
                "outputs": [(e.kind, [(e.rel, e.path.name)]) for e in exports],
            }
        )
    return rows


def index_page(observations: pd.DataFrame) -> bytes:
    """The index: key findings, reports, captioned figures, tables, replication package."""
    found = fnd.collect(paths.TABLES, observations)
    reports = []
    for run in built_runs():
        outs = run_outputs(run)
        reports.append(
            {
                "name": run.name,
                "title": run.title or run.name,
                "href": f"{run.name}.html",
                "ipynb": f"{run.name}.ipynb",
                "notebook": run.notebook,
                "figures": _figures(run, outs),
                "tables": _tables(outs),
            }
        )
    versions = ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    return render(
        "index.html.j2",
        title="Poverty-alleviation analysis: reports",
        findings=[finding_context(f) for f in found],
        reports=reports,
        replication=replication_rows(),
        data_exports=[
            {"href": e.rel, "name": e.path.name, "kind": e.kind, "description": e.description} for e in data_exports()
        ],
        raw_inputs=[(paths.relative(p), sha256(p)) for p in raw_inputs()],
        python=platform.python_version(),
        versions=versions,
        commit=git_commit(),
        uncommitted=git_uncommitted(),
    )


# ---------------------------------------------------------------------------- catalog


def _blank(v: object) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def text_lang(text: str) -> str:
    """``zh`` when ``text`` has Chinese characters, else ``en`` (the ``lang`` of a quote's cell:
    Chinese may break between any two characters, English only between words).

    Examples
    --------
    >>> text_lang("湘西州的生产总值从418.9亿元增加到705.7亿元"), text_lang("The CPI was up 3.3 percent in 2010")
    ('zh', 'en')
    """
    return "zh" if re.search(r"[\u3400-\u9fff]", text) else "en"


def catalog_page(observations: pd.DataFrame) -> bytes:
    """Every observation with value, unit, year, kind, source and quote, anchored by its id, and
    the line to cite it (its BibTeX key in ``sources.bib``)."""
    sources = pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    rows = []
    for r in observations.to_dict("records"):
        start = _blank(r["period_start"])
        value = _blank(r["value_printed"]) or _blank(r["value"])
        qualifier = "" if r["qualifier"] == "exact" else str(r["qualifier"]).replace("_", " ")
        rows.append(
            {
                **{k: _blank(v) for k, v in r.items()},
                "value": value,
                "qualifier": qualifier,
                "period": f"{int(float(start))}-{r['year']}" if start else str(r["year"]),
                "external": r["kind"] == "external",
                "lang": text_lang(_blank(r["quote"])),
                "cite": cite_line(r, sources),
            }
        )
    return render("data_catalog.html.j2", title="Data catalog", rows=rows)


def codebook_page(package: dict) -> bytes:
    """``codebook.html``: every table of the Data Package with its columns, types, constraints and keys."""
    resources = []
    for r in package["resources"]:
        schema = r["schema"]
        key = schema.get("primaryKey", "")
        fields = []
        for f in schema["fields"]:
            cons = f.get("constraints", {})
            allowed = (
                ", ".join(cons["enum"])
                if "enum" in cons
                else (f"pattern {cons['pattern']}" if "pattern" in cons else "")
            )
            fields.append({**f, "required": cons.get("required", False), "allowed": allowed})
        foreign = [
            {"fields": fk["fields"], "resource": fk["reference"]["resource"], "ref": fk["reference"]["fields"]}
            for fk in schema.get("foreignKeys", [])
        ]
        resources.append(
            {"name": r["name"], "path": r["path"], "key": ", ".join([key] if isinstance(key, str) else key),
             "foreign": foreign, "fields": fields}
        )  # fmt: skip
    licence = package["licenses"][0]["title"]
    return render(
        "codebook.html.j2", title="Codebook", resources=resources, licence=licence, description=package["description"]
    )


def write_pages() -> None:
    """Write the table pages, ``sources.bib``, ``data_catalog.html``, ``codebook.html`` and ``index.html``."""
    from analysis.data.load import load_observations

    obs = load_observations()
    write_table_pages(set(obs["obs_id"]))
    sources = pd.read_csv(paths.PROCESSED / "sources.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    everything = load_observations(preferred_only=False)
    atomic_write_bytes(paths.REPORTS / "sources.bib", bibtex(sources, everything).encode("utf-8"))
    atomic_write_bytes(paths.REPORTS / "data_catalog.html", catalog_page(obs))
    package = paths.REPORTS / "data" / "datapackage.json"
    if package.exists():  # written by the data exports (make report writes them first)
        atomic_write_bytes(paths.REPORTS / "codebook.html", codebook_page(json.loads(package.read_text("utf-8"))))
    atomic_write_bytes(paths.REPORTS / "index.html", index_page(obs))
