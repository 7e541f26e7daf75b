"""On a 390 px phone nothing overflows sideways; printed, an event or a narrative keeps its
citations in full with their web addresses, and leaves the site's chrome off the paper."""

from tests.browser.reading import (EVENT, MONTH, narrative_paths, page_types, search,
                                   wait_until_still)

PHONE_WIDTH = 390

# What a printed link shows after its text (print CSS: a[href]::after { content: … }).
AFTER = "a => getComputedStyle(a, '::after').content"


def overflow(page) -> int:
    wait_until_still(page)
    return page.evaluate("document.documentElement.scrollWidth")


def test_nothing_overflows_a_phone_screen(phone_page, seed_url, seed_site):
    too_wide = {}
    for name, path in page_types(seed_site).items():
        phone_page.goto(seed_url + path)
        if overflow(phone_page) > PHONE_WIDTH:
            too_wide[name] = overflow(phone_page)
    assert search(phone_page, "Aleppo")
    if overflow(phone_page) > PHONE_WIDTH:
        too_wide["search results"] = overflow(phone_page)
    assert not too_wide, f"wider than {PHONE_WIDTH} px: {too_wide}"


def test_a_phone_shows_the_citation_whole(phone_page, seed_url):
    phone_page.goto(seed_url + EVENT)
    blocks = phone_page.locator(".tl-cite pre")
    assert blocks.count() == 2
    for index in range(2):
        sizes = blocks.nth(index).evaluate("p => [p.scrollWidth, p.clientWidth]")
        assert sizes[0] <= sizes[1], "the citation scrolls sideways instead of wrapping"


def test_a_printed_event_shows_every_citation_with_its_address(page, seed_url):
    page.goto(seed_url + EVENT)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), chrome
    sources = page.locator("ol.tl-sources--full > li")
    assert sources.count() >= 2
    with_address = 0
    for index in range(sources.count()):
        source = sources.nth(index)
        assert source.is_visible()
        link = source.locator("cite a[href^='http']")
        if link.count():
            with_address += 1
            # The full citation prints the address itself, once.
            assert link.get_attribute("href") in source.inner_text()
            assert link.evaluate(AFTER) in ("none", "normal")
    assert with_address >= 1
    assert page.locator(".tl-cite pre").first.is_visible()


def test_a_printed_narrative_shows_its_notes_with_their_addresses(page, seed_url, seed_site):
    page.goto(seed_url + narrative_paths(seed_site)[0])
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    notes = page.locator("ol.tl-notes > li")
    assert notes.count() >= 2
    links = page.locator("ol.tl-notes cite a[href^='http']")
    assert links.count() >= 1
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible()
        assert link.get_attribute("href") in link.evaluate(AFTER)


def test_a_printed_month_keeps_the_entries_and_drops_the_filter(page, seed_url):
    page.goto(seed_url + MONTH)
    page.emulate_media(media="print")
    assert not page.locator("form.tl-filter").is_visible()
    entries = page.locator(".tl-entry")
    assert entries.count() >= 10
    assert page.locator(".tl-entry:visible").count() == entries.count()
    link = page.locator(".tl-entry .tl-sources cite a[href^='http']").first
    assert link.get_attribute("href") in link.evaluate(AFTER)
