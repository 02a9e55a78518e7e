"""Facts about posts for the site-wide rules: from a parsed post, from a site-index row, and
``MemoryFacts``, the rules' questions (``rules.base.SiteFacts``) answered over a list of them
(every post read from the files, or every row of the index)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from postctl.lint.rules.base import KeyKind, PostFact, TermField
from postctl.lint.rules.keys import normalize_url, published_title_key, url_key
from postctl.post.taxonomy import variant_key

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

# The columns of the site index's ``posts`` table that fact_of_row reads, in its order.
FACT_COLUMNS = ("posts.path, posts.title, posts.date, posts.slug, posts.tags, "
                "posts.categories, posts.url, posts.draft")


def fact_of(post: Post, site: Site, now: dt.datetime,
            defaults: Mapping[str, Any] | None = None) -> PostFact:
    return PostFact(
        rel_path=post.rel_path,
        title=post.title,
        date=post.date,
        slug=post.slug,
        tags=post.tags,
        categories=post.categories,
        url=post_url(post, site, defaults),
        published=not post.draft,
        future=post.date is not None and post.date > now,
    )


def fact_of_row(row: Sequence[Any], now: dt.datetime,
                terms: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> PostFact:
    """The facts of a post from the :data:`FACT_COLUMNS` of its site-index row (``terms``:
    its tags and categories when already known)."""
    path, title, date_iso, slug, tags, categories, url, draft = row
    date = dt.datetime.fromisoformat(date_iso) if date_iso else None
    tag_list, category_list = terms or (string_list(tags), string_list(categories))
    return PostFact(path, title, date, slug, tag_list, category_list, url, not draft,
                    date is not None and date > now)


def string_list(text: str) -> tuple[str, ...]:
    """A JSON array of strings (as the index stores tags) as a tuple."""
    return () if text == "[]" else tuple(json.loads(text))


def post_url(post: Post, site: Site, defaults: Mapping[str, Any] | None = None) -> str | None:
    """The URL Jekyll (or Hugo) publishes the post at, or None when it cannot be derived."""
    from postctl.site import urls
    try:
        return urls.post_url(post, site, defaults=defaults)
    except Exception:  # a URL that cannot be derived is simply unknown
        return None


_KEYS: dict[str, Callable[[PostFact], str | None]] = {
    "url": url_key, "title": published_title_key}


class MemoryFacts:
    """``SiteFacts`` over the facts of every post of the site; groups are built on first use."""

    def __init__(self, facts: Iterable[PostFact]) -> None:
        self.by_path = {fact.rel_path: fact for fact in facts}
        self._groups: dict[str, dict[str, list[str]]] = {}
        self._spellings: dict[str, dict[str, Counter[str]]] = {}
        self._by: dict[str, dict[str, list[PostFact]]] = {}
        self._urls: frozenset[str] | None = None

    def fact(self, rel_path: str) -> PostFact | None:
        return self.by_path.get(rel_path)

    def sharing(self, kind: KeyKind, keys: Collection[str]) -> dict[str, list[str]]:
        groups = self._groups.get(kind)
        if groups is None:
            key = _KEYS[kind]
            found: dict[str, list[str]] = {}
            for fact in self.by_path.values():
                name = key(fact)
                if name is not None:
                    found.setdefault(name, []).append(fact.rel_path)
            groups = self._groups[kind] = {k: v for k, v in found.items() if len(v) > 1}
        return {key: groups[key] for key in keys if key in groups}

    def spellings(self, field: TermField, variants: Collection[str]) -> dict[str, Counter[str]]:
        groups = self._spellings.get(field)
        if groups is None:
            counts: Counter[str] = Counter()
            for fact in self.by_path.values():
                terms = fact.tags if field == "tags" else fact.categories
                counts.update(set(terms) if len(terms) > 1 else terms)
            groups = self._spellings[field] = variant_groups(counts.items())
        return {key: groups[key] for key in variants if key in groups}

    def named(self, stem: str) -> list[PostFact]:
        return self._index("stem").get(stem, [])

    def with_slug(self, slug: str) -> list[PostFact]:
        return self._index("slug").get(slug, [])

    def _index(self, attribute: str) -> dict[str, list[PostFact]]:
        found = self._by.get(attribute)
        if found is None:
            found = self._by[attribute] = {}
            for path in sorted(self.by_path):
                fact = self.by_path[path]
                found.setdefault(getattr(fact, attribute), []).append(fact)
        return found

    def has_url(self, url_key: str) -> bool:
        if self._urls is None:
            self._urls = frozenset(normalize_url(fact.url) for fact in self.by_path.values()
                                   if fact.url)
        return url_key in self._urls


def variant_groups(counts: Iterable[tuple[str, int]]) -> dict[str, Counter[str]]:
    """Spelling counts grouped by variant key: only keys written in several ways."""
    groups: dict[str, Counter[str]] = {}
    for term, count in counts:
        groups.setdefault(variant_key(term), Counter())[term] = count
    return {key: group for key, group in groups.items() if len(group) > 1}


def rest_of_site(site: Site, skip: Collection[str], now: dt.datetime) -> list[PostFact]:
    """Facts about every post not in ``skip``, read from the files."""
    from postctl.errors import SourceError
    from postctl.lint.targets import relative
    from postctl.site.scan import PostLoader, iter_post_files, scan_posts

    files = [item for item in iter_post_files(site) if relative(site, item.path) not in skip]
    loader = PostLoader(site)
    return [fact_of(post, site, now, loader.context(post.path).defaults)
            for post in scan_posts(site, files) if not isinstance(post, SourceError)]
