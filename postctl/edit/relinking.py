"""The references to a renamed post, rewritten: in every post that refers to it (found by
:mod:`postctl.site.backlinks`), only the characters of the name each reference writes change.

``{% post_url NAME %}``: the file name part of NAME becomes the new one (folders and a
leading ``/`` kept). ``{% link PATH %}``: the new path from the site root. Hugo ``ref`` and
``relref``: the last part of the path becomes the new file name (an extension, a fragment
and the folders as written are kept). The rest of each body, its front matter, BOM and line
endings stay byte for byte, and are checked to.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from postctl.edit.verify import VERIFY_MESSAGE
from postctl.errors import UnsafeWriteError
from postctl.site.backlinks import Backlink, Referrer
from postctl.text.source import Source, split_source

__all__ = ["renamed_reference", "rewrite_body"]


def renamed_reference(link: Backlink, new_rel_path: str) -> str:
    """The name ``link`` writes, for the post now at ``new_rel_path`` (from the site root)."""
    target = link.target
    new = PurePosixPath(new_rel_path)
    if link.kind == "link":
        lead = target[: len(target) - len(target.lstrip())]
        slash = "/" if target.strip().startswith("/") else ""
        return f"{lead}{slash}{new_rel_path}{target[len(target.rstrip()):]}"
    if link.kind == "post_url":
        folder, slash, _ = target.rpartition("/")
        return f"{folder}{slash}{new.stem}"
    path, hash_, fragment = target.partition("#")
    trail = "/" if path.endswith("/") else ""
    folder, slash, last = path.rstrip("/").rpartition("/")
    suffix = PurePosixPath(last).suffix
    name = new.stem + (suffix if suffix in (".md", ".markdown") else "")
    return f"{folder}{slash}{name}{trail}{hash_}{fragment}"


def rewrite_body(source: Source, raw: bytes, referrer: Referrer, new_rel_path: str) -> bytes:
    """``raw`` (the bytes of ``source``, or of its front matter edited: the body is the same)
    with every reference of ``referrer`` renamed; checked to change nothing else."""
    current = split_source(raw, source.path)
    body = current.body
    if body != source.body:
        raise UnsafeWriteError(source.path, VERIFY_MESSAGE)
    pieces: list[str] = []
    last = 0
    for link in sorted(referrer.links, key=lambda found: found.start):
        pieces.append(body[last : link.start])
        pieces.append(renamed_reference(link, new_rel_path))
        last = link.end
    pieces.append(body[last:])
    text = current.text[: current.body_offset] + "".join(pieces)
    new = (b"\xef\xbb\xbf" if current.bom else b"") + text.encode("utf-8")
    _check_only_names_changed(current, new)
    return new


def _check_only_names_changed(old: Source, new_raw: bytes) -> None:
    """The front matter, its delimiters and the BOM are byte-identical (the body outside the
    names is copied piece by piece)."""
    new = split_source(new_raw, old.path)
    if new.text[: new.body_offset] != old.text[: old.body_offset] or new.bom != old.bom:
        raise UnsafeWriteError(Path(old.path), VERIFY_MESSAGE)
