"""Hostile records for the security tests: payloads, and timelines that carry them everywhere.

The payloads come from a corpus file (one payload a line; ``TIMELINE_XSS_CORPUS`` names it,
by default ``tests/security/corpora/rsnake.txt``, MIT-licensed, see its README) plus the Markdown
vectors below, which the corpus does not know about: link titles and autolinks that try to
leave ``[..](..)``, ``attr_list`` braces, raw HTML after a blank line, entity-encoded markup
that a later unescape could revive, and so on.

``hostile_timeline(payloads)`` writes one valid events file in which every payload fills
every free-text field of its own records (event, claim, citation, actor, place, source,
narrative), so a corpus of any size is built into one site, once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from builder.records.validate import LIMITS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(__file__).resolve().parent / "corpora" / "rsnake.txt"

MARKDOWN_VECTORS = [
    # Links and images with active URLs, in every spelling a parser might decode.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](<javascript:alert(1)>)",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](\x01javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click](//evil.example/x)",
    "![pic](javascript:alert(1))",
    "![pic](https://evil.example/x.png)",
    '![pic](x" onerror="alert(1))',
    # Link titles and destinations that try to break out into attributes.
    '[a](https://example.org "t\\" onmouseover=\\"alert(1)")',
    "[a](https://example.org 'x' onclick='alert(1)')",
    '[a](https://example.org" onclick="alert(1))',
    "[a](https://example.org><script>alert(1)</script>)",
    # Autolinks and reference definitions.
    "<javascript:alert(1)>",
    "<https://example.org\" onmouseover=\"alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "see [a][r] and [r]\n\n[r]: javascript:alert(1)",
    "[r]: javascript:alert(1) \"x\"",
    # attr_list and heading-id braces.
    "text {onclick=alert(1)}",
    "text { onclick=\"alert(1)\" }",
    "*a*{onclick=alert(1)}",
    "[a](https://example.org){onclick=alert(1)}",
    "`code`{: onmouseover=alert(1)}",
    "x {#id onclick=alert(1)}",
    "x {: .md-button style=\"position:fixed;inset:0\" }",
    "x {data-md-component=search}",
    "} {onclick=alert(1)",
    # Raw HTML, alone, behind blank lines, in comments and in mutation-XSS shapes.
    "<script>alert(1)</script>",
    "</p><script>alert(1)</script><p>",
    "x\n\n<script>alert(1)</script>\n\ny",
    "x\n\n<div markdown=\"1\"><img src=x onerror=alert(1)></div>",
    "x\r\n\r\n<svg onload=alert(1)>",
    "<!-- x --><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "<img src=x onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<<script>script>alert(1)<</script>/script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<details open ontoggle=alert(1)>",
    # Entity-encoded markup: harmless unless something decodes it twice (page titles do).
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "</title><script>alert(1)</script>",
    "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    # Markdown block syntax, which text never should reach.
    "x\n\n!!! note \"<script>alert(1)</script>\"\n    body",
    "x\n\n??? note onclick=alert(1)\n    body",
    "x\n\n```html\n<script>alert(1)</script>\n```",
    "x\n\n[^1]: <script>alert(1)</script>",
    "x[^1]\n\n[^1]: [a](javascript:alert(1))",
    "x\n\n# <img src=x onerror=alert(1)>",
    "x\n\n---\ntitle: <script>alert(1)</script>\n---",
    "x\n\n| a |\n|---|\n| <script>alert(1)</script> |",
    # Template syntax (values are data, never templates).
    "{{ 7*7 }} {% raw %}<script>alert(1)</script>{% endraw %}",
    "{{ config.__class__ }}",
    # Names the theme's scripts look up: a heading id "__config" would shadow its settings.
    "__config",
    "md-container",
    "x {#__config}",
    # Invisible and directional characters.
    "\u202egnp.exe <script>alert(1)</script>",
    "java\u200bscript:alert(1)",
]


def corpus_path() -> Path:
    return Path(os.environ.get("TIMELINE_XSS_CORPUS") or DEFAULT_CORPUS)


def load_corpus(path: Path | None = None) -> list[str]:
    """The corpus payloads, one a line, without blank lines and without duplicates."""
    text = (path or corpus_path()).read_text(encoding="utf-8", errors="replace")
    return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))


def all_payloads() -> list[str]:
    return list(dict.fromkeys(load_corpus() + MARKDOWN_VECTORS))


# -- writing YAML -------------------------------------------------------------------------------
# Outside YAML's printable set, the line separators (which YAML and the loader treat as line
# breaks when written raw), backslash and double quote: written as escapes.
_NEEDS_ESCAPE = re.compile(
    "[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\\\\\"]")


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in '\\"':
        return "\\" + char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly as ``text``."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def fitted(text: str, limit: str) -> str:
    """The payload cut to the checker's length limit for the field, so the file stays valid."""
    text = text if text.strip() else "x" + text  # a blank value is refused as empty
    return text[:LIMITS[limit]]


# -- timelines ----------------------------------------------------------------------------------
_RECORD_LINK = re.compile(r"(?:\b(event):|\b(events|narratives|actors|places|sources|tags)/)"
                          r"([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/|\b)")


def linked_records(content: Path = ROOT / "content") -> dict[str, list[str]]:
    """Records that the hand-written pages link to, by section: without them a site does not
    build (strict MkDocs stops at a link to a missing page)."""
    found: dict[str, list[str]] = {s: [] for s in
                                   ("events", "narratives", "actors", "places", "sources", "tags")}
    for page in sorted(content.rglob("*.md")):
        for scheme, section, ident in _RECORD_LINK.findall(page.read_text(encoding="utf-8")):
            if ident != "index":  # a section's own index page, not a record
                found["events" if scheme else section].append(ident)
    return {section: list(dict.fromkeys(ids)) for section, ids in found.items()}


