"""Bounded walks: a root that is not a site is refused before anything is walked; links are
never followed into a loop or out of the site, and each is named once, by its own path;
the kernel's own file systems are never entered."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from postctl.site import model
from postctl.site.model import is_site, open_site
from tests.conftest import CliRunnerFn, SiteFactory

COMMANDS = [["list"], ["lint"], ["search", "body"], ["tags"], ["preview", "anything"]]
POST = "---\ntitle: {title}\n---\nbody\n"


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders read with os.scandir while the test runs."""
    read: list[str] = []
    real = os.scandir

    def recording(path: str | os.PathLike[str] = ".") -> object:
        read.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", recording)
    return read


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_root_that_is_not_a_site_is_exit_2_and_nothing_is_walked(
        cli: CliRunnerFn, tmp_path: Path, scanned: list[str], command: list[str]) -> None:
    (tmp_path / "notes" / "deeper").mkdir(parents=True)
    (tmp_path / "notes" / "deeper" / "2024-01-01-a.md").write_text(POST.format(title="A"))
    result = cli("--root", str(tmp_path), *command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: no site at {tmp_path}: looked for postctl.toml, "
                             "_config.yml, hugo.toml, hugo.yaml, hugo.yml, hugo.json, "
                             "config.toml, or a _posts or content folder; give the site's "
                             "folder with --root\n")
    assert set(scanned) <= {str(tmp_path)}  # the root's own entries only


def test_the_file_system_root_is_no_site(cli: CliRunnerFn, scanned: list[str]) -> None:
    if is_site(Path("/"), open_site("/", require=False).config):
        pytest.skip("this machine keeps a site at /")
    result = cli("--root", "/", "list")
    assert result.exit_code == 2 and result.stderr.startswith("Error: no site at /:")
    assert set(scanned) <= {"/"}


def test_a_site_of_nested_posts_folders_only_is_a_site(make_site: SiteFactory) -> None:
    root = make_site(jekyll=None)
    (root / "_posts").rmdir()
    (root / "docs" / "_posts").mkdir(parents=True)
    site = open_site(root)
    assert [folder.path for folder in site.folders] == [site.root / "docs" / "_posts"]


@pytest.fixture
def linked_site(make_site: SiteFactory, tmp_path: Path) -> Path:
    """A post; a link to a post outside the site, a link to itself, a link to a post of the
    site, and a link from the posts folder to itself."""
    root = make_site(posts={"_posts/2024-01-01-a.md": POST.format(title="A")})
    outside = tmp_path / "outside.md"
    outside.write_text(POST.format(title="Outside"))
    posts = root / "_posts"
    (posts / "2024-01-02-out.md").symlink_to(outside)
    (posts / "2024-01-03-loop.md").symlink_to("2024-01-03-loop.md")
    (posts / "2024-01-04-in.md").symlink_to("2024-01-01-a.md")
    (posts / "sub").symlink_to(".", target_is_directory=True)
    return root


LINKS = ["_posts/2024-01-02-out.md", "_posts/2024-01-03-loop.md", "_posts/2024-01-04-in.md"]


@pytest.mark.parametrize("command", [
    ["list", "--format", "json"], ["lint", "--format", "json"],
    ["search", "body", "--format", "json"], ["tags", "--format", "json"],
    ["list", "--no-cache", "--format", "json"]], ids=" ".join)
def test_links_are_not_followed_and_each_is_named_once_by_its_own_path(
        cli: CliRunnerFn, linked_site: Path, monkeypatch: pytest.MonkeyPatch,
        command: list[str]) -> None:
    monkeypatch.chdir(linked_site)
    result = cli(*command)
    assert result.exit_code == 0, result
    output = result.stdout + result.stderr
    for link in LINKS:
        assert output.count(link) == 1, (link, output)
    assert "Outside" not in output and str(linked_site) not in output
    if command[0] in ("list", "search"):
        assert [post["path"] for post in json.loads(result.stdout)] == [
            "_posts/2024-01-01-a.md"]


def test_preview_of_a_link_is_refused_in_one_line(cli: CliRunnerFn, linked_site: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(linked_site)
    by_path = cli("preview", LINKS[0])
    assert (by_path.exit_code, by_path.stdout) == (1, "")
    assert by_path.stderr == f"Error: {LINKS[0]}: cannot read: is a symbolic link\n"
    loop = cli("preview", LINKS[1])  # a link to itself leads to no file
    assert (loop.exit_code, loop.stderr) == (2, f"Error: no such post file: {LINKS[1]}\n")


def test_a_posts_folder_that_leads_out_of_the_site_is_said_once_and_not_read(
        cli: CliRunnerFn, make_site: SiteFactory, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "_posts"
    elsewhere.mkdir(parents=True)
    (elsewhere / "2024-01-02-out.md").write_text(POST.format(title="Outside"))
    root = make_site(posts={"news/_posts/2024-01-01-in.md": POST.format(title="In")})
    (root / "_posts").rmdir()
    (root / "_posts").symlink_to(elsewhere, target_is_directory=True)
    for command in (["list", "--format", "json"], ["lint"]):
        result = cli("--root", str(root), *command)
        assert result.exit_code == 0, result
        assert result.stderr.count("_posts leads out of the site; its posts are not read") == 1
        assert "Outside" not in result.stdout
    listed = cli("--root", str(root), "list", "--format", "json")
    assert [post["title"] for post in json.loads(listed.stdout)] == ["In"]


def test_a_configured_folder_outside_the_site_is_not_read(make_site: SiteFactory,
                                                          tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    root = make_site(config='posts = ["../elsewhere", "_posts"]\n')
    site = open_site(root)
    assert [folder.path for folder in site.folders] == [site.root / "_posts"]
    assert site.outside == ("../elsewhere leads out of the site; its posts are not read",)


def test_no_walk_enters_the_kernels_own_file_systems(make_site: SiteFactory,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     scanned: list[str]) -> None:
    """Played on a site whose folder ``proc`` stands for /proc: a site at / walks past it."""
    root = make_site(posts={"proc/_posts/2024-01-01-a.md": POST.format(title="A"),
                            "_posts/proc/2024-01-02-b.md": POST.format(title="B"),
                            "_posts/2024-01-03-c.md": POST.format(title="C")})
    system = frozenset({str(root.resolve() / "proc"), str(root.resolve() / "_posts" / "proc")})
    monkeypatch.setattr(model, "SYSTEM_FOLDERS", system)
    from postctl.site.scan import iter_post_files

    site = open_site(root)
    assert [Path(found.path).name for found in iter_post_files(site)] == ["2024-01-03-c.md"]
    assert not any(path in system for path in scanned)
