"""Find active markup in a built site, as a browser would read it.

A page is parsed with the standard library's HTML tokenizer, which decodes character
references in attribute values as browsers do. Three kinds of finding:

* an element/attribute shape that the clean reference site never has (an ``<img>`` from
  data, a ``<p style>`` from ``attr_list``, a ``<script>`` the theme does not write…);
* an event-handler attribute (``on*``), anywhere;
* a URL attribute whose value, after the browser's own clean-up (control characters and
  whitespace removed), uses the ``javascript:``, ``data:`` or ``vbscript:`` scheme, or a
  ``<meta http-equiv=refresh>``;
* a second element with one of the theme's own ids (``__config``…), which would shadow the
  theme's element for its scripts.

Scripts and style sheets are compared by their text too: the theme's inline scripts are
allowed, any other script is a finding even if its tag looks the same.
"""

from __future__ import annotations

import html.parser
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data",
                  "poster", "background", "cite", "longdesc", "ping", "manifest", "codebase",
                  "lowsrc", "dynsrc", "imagesrcset", "archive", "classid", "profile", "usemap",
                  "icon"}
ACTIVE_SCHEME = re.compile(r"(?:javascript|data|vbscript|livescript|mocha):", re.IGNORECASE)
# What browsers ignore in a URL before reading its scheme (leading C0 controls and spaces,
# tabs and newlines anywhere).
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# Elements whose text is code: compared by content, not only by shape.
CODE_ELEMENTS = {"script", "style"}
# Relative paths differ with a page's depth; they say nothing about safety.
_RELATIVE = re.compile(r"(?:\.\./)+|\"\.\.?\"|\"\./\"")


@dataclass(frozen=True)
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def is_active_url(value: str) -> bool:
    cleaned = _URL_NOISE.sub("", value)
    candidates = [cleaned]
    candidates += [part.strip().split(" ")[0] for part in value.split(",")]  # srcset
    return any(ACTIVE_SCHEME.match(_URL_NOISE.sub("", c)) for c in candidates)


def _normalised_code(text: str) -> str:
    return _RELATIVE.sub("REL/", text.strip())


class _Reader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.code: list[tuple[str, str]] = []
        self._open_code: str | None = None
        self._code_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))
        if tag in CODE_ELEMENTS:
            self._open_code, self._code_text = tag, []

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, tuple(attrs)))

    def handle_data(self, data):
        if self._open_code:
            self._code_text.append(data)

    def handle_endtag(self, tag):
        if self._open_code and tag == self._open_code:
            self.code.append((tag, _normalised_code("".join(self._code_text))))
            self._open_code = None


def read_html(text: str) -> _Reader:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader


def shape(tag: str, attrs) -> tuple[str, frozenset[str]]:
    return tag, frozenset(name for name, _ in attrs)


@dataclass
class Allowlist:
    """What the project's own templates and the theme write, learnt from a clean site."""

    shapes: set = field(default_factory=set)
    code: set = field(default_factory=set)
    styles: set = field(default_factory=set)  # values of style attributes

    def learn(self, text: str) -> None:
        reader = read_html(text)
        for tag, attrs in reader.elements:
            self.shapes.add(shape(tag, attrs))
            self.styles.update(v for k, v in attrs if k == "style")
        self.code.update(reader.code)

    def learn_site(self, site: Path) -> None:
        for page in site.rglob("*.html"):
            self.learn(page.read_text(encoding="utf-8"))
        for index in site.rglob("search_index.json"):
            for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
                self.learn(doc.get("title") or "")
                self.learn(doc.get("text") or "")


def active_markup(text: str, where: str, allow: Allowlist | None = None) -> list[Finding]:
    """Every piece of active or unexpected markup in one HTML document or fragment."""
    findings = []
    reader = read_html(text)
    for tag, attrs in reader.elements:
        for name, value in attrs:
            if name.startswith("on"):
                findings.append(Finding(where, f"event handler <{tag} {name}={value!r}>"))
            elif name in URL_ATTRIBUTES and value and is_active_url(value):
                findings.append(Finding(where, f"active URL <{tag} {name}={value!r}>"))
            elif name == "style" and allow is not None and value not in allow.styles:
                findings.append(Finding(where, f"style from data <{tag} style={value!r}>"))
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh"
                                 for k, v in attrs):
            findings.append(Finding(where, f"refresh <meta {dict(attrs)}>"))
        if allow is not None and shape(tag, attrs) not in allow.shapes:
            findings.append(Finding(where, f"unexpected element <{tag} "
                                           f"{' '.join(sorted(k for k, _ in attrs))}>"))
    theme_ids = [v for tag, attrs in reader.elements for k, v in attrs
                 if k == "id" and v and v.startswith("__")]
    for clash in sorted({i for i in theme_ids if theme_ids.count(i) > 1}):
        findings.append(Finding(where, f"a second element with the theme's id {clash!r}"))
    if allow is not None:
        for tag, code in reader.code:
            if (tag, code) not in allow.code:
                findings.append(Finding(where, f"unexpected <{tag}>: {code[:120]!r}"))
    elif reader.code:
        findings += [Finding(where, f"<{tag}> in a fragment: {code[:120]!r}")
                     for tag, code in reader.code]
    return findings


def search_index_findings(index: Path, allow: Allowlist) -> list[Finding]:
    """The theme's search shows titles and texts of the index as HTML: scan each."""
    findings = []
    for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
        where = f"{index.name} [{doc.get('location')}]"
        for key in ("title", "text"):
            findings += active_markup(doc.get(key) or "", f"{where} {key}", allow)
    return findings


def site_findings(site: Path, allow: Allowlist) -> list[Finding]:
    findings = []
    for page in sorted(site.rglob("*.html")):
        findings += active_markup(page.read_text(encoding="utf-8"),
                                  str(page.relative_to(site)), allow)
    for index in site.rglob("search_index.json"):
        findings += search_index_findings(index, allow)
    for sitemap in site.rglob("sitemap.xml"):
        findings += active_markup(sitemap.read_text(encoding="utf-8"), "sitemap.xml")
    return findings


def outside_sanitizer(text: str, where: str, sanitizer) -> list[Finding]:
    """Active markup, and any element or attribute the second wall would not keep: what the
    first wall alone (escaping and the inline Markdown subset) must already guarantee."""
    findings = active_markup(text, where)
    allowed_everywhere = sanitizer.attributes.get("*", set())
    for tag, attrs in read_html(text).elements:
        if tag not in sanitizer.tags:
            findings.append(Finding(where, f"element the templates never write: <{tag}>"))
            continue
        allowed = allowed_everywhere | sanitizer.attributes.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                findings.append(Finding(where, f"attribute the templates never write: "
                                               f"<{tag} {name}={value!r}>"))
    return findings


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, with whitespace collapsed."""
    reader = _Text()
    reader.feed(fragment)
    reader.close()
    return " ".join("".join(reader.parts).split())


def visible(value: str) -> str:
    """A value as the tests compare it with a page's text: invisible control characters
    dropped (Python-Markdown removes some of them), whitespace collapsed."""
    kept = "".join(c for c in value if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(kept.split())
