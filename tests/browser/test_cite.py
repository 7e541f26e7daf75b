"""Every event page offers "cite this entry": plain text and BibTeX, with the entry's
permanent address and the date the reader accessed it."""

import datetime
import re

from tests.browser.reading import EVENT, seed_events


def cite_blocks(page):
    blocks = page.locator(".tl-cite pre code")
    assert blocks.count() == 2
    return blocks.nth(0).inner_text(), blocks.nth(1).inner_text()


def reader_today() -> set[str]:
    # The browser and the test run on the same machine; a run across midnight may see either.
    today = datetime.date.today()
    return {d.isoformat() for d in (today - datetime.timedelta(days=1), today,
                                    today + datetime.timedelta(days=1))}


def long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def test_cite_gives_plain_text_and_bibtex_with_address_and_access_date(page, seed_url,
                                                                       seed_site):
    event = next(e for e in seed_events(seed_site) if f"events/{e['id']}/" == EVENT)
    page.goto(seed_url + EVENT)
    heading = page.get_by_role("heading", name="Cite this entry")
    assert heading.is_visible()
    text, bibtex = cite_blocks(page)
    address = seed_url + EVENT  # no site_url is configured: the address the reader reads

    assert f"“{event['title']}.”" in text
    assert address in text
    accessed = re.search(r"\(accessed (.+?)\)\.$", text)
    assert accessed and accessed.group(1) in {long_date(d) for d in reader_today()}
    assert not page.locator(".tl-cite-note").is_visible()  # nothing left to fill in

    assert bibtex.startswith(f"@misc{{{event['id']},")
    assert bibtex.count("{") == bibtex.count("}")
    assert f"title = {{{{{event['title']}}}}}" in bibtex
    assert f"url = {{{address}}}" in bibtex
    urldate = re.search(r"urldate = \{(\d{4}-\d{2}-\d{2})\}", bibtex)
    assert urldate and urldate.group(1) in reader_today()

    # The address in the citation is the entry itself.
    page.goto(address)
    assert page.locator("h1").inner_text().startswith(event["title"])


def test_without_javascript_the_citation_asks_for_the_date(browser, seed_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(seed_url + EVENT)
        text, bibtex = cite_blocks(page)
        assert f"{EVENT} (accessed [date of access])." in text
        assert "urldate = {YYYY-MM-DD}" in bibtex
        note = page.locator(".tl-cite .tl-cite-note")
        assert note.is_visible() and "Replace the access date" in note.inner_text()
    finally:
        context.close()
