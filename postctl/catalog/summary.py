"""A post as ``postctl list`` reports it: the JSON item contract, and back from index rows.

The item of ``list --format json``, in this key order::

    path          relative to the site root, '/'-separated
    slug          the post's slug (front matter ``slug``, else from the file name)
    url           derived as Jekyll/Hugo would (postctl.site.urls), or null
    title         string or null
    date          ISO 8601 with its offset (naive dates take the site's time zone), or null
    tags          list of strings, however the file wrote them
    categories    list of strings (Jekyll: folder categories first)
    author        the first author, or null
    draft         boolean
    kind          "post" (Jekyll); Hugo: "page", "section" or "home"
    publish_date  Hugo's publishDate (ISO 8601), or null
    expiry_date   Hugo's expiryDate (ISO 8601), or null
    future        boolean: dated after now (Hugo: its publishDate)
    front_matter  every key as written; dates as ISO strings

A :class:`Summary` holds these facts once, for the files read directly and for rows read
back from the site index alike, so both paths give equal results. Front matter is
stored as JSON by the one mapping of :mod:`postctl.text.jsonvalues`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from postctl.text.jsonvalues import json_dumps

try:  # the C string encoder behind json.dumps(..., ensure_ascii=False)
    from _json import encode_basestring as _encode_string
except ImportError:  # pragma: no cover - an interpreter without the C accelerator
    from json.encoder import py_encode_basestring as _encode_string

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

ITEM_KEYS = (
    "path", "slug", "url", "title", "date", "tags", "categories", "author", "draft", "kind",
    "publish_date", "expiry_date", "future", "front_matter",
)
HEAD_KEYS = ITEM_KEYS[:-2]  # stored pre-rendered; future and front_matter are added at output


def casefold_all(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The keys case-insensitive matching compares (tags, categories, authors)."""
    return tuple(dict.fromkeys(item.casefold() for item in items))


@dataclass(frozen=True)
class Summary:
    """The facts of one post that listing, filtering and sorting read."""

    path: str  # relative to the site root, '/'-separated
    slug: str
    url: str | None
    title: str | None
    date_iso: str | None
    epoch: float | None  # the date as a POSIX timestamp
    day: str | None  # the date's calendar day in the site's time zone (YYYY-MM-DD)
    draft: bool
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    fm_json: str  # the front matter as written, as JSON
    defaults_json: str | None = None  # the Jekyll ``defaults:`` (Hugo ``cascade``) values
    kind: str = "post"  # Hugo: "page" | "section" | "home"
    publish_iso: str | None = None  # Hugo's publishDate
    publish_epoch: float | None = None
    expiry_iso: str | None = None  # Hugo's expiryDate
    expiry_epoch: float | None = None
    listed: bool = True  # Hugo lists it (not headless, not build.list never)

    @property
    def author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @cached_property
    def date(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.date_iso) if self.date_iso else None

    @cached_property
    def front_matter(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.fm_json)
        return value

    @cached_property
    def values(self) -> dict[str, Any]:
        """The front matter Jekyll sees: ``defaults:`` merged under the file's own keys."""
        if self.defaults_json is None:
            return self.front_matter
        defaults: dict[str, Any] = json.loads(self.defaults_json)
        return {**defaults, **self.front_matter}

    @cached_property
    def head_json(self) -> str:
        """The item's JSON up to ``draft``, without the closing brace."""
        return item_head(self)

    def future(self, now: float) -> bool:
        if self.kind != "post":  # Hugo: by its publishDate
            return self.publish_epoch is not None and self.publish_epoch > now
        return self.epoch is not None and self.epoch > now

    def expired(self, now: float) -> bool:
        return self.expiry_epoch is not None and self.expiry_epoch < now

    def item(self, now: float) -> dict[str, Any]:
        """The JSON item (see the module docstring), with JSON-ready values."""
        return {
            "path": self.path,
            "slug": self.slug,
            "url": self.url,
            "title": self.title,
            "date": self.date_iso,
            "tags": list(self.tags),
            "categories": list(self.categories),
            "author": self.author,
            "draft": self.draft,
            "kind": self.kind,
            "publish_date": self.publish_iso,
            "expiry_date": self.expiry_iso,
            "future": self.future(now),
            "front_matter": self.front_matter,
        }

    def item_json(self, now: float) -> bytes:
        """``json_dumps(self.item(now))`` as UTF-8, built from the stored pre-rendered parts."""
        return join_item(self.head_json.encode(), self.future(now), self.fm_json.encode())

    def field(self, name: str, now: float) -> Any:
        """A column of ``--fields``: an item key, else a front-matter value (or None)."""
        if name in _ITEM_FIELDS:
            return _ITEM_FIELDS[name](self, now)
        return lookup(self.values, name)


