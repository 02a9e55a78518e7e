"""What the site generators themselves make of a published post: Jekyll builds it with the
date asked for; Hugo no longer lists it as a draft and shows its date."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests import oracles
from tests.edit.lifecycle_sites import make_hugo


def test_jekyll_builds_the_published_post_with_the_date_asked_for(cli, make_site,
                                                                   tmp_path: Path) -> None:
    body = 'DATE={{ page.date | date: "%Y-%m-%d %H:%M:%S %z" }}\n'
    root = make_site(posts={"_drafts/seed-swap.md": f"---\ntitle: Seed swap\n---\n{body}"},
                     jekyll="title: T\ntimezone: Europe/Berlin\n")
    result = cli("--root", str(root), "publish", "seed-swap", "--date", "2025-03-01T10:00")
    assert result.exit_code == 0, result
    out = tmp_path / "built"
    jekyll = oracles.require("jekyll")
    done = subprocess.run([jekyll, "build", "-q", "-s", str(root), "-d", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = out / "2025/03/01/seed-swap.html"
    assert "DATE=2025-03-01 10:00:00 +0100" in page.read_text()


def test_hugo_lists_the_published_post_with_its_date(cli, tmp_path: Path) -> None:
    posts = {"content/posts/toml-post.md": "+++\ntitle = 'T'\ndraft = true # wait\n+++\nB\n",
             "content/posts/json-post.md": '{\n  "title": "J",\n  "draft": true\n}\nB\n',
             "content/posts/yaml-post.md": "---\ntitle: Y\ndraft: true\n---\nB\n"}
    root = make_hugo(tmp_path / "hugo", posts)
    hugo = oracles.require("hugo")

    def hugo_list(which: str) -> list[str]:
        done = subprocess.run([hugo, "list", which, "-s", str(root)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return [line for line in done.stdout.splitlines() if line.startswith("content/")]

    assert len(hugo_list("drafts")) == 3
    for rel in posts:
        result = cli("--root", str(root), "publish", rel, "--date", "2025-03-01T10:00")
        assert result.exit_code == 0, result
    assert hugo_list("drafts") == []
    rows = {line.split(",")[0]: line.split(",") for line in hugo_list("all")}
    dates = {path: row[3] for path, row in rows.items()}
    assert dates == dict.fromkeys(posts, "2025-03-01T10:00:00+01:00")
