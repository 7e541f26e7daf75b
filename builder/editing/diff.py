"""What a change does to the timeline: events, records and problems, compared by id.

`diff_timelines` is pure: it compares two check results. `read_version` fetches the text of
one version (a file, a git revision, or the working tree) and `render_markdown` turns the
comparison into the short Markdown summary that a pull request comment shows; its wording
lives in ``templates/diff.md.j2``.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import jinja2

from builder.records.check import CheckResult, check_bytes
from builder.records.model import Event, Narrative, Timeline
from builder.records.problems import Problem

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EVENT_FIELDS = ("date", "title", "summary", "status", "place", "actors", "tags", "sources",
                "quotes", "claims")


class VersionError(Exception):
    """A version that cannot be read: neither a file nor a git revision, or git failed."""


@dataclass(frozen=True)
class Change:
    """One field of a record that differs. Which attributes are set depends on the field."""

    field: str
    old: object = None
    new: object = None
    added: tuple = ()
    removed: tuple = ()
    changed: tuple = ()


@dataclass(frozen=True)
class EventChange:
    base: Event
    head: Event
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class RecordChange:
    id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RecordDiff:
    """Sources, actors, places or narratives: which ids came, went, or changed fields."""

    added: tuple = ()
    removed: tuple = ()
    changed: tuple[RecordChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class TimelineDiff:
    base_path: str
    head_path: str
    base_missing: bool = False  # the file does not exist in the base version
    head_missing: bool = False
    comparable: bool = True  # both versions loaded without errors
    base_problems: tuple[Problem, ...] = ()  # the base's errors, when it cannot be compared
    header: tuple[Change, ...] = ()
    events_added: tuple[Event, ...] = ()
    events_removed: tuple[Event, ...] = ()
    events_changed: tuple[EventChange, ...] = ()
    sources: RecordDiff = RecordDiff()
    actors: RecordDiff = RecordDiff()
    places: RecordDiff = RecordDiff()
    narratives: RecordDiff = RecordDiff()
    problems_introduced: tuple[Problem, ...] = ()
    problems_fixed: tuple[Problem, ...] = ()

    @property
    def records_changed(self) -> bool:
        return bool(self.header or self.events_added or self.events_removed
                    or self.events_changed or self.sources or self.actors or self.places
                    or self.narratives)

    @property
    def is_empty(self) -> bool:
        return (not self.records_changed and not self.problems_introduced
                and not self.problems_fixed and self.comparable
                and self.base_missing == self.head_missing)

    @property
    def errors_introduced(self) -> int:
        return sum(p.is_error for p in self.problems_introduced)


# -- comparing -----------------------------------------------------------------------------

def empty_result(path: str) -> CheckResult:
    """The check result of a file that does not exist yet: a timeline with nothing in it."""
    return CheckResult(path, [], Timeline("", "", {}, {}, {}, ()))


def _new_items(old: tuple, new: tuple) -> tuple:
    present = set(old)
    return tuple(dict.fromkeys(item for item in new if item not in present))


def _citation_changes(base: Event, head: Event) -> list[Change]:
    changes = []
    old = [c.source for c in base.citations]
    new = [c.source for c in head.citations]
    added, removed = _new_items(old, new), _new_items(new, old)
    if added or removed:
        changes.append(Change("sources", added=added, removed=removed))
    elif old != new:
        changes.append(Change("sources", changed=tuple(new)))  # the same sources, re-ordered
    old_quotes = {c.source: c.quote for c in base.citations}
    quoted = tuple(dict.fromkeys(c.source for c in head.citations
                                 if c.source in old_quotes and old_quotes[c.source] != c.quote))
    if quoted:
        changes.append(Change("quotes", changed=quoted))
    return changes


def _claim_changes(base: Event, head: Event) -> list[Change]:
    old, new = Counter(base.claims), Counter(head.claims)
    added = list((new - old).elements())
    removed = list((old - new).elements())
    # A claim whose text was edited shows as one claim changed, not one removed and one added.
    changed = []
    for claim in list(added):
        match = next((r for r in removed if (r.by, r.source) == (claim.by, claim.source)), None)
        if match is not None:
            removed.remove(match)
            added.remove(claim)
            changed.append(claim.by)
    if added or removed or changed:
        return [Change("claims", added=tuple(added), removed=tuple(removed),
                       changed=tuple(changed))]
    return []


def compare_events(base: Event, head: Event) -> tuple[Change, ...]:
    changes: list[Change] = []
    if base.date.text != head.date.text:
        changes.append(Change("date", base.date.text, head.date.text))
    for name in ("title", "status", "place"):
        old, new = getattr(base, name), getattr(head, name)
        if old != new:
            changes.append(Change(name, old, new))
    if base.summary != head.summary:
        changes.append(Change("summary"))
    for name in ("actors", "tags"):
        old, new = getattr(base, name), getattr(head, name)
        added, removed = _new_items(old, new), _new_items(new, old)
        if added or removed:
            changes.append(Change(name, added=added, removed=removed))
    changes.extend(_citation_changes(base, head))
    changes.extend(_claim_changes(base, head))
    order = {name: index for index, name in enumerate(EVENT_FIELDS)}
    return tuple(sorted(changes, key=lambda change: order[change.field]))


def _record_fields(record) -> dict:
    return {f.name: getattr(record, f.name) for f in fields(record)
            if f.name not in ("id", "line", "column")}


def compare_records(base: dict, head: dict) -> RecordDiff:
    added = tuple(record for key, record in head.items() if key not in base)
    removed = tuple(record for key, record in base.items() if key not in head)
    changed = []
    for key, record in head.items():
        if key in base:
            old, new = _record_fields(base[key]), _record_fields(record)
            names = tuple(name for name in new if old[name] != new[name])
            if names:
                changed.append(RecordChange(key, names))
    return RecordDiff(added, removed, tuple(changed))


def _narratives(timeline: Timeline) -> dict[str, Narrative]:
    return {n.id: n for n in timeline.narratives}


def _problem_key(problem: Problem) -> tuple:
    return (problem.rule, problem.message)


def _problems_not_in(problems: list[Problem], others: list[Problem]) -> tuple[Problem, ...]:
    """Problems of the first list that the second does not have, by rule and message: line
    numbers shift with every edit above a record, so they cannot tell problems apart."""
    remaining = Counter(_problem_key(p) for p in others)
    result = []
    for problem in problems:
        key = _problem_key(problem)
        if remaining[key]:
            remaining[key] -= 1
        else:
            result.append(problem)
    return tuple(result)


def diff_timelines(base: CheckResult, head: CheckResult, *, base_missing: bool = False,
                   head_missing: bool = False) -> TimelineDiff:
    """Compare two checked versions of the records, the base and the changed one (head)."""
    common = dict(
        base_path=base.path, head_path=head.path, base_missing=base_missing,
        head_missing=head_missing,
        problems_introduced=_problems_not_in(head.problems, base.problems),
        problems_fixed=_problems_not_in(base.problems, head.problems))
    old, new = base.timeline, head.timeline
    if old is None or new is None:
        return TimelineDiff(comparable=False, base_problems=tuple(base.errors), **common)
    header = () if base_missing or head_missing else tuple(
        Change(name, getattr(old, name), getattr(new, name))
        for name in ("title", "description") if getattr(old, name) != getattr(new, name))
    changed = []
    for event in new.events:
        before = old.events_by_id.get(event.id)
        if before is not None:
            changes = compare_events(before, event)
            if changes:
                changed.append(EventChange(before, event, changes))
    return TimelineDiff(
        header=header,
        events_added=tuple(e for e in new.events if e.id not in old.events_by_id),
        events_removed=tuple(e for e in old.events if e.id not in new.events_by_id),
        events_changed=tuple(changed),
        sources=compare_records(old.sources, new.sources),
        actors=compare_records(old.actors, new.actors),
        places=compare_records(old.places, new.places),
        narratives=compare_records(_narratives(old), _narratives(new)),
        **common)


# -- reading versions ----------------------------------------------------------------------

_SAFE_REVISION = re.compile(r"[^\s:][^\s:]*")


def git_show(revision: str, path: str, cwd: str | Path | None = None) -> bytes | None:
    """The bytes of ``path`` (relative to ``cwd``) at ``revision``; None if the revision
    exists but has no such file. Raises VersionError if git cannot resolve the revision."""
    if not _SAFE_REVISION.fullmatch(revision) or revision.startswith("-"):
        raise VersionError(f"'{revision}' is not a git revision")
    base = ["git", "-c", "core.quotepath=off"]
    found = subprocess.run([*base, "rev-parse", "--verify", "--quiet", "--end-of-options",
                            f"{revision}^{{commit}}"],
                           cwd=cwd, capture_output=True, text=True)
    if found.returncode != 0:
        raise VersionError(f"'{revision}' is neither a file nor a git revision here")
    commit = found.stdout.strip()
    relative = path if Path(path).is_absolute() else f"./{Path(path).as_posix()}"
    shown = subprocess.run([*base, "show", f"{commit}:{relative}"], cwd=cwd,
                           capture_output=True)
    if shown.returncode == 0:
        return shown.stdout
    listed = subprocess.run([*base, "cat-file", "-e", f"{commit}:{relative}"], cwd=cwd,
                            capture_output=True)
    if listed.returncode != 0:
        return None
    raise VersionError(f"git could not read {path} at {revision}: "
                       f"{shown.stderr.decode('utf-8', 'replace').strip()}")


def read_version(spec: str | None, file: str, cwd: str | Path | None = None
                 ) -> tuple[str, bytes | None]:
    """(label, bytes or None when absent) for one side of a comparison.

    ``spec`` is a file path (an existing file wins), a git revision whose ``file`` is read,
    or None for ``file`` as it is in the working tree now.
    """
    where = Path(cwd) if cwd else Path.cwd()
    if spec is None:
        target = where / file
        return "working tree", target.read_bytes() if target.is_file() else None
    candidate = where / spec
    if candidate.is_file():
        return spec, candidate.read_bytes()
    return spec, git_show(spec, file, cwd)


def check_version(data: bytes | None, path: str, today: date | None = None) -> CheckResult:
    return empty_result(path) if data is None else check_bytes(data, path, today)


def diff_versions(base: str | None, head: str | None, file: str = "events.yaml",
                  cwd: str | Path | None = None, today: date | None = None
                  ) -> tuple[TimelineDiff, str, str]:
    """Read, check and compare two versions; returns the diff and the two labels."""
    base_label, base_data = read_version(base, file, cwd)
    head_label, head_data = read_version(head, file, cwd)
    head_is_file = head is not None and (Path(cwd or Path.cwd()) / head).is_file()
    display = Path(head if head_is_file else file).as_posix()
    diff = diff_timelines(check_version(base_data, display, today),
                          check_version(head_data, display, today),
                          base_missing=base_data is None, head_missing=head_data is None)
    return diff, base_label, head_label


# -- rendering -----------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
# Control characters and the marks that reorder text (they can hide what a text says, or
# send commands to a terminal) are shown as escapes.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _one_line(value) -> str:
    text = " ".join(str(value).split())
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_text(value) -> str:
    """Plain text made safe to show inside Markdown: one line, punctuation escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(value))


def code_span(value) -> str:
    """An inline code span that shows ``value`` literally, whatever backticks it holds."""
    text = _one_line(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def shorten(value, limit: int = 80) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             undefined=jinja2.StrictUndefined, autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(text=markdown_text, code=code_span, shorten=shorten)
    return env


def render_markdown(diff: TimelineDiff, base_label: str, head_label: str, limit: int = 50,
                    problems: list[Problem] | tuple = (), problem_limit: int = 200,
                    list_all: bool = False) -> str:
    """The summary as Markdown; each list shows at most ``limit`` entries.

    ``problems``, every problem of the head version, are listed at the end (folded), at most
    ``problem_limit`` of them: when some are not new, or always with ``list_all``.
    """
    template = _environment().get_template("diff.md.j2")
    text = template.render(diff=diff, base=base_label, head=head_label, limit=limit,
                           problems=list(problems), problem_limit=problem_limit,
                           list_all=list_all)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = _LOOSE_ITEMS.sub(r"\1\n", text)  # the template's blocks leave gaps in lists
    return text.strip() + "\n"


_LOOSE_ITEMS = re.compile(r"(?m)^(- .*)\n\n(?=- )")
