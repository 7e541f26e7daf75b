"""Nothing is lost: a build that fails or is killed leaves the previous site exactly as it
was, and no build ever writes or deletes anything under content/."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate_timeline
from builder.publish.build import BUILD_PREFIX
from tests.security.hostile import unlink_records
from tests.support.sites import build_project, make_project

pytestmark = pytest.mark.slow

LARGE = 600  # events: enough for the build to spend seconds writing pages


def tree_digest(folder: Path) -> str:
    """Every file's path, bytes and modification time, and every folder, in one digest."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


@pytest.fixture
def built(tmp_path):
    """A project whose site was built once from the seed records."""
    project = make_project(tmp_path)
    first = build_project(project)
    assert first.ok, first.stderr
    return project


def _scratch_folders(project: Path) -> list[Path]:
    return sorted(project.glob(BUILD_PREFIX + "*"))


def _wait_for(condition, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before it could be "
                        f"interrupted:\n{process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the build never reached the point where it is interrupted")
        time.sleep(0.02)


def test_a_build_killed_while_writing_pages_leaves_the_previous_site(built):
    site, content = tree_digest(built / "site"), tree_digest(built / "content")
    (built / "events.yaml").write_text(generate_timeline(LARGE, seed=3), encoding="utf-8")
    unlink_records(built)  # the hand-written pages link to records of the seed file
    content = tree_digest(built / "content")
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build"], cwd=built, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))

    def writing_event_pages() -> bool:
        return any(any((scratch / "events").glob("*/index.html"))
                   for scratch in _scratch_folders(built))

    _wait_for(writing_event_pages, process, seconds=240)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    process.stderr.close()

    assert tree_digest(built / "site") == site, "the killed build changed the published site"
    assert tree_digest(built / "content") == content
    assert _scratch_folders(built), "the killed build should have left its unfinished folder"
    # The next build clears what the killed one left, and publishes.
    (built / "events.yaml").write_bytes(
        (Path(__file__).resolve().parents[2] / "events.yaml").read_bytes())
    again = build_project(built)
    assert again.ok, again.stderr
    assert not _scratch_folders(built)
    assert tree_digest(built / "content") == content


def test_records_with_errors_leave_the_previous_site(built):
    site, content = tree_digest(built / "site"), tree_digest(built / "content")
    events = built / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "status: reported", "status: rumoured", 1), encoding="utf-8")
    failed = build_project(built)
    assert failed.returncode == 1
    assert "invalid-status" in failed.stdout
    assert tree_digest(built / "site") == site
    assert tree_digest(built / "content") == content
    assert not _scratch_folders(built)


def test_a_build_that_fails_in_mkdocs_leaves_the_previous_site(built):
    """The records are fine but the site is not (a broken link in a hand-written page,
    which strict MkDocs refuses after every page was rendered)."""
    site = tree_digest(built / "site")
    methodology = built / "content" / "methodology.md"
    methodology.write_text(methodology.read_text(encoding="utf-8")
                           + "\n[broken](no-such-page.md)\n", encoding="utf-8")
    content = tree_digest(built / "content")
    failed = build_project(built)
    assert failed.returncode == 1, failed.stderr
    assert "no-such-page.md" in failed.stderr
    assert tree_digest(built / "site") == site
    assert tree_digest(built / "content") == content
    assert not _scratch_folders(built)


def test_a_successful_build_writes_nothing_under_content(built):
    content = tree_digest(built / "content")
    again = build_project(built)
    assert again.ok, again.stderr
    assert tree_digest(built / "content") == content
