"""Slugs for new posts: python-slugify with postctl's safety rules.

See docs/guarantees.md: New posts."""

from __future__ import annotations

import re
import unicodedata

from postctl.errors import UsageError

MAX_FILENAME_BYTES = 255
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


class SlugError(UsageError):
    """A title or slug that yields no usable slug."""

    hint = "give one with --slug"


def make_slug(text: str, max_length: int = 80, allow_unicode: bool = False) -> str:
    """NFC, transliterated to ASCII (unless ``allow_unicode``), lower case, hyphens,
    at most ``max_length`` characters cut at a word boundary; never empty, never a path."""
    from slugify import slugify  # imported here: only `new` needs it

    normalized = unicodedata.normalize("NFC", text)
    slug = slugify(normalized, max_length=max_length, word_boundary=True,
                   allow_unicode=allow_unicode, lowercase=True)
    slug = unicodedata.normalize("NFC", slug).strip("-")
    if not slug:
        raise SlugError(f"{text!r} gives an empty slug (no letters or digits)")
    if _WINDOWS_DEVICES.match(slug):
        slug += "-post"
    return slug


def fit_filename(prefix: str, slug: str, extension: str) -> str:
    """``prefix + slug + extension``, the slug cut at a hyphen so the name fits 255 bytes."""
    budget = MAX_FILENAME_BYTES - len((prefix + extension).encode("utf-8"))
    while len(slug.encode("utf-8")) > budget:
        cut = slug.rfind("-", 0, len(slug) - 1)
        slug = slug[:cut] if cut > 0 else slug[:-1]
    return prefix + slug + extension
