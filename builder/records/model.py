"""The checked records: plain, immutable values that every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.records.dates import EdtfDate

STATUSES = ("confirmed", "reported", "claimed", "disputed")


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    published: EdtfDate
    url: str | None = None
    archive_url: str | None = None
    accessed: EdtfDate | None = None
    author: str | None = None
    language: str | None = None
    note: str | None = None

    @property
    def is_offline(self) -> bool:
        return self.url is None


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    names: tuple[tuple[str, str], ...] = ()  # (language, name) in other scripts
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    names: tuple[tuple[str, str], ...] = ()
    lat: float | None = None
    lon: float | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    source: str  # a source id
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    by: str  # an actor id
    text: str
    source: str  # a source id


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: EdtfDate
    title: str
    summary: str  # inline Markdown
    status: str
    citations: tuple[Citation, ...]
    place: str | None = None
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    line: int = 0  # where the record starts in the file, for messages and diffs
    column: int = 0

    def cited_sources(self) -> list[str]:
        """Every source the event rests on, in first-cited order, claims included."""
        seen = dict.fromkeys(c.source for c in self.citations)
        seen.update(dict.fromkeys(c.source for c in self.claims))
        return list(seen)


@dataclass(frozen=True, slots=True)
class Narrative:
    id: str
    title: str
    intro: str  # Markdown
    events: tuple[str, ...] = ()  # explicit event ids, when given
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    date_from: EdtfDate | None = None
    date_to: EdtfDate | None = None
    line: int = 0
    column: int = 0

    @property
    def is_selection(self) -> bool:
        return not self.events


@dataclass(frozen=True)
class Timeline:
    title: str
    description: str
    sources: dict[str, Source]
    actors: dict[str, Actor]
    places: dict[str, Place]
    events: tuple[Event, ...]  # in chronological order
    narratives: tuple[Narrative, ...] = ()
    events_by_id: dict[str, Event] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "events_by_id", {e.id: e for e in self.events})


def narrative_events(timeline: Timeline, narrative: Narrative) -> list[Event]:
    """The events a narrative tells, in chronological order.

    An explicit list is taken as given (re-ordered by date); a selection takes every event
    that has one of the tags (if any are given), one of the actors (if any are given), and
    lies within the date range (if one is given).
    """
    if narrative.events:
        wanted = set(narrative.events)
        return [e for e in timeline.events if e.id in wanted]
    tags, actors = set(narrative.tags), set(narrative.actors)
    lowest = narrative.date_from.lower if narrative.date_from else None
    highest = narrative.date_to.upper if narrative.date_to else None
    return [
        e for e in timeline.events
        if (not tags or tags.intersection(e.tags))
        and (not actors or actors.intersection(e.actors) or any(c.by in actors for c in e.claims))
        and (lowest is None or e.date.upper >= lowest)
        and (highest is None or e.date.lower <= highest)
    ]
