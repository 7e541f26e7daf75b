"""Property tests: whatever an editor types, the checker answers with positioned problems.

Four generators feed ``check_text``/``check_bytes``: YAML-like text built from a grammar of
keys, values, indentation, quotes and special characters; valid records with random
mutations (so that the checks behind the YAML layer are reached too); arbitrary Unicode
text; arbitrary bytes. For every input the checker must return, never raise, and every
problem must be well formed and positioned inside the file.

The number of examples comes from a Hypothesis profile, chosen with the environment
variable ``CHECK_FUZZ_PROFILE``: ``ci`` (the default, 300 per test, 1,200 in all),
``quick`` (for editing the tests) or ``thorough`` (for a long hunt before a release).
"""

from __future__ import annotations

import copy
import os
import re
import string
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.records.check import CheckResult, check_bytes, check_text
from builder.records.problems import Level, Problem
from builder.records.report import github_report, json_report, text_report

TODAY = date(2026, 11, 25)

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("check-fuzz-ci", max_examples=300, **_COMMON)
settings.register_profile("check-fuzz-quick", max_examples=30, **_COMMON)
settings.register_profile("check-fuzz-thorough", max_examples=5_000, **_COMMON)
FUZZ = settings.get_profile("check-fuzz-" + os.environ.get("CHECK_FUZZ_PROFILE", "ci"))

RULE = re.compile(r"[a-z]+(?:-[a-z]+)*")


def assert_well_formed(result: CheckResult, text: str | None = None) -> None:
    """The promises every result keeps, whatever the input."""
    assert isinstance(result, CheckResult)
    lines = text.split("\n") if text is not None else None
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert isinstance(problem.column, int) and problem.column >= 1, problem
        assert RULE.fullmatch(problem.rule), problem
        assert problem.message and problem.message == problem.message.strip(), problem
        assert isinstance(problem.level, Level)
        assert "Traceback" not in problem.message
        if lines is not None:
            # A position is inside the file, or just past its end (an unexpected end of file).
            assert problem.line <= len(lines) + 1, problem
    assert result.problems == sorted(result.problems, key=Problem.sort_key)
    assert result.ok == (not result.errors)
    assert (result.timeline is not None) == result.ok
    # One line per problem, whatever characters the messages quote.
    report = text_report(result.problems)
    assert len(report.splitlines()) == len(result.problems) if report else not result.problems
    assert len(github_report(result.problems).splitlines()) == len(result.problems)
    json_report(result.problems)


# -- the valid records every edit starts from ---------------------------------------------------

BASE = {
    "timeline": {"title": "Aleppo, September 2016", "description": "The truce and after."},
    "sources": {
        "reuters": {"title": "Reuters report", "publisher": "Reuters",
                    "published": "2016-09-25", "url": "https://example.org/r",
                    "archive_url": "https://web.archive.org/r", "accessed": "2026-11-20",
                    "author": "Staff", "language": "en", "note": "A note."},
        "bloomberg": {"title": "Bloomberg report", "publisher": "Bloomberg",
                      "published": "2016-09~"},
    },
    "actors": {"syrian-army": {"name": "Syrian army",
                               "names": {"ar": "الجيش العربي السوري"},
                               "description": "Government forces."},
               "rebels": {"name": "Rebels"}},
    "places": {"aleppo": {"name": "Aleppo", "names": {"ar": "حلب"}, "lat": "36.2",
                          "lon": "37.16", "description": "A city."}},
    "events": [
        {"id": "offensive", "date": "2016-09-22", "title": "Offensive",
         "summary": "The army launched an offensive.", "status": "reported",
         "place": "aleppo", "actors": ["syrian-army"], "tags": ["military"],
         "claims": [{"by": "rebels", "text": "Thousands killed.", "source": "reuters"}],
         "sources": [{"source": "reuters", "quote": "A quote."}, "bloomberg"]},
        {"id": "truce", "date": "2016-09-12/2016-09-24", "title": "Truce",
         "summary": "A truce.", "status": "confirmed", "sources": ["reuters"]},
    ],
    "narratives": [
        {"id": "story", "title": "Story", "intro": "The story.", "events": ["offensive"]},
        {"id": "military", "title": "Military", "intro": "Military events.",
         "tags": ["military"], "actors": ["syrian-army"], "from": "2016-09", "to": "2016-10"},
    ],
}

