"""The command line read before Typer parses it: the command it runs, and options whose
value may be left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.cli.app import prepared
from postctl.cli.argv import OMITTED, split_command, with_omitted_values


@pytest.mark.parametrize(("args", "expected"), [
    (["list", "--all"], ([], "list", ["--all"])),
    (["--root", "list", "tags", "-n", "3"], (["--root", "list"], "tags", ["-n", "3"])),
    (["--root=site", "-q", "--color", "never", "search", "x"],
     (["--root=site", "-q", "--color", "never"], "search", ["x"])),
    (["--debug", "--", "lint"], (["--debug", "--"], "lint", [])),
    (["--version"], (["--version"], None, [])),
    (["--root"], (["--root"], None, [])),
    (["--colour", "always", "list"], (["--colour"], "always", ["list"])),  # not an option
    ([], ([], None, [])),
])
def test_split_command_finds_the_first_word_after_the_root_options(
        args: list[str], expected: tuple[list[str], str | None, list[str]]) -> None:
    assert split_command(args) == expected


HTML = f"--html={OMITTED}"


@pytest.mark.parametrize(("args", "expected"), [
    (["a", "post", "--html"], ["a", "post", HTML]),
    (["a", "--html", "--force"], ["a", HTML, "--force"]),
    (["a", "--html", "out.html"], ["a", "--html", "out.html"]),
    (["a", "--html", "-"], ["a", "--html", "-"]),  # "-" is a value, as Click reads it
    (["a", "--html=out.html"], ["a", "--html=out.html"]),
    (["--width", "--html", "a"], ["--width", "--html", "a"]),  # the value of --width
    (["-w", "40", "a", "--html"], ["-w", "40", "a", HTML]),
    (["a", "--", "--html"], ["a", "--", "--html"]),  # after --, words are arguments
    (["--html", "--html"], [HTML, HTML]),
])
def test_an_optional_value_left_out_is_omitted(args: list[str], expected: list[str]) -> None:
    assert with_omitted_values(args, ["--html"], ["--width", "-w"]) == expected


def test_prepared_completes_only_the_running_commands_options() -> None:
    assert prepared(["--root", "x", "preview", "a", "--html"]) == (
        "preview", ["--root", "x", "preview", "a", HTML])
    assert prepared(["list", "--html"]) == ("list", ["list", "--html"])


def test_prepared_reads_no_arguments_as_help_and_an_unknown_name_as_no_command() -> None:
    assert prepared([]) == (None, ["--help"])
    assert prepared(["lsit", "--all"]) == (None, ["lsit", "--all"])


def test_html_followed_by_another_option_writes_a_temporary_page(
        cli, example_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    result = cli("--root", str(example_site), "preview", "norway", "--html", "--allow-html")
    assert result.exit_code == 0, result
    page = Path(result.stdout.strip())
    assert page.suffix == ".html" and page.is_file() and page.is_relative_to(tmp_path)


@pytest.mark.parametrize(("before", "root"), [
    ([], None),
    (["--root", "site"], "site"),
    (["--root=site"], "site"),
    (["--quiet", "--root", "a", "--root=b"], "b"),  # the last one, as Click takes it
    (["--color", "never"], None),
])
def test_root_option_is_read_before_the_command_line_is_parsed(before: list[str],
                                                               root: str | None) -> None:
    from postctl.cli.argv import root_option

    assert root_option(before) == root
