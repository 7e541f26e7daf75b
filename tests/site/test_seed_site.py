"""The seed site, built end to end from events.yaml, read back as HTML.

Every event has its page, every citation renders, dates read right, the listings and the
data files hold every event, search leads to event pages, event pages stay out of the
navigation, and nothing is written into content/. Then the adapters: `mkdocs build --strict`
straight from a copy of the repository, a failed check that writes no site and lists every
problem with file:line:col, and `timeline serve` rebuilding when events.yaml or a template
changes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from builder.records.check import check_file
from tests.support.sites import ROOT, build_project, make_project

pytestmark = pytest.mark.slow

MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


# -- a small DOM, enough to read the pages back -----------------------------------------------
class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter()
                if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}> in <{self.tag}>"
        return found[0]

    def child_elements(self, tag: str) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element) and c.tag == tag]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # stray end tags are ignored
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def heading_text(element: Element) -> str:
    return element.text().replace("¶", "").strip()


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- what the records say ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def timeline(seed_site):
    result = check_file(seed_site.project / "events.yaml")
    assert result.ok
    return result.timeline


@pytest.fixture(scope="module")
def event_pages(seed_site, timeline) -> dict[str, Element]:
    return {e.id: parse(seed_site.html(f"events/{e.id}/")) for e in timeline.events}


def _point_words(text: str) -> tuple[str, bool, bool, tuple]:
    """An EDTF point as readers see it, written independently of the templates."""
    match = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?([~?%]?)", text)
    year, month, day, mark = match.groups()
    words = " ".join(w for w in (str(int(day)) if day else "", MONTHS[int(month)] if month else "",
                                 year) if w)
    return words, mark in "~%" and mark != "", mark in "?%" and mark != "", (year, month, day)


def _qualified(words: str, approximate: bool, uncertain: bool) -> str:
    return ("c. " if approximate else "") + words + (" (uncertain)" if uncertain else "")


def expected_date_text(edtf: str) -> str:
    if "/" not in edtf:
        return _qualified(*_point_words(edtf)[:3])
    start, end = (_point_words(part) for part in edtf.split("/"))
    (s_words, s_approx, s_unc, (sy, sm, sd)), (e_words, e_approx, e_unc, (ey, em, ed)) = start, end
    end_text = _qualified(e_words, e_approx, e_unc)
    if not s_approx and not s_unc and sy == ey:
        if sm and sm == em and sd and ed:
            return f"{int(sd)}–{end_text}"
        if sm and em and bool(sd) == bool(ed):
            return f"{str(int(sd)) + ' ' if sd else ''}{MONTHS[int(sm)]} – {end_text}"
    if not s_approx and not s_unc and not sm and not em:
        return f"{sy}–{end_text}"
    return f"{_qualified(s_words, s_approx, s_unc)} – {end_text}"


# -- the seed site ----------------------------------------------------------------------------
def test_every_event_has_its_permanent_page(timeline, event_pages):
    assert len(timeline.events) >= 20
    for event in timeline.events:
        page = event_pages[event.id]
        article = page.find("article")
        assert heading_text(article.find("h1")) == event.title
        assert event.title in page.find("title").text()
        assert squeeze(article.find("p", "tl-summary").text())


def test_every_citation_renders_in_full(timeline, event_pages):
    quotes_seen = 0
    for event in timeline.events:
        items = event_pages[event.id].find("ol", "tl-sources--full").child_elements("li")
        cited = event.cited_sources()
        assert len(items) == len(cited), event.id
        for number, (item, source_id) in enumerate(zip(items, cited), 1):
            source = timeline.sources[source_id]
            assert item.attrs["id"] == f"source-{number}"
            text = squeeze(item.text())
            assert source.publisher in text and source.title in text, (event.id, source_id)
            cite = item.find("cite")
            if source.url:
                assert [a.attrs["href"] for a in cite.find_all("a")] == [source.url]
            else:
                assert not cite.find_all("a"), f"{source_id} has no url, so no link"
                assert "Offline source" in item.find("span", "tl-offline").text()
            if source.archive_url:
                assert item.find("a", "tl-archive").attrs["href"] == source.archive_url
            assert item.find("a", "tl-source-link").attrs["href"] == f"../../sources/{source_id}/"
            quotes = [squeeze(q.text()) for q in item.find_all("blockquote")]
            wanted = [c.quote for c in event.citations if c.source == source_id and c.quote]
            assert quotes == [f"“{squeeze(q)}”" for q in wanted], (event.id, source_id)
            quotes_seen += len(quotes)
    assert quotes_seen > 0


def test_claims_are_attributed(timeline, event_pages):
    with_claims = [e for e in timeline.events if e.claims]
    assert with_claims
    for event in with_claims:
        claims = event_pages[event.id].find("div", "tl-claims").find_all("p", "tl-claim")
        assert len(claims) == len(event.claims)
        for element, claim in zip(claims, event.claims):
            who = element.find("span", "tl-claim-by")
            assert timeline.actors[claim.by].name in who.text()
            assert who.find("a").attrs["href"] == f"../../actors/{claim.by}/"
            assert squeeze(element.find("span", "tl-claim-text").text()) == squeeze(claim.text)
            number = event.cited_sources().index(claim.source) + 1
            assert element.find("sup", "tl-ref").find("a").attrs["href"] == f"#source-{number}"


@pytest.mark.parametrize("event_id, words", [
    ("us-russia-ceasefire-deal", "9 September 2016"),
    ("russia-joins-war-on-assad-side", "c. September 2015"),
    ("kerry-pleads-with-russia-to-halt-air-strikes", "September 2016 (uncertain)"),
    ("aid-convoy-bombed", "12–24 September 2016"),
    ("rebels-reject-russia-as-peace-sponsor", "25 September 2016 (uncertain)"),
])
def test_seed_dates_read_right(event_pages, event_id, words):
    time_element = event_pages[event_id].find("article").find("time", "tl-date")
    assert time_element.text() == words


def test_every_date_reads_with_its_precision(timeline, event_pages):
    for event in timeline.events:
        time_element = event_pages[event.id].find("article").find("time", "tl-date")
        assert time_element.text() == expected_date_text(event.date.text), event.id
        assert event.date.text.startswith(time_element.attrs["datetime"])


def _listing_entries(seed_site, event) -> tuple[str, Element]:
    """The month (or year) page listing an event, following its pages."""
    start = event.date.start
    folder = f"timeline/{start.year}/" + (f"{start.month:02d}/" if start.month else "")
    for url in [folder] + [f"{folder}page-{n}/" for n in range(2, 50)]:
        page = parse(seed_site.html(url))
        heading = page.find_all("h2", id=event.id)
        if heading:
            return url, page
    raise AssertionError(f"{event.id} is not listed under {folder}")


def test_the_timeline_lists_every_event_in_its_month(seed_site, timeline, event_pages):
    for event in timeline.events:
        url, page = _listing_entries(seed_site, event)
        heading = page.find("h2", id=event.id)
        parent = heading.parent
        entry = parent.children[parent.children.index(heading) + 1:]
        entry = next(e for e in entry if isinstance(e, Element))
        assert "tl-entry" in entry.classes
        assert heading_text(heading) == event.title
        assert entry.find("time", "tl-date").text() == expected_date_text(event.date.text)
        assert entry.find("span", "tl-status").text().strip().endswith(
            event.status.capitalize())
        assert len(entry.find("ol", "tl-sources").child_elements("li")) == len(
            event.cited_sources())
        assert entry.find("p", "tl-permalink").find("a").attrs["href"].endswith(
            f"events/{event.id}/")
        # The event page leads back to the very page and entry that list it.
        back = event_pages[event.id].find("p", "tl-context").find("a").attrs["href"]
        assert urljoin(f"http://x/events/{event.id}/", back) == f"http://x/{url}#{event.id}"


def test_listings_keep_date_order(seed_site, timeline):
    order = [e.id for e in timeline.events]
    page = parse(seed_site.html("timeline/2016/09/"))
    listed = [h.attrs["id"] for h in page.find("article").find_all("h2") if h.attrs.get("id")
              in order]
    assert listed == [i for i in order if i in listed]
    assert len(listed) >= 15


def test_indexes_list_their_events(seed_site, timeline):
    for section, events_of in (
        ("actors", lambda e: set(e.actors) | {c.by for c in e.claims}),
        ("places", lambda e: {e.place} if e.place else set()),
        ("tags", lambda e: set(e.tags)),
    ):
        index = parse(seed_site.html(f"{section}/"))
        names = set(timeline.actors if section == "actors" else
                    timeline.places if section == "places" else
                    {t for e in timeline.events for t in e.tags})
        for ident in names:
            expected = {e.id for e in timeline.events if ident in events_of(e)}
            assert index.find_all("a", href=f"{ident}/"), f"{section}/ does not link {ident}"
            page = parse(seed_site.html(f"{section}/{ident}/"))
            linked = {a.attrs["href"].split("/")[-2] for a in page.find("article").find_all("a")
                      if a.attrs.get("href", "").startswith("../../events/")}
            assert linked == expected, (section, ident)


def test_sources_page_is_the_bibliography(seed_site, timeline):
    page = parse(seed_site.html("sources/"))
    article = page.find("article")
    for source in timeline.sources.values():
        heading = article.find("h2", id=source.id)
        assert source.publisher in heading.text() and source.title in heading.text()
        block = heading.parent.children[heading.parent.children.index(heading) + 1:]
        block = next(e for e in block if isinstance(e, Element))
        cite = block.find("cite")
        if source.url:
            assert cite.find("a").attrs["href"] == source.url
        else:
            assert not cite.find_all("a")
            assert block.find_all("span", "tl-offline")
        citing = [e.id for e in timeline.events if source.id in e.cited_sources()]
        own = parse(seed_site.html(f"sources/{source.id}/")).find("article")
        linked = [a.attrs["href"].split("/")[-2] for a in own.find_all("a")
                  if a.attrs.get("href", "").startswith("../../events/")]
        assert linked == citing, source.id


def test_data_files_hold_every_event_and_are_linked(seed_site, timeline):
    ids = [e.id for e in timeline.events]
    document = json.loads((seed_site.site / "data" / "events.json").read_text("utf-8"))
    assert [e["id"] for e in document["events"]] == ids
    by_id = {e["id"]: e for e in document["events"]}
    for event in timeline.events:
        record = by_id[event.id]
        assert record["date"] == event.date.text and record["title"] == event.title
        assert [s["source"] for s in record["sources"]] == [c.source for c in event.citations]
    rows = list(csv.DictReader(io.StringIO(
        (seed_site.site / "data" / "events.csv").read_text("utf-8"))))
    assert [r["id"] for r in rows] == ids
    links = {a.attrs["href"] for a in parse(seed_site.html("timeline/")).find_all("a")}
    assert {"../data/events.json", "../data/events.csv"} <= links


def test_search_index_leads_to_event_pages(seed_site, timeline):
    index = json.loads((seed_site.site / "search" / "search_index.json").read_text("utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    for event in timeline.events:
        assert f"events/{event.id}/" in locations
    # Listings repeat the event pages; they stay out so that results lead to permalinks.
    assert not [loc for loc in locations if loc.startswith(("timeline/", "tags/"))]
    for query, event_id in [("convoy", "aid-convoy-bombed"), ("Handarat", "handarat-camp-seized"),
                            ("Churkin", "churkin-says-peace-almost-impossible"),
                            ("Security Council", "un-security-council-meets-on-aleppo")]:
        hits = {doc["location"].split("#")[0] for doc in index["docs"]
                if query.casefold() in (doc["title"] + " " + doc["text"]).casefold()}
        assert f"events/{event_id}/" in hits, query


def test_event_pages_stay_out_of_the_navigation(seed_site, event_pages):
    home = parse(seed_site.html(""))
    nav = home.find("nav", "md-nav--primary")
    hrefs = [a.attrs.get("href", "") for a in nav.find_all("a")]
    assert any("timeline/" in h for h in hrefs) and any("sources/" in h for h in hrefs)
    assert not [h for h in hrefs if "events/" in h]
    one = next(iter(event_pages.values()))
    assert not [a for a in one.find("nav", "md-nav--primary").find_all("a")
                if "events/" in a.attrs.get("href", "")]


def test_every_page_is_small(seed_site):
    sizes = {p: p.stat().st_size for p in seed_site.site.rglob("*.html")}
    assert max(sizes.values()) < 200 * 1024, max(sizes, key=sizes.get)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_build_writes_nothing_into_content(seed_site):
    assert tree_digest(seed_site.project / "content") == tree_digest(ROOT / "content")


# -- the adapters -----------------------------------------------------------------------------
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def test_mkdocs_build_strict_works_straight_from_a_copy_of_the_repository(tmp_path, timeline):
    project = make_project(tmp_path)
    before = tree_digest(project / "content")
    completed = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                               cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    for event in timeline.events:
        assert (project / "site" / "events" / event.id / "index.html").is_file()
    assert (project / "site" / "data" / "events.json").is_file()
    assert tree_digest(project / "content") == before
    assert not list((project / "content").rglob("events"))


def _broken_seed() -> tuple[str, list[tuple[int, int]]]:
    """The seed file with two errors, and where each is (line, column of the value)."""
    lines = (ROOT / "events.yaml").read_text(encoding="utf-8").split("\n")
    where = []
    status = next(i for i, line in enumerate(lines) if line.strip() == "status: reported")
    lines[status] = lines[status].replace("reported", "rumoured")
    where.append((status + 1, lines[status].index("rumoured") + 1))
    date = next(i for i, line in enumerate(lines) if i > status and line.strip().startswith(
        "date: \"2016-09-2"))
    lines[date] = re.sub(r'"2016-09-2\d"', '"2016-09-31"', lines[date])
    where.append((date + 1, lines[date].index('"2016-09-31"') + 1))
    return "\n".join(lines), where


def test_a_failed_check_builds_nothing_and_lists_every_problem(tmp_path):
    text, where = _broken_seed()
    project = make_project(tmp_path, text)
    result = build_project(project, timeout=120)
    assert result.returncode == 1
    assert not (project / "site").exists()
    output = result.stdout + result.stderr
    for line, column in where:
        assert f"events.yaml:{line}:{column}:" in output, output
    assert "nothing was built" in output
    # With a site already published, it stays exactly as it was.
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous site", encoding="utf-8")
    again = build_project(project, timeout=120)
    assert again.returncode == 1
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous site"


def test_mkdocs_itself_stops_on_a_failed_check(tmp_path):
    text, where = _broken_seed()
    project = make_project(tmp_path, text)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous site", encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                               cwd=project, env=ENV, capture_output=True, text=True, timeout=120)
    assert completed.returncode != 0
    for line, column in where:
        assert f"events.yaml:{line}:{column}:" in completed.stderr, completed.stderr
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert not list((project / "content").rglob("events"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, wanted: str, process, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "timeline serve stopped"
        page = _fetch(url)
        if page is not None and wanted in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {wanted!r} within {seconds} s")


def test_serve_rebuilds_when_events_or_templates_change(tmp_path):
    project = make_project(tmp_path)
    config = yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=yaml.SafeLoader)
    mount = urlsplit(config.get("site_url") or "/").path or "/"
    port = _free_port()
    base = f"http://127.0.0.1:{port}{mount}"
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = base + "events/aid-convoy-bombed/"
        _wait_for(url, "Aid convoy bombed", process)
        events = project / "events.yaml"
        events.write_text(events.read_text("utf-8").replace(
            "title: Aid convoy bombed, killing some 20 people",
            "title: Aid convoy struck, renamed while serving"), encoding="utf-8")
        _wait_for(url, "Aid convoy struck, renamed while serving", process)
        template = project / "templates" / "event.md.j2"
        template.write_text(template.read_text("utf-8") + "\nTemplate edited while serving.\n",
                            encoding="utf-8")
        _wait_for(url, "Template edited while serving.", process)
        assert not list((project / "content").rglob("events"))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# -- another timeline ---------------------------------------------------------------------------
def test_another_events_file_builds_with_the_same_site_sources(tmp_path):
    fixture = ROOT / "tests" / "golden" / "render" / "events.yaml"
    project = make_project(tmp_path, fixture.read_text(encoding="utf-8"))
    result = build_project(project, timeout=300)
    assert result.ok, result.stdout[-2000:] + result.stderr[-2000:]
    timeline = check_file(project / "events.yaml").timeline
    for event in timeline.events:
        page = parse(result.html(f"events/{event.id}/"))
        assert heading_text(page.find("article").find("h1")) == html_title(event.title)
        time_element = page.find("article").find("time", "tl-date")
        assert time_element.text() == expected_date_text(event.date.text)


def html_title(title: str) -> str:
    return " ".join(title.split())
