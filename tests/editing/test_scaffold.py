"""`timeline new`: the event lands in date order and nothing else in the file changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.records.check import check_file, check_text
from builder.cli import main
from builder.editing.scaffold import NewEvent, NewSource, ScaffoldError, add_event, slugify, unique_id
from builder.records.yamledit import find_section, scalar

TODAY = date(2020, 1, 1)
BASE = (Path(__file__).parents[1] / "golden" / "diff" / "changes" / "base.yaml").read_text()
SEED = Path(__file__).resolve().parents[2] / "events.yaml"


def event(**fields) -> NewEvent:
    values = dict(date="2016-04-01", title="Pier damaged", summary="The storm damaged the pier.",
                  status="reported", sources=("radio-2016-04-03",))
    values.update(fields)
    return NewEvent(**values)


def removed_block(old: str, new: str) -> str:
    """``new`` with the lines that ``add_event`` inserted taken out again."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    start = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b),
                 len(old_lines))
    extra = len(new_lines) - len(old_lines)
    return "".join(new_lines[:start] + new_lines[start + extra:])


def test_the_event_goes_before_the_first_later_event_and_nothing_else_changes():
    added = add_event(BASE, event(date="2016-03-31"), TODAY)
    lines = added.text.splitlines()
    assert lines[added.line - 1] == "  - id: pier-damaged"
    assert lines[added.line - 3].endswith("- gazette-2016-04-02")  # after storm-warning
    assert lines[added.line + 7] == "  - id: ferry-suspended"  # after the 7 lines and a gap
    assert removed_block(BASE, added.text) == BASE
    result = check_text(added.text, today=TODAY)
    assert result.ok, result.problems
    assert [e.id for e in result.timeline.events] == [
        "storm-warning", "pier-damaged", "ferry-suspended", "mayor-visits-harbour"]


def test_events_of_the_same_date_keep_their_order_and_the_new_one_follows():
    added = add_event(BASE, event(date="2016-04-01", title="Second news of the day"), TODAY)
    ids = [e.id for e in sorted(check_text(added.text, today=TODAY).timeline.events,
                                key=lambda e: e.line)]
    assert ids == ["storm-warning", "ferry-suspended", "second-news-of-the-day",
                   "mayor-visits-harbour"]


def test_comments_above_an_event_stay_with_it(tmp_path):
    text = BASE.replace("  - id: mayor-visits-harbour",
                        "  # The visit is dated by the radio report.\n"
                        "  - id: mayor-visits-harbour")
    added = add_event(text, event(date="2016-04-01", title="Later that day"), TODAY)
    assert "      - radio-2016-04-03\n\n  # The visit is dated by the radio report.\n" \
           "  - id: mayor-visits-harbour" in added.text
    assert removed_block(text, added.text) == text


def test_the_latest_event_is_appended_before_the_next_section():
    text = BASE + "\nnarratives:\n  - id: storm\n    title: Storm\n    intro: The storm.\n" \
                  "    tags: [weather]\n"
    added = add_event(text, event(date="2016-05"), TODAY)
    assert added.text.endswith("    sources:\n      - radio-2016-04-03\n\nnarratives:\n"
                               "  - id: storm\n    title: Storm\n    intro: The storm.\n"
                               "    tags: [weather]\n")
    assert removed_block(text, added.text) == text
    assert check_text(added.text, today=TODAY).ok


def test_the_seed_file_keeps_every_byte_and_comment():
    if not SEED.exists():
        pytest.skip("no events.yaml in the repository")
    text = SEED.read_text(encoding="utf-8")
    before = check_text(text)
    if not before.ok:
        pytest.skip("the seed records have errors right now")
    place = next(iter(before.timeline.places))
    source = next(iter(before.timeline.sources))
    for when in ("2015-01", "2016-09-20", "2016-09-25", "2016-09-25?", "2016-12-31"):
        added = add_event(text, event(date=when, title=f"Test event {when}", sources=(source,),
                                      place=place, summary="Something happened: " * 12))
        assert removed_block(text, added.text) == text
        assert check_text(added.text).ok


