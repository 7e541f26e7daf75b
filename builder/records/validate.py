"""Check the node tree against format version 1 and build the records from it.

Every check adds a problem and carries on, so an editor sees everything wrong with the file
in one run. Records are only assembled into a Timeline when no error was found.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from builder.records.dates import DateError, EdtfDate, parse_date
from builder.records.model import (STATUSES, Actor, Citation, Claim, Event, Narrative, Place, Source,
                           Timeline, narrative_events)
from builder.records.problems import Level, Problem, has_errors
from builder.records.yamltree import Mapping, Node, Scalar, Sequence

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # ASCII digits, as in dates
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"`\\{}|^]")
_HOST = re.compile(r"(?:[\w-]+\.)*[\w-]+\.?(?::\d{1,5})?", re.UNICODE)
# whitespace other than a plain space, soft hyphens, zero-width and direction marks
_INVISIBLE = re.compile(r"[^\S ]|[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                        r"\ufeff]")
_DANGEROUS_SCHEME = re.compile(r"\s*(javascript|data|vbscript|file)\s*:", re.IGNORECASE)

# Upper bounds on text, in characters: generous for real records, and they keep the cost
# of rendering the worst case bounded.
LIMITS = {
    "id": 100, "name": 200, "title": 300, "publisher": 200, "author": 300, "url": 2000,
    "summary": 10_000, "description": 5_000, "intro": 10_000, "quote": 2_000,
    "text": 5_000, "note": 2_000, "source title": 500,
}


@dataclass(frozen=True)
class RecordSpec:
    what: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


ROOT = RecordSpec("the file", ("timeline", "sources", "events"), ("actors", "places", "narratives"))
HEADER = RecordSpec("the timeline header", ("title",), ("description",))
SOURCE = RecordSpec("source", ("title", "publisher", "published"),
                    ("url", "archive_url", "accessed", "author", "language", "note"))
ACTOR = RecordSpec("actor", ("name",), ("names", "description"))
PLACE = RecordSpec("place", ("name",), ("names", "lat", "lon", "description"))
EVENT = RecordSpec("event", ("id", "date", "title", "summary", "status", "sources"),
                   ("place", "actors", "tags", "claims"))
CLAIM = RecordSpec("claim", ("by", "text", "source"))
CITATION = RecordSpec("citation", ("source",), ("quote",))
NARRATIVE = RecordSpec("narrative", ("id", "title", "intro"),
                       ("events", "tags", "actors", "from", "to"))

_KIND_WORDS = {Scalar: "text", Sequence: "a list", Mapping: "a set of fields"}


_SUGGESTION_BUDGET = 100_000  # id comparisons for "did you mean" per file: about a second


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Checker:
    """Collects problems while reading the records out of the node tree."""

    def __init__(self, path: str, today: date):
        self.path = path
        self.today = today
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------------------------
    def error(self, node, rule: str, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, rule, message))

    def warn(self, node, rule: str, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, rule, message,
                                     Level.WARNING))

    # -- shapes ------------------------------------------------------------------------------
    def expect(self, node: Node, kind: type, label: str, example: str) -> bool:
        if type(node) is kind:
            return True
        if _refused(node):
            return False
        if type(node) is Scalar and node.is_null:
            self.error(node, "empty-value", f"{label} is empty; it should be {example}")
        else:
            self.error(node, "wrong-type",
                       f"{label} should be {example}, but here it is {_KIND_WORDS[type(node)]}")
        return False

    def fields(self, node: Node, spec: RecordSpec, label: str) -> dict[str, Node] | None:
        """The record's fields by name, after reporting unknown and missing ones."""
        if not self.expect(node, Mapping, label, "a set of fields ('name: value' lines)"):
            return None
        found = {}
        for key, (key_node, value) in node.entries.items():
            if key in spec.known:
                found[key] = value
            elif key.strip() in spec.known:
                self.error(key_node, "unknown-field",
                           f"{label} has a field '{key}' with extra or invisible spaces in its "
                           f"name; retype it as '{key.strip()}'")
            else:
                self.error(key_node, "unknown-field",
                           f"{label} has a field '{key}' that the format does not know"
                           f"{_suggest(key, spec.known)}")
        for name in spec.required:
            if name in found or (spec is EVENT and name == "sources"):
                continue  # an event without sources gets its own, clearer problem
            if spec is CLAIM and name == "by":
                self.error(node, "missing-field",
                           f"{label} does not say who makes it; add 'by:' with an actor id")
            elif spec.what.startswith("the "):  # the file, the timeline header: one of a kind
                section = " section" if spec is ROOT else ""
                self.error(node, "missing-field", f"{label} has no '{name}'{section}; add one")
            else:
                self.error(node, "missing-field",
                           f"{label} has no '{name}'; every {spec.what} needs one")
        return found

    def text(self, node: Node | None, label: str, limit: str, required: bool = True) -> str | None:
        if node is None or _refused(node):
            return None
        if type(node) is not Scalar:
            self.error(node, "wrong-type",
                       f"{label} should be text, but here it is {_KIND_WORDS[type(node)]}")
            return None
        value = node.value
        if node.is_null or not value.strip():
            if required:
                self.error(node, "empty-value", f"{label} is empty; please fill it in")
            return None
        maximum = LIMITS[limit]
        if len(value) > maximum:
            self.error(node, "too-long", f"{label} is {len(value):,} characters long; the "
                                         f"limit is {maximum:,}")
            if limit == "id":  # no id, date, status or number is that long: one problem is enough
                return None
        return value

    def items(self, node: Node | None, label: str, example: str) -> list[Node]:
        if node is None:
            return []
        if type(node) is Scalar and node.is_null:
            return []
        if not self.expect(node, Sequence, label, example):
            return []
        return node.items

    # -- values ------------------------------------------------------------------------------
    def slug(self, node: Node | None, label: str, kind: str = "id") -> str | None:
        value = self.text(node, label, "id")
        if value is None:
            return None
        if not SLUG.fullmatch(value):
            plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
            suggestion = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
            hint = f", like '{suggestion}'" if suggestion and SLUG.fullmatch(suggestion) else ""
            hidden = _INVISIBLE.search(value)
            if hidden:  # pasted text: say what cannot be seen
                hint += (f" (it contains an invisible character, U+{ord(hidden.group()):04X}, "
                         f"at position {hidden.start() + 1}; retype it)")
            self.error(node, f"invalid-{kind}",
                       f"{label} '{value}' is not a valid {kind}: use only lowercase letters, "
                       f"digits and single hyphens{hint}")
            return None
        return value

    def date(self, node: Node | None, label: str, full: bool = False) -> EdtfDate | None:
        value = self.text(node, label, "id")
        if value is None:
            return None
        try:
            parsed = parse_date(value.strip())
        except DateError as error:
            self.error(node, error.rule, f"{label}: {error}")
            return None
        if full and (parsed.is_interval or parsed.precision != "day" or parsed.approximate
                     or parsed.uncertain):
            self.error(node, "invalid-date", f"{label} '{value}' must be one exact day, "
                                             "written YYYY-MM-DD")
            return None
        if parsed.lower > self.today:
            self.error(node, "future-date",
                       f"{label} '{value}' lies in the future (today is "
                       f"{self.today.isoformat()}); check the year")
            return None
        return parsed

    def url(self, node: Node | None, label: str) -> str | None:
        value = self.text(node, label, "url", required=False)
        if value is None:
            return None
        value = value.strip()
        if _DANGEROUS_SCHEME.match(value):
            self.error(node, "unsafe-url", f"{label} uses a '{value.split(':')[0].strip()}:' "
                                           "address, which is never allowed; give the http:// "
                                           "or https:// address of the page")
            return None
        try:
            parts = urlsplit(value) if not _URL_FORBIDDEN.search(value) else None
        except ValueError:  # e.g. an unbalanced '[' in the host
            parts = None
        host = parts.netloc.rsplit("@", 1)[-1] if parts else ""
        if (parts is None or parts.scheme not in ("http", "https") or not host
                or not _HOST.fullmatch(host)):
            self.error(node, "invalid-url", f"{label} '{value}' is not a web address; write "
                                            "the full address starting with https:// (spaces "
                                            "must be written %20)")
            return None
        return value

    def coordinate(self, node: Node | None, label: str, bound: int) -> float | None:
        value = self.text(node, label, "id", required=False)
        if value is None:
            return None
        if not NUMBER.fullmatch(value.strip()):
            self.error(node, "invalid-coordinate",
                       f"{label} '{value}' is not a number; write decimal degrees like 36.2")
            return None
        number = float(value)
        if not -bound <= number <= bound:
            self.error(node, "invalid-coordinate",
                       f"{label} {value} is out of range; it must lie between {-bound} and "
                       f"{bound}")
            return None
        return number

    def names(self, node: Node | None, label: str) -> tuple[tuple[str, str], ...]:
        if node is None or (type(node) is Scalar and node.is_null):
            return ()
        if not self.expect(node, Mapping, f"{label}: 'names'",
                           "a set of 'language: name' lines, like 'ar: حلب'"):
            return ()
        result = []
        for language, (key_node, value) in node.entries.items():
            if not LANGUAGE.fullmatch(language):
                self.error(key_node, "invalid-language",
                           f"{label}: '{language}' is not a language code; use a code like "
                           "'ar', 'ru' or 'en'")
                continue
            name = self.text(value, f"{label}: the '{language}' name", "name")
            if name is not None:
                result.append((language, name))
        return tuple(result)


