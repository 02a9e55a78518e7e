"""The ``postctl`` program itself: main(), then a quick exit that loses nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from postctl.cli import app as cli_module
from postctl.cli import early as program_module
from tests.conftest import CliRunnerFn, snapshot


def _program(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "POSTCTL_CACHE_DIR": str((cwd or Path.cwd()) / ".cache-test")}
    return subprocess.run([sys.executable, "-m", "postctl", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, check=False)


@pytest.mark.parametrize(("args", "code"), [
    (["list", "--all", "--format", "jsonl"], 0),  # every line of the output
    (["search", "nosuchwordanywhere"], 1),  # a message on stderr
    (["list", "--since", "not-a-date"], 2),  # a one-line error
])
def test_the_program_prints_and_exits_as_main_does(cli: CliRunnerFn, example_site: Path,
                                                   tmp_path: Path, args: list[str],
                                                   code: int) -> None:
    expected = cli("--root", str(example_site), *args)
    ran = _program("--root", str(example_site), *args, cwd=tmp_path)
    assert expected.exit_code == code
    assert (ran.returncode, ran.stdout, ran.stderr) == (code, expected.stdout, expected.stderr)


def test_entry_flushes_buffered_output_before_it_leaves(monkeypatch, capsys) -> None:
    left: list[int] = []
    monkeypatch.setattr(os, "_exit", left.append)
    monkeypatch.setattr(cli_module, "main", lambda: print("the last line", end=""))
    flushed: list[str] = []
    real_flush = sys.stdout.flush
    monkeypatch.setattr(sys.stdout, "flush", lambda: (flushed.append("out"), real_flush()))
    cli_module.run_program()
    assert left == [0] and flushed == ["out"]
    assert capsys.readouterr().out == "the last line"


@pytest.mark.parametrize(("raised", "code", "message"), [
    (SystemExit(3), 3, ""), (SystemExit(None), 0, ""), (SystemExit("gone"), 1, "gone\n")])
def test_entry_keeps_the_exit_code_of_main(monkeypatch, capsys, raised: SystemExit, code: int,
                                           message: str) -> None:
    left: list[int] = []
    monkeypatch.setattr(os, "_exit", left.append)

    def failing() -> None:
        raise raised

    monkeypatch.setattr(cli_module, "main", failing)
    cli_module.run_program()
    assert left == [code] and capsys.readouterr().err == message


@pytest.mark.parametrize(("args", "walks"), [
    (["list", "--tag", "a"], True),
    (["--root", "x", "--quiet", "tags"], True),
    (["search", "a", "b"], True),
    (["stats"], True),
    (["links", "some post"], True),
    (["categories", "rename", "a", "b"], True),  # a verb reads the index too
    (["list", "--no-cache"], False),  # reads the files, not the index
    (["list", "--help"], False),
    (["lint"], False),
    (["new", "A title"], False),
    (["--version"], False),
    ([], False),
])
def test_the_commands_that_read_the_index_begin_the_walk_early(monkeypatch, args: list[str],
                                                               walks: bool) -> None:
    from postctl.catalog import early_walk

    begun: list[str | None] = []
    monkeypatch.setattr(early_walk, "begin", lambda root: begun.append(root) or True)
    monkeypatch.delenv("_POSTCTL_COMPLETE", raising=False)
    assert program_module.begin_early_walk(args) is walks
    assert begun == ([("x" if "--root" in args else None)] if walks else [])


def test_the_commands_that_walk_early_are_commands() -> None:
    assert program_module.WALK_EARLY <= set(cli_module.COMMANDS)


def test_a_completion_request_begins_no_walk(monkeypatch) -> None:
    from postctl.catalog import early_walk

    monkeypatch.setattr(early_walk, "begin", lambda root: pytest.fail("walked"))
    monkeypatch.setenv("_POSTCTL_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "postctl list --tag ")
    monkeypatch.setenv("COMP_CWORD", "3")
    assert program_module.begin_early_walk(["list", "--tag"]) is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the early walk forks")
def test_a_run_that_does_not_walk_stops_the_early_child(monkeypatch, example_site: Path) -> None:
    """A command that fails before it reads the index (here: any) leaves no child behind."""
    import time

    from postctl.catalog import early_walk

    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    monkeypatch.setattr(early_walk, "_walk", lambda root: time.sleep(60) or b"")
    assert early_walk.begin(str(example_site))
    pid = early_walk._child[0].pid
    left: list[int] = []
    monkeypatch.setattr(os, "_exit", left.append)
    monkeypatch.setattr(cli_module, "main", lambda: None)
    cli_module.run_program()
    assert left == [0] and early_walk._child == []
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped


def test_the_installed_program_is_entry() -> None:
    from importlib.metadata import entry_points

    (script,) = [point for point in entry_points(group="console_scripts")
                 if point.name == "postctl"]
    assert script.value == "postctl.cli:entry"


def test_a_reader_that_stops_early_is_not_an_error(make_site, tmp_path: Path) -> None:
    """``postctl list | head -1``: the closed pipe ends the command quietly, with exit 0."""
    posts = {f"_posts/2024-01-{n % 28 + 1:02d}-post-{n}.md":
             f"---\ntitle: Post number {n} with a long enough title\ntags: [a, b, c]\n---\nx\n"
             for n in range(1500)}
    root = make_site(posts=posts)
    env = {**os.environ, "POSTCTL_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["list", "--all", "--format", "jsonl"], ["list", "--all"]):
        with subprocess.Popen([sys.executable, "-m", "postctl", "--root", str(root), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as ran:
            assert ran.stdout is not None and ran.stderr is not None
            assert ran.stdout.readline()
            ran.stdout.close()  # the reader is gone; 1500 posts do not fit a pipe's buffer
            errors = ran.stderr.read()
            assert ran.wait(timeout=60) == 0, errors
        assert errors == b""


@pytest.mark.parametrize(("args", "usage", "error"), [
    (["list", "--foo"], "Usage: postctl list [OPTIONS]", "Error: No such option: --foo"),
    (["--color", "bogus", "list"], "Usage: postctl [OPTIONS] COMMAND [ARGS]...",
     "Error: Invalid value for '--color': "),
    (["lint", "--format", "xml"], "Usage: postctl lint [OPTIONS] [PATHS]...",
     "Error: Invalid value for '--format' / '-f': "),
    (["list", "--limit", "0"], "Usage: postctl list [OPTIONS]",
     "Error: Invalid value for '--limit' / '-n': "),
    (["new"], "Usage: postctl new [OPTIONS] {TITLE}", "Error: Missing argument 'TITLE'."),
    (["lsit"], "Usage: postctl [OPTIONS] COMMAND [ARGS]...",
     "Error: unknown command 'lsit': did you mean 'list'?"),
])
def test_a_command_line_typer_cannot_read_is_exit_2_with_one_error_line(
        cli: CliRunnerFn, example_site: Path, args: list[str], usage: str, error: str) -> None:
    result = cli("--root", str(example_site), *args)
    lines = result.stderr.splitlines()
    assert (result.exit_code, result.stdout) == (2, "")
    assert lines[0] == usage and lines[1].startswith("Try 'postctl") and lines[2] == ""
    assert lines[3].startswith(error) and len(lines) == 4


@pytest.mark.parametrize(("args", "error"), [
    (["lnit"], "Error: unknown command 'lnit': did you mean 'lint'? valid: new, lint, list, "),
    (["tags", "mrege", "a", "b"],
     "Error: unknown command 'mrege': did you mean 'merge'? valid: rename, merge, delete"),
    (["list", "--root", "x"], "Error: --root is an option of postctl itself, not of 'list': "
     "give it before the command, as in: postctl --root VALUE list ..."),
    (["search", "x", "--debug"], "Error: --debug is an option of postctl itself, not of "
     "'search': give it before the command, as in: postctl --debug search ..."),
    (["list", "--format", "jsn"], "Error: Invalid value for '--format' / '-f': unknown value "
     "'jsn': did you mean 'json'? valid: table, json, jsonl, csv, paths"),
    (["new", "A post", "--format", "csv"], "Error: Invalid value for '--format' / '-f': "
     "unknown format 'csv': valid: table, json, jsonl"),
    (["set", "x", "a=b", "--format", "paths"], "Error: Invalid value for '--format' / '-f': "
     "unknown format 'paths': valid: table, json, jsonl"),
])
def test_an_unknown_name_is_exit_2_with_the_valid_ones_and_the_one_meant(
        cli: CliRunnerFn, example_site: Path, args: list[str], error: str) -> None:
    before = snapshot(example_site)
    result = cli("--root", str(example_site), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1].startswith(error), result.stderr
    assert snapshot(example_site) == before


def test_the_program_shows_a_usage_error_without_a_traceback(tmp_path: Path) -> None:
    ran = _program("list", "--foo", cwd=tmp_path)
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr.splitlines()[-1].startswith("Error: No such option: --foo")
    assert "Traceback" not in ran.stderr


def test_no_arguments_show_the_help(cli: CliRunnerFn) -> None:
    result = cli()
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == cli("--help").stdout


def test_help_lists_every_command_with_its_summary(cli: CliRunnerFn) -> None:
    from postctl.cli.app import COMMANDS, command_function

    result = cli("--help")
    assert result.exit_code == 0
    assert "Usage: postctl [OPTIONS] COMMAND [ARGS]..." in result.stdout
    for name in COMMANDS:
        first_words = " ".join((command_function(name).__doc__ or "").split()[:4])
        assert f"│ {name} " in result.stdout and first_words in result.stdout


@pytest.mark.parametrize("name", ["new", "lint", "list", "tags", "categories", "index",
                                  "search", "preview"])
def test_each_command_has_help(cli: CliRunnerFn, name: str) -> None:
    result = cli(name, "--help")
    assert result.exit_code == 0 and result.stderr == ""
    assert f"Usage: postctl {name} [OPTIONS]" in result.stdout
    assert re.search(r"--help +-h .* Show this message and exit\.", result.stdout)


def test_help_text_in_brackets_is_shown_not_read_as_markup(cli: CliRunnerFn) -> None:
    text = " ".join(cli("search", "--help").stdout.replace("│", " ").split())
    assert "default: [search] stem in the config" in text
