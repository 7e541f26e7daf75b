"""With SOURCE_DATE_EPOCH set, two builds of the same sources are byte-identical: a preview
can be compared with what main publishes, and a published site can be rebuilt and checked.

The two builds differ in everything that should not matter: the folder they run in, the
hash seed of Python (set iteration order), the time zone, the wall-clock time, and whether
the pages are rendered in the build's own process or streamed from a second one (what a big
timeline's build does)."""

from __future__ import annotations

import filecmp
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate_timeline
from tests.security.hostile import unlink_records
from tests.support.sites import build_project, make_project

pytestmark = pytest.mark.slow

EPOCH = "1700000000"  # 14 November 2023


def _differences(a: Path, b: Path) -> list[str]:
    found = []
    comparison = filecmp.dircmp(a, b)
    found += [f"only in one build: {name}" for name in
              comparison.left_only + comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, comparison.common_files, shallow=False)
    found += [f"differs: {name}" for name in mismatch + errors]
    for sub in comparison.common_dirs:
        found += [f"{sub}/{item}" for item in _differences(a / sub, b / sub)]
    return found


@pytest.mark.parametrize("events", ["seed", "generated"])
def test_two_builds_of_the_same_sources_are_identical(tmp_path, events):
    text = generate_timeline(120, seed=5) if events == "generated" else None
    sites = []
    for run, (hash_seed, zone, processes) in enumerate((("1", "UTC", "1"),
                                                        ("2", "Asia/Tokyo", "2"))):
        project = make_project(tmp_path / f"build-{run}", text)
        if text is not None:
            unlink_records(project)
        built = build_project(project, extra_env={
            "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": hash_seed, "TZ": zone,
            "TIMELINE_RENDER_PROCESSES": processes})
        assert built.ok, built.stderr
        sites.append(built.site)
        time.sleep(1.1)  # a different second on the clock for the second build
    assert len(list(sites[0].rglob("*.html"))) > 20
    differences = _differences(*sites)
    assert not differences, "\n".join(differences[:30])
