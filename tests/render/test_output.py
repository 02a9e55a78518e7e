from __future__ import annotations

import io
import json
import re
import sys

import pytest

from postctl.render.output import Output
from tests.render.terminal import FakeStream, plain_env  # noqa: F401 - plain_env: autouse fixture

ANSI = re.compile("\x1b\\[")


def make(color: str = "auto", tty: bool = False, quiet: bool = False) -> Output:
    return Output(color=color, quiet=quiet, stdout=FakeStream(tty), stderr=FakeStream(tty))  # type: ignore[arg-type]


def text(stream: object) -> str:
    assert isinstance(stream, FakeStream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("color", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # empty NO_COLOR means unset (no-color.org)
        ("auto", True, {"TERM": "dumb"}, False),
        ("never", True, {}, False),
        ("always", False, {}, True),
        ("always", False, {"NO_COLOR": "1"}, True),  # the explicit flag wins
        ("always", True, {"TERM": "dumb"}, True),
    ],
)
def test_use_color(
    monkeypatch: pytest.MonkeyPatch, color: str, tty: bool, env: dict[str, str], expected: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = make(color, tty)
    assert out.use_color(FakeStream(tty)) is expected


def test_auto_colour_follows_each_stream() -> None:
    out = make("auto")
    assert out.use_color(FakeStream(tty=True)) is True
    assert out.use_color(FakeStream(tty=False)) is False


def test_invalid_colour_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="color must be"):
        Output(color="sometimes")  # type: ignore[arg-type]


def test_data_goes_to_stdout_unchanged() -> None:
    out = make()
    out.data('{"a": 1}')
    out.data("no newline", end="")
    assert text(out.stdout) == '{"a": 1}\nno newline'
    assert text(out.stderr) == ""


def test_data_bytes_go_straight_to_a_utf8_stream_after_its_pending_text() -> None:
    binary = io.BytesIO()
    stream = io.TextIOWrapper(binary, encoding="utf-8", write_through=False)
    out = Output(stdout=stream, stderr=io.StringIO())
    out.data("[", end="")  # still in the text layer's buffer
    out.data_bytes('"ü 🙂"'.encode())
    out.data("]", end="")
    out.flush()
    assert binary.getvalue() == '["ü 🙂"]'.encode()


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_data_bytes_are_written_as_text_in_another_encoding(encoding: str) -> None:
    binary = io.BytesIO()
    stream = io.TextIOWrapper(binary, encoding=encoding, errors="backslashreplace")
    out = Output(stdout=stream, stderr=io.StringIO())
    out.data_bytes('"ü 🙂"'.encode())
    out.flush()
    assert binary.getvalue() == '"ü 🙂"'.encode(encoding, "backslashreplace")


def test_data_bytes_on_a_stream_without_bytes() -> None:
    out = make()
    out.data_bytes('{"a": "ü"}'.encode())
    assert text(out.stdout) == '{"a": "ü"}'


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("error", "Error: it broke\n"),
        ("warning", "warning: it broke\n"),
        ("hint", "hint: it broke\n"),
        ("info", "it broke\n"),
    ],
)
def test_messages_go_to_stderr(method: str, expected: str) -> None:
    out = make()
    getattr(out, method)("it broke")
    assert text(out.stderr) == expected
    assert text(out.stdout) == ""


@pytest.mark.parametrize(
    ("method", "shown"), [("error", True), ("warning", True), ("hint", False), ("info", False)]
)
def test_quiet_suppresses_only_hints_and_info(method: str, shown: bool) -> None:
    out = make(quiet=True)
    getattr(out, method)("message")
    assert ("message" in text(out.stderr)) is shown


def test_messages_are_sanitised_to_one_line() -> None:
    out = make("always")
    out.error("_posts/a\x1b[2J.md:3:8: bad\nvalue \u202eevil")
    written = text(out.stderr)
    assert written.endswith("_posts/a\\x1b[2J.md:3:8: bad\\nvalue \\u202eevil\n")
    assert written.count("\n") == 1
    assert "\x1b[2J" not in written


def test_error_is_red_only_with_colour() -> None:
    coloured = make("always")
    coloured.error("x")
    assert text(coloured.stderr) == "\x1b[1;31mError:\x1b[0m x\n"
    plain = make("auto", tty=False)
    plain.error("x")
    assert text(plain.stderr) == "Error: x\n"


def test_warning_and_hint_are_coloured_on_a_terminal() -> None:
    out = make("auto", tty=True)
    out.warning("w")
    out.hint("h")
    assert ANSI.search(text(out.stderr))
    assert "warning:" in text(out.stderr) and "hint:" in text(out.stderr)


def test_error_json_on_stderr_only() -> None:
    out = make()
    out.error_json("post_exists", "_posts/a.md exists", "use --force to overwrite")
    assert text(out.stdout) == ""
    assert json.loads(text(out.stderr)) == {
        "error": {
            "code": "post_exists",
            "message": "_posts/a.md exists",
            "hint": "use --force to overwrite",
        }
    }
    assert text(out.stderr).count("\n") == 1


def test_error_json_without_hint_and_with_hostile_text() -> None:
    out = make()
    out.error_json("parse_error", "bad \x9b\u202e\x1b title")
    raw = text(out.stderr)
    assert json.loads(raw) == {
        "error": {"code": "parse_error", "message": "bad \x9b\u202e\x1b title", "hint": None}
    }
    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", raw.rstrip("\n")) is None


def test_default_streams_are_looked_up_at_write_time(capsys: pytest.CaptureFixture[str]) -> None:
    out = Output()
    out.data("data")
    out.error("oops")
    captured = capsys.readouterr()
    assert captured.out == "data\n"
    assert captured.err == "Error: oops\n"
    assert out.stdout is sys.stdout


def test_console_without_colour_writes_no_escape_sequences() -> None:
    from rich.text import Text

    out = make("never", tty=True)
    console = out.console(width=40)
    console.print(Text("styled", style="bold red"))
    console.print("[bold]not markup[/bold] :smile:")
    written = text(out.stdout)
    assert "\x1b" not in written
    assert "styled" in written
    assert "[bold]not markup[/bold] :smile:" in written  # markup and emoji codes not interpreted


def test_console_with_colour_styles_text_but_not_data() -> None:
    from rich.text import Text

    out = make("always")
    console = out.console()
    console.print(Text("styled", style="bold red"))
    console.print("[bold]x[/bold]")
    written = text(out.stdout)
    assert ANSI.search(written)
    assert "[bold]x[/bold]" in written


def test_console_colour_on_a_dumb_terminal_when_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.text import Text

    monkeypatch.setenv("TERM", "dumb")
    out = make("always")
    out.console().print(Text("x", style="red"))
    assert ANSI.search(text(out.stdout))


def test_console_stream_and_width(monkeypatch: pytest.MonkeyPatch) -> None:
    out = make()
    assert out.console(stderr=True).file is out.stderr
    assert out.console().file is out.stdout
    assert out.console(width=33).width == 33
    monkeypatch.setenv("COLUMNS", "57")
    assert out.console().width == 57
    assert Output(stdout=FakeStream(), width=44).console().width == 44


def test_console_soft_wrap() -> None:
    out = make()
    console = out.console(width=10, soft_wrap=True)
    console.print("a" * 25)
    assert text(out.stdout) == "a" * 25 + "\n"
    wrapped = make()
    wrapped.console(width=10).print("a" * 25)
    assert text(wrapped.stdout).count("\n") == 3
