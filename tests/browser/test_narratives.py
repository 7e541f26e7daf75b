"""A reader opens a narrative from the navigation, follows a footnote to its note, and from
the note to the source on the event's permanent page."""

from tests.support.fixtures import screenshot

TRUCE_TITLE = "How the September truce collapsed"


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector, "el => { const r = el.getBoundingClientRect();"
                  " return r.bottom > 0 && r.top < window.innerHeight; }")


def test_a_footnote_leads_to_the_source_on_the_event_page(page, seed_url):
    page.goto(seed_url)
    page.locator("nav.md-nav--primary a.md-nav__link", has_text=TRUCE_TITLE).first.click()
    page.wait_for_url("**/narratives/how-the-september-truce-collapsed/")
    assert page.locator("h1").inner_text().startswith(TRUCE_TITLE)

    paragraph = page.locator("#step-aid-convoy-bombed")
    assert paragraph.inner_text().startswith("Later that month (12–24 September 2016):")
    mark = paragraph.locator("sup.tl-noteref a").first
    number = mark.inner_text().strip("[]")
    mark.click()
    page.wait_for_url(f"**#note-{number}")
    note = page.locator(f"li#note-{number}")
    assert "Reuters" in note.inner_text()
    assert in_view(page, f"li#note-{number}")
    screenshot(page, "narrative-note")

    note.locator("a.tl-note-entry").click()
    page.wait_for_url("**/events/aid-convoy-bombed/#source-1")
    assert page.locator("h1").inner_text().startswith("Aid convoy bombed")
    source = page.locator("li#source-1")
    assert "Reuters" in source.inner_text()
    assert in_view(page, "li#source-1")
    # The event page leads back to the narratives it belongs to.
    assert page.locator("#in-the-narratives + ul a", has_text=TRUCE_TITLE).count() == 1


def test_the_back_link_of_a_note_returns_to_its_paragraph(page, seed_url):
    page.goto(seed_url + "narratives/how-the-september-truce-collapsed/#note-3")
    page.locator("li#note-3 a.tl-backref").click()
    page.wait_for_url("**#ref-3")
    assert in_view(page, "#ref-3")
    assert page.locator("#ref-3").evaluate("el => el.closest('p').id") == "step-aid-convoy-bombed"
