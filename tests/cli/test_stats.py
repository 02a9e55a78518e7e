"""postctl stats through the CLI: text and JSON on the example site, filters, no match."""

from __future__ import annotations

import json


def test_stats_json_on_the_example_site(cli, example_site) -> None:
    result = cli("--root", str(example_site), "stats", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert (data["posts"], data["drafts"]) == (19, 1)
    assert sum(p["posts"] for p in data["per_period"]) == 19
    assert data["top_tags"][0] == {"name": "berlin", "posts": 7}
    assert data["oldest"]["date"] < data["newest"]["date"]
    assert data["words"]["total"] > 0


def test_stats_text_by_month_with_a_filter(cli, example_site) -> None:
    result = cli("--root", str(example_site), "stats", "--by", "month", "--tag", "python")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("Posts   4 posts, 0 drafts")
    assert "Posts per month" in result.stdout and "Top authors" in result.stdout


def test_stats_says_when_nothing_matches(cli, example_site) -> None:
    result = cli("--root", str(example_site), "stats", "--tag", "no-such-tag")
    assert result.exit_code == 0, result
    assert "no post matches" in result.stderr
    assert result.stdout.startswith("Posts   0 posts")


def test_stats_rejects_an_unknown_format(cli, example_site) -> None:
    result = cli("--root", str(example_site), "stats", "--format", "csv")
    assert result.exit_code == 2


def test_stats_on_a_site_without_posts_is_a_usage_error(cli, make_site) -> None:
    root = make_site(posts={})
    result = cli("--root", str(root), "stats")
    assert result.exit_code == 2
    assert "no posts in" in result.stderr and "_posts" in result.stderr
    assert result.stdout == ""