def test_a_new_source_is_added_with_todays_access_date():
    new_source = NewSource("Harbour report", "Harbour Gazette", "2016-04-04",
                           "https://gazette.example.org/report")
    added = add_event(BASE, event(sources=(), new_source=new_source), TODAY)
    assert added.source_id == "harbour-gazette-2016-04-04"
    result = check_text(added.text, today=TODAY)
    assert result.ok, result.problems
    source = result.timeline.sources["harbour-gazette-2016-04-04"]
    assert source.accessed.text == "2020-01-01"
    assert source.url == "https://gazette.example.org/report"
    assert result.timeline.events_by_id["pier-damaged"].cited_sources() == [
        "harbour-gazette-2016-04-04"]


def test_ids_are_made_from_the_title_and_kept_unique():
    assert slugify("Ferry service suspended!") == "ferry-service-suspended"
    assert slugify("Café au lait — à Alep") == "cafe-au-lait-a-alep"
    assert len(slugify("word " * 40)) <= 60
    assert unique_id("a", {"a", "a-2"}) == "a-3"
    added = add_event(BASE, event(title="Ferry: service suspended"), TODAY)
    assert added.event_id == "ferry-service-suspended"
    again = add_event(added.text, event(title="Ferry service suspended"), TODAY)
    assert again.event_id == "ferry-service-suspended-2"
    arabic = add_event(BASE, event(title="حلب"), TODAY)
    assert arabic.event_id == "event-2016-04-01"


@pytest.mark.parametrize("changes, message", [
    (dict(date="2016-04-31"), "April 2016 has 30 days"),
    (dict(date="2030-01-01"), "lies in the future"),
    (dict(status="rumoured"), "not a status"),
    (dict(sources=("radio-2016-04-30",)), "did you mean 'radio-2016-04-03'"),
    (dict(sources=()), "needs at least one source"),
    (dict(place="pier"), "the place 'pier' is not listed"),
    (dict(actors=("mayr",)), "did you mean 'mayor'"),
    (dict(tags=("Bad Tag",)), "not valid"),
    (dict(id="storm-warning"), "already used"),
    (dict(title=" "), "the title is empty"),
])
def test_mistakes_are_explained(changes, message):
    with pytest.raises(ScaffoldError, match=message):
        add_event(BASE, event(**changes), TODAY)


def test_a_file_with_errors_is_refused():
    broken = BASE.replace("status: confirmed", "status: confirmd")
    with pytest.raises(ScaffoldError, match=r"1 error\(s\); fix them first"):
        add_event(broken, event(), TODAY)


def test_line_ends_and_a_missing_final_newline_are_kept():
    crlf = BASE.replace("\n", "\r\n")
    added = add_event(crlf, event(date="2016-03-31"), TODAY)
    assert "\n" not in added.text.replace("\r\n", "")
    assert removed_block(crlf, added.text) == crlf
    unterminated = BASE.rstrip("\n")
    added = add_event(unterminated, event(date="2016-03-31"), TODAY)
    assert not added.text.endswith("\n")
    assert removed_block(unterminated, added.text) == unterminated
    latest = add_event(unterminated, event(date="2016-05-01"), TODAY)
    assert check_text(latest.text, today=TODAY).ok


@pytest.mark.parametrize("empty", ["events: []\n", "events:\n", "events: ~  # none yet\n"])
def test_an_empty_list_of_events_gets_its_first_event(empty):
    text = BASE.split("events:\n")[0] + empty
    added = add_event(text, event(), TODAY)
    result = check_text(added.text, today=TODAY)
    assert [e.id for e in result.timeline.events] == ["pier-damaged"]
    assert find_section(added.text, "events").entries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(min_size=1, max_size=80), summary=st.text(min_size=1, max_size=300),
       quote=st.none() | st.text(min_size=1, max_size=60))
def test_any_text_reads_back_exactly_or_is_refused(title, summary, quote):
    try:
        added = add_event(BASE, event(title=title, summary=summary, quote=quote), TODAY)
    except ScaffoldError:
        return  # refused with a reason (empty text, or text the format does not allow)
    new = check_text(added.text, today=TODAY).timeline.events_by_id[added.event_id]
    assert (new.title, new.summary) == (title, summary)
    assert new.citations[0].quote == quote


