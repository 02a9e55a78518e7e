"""A post's body made ready for markdown-it, for the terminal preview and the HTML page.

:func:`prepare` sanitises the body (docs/guarantees.md, Terminal: controls and escape sequences
become visible escapes) and replaces Jekyll/Liquid constructs and images by placeholders: a
``{% post_url %}``/``{% link %}`` becomes the target post's title and URL (or is marked
broken), ``{% include %}``, ``{{ site.x }}`` and other tags are kept as dimmed text,
``{% raw %}`` blocks show their content, ``{% comment %}`` blocks disappear and
``{% highlight %}`` blocks become fenced code blocks. Placeholders use Unicode
noncharacters (U+FDD0, U+FDD1), which the body cannot contain after preparation; a Markdown
link target holding Liquid becomes ``postctl-<nonce>:<n>``. Each renderer turns the
placeholders back into its own output (:func:`split_placeholders`); inside raw HTML they
read as written (:func:`as_written`, :func:`plain_text`).

A target that may not become a link (``render.urls``: another scheme than http, https or
mailto, or a path that leaves the site) is marked ``refused`` with the reason, and each
renderer shows it as text; :meth:`Prepared.refusal` judges the targets markdown-it finds.
"""

from __future__ import annotations

import bisect
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from postctl.post.codeblocks import fenced_blocks, masked
from postctl.post.links import clean_target, is_site_local, markdown_links
from postctl.post.liquid import LiquidSpan, liquid_spans
from postctl.render.inserts import Insert, InsertKind, Inserts, image_insert
from postctl.render.urls import Refusal, url_kind
from postctl.text.sanitize import one_line, sanitize, sanitize_line

if TYPE_CHECKING:

    from postctl.site.references import Resolver, Target

__all__ = [
    "CLOSE",
    "OPEN",
    "Insert",
    "InsertKind",
    "Inserts",
    "Prepared",
    "as_written",
    "plain_text",
    "prepare",
    "split_placeholders",
]

OPEN, CLOSE = "\ufdd0", "\ufdd1"
_PLACEHOLDER = re.compile(OPEN + r"(\d+)" + CLOSE)


@dataclass(frozen=True)
class Prepared:
    """A body ready for markdown-it: text with placeholders, what they stand for, and the
    nonce of link-target placeholders (``postctl-<nonce>:<n>``)."""

    markdown: str
    inserts: Sequence[Insert]
    resolver: Resolver = field(compare=False, repr=False)
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))

    @property
    def target_prefix(self) -> str:
        return f"postctl-{self.nonce}:"

    def target_of(self, href: str) -> Insert | None:
        """The insert a rewritten link target stands for, or None for an ordinary link."""
        if not href.startswith(self.target_prefix):
            return None
        index = href[len(self.target_prefix) :]
        if not index.isdigit() or int(index) >= len(self.inserts):
            return None
        return self.inserts[int(index)]

    def refusal(self, url: str) -> Refusal | None:
        """Why ``url`` may not become a link or an image source, or None when it may."""
        return refusal(url, self.resolver)

    def image(self, alt: str, src: str) -> Insert:
        """The insert for an image markdown-it found (one this preparation did not)."""
        return image_insert(alt, src, self.resolver)


def refusal(url: str, resolver: Resolver) -> Refusal | None:
    """``unsafe`` for a scheme other than http, https and mailto; ``outside`` for a site
    path that leaves the site; None for a target that may become a link."""
    kind = url_kind(url)
    if kind == "unsafe":
        return "unsafe"
    if kind == "site" and is_site_local(url) and resolver.leaves_site(url):
        return "outside"
    return None


_REF_TAGS = ("post_url", "link")


Edit = tuple[int, int, "Callable[[], str]"]  # start, end, what replaces the span (lazily)


def prepare(body: str, resolver: Resolver) -> Prepared:
    """Sanitise ``body`` and replace Liquid constructs (on a Hugo site: shortcodes, as
    ``render.shortcodes`` shows them) and images by placeholders.

    Nested constructs (a Liquid output inside an image source) are replaced by the outer
    one; references are resolved only when a renderer reads their insert (:class:`Inserts`).
    """
    text = sanitize(body.replace("\r\n", "\n"))
    text = text.replace(OPEN, "\\ufdd0").replace(CLOSE, "\\ufdd1")
    spans = [] if resolver.hugo else liquid_spans(text)  # Hugo runs shortcodes, not Liquid
    blank, kept = masked(text, spans)
    makers: list[Callable[[], Insert]] = []
    nonce = secrets.token_hex(6)
    edits: list[Edit] = []

    def placeholder(make: Callable[[], Insert]) -> Callable[[], str]:
        def replace() -> str:
            makers.append(make)
            return f"{OPEN}{len(makers) - 1}{CLOSE}"
        return replace

    if resolver.hugo:
        from postctl.render.shortcodes import Part, shortcode_edits

        def joined(parts: Sequence[Part]) -> Callable[[], str]:
            return lambda: "".join(part if isinstance(part, str) else placeholder(part)()
                                   for part in parts)

        found, blank = shortcode_edits(text, blank, resolver)

    def target(written: str) -> Callable[[], str]:
        def replace() -> str:
            makers.append(partial(_link_target, written, resolver))
            return f"postctl-{nonce}:{len(makers) - 1}"
        return replace

    for kind, start, end, (t_start, t_end), (l_start, l_end) in markdown_links(blank):
        written = text[t_start:t_end]
        if kind == "markdown_image":
            alt = text[l_start:l_end]
            edits.append((start, end, placeholder(partial(image_insert, alt, written, resolver))))
        elif "{" in written:
            edits.append((t_start, t_end, target(written)))
    if resolver.hugo:  # after the link targets: a target that is a ref stays one target
        edits += [(start, end, joined(parts)) for start, end, parts in found]
    for start, end, replacement in _block_edits(text, spans, list(fenced_blocks(blank))):
        edits.append((start, end, partial(str, replacement)))
    for span in kept:
        source = text[span.start : span.end]
        if span.kind in _REF_TAGS:
            make = partial(_ref, "ref", source, span, resolver)
            edits.append((span.start, span.end, placeholder(make)))
        elif span.kind not in ("highlight", "endhighlight"):
            make = partial(Insert, "liquid", one_line(source))
            edits.append((span.start, span.end, placeholder(make)))
    return Prepared(_apply(text, edits), Inserts(makers), resolver, nonce)


