"""``postctl search`` end to end: output formats, exit codes, filters, fallback, safety."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_SITE, snapshot

POSTS = {
    "_posts/2024-01-01-alaska-summit.md": (
        "---\ntitle: Zelensky and the Alaska summit\ntags: [politics, ukraine]\n"
        "author: Ada\nexcerpt: Talks in Anchorage.\n---\n\nThe **Alaska** talks with "
        "Zelenskyy went on for hours; the [summit](https://example.com/summit) ended late.\n"),
    "_posts/2024-02-01-cafe.md": (
        "---\ntitle: Café culture\ntags: [coffee]\nauthor: Bo\n---\n\nA café in Zürich.\n"),
    "_posts/2024-03-01-moscow.md": (
        "---\ntitle: Москва зимой\ntags: [новости]\n---\n\nЁлка на Красной площади. Zelensky.\n"),
    "_drafts/unfinished.md": "---\ntitle: Draft about Alaska\n---\n\nAlaska draft text.\n",
}


@pytest.fixture
def site(make_site: Any) -> Path:
    return Path(make_site(posts=POSTS))


def _json(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_words_must_all_match(cli: Any, site: Path) -> None:
    items = _json(cli("--root", str(site), "search", "zelensky alaska", "--format", "json"))
    assert [item["path"] for item in items] == ["_posts/2024-01-01-alaska-summit.md"]


def test_several_words_are_one_query_like_the_quoted_form(cli: Any, site: Path) -> None:
    items = _json(cli("--root", str(site), "search", "zelensky", "alaska", "--format", "json"))
    assert [item["path"] for item in items] == ["_posts/2024-01-01-alaska-summit.md"]
    # a phrase in quotes stays a phrase among other words
    phrase = _json(cli("--root", str(site), "search", '"alaska summit"', "zelensky",
                       "--format", "json"))
    assert [item["path"] for item in phrase] == ["_posts/2024-01-01-alaska-summit.md"]
    missing = cli("--root", str(site), "search", '"summit alaska"', "zelensky")
    assert missing.exit_code == 1
    assert missing.stderr == "no posts match '\"summit alaska\" zelensky'\n"


def test_case_diacritics_and_cyrillic(cli: Any, site: Path) -> None:
    def paths(text: str) -> list[str]:
        return [item["path"] for item in _json(
            cli("--root", str(site), "search", text, "--format", "json"))]

    assert paths("ZELENSKYY") == ["_posts/2024-01-01-alaska-summit.md"]
    assert paths("cafe zurich") == ["_posts/2024-02-01-cafe.md"]
    assert paths("москва") == ["_posts/2024-03-01-moscow.md"]
    assert paths("елка") == ["_posts/2024-03-01-moscow.md"]
    assert paths("tag:НОВОСТИ") == ["_posts/2024-03-01-moscow.md"]


def test_json_item_is_the_list_item_plus_score_and_snippet(cli: Any, site: Path) -> None:
    items = _json(cli("--root", str(site), "search", "alaska", "--format", "json"))
    listed = _json(cli("--root", str(site), "list", "--format", "json"))
    by_path = {item["path"]: item for item in listed}
    assert len(items) == 1
    item = items[0]
    extra = {key: item.pop(key) for key in ("score", "snippet", "highlights")}
    assert item == by_path[item["path"]]
    assert extra["score"] > 0
    assert [extra["snippet"][a:b] for a, b in extra["highlights"]] == ["Alaska"]
    assert "**" not in extra["snippet"] and "https://" not in extra["snippet"]


def test_jsonl_and_paths(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "search", "zelensky", "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["path"] for line in lines} == {
        "_posts/2024-01-01-alaska-summit.md", "_posts/2024-03-01-moscow.md"}
    result = cli("--root", str(site), "search", "zelensky", "--format", "paths")
    assert sorted(result.stdout.splitlines()) == sorted(
        os.path.relpath(site / line["path"]) for line in lines)


def test_paths_output_cuts_no_snippets(cli: Any, site: Path, monkeypatch: Any) -> None:
    from postctl.search import snippets
    cut: list[object] = []
    real = snippets.Snippets.texts
    monkeypatch.setattr(snippets.Snippets, "texts",
                        lambda self, hit: cut.append(hit) or real(self, hit))
    assert cli("--root", str(site), "search", "zelensky", "--format", "jsonl").exit_code == 0
    assert len(cut) == 2  # the files are read for the snippets of the data formats
    cut.clear()
    result = cli("--root", str(site), "search", "zelensky", "--format", "paths")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2 and cut == []


def test_terminal_list_shows_title_date_path_and_snippet(
    cli: Any, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    result = cli("search", "alaska")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "1. Zelensky and the Alaska summit"
    assert lines[1].split() == ["2024-01-01", "_posts/2024-01-01-alaska-summit.md"]
    assert "The Alaska talks with Zelenskyy" in result.stdout


def test_highlights_are_styled_on_a_colour_terminal(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "--color", "always", "search", "anchorage")
    assert "\x1b[1;7mAnchorage\x1b[0m" in result.stdout


def test_no_hits_exits_1_with_a_message(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "search", "nonexistentword")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "no posts match 'nonexistentword'\n"
    result = cli("--root", str(site), "search", "nonexistentword", "--format", "json")
    assert (result.exit_code, result.stdout.strip()) == (1, "[]")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unbalanced', "unbalanced quote"),
        ("OR", "'OR' at column 1 needs a term"),
        ("alaska NOT", "'NOT' at column 8 needs a term after it"),
        ("-alaska", "only excludes words"),
        ("(alaska", "unbalanced parenthesis"),
    ],
)
def test_a_bad_query_is_a_one_line_usage_error(
    cli: Any, site: Path, text: str, message: str
) -> None:
    result = cli("--root", str(site), "search", "--", text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "sqlite" not in result.stderr.lower() and "Traceback" not in result.stderr


def test_a_bad_query_with_json_is_a_json_error(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "search", '"x', "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["code"] == "usage"


def test_list_filters_combine(cli: Any, site: Path) -> None:
    def paths(*args: str) -> list[str]:
        result = cli("--root", str(site), "search", *args, "--format", "json")
        return [item["path"] for item in json.loads(result.stdout or "[]")]

    assert paths("alaska") == ["_posts/2024-01-01-alaska-summit.md"]
    assert paths("alaska", "--drafts") == ["_drafts/unfinished.md"]
    assert sorted(paths("alaska", "--all")) == [
        "_drafts/unfinished.md", "_posts/2024-01-01-alaska-summit.md"]
    assert paths("zelensky", "--tag", "politics") == ["_posts/2024-01-01-alaska-summit.md"]
    assert paths("zelensky", "--since", "2024-02-01") == ["_posts/2024-03-01-moscow.md"]
    assert paths("zelensky", "--until", "2024-02") == ["_posts/2024-01-01-alaska-summit.md"]
    assert paths("zelensky", "--where", "title~^Zel") == ["_posts/2024-01-01-alaska-summit.md"]
    assert paths("zelensky OR café", "--sort", "-date") == [
        "_posts/2024-03-01-moscow.md", "_posts/2024-02-01-cafe.md",
        "_posts/2024-01-01-alaska-summit.md"]
    assert paths("zelensky OR café", "--sort", "date") == [
        "_posts/2024-01-01-alaska-summit.md", "_posts/2024-02-01-cafe.md",
        "_posts/2024-03-01-moscow.md"]


def test_limit_defaults_to_20(cli: Any, make_site: Any) -> None:
    posts = {f"_posts/2024-01-{n:02d}-p.md": "---\ntitle: P\n---\nfjord\n" for n in range(1, 26)}
    root = make_site(posts=posts)
    assert len(_json(cli("--root", str(root), "search", "fjord", "-f", "json"))) == 20
    assert len(_json(cli("--root", str(root), "search", "fjord", "-f", "json", "-n", "3"))) == 3
    result = cli("--root", str(root), "search", "fjord")
    assert "20 of 25 matching posts shown" in result.stderr


def test_stem_flag_and_config(cli: Any, make_site: Any) -> None:
    posts = {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nThe talks went well.\n"}
    root = make_site(posts=posts)
    assert cli("--root", str(root), "search", "talk").exit_code == 1
    assert cli("--root", str(root), "search", "talk", "--stem").exit_code == 0
    stemmed = make_site(posts=posts, config="[search]\nstem = true\n", name="stemmed")
    assert cli("--root", str(stemmed), "search", "talk").exit_code == 0
    assert cli("--root", str(stemmed), "search", "talk", "--no-stem").exit_code == 1
    bad = make_site(posts=posts, config="[search]\nstem = 'yes'\n", name="bad")
    result = cli("--root", str(bad), "search", "talk")
    assert result.exit_code == 2 and "search.stem" in result.stderr


def test_edits_renames_and_deletions_are_seen_by_the_next_search(cli: Any, site: Path) -> None:
    def paths(text: str) -> list[str]:
        result = cli("--root", str(site), "search", text, "--format", "json")
        return sorted(item["path"] for item in json.loads(result.stdout or "[]"))

    assert paths("zürich") == ["_posts/2024-02-01-cafe.md"]
    posts = site / "_posts"
    (posts / "2024-02-01-cafe.md").rename(posts / "2024-02-02-renamed.md")
    (posts / "2024-03-01-moscow.md").write_text("---\ntitle: M\n---\nZürich now\n",
                                                encoding="utf-8")
    (posts / "2024-01-01-alaska-summit.md").unlink()
    assert paths("zürich") == ["_posts/2024-02-02-renamed.md", "_posts/2024-03-01-moscow.md"]
    assert paths("zelensky") == []
    assert paths("alaska") == []


def test_no_fts5_falls_back_to_reading_the_files(
    cli: Any, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("postctl.search.fulltext.fts5_available", lambda: False)
    result = cli("--root", str(site), "search", "zelensky", "--format", "json")
    assert result.exit_code == 0
    assert "has no FTS5" in result.stderr and "reading every post" in result.stderr
    assert sorted(item["path"] for item in json.loads(result.stdout)) == [
        "_posts/2024-01-01-alaska-summit.md", "_posts/2024-03-01-moscow.md"]
    assert cli("--root", str(site), "search", "nothinghere").exit_code == 1


def test_no_cache_reads_the_files(cli: Any, site: Path) -> None:
    indexed = _json(cli("--root", str(site), "search", "zelensky OR café", "-f", "json"))
    scanned = _json(cli("--root", str(site), "search", "zelensky OR café", "-f", "json",
                        "--no-cache"))
    assert [item["path"] for item in scanned] == [item["path"] for item in indexed]
    assert [item["snippet"] for item in scanned] == [item["snippet"] for item in indexed]


def test_unreadable_posts_are_named_and_skipped(cli: Any, make_site: Any) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-ok.md": "---\ntitle: Ok\n---\nfjord\n",
        "_posts/2024-01-02-bad.md": "---\ntitle: [oops\n---\nfjord\n",
    })
    result = cli("--root", str(root), "search", "fjord", "-f", "paths")
    assert result.exit_code == 0
    assert "2024-01-02-bad.md" in result.stderr and "could not be read" in result.stderr
    assert cli("--root", str(root), "search", "fjord", "--strict").exit_code == 1


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_hostile_text_never_reaches_the_terminal_raw(cli: Any, make_site: Any) -> None:
    root = make_site(posts={"_posts/2024-01-01-evil.md": (
        "---\ntitle: \"Evil \\e[31m\\u202e title\"\n---\n"
        "fjord \x1b]0;owned\x07 text \u202e reversed \x9b2J and more\n")})
    for fmt in ((), ("--format", "paths")):
        result = cli("--root", str(root), "--color", "always", "search", "fjord", *fmt)
        assert result.exit_code == 0
        without_our_styles = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
        assert not _CONTROL.search(without_our_styles)
        assert "\u202e" not in result.stdout
    data = cli("--root", str(root), "search", "fjord", "--format", "json").stdout
    assert not _CONTROL.search(data.replace("\n", "")) and "\u202e" not in data


def test_search_writes_nothing_in_the_site(cli: Any, site: Path) -> None:
    before = snapshot(site)
    cli("--root", str(site), "search", "alaska")
    cli("--root", str(site), "search", "alaska", "--no-cache")
    assert snapshot(site) == before


def test_example_site(cli: Any, example_site: Path) -> None:
    result = cli("--root", str(example_site), "search", "coffee", "--format", "json")
    items = _json(result)
    assert items and all("coffee" in json.dumps(item).lower() or item["snippet"]
                         for item in items)
    titles = [item["title"] for item in items]
    assert any("Café" in title for title in titles)
    assert cli("--root", str(example_site), "search", "cafe").exit_code == 0
    assert EXAMPLE_SITE.is_dir()


def _field_rank(item: dict[str, Any], word: str) -> int:
    """0: ``word`` is in the item's title; 1: in a tag or the excerpt; 2: elsewhere."""
    def has(text: object) -> bool:
        return isinstance(text, str) and word in re.findall(r"\w+", text.lower())

    if has(item["title"]):
        return 0
    front = item["front_matter"]
    if any(has(tag) for tag in item["tags"]) or any(
            has(front.get(key)) for key in ("excerpt", "description", "summary")):
        return 1
    return 2


