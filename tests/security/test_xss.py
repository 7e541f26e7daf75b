"""No value from the records becomes active markup anywhere in the built site.

Every payload of the XSS corpus (``TIMELINE_XSS_CORPUS``, by default
``tests/security/corpora/rsnake.txt``) and the Markdown vectors of ``hostile.py`` goes into
every free-text field of its own records, in ONE events file that is built ONCE, however
large the corpus. Then:

* every HTML page, every entry of the search index (which the theme shows as HTML) and the
  sitemap is parsed, and compared with a clean reference site: no element or attribute shape
  the templates and theme never write, no event handler, no javascript:/data:/vbscript: URL,
  no script or style sheet the theme does not ship;
* every payload is still there, shown as text: in the page heading, in ``<title>``, in the
  navigation and in the data files, character for character (nothing is lost to escaping);
* headless Chromium visits the pages that hold payloads, and the search results for them,
  and sees no dialog, no call to alert/confirm/prompt/eval/document.write, no request to
  another host and no navigation, while the theme's own scripts still run.

Fields that only take ids, tags, dates, statuses, languages or URLs must refuse every payload
with a problem instead; and the header and narrative fields, which a file has few of, are
rendered for every payload through the pure renderer.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
import yaml

from builder.records.check import check_text
from builder.records.validate import LANGUAGE, SLUG
from tests.security.hostile import (ROOT, all_payloads, corpus_path, fitted, hostile_timeline,
                                    load_corpus, quoted)
from tests.security.pages import heading_text, rendered_pages, sanitizer
from tests.security.scan import (Allowlist, active_markup, outside_sanitizer, site_findings,
                                 text_of, visible)
from tests.support.fixtures import serve_folder
from tests.support.sites import build

pytestmark = pytest.mark.slow

SITE_NAME = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
# Everything the inline Markdown subset may legitimately produce, for the clean reference.
BENIGN = ("[inert](https://example.org%3E) Plain *em* **strong** `code` ~~gone~~ "
          "[a link](https://example.org/a \"t\") <https://example.org/auto> "
          "[m](mailto:a@example.org) a < b & c > d \"q\" 'q' hard  \nbreak soft\nbreak")
REFERENCE_EVENTS = 60  # more than a listing page holds, so the pager is in the reference too


@pytest.fixture(scope="module")
def payloads() -> list[str]:
    assert load_corpus(), f"the corpus at {corpus_path()} is empty"
    return all_payloads()


@pytest.fixture(scope="module")
def reference(seed_site, tmp_path_factory) -> Allowlist:
    """The markup the templates and the theme write, from two clean sites."""
    clean = build(tmp_path_factory.mktemp("clean"),
                  hostile_timeline([f"{BENIGN} {i}" for i in range(REFERENCE_EVENTS)]))
    assert clean.ok, clean.stderr
    allow = Allowlist()
    allow.learn_site(clean.site)
    allow.learn_site(seed_site.site)
    return allow


@pytest.fixture(scope="module")
def hostile(payloads, tmp_path_factory):
    site = build(tmp_path_factory.mktemp("hostile"), hostile_timeline(payloads), timeout=1800)
    assert site.ok, f"the hostile site did not build:\n{site.stdout}\n{site.stderr}"
    return site


def test_no_page_search_entry_or_sitemap_holds_active_markup(hostile, reference):
    findings = site_findings(hostile.site, reference)
    assert not findings, (f"{len(findings)} findings, the first ones:\n"
                          + "\n".join(map(str, findings[:40])))


def test_the_scan_sees_what_it_must_refuse(reference):
    """The scanner itself: each kind of active markup is found, the theme's own is not."""
    for bad in ['<img src=x onerror="alert(1)">', '<a href="&#x6A;ava&#x09;script:x">a</a>',
                '<p style="color:red">x</p>', "<script>alert(1)</script>",
                '<meta http-equiv="refresh" content="0;url=https://example.org">',
                '<iframe src="https://example.org"></iframe>', '<a href=" data:text/html,x">']:
        assert active_markup(bad, "probe", reference), bad
    assert not active_markup('<p class="tl-summary"><em>x</em></p>', "probe", reference)


