"""Rendering records into Markdown pages and data files, against golden files.

The fixture tests/golden/render/events.yaml has one event for every date form (day, month,
year, ~, ?, %, spans within a month, across months, across years, month to month, year to
year), attributed claims, an offline source, an archived copy, an access date and quotes.
Its rendered pages are kept under tests/golden/render/ at their site paths. After an
intended change to the templates, regenerate them with
``UPDATE_GOLDEN=1 python -m pytest tests/site/test_render.py`` and review the diff.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from builder.records.check import check_file, check_text
from builder.site.rawblocks import RawBlocks, is_raw_block
from builder.site import render as render_module
from builder.site.render import PARALLEL_FROM, event_path, render_site

GOLDEN = Path(__file__).parents[1] / "golden" / "render"
FIXTURE = GOLDEN / "events.yaml"
TODAY = date(2024, 1, 1)  # a fixed "today" keeps the fixture's checks independent of the clock

# Pages kept as golden files besides every event page: a month listing, a year page with an
# event known only to the year, and the bibliography with its offline source.
LISTING_GOLDEN = ["timeline/2016/09.md", "timeline/2016/index.md", "sources/index.md"]

# What each date form must read as, by event id: the wording readers see.
DATE_TEXTS = {
    "day-precision": "19 September 2016",
    "month-precision": "September 2016",
    "year-precision": "2016",
    "approximate-month": "c. September 2015",
    "uncertain-day": "25 September 2016 (uncertain)",
    "approximate-uncertain-day": "c. 23 September 2016 (uncertain)",
    "interval-within-month": "20–22 September 2016",
    "interval-across-months": "30 August – 2 September 2016",
    "interval-across-years": "30 December 2015 – 2 January 2016",
    "interval-month-to-month": "August – September 2016",
    "interval-year-to-year": "2014–2016",
    "offline-only": "24 September 2016",
}


@pytest.fixture(scope="module")
def timeline():
    result = check_file(FIXTURE, today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    return result.timeline


@pytest.fixture(scope="module")
def site(timeline):
    return render_site(timeline)


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    return {page.path: page.content for page in site.pages}


def golden_paths(timeline) -> list[str]:
    return [event_path(e.id) for e in timeline.events] + LISTING_GOLDEN


def _check_against_golden(path: str, actual: str) -> None:
    expected_file = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"no golden file {expected_file}; run with UPDATE_GOLDEN=1"
    expected = expected_file.read_text(encoding="utf-8")
    assert actual == expected, (f"{path} differs from {expected_file}; if the change is "
                                "intended, regenerate with UPDATE_GOLDEN=1 and review the diff")


def test_rendered_pages_match_golden_files(timeline, pages):
    for path in golden_paths(timeline):
        _check_against_golden(path, pages[path])


def test_no_stale_golden_files(timeline):
    wanted = {GOLDEN / p for p in golden_paths(timeline)}
    present = set(GOLDEN.rglob("*.md"))
    if os.environ.get("UPDATE_GOLDEN"):
        for stale in present - wanted:
            stale.unlink()
        present &= wanted
    assert present == wanted, f"golden files nothing renders any more: {present - wanted}"


def test_fixture_covers_every_date_form(timeline):
    texts = {e.id: e.date.text for e in timeline.events}
    assert set(texts) == set(DATE_TEXTS)
    forms = {
        "day": r"\d{4}-\d\d-\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}",
        "approximate": r".*~", "uncertain": r".*\?", "both": r".*%",
        "span of days": r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", "span of months": r"\d{4}-\d\d/\d{4}-\d\d",
        "span of years": r"\d{4}/\d{4}",
    }
    for form, pattern in forms.items():
        assert any(re.fullmatch(pattern, t) for t in texts.values()), f"no {form} date"


def _time_text(markdown: str) -> str:
    match = re.search(r'<time class="tl-date" datetime="([^"]+)">([^<]*)</time>', markdown)
    assert match, "no <time> element"
    return match.group(2)


@pytest.mark.parametrize("event_id, expected", sorted(DATE_TEXTS.items()))
def test_dates_read_with_honest_precision(pages, event_id, expected):
    assert _time_text(pages[f"events/{event_id}.md"]) == expected


@pytest.mark.parametrize("event_id, expected", [
    ("day-precision", "2016-09-19"), ("month-precision", "2016-09"),
    ("year-precision", "2016"), ("interval-across-years", "2015-12-30"),
])
def test_machine_readable_date_is_no_more_precise_than_the_record(pages, event_id, expected):
    assert f'datetime="{expected}"' in pages[f"events/{event_id}.md"]


def test_every_citation_is_numbered_once_in_first_cited_order(timeline, pages):
    for event in timeline.events:
        page = pages[event_path(event.id)]
        numbered = re.findall(r'<li id="source-(\d+)">.*?About this source', page)
        assert numbered == [str(n) for n in range(1, len(event.cited_sources()) + 1)], event.id
        for number, source_id in enumerate(event.cited_sources(), 1):
            assert f'<li id="source-{number}">' in page
            assert f"sources/{source_id}/" in page.split(f'<li id="source-{number}">')[1]


def test_claims_are_attributed_and_point_to_their_source(pages):
    page = pages["events/interval-within-month.md"]
    claims = re.findall(r'<p class="tl-claim">.*?</p>', page)
    assert len(claims) == 2
    assert "Monitoring group</a></span> <span class=\"tl-claim-verb\">claims:" in claims[0]
    assert 'href="#source-1"' in claims[0]  # wire-2016, cited first
    assert "National army" in claims[1] and 'href="#source-2"' in claims[1]  # paper-archive


def test_full_citation_has_archive_access_date_author_and_quotes(pages):
    page = pages["events/interval-within-month.md"]
    first = page.split('<li id="source-1">')[1].split("</li>")[0]
    assert '<a href="https://news.example.org/2016/09/20/convoy"' in first
    assert 'class="tl-archive" href="https://web.archive.org/web/20160921000000/' in first
    assert "Accessed 21 September 2016." in first
    assert "By Jane Writer." in first
    # Both quotes from the same source are kept, under the one numbered citation.
    assert first.count('<blockquote class="tl-quote">') == 2


def test_offline_source_is_never_a_link(pages):
    for path in ("events/offline-only.md", "sources/index.md"):
        page = pages[path]
        assert "Offline source: no web address is recorded." in page
        assert "<cite>Minutes of a closed meeting</cite>" in page
    assert 'href=""' not in "".join(pages.values())
    assert "href=\"None\"" not in "".join(pages.values())


def test_record_text_stays_text(pages):
    page = pages["events/offline-only.md"]
    assert "<script" not in page and "<em>only" not in page
    title = page.splitlines()[0]
    assert html.unescape(title) == '# Rests on an offline source <em>only</em> & "nothing else"'
    # Markdown syntax in a quote is shown, not applied.
    assert "&#42;at all&#42;" in page
    # The summary is inline Markdown: its link and emphasis are rendered, safely.
    day = pages["events/day-precision.md"]
    assert '<a href="https://example.org/a" rel="nofollow noopener noreferrer">link</a>' in day
    assert "<em>emphasis</em>" in day


def test_event_page_links_to_its_place_actors_tags_and_month(pages):
    page = pages["events/interval-within-month.md"]
    for target in ("../../places/camp/", "../../actors/army/", "../../actors/monitors/",
                   "../../tags/military/", "../../tags/casualties/"):
        assert f'href="{target}"' in page
    assert 'href="../../timeline/2016/09/&#35;interval-within-month"' in page


def test_events_are_listed_under_the_month_they_start_in(pages):
    def ids(path):
        return re.findall(r"\{#([a-z0-9-]+)\}", pages[path])

    assert ids("timeline/2016/08.md") == ["interval-month-to-month", "interval-across-months"]
    # A month before the days inside it; then by earliest day; file order breaks ties.
    assert ids("timeline/2016/09.md") == [
        "month-precision", "day-precision", "interval-within-month",
        "approximate-uncertain-day", "offline-only", "uncertain-day"]
    assert ids("timeline/2016/index.md") == ["year-precision"]
    assert ids("timeline/2014/index.md") == ["interval-year-to-year"]


def test_order_is_stable_for_equal_dates():
    header = ("timeline: {title: T}\nsources:\n  s: {title: S, publisher: P, published: '2016'}\n"
              "events:\n")
    names = ["zulu", "alpha", "mike", "bravo"]
    body = "".join(f"  - {{id: {n}, date: '2016-09?', title: {n}, summary: x, status: reported,"
                   f" sources: [s]}}\n" for n in names)
    result = check_text(header + body, today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    page = {p.path: p.content for p in render_site(result.timeline).pages}["timeline/2016/09.md"]
    assert re.findall(r"\{#([a-z]+)\}", page) == names


@pytest.mark.parametrize("date_of, first_page", [
    (lambda n: f"2016-09-{1 + n % 28:02d}", "timeline/2016/09"),
    (lambda n: "2016", "timeline/2016/index"),  # known only to the year
])
def test_big_listings_are_split_into_pages_of_fifty(date_of, first_page):
    header = ("timeline: {title: T}\nsources:\n  s: {title: S, publisher: P, published: '2016'}\n"
              "events:\n")
    body = "".join(f"  - {{id: e{n:03d}, date: '{date_of(n)}', title: E{n}, "
                   f"summary: x, status: reported, sources: [s]}}\n" for n in range(120))
    result = check_text(header + body, today=TODAY)
    assert result.ok
    pages = {p.path: p.content for p in render_site(result.timeline).pages}
    folder = first_page.removesuffix("/index")
    paths = [f"{first_page}.md", f"{folder}/page-2.md", f"{folder}/page-3.md"]
    listed = [re.findall(r"\{#(e\d+)\}", pages[p]) for p in paths]
    assert [len(chunk) for chunk in listed] == [50, 50, 20]
    assert sorted(sum(listed, [])) == [f"e{n:03d}" for n in range(120)]
    assert f"{folder}/page-4.md" not in pages
    assert 'aria-current="page">Page 3<' in pages[paths[2]]
    # An event page's "in the timeline" link leads to the page that lists it.
    last = listed[2][0]
    assert f"{folder}/page-3/&#35;{last}" in pages[f"events/{last}.md"]


def test_long_entries_make_shorter_pages():
    header = ("timeline: {title: T}\nsources:\n  s: {title: S, publisher: P, published: '2016'}\n"
              "events:\n")
    words = "A long summary of what happened, as the sources tell it. " * 80  # ~4,500 chars
    body = "".join(f"  - {{id: e{n:03d}, date: '2016-09-{1 + n % 28:02d}', title: E{n}, "
                   f"summary: '{words}', status: reported, sources: [s]}}\n" for n in range(60))
    result = check_text(header + body, today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    pages = {p.path: p.content for p in render_site(result.timeline).pages}
    listings = {path: text for path, text in pages.items()
                if path == "timeline/2016/09.md" or path.startswith("timeline/2016/09/")}
    assert len(listings) >= 3  # 60 entries, but not 50 of these on one page
    assert max(len(text.encode()) for text in listings.values()) < 130_000
    assert sum(len(re.findall(r"\{#e\d+\}", t)) for t in listings.values()) == 60


def test_a_big_bibliography_lists_one_line_per_source():
    header = ("timeline: {title: T}\nsources:\n"
              "  online: {title: On, publisher: P, published: '2016', url: 'https://e.org/x'}\n"
              "  paper: {title: Off, publisher: Q, published: '2016'}\n"
              "events:\n")
    body = "".join(f"  - {{id: e{n:03d}, date: '2016-09-{1 + n % 28:02d}', title: E{n}, "
                   f"summary: x, status: reported, sources: [online, paper]}}\n"
                   for n in range(160))  # 320 citations: too many to list on one page
    result = check_text(header + body, today=TODAY)
    assert result.ok
    pages = {p.path: p.content for p in render_site(result.timeline).pages}
    index = pages["sources/index.md"]
    assert len(index) < 5_000
    assert '<li id="online">' in index and 'href="online/">cited by 160 events</a>' in index
    assert '<a href="https://e.org/x"' in index
    offline = index.split('<li id="paper">')[1].split("</li>")[0]
    assert "<cite>Off</cite>" in offline and "offline source" in offline
    # Each source's own page has its full citation and its events, a hundred to a page.
    assert "Offline source: no web address is recorded." in pages["sources/paper.md"]
    assert len(re.findall(r'href="\.\./\.\./events/e\d+/"', pages["sources/paper.md"])) == 100
    assert len(re.findall(r'href="\.\./\.\./\.\./events/e\d+/"',
                          pages["sources/paper/page-2.md"])) == 60


def test_event_pages_are_searchable_and_listings_are_not(site):
    searchable = {p.path for p in site.pages if p.searchable}
    assert {p for p in searchable if p.startswith("events/")} == {
        f"events/{event_id}.md" for event_id in DATE_TEXTS}
    assert not any(p.startswith("timeline/") for p in searchable)


def test_data_files_hold_every_event(timeline, site):
    document = json.loads(site.files["data/events.json"])
    assert [e["id"] for e in document["events"]] == [e.id for e in timeline.events]
    by_id = {e["id"]: e for e in document["events"]}
    assert by_id["interval-across-years"]["date_earliest"] == "2015-12-30"
    assert by_id["interval-across-years"]["date_latest"] == "2016-01-02"
    assert by_id["approximate-uncertain-day"]["date_approximate"] is True
    assert by_id["approximate-uncertain-day"]["date_uncertain"] is True
    assert by_id["day-precision"]["permalink"] == "events/day-precision/"
    assert {s["id"] for s in document["sources"]} == set(timeline.sources)
    rows = list(csv.DictReader(io.StringIO(site.files["data/events.csv"].decode("utf-8"))))
    assert [r["id"] for r in rows] == [e.id for e in timeline.events]
    assert rows[0]["date"] == timeline.events[0].date.text


def test_csv_cells_never_start_a_formula():
    text = ("timeline: {title: T}\nsources:\n  s: {title: S, publisher: P, published: '2016'}\n"
            "events:\n  - {id: f, date: '2016', title: '=HYPERLINK(\"x\")', summary: '+1',"
            " status: reported, sources: [s]}\n")
    result = check_text(text, today=TODAY)
    assert result.ok
    row = next(csv.DictReader(io.StringIO(
        render_site(result.timeline).files["data/events.csv"].decode("utf-8"))))
    assert row["title"] == "'=HYPERLINK(\"x\")" and row["summary"] == "'+1"


# -- raw HTML set aside while Markdown runs (builder/site/rawblocks.py) ----------------------------
def _site_markdown():
    """Python-Markdown with the extensions and settings of mkdocs.yml."""
    import markdown
    import yaml

    config = yaml.load((Path(__file__).parents[2] / "mkdocs.yml").read_text("utf-8"),
                       Loader=yaml.SafeLoader)
    names, settings = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        settings[name] = options or {}
    return lambda text: markdown.Markdown(extensions=names,
                                          extension_configs=settings).convert(text)


def _squeeze_html(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_setting_raw_html_aside_changes_no_page(site):
    convert = _site_markdown()
    seed = check_file(Path(__file__).parents[2] / "events.yaml", today=TODAY)
    pages = site.pages + (render_site(seed.timeline).pages if seed.ok else [])
    set_aside = 0
    for page in pages:
        blocks = RawBlocks()
        fast = blocks.put_back(convert(blocks.set_aside(page.content)))
        set_aside += len(blocks.blocks)
        plain = convert(page.content)
        assert _squeeze_html(fast) == _squeeze_html(plain), page.path
    assert set_aside >= 2 * len(pages)  # most of every page goes round Markdown


@pytest.mark.parametrize("text", [
    '<div class="a">\n<p>x</p>\n</div>',
    '<p class="a">one</p>\n<p class="b">two</p>',
    '<ol>\n<li>a\nb</li>\n</ol>',
])
def test_whole_raw_blocks_are_set_aside(text):
    assert is_raw_block(text)


@pytest.mark.parametrize("text", [
    "Some *text* <em>x</em>",  # a paragraph, for Markdown to render
    '<div class="a">\n<p>x</p>',  # not closed within the paragraph
    '<div class="a">\n</div>\n*text after*',  # Markdown after the block
    '<div class="a">\n</div>## Heading',  # a heading glued to the block
    '<span>inline</span>',  # not a block-level tag
    '<div markdown="1">\n*x*\n</div>',  # Markdown inside HTML (md_in_html)
    '    <div>\n    </div>',  # indented: code
])
def test_anything_else_is_left_to_markdown(text):
    assert not is_raw_block(text)
    blocks = RawBlocks()
    assert blocks.set_aside(text) == text


def test_pages_with_fenced_code_are_left_to_markdown():
    text = "# T\n\n```html\n<div>\n\n<p>shown as code</p>\n\n</div>\n```\n"
    blocks = RawBlocks()
    assert blocks.set_aside(text) == text and not blocks.blocks


def test_a_lost_placeholder_is_an_error():
    blocks = RawBlocks()
    markdown_text = blocks.set_aside("# T\n\n<div>\n<p>x</p>\n</div>\n")
    assert "<div>" not in markdown_text
    with pytest.raises(ValueError):
        blocks.put_back("<h1>T</h1>")


def test_streamed_pages_are_the_same_site():
    # In a fresh interpreter: forking is only used while a single thread runs, which a test
    # runner's worker does not promise.
    script = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from builder.site import render
from builder.records.check import check_file
timeline = check_file({str(FIXTURE)!r}).timeline
os.environ["TIMELINE_RENDER_PROCESSES"] = "2"
assert render._processes(len(timeline.events)) == 2, "no second process here"
def site(kind):
    if kind == "at once":
        s = render.render_site(timeline)
        assert all(p.content is not None for p in s.pages)
        return [(p.path, p.content, p.searchable) for p in s.pages], s.files, s.nav
    s = render.render_site(timeline, stream=True, second_process=kind != "here")
    assert all(p.content is None for p in s.pages)
    helper = isinstance(s.pending, render.PendingPages)
    assert helper is (kind != "here"), kind
    if kind == "helper killed":  # this process then renders what has not arrived
        s.pending.helper.kill()
    pages = s.pages
    if kind == "out of order":  # a page asked for early is found, and the rest still are
        pages = pages[5:6] + pages[:5] + pages[6:]
    given = [(p.path, s.pending.content(p.path), p.searchable) for p in pages]
    if kind == "out of order":
        given = [given[1 + i] for i in range(5)] + given[:1] + given[6:]  # back in site order
    return given, s.files, s.nav
kinds = ["at once", "here", "helper", "helper killed", "out of order"]
sites = [site(kind) for kind in kinds]
print("same" if all(other == sites[0] for other in sites[1:]) else "different")
"""
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               timeout=120)
    assert completed.stdout.strip() == "same", completed.stderr[-2000:]


def test_small_timelines_render_in_one_process(monkeypatch):
    monkeypatch.delenv("TIMELINE_RENDER_PROCESSES", raising=False)
    assert render_module._processes(PARALLEL_FROM - 1) == 1
    monkeypatch.setenv("TIMELINE_RENDER_PROCESSES", "1")
    assert render_module._processes(100_000) == 1
