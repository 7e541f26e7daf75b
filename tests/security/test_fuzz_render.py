"""Property tests over loader, checker and renderer: arbitrary text in any field never makes
a traceback, and never becomes active markup.

Text is drawn from all of Unicode (but lone surrogates, which UTF-8 cannot hold) mixed with
the pieces that HTML, Markdown, attr_list and YAML treat as syntax, so that both kinds of
input are tried: random text and near-misses of real attacks. A file that passes the check
is rendered by the pure renderer and Python-Markdown as configured in mkdocs.yml (no MkDocs
build, for speed), and every page must hold only the markup the templates write (the first
wall alone), with nothing active after the second wall either.

The number of examples comes from a Hypothesis profile chosen with ``RENDER_FUZZ_PROFILE``:
``ci`` (the default: 1,300 examples in all), ``quick``, or ``thorough``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.site import markup
from builder.records.check import check_text
from builder.site.sanitize import page_title
from tests.security.hostile import MARKDOWN_VECTORS, quoted
from tests.security.pages import heading_text, rendered_pages, sanitizer
from tests.security.scan import active_markup, outside_sanitizer, read_html, text_of, visible

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILES = {"ci": 1.0, "quick": 0.1, "thorough": 10.0}
SCALE = PROFILES[os.environ.get("RENDER_FUZZ_PROFILE", "ci")]


def examples(count: int) -> settings:
    return settings(max_examples=max(10, int(count * SCALE)), **_COMMON)


SYNTAX = ["<", ">", "&", "\"", "'", "`", "*", "_", "[", "]", "(", ")", "{", "}", "#", "!", "|",
          "~", "^", "=", "\\", ":", "\n", "\n\n", "\r\n", "\t", "    ", "- ", "1. ", "> ",
          "---", "```", "&lt;", "&#60;", "&#x3c;", "&amp;", "<script>", "</title>", "<img ",
          "onerror=", "javascript:", "data:", "vbscript:", "{:", "{#", "{.", "](", "![",
          "<http://", "\u2028", "\u202e", "\x00", "\x02", "\x03", "__config", "%s", "{{", "{%"]
_characters = st.characters(blacklist_categories=("Cs",))
fragment = st.one_of(st.text(_characters, max_size=12), st.sampled_from(SYNTAX),
                     st.sampled_from(MARKDOWN_VECTORS))
# Not blank (a blank value is refused as empty) and mostly within the length limits, so
# that most examples get past the check and are rendered.
text = st.lists(fragment, max_size=6).map("".join).map(lambda s: s if s.strip() else "x" + s)

FIELDS = ["header title", "header description", "source title", "publisher", "author", "note",
          "actor name", "actor other name", "actor description", "place name",
          "place description", "event title", "summary", "claim", "quote", "narrative title",
          "intro"]


def _timeline(values: dict[str, str]) -> str:
    v = {name: quoted(value) for name, value in values.items()}
    return f"""timeline:
  title: {v["header title"]}
  description: {v["header description"]}
sources:
  s:
    title: {v["source title"]}
    publisher: {v["publisher"]}
    published: "2016-09-25"
    url: https://example.org/a
    author: {v["author"]}
    note: {v["note"]}
actors:
  a:
    name: {v["actor name"]}
    names: {{ar: {v["actor other name"]}}}
    description: {v["actor description"]}
places:
  p:
    name: {v["place name"]}
    description: {v["place description"]}
events:
  - id: e
    date: "2016-09-25"
    title: {v["event title"]}
    summary: {v["summary"]}
    place: p
    actors: [a]
    tags: [t]
    status: claimed
    claims:
      - by: a
        text: {v["claim"]}
        source: s
    sources:
      - source: s
        quote: {v["quote"]}
narratives:
  - id: n
    title: {v["narrative title"]}
    intro: {v["intro"]}
    events: [e]
