"""The check that a rewrite is exactly the edits asked, and the rewrite that passes it.

``verify_rewrite`` re-splits and re-loads the new bytes and compares them with the old
ones (docs/guarantees.md: Verification); ``rewrite_file`` applies edits to a file
(``postctl.edit.splice``) and writes the result only when it passes (``postctl.edit.files``,
atomically).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from postctl.edit import files as fsio
from postctl.edit import spans
from postctl.edit.splice import (
    Edit,
    UneditableError,
    apply_edits,
    line_end,
    same_value,
    value_end,
)
from postctl.errors import SourceError, UnsafeWriteError
from postctl.site.config import Limits
from postctl.text import emit
from postctl.text.front_matter import load_front_matter
from postctl.text.scalars import PostLoader
from postctl.text.source import Source, split_source

VERIFY_MESSAGE = "internal error: verification failed; file not written — please report"


class VerificationError(UnsafeWriteError):
    """A rewrite whose re-parse does not match what was asked (a postctl bug)."""

    def __init__(self, path: Path, detail: str, diff: str = "") -> None:
        super().__init__(path, VERIFY_MESSAGE)
        self.detail = detail
        self.diff = diff


def verify_rewrite(old: Source, new_raw: bytes, edits: Sequence[Edit]) -> None:
    """Re-split and re-load ``new_raw`` and check it is ``old`` with ``edits`` applied.

    Checked (docs/guarantees.md: Verification): same kind, BOM and newline style; same delimiter
    lines; the body byte for byte; every other key equal in value and type, in the same order; each
    edited key equal to the requested value, or gone when deleted; no changed line
    outside the lines of the edited keys. Raises VerificationError otherwise.
    """

    def fail(detail: str) -> VerificationError:
        return VerificationError(old.path, detail, _diff(old, new_raw))

    try:
        new = split_source(new_raw, old.path)
    except SourceError as exc:
        raise fail(f"the new text cannot be split: {exc.message}") from None
    if (new.kind, new.bom, new.newline) != (old.kind, old.bom, old.newline):
        raise fail("the kind of front matter, the BOM or the newline style changed")
    if _frame(new) != _frame(old) or not new_raw.endswith(old.body.encode("utf-8")):
        raise fail("the delimiters or the body changed")
    try:
        old_meta = load_front_matter(old.kind, old.fm_text, old.path, old.fm_line)
        new_meta = load_front_matter(new.kind, new.fm_text, new.path, new.fm_line)
    except SourceError as exc:
        raise fail(f"the new front matter does not load: {exc.message}") from None
    expected = _expected_values(old_meta.values, edits)
    inserted = {edit.key for edit in edits if edit.op == "insert"}
    if set(new_meta.values) != set(expected) or _order(new_meta.values, inserted) != _order(
            expected, inserted):
        raise fail("the keys or their order changed")
    for name, value in expected.items():
        if not same_value(new_meta.values[name], value):
            raise fail(f"the value of {name!r} is not the one expected")
    if [d.key for d in new_meta.duplicates] != [d.key for d in old_meta.duplicates]:
        raise fail("duplicate keys changed")
    touched = {edit.key for edit in edits}
    if _lines_outside(old, touched) != _lines_outside(new, touched):
        raise fail("lines outside the edited keys changed")


def rewrite_file(path: Path, edits: Sequence[Edit],
                 max_bytes: int = Limits.max_file_bytes) -> bool:
    """Apply ``edits`` to the file at ``path`` (of at most ``max_bytes``), verified and
    atomically.

    Returns False, without touching the file, when the edits change nothing.
    Raises SourceError for an unreadable post, UneditableError for a refused edit,
    UnsafeWriteError (VerificationError included) when the write is refused.
    """
    raw, stamp = fsio.read_for_rewrite(path, max_bytes)
    source = split_source(raw, path)
    try:
        new_raw = apply_edits(source, edits)
    except UneditableError as exc:
        if exc.path is not None:
            raise
        raise UneditableError(exc.key, exc.reason, path) from None
    if new_raw == raw:
        return False
    verify_rewrite(source, new_raw, edits)
    fsio.atomic_replace(path, new_raw, stamp)
    return True


def _frame(source: Source) -> tuple[str, str, str]:
    """Opening delimiter, closing delimiter and body text."""
    end = source.fm_offset + len(source.fm_text)
    return (
        source.text[: source.fm_offset],
        source.text[end : source.body_offset],
        source.text[source.body_offset :],
    )


def _expected_values(values: dict[str, Any], edits: Sequence[Edit]) -> dict[str, Any]:
    expected = dict(values)
    for edit in edits:
        if edit.op in ("set", "insert"):
            expected[edit.key] = emit.as_written(edit.value)
        elif edit.op == "delete":
            expected.pop(edit.key, None)
    return expected


def _order(values: dict[str, Any], inserted: set[str]) -> list[str]:
    """The keys in order, but for the inserted ones (which go where ``new`` puts them)."""
    return [name for name in values if name not in inserted]


def _lines_outside(source: Source, keys: set[str]) -> list[str]:
    """The front-matter lines (with their endings) not belonging to any of ``keys``."""
    fm_text = source.fm_text
    lines = _split_lines(fm_text)
    skip: set[int] = set()
    if source.kind in ("toml", "json"):
        for name, found in spans.locate(source.kind, fm_text).items():
            if name in keys:
                last = fm_text.count("\n", 0, max(found.end - 1, found.key_start))
                skip.update(range(fm_text.count("\n", 0, found.key_start), last + 1))
        return [line for number, line in enumerate(lines) if number not in skip]
    root = yaml.compose(fm_text, Loader=PostLoader) if fm_text.strip() else None
    if isinstance(root, yaml.MappingNode):
        for name, value in root.value:
            if isinstance(name, yaml.ScalarNode) and name.value in keys:
                first = fm_text.count("\n", 0, name.start_mark.index)
                end = line_end(fm_text, max(value_end(value), name.end_mark.index))
                last = fm_text.count("\n", 0, max(end - 1, name.start_mark.index))
                skip.update(range(first, last + 1))
    return [line for number, line in enumerate(lines) if number not in skip]


def _split_lines(text: str) -> list[str]:
    """Lines split at ``\\n`` only (YAML's other breaks stay inside their line)."""
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def _diff(old: Source, new_raw: bytes) -> str:
    new_text = new_raw.decode("utf-8", errors="replace")
    return "".join(
        difflib.unified_diff(
            _split_lines(old.raw.decode("utf-8", errors="replace")),
            _split_lines(new_text),
            f"a/{old.path.name}",
            f"b/{old.path.name}",
            n=1,
        )
    )