def _label(kind: str, ident: str | None, node: Node) -> str:
    return f"{kind} '{ident}'" if ident else f"the {kind} on line {node.line}"


class TimelineReader:
    """Reads each section of the file; references are resolved once everything is read."""

    def __init__(self, checker: Checker):
        self.c = checker
        self.sources: dict[str, Source] = {}
        self.source_nodes: dict[str, Node] = {}
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, Place] = {}
        self.events: list[Event] = []
        self.narratives: list[Narrative] = []
        self.cited: set[str] = set()
        # every id given in the file, valid or not, so that a record with a problem of its own
        # does not also make every reference to it an error
        self.declared: dict[str, set[str]] = {"source": set(), "actor": set(), "place": set(),
                                              "event": set()}
        # (node, kind, id, label) of every reference, checked after all ids are known
        self.references: list[tuple[Node, str, str, str]] = []

    def read(self, root: Node) -> Timeline | None:
        top = self.c.fields(root, ROOT, "the file")
        if top is None:
            return None
        header = self.read_header(top.get("timeline"))
        self.report_empty_section(top.get("sources"), Mapping,
                                  "'sources' is empty; list the sources the events cite")
        self.report_empty_section(top.get("events"), Sequence,
                                  "'events' is empty; add at least one event")
        self.read_keyed(top.get("sources"), "sources", self.read_source)
        self.read_keyed(top.get("actors"), "actors", self.read_actor)
        self.read_keyed(top.get("places"), "places", self.read_place)
        self.read_events(top.get("events"))
        self.read_narratives(top.get("narratives"))
        self.resolve_references()
        self.report_unused_sources()
        if has_errors(self.c.problems) or header is None:
            return None
        title, description = header
        self.events.sort(key=lambda e: e.date.sort_key())  # stable: file order breaks ties
        return Timeline(title, description, self.sources, self.actors, self.places,
                        tuple(self.events), tuple(self.narratives))

    # -- sections ----------------------------------------------------------------------------
    def report_empty_section(self, node: Node | None, kind: type, message: str) -> None:
        if node is None or _refused(node):
            return
        if (type(node) is Scalar and node.is_null) or (type(node) is kind and not _size(node)):
            self.c.error(node, "empty-value", message)

    def read_header(self, node: Node | None):
        if node is None:
            return None
        found = self.c.fields(node, HEADER, "the timeline header")
        if found is None:
            return None
        title = self.c.text(found.get("title"), "the timeline title", "title")
        description = self.c.text(found.get("description"), "the timeline description",
                                  "description", required=False) or ""
        return (title, description) if title else None

    def read_keyed(self, node: Node | None, section: str, read_one) -> None:
        if node is None or (type(node) is Scalar and node.is_null):
            return
        if not self.c.expect(node, Mapping, f"'{section}'",
                             "a set of records, each under its id"):
            return
        kind = section[:-1]
        for key, (key_node, value) in node.entries.items():
            ident = self.c.slug(key_node, f"the {kind} id", "id") or _raw_id(key_node)
            if ident is not None:  # an invalid id was reported; its record is still checked
                self.declared[kind].add(ident)
                read_one(ident, key_node, value)

    def read_source(self, ident: str, key_node: Node, node: Node) -> None:
        label = f"source '{ident}'"
        f = self.c.fields(node, SOURCE, label)
        if f is None:
            return
        c = self.c
        title = c.text(f.get("title"), f"{label}: the title", "source title")
        publisher = c.text(f.get("publisher"), f"{label}: the publisher", "publisher")
        published = c.date(f.get("published"), f"{label}: the publication date")
        url = c.url(f.get("url"), f"{label}: the url")
        archive_url = c.url(f.get("archive_url"), f"{label}: the archive_url")
        accessed = c.date(f.get("accessed"), f"{label}: the access date", full=True) \
            if _filled(f.get("accessed")) else None
        author = c.text(f.get("author"), f"{label}: the author", "author", required=False)
        language = self.language(f.get("language"), label)
        note = c.text(f.get("note"), f"{label}: the note", "note", required=False)
        self.source_nodes[ident] = key_node
        if title and publisher and published:
            self.sources[ident] = Source(ident, title, publisher, published, url, archive_url,
                                         accessed, author, language, note)

    def language(self, node: Node | None, label: str) -> str | None:
        value = self.c.text(node, f"{label}: the language", "id", required=False)
        if value is not None and not LANGUAGE.fullmatch(value):
            self.c.error(node, "invalid-language",
                         f"{label}: '{value}' is not a language code; use a code like 'en', "
                         "'ar' or 'ru'")
            return None
        return value

    def read_actor(self, ident: str, key_node: Node, node: Node) -> None:
        label = f"actor '{ident}'"
        f = self.c.fields(node, ACTOR, label)
        if f is None:
            return
        name = self.c.text(f.get("name"), f"{label}: the name", "name")
        names = self.c.names(f.get("names"), label)
        description = self.c.text(f.get("description"), f"{label}: the description",
                                  "description", required=False)
        if name:
            self.actors[ident] = Actor(ident, name, names, description)

    def read_place(self, ident: str, key_node: Node, node: Node) -> None:
        label = f"place '{ident}'"
        f = self.c.fields(node, PLACE, label)
        if f is None:
            return
        name = self.c.text(f.get("name"), f"{label}: the name", "name")
        names = self.c.names(f.get("names"), label)
        lat = self.c.coordinate(f.get("lat"), f"{label}: the latitude", 90)
        lon = self.c.coordinate(f.get("lon"), f"{label}: the longitude", 180)
        if (_filled(f.get("lat"))) != (_filled(f.get("lon"))):
            self.c.error(node, "invalid-coordinate",
                         f"{label} has only one of 'lat' and 'lon'; give both or neither")
        description = self.c.text(f.get("description"), f"{label}: the description",
                                  "description", required=False)
        if name:
            self.places[ident] = Place(ident, name, names, lat, lon, description)

    def read_events(self, node: Node | None) -> None:
        items = self.c.items(node, "'events'", "a list of events, each starting with '- id:'")
        first_seen: dict[str, Node] = {}
        for item in items:
            event = self.read_event(item, first_seen)
            if event is not None:
                self.events.append(event)

    def read_event(self, node: Node, first_seen: dict[str, Node]) -> Event | None:
        c = self.c
        ident_node = node.get("id") if type(node) is Mapping else None
        ident = c.slug(ident_node, "the event id", "id") \
            if ident_node is not None else None
        label = _label("event", ident, node)
        f = c.fields(node, EVENT, label)
        if f is None:
            return None
        if ident_node is not None and (ident or _raw_id(ident_node)):
            self.declared["event"].add(ident or _raw_id(ident_node))
        if ident is not None:
            if ident in first_seen:
                c.error(ident_node, "duplicate-id",
                        f"the event id '{ident}' is already used by the event on line "
                        f"{first_seen[ident].line}; every event needs its own id")
                ident = None
            else:
                first_seen[ident] = node
        when = c.date(f.get("date"), f"{label}: the date")
        title = c.text(f.get("title"), f"{label}: the title", "title")
        summary = c.text(f.get("summary"), f"{label}: the summary", "summary")
        status = self.status(f.get("status"), label)
        place = self.reference(f.get("place"), "place", f"{label}: the place")
        actors = tuple(filter(None, (
            self.reference(item, "actor", f"{label}: the actor")
            for item in c.items(f.get("actors"), f"{label}: 'actors'",
                                "a list of actor ids, like [syrian-army, rebels]"))))
        tags = tuple(filter(None, (
            c.slug(item, f"{label}: the tag", "tag")
            for item in c.items(f.get("tags"), f"{label}: 'tags'",
                                "a list of tags, like [military, aid]"))))
        claims = tuple(filter(None, (
            self.read_claim(item, label, number)
            for number, item in enumerate(c.items(f.get("claims"), f"{label}: 'claims'",
                                                  "a list of claims, each starting with "
                                                  "'- by:'"), 1))))
        citations = self.read_citations(f.get("sources"), node, label)
        if None in (ident, when, title, summary, status) or not citations:
            return None
        return Event(ident, when, title, summary, status, citations, place, actors, tags,
                     claims, node.line, node.column)

    def status(self, node: Node | None, label: str) -> str | None:
        value = self.c.text(node, f"{label}: the status", "id")
        if value is None:
            return None
        if value not in STATUSES:
            self.c.error(node, "invalid-status",
                         f"{label}: '{value}' is not a status; use one of "
                         f"{', '.join(STATUSES)}{_suggest(value.lower(), STATUSES)}")
            return None
        return value

    def read_claim(self, node: Node, label: str, number: int) -> Claim | None:
        claim_label = f"claim {number} of {label}"
        f = self.c.fields(node, CLAIM, claim_label)
        if f is None:
            return None
        by = self.reference(f.get("by"), "actor", f"{claim_label}: the actor")
        text = self.c.text(f.get("text"), f"{claim_label}: the text", "text")
        source = self.reference(f.get("source"), "source", f"{claim_label}: the source")
        if by and text and source:
            return Claim(by, text, source)
        return None

    def read_citations(self, node: Node | None, event_node: Node, label: str):
        items = self.c.items(node, f"{label}: 'sources'",
                             "a list of sources, each '- source-id' or '- source: source-id'")
        if not items:
            # a value of the wrong type, or an alias, was reported already
            if node is None or type(node) is Sequence or (type(node) is Scalar and node.is_null
                                                          and not node.refused):
                self.c.error(node if node is not None else event_node, "missing-source",
                             f"{label} has no sources; every event needs at least one")
            return ()
        citations = []
        for number, item in enumerate(items, 1):
            if type(item) is Scalar:
                source = self.reference(item, "source", f"{label}: the source")
                if source:
                    citations.append(Citation(source))
                continue
            citation_label = f"source {number} of {label}"
            f = self.c.fields(item, CITATION, citation_label)
            if f is None:
                continue
            source = self.reference(f.get("source"), "source", f"{citation_label}: the source")
            quote = self.c.text(f.get("quote"), f"{citation_label}: the quote", "quote",
                                required=False)
            if source:
                citations.append(Citation(source, quote))
        return tuple(citations)

    def read_narratives(self, node: Node | None) -> None:
        items = self.c.items(node, "'narratives'",
                             "a list of narratives, each starting with '- id:'")
        first_seen: dict[str, Node] = {}
        for item in items:
            narrative = self.read_narrative(item, first_seen)
            if narrative is not None:
                self.narratives.append(narrative)

    def read_narrative(self, node: Node, first_seen: dict[str, Node]) -> Narrative | None:
        c = self.c
        ident_node = node.get("id") if type(node) is Mapping else None
        ident = c.slug(ident_node, "the narrative id", "id") \
            if ident_node is not None else None
        label = _label("narrative", ident, node)
        f = c.fields(node, NARRATIVE, label)
        if f is None:
            return None
        if ident is not None and ident in first_seen:
            c.error(ident_node, "duplicate-id",
                    f"the narrative id '{ident}' is already used by the narrative on line "
                    f"{first_seen[ident].line}")
            ident = None
        elif ident is not None:
            first_seen[ident] = node
        title = c.text(f.get("title"), f"{label}: the title", "title")
        intro = c.text(f.get("intro"), f"{label}: the intro", "intro")
        events = tuple(filter(None, (
            self.reference(item, "event", f"{label}: the event")
            for item in c.items(f.get("events"), f"{label}: 'events'",
                                "a list of event ids"))))
        tags = tuple(filter(None, (c.slug(item, f"{label}: the tag", "tag") for item in
                                   c.items(f.get("tags"), f"{label}: 'tags'", "a list of tags"))))
        actors = tuple(filter(None, (
            self.reference(item, "actor", f"{label}: the actor")
            for item in c.items(f.get("actors"), f"{label}: 'actors'", "a list of actor ids"))))
        date_from = c.date(f.get("from"), f"{label}: 'from'") if _filled(f.get("from")) else None
        date_to = c.date(f.get("to"), f"{label}: 'to'") if _filled(f.get("to")) else None
        if date_from and date_to and date_to.upper < date_from.lower:
            c.error(f["to"], "date-order",
                    f"{label}: 'to' ({date_to.text}) is before 'from' ({date_from.text}); "
                    "write the earlier date in 'from'")
        # an empty list selects nothing: it is neither a list of events nor a selection
        selects = any(_given(f.get(k)) for k in ("tags", "actors", "from", "to"))
        if _given(f.get("events")) and selects:
            c.error(node, "narrative-selection",
                    f"{label} gives both a list of 'events' and a selection (tags, actors, "
                    "from, to); use one or the other")
            return None
        if not _given(f.get("events")) and not selects:
            c.error(node, "narrative-selection",
                    f"{label} selects no events; give 'events: [ids]' or a selection by "
                    "'tags', 'actors', 'from' and 'to'")
            return None
        if None in (ident, title, intro):
            return None
        return Narrative(ident, title, intro, events, tags, actors, date_from, date_to,
                         node.line, node.column)

    # -- references --------------------------------------------------------------------------
    def reference(self, node: Node | None, kind: str, label: str) -> str | None:
        value = self.c.text(node, label, "id")
        if value is None:
            return None
        self.references.append((node, kind, value, label))
        if kind == "source":
            self.cited.add(value)
        return value

    def resolve_references(self) -> None:
        known = self.declared
        section = {"source": "sources", "actor": "actors", "place": "places", "event": "events"}
        # "did you mean" compares a value with every id of its kind; a file with thousands of
        # unknown references to thousands of ids would take minutes, so the comparisons are
        # counted, and each unknown value is looked up once.
        suggestions: dict[tuple[str, str], str] = {}
        budget = _SUGGESTION_BUDGET
        for node, kind, value, label in self.references:
            if value not in known[kind]:
                if (kind, value) not in suggestions:
                    budget -= len(known[kind])
                    suggestions[kind, value] = _suggest(value, known[kind]) if budget >= 0 else ""
                self.c.error(node, f"unknown-{kind}",
                             f"{label} '{value}' is not listed under '{section[kind]}'"
                             f"{suggestions[kind, value]}")

    def report_unused_sources(self) -> None:
        for ident, key_node in self.source_nodes.items():
            if ident not in self.cited:
                self.c.warn(key_node, "unused-source",
                            f"source '{ident}' is listed but no event cites it")


