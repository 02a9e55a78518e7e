"""The one slug function of ``new`` and ``rename``: a post's slug in its language, or in
Unicode where the site's posts keep Unicode file names.

The language is the post's ``lang`` key, else a folder of its path named as a language tag
(``ja/_posts/``, ``content/ja/posts/``), else the site's (``lang`` in ``_config.yml``,
``languageCode`` in Hugo's config). Whether non-ASCII letters stay is ``[slug] allow_unicode``
when set, else what the posts of the folder (or of the site's posts folder) do: one file name
with a non-ASCII letter in its slug is the site's convention.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from postctl.site.model import Site
from postctl.text.slug import make_slug

__all__ = ["keeps_unicode", "post_language", "post_slug"]

# A language tag as a folder name: ja, zh-cn, pt_BR (two or three letters, then subtags).
_LANGUAGE_FOLDER = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")


def post_slug(site: Site, text: str, folder: Path, values: Mapping[str, Any] | None = None,
              ) -> str:
    """The slug of a post in ``folder`` titled ``text`` (or given ``text`` as its slug), with
    front matter ``values``."""
    config = site.config.slug
    allow_unicode = config.allow_unicode
    if allow_unicode is None:  # a draft's folder may hold none: the posts' names decide too
        allow_unicode = keeps_unicode(folder) or (
            folder != site.posts_folder and keeps_unicode(site.posts_folder))
    return make_slug(text, config.max_length, allow_unicode,
                     post_language(site, folder, values or {}))


def post_language(site: Site, folder: Path, values: Mapping[str, Any]) -> str | None:
    """The language tag of a post in ``folder`` with front matter ``values``, if known."""
    own = values.get("lang")
    if isinstance(own, str) and own.strip():
        return own.strip()
    try:
        parts = folder.resolve().relative_to(site.root.resolve()).parts
    except ValueError:
        parts = ()
    for part in parts:
        if _LANGUAGE_FOLDER.match(part):
            return part
    return site.config.lang


def keeps_unicode(folder: Path) -> bool:
    """Whether a post file (or page bundle) of ``folder`` has a non-ASCII letter in its slug."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.isascii() or name.startswith((".", "_")):
                    continue
                slug = _DATE_PREFIX.sub("", os.path.splitext(name)[0])
                if any(not char.isascii() and char.isalnum() for char in slug):
                    return True
    except OSError:
        pass
    return False
