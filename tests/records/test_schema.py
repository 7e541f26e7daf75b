"""The JSON Schema (schema/events.schema.json) and the checker (builder/records/validate.py) agree.

The schema is what editors see: the YAML language server uses it for completion, hover help
and inline errors. The checker stays the authority. These tests show that the two describe
the same format:

(a) the schema is a valid draft 2020-12 schema whose records, required fields, limits and
    patterns are the ones validate.py defines;
(b) every valid file passes both;
(c) every file in tests/examples/schema-invalid/ is rejected by both, the checker with the
    rule named in the file's ``# expect:`` line;
(d) mutating a valid file structurally (dropping a key, adding an unknown one, putting a list
    where text belongs, ...) makes both reject it or both accept it.

Some things only the checker can see (references to unknown ids, duplicate ids, 29 February
of a common year, future dates, spans that end before they start, narratives that match nothing); those rules
are kept apart below and never count as disagreement.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, ValidationError, validators

from builder.records import validate
from builder.records.check import check_text
from builder.records.model import STATUSES
from builder.records.yamltree import load_text, to_plain

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "schema" / "events.schema.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TODAY = date(2026, 11, 25)

# Checker rules, by what the schema can know about them.
STRUCTURAL_RULES = frozenset({
    "wrong-type", "empty-value", "unknown-field", "missing-field", "too-long", "invalid-id",
    "invalid-tag", "invalid-date", "invalid-url", "unsafe-url", "invalid-coordinate",
    "invalid-language", "invalid-status", "missing-source", "narrative-selection",
})
REFERENCE_RULES = frozenset({"unknown-source", "unknown-actor", "unknown-place",
                             "unknown-event"})
CHECKER_ONLY_RULES = frozenset({"duplicate-id", "future-date", "date-order",
                                "empty-narrative"})


# -- the schema, read the way editors read it -------------------------------------------------

@functools.lru_cache(maxsize=None)
def _ecma_regex(pattern: str) -> re.Pattern:
    # Editors evaluate patterns as ECMA-262 regular expressions, where '$' only matches at
    # the very end; Python's '$' also matches before a final newline, so "abc\n" would pass
    # as an id. \Z gives the ECMA meaning. The schema writes [0-9] rather than \d, so the
    # remaining differences between the two engines do not arise.
    if pattern.endswith("$") and not pattern.endswith(r"\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EditorValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@functools.lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _inline(node, defs):
    """The schema with every $ref replaced by an allOf of its target: the same meaning (the
    schema has no recursion), and twice as fast to evaluate as following references."""
    if isinstance(node, dict):
        node = {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
        if "$ref" in node:
            target = defs[node.pop("$ref").removeprefix("#/$defs/")]
            node = {"allOf": [_inline(target, defs)], **node}
        return node
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


@functools.lru_cache(maxsize=1)
def schema_validator():
    return EditorValidator(_inline(schema(), schema()["$defs"]))


def plain(text: str, path: str = "events.yaml"):
    loaded = load_text(text, path)
    assert loaded.root is not None, loaded.problems
    return to_plain(loaded.root)


def schema_errors(document) -> list[ValidationError]:
    return list(schema_validator().iter_errors(document))


def describe(errors) -> str:
    return "\n".join(f"  {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
                     for e in errors)


# -- documents used as starting points --------------------------------------------------------

MINIMAL = """\
timeline:
  title: A minimal timeline
sources:
  reuters-2016-09-25:
    title: "U.S., Russia trade blows over Syria as warplanes pound Aleppo"
    publisher: Reuters
    published: "2016-09-25"
events:
  - id: un-security-council-meets-on-aleppo
    date: "2016-09-25"
    title: UN Security Council meets on the violence in Aleppo
    summary: The council met on Sunday 25 September, according to Reuters.
    status: confirmed
    sources: [reuters-2016-09-25]
"""

# Every field of format version 1 at least once.
FULL = """\
# yaml-language-server: $schema=../schema/events.schema.json
timeline:
  title: Aleppo, September 2016 (test copy)
  description: A small timeline that uses every field of format version 1.
sources:
  reuters-2016-09-25:
    title: "U.S., Russia trade blows over Syria as warplanes pound Aleppo"
    publisher: Reuters
    published: "2016-09-25"
    url: https://www.reuters.com/article/us-mideast-crisis-syria-idUSKCN11V0E4
    archive_url: ""
    accessed: "2026-11-20"
    author: Reuters staff
    language: en
    note: Also ran under the headline "Diplomats Round On Russians".
  sohr-statement:
    title: Statement on casualties in eastern Aleppo
    publisher: Syrian Observatory for Human Rights
    published: "2016-09~"
    language: ar
