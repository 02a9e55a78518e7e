"""The documents of the full-text index: the posts rows to index, and the text of each
column, with the body read from the post's file (by forked worker processes when there are
many: reducing Markdown to text is CPU-bound).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zlib
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postctl.search.base import column_texts, excerpt_of, read_body
from postctl.text.textify import fold_chars, index_text, split_cjk

__all__ = ["SOURCE_COLUMNS", "Document", "Source", "pack_columns", "prepare", "source_of",
           "unpack_columns"]

# what a Source is made of, from ``posts AS p`` (see source_of())
SOURCE_COLUMNS = ("p.id, p.path, p.hash, p.title, p.tags, p.categories, p.authors, "
                  "p.front_matter, p.defaults")


@dataclass(frozen=True)
class Source:
    """A posts row to index: the facts the index parsed, and where the body is."""

    post_id: int
    path: str
    file_hash: str
    title: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    excerpt: str

    @property
    def meta_hash(self) -> str:
        joined = "\x1f".join((self.title, "\x1e".join(self.tags), "\x1e".join(self.categories),
                              "\x1e".join(self.authors), self.excerpt))
        return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"),
                               digest_size=8).hexdigest()

    def columns(self, body: str) -> tuple[str, ...]:
        texts = column_texts(self.title, self.tags, self.categories, self.authors,
                             index_text(self.excerpt), index_text(body))
        return tuple(split_cjk(fold_chars(text)) for text in texts)


def source_of(row: Sequence[Any]) -> Source:
    """The Source of a row of :data:`SOURCE_COLUMNS`. Its excerpt is :func:`excerpt_of` the
    front matter Jekyll sees (the Jekyll defaults under the file's own keys), as the search
    that reads the files and the snippets take it."""
    post_id, path, file_hash, title, tags, categories, authors, fm_json, defaults_json = row
    values = json.loads(fm_json)
    if defaults_json is not None:
        values = {**json.loads(defaults_json), **values}
    return Source(post_id, path, file_hash, title or "", tuple(json.loads(tags)),
                  tuple(json.loads(categories)), tuple(json.loads(authors)), excerpt_of(values))


# A document to index: its columns' text, and the same packed (see pack_columns()).
Document = tuple[tuple[str, ...], bytes]


def pack_columns(columns: tuple[str, ...]) -> bytes:
    """The columns' text as ``*_doc`` keeps it: each column's length in UTF-8 bytes, a
    newline, then the columns' bytes, compressed with zlib (about 0.3x the text)."""
    encoded = [column.encode("utf-8", "surrogatepass") for column in columns]
    head = " ".join(str(len(data)) for data in encoded).encode("ascii")
    return zlib.compress(b"\n".join((head, *encoded)), 1)


def unpack_columns(packed: bytes) -> tuple[str, ...]:
    """The columns' text from :func:`pack_columns`."""
    data = zlib.decompress(packed)
    head, _, rest = data.partition(b"\n")
    columns = []
    start = 0
    for size in map(int, head.split()):
        columns.append(rest[start : start + size].decode("utf-8", "surrogatepass"))
        start += size + 1
    return tuple(columns)


_CHUNK = 200


def prepare(
    root: Path, max_bytes: int, sources: list[Source]
) -> Generator[tuple[Source, Document | None], None, None]:
    """Each source with its document (None: the file is not the version indexed).

    Many files are read and reduced to text by forked worker processes (the text work is
    CPU-bound), while this process writes to the database; the caller closes this generator
    when it stops early (the workers are stopped then).
    """
    # the same threshold and setting as the index
    from postctl.site.forks import forked_map
    from postctl.site.workers import worker_count

    workers = worker_count(len(sources))
    if workers <= 1:
        for source in sources:
            yield source, _document(root, max_bytes, source)
        return
    chunks = [sources[start:start + _CHUNK] for start in range(0, len(sources), _CHUNK)]

    def prepare_chunk(number: int) -> list[Document | None]:
        return [_document(root, max_bytes, source) for source in chunks[number]]

    with contextlib.closing(forked_map(prepare_chunk, len(chunks), workers)) as prepared:
        for chunk, documents in zip(chunks, prepared, strict=True):
            yield from zip(chunk, documents, strict=True)


def _document(root: Path, max_bytes: int, source: Source) -> Document | None:
    body = read_body(root / source.path, max_bytes, source.file_hash)
    if body is None:
        return None
    columns = source.columns(body)
    return columns, pack_columns(columns)
