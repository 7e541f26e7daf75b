"""Narratives: the transition between two dates at every pair of precisions, and the prose
page written from them, against golden files.

tests/golden/narratives/transitions/<group>.txt hold, for each pair of dates, the structured
transition (builder/site/narrate.py) and its words (templates/_transitions.md.j2);
tests/golden/narratives/pages/ hold the narrative pages rendered from the fixture
tests/golden/narratives/events.yaml. After an intended change, regenerate them with
``UPDATE_GOLDEN=1 python -m pytest tests/site/test_narrate.py`` and review the diff.
"""

from __future__ import annotations

import html
import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from builder.records.check import check_file
from builder.records.dates import DateError, parse_date
from builder.site.narrate import ABOUT, Transition, narrate, paragraphs, transition, transitions
from builder.site.render import date_iso, make_environment, render_site

GOLDEN = Path(__file__).parents[1] / "golden" / "narratives"
FIXTURE = GOLDEN / "events.yaml"
TODAY = date(2024, 1, 1)

# Pairs of dates (previous → next), grouped by the precisions they mix.
CASES = {
    "day-day": [
        ("2016-09-09", "2016-09-09"), ("2016-09-09", "2016-09-10"),
        ("2016-09-09", "2016-09-11"), ("2016-09-09", "2016-09-16"),
        ("2016-09-09", "2016-09-19"), ("2016-09-09", "2016-09-23"),
        ("2016-09-09", "2016-10-09"), ("2016-09-09", "2016-10-20"),
        ("2016-09-09", "2016-12-09"), ("2015-09-09", "2016-09-09"),
        ("2014-09-09", "2016-10-01"), ("2016-01-31", "2016-02-29"),
        ("2016-09-10", "2016-09-09"), ("2016-09-16", "2016-09-09"),
        ("2016-09-25", "2015-09-25"),
    ],
    "day-month": [
        ("2016-09-09", "2016-09"), ("2016-09", "2016-09-30"), ("2016-09-30", "2016-10"),
        ("2016-09", "2016-10-01"), ("2016-09-09", "2016-12"), ("2016-09", "2017-09-01"),
        ("2016-09-09", "2018-03"), ("2016-10", "2016-09-09"),
    ],
    "month-month": [
        ("2016-09", "2016-09"), ("2016-09", "2016-10"), ("2016-09", "2016-11"),
        ("2016-09", "2017-09"), ("2016-09", "2017-11"), ("2016-09", "2019-01"),
        ("2016-10", "2016-09"),
    ],
    "year": [
        ("2016", "2016"), ("2016", "2016-09"), ("2016-09-09", "2016"), ("2015", "2016"),
        ("2015", "2016-09-09"), ("2016-09", "2017"), ("2013", "2016"), ("2016", "2015"),
    ],
    "approximate": [
        ("2015-09~", "2016-09-09"), ("2015-09~", "2015-09"), ("2016-09-09~", "2016-09-09"),
        ("2016-09-09~", "2016-09-12"), ("2016-09-09", "2016-10-20~"), ("2015~", "2016-09"),
        ("2016-09~", "2016-11~"), ("2016-09-20~", "2016-09-05"), ("2016-09~", "2017-03"),
        ("2016-09-23%", "2016-09-25"),
    ],
    "uncertain": [
        ("2016-09-25", "2016-09-25?"), ("2016-09-25?", "2016-09-27"), ("2016-09?", "2016-09-09"),
        ("2016-09-09", "2016-10?"), ("2016?", "2017"), ("2016-09-12/2016-09-24?", "2016-09-28"),
    ],
    "intervals": [
        ("2016-09-09", "2016-09-12/2016-09-24"), ("2016-09-11", "2016-09-12/2016-09-20"),
        ("2016-09-11", "2016-09-12/2016-10-20"), ("2016-09-22", "2016-09-22/2016-09-25"),
        ("2016-09-22", "2016-09-22/2016-10-06"), ("2016-09-12/2016-09-24", "2016-09-22"),
        ("2016-09-12/2016-09-24", "2016-09-12/2016-09-24"),
        ("2016-09-22/2016-09-25", "2016-09-25"), ("2016-09-12/2016-09-20", "2016-09-28"),
        ("2016-09-12/2016-09-20", "2016-10-02"), ("2016-09-28/2016-10-02", "2016-10-05"),
        ("2016-09-28/2016-10-02", "2016-11-05"), ("2016-03-01/2016-04-10", "2016-10-05"),
        ("2016-11-20/2016-12-20", "2017-03-05"), ("2015-11-20/2016-01-20", "2017-03-05/2017-04-01"),
        ("2016-09-20/2016-09-30", "2016-09-25/2016-10-05"), ("2016-09/2016-10", "2016-10-15"),
        ("2016-09-12/2016-09-24", "2016-09-09"), ("2016-09-25", "2016-09-22/2016-09-24"),
        ("2016-09-22/2016-09-25", "2016-09-22"),
    ],
}


