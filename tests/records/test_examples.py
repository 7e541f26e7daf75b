"""Example files: tests/examples/valid/*.yaml check clean; each tests/examples/invalid/*.yaml
gives exactly the problems written in its sibling *.expected file.

An .expected file holds the text report (`timeline check` output), one problem per line, with
the path written as the file's name. After a deliberate change to the checks or their
wording, rewrite them with

    UPDATE_EXPECTED=1 python -m pytest tests/records/test_examples.py

and read the diff before committing it.
"""

from __future__ import annotations

import ast
import os
import re
from datetime import date
from pathlib import Path

import pytest

from builder.records.check import check_bytes
from builder.records.report import text_report

TODAY = date(2026, 11, 25)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BUILDER = Path(__file__).resolve().parents[2] / "builder" / "records"
VALID = sorted((EXAMPLES / "valid").glob("*.yaml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))
RULE = re.compile(r"[a-z]+(?:-[a-z]+)+|[a-z]+")


def report(path: Path) -> str:
    result = check_bytes(path.read_bytes(), path.name, today=TODAY)
    return text_report(result.problems)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_checks_clean(path):
    result = check_bytes(path.read_bytes(), path.name, today=TODAY)
    assert text_report(result.problems) == ""
    assert result.timeline is not None and result.timeline.events


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_reports_exactly_the_expected_problems(path):
    expected_path = path.with_suffix(".expected")
    actual = report(path)
    if os.environ.get("UPDATE_EXPECTED"):
        expected_path.write_text(actual + "\n", encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    assert actual.splitlines() == expected.splitlines()
    assert " error: " in actual  # every invalid example fails the check


def test_every_expected_file_belongs_to_an_example():
    expected = sorted(p.with_suffix(".yaml") for p in (EXAMPLES / "invalid").glob("*.expected"))
    assert expected == INVALID


def test_the_valid_examples_use_every_optional_field_and_date_form():
    texts = "\n".join(p.read_text(encoding="utf-8") for p in VALID)
    for field in ("description:", "url:", "archive_url:", "accessed:", "author:", "language:",
                  "note:", "names:", "lat:", "lon:", "place:", "actors:", "tags:", "claims:",
                  "quote:", "narratives:", "events: [", "from:", "to:", "intro:"):
        assert field in texts, field
    for date_form in ('"2015"', '"2016-09"', "2016-09-20,", '"2015~"', "2016-09?",
                      '"2016-09-20%"', '"2016-09-12/2016-09-24"', '"2016-09~/2016-10?"'):
        assert date_form in texts, date_form


# -- every rule the checker can report has an example -----------------------------------------

def rules_in_source() -> set[str]:
    """The rule ids written in builder/: in every call that makes a problem, the argument that
    is a rule id (a lowercase slug, or an f-string such as f"unknown-{kind}")."""
    expand = {"invalid-": ("id", "tag"), "unknown-": ("source", "actor", "place", "event")}
    rules = set()
    for name in ("check.py", "yamltree.py", "validate.py", "dates.py"):
        tree = ast.parse((BUILDER / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            function = getattr(getattr(node, "func", None), "attr",
                               getattr(getattr(node, "func", None), "id", ""))
            if function not in ("Problem", "problem", "error", "warn", "DateError"):
                continue
            arguments = list(node.args) + [k.value for k in node.keywords if k.arg == "rule"]
            for argument in arguments:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str) \
                        and RULE.fullmatch(argument.value):
                    rules.add(argument.value)
                    break
                first = argument.values[0] if isinstance(argument, ast.JoinedStr) else None
                if isinstance(first, ast.Constant) and first.value in expand:
                    prefix = first.value
                    rules.update(prefix + kind for kind in expand[prefix])
                    break
    rules.add("invalid-date")  # DateError's default rule
    return rules


ALL_RULES = {
    "syntax-error", "tab-indentation", "encoding", "invisible-character", "multiple-documents",
    "empty-file", "duplicate-key", "anchor", "alias", "merge-key", "explicit-tag", "complex-key",
    "too-deep", "unknown-field", "missing-field", "empty-value", "wrong-type", "too-long",
    "invalid-id", "invalid-tag", "invalid-date", "date-order", "future-date", "invalid-status",
    "unknown-source", "unknown-actor", "unknown-place", "unknown-event", "missing-source",
    "unused-source", "invalid-url", "unsafe-url", "invalid-coordinate", "invalid-language",
    "duplicate-id", "narrative-selection", "empty-narrative", "file-too-large",
}
# An example over 100 MB would not belong in the repository: tests/site/test_budget.py lowers the cap.
WITHOUT_EXAMPLE = {"file-too-large"}


def test_the_list_of_rules_is_the_one_in_the_source():
    assert rules_in_source() == ALL_RULES


def test_every_rule_has_an_invalid_example():
    shown = set()
    for path in INVALID:
        for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
            shown.add(line.rsplit("(", 1)[1].rstrip(")"))
    assert ALL_RULES - shown == WITHOUT_EXAMPLE
