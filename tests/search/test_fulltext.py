"""The full-text index against an independent scan of the files, before and after edits,
renames and deletions; incremental sync, ranking, stemming, snippets and the scan path."""

from __future__ import annotations

import os
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from postctl.catalog import query
from postctl.catalog.index import SiteIndex, open_index
from postctl.errors import ConfigError
from postctl.search.fulltext import (
    FtsUnavailable,
    FullTextIndex,
    SearchResult,
    make_snippet,
    stem_setting,
)
from postctl.search.language import parse_query
from postctl.search.scan import scan_search
from postctl.site.model import open_site

# --- an independent reading of the posts ------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold().replace("ё", "е")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


class Doc:
    """What the oracle knows of a post: the words of each field, read with PyYAML."""

    def __init__(self, path: Path) -> None:
        raw = path.read_text(encoding="utf-8")
        _, front, body = raw.split("---\n", 2)
        meta = yaml.safe_load(front) or {}
        self.draft = meta.get("published") is False
        self.tags = [str(tag) for tag in meta.get("tags") or []]
        self.fields = {
            "title": _words(str(meta.get("title", ""))),
            "tags": _words(" ".join(self.tags)),
            "author": _words(str(meta.get("author", ""))),
            "excerpt": _words(str(meta.get("excerpt", ""))),
            "body": _words(body),
        }

    def has(self, word: str, field: str | None = None, prefix: bool = False) -> bool:
        wanted = _fold(word)
        fields = [field] if field else list(self.fields)
        return any(w == wanted or (prefix and w.startswith(wanted))
                   for name in fields for w in self.fields[name])

    def has_phrase(self, phrase: str) -> bool:
        wanted = _words(phrase)
        for words in self.fields.values():
            for start in range(len(words) - len(wanted) + 1):
                if words[start:start + len(wanted)] == wanted:
                    return True
        return False

    def has_tag(self, name: str) -> bool:
        return any(_fold(tag) == _fold(name) for tag in self.tags)


def oracle(root: Path, predicate: Callable[[Doc], bool]) -> set[str]:
    found = set()
    for path in sorted((root / "_posts").glob("*.md")):
        doc = Doc(path)
        if not doc.draft and predicate(doc):
            found.add(path.relative_to(root).as_posix())
    return found


# --- a generated site ---------------------------------------------------------------------------

VOCABULARY = (
    "zelensky zelenskyy alaska Alaska summit talk talks talked talking café cafe Zürich Zurich "
    "Москва Ёлка елка Киев night train coffee peace treaty ceasefire border river winter "
    "naïve naive the of and a to in is Straße йогурт"
).split()
COMMON = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod".split()
TAGS = ["politics", "open-source", "travel", "Café culture", "новости", "python-tips", "python"]


def _post(rng: random.Random, number: int) -> str:
    title = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(2, 5)))
    tags = rng.sample(TAGS, rng.randint(0, 3))
    body_words = [rng.choice(VOCABULARY if rng.random() < 0.1 else COMMON)
                  for _ in range(rng.randint(20, 80))]
    for phrase in ("night train", "peace treaty"):
        if rng.random() < 0.3:
            body_words.insert(rng.randrange(len(body_words)), phrase)
    for index in range(0, len(body_words), 9):
        body_words[index] = f"**{body_words[index]}**" if index % 2 else body_words[index]
    body = "\n".join(" ".join(body_words[i:i + 12]) for i in range(0, len(body_words), 12))
    excerpt = " ".join(rng.choice(VOCABULARY) for _ in range(4))
    tag_text = ", ".join(f'"{tag}"' for tag in tags)
    return (f"---\ntitle: \"{title}\"\ndate: 2024-01-{number % 28 + 1:02d} 10:00:00 +0000\n"
            f"author: Ada Lovelace\ntags: [{tag_text}]\nexcerpt: \"{excerpt}\"\n---\n\n"
            f"## Heading {number}\n\n{body}\n")


@pytest.fixture
def site_root(make_site: Any) -> Path:
    rng = random.Random(7)
    posts = {f"_posts/2024-01-{n % 28 + 1:02d}-post-{n}.md": _post(rng, n) for n in range(40)}
    posts["_posts/2024-02-01-drafty.md"] = ("---\ntitle: Zelensky draft\npublished: false\n---\n"
                                            "zelensky alaska\n")
    return Path(make_site(posts=posts))


def _open(root: Path) -> SiteIndex:
    index = open_index(open_site(root))
    index.refresh()
    return index


