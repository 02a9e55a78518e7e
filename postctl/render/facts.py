"""The facts at the head of a post's preview and HTML page: title, date in the site's time
zone, author, categories, tags, path, URL, word count and reading time, each sanitised to
one line."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postctl.post.links import markdown_links
from postctl.post.liquid import liquid_spans
from postctl.text.sanitize import one_line, sanitize_line

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

__all__ = ["PreviewFacts", "facts", "format_date", "reading_minutes", "word_count"]

WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class PreviewFacts:
    title: str
    rows: tuple[tuple[str, str], ...]  # label, value (sanitised)
    draft: bool
    words: int
    minutes: int


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


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def format_date(moment: dt.datetime, tz: dt.tzinfo) -> str:
    local = moment.astimezone(tz)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def facts(post: Post, site: Site, url: str | None = None) -> PreviewFacts:
    """The header of a post's preview, every value sanitised to one line."""
    rows: list[tuple[str, str]] = []
    if post.date is not None:
        when = format_date(post.date, site.tz)
        if post.date_origin == "filename":
            when += " (from the file name)"
        rows.append(("Date", when))
    elif post.date_error:
        rows.append(("Date", f"invalid: {post.date_error}"))
    if post.authors:
        rows.append(("Author", ", ".join(post.authors)))
    if post.categories:
        rows.append(("Categories", ", ".join(post.categories)))
    if post.tags:
        rows.append(("Tags", ", ".join(post.tags)))
    rows.append(("Path", post.rel_path))
    if url:
        rows.append(("URL", url))
    words = word_count(post.body)
    minutes = reading_minutes(words)
    rows.append(("Length", f"{words} word{'' if words == 1 else 's'}, {minutes} min read"))
    return PreviewFacts(
        title=sanitize_line(one_line(post.title or "")) or "(untitled)",
        rows=tuple((label, sanitize_line(value)) for label, value in rows),
        draft=post.draft,
        words=words,
        minutes=minutes,
    )

