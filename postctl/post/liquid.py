"""Find the references a post body makes: Jekyll Liquid tags and outputs, Markdown links and images.

The scan is textual and fast (no Markdown parser): it is meant for lint checks over whole sites
and for preview. Positions are file positions: ``line`` counts from the file's first line
(the caller passes the line where the body starts), ``col`` is the 1-based character column.

Ignored, as their content is shown or kept literally:
- ``{% raw %}...{% endraw %}`` and ``{% comment %}...{% endcomment %}`` (Liquid level);
- fenced code blocks (````` ``` ````` or ``~~~``), ``{% highlight %}`` blocks, inline code spans.

A Markdown link or image whose target holds a Liquid tag (``[a]({% post_url x %})``) is
reported through the tag itself (kind ``post_url``/``link``), not as a ``markdown_link``.
``{{ site.baseurl }}`` and ``{{ site.url }}`` prefixes are stripped from Markdown targets,
and ``{{ '/path' | relative_url }}`` gives ``/path``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

__all__ = [
    "LiquidSpan",
    "Reference",
    "ReferenceKind",
    "clean_target",
    "fenced_blocks",
    "find_references",
    "is_site_local",
    "liquid_spans",
    "local_path",
    "markdown_links",
    "masked",
]

ReferenceKind = Literal["post_url", "link", "markdown_link", "markdown_image", "include", "output"]


@dataclass(frozen=True)
class Reference:
    """One reference in a post body.

    ``target``: what it points at (a post_url NAME, a ``{% link %}`` path, a Markdown link or
    image target with site prefixes stripped, an include file, an output expression).
    ``text``: the exact source text. ``label``: the link text or image alt text for Markdown
    references; the tag name as written for Liquid tags (``include_relative``, ``post_url``).
    ``start``/``end``: character offsets of ``text`` within the body.
    """

    kind: ReferenceKind
    target: str
    line: int
    col: int
    text: str
    label: str = ""
    start: int = 0
    end: int = 0


# --- Liquid -----------------------------------------------------------------------------------

# Openers are found with one regex; each closer is found with str.find and remembered, so a
# body full of unclosed ``{{`` stays linear. A construct longer than _MAX_LIQUID is literal text.
_MAX_LIQUID = 2000
_OPENER = re.compile(r"\{[{%]")
_TAG_NAME = re.compile(r"\s*(\w+)")
# Blocks whose content Liquid does not render (raw) or does not output (comment).
_BLOCK_END = {"raw": "endraw", "comment": "endcomment"}
_REF_TAGS: dict[str, ReferenceKind] = {
    "post_url": "post_url",
    "link": "link",
    "include": "include",
    "include_relative": "include",
}


@dataclass(frozen=True)
class LiquidSpan:
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
    pos = 0
    while True:
        opener = _OPENER.search(body, pos)
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
        name = _TAG_NAME.match(inner)
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


# --- code: fenced blocks, highlight blocks, inline code spans ----------------------------------

# One run of blanks before each '>', never two adjacent: a long line of spaces stays linear.
_FENCE_OPEN = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})(.*)$")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Longest code span, link text or link target searched for: keeps hostile bodies linear.
_MAX_SPAN = 4000


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
    length within the same paragraph (and _MAX_SPAN characters); an unclosed run is literal."""
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
        limit = min(breaks[after] if after < len(breaks) else len(text), end + _MAX_SPAN)
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


# --- Markdown links and images ------------------------------------------------------------------

_REFERENCE_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.MULTILINE
)
_SITE_PREFIX = re.compile(r"^(?:\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\})+")
_URL_FILTER = re.compile(
    r"^\{\{-?\s*(['\"])(?P<path>[^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}$"
)


_BRACKET_TOKENS = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.DOTALL)
# A link destination: <angle brackets>, or text without spaces (one level of parentheses,
# whole Liquid tags and outputs allowed), then an optional title, then ``)``.
_DESTINATION = re.compile(
    r"""\([ \t]*(?:<(?P<angle>[^<>\n]*)>|(?P<bare>(?:\{\{[^{}]{0,300}\}\}|\{%[^%]{0,300}%\}"""
    r"""|\\.|[^\s()\\{]|\{(?![{%])|\((?:\\.|[^\s()\\])*\))*))"""
    r"""\s*(?:(?<=\s)(?:"[^"]*"|'[^']*'|\([^()]*\))\s*)?\)""",
    re.DOTALL,
)