"""


def assert_inert(pages: dict[str, str]) -> None:
    wall = sanitizer()
    for path, body in pages.items():
        findings = outside_sanitizer(body, path, wall)
        findings += active_markup(wall.clean(body), path + " (cleaned)")
        assert not findings, "\n".join(map(str, findings[:10]))


@examples(300)
@given(st.fixed_dictionaries({name: text for name in FIELDS}))
def test_any_text_in_any_field_checks_cleanly_and_renders_inert(values):
    result = check_text(_timeline(values))
    event("rendered" if result.ok else "refused by the check")
    if not result.ok:
        assert result.errors, "a failed check names its problems"
        return
    pages = rendered_pages(result.timeline)
    assert_inert(pages)
    # Nothing lost: the event title is the page heading, character for character.
    assert visible(heading_text(pages["events/e.md"])) == visible(values["event title"])
    title = page_title(heading_text(pages["events/e.md"]))
    assert "<" not in title and ">" not in title


IDENTIFIER_FIELDS = ["event id", "tag", "url", "archive url", "date", "status", "language",
                     "latitude"]


@examples(300)
@given(st.sampled_from(IDENTIFIER_FIELDS), text)
def test_any_text_as_an_id_tag_address_date_or_code_is_refused_or_harmless(field, value):
    q = quoted(value)
    fields = {"event id": "e", "tag": "t", "url": "https://example.org/a",
              "archive url": "https://example.org/b", "date": '"2016-09-25"',
              "status": "claimed", "language": "en", "latitude": "36.2"}
    fields[field] = q
    result = check_text(f"""timeline:
  title: T
sources:
  s:
    title: T
    publisher: P
    published: "2016-09-25"
    url: {fields["url"]}
    archive_url: {fields["archive url"]}
    language: {fields["language"]}
places:
  p:
    name: P
    lat: {fields["latitude"]}
    lon: 37.1
events:
  - id: {fields["event id"]}
    date: {fields["date"]}
    title: T
    summary: S
    place: p
    tags: [{fields["tag"]}]
    status: {fields["status"]}
    sources: [s]
""")
    event("rendered" if result.ok else "refused by the check")
    if not result.ok:
        assert result.errors
        return
    pages = rendered_pages(result.timeline)
    assert_inert(pages)
    if field in ("url", "archive url") and value.strip():  # blank: an offline source
        assert value.strip().lower().startswith(("http://", "https://"))


html_text = st.lists(st.one_of(fragment, st.sampled_from(
    ["<a href=", "<p ", "<div ", "<span ", "<svg>", "<math>", "<noscript>", "<style>",
     "<template>", "<!--", "-->", "<![CDATA[", "]]>", " id=__config", " class=x", " style=",
     " data-md-component=", " href=javascript:alert(1)", ">", "/>", "</a>", "</p>"])),
    max_size=16).map("".join)


@examples(400)
@given(html_text)
def test_the_second_wall_keeps_nothing_active_from_any_html(body):
    wall = sanitizer()
    cleaned = wall.clean(body)
    assert not outside_sanitizer(cleaned, "cleaned", wall)
    assert not any(k == "id" and v.startswith("__") for _, attrs in read_html(cleaned).elements
                   for k, v in attrs)
    assert wall.clean(cleaned) == cleaned, "cleaning is stable"


@examples(300)
@given(text)
def test_inline_markdown_and_plain_text_stay_inside_their_subset(value):
    html = markup.inline_markdown(value)
    for tag, attrs in read_html(html).elements:
        assert tag in markup.ALLOWED_TAGS, (tag, value)
        for name, url in attrs:
            assert name in ("href", "rel", "title"), (tag, name, value)
            if name == "href":  # relative, or one of the allowed schemes
                assert urlsplit(url).scheme in {"", *markup.URL_SCHEMES}, (url, value)
    assert "\n" not in html and "\n\n" not in html
    shown = markup.plain(value)
    assert not set("<>&\"'`*_[]{}#\n") & set(shown.replace("&#", "")), shown
    assert visible(text_of(shown)) == visible(value.replace("\u2028", " ").replace("\u2029", " "))
