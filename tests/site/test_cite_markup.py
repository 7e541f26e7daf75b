"""The "cite this entry" markup as built: on every event page, absolute when the site's
address is configured, safe for BibTeX and HTML whatever a title holds, and free of any
build-time date (the access date is the reader's)."""

from __future__ import annotations

import datetime
import html
import re

import pytest

from builder.site.reader import bibtex_text, bibtex_url, permalink, text_direction
from tests.support.sites import build_project, make_project

HOSTILE_TITLE = r"Braces } { \end{document} 100% & #1 $x$ a_b ~ ^ <script>alert(1)</script>"
EVENTS = f"""\
timeline:
  title: "Tricky {{timeline}} & co"
sources:
  s1:
    title: A source
    publisher: A publisher
    published: "2016-09-25"
events:
  - id: tricky-title
    date: "2016-09-25"
    title: '{HOSTILE_TITLE}'
    summary: Something happened.
    status: claimed
    sources: [s1]
"""


def cite_codes(page_html: str) -> list[str]:
    """The text of the citation blocks, as a reader would copy it."""
    blocks = re.findall(r'<pre class="tl-cite-block"><code>(.*?)</code></pre>', page_html,
                        re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("cite"), EVENTS)
    # The project's home page links to seed events, which this timeline does not have.
    (project / "content" / "index.md").write_text("# Tricky\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://timeline.example.org/aleppo/\n"
                      + config.read_text("utf-8"), encoding="utf-8")
    site = build_project(project)
    assert site.ok, site.stderr
    return site


def test_every_seed_event_page_offers_the_citation(seed_site):
    events = sorted(p.name for p in (seed_site.site / "events").iterdir() if p.is_dir())
    assert len(events) >= 20
    for event_id in events:
        page = seed_site.html(f"events/{event_id}/")
        assert 'id="cite-this-entry"' in page, event_id
        text, bibtex = cite_codes(page)
        # No site_url in the project's configuration: the path, never a guessed domain.
        assert f" events/{event_id}/ (accessed [date of access])." in text
        assert f"url = {{events/{event_id}/}}" in bibtex


def test_no_build_date_in_the_citation(seed_site):
    page = seed_site.html("events/aid-convoy-bombed/")
    text, bibtex = cite_codes(page)
    today = datetime.date.today()
    for block in (text, bibtex):
        assert today.isoformat() not in block and str(today.year) + "-" not in block
    assert "urldate = {YYYY-MM-DD}" in bibtex


def test_a_configured_site_url_gives_absolute_addresses(tricky_site):
    page = tricky_site.html("events/tricky-title/")
    text, bibtex = cite_codes(page)
    address = "https://timeline.example.org/aleppo/events/tricky-title/"
    assert f" {address} (accessed" in text
    assert f"url = {{{address}}}" in bibtex
    assert "data-resolve" not in page  # nothing left for the reader's browser to complete


def test_bibtex_escapes_what_tex_would_read(tricky_site):
    page = tricky_site.html("events/tricky-title/")
    assert "<script>alert" not in page
    text, bibtex = cite_codes(page)
    assert HOSTILE_TITLE in text  # plain text keeps the title exactly
    title = re.search(r"^  title = \{\{(.*)\}\},$", bibtex, re.MULTILINE).group(1)
    assert title == bibtex_text(HOSTILE_TITLE)
    assert r"Braces \} \{ \textbackslash{}end\{document\} 100\% \& \#1 \$x\$ a\_b" in title
    assert "howpublished = {Tricky \\{timeline\\} \\& co, a sourced timeline}" in bibtex
    # Outside escaped pairs, braces balance in every field.
    unescaped = re.sub(r"\\[{}]", "", bibtex)
    depth = 0
    for char in unescaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@pytest.mark.parametrize("language, direction", [
    ("ar", "rtl"), ("ar-SY", "rtl"), ("fa", "rtl"), ("he", "rtl"), ("ur", "rtl"),
    ("ku-Arab", "rtl"), ("az-Latn", "ltr"), ("ru", "auto"), ("en", "auto")])
def test_text_direction_of_names(language, direction):
    assert text_direction(language) == direction


def test_permalink_and_bibtex_url():
    assert permalink("x", None) == "events/x/"
    assert permalink("x", "https://a.example/site/") == "https://a.example/site/events/x/"
    assert permalink("x", "https://a.example/site") == "https://a.example/site/events/x/"
    assert bibtex_url("https://a.example/{x} y%20") == "https://a.example/%7Bx%7D%20y%20"
