"""[text](event:<id>) in hand-written pages: rewritten to the event page with its date;
problems at the exact line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.records.check import check_file
from builder.site.eventlinks import (date_describer, display_path, front_matter_lines, mask_code,
                                rewrite_event_links)
from builder.site.render import DEFAULT_TEMPLATES

IDS = {"convoy-strike", "deal"}


def describe(event_id: str) -> str:
    return f" (date of {event_id})"


def rewrite(text: str, page: str = "index.md", first_line: int = 1):
    return rewrite_event_links(text, page, IDS, describe, "content/" + page, first_line)


def test_a_link_becomes_a_link_to_the_event_page_followed_by_its_date():
    text, problems = rewrite("See [the convoy strike](event:convoy-strike).")
    assert problems == []
    assert text == "See [the convoy strike](events/convoy-strike.md) (date of convoy-strike)."


def test_the_target_is_relative_to_the_page_and_a_title_is_kept():
    text, _ = rewrite('[a](event:deal "The deal") and [b]( event:deal )', "about/more/x.md")
    assert text == ('[a](../../events/deal.md "The deal") (date of deal) and '
                    '[b](../../events/deal.md) (date of deal)')


def test_an_unknown_id_is_a_problem_at_its_line_and_column():
    text, problems = rewrite("# Title\n\nFirst [x](event:deal).\nThen [y](event:convoy-strik).\n")
    assert [(p.path, p.line, p.column, p.rule) for p in problems] == [
        ("content/index.md", 4, 10, "unknown-event")]
    assert "did you mean 'convoy-strike'?" in problems[0].message
    assert "[x](events/deal.md)" in text  # the good link is still rewritten


def test_an_id_that_is_not_a_slug_is_a_problem():
    _, problems = rewrite("[x](event:Convoy_Strike) [y](event:)")
    assert [(p.column, p.rule) for p in problems] == [(5, "invalid-event-link"),
                                                      (30, "invalid-event-link")]


def test_front_matter_moves_the_line_numbers():
    source = "---\ntitle: About\n---\n\nText [x](event:nope).\n"
    markdown = "Text [x](event:nope).\n"  # what MkDocs hands on, front matter taken off
    first = 1 + front_matter_lines(source, markdown)
    _, problems = rewrite(markdown, first_line=first)
    assert (problems[0].line, problems[0].column) == (5, 10)


def test_code_is_left_alone():
    text = ("Write `[text](event:id)` or ``[x](event:Bad)``:\n\n"
            "```markdown\n[the convoy strike](event:convoy-strike)\n[x](event:nope)\n```\n\n"
            "~~~~\n[x](event:nope)\n~~~\n[x](event:nope)\n~~~~\n"
            "After: [y](event:deal)\n")
    out, problems = rewrite(text)
    assert problems == []
    assert out == text.replace("[y](event:deal)", "[y](events/deal.md) (date of deal)")


def test_mask_code_keeps_every_position():
    text = "a `code` b\n```\nx\n```\nc"
    masked = mask_code(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert masked.startswith("a        b\n") and masked.endswith("\nc")


def test_an_unclosed_backtick_does_not_hide_links_in_later_paragraphs():
    _, problems = rewrite("A stray ` here.\n\nThen [x](event:nope) and a ` there.\n")
    assert [(p.line, p.rule) for p in problems] == [(3, "unknown-event")]


def test_a_reference_definition_to_an_event_is_a_problem():
    _, problems = rewrite("Text [x][c].\n\n[c]: event:convoy-strike\n")
    assert [(p.line, p.column, p.rule) for p in problems] == [(3, 6, "event-link-reference")]


def test_other_links_are_untouched():
    text = "[a](events/deal.md) [b](https://example.org/event:deal) [c](eventual.md)"
    assert rewrite(text) == (text, [])


def test_display_path_is_relative_to_the_project(tmp_path):
    assert display_path(str(tmp_path / "content"), "a/b.md", str(tmp_path)) == "content/a/b.md"


@pytest.fixture(scope="module")
def seed_timeline():
    result = check_file(Path(__file__).parents[2] / "events.yaml")
    assert result.ok
    return result.timeline


@pytest.mark.parametrize(("event_id", "words"), [
    ("aid-convoy-bombed", "12–24 September 2016"),
    ("us-russia-ceasefire-deal", "9 September 2016"),
    ("russia-joins-war-on-assad-side", "c. September 2015"),
    ("liu-jieyi-calls-for-political-solution", "25 September 2016, uncertain"),
])
def test_the_date_comes_from_the_templates(seed_timeline, event_id, words):
    describe_event = date_describer(seed_timeline, DEFAULT_TEMPLATES)
    suffix = describe_event(event_id)
    assert suffix.startswith(" (<time class=\"tl-date\" datetime=\"")
    assert suffix.endswith(f">{words}</time>)")
