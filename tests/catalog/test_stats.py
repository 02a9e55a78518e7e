"""stats' figures: per period with the empty ones, words per post counted once per content,
drafts apart, the same from the index and from the files."""

from __future__ import annotations

from collections import Counter

from postctl.catalog.query import make_filters
from postctl.catalog.reader import open_catalog
from postctl.catalog.stats import most_used, per_period, site_stats
from postctl.post.words import word_count
from postctl.site.model import open_site

POSTS = {
    "_posts/2024-01-05-a.md": "---\ntitle: A\ntags: [go, web]\nauthor: Ann\n---\none two three\n",
    "_posts/2024-03-07-b.md": "---\ntitle: B\ntags: [go]\nauthor: Bo\n---\nfour [five](/x/) six\n",
    "_posts/2024-03-09-c.md": "---\ntitle: C\ntags: [go]\nauthor: Ann\n---\nseven\n",
    "_drafts/d.md": "---\ntitle: D\ntags: [draft-only]\n---\nwords here\n",
}


def test_per_period_fills_the_empty_months_and_years() -> None:
    days = Counter(["2023-11-02", "2024-01-05", "2024-01-30"])
    assert per_period(days, "month") == [("2023-11", 1), ("2023-12", 0), ("2024-01", 2)]
    assert per_period(Counter(["2021-05-01", "2023-01-01"]), "year") == [
        ("2021", 1), ("2022", 0), ("2023", 1)]
    assert per_period(Counter(), "month") == []


def test_most_used_breaks_ties_by_name() -> None:
    assert most_used(Counter({"b": 2, "A": 2, "c": 5}), 2) == [("c", 5), ("A", 2)]


def test_site_stats_from_index_and_files_agree(make_site) -> None:
    site = open_site(str(make_site(posts=POSTS)))
    filters = make_filters(site.tz)
    figures = []
    for no_cache in (False, True):
        catalog = open_catalog(site, no_cache=no_cache)
        try:
            figures.append(site_stats(catalog, filters, "auto"))
        finally:
            catalog.close()
    indexed, direct = figures
    assert indexed == direct
    assert (indexed.posts, indexed.drafts, indexed.period) == (3, 1, "month")
    assert indexed.periods == [("2024-01", 1), ("2024-02", 0), ("2024-03", 2)]
    assert indexed.tags == [("go", 3), ("web", 1)]
    assert indexed.authors == [("Ann", 2), ("Bo", 1)]
    assert indexed.words is not None
    assert (indexed.words.total, indexed.words.shortest, indexed.words.longest) == (7, 1, 3)
    assert indexed.oldest is not None and indexed.oldest.title == "A"
    assert indexed.newest is not None and indexed.newest.path == "_posts/2024-03-09-c.md"


def test_words_are_counted_once_per_content_and_again_when_it_changes(make_site) -> None:
    root = make_site(posts=POSTS)
    site = open_site(str(root))
    filters = make_filters(site.tz)

    def total() -> int:
        catalog = open_catalog(site)
        try:
            words = site_stats(catalog, filters).words
            assert words is not None
            return words.total
        finally:
            catalog.close()

    assert total() == 7
    (root / "_posts/2024-03-09-c.md").write_text(
        "---\ntitle: C\n---\nseven eight nine ten\n", encoding="utf-8")
    assert total() == 10
    assert word_count("four [five](/x/) six") == 3


def test_long_spans_are_shown_by_year(make_site) -> None:
    posts = {f"_posts/{2010 + i}-06-01-p{i}.md": "---\ntitle: P\n---\nx\n" for i in range(4)}
    site = open_site(str(make_site(posts=posts)))
    catalog = open_catalog(site)
    try:
        figures = site_stats(catalog, make_filters(site.tz, all_posts=True))
    finally:
        catalog.close()
    assert figures.period == "year"
    assert [count for _, count in figures.periods] == [1, 1, 1, 1]


def test_a_warm_stats_reads_the_kept_figures_until_a_post_changes(make_site) -> None:
    root = make_site(posts=POSTS)
    site = open_site(str(root))
    filters = make_filters(site.tz)

    def figures():  # type: ignore[no-untyped-def]
        catalog = open_catalog(site)
        try:
            return site_stats(catalog, filters), catalog.connection.execute(  # type: ignore[attr-defined]
                "SELECT count(*) FROM stats_cache").fetchone()[0]
        finally:
            catalog.close()

    first, kept = figures()
    again, _ = figures()
    assert kept == 1 and again == first
    (root / "_posts/2024-01-05-a.md").write_text(
        "---\ntitle: A\ntags: [new]\nauthor: Cy\n---\none\n", encoding="utf-8")
    changed, _ = figures()
    assert ("new", 1) in changed.tags and ("Cy", 1) in changed.authors
    assert changed.words is not None and changed.words.total == first.words.total - 2  # type: ignore[union-attr]
