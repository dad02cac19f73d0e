"""Create ``.venv`` from the generated lock: with uv where it can be had, else with pip.

Called by ``make`` (the ``.venv/.installed`` rule); the standard library only, since it runs
before any environment exists. uv is installed, pinned, by pip into ``.bootstrap/`` from
the package index; if that fails, or ``ANALYSIS_NO_UV`` is set, plain pip installs the same
lock (hashes checked), slower. The first line printed says which installer is used and why.

Usage::

    python tools/mkvenv.py PYTHON [--dry-run]
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV_VERSION = "0.13.9"
LOCK = "requirements-dev.lock"
VENV = ".venv"
BOOT = ".bootstrap"
PIP_QUIET = ["--disable-pip-version-check", "--no-input", "-q"]


def install_uv(python: str, root: Path = ROOT) -> str | None:
    """Install uv (pinned) into ``.bootstrap/`` with pip; its path, or None when that fails."""
    uv = root / BOOT / "bin" / "uv"
    if not uv.exists():
        try:
            subprocess.run([python, "-m", "venv", str(root / BOOT)], check=True, capture_output=True)
            subprocess.run(
                [str(root / BOOT / "bin" / "pip"), "install", *PIP_QUIET, f"uv=={UV_VERSION}"],
                check=True,
                capture_output=True,
            )
        except (OSError, subprocess.CalledProcessError):
            return None
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
    python: str, environ: dict[str, str], get_uv: Callable[[str], str | None] = install_uv
) -> tuple[str | None, str]:
    """The uv to use (or None for pip) and the line that says so."""
    if environ.get("ANALYSIS_NO_UV"):
        reason = "ANALYSIS_NO_UV is set"
    else:
        uv = get_uv(python)
        if uv:
            return uv, f"Creating {VENV} with uv {UV_VERSION} from {LOCK}"
        reason = f"uv {UV_VERSION} could not be installed from the package index"
    return None, f"uv is not available ({reason}): creating {VENV} with pip from {LOCK} (slower)"


def commands(python: str, uv: str | None, root: Path = ROOT) -> list[list[str]]:
    """The commands that create the environment and install the lock and the package."""
    venv, py = root / VENV, str(root / VENV / "bin" / "python")
    if uv:
        make = [] if Path(py).exists() else [[uv, "venv", "-q", "--python", python, str(venv)]]
        return [
            *make,
            [uv, "pip", "sync", "-q", "--python", py, str(root / LOCK)],
            [uv, "pip", "install", "-q", "--python", py, "--no-deps", "--no-build-isolation", "-e", str(root)],
        ]
    pip = str(venv / "bin" / "pip")
    make = [] if Path(pip).exists() else [[python, "-m", "venv", str(venv)]]
    return [
        *make,
        [pip, "install", *PIP_QUIET, "--require-hashes", "-r", str(root / LOCK)],
        [pip, "install", *PIP_QUIET, "--no-deps", "--no-build-isolation", "-e", str(root)],
    ]


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    python, dry = argv[0], "--dry-run" in argv
    uv, line = choose(python, dict(os.environ), existing_uv if dry else install_uv)
    print(line, flush=True)
    for cmd in commands(python, uv):
        if dry:
            print(" ".join(cmd))
            continue
        r = subprocess.run(cmd)
        if r.returncode:
            return r.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
