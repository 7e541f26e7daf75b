"""The seed site opens in a real browser and an event page shows its sources."""

from tests.support.fixtures import screenshot


def test_event_page_shows_its_numbered_sources(page, seed_url):
    page.goto(seed_url + "events/aid-convoy-bombed/")
    assert page.locator("h1").inner_text().startswith("Aid convoy bombed")
    sources = page.locator("ol.tl-sources > li")
    assert sources.count() >= 1
    assert "Reuters" in sources.first.inner_text()
    screenshot(page, "event-desktop")