def _paths(result: SearchResult) -> set[str]:
    return {hit.summary.path for hit in result.hits}


CASES: list[tuple[str, Callable[[Doc], bool]]] = [
    ("zelensky", lambda d: d.has("zelensky")),
    ("zelensky alaska", lambda d: d.has("zelensky") and d.has("alaska")),
    ("ZELENSKYY", lambda d: d.has("zelenskyy")),
    ('"night train"', lambda d: d.has_phrase("night train")),
    ('"peace treaty" -winter', lambda d: d.has_phrase("peace treaty") and not d.has("winter")),
    ("zelen*", lambda d: d.has("zelen", prefix=True)),
    ("alaska OR ceasefire", lambda d: d.has("alaska") or d.has("ceasefire")),
    ("coffee NOT river", lambda d: d.has("coffee") and not d.has("river")),
    ("(summit OR border) treaty", lambda d: (d.has("summit") or d.has("border"))
     and d.has("treaty")),
    ("title:alaska", lambda d: d.has("alaska", "title")),
    ("title:tal*", lambda d: d.has("tal", "title", prefix=True)),
    ("tag:python", lambda d: d.has_tag("python")),
    ("tag:open-source", lambda d: d.has_tag("open-source")),
    ('tag:"café culture"', lambda d: d.has_tag("Café culture")),
    ("tag:новости", lambda d: d.has_tag("новости")),
    ("author:lovelace river", lambda d: d.has("river")),
    ("cafe", lambda d: d.has("cafe")),
    ("café", lambda d: d.has("cafe")),
    ("zurich", lambda d: d.has("zurich")),
    ("naive", lambda d: d.has("naive")),
    ("москва", lambda d: d.has("москва")),
    ("МОСКВА", lambda d: d.has("москва")),
    ("елка", lambda d: d.has("елка")),
    ("мос*", lambda d: d.has("мос", prefix=True)),
    ("йогурт", lambda d: d.has("йогурт")),
]


def _search(engine: str, root: Path, text: str) -> set[str]:
    site = open_site(root)
    filters = query.make_filters(site.tz)
    node = parse_query(text)
    if engine == "scan":
        return _paths(scan_search(site, node, filters, limit=None))
    with _open(root) as index:
        full = FullTextIndex(index)
        full.sync()
        return _paths(full.search(node, filters, limit=None))


def _edit(root: Path) -> None:
    """Edit, rename, delete and add posts."""
    posts = root / "_posts"
    edited = posts / "2024-01-02-post-1.md"
    edited.write_text("---\ntitle: Alaska summit\ntags: [python]\n---\n"
                      "zelensky talks in Москва about the night train\n", encoding="utf-8")
    os.rename(posts / "2024-01-03-post-2.md", posts / "2024-01-03-renamed.md")
    (posts / "2024-01-04-post-3.md").unlink()
    (posts / "2024-01-05-post-4.md").unlink()
    (posts / "2024-03-01-new.md").write_text(
        "---\ntitle: Café in Zürich\ntags: [open-source]\n---\nceasefire treaty naïve\n",
        encoding="utf-8")


@pytest.mark.parametrize("engine", ["fts", "scan"])
def test_results_equal_an_independent_scan_before_and_after_changes(
    site_root: Path, engine: str
) -> None:
    for text, predicate in CASES:
        assert _search(engine, site_root, text) == oracle(site_root, predicate), text
    _edit(site_root)
    for text, predicate in CASES:
        assert _search(engine, site_root, text) == oracle(site_root, predicate), text


def test_every_case_has_hits_and_misses(site_root: Path) -> None:
    everything = oracle(site_root, lambda d: True)
    for text, predicate in CASES:
        found = oracle(site_root, predicate)
        assert found, text
        assert found != everything or text == "author:lovelace river", text


# --- incremental sync --------------------------------------------------------------------------


def test_first_search_builds_then_only_changes_are_read(site_root: Path) -> None:
    with _open(site_root) as index:
        full = FullTextIndex(index)
        assert not full.is_current()
        first = full.sync()
        assert first.indexed == 41  # the draft is indexed too (filters decide at query time)
        assert full.is_current()
        assert full.sync().indexed == 0
    posts = site_root / "_posts"
    (posts / "2024-01-02-post-1.md").write_text("---\ntitle: X\n---\nquokka\n", encoding="utf-8")
    with _open(site_root) as index:
        full = FullTextIndex(index)
        assert not full.is_current()
        stats = full.sync()
        assert (stats.indexed, stats.removed, stats.reused, stats.rebuilt) == (1, 1, 0, False)


