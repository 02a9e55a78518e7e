"""``postctl list`` against an independent reading of the files (PyYAML + dateutil directly)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from dateutil import parser as dateparser

from tests.conftest import snapshot

GEN_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "tools" / "gen_corpus.py"
BERLIN = ZoneInfo("Europe/Berlin")


# --- an independent reading of a Jekyll site -----------------------------------------------


def _date(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        parsed = dateparser.parse(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return None


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(item) for item in value]


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value


def reference(root: Path, tz: dt.tzinfo) -> dict[str, dict[str, Any]]:
    """Every readable post of a Jekyll site, read with PyYAML and dateutil directly."""
    posts = {}
    for folder, in_drafts in (("_posts", False), ("_drafts", True)):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".md", ".markdown") or path.name.startswith("."):
                continue
            text = path.read_text(encoding="utf-8")
            try:
                end = text.index("\n---\n", 3)
                fm = yaml.load(text[4:end], Loader=yaml.CSafeLoader) or {}
            except (ValueError, yaml.YAMLError):
                continue  # unreadable: list reports it on stderr
            name = re.match(r"(\d{4})-(\d\d)-(\d\d)-(.*)", path.stem)
            date = _date(fm.get("date"), tz)
            if date is None and name:
                date = dt.datetime(*map(int, name.groups()[:3]), tzinfo=tz)
            authors = _words(fm["author"]) if isinstance(fm.get("author"), list) else (
                [fm["author"]] if fm.get("author") else [])
            tags = _words(fm.get("tags"))
            posts[path.relative_to(root).as_posix()] = {
                "title": fm.get("title"),
                "date": date,
                "tags": list(dict.fromkeys(tags)),
                "categories": list(dict.fromkeys(_words(fm.get("categories")))),
                "author": authors[0] if authors else None,
                "draft": in_drafts or fm.get("published") is False,
                "slug": name[4] if name else path.stem,
                "front_matter": _iso(fm),
            }
    return posts


def newest_first(posts: dict[str, dict[str, Any]]) -> list[str]:
    dated = sorted((p for p in posts if posts[p]["date"]), key=lambda p: p)
    dated.sort(key=lambda p: posts[p]["date"], reverse=True)
    return dated + sorted(p for p in posts if not posts[p]["date"])


def published(posts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p: v for p, v in posts.items() if not v["draft"]}


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def generated_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GEN_CORPUS.exists():
        pytest.skip("gen_corpus.py is not available")
    root = tmp_path_factory.mktemp("gen") / "site"
    subprocess.run([sys.executable, str(GEN_CORPUS), "--posts", "300", "--seed", "7", str(root)],
                   check=True, stdout=subprocess.DEVNULL)
    (root / "_config.yml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    return root


@pytest.fixture
def generated(generated_master: Path, tmp_path: Path) -> Path:
    target = tmp_path / "gen"
    shutil.copytree(generated_master, target)
    return target


def run_json(cli, root: Path, *args: str) -> list[dict[str, Any]]:
    result = cli("--root", str(root), "list", "--format", "json", *args)
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def paths_of(items: list[dict[str, Any]]) -> list[str]:
    return [item["path"] for item in items]


def most_common_tag(posts: dict[str, dict[str, Any]]) -> str:
    counts = Counter(tag for post in published(posts).values() for tag in post["tags"])
    return counts.most_common(1)[0][0]


# --- the JSON item contract --------------------------------------------------------------


def test_json_items_match_an_independent_parse_of_the_example_site(cli, example_site) -> None:
    expected = reference(example_site, BERLIN)
    items = run_json(cli, example_site, "--all")
    assert paths_of(items) == newest_first(expected)
    for item in items:
        want = expected[item["path"]]
        assert list(item) == ["path", "slug", "url", "title", "date", "tags", "categories",
                              "author", "draft", "kind", "publish_date", "expiry_date",
                              "future", "front_matter"]
        assert item["title"] == want["title"]
        assert item["slug"] == want["slug"]
        assert item["tags"] == want["tags"] and item["categories"] == want["categories"]
        assert item["author"] == want["author"] and item["draft"] == want["draft"]
        assert item["future"] is False
        assert item["front_matter"] == want["front_matter"]
        if want["date"] is None:
            assert item["date"] is None
        else:
            assert dt.datetime.fromisoformat(item["date"]) == want["date"]
            assert dt.datetime.fromisoformat(item["date"]).utcoffset() is not None


def test_one_item_exactly(cli, example_site) -> None:
    items = run_json(cli, example_site, "--tag", "yaml")
    assert items == [{
        "path": "_posts/2024-09-10-yaml-norway-problem.md",
        "slug": "yaml-norway-problem",
        "url": "/tech/2024/09/10/yaml-norway-problem/",
        "title": "YAML's Norway Problem, and Other Things I've Learned",
        "date": "2024-09-10T00:00:00+02:00",
        "tags": ["python", "yaml"],
        "categories": ["tech"],
        "author": "Ada Okafor",
        "draft": False,
        "kind": "post",
        "publish_date": None,
        "expiry_date": None,
        "future": False,
        "front_matter": {
            "title": "YAML's Norway Problem, and Other Things I've Learned",
            "date": "2024-09-10", "author": "Ada Okafor", "categories": ["tech"],
            "tags": ["python", "yaml"],
            "excerpt": "Why the country code for Norway turns into false, and three other "
                       "surprises hiding in the front matter of your posts.",
        },
    }]


def test_tags_and_categories_are_lists_however_written(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntags: one two\ncategory: Big News\n---\n",
        "_posts/2024-01-02-b.md": "---\ntags: [3, true]\ncategories: x\n---\n",
        "_posts/2024-01-03-c.md": "---\ntitle: no lists\n---\n",
    })
    items = {item["slug"]: item for item in run_json(cli, root)}
    assert (items["a"]["tags"], items["a"]["categories"]) == (["one", "two"], ["Big News"])
    assert (items["b"]["tags"], items["b"]["categories"]) == (["3", "True"], ["x"])
    assert (items["c"]["tags"], items["c"]["categories"]) == ([], [])
    assert items["a"]["front_matter"] == {"tags": "one two", "category": "Big News"}


def test_fast_json_path_equals_the_generic_writer(cli, example_site) -> None:
    from postctl.catalog.listing_parse import scan_summaries
    from postctl.catalog.ordering import sort_summaries
    from postctl.catalog.query import Filters, Sort
    from postctl.catalog.summary import ITEM_KEYS, Summary
    from postctl.render import OutputFormat
    from postctl.render.output import Output
    from postctl.render.rows import write_rows
    from postctl.site.model import open_site

    fast = cli("--root", str(example_site), "list", "--all", "--format", "json").stdout
    site = open_site(example_site)
    now = Filters().now
    summaries = [s for s in scan_summaries(site) if isinstance(s, Summary)]
    ordered = sort_summaries(summaries, Sort(), site.tz, now)
    buffer = io.StringIO()
    write_rows([s.item(now) for s in ordered], OutputFormat.json, Output(stdout=buffer),
               fields=ITEM_KEYS)
    assert fast == buffer.getvalue()


# --- filters against the reference -------------------------------------------------------


def test_default_lists_published_posts_newest_first(cli, generated) -> None:
    expected = reference(generated, BERLIN)
    assert paths_of(run_json(cli, generated)) == newest_first(published(expected))


def test_tag_filters(cli, generated) -> None:
    expected = published(reference(generated, BERLIN))
    tag = most_common_tag(expected)
    items = run_json(cli, generated, "--tag", tag.upper())
    assert paths_of(items) == newest_first(
        {p: v for p, v in expected.items() if tag in v["tags"]})
    assert len(items) > 50
    second = Counter(t for v in expected.values() for t in v["tags"]).most_common(2)[1][0]
    both = run_json(cli, generated, "-t", tag, "-t", second)
    assert paths_of(both) == newest_first(
        {p: v for p, v in expected.items() if {tag, second} <= set(v["tags"])})
    either = run_json(cli, generated, "-t", tag, "-t", second, "--any-tag")
    assert paths_of(either) == newest_first(
        {p: v for p, v in expected.items() if {tag, second} & set(v["tags"])})


def test_category_and_author_filters_ignore_case(cli, generated) -> None:
    expected = published(reference(generated, BERLIN))
    category = Counter(c for v in expected.values() for c in v["categories"]).most_common(1)[0][0]
    author = Counter(v["author"] for v in expected.values()).most_common(1)[0][0]
    assert paths_of(run_json(cli, generated, "--category", category.swapcase())) == newest_first(
        {p: v for p, v in expected.items() if category in v["categories"]})
    assert paths_of(run_json(cli, generated, "--author", author.upper())) == newest_first(
        {p: v for p, v in expected.items() if v["author"] == author})


def test_since_and_until_are_inclusive_in_the_site_time_zone(cli, generated) -> None:
    expected = published(reference(generated, BERLIN))
    days = sorted({v["date"].astimezone(BERLIN).date() for v in expected.values()})
    since, until = days[len(days) // 4], days[len(days) // 2]
    items = run_json(cli, generated, "--since", since.isoformat(), "--until", until.isoformat())
    assert paths_of(items) == newest_first({
        p: v for p, v in expected.items()
        if since <= v["date"].astimezone(BERLIN).date() <= until})
    assert {dt.datetime.fromisoformat(i["date"]).astimezone(BERLIN).date()
            for i in items} >= {since, until}


def test_since_uses_the_site_zone_not_the_post_offset(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-03-04-late.md":
                            "---\ndate: 2024-03-04 23:30:00 -05:00\n---\n"})
    assert len(run_json(cli, root, "--since", "2024-03-05")) == 1  # 04:30 UTC on the 5th
    assert run_json(cli, root, "--until", "2024-03-04") == []


def test_drafts_all_and_future(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-old.md": "---\ntitle: old\n---\n",
        "_posts/2099-01-01-future.md": "---\ntitle: future\n---\n",
        "_posts/2024-01-02-hidden.md": "---\npublished: false\n---\n",
        "_drafts/idea.md": "---\ntitle: idea\n---\n",
    })
    default = run_json(cli, root)
    assert [i["slug"] for i in default] == ["future", "old"]
    assert [i["future"] for i in default] == [True, False]
    assert [i["slug"] for i in run_json(cli, root, "--no-future")] == ["old"]
    assert {i["slug"] for i in run_json(cli, root, "--drafts")} == {"hidden", "idea"}
    assert len(run_json(cli, root, "--all")) == 4
    result = cli("--root", str(root), "list", "--drafts", "--all")
    assert result.exit_code == 2


def test_hugo_drafts(cli, tmp_path: Path) -> None:
    root = tmp_path / "hugo"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text("timeZone = 'UTC'\n")
    (root / "content" / "posts" / "a.md").write_text("+++\ntitle = 'A'\ndate = 2024-01-01\n+++\n")
    (root / "content" / "posts" / "b.md").write_text("---\ntitle: B\ndraft: true\n---\n")
    assert [i["url"] for i in run_json(cli, root)] == ["/posts/a/"]
    assert [i["title"] for i in run_json(cli, root, "--drafts")] == ["B"]


def test_where_expressions(cli, example_site) -> None:
    expected = published(reference(example_site, BERLIN))

    def where(*exprs: str) -> list[str]:
        args = [arg for expr in exprs for arg in ("--where", expr)]
        return paths_of(run_json(cli, example_site, *args))

    def pick(test) -> list[str]:  # type: ignore[no-untyped-def]
        return newest_first({p: v for p, v in expected.items() if test(v["front_matter"])})

    assert where("layout=post") == newest_first(expected)  # from _config.yml defaults
    assert where("author=Ada Okafor") == pick(lambda fm: fm.get("author") == "Ada Okafor")
    assert where("author!=Ada Okafor") == pick(lambda fm: fm.get("author") != "Ada Okafor")
    assert where("title~^A ") == pick(lambda fm: fm["title"].startswith("A "))
    assert where("image?") == pick(lambda fm: bool(fm.get("image")))
    assert where("!image") == pick(lambda fm: not fm.get("image"))
    assert where("image?", "author=Ada Okafor") == pick(
        lambda fm: bool(fm.get("image")) and fm.get("author") == "Ada Okafor")
    assert where("tags=python") == pick(lambda fm: "python" in fm.get("tags", []))
    assert where("image?") and where("!image")


@pytest.mark.parametrize("expr", ["title~(", "title~[a-", "=x", "nothing"])
def test_bad_where_is_a_usage_error(cli, example_site, expr: str) -> None:
    result = cli("--root", str(example_site), "list", "--where", expr)
    assert result.exit_code == 2
    assert "--where" in result.stderr and result.stdout == ""


def test_runaway_regex_is_stopped(cli, make_site, monkeypatch) -> None:
    from postctl.catalog import matching
    monkeypatch.setattr(matching, "REGEX_BUDGET_SECONDS", 0.3)
    root = make_site(posts={"_posts/2024-01-01-a.md": f"---\ntitle: {'a' * 40}b\n---\n"})
    result = cli("--root", str(root), "list", "--where", "title~^(a+)+$", "--format", "json")
    assert result.exit_code == 2
    assert "budget" in result.stderr


def test_bad_dates_are_usage_errors(cli, example_site) -> None:
    result = cli("--root", str(example_site), "list", "--since", "last week")
    assert result.exit_code == 2 and "--since" in result.stderr


# --- sorting, limit, fields ----------------------------------------------------------------


def test_sort_limit_and_reverse(cli, example_site) -> None:
    expected = published(reference(example_site, BERLIN))
    by_title = sorted(expected, key=lambda p: (expected[p]["title"].casefold(),
                                               expected[p]["title"]))
    assert paths_of(run_json(cli, example_site, "--sort", "title")) == by_title
    assert paths_of(run_json(cli, example_site, "--sort", "-title")) == by_title[::-1]
    assert paths_of(run_json(cli, example_site, "--sort", "path")) == sorted(expected)
    assert paths_of(run_json(cli, example_site, "--sort", "-path", "-n", "3")) == sorted(
        expected)[::-1][:3]
    assert paths_of(run_json(cli, example_site, "--sort", "date", "--limit", "2")) == \
        newest_first(expected)[::-1][:2]
    slugs = [i["slug"] for i in run_json(cli, example_site, "--sort", "slug")]
    assert slugs == sorted(slugs)


def test_sort_on_mixed_types_is_the_same_with_and_without_cache(cli, make_site) -> None:
    values = ["3", "'b'", "2024-01-05", "true", "[x, y]", "{k: 1}", "1.5", "'A'", "", ".nan",
              "2024-01-05 10:00:00 +0200", "null"]
    root = make_site(posts={f"_posts/2024-01-{i + 1:02d}-p{i}.md": f"---\nkey: {v}\n---\n"
                            for i, v in enumerate(values)})
    for order in ("key", "-key"):
        cached = cli("--root", str(root), "list", "--sort", order, "--format", "json")
        direct = cli("--root", str(root), "list", "--sort", order, "--format", "json",
                     "--no-cache")
        assert cached.exit_code == 0, cached
        assert cached.stdout == direct.stdout
    keys = [i["front_matter"].get("key") for i in json.loads(cached.stdout)]
    assert keys[0] == {"k": 1} and keys[-3:] == [True, None, None]  # missing values last
    nan = next(i for i in json.loads(cached.stdout) if i["slug"] == "p9")
    assert nan["front_matter"]["key"] == ".nan"  # JSON has no NaN: the YAML spelling


def test_fields_choose_columns(cli, example_site) -> None:
    result = cli("--root", str(example_site), "list", "--fields", "title, author,layout",
                 "--format", "json", "-n", "1")
    assert json.loads(result.stdout) == [{"title": "Weeknotes: Moving the Blog, Again",
                                          "author": "Ada Okafor", "layout": "post"}]
    result = cli("--root", str(example_site), "list", "--fields", " , ")
    assert result.exit_code == 2


def test_an_unknown_field_is_exit_2_naming_the_valid_ones(cli, example_site) -> None:
    for fmt in ("table", "json", "csv"):
        result = cli("--root", str(example_site), "list", "--fields", "title,auther",
                     "--format", fmt)
        assert (result.exit_code, result.stdout) == (2, "")
        line = result.stderr.strip()
        if fmt == "json":
            line = "Error: " + json.loads(line)["error"]["message"]
        assert line.startswith("Error: --fields: unknown field 'auther': did you mean 'author'? "
                               "valid: path, slug, url, title, date, tags, "), line
        assert "image" in line and "\n" not in line  # a front-matter key of the site
    for fmt in ("table", "json"):  # a sort key too
        result = cli("--root", str(example_site), "list", "--sort", "-titel", "--format", fmt)
        assert (result.exit_code, result.stdout) == (2, ""), result
        assert "--sort: unknown sort key 'titel': did you mean 'title'?" in result.stderr
    # a key some posts have is fine even where a post lacks it
    result = cli("--root", str(example_site), "list", "--fields", "title,image", "-n", "3")
    assert result.exit_code == 0, result


# --- formats -------------------------------------------------------------------------------


def test_jsonl_is_one_item_per_line(cli, example_site) -> None:
    lines = cli("--root", str(example_site), "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == run_json(cli, example_site)


def test_csv_is_rfc4180_with_formulas_neutralised(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": '---\ntitle: "=HYPERLINK(\\"x\\")"\ntags: [a, "b,c"]\n---\n',
        "_posts/2024-01-02-b.md": '---\ntitle: "Line\\nbreak \\"quoted\\""\n---\n',
    })
    result = cli("--root", str(root), "list", "--format", "csv")
    assert result.exit_code == 0
    assert "\r\n" in result.stdout
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == ["date", "title", "tags", "path"]
    assert rows[1][1] == 'Line\nbreak "quoted"'
    assert rows[2][1] == "'=HYPERLINK(\"x\")" and rows[2][2] == "a, b,c"
    assert rows[2][0] == "2024-01-01T00:00:00+00:00"
    assert rows[2][3] == "_posts/2024-01-01-a.md"  # site-relative, like JSON


def test_paths_are_relative_to_the_current_folder(cli, example_site, monkeypatch) -> None:
    monkeypatch.chdir(example_site / "_posts")
    lines = cli("list", "--format", "paths", "--tag", "python").stdout.splitlines()
    assert lines[0] == "2025-11-02-weeknotes-moving-the-blog-again.md"
    assert all(Path(line).is_file() for line in lines) and len(lines) == 4
    monkeypatch.chdir(example_site.parent)
    lines = cli("--root", "blog", "list", "--format", "paths", "-n", "1").stdout.splitlines()
    assert lines == ["blog/_posts/2025-11-02-weeknotes-moving-the-blog-again.md"]


def test_piped_default_is_a_plain_aligned_table(cli, example_site, monkeypatch) -> None:
    monkeypatch.chdir(example_site)
    out = cli("list", "--tag", "python").stdout.splitlines()
    assert out[0].split() == ["DATE", "TITLE", "TAGS", "PATH"]
    assert out[1].startswith("2025-11-02  Weeknotes: Moving the Blog, Again")
    assert out[1].endswith("_posts/2025-11-02-weeknotes-moving-the-blog-again.md")
    assert len(out) == 5
    assert len({line.index("_posts/") for line in out[1:]}) == 1  # aligned
    assert "\x1b" not in "".join(out)


def test_table_format_is_a_rich_table_that_fits(cli, example_site, monkeypatch) -> None:
    monkeypatch.chdir(example_site)
    result = cli("list", "--format", "table", "--tag", "python", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "date" in lines[1] and "title" in lines[1]
    assert "2025-11-02" in result.stdout and "\x1b" not in result.stdout


def test_wide_table_keeps_paths_on_one_line(cli, example_site, monkeypatch) -> None:
    monkeypatch.chdir(example_site)
    result = cli("list", "--format", "table", "--tag", "python", env={"COLUMNS": "160"})
    assert "_posts/2023-11-05-a-tiny-python-script-for-renaming-photos.md" in result.stdout
    narrow = cli("list", "--format", "table", "--tag", "python", env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 60
    assert "2023-11-05" in narrow.stdout  # dates never wrap


def test_table_has_no_colour_under_no_color(cli, example_site) -> None:
    result = cli("--root", str(example_site), "--color", "always", "list", "--format", "table",
                 env={"NO_COLOR": "1"})
    assert "\x1b[1m" in result.stdout or "\x1b" in result.stdout  # --color always wins
    result = cli("--root", str(example_site), "list", "--format", "table", env={"NO_COLOR": "1"})
    assert "\x1b" not in result.stdout


def test_hostile_titles_never_reach_the_terminal_raw(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md":
                            '---\ntitle: "bad \\e[31m red \\u202e x\\x9b"\n---\n'})
    for fmt in ("table", "paths"):  # (CSV to a pipe is data, written as is)
        out = cli("--root", str(root), "list", "--format", fmt).stdout
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out)
    default = cli("--root", str(root), "list").stdout
    assert "\\x1b" in default and "\x1b" not in default
    data = json.loads(cli("--root", str(root), "list", "--format", "json").stdout)
    assert data[0]["title"] == "bad \x1b[31m red \u202e x\x9b"


# --- unreadable posts ----------------------------------------------------------------------


def test_unparseable_posts_are_named_and_counted(cli, example_site, monkeypatch) -> None:
    bad = example_site / "_posts" / "2024-02-02-broken.md"
    bad.write_text("---\ntitle: [oops\n---\n")
    (example_site / "_posts" / "2024-02-03-open.md").write_text("---\ntitle: never closed\n")
    monkeypatch.chdir(example_site)
    result = cli("list", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 19
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"_posts/2024-02-02-broken\.md:\d+:\d+: invalid YAML: .*", lines[0])
    assert re.fullmatch(r"_posts/2024-02-03-open\.md:1:1: front matter .*never closed.*",
                        lines[1])
    assert "2 posts could not be read" in lines[2]
    strict = cli("list", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[:2] == lines[:2]
    assert cli("list", "--format", "json", "--no-cache").stderr == result.stderr


# --- the index: equal results, and changes between runs ------------------------------------

COMBOS = [
    [], ["--all"], ["--drafts"], ["--sort", "title"], ["--sort", "-path", "-n", "7"],
    ["--where", "title~[Tt]he"], ["--where", "image?", "--sort", "author"],
    ["--since", "2023", "--until", "2024-06"], ["--no-future"], ["--fields", "slug,url,excerpt"],
]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "paths", "table"])
def test_same_results_with_and_without_cache(cli, generated, fmt: str) -> None:
    tag = most_common_tag(reference(generated, BERLIN))
    for combo in [*COMBOS, ["--tag", tag], ["-t", tag, "--sort", "date"]]:
        args = ["--root", str(generated), "list", "--format", fmt, *combo]
        cached = cli(*args)
        direct = cli(*args, "--no-cache")
        assert cached.exit_code == direct.exit_code == 0, (combo, cached)
        assert cached.stdout == direct.stdout, combo
        assert cached.stdout.strip() or combo == ["--drafts"]


def test_index_notices_edits_additions_renames_and_deletions(cli, generated) -> None:
    first = run_json(cli, generated, "--all")
    posts = sorted((generated / "_posts").iterdir())
    edited, deleted, renamed = posts[0], posts[1], posts[2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("tags:", "tags: [fresh-tag]\nold_tags:", 1), encoding="utf-8")
    os.utime(edited, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns + 10**9))
    deleted.unlink()
    renamed.rename(renamed.with_name("2001-01-01-renamed.md"))
    (generated / "_posts" / "2030-05-05-added.md").write_text("---\ntitle: Added\n---\n")
    (generated / "_posts" / "2002-02-02-broken.md").write_text("---\ntitle: [\n---\n")
    second = run_json(cli, generated, "--all")
    expected = reference(generated, BERLIN)
    assert paths_of(second) == newest_first(expected)
    assert len(second) == len(first)  # one added, one deleted; the broken one is not listed
    fresh = [i for i in second if i["path"] == edited.relative_to(generated).as_posix()]
    assert fresh[0]["tags"] == ["fresh-tag"]
    assert cli("--root", str(generated), "list", "--format", "json", "-t", "fresh-tag").stdout \
        == cli("--root", str(generated), "list", "--format", "json", "-t", "fresh-tag",
               "--no-cache").stdout
    assert "_posts/2001-01-01-renamed.md" in paths_of(second)


def test_parallel_parsing_gives_the_same_index(cli, generated, monkeypatch) -> None:
    from postctl.site import workers
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    parallel = cli("--root", str(generated), "list", "--all", "--format", "json")
    direct = cli("--root", str(generated), "list", "--all", "--format", "json", "--no-cache")
    assert parallel.stdout == direct.stdout and parallel.exit_code == 0


def test_list_never_writes_into_the_site(cli, example_site) -> None:
    before = snapshot(example_site)
    for args in (["list"], ["list", "--format", "json"], ["tags"], ["index", "--rebuild"]):
        assert cli("--root", str(example_site), *args).exit_code == 0
    assert snapshot(example_site) == before


def test_rebuild_notice_is_one_line_on_stderr(cli, example_site) -> None:
    from postctl.catalog.database import index_file

    assert cli("--root", str(example_site), "list").stderr == ""
    import sqlite3

    with sqlite3.connect(index_file(example_site)) as db:
        db.execute("UPDATE meta SET value = '0.0.0' WHERE key = 'version'")
    result = cli("--root", str(example_site), "list", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert len(result.stderr.splitlines()) == 1
    assert "rebuilding the site index" in result.stderr


def test_unwritable_cache_falls_back_with_a_warning(cli, example_site, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    env = {"POSTCTL_CACHE_DIR": str(blocker / "cache")}
    result = cli("--root", str(example_site), "list", "--format", "json", env=env)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 19
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("warning:") and "reading the files directly" in result.stderr


def test_warm_json_listing_imports_neither_yaml_nor_rich(make_site, tmp_path) -> None:
    root = make_site(posts={f"_posts/2024-01-{i:02d}-p.md": f"---\ntitle: P{i}\ntags: [t]\n---\n"
                            for i in range(1, 20)},
                     jekyll=None, config='timezone = "UTC"\n')
    command = [sys.executable, "-X", "importtime", "-m", "postctl", "--root", str(root), "list",
               "--tag", "t", "--format", "json"]
    subprocess.run(command, check=True, capture_output=True)  # builds the index
    warm = subprocess.run(command, check=True, capture_output=True, text=True)
    assert len(json.loads(warm.stdout)) == 19
    imported = {line.rsplit("|", 1)[-1].strip() for line in warm.stderr.splitlines()
                if line.startswith("import time:")}
    assert "postctl.catalog.index" in imported
    assert "yaml" not in imported and "frontmatter" not in imported
    assert not any(name.startswith("rich.") for name in imported)



def test_a_folded_or_literal_title_shows_on_one_line_and_json_keeps_it(
        cli, make_site, monkeypatch) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: >\n  A folded\n  long title\n---\nBody words.\n",
        "_posts/2024-01-02-b.md": "---\ntitle: |\n  Literal\n  two lines\n---\nBody words.\n"})
    monkeypatch.chdir(root)
    shown = cli("--root", str(root), "list").stdout
    assert "A folded long title  " in shown and "Literal two lines  " in shown
    assert "\\n" not in shown
    table = cli("--root", str(root), "list", "--format", "table").stdout
    assert "A folded long title" in table and "\\n" not in table
    items = json.loads(cli("--root", str(root), "list", "--format", "json").stdout)
    assert {item["title"] for item in items} == {"A folded long title\n", "Literal\ntwo lines\n"}
    found = cli("--root", str(root), "search", "body").stdout
    assert " 1. Literal two lines\n" in found and " 2. A folded long title\n" in found
    preview = cli("--root", str(root), "preview", "a").stdout
    assert "A folded long title" in preview and "\\n" not in preview


def test_columns_align_by_display_width_in_a_pipe_and_fit_a_terminal(cli, make_site) -> None:
    from postctl.render.cells import cell_len

    root = make_site(posts={
        "_posts/2025-12-01-tokyo.md": "---\ntitle: 東京の夜行列車で過ごした長い一晩の記録と"
                                      "その後の旅\ntags: [旅行, 鉄道]\n---\n",
        "_posts/2025-12-02-party.md": "---\ntitle: Party 🎉🎉 time\ntags: [fun]\n---\n",
        "_posts/2025-12-03-plain.md": "---\ntitle: Plain\ntags: [x]\n---\n"})
    lines = cli("--root", str(root), "list").stdout.splitlines()
    starts = {cell_len(line[:line.index(tag)]) for line, tag in
              zip(lines, ("TAGS", "x", "fun", "旅行"), strict=True)}
    assert len(starts) == 1, lines  # TAGS starts at one display column on every line
    narrow = cli("--root", str(root), "list", "--format", "table", env={"COLUMNS": "60"})
    assert all(cell_len(line) <= 60 for line in narrow.stdout.splitlines()), narrow.stdout
    assert "東京の夜行列車で過ごした長い一" in narrow.stdout  # 30 cells: half the width
    wide = cli("--root", str(root), "list", "--format", "table", env={"COLUMNS": "200"})
    for whole in ("東京の夜行列車で過ごした長い一晩の記録とその後の旅", "旅行, 鉄道",
                  "_posts/2025-12-01-tokyo.md", "Party 🎉🎉 time"):
        assert whole in wide.stdout
    assert "…" not in wide.stdout


def test_a_site_without_posts_is_exit_2_not_an_empty_table(cli, make_site) -> None:
    root = make_site(posts={"about.md": "---\ntitle: About\n---\n"})
    for args in ((), ("--format", "json")):
        result = cli("--root", str(root), "list", *args)
        assert (result.exit_code, result.stdout) == (2, "")
        assert f"no posts in {root} (looked in _posts" in result.stderr  # (a JSON error too)


def test_a_site_of_drafts_lists_none_published_and_exits_0(cli, make_site) -> None:
    drafts_only = make_site(posts={"_drafts/a.md": "---\ntitle: A\n---\n"})
    result = cli("--root", str(drafts_only), "list", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")  # posts, none published


@pytest.mark.parametrize("command", [("tags",), ("categories",), ("search", "word"),
                                     ("search", "word", "--format", "json")])
def test_tags_and_search_on_a_site_without_posts_are_exit_2(cli, make_site, command) -> None:
    root = make_site(posts={"about.md": "---\ntitle: About word\n---\n"})
    result = cli("--root", str(root), *command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"no posts in {root} (looked in _posts" in result.stderr
