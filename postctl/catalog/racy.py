"""Files changed too recently for their stamp to show a later change.

A file system stamps a change with the time of a coarse clock (a few milliseconds on Linux,
a second or two on some file systems), so a file changed again within the same tick, in
place and to the same size, keeps the stamp the index stored, and the change would go
unseen. As git does for its own index, a file whose modification time is less than
:data:`RACY_SECONDS` before the walk that stored its row is *racy*: its path is kept
(``meta.racy``), and every refresh compares its bytes with its row's hash until the file
is older than that. Usually none or a few files: the ones just edited.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from postctl.errors import SourceError
from postctl.site.listings import RACY_SECONDS
from postctl.site.stamps import WIDTH
from postctl.site.walk import Found, Walk
from postctl.text.reading import read_post_bytes

__all__ = ["RACY_SECONDS", "decode", "encode", "racy_paths", "rewritten"]


def racy_paths(walk: Walk) -> list[str]:
    """The files of ``walk`` changed less than RACY_SECONDS before it began, by path; files
    skipped for their kind are never racy."""
    cutoff = walk.started - RACY_SECONDS * 10**9
    mtimes = walk.stamps[0::WIDTH]
    if not mtimes or max(mtimes) < cutoff:
        return []
    return sorted(rel for rel, _, _, mtime, _, _, reason in walk.files()
                  if mtime >= cutoff and reason is None)


def rewritten(found: list[Found], hashes: Mapping[str, str | None], max_bytes: int,
              ) -> list[Found]:
    """The files of ``found`` whose bytes are not those whose hash (blake2b-128, hex; None:
    unreadable) ``hashes`` has for their path."""
    changed = []
    for item in found:
        try:
            digest: str | None = hashlib.blake2b(
                read_post_bytes(Path(item[1]), max_bytes), digest_size=16).hexdigest()
        except SourceError:
            digest = None
        if digest != hashes.get(item[0]):
            changed.append(item)
    return changed


def encode(paths: list[str]) -> str:
    return json.dumps(paths)


def decode(text: str | None) -> frozenset[str]:
    return frozenset(json.loads(text)) if text else frozenset()
