"""Text measured as a terminal shows it: by display cells, not characters (a CJK character
or an emoji takes two cells, a combining mark none), with rich's own cell widths (loaded
only for text that is not ASCII). Padding,
cutting and shortening for tables and aligned plain text."""

from __future__ import annotations

__all__ = ["ELLIPSIS", "cell_len", "cut", "middle_cut", "pad"]

ELLIPSIS = "…"


def cell_len(text: str) -> int:
    """The cells ``text`` takes in a terminal. ASCII text (sanitised: no control
    characters) takes one a character, without loading rich: a listing in a pipe stays
    cheap to start."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len as cells

    return cells(text)


def set_cell_size(text: str, width: int) -> str:
    """``text`` cut or padded with spaces to exactly ``width`` cells."""
    if text.isascii():
        return text[:width].ljust(width)
    from rich.cells import set_cell_size as sized

    return sized(text, width)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces to ``width`` cells (as ``str.ljust`` for characters)."""
    return text + " " * max(0, width - cell_len(text))


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: cut at the end with an ellipsis when longer."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def middle_cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, its middle replaced by an ellipsis (a path keeps
    its first folders and its file name)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail = (width - 1) // 2 + (width - 1) % 2
    head = width - 1 - tail
    start = set_cell_size(text, head).rstrip(" ")
    end = _last_cells(text, tail)
    return start + ELLIPSIS + end


def _last_cells(text: str, width: int) -> str:
    """The end of ``text`` that fits ``width`` cells (a wide character that would be split
    is left out)."""
    taken = 0
    index = len(text)
    while index > 0:
        size = cell_len(text[index - 1])
        if taken + size > width:
            break
        taken += size
        index -= 1
    return text[index:]
