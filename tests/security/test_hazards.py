"""Hostile documents: YAML bombs, deep nesting, pathological Markdown in every text field.

Each file goes through ``timeline check`` and ``timeline build`` as separate processes, each
limited to 10 seconds and 1 GiB of address space (``RLIMIT_AS``). Each must end with a clear
answer: problems with positions (exit 1), or a correct site (exit 0); never a hang, never a
traceback, never a crash.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.security.hostile import fitted, hostile_timeline
from tests.security.pages import heading_text
from tests.support.sites import make_project

pytestmark = pytest.mark.slow

SECONDS = 10
MEMORY = 1 << 30  # 1 GiB of address space
PROBLEM_LINE = re.compile(r"^events\.yaml:\d+:\d+: error: .+ \([a-z-]+\)$", re.MULTILINE)


@dataclass
class Run:
    returncode: int
    output: str
    seconds: float


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_limited(project: Path, *args: str) -> Run:
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "builder", *args], cwd=project, capture_output=True,
            text=True, timeout=SECONDS, preexec_fn=_limit_memory,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    except subprocess.TimeoutExpired:
        pytest.fail(f"timeline {' '.join(args)} did not finish within {SECONDS} s")
    seconds = time.perf_counter() - start
    return Run(completed.returncode, completed.stdout + completed.stderr, seconds)


def assert_clear(run: Run, what: str) -> None:
    assert "Traceback" not in run.output and "MemoryError" not in run.output, \
        f"{what} crashed:\n{run.output[-3000:]}"
    assert run.returncode in (0, 1), f"{what} exited {run.returncode}:\n{run.output[-3000:]}"
    assert run.seconds < SECONDS, f"{what} took {run.seconds:.1f} s"
    if run.returncode == 1:
        assert PROBLEM_LINE.search(run.output), f"{what} failed without a problem:\n" \
                                                f"{run.output[-3000:]}"


def check_and_build(tmp_path: Path, text: str | bytes) -> tuple[Run, Run, Path]:
    project = make_project(tmp_path, text)
    checked = run_limited(project, "check", "events.yaml")
    assert_clear(checked, "timeline check")
    built = run_limited(project, "build")
    assert_clear(built, "timeline build")
    assert (checked.returncode == 0) == (built.returncode == 0)
    if built.returncode:
        assert not (project / "site").exists(), "a failed build left a site"
    return checked, built, project


# -- YAML ---------------------------------------------------------------------------------------
def billion_laughs() -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        lines.append(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\ntimeline:\n  title: *lol9\n  description: *lol9\n"
            "sources: *lol9\nevents: *lol9\n")


YAML_HAZARDS = {
    "billion-laughs": billion_laughs(),
    "aliases-everywhere": "a: &a x\nevents:\n" + "  - *a\n" * 100_000,
    "flow-nesting-1000": "timeline:\n  title: " + "[" * 1000 + "]" * 1000 + "\n",
    "flow-mappings-1000": "timeline: " + "{a: " * 1000 + "b" + "}" * 1000 + "\n",
    "block-nesting-1000": "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "v\n",
    "sequence-nesting-1000": "events:\n" + "".join("  " * i + "-\n" for i in range(1000)),
    "flow-nesting-100000": "events: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "unclosed-flow-100000": "events: " + "[" * 100_000 + "\n",
    "scalar-20-megabytes": "timeline:\n  title: " + "x" * 20_000_000 + "\n",
    "keys-100000": "timeline:\n" + "".join(f"  k{i}: v\n" for i in range(100_000)),
}


@pytest.mark.parametrize("name", sorted(YAML_HAZARDS))
def test_yaml_hazards_end_with_clear_problems(tmp_path, name):
    checked, built, _ = check_and_build(tmp_path, YAML_HAZARDS[name])
    assert checked.returncode == 1, f"{name} was accepted"


# -- Markdown -----------------------------------------------------------------------------------
# Inputs that are quadratic or worse in naive Markdown parsers.
ISSUE_STRINGS = ["[" * 8000, "[a](" * 8000, "*" * 8000, "_" * 8000]
PATTERNS = ["[", "[a](", "*", "_", "*a", "_a", "![", "*_", "**_", "`", "<", "\\", "&#",
            "{", "](", "[a]", "<a", "~~", "\n\n", "> "]
# A few patterns per site keeps each build well inside its time limit on a busy machine.
GROUPS = [PATTERNS[i:i + 4] for i in range(0, len(PATTERNS), 4)]


def test_the_long_strings_of_the_issue_in_every_field_are_refused_where_too_long(tmp_path):
    text = hostile_timeline(ISSUE_STRINGS)
    # hostile_timeline cuts payloads to each field's limit; put them back at full length.
    for payload in ISSUE_STRINGS:
        for limit in ("title", "name", "publisher", "source title", "quote", "note"):
            text = text.replace(f'"{fitted(payload, limit)}"', f'"{payload}"')
    checked, built, _ = check_and_build(tmp_path, text)
    assert checked.returncode == 1
    assert "(too-long)" in checked.output


@pytest.mark.parametrize("patterns", GROUPS, ids=["+".join(map(repr, g)) for g in GROUPS])
def test_pathological_markdown_filling_every_field_builds_a_correct_site(tmp_path, patterns):
    payloads = [p * 10_000 for p in patterns]  # cut to each field's limit
    checked, built, project = check_and_build(tmp_path, hostile_timeline(payloads))
    assert built.returncode == 0, built.output[-3000:]
    for i, payload in enumerate(payloads):
        page = (project / "site" / "events" / f"e{i}" / "index.html").read_text("utf-8")
        assert heading_text(page) == " ".join(fitted(payload, "title").split())