BASE_TEXT = yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False)

# -- 1. YAML-like text from a grammar ----------------------------------------------------------

KEYS = ["timeline", "title", "description", "sources", "publisher", "published", "url",
        "archive_url", "accessed", "author", "language", "note", "actors", "name", "names",
        "places", "lat", "lon", "events", "id", "date", "summary", "status", "place", "tags",
        "claims", "by", "text", "source", "quote", "narratives", "intro", "from", "to",
        "reuters", "ar", "<<", "? x", "tïtle", "", "a b", "-", "1", "null", "~", "!!str x"]
VALUES = ["", "~", "null", "NO", "yes", "1:30", "017", "0x1f", "1e3", ".inf", "2016",
          "2016-09-24", "2016-02-30", "2016-13", "2016-09~", "2016-09-12/2016-09-24",
          "2016/2015", "20 September 2016", "2999-01-01", "0000", "reported", "confirmd",
          "https://example.org/a", "javascript:alert(1)", " JaVaScRiPt:x", "data:text/html,x",
          "http://[abc", "36.2", "-91", "nan", "[a, b]", "{a: b}", "[", "]", "{", "}",
          "[[[[", "&a x", "*a", "!!python/object:os.system", "! x", "|", ">-", "|+", "'x'",
          "'it''s'", "'it's'", '"x"', '"\\x41\\u263a"', '"\\e\\0\\L\\P\\N"', '"\\q"', '"unclosed',
          "'unclosed", "# comment", "x # comment", "a: b", "- x", "? x", ": x", "%", "@x",
          "`x", "حلب", "Восточный", "\u00a0x", "x\u2028y", "\u200b", "\ufeff", "\ufffd",
          "\U0001f600", "x" * 120, "\\", "'", '"', ",", "*", "&", "!", "|", ">", "%TAG",
          "reuters", "syrian-army", "Military", "en", "English", "—", "…"]
INDENTS = ["", " ", "  ", "    ", "      ", "        ", "\t", "  \t", " \u00a0", "\u3000"]
SEPARATORS = [": ", ":", " : ", ":\t", ": \t", ":  ", " "]
LINE_ENDS = ["\n", "\n", "\n", "\r\n", "\r", "\u2028", "\x85", " # c\n", "\n\n", "\t\n"]
SPECIAL_LINES = ["---", "...", "--- !!map", "%YAML 1.1", "%YAML 1.2", "%TAG ! tag:x,2000:",
                 "? ", ": ", "- ", "-", "- - -", "[", "]", "{", "}", "#", "'", '"', "|",
                 "\x00", "\x07", "\x1b[31m", "\ufeff", "\ud800"]


@st.composite
def yaml_like_line(draw) -> str:
    kind = draw(st.integers(0, 9))
    indent = draw(st.sampled_from(INDENTS))
    if kind == 0:
        return indent + draw(st.sampled_from(SPECIAL_LINES))
    dash = draw(st.sampled_from(["", "", "- ", "-  ", "- - "]))
    key = draw(st.sampled_from(KEYS) | st.text(max_size=8))
    if draw(st.booleans()):
        key = draw(st.sampled_from(['"{}"', "'{}'", "{}", "{}"])).format(key)
    value = draw(st.sampled_from(VALUES) | st.text(max_size=12))
    if kind == 1:
        return indent + dash + value
    return indent + dash + key + draw(st.sampled_from(SEPARATORS)) + value


@st.composite
def line_soup(draw) -> str:
    lines = draw(st.lists(yaml_like_line(), max_size=25))
    ends = draw(st.lists(st.sampled_from(LINE_ENDS), min_size=len(lines), max_size=len(lines)))
    return "".join(line + end for line, end in zip(lines, ends))


