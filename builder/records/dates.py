"""The subset of EDTF (Library of Congress Extended Date/Time Format) that timelines use.

``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, optionally followed by ``~`` (approximate),
``?`` (uncertain) or ``%`` (both), and intervals ``A/B`` of those.

The `edtf` package parses the whole standard, but at about 4 ms a date it would make a
10,000-event check take 40 s; this subset is small enough to parse exactly with a regular
expression and the calendar. The test suite checks that both parsers agree on every string.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# [0-9], not \d: \d also matches other scripts' digits (like ٢٠١٦), which EDTF does not allow.
_POINT = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)"
_DATE = re.compile(rf"{_POINT}(?:/{_POINT})?")

PRECISIONS = ("year", "month", "day")


class DateError(ValueError):
    """The text is not a date of the supported EDTF subset; the message says why, plainly."""

    def __init__(self, message: str, rule: str = "invalid-date"):
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True, slots=True)
class DatePoint:
    year: int
    month: int | None
    day: int | None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def lower(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)


@dataclass(frozen=True, slots=True)
class EdtfDate:
    """A date as the editor wrote it, with the facts derived from it."""

    text: str
    start: DatePoint
    end: DatePoint | None = None  # set for intervals only

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    @property
    def lower(self) -> date:
        return self.start.lower

    @property
    def upper(self) -> date:
        return (self.end or self.start).upper

    @property
    def precision(self) -> str:
        """The coarsest precision of the date's parts: what we really know."""
        points = (self.start, self.end) if self.end else (self.start,)
        return min((p.precision for p in points), key=PRECISIONS.index)

    @property
    def approximate(self) -> bool:
        return self.start.approximate or bool(self.end and self.end.approximate)

    @property
    def uncertain(self) -> bool:
        return self.start.uncertain or bool(self.end and self.end.uncertain)

    def sort_key(self) -> tuple:
        # Earliest possible day first; among equal starts the narrower date first, so a
        # day comes before the month that contains it.
        return (self.lower.toordinal(), self.upper.toordinal())


_MONTH_NAMES = [calendar.month_name[i] for i in range(13)]


def _point(year: str, month: str | None, day: str | None, qualifier: str, text: str) -> DatePoint:
    y = int(year)
    m = int(month) if month else None
    d = int(day) if day else None
    if y == 0:
        raise DateError(f"'{text}' has the year 0000, which does not exist")
    if m is not None and not 1 <= m <= 12:
        raise DateError(f"'{text}' has the month {month}; months run from 01 to 12")
    if d is not None:
        last = calendar.monthrange(y, m)[1]
        if not 1 <= d <= last:
            raise DateError(f"'{text}' has the day {day}, but {_MONTH_NAMES[m]} {y} has "
                            f"{last} days")
    return DatePoint(y, m, d, qualifier in ("~", "%"), qualifier in ("?", "%"))


def parse_date(text: str) -> EdtfDate:
    """Parse ``text``; raise DateError with a plain-language reason if it is not a date."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise DateError(f"'{text}' is not a date this format understands; write YYYY-MM-DD "
                        "(like 2016-09-20), YYYY-MM or YYYY, optionally followed by ~ "
                        "(approximate) or ? (uncertain), or two dates A/B for a span")
    groups = match.groups()
    start = _point(*groups[:4], text)
    end = _point(*groups[4:], text) if groups[4] else None
    if end is not None and end.upper < start.lower:
        raise DateError(f"the span '{text}' ends before it starts; write the earlier date "
                        "first", rule="date-order")
    return EdtfDate(text, start, end)
