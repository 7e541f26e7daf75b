"""`timeline diff`: the change summary, against golden files and on a real git history.

Golden files live in tests/golden/diff/<case>/: base.yaml (absent: the file is new),
head.yaml and expected.md. After a deliberate change of wording, rewrite them with
``UPDATE_GOLDEN=1 python -m pytest tests/editing/test_diff.py`` and review the diff.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.records.check import check_text
from builder.cli import main
from builder.editing.diff import (Change, check_version, code_span, diff_timelines, diff_versions,
                          markdown_text, render_markdown)

GOLDEN = Path(__file__).parents[1] / "golden" / "diff"
TODAY = date(2020, 1, 1)
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def _render(case: Path, limit: int = 50) -> str:
    base = case / "base.yaml"
    head = case / "head.yaml"
    base_data = base.read_bytes() if base.exists() else None
    head_data = head.read_bytes() if head.exists() else None
    base_result = check_version(base_data, "events.yaml", TODAY)
    head_result = check_version(head_data, "events.yaml", TODAY)
    diff = diff_timelines(base_result, head_result, base_missing=base_data is None,
                          head_missing=head_data is None)
    return render_markdown(diff, "main", "pr-branch", limit=limit,
                           problems=head_result.problems)


def _compare(actual: str, expected_file: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"no golden file {expected_file}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_summary_matches_golden_file(case):
    _compare(_render(GOLDEN / case), GOLDEN / case / "expected.md")


def test_long_lists_are_cut_with_a_count_of_the_rest():
    _compare(_render(GOLDEN / "new-file", limit=2), GOLDEN / "new-file" / "expected-limit-2.md")


def test_golden_cases_cover_each_kind_of_change():
    assert {"changes", "reformatted", "head-invalid", "base-invalid", "new-file"} <= set(CASES)
    text = (GOLDEN / "changes" / "expected.md").read_text()
    assert "date `2016-04-01` → `2016-04-02`" in text
    assert "1 source added: `radio-2016-04-03`" in text
    assert "summary changed" in text
    assert "Actor removed: `harbour-master`" in text
    assert "No changes to the timeline records." in (
        GOLDEN / "reformatted" / "expected.md").read_text()


def _timeline(events: str, sources: str = "") -> str:
    return f"""timeline:
  title: T
sources:
  a:
    title: A
    publisher: P
    published: "2016-01-01"
  b:
    title: B
    publisher: P
    published: "2016-01-02"
{sources}events:
{events}"""


EVENT = """  - id: one
    date: "{date}"
    title: One
    summary: S.
    status: reported
    sources: [{sources}]
"""


def test_a_changed_date_and_an_added_source_are_named():
    base = check_text(_timeline(EVENT.format(date="2016-09-19", sources="a, b")), today=TODAY)
    head = check_text(_timeline(EVENT.format(date="2016-09-20", sources="a, b")
                                .replace("[a, b]", "[a, b, c]"),
                                '  c:\n    title: C\n    publisher: P\n'
                                '    published: "2016-01-03"\n'), today=TODAY)
    assert head.ok, head.problems
    diff = diff_timelines(base, head)
    (changed,) = diff.events_changed
    assert changed.changes == (Change("date", "2016-09-19", "2016-09-20"),
                               Change("sources", added=("c",)))
    assert [s.id for s in diff.sources.added] == ["c"]
    text = render_markdown(diff, "main", "pr")
    assert "date `2016-09-19` → `2016-09-20`; 1 source added: `c`" in text


def test_problems_are_matched_by_rule_and_message_not_by_line():
    unused = '  z:\n    title: Z\n    publisher: P\n    published: "2016-01-03"\n'
    base = check_text(_timeline(EVENT.format(date="2016-09-19", sources="a, b"), unused),
                      today=TODAY)
    moved = _timeline(EVENT.format(date="2016-09-19", sources="a, b"),
                      "  # three lines\n  # pushed the source\n  # down\n" + unused)
    head = check_text(moved, today=TODAY)
    assert [p.rule for p in base.problems] == [p.rule for p in head.problems] == [
        "unused-source"]
    assert base.problems[0].line != head.problems[0].line
    diff = diff_timelines(base, head)
    assert diff.problems_introduced == () and diff.problems_fixed == ()
    assert diff.is_empty


def test_reordered_sources_and_edited_quotes_and_claims():
    base_event = """  - id: one
    date: "2016-09-19"
    title: One
    summary: S.
    status: reported
    claims:
      - {by: x, text: Said this., source: a}
    sources:
      - {source: a, quote: Old.}
      - b
