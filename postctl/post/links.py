"""Markdown links and images in a post body (inline, and reference definitions), and what
their targets name: site prefixes (``{{ site.baseurl }}``, ``{{ '/p' | relative_url }}``)
stripped, site-local or not, the path part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal
from urllib.parse import unquote

from postctl.post.codeblocks import MAX_SPAN

__all__ = ["LinkKind", "clean_target", "is_site_local", "local_path", "markdown_links"]

LinkKind = Literal["markdown_link", "markdown_image"]

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


_Link = tuple[LinkKind, int, int, tuple[int, int], tuple[int, int]]


def markdown_links(text: str) -> Iterator[_Link]:
    """(kind, start, end, target span, label span) for inline links, images and reference
    definitions, in no particular order; pass the :func:`masked` text to skip code."""
    for definition in _REFERENCE_DEFINITION.finditer(text):
        yield ("markdown_link", definition.start("label") - 1, definition.end(),
               definition.span("target"), definition.span("label"))
    for opening, closing in _bracket_pairs(text):
        destination = _DESTINATION.match(text, closing + 1, min(len(text), closing + MAX_SPAN))
        if destination is None:
            continue
        group = "angle" if destination.group("angle") is not None else "bare"
        image = opening > 0 and text[opening - 1] == "!"
        start = opening - 1 if image else opening
        kind: LinkKind = "markdown_image" if image else "markdown_link"
        yield kind, start, destination.end(), destination.span(group), (opening + 1, closing)


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
