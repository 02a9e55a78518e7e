"""`preview --raw`: every line of the file under its number, sanitised, wrapped under the
numbers, highlighted up to a size and plain beyond it."""

from __future__ import annotations

import io
import re

from rich.console import Console

from postctl.render import rawview

SGR = re.compile(r"\x1b\[[0-9;]*m")


def drawn(text: str, kind: str = "none", fm_lines: int = 0, width: int = 40,
          color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, height=50,
                      color_system="truecolor" if color else None)
    for renderable in rawview.raw_renderables(text, kind, fm_lines):
        console.print(renderable, crop=False)
    return buffer.getvalue()


def test_each_line_of_the_file_under_its_number() -> None:
    assert drawn("---\ntitle: T\n---\nBody\n", "yaml", 3).splitlines() == [
        "  1 ---", "  2 title: T", "  3 ---", "  4 Body"]
    assert drawn("no final newline").splitlines() == ["  1 no final newline"]
    assert drawn("a\n\nb\n").splitlines() == ["  1 a", "  2", "  3 b"]
    plain = "x" * rawview.HIGHLIGHT_LIMIT + "\n\ny\n"
    assert drawn(plain, width=200).splitlines()[-2:] == ["  2", "  3 y"]


def test_crlf_tabs_and_controls() -> None:
    lines = drawn("a\r\n\tb\r\nc\x1b[31md\rx\n").splitlines()
    assert lines == ["  1 a", "  2     b", "  3 c\\x1b[31md\\rx"]


def test_long_lines_wrap_under_the_numbers() -> None:
    lines = drawn("word " * 20 + "\n" + "x" * 50, width=30).splitlines()
    assert lines[0].startswith("  1 word word")
    assert all(len(line) <= 30 for line in lines)
    assert lines[1].startswith("    word") and lines[-1] == "    " + "x" * 24
    assert "".join(line[4:] for line in lines[-2:]) == "x" * 50


def test_non_ascii_lines_wrap_by_cells() -> None:
    lines = drawn("日本語" * 20, width=30).splitlines()
    assert all(len(line.encode("utf-16-le")) // 2 <= 30 for line in lines)
    assert lines[0].startswith("  1 日本語")
    assert "".join(line[4:] for line in lines) == "日本語" * 20


def test_highlighted_up_to_the_limit_and_plain_beyond() -> None:
    small = drawn("---\ntitle: T\n---\n# Heading\n", "yaml", 3, color=True)
    assert small.count("\x1b[38;2;") > 2
    big_text = "---\ntitle: T\n---\n" + "# Heading\n" * (rawview.HIGHLIGHT_LIMIT // 10 + 1)
    big = drawn(big_text, "yaml", 3, width=60, color=True)
    assert "\x1b[38;2;" not in big
    lines = SGR.sub("", big).splitlines()
    assert len(lines) == big_text.count("\n")
    assert lines[-1] == f"{big_text.count(chr(10)):>{len(str(len(lines))) + 2}} # Heading"
