"""The part of a body a renderer draws, parsed.

Drawing costs grow with what is drawn (markdown-it keeps state for every line, rich wraps
every line and lays out every table cell), so a renderer draws at most ``Limits.lines`` lines
and ``Limits.chars`` characters of a body, and at most ``Limits.rows`` rows of a table; what
is left out is counted, and the renderer says so where it is left out. The whole body is
read in linear time; only the part drawn is parsed.

The body is cut at a line break, at a blank line where one is near. A table the cut falls in
is drawn from its start as any other table, and its rows after the cut are counted in slices
of :data:`SLICE` lines, so memory stays bounded however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postctl.render.lines import after_lines
from postctl.render.markdown import MORE_ROWS, parser

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["PAGE", "TERMINAL", "Limits", "Parsed", "hidden_note", "more_rows", "parse_window"]

SLICE = 5000  # lines of a long table parsed at a time


@dataclass(frozen=True)
class Limits:
    """At most ``lines`` lines and ``chars`` characters of a body, ``rows`` rows a table."""

    lines: int
    chars: int
    rows: int


TERMINAL = Limits(lines=3000, chars=256 * 1024, rows=100)
PAGE = Limits(lines=20000, chars=16 * 1024 * 1024, rows=2000)


@dataclass(frozen=True)
class Parsed:
    """The tokens of the part drawn, and how much of the body comes after it (not drawn)."""

    tokens: list[Token]
    hidden_lines: int = 0
    hidden_chars: int = 0


def more_rows(rows: int) -> str:
    """What a renderer writes under a table it shortened."""
    return f"… {rows:,} more row{_plural(rows)} not shown (postctl preview --raw shows them)"


def hidden_note(parsed: Parsed) -> str | None:
    """What a renderer writes where it cut the body (None: it did not)."""
    if not parsed.hidden_lines:
        return None
    lines, chars = parsed.hidden_lines, parsed.hidden_chars
    return (f"{lines:,} more line{_plural(lines)} of the body ({chars:,} character"
            f"{_plural(chars)}) not shown (postctl preview --raw shows them)")


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def parse_window(markdown: str, limits: Limits, *, html: bool = True) -> Parsed:
    """Parse what is drawn of ``markdown``: see the module docstring."""
    md = parser(rows=limits.rows, html=html)
    end = cut(markdown, limits)
    env: dict[str, Any] = {}
    tokens = md.parse(markdown[:end], env)
    if end < len(markdown):
        last = _last_block(tokens)
        if last is not None and tokens[last].type == "table_open" and \
                _ends_at(tokens[last], markdown.count("\n", 0, end)):
            start = after_lines(markdown, 0, _start_line(tokens[last]))
            table, end = _whole_table(markdown, start, md, env, limits.rows)
            tokens[last:] = table
    rest = markdown[end:]
    if not rest.strip():
        return Parsed(tokens)
    lines = rest.count("\n") + (0 if rest.endswith("\n") else 1)
    return Parsed(tokens, lines, len(rest))


def cut(text: str, limits: Limits) -> int:
    """Where to cut ``text``: after at most ``limits.lines`` lines and ``limits.chars``
    characters; at a blank line in the last quarter of that, else at a line break, else (one
    long line) at a space; never inside a placeholder of ``render.prepare``."""
    end = min(after_lines(text, 0, limits.lines), limits.chars)
    if end >= len(text):
        return len(text)
    blank = text.rfind("\n\n", end - end // 4, end)
    if blank >= 0:
        return blank + 2
    newline = text.rfind("\n", 0, end)
    if newline >= 0:
        return newline + 1
    space = text.rfind(" ", 0, end)
    return _outside_placeholder(text, space + 1 if space > 0 else end)


def _outside_placeholder(text: str, end: int) -> int:
    from postctl.render.prepare import CLOSE, OPEN

    opening = text.rfind(OPEN, 0, end)
    return opening if opening > text.rfind(CLOSE, 0, end) else end


def _last_block(tokens: list[Token]) -> int | None:
    """The index of the last block that opens at the top level."""
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index].level == 0 and tokens[index].nesting == 1:
            return index
    return None


def _start_line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _ends_at(token: Token, line: int) -> bool:
    return token.map is not None and token.map[1] >= line


def _whole_table(
    markdown: str, start: int, md: MarkdownIt, env: dict[str, Any], rows: int
) -> tuple[list[Token], int]:
    """The tokens of the table at offset ``start`` (its first ``rows`` rows, and a count of
    the others) and the offset just after it."""
    head_end = after_lines(markdown, start, 2)
    head = markdown[start:head_end]
    end = after_lines(markdown, head_end, rows + SLICE)
    tokens = md.parse(markdown[start:end], env)
    kept = tokens[: _table_end(tokens)]
    pos = after_lines(markdown, head_end, _table_rows(tokens))
    if pos < end or end >= len(markdown):
        return kept, pos
    # Each slice is the header and the next rows: a table is counted as markdown-it reads it,
    # except that its limit on missing cells (65,536) applies to each slice on its own.
    counter = parser(rows=0, html=False)
    hidden = 0
    while True:
        end = after_lines(markdown, pos, SLICE)
        rows_here = _table_rows(counter.parse(head + markdown[pos:end]))
        hidden += rows_here
        pos = after_lines(markdown, pos, rows_here)
        if pos < end or end >= len(markdown):
            break
    for token in kept:
        if token.type == MORE_ROWS:
            token.meta["rows"] += hidden
    return kept, pos


def _table_rows(tokens: list[Token]) -> int:
    """How many rows (shown or counted) the table opening ``tokens`` has."""
    if not tokens or tokens[0].type != "table_open" or tokens[0].map is None:
        return 0
    return max(0, tokens[0].map[1] - tokens[0].map[0] - 2)


def _table_end(tokens: list[Token]) -> int:
    """The index after the table opening ``tokens`` and its count of more rows."""
    for index, token in enumerate(tokens):
        if token.type == "table_close" and token.level == 0:
            if index + 1 < len(tokens) and tokens[index + 1].type == MORE_ROWS:
                return index + 2
            return index + 1
    return len(tokens)
