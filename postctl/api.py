"""The Python API: a site's posts as python-frontmatter posts, read as postctl reads them.

::

    import postctl

    post = postctl.load("_posts/2024-03-05-hello.md")
    for post in postctl.posts("path/to/site", tag="python", since="2024"):
        print(post.path, post["date"], post["title"], post["tags"])

Each post is a :class:`SitePost`, a ``frontmatter.Post`` whose

- ``metadata`` is the front matter as Jekyll sees it: the file's keys, with the site's
  ``_config.yml`` ``defaults:`` that apply merged under them; except that

  - ``date`` is the post's date as a timezone-aware datetime (from the front matter, else
    from the file name; without an offset, in the site's time zone), or None;
  - ``tags`` and ``categories`` are lists of strings, however the file wrote them (Jekyll:
    folder categories first), empty when the post has none;
  - ``title``, when set, is a string;

  these are the values ``postctl list --format json`` reports;
- ``content`` is the body: the file's text after the front matter, unchanged;
- ``path`` is the file (absolute), and ``draft`` whether postctl counts the post a draft
  (a Jekyll ``_drafts`` file or ``published: false``, a Hugo ``draft: true``).

The metadata is for reading: ``frontmatter.dumps`` of it would not give the file back.

Errors (:mod:`postctl.errors`, each with a one-line message naming the file or value):
:class:`~postctl.errors.PostNotFoundError` for a file that does not exist,
:class:`~postctl.errors.SourceError` for one that is not a post (not a ``.md`` or
``.markdown`` file, not a regular file, not UTF-8, front matter that cannot be parsed),
:class:`~postctl.errors.UsageError` for a bad filter or site root, and
:class:`~postctl.errors.ConfigError` for a bad site configuration.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import frontmatter

from postctl.catalog.query import Filters, Sort, make_filters, parse_sort
from postctl.catalog.reader import open_catalog
from postctl.errors import PostNotFoundError, SourceError, UsageError, display_path
from postctl.site.model import Site, nearest_root, open_site
from postctl.site.postfiles import POST_EXTENSIONS
from postctl.site.scan import PostLoader

if TYPE_CHECKING:
    from frontmatter.default_handlers import BaseHandler

    from postctl.post.model import Post

__all__ = ["SitePost", "UnreadablePostWarning", "load", "posts"]

StrPath = str | os.PathLike[str]
Names = str | Iterable[str] | None  # one value, or several
Day = str | dt.date | None  # a date or date-time object, or the text --since takes


class SitePost(frontmatter.Post):
    """A ``frontmatter.Post`` read by postctl (see the module notes), with its file's
    ``path`` and whether it is a ``draft``."""

    def __init__(
        self, content: str, metadata: dict[str, Any], *, path: Path, draft: bool,
        handler: BaseHandler | None = None,
    ) -> None:
        super().__init__(content, handler)
        self.metadata = metadata  # set here: a key such as "content" is no keyword argument
        self.path = path
        self.draft = draft

    def __repr__(self) -> str:
        return f"<SitePost {self.path}>"


class UnreadablePostWarning(UserWarning):
    """A post that :func:`posts` skipped because it cannot be read (``strict=False``)."""


# --- one post -------------------------------------------------------------------------------


def load(path: StrPath, root: StrPath | None = None) -> SitePost:
    """The post in the file ``path``, read as a post of the site at ``root``.

    Without ``root``, the site is the nearest folder at or above the file holding
    ``postctl.toml``, ``_config.yml``, a Hugo config or ``.git`` (else the file's folder).
    """
    given = Path(path)
    if not os.path.lexists(given):
        raise PostNotFoundError(f"no such post file: {display_path(given)}")
    file = Path(os.path.realpath(given.parent)) / given.name  # a link itself is refused
    if not file.name.endswith(POST_EXTENSIONS):
        raise SourceError(file, "not a post: postctl reads .md and .markdown files",
                          code="E008")
    site = open_site(nearest_root(file.parent) if root is None else root, require=False)
    return _read(PostLoader(site), file)


def _read(loader: PostLoader, path: Path) -> SitePost:
    post = loader.load(path)
    defaults = loader.context(path).defaults
    return SitePost(post.body, _metadata(post, defaults), path=post.path, draft=post.draft,
                    handler=_handler(post.source.kind))


def _metadata(post: Post, defaults: dict[str, Any]) -> dict[str, Any]:
    """The front matter as Jekyll sees it, with postctl's reading of the listed facts."""
    values = {**defaults, **post.values}
    if post.title is not None:
        values["title"] = post.title
    values["date"] = post.date
    values["tags"] = list(post.tags)
    values["categories"] = list(post.categories)
    return values


def _handler(kind: str) -> BaseHandler | None:
    """The python-frontmatter handler of the file's front-matter format, as its ``load``
    sets it (None without front matter, or for TOML without the ``toml`` package)."""
    from frontmatter.default_handlers import JSONHandler, TOMLHandler, YAMLHandler

    handlers = {"yaml": YAMLHandler, "json": JSONHandler, "toml": TOMLHandler}
    made = handlers.get(kind)
    return made() if made is not None else None


# --- the site's posts -----------------------------------------------------------------------


def posts(
    root: StrPath = ".",
    *,
    tag: Names = None,
    any_tag: bool = False,
    category: Names = None,
    author: str | None = None,
    since: Day = None,
    until: Day = None,
    drafts: bool = False,
    all_posts: bool = False,
    no_future: bool = False,
    where: Names = None,
    sort: str = "-date",
    limit: int | None = None,
    no_cache: bool = False,
    strict: bool = False,
) -> Iterator[SitePost]:
    """The posts of the site at ``root`` that ``postctl --root ROOT list`` lists with the
    same options, in its order (``sort``, default newest first; at most ``limit``).

    ``tag``, ``category`` and ``where`` take one value or several; ``since`` and ``until``
    a date, a date-time or the text ``--since`` takes; ``all_posts`` is ``--all``. A bad
    filter raises UsageError here, before anything is read. Like ``list``, this reads the
    site index (``no_cache=True``: the files only); a post that cannot be read is skipped
    with an :class:`UnreadablePostWarning`, or raises its SourceError when ``strict``.
    """
    site = open_site(root)
    chosen = make_filters(
        site.tz, tags=_names(tag), any_tag=any_tag, categories=_names(category), author=author,
        since=_day(since), until=_day(until), drafts=drafts, all_posts=all_posts,
        no_future=no_future, where=_names(where), hugo=site.flavour == "hugo")
    order = parse_sort(sort)
    if limit is not None and limit < 1:
        raise UsageError(f"limit {limit}: expected a number of posts of at least 1")
    return _read_listed(site, chosen, order, limit, no_cache=no_cache, strict=strict)


def _names(value: Names) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


def _day(value: Day) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _read_listed(
    site: Site, filters: Filters, order: Sort, limit: int | None, *, no_cache: bool,
    strict: bool,
) -> Iterator[SitePost]:
    with closing(open_catalog(site, no_cache=no_cache)) as catalog:
        listed = [summary.path for summary in catalog.summaries(filters, order, limit)]
        _skip(catalog.errors(), strict)
    loader = PostLoader(site)
    for relative in listed:
        try:
            yield _read(loader, site.root / relative)
        except SourceError as error:  # changed since it was listed
            _skip([error], strict)


def _skip(unreadable: list[SourceError], strict: bool) -> None:
    if strict and unreadable:
        raise unreadable[0]
    for error in unreadable:
        warnings.warn(UnreadablePostWarning(str(error)), stacklevel=3)
