"""How many words a reader sees in a post's body: the one count behind ``preview``'s word
count and reading time and ``stats``' words per post."""

from __future__ import annotations

import re

from postctl.post.links import markdown_links
from postctl.post.liquid import liquid_spans

__all__ = ["word_count"]

_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")


def word_count(body: str) -> int:
    """Words a reader sees: Liquid, link targets and HTML tags left out; words as search
    counts them. Linear in the size of the body."""
    from postctl.text.textify import count_words

    cut = [(span.start, span.end) for span in liquid_spans(body)
           if span.inner is None or span.kind == "comment"]
    cut += [target for _kind, _start, _end, target, _label in markdown_links(body)]
    cut += [match.span() for match in _HTML_TAG.finditer(body)]
    kept: list[str] = []
    pos = 0
    for start, end in sorted(cut):
        if end > pos:
            kept += [body[pos:start], " "] if start > pos else [" "]
            pos = end
    kept.append(body[pos:])
    return count_words("".join(kept))
