"""The facts at the head of a post's preview and HTML page: title, date in the site's time
zone, author, categories, tags, path, URL, word count and reading time, each sanitised to
one line."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postctl.post.words import word_count
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