"""
    head_event = base_event.replace("Said this.", "Said that.").replace("Old.", "New.")
    head_event = head_event.replace("      - {source: a, quote: New.}\n      - b\n",
                                    "      - b\n      - {source: a, quote: New.}\n")
    actors = "actors:\n  x:\n    name: X\n"
    base = check_text(_timeline(base_event, actors), today=TODAY)
    head = check_text(_timeline(head_event, actors), today=TODAY)
    assert base.ok and head.ok, (base.problems, head.problems)
    (changed,) = diff_timelines(base, head).events_changed
    fields = [c.field for c in changed.changes]
    assert fields == ["sources", "quotes", "claims"]
    text = render_markdown(diff_timelines(base, head), "main", "pr")
    assert "sources reordered; quote changed for `a`; 1 claim changed (by `x`)" in text


def test_text_from_the_records_cannot_break_the_markdown():
    assert markdown_text("*bold* <script>x</script> [link](http://e)") == (
        r"\*bold\* \<script\>x\</script\> \[link\]\(http://e\)")
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert markdown_text("two\nlines") == "two lines"
    assert markdown_text("a\x1b[2Jb\u202ec") == r"a\\u001b\[2Jb\\u202ec"  # shows a\u001b[2Jb…
    assert code_span("\x07") == "`\\u0007`"


# -- git revisions -------------------------------------------------------------------------

def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Editor", GIT_AUTHOR_EMAIL="editor@example.org",
               GIT_COMMITTER_NAME="Editor", GIT_COMMITTER_EMAIL="editor@example.org",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout


@pytest.fixture
def history(tmp_path, monkeypatch) -> Path:
    """A repository with three commits: no records, the base records, the changed records."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("records\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    (repo / "events.yaml").write_bytes((GOLDEN / "changes" / "base.yaml").read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "tag", "base")
    (repo / "events.yaml").write_bytes((GOLDEN / "changes" / "head.yaml").read_bytes())
    git(repo, "commit", "-q", "-am", "change")
    monkeypatch.chdir(repo)
    return repo


def test_diff_of_two_git_revisions(history):
    result = CliRunner().invoke(main, ["diff", "base", "HEAD"])
    assert result.exit_code == 0, result.output
    expected = _render(GOLDEN / "changes").split("\n", 3)[3]  # past the "Comparing" line
    assert "Comparing `base` with `HEAD` (`events.yaml`)." in result.output
    assert result.output.split("\n", 3)[3].split("<details>")[0] == expected.split(
        "<details>")[0]


def test_diff_against_the_working_tree(history):
    (history / "events.yaml").write_bytes((GOLDEN / "changes" / "base.yaml").read_bytes())
    result = CliRunner().invoke(main, ["diff", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "Comparing `HEAD` with `working tree` (`events.yaml`)." in result.output
    assert "Events removed" in result.output and "council-votes-repair-funds" in result.output


def test_diff_from_a_revision_without_the_file(history, tmp_path):
    out = tmp_path / "summary.md"
    result = CliRunner().invoke(main, ["diff", "HEAD~2", "HEAD", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "The file is new: it does not exist in `HEAD~2`." in text
    assert "events: 3 added" in text


def test_diff_of_two_files_and_of_an_unknown_revision(history):
    runner = CliRunner()
    case = GOLDEN / "head-invalid"
    result = runner.invoke(main, ["diff", str(case / "base.yaml"), str(case / "head.yaml")])
    assert result.exit_code == 0
    assert "3 new errors" in result.output
    result = runner.invoke(main, ["diff", "no-such-branch"])
    assert result.exit_code == 2
    assert "'no-such-branch' is neither a file nor a git revision" in result.output
    result = runner.invoke(main, ["diff", "--upload-pack=x"])
    assert result.exit_code == 2


def test_diff_versions_reads_from_a_subfolder(history):
    sub = history / "sub"
    sub.mkdir()
    diff, _, _ = diff_versions("base", "HEAD", "../events.yaml", cwd=sub, today=TODAY)
    assert len(diff.events_added) == 1