_ITEM_FIELDS: dict[str, Callable[[Summary, float], Any]] = {
    "path": lambda s, now: s.path,
    "slug": lambda s, now: s.slug,
    "url": lambda s, now: s.url,
    "title": lambda s, now: s.title,
    "date": lambda s, now: s.date,
    "tags": lambda s, now: list(s.tags),
    "categories": lambda s, now: list(s.categories),
    "author": lambda s, now: s.author,
    "authors": lambda s, now: list(s.authors),
    "draft": lambda s, now: s.draft,
    "kind": lambda s, now: s.kind,
    "publish_date": lambda s, now: _moment(s.publish_iso),
    "expiry_date": lambda s, now: _moment(s.expiry_iso),
    "future": lambda s, now: s.future(now),
    "front_matter": lambda s, now: s.front_matter,
}


def _moment(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso) if iso else None


def check_fields(names: Sequence[str], summaries: Sequence[Summary],
                 option: str = "--fields", kind: str = "field") -> None:
    """Refuse a ``--fields`` column (or the key of ``option``) that is neither an item key
    nor a front-matter key of any of ``summaries`` (with none, every name is accepted:
    there is nothing to check against). The message lists the valid names and the one
    probably meant."""
    if not summaries:
        return
    from postctl.errors import UsageError
    from postctl.text.names import unknown_name

    for name in names:
        if name in _ITEM_FIELDS or any(_present(s.values, name) for s in summaries):
            continue
        keys = sorted({key for s in summaries for key in s.values} - set(_ITEM_FIELDS))
        raise UsageError(f"{option}: " + unknown_name(kind, name, [*_ITEM_FIELDS, *keys]))


def is_item_field(name: str) -> bool:
    """Whether ``name`` is a key of every item (path, title, date...), not front matter."""
    return name in _ITEM_FIELDS


def _present(values: Mapping[str, Any], key: str) -> bool:
    if key in values:
        return True
    *parents, last = key.split(".")
    current = lookup(values, ".".join(parents)) if parents else values
    return isinstance(current, Mapping) and last in current


def lookup(values: Mapping[str, Any], key: str) -> Any:
    """``values[key]``; a dotted key (``author.name``) reaches into nested mappings."""
    if key in values:
        return values[key]
    current: Any = values
    for part in key.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def item_head(summary: Summary) -> str:
    """``json_dumps`` of the item's keys up to ``expiry_date``, without the closing brace.

    Built from JSON-encoded strings directly (the C string encoder ``json.dumps`` itself
    uses), which is several times faster than dumping a dict; a test holds them equal.
    """
    return _head(summary.path, summary.slug, summary.url, summary.title, summary.date_iso,
                 json_strings(summary.tags), json_strings(summary.categories), summary.author,
                 summary.draft, summary.kind, summary.publish_iso, summary.expiry_iso)


def _head(path: str, slug: str, url: str | None, title: str | None, date_iso: str | None,
          tags_json: str, categories_json: str, author: str | None, draft: bool,
          kind: str, publish_iso: str | None, expiry_iso: str | None) -> str:
    from postctl.text.sanitize import escape_json_text

    return escape_json_text(
        f'{{"path": {_text(path)}, "slug": {_text(slug)}, "url": {_text(url)}, '
        f'"title": {_text(title)}, "date": {_text(date_iso)}, "tags": {tags_json}, '
        f'"categories": {categories_json}, "author": {_text(author)}, '
        f'"draft": {"true" if draft else "false"}, "kind": {_text(kind)}, '
        f'"publish_date": {_text(publish_iso)}, "expiry_date": {_text(expiry_iso)}'
    )


