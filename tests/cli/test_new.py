from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import snapshot


def test_new_creates_dated_post_and_prints_path(cli, make_site, monkeypatch) -> None:
    root = make_site()
    monkeypatch.chdir(root)
    result = cli("new", "Hello World", "--date", "2024-05-06T07:08:09+00:00", "-t", "a", "-t", "b",
                 "-c", "news", "--author", "Ann", "--layout", "post", "--set", "featured=true")
    assert result.exit_code == 0, result
    assert result.stdout == "_posts/2024-05-06-hello-world.md\n"
    assert (root / "_posts/2024-05-06-hello-world.md").read_text() == (
        "---\nlayout: post\ntitle: Hello World\ndate: 2024-05-06 07:08:09 +00:00\nauthor: Ann\n"
        "categories: [news]\ntags: [a, b]\nfeatured: true\n---\n\n"
    )


def test_existing_file_is_refused_with_exit_3_and_untouched(cli, make_site, monkeypatch) -> None:
    root = make_site(posts={"_posts/2024-05-06-hello.md": "---\ntitle: mine\n---\nkeep me\n"})
    monkeypatch.chdir(root)
    before = snapshot(root)
    result = cli("new", "Hello", "--date", "2024-05-06")
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: _posts/2024-05-06-hello.md: already exists (use --force to overwrite)\n"
    )
    assert snapshot(root) == before


