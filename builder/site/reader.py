"""Values the pages offer readers beyond the records: citations of an entry, the facets of
the filter on listing pages, and the writing direction of names in other scripts.

Pure functions; the templates decide the wording and markup.
"""

from __future__ import annotations

import re

from builder.records.model import STATUSES, Event, Timeline

# Languages (ISO 639) whose usual script runs right to left. A script subtag, when given,
# decides instead (e.g. "ku-Arab" is right to left, "az-Latn" left to right).
RTL_LANGUAGES = frozenset({
    "ar", "arc", "azb", "ckb", "dv", "fa", "glk", "he", "iw", "ks", "lrc", "mzn", "pnb",
    "prs", "ps", "sd", "syr", "ug", "ur", "yi"})
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc",
                         "thaa"})

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%",
    "&": r"\&", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_WHITESPACE = re.compile(r"\s+")


def text_direction(language: str) -> str:
    """The ``dir`` of a name written in ``language``: "rtl", "ltr", or "auto" if unknown."""
    primary, *subtags = language.lower().split("-")
    script = next((tag for tag in subtags if len(tag) == 4 and tag.isalpha()), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if primary in RTL_LANGUAGES else "auto"


def entry_actors(event: Event) -> list[str]:
    """Everyone an entry is about: its actors, then the authors of its claims."""
    return list(dict.fromkeys(list(event.actors) + [c.by for c in event.claims]))


def facets(timeline: Timeline, events: list[Event]) -> dict[str, list[str]]:
    """What the events of one listing page can be narrowed to, in a reader's order."""
    present = {e.status for e in events}
    actor_ids = {a for e in events for a in entry_actors(e)}
    return {
        "statuses": [s for s in STATUSES if s in present],
        "actors": sorted(actor_ids, key=lambda a: (timeline.actors[a].name.casefold(), a)),
        "tags": sorted({t for e in events for t in e.tags}),
    }


def permalink(event_id: str, site_url: str | None) -> str:
    """The permanent address of an entry: absolute when the site's address is configured,
    else its path on the site (an address is never guessed)."""
    path = f"events/{event_id}/"
    return site_url.rstrip("/") + "/" + path if site_url else path


def bibtex_text(text: str) -> str:
    """Text for a BibTeX field: one line, with every character TeX would act on escaped,
    so that braces always balance and nothing runs as a command."""
    text = _WHITESPACE.sub(" ", text).strip()
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)


def bibtex_url(url: str) -> str:
    """An address for a BibTeX ``url`` field, which is read verbatim: characters that would
    end the field or break it are percent-encoded, as they may be in any URL."""
    return "".join(f"%{ord(c):02X}" if c in "{}\\" or c.isspace() else c for c in url)
