"""Full-text search of a site's posts: the names the commands use, from the modules that
do the work, one job each:

- :mod:`postctl.search.language`: the query language, parsed and written as an FTS5 MATCH;
- :mod:`postctl.text.textify`: Markdown, Liquid and HTML reduced to words and readable text;
- :mod:`postctl.search.base`: the searched columns and weights, result types, settings;
- :mod:`postctl.search.ftstables`: the FTS5 tables in the site index's database: names, schema;
- :mod:`postctl.search.ftsdocs`: the documents to index: posts rows and their files' text;
- :mod:`postctl.search.ftssync`: those tables kept in step with the site index;
- :mod:`postctl.search.ftssearch`: a query run on those tables: matching, ranking, highlighting;
- :mod:`postctl.search.ftsindex`: the full-text index the commands sync and search;
- :mod:`postctl.search.snippets`: the snippet of each hit, cut from its file's readable text;
- :mod:`postctl.search.scan`: the same search by reading every file (no FTS5, ``--no-cache``).
"""

from __future__ import annotations

from postctl.search.base import (
    COLUMNS,
    WEIGHTS,
    Hit,
    SearchResult,
    excerpt_of,
    names_text,
    stem_setting,
)
from postctl.search.ftsindex import FullTextIndex
from postctl.search.ftssync import SyncStats
from postctl.search.ftstables import FtsUnavailable, fts5_available
from postctl.search.snippets import SNIPPET_WIDTH, Snippets, make_snippet

__all__ = [
    "COLUMNS",
    "SNIPPET_WIDTH",
    "WEIGHTS",
    "FtsUnavailable",
    "FullTextIndex",
    "Hit",
    "SearchResult",
    "Snippets",
    "SyncStats",
    "excerpt_of",
    "fts5_available",
    "make_snippet",
    "names_text",
    "stem_setting",
]
