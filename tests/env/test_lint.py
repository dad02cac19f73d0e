"""`make lint` (run by `make test`) really fails on planted defects; its configuration is the project's.

`make lint` itself checks the tree (zero findings); these tests show each tool catches a
planted defect with the project's configuration: a type error (mypy, with the warm
cache in .mypy_cache), an unused import and unsorted imports (ruff check), unformatted
code (ruff format --check).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from analysis import paths

BIN = Path(sys.executable).parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=paths.ROOT)


def test_mypy_catches_a_type_error(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from analysis.metrics.growth import cagr\n\nrate: str = cagr(418.9, 705.7, 6)\n", encoding="utf-8"
    )
    r = run(str(BIN / "mypy"), str(planted))
    assert r.returncode == 1, r.stdout + r.stderr
    assert (
        'planted.py:3: error: Incompatible types in assignment (expression has type "float", variable has type "str")'
        in r.stdout
    )


def test_mypy_refuses_a_blanket_type_ignore(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("from analysis.metrics.growth import cagr\n\nrate: str = cagr(1, 2, 3)  # type: ignore\n")
    r = run(str(BIN / "mypy"), str(planted))
    assert r.returncode == 1 and "[ignore-without-code]" in r.stdout, r.stdout


def test_ruff_catches_lint_and_format_defects():
    name = "src/analysis/metrics/planted.py"
    r = run(
        str(BIN / "ruff"),
        "check",
        "--stdin-filename",
        name,
        "-",
        stdin="import sys\nimport os\n\nx = [i for i in range(3)]\n",
    )
    assert r.returncode == 1
    assert "F401" in r.stdout and "I001" in r.stdout
    r = run(str(BIN / "ruff"), "check", "--stdin-filename", name, "-", stdin="pairs = list(zip([1, 2], [3, 4]))\n")
    assert r.returncode == 1 and "B905" in r.stdout  # zip() must say whether lengths must match
    r = run(str(BIN / "ruff"), "format", "--check", "--stdin-filename", name, "-", stdin="x=dict( a = 1 )\n")
    assert r.returncode == 1


def test_configuration_lives_in_pyproject():
    conf = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = conf["tool"]["ruff"]["lint"]
    assert {"E", "F", "W", "I", "UP", "B"} <= set(lint["select"])
    assert conf["tool"]["ruff"]["line-length"] == 120
    mypy = conf["tool"]["mypy"]
    assert mypy["files"] == ["src/analysis"] and mypy["cache_dir"] == ".mypy_cache"
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ntest: lint " in makefile


def test_type_ignores_name_their_code_and_reason():
    """The few exceptions are commented where they are: `# type: ignore[code]  # reason`."""
    bad = []
    for path in sorted((paths.ROOT / "src" / "analysis").rglob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line and not re.search(r"# type: ignore\[[\w-]+\]  # \S", line):
                bad.append(f"{path.relative_to(paths.ROOT)}:{i}")
    assert not bad, bad
