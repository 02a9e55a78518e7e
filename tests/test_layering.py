"""The library never depends on the terminal layer, and start-up stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "postctl"
TERMINAL_PACKAGES = {"typer", "rich", "click"}
PRESENTATION_LAYERS = ("cli", "render")


def library_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if path.relative_to(PACKAGE).parts[0] not in PRESENTATION_LAYERS)


def imported_top_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "__import__" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value.split(".")[0])
    return names


def loaded_after(code: str, *args: str) -> set[str]:
    """Top-level module names in sys.modules after running ``code`` in a fresh interpreter."""
    probe = (f"{code}\nimport json, sys\n"
             "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))")
    done = subprocess.run([sys.executable, *args, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_library_modules_found() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in library_modules()}
    assert {"post/model.py", "site/scan.py", "site/model.py", "text/source.py",
            "text/metadata.py"} <= names


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_library_module_does_not_import_the_terminal_layer(path: Path) -> None:
    assert imported_top_names(path) & TERMINAL_PACKAGES == set()


def test_the_import_check_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os, rich.console\nfrom typer import Typer\n"
                      "def f():\n    from click import echo\n    __import__('yaml')\n"
                      "from . import sibling\n")
    assert imported_top_names(sample) == {"os", "rich", "typer", "click", "yaml"}


def test_loading_posts_does_not_load_the_terminal_layer() -> None:
    loaded = loaded_after("import postctl.post.model, postctl.site.scan, postctl.site.model")
    assert "postctl" in loaded
    assert loaded & TERMINAL_PACKAGES == set()


def test_import_postctl_is_light() -> None:
    loaded = loaded_after("import postctl")
    assert loaded & {"yaml", "rich", "typer", "sqlite3", "click", "dateutil"} == set()


def test_version_does_not_import_heavy_modules() -> None:
    code = ("import os, runpy, sys\nsys.argv = ['postctl', '--version']\n"
            "os._exit = lambda code: None  # stay to report the modules\n"
            "try:\n    runpy.run_module('postctl', run_name='__main__')\n"
            "except SystemExit:\n    pass")
    loaded = loaded_after(code)
    assert "postctl" in loaded
    assert loaded & {"rich", "sqlite3", "dateutil", "markdown_it"} == set()


def test_version_prints_the_version() -> None:
    from postctl import __version__
    done = subprocess.run([sys.executable, "-m", "postctl", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"postctl {__version__}"
