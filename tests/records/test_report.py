"""The reporters (builder/records/report.py): the same problems for people, for GitHub, for programs."""

from __future__ import annotations

import json

import pytest

from builder.records.problems import Level, Problem
from builder.records.report import REPORTERS, github_report, json_report, summary_line, text_report

CONVOY = Problem("events.yaml", 12, 5, "missing-source",
                 "event 'convoy-strike' has no sources; every event needs at least one")
UNUSED = Problem("events.yaml", 3, 3, "unused-source",
                 "source 'x' is listed but no event cites it", Level.WARNING)


def test_text_is_one_line_per_problem_like_compilers_write_them():
    assert text_report([UNUSED, CONVOY]) == (
        "events.yaml:3:3: warning: source 'x' is listed but no event cites it (unused-source)\n"
        "events.yaml:12:5: error: event 'convoy-strike' has no sources; every event needs at "
        "least one (missing-source)")
    assert text_report([]) == ""


@pytest.mark.parametrize("written, shown", [
    ("a\nb", "a\\nb"), ("a\r\nb", "a\\r\\nb"), ("a\tb", "a\\tb"), ("\x1b[2J", "\\u001b[2J"),
    ("a\u2028b", "a\\u2028b"), ("a\x85b", "a\\u0085b"), ("\x00", "\\u0000"),
    ("حلب – “quoted”", "حلب – “quoted”"),
])
def test_text_shows_invisible_characters_in_messages_as_escapes(written, shown):
    problem = Problem("events.yaml", 1, 1, "invalid-status", f"'{written}' is not a status")
    assert text_report([problem]) == f"events.yaml:1:1: error: '{shown}' is not a status " \
                                     "(invalid-status)"


def test_text_escapes_the_path_too():
    problem = Problem("odd\nname.yaml", 1, 2, "empty-file", "the file holds no records")
    assert text_report([problem]).splitlines() == [
        "odd\\nname.yaml:1:2: error: the file holds no records (empty-file)"]


def test_github_annotations():
    assert github_report([CONVOY, UNUSED]).splitlines() == [
        "::error file=events.yaml,line=12,col=5,title=missing-source::event 'convoy-strike' "
        "has no sources; every event needs at least one",
        "::warning file=events.yaml,line=3,col=3,title=unused-source::source 'x' is listed but "
        "no event cites it"]
    assert github_report([]) == ""


def test_github_escapes_data_and_properties():
    problem = Problem("data/a:b,c%d.yaml", 1, 2, "invalid-status",
                      "100% sure\r\nnot: a, status %0A")
    assert github_report([problem]) == (
        "::error file=data/a%3Ab%2Cc%25d.yaml,line=1,col=2,title=invalid-status::"
        "100%25 sure%0D%0Anot: a, status %250A")


def test_github_keeps_one_line_per_problem_whatever_the_message_holds():
    problem = Problem("events.yaml", 1, 1, "invalid-status", "a\nb\u2028c\x1bd\x85e")
    [line] = github_report([problem]).splitlines()
    assert line.endswith("::a%0Ab\\u2028c\\u001bd\\u0085e")


def test_json_is_a_list_of_plain_records():
    data = json.loads(json_report([CONVOY, UNUSED]))
    assert data == [
        {"path": "events.yaml", "line": 12, "column": 5, "level": "error",
         "rule": "missing-source",
         "message": "event 'convoy-strike' has no sources; every event needs at least one"},
        {"path": "events.yaml", "line": 3, "column": 3, "level": "warning",
         "rule": "unused-source", "message": "source 'x' is listed but no event cites it"}]
    assert json.loads(json_report([])) == []


def test_json_keeps_every_character_exactly():
    message = "'حلب\n\x1b\u2028\"\\' is not a status"
    text = json_report([Problem("ев.yaml", 1, 1, "invalid-status", message)])
    assert "حلب" in text  # readable, not \\u-escaped
    assert json.loads(text)[0]["message"] == message
    assert json.loads(text)[0]["path"] == "ев.yaml"


@pytest.mark.parametrize("problems, line", [
    ([], "no problems found"),
    ([CONVOY], "1 error(s), 0 warning(s)"),
    ([CONVOY, UNUSED, CONVOY], "2 error(s), 1 warning(s)"),
    ([UNUSED], "0 error(s), 1 warning(s)"),
])
def test_summary_line(problems, line):
    assert summary_line(problems) == line


def test_the_three_formats_are_offered():
    assert REPORTERS == {"text": text_report, "github": github_report, "json": json_report}
