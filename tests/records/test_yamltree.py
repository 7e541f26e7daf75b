"""The loader (builder/records/yamltree.py): YAML text to positioned nodes, and every YAML-level problem.

Each problem is pinned as (line, column, rule), 1-based, as an editor shows them.
"""

from __future__ import annotations

import time

import pytest

from builder.records.yamltree import (MAX_DEPTH, Mapping, Scalar, Sequence, decode, load_bytes,
                              load_text, to_plain)


def found(text: str, **options) -> list[tuple[int, int, str]]:
    """(line, column, rule) of every problem, in file order."""
    return sorted((p.line, p.column, p.rule) for p in load_text(text, "f.yaml", **options).problems)


def found_in_bytes(data: bytes) -> list[tuple[int, int, str]]:
    return sorted((p.line, p.column, p.rule) for p in load_bytes(data, "f.yaml").problems)


def messages(text: str) -> list[str]:
    return [p.message for p in load_text(text, "f.yaml").problems]


# -- every scalar is text, where it was written ----------------------------------------------

def test_every_scalar_is_the_text_the_editor_wrote():
    text = ("a: NO\nb: 1:30\nc: 017\nd: 2016-09-24\ne: yes\nf: 1e3\ng: .inf\nh: 0x1F\n"
            "i: true\nj: 2016-09-24 10:00:00\nk: +12\nl: 1_000\nm: 0o17\nn: =\n")
    result = load_text(text, "f.yaml")
    assert result.problems == []
    assert to_plain(result.root) == {
        "a": "NO", "b": "1:30", "c": "017", "d": "2016-09-24", "e": "yes", "f": "1e3",
        "g": ".inf", "h": "0x1F", "i": "true", "j": "2016-09-24 10:00:00", "k": "+12",
        "l": "1_000", "m": "0o17", "n": "="}
    assert all(type(value) is Scalar for _, value in result.root.entries.values())


def test_nulls_are_empty_only_when_unquoted():
    result = load_text('a:\nb: ~\nc: null\nd: NULL\ne: ""\nf: "~"\ng: \'null\'\nh: Nil\n', "f")
    assert to_plain(result.root) == {"a": None, "b": None, "c": None, "d": None, "e": "",
                                     "f": "~", "g": "null", "h": "Nil"}
    plain = {key: value.plain for key, (_, value) in result.root.entries.items()}
    assert plain == {"a": True, "b": True, "c": True, "d": True, "e": False, "f": False,
                     "g": False, "h": True}


def test_keys_and_values_remember_their_positions():
    text = "timeline:\n  title: Aleppo\nevents:\n  - id: truce\n    tags: [a, \"b\"]\n"
    root = load_text(text, "f").root
    assert type(root) is Mapping and (root.line, root.column) == (1, 1)
    header = root.get("timeline")
    assert (header.line, header.column) == (2, 3)
    assert (header.key_node("title").line, header.key_node("title").column) == (2, 3)
    assert (header.get("title").line, header.get("title").column) == (2, 10)
    events = root.get("events")
    assert type(events) is Sequence and (events.line, events.column) == (4, 3)
    event = events.items[0]
    assert (event.line, event.column) == (4, 5)
    tags = event.get("tags")
    assert [(t.value, t.line, t.column, t.plain) for t in tags.items] == [
        ("a", 5, 12, True), ("b", 5, 15, False)]


def test_a_byte_order_mark_is_accepted_and_does_not_shift_columns():
    result = load_bytes("\ufefftimeline: x\n".encode("utf-8"), "f.yaml")
    assert result.problems == []
    key = result.root.key_node("timeline")
    assert (key.line, key.column) == (1, 1)


def test_windows_line_endings_keep_positions():
    root = load_text("a: 1\r\nb:\r\n  c: 2\r\n", "f").root
    inner = root.get("b")
    assert to_plain(root) == {"a": "1", "b": {"c": "2"}}
    assert (inner.key_node("c").line, inner.key_node("c").column) == (3, 3)


def test_old_mac_line_endings_count_as_lines_everywhere():
    result = load_bytes(b"a: 1\rb: caf\xe9\r\tc: 2\r", "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [
        (2, 7, "encoding"), (3, 1, "tab-indentation")]
    root = load_text('a: "x\r\ny"\rb: |\r  one\r  two\r', "f").root
    assert to_plain(root) == {"a": "x y", "b": "one\ntwo\n"}
    assert (root.key_node("b").line, root.key_node("b").column) == (3, 1)


