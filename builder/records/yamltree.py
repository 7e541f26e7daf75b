"""Read YAML text into a small tree of nodes that remember where they were written.

We walk libyaml's event stream instead of letting PyYAML construct objects, because that
gives us, in one pass at C speed:

* every scalar as the text the editor wrote (``NO`` stays "NO", ``017`` stays "017");
* the line and column of every key and value;
* every duplicate key, anchor, alias, merge key and explicit tag, as a problem instead of
  silent data loss or object construction;
* no recursion and no alias expansion, so deep nesting and "billion laughs" documents cost
  time and memory in proportion to their size.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

import yaml

from builder.records.problems import Level, Problem

try:  # libyaml is several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader

# The deepest the format nests is root → events → event → sources → citation → value,
# and actor/place → names → value; a little headroom keeps error messages useful.
MAX_DEPTH = 8
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Scalar:
    value: str
    line: int
    column: int
    plain: bool = True
    refused: bool = False  # stands in for something already reported (an alias)

    @property
    def is_null(self) -> bool:
        """An empty value (``key:``) or YAML's spelled-out null, when written unquoted."""
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class Sequence:
    items: list
    line: int
    column: int


@dataclass(slots=True)
class Mapping:
    # key text → (key node, value node); the first occurrence wins, later ones are problems
    entries: dict
    line: int
    column: int

    def get(self, key):
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key):
        return self.entries[key][0]


Node = Scalar | Sequence | Mapping


@dataclass
class LoadResult:
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


# libyaml's own wording, for the mistakes editors make most, in plainer words.
_FRIENDLIER = (
    ("mapping values are not allowed", "a ': ' appears where YAML does not expect a new field: "
     "either this line is indented more than the field above it, or it is text that contains "
     "': ' and needs double quotes around the whole text"),
    ("could not find expected ':'", "YAML expected 'name: value' here; check the indentation "
     "and that each field has a colon"),
    ("did not find expected key", "the indentation does not line up with the fields above; "
     "fields of one record must start in the same column"),
    ("did not find expected '-' indicator", "the indentation does not line up with the list "
     "above; every list item must start with '- ' in the same column"),
    ("found unexpected end of stream", "the file ends in the middle of a value; a quote or "
     "bracket is probably not closed"),
    ("found unknown escape character", "a backslash in double-quoted text starts an unknown "
     "escape; write \\\\ for a backslash, or use single quotes"),
    ("while scanning an alias", "a '*' starts a YAML alias here; put text that starts with '*' "
     "in double quotes"),
    ("while scanning an anchor", "a '&' starts a YAML anchor here; put text that starts with "
     "'&' in double quotes"),
    ("did not find expected <document start>", "something follows the end of the records; "
     "check for an extra ']' or '}'"),
    ("found character that cannot start any token", "this character cannot start a value; "
     "put the text in double quotes"),
    ("control characters are not allowed", "the file contains an invisible control "
     "character here; delete it"),
    ("while scanning a quoted scalar", "a quoted text is not closed; add the closing quote"),
    ("expected <block end>", "the indentation does not line up with the lines above"),
    ("did not find expected node content", "a value is missing here; if the file ends here, "
     "a '[' or '{' above is not closed"),
    ("expected ',' or ']'", "a list in square brackets is not closed properly; check for a "
     "missing ']' or a comma"),
    ("expected ',' or '}'", "a mapping in braces is not closed properly; check for a "
     "missing '}' or a comma"),
)

_TAB_INDENT = re.compile(r"[ ]*\t")