@st.composite
def edited_file(draw) -> str:
    """A valid file after a few careless edits, line by line: what editors really produce."""
    lines = BASE_TEXT.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        indent = line[:len(line) - len(line.lstrip())]
        body = line.lstrip()
        edit = draw(st.integers(0, 7))
        if edit == 0 and ": " in body:  # a new value
            key = body.split(": ", 1)[0]
            lines[index] = f"{indent}{key}: {draw(st.sampled_from(VALUES))}"
        elif edit == 1:  # indentation off by a little, or with a tab
            lines[index] = draw(st.sampled_from(INDENTS[:6] + INDENTS[6:])) + body
        elif edit == 2:
            del lines[index]
        elif edit == 3:
            lines.insert(index, draw(yaml_like_line()))
        elif edit == 4:
            lines.insert(index, line)  # a duplicated line
        elif edit == 5 and body:  # a character typed, deleted or replaced somewhere
            at = draw(st.integers(0, len(line)))
            typed = draw(st.sampled_from(list(":-#'\"[]{}&*!|>%@` \t,?~") + ["\u00a0", "\u2028"]))
            lines[index] = line[:at] + typed + line[at + draw(st.integers(0, 1)):]
        elif edit == 6:
            lines[index] = line + draw(st.sampled_from(LINE_ENDS[3:]))
        else:
            lines[index] = indent + draw(yaml_like_line()).lstrip()
    return "\n".join(lines)


@FUZZ
@given(line_soup() | edited_file())
def test_yaml_like_text_never_breaks_the_checker(text):
    assert_well_formed(check_text(text, "events.yaml", today=TODAY))


# -- 2. valid records, mutated -----------------------------------------------------------------

LEAVES = st.sampled_from(VALUES) | st.text(max_size=20) | st.sampled_from(
    ["offensive", "truce", "reuters", "bloomberg", "syrian-army", "rebels", "aleppo",
     "story", "military", "2016-09-22", "2017", "2016-09-31", "x" * 301, "x" * 10_001])
NODES = st.recursive(LEAVES | st.none(),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner,
                                       max_size=3),
                     max_leaves=8)


def _containers(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _containers(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _containers(value, path + (index,))


@st.composite
def mutated_records(draw):
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = [(path, node) for path, node in _containers(document)
                  if isinstance(node, (dict, list))]
        path, container = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        if action == "add" or not keys:
            if isinstance(container, dict):
                container[draw(st.sampled_from(KEYS) | st.text(max_size=6))] = draw(NODES)
            else:
                container.append(draw(NODES))
        elif action == "delete":
            del container[draw(st.sampled_from(keys))]
        elif action == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[draw(st.sampled_from(keys))]))
        else:  # mostly text, sometimes a whole list or mapping
            container[draw(st.sampled_from(keys))] = draw(st.one_of(LEAVES, LEAVES, LEAVES,
                                                                     NODES))
    flow = draw(st.sampled_from([False, None, True]))
    return yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=flow, width=draw(st.sampled_from([40, 80, 10**6])))


def test_the_unmutated_records_are_valid():
    result = check_text(yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False),
                        "events.yaml", today=TODAY)
    assert result.problems == [] and result.timeline is not None


@FUZZ
@given(mutated_records())
def test_mutated_records_never_break_the_checker(text):
    assert_well_formed(check_text(text, "events.yaml", today=TODAY), text)


# -- 3. anything at all -------------------------------------------------------------------------

@FUZZ
@given(st.text(alphabet=st.characters(codec=None), max_size=300)
       | st.text(alphabet=string.printable + "\u00a0\u2028\u0085\ufeff\t", max_size=300))
def test_arbitrary_text_never_breaks_the_checker(text):
    assert_well_formed(check_text(text, "events.yaml", today=TODAY))


@FUZZ
@given(st.binary(max_size=300) | st.builds(
    lambda head, noise, tail: head + noise + tail,
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"timeline:\n  title: "]),
    st.binary(max_size=60), st.sampled_from([b"", b"\n", b"\nevents: []\n"])))
def test_arbitrary_bytes_never_break_the_checker(data):
    assert_well_formed(check_bytes(data, "events.yaml", today=TODAY))
