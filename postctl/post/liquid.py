"""Liquid in a post body: every tag, output and raw/comment block, found textually.

The scan is linear on any body: openers are found with one regex, each closer with
``str.find`` (remembered), and a construct longer than :data:`_MAX_LIQUID` characters is
literal text. Text inside ``{% raw %}`` and ``{% comment %}`` blocks is not scanned.

Every lint imports this module, so it is cheap to import: spans are NamedTuples, and the
patterns are compiled (and cached by re) for the first body that holds Liquid.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["LiquidSpan", "liquid_spans"]

# Openers are found with one regex; each closer is found with str.find and remembered, so a
# body full of unclosed ``{{`` stays linear. A construct longer than _MAX_LIQUID is literal text.
_MAX_LIQUID = 2000
_OPENER = r"\{[{%]"
_TAG_NAME = r"\s*(\w+)"
# Blocks whose content Liquid does not render (raw) or does not output (comment).
_BLOCK_END = {"raw": "endraw", "comment": "endcomment"}


class LiquidSpan(NamedTuple):
    """A Liquid construct in a body: ``kind`` is the tag name, ``"output"`` for ``{{ }}``,
    or ``"raw"``/``"comment"`` for a whole block (``inner`` is then the block's content)."""

    kind: str
    start: int
    end: int
    argument: str  # tag argument or output expression, stripped
    inner: tuple[int, int] | None = None  # content span of a raw/comment/highlight block


def liquid_spans(body: str) -> list[LiquidSpan]:
    """Every Liquid tag, output and raw/comment block, in order; text inside raw and comment
    blocks is not scanned. An unclosed raw/comment block runs to the end of the body."""
    spans: list[LiquidSpan] = []
    if "{%" not in body and "{{" not in body:
        return spans
    closers = {"{{": _Closer(body, "}}"), "{%": _Closer(body, "%}")}
    openers, tag_name = re.compile(_OPENER), re.compile(_TAG_NAME)
    pos = 0
    while True:
        opener = openers.search(body, pos)
        if opener is None:
            return spans
        start = opener.start()
        close = closers[opener.group()].find(start + 2)
        if close < 0 or close - start > _MAX_LIQUID:
            pos = start + 1
            continue
        end = close + 2
        inner = _strip_dashes(body[start + 2 : close])
        if opener.group() == "{{":
            spans.append(LiquidSpan("output", start, end, inner.strip()))
            pos = end
            continue
        name = tag_name.match(inner)
        if name is None:
            pos = end
            continue
        argument = inner[name.end() :].strip()
        block_end = _BLOCK_END.get(name.group(1))
        if block_end is None:
            spans.append(LiquidSpan(name.group(1), start, end, argument))
            pos = end
            continue
        closing = _block_closing(block_end).search(body, end)
        inner_end = closing.start() if closing else len(body)
        block_stop = closing.end() if closing else len(body)
        spans.append(LiquidSpan(name.group(1), start, block_stop, argument, (end, inner_end)))
        pos = block_stop


def _strip_dashes(inner: str) -> str:
    """Liquid's whitespace control: ``{%- x -%}`` and ``{{- x -}}``."""
    if inner.startswith("-"):
        inner = inner[1:]
    if inner.endswith("-"):
        inner = inner[:-1]
    return inner


class _Closer:
    """The first ``token`` at or after an offset, remembering the last answer."""

    def __init__(self, text: str, token: str) -> None:
        self.text = text
        self.token = token
        self.asked = -1
        self.found = -1

    def find(self, offset: int) -> int:
        if self.asked >= 0 and self.asked <= offset and (self.found < 0 or self.found >= offset):
            return self.found
        self.asked = offset
        self.found = self.text.find(self.token, offset)
        return self.found


@functools.cache
def _block_closing(name: str) -> re.Pattern[str]:
    return re.compile(r"\{%-?\s*" + name + r"\s*-?%\}")
