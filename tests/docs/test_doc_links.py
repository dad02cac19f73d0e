"""Every file the documentation names exists: links and file references in README.md, docs/,
benchmarks/README.md, the notebooks' Markdown cells and the docstrings of src/analysis.

What counts as a reference: the target of a Markdown link (``[text](docs/methods.md)``; web
addresses and in-page anchors are left alone), a backticked path (``data/raw/claims.csv``,
``templates/report/``) or a backticked file name with a known extension (``index.html.j2``,
``observations_*.csv``), and a bare ``NAME.md`` in the prose. A reference resolves when it is a
file or folder of the repository: relative to the file that names it, to the project root, or
as the tail of a repository path (``reports/growth_figures.py`` is
``src/analysis/reports/growth_figures.py``); ``<placeholders>`` and ``*`` match any one path
part. Outputs of the build, which a fresh clone does not have, are allowed only as listed in
:data:`GENERATED`.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from analysis import paths
from analysis.build import readme

ROOT = paths.ROOT

GENERATED: tuple[str, ...] = (
    # make report (src/analysis/build): reports, executed notebooks, index, catalog, tables, figures, exports
    "reports/",
    "reports/*.html",
    "reports/*.ipynb",
    "reports/build_info.json",
    "reports/sources.bib",
    "reports/tables/",
    "reports/tables/*.csv",
    "reports/tables/*.tex",
    "reports/tables/*.html",
    "reports/figures/",
    "reports/figures/*.png",
    "reports/figures/*.svg",
    "reports/figures/*.pdf",
    "reports/data/",
    "reports/data/observations.dta",
    "reports/data/observations.xlsx",
    "reports/data/observations.csv",
    "reports/data/panel.dta",
    "reports/data/panel.csv",
    "reports/data/sources.csv",
    "reports/data/regions.csv",
    "reports/data/datapackage.json",
    "reports/codebook.html",
    "reports/failed/",
    "reports/failed/*.ipynb",
    # make screenshots, and the browser test under CI (test-build/)
    "reports/screenshots/",
    "reports/screenshots/*.png",
    "reports/screenshots/test-build/",
    # scratch of runs outside the build, the build's bookkeeping, variants, the tests' nbval outputs
    "build/",
    "build/interactive/*",
    "build/variants/*",
    "build/runs/*",
    "build/timing/*",
    "build/deps.mk",
    "build/runs.mk",
    "build/nbval-outputs",
    # make data
    "data/processed/",
    "data/processed/observations.csv",
    "data/processed/claims.csv",
    "data/processed/consistency.csv",
    "data/processed/sources.csv",
    "data/processed/.validated",
    # the environment and its bootstrap (make creates them)
    ".venv/",
    ".venv/*",
    ".bootstrap/",
    ".bootstrap/*",
)
"""Generated outputs (globs from the project root) a reference may name although a fresh clone
lacks them. A reference relative to ``reports/`` (``tables/<name>.csv``, ``data_catalog.html``)
is matched with that prefix, and a bare file name (``observations.dta``, ``claims_audit.csv``)
in each of these folders."""

GENERATED_FOLDERS = (
    "reports/",
    "reports/tables/",
    "reports/figures/",
    "reports/data/",
    "reports/screenshots/",
    "data/processed/",
)
"""Folders of generated files that prose names by file name alone."""

NOT_IN_REPO = {".git", ".venv", ".bootstrap", "reports", "build", "__pycache__", ".mypy_cache", ".ruff_cache"}
"""Folders whose contents are not repository files (generated, caches); see GENERATED."""

EXTENSIONS = [
    "md",
    "py",
    "ipynb",
    "csv",
    "toml",
    "yml",
    "yaml",
    "lock",
    "cfg",
    "ini",
    "json",
    "txt",
    "tex",
    "html",
    "j2",
    "css",
    "bib",
    "cff",
    "dta",
    "xlsx",
    "pdf",
    "png",
    "svg",
    "mk",
    "sh",
    "inputs",
]

CODE = re.compile(r"``([^`\n]+)``|`([^`\n]+)`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
BARE_MD = re.compile(r"(?<![\w/.`-])([A-Za-z0-9_-]+\.md)\b")
PART = r"[A-Za-z0-9_.<>*-]+"
SLASHED = re.compile(rf"^(?:\.{{1,2}}/)*{PART}(?:/{PART})*/(?:{PART})?$")
EXT = re.compile(rf"\.(?:{'|'.join(EXTENSIONS)})$")
BARE = re.compile(rf"^{PART}\.(?:{'|'.join(EXTENSIONS)})$")
PLACEHOLDER = re.compile(r"<[^>/]*>|\*")
FENCE = re.compile(r"^\s*(```|~~~)")


# ------------------------------------------------------------------ the repository's paths


@cache
def repo_paths() -> frozenset[str]:
    """Every file and folder of the repository (posix, relative to the root; folders end with /)."""
    out: set[str] = set()
    for folder, dirs, files in os.walk(ROOT):
        rel = Path(folder).relative_to(ROOT)
        dirs[:] = [
            d
            for d in dirs
            if not (rel == Path() and d in NOT_IN_REPO)
            and d not in {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
            and not d.endswith(".egg-info")
            and (rel / d).as_posix() != "data/processed"
        ]
        out |= {(rel / d).as_posix() + "/" for d in dirs}
        out |= {(rel / f).as_posix() for f in files}
    return frozenset(out)


@cache
def tails() -> frozenset[str]:
    """Every trailing part of every repository path (``a/b/c.py``, ``b/c.py``, ``c.py``)."""
    out: set[str] = set()
    for p in repo_paths():
        parts = p.rstrip("/").split("/")
        slash = "/" if p.endswith("/") else ""
        out |= {"/".join(parts[i:]) + slash for i in range(len(parts))}
    return frozenset(out)


def resolves(ref: str, base: Path) -> bool:
    """Whether ``ref`` (named in a file of folder ``base``) names a repository or generated path."""
    ref = ref.split("::")[0].split("#")[0]
    if not ref:
        return True
    folder = ref.endswith("/")
    concrete = PLACEHOLDER.sub("x", ref)
    # relative to the naming file or the root: must stay inside the repository
    for start in (base, ROOT):
        target = (start / ref.rstrip("/")).resolve()
        if not target.is_relative_to(ROOT):
            continue
        rel = target.relative_to(ROOT).as_posix() + ("/" if folder else "")
        if not PLACEHOLDER.search(ref) and rel in repo_paths():
            return True
        gen = PLACEHOLDER.sub("x", rel)
        if any(fnmatch.fnmatchcase(gen, g) or fnmatch.fnmatchcase(f"reports/{gen}", g) for g in GENERATED):
            return True
    if ref.startswith("../"):
        return False
    if "/" not in ref and any(fnmatch.fnmatchcase(f"{d}{concrete}", g) for d in GENERATED_FOLDERS for g in GENERATED):
        return True
    # the tail of a repository path, placeholders matching one path part
    if not PLACEHOLDER.search(ref):
        return ref in tails()
    pattern = re.compile("".join("[^/]+" if PLACEHOLDER.fullmatch(t) else re.escape(t) for t in _tokens(ref)) + "$")
    return any(pattern.match(t) for t in tails()) or any(
        fnmatch.fnmatchcase(concrete, g) or fnmatch.fnmatchcase(f"reports/{concrete}", g) for g in GENERATED
    )


def _tokens(ref: str) -> list[str]:
    out, pos = [], 0
    for m in PLACEHOLDER.finditer(ref):
        out += [ref[pos : m.start()], m[0]]
        pos = m.end()
    return [*out, ref[pos:]]


# ------------------------------------------------------------------ references in a text


def is_path_like(code: str) -> bool:
    """Whether inline code is a file reference (``.../<name>/``, an elided path, is not)."""
    code = code.split("::")[0]
    if code.startswith("..."):
        return False
    if "/" in code:
        return bool(SLASHED.match(code)) and (code.endswith("/") or bool(EXT.search(code)))
    return bool(BARE.match(code))


def references(text: str, markdown: bool = True) -> Iterator[tuple[int, str]]:
    """``(1-based line, reference)`` for every link target, backticked path and bare ``*.md`` in ``text``."""
    fenced = False
    for n, line in enumerate(text.split("\n"), 1):
        if markdown and FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in LINK.finditer(line):
            target = m[1]
            if not re.match(r"^(?:[a-z]+:|#)", target):
                yield n, target
        for m in CODE.finditer(line):
            code = (m[1] or m[2]).strip()
            if is_path_like(code):
                yield n, code
        prose = LINK.sub(" ", CODE.sub(" ", line))
        for m in BARE_MD.finditer(prose):
            yield n, m[1]


def problems(text: str, where: str, base: Path, markdown: bool = True, first_line: int = 1) -> list[str]:
    """One message per reference of ``text`` (named ``where``, in folder ``base``) that resolves to nothing."""
    return [
        f"{where}:{first_line + n - 1}: `{ref}` names no file or folder in the repository"
        for n, ref in references(text, markdown)
        if not resolves(ref, base)
    ]


def slugs(md: Path) -> set[str]:
    """The anchors GitHub gives the headings of the Markdown file ``md`` (``## The build (`make report`)``
    -> ``the-build-make-report``; a repeated heading gets ``-1``, ``-2``)."""
    out: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in md.read_text(encoding="utf-8").split("\n"):
        if FENCE.match(line):
            fenced = not fenced
        m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m[1].lower()).replace(" ", "-")
            out.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return out


def anchor_problems(md: Path, root: Path = ROOT) -> list[str]:
    """Links of ``md`` (in the project ``root``) to a heading (``#anchor``, ``other.md#anchor``) that does not exist."""
    where = md.relative_to(root).as_posix()
    out = []
    for n, line in enumerate(md.read_text(encoding="utf-8").split("\n"), 1):
        for m in LINK.finditer(line):
            target, _, anchor = m[1].partition("#")
            if not anchor or re.match(r"^[a-z]+:", target):
                continue
            path = (md.parent / target).resolve() if target else md
            if path.suffix == ".md" and path.is_file() and anchor not in slugs(path):
                out.append(f"{where}:{n}: `{m[1]}`: {path.relative_to(root).as_posix()} has no heading #{anchor}")
    return out


# ------------------------------------------------------------------ the texts checked


def markdown_documents() -> list[Path]:
    return readme.documents()


def notebook_problems(nb_path: Path, root: Path = ROOT) -> list[str]:
    """Problems in the Markdown cells of one notebook, named ``notebooks/x.ipynb cell N line M``."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = []
    for i, cell in enumerate(nb["cells"], 1):
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            where = f"{nb_path.relative_to(root).as_posix()} cell {i}"
            out += [p.replace(f"{where}:", f"{where} line ", 1) for p in problems(text, where, nb_path.parent)]
    return out


def docstring_problems(py: Path, root: Path = ROOT) -> list[str]:
    """Problems in the string statements (docstrings, attribute docstrings) of one module."""
    tree = ast.parse(py.read_text(encoding="utf-8"))
    where = py.relative_to(root).as_posix()
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out += problems(node.value.value, where, py.parent, markdown=False, first_line=node.value.lineno)
    return out


def test_markdown_documents_name_only_existing_files():
    docs = markdown_documents()
    assert ROOT / "README.md" in docs and ROOT / "docs" / "methods.md" in docs
    found = [p for d in docs for p in problems(d.read_text(encoding="utf-8"), d.relative_to(ROOT).as_posix(), d.parent)]
    assert not found, "\n".join(found)


def test_links_to_headings_find_the_heading(tmp_path):
    found = [p for d in markdown_documents() for p in anchor_problems(d)]
    assert not found, "\n".join(found)
    # planted: a link to a heading that a move renamed is named with its file and line
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "build.md").write_bytes((ROOT / "docs" / "build.md").read_bytes())
    planted = tmp_path / "docs" / "planted.md"
    planted.write_text(
        "# Planted\n\nSee [the build](build.md#the-make-build), [it](build.md#safe-defaults), [here](#planted).\n"
    )
    assert anchor_problems(planted, tmp_path) == [
        "docs/planted.md:3: `build.md#the-make-build`: docs/build.md has no heading #the-make-build"
    ]


def test_notebook_markdown_names_only_existing_files():
    notebooks = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
    assert notebooks
    found = [p for nb in notebooks for p in notebook_problems(nb)]
    assert not found, "\n".join(found)


def test_docstrings_name_only_existing_files():
    modules = sorted((ROOT / "src" / "analysis").rglob("*.py"))
    assert modules
    found = [p for py in modules for p in docstring_problems(py)]
    assert not found, "\n".join(found)


# ------------------------------------------------------------------ the checker can fail


def test_the_references_found_are_the_real_ones():
    text = (
        "See [methods](docs/methods.md#references), [the web](https://example.org/x.md), [here](#top),\n"
        "`data/raw/claims.csv`, ``tables/<name>.csv``, `index.html.j2`, `observations_*.csv`,\n"
        "`元/年`, `a / b`, `analysis.reports.figures.save`, `make lock UPGRADE=pandas`, METHODS.md.\n"
        "```sh\nmake external FIGURES=missing/figures.csv\n```\n"
    )
    refs = [r for _, r in references(text)]
    assert refs == [
        "docs/methods.md#references",
        "data/raw/claims.csv",
        "tables/<name>.csv",
        "index.html.j2",
        "observations_*.csv",
        "METHODS.md",
    ]


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("data/raw/claims.csv", True),
        ("reports/growth_figures.py", True),  # src/analysis/reports/growth_figures.py
        ("templates/report/", True),  # src/analysis/build/templates/report/
        ("observations_*.csv", True),
        ("tests/build/test_build.py::test_every_page_fits_1280_in_chromium", True),
        ("reports/tables/<name>.tex", True),  # generated
        ("tables/<table>.html", True),  # generated, relative to reports/
        ("build/interactive/<run_name>/", True),
        ("METHODS.md", False),
        ("TOOLING.md", False),
        ("docs/nothing.md", False),
        ("data/raw/observations_tibet.csv", False),
        ("reports/notes.md", False),  # not a kind of output the build writes
        ("../shared/external/figures.csv", False),  # outside the repository
    ],
)
def test_resolves(ref, ok):
    assert resolves(ref, ROOT) is ok


def test_a_planted_missing_file_is_named_with_its_file_and_line(tmp_path):
    readme_text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme_text.split("\n")
    lines.insert(5, "Formulas: see `docs/formulas.md` and [the tooling](TOOLING.md).")
    planted = "\n".join(lines)
    found = problems(planted, "README.md", ROOT)
    assert found == [
        "README.md:6: `TOOLING.md` names no file or folder in the repository",
        "README.md:6: `docs/formulas.md` names no file or folder in the repository",
    ]
    module = tmp_path / "src" / "analysis" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        '''"""Module.\n\nThe rules are in ``docs/methods.md``.\n"""\n\nX = 1\n"""Set by ``docs/rules.md``."""\n''',
        encoding="utf-8",
    )
    assert docstring_problems(module, tmp_path) == [
        "src/analysis/mod.py:7: `docs/rules.md` names no file or folder in the repository"
    ]
    nb = tmp_path / "notebooks" / "x.ipynb"
    nb.parent.mkdir()
    cells = [{"cell_type": "markdown", "source": ["# X\n", "Formulas: `METHODS.md`.\n"]}]
    nb.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert notebook_problems(nb, tmp_path) == [
        "notebooks/x.ipynb cell 1 line 2: `METHODS.md` names no file or folder in the repository"
    ]
