"""Turn record text into markup that is safe in a page, whatever an editor wrote.

Two kinds of text come from the records:

* plain text (titles, names, quotes, claims): shown exactly as written. Every character
  that HTML or Markdown could read as syntax becomes a numeric character reference, so the
  page's Markdown processor sees nothing to act on and the browser shows the character.
* inline Markdown (summaries, intros, descriptions): emphasis, code and links only. It is
  rendered here with markdown-it-py (CommonMark, linear time even on inputs such as
  ``'[' * 8000`` that are quadratic in Python-Markdown), with raw HTML shown as text, and
  the result is cleaned by nh3 so that only a handful of tags and http(s)/mailto links
  remain. The page later embeds it in a raw HTML block, which Markdown leaves untouched.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Everything HTML or Python-Markdown (with the extensions a site may enable) treats as
# syntax in the middle of a line, plus quotes so that the text is also safe inside attribute
# values. Text never starts a line (templates put it after other markup, and line breaks
# become spaces), so line-start syntax such as "1." or "-" needs no escaping.
_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+!|~<>&\"'=^\n\r\t]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")

ALLOWED_TAGS = {"em", "strong", "code", "a", "s", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def plain(text: str) -> Markup:
    """Text shown literally, on one line, inert to HTML and to Markdown."""
    text = _LINE_BREAKS.sub(" ", text)
    return Markup(_ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text))


def attribute(text: str) -> Markup:
    """A value for an HTML attribute (an URL the checker accepted, an id, a date)."""
    return plain(text)


def _make_inline_renderer() -> MarkdownIt:
    renderer = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    renderer.enable(["emphasis", "link", "backticks", "escape", "entity", "strikethrough",
                     "newline", "autolink"])
    return renderer


_INLINE = _make_inline_renderer()


def _clean(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="nofollow noopener noreferrer",
                     strip_comments=True)


def inline_markdown(text: str) -> Markup:
    """Inline Markdown as safe HTML on one line, ready for a raw HTML block."""
    html = _clean(_INLINE.renderInline(text))
    # Blank lines would end the surrounding raw HTML block and hand the rest of the text
    # back to the page's Markdown processor; inline text never needs them.
    return Markup(_LINE_BREAKS.sub(" ", html))


def strip_markdown(text: str) -> str:
    """The text of inline Markdown without its markup, e.g. for data files and meta tags."""
    html = _INLINE.renderInline(text)
    return nh3.clean(html, tags=set(), attributes={}).strip()
