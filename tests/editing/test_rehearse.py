"""`timeline rehearse`: the pull request workflow's steps, on a fixture repository with two
commits (the base and the change), as an editor would run them before pushing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.editing.test_diff import git

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "diff"
MKDOCS_YML = """site_name: A fixture timeline
docs_dir: content
strict: true
theme:
  name: material
plugins:
  - search
  - timeline:
      events: events.yaml
      templates: templates
"""


def _commit(repo: Path, records: Path, message: str) -> None:
    shutil.copyfile(records, repo / "events.yaml")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """The project's site configuration, and small records in two commits: base, change."""
    repo = tmp_path / "repo"
    repo.mkdir()
    if (ROOT / "mkdocs.yml").exists():  # the project's plugin and templates, a small site
        (repo / "mkdocs.yml").write_text(MKDOCS_YML)
        shutil.copytree(ROOT / "templates", repo / "templates")
        (repo / "content").mkdir()
        (repo / "content" / "index.md").write_text("# A fixture timeline\n")
        (repo / "content" / "methodology.md").write_text("# Methodology\n\n## Statuses\n")
    git(repo, "init", "-q", "-b", "main")
    _commit(repo, GOLDEN / "changes" / "base.yaml", "base")
    _commit(repo, GOLDEN / "changes" / "head.yaml", "change")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return repo


def _summary_body(text: str) -> str:
    """The summary past its "Comparing X with Y" line, which names the revisions."""
    return text.split("\n", 3)[3]


def test_rehearsal_checks_builds_and_summarises(repo, tmp_path, monkeypatch):
    if not (repo / "mkdocs.yml").exists():
        pytest.skip("the project has no mkdocs.yml yet")
    step_summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    (repo / "events.yaml").write_text("not: [committed")  # CI sees commits only; so do we
    result = CliRunner().invoke(main, ["rehearse", "HEAD~1", "HEAD", "--out", "out"])
    assert result.exit_code == 0, result.output
    out = repo / "out"
    assert "::error" not in result.output and "::warning" not in result.output
    assert "events.yaml: no problems found" in result.output
    assert "site built" in result.output
    assert (out / "site" / "index.html").is_file()
    summary = (out / "summary.md").read_text()
    assert "Comparing `HEAD~1` with `HEAD` (`events.yaml`)." in summary
    golden = (GOLDEN / "changes" / "expected.md").read_text()
    assert _summary_body(summary) == _summary_body(golden)
    assert step_summary.read_text() == summary
    assert f"change summary in {out / 'summary.md'}" in result.output


def test_rehearsal_of_a_broken_change_annotates_and_fails(repo, tmp_path, monkeypatch):
    step_summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    _commit(repo, GOLDEN / "head-invalid" / "head.yaml", "a broken change")
    result = CliRunner().invoke(main, ["rehearse", "HEAD~1", "HEAD", "--out", "out",
                                       "--base-label", "main", "--head-label", "this change"])
    assert result.exit_code == 1
    assert "::error file=events.yaml,line=40,col=" in result.output
    assert "::warning file=events.yaml,line=12," in result.output
    assert "site skipped: the records have errors" in result.output
    summary = (repo / "out" / "summary.md").read_text()
    assert "3 new errors · 1 new warning" in summary
    assert "<details>" not in summary  # every problem is new: listed once
    assert "All 4 problems" in step_summary.read_text()  # the job summary lists all, always
    assert "Comparing `main` with `this change` (`events.yaml`)." in summary
    assert not (repo / "out" / "site").exists()


def test_rehearsal_without_a_site_configuration_skips_the_build(repo):
    git(repo, "rm", "-q", "mkdocs.yml") if (repo / "mkdocs.yml").exists() else None
    git(repo, "commit", "-q", "--allow-empty", "-m", "no site")
    result = CliRunner().invoke(main, ["rehearse", "HEAD~2", "HEAD", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "site skipped: there is no mkdocs.yml" in result.output
    assert (repo / "out" / "summary.md").is_file()


def test_rehearsal_of_the_working_tree(repo):
    shutil.copyfile(GOLDEN / "changes" / "base.yaml", repo / "events.yaml")
    (repo / "mkdocs.yml").unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["rehearse", "HEAD", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "Events removed" in (repo / "out" / "summary.md").read_text()


def test_rehearsal_never_empties_a_folder_it_did_not_make(repo):
    keep = repo / "keep"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["rehearse", "HEAD~1", "HEAD", "--out", "keep"])
    assert result.exit_code == 2
    assert "was not made by 'timeline rehearse'" in result.output
    assert (keep / "notes.txt").read_text() == "mine"
    runner = CliRunner()
    assert runner.invoke(main, ["rehearse", "HEAD~1", "HEAD", "--out", "again"]).exit_code in (0, 1)
    assert runner.invoke(main, ["rehearse", "HEAD~1", "HEAD", "--out", "again"]).exit_code in (0, 1)


def test_rehearsal_of_an_unknown_revision(repo):
    result = CliRunner().invoke(main, ["rehearse", "HEAD~1", "no-such-branch", "--out", "out"])
    assert result.exit_code == 2
    assert "no-such-branch" in result.output