def test_force_overwrites(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-05-06-hello.md": "old"})
    result = cli("--root", str(root), "new", "Hello", "--date", "2024-05-06", "--force")
    assert result.exit_code == 0
    assert (root / "_posts/2024-05-06-hello.md").read_text().startswith("---\n")


def test_dry_run_prints_and_writes_nothing(cli, make_site) -> None:
    root = make_site()
    before = snapshot(root)
    result = cli("--root", str(root), "new", "Dry", "--date", "2024-01-02", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("---\nlayout: post\ntitle: Dry\ndate: 2024-01-02 00:00:00")
    assert snapshot(root) == before


def test_json_output(cli, make_site) -> None:
    root = make_site()
    result = cli("--root", str(root), "new", "J: son", "--date", "2024-01-02T03:04:05+02:00",
                 "-t", "x", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == {
        "path": "_posts/2024-01-02-j-son.md",
        "front_matter": {"layout": "post", "title": "J: son",
                         "date": "2024-01-02T01:04:05+00:00", "tags": ["x"]},
        "created": True,
    }


def test_json_error_goes_to_stderr_as_json(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-x.md": "x"})
    result = cli("--root", str(root), "new", "X", "--date", "2024-01-02", "--format", "json")
    assert result.exit_code == 3
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "post_exists"
    assert "already exists" in error["message"]


def test_title_without_slug_asks_for_slug(cli, make_site) -> None:
    root = make_site()
    result = cli("--root", str(root), "new", "🎉")
    assert result.exit_code == 2
    assert result.stderr == "Error: '🎉' gives an empty slug (no letters or digits)\n" \
                            "hint: give one with --slug\n"
    assert cli("--root", str(root), "new", "🎉", "--slug", "party",
               "--date", "2024-01-01").exit_code == 0
    assert (root / "_posts/2024-01-01-party.md").exists()


def test_path_traversal_stays_inside_posts(cli, make_site) -> None:
    root = make_site()
    result = cli("--root", str(root), "new", "../../etc/passwd", "--date", "2024-01-01")
    assert result.exit_code == 0
    assert (root / "_posts/2024-01-01-etc-passwd.md").exists()


def test_bad_date_and_bad_set_are_usage_errors(cli, make_site) -> None:
    root = make_site()
    bad_date = cli("--root", str(root), "new", "X", "--date", "2024-13-01")
    assert bad_date.exit_code == 2 and bad_date.stderr.startswith("Error: --date:")
    bad_set = cli("--root", str(root), "new", "X", "--set", "no equals")
    assert bad_set.exit_code == 2 and "KEY=VALUE" in bad_set.stderr
    assert list((root / "_posts").iterdir()) == []


def test_new_outside_any_site_is_exit_2_and_creates_nothing(cli, tmp_path, monkeypatch) -> None:
    work = tmp_path / "not-a-site" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    result = cli("new", "Hello")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: no site at {work} or any folder above it: looked for "
                             "postctl.toml, _config.yml, hugo.toml, hugo.yaml, hugo.yml, "
                             "hugo.json, config.toml, or a _posts or content folder; give the "
                             "site's folder with --root\n")
    assert list(work.iterdir()) == [] and list(work.parent.iterdir()) == [work]
    subprocess.run(["git", "init", "-q", str(tmp_path / "not-a-site")], check=True)
    result = cli("new", "Hello")
    assert result.exit_code == 2 and "(the top of its git repository)" in result.stderr
    assert list(work.iterdir()) == []


def test_missing_root_is_exit_2(cli, tmp_path: Path) -> None:
    result = cli("--root", str(tmp_path / "nope"), "new", "X")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_edit_opens_the_editor_on_the_new_file(cli, make_site, tmp_path: Path) -> None:
    root = make_site()
    log = tmp_path / "editor.log"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$1" > {log}\n')
    editor.chmod(0o755)
    result = cli("--root", str(root), "new", "Edit me", "--date", "2024-01-01", "--edit",
                 env={"EDITOR": str(editor)})
    assert result.exit_code == 0
    assert log.read_text().strip().endswith("_posts/2024-01-01-edit-me.md")


@pytest.mark.skipif(shutil.which("postctl") is None and not
                    (Path(sys.executable).parent / "postctl").exists(),
                    reason="postctl entry point not installed")
def test_installed_entry_point(make_site) -> None:
    root = make_site()
    exe = shutil.which("postctl") or str(Path(sys.executable).parent / "postctl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTCTL_")}
    done = subprocess.run([exe, "--root", str(root), "new", "Via entry point", "--date",
                           "2024-02-03"], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "_posts/2024-02-03-via-entry-point.md\n"
    again = subprocess.run([exe, "--root", str(root), "new", "Via entry point", "--date",
                            "2024-02-03"], capture_output=True, text=True, env=env, cwd=root)
    assert again.returncode == 3
    assert "Traceback" not in again.stderr
    version = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("postctl ")


def test_a_failing_editor_is_exit_2_and_names_the_editor(cli, make_site, tmp_path: Path) -> None:
    root = make_site()
    editor = tmp_path / "broken-editor.sh"
    editor.write_text("#!/bin/sh\nexit 1\n")
    editor.chmod(0o755)
    result = cli("--root", str(root), "new", "Edit me", "--date", "2024-01-01", "--edit",
                 env={"EDITOR": str(editor)})
    assert result.exit_code == 2
    assert result.stdout.endswith("_posts/2024-01-01-edit-me.md\n")  # the post is written first
    assert result.stderr == f"Error: {editor}: Editing failed\n"


def test_visual_wins_over_editor_and_may_carry_arguments(monkeypatch, tmp_path: Path) -> None:
    from postctl.cli.editor import edit_file, editor_command

    log = tmp_path / "args.log"
    script = tmp_path / "visual.sh"
    script.write_text(f'#!/bin/sh\necho "$@" > {log}\n')
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", f"{script} --wait")
    monkeypatch.setenv("EDITOR", "false")
    assert editor_command() == f"{script} --wait"
    edit_file(str(tmp_path / "a post with spaces.md"))
    assert log.read_text() == f"--wait {tmp_path / 'a post with spaces.md'}\n"


def test_dry_run_says_the_path_it_would_write(cli, make_site) -> None:
    root = make_site()
    result = cli("--root", str(root), "new", "Dry", "--date", "2024-01-02", "--dry-run")
    assert result.exit_code == 0
    assert result.stderr == f"would create {os.path.relpath(root)}/_posts/2024-01-02-dry.md\n"
    assert result.stdout.startswith("---\nlayout: post\ntitle: Dry\n")
    assert not (root / "_posts/2024-01-02-dry.md").exists()


def test_set_title_wins_over_the_title_argument_with_a_warning(cli, make_site) -> None:
    root = make_site()
    result = cli("--root", str(root), "new", "Argument", "--set", "title=From set",
                 "--date", "2024-01-02")
    assert result.exit_code == 0, result
    assert "--set title='From set' replaces the title argument 'Argument'" in result.stderr
    written = root / "_posts/2024-01-02-from-set.md"
    assert "\ntitle: From set\n" in written.read_text()
    same = cli("--root", str(root), "new", "Same", "--set", "title=Same", "--date", "2024-01-03")
    assert same.exit_code == 0 and same.stderr == ""


NESTED = {"news/_posts/2024-01-01-n.md": "---\ntitle: N\nauthor: Other\n---\n",
          "en/news/_posts/2024-02-01-e.md": "---\ntitle: E\nauthor: Ann\n---\n",
          "en/news/_posts/2024-03-01-f.md": "---\ntitle: F\nauthor: Other\n---\n"}


def _git_user(root: Path, name: str) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", name], check=True)


def test_new_writes_into_the_root_posts_folder_when_there_is_one(cli, make_site) -> None:
    root = make_site(posts=NESTED)
    _git_user(root, "Ann")
    result = cli("--root", str(root), "new", "Root", "--date", "2024-04-01")
    assert result.exit_code == 0, result
    text = (root / "_posts/2024-04-01-root.md").read_text()
    assert "\nauthor: Ann\n" in text  # the writer, not who wrote the recent posts


def test_new_follows_the_writers_own_latest_post_and_never_copies_an_author(
        cli, make_site) -> None:
    root = make_site(posts=NESTED)
    (root / "_posts").rmdir()
    _git_user(root, "Ann")
    result = cli("--root", str(root), "new", "Mine", "--date", "2024-04-01")
    assert result.exit_code == 0, result
    assert "author: Ann" in (root / "en/news/_posts/2024-04-01-mine.md").read_text()
    # someone without a post here: nobody can be asked, so the folders are listed
    subprocess.run(["git", "-C", str(root), "config", "user.name", "Newcomer"], check=True)
    before = snapshot(root)
    result = cli("--root", str(root), "new", "Whose", "--date", "2024-04-02")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the site has 2 posts folders (news/_posts, en/news/_posts) and no post by "
        "Newcomer (git config user.name) to choose by: name one with --folder\n")
    assert snapshot(root) == before
    for option, value, path in (("--folder", "news", "news/_posts"),
                                ("--collection", "en/news/_posts", "en/news/_posts")):
        result = cli("--root", str(root), "new", "Chosen", "--date", "2024-04-03",
                     option, value, "--dry-run")
        assert result.exit_code == 0, result
        assert result.stderr.strip().endswith(f"{path}/2024-04-03-chosen.md")
        assert "author: Newcomer" in result.stdout and "Other" not in result.stdout
    result = cli("--root", str(root), "new", "X", "--folder", "nwes")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --folder: unknown posts folder 'nwes': did you mean "
                             "'news'? valid: news, en/news\n")