def _text(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def json_strings(items: tuple[str, ...] | list[str]) -> str:
    """``json.dumps(list(items), ensure_ascii=False)`` for a list of strings, faster."""
    return "[" + ", ".join(map(_encode_string, items)) + "]"


_FUTURE = {True: b', "future": true, "front_matter": ',
           False: b', "future": false, "front_matter": '}


def join_item(head: bytes, future: bool, fm_json: bytes) -> bytes:
    """A post's JSON item (UTF-8) from its pre-rendered head (up to "expiry_date"), whether
    it is in the future, and its front matter as JSON. Bytes, as the site index gives them:
    a listing of thousands of posts is joined and written without decoding a character."""
    return b"".join((head, _FUTURE[future], fm_json, b"}"))


# --- from a parsed post -----------------------------------------------------------------


def summarize(post: Post, site: Site, defaults: Mapping[str, Any] | None = None) -> Summary:
    """The Summary of a parsed post; ``defaults`` are its Jekyll ``defaults:`` values."""
    if defaults is None:
        defaults = _defaults_of(post, site)
    return Summary(*_facts(post, site, defaults))


def _facts(post: Post, site: Site, defaults: Mapping[str, Any]) -> tuple[Any, ...]:
    """The fields of the post's Summary, in their order."""
    from postctl.site.urls import post_url

    date = post.date
    if date is None:
        date_iso = epoch = day = None
    else:
        date_iso, epoch = date.isoformat(), date.timestamp()
        day = date.astimezone(site.tz).date().isoformat()
    publish, expiry = post.publish_date, post.expiry_date
    return (
        post.rel_path, post.slug, post_url(post, site, defaults=defaults), post.title,
        date_iso, epoch, day, post.draft, post.tags, post.categories, post.authors,
        json_dumps(post.metadata.values), json_dumps(defaults) if defaults else None,
        post.kind, publish.isoformat() if publish else None,
        publish.timestamp() if publish else None, expiry.isoformat() if expiry else None,
        expiry.timestamp() if expiry else None, post.listed,
    )


def row_values(post: Post, site: Site, defaults: Mapping[str, Any]) -> tuple[Any, ...]:
    """The site index's columns of a parsed post, from ``title`` to ``item`` (in the order of
    ``index._ROW_COLUMNS``): what ``summarize`` gives, without building a Summary."""
    (path, slug, url, title, date_iso, epoch, day, draft, tags, categories, authors, fm_json,
     defaults_json, kind, publish_iso, publish_epoch, expiry_iso, expiry_epoch,
     listed) = _facts(post, site, defaults)
    tags_json, categories_json = json_strings(tags), json_strings(categories)
    head = _head(path, slug, url, title, date_iso, tags_json, categories_json,
                 authors[0] if authors else None, draft, kind, publish_iso, expiry_iso)
    return (
        title, slug, url, date_iso, epoch, day, int(draft), tags_json, categories_json,
        json_strings(authors), json_keys(tags), json_keys(categories), json_keys(authors),
        fm_json, defaults_json, head, kind, publish_iso, publish_epoch, expiry_iso,
        expiry_epoch, int(listed),
    )


def json_keys(items: tuple[str, ...]) -> str:
    """The case-folded names as a JSON list (what ``query`` matches tags and the like in)."""
    return json_strings([item.casefold() for item in items]) if items else "[]"


def _defaults_of(post: Post, site: Site) -> Mapping[str, Any]:
    if not site.config.jekyll_defaults and site.flavour != "hugo":
        return {}
    from postctl.site.scan import PostLoader

    return PostLoader(site).context(post.path).defaults
