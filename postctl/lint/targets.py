"""Which files a lint run checks: the post files among the paths given (folders walked),
or every post of the site; and a cheap count of a site's posts."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from postctl.errors import UsageError
from postctl.post.model import POST_EXTENSIONS

if TYPE_CHECKING:
    from postctl.site.model import PostFolder, Site
    from postctl.site.scan import PostLoader


class Target(NamedTuple):
    path: Path
    folder: PostFolder


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def resolve_targets(site: Site, loader: PostLoader, paths: Sequence[str],
                    cwd: Path) -> list[Target]:
    """The post files among ``paths`` (folders walked); other files are skipped silently.

    A path that does not exist is a UsageError (exit 2).
    """
    found: dict[str, Target] = {}
    for given in paths:
        path = Path(given)
        if not path.is_absolute():
            path = cwd / path
        if not os.path.lexists(path):
            raise UsageError(f"{given}: no such file or folder")
        if path.is_dir() and not path.is_symlink():
            candidates: Iterable[Path] = _walk(path)
        else:
            candidates = (path,)
        for candidate in candidates:
            target = _as_target(site, loader, candidate)
            if target is not None:
                found.setdefault(str(target.path), target)
    return list(found.values())


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(files):
            if not _is_hidden(name):
                yield Path(current) / name


def _as_target(site: Site, loader: PostLoader, path: Path) -> Target | None:
    if not path.name.endswith(POST_EXTENSIONS) or path.name.startswith("_index."):
        return None
    real = Path(os.path.realpath(path.parent)) / path.name
    for folder in site.folders:
        if real.is_relative_to(folder.path):
            rel_parts = real.relative_to(folder.path).parts
            if any(_is_hidden(part) for part in rel_parts):
                return None
            if not folder.hugo and any(part.startswith("_") for part in rel_parts[:-1]):
                return None
            return Target(real, loader.folder_of(real))
    return None


def site_targets(site: Site) -> list[Target]:
    from postctl.site.scan import iter_post_files

    return [Target(Path(item.path), item.folder) for item in iter_post_files(site)]


def count_posts(site: Site, limit: int) -> int:
    """The number of post files, counted up to ``limit`` (names only: no stat calls, and a
    large folder is read only until the limit is reached)."""
    count = 0
    pending = [str(folder.path) for folder in site.folders]
    while pending and count < limit:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.name.endswith(POST_EXTENSIONS):
                    count += 1
                    if count >= limit:
                        break
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return count


def relative(site: Site, path: str) -> str:
    """``site.relative`` for a path string, by prefix when it is under the root."""
    root = str(site.root) + os.sep
    if path.startswith(root):
        return path[len(root):].replace(os.sep, "/")
    return site.relative(Path(path))
