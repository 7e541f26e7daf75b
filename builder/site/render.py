"""Render a checked Timeline into the pages and data files of a site.

Pure: records in, ``{path: text}`` out. Nothing here knows about MkDocs, so the same pages
could feed another site generator. All wording and markup live in the Jinja templates; this
module only decides which page shows what, and in which order. For a big timeline a build can
ask for the pages as a stream (``render_site(..., stream=True)``): a second process renders
them while the site generator works through the first ones.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import multiprocessing
import os
import posixpath
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from builder.site import markup
from builder.site import narrate
from builder.site import reader
from builder.records.dates import EdtfDate
from builder.records.model import Event, Narrative, Timeline, narrative_events

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGE_SIZE = 50  # events per listing page: keeps every page small at any timeline size
BRIEF_PAGE_SIZE = 100  # events per page of one-line lists (actors, places, tags, a source)
# Estimated bytes of full entries on one listing page: with the theme around them, pages stay
# well under 200 KB even when entries are long.
PAGE_BUDGET = 100_000
INLINE_LISTING_LIMIT = 300  # index pages list events inline only up to this many links


@dataclass(frozen=True)
class Page:
    path: str  # source path of a Markdown page, e.g. "events/convoy-strike.md"
    content: str | None  # None in a streamed site: see RenderedSite.pending
    searchable: bool = True


@dataclass
class RenderedSite:
    pages: list[Page] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # data files, by path
    nav: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # section → (title, path)
    pending: PendingPages | RenderedHere | None = None  # a streamed site's page texts


def page_url(path: str) -> str:
    """The directory URL a Markdown source path is published at ("a/b.md" → "a/b/")."""
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for site paths (no "." or ".." parts): pure string work, where
    relpath asks the file system for the working directory twice on every call."""
    target_parts = [part for part in target.split("/") if part]
    start_parts = [part for part in start.split("/") if part]
    common = 0
    for a, b in zip(target_parts, start_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."


def relative_url(from_path: str, to_path: str, anchor: str | None = None) -> Markup:
    """A link from one page to another page or file, relative, as published."""
    source_dir = page_url(from_path)
    target = to_path if not to_path.endswith(".md") else page_url(to_path)
    rel = _relpath(target, source_dir)
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    if anchor:
        rel += "#" + anchor
    return markup.attribute(rel)


def month_key(event: Event) -> tuple[int, int | None]:
    start = event.date.start
    return (start.year, start.month)


def event_path(event_id: str) -> str:
    return f"events/{event_id}.md"


def listing_path(year: int, month: int | None, page: int = 1) -> str:
    base = f"timeline/{year}/{month:02d}" if month else f"timeline/{year}/index"
    if page == 1:
        return base + ".md"
    folder = base[: -len("/index")] if base.endswith("/index") else base
    return f"{folder}/page-{page}.md"


def chunks(items: list, size: int = PAGE_SIZE) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def entry_weight(event: Event) -> int:
    """About how many bytes an event's entry takes in a listing (within some 20 %)."""
    text = len(event.title) + len(event.summary) + sum(len(c.text) for c in event.claims)
    links = len(event.actors) + len(event.tags) + (1 if event.place else 0)
    return (600 + int(1.2 * text) + 350 * len(event.cited_sources()) + 300 * len(event.claims)
            + 150 * links)


def listing_chunks(events: list[Event]) -> list[list[Event]]:
    """Pages of full entries: at most PAGE_SIZE entries, and fewer when they are long."""
    pages: list[list[Event]] = [[]]
    weight = 0
    for event in events:
        this = entry_weight(event)
        if pages[-1] and (len(pages[-1]) == PAGE_SIZE or weight + this > PAGE_BUDGET):
            pages.append([])
            weight = 0
        pages[-1].append(event)
        weight += this
    return pages


# Names, publishers, titles and dates are printed over and over on a big site: escape each
# distinct text once. Bounded, so that a long `timeline serve` session does not grow it forever.
_plain_cached = functools.lru_cache(maxsize=200_000)(markup.plain)


def _finalize(value):
    """Every value a template prints is inert text unless it is already safe markup."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _plain_cached(value)
    return value


def make_environment(templates: Path = DEFAULT_TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Every build makes a new environment; checking the files' dates before each page
        # (twice or thrice with the imports) would only cost time.
        auto_reload=False,
    )
    # A summary is shown on its event's page and in every listing of the event: render once.
    env.filters["md"] = functools.lru_cache(maxsize=None)(markup.inline_markdown)
    env.filters["plain"] = markup.plain
    env.filters["attr"] = markup.attribute
    env.filters["bibtex"] = reader.bibtex_text
    env.filters["bibtex_url"] = reader.bibtex_url
    env.globals["remembered"] = _remembered_macros(env, "_macros.md.j2")
    return env


def _remembered_macros(env: jinja2.Environment, template: str):
    """Macros that need no page context, each called once per distinct argument: their words
    stay in the template, and a big site does not pay for them on every page."""
    @functools.lru_cache(maxsize=None)
    def remembered(name: str, *args):
        return getattr(env.get_template(template).module, name)(*args)
    return remembered


class SiteRenderer:
    def __init__(self, timeline: Timeline, templates: Path = DEFAULT_TEMPLATES,
                 site_url: str | None = None):
        self.timeline = timeline
        self.site_url = site_url or None  # the site's public address, when configured
        self.env = make_environment(templates)
        self.drafting = False  # True while only the pages' addresses are wanted
        self.by_month: dict[tuple[int, int | None], list[Event]] = defaultdict(list)
        for event in timeline.events:
            self.by_month[month_key(event)].append(event)
        self.location: dict[str, tuple[str, str]] = {}  # event id → (listing path, anchor)
        for key, events in self.by_month.items():
            for number, chunk in enumerate(listing_chunks(events), 1):
                for event in chunk:
                    self.location[event.id] = (listing_path(key[0], key[1], number), event.id)
        self.narratives_of: dict[str, list[Narrative]] = defaultdict(list)
        self.narrative_members: dict[str, list[Event]] = {}
        for narrative in timeline.narratives:
            members = narrative_events(timeline, narrative)
            self.narrative_members[narrative.id] = members
            for event in members:
                self.narratives_of[event.id].append(narrative)
        self.citing: dict[str, list[Event]] = defaultdict(list)
        self.by_actor: dict[str, list[Event]] = defaultdict(list)
        self.by_place: dict[str, list[Event]] = defaultdict(list)
        self.by_tag: dict[str, list[Event]] = defaultdict(list)
        for event in timeline.events:
            for source in event.cited_sources():
                self.citing[source].append(event)
            for actor in dict.fromkeys(list(event.actors) + [c.by for c in event.claims]):
                self.by_actor[actor].append(event)
            if event.place:
                self.by_place[event.place].append(event)
            for tag in event.tags:
                self.by_tag[tag].append(event)

    # -- helpers offered to every template ----------------------------------------------------
    def context(self, path: str, **values) -> dict:
        def link(to_path: str, anchor: str | None = None) -> Markup:
            return relative_url(path, to_path, anchor)

        def md_path(to_path: str) -> Markup:
            """A Markdown link target: MkDocs checks it and turns it into the page URL."""
            # Paths are built from checked slugs, so they hold nothing but [a-z0-9/.-].
            return Markup(_relpath(to_path, posixpath.dirname(path)))

        return dict(
            values,
            page_path=path,
            link=link,
            md_path=md_path,
            timeline=self.timeline,
            sources=self.timeline.sources,
            actors=self.timeline.actors,
            places=self.timeline.places,
            location=self.location,
            event_path=event_path,
            narratives_of=self.narratives_of,
            date_iso=date_iso,
            entry_actors=reader.entry_actors,
            permalink=lambda event_id: reader.permalink(event_id, self.site_url),
            facets=lambda events: reader.facets(self.timeline, events),
            text_direction=reader.text_direction,
            site_url=self.site_url,
        )

    def render(self, template: str, path: str, **values) -> str:
        return self.env.get_template(template).render(self.context(path, **values))

    def page(self, template: str, path: str, searchable: bool = True, **values) -> Page:
        """A page; only its address while drafting (the pages another process renders)."""
        if self.drafting:
            return Page(path, None, searchable)
        return Page(path, self.render(template, path, **values), searchable)

    # -- pages -------------------------------------------------------------------------------
    def pages(self):
        """Every page, in site order (the order MkDocs reads them, and the order of equally
        good search results)."""
        tags = {tag: tag for tag in sorted(self.by_tag)}
        yield from self.timeline_pages()
        yield from self.event_pages()
        yield from self.source_pages()
        yield from self.entity_pages("actors", self.timeline.actors, self.by_actor)
        yield from self.entity_pages("places", self.timeline.places, self.by_place)
        yield from self.entity_pages("tags", tags, self.by_tag)
        yield from self.narrative_pages()

    def site(self, drafted: bool = False) -> RenderedSite:
        """The whole site; with ``drafted``, the pages only with their addresses (no
        content), for pages rendered later or elsewhere."""
        site = RenderedSite()
        self.drafting = drafted
        try:
            site.pages.extend(self.pages())
        finally:
            self.drafting = False
        site.files.update(self.data_files())
        site.nav["Narratives"] = [(n.title, f"narratives/{n.id}.md")
                                  for n in self.timeline.narratives]
        return site

    def timeline_pages(self):
        years: dict[int, list] = defaultdict(list)
        for (year, month), events in sorted(self.by_month.items(),
                                            key=lambda item: (item[0][0], item[0][1] or 0)):
            years[year].append((month, events))
        yield self.page("timeline_index.md.j2", "timeline/index.md", searchable=False,
                        years=years, listing_path=listing_path, chunks=chunks)
        for year, months in years.items():
            year_events = next((events for month, events in months if month is None), [])
            # Events known only to the year are paged like a month's (see self.location).
            pages = listing_chunks(year_events)
            page_paths = [listing_path(year, None, n) for n in range(1, len(pages) + 1)]
            for number, chunk in enumerate(pages, 1):
                path = page_paths[number - 1]
                yield self.page(
                    "timeline_year.md.j2", path, searchable=False, year=year,
                    months=[(m, e) for m, e in months if m is not None], events=chunk,
                    page_number=number, page_paths=page_paths, listing_path=listing_path,
                    chunks=chunks)
            for month, events in months:
                if month is None:
                    continue
                pages = listing_chunks(events)
                for number, chunk in enumerate(pages, 1):
                    path = listing_path(year, month, number)
                    yield self.page(
                        "timeline_month.md.j2", path, searchable=False, year=year,
                        month=month, events=chunk, page_number=number, page_count=len(pages),
                        page_paths=[listing_path(year, month, n) for n in
                                    range(1, len(pages) + 1)],
                        previous_month=self.neighbour(year, month, -1),
                        next_month=self.neighbour(year, month, +1))

    def neighbour(self, year: int, month: int, step: int):
        months = sorted(k for k in self.by_month if k[1] is not None)
        index = months.index((year, month)) + step
        if 0 <= index < len(months):
            return (months[index], listing_path(*months[index]))
        return None

    def event_pages(self):
        for event in self.timeline.events:
            path = event_path(event.id)
            yield self.page("event.md.j2", path, event=event)

    def source_pages(self):
        sources = sorted(self.timeline.sources.values(),
                         key=lambda s: (s.publisher.casefold(), s.published.sort_key(), s.id))
        inline = sum(len(self.citing[s.id]) for s in sources) <= INLINE_LISTING_LIMIT
        yield self.page("sources.md.j2", "sources/index.md", source_list=sources,
                        citing=self.citing, inline=inline)
        for source in sources:
            pages = chunks(self.citing[source.id], BRIEF_PAGE_SIZE)
            page_paths = [self.entity_path("sources", source.id, n)
                          for n in range(1, len(pages) + 1)]
            for number, chunk in enumerate(pages, 1):
                path = page_paths[number - 1]
                yield self.page(
                    "source.md.j2", path, searchable=False, source=source, events=chunk,
                    page_number=number, total=len(self.citing[source.id]),
                    page_paths=page_paths)

    @staticmethod
    def entity_path(section: str, ident: str, page: int = 1) -> str:
        return f"{section}/{ident}.md" if page == 1 else f"{section}/{ident}/page-{page}.md"

    def entity_pages(self, section: str, entities: dict, events_by: dict):
        ordered = sorted(entities, key=lambda ident: _entity_name(entities[ident]).casefold())
        inline = sum(len(events_by[i]) for i in ordered) <= INLINE_LISTING_LIMIT
        index = f"{section}/index.md"
        yield self.page("entity_index.md.j2", index, searchable=section != "tags",
                        section=section, entities=entities, ordered=ordered,
                        events_by=events_by, inline=inline, entity_path=self.entity_path)
        for ident in ordered:
            pages = chunks(events_by[ident], BRIEF_PAGE_SIZE)
            for number, chunk in enumerate(pages, 1):
                path = self.entity_path(section, ident, number)
                yield self.page(
                    "entity.md.j2", path, searchable=False, section=section, ident=ident,
                    entity=entities[ident], events=chunk, total=len(events_by[ident]),
                    page_number=number,
                    page_paths=[self.entity_path(section, ident, n) for n in
                                range(1, len(pages) + 1)])

    def narrative_pages(self):
        for narrative in self.timeline.narratives:
            members = self.narrative_members[narrative.id]
            # A narrative over thousands of events is told over several pages, each with its
            # own notes, so that no page grows with the timeline.
            pages = listing_chunks(members)
            page_paths = [self.entity_path("narratives", narrative.id, n)
                          for n in range(1, len(pages) + 1)]
            for number, chunk in enumerate(pages, 1):
                path = page_paths[number - 1]
                # Search finds a narrative by its first page; the pages after it only retell
                # event pages, which search already leads to (and they would double the index).
                yield self.page("narrative.md.j2", path, searchable=number == 1,
                                narrative=narrative, intro=narrate.paragraphs(narrative.intro),
                                story=None if self.drafting else narrate.narrate(chunk),
                                total=len(members), page_number=number, page_paths=page_paths)

    # -- data --------------------------------------------------------------------------------
    def data_files(self) -> dict[str, bytes]:
        records = [event_record(self.timeline, e) for e in self.timeline.events]
        document = {
            "format": "sourced-timeline/1",
            "title": self.timeline.title,
            "events": records,
            "sources": [source_record(s) for s in self.timeline.sources.values()],
            "actors": [{"id": a.id, "name": a.name, "names": dict(a.names)}
                       for a in self.timeline.actors.values()],
            "places": [{"id": p.id, "name": p.name, "names": dict(p.names), "lat": p.lat,
                        "lon": p.lon} for p in self.timeline.places.values()],
        }
        as_json = _inert_json(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False))
        return {"data/events.json": as_json.encode("utf-8"),
                "data/events.csv": events_csv(records).encode("utf-8")}


def _entity_name(entity) -> str:
    return entity if isinstance(entity, str) else entity.name


def date_iso(value: EdtfDate) -> str:
    """A machine-readable date for <time datetime=…>: as precise as the date really is."""
    point = value.start
    if point.day is not None:
        return f"{point.year:04d}-{point.month:02d}-{point.day:02d}"
    if point.month is not None:
        return f"{point.year:04d}-{point.month:02d}"
    return f"{point.year:04d}"


def source_record(source) -> dict:
    return {
        "id": source.id, "title": source.title, "publisher": source.publisher,
        "published": source.published.text, "url": source.url,
        "archive_url": source.archive_url,
        "accessed": source.accessed.text if source.accessed else None,
        "author": source.author, "language": source.language,
    }


def event_record(timeline: Timeline, event: Event) -> dict:
    return {
        "id": event.id,
        "date": event.date.text,
        "date_earliest": event.date.lower.isoformat(),
        "date_latest": event.date.upper.isoformat(),
        "date_precision": event.date.precision,
        "date_approximate": event.date.approximate,
        "date_uncertain": event.date.uncertain,
        "title": event.title,
        "summary": event.summary,
        "status": event.status,
        "place": event.place,
        "actors": list(event.actors),
        "tags": list(event.tags),
        "claims": [{"by": c.by, "text": c.text, "source": c.source} for c in event.claims],
        "sources": [{"source": c.source, "quote": c.quote} for c in event.citations],
        "permalink": f"events/{event.id}/",
    }


def _inert_json(text: str) -> str:
    """The same JSON, with the characters that could start markup written as \\u escapes: a
    host or page that ever treats the file as HTML, or embeds it in a <script>, finds no tag
    in it. (Three replace() passes: str.translate with a mapping is some 30 times slower.)"""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    # Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text.
    return "'" + value if value.startswith(_FORMULA_START) else value


def events_csv(records: list[dict]) -> str:
    columns = ["id", "date", "date_earliest", "date_latest", "date_precision", "title",
               "summary", "status", "place", "actors", "tags", "sources", "permalink"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        row = dict(record)
        row["place"] = record["place"] or ""
        row["actors"] = ";".join(record["actors"])
        row["tags"] = ";".join(record["tags"])
        row["sources"] = ";".join(s["source"] for s in record["sources"])
        writer.writerow([_csv_cell(str(row[c])) for c in columns])
    return out.getvalue()


# From this many events on, a second process renders the pages while MkDocs works through
# them in this one: on two cores that hides the rendering of a big timeline. Below it, the
# second process costs more than it saves. TIMELINE_RENDER_PROCESSES=1 turns it off.
PARALLEL_FROM = 3_000
_BATCH = 500  # pages per message: the first pages arrive early, and messages stay small


def _can_fork() -> bool:
    # A forked child starts as a copy of this process, with the records already read and no
    # module imported again. Forking is only safe while a single thread runs (`timeline
    # build`, `mkdocs build`); `mkdocs serve` runs several, and renders in one process.
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux"
            and threading.active_count() == 1)


def _processes(events: int) -> int:
    setting = os.environ.get("TIMELINE_RENDER_PROCESSES", "").strip()
    wanted = max(1, int(setting)) if setting.isdigit() else (
        2 if events >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1)
    return wanted if wanted == 1 or _can_fork() else 1


def _render_pages(renderer: SiteRenderer, connection) -> None:
    """In the forked child: render every page, in site order, sending them as they are done."""
    try:
        batch: dict[str, str] = {}
        for page in renderer.pages():
            batch[page.path] = page.content
            if len(batch) == _BATCH:
                connection.send(("pages", batch))
                batch = {}
        connection.send(("pages", batch))
        connection.send(("done", None))
    except BaseException as error:  # the parent renders what is missing itself
        with contextlib.suppress(OSError):  # unless it has stopped listening (build error)
            connection.send(("failed", repr(error)))
    finally:
        connection.close()


class RenderedHere:
    """Pages rendered in this process when they are asked for. MkDocs asks in site order, the
    order they are made in, so only the page being converted is held; a page asked for out of
    order is still found (the ones passed on the way wait until they are asked for)."""

    def __init__(self, renderer: SiteRenderer, already_given: frozenset[str] = frozenset()):
        self.upcoming = renderer.pages()
        self.already_given = already_given  # read elsewhere before: not kept again
        self.passed: dict[str, str] = {}

    def content(self, path: str) -> str:
        while path not in self.passed:
            page = next(self.upcoming, None)
            if page is None:
                raise KeyError(path)
            if page.path not in self.already_given:
                self.passed[page.path] = page.content
        return self.passed.pop(path)

    def close(self) -> None:
        self.upcoming.close()


class PendingPages:
    """The content of the pages a second process is rendering, as it arrives. MkDocs asks for
    them in site order, the order they are rendered in, so it seldom has to wait."""

    def __init__(self, renderer: SiteRenderer, helper, connection):
        self.renderer, self.helper, self.connection = renderer, helper, connection
        self.arrived: dict[str, str] = {}
        self.given: set[str] = set()
        self.finished = False
        self.fallback: RenderedHere | None = None

    def content(self, path: str) -> str:
        """A page's Markdown: waits for it if need be (once read, it is not kept)."""
        while path not in self.arrived and not self.finished:
            self._receive()
        if path not in self.arrived:
            if self.fallback is None:
                raise KeyError(path)
            return self.fallback.content(path)
        self.given.add(path)
        return self.arrived.pop(path)

    def _receive(self) -> None:
        try:
            kind, value = self.connection.recv()
        except (EOFError, OSError):  # the helper died (out of memory, killed)
            kind, value = "failed", None
        if kind == "pages":
            self.arrived.update(value)
            return
        self.finished = True
        self.close()
        if kind == "failed":
            # Render here what has not arrived: a template error then shows in this process.
            self.fallback = RenderedHere(self.renderer,
                                         frozenset(self.given) | frozenset(self.arrived))

    def close(self) -> None:
        self.connection.close()
        self.helper.join(timeout=60)
        if self.helper.is_alive():
            self.helper.kill()


def render_site(timeline: Timeline, templates: Path = DEFAULT_TEMPLATES,
                site_url: str | None = None, stream: bool = False,
                second_process: bool = True) -> RenderedSite:
    """The pages and data files.

    With ``stream``, the pages come without their content, which ``site.pending.content(path)``
    gives when it is wanted: a site generator then holds one page's Markdown at a time, not
    the whole site's. A big timeline's pages are rendered meanwhile by a second process, unless
    ``second_process`` is False (no memory for it)."""
    renderer = SiteRenderer(timeline, templates, site_url)
    if not stream:
        return renderer.site()
    site = renderer.site(drafted=True)
    site.pending = (second_process and _second_process(renderer)) or RenderedHere(renderer)
    return site


def _second_process(renderer: SiteRenderer) -> PendingPages | None:
    if _processes(len(renderer.timeline.events)) < 2:
        return None
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    helper = context.Process(target=_render_pages, args=(renderer, sending), daemon=True)
    try:
        helper.start()
    except OSError:  # no second process here: this one renders the pages
        receiving.close()
        sending.close()
        return None
    sending.close()
    return PendingPages(renderer, helper, receiving)