def _linked_records_yaml() -> dict[str, list[str]]:
    """YAML lines for benign records with the ids the hand-written pages link to."""
    linked = linked_records()
    lines = {"sources": [], "actors": [], "places": [], "events": [], "narratives": []}
    for ident in linked["sources"]:
        lines["sources"] += [f"  {ident}:", "    title: Linked", "    publisher: Linked",
                             '    published: "2016-09-25"']
    for section in ("actors", "places"):
        for ident in linked[section]:
            lines[section] += [f"  {ident}:", "    name: Linked"]
    events = linked["events"] or ["linked-event"]
    tags = linked["tags"] or ["linked"]
    for ident in events:
        lines["events"] += [f"  - id: {ident}", '    date: "2016-09-28"',
                            "    title: Linked from a page",
                            "    summary: An event that a hand-written page links to.",
                            f"    actors: [{', '.join(linked['actors'])}]",
                            f"    place: {linked['places'][0]}" if linked["places"] else "",
                            f"    tags: [{', '.join(tags)}]",
                            "    status: reported",
                            f"    sources: [{', '.join(linked['sources'] + ['s0'])}]"]
    for ident in linked["narratives"]:
        lines["narratives"] += [f"  - id: {ident}", "    title: Linked",
                                "    intro: A narrative that a hand-written page links to.",
                                f"    events: [{events[0]}]"]
    return {k: [line for line in v if line] for k, v in lines.items()}


def _joined(parts: list[str], limit: str) -> str:
    """Payloads as paragraphs of one text, as many as the field's length limit takes."""
    text = ""
    for part in parts:
        candidate = f"{text}\n\n{part}" if text else part
        if len(candidate) > LIMITS[limit]:
            break
        text = candidate
    return fitted(text or parts[0], limit)


TAG_COUNT = 7  # tags are slugs, never payloads: a few shared tag pages are enough
NARRATIVE_LIMIT = 40  # every narrative is in every page's navigation: keep the site linear


def hostile_timeline(payloads: list[str], header: str | None = None,
                     narratives: int = NARRATIVE_LIMIT) -> str:
    """An events file with payload number i in every text field of the records numbered i.

    ``header`` fills the timeline title and description (one of each per file). Narratives
    are capped (each one is in every page's navigation, so one per payload would make the
    site grow with the square of the corpus): narrative k has payload k as its title and
    payloads k, k + n, k + 2n… as the paragraphs of its intro.
    """
    header = payloads[0] if header is None else header
    linked = _linked_records_yaml()
    out = ["timeline:",
           f"  title: {quoted(fitted(header, 'title'))}",
           f"  description: {quoted(fitted(header, 'description'))}",
           "", "sources:"]
    for i, p in enumerate(payloads):
        out += [f"  s{i}:",
                f"    title: {quoted(fitted(p, 'source title'))}",
                f"    publisher: {quoted(fitted(p, 'publisher'))}",
                '    published: "2016-09-25"',
                f"    url: https://example.org/{i}?q=%3Cscript%3E&amp;x='y'",
                f"    author: {quoted(fitted(p, 'author'))}",
                f"    note: {quoted(fitted(p, 'note'))}"]
    out += linked["sources"] + ["", "actors:"]
    for i, p in enumerate(payloads):
        out += [f"  a{i}:",
                f"    name: {quoted(fitted(p, 'name'))}",
                f"    names: {{ar: {quoted(fitted(p, 'name'))}, en: {quoted(fitted(p, 'name'))}}}",
                f"    description: {quoted(fitted(p, 'description'))}"]
    out += linked["actors"] + ["", "places:"]
    for i, p in enumerate(payloads):
        out += [f"  p{i}:",
                f"    name: {quoted(fitted(p, 'name'))}",
                f"    names: {{ar: {quoted(fitted(p, 'name'))}}}",
                f"    description: {quoted(fitted(p, 'description'))}"]
    out += linked["places"] + ["", "events:"]
    for i, p in enumerate(payloads):
        out += [f"  - id: e{i}",
                f'    date: "2016-09-{1 + i % 28:02d}"',
                f"    title: {quoted(fitted(p, 'title'))}",
                f"    summary: {quoted(fitted(p, 'summary'))}",
                f"    place: p{i}",
                f"    actors: [a{i}]",
                f"    tags: [t{i % TAG_COUNT}]",
                "    status: claimed",
                "    claims:",
                f"      - by: a{i}",
                f"        text: {quoted(fitted(p, 'text'))}",
                f"        source: s{i}",
                "    sources:",
                f"      - source: s{i}",
                f"        quote: {quoted(fitted(p, 'quote'))}"]
    out += linked["events"]
    count = min(narratives, len(payloads))
    out += ["", "narratives:"]
    for k in range(count):
        members = [f"e{i}" for i in range(k, len(payloads), count)]
        out += [f"  - id: n{k}",
                f"    title: {quoted(fitted(payloads[k], 'title'))}",
                f"    intro: {quoted(_joined(payloads[k::count], 'intro'))}",
                f"    events: [{', '.join(members)}]"]
    out += linked["narratives"]
    return "\n".join(out) + "\n"


_RECORD_LINK_MARKDOWN = re.compile(
    r"\[([^\]]*)\]\((?:event:[^)\s]*|(?:\.\./)*(?:events|narratives|actors|places|sources|tags)"
    r"/(?!index\.md)[^)\s]*)\)")


def unlink_records(project: Path) -> None:
    """Turn the links from a project's hand-written pages to particular records into plain
    text, so that the pages build with any events file (e.g. a generated one)."""
    for page in (project / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(_RECORD_LINK_MARKDOWN.sub(r"\1", text), encoding="utf-8")
