"""The second wall (builder/site/sanitize.py): it removes what is active and keeps what the
templates write, so that it never breaks a page the records and templates made honestly."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.generate import generate_timeline
from builder.records.check import check_file, check_text
from builder.site.sanitize import Sanitizer, page_title, template_markup
from tests.security.hostile import ROOT
from tests.security.pages import rendered_pages, sanitizer
from tests.security.scan import active_markup, read_html


def _shapes(html: str) -> Counter:
    return Counter((tag, tuple(sorted((k, v or "") for k, v in attrs)))  # hidden == hidden=""
                   for tag, attrs in read_html(html).elements)


@pytest.mark.parametrize("records", ["seed", "generated"])
def test_cleaning_an_honest_page_changes_no_element_and_no_attribute(records):
    result = (check_file(ROOT / "events.yaml") if records == "seed"
              else check_text(generate_timeline(80, seed=11)))
    assert result.ok, result.problems[:3]
    wall = sanitizer()
    pages = rendered_pages(result.timeline)
    assert len(pages) > 20
    for path, body in pages.items():
        before, after = _shapes(body), _shapes(wall.clean(body))
        assert before == after, (f"{path}: the second wall changed the markup:\n"
                                 f"removed {before - after}\nadded {after - before}")


def test_the_allowed_markup_is_read_from_the_templates(tmp_path):
    (tmp_path / "page.md.j2").write_text(
        '<aside class="x"{% if y %} data-extra="{{ y }}"{% endif %}>{{ text }}</aside>\n'
        "<script>alert(1)</script><p onclick=\"x\" style=\"color:red\">p</p>\n",
        encoding="utf-8")
    assert template_markup(tmp_path)["aside"] == {"class", "data-extra"}
    wall = Sanitizer.for_templates(tmp_path)
    assert "aside" in wall.tags and "script" not in wall.tags
    assert "onclick" not in wall.attributes.get("p", set())
    assert "style" not in wall.attributes.get("p", set())
    cleaned = wall.clean('<aside class="x" data-extra="1" data-md-component="search">a</aside>'
                         '<p onclick="x" style="color:red">p</p><script>alert(1)</script>')
    assert cleaned == '<aside class="x" data-extra="1">a</aside><p>p</p>'


@pytest.mark.parametrize("body", [
    '<h1 id="__config">x</h1>', '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>', '<img src=x onerror=alert(1)>',
    '<svg><script>alert(1)</script></svg>', '<iframe srcdoc="<script>alert(1)</script>">',
    '<noscript><img src=x onerror=alert(1)></noscript>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    '<p title="<noscript>">x</p></noscript><img src=x onerror=alert(1)>',
    '<form action="https://example.org"><button formaction="javascript:x">b</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    '<base href="https://example.org/">', '<div style="background:url(x)">d</div>',
])
def test_the_second_wall_removes_what_is_active(body):
    cleaned = sanitizer().clean(body)
    assert not active_markup(cleaned, "cleaned")
    for tag, attrs in read_html(cleaned).elements:
        assert tag not in {"script", "img", "svg", "iframe", "meta", "base", "style"}, cleaned
        for name, value in attrs:
            assert name not in {"style", "action", "formaction", "srcdoc"}, cleaned
            assert not (name == "id" and value.startswith("__")), cleaned


@pytest.mark.parametrize("rendered, shown", [
    ("Plain", "Plain"),
    ("&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;",
     "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;"),  # the text "&lt;b&gt;", shown as written
    ("A <code>tag</code> in a heading", "A tag in a heading"),
    ("Quotes \" and ' stay text", "Quotes &quot; and &#x27; stay text"),
])
def test_page_titles_are_text_that_no_later_filter_revives(rendered, shown):
    assert page_title(rendered) == shown
