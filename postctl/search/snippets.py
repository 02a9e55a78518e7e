"""Search snippets: about two lines of a hit's readable text, around where it matched.

The text is read from the file when the results are shown (the full-text index keeps no copy
of it) and reduced to what a reader sees (:func:`postctl.text.textify.markdown_to_text`); the
search path that found the hit says where its query matched in that text (a highlighter).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from postctl.search.base import Hit, excerpt_of, read_body
from postctl.text.textify import fold, markdown_to_text

if TYPE_CHECKING:
    from postctl.site.model import Site

__all__ = ["SNIPPET_WIDTH", "Highlighter", "Snippets", "Spans", "make_snippet"]

SNIPPET_WIDTH = 160
SNIPPET_SOURCE_LIMIT = 1 << 20  # characters of a body searched for the snippet

Spans = list[tuple[int, int]]
# (hits, their (excerpt, body) texts) → for each hit, the matched spans of excerpt and body
Highlighter = Callable[[list[Hit], list[tuple[str, str]]], list[tuple[Spans, Spans]]]


class Snippets:
    """Snippets for the hits: the readable text of each file, highlighted where it matched."""

    def __init__(self, site: Site, width: int) -> None:
        self.site = site
        self.width = width

    def texts(self, hit: Hit) -> tuple[str, str]:
        """(excerpt, body) as readable text, read now from the file."""
        path = self.site.root / hit.summary.path
        body = read_body(path, self.site.config.limits.max_file_bytes) or ""
        body = body[:SNIPPET_SOURCE_LIMIT]  # a snippet of a huge post comes from its start
        excerpt = excerpt_of(hit.summary.values)
        return markdown_to_text(excerpt), markdown_to_text(body)

    def apply(self, hits: list[Hit], highlight: Highlighter) -> list[Hit]:
        """The hits with their snippets (unchanged when ``width`` is 0)."""
        if not hits or self.width <= 0:
            return hits
        texts = [self.texts(hit) for hit in hits]
        marks = highlight(hits, texts)
        done = []
        for hit, (excerpt, body), (excerpt_spans, body_spans) in zip(hits, texts, marks,
                                                                      strict=True):
            if body_spans:
                text, spans = body, body_spans
            elif excerpt_spans or excerpt:
                text, spans = excerpt, excerpt_spans
            else:
                text, spans = body, []
            snippet, shown = make_snippet(text, spans, self.width)
            done.append(Hit(hit.summary, hit.score, snippet, shown))
        return done


_SPACE_RUN = re.compile(r"\s+")


def make_snippet(text: str, spans: Sequence[tuple[int, int]], width: int = SNIPPET_WIDTH
                 ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``width`` characters of ``text`` around its best highlighted passage.

    The window holding the most distinct highlighted words wins (the earliest on a tie); it is
    cut at word boundaries, whitespace is collapsed to single spaces, and "…" marks a cut.
    Returns the snippet and the highlight spans within it.
    """
    if not text.strip():
        return "", ()
    start, end = _word_bounds(text, *_best_window(text, spans, width))
    pieces: list[str] = []
    shown: list[tuple[int, int]] = []
    length = 0
    cursor = start
    for span_start, span_end in sorted(spans):
        if span_start < cursor or span_end > end:
            continue
        plain = _collapse(text[cursor:span_start])
        marked = _collapse(text[span_start:span_end])
        shown.append((length + len(plain), length + len(plain) + len(marked)))
        pieces += [plain, marked]
        length += len(plain) + len(marked)
        cursor = span_end
    pieces.append(_collapse(text[cursor:end]))
    body = "".join(pieces)
    lead = len(body) - len(body.lstrip())
    prefix = "… " if text[:start].strip() else ""
    suffix = " …" if text[end:].strip() else ""
    shift = len(prefix) - lead
    return prefix + body.strip() + suffix, tuple((a + shift, b + shift) for a, b in shown)


def _collapse(text: str) -> str:
    return _SPACE_RUN.sub(" ", text)


def _best_window(text: str, spans: Sequence[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of ``width`` characters with the most distinct highlighted words."""
    if not spans:
        return 0, min(len(text), width)
    ordered = sorted(spans)[:200]
    lead = width // 4
    best_count, best_start = -1, 0
    for anchor, _ in ordered:
        start = max(0, anchor - lead)
        words = {fold(text[a:b]) for a, b in ordered if a >= start and b <= start + width}
        if len(words) > best_count:
            best_count, best_start = len(words), start
    end = min(len(text), best_start + width)
    return max(0, end - width), end


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Pull the window's ends in to the nearest whitespace, so no word is cut in two."""
    if start > 0 and not text[start - 1].isspace():
        match = _SPACE_RUN.search(text, start, min(end, start + 30))
        if match:
            start = match.end()
    if end < len(text) and not text[end].isspace():
        cut = max(text.rfind(" ", max(start, end - 30), end),
                  text.rfind("\n", max(start, end - 30), end))
        if cut > start:
            end = cut
    return start, end
