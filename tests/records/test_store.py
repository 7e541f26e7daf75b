"""The one writer of events files (builder/records/store.py): atomic, and never over edits it
has not seen."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from builder.records.store import ChangedMeanwhile, read_snapshot, replace_if_unchanged, update


@pytest.fixture()
def events(tmp_path: Path) -> Path:
    path = tmp_path / "events.yaml"
    path.write_text("title: A\n", encoding="utf-8")
    return path


def test_replaces_the_file_when_it_is_as_it_was_read(events):
    snapshot = read_snapshot(events)
    replace_if_unchanged(snapshot, "title: B\n")
    assert events.read_text() == "title: B\n"


def test_refuses_when_the_file_was_saved_meanwhile_and_keeps_the_edit(events):
    snapshot = read_snapshot(events)
    events.write_text("title: edited by hand\n")
    with pytest.raises(ChangedMeanwhile, match="nothing was written"):
        replace_if_unchanged(snapshot, "title: B\n")
    assert events.read_text() == "title: edited by hand\n"


def test_leaves_no_temporary_file_and_keeps_the_mode(events):
    os.chmod(events, 0o640)
    replace_if_unchanged(read_snapshot(events), "title: B\n")
    assert sorted(p.name for p in events.parent.iterdir()) == ["events.yaml"]
    assert events.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_old_file(events, monkeypatch):
    def broken(*args):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        replace_if_unchanged(read_snapshot(events), "title: B\n")
    assert events.read_text() == "title: A\n"
    assert sorted(p.name for p in events.parent.iterdir()) == ["events.yaml"]


def test_update_applies_the_change_to_the_file_as_it_is_at_the_end(events):
    events.write_text("title: saved while the job ran\n")
    new = update(events, lambda text: text + "description: added\n")
    assert new == events.read_text() == "title: saved while the job ran\ndescription: added\n"


def test_update_that_changes_nothing_does_not_touch_the_file(events):
    before = events.stat().st_mtime_ns
    update(events, lambda text: text)
    assert events.stat().st_mtime_ns == before


def test_an_edit_that_refuses_writes_nothing(events):
    def refuse(text):
        raise ValueError("no")
    with pytest.raises(ValueError):
        update(events, refuse)
    assert events.read_text() == "title: A\n"


def test_of_two_writers_from_the_same_snapshot_only_one_wins(events):
    snapshot = read_snapshot(events)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def write(text):
        barrier.wait()
        try:
            replace_if_unchanged(snapshot, text)
            outcomes.append("written")
        except ChangedMeanwhile:
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(f"title: {n}\n",)) for n in "XY"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "written"]
    assert events.read_text() in ("title: X\n", "title: Y\n")