class _Builder:
    """Turns the event stream into nodes, collecting problems as it goes."""

    def __init__(self, path: str, max_depth: int):
        self.path = path
        self.max_depth = max_depth
        self.problems: list[Problem] = []
        self.root: Node | None = None
        # Each frame: [container node, pending key node or None]
        self.stack: list[list] = []
        self.skipping = 0  # depth inside a part we refuse (too deep, or behind a bad key)
        self.skipped_key = False  # whether the refused part stood where a field name goes
        self.documents = 0
        self.last_event = None

    def problem(self, mark, rule: str, message: str, level: Level = Level.ERROR) -> None:
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, rule, message, level))

    def feed(self, events) -> None:
        event = None
        try:
            for event in events:
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    self.scalar(event)
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    self.start(event, kind is yaml.MappingStartEvent)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    self.end()
                elif kind is yaml.AliasEvent:
                    self.problem(event.start_mark, "alias",
                                 f"'*{event.anchor}' is a YAML alias, which this format does "
                                 "not allow; write the value out in full (if it is text "
                                 "starting with '*', put it in double quotes)")
                    if not self.skipping:
                        self.attach(Scalar("", event.start_mark.line + 1,
                                           event.start_mark.column + 1, refused=True))
                elif kind is yaml.DocumentStartEvent:
                    self.documents += 1
                    if self.documents == 2:
                        self.problem(event.start_mark, "multiple-documents",
                                     "a second YAML document starts here ('---'); the file must "
                                     "hold exactly one")
        finally:
            self.last_event = event  # where YAML was when it stopped, for syntax errors

    def check_properties(self, event) -> None:
        if event.anchor is not None:
            self.problem(event.start_mark, "anchor",
                         f"'&{event.anchor}' is a YAML anchor, which this format does not allow; "
                         "write each value out in full (text starting with '&' needs quotes)")
        if event.tag is not None:
            written = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(event.start_mark, "explicit-tag",
                         f"'{written}' is a YAML tag, which this format does not allow; "
                         "remove it (text starting with '!' needs quotes)")

    def start(self, event, is_mapping: bool) -> None:
        if self.skipping:
            self.skipping += 1
            return
        self.check_properties(event)
        if len(self.stack) >= self.max_depth:
            self.problem(event.start_mark, "too-deep",
                         f"the records nest deeper than the format allows ({self.max_depth} "
                         "levels); this part is ignored")
            self.skipping = 1
            frame = self.stack[-1] if self.stack else None
            self.skipped_key = (frame is not None and type(frame[0]) is Mapping
                                and frame[1] is None)
            return
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        node = Mapping({}, line, column) if is_mapping else Sequence([], line, column)
        self.attach(node)
        self.stack.append([node, None])

    def end(self) -> None:
        if self.skipping:
            self.skipping -= 1
            if self.skipping == 0:
                self.finish_value()
            return
        self.stack.pop()

    def scalar(self, event) -> None:
        if self.skipping:
            return
        self.check_properties(event)
        mark = event.start_mark
        self.attach(Scalar(event.value, mark.line + 1, mark.column + 1, not event.style))

    def finish_value(self) -> None:
        """A skipped value still completes the key/value pair that was waiting for it; a
        skipped key takes its value with it."""
        if self.stack:
            frame = self.stack[-1]
            if isinstance(frame[0], Mapping):
                frame[1] = _IGNORED_KEY if self.skipped_key else None

    def attach(self, node: Node) -> None:
        if not self.stack:
            if self.root is None:
                self.root = node
            return
        frame = self.stack[-1]
        container = frame[0]
        if type(container) is Sequence:
            container.items.append(node)
            return
        key = frame[1]
        if key is None:
            self.attach_key(frame, node)
            return
        frame[1] = None
        if key is _IGNORED_KEY:
            return
        container.entries[key.value] = (key, node)

    def attach_key(self, frame: list, node: Node) -> None:
        container = frame[0]
        if type(node) is not Scalar:
            self.problems.append(Problem(self.path, node.line, node.column, "complex-key",
                                         "a field name must be plain text, not a list or "
                                         "mapping"))
            frame[1] = _IGNORED_KEY
            # The node itself was already entered on the stack by start(); it stays harmless.
            return
        if node.plain and node.value == "<<":
            self.problems.append(Problem(self.path, node.line, node.column, "merge-key",
                                         "'<<' is a YAML merge key, which this format does not "
                                         "allow; write the fields out in full"))
            frame[1] = _IGNORED_KEY
            return
        previous = container.entries.get(node.value)
        if previous is not None:
            first = previous[0]
            self.problems.append(Problem(
                self.path, node.line, node.column, "duplicate-key",
                f"'{node.value}' appears twice in the same record or section (first on line "
                f"{first.line}); YAML would silently keep only one of them, so remove or rename "
                "one"))
            frame[1] = _IGNORED_KEY
            return
        frame[1] = node


_IGNORED_KEY = Scalar("", 0, 0)


# Characters YAML refuses outright (control characters, U+FFFE, U+FFFF, lone surrogates) and
# the invisible line separators it counts as line breaks, although editors do not: both are
# reported where they stand and replaced before parsing, so the rest of the file is checked.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_UNUSUAL_SPACE = re.compile(r"[^\S\t\r\n ]")  # no-break and other Unicode spaces
_MAX_CHARACTER_PROBLEMS = 50