@pytest.fixture(scope="module")
def words():
    """The transition macros, as the narrative template calls them."""
    env = make_environment()
    return env.get_template("_transitions.md.j2").make_module(
        {"date_iso": date_iso, "actors": {}})


def describe(t: Transition) -> str:
    parts = [t.kind]
    if t.amount:
        parts.append(f"{t.amount} {t.unit}")
    elif t.unit:
        parts.append(t.unit)
    if t.measure != "exact":
        parts.append(t.measure)
    for flag in ("perhaps", "span"):
        if getattr(t, flag):
            parts.append(flag)
    if t.repeat:
        parts.append(f"repeat {t.repeat}")
    return ", ".join(parts)


def golden(path: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (f"{path.name} differs from its golden file; if the change is "
                                "intended, regenerate with UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.parametrize("group", sorted(CASES))
def test_transitions_match_golden_files(group, words):
    lines = []
    for previous, following in CASES[group]:
        t = transition(parse_date(previous), parse_date(following))
        lines.append(f"{previous:>24} → {following:<24} {describe(t):<38} "
                     f"{html.unescape(str(words.transition(t)))}")
    golden(GOLDEN / "transitions" / f"{group}.txt", "\n".join(lines) + "\n")


def test_no_stale_transition_golden_files():
    present = {p.stem for p in (GOLDEN / "transitions").glob("*.txt")}
    assert present == set(CASES)


# -- the wording of the rules the issue names ---------------------------------------------------
@pytest.mark.parametrize(("previous", "following", "expected"), [
    ("2016-09-25", "2016-09-25", "The same day"),
    ("2016-09-09", "2016-09-11", "Two days later"),
    ("2016-09-16", "2016-09-09", "A week earlier"),
    ("2016-09-25", "2015-09-25", "A year before"),
    ("2016-09", "2016-09-30", "The same month"),
    ("2016-09-09", "2016-09-12/2016-09-24", "Later that month"),
    ("2016-09", "2016-10", "The following month"),
    ("2015-09~", "2016-09-09", "About a year later"),
    ("2016-09-11", "2016-09-12/2016-09-20", "Over the following days"),
    ("2016-09-25", "2016-09-25?", "Perhaps the same day"),
])
def test_the_words_of_each_rule(previous, following, expected, words):
    t = transition(parse_date(previous), parse_date(following))
    assert str(words.transition(t)) == expected


def test_runs_of_one_kind_take_turns_with_their_wordings(words):
    dates = [parse_date(d) for d in ["2016-09-25"] * 5]
    said = [str(words.transition(t)) for t in transitions(dates)[1:]]
    assert said == ["The same day", "Also that day", "That same day", "The same day"]


# -- properties: never more precision than both dates have --------------------------------------
@st.composite
def edtf_dates(draw):
    def point():
        year = draw(st.integers(2014, 2017))
        month = draw(st.none() | st.integers(1, 12))
        day = draw(st.none() | st.integers(1, 28)) if month else None
        text = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
        return text + draw(st.sampled_from(["", "", "", "~", "?", "%"]))

    text = point()
    if draw(st.booleans()):
        text += "/" + point()
    try:
        return parse_date(text)
    except DateError:
        assume(False)


DAY_KINDS = {"same-day", "within", "within-before", "following-days", "preceding-days"}
MONTH_KINDS = {"later-that-month", "earlier-that-month", "following-month", "previous-month",
               "same-month"}


LATER = {"later", "later-that-month", "following-month", "later-that-year", "following-year",
         "following-days", "afterwards"}
EARLIER = {"earlier", "earlier-that-month", "previous-month", "earlier-that-year",
           "previous-year", "preceding-days", "before-that"}


@settings(max_examples=300, deadline=None)
@given(edtf_dates(), edtf_dates())
def test_a_transition_claims_no_more_than_its_dates(previous, following):
    t = transition(previous, following)
    why = (previous.text, following.text, t)
    coarsest = min(previous.precision, following.precision, key=["year", "month", "day"].index)
    if coarsest != "day":
        assert t.unit not in ("day", "week") and t.kind not in DAY_KINDS, why
    if coarsest == "year":
        assert t.unit in ("", "year") and t.kind not in MONTH_KINDS, why
    if t.kind == "same-day":
        assert previous.lower == previous.upper == following.lower == following.upper, why
    assert t.perhaps == (previous.uncertain or following.uncertain)
    assert t.span == following.is_interval
    if previous.approximate or following.approximate:
        assert t.measure == ABOUT, why
        return  # "about" counts from the end of one date to the start of the other
    # The order is only stated when it is known.
    if t.kind in LATER:
        assert following.lower > previous.upper, why
    if t.kind in EARLIER:
        assert following.upper < previous.lower, why


def test_the_first_event_has_no_transition_and_keeps_its_qualifiers():
    t = transition(None, parse_date("2016-09-12/2016-09-24?"))
    assert (t.kind, t.perhaps, t.span) == ("start", True, True)


# -- paragraphs and notes ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def timeline():
    result = check_file(FIXTURE, today=TODAY)
    assert result.ok, [str(p) for p in result.problems]
    return result.timeline


@pytest.fixture(scope="module")
def pages(timeline) -> dict[str, str]:
    return {p.path: p.content for p in render_site(timeline).pages}


def test_notes_are_numbered_in_citing_order_one_per_event_and_source(timeline):
    events = [timeline.events_by_id[i] for i in ("deal", "same-day-talks")]
    story = narrate(events)
    assert [(n.number, n.event.id, n.source, n.position) for n in story.notes] == [
        (1, "deal", "wire", 1), (2, "same-day-talks", "wire", 1),
        (3, "same-day-talks", "paper", 2)]
    assert story.notes[0].quotes == ("They agreed a deal.",)
    talks = story.steps[1]
    assert [r.first for r in talks.references] == [True, True]
    # Claims citing a note already cited by the summary mark it again, without a second id.
    assert [(c.by, [r.first for r in c.references]) for c in talks.claims] == [
        (("rebels", "residents"), [False]), (("envoy",), [False])]


def test_intro_paragraphs_are_split_at_blank_lines():
    assert paragraphs("One\nline.\n\n  \nTwo.\n") == ["One\nline.", "Two."]
    assert paragraphs("   ") == []


@pytest.mark.parametrize("narrative", ["whole-story", "fighting"])
def test_narrative_pages_match_golden_files(narrative, pages):
    golden(GOLDEN / "pages" / f"{narrative}.md", pages[f"narratives/{narrative}.md"])


def test_the_page_reads_as_prose_with_attributed_claims(pages):
    page = html.unescape(re.sub(r"<[^>]+>", "", pages["narratives/whole-story.md"]))
    assert "On 9 September 2016: Two powers agreed a deal." in page
    assert "The same day (9 September 2016): Talks were held." in page
    assert "Rebels and Residents said: Thousands were killed." in page
    assert "Over the following days (10–20 September 2016):" in page
    assert "In the same period (15 September 2016):" in page
    assert "The following month (October 2016):" in page
    assert "Perhaps the same month (5 October 2016, uncertain):" in page
    assert "Perhaps about three months later (c. January 2017):" in page
    assert "About a year later (2018):" in page


def test_every_paragraph_links_its_event_and_every_note_its_source_there(pages, timeline):
    page = pages["narratives/whole-story.md"]
    for event_id in ("deal", "same-day-talks", "convoy", "next-year"):
        assert f'href="../../events/{event_id}/">Full entry:' in page
    notes = re.findall(r'<li id="note-(\d+)">.*?href="\.\./\.\./events/([a-z0-9-]+)/&#35;'
                       r'source-(\d+)"', page)
    assert len(notes) == len(set(re.findall(r'href="#note-(\d+)"', page))) == 9
    for number, event_id, position in notes:
        event = timeline.events_by_id[event_id]
        assert 1 <= int(position) <= len(event.cited_sources())
        assert f'id="ref-{number}"' in page


def test_nothing_from_the_records_becomes_markup(pages):
    page = pages["narratives/whole-story.md"]
    for active in ("<script", "<img", "<i>", "<b>", 'href="javascript', "[^1]"):
        assert active not in page
    # Summaries are inline Markdown inside raw HTML, which the page's Markdown leaves alone:
    # the built page is checked for footnotes in tests/site/test_narratives_site.py.
    assert "A convoy was bombed [^2] &lt;img src=x onerror=alert(1)&gt;." in page
    assert page.startswith("# The whole story &#60;i&#62;so far&#60;/i&#62;\n")
    assert "a [bad link](javascript:alert(1))." in page  # shown as text, not a link


def test_a_selection_takes_the_events_with_its_tags_in_date_order(pages):
    page = pages["narratives/fighting.md"]
    steps = re.findall(r'<p class="tl-step" id="step-([a-z0-9-]+)">', page)
    assert steps == ["offensive", "october", "winter", "next-year"]
