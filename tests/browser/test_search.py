"""In Chromium: a reader types into Material's search box, follows a result and lands on the
event's permanent page; and without JavaScript the timeline and event pages still read."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.support.fixtures import screenshot

QUERIES = [
    ("convoy", "aid-convoy-bombed"),
    ("Handarat", "handarat-camp-seized"),
    ("Churkin", "churkin-says-peace-almost-impossible"),
    ("Security Council", "un-security-council-meets-on-aleppo"),
]


@pytest.fixture(scope="module")
def reader(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _events(seed_site) -> dict[str, dict]:
    document = json.loads((seed_site.site / "data" / "events.json").read_text("utf-8"))
    return {event["id"]: event for event in document["events"]}


_META = "(document.querySelector('.md-search-result__meta') || {}).textContent"


def _search(page, query: str):
    """Type a query as a reader does; the result links, once the theme has answered."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens hide the box behind a button
        page.locator("label.md-header__button[for='__search']").click()
    box.click()
    # The prompt shows once the search index has loaded: only then is typing answered.
    page.wait_for_function(f"() => /Type to start/.test({_META})", timeout=30_000)
    box.press_sequentially(query, delay=20)
    page.wait_for_function(f"() => /matching document/i.test({_META})", timeout=30_000)
    return page.locator(".md-search-result__list a.md-search-result__link")


@pytest.mark.parametrize("query, event_id", QUERIES)
def test_a_search_result_leads_to_the_event_permalink(reader, seed_url, seed_site, query,
                                                      event_id):
    title = _events(seed_site)[event_id]["title"]
    reader.goto(seed_url)
    links = _search(reader, query)
    paths = [urlsplit(href).path for href in links.evaluate_all("as => as.map(a => a.href)")]
    target = f"/events/{event_id}/"
    assert target in paths, f"{query!r} found {paths}"
    assert all(path.startswith("/events/") or "/events/" not in path for path in paths)
    links.nth(paths.index(target)).click()
    reader.wait_for_url(re.compile(re.escape(target)))
    assert urlsplit(reader.url).path == target
    assert reader.locator("article h1").inner_text().startswith(title)
    assert reader.locator("ol.tl-sources--full > li").count() >= 1


def test_the_site_reads_without_javascript(browser, seed_url, seed_site):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        events = [e for e in _events(seed_site).values() if e["date"].startswith("2016-09")]
        page.goto(seed_url + "timeline/2016/09/")
        entries = page.locator(".tl-entry")
        assert entries.count() == len(events) > 10
        assert page.locator(".tl-entry:visible").count() == entries.count()
        assert page.locator("form.tl-filter:visible").count() == 0
        first = entries.first
        assert first.locator("time.tl-date").is_visible()
        assert first.locator("ol.tl-sources > li").first.is_visible()
        screenshot(page, "month-without-javascript-phone")
        page.locator(".tl-entry .tl-permalink a").first.click()
        page.wait_for_url(re.compile(r"/events/[a-z0-9-]+/$"))
        assert page.locator("article h1").is_visible()
        assert page.locator("ol.tl-sources--full > li").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the event page scrolls sideways on a phone ({width}px)"
    finally:
        context.close()
