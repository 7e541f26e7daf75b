"""Reporters: the same problems, formatted for people, for GitHub, or for programs."""

from __future__ import annotations

import json
import re

from builder.records.problems import Problem


# Control characters, line and paragraph separators and text-direction overrides (a value
# can hold them when written with escapes in double quotes): shown as escapes, so that each
# problem stays on one line and a value can neither send commands to the terminal nor
# reorder what is shown.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(text: str) -> str:
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def text_report(problems: list[Problem]) -> str:
    lines = [f"{_visible(p.path)}:{p.line}:{p.column}: {p.level.value}: {_visible(p.message)} "
             f"({p.rule})"
             for p in problems]
    return "\n".join(lines)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _visible(_escape_data(value)).replace(":", "%3A").replace(",", "%2C")


def github_report(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for p in problems:
        command = "error" if p.is_error else "warning"
        props = (f"file={_escape_property(p.path)},line={p.line},col={p.column},"
                 f"title={_escape_property(p.rule)}")
        lines.append(f"::{command} {props}::{_visible(_escape_data(p.message))}")
    return "\n".join(lines)


def json_report(problems: list[Problem]) -> str:
    return json.dumps([
        {"path": p.path, "line": p.line, "column": p.column, "level": p.level.value,
         "rule": p.rule, "message": p.message}
        for p in problems], ensure_ascii=False, indent=2)


def summary_line(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s)"


REPORTERS = {"text": text_report, "github": github_report, "json": json_report}
