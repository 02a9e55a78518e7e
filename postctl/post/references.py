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
import re
from dataclasses import dataclass
from typing import Literal

from postctl.post.codeblocks import masked
from postctl.post.links import clean_target, markdown_links
from postctl.post.liquid import LiquidSpan

__all__ = ["Reference", "ReferenceKind", "find_references"]

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


_REF_TAGS: dict[str, ReferenceKind] = {
    "post_url": "post_url",
    "link": "link",
    "include": "include",
    "include_relative": "include",
}


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
