"""What the references of a post's body point at, for the preview and the HTML page.

A ``{% post_url %}`` names a post by Jekyll's rule (``postctl.post.post_url_tag``), a
``{% link %}`` a file by its path from the site root, an image a file by its path from the
post's folder or the site root (or a remote URL). :class:`SiteResolver` answers these for one
post of a site, scanning the post folders once and parsing only the posts it is asked for.

A reference whose path leaves the site (``{% link ../../etc/passwd %}``, an image
``../../../x.png``, a path through a symbolic link to a file outside) names nothing: it is
never read, and :meth:`SiteResolver.leaves_site` tells the preview, which reports it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from postctl.post.links import is_site_local, local_path
from postctl.post.post_url_tag import resolve_post_url

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site
    from postctl.site.scan import PostFile

__all__ = ["ImageFile", "PostFiles", "Resolver", "SiteResolver", "Target"]


@dataclass(frozen=True)
class Target:
    """What a ``{% post_url %}``/``{% link %}`` points at: a post's title and URL, a file."""

    title: str | None
    url: str | None
    draft: bool = False


@dataclass(frozen=True)
class ImageFile:
    """Where an image is: a local file (``file``, ``exists``), a remote URL (``remote``), or
    a path that leaves the site (``outside``: no file, never read)."""

    file: Path | None
    exists: bool
    remote: bool = False
    outside: bool = False


class Resolver(Protocol):
    def post_url(self, name: str) -> Target | None: ...
    def link(self, path: str) -> Target | None: ...
    def image(self, src: str) -> ImageFile: ...
    def leaves_site(self, target: str) -> bool: ...


class SiteResolver:
    """Resolves references of one post against its site, loading only the posts it needs."""

    def __init__(self, site: Site, post: Post | None = None) -> None:
        self.site = site
        self.post = post
        self._posts = PostFiles(site)
        self._root = os.path.normpath(site.root)
        self._real_root = os.path.realpath(site.root)
        self._folder = Path(os.path.abspath(post.path.parent)) if post is not None else None

    def _target(self, post: Post) -> Target:
        from postctl.site.urls import post_url

        return Target(post.title, post_url(post, self.site), post.draft)

    def post_url(self, name: str) -> Target | None:
        found = resolve_post_url(name, self._posts)
        return self._target(found[0]) if found is not None else None

    def link(self, path: str) -> Target | None:
        from postctl.errors import SourceError
        from postctl.site.scan import PostLoader

        relative = path.strip().lstrip("/")
        if not relative or "{" in relative:
            return None
        file = self._inside(self.site.root / relative)
        if file is None or not file.is_file():
            return None
        is_post = self._is_post(file)
        if is_post or file.suffix in (".md", ".markdown"):
            try:
                post = PostLoader(self.site).load(file)
            except SourceError:
                return Target(None, "/" + relative)
            return self._target(post) if is_post else Target(post.title, "/" + relative)
        return Target(None, "/" + relative)

    def _is_post(self, file: Path) -> bool:
        from postctl.site.postfiles import post_kind_of_path
        from postctl.site.scan import PostLoader

        if not any(file.is_relative_to(folder.path) for folder in self.site.folders):
            return False
        folder = PostLoader(self.site).folder_of(file)
        return post_kind_of_path(folder, self.site.root, file) == "post"

    def image(self, src: str) -> ImageFile:
        if not is_site_local(src):
            return ImageFile(None, True, remote="{" not in src)
        path = local_path(src)
        if path.startswith("/"):
            bases = [self.site.root]
        else:
            bases = ([self._folder] if self._folder is not None else []) + [self.site.root]
        if self._inside(bases[0] / path.lstrip("/")) is None:
            return ImageFile(None, False, outside=True)
        for base in bases:
            file = base / path.lstrip("/")
            if self._inside(file) is not None and file.is_file():
                return ImageFile(file, True)
        return ImageFile(bases[-1] / path.lstrip("/"), False)

    def leaves_site(self, target: str) -> bool:
        """Whether a site-local ``target``, as a path from the site root (``/x``) or else from
        the post's folder, names something outside the site: by ``..``, or through a
        symbolic link."""
        path = local_path(target)
        base = self.site.root if path.startswith("/") or self._folder is None else self._folder
        return self._inside(base / path.lstrip("/")) is None

    def _inside(self, file: Path) -> Path | None:
        """``file`` when it is inside the site, also once symbolic links are followed."""
        joined = os.path.normpath(file)
        if not _within(joined, self._root):
            return None
        if os.path.lexists(joined) and not _within(os.path.realpath(joined), self._real_root):
            return None
        return file


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class PostFiles:
    """The site's post files as ``{% post_url %}`` candidates, each parsed only when asked
    for: published posts before drafts (a draft only answers a name no post has). The
    fallback by slug looks among the files whose name gives that slug (a post whose front
    matter sets another slug is not read for it)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._by_stem: dict[str, list[PostFile]] | None = None
        self._by_slug: dict[str, list[PostFile]] = {}
        self._loaded: dict[str, Post | None] = {}

    def named(self, stem: str) -> Iterator[Post]:
        return self._load_all(self._stems().get(stem, ()))

    def with_slug(self, slug: str) -> Iterator[Post]:
        self._stems()
        return self._load_all(self._by_slug.get(slug, ()))

    def _stems(self) -> dict[str, list[PostFile]]:
        if self._by_stem is None:
            from postctl.site.scan import iter_post_files
            from postctl.text.dates import filename_date

            self._by_stem = {}
            found = sorted(iter_post_files(self.site), key=lambda item: item.folder.drafts)
            for item in found:
                if item.skip_reason is None:
                    stem = PurePosixPath(item.path).stem
                    dated = filename_date(stem)
                    self._by_stem.setdefault(stem, []).append(item)
                    self._by_slug.setdefault(dated[1] if dated else stem, []).append(item)
        return self._by_stem

    def _load_all(self, items: Iterable[PostFile]) -> Iterator[Post]:
        for item in items:
            post = self._load(item)
            if post is not None:
                yield post

    def _load(self, item: PostFile) -> Post | None:
        if item.path not in self._loaded:
            from postctl.errors import SourceError
            from postctl.site.scan import PostLoader

            try:
                post: Post | None = PostLoader(self.site).load(Path(item.path), item.folder)
            except SourceError:
                post = None
            self._loaded[item.path] = post
        return self._loaded[item.path]
