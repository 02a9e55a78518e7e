"""The Markdown parser of the terminal preview and the HTML page.

markdown-it as rich configures it (CommonMark with tables and strikethrough), with two
changes:

- the parser accepts every link and image target, so that each one reaches the renderers,
  which decide what may become a link (``render.urls``) and show the rest as text;
- a table keeps at most ``rows`` rows: the rows after them are counted, not parsed, and a
  ``postctl_more_rows`` token (``meta["rows"]``: how many) follows the table. Counting
  follows markdown-it's own rule for where a table ends, so the count is exact.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import table as table_rule
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, getLine

if TYPE_CHECKING:
    from markdown_it.rules_block.state_block import StateBlock

__all__ = ["MORE_ROWS", "cells", "parser"]

MORE_ROWS = "postctl_more_rows"


class _Parser(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True  # every target reaches the renderers, which judge it (render.urls)


def parser(*, rows: int, html: bool = True) -> MarkdownIt:
    """A parser whose tables keep at most ``rows`` rows; raw HTML is parsed when ``html``
    (else it stays text)."""
    md = _Parser("commonmark", {"html": html}).enable(["table", "strikethrough"])
    md.block.ruler.at("table", partial(_table, rows), {"alt": ["paragraph", "reference"]})
    return md


def _table(rows: int, state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, stopped after ``rows`` rows; the rows it skips are counted."""
    if silent:
        return table_rule(state, start, end, True)
    first = len(state.tokens)
    limit = min(end, start + 2 + rows)
    if not table_rule(state, start, limit, False):
        return False
    if state.line < limit:
        return True
    last = _last_row(state, start, state.line, end)
    if last > state.line:
        more = state.push(MORE_ROWS, "", 0)
        more.meta = {"rows": last - state.line}
        more.map = [state.line, last]
        opening = state.tokens[first].map
        if opening is not None:
            opening[1] = last
        state.line = last
    return True


def _last_row(state: StateBlock, start: int, line: int, end: int) -> int:
    """The line after the table whose header is on ``start`` and whose rows go on at
    ``line``: where markdown-it's table rule would have stopped."""
    terminators = state.md.block.ruler.getRules("blockquote")
    columns = cells(mdTrim(getLine(state, start)))
    missing = sum(columns - cells(mdTrim(getLine(state, row))) for row in range(start + 2, line))
    parent, state.parentType = state.parentType, "table"
    try:
        while line < end:
            if state.sCount[line] < state.blkIndent:
                break
            if any(rule(state, line, end, True) for rule in terminators):
                break
            text = mdTrim(getLine(state, line))
            if not text or state.is_code_block(line):
                break
            missing += columns - cells(text)
            if missing > MAX_AUTOCOMPLETED_CELLS:
                break
            line += 1
    finally:
        state.parentType = parent
    return line


def cells(row: str) -> int:
    """How many cells markdown-it splits a (trimmed) table row into: ``|`` separates cells
    unless a backslash precedes it; a ``|`` at either end opens or closes the row."""
    if not row:
        return 0
    count = row.count("|") - row.count("\\|") + 1
    if row.startswith("|"):
        count -= 1
    if count and row.endswith("|") and not row.endswith("\\|"):
        count -= 1
    return count