def test_a_rename_reuses_the_document_and_a_touch_reads_nothing(site_root: Path) -> None:
    with _open(site_root) as index:
        FullTextIndex(index).sync()
    posts = site_root / "_posts"
    os.rename(posts / "2024-01-03-post-2.md", posts / "2024-01-03-renamed.md")
    os.utime(posts / "2024-01-06-post-5.md", ns=(1, 1))
    with _open(site_root) as index:
        stats = FullTextIndex(index).sync()
    assert (stats.indexed, stats.reused, stats.removed) == (0, 1, 1)


def test_changed_and_deleted_posts_leave_the_table_and_its_statistics(site_root: Path) -> None:
    """Their rows are deleted from the FTS5 table, so the rows BM25 counts (FTS5's own
    ``docsize`` table holds one per row) are the current posts."""
    with _open(site_root) as index:
        FullTextIndex(index).sync()
    posts = sorted((site_root / "_posts").glob("*.md"))
    for path in posts[:5]:
        path.unlink()
    posts[5].write_text("---\ntitle: X\n---\nquokka\n", encoding="utf-8")
    with _open(site_root) as index:
        stats = FullTextIndex(index).sync()
        assert (stats.removed, stats.indexed, stats.rebuilt) == (6, 1, False)
        execute = index.connection.execute
        assert execute("SELECT count(*), count(post_id) FROM fts_plain_doc").fetchone() == (36, 36)
        assert execute("SELECT count(*) FROM fts_plain_docsize").fetchone() == (36,)


def _scores(index: SiteIndex, text: str) -> list[tuple[str, float]]:
    full = FullTextIndex(index)
    full.sync()
    result = full.search(parse_query(text), query.make_filters(index.site.tz), limit=None)
    return [(hit.summary.path, hit.score) for hit in result.hits]


@pytest.mark.parametrize("text", ["zelensky", "night train", "tag:python OR coffee", "the"])
def test_scores_after_changes_equal_those_of_a_new_index(site_root: Path, text: str) -> None:
    with _open(site_root) as index:
        _scores(index, text)
    _edit(site_root)
    with _open(site_root) as index:
        kept = _scores(index, text)
    with open_index(open_site(site_root), rebuild=True) as index:
        index.refresh()
        assert kept == _scores(index, text)


def test_the_table_is_contentless_and_in_the_index_database(site_root: Path) -> None:
    with _open(site_root) as index:
        FullTextIndex(index).sync()
        sql = index.connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'fts_plain'").fetchone()[0]
        assert "content=''" in sql
        for name in ("title", "tags", "categories", "author", "excerpt", "body"):
            assert name in sql
        stored = index.connection.execute("SELECT count(*) FROM fts_plain_content"
                                          if _has_table(index, "fts_plain_content")
                                          else "SELECT 0").fetchone()[0]
        assert stored == 0


def _has_table(index: SiteIndex, name: str) -> bool:
    return index.connection.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def test_a_site_index_rebuild_drops_and_rebuilds_the_full_text_tables(site_root: Path) -> None:
    with _open(site_root) as index:
        FullTextIndex(index).sync()
    site = open_site(site_root)
    with open_index(site, rebuild=True) as index:
        index.refresh()
        assert not _has_table(index, "fts_plain")
        full = FullTextIndex(index)
        assert full.sync().indexed == 41
        result = full.search(parse_query("zelensky"), query.make_filters(site.tz), limit=None)
        assert _paths(result) == oracle(site_root, lambda d: d.has("zelensky"))


def test_tables_of_another_schema_version_are_rebuilt(site_root: Path) -> None:
    from postctl.search.ftstables import FTS_SCHEMA

    with _open(site_root) as index:
        FullTextIndex(index).sync()
        index.connection.execute("UPDATE fts_meta SET value = 'old' WHERE key = 'schema'")
        index.connection.commit()
    with _open(site_root) as index:
        stats = FullTextIndex(index).sync()
        assert (stats.indexed, stats.reused) == (41, 0)  # every post read again
        assert index.connection.execute(
            "SELECT value FROM fts_meta WHERE key = 'schema'").fetchone()[0] == FTS_SCHEMA


def test_drop_all_removes_every_full_text_object(site_root: Path) -> None:
    from postctl.search.ftstables import drop_all

    with _open(site_root) as index:
        FullTextIndex(index).sync()
        FullTextIndex(index, stem=True).sync()
        drop_all(index.connection)
        left = index.connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'fts%' AND type != 'index'"
        ).fetchall()
        assert left == []
        assert FullTextIndex(index).sync().indexed == 41


