"""What the browser tests share: the pages of the seed site by type, and Material's search
box driven as a reader drives it."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

# One page of each type of the seed site (events.yaml), by URL path.
MONTH = "timeline/2016/09/"
EVENT = "events/government-offensive-on-aleppo-launched/"  # place and actor with Arabic names
ACTOR = "actors/russia/"
SOURCES = "sources/"


def narrative_paths(seed_site) -> list[str]:
    folder = seed_site.site / "narratives"
    paths = sorted(f"narratives/{d.name}/" for d in folder.iterdir() if d.is_dir()) \
        if folder.is_dir() else []
    assert paths, "the seed site has no narrative page"
    return paths


def page_types(seed_site) -> dict[str, str]:
    """Name → URL path of one page of every type a reader meets."""
    return {"home": "", "month": MONTH, "event": EVENT, "narrative": narrative_paths(seed_site)[0],
            "sources": SOURCES, "actor": ACTOR}


def seed_events(seed_site) -> list[dict]:
    return json.loads((seed_site.site / "data" / "events.json").read_text("utf-8"))["events"]


def open_search(page):
    """The search box, opened the way the page offers it (a button on narrow screens)."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").click()
    box.wait_for(state="visible")
    return box


_META = "document.querySelector('.md-search-result__meta').textContent"


def wait_until_still(page):
    """Until no transition runs: the theme slides and fades the search results in, and a
    page measured mid-way is wider, or paler, than any reader sees it."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


def search(page, query: str) -> list[str]:
    """Type a query into the search box; the URL paths of the results, best first."""
    box = open_search(page)
    # The theme searches on key presses, as a reader types; "End" after filling is one.
    box.fill("")
    box.press("End")
    # An empty box shows the prompt once the index is loaded; any answer after it belongs
    # to the new query, not to one typed before.
    page.wait_for_function(f"() => /Type to start/.test({_META})")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"() => /matching document/i.test({_META})")
    wait_until_still(page)
    hrefs = page.locator(".md-search-result__list > li > a").evaluate_all(
        "links => links.map(a => a.href)")
    return [urlsplit(href).path.lstrip("/") for href in hrefs]
