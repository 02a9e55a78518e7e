"""What both search paths share: the searched columns and their ranking weights, the text of
each column for a post, a post's body read from its file, the result types, and the
``[search]`` settings. Light: no SQLite, no post parser, no YAML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import ConfigError, SourceError
from postctl.search.language import TAG_MARK, And, Node, Or, Term

if TYPE_CHECKING:
    from postctl.catalog.summary import Summary

__all__ = [
    "COLUMNS",
    "WEIGHTS",
    "Hit",
    "SearchResult",
    "column_texts",
    "excerpt_of",
    "names_text",
    "positive_terms",
    "read_body",
    "stem_setting",
]

COLUMNS = ("title", "tags", "categories", "author", "excerpt", "body")
# Ranking weights. A post's score is the sum over COLUMNS of WEIGHTS[column] times the BM25
# of the query counting that column's occurrences only (k1 = 1.2, b = 0.75, the document's
# length being the whole post's, IDF over whole posts: FTS5's bm25() with one column weighted
# 1 and the others 0). Each column saturates on its own, at k1 + 1 times the IDF, so one word
# in the title (10 x about 1) outranks any number of the same word in the body (1 x at most
# 2.2), and a tag or the excerpt (5 x) outranks the body too: always for the title of a post
# up to 9 times the average length, for a tag or the excerpt up to 4 times. Weighting inside
# one bm25() call instead multiplies the counts before they saturate: a title match then
# barely beats a few words in the body.
WEIGHTS: Mapping[str, float] = {
    "title": 10.0, "tags": 5.0, "excerpt": 5.0, "categories": 3.0, "author": 3.0, "body": 1.0,
}


@dataclass(frozen=True)
class Hit:
    """One matching post: its summary, its score (higher is better), and a snippet."""

    summary: Summary
    score: float
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) character spans in snippet

    def item(self, now: float) -> dict[str, Any]:
        """``postctl list``'s JSON item plus ``score``, ``snippet`` and ``highlights``."""
        return {
            **self.summary.item(now),
            "score": self.score,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
        }


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int | None  # matching posts before --limit (None: not counted)
    errors: list[SourceError] = field(default_factory=list)  # unreadable posts (scan path)


def positive_terms(node: Node) -> Iterator[Term]:
    """The words and phrases of a query that count towards a score (not the excluded ones)."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, (And, Or)):
        for item in node.items:
            yield from positive_terms(item)


def stem_setting(search_config: Mapping[str, Any], path: Path | None) -> bool:
    """``[search] stem = true|false`` (default false); other keys are errors."""
    for key in search_config:
        if key != "stem":
            raise ConfigError(path, "unknown setting (known: stem)", key=f"search.{key}")
    value = search_config.get("stem", False)
    if not isinstance(value, bool):
        raise ConfigError(path, "expected true or false", key="search.stem")
    return value


def names_text(names: Iterable[str]) -> str:
    """Tags or categories as indexed: each name between marks, so ``tag:x`` can match whole
    names (``TAG_MARK open source TAG_MARK python TAG_MARK``)."""
    listed = [name for name in names if name]
    if not listed:
        return ""
    return f"{TAG_MARK} " + f" {TAG_MARK} ".join(listed) + f" {TAG_MARK}"


def column_texts(
    title: str,
    tags: Iterable[str],
    categories: Iterable[str],
    authors: Iterable[str],
    excerpt: str,
    body: str,
) -> tuple[str, ...]:
    """The text of each of :data:`COLUMNS`, in order (excerpt and body already reduced to
    text by the caller)."""
    return title, names_text(tags), names_text(categories), " ".join(authors), excerpt, body


def excerpt_of(values: Mapping[str, Any]) -> str:
    """The post's summary text: ``excerpt``, else ``description``, else ``summary``."""
    for key in ("excerpt", "description", "summary"):
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def read_body(path: Path, max_bytes: int, expected_hash: str | None = None) -> str | None:
    """The body of a post file, or None when the file cannot be read safely (see
    :func:`postctl.text.reading.read_post_bytes`) or is not the version whose hash (blake2b-128
    hex of the bytes, as the site index stores it) is ``expected_hash``."""
    from postctl.text.reading import read_post_bytes
    from postctl.text.source import split_source

    try:
        raw = read_post_bytes(path, max_bytes)
        if (expected_hash is not None
                and hashlib.blake2b(raw, digest_size=16).hexdigest() != expected_hash):
            return None
        return split_source(raw, path).body
    except SourceError:
        return None
