"""Editing fields of a source as text (builder/records/yamledit.py): every other byte stays."""

from __future__ import annotations

import pytest

from builder.records.yamledit import EditError, set_entry_fields

TEXT = """\
# The header comment stays.
title: T
sources:
  # a comment above the first source
  reuters:
    title: "A report"   # an inline comment
    publisher: Reuters
    url: https://example.org/a
    archive_url:

  other: {title: B, publisher: C}
events: []
"""


def test_an_existing_field_is_rewritten_in_place_and_nothing_else_changes():
    new = set_entry_fields(TEXT, "sources", "reuters",
                           {"archive_url": "https://web.archive.org/web/20160925000000/x"})
    assert new == TEXT.replace(
        "    archive_url:\n",
        "    archive_url: https://web.archive.org/web/20160925000000/x\n")


def test_a_new_field_goes_after_the_last_field_at_the_same_indentation():
    new = set_entry_fields(TEXT, "sources", "reuters", {"archive_date": "2016-09-26"})
    assert new == TEXT.replace("    archive_url:\n",
                               '    archive_url:\n    archive_date: "2016-09-26"\n')


def test_a_nested_mapping_is_written_as_a_block_and_can_be_replaced():
    copy = {"path": "sources/a.txt", "sha256": "ab" * 32, "retrieved": "2026-12-02T07:00:00Z"}
    once = set_entry_fields(TEXT, "sources", "reuters", {"copy": copy})
    assert "    copy:\n      path: sources/a.txt\n" in once
    twice = set_entry_fields(once, "sources", "reuters", {"copy": {**copy, "path": "b.txt"}})
    assert twice == once.replace("path: sources/a.txt", "path: b.txt")


def test_none_removes_a_field():
    new = set_entry_fields(TEXT, "sources", "reuters", {"url": None})
    assert new == TEXT.replace("    url: https://example.org/a\n", "")


def test_values_that_yaml_would_read_otherwise_are_quoted():
    new = set_entry_fields(TEXT, "sources", "reuters", {"note": "NO", "other": "a: b"})
    assert '    note: "NO"\n    other: "a: b"\n' in new


def test_crlf_files_keep_their_line_ends():
    crlf = TEXT.replace("\n", "\r\n")
    new = set_entry_fields(crlf, "sources", "reuters", {"archive_date": "2016-09-26"})
    assert "\n" not in new.replace("\r\n", "")


@pytest.mark.parametrize(("key", "message"), [
    ("missing", "there is no entry 'missing' under 'sources'"),
    ("other", "not written as a block of fields"),
])
def test_what_cannot_be_edited_is_said_plainly(key, message):
    with pytest.raises(EditError, match=message):
        set_entry_fields(TEXT, "sources", key, {"archive_date": "2016-09-26"})


def test_a_file_without_the_section_is_refused():
    with pytest.raises(EditError, match="no 'places:' section"):
        set_entry_fields(TEXT, "places", "x", {"lat": "1"})
