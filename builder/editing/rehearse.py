"""`timeline rehearse`: the pull request checks, run locally on two git revisions.

The pull request workflow runs exactly this command, so what passes here passes there:

1. check the records of HEAD and print GitHub annotations (`timeline check --format github`);
2. build the site of HEAD with `mkdocs build --strict` into OUT/site;
3. compare BASE with HEAD (`timeline diff`) into OUT/summary.md, the change summary that the
   pull request comment shows.

HEAD is taken from git (`git archive`) into OUT/head, so uncommitted edits play no part,
just as in CI; without HEAD the working tree is used as it is.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from builder.records.check import check_bytes
from builder.editing.diff import VersionError, diff_versions, render_markdown
from builder.records.report import github_report, summary_line

SUMMARY = "summary.md"
SITE = "site"
MARKER = ".timeline-rehearsal"  # marks a folder this command made, and may empty again


class RehearsalError(Exception):
    """The rehearsal cannot start; the message says why."""


@dataclass(frozen=True)
class Rehearsal:
    out: Path
    checked: bool  # the records have no errors
    build: str  # "built", "failed", "skipped: <why>"
    summary: Path
    site: Path | None

    @property
    def ok(self) -> bool:
        return self.checked and self.build != "failed"


def export_revision(revision: str, target: Path, cwd: Path) -> None:
    """Write the tree of ``revision`` into ``target`` (a fresh folder), as CI checks it out."""
    if revision.startswith("-"):
        raise VersionError(f"'{revision}' is not a git revision")
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=cwd,
                             capture_output=True)
    if archive.returncode != 0:
        raise VersionError(f"git could not export '{revision}': "
                           f"{archive.stderr.decode('utf-8', 'replace').strip()}")
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def build_site(project: Path, site: Path, echo: Callable[[str], None]) -> str:
    config = project / "mkdocs.yml"
    if not config.is_file():
        return "skipped: there is no mkdocs.yml"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    grouped = os.environ.get("GITHUB_ACTIONS") == "true"
    if grouped:
        echo("::group::mkdocs build --strict")
    sys.stdout.flush()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(config), "--site-dir", str(site)], cwd=project, env=env)
    if grouped:
        echo("::endgroup::")
    return "built" if done.returncode == 0 else "failed"


def rehearse(base: str, head: str | None, out: Path, file: str = "events.yaml",
             cwd: Path | None = None, echo: Callable[[str], None] = print,
             today: date | None = None, base_label: str | None = None,
             head_label: str | None = None) -> Rehearsal:
    """Run the three steps; ``base_label`` and ``head_label`` name the versions in the
    summary (by default, the revisions as given)."""
    cwd = Path(cwd or Path.cwd()).resolve()
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise RehearsalError(f"{out} is not empty and was not made by 'timeline rehearse'; "
                                 "choose another folder with --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by timeline rehearse; emptied on the next run\n")
    if head is None:
        project = cwd
    else:
        project = out / "head"
        export_revision(head, project, cwd)

    # 1. check, as `timeline check --format github`
    records = project / file
    if records.is_file():
        result = check_bytes(records.read_bytes(), Path(file).as_posix(), today)
        annotations = github_report(result.problems)
        if annotations:
            echo(annotations)
        checked = result.ok
        echo(f"timeline: {file}: {summary_line(result.problems)}")
    else:
        result = None
        checked = False
        echo(f"timeline: {file} does not exist in {head or 'the working tree'}")

    # 2. build, as `mkdocs build --strict`
    site = out / SITE
    if not checked:
        build = "skipped: the records have errors"
    else:
        build = build_site(project, site, echo)
    echo(f"timeline: site {build}")

    # 3. the change summary, as `timeline diff BASE HEAD`
    diff, base_name, head_name = diff_versions(base, head, file, cwd, today)
    base_label, head_label = base_label or base_name, head_label or head_name
    problems = result.problems if result is not None else []
    summary = out / SUMMARY
    summary.write_text(render_markdown(diff, base_label, head_label, problems=problems),
                       encoding="utf-8")
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:  # in GitHub Actions the job summary lists every problem
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(render_markdown(diff, base_label, head_label, problems=problems,
                                         problem_limit=len(problems), list_all=True))
    return Rehearsal(out, checked, build, summary, site if build == "built" else None)
