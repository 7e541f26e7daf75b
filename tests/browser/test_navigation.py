"""A reader's path through the site, by clicking: home → the timeline → a month → an event →
one of its sources → a narrative telling the event → back to the event in the timeline."""

import re

from playwright.sync_api import expect

from tests.browser.reading import EVENT, MONTH


def at(page, url_path: str, under: bool = False):
    """Wait until the browser shows the page at this path, or a page under it (clicks
    navigate asynchronously)."""
    rest = r"[^?#]+/" if under else ""
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/" + re.escape(url_path) + rest
                                        + r"(?:[?#].*)?$"))
    page.wait_for_load_state()


def text_of(heading) -> str:
    """A heading's words, without the theme's "¶" permalink."""
    return heading.inner_text().strip().removesuffix("¶").strip()


def heading(page) -> str:
    return text_of(page.locator("article h1"))


def test_home_month_event_source_narrative_and_back_to_the_timeline(page, seed_url):
    event_id = EVENT.split("/")[1]

    page.goto(seed_url)
    page.locator("article").get_by_role("link", name="timeline", exact=True).first.click()
    at(page, "timeline/")
    page.locator("article").get_by_role("link", name="September 2016", exact=True).click()
    at(page, MONTH)
    assert heading(page) == "September 2016"

    # The month lists the event; its link leads to the event's own page.
    entry = page.locator(f"h2#{event_id} + .tl-entry")
    title = text_of(page.locator(f"h2#{event_id}"))
    entry.get_by_role("link", name="Full entry, with every citation").click()
    at(page, EVENT)
    assert heading(page).startswith(title)

    # A source of the event, and the event among the entries citing it.
    first_source = page.locator("ol.tl-sources--full > li").first
    source_title = first_source.locator("cite").inner_text().strip()
    first_source.get_by_role("link", name="About this source").click()
    at(page, "sources/", under=True)
    assert heading(page).startswith(source_title)
    page.locator("ul.tl-citing").get_by_role("link", name=title).click()
    at(page, EVENT)

    # The narratives that tell the event, listed on its page.
    narratives = page.locator("h2#in-the-narratives + ul a")
    assert narratives.count() >= 1
    narrative_title = narratives.first.inner_text().strip()
    narratives.first.click()
    at(page, "narratives/", under=True)
    assert heading(page) == narrative_title
    step = page.locator(f"#step-{event_id}")
    expect(step).to_be_visible()

    # From the narrative to the entry, and from the entry back to its place in the timeline.
    step.get_by_role("link", name=f"Full entry: {title}").click()
    at(page, EVENT)
    page.get_by_role("link", name="See this event in the timeline").click()
    at(page, MONTH + "#" + event_id)
    expect(page.locator(f"h2#{event_id}")).to_be_in_viewport()

    # And the browser's Back button retraces the path.
    page.go_back()
    at(page, EVENT)
    page.go_back()
    at(page, "narratives/", under=True)
