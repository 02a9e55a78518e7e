"""The permalink Hugo builds for a page, as a path from the site's base URL.

- a page's own ``url`` wins, as written (a leading ``/`` added);
- else a ``permalinks`` pattern for the page's top section (``[permalinks]`` or
  ``[permalinks.page]``; ``[permalinks.section]`` for a section's own page), with Hugo's
  placeholders: ``:year`` ``:month`` ``:monthname`` ``:day`` ``:weekday``
  ``:weekdayname`` ``:yearday`` ``:section`` ``:sections`` ``:title`` ``:slug``
  ``:slugorfilename`` ``:filename`` ``:contentbasename`` ``:slugorcontentbasename``;
- else the page's folders and its ``slug`` (or its file name; a bundle's folder name),
  ending with ``/`` (``.html`` with ``uglyURLs``); a section is its folders, the home ``/``;
- the language's folder first when it is in the URL (``/fr/...``);
- text is made a path as Hugo's ``urlize`` does (spaces become ``-``, punctuation other than
  ``. _ - # + ~`` goes), and the whole path is lower-cased unless ``disablePathToLower``;
- a page that is not rendered (``build.render: never``) has no permalink.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.hugo_config import HugoSettings
    from postctl.site.model import PostFolder, Site

_PLACEHOLDER = re.compile(r":([a-z]+)")
_KEPT = frozenset("./\\_-#+~")


def hugo_page_url(post: Post, site: Site) -> str | None:
    if not post.rendered:
        return None
    settings = site.config.hugo
    folder = _folder_of(post, site)
    prefix = folder.url_prefix if folder is not None else ""
    stem, language = _stem_and_language(post, settings)
    if language is not None:
        prefix = language
    own = _value(post, "url")
    if isinstance(own, str) and own.strip():
        url = own.strip()
        return _escaped(url if url.startswith("/") else "/" + url)
    parts = _parts(post, folder, site)
    # The pattern of the first folder of the page's path, a top-level bundle's own included.
    pattern = _pattern(settings, post.kind, parts[0] if parts else "")
    ugly = settings is not None and settings.ugly_urls
    if pattern is not None:
        path = _expand(pattern, post, parts, stem)
        if not path.endswith("/"):  # the last part names a folder (a file with uglyURLs)
            path += ".html" if ugly else "/"
    else:
        path = _default_path(post, parts, ugly, stem)
    if settings is None or not settings.disable_path_to_lower:
        path = path.lower()
    return _escaped(re.sub(r"/{2,}", "/", prefix + "/" + path.lstrip("/")))


def _escaped(path: str) -> str:
    """The path as a URL gives it (Go's ``URL.EscapedPath``): UTF-8, percent-encoded."""
    return quote(path, safe="/!$&'()*+,;=:@")


def _stem_and_language(post: Post, settings: HugoSettings | None) -> tuple[str, str | None]:
    """The file name without its extension and its language (``about.fr.md``: ``about``,
    and the URL prefix of ``fr``); the language is None when the name gives none."""
    stem = PurePosixPath(post.path.name).stem
    if settings is not None and settings.languages and "." in stem:
        base, _, suffix = stem.rpartition(".")
        for name, prefix in settings.languages:
            if suffix == name:
                return base, prefix
    return stem, None


def _value(post: Post, key: str) -> object:
    """A front-matter value by its key in any case, as Hugo reads keys."""
    from postctl.post.hugo_page import hugo_values

    return hugo_values(post.values).get(key)


def _folder_of(post: Post, site: Site) -> PostFolder | None:
    found = [folder for folder in site.folders if post.path.is_relative_to(folder.path)]
    return max(found, key=lambda folder: len(folder.path.parts)) if found else None


def _parts(post: Post, folder: PostFolder | None, site: Site) -> list[str]:
    """The folders from the content folder to the page (a bundle's or section's own folder
    included)."""
    content = folder.path if folder is not None else site.root / site.config.content_dir
    try:
        return list(post.path.relative_to(content).parent.parts)
    except ValueError:
        return []


def _pattern(settings: HugoSettings | None, kind: str, section: str) -> str | None:
    if settings is None or not section or kind == "home":
        return None
    wanted = "section" if kind == "section" else "page"
    for pattern_kind, name, pattern in settings.permalinks:
        if pattern_kind == wanted and name.lower() == section.lower():
            return pattern
    return None


def _own_slug(post: Post) -> str | None:
    """The page's slug: its front matter's, or the one ``:filename`` gave (not the file
    name itself)."""
    slug = _value(post, "slug")
    if isinstance(slug, (int, float)) and not isinstance(slug, bool):
        slug = str(slug)  # Hugo reads any scalar as text
    if isinstance(slug, str) and slug.strip():
        return slug.strip()
    stem = PurePosixPath(post.path.name).stem
    return post.slug if post.slug not in (stem, post.path.parent.name) else None


def _default_path(post: Post, parts: list[str], ugly: bool, stem: str) -> str:
    slug = _own_slug(post)
    if post.kind in ("home", "section"):
        path = "/".join(urlize(part) for part in parts) + "/"
        return path + ("index.html" if ugly else "")
    if stem == "index" and parts:  # a leaf bundle: its folder is the page
        folders, name = parts[:-1], urlize(slug or parts[-1])
    else:
        folders, name = parts, urlize(slug or stem)
    base = "/".join([*(urlize(part) for part in folders), name])
    return base + (".html" if ugly else "/")


def _expand(pattern: str, post: Post, parts: list[str], stem: str) -> str:
    date = post.date or dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)
    filename = parts[-1] if stem in ("index", "_index") and parts else stem
    slug = _own_slug(post)
    title = post.title or ""
    sections = parts[:-1] if stem == "index" else parts  # a leaf bundle's folder is no section
    values = {
        "year": str(date.year), "month": f"{date.month:02d}", "monthname": date.strftime("%B"),
        "day": f"{date.day:02d}", "weekday": str(date.isoweekday() % 7),
        "weekdayname": date.strftime("%A"), "yearday": str(date.timetuple().tm_yday),
        "section": urlize(sections[0]) if sections else "",
        "sections": "/".join(urlize(part) for part in sections),
        "title": urlize(title), "slug": urlize(slug or title),
        "slugorfilename": urlize(slug) if slug else urlize(filename),
        "filename": urlize(filename), "contentbasename": urlize(filename),
        "slugorcontentbasename": urlize(slug) if slug else urlize(filename),
    }

    def fill(match: re.Match[str]) -> str:
        return values.get(match[1], match[0])

    path = _PLACEHOLDER.sub(fill, pattern)
    return path if path.startswith("/") else "/" + path


def urlize(text: str) -> str:
    """Hugo's path sanitising: spaces become ``-``; letters, digits, marks and
    ``. / \\ _ - # + ~`` are kept, anything else goes."""
    kept = []
    for char in text.strip():
        if char.isspace():
            kept.append("-")
        elif char.isalnum() or char in _KEPT or _is_mark(char):
            kept.append(char)
    return "".join(kept)


def _is_mark(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char).startswith("M")
