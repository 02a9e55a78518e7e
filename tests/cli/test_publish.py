"""`postctl publish` and `postctl unpublish` from the command line."""

from __future__ import annotations

import json

from tests.conftest import snapshot

BERLIN = "title: T\ntimezone: Europe/Berlin\n"
DRAFT = "---\ntitle: Seed swap\ntags: [a]\n---\nBody\n"


def test_publish_prints_the_new_path_relative_to_the_working_folder(cli, make_site,
                                                                    monkeypatch) -> None:
    root = make_site(posts={"_drafts/seed-swap.md": DRAFT}, jekyll=BERLIN)
    monkeypatch.chdir(root / "_posts")
    result = cli("publish", "seed", "swap", "--date", "2025-03-01T10:00")
    assert result.exit_code == 0, result
    assert result.stdout == "2025-03-01-seed-swap.md\n"
    assert "published ../_drafts/seed-swap.md → 2025-03-01-seed-swap.md" in result.stderr
    assert (root / "_posts/2025-03-01-seed-swap.md").read_text() == DRAFT.replace(
        "swap\n", "swap\ndate: 2025-03-01 10:00:00 +01:00\n", 1)


def test_dry_run_shows_the_move_and_the_diff_and_writes_nothing(cli, make_site) -> None:
    root = make_site(posts={"_drafts/seed-swap.md": DRAFT}, jekyll=BERLIN)
    before = snapshot(root)
    result = cli("--root", str(root), "publish", "_drafts/seed-swap.md", "--date",
                 "2025-03-01T10:00", "--dry-run")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].startswith("would publish ")
    assert "rename to " in result.stdout and "+date: 2025-03-01 10:00:00 +01:00" in lines
    assert snapshot(root) == before


def test_json_names_old_and_new_path_url_and_fields(cli, make_site) -> None:
    root = make_site(posts={"_drafts/seed-swap.md": DRAFT}, jekyll=BERLIN)
    result = cli("--root", str(root), "publish", "seed-swap", "--date", "2025-03-01T10:00",
                 "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["path"] == "_posts/2025-03-01-seed-swap.md"
    assert data["old_path"] == "_drafts/seed-swap.md"
    assert data["url"] == "/2025/03/01/seed-swap.html"
    assert data["fields"] == [{"key": "date", "op": "insert",
                               "value": "2025-03-01T10:00:00+01:00"}]
    assert data["written"] is True and data["moved"] is True


def test_date_and_keep_date_together_are_a_usage_error(cli, make_site) -> None:
    root = make_site(posts={"_drafts/x.md": DRAFT}, jekyll=BERLIN)
    result = cli("--root", str(root), "publish", "x", "--date", "2025-01-01", "--keep-date")
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_an_existing_target_is_exit_3_and_the_tree_is_unchanged(cli, make_site) -> None:
    root = make_site(posts={"_drafts/x.md": DRAFT, "_posts/2025-03-01-X.md": "mine"},
                     jekyll=BERLIN)
    before = snapshot(root)
    result = cli("--root", str(root), "publish", "_drafts/x.md", "--date", "2025-03-01")
    assert result.exit_code == 3
    assert "2025-03-01-X.md exists there" in result.stderr
    assert snapshot(root) == before


def test_an_ambiguous_reference_lists_candidates_and_exits_2(cli, make_site) -> None:
    root = make_site(posts={"_drafts/python-one.md": "---\ntitle: Python one\n---\n",
                            "_drafts/python-two.md": "---\ntitle: Python two\n---\n"},
                     jekyll=BERLIN)
    before = snapshot(root)
    result = cli("--root", str(root), "publish", "python")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 'python' matches 2 posts"
    assert lines[1].startswith("  1. ") and lines[2].startswith("  2. ")
    assert snapshot(root) == before


def test_unpublish_refuses_a_linked_post_naming_the_linking_posts(cli, make_site,
                                                                  monkeypatch) -> None:
    posts = {"_posts/2024-01-02-x.md": "---\ntitle: X\n---\n",
             "_posts/2024-02-02-a.md": "---\ntitle: A\n---\n{% post_url 2024-01-02-x %}\n"}
    root = make_site(posts=posts, jekyll=BERLIN)
    before = snapshot(root)
    monkeypatch.chdir(root)
    result = cli("unpublish", "2024-01-02-x")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == (
        "Error: _posts/2024-01-02-x.md: 1 post links to it (_posts/2024-02-02-a.md); "
        "not unpublished")
    assert "--force" in result.stderr
    assert snapshot(root) == before
    forced = cli("--root", str(root), "unpublish", "2024-01-02-x", "--force")
    assert forced.exit_code == 0, forced
    assert forced.stdout.strip().endswith("_drafts/x.md")


def test_unpublish_an_unlinked_post_and_again(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-x.md": DRAFT}, jekyll=BERLIN)
    first = cli("--root", str(root), "unpublish", "x")
    assert first.exit_code == 0 and (root / "_drafts/x.md").read_text() == DRAFT
    again = cli("--root", str(root), "unpublish", "x")
    assert again.exit_code == 0 and "already a draft" in again.stderr


def test_unpublish_json_carries_the_note_about_the_file_name_date(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-x.md": DRAFT}, jekyll=BERLIN)
    result = cli("--root", str(root), "unpublish", "x", "--format", "json")
    assert result.exit_code == 0, result
    data = json.loads(result.stdout)
    assert data["path"] == "_drafts/x.md" and data["old_url"] == "/2024/01/02/x.html"
    assert data["notes"] == ["the date in its file name (2024-01-02) goes with it: the post "
                             "has no date key"]


def test_a_page_that_is_not_a_post_is_a_usage_error(cli, make_site) -> None:
    root = make_site(posts={"about.md": "---\ntitle: About\npublished: false\n---\n"},
                     jekyll=BERLIN)
    before = snapshot(root)
    for command in (["publish"], ["unpublish"], ["rename", "about.md", "X"]):
        args = command if command[0] == "rename" else [*command, "about.md"]
        result = cli("--root", str(root), *args)
        assert result.exit_code == 2, result
        assert "not a post of the site" in result.stderr
    assert snapshot(root) == before


def test_on_a_terminal_several_matches_are_offered_to_publish(cli, make_site,
                                                              monkeypatch) -> None:
    root = make_site(posts={"_drafts/python-one.md": "---\ntitle: Python one\n---\n",
                            "_drafts/python-two.md": "---\ntitle: Python two\n---\n"},
                     jekyll=BERLIN)
    monkeypatch.setattr("postctl.render.output._isatty", lambda stream: True)
    result = cli("--root", str(root), "publish", "python", "--date", "2025-01-01", input="2\n")
    assert result.exit_code == 0, result
    assert "Publish which one? [1-2, q to quit]" in result.stderr
    assert (root / "_posts/2025-01-01-python-two.md").exists()


def test_the_journal_records_the_command_as_typed(cli, make_site) -> None:
    root = make_site(posts={"_drafts/seed-swap.md": DRAFT}, jekyll=BERLIN)
    assert cli("--root", str(root), "publish", "seed", "swap").exit_code == 0
    listed = cli("--root", str(root), "undo", "--list", "--format", "json")
    assert [entry["command"] for entry in json.loads(listed.stdout)] == [
        f"postctl --root {root} publish seed swap"]
