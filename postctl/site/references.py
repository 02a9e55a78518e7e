"""What the references of a post's body point at, for the preview and the HTML page.

A ``{% post_url %}`` names a post by Jekyll's rule (``postctl.post.post_url_tag``), a
``{% link %}`` a file by its path from the site root, an image a file by its path from the
post's folder or the site root (or a remote URL). :class:`SiteResolver` answers these for one
post of a site, scanning the post folders once and parsing only the posts it is asked for.
"""

from __future__ import annotations

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
    """Where an image is: a local file (``file``, ``exists``) or a remote URL (``remote``)."""

    file: Path | None
    exists: bool
    remote: bool = False


class Resolver(Protocol):
    def post_url(self, name: str) -> Target | None: ...
    def link(self, path: str) -> Target | None: ...
    def image(self, src: str) -> ImageFile: ...


class SiteResolver:
    """Resolves references of one post against its site, loading only the posts it needs."""

    def __init__(self, site: Site, post: Post | None = None) -> None:
        self.site = site
        self.post = post
        self._posts = PostFiles(site)

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
        file = self.site.root / relative
        if not file.is_file():
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
            bases = ([self.post.path.parent] if self.post is not None else []) + [self.site.root]
        for base in bases:
            file = base / path.lstrip("/")
            if file.is_file():
                return ImageFile(file, True)
        return ImageFile(bases[-1] / path.lstrip("/"), False)


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