def _title_tag(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert match, "no <title>"
    assert "<" not in match.group(1), f"markup inside <title>: {match.group(1)[:200]!r}"
    return html.unescape(match.group(1))


def _article(page: str) -> str:
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page,
                      re.DOTALL)
    assert match, "no article"
    return match.group(1)


def test_every_payload_is_shown_as_text_in_heading_title_and_body(hostile, payloads):
    wrong = []
    for i, payload in enumerate(payloads):
        page = hostile.html(f"events/e{i}/")
        title = visible(fitted(payload, "title"))
        article = _article(page)
        body = visible(text_of(article))
        heading = visible(heading_text(article))
        if heading != title:
            wrong.append(f"e{i} heading {heading!r} != {title!r}")
        if visible(_title_tag(page)) != f"{title} - {SITE_NAME}":
            wrong.append(f"e{i} <title> {_title_tag(page)!r}")
        for field in ("text", "quote", "name", "publisher", "source title"):
            if visible(fitted(payload, field)) not in body:
                wrong.append(f"e{i}: the {field} is not shown as written")
    assert not wrong, "\n".join(wrong[:30])


def test_narrative_titles_in_the_navigation_are_text(hostile, payloads):
    page = hostile.html("")
    links: dict[str, list[str]] = {}
    for match in re.finditer(r'<a href="(narratives/n\d+/)"[^>]*>(.*?)</a>', page, re.DOTALL):
        links.setdefault(match.group(1), []).append(visible(text_of(match.group(2))))
    assert links, "no narrative in the navigation"
    for url, texts in links.items():
        k = int(url.split("/")[1][1:])
        assert visible(fitted(payloads[k], "title")) in texts, (url, texts)


def test_data_files_keep_every_payload_exactly_and_hold_no_markup(hostile, payloads):
    raw = (hostile.site / "data" / "events.json").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw, "markup characters in events.json"
    events = {e["id"]: e for e in json.loads(raw)["events"]}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        (hostile.site / "data" / "events.csv").read_bytes().decode("utf-8"), newline=""))}
    for i, payload in enumerate(payloads):
        event = events[f"e{i}"]
        assert event["title"] == fitted(payload, "title")
        assert event["summary"] == fitted(payload, "summary")
        assert event["claims"][0]["text"] == fitted(payload, "text")
        assert event["sources"][0]["quote"] == fitted(payload, "quote")
        title = rows[f"e{i}"]["title"]
        assert title in (fitted(payload, "title"), "'" + fitted(payload, "title"))
        assert not title.startswith(("=", "+", "-", "@")), "a spreadsheet would run this cell"


