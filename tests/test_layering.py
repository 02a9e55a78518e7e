"""The library never depends on the terminal layer, and start-up stays light.

Which package may import which (typer and click only in the CLI, rich only there and in the
render layer) is the import-linter contracts' job (pyproject.toml, ``lint-imports`` in CI);
these tests check that the contracts are there and what start-up loads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import tomllib

from tests.conftest import SiteFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "postctl"
TERMINAL_PACKAGES = {"typer", "rich", "click"}
LIBRARY_LAYERS = {"postctl.lint", "postctl.search", "postctl.catalog", "postctl.edit",
                  "postctl.site", "postctl.post", "postctl.text", "postctl.errors"}


def output_and_modules_after(code: str, *args: str) -> tuple[str, set[str]]:
    """What running ``code`` in a fresh interpreter printed (stdout and stderr), and the
    module names in sys.modules after it."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, *args, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    *printed, modules = done.stdout.strip().splitlines()
    return "\n".join(printed) + done.stderr, set(json.loads(modules))


def loaded_modules_after(code: str, *args: str) -> set[str]:
    """Module names in sys.modules after running ``code`` in a fresh interpreter."""
    return output_and_modules_after(code, *args)[1]


def loaded_after(code: str, *args: str) -> set[str]:
    """Top-level module names in sys.modules after running ``code`` in a fresh interpreter."""
    return {name.split(".")[0] for name in loaded_modules_after(code, *args)}


def run_postctl(*argv: str) -> str:
    """Code that runs ``postctl ARGV`` in this interpreter and stays to report its modules."""
    return (f"import os, runpy, sys\nsys.argv = ['postctl', *{list(argv)!r}]\n"
            "os._exit = lambda code: None  # stay to report the modules\n"
            "try:\n    runpy.run_module('postctl', run_name='__main__')\n"
            "except SystemExit:\n    pass")


def _forbidden_contracts() -> dict[str, set[str]]:
    """Each module that a forbidden contract keeps out, with the packages kept from it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    assert linter["include_external_packages"] is True  # or typer, rich... are not seen
    kept: dict[str, set[str]] = {}
    for contract in linter["contracts"]:
        if contract["type"] == "forbidden":
            for module in contract["forbidden_modules"]:
                kept.setdefault(module, set()).update(contract["source_modules"])
    return kept


def test_the_import_contracts_keep_the_terminal_layer_out_of_the_library() -> None:
    kept = _forbidden_contracts()
    assert kept["typer"] == kept["click"] == LIBRARY_LAYERS | {"postctl.render"}
    assert kept["rich"] == LIBRARY_LAYERS


def test_the_contracts_name_every_package_but_the_cli() -> None:
    packages = {f"postctl.{path.name}" for path in PACKAGE.iterdir()
                if (path / "__init__.py").exists()}
    assert packages == LIBRARY_LAYERS - {"postctl.errors"} | {"postctl.render", "postctl.cli"}


def test_loading_posts_does_not_load_the_terminal_layer() -> None:
    loaded = loaded_after("import postctl.post.model, postctl.site.scan, postctl.site.model")
    assert "postctl" in loaded
    assert loaded & TERMINAL_PACKAGES == set()


def test_import_postctl_is_light() -> None:
    loaded = loaded_after("import postctl")
    assert loaded & {"yaml", "rich", "typer", "sqlite3", "click", "dateutil"} == set()


def test_version_does_not_import_heavy_modules() -> None:
    loaded = loaded_after(run_postctl("--version"))
    assert "postctl" in loaded
    # pydantic: Typer validates option values with it, and --version stops before any is.
    assert loaded & {"rich", "sqlite3", "dateutil", "markdown_it", "pydantic"} == set()


def test_a_command_loads_only_its_own_command_module() -> None:
    loaded = loaded_modules_after(run_postctl("--root", "examples/blog", "tags"))
    commands = {name for name in loaded if name.startswith("postctl.cli.")}
    assert "postctl.cli.tags" in commands
    assert commands.isdisjoint({"postctl.cli.new", "postctl.cli.lint", "postctl.cli.list",
                                "postctl.cli.search", "postctl.cli.preview",
                                "postctl.cli.index"})
    assert "rich" not in {name.split(".")[0] for name in loaded}  # no help, no terminal


def test_pre_commit_lint_of_a_few_posts_loads_only_what_it_needs(make_site: SiteFactory) -> None:
    """What pre-commit runs: a lint of 5 posts of a small Jekyll site (no postctl.toml). It
    reads the other posts' files for the site-wide facts (no site index, so no sqlite3),
    renders no Markdown and draws nothing with rich, and reads no TOML; the start-up budget
    (bench/bench_startup.py) depends on it."""
    posts = {f"_posts/2024-01-0{day}-post-{day}.md": f"---\ntitle: Post {day}\n---\nText.\n"
             for day in range(1, 9)}
    posts["_posts/2024-01-09-again.md"] = "---\ntitle: Post 1\n---\nThe title of another.\n"
    root = make_site(posts)
    linted = sorted(str(path) for path in (root / "_posts").iterdir())[-5:]
    code = run_postctl("--root", str(root), "lint", *linted)
    printed, loaded = output_and_modules_after(code)
    # The duplicate title is found with a post that is not linted: the rest of the site was read.
    assert "2024-01-09-again.md:2:8: X002 warning same title as _posts/2024-01-01-post-1.md" \
        in printed, printed
    assert "postctl.lint.run" in loaded
    top = {name.split(".")[0] for name in loaded}
    assert top & {"sqlite3", "rich", "markdown_it", "tomllib", "dateutil", "frontmatter"} == set()
    assert {"postctl.catalog", "postctl.search"}.isdisjoint(loaded)
    # the journal is asked whether a change was interrupted, and the post folders are looked
    # at for leftover temporary files (X004); nothing else of the write side is loaded
    assert {name for name in loaded if name.startswith("postctl.edit")} == {
        "postctl.edit", "postctl.edit.journal", "postctl.edit.tempfiles"}


def test_version_prints_the_version() -> None:
    from postctl import __version__
    done = subprocess.run([sys.executable, "-m", "postctl", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.strip() == f"postctl {__version__}"
