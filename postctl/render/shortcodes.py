"""Hugo shortcodes in the preview (``render.prepare`` on a Hugo site): what each one is
shown as, never its raw braces.

``ref``/``relref`` become the target page's title and URL (or are marked broken);
``figure`` an image with its caption; ``highlight`` a fenced code block; ``youtube`` a link
to the video; ``details`` its summary, then its content; ``param`` the value of the page's
(or the site's) parameter. Any other shortcode is a marked placeholder naming it: a
paired one shows ``[shortcode: name]``, its content, then ``[end of shortcode: name]``.
An escaped shortcode (``{{</* x */>}}``) shows the text Hugo prints (``{{< x >}}``). In code
(fenced blocks, code spans) shortcodes are left as written, escaped ones unescaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from postctl.post.shortcodes import Shortcode, pairs_of, shortcodes
from postctl.render.inserts import Insert, InsertKind, image_insert
from postctl.render.urls import url_kind
from postctl.text.sanitize import one_line, sanitize_line

if TYPE_CHECKING:
    from postctl.site.references import Resolver

__all__ = ["Part", "ShortcodeEdit", "ref_insert", "shortcode_edits"]

Part = str | Callable[[], Insert]  # text written as it is, or an insert made when drawn
ShortcodeEdit = tuple[int, int, Sequence[Part]]
_YOUTUBE = "https://www.youtube.com/watch?v="


def shortcode_edits(text: str, blank: str, resolver: Resolver,
                    ) -> tuple[list[ShortcodeEdit], str]:
    """What replaces each shortcode of ``text`` (``blank``: the text with its code blanked,
    as ``post.codeblocks.masked`` gives it), and ``blank`` with the content of ``highlight``
    blocks blanked too (it is code: no link or image in it is read)."""
    tags = shortcodes(text)
    if not tags:
        return [], blank
    edits: list[ShortcodeEdit] = []
    outside = [tag for tag in tags if blank[tag.start] == "{"]
    for tag in tags:
        if tag.escaped:
            edits.append((tag.start, tag.end, [_unescaped(text, tag)]))
    pairs = pairs_of([tag for tag in outside if not tag.escaped])
    code: list[tuple[int, int]] = []
    for tag in outside:
        if tag.escaped or tag.closing:
            continue
        closing = pairs.get(tag.start)
        if tag.name == "highlight" and closing is not None:
            edits += _highlight(text, tag, closing)
            code.append((tag.end, closing.start))
        elif closing is not None:
            opening, end = _paired(tag, text)
            edits.append((tag.start, tag.end, opening))
            edits.append((closing.start, closing.end, end))
        else:
            edits.append((tag.start, tag.end, _single(tag, text, resolver)))
    paired_ends = {closing.start for closing in pairs.values()}
    for tag in outside:
        if tag.closing and not tag.escaped and tag.start not in paired_ends:
            edits.append((tag.start, tag.end, [_placeholder(f"end of shortcode: {tag.name}")]))
    return edits, _blanked(blank, code)


def _single(tag: Shortcode, text: str, resolver: Resolver) -> list[Part]:
    """A shortcode without content."""
    if tag.name in ("ref", "relref"):
        target = tag.argument("path")
        if target is not None:
            return [partial(ref_insert, "ref", target.value, f'{tag.name} "{target.value}"',
                            resolver)]
    elif tag.name == "figure":
        return _figure(tag, resolver)
    elif tag.name == "youtube":
        video = tag.argument("id")
        if video is not None and video.value.replace("-", "").replace("_", "").isalnum():
            title = tag.argument("title", None)
            shown = title.value if title is not None else f"YouTube video {video.value}"
            return [partial(Insert, "ref", one_line(text[tag.start:tag.end]),
                            _YOUTUBE + video.value, one_line(shown))]
    elif tag.name == "param":
        name = tag.argument("name")
        if name is not None:
            return [partial(_param, name.value, resolver)]
    return [_placeholder(f"shortcode: {tag.name}")]


def _paired(tag: Shortcode, text: str) -> tuple[list[Part], list[Part]]:
    """What opens and what closes a shortcode with content."""
    if tag.name == "details":
        summary = tag.argument("summary", None)
        shown = summary.value if summary is not None else "Details"
        return ["**", _text(f"▸ {shown}"), "**\n"], [""]
    return ([_placeholder(f"shortcode: {tag.name}")],
            [_placeholder(f"end of shortcode: {tag.name}")])


def _highlight(text: str, opening: Shortcode, closing: Shortcode) -> Iterator[ShortcodeEdit]:
    language = opening.argument("lang")
    code = text[opening.end:closing.start]
    longest = max((len(run) for run in code.split("\n") if set(run.strip()) == {"`"}),
                  default=0)
    fence = "`" * max(3, longest + 1)
    name = language.value if language is not None and language.value.isidentifier() else ""
    before = "" if opening.start == 0 or text[opening.start - 1] == "\n" else "\n"
    after = "" if text.startswith("\n", opening.end) else "\n"
    yield opening.start, opening.end, [f"{before}{fence}{name}{after}"]
    before = "" if text[closing.start - 1 : closing.start] == "\n" else "\n"
    yield closing.start, closing.end, [f"{before}{fence}"]


def _figure(tag: Shortcode, resolver: Resolver) -> list[Part]:
    src = tag.argument("src", None)
    if src is None:
        return [_placeholder("shortcode: figure (no src)")]
    words = [argument.value for name in ("alt", "caption", "title")
             if (argument := tag.argument(name, None)) is not None and argument.value.strip()]
    parts: list[Part] = [partial(image_insert, words[0] if words else "", src.value, resolver)]
    captions = list(dict.fromkeys(words[1:]))
    if captions:
        parts += [" ", _text("— " + " — ".join(captions))]
    return parts


def ref_insert(kind: InsertKind, target: str, written: str, resolver: Resolver) -> Insert:
    """A ``ref``/``relref`` in running text (``kind`` ``ref``) or as a Markdown link's
    target (``target``): the page's title and URL, or broken (``written`` names it:
    ``ref "path"``)."""
    found = resolver.ref(target)
    if found is None:
        return Insert(kind, one_line(written), broken=True)
    url = found.url if found.url and url_kind(found.url) != "unsafe" else None
    if url and "#" in target:
        url += "#" + target.split("#", 1)[1]
    return Insert(kind, one_line(written), sanitize_line(url) if url else None,
                  sanitize_line(found.title) if found.title else None, draft=found.draft)


def _param(name: str, resolver: Resolver) -> Insert:
    value = resolver.param(name)
    if value is None or isinstance(value, (dict, list)):
        return Insert("shortcode", f"param: {name} (not set)")
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return Insert("text", one_line(sanitize_line(shown)))


def _placeholder(label: str) -> Callable[[], Insert]:
    return partial(Insert, "shortcode", one_line(label))


def _text(words: str) -> Callable[[], Insert]:
    return partial(Insert, "text", one_line(words))


def _unescaped(text: str, tag: Shortcode) -> str:
    """The text Hugo prints for an escaped shortcode: its tag without ``/*`` and ``*/``."""
    written = text[tag.start:tag.end]
    opening = written.index("/*")
    closing = written.rindex("*/")
    return written[:opening] + written[opening + 2:closing] + written[closing + 2:]


def _blanked(blank: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return blank
    chars = list(blank)
    for start, end in spans:
        for index in range(start, end):
            if chars[index] not in "\r\n":
                chars[index] = " "
    return "".join(chars)