# -- fields that hold ids, tags, dates, statuses, languages or addresses ----------------------
def _refusing_file(payloads: list[str], ids: bool) -> tuple[str, dict[int, tuple[str, str]]]:
    """An events file in which each payload is, in turn, the only wrong value of a record:
    its id (when ``ids``), or else a tag, status, date, reference, language, coordinate or
    address. (A reference to a record whose own id was refused is not reported again, so
    ids and references are tried in separate files.) Returns the text and
    {line: (field, payload)}."""
    lines = ["timeline:", "  title: Refusals", "sources:",
             "  ok:", "    title: T", "    publisher: P", '    published: "2016-09-25"']
    where: dict[int, tuple[str, str]] = {}

    def add(text: str, field: str | None = None, payload: str | None = None):
        lines.append(text)
        if field:
            where[len(lines)] = (field, payload)

    def source(ident: str, **fields: str):
        add(f"  {ident}:")
        values = {"title": "T", "publisher": "P", "published": '"2016-09-25"', **fields}
        for name, value in values.items():
            add(f"    {name}: {value}", name if name in fields else None, payload)

    for i, payload in enumerate(payloads):
        q = quoted(payload)
        for field in ("published", "url", "archive_url", "language", "accessed"):
            source(f"s{i}-{field.replace('_', '-')}", **{field: q})
    add("actors:")
    add("  ok:")
    add("    name: N")
    for i, payload in enumerate(payloads):
        q = quoted(payload)
        if ids:
            add(f"  {q}:", "actor id", payload)
            add("    name: N")
        add(f"  a{i}:")
        add("    name: N")
        add(f"    names: {{{q}: N}}", "names language", payload)
    add("places:")
    for i, payload in enumerate(payloads):
        q = quoted(payload)
        add(f"  p{i}:")
        add("    name: N")
        add(f"    lat: {q}", "lat", payload)
        add("    lon: 1")
    add("events:")
    valid = {"id": None, "date": '"2016-09-25"', "title": "T", "summary": "S",
             "status": "reported", "place": None, "actors": "[ok]", "tags": "[ok]",
             "sources": "[ok]"}
    for i, payload in enumerate(payloads):
        q = quoted(payload)
        fields = ("id",) if ids else ("date", "status", "place", "actors", "tags", "sources",
                                      "claim by", "claim source")
        for k, field in enumerate(fields):
            event = dict(valid, id=f"e{i}-{k}")
            if field in event:
                event[field] = f"[{q}]" if field in ("actors", "tags", "sources") else q
            add(f"  - id: {event.pop('id')}", "event id" if field == "id" else None, payload)
            for name, value in event.items():
                if value is not None:
                    add(f"    {name}: {value}", field if name == field else None, payload)
            if field.startswith("claim"):
                add("    claims:")
                add(f"      - by: {q if field == 'claim by' else 'ok'}",
                    field if field == "claim by" else None, payload)
                add("        text: T")
                add(f"        source: {q if field == 'claim source' else 'ok'}",
                    field if field == "claim source" else None, payload)
    add("narratives:")
    for i, payload in enumerate(payloads):
        q = quoted(payload)
        fields = ("id",) if ids else ("events", "tags", "actors", "from", "to")
        for k, field in enumerate(fields):
            add(f"  - id: {q if field == 'id' else f'n{i}-{k}'}",
                "narrative id" if field == "id" else None, payload)
            add("    title: T")
            add("    intro: I")
            value = {"events": f"[{q}]", "tags": f"[{q}]", "actors": f"[{q}]",
                     "from": q, "to": q}.get(field)
            if field in ("id", "from", "to"):
                add("    tags: [ok]")
            if value:
                add(f"    {field}: {value}", f"narrative {field}", payload)
    return "\n".join(lines) + "\n", where


def _acceptable(field: str, payload: str) -> bool:
    """A payload that is a valid value for the field (then it is harmless by construction)."""
    if field in ("actor id", "event id", "tags", "narrative id", "narrative tags",
                 "actors", "claim by", "narrative actors", "narrative events"):
        return bool(SLUG.fullmatch(payload))
    if field in ("language", "names language"):
        return bool(LANGUAGE.fullmatch(payload))
    return False


@pytest.mark.parametrize("ids", [True, False], ids=["ids", "other-fields"])
def test_id_tag_date_status_language_and_url_fields_refuse_every_payload(payloads, ids):
    text, where = _refusing_file(payloads, ids)
    result = check_text(text)
    assert not result.ok and result.timeline is None
    lines_with_errors = {p.line for p in result.errors}
    missed = [f"line {line}: {field} accepted {payload!r}"
              for line, (field, payload) in where.items()
              if line not in lines_with_errors and not _acceptable(field, payload)]
    assert not missed, "\n".join(missed[:30])


# -- fields a file has few of: rendered for every payload, without MkDocs -----------------------
def _single_fields_timeline(payload: str) -> str:
    q_title, q_text = quoted(fitted(payload, "title")), quoted(fitted(payload, "intro"))
    return f"""timeline:
  title: {q_title}
  description: {quoted(fitted(payload, "description"))}
sources:
  s:
    title: T
    publisher: P
    published: "2016-09-25"
events:
  - id: e
    date: "2016-09-25"
    title: T
    summary: S
    status: reported
    sources: [s]
narratives:
  - id: n
    title: {q_title}
    intro: {q_text}
    events: [e]
"""


def test_header_and_narrative_fields_render_inert_for_every_payload(payloads):
    wall = sanitizer()
    findings = []
    for payload in payloads:
        result = check_text(_single_fields_timeline(payload))
        assert result.ok, (payload, result.problems[:3])
        pages = rendered_pages(result.timeline)
        for path, body in pages.items():
            where = f"{path} with {payload[:60]!r}"
            findings += outside_sanitizer(body, where, wall)
            findings += active_markup(wall.clean(body), where + " (cleaned)")
        assert visible(heading_text(pages["narratives/n.md"])) == visible(fitted(payload, "title"))
    assert not findings, "\n".join(map(str, findings[:30]))