actors:
  sohr:
    name: Syrian Observatory for Human Rights
    names: {ar: "المرصد السوري لحقوق الإنسان"}
    description: A monitoring group.
  rebels:
    name: Syrian rebel groups
  syrian-army:
    name: Syrian army
    names: {ar: "الجيش العربي السوري"}
places:
  eastern-aleppo:
    name: Eastern Aleppo
    names: {ar: "شرق حلب", ru: "Восточный Алеппо"}
    lat: 36.2
    lon: 37.17
    description: The rebel-held half of Aleppo.
  handarat:
    name: Handarat camp
events:
  # "on Saturday" in a report of Sunday 25 September 2016 -> 24 September.
  - id: sohr-reports-45-killed-in-eastern-aleppo
    date: "2016-09-24"
    title: Syrian Observatory reports at least 45 people killed in eastern Aleppo
    summary: >-
      The Syrian Observatory for Human Rights said at least 45 people were killed
      in eastern Aleppo on Saturday 24 September.
    place: eastern-aleppo
    actors: [sohr]
    tags: [casualties, humanitarian]
    status: reported
    claims:
      - by: sohr
        text: At least 45 people, among them 10 children, were killed in eastern Aleppo on Saturday.
        source: reuters-2016-09-25
    sources:
      - source: reuters-2016-09-25
        quote: "The Syrian Observatory for Human Rights, a monitoring group, said at least 45 people, among them 10 children, were killed in eastern Aleppo on Saturday."
      - sohr-statement
  - id: handarat-camp-changes-hands
    date: "2016-09-22/2016-09-25"
    title: The Handarat camp changes hands twice
    summary: Government forces seized the camp; rebels said they retook it.
    place: handarat
    actors: [syrian-army, rebels]
    tags: [military]
    status: disputed
    claims:
      - by: rebels
        text: '"We retook the camp"'
        source: reuters-2016-09-25
    sources:
      - reuters-2016-09-25
narratives:
  - id: eastern-aleppo
    title: Eastern Aleppo under fire
    intro: The strikes on the rebel-held half of the city.
    events: [sohr-reports-45-killed-in-eastern-aleppo]
  - id: fighting
    title: The fighting
    intro: Military events of the week.
    tags: [military]
    actors: [rebels]
    from: "2016-09-20"
    to: "2016-09-25"
"""

BUILTIN = {"builtin:minimal": MINIMAL, "builtin:full": FULL}


def valid_files() -> list:
    files = sorted((EXAMPLES / "valid").glob("*.yaml"))
    if (REPO / "events.yaml").is_file():
        files.append(REPO / "events.yaml")
    return [pytest.param(str(f), id=str(f.relative_to(REPO))) for f in files] + \
        [pytest.param(name, id=name) for name in BUILTIN]


HOW_TO = REPO / "content" / "how-to-add-an-event.md"


def how_to_examples() -> list[str]:
    """The YAML blocks of the editors' guide that are whole files (they have 'timeline:')."""
    if not HOW_TO.is_file():
        return []
    blocks = re.findall(r"^```yaml\n(.*?)^```$", HOW_TO.read_text(encoding="utf-8"),
                        re.MULTILINE | re.DOTALL)
    return [block for block in blocks if re.search(r"^timeline:", block, re.MULTILINE)]


def read(name: str) -> str:
    return BUILTIN[name] if name in BUILTIN else Path(name).read_text(encoding="utf-8")


def invalid_files() -> list[Path]:
    return sorted((EXAMPLES / "schema-invalid").glob("*.yaml"))


# -- (a) the schema is valid and describes validate.py's records ------------------------------

def test_schema_is_a_valid_draft_2020_12_schema():
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema())


def _record(name: str) -> dict:
    s = schema()
    return s if name == "root" else s["$defs"][name]


@pytest.mark.parametrize("name, spec", [
    ("root", validate.ROOT), ("header", validate.HEADER), ("source", validate.SOURCE),
    ("actor", validate.ACTOR), ("place", validate.PLACE), ("event", validate.EVENT),
    ("claim", validate.CLAIM), ("citation", validate.CITATION),
    ("narrative", validate.NARRATIVE),
])
def test_records_have_the_checkers_fields(name, spec):
    record = _record(name)
    assert record["additionalProperties"] is False
    assert set(record["properties"]) == set(spec.known)
    assert set(record["required"]) == set(spec.required)


