"""Install a new external figures file: ``python -m analysis.data.external_update update PATH``.

``make external FIGURES=PATH`` runs this module. The candidate ``figures.csv`` (with the
README beside it) is validated against every raw table (:func:`analysis.data.raw.load_raw`
on a copy of ``data/raw`` with the candidate in place); only when it passes are
``external/figures.csv``, ``external/README.md`` and ``external/SHA256SUMS`` replaced,
together. The module sits above :mod:`analysis.data.raw`, which reads the figures through
:mod:`analysis.data.external`, so the three import in one direction.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from analysis import paths
from analysis.data.csvio import iter_rows, read_table, replace_all
from analysis.data.external import FIGURES, README, SUMS, sums_text
from analysis.data.raw import load_raw
from analysis.errors import DataError


def _keys(path: Path) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(region, indicator, year) -> the sorted values the file gives for it."""
    if not path.exists():
        return {}
    df = read_table(path, required=["indicator", "region", "year", "value"])
    out: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for _, r in iter_rows(df):
        k = (r["region"], r["indicator"], r["year"])
        out[k] = tuple(sorted((*out.get(k, ()), r["value"])))
    return out


def update(figures: Path, raw: Path | None = None) -> str:
    """Validate a new ``figures.csv`` (and the README beside it), then install it.

    The candidate is checked with every raw table (a copy of ``raw`` with the new file in
    place, so claims that cite external ids are checked too). Only when it passes are
    ``external/figures.csv``, ``external/README.md`` and ``external/SHA256SUMS``
    replaced, together.

    Parameters
    ----------
    figures : Path
        The new ``figures.csv``; its ``README.md`` must be in the same folder.
    raw : Path, optional
        Raw data folder (default ``data/raw``).

    Returns
    -------
    str
        A summary: rows by region, and keys added, removed or changed.

    Raises
    ------
    DataError
        When the candidate (or the raw data with it) fails validation; nothing changes.
    """
    raw = Path(raw or paths.RAW)
    figures = Path(figures)
    readme = figures.parent / README
    if not figures.is_file():
        raise DataError.one(str(figures), None, None, "the file does not exist.")
    if not readme.is_file():
        raise DataError.one(str(readme), None, None, f"the README beside {figures.name} is missing; copy it too.")
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "raw"
        shutil.copytree(raw, trial, ignore=shutil.ignore_patterns("documents"))
        (trial / "documents").symlink_to((raw / "documents").resolve(), target_is_directory=True)
        shutil.copyfile(figures, trial / "external" / FIGURES)
        shutil.copyfile(readme, trial / "external" / README)
        (trial / "external" / SUMS).write_text(sums_text(trial / "external"), encoding="utf-8")
        try:
            data = load_raw(trial)
        except DataError as exc:
            # name the candidate and the project's tables, not the temporary copy; the
            # candidate's own problems first
            named = {FIGURES: str(figures), README: str(readme)}
            for p in exc.problems:
                if p.file.startswith(str(trial)):
                    rel = Path(p.file).relative_to(trial)
                    p.file = named.get(rel.name, "") if rel.parent == Path("external") else ""
                    p.file = p.file or paths.relative(raw / rel)
            exc.problems.sort(key=lambda p: p.file not in (str(figures), str(readme)))
            raise DataError(exc.problems) from None
        new_bytes = (trial / "external" / FIGURES).read_bytes()
        readme_bytes = (trial / "external" / README).read_bytes()
        sums = (trial / "external" / SUMS).read_bytes()
    before = _keys(raw / "external" / FIGURES)
    after = _keys(figures)
    written = replace_all(
        {
            raw / "external" / FIGURES: new_bytes,
            raw / "external" / README: readme_bytes,
            raw / "external" / SUMS: sums,
        }
    )
    ext = data.observations[data.observations["kind"] == "external"]
    by_region = ", ".join(f"{k} {v}" for k, v in ext["region"].value_counts().sort_index().items())
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
    lines = [
        (
            f"make external: {'installed' if written else 'unchanged, already holds'} {figures} as "
            f"{paths.relative(raw / 'external' / FIGURES)} "
            f"({len(ext)} rows: {by_region}; {int((ext['preferred'] == 'yes').sum())} preferred)."
        ),
        f"  (region, indicator, year): {len(added)} added, {len(removed)} removed, {len(changed)} with changed values.",
    ]
    for label, keys in (("added", added), ("removed", removed), ("changed", changed)):
        for k in keys[:20]:
            lines.append(f"  {label}: {' '.join(k)}")
        if len(keys) > 20:
            lines.append(f"  ... and {len(keys) - 20} more {label}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``update PATH``); returns the exit status."""
    ap = argparse.ArgumentParser(description="Install a new external figures.csv after validating it.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("update", help="validate PATH (and the README.md beside it) and install it")
    up.add_argument("figures", type=Path)
    up.add_argument("--raw", type=Path, default=None, help="raw data folder (default data/raw)")
    args = ap.parse_args(argv)
    try:
        print(update(args.figures, args.raw))
    except DataError as exc:
        print(f"make external: FAILED, data/raw/external left unchanged.\n{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