def test_changes_are_seen_when_triggers_were_lost(site_root: Path) -> None:
    with _open(site_root) as index:
        FullTextIndex(index).sync()
        index.connection.execute("DROP TRIGGER fts_posts_update")
    edited = site_root / "_posts" / "2024-01-02-post-1.md"
    edited.write_text("---\ntitle: X\n---\nquokka\n", encoding="utf-8")
    assert _search("fts", site_root, "quokka") == {"_posts/2024-01-02-post-1.md"}


def test_a_file_changed_after_the_refresh_is_picked_up_later(site_root: Path) -> None:
    edited = site_root / "_posts" / "2024-01-02-post-1.md"
    with _open(site_root) as index:
        edited.write_text("---\ntitle: X\n---\nquokka\n", encoding="utf-8")  # after refresh
        full = FullTextIndex(index)
        full.sync()
        assert index.connection.execute(
            "SELECT value FROM fts_meta WHERE key = 'plain.state'").fetchone()[0] == "unsynced"
    assert _search("fts", site_root, "quokka") == {"_posts/2024-01-02-post-1.md"}


def test_no_fts5_is_a_clear_error(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("postctl.search.ftsindex.fts5_available", lambda: False)
    with _open(site_root) as index, pytest.raises(FtsUnavailable, match="no FTS5"):
        FullTextIndex(index)


# --- ranking -------------------------------------------------------------------------------


_SITES = iter(range(1000))


def _ranked(make_site: Any, posts: dict[str, str], text: str, **kwargs: Any) -> list[str]:
    """The file names of the hits, best first: with the index, or by reading the files when
    ``engine="scan"``."""
    engine = kwargs.pop("engine", "fts")
    root = Path(make_site(posts=posts, name=f"site{next(_SITES)}"))
    site = open_site(root)
    filters = query.make_filters(site.tz)
    if engine == "scan":
        result = scan_search(site, parse_query(text), filters, **kwargs)
    else:
        with _open(root) as index:
            full = FullTextIndex(index, stem=kwargs.pop("stem", False))
            full.sync()
            result = full.search(parse_query(text), filters, **kwargs)
    return [hit.summary.path.split("/")[-1] for hit in result.hits]


FILLER = "lorem ipsum dolor sit amet " * 4
# posts without the searched word, so that it is rare enough to have a positive IDF
OTHERS = {f"_posts/2023-01-0{n}-other.md": f"---\ntitle: Other {n}\n---\n{FILLER}\n"
          for n in range(1, 8)}
ENGINES = pytest.mark.parametrize("engine", ["fts", "scan"])


EXCERPT_DEFAULT = ("timezone: UTC\ndefaults:\n  - scope: {path: ''}\n"
                   "    values:\n      excerpt: Walks along the glacier.\n")


@ENGINES
def test_an_own_excerpt_key_hides_the_default_one_even_when_empty(
    make_site: Any, engine: str
) -> None:
    # The excerpt is excerpt_of() the front matter Jekyll sees, the file's own keys over its
    # defaults: an empty, blank or non-text excerpt of its own falls through to description.
    own = "---\ntitle: T\nexcerpt: {}\ndescription: By the fjord.\n---\nText.\n"
    posts = {
        "_posts/2024-01-01-empty.md": own.format('""'),
        "_posts/2024-01-02-blank.md": own.format('"\\n\\t"'),
        "_posts/2024-01-03-number.md": own.format("5"),
        "_posts/2024-01-04-default.md": "---\ntitle: T\n---\nText.\n",
    }
    root = Path(make_site(posts=posts, jekyll=EXCERPT_DEFAULT))
    assert _search(engine, root, "excerpt:glacier") == {"_posts/2024-01-04-default.md"}
    assert _search(engine, root, "excerpt:fjord") == {
        "_posts/2024-01-01-empty.md", "_posts/2024-01-02-blank.md", "_posts/2024-01-03-number.md"}


@ENGINES
def test_title_ranks_above_tags_and_excerpt_above_body(make_site: Any, engine: str) -> None:
    posts = {
        "_posts/2024-01-01-body.md": f"---\ntitle: One\n---\n{FILLER} glacier {FILLER}\n",
        "_posts/2024-01-02-tags.md": f"---\ntitle: Two\ntags: [glacier]\n---\n{FILLER}\n",
        "_posts/2024-01-03-title.md": f"---\ntitle: Glacier walks\n---\n{FILLER}\n",
        "_posts/2024-01-04-excerpt.md": (f"---\ntitle: Four\nexcerpt: about a glacier\n---\n"
                                         f"{FILLER}\n"),
    }
    order = _ranked(make_site, posts, "glacier", engine=engine)
    assert order[0] == "2024-01-03-title.md"
    assert order[-1] == "2024-01-01-body.md"
    assert set(order[1:3]) == {"2024-01-02-tags.md", "2024-01-04-excerpt.md"}


@ENGINES
def test_a_title_match_outranks_tags_and_many_words_in_the_body(
    make_site: Any, engine: str
) -> None:
    # Weighting the columns inside one bm25() multiplies the counts before they saturate:
    # there, the title (10 x 1) barely beat a tag and three words in the body (5 + 3).
    posts = {
        **OTHERS,
        "_posts/2024-01-01-title.md": (f"---\ntitle: Rye bread that rises\ntags: [baking]\n---\n"
                                       f"{FILLER * 3}\n"),
        "_posts/2024-02-01-tags.md": (f"---\ntitle: Smørrebrød at home\ntags: [denmark, bread]\n"
                                      f"---\nbread {FILLER} bread {FILLER} bread\n"),
        "_posts/2024-03-01-body.md": ("---\ntitle: Crumbs\n---\n"
                                      + "bread and more bread, " * 8 + "\n"),
    }
    assert _ranked(make_site, posts, "bread", engine=engine) == [
        "2024-01-01-title.md", "2024-02-01-tags.md", "2024-03-01-body.md"]


@ENGINES
def test_a_tag_or_the_excerpt_outranks_many_words_in_the_body(
    make_site: Any, engine: str
) -> None:
    posts = {
        **OTHERS,
        "_posts/2024-01-01-tags.md": f"---\ntitle: One\ntags: [fjord]\n---\n{FILLER}\n",
        "_posts/2024-01-02-excerpt.md": (f"---\ntitle: Two\nexcerpt: Along the fjord.\n---\n"
                                         f"{FILLER}\n"),
        "_posts/2024-06-01-body.md": ("---\ntitle: Three\n---\n"
                                      + "the fjord, the fjord again; " * 6 + f"{FILLER}\n"),
    }
    order = _ranked(make_site, posts, "fjord", engine=engine)
    assert set(order[:2]) == {"2024-01-01-tags.md", "2024-01-02-excerpt.md"}
    assert order[2:] == ["2024-06-01-body.md"]


@ENGINES
def test_a_title_match_outranks_the_body_even_in_a_long_post(
    make_site: Any, engine: str
) -> None:
    posts = {
        **OTHERS,
        "_posts/2024-01-01-long.md": f"---\ntitle: Glacier\n---\n{FILLER * 12}\n",
        "_posts/2024-06-01-short.md": "---\ntitle: Ice\n---\n" + "glacier " * 20 + "\n",
    }
    assert _ranked(make_site, posts, "glacier", engine=engine) == [
        "2024-01-01-long.md", "2024-06-01-short.md"]


@ENGINES
def test_ties_go_to_the_newer_post(make_site: Any, engine: str) -> None:
    same = f"---\ntitle: Same\n---\nfjord {FILLER}\n"
    posts = {f"_posts/2024-0{n}-01-p{n}.md": same for n in (3, 1, 2)}
    assert _ranked(make_site, posts, "fjord", engine=engine) == [
        "2024-03-01-p3.md", "2024-02-01-p2.md", "2024-01-01-p1.md"]
    posts = {
        "_posts/2024-01-01-old.md": "---\ntitle: Fjord\n---\nfjord fjord\n",
        "_posts/2024-05-01-new.md": f"---\ntitle: x\n---\nfjord {FILLER}\n",
    }
    assert _ranked(make_site, posts, "fjord", engine=engine)[0] == "2024-01-01-old.md"


@ENGINES
def test_ties_at_the_limit_go_to_the_newer_posts(make_site: Any, engine: str) -> None:
    tied = f"---\ntitle: Same\ntags: [fjord]\n---\n{FILLER}\n"
    posts = {
        **OTHERS,
        **{f"_posts/2024-0{n}-01-tied.md": tied for n in range(1, 7)},
        "_posts/2020-01-01-best.md": f"---\ntitle: Fjord\ntags: [fjord]\n---\n{FILLER}\n",
        "_posts/2025-01-01-body.md": f"---\ntitle: Body\n---\nfjord {FILLER}\n",
    }
    assert _ranked(make_site, posts, "fjord", engine=engine, limit=3) == [
        "2020-01-01-best.md", "2024-06-01-tied.md", "2024-05-01-tied.md"]


@pytest.mark.parametrize("engine", ["fts", "scan", "fts-small-window"])
def test_the_best_posts_the_filters_keep(
    make_site: Any, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "fts-small-window":  # excluded posts fill the first windows of best rows
        monkeypatch.setattr("postctl.search.ftssearch.WINDOW", 1)
        engine = "fts"
    drafts = {f"_posts/2024-01-{n:02d}-draft.md": ("---\ntitle: Fjord\npublished: false\n"
                                                   f"---\nfjord {FILLER}\n")
              for n in range(1, 26)}
    posts = {
        **OTHERS,
        **drafts,
        "_posts/2024-03-01-a.md": f"---\ntitle: A\ntags: [fjord]\n---\n{FILLER}\n",
        "_posts/2024-03-02-b.md": f"---\ntitle: B\n---\nfjord {FILLER}\n",
        "_posts/2024-03-03-c.md": f"---\ntitle: C\n---\n{FILLER} fjord {FILLER * 4}\n",
    }
    assert _ranked(make_site, posts, "fjord", engine=engine, limit=2) == [
        "2024-03-01-a.md", "2024-03-02-b.md"]


def test_columns_without_a_query_word_are_left_out_of_the_score(
    site_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postctl.search import ftssearch
    from postctl.search.base import COLUMNS

    site = open_site(site_root)
    filters = query.make_filters(site.tz)
    docs = [Doc(path) for path in sorted((site_root / "_posts").glob("*.md"))]
    with _open(site_root) as index:
        full = FullTextIndex(index)
        full.sync()
        for word in ("ceasefire", "lovelace", "python"):
            expected = [name for name in COLUMNS
                        if any(doc.has(word, name) for doc in docs if name in doc.fields)]
            assert ftssearch._scored_columns(full, parse_query(word)) == expected, word
        assert ftssearch._scored_columns(full, parse_query("tag:python")) == ["tags"]
        pruned = {text: full.search(parse_query(text), filters, limit=5) for text, _ in CASES}
        monkeypatch.setattr(ftssearch, "_scored_columns", lambda fts, node: list(COLUMNS))
        for text, result in pruned.items():
            every = full.search(parse_query(text), filters, limit=5)
            assert [(hit.summary.path, hit.score) for hit in result.hits] == [
                (hit.summary.path, hit.score) for hit in every.hits], text


def test_sort_by_date_newest_first(make_site: Any) -> None:
    posts = {
        "_posts/2024-01-01-old.md": "---\ntitle: Fjord\n---\nfjord fjord\n",
        "_posts/2024-05-01-new.md": f"---\ntitle: x\n---\nfjord {FILLER}\n",
        "_posts/2024-03-01-mid.md": f"---\ntitle: y\n---\nfjord {FILLER}\n",
    }
    assert _ranked(make_site, posts, "fjord", sort=query.parse_sort("-date")) == [
        "2024-05-01-new.md", "2024-03-01-mid.md", "2024-01-01-old.md"]


def test_stemming_matches_english_word_forms(make_site: Any) -> None:
    posts = {
        "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nshe talked for hours\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\n---\nthe talks went well\n",
        "_posts/2024-01-03-c.md": "---\ntitle: C\n---\nnothing here\n",
    }
    assert _ranked(make_site, posts, "talk") == []
    root_posts = {k.replace("2024", "2025"): v for k, v in posts.items()}
    found = _ranked(make_site, root_posts, "talk", stem=True)
    assert sorted(found) == ["2025-01-01-a.md", "2025-01-02-b.md"]


def test_stem_setting() -> None:
    assert stem_setting({}, None) is False
    assert stem_setting({"stem": True}, None) is True
    with pytest.raises(ConfigError, match=r"search\.stem"):
        stem_setting({"stem": "yes"}, Path("postctl.toml"))
    with pytest.raises(ConfigError, match=r"search\.color"):
        stem_setting({"color": True}, Path("postctl.toml"))


def test_filters_of_list_combine_with_the_query(site_root: Path) -> None:
    site = open_site(site_root)
    with _open(site_root) as index:
        full = FullTextIndex(index)
        full.sync()
        tagged = full.search(parse_query("zelensky"),
                             query.make_filters(site.tz, tags=["python"]), limit=None)
        drafts = full.search(parse_query("zelensky"),
                             query.make_filters(site.tz, drafts=True), limit=None)
        everything = full.search(parse_query("zelensky"),
                                 query.make_filters(site.tz, all_posts=True), limit=None)
    assert _paths(tagged) == oracle(site_root, lambda d: d.has("zelensky") and d.has_tag("python"))
    assert _paths(drafts) == {"_posts/2024-02-01-drafty.md"}
    assert _paths(everything) == _paths(tagged) | _paths(drafts) | oracle(
        site_root, lambda d: d.has("zelensky"))


def test_limit_and_count(site_root: Path) -> None:
    site = open_site(site_root)
    expected = oracle(site_root, lambda d: d.has("the"))
    with _open(site_root) as index:
        full = FullTextIndex(index)
        full.sync()
        result = full.search(parse_query("the"), query.make_filters(site.tz), limit=3, count=True)
    assert len(result.hits) == 3
    assert result.total == len(expected)


# --- snippets ------------------------------------------------------------------------------------


def test_snippet_around_the_best_passage_with_highlights(make_site: Any) -> None:
    body = ("Intro words that do not matter at all. " * 10
            + "Here the **ceasefire** talks in *Alaska* went on.\n\nMore filler. " * 1
            + "Unrelated closing text. " * 10)
    root = Path(make_site(posts={"_posts/2024-01-01-a.md": f"---\ntitle: A\n---\n{body}"}))
    site = open_site(root)
    with _open(root) as index:
        full = FullTextIndex(index)
        full.sync()
        hit = full.search(parse_query("ceasefire alaska"), query.make_filters(site.tz)).hits[0]
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked == ["ceasefire", "Alaska"]
    assert "**" not in hit.snippet and "*" not in hit.snippet
    assert "\n" not in hit.snippet
    assert len(hit.snippet) <= 170


def test_snippet_highlights_stems_and_phrases(make_site: Any) -> None:
    root = Path(make_site(posts={"_posts/2024-01-01-a.md":
                                 "---\ntitle: A\n---\nThe talks on the night train ran late.\n"}))
    site = open_site(root)
    with _open(root) as index:
        full = FullTextIndex(index, stem=True)
        full.sync()
        hit = full.search(parse_query('talk "night train"'), query.make_filters(site.tz)).hits[0]
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["talks", "night train"]


def test_make_snippet_cuts_at_words() -> None:
    text = "alpha beta gamma delta " * 20 + "needle " + "omega " * 40
    start = text.index("needle")
    snippet, spans = make_snippet(text, [(start, start + 6)], 60)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert [snippet[a:b] for a, b in spans] == ["needle"]
    inner = snippet[2:-2].split(" ")
    assert all(word in {"alpha", "beta", "gamma", "delta", "needle", "omega"} for word in inner)
    assert make_snippet("short text", [], 60) == ("short text", ())
    assert make_snippet("   ", [], 60) == ("", ())


def test_make_snippet_prefers_the_window_with_more_distinct_words() -> None:
    text = "x " * 100 + "apple " + "y " * 100 + "apple pear " + "z " * 100
    first = text.index("apple")
    second = text.index("apple pear")
    spans = [(first, first + 5), (second, second + 5), (second + 6, second + 10)]
    snippet, shown = make_snippet(text, spans, 40)
    assert [snippet[a:b] for a, b in shown] == ["apple", "pear"]


# --- scan path -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["glacier", "glacier walks", "glacier OR ice", "walk*",
                                  "title:glacier OR ice", '"glacier walks" -ice'])
def test_scan_ranks_like_the_index(make_site: Any, text: str) -> None:
    posts = {
        "_posts/2024-01-01-body.md": f"---\ntitle: One\n---\n{FILLER} glacier {FILLER}\n",
        "_posts/2024-01-02-tags.md": f"---\ntitle: Two\ntags: [glacier]\n---\n{FILLER}\n",
        "_posts/2024-01-03-title.md": f"---\ntitle: Glacier walks\n---\n{FILLER}\n",
        "_posts/2024-01-04-both.md": f"---\ntitle: Glacier\n---\nglacier {FILLER}\n",
        "_posts/2024-01-05-excerpt.md": ("---\ntitle: Ice\nexcerpt: Glacier walks on ice.\n"
                                         f"author: Ice Walker\n---\nice ice {FILLER}\n"),
        "_posts/2024-01-06-many.md": ("---\ntitle: Walking\ncategories: [glacier]\n---\n"
                                      + "glacier walks and ice, " * 9 + "\n"),
        **{f"_posts/2024-02-0{n}-other.md": f"---\ntitle: Other\n---\n{FILLER}\n"
           for n in range(1, 8)},
    }
    root = Path(make_site(posts=posts))
    site = open_site(root)
    node = parse_query(text)
    filters = query.make_filters(site.tz)
    scanned = scan_search(site, node, filters)
    with _open(root) as index:
        full = FullTextIndex(index)
        full.sync()
        indexed = full.search(node, filters)
    assert indexed.hits
    assert [h.summary.path for h in scanned.hits] == [h.summary.path for h in indexed.hits]
    for mine, theirs in zip(scanned.hits, indexed.hits, strict=True):
        assert mine.score == pytest.approx(theirs.score, rel=1e-6, abs=1e-6)
        assert mine.snippet == theirs.snippet
        assert mine.highlights == theirs.highlights


def test_scan_counts_overlapping_occurrences_as_fts5_does(make_site: Any) -> None:
    """Two spellings of a tag share the mark between them, so ``tag:glacier`` occurs twice
    in the tags ``Glacier, glacier``, and a phrase whose first word is its last, twice in
    ``ice walk ice walk ice``."""
    root = Path(make_site(posts={
        "_posts/2024-01-01-two.md": "---\ntitle: Two\ntags: [Glacier, glacier]\n---\nx\n",
        "_posts/2024-01-02-ice.md": "---\ntitle: Ice\n---\nice walk ice walk ice\n",
        **{f"_posts/2024-02-0{n}-other.md": f"---\ntitle: Other\n---\n{FILLER}\n"
           for n in range(1, 8)},
    }))
    site = open_site(root)
    filters = query.make_filters(site.tz)
    for text in ("tag:glacier", '"ice walk ice"'):
        node = parse_query(text)
        with _open(root) as index:
            full = FullTextIndex(index)
            full.sync()
            indexed = [(hit.summary.path, hit.score) for hit in full.search(node, filters).hits]
        scanned = [(hit.summary.path, hit.score) for hit in scan_search(site, node, filters).hits]
        assert scanned == indexed and len(indexed) == 1, text


def test_scan_reports_unreadable_posts(make_site: Any) -> None:
    root = Path(make_site(posts={
        "_posts/2024-01-01-ok.md": "---\ntitle: Ok\n---\nglacier\n",
        "_posts/2024-01-02-bad.md": "---\ntitle: [unclosed\n---\nglacier\n",
    }))
    site = open_site(root)
    result = scan_search(site, parse_query("glacier"), query.make_filters(site.tz))
    assert _paths(result) == {"_posts/2024-01-01-ok.md"}
    assert [error.path.name for error in result.errors] == ["2024-01-02-bad.md"]



def test_read_body_reads_only_regular_files_within_the_limit(tmp_path: Path) -> None:
    import hashlib

    from postctl.search.base import read_body

    post = tmp_path / "post.md"
    post.write_bytes(b"---\ntitle: x\n---\nbody\n")
    digest = hashlib.blake2b(post.read_bytes(), digest_size=16).hexdigest()
    assert read_body(post, 1000) == "body\n"
    assert read_body(post, 1000, digest) == "body\n"
    assert read_body(post, 1000, "0" * 32) is None  # not the version indexed
    assert read_body(post, 5) is None
    link = tmp_path / "link.md"
    link.symlink_to(post)
    assert read_body(link, 1000) is None
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    assert read_body(fifo, 1000) is None  # returns at once: no writer is waited for
    assert read_body(tmp_path / "missing.md", 1000) is None
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe\x00bad")
    assert read_body(tmp_path / "binary.md", 1000) is None


def test_two_processes_building_at_once_build_once(site_root: Path) -> None:
    import threading

    site = open_site(site_root)
    with open_index(site) as first_index, open_index(site) as second_index:
        first_index.refresh()
        started, release = threading.Event(), threading.Event()

        def slow(done: int, total: int) -> None:
            started.set()
            release.wait(5)

        first = FullTextIndex(first_index)
        results: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: results.update(first=first.sync(slow)))
        worker.start()
        assert started.wait(5)
        second = FullTextIndex(second_index)
        other = threading.Thread(target=lambda: results.update(second=second.sync()))
        other.start()  # waits for the first one's write lock
        release.set()
        worker.join(10)
        other.join(10)
        assert results["first"].indexed == 41
        assert results["second"].indexed == 0  # the work was done once
        found = second.search(parse_query("zelensky"), query.make_filters(site.tz), limit=None)
    assert _paths(found) == oracle(site_root, lambda d: d.has("zelensky"))
