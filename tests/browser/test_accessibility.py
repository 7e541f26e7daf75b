"""Accessibility as axe-core measures it, and as a keyboard user and a colour-blind reader
meet it: no serious or critical violation on any page type or on the search results; Tab
alone reaches the search and every entry; a status is written, not only coloured."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.reading import MONTH, page_types, search

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def blocking_violations(axe, page) -> list[str]:
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_on_any_page_type(browser, seed_url, seed_site, axe, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    try:
        found = {}
        for name, path in page_types(seed_site).items():
            page.goto(seed_url + path)
            found[name] = blocking_violations(axe, page)
        results = search(page, "Aleppo")
        assert len(results) >= 5
        found["search results"] = blocking_violations(axe, page)
        assert not any(found.values()), {k: v for k, v in found.items() if v}
    finally:
        context.close()


def test_keyboard_alone_reaches_the_search_the_filter_and_every_entry(page, seed_url):
    page.goto(seed_url + MONTH)
    page.evaluate("""() => {
        window.reached = [];
        document.addEventListener('focusin', event => window.reached.push(event.target));
    }""")
    entry_links = page.locator(".tl-entry .tl-permalink a")
    wanted = entry_links.count()
    assert wanted >= 10
    # A full round: every focusable element once, then back at the start of the page.
    for _ in range(1000):
        page.keyboard.press("Tab")
        if page.evaluate("window.reached.length > 1 && "
                         "document.activeElement === window.reached[0]"):
            break
    else:
        pytest.fail("Tab never came back to the start of the page")
    reached = page.evaluate("""() => ({
        search: window.reached.some(e => e.matches('input.md-search__input')),
        filters: window.reached.filter(e => e.matches('form.tl-filter select')).length,
        entries: new Set(window.reached.filter(e => e.matches('.tl-entry .tl-permalink a'))).size,
    })""")
    assert reached["search"], "Tab does not reach the search box"
    assert reached["filters"] == 3
    assert reached["entries"] == wanted


def test_search_works_from_the_keyboard(page, seed_url):
    page.goto(seed_url + MONTH)
    page.keyboard.press("/")  # the theme's shortcut, announced in its search box
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("Handarat")
    page.wait_for_selector(".md-search-result__list > li")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/**")
    assert "Handarat" in page.locator("h1").inner_text()


def test_the_status_is_written_not_only_coloured(page, seed_url):
    page.goto(seed_url + MONTH)
    statuses = page.locator(".tl-entry").evaluate_all("""entries => entries.map(entry => [
        entry.dataset.status,
        entry.querySelector('.tl-status').innerText.trim(),
    ])""")
    assert len(statuses) >= 10
    labels = {"confirmed": "Confirmed", "reported": "Reported", "claimed": "Claimed",
              "disputed": "Disputed"}
    assert len({status for status, _ in statuses}) >= 3
    for status, text in statuses:
        assert text.endswith(labels[status]), (status, text)
