"""Edit the YAML text of an events file as text, so that every byte not changed stays as it was.

Editors write ``events.yaml`` by hand, with their comments, blank lines, quoting and line
wrapping. A command that adds or changes a record (``timeline new``, ``copy``, ``archive``,
``links --write``, ``import``) must not re-serialise the file: it finds where things are
written (libyaml's marks give the lines) and changes only those lines. Every edit here is
verified by loading the new text and comparing it with what was intended.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field

import yaml

try:  # the same fast parser the checker uses; both give the same events and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader


class EditError(Exception):
    """The edit cannot be made as text; the message says why, plainly."""


_PLAIN_START = re.compile(r"[-?:,\[\]{}#&*!|>'\"%@`\s]")


def scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when that reads back as the same text, else quoted."""
    plain = (value and "\n" not in value and value == value.strip()
             and not _PLAIN_START.match(value) and ": " not in value and " #" not in value
             and not value.endswith(":"))
    if plain:
        try:
            plain = yaml.load(f"k: {value}\n", Loader=_Loader) == {"k": value}
        except yaml.YAMLError:
            plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def folded(key: str, value: str, indent: int, width: int = 80) -> list[str]:
    """``key: >-`` with the text wrapped, when folding gives the text back exactly."""
    foldable = (value == value.strip() and "\n" not in value and "\t" not in value
                and "  " not in value and len(value) > width - indent - len(key) - 2)
    if not foldable:
        return [f"{' ' * indent}{key}: {scalar(value)}"]
    inner = " " * (indent + 2)
    lines = textwrap.wrap(value, width=max(width - len(inner), 40), break_long_words=False,
                          break_on_hyphens=False)
    return [f"{' ' * indent}{key}: >-", *(inner + line for line in lines)]


@dataclass
class Section:
    """Where a top-level section (`events:`, `sources:`) and each of its entries sit."""

    key_line: int  # 0-based
    flow: bool  # no entries, written on the key's line, like `events: []`
    empty: bool
    entries: list[tuple[int, int]] = field(default_factory=list)  # 0-based first/last line


