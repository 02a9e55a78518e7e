"""The site index's rows: how a changed post file becomes one, and a Summary is read back.

A changed file is read once, hashed (BLAKE2b-128: a file whose bytes did not change keeps
its row) and parsed for listing (:func:`postctl.catalog.listing_parse.parse_for_listing`);
a file that cannot be read or parsed becomes an error row, which keeps its stamp so that
it is read again only when it changes. Many changed files are parsed by forked worker processes
(:mod:`postctl.site.forks`), since parsing YAML is CPU-bound.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.catalog.summary import Summary
from postctl.errors import SourceError
from postctl.site.forks import forked_map
from postctl.site.model import PostFolder, Site
from postctl.site.workers import worker_count

if TYPE_CHECKING:
    from postctl.post.model import PostContext

ROW_COLUMNS = (
    "path", "mtime_ns", "size", "inode", "hash", "error", "title", "slug", "url", "date",
    "date_epoch", "day", "draft", "tags", "categories", "authors", "tags_key",
    "categories_key", "authors_key", "front_matter", "defaults", "item", "kind",
    "publish_date", "publish_epoch", "expiry_date", "expiry_epoch", "listed",
)
SUMMARY_COLUMNS = (
    "posts.path, posts.slug, posts.url, posts.title, posts.date, posts.date_epoch, posts.day, "
    "posts.draft, posts.tags, posts.categories, posts.authors, posts.front_matter, "
    "posts.defaults, posts.item, posts.kind, posts.publish_date, posts.publish_epoch, "
    "posts.expiry_date, posts.expiry_epoch, posts.listed"
)


def summary_from_row(row: tuple[Any, ...]) -> Summary:
    """A Summary from the ``SUMMARY_COLUMNS`` of a row."""
    (path, slug, url, title, date, epoch, day, draft, tags, categories, authors, fm_json,
     defaults, item, kind, publish_iso, publish_epoch, expiry_iso, expiry_epoch, listed) = row
    summary = Summary(
        path=path, slug=slug, url=url, title=title, date_iso=date, epoch=epoch, day=day,
        draft=bool(draft), tags=tuple(json.loads(tags)), categories=tuple(json.loads(categories)),
        authors=tuple(json.loads(authors)), fm_json=fm_json, defaults_json=defaults,
        kind=kind or "post", publish_iso=publish_iso, publish_epoch=publish_epoch,
        expiry_iso=expiry_iso, expiry_epoch=expiry_epoch, listed=bool(listed),
    )
    if item is not None:
        summary.__dict__["head_json"] = item  # the cached_property's stored value
    return summary


_CHUNK = 250


def build_rows(
    site: Site, changed: list[tuple[str, Any]], hashes: dict[str, str]
) -> Generator[tuple[Any, ...] | None, None, None]:
    """Each changed file's row (None: unchanged bytes), in order.

    Many files are parsed by forked worker processes (one per CPU), since parsing YAML is
    CPU-bound; the caller writes rows to the database while they work, and closes this
    generator when it stops early (the workers are stopped then). The parser is imported
    and set up here, before the fork, so that the workers share it; they inherit the jobs
    with the fork, and only send rows back.
    """
    jobs = [(rel, found, hashes.get(rel)) for rel, found in changed]
    builder = RowBuilder(site)
    workers = worker_count(len(jobs))
    if workers <= 1:
        for rel, found, old_hash in jobs:
            yield builder.row(rel, found, old_hash)
        return
    chunks = [jobs[start : start + _CHUNK] for start in range(0, len(jobs), _CHUNK)]

    def build_chunk(number: int) -> list[tuple[Any, ...] | None]:
        return [builder.row(rel, found, old_hash) for rel, found, old_hash in chunks[number]]

    with contextlib.closing(forked_map(build_chunk, len(chunks), workers)) as built:
        for rows in built:
            yield from rows


class RowBuilder:
    """Reads and parses one changed file into an index row, in one pass."""

    def __init__(self, site: Site) -> None:
        from hashlib import blake2b

        from postctl.catalog.listing_parse import parse_for_listing
        from postctl.catalog.summary import row_values
        from postctl.site.scan import PostLoader
        from postctl.text.reading import read_post_bytes

        self.site = site
        self.loader = PostLoader(site)
        self.max_file_bytes = site.config.limits.max_file_bytes
        self.max_front_matter_bytes = site.config.limits.max_front_matter_bytes
        self.blake2b = blake2b
        self.read = read_post_bytes
        self.parse = parse_for_listing
        self.values = row_values
        # Without Jekyll defaults: scopes (or Hugo cascades, by section), a file's context
        # depends on its post folder alone.
        self.per_folder = not site.config.jekyll_defaults and site.flavour != "hugo"
        self.contexts: dict[PostFolder, PostContext] = {}
        # A Hugo date from the file's modification time changes with the stamp alone.
        hugo = site.config.hugo
        self.same_bytes_same_row = hugo is None or not any(
            ":filemodtime" in keys for _, keys in hugo.dates)

    def context(self, path: Path, folder: PostFolder) -> PostContext:
        if not self.per_folder:
            return self.loader.context(path, folder)
        context = self.contexts.get(folder)
        if context is None:
            context = self.contexts[folder] = self.loader.context(path, folder)
        return context

    def row(self, rel: str, found: Any, old_hash: str | None) -> tuple[Any, ...] | None:
        path = Path(found.path)
        stamp = (rel, found.mtime_ns, found.size, found.inode)
        if found.skip_reason:
            return _error_row(stamp, None, SourceError(path, found.skip_reason, code="E008"))
        try:
            raw = self.read(path, self.max_file_bytes)
        except SourceError as exc:
            return _error_row(stamp, None, exc)
        digest = self.blake2b(raw, digest_size=16).hexdigest()
        if old_hash is not None and digest == old_hash and self.same_bytes_same_row:
            return None
        try:
            context = self.context(path, found.folder)
            post = self.parse(raw, path, context, self.max_front_matter_bytes)
        except SourceError as exc:
            return _error_row(stamp, digest, exc)
        return (*stamp, digest, None, *self.values(post, self.site, context.defaults))


def _error_row(stamp: tuple[Any, ...], digest: str | None, error: SourceError) -> tuple[Any, ...]:
    detail = json.dumps({"message": error.message, "line": error.line, "col": error.col,
                         "code": error.code})
    empty = "[]"
    return (*stamp, digest, detail, None, None, None, None, None, None, 0,
            empty, empty, empty, empty, empty, empty, "{}", None, None, "post", None, None,
            None, None, 1)
