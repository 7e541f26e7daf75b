"""The checks on narratives: each problem at the exact line and column, from `timeline check`
as from the library."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from builder.records.check import check_text
from builder.cli import main

TODAY = date(2024, 1, 1)

RECORDS = """\
timeline:
  title: T
sources:
  wire:
    title: A report
    publisher: Wire
    published: "2016-09-25"
actors:
  rebels:
    name: Rebels
events:
  - id: deal
    date: "2016-09-09"
    title: A deal
    summary: A deal was agreed.
    status: reported
    tags: [diplomacy]
    sources: [wire]
  - id: strike
    date: "2016-09-19"
    title: A strike
    summary: A convoy was struck.
    status: reported
    actors: [rebels]
    sources: [wire]
narratives:
"""  # the narratives of each test start on line 27


def problems(narratives: str) -> list[tuple[int, int, str]]:
    result = check_text(RECORDS + narratives, today=TODAY)
    return [(p.line, p.column, p.rule) for p in result.problems]


def test_good_narratives_pass():
    result = check_text(RECORDS + """\
  - id: by-list
    title: By list
    intro: Two events.
    events: [strike, deal]
  - id: by-selection
    title: By selection
    intro: Selected.
    tags: [diplomacy]
    from: "2016-09"
    to: "2016-09-30"
  - id: by-actor
    title: By actor
    intro: Selected.
    actors: [rebels]
""", today=TODAY)
    assert result.ok, result.problems
    assert [n.id for n in result.timeline.narratives] == ["by-list", "by-selection", "by-actor"]


def test_an_unknown_event_is_reported_at_its_id():
    assert problems("""\
  - id: story
    title: Story
    intro: Intro.
    events: [deal, strik]
""") == [(30, 20, "unknown-event")]


def test_a_duplicate_narrative_id_is_reported_at_the_second_id():
    assert problems("""\
  - id: story
    title: Story
    intro: Intro.
    events: [deal]
  - id: story
    title: Story again
    intro: Intro.
    events: [strike]
""") == [(31, 9, "duplicate-id")]


def test_a_selection_that_matches_nothing_is_reported_at_the_narrative():
    assert problems("""\
  - id: story
    title: Story
    intro: Intro.
    events: [deal]
  - id: nothing
    title: Nothing
    intro: Intro.
    tags: [diplomacy]
    from: "2016-09-10"
""") == [(31, 5, "empty-narrative")]


def test_a_list_and_a_selection_together_or_neither_are_reported():
    assert problems("""\
  - id: both
    title: Both
    intro: Intro.
    events: [deal]
    tags: [diplomacy]
  - id: neither
    title: Neither
    intro: Intro.
""") == [(27, 5, "narrative-selection"), (32, 5, "narrative-selection")]


def test_an_unknown_actor_in_a_selection_is_reported():
    assert problems("""\
  - id: story
    title: Story
    intro: Intro.
    actors: [rebel]
""") == [(30, 14, "unknown-actor")]


def test_timeline_check_prints_each_problem_with_its_position(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_text(RECORDS + """\
  - id: story
    title: Story
    intro: Intro.
    events: [deal, strik]
  - id: story
    title: Again
    intro: Intro.
    events: [deal]
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:30:20: error: narrative 'story': the event 'strik' is not listed" \
        in result.output
    assert f"{path}:31:9: error: the narrative id 'story' is already used by the narrative " \
        "on line 27 (duplicate-id)" in result.output
