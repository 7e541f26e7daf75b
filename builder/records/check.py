"""The checking pipeline: read a file once, load it with positions, check every record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from builder.records.model import Timeline
from builder.records.problems import Problem, has_errors, sorted_problems
from builder.records.validate import check_tree
from builder.records.yamltree import load_bytes


@dataclass
class CheckResult:
    path: str
    problems: list[Problem] = field(default_factory=list)
    timeline: Timeline | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


# The check of a 50 MB file needs about 570 MiB (BENCHMARKS.md, "Large files"); this cap keeps
# it near 1.2 GiB whatever a file holds, and spares reading a huge file only to refuse it.
MAX_FILE_BYTES = 100_000_000


def _too_large(path: str, size: str) -> CheckResult:
    return CheckResult(path, [Problem(
        path, 1, 1, "file-too-large",
        f"the file is {size}; the largest events file this tool reads is "
        f"{MAX_FILE_BYTES / 1e6:g} MB. Split the records into smaller timelines.")])


def check_bytes(data: bytes, path: str, today: date | None = None) -> CheckResult:
    if len(data) > MAX_FILE_BYTES:
        return _too_large(path, f"{len(data) / 1e6:.1f} MB")
    loaded = load_bytes(data, path)
    problems = list(loaded.problems)
    timeline = None
    if loaded.root is not None:
        more, timeline = check_tree(loaded.root, path, today or date.today(),
                                    complete=not has_errors(problems))
        problems.extend(more)
    if has_errors(problems):
        timeline = None
    return CheckResult(path, sorted_problems(problems), timeline)


def check_text(text: str, path: str = "events.yaml", today: date | None = None) -> CheckResult:
    return check_bytes(text.encode("utf-8", "surrogatepass"), path, today)


_last: dict[tuple, CheckResult] = {}


def check_file(path: str | Path, today: date | None = None, display: str | None = None) -> CheckResult:
    """Check a file on disk. Raises OSError when it cannot be read (a usage error).

    `timeline build` checks the file before MkDocs starts, and the MkDocs plugin checks it
    again; the last result is kept, keyed by the file's exact bytes, so that work is done once.
    """
    with open(path, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # one byte more tells a file over the cap
    if len(data) > MAX_FILE_BYTES:
        return _too_large(display or str(path), f"over {MAX_FILE_BYTES / 1e6:g} MB")
    key = (display or str(path), hashlib.sha256(data).digest(), today or date.today())
    if key not in _last:
        _last.clear()
        _last[key] = check_bytes(data, key[0], key[2])
    return _last[key]
