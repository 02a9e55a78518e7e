"""Lines of a long text, found without splitting the text (a list of every line of a post of
millions of short lines would take many times the post's size)."""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["after_lines", "iter_lines"]


def after_lines(text: str, start: int, lines: int) -> int:
    """The offset after ``lines`` line breaks from ``start`` (or the length of ``text``)."""
    offset = start
    for _ in range(lines):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def iter_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, without their ``\\n``; a final ``\\n`` ends the last line."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1
