"""The keys site-wide rules compare posts by: URL and title (a tag or category spelling is
``postctl.post.taxonomy.variant_key``, as ``postctl tags`` groups them).

One definition, used by the rules and by every source of facts about the site (the files
read directly, or the keys kept next to the site index), so both find the same groups.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from postctl.lint.rules.base import PostFact

_QUERY = r"[?#]"  # compiled (and cached by re) for the first URL with either


def normalize_url(url: str) -> str:
    """A URL path as a site serves it: no query or fragment, no ``index.html`` or ``.html``,
    no slashes at the ends, lower case."""
    if "?" in url or "#" in url:
        url = re.split(_QUERY, url, maxsplit=1)[0]
    url = (unquote(url) if "%" in url else url).strip("/")
    for suffix in ("/index.html", "index.html", ".html"):
        if url.endswith(suffix):
            url = url[: -len(suffix)].rstrip("/")
            break
    return url.lower()


def title_key(title: str) -> str:
    """Case and runs of white space do not count."""
    return " ".join(title.casefold().split())


def url_key(fact: PostFact | None) -> str | None:
    """The key of a published post's URL (None: unpublished, or no URL)."""
    if fact is None or not fact.published or not fact.url:
        return None
    return normalize_url(fact.url)


def published_title_key(fact: PostFact | None) -> str | None:
    """The key of a published post's title (None: unpublished, or no title)."""
    if fact is None or not fact.published or not fact.title or not fact.title.strip():
        return None
    return title_key(fact.title)
