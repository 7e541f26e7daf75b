"""The repository holds every source file: an ignore pattern that hid one (``site/`` once hid
``tests/site/``) would leave a fresh clone without it, and nothing else would notice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FOLDERS = ("builder", "tests", "templates", "content", "schema", "benchmarks", ".ci",
                  ".github")
SOURCE_SUFFIXES = {".py", ".md", ".j2", ".yaml", ".yml", ".json", ".css", ".js", ".txt",
                   ".expected", ""}
GENERATED = {"__pycache__", ".hypothesis", ".pytest_cache"}


def _source_files() -> list[str]:
    found = []
    for folder in SOURCE_FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT)
            if path.is_file() and path.suffix in SOURCE_SUFFIXES \
                    and not GENERATED & set(relative.parts):
                found.append(str(relative))
    return found


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="not a git checkout")
def test_no_source_file_is_ignored_by_git():
    files = _source_files()
    assert len(files) > 50
    completed = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=ROOT,
                               input="\n".join(files), capture_output=True, text=True)
    assert completed.returncode in (0, 1), completed.stderr  # 1: nothing is ignored
    assert completed.stdout.split() == []


# Words that would mean a file reaches outside the repository: a fresh clone has nothing beside it.
OUTSIDE = ("../shared", '"shared" /', "'shared' /", "parent / \"shared\"")


def test_nothing_reads_outside_the_repository():
    tracked = [p for p in _source_files() + ["tasks.py", "mkdocs.yml", "pyproject.toml"]
               if p != "tests/test_repository.py"]
    reaching = [p for p in tracked if any(word in (ROOT / p).read_text(encoding="utf-8",
                                                                       errors="replace")
                                          for word in OUTSIDE)]
    assert reaching == []