def _skip(events: list, i: int):
    """Skip the node that starts at events[i]: (next index, end mark of its last content)."""
    event = events[i]
    if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
        return i + 1, event.end_mark
    flow = bool(event.flow_style)
    last = event.end_mark
    i += 1
    while not isinstance(events[i], (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
        i, last = _skip(events, i)
    return i + 1, (events[i].end_mark if flow else last)


def _last_line(mark, lines: list[str], first: int) -> int:
    line = mark.line - 1 if mark.column == 0 else mark.line
    line = min(line, len(lines) - 1)
    while line > first and not lines[line].strip():
        line -= 1
    return line


def find_section(text: str, name: str) -> Section | None:
    events = list(yaml.parse(text, Loader=_Loader))
    lines = text.splitlines()
    i = 3  # stream start, document start, root mapping start
    while i < len(events) and isinstance(events[i], yaml.ScalarEvent):
        key = events[i]
        value = events[i + 1]
        if key.value != name:
            i, _ = _skip(events, i + 1)
            continue
        if isinstance(value, yaml.ScalarEvent):  # `events:` or `events: ~`, no entries
            return Section(key.start_mark.line, True, True)
        section = Section(key.start_mark.line, bool(value.flow_style), False)
        j = i + 2
        is_mapping = isinstance(value, yaml.MappingStartEvent)
        while not isinstance(events[j], (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            first = events[j].start_mark.line
            if is_mapping:
                j, _ = _skip(events, j)  # the key
            j, end = _skip(events, j)
            if first > 0 and lines[first - 1].strip() == "-":
                first -= 1  # the item's dash stands alone on the line above
            section.entries.append((first, _last_line(end, lines, first)))
        section.empty = not section.entries
        return section
    return None


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def separated(lines: list[str], entries: list[tuple[int, int]]) -> bool:
    """Whether the entries are written with a blank line between them."""
    gaps = [leading_start(lines, start) for start, _ in entries[1:]]
    blank = [g > 0 and not lines[g - 1].strip() for g in gaps]
    return bool(blank) and sum(blank) * 2 >= len(blank)


def leading_start(lines: list[str], start: int) -> int:
    """The first line of the comments written directly above the entry at ``start``."""
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


# -- fields of one entry of a mapping section (a source, an actor, a place) ------------------

FieldValue = str | dict[str, str] | None  # text, a mapping of texts, or None to remove


@dataclass
class _Field:
    name: str
    first: int  # 0-based line of the key
    last: int  # 0-based last line of its value


@dataclass
class _Entry:
    indent: int  # column of the entry's fields
    first: int  # 0-based line of the entry's key
    last: int  # 0-based last line of its last field
    fields: list[_Field]


def _entry(text: str, section: str, key: str) -> _Entry:
    events = list(yaml.parse(text, Loader=_Loader))
    lines = text.splitlines()
    i = 3  # stream start, document start, root mapping start
    while i < len(events) and isinstance(events[i], yaml.ScalarEvent):
        if events[i].value != section:
            i, _ = _skip(events, i + 1)
            continue
        value = events[i + 1]
        if not isinstance(value, yaml.MappingStartEvent) or value.flow_style:
            raise EditError(f"'{section}' is not written as a block of entries (one "
                            "'id:' per line), so it cannot be edited here")
        j = i + 2
        while not isinstance(events[j], yaml.MappingEndEvent):
            entry_key = events[j]
            if isinstance(entry_key, yaml.ScalarEvent) and entry_key.value == key:
                return _fields_of(events, j + 1, entry_key.start_mark.line, lines, section, key)
            j, _ = _skip(events, j)
            j, _ = _skip(events, j)
        raise EditError(f"there is no entry '{key}' under '{section}'")
    raise EditError(f"the file has no '{section}:' section")


def _fields_of(events: list, j: int, key_line: int, lines: list[str], section: str,
               key: str) -> _Entry:
    start = events[j]
    if not isinstance(start, yaml.MappingStartEvent) or start.flow_style:
        raise EditError(f"'{key}' under '{section}' is not written as a block of fields (one "
                        "'name: value' per line, no braces), so it cannot be edited here; "
                        "write it that way and run the command again")
    fields: list[_Field] = []
    j += 1
    indent = None
    while not isinstance(events[j], yaml.MappingEndEvent):
        name_event = events[j]
        indent = name_event.start_mark.column if indent is None else indent
        first = name_event.start_mark.line
        j, _ = _skip(events, j)
        j, end = _skip(events, j)
        fields.append(_Field(str(name_event.value), first, _last_line(end, lines, first)))
    if not fields:
        raise EditError(f"'{key}' under '{section}' has no fields")
    return _Entry(indent, key_line, fields[-1].last, fields)


def _field_lines(name: str, value: str | dict[str, str], indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        return [f"{pad}{name}:"] + [f"{pad}  {key}: {scalar(text)}" for key, text in value.items()]
    return [f"{pad}{name}: {scalar(value)}"]


def set_entry_fields(text: str, section: str, key: str, fields: dict[str, FieldValue]) -> str:
    """The text with fields of the entry ``key`` of ``section`` set (or removed, for None).

    A field already there is rewritten in place; a new one goes after the entry's last field.
    Every other line is kept as written. Raises EditError when the entry is missing or not
    written in block style, or when the new text would not read back as intended.
    """
    entry = _entry(text, section, key)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    existing = {f.name: f for f in entry.fields}
    appended: list[str] = []
    edits: list[tuple[int, int, list[str]]] = []  # (first, last + 1, new lines)
    for name, value in fields.items():
        new = [] if value is None else [line + newline for line in
                                        _field_lines(name, value, entry.indent)]
        if name in existing:
            found = existing[name]
            edits.append((found.first, found.last + 1, new))
        else:
            appended.extend(new)
    if appended:
        edits.append((entry.last + 1, entry.last + 1, appended))
    for first, stop, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
        lines[first:stop] = new
    result = "".join(lines)
    if not text.endswith(("\n", "\r")) and result.endswith(newline) and text:
        result = result[: -len(newline)]
    _verify_fields(text, result, section, key, fields)
    return result


def _verify_fields(before: str, after: str, section: str, key: str,
                   fields: dict[str, FieldValue]) -> None:
    expected = yaml.load(before, Loader=_Loader)
    record = expected[section][key]
    for name, value in fields.items():
        if value is None:
            record.pop(name, None)
        else:
            record[name] = value
    try:
        found = yaml.load(after, Loader=_Loader)
    except yaml.YAMLError:
        found = None
    if found != expected:
        raise EditError(f"the change to '{key}' under '{section}' did not read back as "
                        "intended, so nothing was written (this is a bug worth reporting)")
