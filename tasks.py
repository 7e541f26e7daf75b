#!/usr/bin/env python3
"""One entry point for a fresh machine: `python3 tasks.py build` and `python3 tasks.py test`.

It creates `.venv` on first use (and again whenever pyproject.toml changes), installs the
project with its test dependencies into it, then runs the real command inside it. Only the
standard library is used here, since nothing else is installed yet.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"

COMMANDS = {
    "build": ["timeline", "build"],
    "check": ["timeline", "check"],
    "serve": ["timeline", "serve"],
    # Tests run on every core: most of their time is real site builds and a real browser.
    "test": ["python", "-m", "pytest", "-n", "auto"],
}


def requirements_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    digest = requirements_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if not (BIN / "python").exists():
        print(f"tasks: creating the virtual environment in {VENV.name}/ ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("tasks: installing the project and its test tools (first run only) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", "--upgrade", "pip"], check=True)
    subprocess.run(pip + ["install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python3 tasks.py {{{','.join(COMMANDS)}}} [arguments...]", file=sys.stderr)
        return 2
    ensure_environment()
    program, *args = COMMANDS[argv[0]]
    command = [str(BIN / program), *args, *argv[1:]]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
