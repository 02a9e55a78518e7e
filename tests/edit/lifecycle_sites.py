"""Sites for the lifecycle tests: Jekyll through ``make_site``, Hugo made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from postctl.edit.changes import undo
from postctl.edit.journal import Journal
from postctl.post.model import Post
from postctl.site.cache import journal_dir
from postctl.site.model import Site, open_site
from postctl.site.scan import PostLoader

BERLIN_NOW = dt.datetime(2025, 3, 1, 10, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def make_hugo(root: Path, posts: dict[str, str | bytes], timezone: str = "Europe/Berlin") -> Path:
    """A Hugo site: ``hugo.toml`` and ``content/`` with ``posts`` (paths from the root)."""
    root.mkdir(parents=True)
    (root / "hugo.toml").write_text(f'baseURL = "https://example.org/"\ntitle = "T"\n'
                                    f'timeZone = "{timezone}"\n')
    (root / "postctl.toml").write_text(f'timezone = "{timezone}"\n')
    for rel, content in posts.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def load(root: Path, rel: str) -> tuple[Site, Post]:
    site = open_site(root)
    return site, PostLoader(site).load(root / rel)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def undo_last(root: Path) -> None:
    site = open_site(root)
    change = Journal(journal_dir(site.root), site.root).last_to_undo()
    assert change is not None
    outcome = undo(change, site.root)
    assert not outcome.refused
