"""``postctl.search.service``: one entry point for the index's full-text search and the scan."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from postctl.catalog.query import Sort, make_filters
from postctl.search.language import parse_query
from postctl.search.service import parse_search_sort, ranked_paths, search_posts
from postctl.site.model import open_site
from tests.conftest import RecordingReporter

POSTS = {
    "_posts/2024-01-01-bread.md": "---\ntitle: Bread\n---\n\nRye bread, bread and more bread.\n",
    "_posts/2024-02-01-soup.md": "---\ntitle: Soup\n---\n\nSoup with a slice of bread.\n",
    "_posts/2024-03-01-tea.md": "---\ntitle: Tea\n---\n\nGreen tea.\n",
    "_drafts/bread-draft.md": "---\ntitle: Bread draft\n---\n\nBread bread bread bread.\n",
}


@pytest.fixture
def site(make_site: Any) -> Any:
    return open_site(Path(make_site(posts=POSTS)))


def _paths(site: Any, words: str, **options: Any) -> list[str]:
    filters = make_filters(site.tz)
    result = search_posts(site, parse_query(words), filters, snippet_width=80, count=True,
                          **options)
    return [hit.summary.path for hit in result.hits]


@pytest.mark.parametrize("text", [None, "relevance", " score ", "-rank"])
def test_relevance_is_no_sort_key(text: str | None) -> None:
    assert parse_search_sort(text) is None


def test_other_sort_keys_are_list_sort_keys() -> None:
    assert parse_search_sort("-date") == Sort("date", True)
    assert parse_search_sort("title") == Sort("title", False)


def test_index_and_scan_give_the_same_answer(site: Any) -> None:
    indexed = _paths(site, "bread")
    assert indexed == _paths(site, "bread", no_cache=True)
    assert set(indexed) == {"_posts/2024-01-01-bread.md", "_posts/2024-02-01-soup.md"}


def test_scan_warns_that_stemming_needs_the_index(site: Any) -> None:
    reporter = RecordingReporter()
    _paths(site, "bread", no_cache=True, stem=True, reporter=reporter)
    assert reporter.warnings == ["--stem needs the full-text index; matching exact word forms"]
    assert reporter.stages == []  # nothing is built for a scan
    reporter = RecordingReporter()
    _paths(site, "bread", stem=True, reporter=reporter)
    assert reporter.warnings == []
    assert reporter.stages == ["index", "fulltext"]


def test_progress_stages_open_one_at_a_time(site: Any) -> None:
    events: list[str] = []

    class Stages(RecordingReporter):
        @contextmanager
        def stage(self, name: str) -> Iterator[Any]:
            events.append(f"open {name}")
            yield lambda done, total: None
            events.append(f"close {name}")

    _paths(site, "bread", reporter=Stages())
    assert events == ["open index", "close index", "open fulltext", "close fulltext"]


def test_ranked_paths_rank_posts_and_drafts_as_search_does(site: Any) -> None:
    everything = make_filters(site.tz, all_posts=True)
    found = search_posts(site, parse_query("bread"), everything, None, 10, snippet_width=80,
                         count=False)
    ranked = ranked_paths(site, "bread", 10)
    assert ranked == [hit.summary.path for hit in found.hits]
    assert ranked is not None and "_drafts/bread-draft.md" in ranked
    assert ranked_paths(site, "bread", 1) == ranked[:1]


def test_words_that_are_not_a_query_give_none(site: Any) -> None:
    assert ranked_paths(site, '"unclosed', 10) is None
