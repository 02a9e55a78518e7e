"""Search in Chinese, Japanese and Korean posts: a word of two or more characters is found
wherever it occurs in a run of text written without spaces, by the index and by the scan of
the files alike, ranked by the same rules and highlighted in the snippet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from postctl.catalog import query
from postctl.catalog.index import open_index
from postctl.search.fulltext import FullTextIndex, SearchResult
from postctl.search.language import parse_query, to_fts
from postctl.search.scan import scan_search
from postctl.site.model import open_site

POSTS = {
    "_posts/2024-01-01-ja.md": ("---\ntitle: 東京の旅\ntags: [旅行]\n---\n"
                                "昨日は東京タワーに行きました。とても楽しかったです。\n"),
    "_posts/2024-01-02-zh.md": ("---\ntitle: 北京烤鸭\n---\n"
                                "我们在北京吃了烤鸭，味道非常好。人工智能也很有意思。\n"),
    "_posts/2024-01-03-ko.md": ("---\ntitle: 서울 여행\n---\n"
                                "서울에서 친구를 만났어요. 한국어 공부는 재미있어요.\n"),
    "_posts/2024-01-04-mixed.md": ("---\ntitle: Python入門\n---\n"
                                   "Python で東京の天気を調べる。\n"),
    "_posts/2024-01-05-en.md": "---\ntitle: Plain English\n---\nNothing to see here.\n",
}

ENGINES = pytest.mark.parametrize("engine", ["fts", "scan"])


def _result(root: Path, text: str, engine: str) -> SearchResult:
    site = open_site(root)
    filters = query.make_filters(site.tz)
    node = parse_query(text)
    if engine == "scan":
        return scan_search(site, node, filters, limit=None)
    with open_index(site) as index:
        index.refresh()
        full = FullTextIndex(index)
        full.sync()
        return full.search(node, filters, limit=None)


def _names(result: SearchResult) -> list[str]:
    return [hit.summary.path.rsplit("/", 1)[-1] for hit in result.hits]


@ENGINES
@pytest.mark.parametrize(("text", "expected"), [
    ("東京", {"2024-01-01-ja.md", "2024-01-04-mixed.md"}),  # two characters, inside a run
    ("タワー", {"2024-01-01-ja.md"}),                      # Katakana
    ("楽しかった", {"2024-01-01-ja.md"}),
    ("烤鸭", {"2024-01-02-zh.md"}),                         # Chinese, title and body
    ("人工智能", {"2024-01-02-zh.md"}),
    ("서울", {"2024-01-03-ko.md"}),                         # Korean, a particle attached
    ("한국어", {"2024-01-03-ko.md"}),
    ("入門", {"2024-01-04-mixed.md"}),                      # after Latin letters
    ("python 天気", {"2024-01-04-mixed.md"}),
    ('"東京タワー"', {"2024-01-01-ja.md"}),
    ("tag:旅行", {"2024-01-01-ja.md"}),
    ("title:東京", {"2024-01-01-ja.md"}),
    ("京東", set()),                                        # the letters, not in that order
    ("大阪", set()),
])
def test_a_cjk_word_is_found_inside_a_run(make_site: Any, engine: str, text: str,
                                          expected: set[str]) -> None:
    root = Path(make_site(posts=POSTS))
    assert set(_names(_result(root, text, engine))) == expected


@pytest.mark.parametrize("text", ["東京", "北京 烤鸭", "서울", "東京 OR 北京", "python 天気"])
def test_the_scan_ranks_and_highlights_cjk_like_the_index(make_site: Any, text: str) -> None:
    root = Path(make_site(posts=POSTS))
    indexed, scanned = _result(root, text, "fts"), _result(root, text, "scan")
    assert indexed.hits
    assert _names(indexed) == _names(scanned)
    for mine, theirs in zip(scanned.hits, indexed.hits, strict=True):
        assert mine.score == pytest.approx(theirs.score, rel=1e-6, abs=1e-6)
        assert mine.snippet == theirs.snippet
        assert mine.highlights == theirs.highlights


@ENGINES
def test_a_title_match_outranks_the_body_in_cjk_too(make_site: Any, engine: str) -> None:
    hits = _names(_result(Path(make_site(posts=POSTS)), "東京", engine))
    assert hits == ["2024-01-01-ja.md", "2024-01-04-mixed.md"]


@ENGINES
def test_the_snippet_highlights_the_cjk_word(make_site: Any, engine: str) -> None:
    root = Path(make_site(posts=POSTS))
    hit = _result(root, "東京", engine).hits[0]
    assert hit.snippet.startswith("昨日は東京タワー")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["東京"]
    hit = _result(root, "한국어", engine).hits[0]
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["한국어"]


def test_a_cjk_word_is_the_phrase_of_its_letters_in_fts5() -> None:
    assert to_fts(parse_query("東京")) == '"東 京"'
    assert to_fts(parse_query("Python入門")) == '"Python 入 門"'
    assert to_fts(parse_query("hello")) == '"hello"'