# -- syntax errors: at YAML's position, in plain words, and nothing else -------------------------

@pytest.mark.parametrize("text, position, words", [
    # an unclosed quote is reported where it opens, not at the end of the file
    ('timeline:\n  title: "Aleppo\nsources: {}\n', (2, 10),
     "a quoted text starts here but is not closed"),
    ("a: 'it\nb: c\n", (1, 4), "a quoted text starts here but is not closed"),
    ("a: [x, y\nb: c\n", (1, 4), "the '[' here is not closed properly"),
    ("a: {x: y\n", (1, 4), "the '{' here is not closed properly"),
    ("a: b\n  c: d\n", (2, 4), "a ': ' appears where YAML does not expect a new field"),
    ("description: The envoy said: we will not give up\n", (1, 28), "a ': ' appears where"),
    ("summary: The army\nlaunched an attack\nstatus: x\n", (2, 1), "this line has no ': '"),
    ("- id: x\n  status:reported\n  title: y\n", (2, 3), "a space is missing after the ':'"),
    ("title: 'it's'\n", (1, 12), "the text goes on after a closing quote"),
    ('title: "He said "hi""\n', (1, 18), "the text goes on after a closing quote"),
    ("a:\n  b: 1\n c: 2\n", (3, 2), "the indentation does not line up with the fields above"),
    ("a:\n  - x\n  b: 1\n", (3, 3), "every list item must start with '- ' in the same column"),
    ('a: "x\\qy"\n', (1, 6), "a backslash in double-quoted text starts an unknown escape"),
    ("a: @x\n", (1, 4), "this character cannot start a value"),
    ("a: `x\n", (1, 4), "this character cannot start a value"),
    ("a: *\n", (1, 5), "a '*' starts a YAML alias here"),
    ("a: &\n", (1, 5), "a '&' starts a YAML anchor here"),
    ("[a, b]]\n", (1, 7), "something follows the end of the records"),
])
def test_syntax_errors_are_positioned_and_plain(text, position, words):
    result = load_text(text, "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(*position, "syntax-error")]
    assert words in result.problems[0].message
    assert result.problems[0].message.startswith("the file is not valid YAML here: ")
    assert result.root is None


def test_a_line_indented_with_a_no_break_space_says_so():
    problems = load_text("a:\n  - x\n\u00a0 - y\n  b: 1\n", "f").problems
    assert [(p.line, p.column, p.rule) for p in problems] == [(3, 1, "syntax-error")]
    assert "unusual space character (U+00A0" in problems[0].message


def test_a_syntax_error_keeps_the_problems_found_before_it():
    text = "a: &x 1\nb: !!str 2\nc: [d\n"
    assert found(text) == [(1, 4, "anchor"), (2, 4, "explicit-tag"), (3, 4, "syntax-error")]


def test_a_file_that_ends_inside_brackets_is_reported_at_its_end():
    problems = load_text("a: 1\nc: [\n", "f.yaml").problems
    assert [(p.line, p.column, p.rule) for p in problems] == [(3, 1, "syntax-error")]
    assert "a '[' or '{' above is not closed" in problems[0].message


# -- tabs ----------------------------------------------------------------------------------------

def test_tab_indentation_is_reported_on_every_tab_indented_line_from_the_error_on():
    text = "timeline:\n\ttitle: x\nsources:\n  a:\n\t  b: c\nevents:\n  \t- x\n"
    assert found(text) == [(2, 1, "tab-indentation"), (5, 1, "tab-indentation"),
                           (7, 3, "tab-indentation")]
    assert set(messages(text)) == {"this line is indented with a tab; YAML needs spaces for "
                                   "indentation"}


def test_a_tab_after_a_dash_is_reported_where_it_is():
    assert found("a:\n  - x\n  -\tb: 1\n") == [(3, 4, "tab-indentation")]


def test_tab_indentation_inside_a_plain_text_continuation():
    assert found("a: b\n\tc\n") == [(2, 1, "tab-indentation")]


def test_tabs_inside_text_are_allowed():
    text = 'a: "x\ty"\nb:\tc\nc: |\n  one\n  \ttwo\nd: "multi\n\tline"\n'
    result = load_text(text, "f")
    assert result.problems == []
    assert to_plain(result.root) == {"a": "x\ty", "b": "c", "c": "one\n\ttwo\n", "d": "multi line"}


def test_an_allowed_tab_before_a_syntax_error_is_not_blamed_for_it():
    # The tab inside the block of text is fine; the real error is the unclosed '[' below.
    text = "a: |\n  one\n  \ttwo\nb: [c\n"
    assert found(text) == [(4, 4, "syntax-error")]


# -- characters and encodings --------------------------------------------------------------------

def test_bytes_that_are_not_utf8_are_reported_with_line_and_column():
    text = 'timeline:\n  title: Caf\xe9 \xe0 Alep\n  description: \x93quoted\x94\n'
    data = text.encode("latin-1")
    result = load_bytes(data, "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [
        (2, 13, "encoding"), (2, 15, "encoding"), (3, 16, "encoding"), (3, 23, "encoding")]
    assert "byte 0xe9 is not UTF-8 text; save the file as UTF-8" in result.problems[0].message
    # the rest of the file is still read, with a replacement character in place of each byte
    assert to_plain(result.root) == {"timeline": {"title": "Caf\ufffd \ufffd Alep",
                                                  "description": "\ufffdquoted\ufffd"}}


def test_columns_after_multibyte_characters_count_characters():
    data = "a: حلب \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    assert found_in_bytes(data) == [(1, 8, "encoding")]


def test_a_truncated_multibyte_character_is_one_problem():
    data = "a: x\u00e9y\n".encode("utf-8").replace(b"\xc3\xa9", b"\xc3")
    assert found_in_bytes(data) == [(1, 5, "encoding")]


def test_a_large_file_in_the_wrong_encoding_is_decoded_in_one_pass():
    # 2 MB with 200,000 bad bytes: decoding the rest again after every bad byte took minutes.
    data = ("- title: caf\xe9 cr\xe8me\n" * 100_000).encode("latin-1")
    started = time.perf_counter()
    text, problems = decode(data, "f.yaml")
    assert time.perf_counter() - started < 2
    assert len(text) == len(data)
    assert [p.rule for p in problems] == ["encoding"] * 50  # the first 50 are enough
    assert (problems[-1].line, problems[-1].column) == (25, 17)


def test_a_utf16_file_is_read_and_reported_once():
    result = load_bytes("timeline:\n  title: حلب\n".encode("utf-16"), "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(1, 1, "encoding")]
    assert "UTF-16" in result.problems[0].message
    assert to_plain(result.root) == {"timeline": {"title": "حلب"}}


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe", "\ud800"])
def test_control_characters_are_reported_where_they_are_and_the_rest_is_read(character):
    result = load_text(f"a: x\nb: y{character}z\nc: w\n", "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(2, 5, "syntax-error")]
    assert f"U+{ord(character):04X}" in result.problems[0].message
    assert to_plain(result.root) == {"a": "x", "b": "y\ufffdz", "c": "w"}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_invisible_line_separators_are_reported_and_do_not_shift_later_lines(separator):
    # YAML counts these as line breaks, editors do not: every position after one would be
    # a line off, and in unquoted text they break the file.
    text = f'a: "x{separator}y"\nb: plain{separator}text\nc: [d\n'
    assert found(text) == [(1, 6, "invisible-character"), (2, 9, "invisible-character"),
                           (3, 4, "syntax-error")]


# -- document structure --------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n", "~\n",
                                  "null\n", "--- # nothing\n"])
def test_a_file_without_records_is_empty(text):
    result = load_text(text, "f.yaml")
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(1, 1, "empty-file")]
    assert result.root is None


