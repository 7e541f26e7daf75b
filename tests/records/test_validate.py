"""The record checks (builder/records/validate.py, through builder/records/check.py): every rule, positioned.

Most tests change a line or two of one valid file, BASE, and state the exact problems as
(line, column, rule): the position is that of the offending key or value, or, for something
missing, of the record that lacks it.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from builder.records.check import check_bytes, check_text
from builder.records.problems import Level

TODAY = date(2026, 11, 25)

BASE = """\
timeline:
  title: Aleppo, September 2016
  description: The truce and after.
sources:
  reuters:
    title: Reuters report
    publisher: Reuters
    published: "2016-09-25"
    url: https://example.org/r
  bloomberg:
    title: Bloomberg report
    publisher: Bloomberg
    published: 2016-09~
actors:
  syrian-army:
    name: Syrian army
    names: {ar: الجيش}
  rebels:
    name: Rebels
places:
  aleppo:
    name: Aleppo
    lat: 36.2
    lon: 37.16
events:
  - id: offensive
    date: 2016-09-22
    title: Offensive
    summary: The army launched an offensive.
    status: reported
    place: aleppo
    actors: [syrian-army]
    tags: [military]
    claims:
      - by: rebels
        text: Thousands killed.
        source: reuters
    sources:
      - source: reuters
        quote: A quote.
      - bloomberg
  - id: truce
    date: "2016-09-12/2016-09-24"
    title: Truce
    summary: A truce.
    status: confirmed
    sources: [reuters]
narratives:
  - id: story
    title: Story
    intro: The story.
    events: [offensive]
  - id: military
    title: Military
    intro: Military events.
    tags: [military]
