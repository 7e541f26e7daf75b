"""Links from hand-written pages to events: ``[the convoy strike](event:aid-convoy-bombed)``.

A link whose target is ``event:<id>`` becomes a link to the event's page, followed by the
event's date in the words of the templates: "the convoy strike (12–24 September 2016)". An
id that is not a slug, or that no event has, is a problem at the link's line and column, so
a page cannot point to an event that does not exist.

Code is left alone: text in fenced code blocks and inline code spans is documentation of the
syntax, not a link. Event links must be written inline; a reference definition
(``[x]: event:id``) has no place for the date and is reported.

Pure: text in, text and problems out. The MkDocs plugin applies it to every content page.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Collection
from pathlib import Path

from builder.records.model import Timeline
from builder.records.problems import Problem, sorted_problems
from builder.site.render import date_iso, event_path, make_environment
from builder.records.validate import SLUG

_INLINE_TARGET = re.compile(
    r"\]\(\s*(?P<scheme>event:)(?P<id>[^\s)]*)(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_TARGET = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<scheme>event:)")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
# A code span ends at the same run of backticks, within its paragraph (no blank line).
_CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)",
                        re.DOTALL)


def _blank(text: str) -> str:
    """The text with every character but line breaks replaced, so positions are kept."""
    return re.sub(r"[^\n]", " ", text)


def mask_code(text: str) -> str:
    """A copy of the text, same length, with fenced code blocks and code spans blanked."""
    lines = text.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group("fence")
            lines[number] = _blank(line)
        elif fence is not None:
            closing = opening and opening.group("fence")[0] == fence[0] \
                and len(opening.group("fence")) >= len(fence) \
                and not line[opening.end():].strip()
            lines[number] = _blank(line)
            if closing:
                fence = None
    masked = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: _blank(m.group()), masked)


def _position(text: str, offset: int, first_line: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return first_line + line, column + 1


def event_page_target(page_path: str, event_id: str) -> str:
    """The Markdown link target from a content page to an event page (MkDocs checks it)."""
    return posixpath.relpath(event_path(event_id), posixpath.dirname(page_path) or ".")


def rewrite_event_links(text: str, page_path: str, event_ids: Collection[str],
                        describe: Callable[[str], str], display_path: str,
                        first_line: int = 1) -> tuple[str, list[Problem]]:
    """Replace every ``event:<id>`` link target in a Markdown page.

    page_path: the page's path in the site sources ("index.md", "about/x.md"), to make
    relative links. describe: the Markdown that follows the link, e.g. " (9 September 2016)".
    display_path and first_line: where the text comes from, for problems ("content/x.md";
    the line the text starts on, when front matter was taken off it).
    """
    masked = mask_code(text)
    problems: list[Problem] = []

    def problem(offset: int, rule: str, message: str) -> None:
        line, column = _position(text, offset, first_line)
        problems.append(Problem(display_path, line, column, rule, message))

    for match in _REFERENCE_TARGET.finditer(masked):
        problem(match.start("scheme"), "event-link-reference",
                "an event link must be written inline, as [text](event:id), so that the "
                "event's date can follow it")

    pieces: list[str] = []
    done = 0
    for match in _INLINE_TARGET.finditer(masked):
        ident = match.group("id")
        where = match.start("scheme")
        if not SLUG.fullmatch(ident):
            problem(where, "invalid-event-link",
                    f"'event:{ident}' does not name an event: an event id has only lowercase "
                    "letters, digits and single hyphens")
            continue
        if ident not in event_ids:
            close = difflib.get_close_matches(ident, list(event_ids), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problem(where, "unknown-event",
                    f"the link to 'event:{ident}' names no event in the timeline{hint}")
            continue
        title = text[match.start("title"):match.end("title")] if match.group("title") else ""
        pieces.append(text[done:match.start()])
        pieces.append(f"]({event_page_target(page_path, ident)}{title}){describe(ident)}")
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces), sorted_problems(problems)


def date_describer(timeline: Timeline, templates: Path) -> Callable[[str], str]:
    """The words after an event link, " (12–24 September 2016)", from the templates."""
    env = make_environment(templates)
    words = env.get_template("_transitions.md.j2").make_module({"date_iso": date_iso})

    def describe(event_id: str) -> str:
        return str(words.link_date(timeline.events_by_id[event_id].date))

    return describe


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines of the source file come before the Markdown (its front matter)."""
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def display_path(docs_dir: str, src_path: str, project_dir: str) -> str:
    """A content file's path as an editor finds it from the project folder."""
    full = Path(docs_dir) / src_path
    try:
        return full.relative_to(project_dir).as_posix()
    except ValueError:
        return full.as_posix()
