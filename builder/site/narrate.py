"""How a narrative unfolds: the transition from one event's date to the next, and the
footnotes that tie every paragraph to its sources.

Pure logic, no wording: a transition is a structured value (a kind, and for counted gaps an
amount, a unit and how exact the count is); ``templates/_transitions.md.j2`` turns it into
words ("Two days later", "Later that month").

The rule: a transition never claims more precision than both dates have.

* Two single days: the exact gap, counted on the calendar with ``relativedelta`` ("the same
  day", "two days later", "a week later", "three months later"); a gap that is not a whole
  number of months or years is "more than" the whole part.
* Two points (not spans) of which one is known only to the month or year: the gap is counted
  in that coarser unit, on the calendar: "later that month" is impossible there (the order
  inside the month is unknown), so the same month is "the same month", the next one "the
  following month", then "three months later", "the following year", "two years later".
* Spans (``A/B``) are ranges of days: either the event lasted over them, or it happened on
  a day in them that the sources do not give. The transition compares the whole ranges,
  and says only what holds for every day in both:

  - the next range lies entirely after the previous one: both within one calendar month,
    "later that month"; in the next month, "the following month"; less than a month apart
    across a month's end, "at least N days later"; then "later that year", "the following
    year"; otherwise "at least" the smallest possible gap, in a unit the dates can count
    ("afterwards" when the gap is smaller than that unit). A span that starts on the day
    after a single day comes "over the following days" (or weeks);
  - the next range starts on the previous single day: "within N days";
  - the ranges overlap: "in the same period" when the previous span holds the whole next
    date, otherwise "the same month", "around the same time" (spans that share days across
    a month's end) or "the same year";
  - the next range lies entirely before the previous one: the mirror words ("earlier").

  Day-counting words ("within three days", "over the following days") need both dates to
  be known to the day.
* An approximate date (``~``) makes every count "about" a count, in the coarser unit of the
  two dates, measured from the end of the previous date to the start of the next and
  rounded; dates in the same unit, or overlapping spans, are "around the same time".
* An uncertain date (``?``) keeps the transition but marks it "perhaps".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from builder.records.dates import PRECISIONS, EdtfDate
from builder.records.model import Event

# How sure the count of a counted gap ("later", "earlier", "within", "at least") is.
EXACT = "exact"  # exactly `amount` units
MORE_THAN = "more-than"  # more than `amount` whole units (a remainder is left out)
AT_LEAST = "at-least"  # the smallest gap the two ranges allow
ABOUT = "about"  # one of the dates is approximate

# Kinds whose words depend on the direction; the mirror is used when the next event lies
# entirely before the previous one.
_MIRROR = {
    "later": "earlier", "later-that-month": "earlier-that-month",
    "following-month": "previous-month", "later-that-year": "earlier-that-year",
    "following-year": "previous-year", "following-days": "preceding-days",
    "afterwards": "before-that",
}
# The precision a date needs before a gap may be counted in each unit.
_UNIT_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year"}
# Gaps short enough to be read as "the following days / weeks" after a single day.
FOLLOWING_DAYS_MAX = 14
FOLLOWING_WEEKS_MAX = 62
WITHIN_MAX = 13


@dataclass(frozen=True, slots=True)
class Transition:
    """How the next event's date stands to the previous one's.

    kind: start, same-day, later, earlier, within, within-before, later-that-month,
    earlier-that-month, following-month, previous-month, later-that-year,
    earlier-that-year, following-year, previous-year, following-days, preceding-days,
    same-month, same-year, during, around-same-time, afterwards, before-that.
    """

    kind: str
    amount: int = 0  # for counted kinds: how many units
    unit: str = ""  # "day", "week", "month" or "year" for counted kinds
    measure: str = EXACT  # EXACT, MORE_THAN, AT_LEAST or ABOUT
    perhaps: bool = False  # one of the dates is uncertain
    span: bool = False  # the next date is a span: its date reads as a range
    repeat: int = 0  # how many transitions of this kind come just before it (for variety)


START = Transition("start")


# -- the calendar -----------------------------------------------------------------------------
def _is_single_day(d: EdtfDate) -> bool:
    return d.precision == "day" and d.lower == d.upper


def _coarsest(a: EdtfDate, b: EdtfDate) -> str:
    return min(a.precision, b.precision, key=PRECISIONS.index)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_of(d: EdtfDate) -> int | None:
    """The calendar month that holds every day of the date, if one does."""
    if d.precision == "year":
        return None  # e.g. "2014/2014-01": only its year is known for every part
    low, high = _month_index(d.lower), _month_index(d.upper)
    return low if low == high else None


def _year_of(d: EdtfDate) -> int | None:
    return d.lower.year if d.lower.year == d.upper.year else None


def _point_index(d: EdtfDate, unit: str, end: bool = False) -> int:
    """Where a date lies counted in months or years (its start, or its end)."""
    day = d.upper if end else d.lower
    return _month_index(day) if unit == "month" else day.year


# -- counting ---------------------------------------------------------------------------------
def _count_days(earlier: date, later: date) -> tuple[int, str, bool]:
    """(amount, unit, exact) of a gap of days, in the largest calendar unit that fits it.

    Not exact when the gap is more than the whole months or years counted.
    """
    gap = relativedelta(later, earlier)
    if gap.years:
        return gap.years, "year", not (gap.months or gap.days)
    if gap.months:
        return gap.months, "month", not gap.days
    days = (later - earlier).days
    if days % 7 == 0:
        return days // 7, "week", True
    return days, "day", True


def _count_months(months: int, measure: str = EXACT) -> tuple[int, str, str]:
    """A count of calendar months, in years when it is whole years or two or more."""
    if months % 12 == 0:
        return months // 12, "year", measure
    if months < 24:
        return months, "month", measure
    return months // 12, "year", MORE_THAN if measure == EXACT else measure


def _counted(kind: str, count: tuple[int, str, str]) -> Transition:
    amount, unit, measure = count
    return Transition(kind, amount, unit, measure)


def _counted_days(kind: str, earlier: date, later: date, inexact: str,
                  always: bool = False) -> Transition:
    """A counted gap of days: exact when it is, else `inexact` (always, if `always`)."""
    amount, unit, exact = _count_days(earlier, later)
    return Transition(kind, amount, unit, inexact if always or not exact else EXACT)


# -- the rules --------------------------------------------------------------------------------
def transition(previous: EdtfDate | None, following: EdtfDate) -> Transition:
    """The transition from the date of one event to the date of the next."""
    if previous is None:
        return replace(START, perhaps=following.uncertain, span=following.is_interval)
    if previous.approximate or following.approximate:
        result = _approximate(previous, following)
    elif _is_single_day(previous) and _is_single_day(following):
        result = _between_days(previous.lower, following.lower)
    elif following.lower > previous.upper:
        result = _after(previous, following)
    elif following.upper < previous.lower:
        result = _mirror(_after(following, previous))
    else:
        result = _overlapping(previous, following)
    return replace(result, perhaps=previous.uncertain or following.uncertain,
                   span=following.is_interval)


def _between_days(first: date, second: date) -> Transition:
    if first == second:
        return Transition("same-day")
    if second > first:
        return _counted_days("later", first, second, MORE_THAN)
    return _counted_days("earlier", second, first, MORE_THAN)


def _after(previous: EdtfDate, following: EdtfDate) -> Transition:
    """The next date lies wholly after the previous one; at least one is not a single day."""
    if not previous.is_interval and not following.is_interval:
        return _after_points(previous, following)
    if _is_single_day(previous) and following.precision == "day" \
            and following.lower == previous.upper + relativedelta(days=1):
        longest = (following.upper - previous.upper).days
        if longest <= FOLLOWING_DAYS_MAX:
            return Transition("following-days", unit="day")
        if longest <= FOLLOWING_WEEKS_MAX:
            return Transition("following-days", unit="week")
    return _after_by_calendar(previous, following)


def _after_points(previous: EdtfDate, following: EdtfDate) -> Transition:
    """Two points, at least one known only to the month or the year: count in that unit."""
    unit = _coarsest(previous, following)
    gap = _point_index(following, unit) - _point_index(previous, unit)
    if unit == "year":
        return Transition("following-year") if gap == 1 else Transition("later", gap, "year")
    if gap == 1:
        return Transition("following-month")
    return _counted("later", _count_months(gap))


def _after_by_calendar(previous: EdtfDate, following: EdtfDate) -> Transition:
    month_a, month_b = _month_of(previous), _month_of(following)
    if month_a is not None and month_a == month_b:
        return Transition("later-that-month")
    if month_a is not None and month_b is not None and month_b == month_a + 1:
        return Transition("following-month")
    amount, unit, _ = _count_days(previous.upper, following.lower)
    close = unit in ("day", "week")
    if close and _coarsest(previous, following) == "day":
        # Less than a month apart, across a month's end: the shortest gap says more.
        return Transition("later", amount, unit, AT_LEAST)
    year_a, year_b = _year_of(previous), _year_of(following)
    if year_a is not None and year_a == year_b:
        return Transition("later-that-year")
    if year_a is not None and year_b is not None and year_b == year_a + 1:
        return Transition("following-year")
    if PRECISIONS.index(_UNIT_PRECISION[unit]) > PRECISIONS.index(_coarsest(previous,
                                                                              following)):
        return Transition("afterwards")  # closer than the dates can count
    return Transition("later", amount, unit, AT_LEAST)


def _overlapping(previous: EdtfDate, following: EdtfDate) -> Transition:
    """The ranges share at least a day: their order is not known."""
    both_days = previous.precision == following.precision == "day"
    if both_days and _is_single_day(previous) and following.lower == previous.lower:
        within = _within(following.upper - previous.upper)
        if within:
            return Transition("within", *within)
    if both_days and _is_single_day(following) and following.upper == previous.lower:
        within = _within(previous.upper - following.lower)
        if within:
            return Transition("within-before", *within)
    if previous.is_interval and previous.lower <= following.lower \
            and following.upper <= previous.upper:
        return Transition("during")
    month_a = _month_of(previous)
    if month_a is not None and month_a == _month_of(following):
        return Transition("same-month")
    if (max(previous.upper, following.upper) - min(previous.lower, following.lower)).days < 31:
        return Transition("around-same-time")  # spans that share days across a month's end
    year_a = _year_of(previous)
    if year_a is not None and year_a == _year_of(following):
        return Transition("same-year")
    return Transition("around-same-time")


def _within(longest: timedelta) -> tuple[int, str] | None:
    """(amount, unit) for "within N days/weeks", when the longest gap is short enough."""
    days = longest.days
    if days % 7 == 0 and days <= 28:
        return days // 7, "week"
    return (days, "day") if days <= WITHIN_MAX else None


def _approximate(previous: EdtfDate, following: EdtfDate) -> Transition:
    """At least one date is approximate: an "about" count in the coarser unit of the two."""
    if previous.is_interval and previous.lower <= following.lower \
            and following.upper <= previous.upper:
        return Transition("during", measure=ABOUT)
    if following.is_interval and following.lower <= previous.upper \
            and previous.lower <= following.upper:
        return Transition("around-same-time", measure=ABOUT)
    unit = _coarsest(previous, following)
    if unit == "day":
        start, end = previous.upper, following.lower
        if start == end:
            return Transition("around-same-time", measure=ABOUT)
        if end > start:
            return Transition("later", *_about_days(start, end), ABOUT)
        return Transition("earlier", *_about_days(end, start), ABOUT)
    gap = _point_index(following, unit) - _point_index(previous, unit, end=True)
    if gap == 0:
        return Transition("around-same-time", measure=ABOUT)
    kind = "later" if gap > 0 else "earlier"
    if unit == "year":
        return Transition(kind, abs(gap), "year", ABOUT)
    return _counted(kind, _count_months(abs(gap), ABOUT))


def _about_days(earlier: date, later: date) -> tuple[int, str]:
    """A gap between approximate days, rounded to the nearest week, month or year."""
    gap = relativedelta(later, earlier)
    if gap.years:
        return gap.years + (gap.months >= 6), "year"
    if gap.months:
        return _count_months(gap.months + (gap.days >= 15), ABOUT)[:2]
    days = (later - earlier).days
    if days < 7:
        return days, "day"
    weeks = round(days / 7)
    return (1, "month") if weeks > 4 else (weeks, "week")


def _mirror(forward: Transition) -> Transition:
    return replace(forward, kind=_MIRROR.get(forward.kind, forward.kind))


def transitions(dates: list[EdtfDate]) -> list[Transition]:
    """The transition into each date of a sequence, with runs of one kind counted."""
    result: list[Transition] = []
    previous: EdtfDate | None = None
    for current in dates:
        step = transition(previous, current)
        if result and result[-1].kind == step.kind and step.kind != "start":
            step = replace(step, repeat=result[-1].repeat + 1)
        result.append(step)
        previous = current
    return result


# -- the paragraphs and their notes -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Note:
    """A footnote: one source of one event, pointing to that source on the event's page."""

    number: int
    event: Event
    source: str  # a source id
    position: int  # the source's number on the event page (its anchor there is source-N)
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """A footnote mark in the text; the first mark of a note is where its note links back."""

    note: Note
    first: bool


