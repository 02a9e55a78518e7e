"""Which posts of a site refer to a given post, and where each reference writes its name.

Jekyll: ``{% post_url NAME %}`` naming the post by Jekyll's rule
(:mod:`postctl.post.post_url_tag`) and ``{% link PATH %}`` whose path from the site root is
the post's file (code and ``{% raw %}`` are skipped, as :mod:`postctl.post.references`
skips them). Hugo: ``ref`` and ``relref`` shortcodes naming the page by Hugo's lookup
(:mod:`postctl.post.shortcodes`). With ``urls``, also Markdown links whose target is the
post's URL on the site (``[x](/2024/01/02/hello.html)``; ``{{ site.baseurl }}`` prefixes
stripped as :mod:`postctl.post.references` strips them), of either flavour.

Every post file is read (bounded, never through a link), but only the ones that mention
the post's name are parsed. A post that cannot be read is skipped: it refers to nothing
that postctl could rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from postctl.errors import SourceError
from postctl.post.references import find_references
from postctl.post.shortcodes import names_page, page_keys, ref_shortcodes
from postctl.text.source import Source, split_source

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

__all__ = ["Backlink", "Referrer", "referrers"]


@dataclass(frozen=True)
class Backlink:
    """One reference: its kind, the name as written, and that name's span in the body."""

    kind: str  # "post_url" | "link" | "ref" | "relref" | "url"
    target: str
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Referrer:
    """A post that refers to the post asked about: its source as read, and the references."""

    source: Source
    rel_path: str
    links: tuple[Backlink, ...]


def referrers(site: Site, post: Post, include_self: bool = False,
              urls: bool = False) -> list[Referrer]:
    """The posts whose bodies refer to ``post``, in site order (``post`` itself only when
    ``include_self``); with ``urls``, Markdown links to its URL count too."""
    from postctl.site.scan import iter_post_files
    from postctl.text.reading import read_post_bytes

    found = []
    resolver = _Resolver(site, post, urls)
    needles = [_needle(site, post)]
    if resolver.url is not None:
        needles.append(resolver.url.rstrip("/").rsplit("/", 1)[-1].lower().encode("utf-8"))
    for item in iter_post_files(site):
        path = Path(item.path)
        if item.skip_reason is not None or (path == post.path and not include_self):
            continue
        try:
            raw = read_post_bytes(path, site.config.limits.max_file_bytes)
            lowered = raw.lower()
            if not any(needle in lowered for needle in needles):
                continue
            source = split_source(raw, path)
        except SourceError:
            continue
        rel_path = site.relative(path)
        links = tuple(resolver.links(source, rel_path))
        if links:
            found.append(Referrer(source, rel_path, links))
    return found


def _needle(site: Site, post: Post) -> bytes:
    """Text every reference to ``post`` holds (lower case): its slug or its page name."""
    if site.flavour == "hugo":
        return page_keys(_content_path(site, post.path))[1].encode("utf-8")
    from postctl.text.dates import filename_date

    stem = PurePosixPath(post.path.name).stem
    dated = filename_date(stem)
    return (dated[1] if dated else stem).lower().encode("utf-8")


def _content_path(site: Site, path: Path) -> str:
    content = site.root / site.config.content_dir
    try:
        return path.relative_to(content).as_posix()
    except ValueError:
        return site.relative(path)


class _Resolver:
    """Whether a reference names the one post asked about."""

    def __init__(self, site: Site, post: Post, urls: bool = False) -> None:
        from postctl.site.references import PostFiles

        self.site = site
        self.post = post
        self.candidates = PostFiles(site)
        self.url: str | None = None
        if urls:
            from postctl.site.urls import post_url

            found = post_url(post, site)
            self.url = _url_key(found) if found else None

    def links(self, source: Source, rel_path: str) -> list[Backlink]:
        body = source.body
        found = []
        if self.site.flavour == "hugo":
            page = _content_path(self.site, self.post.path)
            referrer = _content_path(self.site, source.path)
            found = [Backlink(ref.kind, ref.target, ref.start, ref.end, _line(source, ref.start))
                     for ref in ref_shortcodes(body) if names_page(ref.target, page, referrer)]
            if self.url is None:
                return found
        for reference in find_references(body, source.body_line):
            if reference.kind == "markdown_link" and self.url is not None:
                if _url_key(reference.target) == self.url:
                    start = reference.start + reference.text.rfind(reference.target)
                    found.append(Backlink("url", reference.target, start,
                                          start + len(reference.target), reference.line))
                continue
            if self.site.flavour == "hugo" or reference.kind not in ("post_url", "link") or \
                    not self._names(reference.kind, reference.target):
                continue
            start = reference.start + reference.text.index(reference.target)
            found.append(Backlink(reference.kind, reference.target, start,
                                  start + len(reference.target), reference.line))
        return found

    def _names(self, kind: str, target: str) -> bool:
        if kind == "link":
            return target.strip().lstrip("/") == self.post.rel_path
        from postctl.post.post_url_tag import resolve_post_url

        resolved = resolve_post_url(target, self.candidates)
        return resolved is not None and resolved[0].path == self.post.path


def _url_key(url: str) -> str:
    """A site path as links to it compare: no query or fragment, no ``index.html``, no
    trailing slash (``/a/b/``, ``/a/b/index.html`` and ``/a/b`` are one page)."""
    from urllib.parse import unquote

    path = url.strip().split("#", 1)[0].split("?", 1)[0]
    path = unquote(path) if "%" in path else path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return "/" + path.strip("/")


def _line(source: Source, offset: int) -> int:
    return source.body_line + source.body.count("\n", 0, offset)
