"""One kind of finding, shared by every stage: a problem at a position in a file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem found in a file. Line and column are 1-based, as editors count."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    level: Level = Level.ERROR

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)


def sorted_problems(problems) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems) -> bool:
    return any(p.is_error for p in problems)


class ProblemsFound(Exception):
    """Raised by adapters (build, plugin) when the records cannot be published."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted_problems(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the timeline records")
