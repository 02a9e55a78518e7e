"""What the references of a post's body point at, for the preview and the HTML page.

A ``{% post_url %}`` names a post by its file name (``stem`` or ``folders/stem``), a
``{% link %}`` a file by its path from the site root, an image a file by its path from the
post's folder or the site root (or a remote URL). :class:`SiteResolver` answers these for one
post of a site, scanning the post folders once and parsing only the posts it is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from postctl.post.liquid import is_site_local, local_path, resolve_post_url

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site
    from postctl.site.scan import PostFile

__all__ = ["ImageFile", "Resolver", "SiteResolver", "Target"]


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
        self._files: dict[str, PostFile] | None = None
        self._loaded: dict[str, Post | None] = {}

    def _post_files(self) -> dict[str, PostFile]:
        if self._files is None:
            from postctl.site.scan import iter_post_files

            files: dict[str, PostFile] = {}
            # Published posts first: a draft only answers a name no post has.
            found = sorted(iter_post_files(self.site), key=lambda item: item.folder.drafts)
            for item in found:
                if item.skip_reason is not None:
                    continue
                for key in _post_keys(item.path, self.site.root):
                    files.setdefault(key, item)
            self._files = files
        return self._files

    def _load(self, key: str) -> Post | None:
        if key not in self._loaded:
            from postctl.errors import SourceError
            from postctl.site.scan import PostLoader

            item = self._post_files().get(key)
            post = None
            if item is not None:
                try:
                    post = PostLoader(self.site).load(Path(item.path), item.folder)
                except SourceError:
                    post = None
            self._loaded[key] = post
        return self._loaded[key]

    def _target(self, post: Post) -> Target:
        from postctl.site.urls import post_url

        return Target(post.title, post_url(post, self.site), post.draft)

    def post_url(self, name: str) -> Target | None:
        post = resolve_post_url(name, _LazyPosts(self))
        return self._target(post) if post is not None else None

    def link(self, path: str) -> Target | None:
        from postctl.errors import SourceError
        from postctl.site.scan import PostLoader

        relative = path.strip().lstrip("/")
        if not relative or "{" in relative:
            return None
        file = self.site.root / relative
        if not file.is_file():
            return None
        if file.suffix in (".md", ".markdown"):
            try:
                post = PostLoader(self.site).load(file)
            except SourceError:
                return Target(None, "/" + relative)
            if any(file.is_relative_to(folder.path) for folder in self.site.folders):
                return self._target(post)
            return Target(post.title, "/" + relative)
        return Target(None, "/" + relative)

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


def _post_keys(path: str, root: Path) -> list[str]:
    """``stem`` and ``folders/stem`` keys of a post file, as ``{% post_url %}`` names it."""
    relative = PurePosixPath(Path(path).relative_to(root).as_posix())
    stem = relative.stem
    parts = list(relative.parent.parts)
    if "_posts" in parts:
        index = parts.index("_posts")
        folders = parts[:index] + parts[index + 1 :]
    elif "_drafts" in parts:
        index = parts.index("_drafts")
        folders = parts[:index] + parts[index + 1 :]
    else:
        folders = parts
    keys = [stem]
    if folders:
        keys.append("/".join([*folders, stem]))
    return keys


class _LazyPosts(Mapping[str, "Post"]):
    """A post-by-file-name mapping that parses a post only when it is asked for."""

    def __init__(self, resolver: SiteResolver) -> None:
        self.resolver = resolver

    def __getitem__(self, key: str) -> Post:
        post = self.resolver._load(key)
        if post is None:
            raise KeyError(key)
        return post

    def __iter__(self) -> Iterator[str]:
        return iter(self.resolver._post_files())

    def __len__(self) -> int:
        return len(self.resolver._post_files())