def test_a_second_document_is_reported_where_it_starts():
    assert found("a: 1\n---\nb: 2\n---\nc: 3\n") == [(2, 1, "multiple-documents")]
    assert to_plain(load_text("a: 1\n---\nb: 2\n", "f").root) == {"a": "1"}


def test_duplicate_keys_anywhere():
    text = ("a: 1\nb:\n  c: 1\n  d: [{e: 1, e: 2}]\n  c: 2\n"
            "\"a\": 3\nf: {g: 1, 'g': 2}\nA: 4\n")
    assert found(text) == [(4, 14, "duplicate-key"), (5, 3, "duplicate-key"),
                           (6, 1, "duplicate-key"), (7, 11, "duplicate-key")]
    assert messages("a: 1\na: 2\n") == [
        "'a' appears twice in the same record or section (first on line 1); YAML would "
        "silently keep only one of them, so remove or rename one"]
    # the first one is kept; keys differing in case are different keys
    assert to_plain(load_text(text, "f").root)["b"]["c"] == "1"
    assert to_plain(load_text(text, "f").root)["A"] == "4"


def test_anchors_aliases_merge_keys_and_tags_are_refused():
    text = ("a: &anchor x\n"
            "b: *anchor\n"
            "c:\n  <<: {d: 1}\n"
            "e: !!python/object/apply:os.system [echo]\n"
            "f: !custom x\n"
            "g: !<tag:yaml.org,2002:str> x\n"
            "h: &list [1]\n"
            "i: !!map {j: 1}\n")
    assert found(text) == [(1, 4, "anchor"), (2, 4, "alias"), (4, 3, "merge-key"),
                           (5, 4, "explicit-tag"), (6, 4, "explicit-tag"), (7, 4, "explicit-tag"),
                           (8, 4, "anchor"), (9, 4, "explicit-tag")]
    said = {p.line: p.message for p in load_text(text, "f.yaml").problems}
    assert said[1].startswith("'&anchor' is a YAML anchor, which this format does not allow")
    assert said[2].startswith("'*anchor' is a YAML alias, which this format does not allow")
    assert said[5].startswith("'!!python/object/apply:os.system' is a YAML tag")
    assert said[6].startswith("'!custom' is a YAML tag")
    assert said[7].startswith("'!!str' is a YAML tag")