_BYTE_BREAKS = re.compile(rb"\r\n|\r|\n")
_undecodable = threading.local()


def _record_undecodable(error: UnicodeDecodeError):
    _undecodable.spans.append(error.start)
    return "\ufffd", error.end


codecs.register_error("timeline-yamltree-record", _record_undecodable)


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode UTF-8, reporting every undecodable byte sequence instead of stopping at one."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            problems.append(Problem(path, 1, 1, "encoding",
                                    "the file is saved as UTF-16; save it as UTF-8"))
            return text, problems
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError:
        pass
    # One pass with an error handler that notes where each bad sequence starts: decoding the
    # rest of the file again after every bad byte would take quadratic time.
    _undecodable.spans = []
    try:
        text = data.decode("utf-8", "timeline-yamltree-record")
        starts = _undecodable.spans
    finally:
        del _undecodable.spans
    for bad in starts[:_MAX_CHARACTER_PROBLEMS]:
        line = len(_BYTE_BREAKS.findall(data, 0, bad)) + 1
        line_start = max(data.rfind(b"\n", 0, bad), data.rfind(b"\r", 0, bad)) + 1
        column = len(data[line_start:bad].decode("utf-8", "replace")) + 1
        problems.append(Problem(
            path, line, column, "encoding",
            f"byte 0x{data[bad]:02x} is not UTF-8 text; save the file as UTF-8 "
            "(the character here is probably a typographic quote or an accented "
            "letter from another encoding)"))
    return text, problems


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting lines as editors do."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _refused_characters(text: str, path: str) -> tuple[str, list[Problem]]:
    """Report, and blank out, characters YAML refuses or reads differently from editors."""
    problems: list[Problem] = []
    if _NOT_PRINTABLE.search(text):
        for match in _NOT_PRINTABLE.finditer(text):
            if len(problems) < _MAX_CHARACTER_PROBLEMS:
                code = ord(match.group())
                problems.append(Problem(
                    path, *_position(text, match.start()), "syntax-error",
                    f"the file contains an invisible control character (U+{code:04X}) here, "
                    "which YAML does not allow; delete it"))
        text = _NOT_PRINTABLE.sub("\ufffd", text)
    if _LINE_SEPARATORS.search(text):
        for match in _LINE_SEPARATORS.finditer(text):
            if len(problems) < _MAX_CHARACTER_PROBLEMS:
                code = ord(match.group())
                problems.append(Problem(
                    path, *_position(text, match.start()), "invisible-character",
                    f"the file contains an invisible line separator (U+{code:04X}) here; YAML "
                    "reads it as a new line although editors do not show one; delete it or "
                    "replace it with a space"))
        text = _LINE_SEPARATORS.sub(" ", text)
    return text, problems


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, path: str,
                    last_event=None) -> list[Problem]:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    raw = " ".join(part for part in (error.context, error.problem) if part)
    if "exceeded maximum nesting depth" in raw:  # libyaml's own limit, 1,000 levels
        return [Problem(path, line, column, "too-deep",
                        "the records nest far deeper than the format allows; YAML stops "
                        "reading the file here")]
    lines = text.split("\n")
    here = lines[line - 1][column - 1:column] if line <= len(lines) else ""
    if "tab character" in raw or "'\\t'" in raw or here == "\t":
        # Lines before the error were read without trouble (a tab inside quoted text or a
        # block of text is allowed); the tab-indented lines from here on are not.
        problems = [Problem(path, number, len(indent) + 1, "tab-indentation",
                            "this line is indented with a tab; YAML needs spaces for "
                            "indentation")
                    for number, indent in _tab_indents(lines, line)]
        if not problems or problems[0].line != line:
            problems.append(Problem(path, line, column, "tab-indentation",
                                    "a tab is used here; YAML needs spaces"))
        return problems
    context = error.context_mark
    for number in (line, context.line + 1) if context is not None else (line,):
        indent = _indent_of(lines, number)
        unusual = _UNUSUAL_SPACE.search(indent)
        if unusual:
            return [Problem(path, number, unusual.start() + 1, "syntax-error",
                            f"the file is not valid YAML here: this line is indented with an "
                            f"unusual space character (U+{ord(unusual.group()):04X}, often "
                            "copied from a web page); use ordinary spaces")]
    (line, column), words = _explain(error, lines, line, column, raw, last_event)
    return [Problem(path, line, column, "syntax-error",
                    f"the file is not valid YAML here: {words}")]


