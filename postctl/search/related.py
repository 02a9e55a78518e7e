"""``postctl links --related``: the posts that share most tags and words with a post.

The words are the post's most distinctive ones: the words of its title and body (as the
search index reads them) weighed by how often the post uses them and how few posts of the
site do (document frequencies from the full-text index itself, through FTS5's ``fts5vocab``).
They are asked of the index as one ranked ``OR`` query, so word relevance is ``search``'s
own (BM25 with its column weights). A candidate's score is the number of tags it shares,
plus up to :data:`WORD_WEIGHT` for its place in that ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postctl.reporting import SILENT, Reporter

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex
    from postctl.post.model import Post
    from postctl.site.model import Site

KEY_WORDS = 12  # distinctive words asked of the index
CANDIDATES = 50  # ranked by words, before tags are counted
WORD_WEIGHT = 2.0
MIN_LENGTH = 3


@dataclass(frozen=True)
class Related:
    path: str  # relative to the site root
    title: str | None
    shared_tags: tuple[str, ...]
    word_rank: int | None  # 1 = the best word match; None: not among the word matches
    score: float


def related_posts(site: Site, post: Post, limit: int = 10,
                  reporter: Reporter = SILENT) -> tuple[list[Related], list[str]]:
    """The posts most related to ``post``, best first, and the key words used. Needs the
    full-text index (FtsUnavailable, or IndexUnavailable, when it cannot be used)."""
    from postctl.catalog.database import IndexUnavailable
    from postctl.catalog.index import SiteIndex
    from postctl.catalog.query import Sort, make_filters
    from postctl.catalog.reader import open_catalog
    from postctl.search.fulltext import FullTextIndex
    from postctl.search.language import parse_query

    catalog = open_catalog(site, reporter=reporter)
    try:
        if not isinstance(catalog, SiteIndex):
            raise IndexUnavailable("--related needs the site index")
        engine = FullTextIndex(catalog)
        with reporter.stage("fulltext") as progress:
            engine.sync(progress)
        words = key_words(catalog, engine.table, post)
        filters = make_filters(site.tz, all_posts=True)
        ranked: list[str] = []
        if words:
            query = parse_query(" OR ".join(words))
            found = engine.search(query, filters, None, CANDIDATES + 1, snippet_width=0,
                                  count=False)
            ranked = [hit.summary.path for hit in found.hits]
        summaries = {s.path: s for s in catalog.summaries(filters, Sort("path", False))}
    finally:
        catalog.close()
    own = post.rel_path
    own_tags = {tag.casefold() for tag in post.tags}
    rank = {path: number for number, path in enumerate((p for p in ranked if p != own), 1)}
    scored = []
    for path, summary in summaries.items():
        if path == own:
            continue
        shared = tuple(tag for tag in summary.tags if tag.casefold() in own_tags)
        place = rank.get(path)
        if not shared and place is None:
            continue
        words_part = 0.0 if place is None else WORD_WEIGHT * (1 - (place - 1) / CANDIDATES)
        scored.append(Related(path, summary.title, shared, place, len(shared) + words_part))
    scored.sort(key=lambda item: (-item.score, item.path))
    return scored[:limit], words


def key_words(index: SiteIndex, table: str, post: Post) -> list[str]:
    """The post's :data:`KEY_WORDS` most distinctive words (see the module docstring)."""
    from postctl.text.textify import index_text, tokens

    text = f"{post.title or ''}\n{index_text(post.body)}"
    counts = Counter(word for word, _start, _end in tokens(text)
                     if len(word) >= MIN_LENGTH and not word.isdigit())
    if not counts:
        return []
    connection = index.connection
    connection.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab "
                       f"USING fts5vocab(main, {table}, row)")
    posts = max(int(connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0]), 1)
    candidates = [word for word, _ in counts.most_common(200)]
    marks = ", ".join("?" * len(candidates))
    documents = dict(connection.execute(
        f"SELECT term, doc FROM temp.{table}_vocab WHERE term IN ({marks})", candidates))
    weight = {word: counts[word] * math.log((posts + 1) / (documents.get(word, 0) + 0.5))
              for word in candidates}
    return sorted(candidates, key=lambda word: (-weight[word], word))[:KEY_WORDS]
