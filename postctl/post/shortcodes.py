"""Hugo shortcodes in a post body: every shortcode tag (:func:`shortcodes`), and the
``ref`` and ``relref`` ones: which page each names, and where that name is written.

A tag is ``{{< name args >}}`` or ``{{% name args %}}``, closed by ``{{< /name >}}`` when
paired, or self-closing (``{{< name />}}``); arguments are positional or ``key=value``,
each quoted with ``"`` (backslash escapes), backquotes, or bare. An escaped tag
(``{{</* ref "x" */>}}``) shows its text and does nothing. Hugo expands shortcodes inside
fenced code too, so code is not skipped. The scan is linear on any body: each closer is
found with ``str.find`` (remembered), and a tag longer than 4,000 characters is text.

``{{< ref "posts/my-post.md" >}}``, ``{{% relref "my-post" %}}``, ``{{< ref path="x.md" >}}``:
which page a path names (:func:`names_page`), as Hugo's page lookup does it: the fragment
(``#part``) aside and case ignored, a path starting with ``/`` is read from the content
folder; any other path from the referring page's folder first, then from the content
folder; a path without ``/`` may also be a page's file name or bundle folder name. The
extension may be left out, and a bundle is named by its folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple

__all__ = ["Argument", "RefShortcode", "Shortcode", "code_blocks", "lookup_keys", "names_page",
           "page_keys", "pairs_of", "ref_shortcodes", "shortcodes"]

_OPENER = re.compile(r"\{\{([<%])")
_NAME = re.compile(r"\s*(/?)\s*([\w][\w.\-/]*)")
_ARGUMENT = re.compile(
    r"\s*(?:([\w-]+)\s*=\s*)?(?:\"((?:[^\"\\]|\\.)*)\"|`([^`]*)`|([^\s\"`]+))")
_MAX_TAG = 4000
_EXTENSIONS = (".md", ".markdown")
_BUNDLE_INDEXES = ("index", "_index")


@dataclass(frozen=True)
class RefShortcode:
    """One ``ref``/``relref`` in a body: the path as written and its span in the body."""

    kind: str  # "ref" | "relref"
    target: str
    start: int
    end: int


class Argument(NamedTuple):
    """An argument's value as written (quotes off, escapes kept) and its span in the body."""

    value: str
    start: int
    end: int


class Shortcode(NamedTuple):
    """One shortcode tag: its name, span, delimiter (``<`` or ``%``), arguments, and
    whether it closes a pair, closes itself, or is escaped (shown as text)."""

    name: str
    start: int
    end: int
    delimiter: str
    positional: tuple[Argument, ...] = ()
    named: tuple[tuple[str, Argument], ...] = ()
    closing: bool = False
    self_closing: bool = False
    escaped: bool = False

    def argument(self, name: str, position: int | None = 0) -> Argument | None:
        """The named argument, else the positional one at ``position`` (None: named only)."""
        for key, value in self.named:
            if key == name:
                return value
        if position is None or position >= len(self.positional):
            return None
        return self.positional[position]


def shortcodes(body: str) -> list[Shortcode]:
    """Every shortcode tag of ``body``, in order."""
    if "{{<" not in body and "{{%" not in body:
        return []
    found: list[Shortcode] = []
    closers: dict[str, tuple[int, int]] = {}  # closer -> (asked from, found at)
    pos = 0
    while True:
        opener = _OPENER.search(body, pos)
        if opener is None:
            return found
        delimiter = opener[1]
        closer = (">" if delimiter == "<" else "%") + "}}"
        asked, at = closers.get(closer, (-1, -1))
        if not (0 <= asked <= opener.end() and (at < 0 or at >= opener.end())):
            at = body.find(closer, opener.end())
            closers[closer] = (opener.end(), at)
        if at < 0 or at + 3 - opener.start() > _MAX_TAG:
            pos = opener.start() + 1
            continue
        tag = _tag(body, opener.start(), opener.end(), at, delimiter)
        if tag is not None:
            found.append(tag)
        pos = at + 3


