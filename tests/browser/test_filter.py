"""On a month page, readers narrow the list to a status, an actor or a tag; without
JavaScript they get the whole list and no control that cannot work."""

import pytest

from tests.browser.reading import ACTOR, MONTH, seed_events


@pytest.fixture(scope="module")
def month_events(seed_site):
    events = [e for e in seed_events(seed_site) if e["date"].startswith("2016-09")]
    assert len(events) >= 10
    return events


def entry_actors(event):
    return set(event["actors"]) | {c["by"] for c in event["claims"]}


def visible_entry_ids(page):
    return page.locator(".tl-entry:visible").evaluate_all(
        "entries => entries.map(e => e.previousElementSibling.id)")


def visible_heading_ids(page):
    return page.locator("article h2:visible").evaluate_all("hs => hs.map(h => h.id)")


def test_without_javascript_the_whole_list_shows_and_no_filter(browser, seed_url,
                                                               month_events):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(seed_url + MONTH)
        assert page.locator("form.tl-filter").count() == 1
        assert not page.locator("form.tl-filter").is_visible()
        assert sorted(visible_entry_ids(page)) == sorted(e["id"] for e in month_events)
    finally:
        context.close()


def test_filter_by_status_actor_and_tag(page, seed_url, month_events):
    page.goto(seed_url + MONTH)
    form = page.locator("form.tl-filter")
    assert form.is_visible()
    count = form.locator("[role=status]")
    total = len(month_events)
    assert count.inner_text() == f"{total} of {total} events shown"
    assert count.get_attribute("aria-live") == "polite"

    # Status: only the confirmed entries, headings included, and the count says so.
    page.get_by_label("Status").select_option("confirmed")
    confirmed = [e["id"] for e in month_events if e["status"] == "confirmed"]
    assert 0 < len(confirmed) < total
    assert sorted(visible_entry_ids(page)) == sorted(confirmed)
    assert set(confirmed) <= set(visible_heading_ids(page))
    assert not set(visible_heading_ids(page)) & (
        {e["id"] for e in month_events} - set(confirmed))
    assert count.inner_text() == f"{len(confirmed)} of {total} events shown"
    assert "status=confirmed" in page.url

    # Status and actor together: both must hold.
    page.get_by_label("Status").select_option("")
    page.get_by_label("Actor").select_option("russia")
    page.get_by_label("Tag").select_option("diplomacy")
    expected = [e["id"] for e in month_events
                if "russia" in entry_actors(e) and "diplomacy" in e["tags"]]
    assert 0 < len(expected) < total
    assert sorted(visible_entry_ids(page)) == sorted(expected)

    # The choices are in the address: reloading (or sharing it) keeps them.
    page.reload()
    assert page.get_by_label("Actor").input_value() == "russia"
    assert sorted(visible_entry_ids(page)) == sorted(expected)

    # A combination nothing matches says so, and "Show all" brings everything back.
    page.get_by_label("Actor").select_option("")
    confirmed_tags = {t for e in month_events if e["status"] == "confirmed" for t in e["tags"]}
    other_tag = sorted({t for e in month_events for t in e["tags"]} - confirmed_tags)[0]
    page.get_by_label("Status").select_option("confirmed")
    page.get_by_label("Tag").select_option(other_tag)
    assert visible_entry_ids(page) == []
    assert count.inner_text() == "No event matches these choices."
    page.get_by_role("button", name="Show all").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.tl-entry:not([hidden])').length === {total}")
    assert count.inner_text() == f"{total} of {total} events shown"
    assert "status=" not in page.url and "actor=" not in page.url


def test_an_actor_page_filters_its_own_events(page, seed_url):
    page.goto(seed_url + ACTOR)
    entries = page.locator(".tl-entry")
    total = entries.count()
    assert total > 1
    statuses = page.get_by_label("Status").locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)")
    assert statuses
    page.get_by_label("Status").select_option(statuses[0])
    shown = page.locator(".tl-entry:visible")
    assert 0 < shown.count() <= total
    assert set(shown.evaluate_all("es => es.map(e => e.dataset.status)")) == {statuses[0]}


def test_an_unknown_choice_in_the_address_hides_nothing(page, seed_url, month_events):
    page.goto(seed_url + MONTH + "?status=nonsense&tag=%3Cscript%3E")
    assert len(visible_entry_ids(page)) == len(month_events)
    assert page.get_by_label("Status").input_value() == ""
