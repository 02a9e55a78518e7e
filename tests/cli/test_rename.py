"""`postctl rename` from the command line."""

from __future__ import annotations

import json

from tests.conftest import snapshot

BERLIN = "title: T\ntimezone: Europe/Berlin\n"
POSTS = {"_posts/2024-01-02-old.md": "---\ntitle: Old\n---\n",
         "_posts/2024-02-02-a.md": "---\ntitle: A\n---\n{% post_url 2024-01-02-old %}\n"}


def test_rename_prints_the_new_path_and_what_it_rewrote(cli, make_site, monkeypatch) -> None:
    root = make_site(posts=POSTS, jekyll=BERLIN)
    monkeypatch.chdir(root)
    result = cli("rename", "2024-01-02-old", "Brand New")
    assert result.exit_code == 0, result
    assert result.stdout == "_posts/2024-01-02-brand-new.md\n"
    assert "rewrote 1 reference in 1 post: _posts/2024-02-02-a.md" in result.stderr
    assert "{% post_url 2024-01-02-brand-new %}" in (root / "_posts/2024-02-02-a.md").read_text()


def test_dry_run_shows_reference_rewrites_and_writes_nothing(cli, make_site) -> None:
    root = make_site(posts=POSTS, jekyll=BERLIN)
    before = snapshot(root)
    result = cli("--root", str(root), "rename", "old", "Brand New", "--dry-run")
    assert result.exit_code == 0, result
    assert "would rewrite 1 reference in 1 post" in result.stdout
    assert "+{% post_url 2024-01-02-brand-new %}" in result.stdout.splitlines()
    assert snapshot(root) == before


def test_json_lists_references_and_the_redirect(cli, make_site) -> None:
    root = make_site(posts=POSTS, jekyll=BERLIN)
    result = cli("--root", str(root), "rename", "old", "Brand New", "--format", "json")
    data = json.loads(result.stdout)
    assert data["old_url"] == "/2024/01/02/old.html"
    assert data["url"] == "/2024/01/02/brand-new.html"
    assert data["references"] == [{"path": "_posts/2024-02-02-a.md", "count": 1}]
    assert data["fields"][-1] == {"key": "redirect_from", "op": "insert",
                                  "value": ["/2024/01/02/old.html"]}


def test_date_and_now_together_are_a_usage_error(cli, make_site) -> None:
    root = make_site(posts=POSTS, jekyll=BERLIN)
    result = cli("--root", str(root), "rename", "old", "X", "--date", "2024-01-01", "--now")
    assert result.exit_code == 2


def test_a_post_changed_while_renaming_is_exit_3(cli, make_site, monkeypatch) -> None:
    root = make_site(posts=POSTS, jekyll=BERLIN)
    from postctl.edit import lifecycle

    real = lifecycle.apply_plan

    def meddle(site, plan, *rest):  # another program saves a referring post meanwhile
        (root / "_posts/2024-02-02-a.md").write_text("---\ntitle: A\n---\nmine\n")
        return real(site, plan)

    monkeypatch.setattr(lifecycle, "apply_plan", meddle)
    result = cli("--root", str(root), "rename", "old", "Brand New")
    assert result.exit_code == 3
    assert "2024-02-02-a.md" in result.stderr and "changed nothing" in result.stderr
    assert (root / "_posts/2024-01-02-old.md").read_text() == "---\ntitle: Old\n---\n"
    assert not (root / "_posts/2024-01-02-brand-new.md").exists()
    assert (root / "_posts/2024-02-02-a.md").read_text() == "---\ntitle: A\n---\nmine\n"


def test_a_value_postctl_cannot_splice_is_refused_and_nothing_changes(cli, make_site) -> None:
    posts = {"_posts/2024-01-02-old.md": "---\ntitle: |\n  Old\n---\n",
             "_posts/2024-02-02-a.md": POSTS["_posts/2024-02-02-a.md"]}
    root = make_site(posts=posts, jekyll=BERLIN)
    before = snapshot(root)
    result = cli("--root", str(root), "rename", "2024-01-02-old", "New")
    assert result.exit_code == 3
    assert "title: the value is a block scalar" in result.stderr
    assert "edit this key by hand" in result.stderr
    assert snapshot(root) == before


def test_crlf_and_bom_are_kept_in_the_renamed_post(cli, make_site) -> None:
    raw = b"\xef\xbb\xbf---\r\ntitle: 'Old one'\r\ntags:\r\n- a\r\n---\r\nBody\r\n"
    root = make_site(posts={"_posts/2024-01-02-old.md": raw}, jekyll=BERLIN)
    result = cli("--root", str(root), "rename", "2024-01-02-old", "It's new")
    assert result.exit_code == 0, result
    assert (root / "_posts/2024-01-02-it-s-new.md").read_bytes() == (
        b"\xef\xbb\xbf---\r\ntitle: 'It''s new'\r\ntags:\r\n- a\r\nredirect_from:\r\n"
        b"- /2024/01/02/old.html\r\n---\r\nBody\r\n")


def test_the_site_index_follows_reading_only_the_changed_files(cli, make_site,
                                                               monkeypatch) -> None:
    posts = {**POSTS, **{f"_posts/2023-0{n}-01-p{n}.md": f"---\ntitle: P{n}\n---\n"
                         for n in range(1, 6)}}
    root = make_site(posts=posts, jekyll=BERLIN)
    assert cli("--root", str(root), "list").exit_code == 0  # the index is built
    assert cli("--root", str(root), "rename", "old", "Brand New").exit_code == 0
    import postctl.catalog.listing_parse

    parsed: list[str] = []
    original = postctl.catalog.listing_parse.parse_for_listing

    def counting(raw, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return original(raw, path, *args, **kwargs)

    monkeypatch.setattr(postctl.catalog.listing_parse, "parse_for_listing", counting)
    listed = json.loads(cli("--root", str(root), "list", "--format", "json").stdout)
    titles = {row["path"]: row["title"] for row in listed}
    assert titles["_posts/2024-01-02-brand-new.md"] == "Brand New"
    assert "_posts/2024-01-02-old.md" not in titles
    assert sorted(parsed) == ["2024-01-02-brand-new.md", "2024-02-02-a.md"]