def _tag(body: str, start: int, inner: int, close: int, delimiter: str) -> Shortcode | None:
    """The tag from ``start`` whose text runs from ``inner`` to its closer at ``close``."""
    end = close + 3
    text = body[inner:close]
    escaped = text.lstrip().startswith("/*") and text.rstrip().endswith("*/")
    if escaped:
        inner += text.index("/*") + 2
        close = inner + len(body[inner:close].rstrip()[:-2])
        text = body[inner:close]
    self_closing = text.rstrip().endswith("/")
    if self_closing:
        close = inner + len(text.rstrip()) - 1
        text = body[inner:close]
    name = _NAME.match(text)
    if name is None:
        return None
    positional: list[Argument] = []
    named: list[tuple[str, Argument]] = []
    offset = inner + name.end()
    while offset < close:
        argument = _ARGUMENT.match(body, offset, close)
        if argument is None:
            break
        group = next(index for index in (2, 3, 4) if argument[index] is not None)
        value = Argument(argument[group], argument.start(group), argument.end(group))
        if argument[1] is not None:
            named.append((argument[1], value))
        else:
            positional.append(value)
        offset = argument.end()
    return Shortcode(name[2], start, end, delimiter, tuple(positional), tuple(named),
                     bool(name[1]), self_closing, escaped)


def pairs_of(tags: Sequence[Shortcode]) -> dict[int, Shortcode]:
    """Each opening tag's closing tag (by the opening's start): the nearest open one of the
    same name, as nested pairs close."""
    found: dict[int, Shortcode] = {}
    opened: list[Shortcode] = []
    for tag in tags:
        if tag.self_closing:
            continue
        if not tag.closing:
            opened.append(tag)
            continue
        for index in range(len(opened) - 1, -1, -1):
            if opened[index].name == tag.name:
                found[opened.pop(index).start] = tag
                break
    return found


def code_blocks(body: str) -> list[tuple[int, int]]:
    """The content spans of paired ``highlight`` shortcodes: code, not Markdown."""
    if "highlight" not in body:
        return []
    tags = [tag for tag in shortcodes(body) if tag.name == "highlight" and not tag.escaped]
    openings = {tag.start: tag for tag in tags}
    return [(openings[start].end, closing.start) for start, closing in pairs_of(tags).items()]


def ref_shortcodes(body: str) -> list[RefShortcode]:
    """Every ``ref`` and ``relref`` shortcode of ``body``, in order."""
    if "ref" not in body:
        return []
    found = []
    for tag in shortcodes(body):
        if tag.name in ("ref", "relref") and not tag.closing and not tag.escaped:
            target = tag.argument("path")
            if target is not None:
                found.append(RefShortcode(tag.name, target.value, target.start, target.end))
    return found


def page_keys(content_path: str) -> tuple[str, str]:
    """A page's logical path (from the content folder, no extension, a bundle by its
    folder) and its base name, both case-folded."""
    path = PurePosixPath(content_path)
    logical = path.with_suffix("") if path.suffix in _EXTENSIONS else path
    if logical.name in _BUNDLE_INDEXES and logical.parent != PurePosixPath("."):
        logical = logical.parent
    text = logical.as_posix().casefold()
    return text, logical.name.casefold()


def names_page(target: str, page: str, referrer: str) -> bool:
    """Whether ``target``, written in the page at ``referrer``, names the page at ``page``
    (both paths from the content folder)."""
    logical, name = page_keys(page)
    paths, by_name = lookup_keys(target, referrer)
    return logical in paths or (by_name is not None and by_name == name)


def lookup_keys(target: str, referrer: str) -> tuple[tuple[str, ...], str | None]:
    """The logical paths (:func:`page_keys`) ``target``, written in the page at ``referrer``,
    may name, and the base name it may name a page by (None: not by name). Nothing for a
    target that is only a fragment (the page itself)."""
    wanted = target.split("#", 1)[0].strip()
    if not wanted:
        return (), None
    if wanted.startswith("/"):
        return (_key(wanted.lstrip("/")),), None
    folder = PurePosixPath(referrer).parent
    paths = (_key(posixpath.normpath((folder / wanted).as_posix())), _key(wanted))
    return paths, (_key(wanted) if "/" not in wanted else None)


def _key(path: str) -> str:
    return page_keys(path)[0]
