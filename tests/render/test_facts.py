"""The facts at the head of a preview: title, date in the site's time zone, author,
categories, tags, path, URL, word count and reading time."""

from __future__ import annotations

from pathlib import Path

from postctl.render.facts import facts, reading_minutes, word_count
from tests.render.helpers import example_post


def test_facts_of_an_example_post(example_site: Path) -> None:
    site, post = example_site_post = example_post(
        example_site, "_posts/2025-04-05-writing-a-small-cli-in-python.md")
    info = facts(post, site, url="/x/")
    rows = dict(info.rows)
    assert info.title == "Writing a Small CLI in Python: Lessons From a Weekend"
    assert rows["Date"] == "2025-04-05 10:00 CEST"  # Europe/Berlin
    assert rows["Author"] == "Tomás Ferreira"
    assert rows["Categories"] == "tech" and rows["Tags"] == "python, cli"
    assert rows["Path"] == "_posts/2025-04-05-writing-a-small-cli-in-python.md"
    assert rows["URL"] == "/x/"
    assert info.words == word_count(post.body) and 250 < info.words < 320
    assert rows["Length"] == f"{info.words} words, {reading_minutes(info.words)} min read"
    assert example_site_post


def test_date_is_shown_in_the_site_time_zone(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\ndate: 2024-01-02 "
                            "23:30:00 +0000\n---\n"}, config='timezone = "Asia/Tokyo"\n')
    site, post = example_post(root, "_posts/2024-01-02-a.md")
    assert dict(facts(post, site).rows)["Date"] == "2024-01-03 08:30 JST"


def test_reading_time() -> None:
    assert [reading_minutes(n) for n in (0, 1, 200, 201, 1000)] == [0, 1, 1, 2, 5]
    assert word_count("# Title\n\nOne *two* [three](/x/) `four`.\n{% include x %}") == 5
