"""Shell completion through the installed ``postctl`` program, by the protocol Typer's bash
script uses (``_POSTCTL_COMPLETE=complete_bash``, ``COMP_WORDS``, ``COMP_CWORD``): command
names, options, and live values from the site index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from postctl.cli.app import COMMANDS as CLI_COMMANDS
from postctl.cli.app import completed_command
from postctl.cli.argv import completion_request

POSTCTL = shutil.which("postctl", path=str(Path(sys.executable).parent)) or "postctl"


def complete(root: Path, line: str, shell: str = "bash") -> list[str]:
    """What ``postctl --root ROOT LINE<TAB>`` offers (the last word, or a new one after a
    space)."""
    words = ["postctl", "--root", str(root), *line.split()]
    env = {**os.environ, "_POSTCTL_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env["COMP_WORDS"] = " ".join(words)
        env["COMP_CWORD"] = str(len(words) if line.endswith(" ") else len(words) - 1)
    else:
        env["_TYPER_COMPLETE_ARGS"] = " ".join(words) + (" " if line.endswith(" ") else "")
    done = subprocess.run([POSTCTL], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [value for value in done.stdout.splitlines() if value]


@pytest.fixture
def indexed_site(cli, example_site) -> Path:
    assert cli("--root", str(example_site), "list").exit_code == 0  # the index is stored
    return example_site


def test_command_names_and_options(indexed_site) -> None:
    assert complete(indexed_site, "li") == ["lint", "list", "links"]
    assert "stats" in complete(indexed_site, "st")
    assert complete(indexed_site, "list --ta") == ["--tag"]


def test_tags_categories_and_authors_from_the_index(indexed_site) -> None:
    tags = complete(indexed_site, "list --tag ")
    assert tags[0] == "berlin" and "python" in tags  # most used first
    assert complete(indexed_site, "list --tag py") == ["python"]
    assert complete(indexed_site, "stats --author Ad") == ["Ada\\ Okafor"]  # one bash word
    assert "gardening" in complete(indexed_site, "list --category ")
    assert complete(indexed_site, "new Title -t ferm") == ["fermentation"]
    assert complete(indexed_site, "new Title --author Tom") == ["Tomás\\ Ferreira"]
    assert complete(indexed_site, "tags rename ber") == ["berlin"]
    assert "cooking" in complete(indexed_site, "categories merge ")
    assert "berlin" not in complete(indexed_site, "categories delete ")


def test_post_refs_by_slug_or_path(indexed_site) -> None:
    assert complete(indexed_site, "preview why-i") == ["why-i-keep-my-posts-in-plain-text"]
    assert complete(indexed_site, "rename why-i") == ["why-i-keep-my-posts-in-plain-text"]
    paths = complete(indexed_site, "publish _posts/2023-0")
    assert paths and all(p.startswith("_posts/2023-0") for p in paths)


def test_zsh_offers_the_same_values(indexed_site) -> None:
    offered = "\n".join(complete(indexed_site, "list --tag py", shell="zsh"))
    assert "python" in offered
    authors = "\n".join(complete(indexed_site, "list --author Ad", shell="zsh"))
    assert '"Ada Okafor"' in authors


def test_no_index_and_no_site_offer_nothing_quietly(example_site, tmp_path) -> None:
    assert complete(example_site, "list --tag ") == []
    assert complete(tmp_path, "list --tag ") == []


def test_only_the_completed_command_is_built(monkeypatch) -> None:
    monkeypatch.setenv("_POSTCTL_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "postctl --root x list --tag ")
    monkeypatch.setenv("COMP_CWORD", "5")
    assert completion_request() == (["--root", "x", "list", "--tag"], "")
    assert completed_command(["--root", "x", "list", "--tag"]) == "list"
    assert completed_command(["--root", "x"]) is None
    monkeypatch.delenv("COMP_WORDS")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "postctl tags ren")
    assert completion_request() == (["tags"], "ren")
    monkeypatch.delenv("_POSTCTL_COMPLETE")
    assert completion_request() is None


def test_install_completion_is_offered(cli) -> None:
    result = cli("--help")
    assert "--install-completion" in result.stdout
    # Typer names the shell that runs postctl: run it from bash (not as bash's last command,
    # which bash would exec in its own place).
    shown = subprocess.run(["bash", "-c", f"{POSTCTL} --show-completion; true"],
                           capture_output=True, text=True, timeout=60)
    assert "_POSTCTL_COMPLETE=complete_bash" in shown.stdout, shown.stderr


def test_values_after_other_options_and_for_links(indexed_site) -> None:
    assert complete(indexed_site, "list --limit 3 --drafts --tag py") == ["python"]
    assert complete(indexed_site, "links --related why-i") == [
        "why-i-keep-my-posts-in-plain-text"]
    assert complete(indexed_site, "tags merge python ber") == ["berlin"]  # every NAME
    assert complete(indexed_site, "tags rename berlin ") == []  # NEW is free text


def test_a_value_is_answered_without_typers_parse(monkeypatch) -> None:
    """Live values skip the parse that imports pydantic: the answer comes from the words."""
    from typer.main import get_command

    from postctl.cli.app import build_app
    from postctl.cli.completion import _live_parameter

    command = get_command(build_app("list"))
    found = _live_parameter(command, ["--root", "x", "list", "-n", "3", "--tag"], "py")
    assert found is not None and found[1].name == "tag"
    assert found[0].find_root().params["root"] == "x"
    assert _live_parameter(command, ["list", "--tag"], "--") is None  # an option name
    assert _live_parameter(command, ["list", "--limit"], "") is None  # no live values


def test_command_names_are_offered_without_building_the_commands(indexed_site) -> None:
    assert complete(indexed_site, " ") == list(CLI_COMMANDS)
    assert complete(indexed_site, "--color never st") == ["stats"]
    assert complete(indexed_site, "--color ") == ["auto", "always", "never"]  # a value
    assert complete(indexed_site, "tags ") == ["rename", "merge", "delete"]  # verbs: Typer's
