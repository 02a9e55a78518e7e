"""Find a site's post files and load them, never stopping at the first bad one."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postctl.errors import SourceError
from postctl.post.model import Post, PostContext, parse_post
from postctl.site.model import PostFolder, Site
from postctl.text.reading import read_post_bytes as read_post_bytes  # re-exported


@dataclass(frozen=True)
class PostFile:
    """A candidate post file as found on disk (stat taken without following links)."""

    path: str
    folder: PostFolder
    mtime_ns: int
    size: int
    inode: int
    skip_reason: str | None = None


def iter_post_files(site: Site) -> Iterator[PostFile]:
    """Every post file of the site (the rule of ``postctl.site.postfiles``), folder by
    folder, in path order within each; links are not followed."""
    from postctl.site.walk import NOT_UTF8, folder_files, shown_path

    root = str(site.root)
    for folder in site.folders:
        for escaped, path, _, mtime_ns, size, inode, reason in folder_files(folder, root):
            # A name that is not UTF-8 is skipped, and named as the index names it.
            shown = shown_path(escaped) if reason == NOT_UTF8 else path
            yield PostFile(shown, folder, mtime_ns, size, inode, reason)


def error_order(error: SourceError) -> tuple[str, bool]:
    """The order in which unreadable posts are named, as the site index names them: by
    path, a name that is not UTF-8 after the same characters in UTF-8."""
    from postctl.site.walk import NOT_UTF8

    return str(error.path), error.message == NOT_UTF8


class PostLoader:
    """Loads posts of one site, computing each file's context once per folder."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._folders = sorted(site.folders, key=lambda f: len(f.path.parts), reverse=True)
        self._cascades: dict[Path, dict[str, Any]] = {}  # Hugo: by folder

    def folder_of(self, path: Path) -> PostFolder:
        for folder in self._folders:
            if path.is_relative_to(folder.path):
                return folder
        return PostFolder(path.parent, hugo=self.site.flavour == "hugo")

    def context(self, path: Path, folder: PostFolder | None = None) -> PostContext:
        folder = folder or self.folder_of(path)
        return PostContext(
            root=self.site.root,
            tz=self.site.tz,
            flavour=self.site.flavour,
            is_draft_file=folder.drafts,
            path_categories=folder.categories,
            defaults=self._defaults(path, folder),
            content_folder=folder.path if folder.hugo else None,
            hugo_dates=self.site.config.hugo.dates if self.site.config.hugo else None,
        )

    def _defaults(self, path: Path, folder: PostFolder) -> dict[str, Any]:
        if folder.hugo:
            from postctl.site.cascade import cascade_for

            return cascade_for(path, folder.path, self._cascades)
        if not self.site.config.jekyll_defaults:
            return {}
        rel = self.site.relative(path)
        # Jekyll gives drafts the type "posts"; "drafts" is accepted too (older configs).
        kinds = ("posts", "drafts") if folder.drafts else ("posts",)
        matching: list[tuple[int, bool, dict[str, Any]]] = []
        for scope_path, scope_type, values in self.site.config.jekyll_defaults:
            if scope_type is not None and scope_type not in kinds:
                continue
            scope = scope_path.strip("/")
            if scope and not (rel.startswith(scope + "/") or fnmatch.fnmatch(rel, scope)):
                continue
            matching.append((len(scope), scope_type is not None, values))
        # Jekyll's precedence: a longer scope path wins, then a scope with a type; among
        # equals, the later entry wins (sorted() is stable).
        merged: dict[str, Any] = {}
        for _, _, values in sorted(matching, key=lambda found: found[:2]):
            merged.update(values)
        return merged

    def load(self, path: Path, folder: PostFolder | None = None) -> Post:
        limits = self.site.config.limits
        raw = read_post_bytes(path, limits.max_file_bytes)
        post = parse_post(raw, path, self.context(path, folder), limits.max_front_matter_bytes)
        return post


def scan_posts(site: Site, files: Iterable[PostFile] | None = None) -> Iterator[Post | SourceError]:
    """Load every post; a bad file becomes a SourceError in the stream, never an exception."""
    loader = PostLoader(site)
    for item in files if files is not None else iter_post_files(site):
        path = Path(item.path)
        if item.skip_reason:
            yield SourceError(path, item.skip_reason, code="E008")
            continue
        try:
            yield loader.load(path, item.folder)
        except SourceError as exc:
            yield exc
