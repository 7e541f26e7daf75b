"""Names in other scripts: an Arabic name renders right to left, isolated inside the
left-to-right text around it, and a reader who types it into the search box finds the
events of that place or actor."""


from tests.browser.reading import ACTOR, EVENT, search, seed_events

RENDERING = """bdi => {
    // Where the first and the last letter are drawn: right to left puts the first on the right.
    const text = bdi.firstChild, range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, 1);
    const first = range.getBoundingClientRect();
    range.setStart(text, text.length - 1); range.setEnd(text, text.length);
    const last = range.getBoundingClientRect();
    const style = getComputedStyle(bdi);
    return {text: text.data, direction: style.direction, isolation: style.unicodeBidi,
            lang: bdi.lang, firstRight: first.left > last.left,
            around: getComputedStyle(bdi.parentElement).direction};
}"""


def test_an_arabic_place_name_renders_right_to_left_inside_english(page, seed_url):
    page.goto(seed_url + EVENT)
    bdi = page.locator(".tl-meta .tl-place bdi")
    assert bdi.count() == 1
    shown = bdi.evaluate(RENDERING)
    assert shown["text"] == "حلب" and shown["lang"] == "ar"
    assert shown["direction"] == "rtl"
    assert shown["isolation"] == "isolate"
    assert shown["firstRight"], "the Arabic letters are drawn left to right"
    assert shown["around"] == "ltr"
    # The isolate keeps the English order around it: "Aleppo (حلب)".
    assert page.locator(".tl-meta .tl-place").inner_text() == "Place: Aleppo (حلب)"


def test_the_names_of_actors_render_right_to_left_on_their_pages(page, seed_url):
    page.goto(seed_url + ACTOR)
    bdi = page.locator(".tl-names bdi[lang=ar]")
    assert bdi.count() == 1
    shown = bdi.evaluate(RENDERING)
    assert shown["text"] == "روسيا"
    assert shown["direction"] == "rtl" and shown["firstRight"]


def test_searching_a_place_name_in_arabic_finds_its_events(search_page, seed_site):
    events = [e for e in seed_events(seed_site) if e["place"] == "aleppo"]
    assert len(events) >= 2
    results = search(search_page, "حلب")
    missing = [e["id"] for e in events if f"events/{e['id']}/" not in results]
    assert not missing, f"حلب does not find {missing}; results: {results}"


def test_searching_an_actor_name_in_arabic_finds_their_events(search_page, seed_site):
    events = {f"events/{e['id']}/" for e in seed_events(seed_site)
              if "russia" in e["actors"] or any(c["by"] == "russia" for c in e["claims"])}
    assert len(events) >= 3
    results = search(search_page, "روسيا")
    found = [r for r in results if r.startswith("events/")]
    # The theme lists the first ten results until the reader scrolls.
    assert len(found) >= min(len(events), 10)
    assert set(found) <= events, f"results without Russia: {set(found) - events}"
