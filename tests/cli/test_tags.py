from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.cli.test_list import BERLIN, generated, generated_master, published, reference

__all__ = ["generated", "generated_master"]  # fixtures shared with test_list


def run(cli, root: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli("--root", str(root), *args)
    assert result.exit_code == 0, result
    return result


def test_tags_count_published_posts_by_count_then_name(cli, example_site) -> None:
    expected = published(reference(example_site, BERLIN))
    counts = Counter(tag for post in expected.values() for tag in post["tags"])
    items = json.loads(run(cli, example_site, "tags", "--format", "json").stdout)
    assert [(i["name"], i["count"]) for i in items] == sorted(
        counts.items(), key=lambda pair: (-pair[1], pair[0]))
    assert items[0] == {"name": "berlin", "count": 7,
                        "variants": [{"name": "berlin", "count": 7}]}


def test_categories(cli, example_site) -> None:
    expected = published(reference(example_site, BERLIN))
    counts = Counter(c for post in expected.values() for c in post["categories"])
    items = json.loads(run(cli, example_site, "categories", "--format", "json").stdout)
    assert {i["name"]: i["count"] for i in items} == dict(counts)
    drafts = json.loads(run(cli, example_site, "categories", "--drafts", "--format",
                            "json").stdout)
    assert drafts == [{"name": "gardening", "count": 1,
                       "variants": [{"name": "gardening", "count": 1}]}]
    every = json.loads(run(cli, example_site, "categories", "--all", "--format", "json").stdout)
    assert sum(i["count"] for i in every) == sum(i["count"] for i in items) + 1


@pytest.fixture
def variant_site(make_site) -> Path:
    posts = {}
    for i in range(40):
        posts[f"_posts/2024-01-{i % 28 + 1:02d}-p{i}.md"] = "---\ntags: [Politics]\n---\n"
    for i in range(3):
        posts[f"_posts/2024-02-{i + 1:02d}-q{i}.md"] = "---\ntags: [politics, Go]\n---\n"
    posts["_posts/2024-03-01-both.md"] = "---\ntags: [Machine Learning, machine-learning]\n---\n"
    posts["_posts/2024-03-02-ml.md"] = "---\ntags: [machine_learning]\n---\n"
    return make_site(posts=posts)


def test_variants_are_shown_together(cli, variant_site) -> None:
    items = json.loads(run(cli, variant_site, "tags", "--format", "json").stdout)
    assert items[0] == {"name": "Politics", "count": 43, "variants": [
        {"name": "Politics", "count": 40}, {"name": "politics", "count": 3}]}
    ml = next(i for i in items if i["name"].lower().startswith("machine"))
    assert ml["count"] == 2  # a post with two spellings counts once
    assert len(ml["variants"]) == 3
    assert run(cli, variant_site, "tags", "--format", "json", "--no-cache").stdout == \
        run(cli, variant_site, "tags", "--format", "json").stdout


def test_table_and_plain_output_show_the_spellings(cli, variant_site) -> None:
    plain = run(cli, variant_site, "tags").stdout.splitlines()
    assert plain[0].split() == ["NAME", "COUNT", "SPELLINGS"]
    assert plain[1].split(None, 2) == ["Politics", "43", "Politics (40) / politics (3)"]
    table = run(cli, variant_site, "tags", "--format", "table").stdout
    assert "Politics (40) / politics (3)" in table


def test_min_count_limit_and_other_formats(cli, variant_site) -> None:
    names = run(cli, variant_site, "tags", "--min-count", "3", "--format", "paths").stdout
    assert names.splitlines() == ["Politics", "Go"]
    assert run(cli, variant_site, "tags", "-n", "1", "--format", "paths").stdout == "Politics\n"
    csv_text = run(cli, variant_site, "tags", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "name,count,spellings"
    jsonl = run(cli, variant_site, "tags", "--format", "jsonl").stdout.splitlines()
    assert json.loads(jsonl[0])["count"] == 43
    assert cli("--root", str(variant_site), "tags", "--min-count", "0").exit_code == 2


def test_unreadable_posts_are_reported(cli, variant_site) -> None:
    (variant_site / "_posts" / "2024-05-05-bad.md").write_text("---\ntags: [x\n---\n")
    result = cli("--root", str(variant_site), "tags", "--format", "json")
    assert result.exit_code == 0
    assert "2024-05-05-bad.md" in result.stderr and "1 post could not be read" in result.stderr
    assert cli("--root", str(variant_site), "tags", "--strict").exit_code == 1


def test_generated_site_counts_match_the_reference(cli, generated) -> None:
    expected = published(reference(generated, BERLIN))
    counts = Counter(tag for post in expected.values() for tag in set(post["tags"]))
    items = json.loads(run(cli, generated, "tags", "--format", "json").stdout)
    assert {v["name"]: v["count"] for i in items for v in i["variants"]} == dict(counts)
    assert items[0]["count"] == max(counts.values())


def test_tags_and_the_lint_rule_agree_on_what_a_variant_is(cli, make_site) -> None:
    """Both group case, spacing and hyphenation; a plural is another tag for both (Windows
    the system is not window, news is not new), since the lint fix renames a post's tag."""
    tag_lists = [["Windows"], ["windows"], ["windows"], ["window"], ["news"], ["news"],
                 ["News"], ["new"], ["open source"], ["open-source"], ["open-source"]]
    root = make_site(posts={f"_posts/2024-01-{day:02d}-p{day}.md":
                            f"---\ntitle: P{day}\ntags: {tags}\n---\nBody.\n"
                            for day, tags in enumerate(tag_lists, start=1)})
    items = json.loads(run(cli, root, "tags", "--format", "json").stdout)
    grouped = {frozenset(v["name"] for v in item["variants"]) for item in items}
    assert grouped == {frozenset({"Windows", "windows"}), frozenset({"window"}),
                       frozenset({"news", "News"}), frozenset({"new"}),
                       frozenset({"open source", "open-source"})}
    result = cli("--root", str(root), "lint", "--select", "X003", "--format", "json")
    findings = json.loads(result.stdout)
    linted = {frozenset(re.findall(r"'([^']+)': \d+", finding["message"]))
              for finding in findings}
    assert linted == {group for group in grouped if len(group) > 1}
    assert sorted(finding["path"] for finding in findings) == [
        "_posts/2024-01-01-p1.md", "_posts/2024-01-07-p7.md", "_posts/2024-01-09-p9.md"]