@pytest.mark.parametrize("word", ["bread", "rye", "tomatoes", "winter", "python", "yaml"])
def test_example_site_ranks_title_then_tags_and_excerpt_then_body(
    cli: Any, example_site: Path, word: str
) -> None:
    indexed = _json(cli("--root", str(example_site), "search", word, "-f", "json"))
    ranks = [_field_rank(item, word) for item in indexed]
    assert ranks == sorted(ranks), [(item["title"], item["score"]) for item in indexed]
    scanned = _json(cli("--root", str(example_site), "search", word, "-f", "json",
                        "--no-cache"))
    assert [item["path"] for item in scanned] == [item["path"] for item in indexed]


def test_example_site_bread_in_the_title_comes_first(cli: Any, example_site: Path) -> None:
    items = _json(cli("--root", str(example_site), "search", "bread", "-f", "json"))
    ranks = [_field_rank(item, "bread") for item in items]
    assert set(ranks) == {0, 1, 2}
    assert items[0]["title"] == "Rye Bread That Actually Rises"
    # clearly: a title match is not a rounding error above a tag, excerpt and body match
    assert items[0]["score"] > 1.1 * items[1]["score"]


_FILLER = "lorem ipsum dolor sit amet " * 4
RANKED_POSTS = {
    **{f"_posts/2023-01-0{n}-other.md": f"---\ntitle: Other\n---\n{_FILLER}\n"
       for n in range(1, 8)},
    "_posts/2024-01-01-title.md": f"---\ntitle: The fjord walk\n---\n{_FILLER}\n",
    "_posts/2024-02-01-tags.md": (f"---\ntitle: Two\ntags: [fjord]\n---\n"
                                  f"fjord {_FILLER} fjord\n"),
    "_posts/2024-03-01-excerpt.md": (f"---\ntitle: Three\nexcerpt: A fjord.\n---\n"
                                     f"fjord {_FILLER} fjord\n"),
    "_posts/2024-04-01-body.md": "---\ntitle: Four\n---\n" + "fjord, fjord. " * 10 + "\n",
    "_posts/2024-05-01-body-old.md": f"---\ntitle: Five\n---\nfjord {_FILLER}\n",
    "_posts/2024-06-01-body-new.md": f"---\ntitle: Six\n---\nfjord {_FILLER}\n",
}


