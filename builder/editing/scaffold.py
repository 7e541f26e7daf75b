"""`timeline new`: add one event to events.yaml as text, leaving every other byte alone.

The new event goes into the `events:` list before the first event whose date sorts later
(and before the comments written directly above that event), so the file stays in date
order. The whole file is checked before and after the edit, and the records that were there
before must come out of the new text unchanged; only then is the file replaced, atomically.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from builder.records.check import CheckResult, check_text
from builder.records.dates import DateError, parse_date
from builder.records.model import STATUSES, Timeline
from builder.records.report import text_report
from builder.records.validate import LIMITS, SLUG, _suggest
from builder.records.yamledit import (Section, find_section, folded, indent_of, leading_start,
                                      quoted, scalar, separated)
from builder.records.yamltree import Mapping, load_text

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
        spaced = separated([line.rstrip("\r\n") for line in lines], section.entries)
        at = last + 1
        ending = block[0][len(block[0].rstrip("\r\n")):]
        insert = ([ending] if spaced else []) + block
        lines[at:at] = insert
        return at + (1 if spaced else 0)
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
        outer = indent_of(line)
        if kind == "events":
            after_dash = line[outer + 1:]
            inner = outer + 1 + indent_of(after_dash)
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
        key, _ = _entry_indents(bare, section, indent_of(bare[section.key_line]), "sources")
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
    dash, key = _entry_indents(bare, section, indent_of(bare[section.key_line]), "events")
    block = [line + newline for line in _event_lines(event, ident, sources, dash, key)]

    key_of_new = parse_date(event.date).sort_key()
    in_file = sorted(timeline.events, key=lambda e: e.line) if timeline else []
    later = next((e for e in in_file if e.date.sort_key() > key_of_new), None)
    if later is None:
        at = _append_entry(lines, section, block)
    else:
        index = in_file.index(later)
        start = leading_start(bare, section.entries[index][0])
        spaced = separated(bare, section.entries)
        lines[start:start] = block + ([newline] if spaced else [])
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
