"""Build real sites for tests: the project's own configuration, content and templates, with
any events file, in a temporary folder, through the same `timeline build` adapter users run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BuiltSite:
    project: Path  # the temporary project folder
    site: Path  # the built site
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def html(self, url_path: str) -> str:
        """The HTML published at a URL path such as 'events/convoy-strike/'."""
        path = self.site / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def make_project(tmp: Path, events_text: str | bytes | None = None) -> Path:
    """A copy of the project's site sources in `tmp`, with the given events file."""
    project = tmp / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "content", project / "content", dirs_exist_ok=True)
    shutil.copytree(ROOT / "templates", project / "templates", dirs_exist_ok=True)
    events = project / "events.yaml"
    if events_text is None:
        shutil.copy(ROOT / "events.yaml", events)
    elif isinstance(events_text, bytes):
        events.write_bytes(events_text)
    else:
        events.write_text(events_text, encoding="utf-8")
    return project


def build_project(project: Path, timeout: float = 300, extra_env: dict | None = None) -> BuiltSite:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(extra_env or {}))
    completed = subprocess.run(
        [sys.executable, "-m", "builder", "build"], cwd=project, env=env,
        capture_output=True, text=True, timeout=timeout)
    return BuiltSite(project, project / "site", completed.returncode, completed.stdout,
                     completed.stderr)


def build(tmp: Path, events_text: str | bytes | None = None, **kwargs) -> BuiltSite:
    return build_project(make_project(tmp, events_text), **kwargs)