def _resolve_tag(span: LiquidSpan, resolver: Resolver) -> Target | None:
    if span.kind == "post_url":
        return resolver.post_url(span.argument)
    return resolver.link(span.argument)


def _ref(kind: InsertKind, source: str, span: LiquidSpan, resolver: Resolver) -> Insert:
    if span.kind == "link" and resolver.leaves_site("/" + span.argument.strip().lstrip("/")):
        return Insert(kind, one_line(source), broken=True, refused="outside")
    resolved = _resolve_tag(span, resolver)
    if resolved is None:
        return Insert(kind, one_line(source), broken=True)
    return Insert(kind, one_line(source),
                  sanitize_line(resolved.url) if resolved.url else None,
                  sanitize_line(one_line(resolved.title)) if resolved.title else None,
                  draft=resolved.draft)


def _link_target(written: str, resolver: Resolver) -> Insert:
    """A Markdown link target holding Liquid (or a Hugo ``ref``): the tag it uses, resolved,
    or the cleaned text."""
    if resolver.hugo:
        from postctl.post.shortcodes import ref_shortcodes
        from postctl.render.shortcodes import ref_insert

        for ref in ref_shortcodes(written):
            return ref_insert("target", ref.target, f'{ref.kind} "{ref.target}"', resolver)
    inner = liquid_spans(written)
    for span in inner:
        if span.kind in _REF_TAGS:
            return _ref("target", written, span, resolver)
    url = one_line(clean_target(written))
    return Insert("target", one_line(written), url, refused=refusal(url, resolver))


def _block_edits(
    text: str, spans: list[LiquidSpan], fences: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str]]:
    """raw blocks show their content, comment blocks vanish, highlight blocks become fences."""
    starts = [start for start, _end in fences]  # fences do not overlap: sorted by start

    def in_fence(offset: int) -> bool:
        index = bisect.bisect_right(starts, offset) - 1
        return index >= 0 and offset < fences[index][1]

    opened: LiquidSpan | None = None
    for span in spans:
        # Liquid runs before Markdown: raw and comment blocks act inside code blocks too.
        if span.kind == "raw" and span.inner is not None:
            yield span.start, span.end, text[span.inner[0] : span.inner[1]]
        elif span.kind == "comment":
            yield span.start, span.end, ""
        elif in_fence(span.start):
            continue
        elif span.kind == "highlight" and opened is None:
            opened = span
        elif span.kind == "endhighlight" and opened is not None:
            yield from _highlight_fence(text, opened, span)
            opened = None


def _highlight_fence(
    text: str, opening: LiquidSpan, closing: LiquidSpan
) -> Iterator[tuple[int, int, str]]:
    code = text[opening.end : closing.start]
    longest = max((len(run) for run in re.findall("`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    language = opening.argument.split()[0] if opening.argument.split() else ""
    before = "" if opening.start == 0 or text[opening.start - 1] == "\n" else "\n"
    after = "" if text.startswith("\n", opening.end) else "\n"
    yield opening.start, opening.end, f"{before}{fence}{language}{after}"
    before = "" if text[closing.start - 1 : closing.start] == "\n" else "\n"
    yield closing.start, closing.end, f"{before}{fence}"


def _apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; of two overlapping ones, the one that starts first
    (the outer one, for nested constructs) wins."""
    edits.sort(key=lambda edit: (edit[0], -edit[1]))
    parts: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        if start < pos:
            continue
        parts.append(text[pos:start])
        parts.append(replacement())
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def split_placeholders(text: str, prepared: Prepared) -> Iterator[str | Insert]:
    """``text`` as plain strings and the inserts its placeholders stand for, in order."""
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        index = int(match.group(1))
        if index >= len(prepared.inserts):
            continue
        if match.start() > pos:
            yield text[pos : match.start()]
        yield prepared.inserts[index]
        pos = match.end()
    if pos < len(text):
        yield text[pos:]


def as_written(insert: Insert) -> str:
    """An insert inside raw HTML: a resolved reference is its URL (``<a href="{% post_url x
    %}">`` reads as on the site), an image its Markdown, anything else the Liquid as written."""
    if insert.kind == "ref" and insert.url and not insert.broken:
        return insert.url
    if insert.kind == "image":
        return f"![{insert.text}]({insert.url or ''})"
    if insert.kind == "shortcode":
        return f"[{insert.text}]"
    return insert.text


def plain_text(text: str, prepared: Prepared) -> str:
    """Raw HTML with its placeholders filled in (see :func:`as_written`)."""
    return "".join(part if isinstance(part, str) else as_written(part)
                   for part in split_placeholders(text, prepared))
