"""Search without the full-text index: read every post file (no FTS5, or ``--no-cache``).

The same query semantics as the index (words, phrases, prefixes, field terms, whole tag and
category names, case and Latin diacritics ignored; no stemming) and the same ranking formula
(see :data:`postctl.search.base.WEIGHTS`): per column, FTS5's ``bm25()`` counting that column
only, weighted and summed, computed here from word counts. Correct, and as slow as reading and
parsing every post.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from postctl.errors import SourceError
from postctl.search.base import (
    COLUMNS,
    WEIGHTS,
    Hit,
    SearchResult,
    column_texts,
    excerpt_of,
    positive_terms,
)
from postctl.search.language import NAME_FIELDS, TAG_MARK, And, Node, Not, Term
from postctl.search.snippets import SNIPPET_WIDTH, Snippets, Spans
from postctl.text.textify import index_text, tokens

if TYPE_CHECKING:
    from postctl.catalog.query import Filters, Sort
    from postctl.catalog.summary import Summary
    from postctl.site.model import Site

__all__ = ["scan_search"]

_NON_WORD = re.compile(r"[\W_]+")


def _folded(text: str) -> str:
    """The words of ``text`` folded as the index folds them, one space on each side of each
    (``" a  b "``: a word repeated is counted each time; ``""``: no word)."""
    if text.isascii():
        words = _NON_WORD.sub(" ", text.lower()).split()
    else:
        words = [word for word, _, _ in tokens(text)]
    return f" {'  '.join(words)} " if words else ""


def _size(folded: str) -> int:
    """How many words a :func:`_folded` text has."""
    return folded.count("  ") + 1 if folded else 0


def _needle(term: Term) -> str:
    """The folded form of a term as it appears in :func:`_folded` text."""
    words = [word for word, _, _ in tokens(term.text)]
    if term.field in NAME_FIELDS:
        words = [TAG_MARK, *words] if term.prefix else [TAG_MARK, *words, TAG_MARK]
    return " " + "  ".join(words) + ("" if term.prefix else " ")


def _term_count(term: Term, doc: Mapping[str, str], column: str) -> int:
    """How many times ``term`` occurs in the column, as FTS5 counts a phrase: occurrences
    may overlap (``tag:x`` twice in the tags ``x, x``, which share a mark between them)."""
    needle, text = _needle(term), doc[column]
    if not _may_overlap(needle):
        return text.count(needle)
    count = 0
    start = text.find(needle)
    while start >= 0:
        count += 1
        start = text.find(needle, start + 1)
    return count


def _may_overlap(needle: str) -> bool:
    """Whether two occurrences of the folded phrase ``needle`` may share words: some of its
    first words are its last ones."""
    words = needle.split()
    return any(words[:size] == words[-size:] for size in range(1, len(words)))


def _matches(node: Node, doc: Mapping[str, str]) -> bool:
    if isinstance(node, Term):
        columns = (node.field,) if node.field else COLUMNS
        return any(_term_count(node, doc, column) for column in columns)
    if isinstance(node, Not):
        return not _matches(node.item, doc)
    if isinstance(node, And):
        return all(_matches(item, doc) for item in node.items)
    return any(_matches(item, doc) for item in node.items)


def _python_highlights(text: str, node: Node, column: str) -> Spans:
    """Spans of ``text`` where a positive term of the query occurs (scan path)."""
    found = list(tokens(text))
    words = [word for word, _, _ in found]
    spans: Spans = []
    for term in positive_terms(node):
        if term.field not in (None, column):
            continue
        wanted = [word for word, _, _ in tokens(term.text)]
        if not wanted:
            continue
        size = len(wanted)
        for index in range(len(words) - size + 1):
            window = words[index:index + size]
            if window[:-1] != wanted[:-1]:
                continue
            last = window[-1]
            if last == wanted[-1] or (term.prefix and last.startswith(wanted[-1])):
                spans.append((found[index][1], found[index + size - 1][2]))
    return sorted(set(spans))


def scan_search(
    site: Site,
    node: Node,
    filters: Filters,
    sort: Sort | None = None,
    limit: int | None = 20,
    *,
    snippet_width: int = SNIPPET_WIDTH,
) -> SearchResult:
    """Search by reading every post file (no FTS5, or ``--no-cache``).

    Same matching as the index (words, phrases, prefixes, fields, case and diacritics
    ignored; no stemming); ranked by a BM25 over the same weighted columns.
    """
    from postctl.catalog import matching
    from postctl.catalog.ordering import sort_summaries
    from postctl.catalog.summary import summarize
    from postctl.site.scan import error_order, scan_posts

    terms = list(dict.fromkeys(positive_terms(node)))
    budget = matching.RegexBudget()
    lengths = dict.fromkeys(COLUMNS, 0)
    frequency = dict.fromkeys(terms, 0)
    documents = 0
    matched: list[tuple[Summary, dict[tuple[Term, str], int], dict[str, int]]] = []
    errors: list[SourceError] = []
    for post in scan_posts(site):
        if isinstance(post, SourceError):
            errors.append(post)
            continue
        summary = summarize(post, site)
        texts = column_texts(summary.title or "", summary.tags, summary.categories,
                             summary.authors, index_text(excerpt_of(summary.values)),
                             index_text(post.body))
        doc = {name: _folded(text) for name, text in zip(COLUMNS, texts, strict=True)}
        documents += 1
        sizes = {name: _size(text) for name, text in doc.items()}
        for name in COLUMNS:
            lengths[name] += sizes[name]
        counts = {(term, column): _term_count(term, doc, column)
                  for term in terms for column in ((term.field,) if term.field else COLUMNS)}
        for term in terms:
            if any(count for (t, _), count in counts.items() if t == term):
                frequency[term] += 1
        if not _matches(node, doc) or not matching.matches(summary, filters, budget):
            continue
        matched.append((summary, counts, sizes))
    average = sum(lengths.values()) / max(documents, 1)
    raw = [(_bm25(counts, sum(sizes.values()), frequency, documents, average), summary)
           for summary, counts, sizes in matched]
    if sort is None:  # on the exact scores, as SQLite sorts (rounded ones can tie)
        raw.sort(key=lambda pair: (-pair[0], pair[1].epoch is None, -(pair[1].epoch or 0.0),
                                   pair[1].path))
    else:
        by_path = {summary.path: (score, summary) for score, summary in raw}
        ordered = sort_summaries((summary for _, summary in raw), sort, site.tz, filters.now)
        raw = [by_path[summary.path] for summary in ordered]
    scored = [Hit(summary, round(score, 6)) for score, summary in raw]
    hits = scored[:limit] if limit is not None else scored
    snippets = Snippets(site, snippet_width)
    return SearchResult(snippets.apply(hits, lambda found, texts: [
        (_python_highlights(excerpt, node, "excerpt"), _python_highlights(body, node, "body"))
        for excerpt, body in texts]), len(scored), sorted(errors, key=error_order))


def _bm25(
    counts: Mapping[tuple[Term, str], int],
    size: int,
    frequency: Mapping[Term, int],
    documents: int,
    average: float,
    k1: float = 1.2,
    b: float = 0.75,
) -> float:
    """The score of :func:`postctl.search.ftssearch.rank_sql`, as a positive number (higher is
    better): per column, the column's weight times the sum over query phrases of the
    phrase's IDF and its count in that column against the post's length (the arithmetic of
    FTS5's ``bm25()``, in the same order)."""
    norm = k1 * (1 - b + b * size / max(average, 1e-9))
    score = 0.0
    for column in COLUMNS:
        column_score = 0.0
        for term, df in frequency.items():
            count = counts.get((term, column), 0)
            if count:
                idf = math.log((documents - df + 0.5) / (df + 0.5))
                column_score += (idf if idf > 0 else 1e-6) * (count * (k1 + 1) / (count + norm))
        score += WEIGHTS[column] * column_score
    return score
