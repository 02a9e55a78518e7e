"""The URL a post is published at, derived the way Jekyll and Hugo derive it.

Jekyll: the post's own ``permalink`` wins, else the site's ``permalink`` setting (a
template or one of the named styles ``date``, ``pretty``, ``ordinal``, ``weekdate``,
``none``; default ``date``). Placeholders follow Jekyll 4's ``UrlDrop``: ``:categories``
(lower-cased, joined with ``/``), ``:year`` ``:month`` ``:day`` ``:i_month`` ``:i_day``
``:short_year`` ``:y_day`` ``:hour`` ``:minute`` ``:second`` ``:short_month``
``:long_month`` ``:week`` ``:w_year`` ``:w_day`` ``:short_day`` ``:long_day`` (the date in
the site's time zone), ``:title`` (the slug, case kept), ``:slug`` (slugified, lower
case), ``:name``, ``:path``, ``:collection`` and ``:output_ext`` (``.html``). Every value
is URL-escaped as Jekyll's ``URL.escape_path`` does, then ``//`` is squeezed.
A template that needs a date gives None for a post without one (a dateless draft).

Hugo: as :mod:`postctl.site.hugo_urls` builds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_STYLE = "date"
OUTPUT_EXT = ".html"

_PLACEHOLDER = re.compile(r":([a-z_]+)")
_SAFE_PATH = re.compile(r"^[a-zA-Z0-9./-]+$")
# Jekyll's Utils.slugify modes: "pretty" keeps these punctuation marks, "default" none.
_PRETTY_SEPARATORS = re.compile(r"[^\w.~!$&'()+,;=@]+")
_DEFAULT_SEPARATORS = re.compile(r"[^\w]+|_+")

_DATE_FORMATS: dict[str, Callable[[dt.datetime], str]] = {
    "year": lambda d: f"{d.year:04d}",
    "month": lambda d: f"{d.month:02d}",
    "day": lambda d: f"{d.day:02d}",
    "i_month": lambda d: str(d.month),
    "i_day": lambda d: str(d.day),
    "short_year": lambda d: f"{d.year % 100:02d}",
    "y_day": lambda d: f"{d.timetuple().tm_yday:03d}",
    "hour": lambda d: f"{d.hour:02d}",
    "minute": lambda d: f"{d.minute:02d}",
    "second": lambda d: f"{d.second:02d}",
    "short_month": lambda d: d.strftime("%b"),
    "long_month": lambda d: d.strftime("%B"),
    "week": lambda d: f"{d.isocalendar()[1]:02d}",
    "w_year": lambda d: str(d.isocalendar()[0]),
    "w_day": lambda d: str(d.isocalendar()[2]),
    "short_day": lambda d: d.strftime("%a"),
    "long_day": lambda d: d.strftime("%A"),
}


def post_url(
    post: Post, site: Site, *, defaults: Mapping[str, Any] | None = None
) -> str | None:
    """The post's URL path (``/2024/01/05/title.html``), or None when it cannot be derived.

    ``defaults`` are the Jekyll ``defaults:`` values that apply to the post (computed from
    the site when not given; pass them when you already have the post's context).
    """
    if site.flavour == "hugo":
        return hugo_url(post, site)
    return jekyll_url(post, site, defaults=defaults)


def jekyll_url(
    post: Post, site: Site, *, defaults: Mapping[str, Any] | None = None
) -> str | None:
    own = post.values.get("permalink")
    if isinstance(own, str) and own.strip():
        return expand(own.strip(), post, site.tz)
    if defaults is None:
        defaults = _defaults_of(post, site)
    return expand(site_template(site, defaults), post, site.tz)


def _defaults_of(post: Post, site: Site) -> Mapping[str, Any]:
    if not site.config.jekyll_defaults:
        return {}
    from postctl.site.scan import PostLoader

    return PostLoader(site).context(post.path).defaults


def site_template(site: Site, defaults: Mapping[str, Any] | None = None) -> str:
    """The permalink template that applies to a post without its own ``permalink``."""
    configured = (defaults or {}).get("permalink")
    if not (isinstance(configured, str) and configured.strip()):
        configured = site.config.permalink or DEFAULT_STYLE
    return template_for(configured)


def template_for(setting: str) -> str:
    """A permalink setting as a template: a named style is expanded, anything else kept."""
    return STYLES.get(setting.strip(), setting.strip())


def expand(template: str, post: Post, tz: dt.tzinfo) -> str | None:
    """Fill a Jekyll permalink template for ``post``; None if it needs a missing date."""
    values = _Placeholders(post, tz)
    filled = []
    for literal, name in _compiled(template):
        if name is None:
            filled.append(literal)
            continue
        value = values[name]
        if value is None:
            return None
        filled.append(escape_path(value))
    return sanitize_url("".join(filled))


@lru_cache(maxsize=64)
def _compiled(template: str) -> tuple[tuple[str, str | None], ...]:
    """The template as literal text and placeholder names, in order.

    As Jekyll's ``generate_url_from_drop``: ``:name_`` falls back to ``:name`` followed
    by ``_`` (so ``:title_:year`` works); an unknown placeholder is left as written.
    """
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match[1]
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        winner = next((key for key in pool if key in PLACEHOLDERS), None)
        if winner is None:
            continue
        parts.append((template[position : match.start()], None))
        parts.append(("", winner))
        position = match.start() + 1 + len(winner)
    parts.append((template[position:], None))
    return tuple(part for part in parts if part[1] is not None or part[0])


_TEXT_PLACEHOLDERS: dict[str, Callable[[Post], str]] = {
    "categories": lambda p: "/".join(dict.fromkeys(c.lower() for c in p.categories)),
    "slugified_categories": lambda p: "/".join(
        dict.fromkeys(s for s in (slugify(c) for c in p.categories) if s)
    ),
    "title": lambda p: slugify(p.slug.rstrip("."), pretty=True, cased=True) or p.slug,
    "slug": lambda p: slugify(p.slug.rstrip(".")) or p.slug,
    "name": lambda p: PurePosixPath(p.path.name).stem,
    "path": lambda p: p.rel_path,
    "collection": lambda p: "posts",
    "output_ext": lambda p: OUTPUT_EXT,
}
PLACEHOLDERS = frozenset(_TEXT_PLACEHOLDERS) | frozenset(_DATE_FORMATS)


class _Placeholders:
    """Placeholder values of one post, computed when a template asks for them."""

    def __init__(self, post: Post, tz: dt.tzinfo) -> None:
        self.post = post
        self.tz = tz
        self._local: dt.datetime | None = None

    def __contains__(self, name: str) -> bool:
        return name in PLACEHOLDERS

    def __getitem__(self, name: str) -> str | None:
        if name in _TEXT_PLACEHOLDERS:
            return _TEXT_PLACEHOLDERS[name](self.post)
        if self.post.date is None:
            return None
        if self._local is None:
            self._local = self.post.date.astimezone(self.tz)
        return _DATE_FORMATS[name](self._local)


def placeholders(post: Post, tz: dt.tzinfo) -> dict[str, str | None]:
    """Every placeholder's value for ``post``; date ones are None when it has no date."""
    values = _Placeholders(post, tz)
    return {name: values[name] for name in sorted(PLACEHOLDERS)}


def slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify`` in its ``default`` and ``pretty`` modes."""
    pattern = _PRETTY_SEPARATORS if pretty else _DEFAULT_SEPARATORS
    slug = pattern.sub("-", text).strip("-")
    return slug if cased else slug.lower()


def escape_path(value: str) -> str:
    """Jekyll's ``URL.escape_path``: percent-encode what is not a URI path character."""
    if not value or _SAFE_PATH.match(value):
        return value
    return quote(value, safe="/!$&'()*+,;=:@~")


def sanitize_url(url: str) -> str:
    """Jekyll's ``URL#sanitize_url``: a leading slash, no ``..``, no ``./``, no ``//``."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def hugo_url(post: Post, site: Site) -> str | None:
    """The permalink Hugo builds (:mod:`postctl.site.hugo_urls`), as a path."""
    from postctl.site.hugo_urls import hugo_page_url

    return hugo_page_url(post, site)
