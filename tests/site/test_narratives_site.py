"""Narratives in the built site: their pages, the navigation, search, the event pages that
list them, event links in hand-written pages, and a build that stops at a broken one."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.support.sites import build_project, make_project

TRUCE = "narratives/how-the-september-truce-collapsed/"
COUNCIL = "narratives/confrontation-at-the-security-council/"
FIXTURE = Path(__file__).parents[1] / "golden" / "narratives" / "events.yaml"


def text_of(page_html: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def article(page_html: str) -> str:
    return page_html.split('<article', 1)[1].split("</article>", 1)[0]


def test_each_seed_narrative_has_its_page(seed_site):
    truce = text_of(article(seed_site.html(TRUCE)))
    assert "How the September truce collapsed" in truce
    assert "On 9 September 2016 : Russia and the United States agreed a deal" in truce
    assert "Later that month ( 12–24 September 2016 ): An aid convoy was bombed" in truce
    council = article(seed_site.html(COUNCIL))
    assert council.count('class="tl-step"') == 6  # every event tagged un-security-council
    assert "Samantha Power said:" in text_of(council)


def test_narratives_are_in_the_navigation_of_every_page(seed_site):
    for page in ("", "events/aid-convoy-bombed/", TRUCE):
        sidebar = seed_site.html(page).split("md-sidebar--primary", 1)[1]
        sidebar = sidebar.split("md-sidebar--secondary", 1)[0]
        section = re.split(r'<span class="md-ellipsis">\s*Narratives\s*</span>', sidebar)
        assert len(section) == 2, f"no Narratives section in the navigation of /{page}"
        entries = text_of(section[1])
        assert entries.index("How the September truce collapsed") \
            < entries.index("The confrontation at the Security Council")


def test_narratives_are_found_by_search(seed_site):
    index = json.loads((seed_site.site / "search" / "search_index.json").read_text("utf-8"))
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert TRUCE in docs and COUNCIL in docs
    assert docs[TRUCE]["title"] == "How the September truce collapsed"
    prose = " ".join(d["text"] for loc, d in docs.items() if loc.startswith(TRUCE))
    assert "Handarat" in prose and "Later that month" in prose


def test_event_pages_list_their_narratives(seed_site):
    page = seed_site.html("events/un-security-council-meets-on-aleppo/")
    listed = page.split('id="in-the-narratives"', 1)[1].split("<h2", 1)[0]
    assert 'href="../../narratives/how-the-september-truce-collapsed/"' in listed
    assert 'href="../../narratives/confrontation-at-the-security-council/"' in listed
    assert 'id="in-the-narratives"' not in seed_site.html("events/rebel-advance-on-saturday/")


def test_every_footnote_leads_to_its_source_on_the_event_page(seed_site):
    for narrative in (TRUCE, COUNCIL):
        page = seed_site.html(narrative)
        notes = re.findall(r'<li id="note-(\d+)">.*?class="tl-note-entry" '
                           r'href="\.\./\.\./events/([a-z0-9-]+)/#(source-\d+)"', page)
        marks = set(re.findall(r'href="#note-(\d+)"', page))
        assert notes and {n for n, _, _ in notes} == marks
        for number, event_id, anchor in notes:
            assert f'id="ref-{number}"' in page
            assert f'id="{anchor}"' in seed_site.html(f"events/{event_id}/"), (number, event_id)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """The narrative fixture, with hostile text, built by the real CLI and MkDocs."""
    project = make_project(tmp_path_factory.mktemp("narratives"),
                           FIXTURE.read_text(encoding="utf-8"))
    (project / "content" / "index.md").write_text(
        "# Fixture\n\nThe [offensive](event:offensive) and [the deal](event:deal).\n",
        encoding="utf-8")
    site = build_project(project)
    assert site.ok, site.stdout + site.stderr
    return site


def test_hostile_records_stay_text_in_the_built_narrative(fixture_site):
    page = article(fixture_site.html("narratives/whole-story/"))
    for active in ("<script", "<img", "<i>", 'href="javascript'):
        assert active not in page
    assert 'class="footnote' not in page  # "[^2]" in a summary is not a footnote
    assert "A convoy was bombed [^2] <img src=x onerror=alert(1)>." in text_of(page)
    assert "The envoy <script>alert(1)</script> said:" in text_of(page)


def test_event_links_render_in_a_page_of_another_timeline(fixture_site):
    page = article(fixture_site.html(""))
    assert '<a href="events/offensive/">offensive</a> (<time class="tl-date" ' \
        'datetime="2016-09-15">15 September 2016</time>)' in page


def _failed_build(tmp_path, page: str, text: str):
    project = make_project(tmp_path)
    target = project / "content" / page
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    site = build_project(project)
    assert not site.ok
    return site, project


def test_an_unknown_event_link_stops_the_build_at_its_line(tmp_path):
    site, project = _failed_build(
        tmp_path, "notes/unknown.md",
        "---\ntitle: Notes\n---\n\n# Notes\n\nSee [the strike](event:convoy-strike).\n")
    output = site.stdout + site.stderr
    assert "content/notes/unknown.md:7:18: error: the link to 'event:convoy-strike' names " \
        "no event in the timeline" in output
    assert not (project / "site").exists()  # nothing was published
