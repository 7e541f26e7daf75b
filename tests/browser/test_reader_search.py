"""A reader finds events with the site's search box: by their words, by who took part and
where, and by their exact title, which puts the event first."""

import pytest

from tests.browser.reading import search, seed_events


def test_every_event_comes_first_when_its_exact_title_is_searched(search_page, seed_site):
    events = seed_events(seed_site)
    assert len(events) >= 20
    misplaced = {}
    for event in events:
        results = search(search_page, event["title"])
        if not results or results[0] != f"events/{event['id']}/":
            misplaced[event["id"]] = results[:3]
    assert not misplaced, f"not the first result for their own title: {misplaced}"


@pytest.mark.parametrize("query, expected", [
    # words of an event's summary
    ("incendiary weapons", "events/un-investigators-examine-alleged-incendiary-weapons/"),
    ("scorched-earth", "events/rebel-groups-statement-on-scorched-earth/"),
    # actors, also when only a claim names them
    ("Churkin", "events/churkin-says-peace-almost-impossible/"),
    ("Samantha Power", "events/us-accuses-russia-of-barbarism/"),
    # places
    ("Handarat", "events/handarat-camp-seized/"),
    ("Handarat", "events/rebels-retake-handarat-camp/"),
])
def test_words_actors_and_places_find_their_events(search_page, query, expected):
    results = search(search_page, query)
    assert expected in results, f"{query!r} did not find {expected}: {results}"


def test_results_lead_to_event_pages_not_to_listings(search_page):
    results = search(search_page, "Aleppo")
    assert len(results) >= 5
    listings = [r for r in results if r.startswith("timeline/") or r.startswith("tags/")
                or (r.startswith(("actors/", "places/", "sources/")) and r.count("/") > 1)]
    assert not listings, f"listing pages in the results: {listings}"
    assert sum(r.startswith("events/") for r in results) >= 5


def test_an_unknown_word_finds_nothing(search_page):
    assert search(search_page, "zzyzxqwv") == []