def test_scalars_are_quoted_only_when_needed():
    assert scalar("The mayor visits") == "The mayor visits"
    assert scalar("yes") == '"yes"'
    assert scalar("2016") == '"2016"'
    assert scalar("a: b") == '"a: b"'
    assert scalar("#1 story") == '"#1 story"'
    assert scalar('He said "no"') == 'He said "no"'


# -- the command ---------------------------------------------------------------------------

@pytest.fixture
def records(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "events.yaml"
    path.write_text(BASE)
    monkeypatch.chdir(tmp_path)
    return path


def test_new_from_flags_writes_a_file_that_checks(records):
    result = CliRunner().invoke(main, [
        "new", "--date", "2016-04-01", "--title", "Pier damaged", "--summary", "Storm damage.",
        "--status", "reported", "--source", "radio-2016-04-03", "--actor", "mayor",
        "--tag", "weather", "--place", "harbour", "--quote", "The pier is damaged."])
    assert result.exit_code == 0, result.output
    assert "added event 'pier-damaged'" in result.output
    checked = check_file(records)
    assert checked.ok, checked.problems
    new = checked.timeline.events_by_id["pier-damaged"]
    assert new.actors == ("mayor",) and new.tags == ("weather",) and new.place == "harbour"
    assert removed_block(BASE, records.read_text()) == BASE


def test_new_with_a_new_source_uses_todays_date(records):
    result = CliRunner().invoke(main, [
        "new", "--date", "2016-04-01", "--title", "Pier damaged", "--summary", "Storm damage.",
        "--status", "reported", "--url", "https://example.org/pier", "--publisher",
        "Pier News", "--source-title", "The pier", "--published", "2016-04-02"])
    assert result.exit_code == 0, result.output
    source = check_file(records).timeline.sources["pier-news-2016-04-02"]
    assert source.accessed.text == date.today().isoformat()


def test_new_without_a_terminal_names_what_is_missing(records):
    result = CliRunner().invoke(main, ["new", "--title", "Pier damaged"])
    assert result.exit_code == 2
    assert "missing --date, --summary, --status, --source" in result.output
    assert records.read_text() == BASE


def test_new_asks_for_what_is_missing_in_a_terminal(records):
    answers = "2016-04-01\nPier damaged\nThe storm damaged the pier.\nreported\nradio-2016-04-03\n"
    result = CliRunner().invoke(main, ["new", "--interactive"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Date" in result.output and "Status" in result.output
    assert check_file(records).timeline.events_by_id["pier-damaged"].status == "reported"


def test_new_refuses_and_leaves_the_file_alone(records):
    result = CliRunner().invoke(main, [
        "new", "--date", "2016-04-01", "--title", "T", "--summary", "S.", "--status",
        "reported", "--source", "nope"])
    assert result.exit_code == 1
    assert "cannot add the event: the source 'nope' is not listed" in result.output
    assert records.read_text() == BASE


def test_dry_run_prints_and_writes_nothing(records):
    result = CliRunner().invoke(main, [
        "new", "--date", "2016-04-01", "--title", "T", "--summary", "S.", "--status",
        "reported", "--source", "radio-2016-04-03", "--dry-run"])
    assert result.exit_code == 0
    assert "  - id: t\n" in result.output
    assert records.read_text() == BASE


def test_new_keeps_an_edit_saved_while_it_asked_its_questions(records, monkeypatch):
    import click

    asked = click.prompt

    def prompt_while_the_editor_saves(*args, **kwargs):
        records.write_text(BASE + "# saved in the editor meanwhile\n")
        return asked(*args, **kwargs)

    monkeypatch.setattr(click, "prompt", prompt_while_the_editor_saves)
    answers = "2016-04-01\nPier damaged\nThe storm damaged the pier.\nreported\nradio-2016-04-03\n"
    result = CliRunner().invoke(main, ["new", "--interactive"], input=answers)
    assert result.exit_code == 1
    assert "changed while this command was running" in result.output
    assert records.read_text() == BASE + "# saved in the editor meanwhile\n"
