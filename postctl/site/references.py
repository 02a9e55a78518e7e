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

__all__ = ["ContentPages", "ImageFile", "PostFiles", "Resolver", "SiteResolver", "Target"]


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
    hugo: bool  # the site is a Hugo site: shortcodes, not Liquid

    def post_url(self, name: str) -> Target | None: ...
    def link(self, path: str) -> Target | None: ...
    def ref(self, target: str) -> Target | None: ...
    def param(self, name: str) -> object: ...
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
        self.hugo = site.flavour == "hugo"
        self._pages: ContentPages | None = None

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

    def ref(self, target: str) -> Target | None:
        """The page a Hugo ``ref``/``relref`` names, by Hugo's lookup (None: no page)."""
        from postctl.errors import SourceError
        from postctl.site.scan import PostLoader

        if self._pages is None:
            self._pages = ContentPages(self.site)
        referrer = self._pages.content_path(self.post.rel_path) if self.post else "_index.md"
        found = self._pages.named(target, referrer)
        if found is None and self.post is not None:
            return self._target(self.post)  # a fragment of this page
        if not found:
            return None
        try:
            page = PostLoader(self.site).load(self.site.root / found[0])
        except SourceError:
            return Target(None, None)
        return self._target(page)

    def param(self, name: str) -> object:
        """A Hugo ``param``: the page's ``params`` (or its own key), else the site's
        ``[params]``; a dotted name reads into tables. None: not set."""
        from postctl.site.hugo_settings import hugo_setting

        values = self.post.values if self.post is not None else {}
        for table in (values.get("params"), values):
            found = _dotted(table, name)
            if found is not None:
                return found
        return _dotted(hugo_setting(self.site.root, "params"), name)

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


def _dotted(table: object, name: str) -> object:
    for part in name.split("."):
        if not isinstance(table, dict):
            return None
        table = next((value for key, value in table.items()
                      if str(key).lower() == part.lower()),
                     None)
    return table


class ContentPages:
    """The content files of a Hugo site, listed once, and the ones a ``ref``/``relref``
    target names by Hugo's page lookup (:func:`postctl.post.shortcodes.lookup_keys`)."""

    EXTENSIONS = (".md", ".markdown", ".html", ".htm", ".adoc", ".asciidoc", ".org",
                  ".pandoc", ".pdc", ".rst")

    def __init__(self, site: Site) -> None:
        self.site = site
        self.content = os.path.join(str(site.root), site.config.content_dir)
        self._by_key: dict[str, list[str]] | None = None

    def content_path(self, rel_path: str) -> str:
        """A path from the site root as a path from the content folder."""
        prefix = self.site.config.content_dir.strip("/") + "/"
        return rel_path[len(prefix):] if rel_path.startswith(prefix) else rel_path

    def named(self, target: str, referrer: str) -> list[str] | None:
        """The files (paths from the site root) ``target``, written in the page at
        ``referrer`` (a path from the content folder), names; None for a target that is
        only a fragment (the page itself)."""
        from postctl.post.shortcodes import lookup_keys

        paths, name = lookup_keys(target, referrer)
        if not paths:
            return None
        pages = self._pages()
        found = [rel for key in paths for rel in pages.get(key, ())]
        if not found and name is not None:
            found = list(pages.get("name:" + name, ()))
        return list(dict.fromkeys(found))

    def _pages(self) -> dict[str, list[str]]:
        if self._by_key is None:
            from postctl.post.shortcodes import page_keys

            self._by_key = {}
            root = str(self.site.root)
            for folder, names, files in os.walk(self.content):
                names[:] = sorted(name for name in names if not name.startswith("."))
                for file in sorted(files):
                    if file.startswith(".") or not file.endswith(self.EXTENSIONS):
                        continue
                    path = os.path.join(folder, file)
                    logical, name = page_keys(
                        os.path.relpath(path, self.content).replace(os.sep, "/"))
                    rel = os.path.relpath(path, root).replace(os.sep, "/")
                    self._by_key.setdefault(logical, []).append(rel)
                    self._by_key.setdefault("name:" + name, []).append(rel)
        return self._by_key


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
