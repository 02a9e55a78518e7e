"""Which files a lint run checks: the post files among the paths given (folders walked),
or every post of the site, with the Markdown files Jekyll skips for want of a date in their
name; and a cheap count of a site's posts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from postctl.errors import UsageError

if TYPE_CHECKING:
    from postctl.site.model import PostFolder, Site
    from postctl.site.scan import PostLoader


class Target(NamedTuple):
    path: Path
    folder: PostFolder
    undated: bool = False  # a Markdown file of _posts that Jekyll skips: no date in its name


def resolve_targets(site: Site, loader: PostLoader, paths: Sequence[str],
                    cwd: Path, skip_non_posts: bool = False) -> list[Target]:
    """The post files among ``paths`` (folders: the site's targets inside them); other files
    are skipped silently. Which files are posts is ``postctl.site.postfiles``'s rule.

    A path that does not exist is a UsageError (exit 2), and so are paths that hold no post
    at all, unless ``skip_non_posts`` (what pre-commit passes may hold none).
    """
    found: dict[str, Target] = {}
    every: list[Target] | None = None  # the site's targets, listed once if a folder is given
    for given in paths:
        path = Path(given)
        if not path.is_absolute():
            path = cwd / path
        if not os.path.lexists(path):
            raise UsageError(f"{given}: no such file or folder")
        if path.is_dir() and not path.is_symlink():
            every = site_targets(site) if every is None else every
            inside = Path(os.path.realpath(path))
            targets: Iterable[Target] = (t for t in every if t.path.is_relative_to(inside))
        else:
            target = _as_target(site, loader, path)
            targets = () if target is None else (target,)
        for target in targets:
            found.setdefault(str(target.path), target)
    if not found and not skip_non_posts:
        raise UsageError(no_posts_message(site, paths))
    return list(found.values())


def no_posts_message(site: Site, paths: Sequence[str] = ()) -> str:
    """What was looked for and where, when ``paths`` (or, without paths, the site) hold no
    post."""
    from postctl.errors import display_path

    where = ", ".join(display_path(folder.path) + "/" for folder in site.folders)
    looked = (f"posts are the files of the site's post folders ({where})" if where
              else "the site has no post folder")
    if not paths:
        return f"no posts in the site at {site.root}: {looked}"
    if len(paths) == 1:
        given = paths[0]
        what = "holds no post" if os.path.isdir(given) else "is not a post"
        return f"{given} {what} of the site at {site.root}: {looked}"
    return f"none of the {len(paths)} paths is a post of the site at " \
           f"{site.root}: {looked}"


def _as_target(site: Site, loader: PostLoader, path: Path) -> Target | None:
    from postctl.site.postfiles import post_kind_of_path

    real = Path(os.path.realpath(path.parent)) / path.name
    if not any(real.is_relative_to(folder.path) for folder in site.folders):
        return None
    folder = loader.folder_of(real)
    kind = post_kind_of_path(folder, site.root, real)
    return None if kind is None else Target(real, folder, kind == "undated")


def site_targets(site: Site) -> list[Target]:
    """Every post file of the site, then the Markdown files of its ``_posts`` folders that
    Jekyll skips for want of a date (lint says so), each folder in path order."""
    from postctl.site.walk import folder_files

    root = str(site.root)
    posts: list[Target] = []
    undated: list[Target] = []
    for folder in site.folders:
        skipped: list[str] = []
        posts += [Target(Path(found[1]), folder) for found in folder_files(folder, root, skipped)]
        undated += [Target(Path(path), folder, True) for path in skipped]
    return posts + undated


def undated_targets(site: Site) -> list[Target]:
    """The Markdown files of the site's ``_posts`` folders that Jekyll skips for want of a
    date in their name, in path order (found by name: no stat)."""
    from postctl.site.listings import Relative, list_directories
    from postctl.site.postfiles import PostNames

    found: list[Target] = []
    for folder in site.folders:
        names = PostNames(folder, site.root)
        if names.dated:
            skipped: list[str] = []
            list_directories(names, Relative(0, None), None, skipped)
            skipped.sort(key=lambda path: path.split(os.sep))
            found += [Target(Path(path), folder, True) for path in skipped]
    return found


def relative(site: Site, path: str) -> str:
    """``site.relative`` for a path string, by prefix when it is under the root."""
    root = str(site.root) + os.sep
    if path.startswith(root):
        return path[len(root):].replace(os.sep, "/")
    return site.relative(Path(path))
