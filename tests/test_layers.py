"""The folders of builder/ are the stages of the pipeline, and imports only point down.

From the bottom: records (load and check), sources (stored copies, quotes, the network),
visual (the pure layout of the drawn timeline), site (pages from records), exports (data for
other tools), editing (changes to events.yaml as text), publish (the MkDocs adapter), cli.
A module may import its own package and the packages below it, never one above. Only
publish touches MkDocs, so the core stays generator-independent.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BUILDER = Path(__file__).resolve().parents[1] / "builder"
LAYERS = ("records", "sources", "visual", "site", "exports", "editing", "publish", "cli")
MKDOCS_ALLOWED = {"publish"}


def _package_of(path: Path) -> str | None:
    parts = path.relative_to(BUILDER).parts
    return parts[0] if len(parts) > 1 else None  # None: builder/__init__.py, __main__.py


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "builder":
                found.extend((node.lineno, f"builder.{alias.name}") for alias in node.names)
    return found


MODULES = sorted(BUILDER.rglob("*.py"))


def test_every_module_lives_in_a_known_stage():
    strays = [str(p.relative_to(BUILDER)) for p in MODULES
              if _package_of(p) not in (*LAYERS, None)]
    assert strays == [], f"put these in one of {LAYERS} (or add a stage here): {strays}"
    assert {_package_of(p) for p in MODULES} >= {"records", "site", "editing", "publish", "cli"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BUILDER)))
def test_imports_point_down(path):
    package = _package_of(path)
    if package is None:
        return  # builder/__init__.py and __main__.py sit on top of everything
    level = LAYERS.index(package)
    upward = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "mkdocs" and package not in MKDOCS_ALLOWED:
            upward.append(f"line {line}: {module} (only publish/ may import MkDocs)")
        if parts[0] == "builder" and len(parts) > 1 and parts[1] in LAYERS \
                and LAYERS.index(parts[1]) > level:
            upward.append(f"line {line}: {module} (above {package}/)")
    assert upward == []


def test_the_check_points_at_a_violation(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from builder.site.render import render_site\nimport mkdocs.config\n")
    modules = [m for _, m in _imports(probe)]
    assert modules == ["builder.site.render", "mkdocs.config"]
