"""Pages as HTML without a MkDocs build: the pure renderer, then Python-Markdown configured
as mkdocs.yml configures it. Fast enough to run thousands of times in a property test."""

from __future__ import annotations

import functools
import html.parser
from unittest import mock

import markdown
import yaml
from mkdocs.utils import meta

from builder.site import render
from builder.site.render import DEFAULT_TEMPLATES, render_site
from builder.site.sanitize import Sanitizer
from tests.security.hostile import ROOT

# MkDocs always adds these to the configured extensions.
MKDOCS_DEFAULT_EXTENSIONS = ["toc", "tables", "fenced_code"]


def _markdown_settings() -> tuple[list[str], dict]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = list(MKDOCS_DEFAULT_EXTENSIONS), {}
    for item in config.get("markdown_extensions") or []:
        name, value = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if value:
            options[name] = value
    return names, options


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    names, options = _markdown_settings()
    return markdown.Markdown(extensions=names, extension_configs=options)


def to_html(page_markdown: str) -> tuple[str, dict]:
    """The body HTML of one page and its front matter, as MkDocs would make them."""
    text, front_matter = meta.get_data(page_markdown)
    converter = _converter()
    converter.reset()
    return converter.convert(text), front_matter


@functools.lru_cache(maxsize=1)
def sanitizer() -> Sanitizer:
    return Sanitizer.for_templates(DEFAULT_TEMPLATES)


# Compiling the templates takes most of a small site's rendering time; the environment
# is the same for every timeline, so a property test compiles it once.
_environment = functools.lru_cache(maxsize=2)(render.make_environment)


def rendered_pages(timeline) -> dict[str, str]:
    """{source path: body HTML} of every page of the timeline's site (first wall only)."""
    with mock.patch.object(render, "make_environment", _environment):
        site = render_site(timeline)
    pages = {}
    for page in site.pages:
        body, front_matter = to_html(page.content)
        assert not front_matter, f"{page.path} starts with front matter: {front_matter!r}"
        pages[page.path] = body
    return pages


class _FirstHeading(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts, self.done = 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "h1" and not self.done:
            self.depth = 1
        elif self.depth and tag == "a":  # the permalink anchor is not part of the title
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "h1" and self.depth:
            self.depth, self.done = 0, True
        elif self.depth > 1 and tag == "a":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 1:
            self.parts.append(data)


def heading_text(body: str) -> str:
    reader = _FirstHeading()
    reader.feed(body)
    return " ".join("".join(reader.parts).split())