def test_a_quoted_merge_key_is_just_an_unknown_name():
    assert found('a:\n  "<<": {d: 1}\n') == []


def test_an_alias_stands_in_as_a_refused_empty_value():
    value = load_text("a: &x 1\nb: *x\n", "f").root.get("b")
    assert type(value) is Scalar and value.refused and value.is_null
    assert (value.line, value.column) == (2, 4)


def test_complex_keys_are_refused():
    text = "? [a, b]\n: 1\n{c: d}: 2\nok: 3\n"
    assert found(text) == [(1, 3, "complex-key"), (3, 1, "complex-key")]
    assert to_plain(load_text(text, "f").root) == {"ok": "3"}


def test_billion_laughs_is_refused_fast_without_expanding_anything():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    result = load_text(text, "f.yaml")
    assert time.perf_counter() - started < 1
    rules = [p.rule for p in result.problems]
    assert rules.count("anchor") == 9 and rules.count("alias") == 8 * 9
    assert sum(len(v) for v in to_plain(result.root).values()) == 9 * 9  # nothing expanded


@pytest.mark.parametrize("text, position", [
    ("[" * 1000 + "]" * 1000, (1, MAX_DEPTH + 1)),
    ("{a: " * 1000 + "}" * 1000, (1, 4 * MAX_DEPTH + 1)),
    ("".join(" " * i + "a:\n" for i in range(1000)) + " " * 1000 + "b\n",
     (MAX_DEPTH + 1, MAX_DEPTH + 1)),
    ("- " * 1000 + "x\n", (1, 2 * MAX_DEPTH + 1)),
    ("[" * 100_000 + "]" * 100_000, (1, 1001)),  # past libyaml's own limit of 1,000 levels
])
def test_deep_nesting_is_one_too_deep_problem_and_quick(text, position):
    started = time.perf_counter()
    problems = load_text(text, "f.yaml").problems
    assert time.perf_counter() - started < 2
    assert [(p.line, p.column, p.rule) for p in problems] == [(*position, "too-deep")]


def test_the_deepest_nesting_of_the_format_is_allowed():
    # root > events > event > sources > citation > quote, and actor > names > name
    text = ("events:\n  - sources:\n      - source: a\n        quote: [[[x]]]\n"
            "actors:\n  a:\n    names: {ar: x}\n")
    assert found(text) == []


def test_a_too_deep_part_in_the_place_of_a_key_takes_its_value_with_it():
    result = load_text("a:\n  ? [x]\n  : v\n  b: c\n", "f", max_depth=2)
    assert [(p.line, p.column, p.rule) for p in result.problems] == [(2, 5, "too-deep")]
    assert to_plain(result.root) == {"a": {"b": "c"}}


def test_a_too_deep_value_does_not_disturb_the_fields_after_it():
    result = load_text("a:\n  k: [x, *y, [z]]\n  b: c\n", "f", max_depth=2)
    assert [p.rule for p in result.problems] == ["too-deep", "alias"]
    assert to_plain(result.root) == {"a": {"b": "c"}}