def test_limits_patterns_and_statuses_match_the_checker():
    defs = schema()["$defs"]
    limits = validate.LIMITS
    assert defs["slug"]["pattern"] == f"^{validate.SLUG.pattern}$"
    assert defs["tag"]["pattern"] == f"^{validate.SLUG.pattern}$"
    assert defs["language"]["pattern"] == f"^{validate.LANGUAGE.pattern}$"
    assert defs["event"]["properties"]["status"]["enum"] == list(STATUSES)
    expected = {
        ("slug", "maxLength"): limits["id"],
        ("header", "title"): limits["title"], ("header", "description"): limits["description"],
        ("source", "title"): limits["source title"], ("source", "publisher"): limits["publisher"],
        ("source", "author"): limits["author"], ("source", "note"): limits["note"],
        ("actor", "name"): limits["name"], ("actor", "description"): limits["description"],
        ("place", "name"): limits["name"], ("place", "description"): limits["description"],
        ("event", "title"): limits["title"], ("event", "summary"): limits["summary"],
        ("claim", "text"): limits["text"], ("narrative", "title"): limits["title"],
        ("narrative", "intro"): limits["intro"],
    }
    for (record, field), limit in expected.items():
        found = defs[record]["maxLength"] if field == "maxLength" else \
            defs[record]["properties"][field]["maxLength"]
        assert found == limit, (record, field)
    assert defs["url"]["maxLength"] == limits["url"]
    assert defs["names"]["additionalProperties"]["maxLength"] == limits["name"]
    assert defs["citation"]["properties"]["quote"]["maxLength"] == limits["quote"]


def test_every_property_has_hover_help():
    s = schema()
    for record in [s, *s["$defs"].values()]:
        for key, value in record.get("properties", {}).items():
            target = s["$defs"][value["$ref"].rsplit("/", 1)[-1]] if "$ref" in value else {}
            assert value.get("description") or target.get("description"), key
            assert value.get("markdownDescription") or target.get("markdownDescription"), key


def test_editors_numbers_are_accepted():
    """The YAML language server reads `lat: 36.2` and `published: 2016` as numbers."""
    document = plain(FULL)
    document["places"]["eastern-aleppo"].update(lat=36.2, lon=-37)
    document["sources"]["sohr-statement"]["published"] = 2016
    assert not schema_errors(document)
    document["places"]["eastern-aleppo"]["lat"] = 95.5
    assert schema_errors(document)


# -- (b) valid files pass both ------------------------------------------------------------------

@pytest.mark.parametrize("name", valid_files())
def test_valid_file_passes_checker_and_schema(name):
    text = read(name)
    result = check_text(text, name, today=TODAY)
    assert not result.errors, "\n".join(map(str, result.errors))
    errors = schema_errors(plain(text, name))
    assert not errors, "schema rejects a file the checker accepts:\n" + describe(errors)


def test_the_editors_guide_has_a_complete_example():
    assert how_to_examples(), f"{HOW_TO.name} should show a complete file"


@pytest.mark.parametrize("text", how_to_examples())
def test_the_editors_guide_example_passes_checker_and_schema(text):
    result = check_text(text, HOW_TO.name, today=TODAY)
    assert not result.problems, "\n".join(map(str, result.problems))
    errors = schema_errors(plain(text))
    assert not errors, describe(errors)


# -- (c) structurally invalid files fail both ---------------------------------------------------

def test_there_are_enough_structural_error_examples():
    assert len(invalid_files()) >= 20


@pytest.mark.parametrize("path", invalid_files(), ids=lambda p: p.stem)
def test_structural_error_is_rejected_by_both(path):
    text = path.read_text(encoding="utf-8")
    expected = re.search(r"^# expect: (\S+)$", text, re.MULTILINE)
    assert expected, f"{path.name} needs a '# expect: <rule>' line"
    rule = expected.group(1)
    assert rule in STRUCTURAL_RULES
    result = check_text(text, path.name, today=TODAY)
    rules = {p.rule for p in result.errors}
    assert rule in rules, f"checker reported {sorted(rules) or 'no errors'}, expected {rule}"
    assert schema_errors(plain(text, path.name)), "the schema accepts the file"


# -- (d) structural mutations: both reject or both accept --------------------------------------

# Paths (with '*' for list positions) whose text is a reference to an id defined elsewhere.
# The schema gives them the id pattern; the checker only looks the value up, so a
# reference that is not an id is an unknown-* error there instead of a pattern error.
REFERENCE_PATHS = (
    ("events", "*", "place"), ("events", "*", "actors", "*"), ("events", "*", "sources", "*"),
    ("events", "*", "sources", "*", "source"), ("events", "*", "claims", "*", "by"),
    ("events", "*", "claims", "*", "source"), ("narratives", "*", "events", "*"),
    ("narratives", "*", "actors", "*"),
)


