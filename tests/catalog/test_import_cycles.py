"""No module of the site index or of full-text search takes part in an import cycle.

Every import counts: at the top of a module, inside a function, and under
``if TYPE_CHECKING:`` (the layer contract leaves those out; a cycle through them still ties
two modules into one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import postctl

PACKAGE = Path(postctl.__file__).parent
CHECKED = ("postctl.catalog", "postctl.search")


def module_files() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("postctl", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported_names(module: str, path: Path) -> Iterator[str]:
    """Every module name an import statement of ``module`` names, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            yield origin
            yield from (f"{origin}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    return {module: {name for name in imported_names(module, path)
                     if name in files and name != module}
            for module, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return groups


def test_the_cycle_finder_finds_a_cycle_through_any_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_type_checking_and_function_imports_are_edges(tmp_path: Path) -> None:
    source = tmp_path / "user.py"
    source.write_text("from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    from postctl.search.ftstables import FtsTables\n"
                      "def f():\n    from postctl.catalog import matching\n"
                      "from . import base\nfrom ..catalog.query import Sort\n")
    names = set(imported_names("postctl.search.user", source))
    assert {"postctl.search.ftstables", "postctl.catalog.matching", "postctl.search.base",
            "postctl.catalog.query"} <= names


@pytest.mark.parametrize("package", CHECKED)
def test_no_import_cycle_goes_through(package: str) -> None:
    found = [group for group in cycles(import_graph())
             if any(module == package or module.startswith(f"{package}.") for module in group)]
    assert found == []
