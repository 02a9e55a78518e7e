"""publish and unpublish, planned and written: Jekyll and Hugo, every front-matter language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postctl.edit.lifecycle import ChangeRefusedError, apply_plan
from postctl.edit.publishing import LinkedPostError, plan_publish, plan_unpublish
from postctl.errors import UnsafeWriteError, UsageError
from tests.edit.lifecycle_sites import BERLIN_NOW, load, make_hugo, tree, undo_last

BERLIN = "title: T\ntimezone: Europe/Berlin\n"
DRAFT = "---\ntitle: Seed swap\nauthor: Mara\ntags: [a]\n---\nBody {% raw %}x{% endraw %}\n"


def publish(root: Path, rel: str, **options: object) -> Path:
    site, post = load(root, rel)
    options.setdefault("now", BERLIN_NOW)
    plan = plan_publish(site, post, **options)  # type: ignore[arg-type]
    apply_plan(site, plan)
    return plan.new_path


def test_a_jekyll_draft_moves_to_posts_dated_now(make_site) -> None:
    root = make_site(posts={"_drafts/seed-swap.md": DRAFT}, jekyll=BERLIN)
    before = tree(root)
    new = publish(root, "_drafts/seed-swap.md")
    assert new == root / "_posts/2025-03-01-seed-swap.md"
    assert tree(root) == {"_config.yml": before["_config.yml"],
                          "_posts/2025-03-01-seed-swap.md": DRAFT.replace(
                              "Seed swap\n", "Seed swap\ndate: 2025-03-01 10:00:05 +01:00\n"
                          ).encode()}
    undo_last(root)
    assert tree(root) == before


def test_the_date_asked_for_is_written_in_the_site_zone_and_names_the_file(make_site) -> None:
    root = make_site(posts={"_drafts/seed-swap.markdown": DRAFT}, jekyll=BERLIN)
    new = publish(root, "_drafts/seed-swap.markdown", date="2025-03-01T23:30:00-05:00")
    assert new.name == "2025-03-02-seed-swap.markdown"
    assert b"date: 2025-03-02 05:30:00 +01:00\n" in new.read_bytes()


def test_an_existing_date_is_replaced_in_place_comment_kept(make_site) -> None:
    draft = "---\ntitle: X\ndate: 2020-01-01   # first try\nlayout: post\n---\nB\n"
    root = make_site(posts={"_drafts/x.md": draft}, jekyll=BERLIN)
    new = publish(root, "_drafts/x.md", date="2025-05-06 07:08")
    assert new.read_text() == draft.replace("2020-01-01", "2025-05-06 07:08:00 +02:00")


def test_keep_date_keeps_the_date_and_names_the_file_by_it(make_site) -> None:
    draft = "---\ntitle: X\ndate: 2021-02-03 04:05:06 +01:00\n---\nB\n"
    root = make_site(posts={"_drafts/x.md": draft}, jekyll=BERLIN)
    new = publish(root, "_drafts/x.md", keep_date=True)
    assert new == root / "_posts/2021-02-03-x.md"
    assert new.read_text() == draft


def test_keep_date_without_a_date_is_a_usage_error(make_site) -> None:
    root = make_site(posts={"_drafts/x.md": DRAFT}, jekyll=BERLIN)
    before = tree(root)
    with pytest.raises(UsageError, match="has no date to keep"):
        publish(root, "_drafts/x.md", keep_date=True)
    assert tree(root) == before


def test_site_date_style_with_and_without_seconds(make_site) -> None:
    for style, expected in (("2024-01-02T03:04:05+01:00", "date: 2025-03-01T10:00:05+01:00\n"),
                            ("2024-01-02 03:04 +0100", "date: 2025-03-01 10:00 +0100\n"),
                            ("2024-01-02 03:04 +01:00", 'date: "2025-03-01 10:00 +01:00"\n')):
        posts = {"_posts/2024-01-02-old.md": f"---\ntitle: Old\ndate: {style}\n---\n",
                 "_drafts/x.md": DRAFT}
        root = make_site(posts=posts, jekyll=BERLIN, name=f"site-{len(style)}-{style[-3]}")
        new = publish(root, "_drafts/x.md")
        assert expected in new.read_text()


def test_unpublished_post_loses_the_key_line_and_is_renamed_by_its_new_day(make_site) -> None:
    text = "---\ntitle: X\npublished: false  # not yet\ndate: 2024-05-05 10:00:00 +02:00\n---\n"
    root = make_site(posts={"_posts/2024-05-05-x.md": text}, jekyll=BERLIN)
    new = publish(root, "_posts/2024-05-05-x.md")
    assert new == root / "_posts/2025-03-01-x.md"
    assert new.read_text() == ("---\ntitle: X\ndate: 2025-03-01 10:00:05 +01:00\n---\n")
    assert not (root / "_posts/2024-05-05-x.md").exists()


def test_unpublished_post_keeping_its_date_keeps_its_name(make_site) -> None:
    text = "---\ntitle: X\npublished: false\n---\nB\r\n"
    root = make_site(posts={"_posts/2024-05-05-x.md": text}, jekyll=BERLIN)
    new = publish(root, "_posts/2024-05-05-x.md", keep_date=True)
    assert new == root / "_posts/2024-05-05-x.md"
    assert new.read_bytes() == b"---\ntitle: X\n---\nB\r\n"


def test_crlf_and_bom_are_kept(make_site) -> None:
    raw = b"\xef\xbb\xbf" + DRAFT.replace("\n", "\r\n").encode()
    root = make_site(posts={"_drafts/x.md": raw}, jekyll=BERLIN)
    new = publish(root, "_drafts/x.md")
    assert new.read_bytes() == raw.replace(b"Seed swap\r\n",
                                           b"Seed swap\r\ndate: 2025-03-01 10:00:05 +01:00\r\n")


def test_category_folders_and_subfolders_are_kept(make_site) -> None:
    root = make_site(posts={"news/_drafts/x.md": DRAFT, "_posts/sub/2024-01-02-y.md": DRAFT},
                     jekyll=BERLIN)
    assert publish(root, "news/_drafts/x.md") == root / "news/_posts/2025-03-01-x.md"
    site, post = load(root, "_posts/sub/2024-01-02-y.md")
    plan = plan_unpublish(site, post)
    apply_plan(site, plan)
    assert plan.new_path == root / "_drafts/sub/y.md"
    assert plan.new_path.read_text() == DRAFT


def test_a_move_never_replaces_a_file_also_differing_in_case(make_site) -> None:
    for existing in ("_posts/2025-03-01-x.md", "_posts/2025-03-01-X.md"):
        root = make_site(posts={"_drafts/x.md": DRAFT, existing: "mine"}, jekyll=BERLIN,
                         name=f"site-{existing[-4]}")
        before = tree(root)
        with pytest.raises(UnsafeWriteError, match="cannot move to"):
            publish(root, "_drafts/x.md")
        assert tree(root) == before


def test_a_file_changed_after_it_was_read_is_not_overwritten(make_site) -> None:
    root = make_site(posts={"_drafts/x.md": DRAFT}, jekyll=BERLIN)
    site, post = load(root, "_drafts/x.md")
    plan = plan_publish(site, post, now=BERLIN_NOW)
    (root / "_drafts/x.md").write_text(DRAFT + "more\n")
    with pytest.raises(ChangeRefusedError, match="changed nothing"):
        apply_plan(site, plan)
    assert tree(root) == {"_config.yml": BERLIN.encode(), "_drafts/x.md": (DRAFT + "more\n")
                          .encode()}


def test_a_published_post_is_left_alone(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-x.md": DRAFT}, jekyll=BERLIN)
    site, post = load(root, "_posts/2024-01-02-x.md")
    plan = plan_publish(site, post, now=BERLIN_NOW)
    assert not plan.changed and plan.notes == ("already published: nothing to do",)


def test_unpublish_moves_byte_identical_and_undo_puts_it_back(make_site) -> None:
    raw = b"\xef\xbb\xbf---\r\ntitle: X\r\n---\r\nB"
    root = make_site(posts={"_posts/2024-01-02-x.md": raw}, jekyll=BERLIN)
    before = tree(root)
    site, post = load(root, "_posts/2024-01-02-x.md")
    plan = plan_unpublish(site, post)
    apply_plan(site, plan)
    assert tree(root) == {"_config.yml": BERLIN.encode(), "_drafts/x.md": raw}
    assert plan.notes and "2024-01-02" in plan.notes[0]
    undo_last(root)
    assert tree(root) == before


def test_unpublish_refuses_a_linked_post_unless_forced(make_site) -> None:
    posts = {"_posts/2024-01-02-x.md": "---\ntitle: X\n---\n",
             "_posts/2024-02-02-a.md": "---\ntitle: A\n---\n{% post_url 2024-01-02-x %}\n",
             "_posts/2024-02-03-b.md": "---\ntitle: B\n---\n{% link _posts/2024-01-02-x.md %}\n",
             "_posts/2024-02-04-c.md": "---\ntitle: C\n---\n`{% post_url 2024-01-02-x %}`\n"}
    root = make_site(posts=posts, jekyll=BERLIN)
    before = tree(root)
    site, post = load(root, "_posts/2024-01-02-x.md")
    with pytest.raises(LinkedPostError) as refused:
        plan_unpublish(site, post)
    assert refused.value.linking == [root / "_posts/2024-02-02-a.md",
                                     root / "_posts/2024-02-03-b.md"]
    assert tree(root) == before
    apply_plan(site, plan_unpublish(site, post, force=True))
    assert (root / "_drafts/x.md").exists()


HUGO_POSTS = {
    "content/posts/yaml.md": "---\ntitle: Y\ndate: 2024-01-01T10:00:00+01:00\n"
                             "draft: true # wait\n---\nB\n",
    "content/posts/toml.md": "+++\ntitle = 'T'\ndraft = true  # wait\ntags = ['a']\n+++\nB\n",
    "content/posts/json.md": '{\n  "title": "J",\n  "draft": true,\n  "tags": ["a"]\n}\nB\n',
}


def test_hugo_publish_in_every_language_leaves_the_file_in_place(tmp_path: Path) -> None:
    root = make_hugo(tmp_path / "hugo", HUGO_POSTS)
    before = tree(root)
    for rel in HUGO_POSTS:
        assert publish(root, rel) == root / rel
    after = tree(root)
    assert after["content/posts/yaml.md"] == (
        b"---\ntitle: Y\ndate: 2025-03-01T10:00:05+01:00\ndraft: false # wait\n---\nB\n")
    assert after["content/posts/toml.md"] == (
        b"+++\ntitle = 'T'\ndate = 2025-03-01T10:00:05+01:00\ndraft = false  # wait\n"
        b"tags = ['a']\n+++\nB\n")
    assert after["content/posts/json.md"] == (
        b'{\n  "title": "J",\n  "date": "2025-03-01T10:00:05+01:00",\n  "draft": false,\n'
        b'  "tags": ["a"]\n}\nB\n')
    for _ in HUGO_POSTS:
        undo_last(root)
    assert tree(root) == before


def test_hugo_unpublish_sets_or_inserts_draft(tmp_path: Path) -> None:
    posts = {"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\ndraft: false\n---\n",
             "content/posts/b.md": "+++\ntitle = 'B'\ndate = 2024-01-01\n+++\n"}
    root = make_hugo(tmp_path / "hugo", posts)
    for rel in posts:
        site, post = load(root, rel)
        apply_plan(site, plan_unpublish(site, post))
    assert (root / "content/posts/a.md").read_text() == posts["content/posts/a.md"].replace(
        "draft: false", "draft: true")
    assert (root / "content/posts/b.md").read_text() == (
        "+++\ntitle = 'B'\ndate = 2024-01-01\ndraft = true\n+++\n")


def test_hugo_unpublish_refuses_a_page_named_by_ref(tmp_path: Path) -> None:
    posts = {"content/posts/a.md": "---\ntitle: A\n---\n",
             "content/about.md": '---\ntitle: About\n---\n[a]({{< relref "posts/a" >}})\n'}
    root = make_hugo(tmp_path / "hugo", posts)
    site, post = load(root, "content/posts/a.md")
    with pytest.raises(LinkedPostError, match="1 post links to it"):
        plan_unpublish(site, post)


def test_the_date_moment_is_now_in_the_site_zone(make_site) -> None:
    root = make_site(posts={"_drafts/x.md": DRAFT}, jekyll=BERLIN)
    site, post = load(root, "_drafts/x.md")
    utc_now = dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.timezone.utc)
    plan = plan_publish(site, post, now=utc_now)
    assert plan.new_path.name == "2025-07-01-x.md"
    assert plan.fields[-1].text == "2025-07-01 01:30:00 +02:00"
