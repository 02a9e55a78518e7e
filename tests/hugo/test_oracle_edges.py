"""Edge cases of Hugo's reading, against hugo list: untitled sections and home, text that
is not ASCII in paths and slugs, punctuation, JSON front matter, dates with offsets."""

from __future__ import annotations

from pathlib import Path

from tests.hugo.oracle import assert_same_as_hugo, write_site


def test_untitled_sections_and_odd_names(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/_index.md": "---\ndate: 2020-01-01\n---\n",
        "content/news/_index.md": "---\ndraft: false\n---\n",
        "content/news/Ünïcode Pâge.md":
            "---\ntitle: Ça va?\ndate: 2024-03-04T05:06:07+05:30\n---\n",
        "content/news/punct.md": "---\ntitle: P\nslug: \"What's up, doc? (1/2)\"\n---\n",
        "content/news/json.md": '{\n  "title": "J",\n  "date": "2024-05-06T07:08:09Z",\n'
                                '  "draft": true\n}\nbody\n',
        "content/news/numbers.md": "---\ntitle: 2024\nslug: 42\n---\n",
    })
    assert_same_as_hugo(cli, root, ("all",))
