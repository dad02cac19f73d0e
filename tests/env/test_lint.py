"""The one project convention `make lint` cannot check: a `type: ignore` names its code and its reason.

`make lint` (run first by `make test`) runs ruff and mypy on the tree with the configuration in
pyproject.toml; that the tools themselves catch defects is their own projects' business, not
tested here.
"""

from __future__ import annotations

import re

from analysis import paths


def test_type_ignores_name_their_code_and_reason():
    """The few exceptions are commented where they are: `# type: ignore[code]  # reason`."""
    bad = []
    for path in sorted((paths.ROOT / "src" / "analysis").rglob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line and not re.search(r"# type: ignore\[[\w-]+\]  # \S", line):
                bad.append(f"{path.relative_to(paths.ROOT)}:{i}")
    assert not bad, bad
