"""``postctl preview --raw``: a file as written, with its line numbers.

Any file is shown, whether it parses or not: the text is sanitised (terminal escapes in it
become visible, "guarantees: Terminal"), CRLF line ends read as line ends, tabs are expanded,
and long lines wrap under their number. Drawing is linear in the size of the file: a source of
up to :data:`HIGHLIGHT_LIMIT` characters is syntax-highlighted (the front matter as YAML, TOML
or JSON, the rest as Markdown); a longer one is drawn as plain text in batches of rows, as
highlighting, and rich's objects for every piece of text, cost far more than the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from postctl.render.lines import after_lines, iter_lines
from postctl.text.sanitize import sanitize

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.text import Text

    from postctl.lint.preview import RawSource
    from postctl.render.output import Output
    from postctl.render.screen import View

__all__ = ["HIGHLIGHT_LIMIT", "HighlightedLines", "PlainLines", "raw_renderables",
           "show_source"]

HIGHLIGHT_LIMIT = 256 * 1024
TAB_SIZE = 4
_LEXERS = {"yaml": "yaml", "toml": "toml", "json": "json"}


def raw_renderables(source_text: str, kind: str, fm_lines: int) -> list[RenderableType]:
    """The numbered, sanitised source (see the module docstring)."""
    text = sanitize(source_text.replace("\r\n", "\n"))
    if not text:
        return []
    if len(text) > HIGHLIGHT_LIMIT:
        return [PlainLines(text)]
    return [HighlightedLines(_highlighted(text, _LEXERS.get(kind), fm_lines))]


def _highlighted(text: str, front_lexer: str | None, fm_lines: int) -> list[Text]:
    """The lines of ``text`` as highlighted rich Text: the first ``fm_lines`` lines with
    ``front_lexer`` (none: all Markdown), the others as Markdown."""
    from rich.syntax import Syntax

    split = after_lines(text, 0, fm_lines) if front_lexer is not None else 0
    lines: list[Text] = []
    for part, lexer in ((text[:split], front_lexer), (text[split:], "markdown")):
        if part and lexer is not None:
            syntax = Syntax(part, lexer, background_color="default", tab_size=TAB_SIZE)
            highlighted = syntax.highlight(part)
            count = part.count("\n") + (0 if part.endswith("\n") else 1)
            lines += highlighted.split("\n", allow_blank=True)[:count]
    return lines


def _gutter(lines: int) -> int:
    """The width of the numbers of ``lines`` lines."""
    return len(str(lines)) + 2


class HighlightedLines:
    """Highlighted lines under dimmed right-aligned numbers; a line wider than the console
    wraps at words, its continuation indented past the numbers."""

    def __init__(self, lines: Sequence[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment
        from rich.style import Style

        digits = _gutter(len(self.lines))
        blank = Segment(" " * (digits + 1))
        number_style = Style(dim=True)
        width = max(1, options.max_width - digits - 1)
        newline = Segment.line()
        for number, line in enumerate(self.lines, 1):
            yield Segment(f"{number:>{digits}}" + (" " if line.plain else ""), number_style)
            line.expand_tabs(TAB_SIZE)
            rows = [line] if line.cell_len <= width else \
                line.wrap(console, width, overflow="fold", no_wrap=False)
            for index, row in enumerate(rows):
                if index:
                    yield newline
                    yield blank
                row.rstrip()
                yield from row.render(console)
            yield newline


class PlainLines:
    """Lines of a long text under right-aligned numbers, without colour; a line wider than
    the console wraps (ASCII at spaces, other text at the width). Drawn in batches of rows,
    as plain text: rich keeps few objects for it, whatever the number of lines."""

    BATCH = 2000  # lines a segment holds

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        count = self.text.count("\n") + (0 if self.text.endswith("\n") else 1)
        digits = _gutter(count)
        width = max(1, options.max_width - digits - 1)
        indent = "\n" + " " * (digits + 1)
        batch: list[str] = []
        for number, line in enumerate(iter_lines(self.text), 1):
            fits = len(line) <= width and line.isascii() and "\t" not in line
            shown = line if fits else indent.join(_rows(line, width))
            batch.append(f"{number:>{digits}} {shown}".rstrip() + "\n")
            if len(batch) == self.BATCH:
                yield Segment("".join(batch))
                batch.clear()
        if batch:
            yield Segment("".join(batch))


def _rows(line: str, width: int) -> Iterator[str]:
    """The rows ``line`` takes at ``width`` cells, tabs expanded."""
    from rich.cells import cell_len, chop_cells

    line = line.expandtabs(TAB_SIZE)
    if line.isascii():
        yield from _ascii_rows(line, width)
    elif cell_len(line) <= width:
        yield line
    else:
        yield from chop_cells(line, width)


def _ascii_rows(line: str, width: int) -> Iterator[str]:
    """``line`` (one cell a character) in rows of at most ``width``: broken at the last space
    that fits, else at ``width``."""
    start = 0
    while len(line) - start > width:
        space = line.rfind(" ", start, start + width + 1)
        if space > start:
            yield line[start:space]
            start = space + 1
        else:
            yield line[start : start + width]
            start += width
    yield line[start:]


def show_source(source: RawSource, out: Output, view: View) -> None:
    """The file as written (``--raw``)."""
    from postctl.render.screen import draw

    draw(raw_renderables(*source), out, view, fitted=True)
