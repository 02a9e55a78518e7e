"""``postctl new`` on a Hugo site: the archetype ``hugo new content`` uses, filled in as real
Hugo fills it (the same bytes, the date aside), bundles, sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.edit.lifecycle_sites import make_hugo
from tests.oracles import require, run

POSTS_ARCHETYPE = """---
title: "{{ replace .Name "-" " " | title }}"
date: {{ .Date }}
draft: true
type: {{ .Type }}
section: {{ .Section }}
base: {{ .File.BaseFileName }}
site: {{ .Site.Title }}
{{- /* a comment */}}
tags: []
---

Write about {{ .Name | humanize }} here.
"""
DEFAULT_ARCHETYPE = """+++
date = '{{ .Date }}'
draft = true
title = '{{ replace .File.ContentBaseName "-" " " | title }}'
+++
"""
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


def hugo_site(root: Path) -> Path:
    make_hugo(root, {"archetypes/posts.md": POSTS_ARCHETYPE,
                     "archetypes/default.md": DEFAULT_ARCHETYPE})
    (root / "content").mkdir()
    return root


# (postctl new arguments, the content path given to hugo new content)
CASES = [
    (["My First Post", "--section", "posts"], "posts/my-first-post.md"),
    (["The Art of War and Peace"], "posts/the-art-of-war-and-peace.md"),
    (["A Note", "--section", "notes"], "notes/a-note.md"),
    (["Bundle Post", "--bundle"], "posts/bundle-post/index.md"),
    (["Deep One", "--section", "posts/2024"], "posts/2024/deep-one.md"),
    (["Top Level", "--section", ""], "top-level.md"),
]


def test_the_same_file_as_hugo_new_content(cli, tmp_path: Path) -> None:
    hugo = require("hugo")
    ours, theirs = hugo_site(tmp_path / "ours"), hugo_site(tmp_path / "theirs")
    for arguments, content in CASES:
        result = cli("--root", str(ours), "new", *arguments)
        assert result.exit_code == 0, result
        assert result.stdout.strip().endswith(f"content/{content}")
        done = run(hugo, "new", "content", content, "-s", str(theirs))
        assert done.returncode == 0, done.stderr
    for _arguments, content in CASES:
        mine = (ours / "content" / content).read_text()
        hugos = (theirs / "content" / content).read_text()
        assert DATE.search(mine) and DATE.search(hugos)
        assert DATE.sub("DATE", mine) == DATE.sub("DATE", hugos), content


def test_title_and_options_are_set_in_the_archetype(cli, tmp_path: Path) -> None:
    root = hugo_site(tmp_path / "site")
    result = cli("--root", str(root), "new", 'Ça va? "Yes"', "--section", "notes",
                 "--tag", "a", "--date", "2024-03-01T10:00", "--draft", "--set", "weight=3")
    assert result.exit_code == 0, result
    text = (root / "content/notes/ca-va-yes.md").read_text()
    assert text == ("+++\ndate = '2024-03-01T10:00:00+01:00'\ndraft = true\n"
                    "title = 'Ça va? \"Yes\"'\ntags = [\"a\"]\nweight = 3\n+++\n")


def test_an_archetype_postctl_cannot_fill_is_refused_with_nothing_written(
        cli, tmp_path: Path) -> None:
    root = hugo_site(tmp_path / "site")
    (root / "archetypes/posts.md").write_text(
        "---\ntitle: x\nauthor: {{ .Site.Params.author }}\n---\n")
    before = snapshot(root)
    result = cli("--root", str(root), "new", "X")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: archetypes/posts.md:3: postctl cannot fill {{ .Site.Params.author }} "
        "('.Site.Params.author' is not a value postctl knows); nothing written"]
    assert snapshot(root) == before


def test_without_an_archetype_and_bundles(cli, tmp_path: Path, make_site) -> None:
    root = make_hugo(tmp_path / "plain", {"content/posts/old.md": "---\ntitle: Old\n---\n"})
    result = cli("--root", str(root), "new", "New One", "--bundle", "--date", "2024-01-02")
    assert result.exit_code == 0, result
    text = (root / "content/posts/new-one/index.md").read_text()
    assert text.startswith("---\ntitle: New One\ndate: 2024-01-02")
    jekyll = make_site()
    result = cli("--root", str(jekyll), "new", "X", "--bundle")
    assert result.exit_code == 2
    assert "--bundle makes a Hugo page bundle" in result.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("the art of war and peace in a day", "The Art of War and Peace in a Day"),
    ("x as if from with into via vs but so up x", "X as if From With Into via vs but So Up X"),
    ("what is go to", "What Is Go To"),
    ("iphone tips for the iPad", "Iphone Tips for the IPad"),
])
def test_title_is_hugos_ap_style(text: str, expected: str) -> None:
    from postctl.edit.archetypes import title_case

    assert title_case(text) == expected


def test_humanize_is_hugos() -> None:
    from postctl.edit.archetypes import humanize

    assert [humanize(text) for text in ("HELLO-world", "iphone-for-the-iPad", "go123_is-v2")] \
        == ["Hello world", "Iphone for the i pad", "Go123 is v2"]