def _bracket_pairs(text: str) -> list[tuple[int, int]]:
    """Matching ``[``/``]`` offsets (escapes skipped; a blank line closes nothing), by opening."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for token in _BRACKET_TOKENS.finditer(text):
        char = token.group()
        if char == "[":
            stack.append(token.start())
        elif char == "]":
            if stack:
                pairs.append((stack.pop(), token.start()))
        elif char[0] == "\n":
            stack.clear()
    pairs.sort()
    return pairs


def clean_target(target: str) -> str:
    """A Markdown target without ``<>``, site prefixes, or a ``relative_url`` wrapper."""
    target = target.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1]
    wrapped = _URL_FILTER.match(target)
    if wrapped:
        return wrapped.group("path")
    return _SITE_PREFIX.sub("", target)


_Link = tuple[ReferenceKind, int, int, tuple[int, int], tuple[int, int]]


def markdown_links(text: str) -> Iterator[_Link]:
    """(kind, start, end, target span, label span) for inline links, images and reference
    definitions, in no particular order; pass the :func:`masked` text to skip code."""
    for definition in _REFERENCE_DEFINITION.finditer(text):
        yield ("markdown_link", definition.start("label") - 1, definition.end(),
               definition.span("target"), definition.span("label"))
    for opening, closing in _bracket_pairs(text):
        destination = _DESTINATION.match(text, closing + 1, min(len(text), closing + _MAX_SPAN))
        if destination is None:
            continue
        group = "angle" if destination.group("angle") is not None else "bare"
        image = opening > 0 and text[opening - 1] == "!"
        start = opening - 1 if image else opening
        kind: ReferenceKind = "markdown_image" if image else "markdown_link"
        yield kind, start, destination.end(), destination.span(group), (opening + 1, closing)


# --- public API --------------------------------------------------------------------------------


class _Lines:
    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.first_line = first_line

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


def find_references(body: str, body_line: int = 1) -> list[Reference]:
    """Every reference in ``body`` in source order (see the module docstring for the rules)."""
    if "[" not in body and "{" not in body:
        return []
    text, spans = masked(body)
    lines = _Lines(body, body_line)
    found: list[Reference] = []

    def add(kind: ReferenceKind, target: str, start: int, end: int, label: str) -> None:
        line, col = lines.position(start)
        found.append(Reference(kind, target, line, col, body[start:end], label, start, end))

    for span in spans:
        if span.kind == "output":
            add("output", span.argument, span.start, span.end, "")
        elif span.kind in _REF_TAGS:
            add(_REF_TAGS[span.kind], _tag_target(span), span.start, span.end, span.kind)
    if "[" in text:
        for kind, start, end, target_span, label_span in markdown_links(text):
            target = clean_target(body[target_span[0] : target_span[1]])
            if "{%" in target:
                continue  # reported through the tag
            add(kind, target, start, end, body[label_span[0] : label_span[1]])
    found.sort(key=lambda ref: (ref.start, ref.end))
    return found


def _tag_target(span: LiquidSpan) -> str:
    if span.kind.startswith("include"):
        return span.argument.split(None, 1)[0] if span.argument else ""
    return span.argument


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_site_local(target: str) -> bool:
    """Whether ``target`` names a file or page of the site itself.

    False for URLs with a scheme (``https:``, ``mailto:``, ``data:``...), protocol-relative
    ``//host`` URLs, pure ``#anchors``, ``?queries``, empty targets and targets that still
    hold Liquid (they cannot be checked without rendering).
    """
    target = target.strip()
    if not target or target.startswith(("#", "?", "//")):
        return False
    if "{{" in target or "{%" in target:
        return False
    return _SCHEME.match(target) is None


def local_path(target: str) -> str:
    """The path part of a site-local target: no ``#fragment`` or ``?query``, percent-decoded."""
    path = re.split(r"[?#]", target.strip(), maxsplit=1)[0]
    return unquote(path)
