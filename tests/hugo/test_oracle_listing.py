"""postctl list on Hugo sites equals hugo list: which files are pages, their kind, title,
dates, draft flag and permalink, in every view (all, published, drafts, future, expired)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hugo.oracle import assert_same_as_hugo, write_site


def test_sections_bundles_and_statuses_as_hugo_lists_them(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/_index.md": "---\ntitle: Home\n---\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n",
        "content/posts/hello.md": "---\ntitle: Hello World\ndate: 2024-01-02\n---\nx\n",
        "content/posts/bundle/index.md":
            "---\ntitle: B\ndate: 2024-01-03T10:00:00\nslug: My Slug\n---\nx\n",
        "content/posts/bundle/photo.md": "---\ntitle: a resource, no page\n---\n",
        "content/posts/future.md": "---\ntitle: Fut\ndate: 2099-01-03\n---\nx\n",
        "content/posts/later.md":
            "---\ntitle: Later\ndate: 2020-01-03\npublishDate: 2099-01-01\n---\nx\n",
        "content/posts/gone.md":
            "---\ntitle: Gone\ndate: 2020-01-03\nexpiryDate: 2021-01-01\n---\nx\n",
        "content/posts/draft.md": "---\ntitle: Dr\ndraft: true\n---\nx\n",
        "content/posts/toml.md": "+++\ntitle = 'Toml'\ndate = 2023-05-06T07:08:09Z\n+++\nx\n",
        "content/Blog/Sub Folder/Page.md": "---\ntitle: Sub Page\n---\nx\n",
        "content/Blog/custom.md": "---\ntitle: Custom\nurl: /custom/Path/\n---\nx\n",
        "content/plain.md": "no front matter\n",
    })
    assert_same_as_hugo(cli, root)


def test_headless_and_build_options_as_hugo_lists_them(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/headless/index.md": "---\nheadless: true\ntitle: H\n---\n",
        "content/headless/inside.md": "---\ntitle: a resource of a headless bundle\n---\n",
        "content/s/never.md": "---\ntitle: rn\nbuild:\n  render: never\n---\n",
        "content/s/unlisted.md": "---\ntitle: ln\nbuild:\n  list: never\n---\n",
        "content/s/local.md": "---\ntitle: ll\nbuild:\n  list: local\n---\n",
        "content/s/link.md": "---\ntitle: rl\nbuild:\n  render: link\n---\n",
        "content/b/_index.md": "---\ntitle: bsec\nheadless: true\n---\n",
        "content/b/b1.md": "---\ntitle: b1\n---\n",
    })
    assert_same_as_hugo(cli, root)


def test_cascade_from_a_section_as_hugo_applies_it(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/c/_index.md": "---\ntitle: sec\ncascade:\n  draft: true\n---\n",
        "content/c/c1.md": "---\ntitle: c1\ndate: 2024-02-02\n---\n",
        "content/c/deeper/_index.md":
            "+++\ntitle = 'deeper'\n[cascade]\ndraft = false\n"
            "[cascade.build]\nrender = 'never'\n+++\n",
        "content/c/deeper/c2.md": "---\ntitle: c2\n---\n",
        "content/c/own.md": "---\ntitle: own\ndraft: false\n---\n",
    })
    assert_same_as_hugo(cli, root)


def test_section_dates_come_from_their_pages_as_in_hugo(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/s/_index.md": "---\ntitle: S\n---\n",
        "content/s/sub/_index.md": "---\ntitle: Sub\n---\n",
        "content/t/_index.md": "---\ntitle: T\ndate: 2019-01-01\n---\n",
        "content/t/t1.md": "---\ntitle: t1\ndate: 2023-01-01\nlastmod: 2025-01-01\n---\n",
        "content/s/a.md": "---\ntitle: a\ndate: 2021-01-01\n---\n",
        "content/s/d.md": "---\ntitle: d\ndate: 2022-06-01\ndraft: true\n---\n",
        "content/s/sub/e.md": "---\ntitle: e\ndate: 2020-01-01\nexpiryDate: 2020-06-01\n---\n",
        "content/s/sub/f.md": "---\ntitle: f\npublishDate: 2030-01-01\n---\n",
        "content/s/sub/g.md": "---\ntitle: g\ndate: 2021-05-01\n---\n",
    })
    assert_same_as_hugo(cli, root, ("all", "published"))


def test_a_changed_cascade_reaches_the_indexed_pages(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/c/_index.md": "---\ntitle: sec\n---\n",
        "content/c/c1.md": "---\ntitle: c1\ndate: 2024-02-02\n---\n",
    })
    assert_same_as_hugo(cli, root, ("all",))
    (root / "content/c/_index.md").write_text("---\ntitle: sec\ncascade:\n  draft: true\n---\n")
    assert_same_as_hugo(cli, root, ("all", "drafts"))
    (root / "content/c/_index.md").unlink()
    assert_same_as_hugo(cli, root, ("all", "drafts"))


def test_kind_filter_and_flags_that_need_a_hugo_site(cli, make_site, tmp_path: Path) -> None:
    root = write_site(tmp_path / "hugo", {
        "content/_index.md": "---\ntitle: Home\n---\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n",
        "content/posts/a.md": "---\ntitle: A\n---\n",
    })

    def kinds(*flags: str) -> list[str]:
        result = cli("--root", str(root), "list", *flags, "--format", "json", "--sort", "path")
        assert result.exit_code == 0, result
        return [item["kind"] for item in json.loads(result.stdout)]

    assert kinds() == ["home", "section", "page"]
    assert kinds("--kind", "section", "--kind", "home") == ["home", "section"]
    assert kinds("--kind", "page") == ["page"]
    bad = cli("--root", str(root), "list", "--kind", "post")
    assert bad.exit_code == 2 and "--kind 'post'" in bad.stderr, bad
    jekyll = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\n---\n"})
    expired = cli("--root", str(jekyll), "list", "--expired")
    assert expired.exit_code == 2 and "Hugo" in expired.stderr
    assert len(expired.stderr.strip().splitlines()) == 1


def test_future_on_a_jekyll_site_keeps_only_posts_dated_after_now(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\n---\n",
                            "_posts/2099-01-02-b.md": "---\ntitle: B\n---\n"})
    result = cli("--root", str(root), "list", "--future", "--format", "json")
    assert [item["path"] for item in json.loads(result.stdout)] == ["_posts/2099-01-02-b.md"]


def test_the_table_of_a_hugo_site_shows_each_page_kind(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "hugo", {"content/posts/_index.md": "---\ntitle: Posts\n---\n",
                                          "content/posts/a.md": "---\ntitle: A\n---\n"})
    result = cli("--root", str(root), "list", "--format", "csv", "--sort", "path")
    assert result.stdout.splitlines() == ["date,kind,title,tags,path",
                                          ",section,Posts,,content/posts/_index.md",
                                          ",page,A,,content/posts/a.md"]