# -- a real browser -----------------------------------------------------------------------------
# Calls are written into an attribute of <html>, which the test reads from Playwright's own
# isolated world: reading them with page.evaluate would itself go through the eval trap.
_TRAPS = """
(() => {
  const hits = [];
  const record = (label, args) => {
    hits.push(label + "(" + String(args[0]).slice(0, 80) + ")");
    document.documentElement.setAttribute("data-trapped", JSON.stringify(hits));
  };
  const trap = (owner, name, label) => { owner[name] = function (...args) { record(label, args); }; };
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) trap(window, name, name);
  trap(Document.prototype, "write", "document.write");
  trap(Document.prototype, "writeln", "document.writeln");
  const realEval = window.eval;
  window.eval = function (code) { record("eval", [code]); return realEval(code); };
  // The theme's scripts still run, and find their settings where they left them.
  window.addEventListener("load", () => document.documentElement.setAttribute("data-theme",
    JSON.stringify({config: (document.getElementById("__config") || {}).tagName || null,
                    running: typeof window.component$ === "object"})));
})();
"""
_REMOTE_FONTS = ("fonts.googleapis.com", "fonts.gstatic.com")


def _pages_with_payloads(site, events: int, others: int) -> list[str]:
    """Listing pages, the home page, and an even sample of each kind of record page."""
    listing = ["", "timeline/", "sources/", "actors/", "places/", "tags/", "tags/t0/"]
    listing += sorted(str(p.parent.relative_to(site)) + "/"
                      for p in (site / "timeline").rglob("index.html"))
    sample = []
    for section, prefix in (("events", "e"), ("actors", "a"), ("places", "p"),
                            ("sources", "s"), ("narratives", "n")):
        found = sorted(int(p.name[1:]) for p in (site / section).iterdir()
                       if re.fullmatch(prefix + r"\d+", p.name))
        wanted = events if section == "events" else others
        step = max(1, -(-len(found) // wanted))
        sample += [f"{section}/{prefix}{n}/" for n in found[::step]]
    return list(dict.fromkeys(listing + sample))


@pytest.mark.browser
def test_visiting_the_pages_runs_nothing_and_goes_nowhere(browser, hostile):
    server, base = serve_folder(hostile.site)
    context = browser.new_context()
    context.add_init_script(_TRAPS)
    remote, dialogs = [], []
    searching = False  # the search index is large: only load it where the search is tried

    def route(request_route):
        url = request_route.request.url
        if not url.startswith(base) and not any(host in url for host in _REMOTE_FONTS):
            remote.append(url)
        if url.startswith(base) and (searching or "/search/" not in url):
            request_route.continue_()
        else:
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = []
    try:
        # The traps themselves: a page that does run script is caught.
        page.goto("data:text/html,<p>x</p><script>alert(1)</script><img src=x onerror=eval(2)>")
        page.wait_for_timeout(100)
        assert page.locator("html").get_attribute("data-trapped") == '["alert(1)","eval(2)"]'
        for path in _pages_with_payloads(hostile.site, events=300, others=10):
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(20)
            root = page.locator("html")
            hits, theme = root.get_attribute("data-trapped"), root.get_attribute("data-theme")
            if hits:
                problems.append(f"{path}: {hits}")
            if page.url != base + path:
                problems.append(f"{path}: navigated to {page.url}")
            if theme != '{"config":"SCRIPT","running":true}':
                problems.append(f"{path}: the theme's scripts are disturbed: {theme}")
        # The theme renders search results as HTML from the index: search for payloads.
        searching = True
        page.goto(base, wait_until="load")
        page.keyboard.press("/")  # the theme's shortcut: open the search and focus it
        for query in ("alert", "script", "onerror", "javascript"):
            page.locator("input.md-search__input").fill(query)
            # The hostile site's index is large: on a busy 2-core machine the theme's search
            # worker can take well over ten seconds to build it before the first result.
            page.locator(".md-search-result__item").first.wait_for(timeout=90_000)
            page.wait_for_timeout(200)
            hits = page.locator("html").get_attribute("data-trapped")
            if hits:
                problems.append(f"search {query!r}: {hits}")
    finally:
        context.close()
        server.shutdown()
    assert not dialogs, dialogs
    assert not remote, f"requests to other hosts: {remote[:10]}"
    assert not problems, "\n".join(problems[:30])