def _filled(node: Node | None) -> bool:
    return node is not None and not (type(node) is Scalar and node.is_null)


def _given(node: Node | None) -> bool:
    """Filled in, and not an empty list or mapping."""
    return _filled(node) and (type(node) is Scalar or _size(node) > 0)


def _size(node: Node) -> int:
    return len(node.items) if type(node) is Sequence else len(node.entries)


def _refused(node: Node) -> bool:
    """A stand-in for something the loader refused and reported (an alias)."""
    return type(node) is Scalar and node.refused


def _raw_id(node: Node) -> str | None:
    """The id as written, when it is text of a sensible length (used after reporting it)."""
    if type(node) is Scalar and not node.is_null and node.value.strip() \
            and len(node.value) <= LIMITS["id"]:
        return node.value
    return None


def check_tree(root: Node, path: str, today: date,
               complete: bool = True) -> tuple[list[Problem], Timeline | None]:
    """Check the records. ``complete`` is false when the loader already found errors (an
    alias, a duplicate key, a part too deep...): the tree may then lack records, so checks
    that need all of them (narratives that match nothing) are skipped and no timeline is made.
    """
    checker = Checker(path, today)
    timeline = TimelineReader(checker).read(root)
    if timeline is not None and not complete:
        timeline = None
    if timeline is not None:
        _check_narratives_select(timeline, checker)
        if has_errors(checker.problems):
            timeline = None
    return checker.problems, timeline


def _check_narratives_select(timeline: Timeline, checker: Checker) -> None:
    """Selections are checked against the finished timeline: each must match something."""
    for narrative in timeline.narratives:
        if not narrative_events(timeline, narrative):
            checker.problems.append(Problem(
                checker.path, narrative.line, narrative.column, "empty-narrative",
                f"narrative '{narrative.id}' matches no events; check its tags, actors and "
                "dates"))