"""


def edit(replace: dict[int, str] | None = None, after: dict[int, str] | None = None,
         text: str = BASE) -> str:
    """BASE with whole lines replaced (by number, 1-based; "" deletes the line) or inserted."""
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines, 1):
        new = (replace or {}).get(number, line)
        if new != "" or line == "":
            out.extend(new.split("\n"))
        if number in (after or {}):
            out.extend((after or {})[number].split("\n"))
    return "\n".join(out)


def check(text: str):
    return check_text(text, "events.yaml", today=TODAY)


def found(text: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.rule) for p in check(text).problems]


def message(text: str, rule: str) -> str:
    [problem] = [p for p in check(text).problems if p.rule == rule]
    return problem.message


# -- the valid file -----------------------------------------------------------------------------

def test_the_base_file_is_valid_and_builds_the_timeline():
    result = check(BASE)
    assert result.problems == []
    timeline = result.timeline
    assert [e.id for e in timeline.events] == ["truce", "offensive"]  # by date
    offensive = timeline.events_by_id["offensive"]
    assert (offensive.line, offensive.column) == (26, 5)
    assert offensive.date.text == "2016-09-22"  # an unquoted date is simply a date
    assert [c.source for c in offensive.citations] == ["reuters", "bloomberg"]
    assert offensive.citations[0].quote == "A quote."
    assert offensive.claims[0].by == "rebels"
    assert timeline.places["aleppo"].lat == 36.2
    assert timeline.actors["syrian-army"].names == (("ar", "الجيش"),)
    assert [n.id for n in timeline.narratives] == ["story", "military"]


@pytest.mark.parametrize("line, text", [
    (2, "  title: NO"), (29, "    summary: 1:30"), (26, "  - id: 017"), (28, "    title: yes"),
    (28, "    title: 2016-09-24"), (29, "    summary: ~x"), (3, "  description: null pointer"),
])
def test_every_scalar_is_text(line, text):
    result = check(edit({line: text} | ({52: "    events: [017]"} if "017" in text else {})))
    assert result.problems == []


def test_a_byte_order_mark_and_windows_line_endings_are_accepted():
    data = b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode("utf-8")
    result = check_bytes(data, "events.yaml", today=TODAY)
    assert result.problems == [] and result.timeline is not None
    assert result.timeline.title == "Aleppo, September 2016"


# -- fields ------------------------------------------------------------------------------------

def test_unknown_fields_with_and_without_a_suggestion():
    text = edit({28: "    titel: Offensive"}, after={3: "  colour: red", 8: "    publised: 2016"})
    assert found(text) == [(4, 3, "unknown-field"), (10, 5, "unknown-field"),
                           (28, 5, "missing-field"), (30, 5, "unknown-field")]
    assert message(edit(after={3: "  colour: red"}), "unknown-field") == \
        "the timeline header has a field 'colour' that the format does not know"
    assert message(edit({28: "    titel: Offensive"}), "unknown-field") == \
        "event 'offensive' has a field 'titel' that the format does not know; did you mean 'title'?"


def test_a_field_name_with_an_invisible_space_says_so():
    text = edit({28: "    \u00a0title: Offensive"})
    assert found(text) == [(26, 5, "missing-field"), (28, 5, "unknown-field")]
    assert "extra or invisible spaces" in message(text, "unknown-field")


def test_missing_fields_are_reported_at_the_record_that_lacks_them():
    # the position of a record is that of its first field
    text = edit({6: "", 28: "", 51: ""})
    assert found(text) == [(6, 5, "missing-field"), (25, 5, "missing-field"),
                           (47, 5, "missing-field")]
    assert [p.message for p in check(text).problems] == [
        "source 'reuters' has no 'title'; every source needs one",
        "event 'offensive' has no 'title'; every event needs one",
        "narrative 'story' has no 'intro'; every narrative needs one"]


def test_missing_sections_and_header_title():
    text = "timeline:\n  description: x\n"
    assert found(text) == [(1, 1, "missing-field"), (1, 1, "missing-field"),
                           (2, 3, "missing-field")]
    assert [p.message for p in check(text).problems] == [
        "the file has no 'events' section; add one",
        "the file has no 'sources' section; add one",
        "the timeline header has no 'title'; add one"]


def test_a_claim_without_by():
    text = edit({35: "      - text: Thousands killed.", 36: ""})
    assert found(text) == [(35, 9, "missing-field")]
    assert message(text, "missing-field") == \
        "claim 1 of event 'offensive' does not say who makes it; add 'by:' with an actor id"


@pytest.mark.parametrize("line, text, position", [
    (29, '    summary: ""', (29, 14)),
    (29, "    summary:", (29, 13)),
    (29, "    summary: ~", (29, 14)),
    (29, "    summary: '   '", (29, 14)),
    (6, "    title: null", (6, 12)),
    (16, "    name:", (16, 10)),
    (30, "    status:", (30, 12)),
])
def test_empty_required_values(line, text, position):
    assert found(edit({line: text})) == [(*position, "empty-value")]


def test_empty_optional_values_are_fine():
    text = edit({3: "  description:", 9: '    url: ""', 32: "    actors: []", 24: "    lon: ~",
                 23: "    lat:"}, after={9: '    archive_url:\n    author: ""\n    note: ~'})
    assert found(text) == []


def test_empty_required_sections():
    text = "timeline:\n  title: x\nsources:\nevents: []\n"
    assert found(text) == [(3, 9, "empty-value"), (4, 9, "empty-value")]
    assert [p.message for p in check(text).problems] == [
        "'sources' is empty; list the sources the events cite",
        "'events' is empty; add at least one event"]


# -- types -------------------------------------------------------------------------------------

def test_text_where_a_list_is_due():
    text = edit({32: "    actors: syrian-army", 33: "    tags: military",
                 47: "    sources: reuters"})
    assert found(text) == [(32, 13, "wrong-type"), (33, 11, "wrong-type"), (47, 14, "wrong-type")]
    assert message(edit({33: "    tags: military"}), "wrong-type") == (
        "event 'offensive': 'tags' should be a list of tags, like [military, aid], but here it "
        "is text")


def test_a_list_or_mapping_where_text_is_due():
    text = edit({28: "    title: [Offensive]", 7: "    publisher: {name: Reuters}"})
    assert found(text) == [(7, 16, "wrong-type"), (28, 12, "wrong-type")]
    assert message(edit({28: "    title: [Offensive]"}), "wrong-type") == \
        "event 'offensive': the title should be text, but here it is a list"


def test_records_of_the_wrong_shape():
    text = edit({15: "  syrian-army: Syrian army", 16: "", 17: "", 1: "timeline: Aleppo",
                 2: "", 3: ""}, after={47: "  - just a line of text"})
    assert found(text) == [(1, 11, "wrong-type"), (13, 16, "wrong-type"),
                           (44, 5, "wrong-type")]


def test_a_file_that_is_a_list():
    assert found("- timeline\n- events\n") == [(1, 1, "wrong-type")]


def test_too_long_text():
    text = edit({28: "    title: " + "x" * 301, 29: "    summary: " + "y" * 10_000})
    assert found(text) == [(28, 12, "too-long")]
    assert message(text, "too-long") == \
        "event 'offensive': the title is 301 characters long; the limit is 300"
    assert found(edit({30: "    status: " + "x" * 101})) == [(30, 13, "too-long")]


# -- ids, tags, statuses -------------------------------------------------------------------------

@pytest.mark.parametrize("written, suggestion", [
    ("Offensive", "offensive"), ("army offensive", "army-offensive"), ("off--ensive", "off-ensive"),
    ("-offensive", "offensive"), ("offensive_2", "offensive-2"), ("émigrés", "emigres"),
    ("حلب", None),
])
def test_invalid_event_ids(written, suggestion):
    text = edit({26: f"  - id: {written}", 52: f"    events: [{written}]"})
    assert found(text) == [(26, 9, "invalid-id")]
    said = message(text, "invalid-id")
    assert said.startswith(f"the event id '{written}' is not a valid id: use only lowercase "
                           "letters, digits and single hyphens")
    assert said.endswith(f", like '{suggestion}'" if suggestion else "hyphens")


def test_invalid_source_actor_and_place_ids_do_not_break_their_references():
    text = BASE.replace("reuters", "Reuters").replace("syrian-army", "Syrian Army") \
        .replace("aleppo", "Aleppo")
    assert found(text) == [(5, 3, "invalid-id"), (15, 3, "invalid-id"), (21, 3, "invalid-id")]


def test_invalid_tags():
    text = edit({33: "    tags: [Military, air strikes, ok-tag]", 56: "    tags: [military-]"})
    assert found(text) == [(33, 12, "invalid-tag"), (33, 22, "invalid-tag"),
                           (56, 12, "invalid-tag")]


@pytest.mark.parametrize("written, suggestion", [
    ("confirmd", "; did you mean 'confirmed'?"), ("Reported", "; did you mean 'reported'?"),
    ("true", ""),
])
def test_invalid_status(written, suggestion):
    text = edit({30: f"    status: {written}"})
    assert found(text) == [(30, 13, "invalid-status")]
    assert message(text, "invalid-status") == (
        f"event 'offensive': '{written}' is not a status; use one of confirmed, reported, "
        f"claimed, disputed{suggestion}")


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, words", [
    ("2016-02-30", "'2016-02-30' has the day 30, but February 2016 has 29 days"),
    ("2015-02-29", "'2015-02-29' has the day 29, but February 2015 has 28 days"),
    ("2016-13", "'2016-13' has the month 13; months run from 01 to 12"),
    ("20 September 2016", "'20 September 2016' is not a date this format understands"),
    ("2016-09-22T10:00", "is not a date this format understands"),
    ("Sept. 2016", "is not a date this format understands"),
])
def test_invalid_dates(written, words):
    text = edit({27: f"    date: {written}"})
    assert found(text) == [(27, 11, "invalid-date")]
    assert message(text, "invalid-date").startswith("event 'offensive': the date: ")
    assert words in message(text, "invalid-date")


def test_an_interval_that_ends_before_it_starts():
    text = edit({43: '    date: "2016-09-24/2016-09-12"'})
    assert found(text) == [(43, 11, "date-order")]
    assert message(text, "date-order") == ("event 'truce': the date: the span "
                                           "'2016-09-24/2016-09-12' ends before it starts; "
                                           "write the earlier date first")


def test_dates_in_the_future():
    text = edit({27: "    date: 2026-11-26", 8: "    published: 2027"})
    assert found(text) == [(8, 16, "future-date"), (27, 11, "future-date")]
    assert message(edit({27: "    date: 2026-11-26"}), "future-date") == (
        "event 'offensive': the date '2026-11-26' lies in the future (today is 2026-11-25); "
        "check the year")
    # today, and a span or month that has begun, are not in the future
    assert found(edit({27: "    date: 2026-11-25", 43: '    date: "2026-11"'})) == []


def test_an_access_date_must_be_one_exact_day():
    text = edit(after={9: '    accessed: "2026-11"'})
    assert found(text) == [(10, 15, "invalid-date")]
    assert found(edit(after={9: "    accessed: 2026-11-20"})) == []


def test_a_narrative_whose_to_comes_before_its_from():
    text = edit(after={56: '    from: "2016-09-30"\n    to: 2016-09-01'})
    assert found(text) == [(58, 9, "date-order")]


def test_dates_with_surrounding_spaces_in_quotes_are_accepted():
    assert found(edit({27: '    date: " 2016-09-22 "'})) == []


# -- references ----------------------------------------------------------------------------------

def test_references_to_ids_that_do_not_exist():
    text = edit({31: "    place: alepo", 32: "    actors: [syrian-army, rebel, nobody]",
                 37: "        source: reuter", 41: "      - blomberg",
                 52: "    events: [ofensive]"})
    assert found(text) == [(10, 3, "unused-source"), (31, 12, "unknown-place"),
                           (32, 27, "unknown-actor"), (32, 34, "unknown-actor"),
                           (37, 17, "unknown-source"), (41, 9, "unknown-source"),
                           (52, 14, "unknown-event")]
    said = {p.line: p.message for p in check(text).problems}
    assert said[31] == ("event 'offensive': the place 'alepo' is not listed under 'places'; "
                        "did you mean 'aleppo'?")
    assert [p.message for p in check(text).problems if p.line == 32] == [
        "event 'offensive': the actor 'rebel' is not listed under 'actors'; did you mean 'rebels'?",
        "event 'offensive': the actor 'nobody' is not listed under 'actors'"]
    assert said[37] == ("claim 1 of event 'offensive': the source 'reuter' is not listed under "
                        "'sources'; did you mean 'reuters'?")
    assert said[52] == ("narrative 'story': the event 'ofensive' is not listed under 'events'; "
                        "did you mean 'offensive'?")


def test_an_unknown_claim_actor():
    text = edit({35: "      - by: rebbels"})
    assert found(text) == [(35, 13, "unknown-actor")]
    assert message(text, "unknown-actor") == ("claim 1 of event 'offensive': the actor 'rebbels' "
                                              "is not listed under 'actors'; did you mean "
                                              "'rebels'?")


@pytest.mark.parametrize("replace, position", [
    ({38: "", 39: "", 40: "", 41: ""}, (26, 5)),  # no 'sources' at all
    ({47: "    sources: []"}, (47, 14)),
    ({47: "    sources:"}, (47, 13)),
])
def test_an_event_without_sources(replace, position):
    text = edit(replace)
    expected = [(*position, "missing-source")]
    if 38 in replace:  # bloomberg is then cited nowhere
        expected = [(10, 3, "unused-source"), (*position, "missing-source")]
    assert found(text) == expected
    label = "event 'offensive'" if 38 in replace else "event 'truce'"
    assert message(text, "missing-source") == \
        f"{label} has no sources; every event needs at least one"


def test_an_unused_source_is_a_warning_and_the_timeline_is_still_built():
    unused = "  unused:\n    title: U\n    publisher: P\n    published: 2016"
    result = check(edit(after={13: unused}))
    assert [(p.line, p.column, p.rule, p.level) for p in result.problems] == [
        (14, 3, "unused-source", Level.WARNING)]
    assert result.problems[0].message == "source 'unused' is listed but no event cites it"
    assert result.ok and result.timeline is not None


def test_a_source_cited_only_by_a_claim_is_used():
    assert found(edit({37: "        source: bloomberg", 41: ""})) == []


def test_a_record_with_a_problem_of_its_own_does_not_make_its_references_errors():
    # an event with a bad date, an actor without a name, a place without a name
    text = edit({27: "    date: 2016-02-30", 19: "    description: no name",
                 22: "    description: x"})
    assert found(text) == [(19, 5, "missing-field"), (22, 5, "missing-field"),
                           (27, 11, "invalid-date")]


# -- urls ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", '"JaVaScRiPt:alert(1)"',
    '"   javascript:alert(1)"', '"\\tjavascript:alert(1)"', "vbscript:msgbox", "file:///etc/passwd",
    "javascript :alert(1)",
])
def test_unsafe_urls(written):
    text = edit({9: f"    url: {written}"})
    assert found(text) == [(9, 10, "unsafe-url")]
    assert "address, which is never allowed" in message(text, "unsafe-url")


@pytest.mark.parametrize("written", [
    "www.example.org/page", "ftp://example.org/f", "https://", "https:///path",
    '"https://example.org/a page"', '"http://[abc"', '"http://a]b/"', "mailto:x@example.org",
    '"https://example.org/<script>"', "https://exa$mple.org/", '"http://ex\u2100ample.com/"',
    "//example.org/a", "example",
])
def test_invalid_urls(written):
    text = edit({9: f"    url: {written}"})
    assert found(text) == [(9, 10, "invalid-url")]


def test_archive_urls_are_checked_too():
    assert found(edit(after={9: "    archive_url: javascript:x"})) == [(10, 18, "unsafe-url")]


@pytest.mark.parametrize("written", [
    "https://example.org", "HTTPS://EXAMPLE.ORG/A?b=c#d", "http://example.org:8080/x",
    "https://user:secret@example.org/", "http://\u4f8b\u3048.jp/", '"  https://example.org  "',
    "https://web.archive.org/web/2016/https://www.reuters.com/x",
])
def test_valid_urls(written):
    assert found(edit({9: f"    url: {written}"})) == []


# -- places and languages --------------------------------------------------------------------------

@pytest.mark.parametrize("lat, lon, expected", [
    ("36,2", "37.16", [(23, 10, "invalid-coordinate")]),
    ("north", "37.16", [(23, 10, "invalid-coordinate")]),
    ("nan", "inf", [(23, 10, "invalid-coordinate"), (24, 10, "invalid-coordinate")]),
    ("1e3", "37", [(23, 10, "invalid-coordinate")]),
    ("90.0001", "37", [(23, 10, "invalid-coordinate")]),
    ("-91", "181", [(23, 10, "invalid-coordinate"), (24, 10, "invalid-coordinate")]),
    ('"\u0663\u0666.\u0662"', "37", [(23, 10, "invalid-coordinate")]),
    ("[36, 2]", "37", [(23, 10, "wrong-type")]),
    ("90", "-180", []), ("-90", "180", []), ("0", "-0.0", []), (".5", "5.", []),
    ('"36.2"', "+37", []),
])
def test_coordinates(lat, lon, expected):
    assert found(edit({23: f"    lat: {lat}", 24: f"    lon: {lon}"})) == expected


def test_coordinate_messages():
    assert message(edit({23: "    lat: 36,2"}), "invalid-coordinate") == \
        "place 'aleppo': the latitude '36,2' is not a number; write decimal degrees like 36.2"
    assert message(edit({24: "    lon: 181"}), "invalid-coordinate") == \
        "place 'aleppo': the longitude 181 is out of range; it must lie between -180 and 180"


@pytest.mark.parametrize("removed, kept", [(23, "lon"), (24, "lat")])
def test_only_one_of_lat_and_lon(removed, kept):
    text = edit({removed: ""})
    assert found(text) == [(22, 5, "invalid-coordinate")]
    assert message(text, "invalid-coordinate") == \
        "place 'aleppo' has only one of 'lat' and 'lon'; give both or neither"


def test_invalid_languages():
    text = edit({17: "    names: {ar: الجيش, Arabic: x, en-GB: y, e: z}"},
                after={9: "    language: English"})
    assert found(text) == [(10, 15, "invalid-language"), (18, 24, "invalid-language"),
                           (18, 45, "invalid-language")]
    assert [p.message for p in check(text).problems][:2] == [
        "source 'reuters': 'English' is not a language code; use a code like 'en', 'ar' or 'ru'",
        "actor 'syrian-army': 'Arabic' is not a language code; use a code like 'ar', 'ru' or 'en'"]


# -- duplicate ids and narratives ----------------------------------------------------------------

def test_duplicate_event_and_narrative_ids():
    text = edit({42: "  - id: offensive", 53: "  - id: story", 52: "    events: [offensive]"})
    assert found(text) == [(42, 9, "duplicate-id"), (53, 9, "duplicate-id")]
    said = [p.message for p in check(text).problems]
    assert said == ["the event id 'offensive' is already used by the event on line 26; every "
                    "event needs its own id",
                    "the narrative id 'story' is already used by the narrative on line 49"]


def test_duplicate_source_actor_and_place_ids_are_duplicate_keys():
    text = edit(after={19: "  rebels:\n    name: Rebels again", 24: "  aleppo:\n    name: Again"})
    assert found(text) == [(20, 3, "duplicate-key"), (27, 3, "duplicate-key")]


def test_a_narrative_with_both_a_list_and_a_selection():
    text = edit(after={52: "    tags: [military]"})
    assert found(text) == [(49, 5, "narrative-selection")]
    assert message(text, "narrative-selection") == (
        "narrative 'story' gives both a list of 'events' and a selection (tags, actors, from, "
        "to); use one or the other")


def test_a_narrative_with_neither_a_list_nor_a_selection():
    assert found(edit({52: ""})) == [(49, 5, "narrative-selection")]


def test_an_empty_list_of_events_selects_nothing():
    text = edit({52: "    events: []"})
    assert found(text) == [(49, 5, "narrative-selection")]
    assert message(text, "narrative-selection") == (
        "narrative 'story' selects no events; give 'events: [ids]' or a selection by 'tags', "
        "'actors', 'from' and 'to'")


@pytest.mark.parametrize("selection", ["    tags: [air-strikes]", '    from: "2017"',
                                       "    to: 2015", '    from: 2016-09-25\n    to: 2016-09-30'])
def test_a_narrative_that_matches_no_events(selection):
    text = edit({56: selection})
    assert found(text) == [(53, 5, "empty-narrative")]
    assert message(text, "empty-narrative") == \
        "narrative 'military' matches no events; check its tags, actors and dates"


def test_a_narrative_of_an_actor_who_takes_part_in_no_event():
    # the rebels only make the claim; give the claim to the army, and nothing is left
    text = edit({35: "      - by: syrian-army", 56: "    actors: [rebels]"})
    assert found(text) == [(53, 5, "empty-narrative")]


def test_a_narrative_selects_an_actor_who_only_makes_a_claim():
    assert found(edit({56: "    actors: [rebels]"})) == []


# -- all at once, in order, and never a traceback -----------------------------------------------

def test_ten_different_errors_are_all_reported_in_one_run_in_file_order():
    text = edit({
        2: "  title:",                                    # empty-value
        9: "    url: javascript:alert(1)",                # unsafe-url
        23: "    lat: 91",                                # invalid-coordinate
        27: "    date: 2016-02-30",                       # invalid-date
        30: "    status: confirmd",                       # invalid-status
        31: "    place: alepo",                           # unknown-place
        33: "    tags: [Military]",                       # invalid-tag
        43: '    date: "2031"',                           # future-date
        44: "    titel: Truce",                           # unknown-field, missing-field
        53: "  - id: story",                              # duplicate-id
    })
    problems = check(text).problems
    assert [(p.line, p.column, p.rule) for p in problems] == [
        (2, 9, "empty-value"), (9, 10, "unsafe-url"), (23, 10, "invalid-coordinate"),
        (27, 11, "invalid-date"), (30, 13, "invalid-status"), (31, 12, "unknown-place"),
        (33, 12, "invalid-tag"), (42, 5, "missing-field"), (43, 11, "future-date"),
        (44, 5, "unknown-field"), (53, 9, "duplicate-id")]
    assert len({p.rule for p in problems}) == 11
    assert problems == sorted(problems, key=lambda p: (p.line, p.column, p.rule, p.message))
    assert check(text).timeline is None


def test_a_syntax_error_reports_only_itself():
    text = edit({28: '    title: "Offensive'})
    assert found(text) == [(28, 12, "syntax-error")]


def test_tab_indentation_with_more_errors_later_reports_every_tab_line_and_nothing_spurious():
    text = edit({16: "\tname: Syrian army", 27: "    date: 2016-02-30", 44: "\t  title: Truce"})
    assert found(text) == [(16, 1, "tab-indentation"), (44, 1, "tab-indentation")]


def test_problems_before_a_syntax_error_are_kept():
    text = edit({13: "    published: !!str 2016-09", 56: "    tags: [military"})
    assert found(text) == [(13, 16, "explicit-tag"), (56, 11, "syntax-error")]


def test_an_alias_in_place_of_a_value_is_reported_once():
    text = edit({2: "  title: &t Aleppo", 28: "    title: *t", 47: "    sources: *s"})
    assert found(text) == [(2, 10, "anchor"), (28, 12, "alias"), (47, 14, "alias")]


def test_billion_laughs_is_refused_quickly_through_the_whole_check():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [" + ",".join([f"*{chr(ord(level) - 1)}"] * 9) + "]")
    started = time.perf_counter()
    result = check("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1
    rules = {p.rule for p in result.problems}
    assert rules == {"anchor", "alias", "unknown-field", "missing-field"}


@pytest.mark.parametrize("text", ["[" * 1000 + "]" * 1000, "{a: " * 1000 + "}" * 1000])
def test_deep_nesting_finishes_quickly_with_a_too_deep_problem(text):
    started = time.perf_counter()
    result = check(text)
    assert time.perf_counter() - started < 1
    assert "too-deep" in {p.rule for p in result.problems}


def test_a_large_valid_file_is_checked_in_reasonable_time():
    events = "".join(
        f"  - id: event-{n}\n    date: 2016-09-{n % 28 + 1:02d}\n    title: Event {n}\n"
        f"    summary: Something happened.\n    status: reported\n    sources: [reuters]\n"
        for n in range(5_000))
    text = BASE.split("events:\n")[0].replace("  bloomberg:\n    title: Bloomberg report\n"
                                             "    publisher: Bloomberg\n    published: 2016-09~\n",
                                             "") + "events:\n" + events
    started = time.perf_counter()
    result = check(text)
    assert time.perf_counter() - started < 5
    assert result.problems == [] and len(result.timeline.events) == 5_000


def test_many_unknown_references_are_checked_in_reasonable_time():
    events = "".join(
        f"  - {{id: event-{n}, date: '2016', title: T, summary: S, status: reported, "
        f"sources: [reuters], actors: [nobody-{n}]}}\n" for n in range(2_000))
    actors = "actors:\n" + "".join(f"  actor-{n}: {{name: A}}\n" for n in range(2_000))
    text = ("timeline: {title: T}\nsources:\n  reuters: {title: R, publisher: R, "
            "published: '2016'}\n" + actors + "events:\n" + events)
    started = time.perf_counter()
    result = check(text)
    assert time.perf_counter() - started < 20
    assert [p.rule for p in result.problems] == ["unknown-actor"] * 2_000
