"""The text of a post body that is code or never rendered: ``{% raw %}`` and
``{% comment %}`` blocks (Liquid level), fenced code blocks (````` ``` ````` or ``~~~``),
``{% highlight %}`` blocks and inline code spans; :func:`masked` blanks them out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from postctl.post.liquid import LiquidSpan, liquid_spans

__all__ = ["MAX_SPAN", "fenced_blocks", "masked"]

# One run of blanks before each '>', never two adjacent: a long line of spaces stays linear.
_FENCE_OPEN = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})(.*)$")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Longest code span, link text or link target searched for: keeps hostile bodies linear.
MAX_SPAN = 4000


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] not in "\r\n":
            chars[index] = " "


def fenced_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fences included; unclosed ones run to the end."""
    offset = 0
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE_OPEN.match(line.rstrip("\r\n"))
        if opening is None or (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            offset += len(line)
            index += 1
            continue
        fence = opening.group(1)
        start = offset
        offset += len(line)
        index += 1
        closing = re.compile(r"^[ \t]*(?:>[ \t]*)*" + re.escape(fence[0]) + "{"
                             + str(len(fence)) + r",}[ \t]*$")
        while index < len(lines):
            line = lines[index]
            offset += len(line)
            index += 1
            if closing.match(line.rstrip("\r\n")):
                break
        yield start, offset


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of inline code spans: a backtick run closed by the next run of the same
    length within the same paragraph (and MAX_SPAN characters); an unclosed run is literal."""
    breaks = [match.start() for match in _BLANK_LINE.finditer(text)]
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(text)]
    by_size: dict[int, list[int]] = {}
    for start, end in runs:
        by_size.setdefault(end - start, []).append(start)
    pos = 0
    for start, end in runs:
        if start < pos or (start > 0 and text[start - 1] == "\\"):
            continue
        after = bisect.bisect_left(breaks, end)
        limit = min(breaks[after] if after < len(breaks) else len(text), end + MAX_SPAN)
        same = by_size[end - start]
        index = bisect.bisect_left(same, end)
        if index < len(same) and same[index] < limit:
            pos = same[index] + (end - start)
            yield start, pos


def masked(body: str, spans: list[LiquidSpan] | None = None) -> tuple[str, list[LiquidSpan]]:
    """The body with raw/comment blocks, fenced and highlight blocks and code spans blanked
    (same length, newlines kept), and the Liquid spans found outside them.

    ``spans``: the body's :func:`liquid_spans`, when the caller has them already.
    """
    chars = list(body)
    spans = liquid_spans(body) if spans is None else spans
    kept: list[LiquidSpan] = []
    for span in spans:
        if span.inner is not None:
            _blank(chars, span.start, span.end)
    text = "".join(chars)
    code: list[tuple[int, int]] = list(fenced_blocks(text))
    code.extend(_highlight_blocks(spans))
    for start, end in code:
        _blank(chars, start, end)
    text = "".join(chars)
    spans_code = list(_code_spans(text))
    for start, end in spans_code:
        _blank(chars, start, end)
    code.extend(spans_code)
    code.sort()
    for span in spans:
        if span.inner is None and not _inside(code, span.start):
            kept.append(span)
    return "".join(chars), kept


def _highlight_blocks(spans: list[LiquidSpan]) -> Iterator[tuple[int, int]]:
    opened: LiquidSpan | None = None
    for span in spans:
        if span.kind == "highlight" and opened is None:
            opened = span
        elif span.kind == "endhighlight" and opened is not None:
            yield opened.start, span.end
            opened = None


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    index = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= offset < ranges[index][1]
