"""The GitHub Actions workflows: linted by actionlint and zizmor, held to the project's
security rules, and the trusted preview workflow's shell steps run against hostile input."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def tool(name: str) -> str:
    """A linter from the test dependencies: beside this Python, or on the PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed; install the test dependencies (pip install -e .[test])"
    return found


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def test_the_three_workflows_exist():
    assert {"preview.yml", "publish.yml", "pull-request.yml"} <= {p.name for p in FILES}


def test_actionlint_reports_nothing():
    done = subprocess.run([tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"),
                           *map(str, FILES)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_reports_nothing():
    done = subprocess.run([tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                           "--format", "plain", "--collect=workflows", "--collect=pre-commit",
                           "--collect=dependabot",
                           "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_every_action_is_pinned_by_commit_with_its_version():
    for path in FILES:
        for line in path.read_text().splitlines():
            match = re.match(r"\s*(?:- )?uses: (.*)$", line)
            if match:
                assert PINNED.match(match.group(1)), f"{path.name}: {line.strip()}"


def test_permissions_are_empty_by_default_and_granted_per_job():
    for path in FILES:
        workflow = load(path.name)
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} has no permissions"
            assert "write-all" not in str(job["permissions"])


def test_the_pull_request_workflow_is_read_only_and_runs_the_rehearsal():
    workflow = load("pull-request.yml")
    assert list(triggers(workflow)) == ["pull_request"]
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    text = (WORKFLOWS / "pull-request.yml").read_text()
    assert "${{ secrets." not in text and "pull_request_target:" not in text
    checkout = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    runs = [s.get("run", "") for s in steps(workflow)]
    assert any(r.startswith("timeline rehearse HEAD^1 HEAD ") for r in runs)
    upload = next(s for s in steps(workflow) if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == "preview"
    for name in ("pr-number", "head-sha", "summary.md", "site/"):
        assert f"/preview/{name}" in upload["with"]["path"]


def test_the_preview_workflow_runs_no_code_of_the_pull_request():
    workflow = load("preview.yml")
    assert triggers(workflow) == {"workflow_run": {"workflows": [load("pull-request.yml")["name"]],
                                                   "types": ["completed"]}}
    for step in steps(workflow):
        assert "uses" not in step, "no action at all, so nothing can check the pull request out"
        assert "${{" not in step["run"], "expressions reach the shell through env only"
        assert not re.search(r"(^|\s)(timeline|pip|python3?|mkdocs|git checkout)\s", step["run"])
    text = (WORKFLOWS / "preview.yml").read_text()
    assert "zizmor: ignore[dangerous-triggers]" in text
    assert "actions/checkout" not in text and "git checkout" not in text


def test_the_publish_workflow_deploys_main_to_the_pages_branch():
    workflow = load("publish.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["publish"]["permissions"]["contents"] == "write"
    runs = " ".join(s.get("run", "") for s in steps(workflow))
    assert "mkdocs build --strict" in runs and "timeline check --format github" in runs
    assert "HEAD:gh-pages" in runs


# -- the preview workflow's steps, run against a fake GitHub ------------------------------

FAKE_GH = r"""#!/usr/bin/env bash
# Records every call; answers the few API calls the preview workflow makes.
printf '%s\n' "$*" >> "$FAKE_LOG"
case "$*" in
  "api repos/owner/repo/pulls/"*) printf '%s\n' "$FAKE_PR_HEAD" ;;
  *"--method POST"*|*"--method PATCH"*) cat > "$FAKE_BODY" ;;
  "api --paginate"*) printf '%s' "${FAKE_EXISTING:-}" ;;
  "api repos/owner/repo/pages"*) printf '%s\n' "https://owner.github.io/repo/" ;;
esac
"""
HEAD = "a" * 40


def _step(step_id: str) -> str:
    return next(s["run"] for s in steps(load("preview.yml")) if s.get("id") == step_id
                or s.get("name", "").startswith(step_id))


@pytest.fixture
def runner(tmp_path):
    if not shutil.which("bash") or not shutil.which("jq"):
        pytest.skip("bash and jq are needed to run the workflow's shell steps")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    temp = tmp_path / "runner-temp"
    artifact = temp / "artifact"
    (artifact / "site").mkdir(parents=True)
    (artifact / "site" / "index.html").write_text("<p>preview</p>")
    (artifact / "pr-number").write_text("17\n")
    (artifact / "summary.md").write_text("## Timeline changes\n")

    def run(step_id: str, pr_head: str = HEAD, **env: str):
        output = tmp_path / "github-output"
        output.write_text("")
        environment = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                           RUNNER_TEMP=str(temp), GITHUB_OUTPUT=str(output),
                           GH_TOKEN="token", REPO="owner/repo", RUN_ID="99", HEAD_SHA=HEAD,
                           FAKE_LOG=str(tmp_path / "gh.log"), FAKE_BODY=str(tmp_path / "body"),
                           FAKE_PR_HEAD=pr_head, **env)
        done = subprocess.run(["bash", "-e", "-c", _step(step_id)], env=environment,
                              capture_output=True, text=True, cwd=tmp_path)
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
        return done, outputs

    run.artifact = artifact
    run.body = tmp_path / "body"
    run.log = tmp_path / "gh.log"
    return run


def test_a_valid_artifact_is_accepted(runner):
    done, outputs = runner("validate")
    assert done.returncode == 0, done.stderr
    assert outputs == {"number": "17", "site": "true"}
    assert "api repos/owner/repo/pulls/17 --jq" in runner.log.read_text()


@pytest.mark.parametrize("number", ["", "17; touch pwned", "../../17", "$(touch pwned)",
                                    "17\n18", "1" * 12, "-1", "17 "])
def test_an_invalid_pull_request_number_is_refused(runner, number, tmp_path):
    (runner.artifact / "pr-number").write_text(number)
    done, outputs = runner("validate")
    assert done.returncode == 1
    assert "not hold a valid pull request number" in done.stdout
    assert outputs == {}
    assert not (tmp_path / "pwned").exists()


def test_a_number_that_names_another_commit_gets_no_preview(runner):
    done, outputs = runner("validate", pr_head="b" * 40)
    assert done.returncode == 0
    assert "has moved on" in done.stdout
    assert outputs == {}


@pytest.mark.parametrize("plant", ["link", "git"])
def test_links_and_git_folders_in_the_artifact_are_refused(runner, plant):
    if plant == "link":
        (runner.artifact / "site" / "secret").symlink_to("/etc/hostname")
    else:
        (runner.artifact / "site" / "deep" / ".git").mkdir(parents=True)
    done, outputs = runner("validate")
    assert done.returncode == 1 and "symbolic links or a .git folder" in done.stdout
    assert outputs == {}


def test_an_artifact_without_a_site_gets_a_comment_but_no_preview(runner):
    shutil.rmtree(runner.artifact / "site")
    done, outputs = runner("validate")
    assert done.returncode == 0
    assert outputs == {"number": "17"}


def test_the_comment_carries_the_summary_as_data(runner, tmp_path):
    hostile = "## Timeline changes\n$(touch pwned) `touch pwned2` ${{ github.token }}\n" \
              + "é" * 40_000
    (runner.artifact / "summary.md").write_text(hostile)
    done, _ = runner("Comment", NUMBER="17", PREVIEW_URL="https://owner.github.io/repo/previews/pr-17/")
    assert done.returncode == 0, done.stderr
    body = json.loads(runner.body.read_text())["body"]
    assert body.startswith("<!-- timeline-preview -->\n**Preview of this pull request:** "
                           "https://owner.github.io/repo/previews/pr-17/")
    assert "$(touch pwned) `touch pwned2` ${{ github.token }}" in body
    assert len(body.encode()) < 61_000 and "\ufffd" not in body  # capped, whole characters
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert "--method POST repos/owner/repo/issues/17/comments --input -" in runner.log.read_text()


def test_the_comment_is_updated_rather_than_repeated(runner):
    done, _ = runner("Comment", NUMBER="17", PREVIEW_URL="", FAKE_EXISTING="123\n")
    assert done.returncode == 0, done.stderr
    assert "--method PATCH repos/owner/repo/issues/comments/123" in runner.log.read_text()
    body = json.loads(runner.body.read_text())["body"]
    assert "**No preview:**" in body


# -- pre-commit -----------------------------------------------------------------------------

def test_the_pre_commit_files_are_valid():
    for command, name in (("validate-manifest", ".pre-commit-hooks.yaml"),
                          ("validate-config", ".pre-commit-config.yaml")):
        done = subprocess.run([tool("pre-commit"), command, name], cwd=ROOT,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_published_hook_checks_the_records(tmp_path):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "timeline-check" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "events.yaml") and not re.search(hook["files"], "x.yaml")
    golden = ROOT / "tests" / "golden" / "diff"
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for records, status in (("changes/head.yaml", 0), ("head-invalid/head.yaml", 1)):
        shutil.copyfile(golden / records, tmp_path / "events.yaml")
        done = subprocess.run([*hook["entry"].split(), *hook.get("args", [])], cwd=tmp_path,
                              env=env, capture_output=True, text=True)
        assert done.returncode == status, done.stdout + done.stderr


# -- the editors' guide ---------------------------------------------------------------------

def _rules() -> set[str]:
    """Every rule name the checks can report, read from the checking code: the first
    rule-shaped text given to each call that reports a problem, and `rule=` defaults."""
    kinds = {"invalid-{kind}": ("invalid-id", "invalid-tag"),
             "unknown-{kind}": ("unknown-source", "unknown-actor", "unknown-place",
                                "unknown-event")}
    shape = re.compile(r"[a-z]+(?:-[a-z{}]+)*")

    def text(node) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else "{kind}"
                           for v in node.values)
        return None

    rules: set[str] = set()
    for name in ("yamltree.py", "validate.py", "dates.py"):
        tree = ast.parse((ROOT / "builder" / "records" / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in ("error", "warn", "problem", "Problem", "DateError"):
                    values = [text(a) for a in node.args] + [
                        text(k.value) for k in node.keywords if k.arg == "rule"]
                    found = next((v for v in values if v and shape.fullmatch(v)), None)
                    if found:
                        rules.update(kinds.get(found, (found,)))
        for default in re.findall(r"rule: str = \"([a-z-]+)\"", (ROOT / "builder" / "records" / name)
                                  .read_text()):
            rules.add(default)
    return rules


def test_the_guide_explains_every_rule():
    rules = _rules()
    assert {"syntax-error", "unknown-source", "unused-source", "invalid-date",
            "empty-narrative"} <= rules
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    missing = sorted(rule for rule in rules if f"**{rule}**" not in guide)
    assert not missing, f"CONTRIBUTING.md does not explain: {', '.join(missing)}"


def test_the_guide_documents_the_rehearsal_the_workflow_runs():
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    assert "timeline rehearse origin/main HEAD" in guide
    for action, commit in re.findall(r"uses: ([\w/-]+)@([0-9a-f]{40})",
                                     "".join(p.read_text() for p in FILES)):
        assert f"`{action}`" in guide and commit in guide, action
