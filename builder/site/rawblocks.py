"""Set the raw HTML blocks of a generated page aside while Python-Markdown runs.

Python-Markdown passes a block of raw HTML through unchanged, but to find where the block
ends it feeds every tag in it through its pure-Python HTML parser. The pages made from the
records are mostly such blocks (entries, citations, claims), so at 10,000 events that parsing
was most of the build. The MkDocs plugin therefore swaps each raw block for a one-line
placeholder before Markdown and puts the block back, unchanged, afterwards: the same HTML
for a fraction of the cost.

Only blocks whose extent is plain from their lines are set aside: a paragraph (text between
blank lines) made of top-level elements that each start a line with a block-level tag and end
a line with its closing tag, the way the templates write them. Anything else is left to
Markdown, which treats it exactly as before. Pure: no MkDocs import.
"""

from __future__ import annotations

import re
import secrets

# Block-level tags the templates start raw blocks with (Python-Markdown treats them as such).
BLOCK_TAGS = frozenset({
    "div", "p", "ol", "ul", "dl", "nav", "form", "blockquote", "table", "pre", "details",
    "section", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
_OPENING = re.compile(r"<([a-z][a-z0-9]*)(?=[\s>])")
_UNSAFE = ("markdown=", "\x02", "\x03")  # md_in_html, and Markdown's own placeholders
_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE)


def _tag_counter(tag: str):
    opening = re.compile(rf"<{tag}(?=[\s>/])")
    closing = re.compile(rf"</{tag}\s*>")
    return lambda line: len(opening.findall(line)) - len(closing.findall(line))


_COUNTERS = {tag: _tag_counter(tag) for tag in BLOCK_TAGS}
# One token per process: record text cannot contain what it cannot know.
_TOKEN = f"tl-raw-{secrets.token_hex(8)}-"
_PLACEHOLDER = re.compile(rf"(?:<p>)?{re.escape(_TOKEN)}(\d+)(?:</p>)?")


def is_raw_block(paragraph: str) -> bool:
    """Whether Python-Markdown would pass this paragraph through as raw HTML, unchanged."""
    if not paragraph.startswith("<") or any(mark in paragraph for mark in _UNSAFE):
        return False
    depth, count, tag = 0, None, ""
    for line in paragraph.rstrip().split("\n"):
        if depth == 0:  # a new top-level element must start here, at the start of the line
            opening = _OPENING.match(line)
            if opening is None or opening.group(1) not in BLOCK_TAGS:
                return False
            tag = opening.group(1)
            count = _COUNTERS[tag]
        depth += count(line)
        if depth < 0:
            return False
        if depth == 0 and not line.rstrip().endswith(f"</{tag}>"):
            return False
    return depth == 0


class RawBlocks:
    """The blocks set aside from one page, and how to put them back."""

    def __init__(self):
        self.blocks: list[str] = []

    def set_aside(self, markdown: str) -> str:
        if ("```" in markdown or "~~~" in markdown) and _FENCE.search(markdown):
            # Inside a fenced code block, HTML is text to show: leave such pages to Markdown.
            return markdown
        paragraphs = _PARAGRAPHS.split(markdown)
        separators = _PARAGRAPHS.findall(markdown)
        out = []
        for index, paragraph in enumerate(paragraphs):
            block = paragraph.lstrip("\n")  # more blank lines before it change nothing
            if is_raw_block(block):
                out.append(paragraph[:len(paragraph) - len(block)])
                out.append(f"{_TOKEN}{len(self.blocks)}")
                self.blocks.append(block)
            else:
                out.append(paragraph)
            if index < len(separators):
                out.append(separators[index])
        return "".join(out)

    def put_back(self, html: str) -> str:
        restored: set[int] = set()

        def block(match: re.Match) -> str:
            number = int(match.group(1))
            restored.add(number)
            return self.blocks[number]

        html = _PLACEHOLDER.sub(block, html)
        if len(restored) != len(self.blocks):
            missing = sorted(set(range(len(self.blocks))) - restored)
            raise ValueError(f"{len(missing)} raw HTML block(s) went missing in Markdown")
        return html
