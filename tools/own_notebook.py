"""Start a notebook of one's own from the template (``make own NAME=my_analysis``).

Copies ``notebooks/00_start_here.ipynb`` to ``notebooks/own/NAME.ipynb`` with its outputs
cleared and ``run_name = "NAME"`` in the parameters cell, so its tables and figures go to
``build/interactive/NAME/`` and never overwrite another run's. ``notebooks/own/`` is left
alone by ``make test`` and nbval (pyproject.toml: ``norecursedirs``) and by the build. An
existing notebook is never overwritten. The standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "notebooks" / "00_start_here.ipynb"
OWN = ROOT / "notebooks" / "own"
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def create(name: str, own: Path = OWN, template: Path = TEMPLATE) -> Path:
    """Write ``own/NAME.ipynb`` from the template; its path. Raises ``ValueError`` on a bad or taken name."""
    if not NAME.match(name):
        raise ValueError(f"NAME {name!r}: letters, digits and _ only, starting with a letter (e.g. my_analysis)")
    target = own / f"{name}.ipynb"
    if target.exists():
        raise ValueError(
            f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} exists; choose another NAME"
        )
    nb = json.loads(template.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["outputs"], cell["execution_count"] = [], None
        if "parameters" in cell["metadata"].get("tags", []):
            src = "".join(cell["source"])
            src, n = re.subn(r'^run_name = "[^"]*"', f'run_name = "{name}"', src, count=1, flags=re.MULTILINE)
            if n != 1:
                raise ValueError(f"{template.name}: no run_name line in the parameters cell")
            cell["source"] = src.splitlines(keepends=True)
    own.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0]:
        print("usage: make own NAME=my_analysis", file=sys.stderr)
        return 2
    try:
        path = create(argv[0])
    except ValueError as exc:
        print(f"make own: {exc}", file=sys.stderr)
        return 2
    print(
        f"make own: wrote {path.relative_to(ROOT)}; open it with make lab (outputs go to build/interactive/{argv[0]}/)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
