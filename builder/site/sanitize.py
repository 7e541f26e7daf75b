"""The second wall: clean the HTML of every generated page, and make page titles plain text.

The first wall is in ``builder.site.markup`` and the templates: every value from the records is
escaped, or rendered from a small Markdown subset and cleaned, before MkDocs sees it. This
module assumes that wall has a hole somewhere. From the HTML that Python-Markdown made of a
generated page it removes every element and attribute that neither the page templates nor
Python-Markdown write, and everything active whoever wrote it: scripts, frames, style,
event handlers, URLs other than relative, http(s) and mailto, and ids that the theme's
scripts look up.

The allowed markup is read from the templates themselves, so a template that starts to use
``<bdi>`` or ``data-count`` keeps working without a change here; what the records hold can
never add to it, because the records are data, not templates.

It runs on the page body only (``page.content``), never on the theme's chrome (header,
navigation, search), which comes from Material's templates and not from the records.

Page titles need their own treatment: Material prints ``page.title | striptags`` into
``<title>``, and ``striptags`` also *decodes* character references, so an escaped event
title such as ``&lt;/title&gt;&lt;script&gt;`` would come back to life there.
``page_title`` gives the text that is safe to print unescaped wherever the theme prints a
title (``<title>``, header, navigation, footer, search).

Pure: no MkDocs import, so it is tested and fuzzed on its own.
"""

from __future__ import annotations

import html
import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path

import nh3

# What Python-Markdown writes with the extensions the site uses (toc permalinks, attr_list,
# footnotes, admonition, details, superfences, tables), beyond what the templates write.
MARKDOWN_MARKUP: dict[str, set[str]] = {
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "p": set(), "div": set(), "span": set(), "a": {"href", "title"}, "em": set(),
    "strong": set(), "code": set(), "pre": set(), "blockquote": set(), "ul": set(),
    "ol": {"start"}, "li": set(), "hr": set(), "br": set(), "sup": set(), "sub": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"align"},
    "td": {"align"}, "details": {"open"}, "summary": set(), "dl": set(), "dt": set(),
    "dd": set(), "abbr": set(), "del": set(), "ins": set(), "s": set(), "mark": set(),
}
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "role", "aria-label",
                      "aria-hidden", "aria-current", "aria-describedby", "aria-labelledby",
                      "aria-live"}
# Never allowed, even if a template wrote them: they run code, load other documents,
# restyle or re-target the page, or navigate.
NEVER_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
              "base", "meta", "link", "svg", "math", "template", "param", "xmp", "plaintext",
              "noembed", "noframes"}
NEVER_ATTRIBUTES = {"style", "srcdoc", "formaction", "action", "http-equiv", "srcset", "ping",
                    "background", "dynsrc", "lowsrc", "xmlns", "xlink:href", "is"}
URL_SCHEMES = {"http", "https", "mailto"}
# Material finds its parts by id ("__config", "__search", "__drawer", …) and by
# data-md-* attributes; markup in a page body must not be able to stand in for them.
_RESERVED_ID = re.compile(r"__|md-", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_NOSCRIPT = re.compile(r"(<noscript\b[^>]*>)(.*?)</noscript>", re.DOTALL)
_JINJA_CODE = re.compile(r"\{#.*?#\}|\{%.*?%\}", re.DOTALL)
_JINJA_VALUE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


class _TagCollector(html.parser.HTMLParser):
    def __init__(self, markup: dict[str, set[str]]):
        super().__init__(convert_charrefs=True)
        self.markup = markup

    def handle_starttag(self, tag, attrs):
        self.markup.setdefault(tag, set()).update(name for name, _ in attrs)

    handle_startendtag = handle_starttag


def template_markup(templates: Path) -> dict[str, set[str]]:
    """Every element the templates write, with the attributes they give it."""
    markup: dict[str, set[str]] = {}
    for template in sorted(Path(templates).glob("*.j2")):
        collector = _TagCollector(markup)
        # Statements vanish, so that attributes written inside {% if %} blocks still
        # count; printed values become a neutral word that never looks like markup.
        source = _JINJA_CODE.sub(" ", template.read_text(encoding="utf-8"))
        collector.feed(_JINJA_VALUE.sub("x", source))
        collector.close()
    return markup


@dataclass(frozen=True)
class Sanitizer:
    """nh3 configured with the markup of the project's own templates and Python-Markdown."""

    tags: frozenset[str]
    attributes: dict[str, set[str]] = field(hash=False)

    @classmethod
    def for_templates(cls, templates: Path) -> Sanitizer:
        markup = {tag: set(names) for tag, names in MARKDOWN_MARKUP.items()}
        for tag, names in template_markup(templates).items():
            markup.setdefault(tag, set()).update(names)
        tags = frozenset(markup) - NEVER_TAGS
        attributes = {"*": GENERIC_ATTRIBUTES - NEVER_ATTRIBUTES}
        for tag in tags:
            names = {n for n in markup[tag] - NEVER_ATTRIBUTES - GENERIC_ATTRIBUTES
                     if not n.startswith("on")}
            if names:
                attributes[tag] = names
        return cls(tags, attributes)

    def clean(self, body: str) -> str:
        """The HTML of a page body with nothing active left in it."""
        cleaned = self._clean(body, self.tags)
        if "<noscript" not in cleaned:
            return cleaned
        # nh3 reads <noscript> as a browser running scripts does: its content is raw text,
        # kept verbatim. A browser without scripts reads the same content as markup, so it
        # is cleaned again as markup. No attribute value holds "<" or ">" (see
        # _keep_attribute), so every "<noscript" left here is a real tag, and the cleaned
        # content cannot hold "</noscript" to end the element early.
        inner_tags = self.tags - {"noscript"}
        return _NOSCRIPT.sub(
            lambda m: m.group(1) + self._clean(m.group(2), inner_tags) + "</noscript>",
            cleaned)

    def _clean(self, body: str, tags) -> str:
        return nh3.clean(
            body,
            tags=set(tags),
            clean_content_tags={"script", "style"},
            attributes=self.attributes,
            attribute_filter=_keep_attribute,
            url_schemes=URL_SCHEMES,
            link_rel=None,  # the templates set rel themselves (nofollow noopener noreferrer)
            strip_comments=True,
        )


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id" and _RESERVED_ID.match(value):
        return None
    # The templates never put markup characters in an attribute; a value that holds them
    # could only serve to smuggle a tag past a parser that reads the page differently.
    if "<" in value or ">" in value:
        return None
    return value


def page_title(title: str | None) -> str | None:
    """A page title as HTML text: tags gone, every character that matters escaped once.

    MkDocs gives the text of the page's first heading with character references still
    encoded (and tags, if any, stripped). Decoding once and escaping once gives text that
    shows the same characters, and that no later ``striptags`` can turn into markup.
    """
    if title is None:
        return None
    text = str(title)
    if "<" in text:
        text = nh3.clean(text, tags=set(), attributes={}, strip_comments=True)
    text = html.unescape(text)
    return html.escape(_SPACES.sub(" ", text).strip(), quote=True)
