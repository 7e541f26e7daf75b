"""The EDTF subset parser (builder/records/dates.py): examples, and agreement with the `edtf` package.

`builder.dates` parses YYYY, YYYY-MM and YYYY-MM-DD, each optionally followed by ~ (approximate),
? (uncertain) or % (both), and spans A/B of these. The `edtf` package parses the whole
standard; on strings in and near the subset both must accept and reject the same strings and
give the same earliest and latest day, except for three documented differences:

* ``edtf`` does not check leap years: it accepts 29 February of every year (2015-02-29,
  1900-02-29). There is no such day, so builder.dates rejects it (checked against the calendar).
* ``edtf`` accepts the year 0000 (astronomical year numbering); builder.dates refuses it,
  because the calendar the site sorts and prints with has no year 0.
* ``edtf`` parses spans that end before they start; builder.dates reports them (rule
  ``date-order``), and the test checks that edtf's own bounds are indeed reversed.

Seasons (months 21-41), negative years and the rest of EDTF levels 1 and 2 are outside the
subset on purpose, and the generator leaves them out.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.records.dates import DateError, parse_date

# -- examples ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, lower, upper, precision", [
    ("2016", date(2016, 1, 1), date(2016, 12, 31), "year"),
    ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "month"),
    ("2015-02", date(2015, 2, 1), date(2015, 2, 28), "month"),
    ("1900-02", date(1900, 2, 1), date(1900, 2, 28), "month"),
    ("2000-02", date(2000, 2, 1), date(2000, 2, 29), "month"),
    ("2016-09-20", date(2016, 9, 20), date(2016, 9, 20), "day"),
    ("2016-02-29", date(2016, 2, 29), date(2016, 2, 29), "day"),
    ("2000-02-29", date(2000, 2, 29), date(2000, 2, 29), "day"),
    ("0001-01-01", date(1, 1, 1), date(1, 1, 1), "day"),
    ("9999-12-31", date(9999, 12, 31), date(9999, 12, 31), "day"),
    ("2016-09-12/2016-09-24", date(2016, 9, 12), date(2016, 9, 24), "day"),
    ("2016/2016-09-20", date(2016, 1, 1), date(2016, 9, 20), "year"),
    ("2016-09-20/2016-09", date(2016, 9, 20), date(2016, 9, 30), "month"),
    ("2016-09-20/2016-09-20", date(2016, 9, 20), date(2016, 9, 20), "day"),
    ("2014/2016", date(2014, 1, 1), date(2016, 12, 31), "year"),
])
def test_bounds_and_precision(text, lower, upper, precision):
    parsed = parse_date(text)
    assert (parsed.lower, parsed.upper, parsed.precision) == (lower, upper, precision)
    assert parsed.text == text
    assert parsed.is_interval == ("/" in text)


@pytest.mark.parametrize("text, approximate, uncertain", [
    ("2016", False, False), ("2016~", True, False), ("2016?", False, True),
    ("2016%", True, True), ("2016-09~", True, False), ("2016-09-20?", False, True),
    ("2016-09-20%", True, True), ("2016-09~/2016-10", True, False),
    ("2016-09/2016-10?", False, True), ("2016-09~/2016-10?", True, True),
])
def test_qualifiers(text, approximate, uncertain):
    parsed = parse_date(text)
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)


def test_qualifiers_do_not_move_the_bounds():
    assert (parse_date("2016-09~").lower, parse_date("2016-09~").upper) == \
        (date(2016, 9, 1), date(2016, 9, 30))


def test_sort_key_puts_a_day_before_the_month_that_contains_it():
    texts = ["2016-09", "2016-09-01", "2016", "2016-08-31/2016-09-02", "2015~",
             "2016-09-01/2016-09-30"]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key())
    assert ordered == ["2015~", "2016", "2016-08-31/2016-09-02", "2016-09-01",
                       "2016-09", "2016-09-01/2016-09-30"]


@pytest.mark.parametrize("text, words", [
    ("2016-13", "the month 13; months run from 01 to 12"),
    ("2016-00", "the month 00"),
    ("2016-02-30", "the day 30, but February 2016 has 29 days"),
    ("2015-02-29", "the day 29, but February 2015 has 28 days"),
    ("1900-02-29", "the day 29, but February 1900 has 28 days"),
    ("2016-09-31", "the day 31, but September 2016 has 30 days"),
    ("2016-09-00", "the day 00"),
    ("0000", "the year 0000, which does not exist"),
    ("0000-01-01/2016", "the year 0000"),
    ("2016/2016-13", "the month 13"),
    ("20 September 2016", "is not a date this format understands"),
    ("2016-9-1", "is not a date this format understands"),
    ("16-09-20", "is not a date this format understands"),
    ("2016-09-20T10:00", "is not a date this format understands"),
    ("2016-09-20 ", "is not a date this format understands"),
    ("2016-09-20~?", "is not a date this format understands"),
    ("2016?-09", "is not a date this format understands"),
    ("../2016", "is not a date this format understands"),
    ("2016/", "is not a date this format understands"),
    ("2016/2017/2018", "is not a date this format understands"),
    ("-2016", "is not a date this format understands"),
    ("2016-21", "the month 21"),  # an EDTF season: outside the subset
    ("\u0662\u0660\u0661\u0666", "is not a date this format understands"),  # Arabic-Indic digits
    ("\uff12\uff10\uff11\uff16", "is not a date this format understands"),  # full-width digits
    ("", "is not a date this format understands"),
])
def test_invalid_dates_say_why(text, words):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.rule == "invalid-date"
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["2016-09-24/2016-09-12", "2017/2016", "2016-10/2016-09-30",
                                  "2016-09-20~/2016-09-19?"])
def test_spans_that_end_before_they_start(text):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.rule == "date-order"
    assert "ends before it starts" in str(caught.value)


# -- agreement with the edtf package -------------------------------------------------------------

YEARS = st.one_of(
    st.integers(1, 9999).map("{:04d}".format),
    st.sampled_from(["1900", "2000", "2015", "2016", "2100", "2400", "0000", "0004", "0100"]),
    st.sampled_from(["016", "20160", "2o16", "\u0662\u0660\u0661\u0666", "y2016"]),
)
MONTHS = st.one_of(st.integers(0, 14).map("{:02d}".format), st.sampled_from(["1", "9", "001"]))
DAYS = st.one_of(st.integers(0, 32).map("{:02d}".format), st.sampled_from(["1", "029"]))
QUALIFIERS = st.sampled_from(["", "", "", "~", "?", "%", "~?", "?~", "!"])


@st.composite
def points(draw) -> str:
    year = draw(YEARS)
    if draw(st.integers(0, 9)) == 0:  # 29 February, in leap and common years alike
        return f"{year}-02-29" + draw(QUALIFIERS)
    shape = draw(st.integers(0, 2))
    text = year
    if shape >= 1:
        text += "-" + draw(MONTHS)
    if shape == 2:
        text += "-" + draw(DAYS)
    return text + draw(QUALIFIERS)


@st.composite
def real_points(draw) -> str:
    """A day that exists, written at year, month or day precision."""
    day = draw(st.dates())
    text = [f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()][
        draw(st.integers(0, 2))]
    return text + draw(QUALIFIERS)


ANY_POINT = points() | real_points()
NEAR_SUBSET = st.one_of(ANY_POINT, st.builds("{}/{}".format, ANY_POINT, ANY_POINT))


def _edtf_bounds(text: str):
    """(lower, upper) as (y, m, d) tuples by the edtf package, or None if it rejects ``text``."""
    try:
        parsed = parse_edtf(text)
    except EDTFParseException:
        return None
    return tuple(parsed.lower_strict()[:3]), tuple(parsed.upper_strict()[:3])


def _is_impossible_leap_day(text: str) -> bool:
    for point in text.split("/"):
        year, _, rest = point.partition("-")
        if rest.startswith("02-29") and year.isascii() and year.isdigit() \
                and not calendar.isleap(int(year)):
            return True
    return False


def _has_year_zero(text: str) -> bool:
    return any(point.startswith("0000") for point in text.split("/"))


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(NEAR_SUBSET)
@example("2016-02-29")
@example("2015-02-29")
@example("1900-02-29")
@example("2000-02-29")
@example("0000")
@example("2016-09-24/2016-09-12")
@example("2016-09~/2016-10?")
@example("\u0662\u0660\u0661\u0666")
@example("2016-09-20%")
def test_parse_date_agrees_with_the_edtf_package(text):
    theirs = _edtf_bounds(text)
    try:
        ours = parse_date(text)
    except DateError as error:
        if theirs is None:
            assert error.rule == "invalid-date", text
        elif error.rule == "date-order":
            lower, upper = theirs
            assert upper < lower, f"{text}: edtf says the span is in order: {theirs}"
        else:  # edtf accepts it: only the two documented differences may reject it
            assert _is_impossible_leap_day(text) or _has_year_zero(text), \
                f"{text!r}: edtf accepts it ({theirs}), we say: {error}"
        return
    assert theirs is not None, f"{text!r}: we accept it, edtf does not"
    assert ((ours.lower.year, ours.lower.month, ours.lower.day),
            (ours.upper.year, ours.upper.month, ours.upper.day)) == theirs, text


def test_the_generator_reaches_both_answers():
    """The property above is only worth something if it sees both valid and invalid dates."""
    seen = set()

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(NEAR_SUBSET)
    def collect(text):
        try:
            parse_date(text)
            seen.add("valid")
        except DateError as error:
            seen.add(error.rule)

    collect()
    assert seen == {"valid", "invalid-date", "date-order"}
