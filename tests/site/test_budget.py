"""The memory a build will need is known before it starts, and a timeline too big for the
limit is refused with a clear message, before anything is built."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from builder.site import budget
from builder.records import check as check_module
from builder.records.check import check_bytes, check_file
from tests.support.sites import build_project, make_project

# Peak resident memory of `timeline build` measured by benchmarks/bench_large.py (BENCHMARKS.md,
# "Large files"): events, bytes of YAML, MiB; with a second process rendering, then in one.
MEASURED = [(10_000, 10_700_000, 407), (46_728, 49_400_000, 1_610),
            (100_000, 15_200_000, 1_536), (20_000, 21_200_000, 727), (50_000, 7_600_000, 789),
            (46_728, 49_400_000, 1_607), (100_000, 15_200_000, 1_611)]


@pytest.mark.parametrize("events, size, mib", MEASURED)
def test_the_estimate_follows_the_measured_builds_from_above(events, size, mib):
    estimate = budget.build_estimate(events, size)
    assert mib <= estimate.needed_mib <= mib * 1.08
    assert estimate.fits  # the sizes the format promises to build within 2 GiB


def test_many_events_in_a_big_file_would_not_fit_in_2_gib():
    estimate = budget.build_estimate(100_000, 50_000_000)
    assert estimate.needed_mib > 2048
    assert not estimate.fits
    words = estimate.explanation("events.yaml")
    assert words.startswith("events.yaml: ")
    assert "100,000 events in 50.0 MB" in words and "memory_limit" in words
    assert budget.build_estimate(100_000, 50_000_000, limit_mib=4096).fits


def test_a_build_over_the_limit_is_refused_before_anything_is_written(tmp_path):
    project = make_project(tmp_path)
    _with_memory_limit(project, 60)
    assert "memory_limit: 60" in (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous site", encoding="utf-8")
    built = build_project(project, timeout=120)
    assert built.returncode == 1
    assert "too large to build within the memory limit of 60 MiB" in built.stderr
    assert "Traceback" not in built.stderr
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous site"


def test_a_file_over_the_size_cap_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "MAX_FILE_BYTES", 1_000)
    big = tmp_path / "events.yaml"
    big.write_text("title: x\n" + "# padding\n" * 200, encoding="utf-8")
    for result in (check_file(big, display="events.yaml"),
                   check_bytes(big.read_bytes(), "events.yaml")):
        assert not result.ok and result.timeline is None
        (problem,) = result.problems
        assert (problem.path, problem.line, problem.column, problem.rule) == (
            "events.yaml", 1, 1, "file-too-large")
        assert "0.001 MB" in problem.message and "Split" in problem.message


def _with_memory_limit(project, mib: int) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      templates: templates\n",
                                   f"      templates: templates\n      memory_limit: {mib}\n"),
                      encoding="utf-8")


@pytest.mark.parametrize("limit, second_process", [(100, False), (2048, True)])
def test_a_second_process_is_only_started_when_it_fits_too(tmp_path, limit, second_process):
    # The seed needs about 79 MiB: alone it fits in 100 MiB, but not with a copy of itself.
    assert budget.build_estimate(21, 32_000, 100).fits
    project = make_project(tmp_path)
    _with_memory_limit(project, limit)
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True,
        text=True, timeout=120,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", TIMELINE_RENDER_PROCESSES="2"))
    assert completed.returncode == 0, completed.stderr
    alone = "rendered in this process, since a second one would not fit" in completed.stderr
    assert alone is not second_process
    assert (project / "site" / "events" / "aid-convoy-bombed" / "index.html").exists()
