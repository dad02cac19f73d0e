"""Every ``>>>`` example in src/analysis runs, one test per module (``make test``).

The examples use the documents' own figures (e.g. 418.9 -> 705.7 亿元 over 2013-2019 is
9.08% a year), so a change of a formula or of the data that alters them fails here.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from analysis import paths

PKG = paths.ROOT / "src" / "analysis"
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_name(path: Path, root: Path = PKG) -> str:
    parts = [*path.relative_to(root.parent).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(module_name(p) for p in PKG.rglob("*.py"))


def run_examples(module: object) -> doctest.TestResults:
    """Run the examples of ``module`` (and of everything defined in it); failures are reported."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    for test in finder.find(module):
        runner.run(test)
    return runner.summarize(verbose=False)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, capsys):
    result = run_examples(importlib.import_module(name))
    report = capsys.readouterr().out
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed:\n{report}"


def test_the_package_has_real_examples():
    """The examples exist (a count that only grows) and are not skipped wholesale."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    n = sum(len(t.examples) for name in MODULES for t in finder.find(importlib.import_module(name)))
    assert n >= 35, n
    skipped = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if "doctest: +SKIP" in p.read_text(encoding="utf-8")]
    assert not skipped, f"examples skipped instead of run: {skipped}"


def test_a_broken_example_fails(tmp_path, monkeypatch, capsys):
    (tmp_path / "planted_example.py").write_text(
        '''def cagr_2013_2019():
    """Xiangxi GDP 418.9 -> 705.7 亿元 over 2013-2019.

    >>> round((705.7 / 418.9) ** (1 / 6) - 1, 4)
    0.0918
    """
''',
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    result = run_examples(importlib.import_module("planted_example"))
    out = capsys.readouterr().out
    assert result == (1, 1)
    assert "Expected:\n    0.0918\nGot:\n    0.0908" in out
