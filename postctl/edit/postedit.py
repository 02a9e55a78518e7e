"""Front-matter edits of one post, whatever its language (YAML, TOML, JSON: the splices of
:mod:`postctl.edit.splice`), each result verified (:mod:`postctl.edit.verify`) before
anything is planned with it."""

from __future__ import annotations

from collections.abc import Sequence

from postctl.edit.edits import Edit, UneditableError
from postctl.edit.json_text import members
from postctl.edit.splice import apply_edits, value_span
from postctl.edit.toml_text import layout
from postctl.edit.verify import verify_rewrite
from postctl.text.source import Source

__all__ = ["current_text", "edited"]


def edited(source: Source, edits: Sequence[Edit]) -> bytes:
    """The bytes of ``source`` with ``edits`` applied to its front matter, verified."""
    try:
        new = apply_edits(source, edits)
    except UneditableError as exc:
        if exc.path is not None:
            raise
        raise UneditableError(exc.key, exc.reason, source.path) from None
    if new != source.raw:
        verify_rewrite(source, new, edits)
    return new


def current_text(source: Source, key: str) -> str | None:
    """The text of ``key``'s value as written (None when the post does not have the key)."""
    fm_text = source.fm_text
    try:
        if source.kind == "yaml":
            start, end = value_span(fm_text, key)
            return fm_text[start:end]
        if source.kind == "toml":
            entry = layout(fm_text, key).find(key)
            return None if entry is None else fm_text[entry.value.start : entry.value.end]
        if source.kind == "json":
            found = [member for member in members(fm_text, key) if member.key == key]
            return fm_text[found[0].value.start : found[0].value.end] if found else None
    except KeyError:
        return None
    except UneditableError as exc:
        raise UneditableError(exc.key, exc.reason, source.path) from None
    return None
