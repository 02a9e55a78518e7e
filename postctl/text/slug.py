"""Slugs for new posts: python-slugify with postctl's safety rules, in the post's language.

Japanese is written in romaji (Hepburn, by cutlet, which reads kanji as Japanese words);
every other script is transliterated by python-slugify (Chinese as pinyin). See
docs/guarantees.md: New posts."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from postctl.errors import UsageError

MAX_FILENAME_BYTES = 255
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


class SlugError(UsageError):
    """A title or slug that yields no usable slug."""

    hint = "give one with --slug"


_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")


def is_japanese(text: str, lang: str | None = None) -> bool:
    """Whether ``text`` is Japanese: it has kana (which Chinese never uses), or its language
    tag says so (``ja``, ``ja-JP``: kanji alone are read as Japanese then)."""
    if _KANA.search(text) is not None:
        return True
    if not lang:
        return False
    return lang.lower().replace("_", "-").split("-")[0] in ("ja", "jpn")


def make_slug(text: str, max_length: int = 80, allow_unicode: bool = False,
              lang: str | None = None) -> str:
    """NFC, transliterated to ASCII (unless ``allow_unicode``: Japanese in romaji), lower
    case, hyphens, at most ``max_length`` characters cut at a word boundary; never empty,
    never a path. ``lang`` is the post's language tag, if known."""
    from slugify import slugify  # imported here: only `new` needs it

    normalized = unicodedata.normalize("NFC", text)
    if not allow_unicode and not normalized.isascii() and is_japanese(normalized, lang):
        normalized = romaji(normalized)
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


def romaji(text: str) -> str:
    """Japanese text in Hepburn romaji (``東京の天気`` → ``Tokyo no tenki``)."""
    return str(_romaji_converter().romaji(text))


@functools.cache
def _romaji_converter() -> Any:
    """cutlet's converter, made once (imported here: it loads a dictionary, and only a slug
    of a Japanese title needs it)."""
    try:
        import cutlet

        converter = cutlet.Cutlet()
        # Loanwords in Hepburn too: their "foreign spelling" is often not English
        # (パン gives the Portuguese "pao", ラーメン the German "rahmen").
        converter.use_foreign_spelling = False
        return converter
    except (ImportError, RuntimeError) as exc:
        raise SlugError(f"a Japanese title needs the romaji converter cutlet ({exc}); install "
                        "it with: pip install 'postctl[ja]'") from None