def _is_reference(path) -> bool:
    path = tuple("*" if isinstance(p, int) else p for p in path)
    return path in REFERENCE_PATHS


def dump(document) -> str:
    return yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     allow_unicode=True, sort_keys=False, width=1 << 30)


def verdicts(document):
    """Check the document through real YAML text with both. Returns (text, checker result,
    checker structural rules, checker reference rules, schema structural errors, schema
    reference errors), or None when the loader itself reports a problem."""
    text = dump(document)
    loaded = load_text(text, "mutant.yaml")
    if loaded.problems:  # e.g. stacked changes nest deeper than the loader allows
        return None
    result = check_text(text, "mutant.yaml", today=TODAY)
    rules = {p.rule for p in result.errors}
    unknown = rules - STRUCTURAL_RULES - REFERENCE_RULES - CHECKER_ONLY_RULES
    assert not unknown, f"classify the new checker rule(s) {sorted(unknown)} in this test"
    structural, references = [], []
    for error in schema_errors(to_plain(loaded.root)):
        is_reference = (error.validator == "pattern" and _is_reference(error.absolute_path)
                        and error.instance.strip())
        (references if is_reference else structural).append(error)
    return text, result, rules & STRUCTURAL_RULES, rules & REFERENCE_RULES, structural, \
        references


def _masked_by_date_order(rules, structural) -> bool:
    # A span that ends before it starts is reported as date-order before the checker asks
    # whether 'accessed' is one exact day; the schema sees only the second problem.
    return "date-order" in rules and all(
        error.validator == "pattern" and error.absolute_path[-1] == "accessed"
        for error in structural)


def assert_agree(document, *, skip_unloadable=False) -> bool:
    """Assert that the checker and the schema agree; True when both reject the structure."""
    found = verdicts(document)
    if found is None:
        if skip_unloadable:
            assume(False)
        pytest.fail("the mutated document does not load cleanly:\n" + dump(document))
    text, result, checker_structural, checker_references, structural, references = found
    context = (f"\n--- document ---\n{text}--- checker ---\n" +
               "\n".join(f"  {p.line}:{p.column} {p.message} ({p.rule})"
                         for p in result.errors) +
               "\n--- schema ---\n" + describe(structural + references))
    if structural and not checker_structural:
        assert _masked_by_date_order({p.rule for p in result.errors}, structural), context
    else:
        assert bool(checker_structural) == bool(structural), context
    if references and not structural:  # a reference that is no id: the checker cannot find it
        assert checker_references, context
    return bool(structural)


LONG = "a" * 10_001  # longer than every limit, and still a valid id
# Changes of shape, tried everywhere.
SHAPES = (None, "", "   ", [], ["x"], {}, {"x": "y"}, {"unknown_field": "x"}, LONG, "x",
          "Not A Slug")
# Values of a particular form, tried on the fields of that form (and, in the hypothesis
# test, anywhere).
FORMS = {
    "date": ("2016", "2016-09~", "2016-09-12/2016-09-24", "2016-09%", "2016-13", "2016-04-31",
             "2016-02-30", "0000", "16-09-22", "2016-9-1", "2016-09-22T10:00",
             "2030-01-01", "2016-09-25/2016-09-01", " 2016-09-22 ", "2016-09-22\n"),
    "url": ("https://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG", "ftp://example.org/x",
            "javascript:alert(1)", "https://example.org/a b", "https://", "example.org",
            "http://[abc", "https://example.org:99999999"),
    "coordinate": ("91", "-90", "180.0", "-180.5", "+.5", "5.", ".", "1e3", "36,2", "0x10"),
    "language": ("en", "EN", "ar-SY", "english", "e"),
    "status": ("confirmed", "Confirmed", "reported ", "rumoured"),
}
FIELD_FORMS = {"date": "date", "published": "date", "accessed": "date", "from": "date",
               "to": "date", "url": "url", "archive_url": "url", "lat": "coordinate",
               "lon": "coordinate", "language": "language", "status": "status"}
EVERY_VALUE = SHAPES + tuple(value for values in FORMS.values() for value in values)


