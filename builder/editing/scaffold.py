"""`timeline new`: add one event to events.yaml as text, leaving every other byte alone.

The new event goes into the `events:` list before the first event whose date sorts later
(and before the comments written directly above that event), so the file stays in date
order. The whole file is checked before and after the edit, and the records that were there
before must come out of the new text unchanged; only then is the file replaced, atomically.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from builder.records.check import CheckResult, check_text
from builder.records.dates import DateError, parse_date
from builder.records.model import STATUSES, Timeline
from builder.records.report import text_report
from builder.records.validate import LIMITS, SLUG, _suggest
from builder.records.yamltree import Mapping, load_text

try:  # the same fast parser the checker uses; both give the same events and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

ID_LENGTH = 60  # generated ids stop at a word boundary before this many characters


class ScaffoldError(Exception):
    """The event cannot be added; the message tells the editor what to change."""


@dataclass(frozen=True)
class NewSource:
    title: str
    publisher: str
    published: str
    url: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class NewEvent:
    date: str
    title: str
    summary: str
    status: str
    sources: tuple[str, ...] = ()  # ids of sources already in the file
    place: str | None = None
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    quote: str | None = None  # a quote from the first source
    id: str | None = None
    new_source: NewSource | None = None


@dataclass(frozen=True)
class Added:
    text: str  # the whole new file
    event_id: str
    line: int  # where the new event starts, 1-based
    source_id: str | None = None  # the id of the source created, if any


# -- ids -----------------------------------------------------------------------------------

def slugify(text: str, limit: int = ID_LENGTH) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def unique_id(wanted: str, taken) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


# -- YAML text -----------------------------------------------------------------------------

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


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _separated(lines: list[str], entries: list[tuple[int, int]]) -> bool:
    """Whether the entries are written with a blank line between them."""
    gaps = [_leading_start(lines, start) for start, _ in entries[1:]]
    blank = [g > 0 and not lines[g - 1].strip() for g in gaps]
    return bool(blank) and sum(blank) * 2 >= len(blank)


def _leading_start(lines: list[str], start: int) -> int:
    """The first line of the comments written directly above the entry at ``start``."""
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


# -- the edit ------------------------------------------------------------------------------

def _no_events_yet(problem) -> bool:
    """The one error that adding an event mends: a file whose list of events is empty."""
    return problem.rule == "empty-value" and problem.message.startswith("'events' is empty")


def _fail_on_errors(result: CheckResult, what: str, allow_no_events: bool = False) -> None:
    errors = [p for p in result.errors if not (allow_no_events and _no_events_yet(p))]
    if errors:
        shown = text_report(errors[:10])
        more = len(errors) - 10
        tail = f"\n... and {more} more" if more > 0 else ""
        raise ScaffoldError(f"{what} has {len(errors)} error(s); fix them first "
                            f"(run 'timeline check'):\n{shown}{tail}")


def _check_reference(value: str, known, what: str, section: str) -> None:
    if value not in known:
        raise ScaffoldError(f"the {what} '{value}' is not listed under '{section}'"
                            f"{_suggest(value, known)}")


def _validate(event: NewEvent, timeline: Timeline | None, today: date) -> None:
    """Check what the editor gave, with plain reasons. Without a timeline (the file has no
    events yet) references are left to the check of the finished file."""
    try:
        when = parse_date(event.date)
    except DateError as error:
        raise ScaffoldError(f"the date: {error}") from None
    if when.lower > today:
        raise ScaffoldError(f"the date '{event.date}' lies in the future (today is "
                            f"{today.isoformat()})")
    for name, value, limit in (("title", event.title, "title"),
                               ("summary", event.summary, "summary")):
        if not value.strip():
            raise ScaffoldError(f"the {name} is empty; please write one")
        if len(value) > LIMITS[limit]:
            raise ScaffoldError(f"the {name} is {len(value):,} characters long; the limit is "
                                f"{LIMITS[limit]:,}")
    if event.quote is not None and not event.quote.strip():
        raise ScaffoldError("the quote is empty; leave it out, or copy the passage you cite")
    if event.status not in STATUSES:
        raise ScaffoldError(f"'{event.status}' is not a status; use one of "
                            f"{', '.join(STATUSES)}{_suggest(event.status, STATUSES)}")
    if event.id is not None and not SLUG.fullmatch(event.id):
        raise ScaffoldError(f"the id '{event.id}' is not valid: use only lowercase letters, "
                            "digits and single hyphens")
    for tag in event.tags:
        if not SLUG.fullmatch(tag):
            raise ScaffoldError(f"the tag '{tag}' is not valid: use only lowercase letters, "
                                "digits and single hyphens")
    if not event.sources and event.new_source is None:
        raise ScaffoldError("an event needs at least one source: name one with --source, or "
                            "describe a new one with --url, --publisher, --source-title and "
                            "--published")
    if event.new_source is not None:
        try:
            parse_date(event.new_source.published)
        except DateError as error:
            raise ScaffoldError(f"the publication date of the new source: {error}") from None
    if timeline is None:
        return
    if event.id is not None and event.id in timeline.events_by_id:
        raise ScaffoldError(f"the id '{event.id}' is already used by another event")
    if event.place:
        _check_reference(event.place, timeline.places, "place", "places")
    for actor in event.actors:
        _check_reference(actor, timeline.actors, "actor", "actors")
    for source in event.sources:
        _check_reference(source, timeline.sources, "source", "sources")


def _event_lines(event: NewEvent, ident: str, sources: list[str], dash: int, key: int
                 ) -> list[str]:
    pad = " " * key
    lines = [f"{' ' * dash}-{' ' * (key - dash - 1)}id: {ident}",
             f"{pad}date: {quoted(event.date)}",
             f"{pad}title: {scalar(event.title)}",
             *folded("summary", event.summary, key)]
    if event.place:
        lines.append(f"{pad}place: {event.place}")
    if event.actors:
        lines.append(f"{pad}actors: [{', '.join(dict.fromkeys(event.actors))}]")
    if event.tags:
        lines.append(f"{pad}tags: [{', '.join(dict.fromkeys(event.tags))}]")
    lines.append(f"{pad}status: {event.status}")
    lines.append(f"{pad}sources:")
    for number, source in enumerate(dict.fromkeys(sources)):
        if number == 0 and event.quote:
            lines.append(f"{pad}  - source: {source}")
            lines.append(f"{pad}    quote: {scalar(event.quote)}")
        else:
            lines.append(f"{pad}  - {source}")
    return lines


def _source_lines(source: NewSource, ident: str, key: int, today: date) -> list[str]:
    pad = " " * (key + 2)
    lines = [f"{' ' * key}{ident}:",
             f"{pad}title: {scalar(source.title)}",
             f"{pad}publisher: {scalar(source.publisher)}",
             f"{pad}published: {quoted(source.published)}"]
    if source.url:
        lines.append(f"{pad}url: {scalar(source.url)}")
    lines.append(f"{pad}accessed: {quoted(today.isoformat())}")
    return lines


def _append_entry(lines: list[str], section: Section, block: list[str]) -> int:
    """Append ``block`` as the last entry of ``section``; returns the index of its first line.
    ``lines`` keep their line ends; block lines have none yet (added by the caller)."""
    if section.entries:
        last = section.entries[-1][1]
        separated = _separated([line.rstrip("\r\n") for line in lines], section.entries)
        at = last + 1
        ending = block[0][len(block[0].rstrip("\r\n")):]
        insert = ([ending] if separated else []) + block
        lines[at:at] = insert
        return at + (1 if separated else 0)
    key_line = lines[section.key_line]
    if section.flow:  # `events: []` or `events: ~` becomes `events:` with the block below
        body = key_line.rstrip("\r\n")
        ending = key_line[len(body):]
        lines[section.key_line] = re.sub(r":\s*(\[\s*\]|\{\s*\}|~|null|Null|NULL)?\s*(#.*)?$",
                                         lambda m: ":" + (f"  {m.group(2)}" if m.group(2)
                                                          else ""), body) + ending
    lines[section.key_line + 1:section.key_line + 1] = block
    return section.key_line + 1


def _entry_indents(lines: list[str], section: Section, key_indent: int, kind: str
                   ) -> tuple[int, int]:
    """(dash or key indentation, field indentation) of the entries of a section."""
    if section.entries:
        line = lines[section.entries[0][0]]
        outer = _indent(line)
        if kind == "events":
            after_dash = line[outer + 1:]
            inner = outer + 1 + _indent(after_dash)
            if inner <= outer + 1:
                inner = outer + 2
            return outer, inner
        return outer, outer + 2
    return key_indent + 2, key_indent + 4


def add_event(text: str, event: NewEvent, today: date | None = None,
              path: str = "events.yaml") -> Added:
    """The file with ``event`` added; raises ScaffoldError with a reason if it cannot be."""
    today = today or date.today()
    before = check_text(text, path, today)
    _fail_on_errors(before, path, allow_no_events=True)
    timeline = before.timeline  # None when the file has no events yet
    _validate(event, timeline, today)
    source_ids = set(timeline.sources) if timeline else _keys(text, "sources")
    event_ids = set(timeline.events_by_id) if timeline else set()

    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    unterminated = bool(lines) and not lines[-1].endswith(("\n", "\r"))
    if unterminated:
        lines[-1] += newline
    bare = [line.rstrip("\r\n") for line in lines]

    sources = list(event.sources)
    source_id = None
    if event.new_source is not None:
        new = event.new_source
        wanted = new.id or slugify(f"{new.publisher} {new.published}") or "source"
        if new.id is not None and (not SLUG.fullmatch(new.id) or new.id in source_ids):
            raise ScaffoldError(f"the source id '{new.id}' is not valid or already used")
        source_id = unique_id(wanted, source_ids)
        section = find_section(text, "sources")
        if section is None:
            raise ScaffoldError(f"{path} has no 'sources:' section")
        key, _ = _entry_indents(bare, section, _indent(bare[section.key_line]), "sources")
        block = [line + newline for line in _source_lines(new, source_id, key, today)]
        _append_entry(lines, section, block)
        sources.append(source_id)
    text_now = "".join(lines)

    ident = event.id or unique_id(slugify(event.title) or f"event-{event.date[:10]}",
                                  event_ids)
    section = find_section(text_now, "events")
    if section is None:
        raise ScaffoldError(f"{path} has no 'events:' section")
    bare = [line.rstrip("\r\n") for line in lines]
    dash, key = _entry_indents(bare, section, _indent(bare[section.key_line]), "events")
    block = [line + newline for line in _event_lines(event, ident, sources, dash, key)]

    key_of_new = parse_date(event.date).sort_key()
    in_file = sorted(timeline.events, key=lambda e: e.line) if timeline else []
    later = next((e for e in in_file if e.date.sort_key() > key_of_new), None)
    if later is None:
        at = _append_entry(lines, section, block)
    else:
        index = in_file.index(later)
        start = _leading_start(bare, section.entries[index][0])
        separated = _separated(bare, section.entries)
        lines[start:start] = block + ([newline] if separated else [])
        at = start
    if unterminated and lines[-1] is not block[-1]:
        lines[-1] = lines[-1][:-len(newline)]  # the old last line stays without a line end
    new_text = "".join(lines)
    _verify(new_text, before, event, ident, source_id, path, today)
    return Added(new_text, ident, at + 1, source_id)


def _without_positions(timeline: Timeline) -> tuple:
    return (timeline.title, timeline.description,
            {k: v for k, v in timeline.sources.items()}, timeline.actors, timeline.places,
            {e.id: replace(e, line=0, column=0) for e in timeline.events},
            {n.id: replace(n, line=0, column=0) for n in timeline.narratives})


def _verify(new_text: str, before: CheckResult, event: NewEvent, ident: str,
            source_id: str | None, path: str, today: date) -> None:
    after = check_text(new_text, path, today)
    _fail_on_errors(after, "the file with the new event")
    assert after.timeline is not None
    new = _without_positions(after.timeline)
    added = new[5].pop(ident, None)
    if source_id is not None:
        new[2].pop(source_id, None)
    old = _without_positions(before.timeline) if before.timeline else new
    if added is None or old != new:
        raise ScaffoldError("the new event could not be placed without changing other "
                            "records; please add it by hand (this is a bug worth reporting)")
    expected = (event.date, event.title, event.summary, event.status, event.place)
    found = (added.date.text, added.title, added.summary, added.status, added.place)
    if expected != found:
        raise ScaffoldError("the new event did not read back as written; please add it by "
                            "hand (this is a bug worth reporting)")


def _keys(text: str, section: str) -> set[str]:
    root = load_text(text, "events.yaml").root
    node = root.get(section) if isinstance(root, Mapping) else None
    return set(node.entries) if isinstance(node, Mapping) else set()


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old file or the new, never half."""
    path = Path(path)
    data = text.encode("utf-8")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