def _explain(error, lines: list[str], line: int, column: int, raw: str, last_event=None):
    """Where to point and what to say: for an unclosed quote or bracket, or a line without a
    colon, the place where the construct starts is more use than where YAML gave up."""
    context, problem = error.context or "", error.problem or ""
    start = error.context_mark
    at_start = (start.line + 1, start.column + 1) if start is not None else (line, column)
    if start is not None and context == "while scanning a quoted scalar":
        return at_start, "a quoted text starts here but is not closed; add the closing quote"
    if start is not None and context in ("while parsing a flow sequence",
                                         "while parsing a flow mapping"):
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return at_start, (f"the '{opening}' here is not closed properly; check for a missing "
                          f"'{closing}' or a missing comma")
    if start is not None and context == "while scanning a simple key":
        text = lines[start.line] if start.line < len(lines) else ""
        if re.search(r"^\s*(?:- )?[^\s:]+:[^\s:/]", text):
            return at_start, "a space is missing after the ':' on this line"
        return at_start, ("this line has no ': '; write 'name: value', or if it continues "
                          "the text above, indent it further than the field name")
    if type(last_event) is yaml.ScalarEvent and last_event.style in ("'", '"') \
            and last_event.start_mark.line < last_event.end_mark.line == line - 1:
        # A quote left open runs on to the next quote in the file, lines below.
        begun = last_event.start_mark
        return (begun.line + 1, begun.column + 1), (
            f"a quoted text starts here and runs on to line {line}, where YAML stops reading; "
            "check that it is closed on the line where it should end")
    before = lines[line - 1][:column - 1] if line <= len(lines) else ""
    if problem in ("did not find expected key", "did not find expected '-' indicator") \
            and before.rstrip(" ").endswith(("'", '"')):
        return (line, column), ("the text goes on after a closing quote; to put a quote inside "
                                "quoted text, use the other kind of quotes, or write ' twice "
                                "inside single quotes (like 'it''s')")
    for needle, plain in _FRIENDLIER:
        if needle in raw:
            return (line, column), plain
    return (line, column), raw


def _tab_indents(lines: list[str], first: int):
    for number in range(first, len(lines) + 1):
        match = _TAB_INDENT.match(lines[number - 1])
        if match:
            yield number, match.group()[:-1]


def _indent_of(lines: list[str], number: int) -> str:
    if not 1 <= number <= len(lines):
        return ""
    line = lines[number - 1]
    return line[:len(line) - len(line.lstrip())]


def load_text(text: str, path: str, max_depth: int = MAX_DEPTH) -> LoadResult:
    """Parse ``text`` into nodes. A syntax error ends the tree; problems found so far stay."""
    if "\r" in text:  # YAML and editors end lines at \r too; counting is simpler with \n only
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, problems = _refused_characters(text, path)
    builder = _Builder(path, max_depth)
    builder.problems = problems
    try:
        builder.feed(yaml.parse(text, Loader=_EventLoader))
    except yaml.MarkedYAMLError as error:
        found = _syntax_problem(error, text, path, builder.last_event)
        if any(p.rule == "too-deep" for p in builder.problems):  # once is enough
            found = [p for p in found if p.rule != "too-deep"]
        builder.problems.extend(found)
        return LoadResult(None, builder.problems)
    except yaml.YAMLError as error:  # e.g. a reader error without a mark
        builder.problems.append(Problem(path, 1, 1, "syntax-error",
                                        f"the file is not valid YAML: {error}"))
        return LoadResult(None, builder.problems)
    root = builder.root
    if root is None or (type(root) is Scalar and root.is_null):
        builder.problems.append(Problem(path, 1, 1, "empty-file",
                                        "the file holds no records; see 'How to add an event' "
                                        "for a complete example"))
        root = None
    return LoadResult(root, builder.problems)


def load_bytes(data: bytes, path: str, max_depth: int = MAX_DEPTH) -> LoadResult:
    text, problems = decode(data, path)
    result = load_text(text, path, max_depth)
    result.problems[:0] = problems
    return result


def to_plain(node: Node | None):
    """The tree as plain Python values (dicts, lists, strings), e.g. for JSON Schema checks."""
    if node is None:
        return None
    if type(node) is Scalar:
        return None if node.is_null else node.value
    if type(node) is Sequence:
        return [to_plain(item) for item in node.items]
    return {key: to_plain(value) for key, (_, value) in node.entries.items()}
