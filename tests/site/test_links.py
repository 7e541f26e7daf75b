"""Every internal link of the built seed site leads somewhere: the file exists and the anchor
is an id in it. External links are not fetched (no network), but must be well-formed."""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest

LINK_ATTRIBUTES = {("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"),
                   ("img", "src"), ("source", "src"), ("iframe", "src"), ("form", "action")}
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}"
                  r"|localhost|\d{1,3}(?:\.\d{1,3}){3}", re.IGNORECASE)
BASE = "http://site.invalid/"  # resolves relative links; never fetched


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.ids.add(values[name])
        for attribute, value in attrs:
            if (tag, attribute) in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, value))


def page_url(site: Path, file: Path) -> str:
    return BASE + file.relative_to(site).as_posix()


def target_file(site: Path, path: str) -> Path | None:
    """The file a URL path is served from, as a static server serves it."""
    relative = PurePosixPath(unquote(path).lstrip("/"))
    candidate = site.joinpath(*relative.parts) if relative.parts else site
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def external_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if any(c.isspace() for c in url) or any(c in url for c in '<>"'):
        return "has spaces or characters that must be escaped"
    if not parts.hostname or not HOST.fullmatch(parts.hostname):
        return "has no valid host name"
    return None


@pytest.fixture(scope="module")
def crawl(seed_site):
    site = seed_site.site
    pages = {}
    for file in sorted(site.rglob("*.html")):
        parser = _PageParser()
        parser.feed(file.read_text("utf-8"))
        pages[file] = parser
    return site, pages


def test_the_crawl_covers_the_whole_site(crawl):
    site, pages = crawl
    names = {f.relative_to(site).as_posix() for f in pages}
    for expected in ("index.html", "timeline/2016/09/index.html", "sources/index.html",
                     "events/aid-convoy-bombed/index.html", "404.html"):
        assert expected in names
    assert any(n.startswith("narratives/") for n in names)
    assert sum(len(p.links) for p in pages.values()) > 2000


def test_every_internal_link_resolves_to_a_file_and_an_existing_anchor(crawl):
    site, pages = crawl
    ids = {file: parser.ids for file, parser in pages.items()}
    broken = defaultdict(list)
    checked = 0
    for file, parser in pages.items():
        here = page_url(site, file)
        for tag, raw in parser.links:
            url = urljoin(here, raw)
            if not url.startswith(BASE):
                continue
            checked += 1
            parts = urlsplit(url)
            target = target_file(site, parts.path[len(urlsplit(BASE).path):])
            where = file.relative_to(site).as_posix()
            if target is None:
                broken[where].append(f"{raw} (no such file)")
            elif parts.fragment and target.suffix == ".html" \
                    and unquote(parts.fragment) not in ids[target]:
                broken[where].append(f"{raw} (no id {unquote(parts.fragment)!r})")
            elif parts.fragment and target.suffix != ".html":
                broken[where].append(f"{raw} (anchor into a non-HTML file)")
    assert checked > 2000
    assert not broken, "broken links:\n" + "\n".join(
        f"{page}: {', '.join(links[:5])}" for page, links in sorted(broken.items()))


def test_every_external_link_is_well_formed(crawl):
    site, pages = crawl
    bad, seen = [], 0
    for file, parser in pages.items():
        for tag, raw in parser.links:
            scheme = urlsplit(raw).scheme.lower()
            if scheme in ("http", "https"):
                seen += 1
                problem = external_problem(raw)
                if problem:
                    bad.append(f"{file.relative_to(site)}: {raw} {problem}")
            elif scheme and scheme != "mailto":
                bad.append(f"{file.relative_to(site)}: {raw} uses the scheme {scheme!r}")
    assert seen > 0
    assert not bad, "\n".join(bad[:20])
