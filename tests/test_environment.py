"""The pins are the single source of truth; environment.yml must repeat them exactly."""

from __future__ import annotations

import re
from importlib.metadata import version

from analysis import paths

REQUIRED = (
    "jupyterlab",
    "pandas",
    "matplotlib",
    "seaborn",
    "statsmodels",
    "papermill",
    "nbval",
    "pandera",
    "pytest",
    "nbconvert",
    "ipykernel",
    "numpy",
    "scipy",
    "ruff",
    "mypy",
    "nbdime",
    "pre-commit",
)


def _pins(lines: list[str]) -> dict[str, str]:
    """``name==version`` lines as {name: version}; a pin with an environment marker (one version per
    Python range) is keyed ``name; marker``, so both lines of such a pair are checked."""
    out = {}
    for line in lines:
        line = line.split(" #")[0].strip().lstrip("-").strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)(?:\s*;\s*(.+))?", line)
        assert m, f"not an exact pin: {line!r}"
        name = m.group(1).lower().replace("_", "-")
        out[f"{name}; {m.group(3)}" if m.group(3) else name] = m.group(2)
    return out


def test_a_marker_pin_pair_covers_every_python_311():
    """soupsieve 3.x and later need Python 3.11.5 (possessive quantifiers in re); Debian 12's python3.11
    is 3.11.2, so a second pin serves it: each Python 3.11 release gets exactly one version."""
    pins = requirement_pins()
    pair = {k: v for k, v in pins.items() if k.startswith("soupsieve;")}
    assert pair == {
        'soupsieve; python_full_version >= "3.11.5"': "4.1.3",
        'soupsieve; python_full_version < "3.11.5"': "2.10",
    }


def requirement_pins() -> dict[str, str]:
    return _pins((paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())


def environment_pins() -> dict[str, str]:
    lines = (paths.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    i = lines.index("  - pip:")
    return _pins(lines[i + 1 :])


def test_requirements_are_exact_pins_of_the_stack():
    pins = requirement_pins()
    missing = [p for p in REQUIRED if p not in pins]
    assert not missing, f"requirements.txt lacks {missing}"


def test_environment_yml_repeats_the_same_pins():
    req, env = requirement_pins(), environment_pins()
    only_req = sorted(set(req) - set(env))
    only_env = sorted(set(env) - set(req))
    differ = sorted(k for k in set(req) & set(env) if req[k] != env[k])
    assert not (only_req or only_env or differ), (
        f"requirements.txt and environment.yml disagree: only in requirements {only_req}, "
        f"only in environment.yml {only_env}, different versions {differ}"
    )


def test_installed_versions_match_the_pins():
    pins = requirement_pins()
    wrong = {p: (pins[p], version(p)) for p in REQUIRED if version(p) != pins[p]}
    assert not wrong, f"installed versions differ from the pins (pinned, installed): {wrong}; run `make venv`"


def test_environment_yml_python_version():
    text = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "python=3.11" in text
