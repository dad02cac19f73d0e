"""Create ``.venv`` from the generated locks: with uv where it can be had, else with pip.

Called by ``make`` in two steps, the standard library only (it runs before any environment exists):

* ``python tools/mkvenv.py PYTHON`` (the ``.venv/.installed`` rule, what ``make report``,
  ``make data``, ``make notebooks`` and ``make lab`` need): the runtime lock
  ``requirements.lock`` and the package;
* ``python tools/mkvenv.py PYTHON --dev`` (the ``.venv/.installed-dev`` rule, what ``make test``,
  ``make lint`` and ``make screenshots`` need): ``requirements-dev.lock``, the runtime lock plus
  the ``dev`` and ``browser`` groups.

A new user's first ``make report`` so downloads only the runtime packages. With uv each step is
an exact sync (``uv pip sync``: whatever the lock does not list is removed, so the runtime step
also removes the development tools; the Makefile then drops their stamp). Both steps check the
hashes of the locks.

uv is installed, pinned, by pip into ``.bootstrap/`` from the package index: with the pip wheel
that ships with Python (``ensurepip``) run directly, installing into ``.bootstrap/`` as a prefix
(no second environment to create), else with pip in a ``.bootstrap`` virtual environment. If
both fail, or ``ANALYSIS_NO_UV`` is set, plain pip installs the same lock (hashes checked),
slower and without removing anything. The first line printed says which installer is used and why.

Usage::

    python tools/mkvenv.py PYTHON [--dev] [--dry-run]
    python tools/mkvenv.py PYTHON --uv        # install uv into .bootstrap/ only (make lock)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV_VERSION = "0.13.9"
LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"
VENV = ".venv"
BOOT = ".bootstrap"
PIP_QUIET = ["--disable-pip-version-check", "--no-input", "-q"]

BUNDLED_PIP = (
    "import ensurepip, glob, os; d = os.path.dirname(ensurepip.__file__); "
    "print(*sorted(glob.glob(os.path.join(d, '_bundled', 'pip-*.whl')) + glob.glob('/usr/share/python-wheels/pip-*.whl'))[-1:])"
)
"""Prints the pip wheel that ships with the interpreter (CPython's ``ensurepip``; Debian keeps it in
``/usr/share/python-wheels``), or nothing."""


def bootstrap_commands(python: str, root: Path = ROOT) -> list[list[list[str]]]:
    """The ways to install uv into ``.bootstrap/``, fastest first (each a list of commands).

    First the interpreter's own pip wheel, run as ``python pip.whl/pip`` with ``--prefix`` (about
    2.5 s); else a ``.bootstrap`` virtual environment and its pip (about 4 s: ``venv`` installs pip).
    """
    boot, spec = str(root / BOOT), f"uv=={UV_VERSION}"
    ways = []
    wheel = subprocess.run([python, "-c", BUNDLED_PIP], capture_output=True, text=True).stdout.strip()
    if wheel:
        ways.append(
            [[python, f"{wheel}/pip", "install", *PIP_QUIET, "--no-warn-script-location", "--prefix", boot, spec]]
        )
    ways.append([[python, "-m", "venv", boot], [str(root / BOOT / "bin" / "pip"), "install", *PIP_QUIET, spec]])
    return ways


def install_uv(python: str, root: Path = ROOT) -> str | None:
    """Install uv (pinned) into ``.bootstrap/`` with pip; its path, or None when that fails."""
    uv = root / BOOT / "bin" / "uv"
    if not uv.exists():
        for way in bootstrap_commands(python, root):
            try:
                for cmd in way:
                    subprocess.run(cmd, check=True, capture_output=True)
                break
            except (OSError, subprocess.CalledProcessError):
                continue
    try:
        subprocess.run([str(uv), "--version"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return str(uv)


def existing_uv(python: str, root: Path = ROOT) -> str | None:
    """The bootstrap's uv when it is installed (a dry run installs nothing)."""
    uv = root / BOOT / "bin" / "uv"
    return str(uv) if uv.exists() else None


def choose(
    python: str, environ: dict[str, str], get_uv: Callable[[str], str | None] = install_uv, dev: bool = False
) -> tuple[str | None, str]:
    """The uv to use (or None for pip) and the line that says so."""
    lock = DEV_LOCK if dev else LOCK
    what = f"Adding the development tools to {VENV}" if dev else f"Creating {VENV}"
    if environ.get("ANALYSIS_NO_UV"):
        reason = "ANALYSIS_NO_UV is set"
    else:
        uv = get_uv(python)
        if uv:
            return uv, f"{what} with uv {UV_VERSION} from {lock}"
        reason = f"uv {UV_VERSION} could not be installed from the package index"
    return None, f"uv is not available ({reason}): {what[0].lower()}{what[1:]} with pip from {lock} (slower)"


def commands(python: str, uv: str | None, root: Path = ROOT, dev: bool = False) -> list[list[str]]:
    """The commands that create the environment and install a lock (runtime, or ``dev``) and the package."""
    venv, py, lock = root / VENV, str(root / VENV / "bin" / "python"), str(root / (DEV_LOCK if dev else LOCK))
    if uv:
        make = [] if Path(py).exists() else [[uv, "venv", "-q", "--python", python, str(venv)]]
        return [
            *make,
            [uv, "pip", "sync", "-q", "--python", py, lock],
            [uv, "pip", "install", "-q", "--python", py, "--no-deps", "--no-build-isolation", "-e", str(root)],
        ]
    pip = str(venv / "bin" / "pip")
    make = [] if Path(pip).exists() else [[python, "-m", "venv", str(venv)]]
    return [
        *make,
        [pip, "install", *PIP_QUIET, "--require-hashes", "-r", lock],
        [pip, "install", *PIP_QUIET, "--no-deps", "--no-build-isolation", "-e", str(root)],
    ]


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    python, dry, dev = argv[0], "--dry-run" in argv, "--dev" in argv
    if "--uv" in argv:
        uv = install_uv(python)
        print(uv or f"uv {UV_VERSION} could not be installed from the package index", file=None if uv else sys.stderr)
        return 0 if uv else 1
    uv, line = choose(python, dict(os.environ), existing_uv if dry else install_uv, dev=dev)
    print(line, flush=True)
    for cmd in commands(python, uv, dev=dev):
        if dry:
            print(" ".join(cmd))
            continue
        r = subprocess.run(cmd)
        if r.returncode:
            return r.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