@dataclass(frozen=True, slots=True)
class AttributedClaim:
    by: tuple[str, ...]  # actor ids of everyone who makes the same claim
    text: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One paragraph of a narrative: an event, how it follows the previous one, its notes."""

    event: Event
    transition: Transition
    references: tuple[Reference, ...]  # for the summary
    claims: tuple[AttributedClaim, ...]


@dataclass(frozen=True)
class Story:
    steps: tuple[Step, ...]
    notes: tuple[Note, ...]


class _NoteBook:
    """Numbers notes in the order the page cites them, one per (event, source)."""

    def __init__(self):
        self.notes: dict[tuple[str, str], Note] = {}

    def cite(self, event: Event, source: str) -> Reference:
        key = (event.id, source)
        if key in self.notes:
            return Reference(self.notes[key], first=False)
        quotes = tuple(c.quote for c in event.citations if c.source == source and c.quote)
        note = Note(len(self.notes) + 1, event, source,
                    event.cited_sources().index(source) + 1, quotes)
        self.notes[key] = note
        return Reference(note, first=True)


def _grouped_claims(event: Event, book: _NoteBook) -> tuple[AttributedClaim, ...]:
    """Claims in record order; the same words from the same source are said once, by all."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for claim in event.claims:
        speakers = grouped.setdefault((claim.text, claim.source), [])
        if claim.by not in speakers:
            speakers.append(claim.by)
    return tuple(AttributedClaim(tuple(by), text, (book.cite(event, source),))
                 for (text, source), by in grouped.items())


def narrate(events: list[Event]) -> Story:
    """The paragraphs of a narrative over events already in chronological order."""
    book = _NoteBook()
    steps = []
    for event, step in zip(events, transitions([e.date for e in events])):
        summary_sources = dict.fromkeys(c.source for c in event.citations)
        references = tuple(book.cite(event, source) for source in summary_sources)
        steps.append(Step(event, step, references, _grouped_claims(event, book)))
    return Story(tuple(steps), tuple(book.notes.values()))


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> list[str]:
    """Markdown text split into its paragraphs (blank lines separate them, as in Markdown)."""
    return [p.strip() for p in _BLANK_LINE.split(text.strip()) if p.strip()]
