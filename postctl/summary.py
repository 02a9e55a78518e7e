"""A post as ``postctl list`` reports it: the JSON item contract, and back from index rows.

The item of ``list --format json``, in this key order::

    path          relative to the site root, '/'-separated
    slug          the post's slug (front matter ``slug``, else from the file name)
    url           derived as Jekyll/Hugo would (postctl.urls), or null
    title         string or null
    date          ISO 8601 with its offset (naive dates take the site's time zone), or null
    tags          list of strings, however the file wrote them
    categories    list of strings (Jekyll: folder categories first)
    author        the first author, or null
    draft         boolean
    future        boolean: dated after now
    front_matter  every key as written; dates as ISO strings

A :class:`Summary` holds these facts once, for the files read directly and for rows read
back from the site index alike, so both paths give equal results. JSON-ready front matter
(:func:`jsonable`) turns dates into ISO strings and NaN/infinity into their YAML spelling
(``.nan``, ``.inf``, ``-.inf``): JSON has no such numbers (G13) and the value is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from postctl.errors import SourceError

try:  # the C string encoder behind json.dumps(..., ensure_ascii=False)
    from _json import encode_basestring as _encode_string
except ImportError:  # pragma: no cover - an interpreter without the C accelerator
    from json.encoder import py_encode_basestring as _encode_string

if TYPE_CHECKING:
    from postctl.post import Post, PostContext
    from postctl.site import Site

ITEM_KEYS = (
    "path", "slug", "url", "title", "date", "tags", "categories", "author", "draft", "future",
    "front_matter",
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
    defaults_json: str | None = None  # the Jekyll ``defaults:`` values that apply, if any

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
        return self.epoch is not None and self.epoch > now

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
            "future": self.future(now),
            "front_matter": self.front_matter,
        }

    def item_json(self, now: float) -> str:
        """``json_dumps(self.item(now))``, built from the stored pre-rendered parts."""
        return join_item(self.head_json, self.future(now), self.fm_json)

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
    "future": lambda s, now: s.future(now),
    "front_matter": lambda s, now: s.front_matter,
}


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
    """``json_dumps`` of the item's keys up to ``draft``, without the closing brace.

    Built from JSON-encoded strings directly (the C string encoder ``json.dumps`` itself
    uses), which is several times faster than dumping a dict; a test holds them equal.
    """
    from postctl.render.sanitize import escape_json_text

    draft = "true" if summary.draft else "false"
    return escape_json_text(
        f'{{"path": {_text(summary.path)}, "slug": {_text(summary.slug)}, '
        f'"url": {_text(summary.url)}, "title": {_text(summary.title)}, '
        f'"date": {_text(summary.date_iso)}, "tags": {json_strings(summary.tags)}, '
        f'"categories": {json_strings(summary.categories)}, '
        f'"author": {_text(summary.author)}, "draft": {draft}'
    )


def _text(value: str | None) -> str:
    return "null" if value is None else _encode_string(value)


def json_strings(items: tuple[str, ...] | list[str]) -> str:
    """``json.dumps(list(items), ensure_ascii=False)`` for a list of strings, faster."""
    return "[" + ", ".join(map(_encode_string, items)) + "]"


def join_item(head: str, future: bool, fm_json: str) -> str:
    return f'{head}, "future": {"true" if future else "false"}, "front_matter": {fm_json}}}'


# --- from a parsed post -----------------------------------------------------------------


def summarize(post: Post, site: Site, defaults: Mapping[str, Any] | None = None) -> Summary:
    """The Summary of a parsed post; ``defaults`` are its Jekyll ``defaults:`` values."""
    from postctl.urls import post_url

    if defaults is None:
        defaults = _defaults_of(post, site)
    date = post.date
    fm_json = to_json(post.metadata.values)
    return Summary(
        path=post.rel_path,
        slug=post.slug,
        url=post_url(post, site, defaults=defaults),
        title=post.title,
        date_iso=date.isoformat() if date is not None else None,
        epoch=date.timestamp() if date is not None else None,
        day=date.astimezone(site.tz).date().isoformat() if date is not None else None,
        draft=post.draft,
        tags=post.tags,
        categories=post.categories,
        authors=post.authors,
        fm_json=fm_json,
        defaults_json=to_json(defaults) if defaults else None,
    )


def to_json(values: Mapping[str, Any]) -> str:
    """``values`` as JSON text (see :func:`jsonable`), as ``render.rows.json_dumps`` writes it."""
    from postctl.render.rows import json_dumps

    try:
        return json_dumps(values)  # the C encoder; dates through its default hook
    except (ValueError, TypeError):  # NaN/infinity, or keys JSON has no form for
        return json_dumps(jsonable(values))


def _defaults_of(post: Post, site: Site) -> Mapping[str, Any]:
    if not site.config.jekyll_defaults:
        return {}
    from postctl.scan import PostLoader

    return PostLoader(site).context(post.path).defaults


_NON_FINITE = {math.inf: ".inf", -math.inf: "-.inf"}


def jsonable(value: Any) -> Any:
    """Front-matter values as JSON types: ISO dates, ``.nan``/``.inf`` text, string keys."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return ".nan" if math.isnan(value) else _NON_FINITE[value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(item) for item in value), key=str)
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (dt.date, dt.time)):
        return key.isoformat()
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


# --- parsing for listing -----------------------------------------------------------------

_NEEDS_FULL_CHECK = re.compile(r"[&*]|^[ \t?:-]{24,}", re.MULTILINE)


def parse_for_listing(
    raw: bytes, path: Path, context: PostContext, max_front_matter_bytes: int
) -> Post:
    """``post.parse_post``, minus what listing does not read (key positions, comments).

    The same split and the same YAML loader give the same values and facts. Anything out of
    the ordinary goes through ``parse_post`` itself, so every diagnostic is its own: a
    parse error, a mapping that is not one, non-string keys, a possible anchor, alias or
    deep nesting (checked there), or front matter near the size limit.
    """
    from postctl.post import build_post, parse_post
    from postctl.source import split_source

    source = split_source(raw, path)
    text = source.fm_text
    if (source.kind != "yaml" or len(text) * 4 > max_front_matter_bytes
            or _NEEDS_FULL_CHECK.search(text) or text.count("[") + text.count("{") > 16):
        return parse_post(raw, path, context, max_front_matter_bytes)
    import yaml

    from postctl.metadata import Metadata, PostLoader

    try:
        values = yaml.load(text, Loader=PostLoader)
    except Exception:  # the full parser reports it, with its position and code
        return parse_post(raw, path, context, max_front_matter_bytes)
    if values is None:
        values = {}
    if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
        return parse_post(raw, path, context, max_front_matter_bytes)
    return build_post(source, Metadata(values, {}), context)


# --- reading the files directly -----------------------------------------------------------


def scan_summaries(site: Site) -> Iterator[Summary | SourceError]:
    """Every post of the site as a Summary, read from the files (``--no-cache``)."""
    from postctl.scan import PostLoader, iter_post_files, read_post_bytes

    loader = PostLoader(site)
    limits = site.config.limits
    for item in iter_post_files(site):
        path = Path(item.path)
        if item.skip_reason:
            yield SourceError(path, item.skip_reason, code="E008")
            continue
        try:
            raw = read_post_bytes(path, limits.max_file_bytes)
            context = loader.context(path, item.folder)
            post = parse_for_listing(raw, path, context, limits.max_front_matter_bytes)
        except SourceError as exc:
            yield exc
            continue
        yield summarize(post, site, context.defaults)
