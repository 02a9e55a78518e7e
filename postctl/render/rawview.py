"""``postctl preview --raw``: a file as written, with its line numbers.

Any file is shown, whether it parses or not: the text is sanitised (terminal escapes in it
become visible, "guarantees: Terminal"), CRLF line ends read as line ends, tabs are expanded,
and long lines wrap under their number. Drawing is linear in the size of the file: a source of
up to :data:`HIGHLIGHT_LIMIT` characters is syntax-highlighted (the front matter as YAML, TOML
or JSON, the rest as Markdown); a longer one is drawn without colour, as highlighting costs
far more per character than the drawing itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from postctl.text.sanitize import sanitize

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.text import Text

    from postctl.lint.preview import RawSource
    from postctl.render.output import Output
    from postctl.render.screen import View

__all__ = ["HIGHLIGHT_LIMIT", "NumberedLines", "raw_renderables", "show_source"]

HIGHLIGHT_LIMIT = 256 * 1024
TAB_SIZE = 4
_LEXERS = {"yaml": "yaml", "toml": "toml", "json": "json"}


def raw_renderables(source_text: str, kind: str, fm_lines: int) -> list[RenderableType]:
    """The numbered, sanitised source (see the module docstring)."""
    text = sanitize(source_text.replace("\r\n", "\n"))
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    if len(text) > HIGHLIGHT_LIMIT:
        return [NumberedLines(text.split("\n"))]
    return [NumberedLines(_highlighted(text, _LEXERS.get(kind), fm_lines))]


def _highlighted(text: str, front_lexer: str | None, fm_lines: int) -> list[Text]:
    """The lines of ``text`` as highlighted rich Text: the first ``fm_lines`` lines with
    ``front_lexer`` (none: all Markdown), the others as Markdown."""
    from rich.syntax import Syntax

    split = _line_offset(text, fm_lines) if front_lexer is not None else 0
    lines: list[Text] = []
    for part, lexer in ((text[:split], front_lexer), (text[split:], "markdown")):
        if part and lexer is not None:
            syntax = Syntax(part, lexer, background_color="default", tab_size=TAB_SIZE)
            highlighted = syntax.highlight(part)
            count = part.count("\n") + (0 if part.endswith("\n") else 1)
            lines += highlighted.split("\n", allow_blank=True)[:count]
    return lines


def _line_offset(text: str, lines: int) -> int:
    """Offset just after the ``lines``-th ``\\n`` of ``text`` (or its length)."""
    offset = 0
    for _ in range(lines):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


class NumberedLines:
    """Lines under right-aligned line numbers; a line wider than the console wraps, its
    continuation indented past the numbers."""

    def __init__(self, lines: Sequence[str | Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment
        from rich.style import Style

        digits = len(str(len(self.lines))) + 2
        blank = Segment(" " * (digits + 1))
        number_style = Style(dim=True)
        width = max(1, options.max_width - digits - 1)
        newline = Segment.line()
        for number, line in enumerate(self.lines, 1):
            yield Segment(f"{number:>{digits}} ", number_style)
            for index, piece in enumerate(_wrapped(line, width, console)):
                if index:
                    yield newline
                    yield blank
                yield from piece
            yield newline


def _wrapped(line: str | Text, width: int, console: Console) -> Iterator[list[Segment]]:
    """The segments of each row ``line`` takes at ``width`` cells."""
    from rich.segment import Segment
    from rich.text import Text

    if isinstance(line, str):
        expanded = line.expandtabs(TAB_SIZE)
        if expanded.isascii():
            for row in _ascii_rows(expanded, width):
                yield [Segment(row)]
            return
        text = Text(expanded)
    else:
        text = line
        text.expand_tabs(TAB_SIZE)
    if text.cell_len <= width:
        yield list(text.render(console))
        return
    for wrapped in text.wrap(console, width, overflow="fold", no_wrap=False):
        wrapped.rstrip()
        yield list(wrapped.render(console))


def _ascii_rows(line: str, width: int) -> Iterator[str]:
    """``line`` (one cell a character) in rows of at most ``width``: broken at the last space
    that fits, else at ``width``."""
    while len(line) > width:
        space = line.rfind(" ", 0, width + 1)
        if space > 0:
            yield line[:space]
            line = line[space + 1 :]
        else:
            yield line[:width]
            line = line[width:]
    yield line


def show_source(source: RawSource, out: Output, view: View) -> None:
    """The file as written (``--raw``)."""
    from postctl.render.screen import draw

    draw(raw_renderables(*source), out, view, crop=False)  # its rows fit the width