def _walk(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def mutations(document, everywhere=False):
    """Single structural changes to the document, as (kind, path, argument): drop a key or
    an item, add an unknown key, duplicate an item, replace a value. Replacements are the
    SHAPES anywhere and the FORMS on their fields, or with ``everywhere`` every value
    anywhere."""
    for path, node in _walk(document):
        if isinstance(node, dict):
            for key in node:
                yield ("drop", path, key)
            yield ("add", path, "unknown_field")
        elif isinstance(node, list):
            for index in range(len(node)):
                yield ("drop", path, index)
                yield ("duplicate", path, index)
        if not path:
            continue
        form = FIELD_FORMS.get(path[-1]) if isinstance(path[-1], str) else None
        values = EVERY_VALUE if everywhere else SHAPES + FORMS.get(form, ())
        for value in values:
            yield ("replace", path, value)


def mutate(document, mutation):
    kind, path, argument = mutation
    document = copy.deepcopy(document)
    if kind == "replace":
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = copy.deepcopy(argument)
        return document
    node = document
    for step in path:
        node = node[step]
    if kind == "drop":
        del node[argument]
    elif kind == "add":
        node[argument] = "x"
    elif kind == "duplicate":
        node.insert(argument, copy.deepcopy(node[argument]))
    return document


FULL_PLAIN = plain(FULL)


def test_the_base_document_agrees():
    assert_agree(FULL_PLAIN)
    _, result, *_ = verdicts(FULL_PLAIN)
    assert not result.errors


def test_every_single_mutation_agrees():
    """Exhaustive: each change from mutations() to the full example, one at a time."""
    all_mutations = list(mutations(FULL_PLAIN))
    assert len(all_mutations) > 1000
    rejected = sum(assert_agree(mutate(FULL_PLAIN, mutation)) for mutation in all_mutations)
    # not vacuous: many changes break the structure, and many others do not
    assert rejected > 300 and len(all_mutations) - rejected > 100, (rejected, len(all_mutations))


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_stacked_mutations_agree(data):
    """Up to three changes at once, on either built-in document."""
    document = data.draw(st.sampled_from([FULL_PLAIN, plain(MINIMAL)]), label="base")
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        choices = list(mutations(document, everywhere=True))
        document = mutate(document, data.draw(st.sampled_from(choices), label="mutation"))
    assert_agree(document, skip_unloadable=True)


# -- edge cases ---------------------------------------------------------------------------------

def _with_source_field(field: str, value: str) -> str:
    return MINIMAL.replace('    published: "2016-09-25"\n',
                           f'    published: "2016-09-25"\n    {field}: {json.dumps(value)}\n')


@pytest.mark.parametrize("url", [
    "http://[abc", "https://example.org:", "https://user@/x", "HTTPS://example.org/a b",
    "file:///etc/passwd", "//example.org/a", "https://exa$mple.org/",
])
def test_bad_urls_are_rejected_by_both(url):
    text = _with_source_field("url", url)
    rules = {p.rule for p in check_text(text, "events.yaml", today=TODAY).errors}
    assert rules & {"invalid-url", "unsafe-url"}
    assert schema_errors(plain(text))


def test_checker_reports_a_host_that_python_cannot_split():
    # urlsplit raises ValueError for '℀' (NFKC 'a/c') in the host; the checker reports it.
    # The schema lets any non-ASCII character into a host name (for internationalised
    # domains), so only the checker sees this one.
    text = _with_source_field("url", "http://ex\u2100ample.com/")
    assert "invalid-url" in {p.rule for p in check_text(text, "events.yaml", today=TODAY).errors}


@pytest.mark.parametrize("url", [
    "https://www.example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG", "http://example.org:8080/x",
    "https://user:secret@example.org/", "http://\u4f8b\u3048.jp/", "https://example.org.",
    "", "   ",
])
def test_acceptable_urls_are_accepted_by_both(url):
    text = _with_source_field("url", url)
    assert check_text(text, "events.yaml", today=TODAY).ok
    assert not schema_errors(plain(text))


@pytest.mark.parametrize("text", [
    pytest.param(MINIMAL.replace('date: "2016-09-25"', 'date: "\u0662\u0660\u0661\u0666"'),
                 id="date-arabic-indic-digits"),
    pytest.param(_with_source_field("accessed", "\u0662\u0660\u0662\u0666-11-20"),
                 id="accessed-arabic-indic-digits"),
])
def test_non_ascii_digits_in_dates_are_rejected_by_both(text):
    assert schema_errors(plain(text))
    assert "invalid-date" in {p.rule for p in check_text(text, "events.yaml", today=TODAY).errors}


def test_non_ascii_digits_in_coordinates_are_rejected_by_both():
    text = FULL.replace("lat: 36.2", 'lat: "\u0663\u0666.\u0662"')
    assert schema_errors(plain(text))
    assert "invalid-coordinate" in {p.rule for p in
                                    check_text(text, "events.yaml", today=TODAY).errors}
