"""Which posts folder ``postctl new`` writes into, on a site with several (``_posts/``,
``news/_posts/``, ``en/news/_posts/``): the one named, else the root ``_posts/``, else the
folder of the writer's own most recent post; when none of that decides, the candidates, for
the command line to ask about or list."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from postctl.errors import SourceError, UsageError
from postctl.site.model import Site

BATCH = 200  # posts read at a time, newest first, looking for the writer's own


@dataclass(frozen=True)
class FolderChoice:
    folder: Path | None  # None: unclear, one of ``candidates`` is to be chosen
    candidates: tuple[Path, ...] = ()


def folder_name(site: Site, folder: Path) -> str:
    """A posts folder as a person names it: its path from the site root (``news/_posts``)."""
    return site.relative(folder)


def posts_folders(site: Site) -> list[Path]:
    """The site's folders for published posts (drafts folders aside)."""
    return [folder.path for folder in site.folders if not folder.drafts]


def choose_posts_folder(site: Site, given: str | None, user: str | None,
                        cwd: Path | None = None) -> FolderChoice:
    """The folder a new post goes into (Jekyll; a Hugo site has its content folder)."""
    folders = posts_folders(site)
    if given is not None:
        return FolderChoice(named_folder(site, folders, given, cwd or Path.cwd()))
    if site.flavour == "hugo" or len(folders) <= 1:
        return FolderChoice(None if len(folders) > 1 else site.posts_folder)
    if site.root / "_posts" in folders:
        return FolderChoice(site.root / "_posts")
    own = _folder_of_own_latest(site, user) if user else None
    return FolderChoice(own, () if own else tuple(folders))


def named_folder(site: Site, folders: list[Path], given: str, cwd: Path) -> Path:
    """The posts folder ``given`` names: its path from the site root or from ``cwd``, with or
    without the final ``_posts`` (``news`` for ``news/_posts``). Another name is a
    UsageError listing the folders."""
    from postctl.text.names import unknown_name

    for base in (site.root, cwd):
        wanted = Path(os.path.normpath(base / given))
        for folder in folders:
            if wanted in (folder, folder.parent):
                return folder
    names = [folder_name(site, folder) for folder in folders]
    short = [name.removesuffix("/_posts") for name in names]
    raise UsageError("--folder: " + unknown_name("posts folder", given.rstrip("/"),
                                                  short or names))


def _folder_of_own_latest(site: Site, user: str) -> Path | None:
    """The folder of ``user``'s most recent post (by file name), or None."""
    from postctl.site.scan import iter_post_files, scan_posts

    files = [item for item in iter_post_files(site)
             if not item.folder.drafts and not item.skip_reason]
    files.sort(key=lambda item: os.path.basename(item.path), reverse=True)
    wanted = user.casefold()
    for start in range(0, len(files), BATCH):
        batch = files[start:start + BATCH]
        for item, post in zip(batch, scan_posts(site, batch), strict=True):
            if not isinstance(post, SourceError) and any(
                    author.casefold() == wanted for author in post.authors):
                return item.folder.path
    return None
