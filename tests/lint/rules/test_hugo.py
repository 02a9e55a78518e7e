"""Lint on Hugo sites: Hugo's own keys are known, no date is required, and ``ref``/``relref``
shortcodes are checked as Hugo checks them (real Hugo says which ones stop the build)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.edit.lifecycle_sites import make_hugo
from tests.lint.rules.conftest import rules_of, run_lint
from tests.oracles import require, run

HUGO_KEYS_PAGE = """---
title: A page
Title2: near miss
tittle: another
_comment: a private note
_build:
  list: never
build:
  render: always
cascade:
  params:
    x: 1
params:
  author: Ann
outputs: [html]
resources:
  - src: a.png
menus: main
aliases: [/old/]
slug: a-page
url: /a-page/
weight: 3
publishDate: 2024-01-01
expiryDate: 2030-01-01
lastmod: 2024-02-01
linkTitle: A
LinkTitle: A
summary: S
type: post
layout: single
markup: goldmark
headless: false
isCJKLanguage: false
keywords: [k]
sitemap:
  priority: 0.5
translationKey: a
description: D
images: [a.png]
series: [s]
---
Body.
"""


def test_hugo_keys_are_known_and_near_misses_still_reported(tmp_path: Path) -> None:
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": HUGO_KEYS_PAGE})
    found = run_lint(root, ["F006", "F007", "F008"])
    assert [(d.line, d.message) for d in found] == [
        (3, "unknown key 'Title2': did you mean 'title'?"),
        (4, "unknown key 'tittle': did you mean 'title'?"),
    ]


def test_strict_schema_on_hugo_still_knows_hugo_keys(tmp_path: Path) -> None:
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": HUGO_KEYS_PAGE.replace(
        "Title2: near miss\ntittle: another\n", "mine: 1\n")})
    (root / "postctl.toml").write_text('timezone = "UTC"\n[schema]\nstrict = true\n'
                                       '[schema.fields.title]\nrequired = true\n')
    assert [d.message for d in run_lint(root, ["F007"])] == [
        "key 'mine' is not in the schema ([schema] strict = true)"]


def test_the_same_keys_on_a_jekyll_site_are_not_all_known(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\nlinkTitle: L\n"
                            "_comment: x\n---\nB\n"},
                     config="[schema]\nstrict = true\n[schema.fields.title]\nrequired = true\n")
    assert [d.line for d in run_lint(root, ["F007"])] == [3]  # linkTitle


def test_no_date_is_required_on_hugo(tmp_path: Path, make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": "---\ntitle: A\n---\nB\n",
                                         "content/posts/b.md": "+++\ntitle = 'B'\n+++\nB\n"})
    assert run_lint(root, ["F001"]) == []
    jekyll = make_site(posts={"_drafts/a.md": "---\ntitle: A\n---\nB\n",
                              "x/a.md": "---\ntitle: A\n---\nB\n"},
                       config='posts = ["x"]\ndrafts = ["_drafts"]\n')
    assert rules_of(run_lint(jekyll, ["F001"])) == ["F001"]  # x/a.md: no date at all


def test_a_section_page_needs_no_title_on_hugo(tmp_path: Path) -> None:
    root = make_hugo(tmp_path / "hugo", {"content/posts/_index.md": "---\ndraft: false\n---\n",
                                         "content/posts/_index-notes.md": "---\nx: 1\n---\nB\n"})
    assert [f.path for f in run_lint(root, ["F001"])] == ["content/posts/_index-notes.md"]


# --- ref and relref ------------------------------------------------------------------------

REF_SITE = {
    "content/posts/a.md": ('---\ntitle: A\n---\nSee [b]({{< ref "b" >}}) and '
                           '{{< relref "sub/c.md" >}}.\n'),
    "content/posts/b.md": "---\ntitle: B\ndraft: true\n---\nB\n",
    "content/posts/sub/c.md": "---\ntitle: C\n---\nC\n",
    "content/posts/e.md": (
        "---\ntitle: E\n---\n"
        '{{< ref "c" >}} {{< ref "/posts/sub/C" >}} {{< ref "../posts/b.md" >}}\n'
        '{{< ref "sub" >}} {{< relref "nope.md#part" >}} {{< ref "#here" >}}\n'
        '{{< ref "posts" >}} {{< ref "bundle" >}} {{< relref path="/posts/later" >}}\n'
        '```\n{{< ref "in-code" >}}\n```\n{{</* ref "escaped" */>}}\n'),
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    "content/posts/bundle/index.md": "---\ntitle: Bundle\n---\nB\n",
    "content/posts/later.md": "---\ntitle: Later\ndate: 2999-01-01\n---\nL\n",
}


def test_broken_refs_are_the_ones_real_hugo_refuses(tmp_path: Path) -> None:
    hugo = require("hugo")
    root = make_hugo(tmp_path / "hugo", REF_SITE, timezone="UTC")
    ours = {(d.path, d.line, re.search(r"'([^']*)'", d.message)[1])  # type: ignore[index]
            for d in run_lint(root, ["R005"])}
    assert all(d.severity == "error" for d in run_lint(root, ["R005"]))
    done = run(hugo, "-s", str(root), "-d", str(tmp_path / "public"))
    assert done.returncode != 0
    theirs = {(Path(path).relative_to(root).as_posix(), int(line), target)
              for target, path, line in re.findall(r'REF_NOT_FOUND: Ref "([^"]*)": "([^":]+):(\d+)',
                                                   done.stderr)}
    assert {target for *_, target in theirs} == {"b", "../posts/b.md", "sub", "nope.md",
                                                 "in-code", "/posts/later"}
    # Hugo names a target without its fragment
    assert {(p, line, t.split("#")[0]) for p, line, t in ours} == theirs


def test_refs_are_not_checked_on_jekyll_sites_nor_liquid_on_hugo(tmp_path: Path,
                                                                make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(posts={"_posts/2024-01-02-a.md": '---\ntitle: A\n---\n{{< ref "x" >}}\n'})
    assert run_lint(root, ["R"]) == []
    hugo = make_hugo(tmp_path / "hugo", {"content/posts/a.md":
                                         "---\ntitle: A\n---\n{% post_url 2024-01-01-x %}\n"})
    assert run_lint(hugo, ["R"]) == []


def test_links_in_a_highlight_shortcode_are_code(tmp_path: Path) -> None:
    page = ("---\ntitle: A\n---\n{{< highlight md >}}\n[x](/nowhere)\n{{< /highlight >}}\n"
            "[y](/missing)\n")
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": page})
    assert [d.line for d in run_lint(root, ["R004"])] == [7]


def test_hugo_keys_in_any_letter_case_count(tmp_path: Path, make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": "---\nTitle: Hello\n---\nB\n"})
    assert run_lint(root, ["F001"]) == []
    jekyll = make_site(posts={"_posts/2024-01-02-a.md": "---\nTitle: Hello\n---\nB\n"})
    assert rules_of(run_lint(jekyll, ["F001"])) == ["F001"]  # Jekyll reads title only
