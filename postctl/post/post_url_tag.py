"""Jekyll's ``{% post_url NAME %}``: which post a NAME names. One rule for lint, the terminal
preview and the HTML page.

NAME is a post's path under ``_posts`` without its extension: ``2024-01-02-slug``, or with
folders, ``news/2024-01-02-slug`` (a post in ``news/_posts/`` or in ``_posts/news/``); a
leading ``/`` is ignored. Jekyll 4 (its PostComparer) first matches NAME on each post's path
from the site root; when no path matches, it falls back (deprecated, with a warning) to the
first post with NAME's slug and day. A NAME without a date is no post name at all: Jekyll
stops the build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

__all__ = ["Candidate", "Candidates", "PostUrlName", "parse_post_url", "resolve_post_url"]

# Jekyll's PostComparer::MATCHER.
_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")


@dataclass(frozen=True)
class PostUrlName:
    """A parsed NAME: ``folders`` (``""`` or ending with ``/``), ``date`` as written, ``slug``."""

    folders: str
    date: str
    slug: str

    @property
    def stem(self) -> str:
        """The file name without extension that a post matching by path has."""
        return f"{self.date}-{self.slug}"

    @cached_property
    def _path(self) -> re.Pattern[str]:
        folders, stem = re.escape(self.folders), re.escape(self.stem)
        return re.compile(rf"^_posts/{folders}{stem}\.[^.]+|^{folders}_posts/?{stem}\.[^.]+")

    def matches_path(self, rel_path: str) -> bool:
        """Jekyll 4's match: the post at ``rel_path`` (from the site root) is
        ``_posts/FOLDERS/STEM.ext`` or ``FOLDERS/_posts/STEM.ext``."""
        return self._path.match(rel_path) is not None

    def day(self) -> dt.date | None:
        """The day NAME's date means (``2024-1-2`` is 2 January), None when impossible."""
        try:
            year, month, day = (int(part) for part in self.date.split("-"))
            return dt.date(year, month, day)
        except ValueError:
            return None


def parse_post_url(name: str) -> PostUrlName | None:
    """NAME as Jekyll reads it (surrounding blanks and one leading ``/`` dropped), or None
    when it holds no ``YYYY-MM-DD-`` date."""
    text = name.strip()
    found = _NAME.match(text[1:] if text.startswith("/") else text)
    if found is None:
        return None
    return PostUrlName(found[1] or "", found[2], found[3])


class Candidate(Protocol):
    """What the rule reads of a post: a Post, or lint's facts about one."""

    @property
    def rel_path(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def date(self) -> dt.datetime | None: ...


PostT_co = TypeVar("PostT_co", bound=Candidate, covariant=True)


class Candidates(Protocol[PostT_co]):
    """Where the posts a NAME may name are looked up (at least these; others are ignored)."""

    def named(self, stem: str) -> Iterable[PostT_co]:
        """The posts whose file name without its extension is ``stem``, in site order."""
        ...

    def with_slug(self, slug: str) -> Iterable[PostT_co]:
        """The posts whose slug may be ``slug``, in site order."""
        ...


def resolve_post_url(name: str | PostUrlName,
                     candidates: Candidates[PostT_co]) -> tuple[PostT_co, bool] | None:
    """The post NAME names and whether it matched by path (False: by the deprecated slug
    and day fallback); None when NAME names no post, or holds no date."""
    parsed = parse_post_url(name) if isinstance(name, str) else name
    if parsed is None:
        return None
    for post in candidates.named(parsed.stem):
        if parsed.matches_path(post.rel_path):
            return post, True
    day = parsed.day()
    if day is None:
        return None
    for post in candidates.with_slug(parsed.slug):
        if post.slug == parsed.slug and post.date is not None and post.date.date() == day:
            return post, False
    return None