@pytest.mark.parametrize("no_cache", [(), ("--no-cache",)])
def test_title_then_tags_and_excerpt_then_body_then_newer(
    cli: Any, make_site: Any, no_cache: tuple[str, ...]
) -> None:
    root = make_site(posts=RANKED_POSTS)
    items = _json(cli("--root", str(root), "search", "fjord", "-f", "json", *no_cache))
    names = [item["path"].split("/")[-1] for item in items]
    assert names[0] == "2024-01-01-title.md"
    assert set(names[1:3]) == {"2024-02-01-tags.md", "2024-03-01-excerpt.md"}
    assert names[3:] == ["2024-04-01-body.md", "2024-06-01-body-new.md",
                         "2024-05-01-body-old.md"]
    assert items[4]["score"] == items[5]["score"]  # a tie: the newer post first


def test_csv(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "search", "alaska", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "path,title,date,score,snippet"
    assert lines[1].startswith("_posts/2024-01-01-alaska-summit.md,Zelensky and the Alaska")


def test_stem_without_the_index_says_so(cli: Any, site: Path) -> None:
    result = cli("--root", str(site), "search", "talks", "--stem", "--no-cache")
    assert result.exit_code == 0
    assert "--stem needs the full-text index" in result.stderr


def test_list_never_builds_the_full_text_index(cli: Any, site: Path) -> None:
    from postctl.catalog.index import open_index
    from postctl.site.model import open_site

    assert cli("--root", str(site), "list", "--format", "paths").exit_code == 0
    with open_index(open_site(site)) as index:
        names = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master")}
    assert not {name for name in names if name.startswith("fts")}
    assert cli("--root", str(site), "search", "alaska").exit_code == 0
    with open_index(open_site(site)) as index:
        names = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master")}
    assert {"fts_plain", "fts_plain_doc", "fts_meta", "fts_changes"} <= names


class _Terminal:
    """A text stream that says it is a terminal."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_building_shows_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.render.output import Output
    from postctl.render.progress import TerminalReporter

    monkeypatch.setenv("TERM", "xterm")
    terminal = _Terminal()
    out = Output(color="always", stderr=terminal, width=80)  # type: ignore[arg-type]
    bar = TerminalReporter(out).stage("fulltext")
    for done in range(0, 5001, 500):
        bar(done, 5000)
    bar.close()
    assert "Building the search index" in terminal.buffer.getvalue()
    piped = Output(color="never", width=80)
    quiet_bar = TerminalReporter(piped).stage("fulltext")
    quiet_bar(10, 5000)
    assert quiet_bar._progress is None
