"""Front-matter edits of one post, whatever its language: YAML through the splice engine
(:mod:`postctl.edit.splice`), TOML and JSON through :mod:`postctl.edit.spans`; every result
verified (:mod:`postctl.edit.verify`) before anything is planned with it."""

from __future__ import annotations

from collections.abc import Sequence

from postctl.edit import spans
from postctl.edit.splice import Edit, UneditableError, apply_edits, value_span
from postctl.edit.verify import verify_rewrite
from postctl.text.source import Source

__all__ = ["current_text", "edited"]


def edited(source: Source, edits: Sequence[Edit]) -> bytes:
    """The bytes of ``source`` with ``edits`` applied to its front matter, verified."""
    try:
        if source.kind == "yaml":
            new = apply_edits(source, edits)
        elif source.kind in ("toml", "json"):
            fm_text = spans.apply_edits(source.kind, source.fm_text, edits, source.newline)
            end = source.fm_offset + len(source.fm_text)
            text = source.text[: source.fm_offset] + fm_text + source.text[end:]
            new = (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")
        else:
            raise UneditableError(edits[0].key if edits else "?", "the post has no front matter")
    except UneditableError as exc:
        if exc.path is not None:
            raise
        raise UneditableError(exc.key, exc.reason, source.path) from None
    if new != source.raw:
        verify_rewrite(source, new, edits)
    return new


def current_text(source: Source, key: str) -> str | None:
    """The text of ``key``'s value as written (None when the post does not have the key)."""
    try:
        if source.kind == "yaml":
            start, end = value_span(source.fm_text, key)
            return source.fm_text[start:end]
        if source.kind in ("toml", "json"):
            found = spans.locate(source.kind, source.fm_text).get(key)
            return None if found is None else source.fm_text[found.start : found.end]
    except KeyError:
        return None
    except UneditableError as exc:
        raise UneditableError(exc.key, exc.reason, source.path) from None
    return None
