"""The check that a rewrite is exactly the edits asked, and the rewrite that passes it.

``verify_rewrite`` re-splits and re-loads the new bytes (YAML, TOML or JSON front matter)
and compares them with the old ones (docs/guarantees.md: Verification); ``rewrite_file``
applies edits to a file (``postctl.edit.splice``) and writes the result only when it passes
(``postctl.edit.files``, atomically).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from postctl.edit import files as fsio
from postctl.edit.edits import Edit, UneditableError, changed_list
from postctl.edit.json_text import members
from postctl.edit.splice import apply_edits
from postctl.edit.toml_text import layout
from postctl.edit.yaml_nodes import composed, line_end, same_value, value_end
from postctl.errors import SourceError, UnsafeWriteError
from postctl.site.config import Limits
from postctl.text import emit
from postctl.text.front_matter import load_front_matter
from postctl.text.metadata import Metadata
from postctl.text.source import Source, split_source

VERIFY_MESSAGE = "internal error: verification failed; file not written — please report"


class VerificationError(UnsafeWriteError):
    """A rewrite whose re-parse does not match what was asked (a postctl bug)."""

    def __init__(self, path: Path, detail: str, diff: str = "") -> None:
        super().__init__(path, VERIFY_MESSAGE)
        self.detail = detail
        self.diff = diff


def verify_rewrite(old: Source, new_raw: bytes, edits: Sequence[Edit],
                   old_meta: Metadata | None = None) -> None:
    """Re-split and re-load ``new_raw`` and check it is ``old`` with ``edits`` applied
    (``old_meta``: ``old``'s front matter as loaded already, if it was).

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
        if old_meta is None:
            old_meta = load_front_matter(old.kind, old.fm_text, old.path, old.fm_line,
                                         positions=False)
        new_meta = load_front_matter(new.kind, new.fm_text, new.path, new.fm_line,
                                     positions=False)
    except SourceError as exc:
        raise fail(f"the new front matter does not load: {exc.message}") from None
    expected = expected_values(old_meta.values, edits, _first_table(old))
    if list(new_meta.values) != list(expected):
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


def expected_values(values: dict[str, Any], edits: Sequence[Edit],
                     last: str | None = None) -> dict[str, Any]:
    """``values`` with ``edits`` applied; a key inserted without a place to go goes last,
    or before the key ``last`` (a TOML table, which the keys before it precede)."""
    expected = dict(values)
    for edit in edits:
        before = edit.before if edit.before in expected else last
        if edit.op == "insert" and before in expected:
            assert before is not None
            expected = _inserted(expected, edit.key, emit.as_written(edit.value), before)
        elif edit.op in ("set", "insert", "rejoin"):
            expected[edit.key] = emit.as_written(edit.value)
        elif edit.op == "items":
            assert isinstance(edit.value, tuple) and isinstance(expected.get(edit.key), list)
            expected[edit.key] = emit.as_written(changed_list(expected[edit.key], edit.value))
        elif edit.op == "delete":
            expected.pop(edit.key, None)
    return expected


def _first_table(source: Source) -> str | None:
    """The first key of a TOML front matter's tables, which follow its top-level keys."""
    if source.kind != "toml":
        return None
    from postctl.text.toml_json import load_toml

    top = {entry.key for entry in layout(source.fm_text).entries}
    values = load_toml(source.fm_text, source.path, source.fm_line).values
    return next((key for key in values if key not in top), None)


def _inserted(values: dict[str, Any], key: str, value: object, before: str) -> dict[str, Any]:
    items = list(values.items())
    position = list(values).index(before)
    return dict([*items[:position], (key, value), *items[position:]])


def _lines_outside(source: Source, keys: set[str]) -> list[str]:
    """The lines of the front matter (with their endings) not belonging to any of ``keys``."""
    fm_text = source.fm_text
    spans: list[tuple[int, int]] = []
    if source.kind == "yaml":
        root = composed(fm_text) if fm_text.strip() else None
        if isinstance(root, yaml.MappingNode):
            spans = [(name.start_mark.index,
                      line_end(fm_text, max(value_end(value), name.end_mark.index)))
                     for name, value in root.value
                     if isinstance(name, yaml.ScalarNode) and name.value in keys]
    elif source.kind == "toml":
        spans = [(e.lines.start, e.lines.end) for e in layout(fm_text).entries if e.key in keys]
    elif source.kind == "json":
        spans = [(m.span.start, m.span.end) for m in members(fm_text) if m.key in keys]
    skip: set[int] = set()
    for start, end in spans:
        first = fm_text.count("\n", 0, start)
        skip.update(range(first, fm_text.count("\n", 0, max(end - 1, start)) + 1))
    lines = [line for number, line in enumerate(_split_lines(fm_text)) if number not in skip]
    if source.kind == "json":  # a separating comma goes and comes with its neighbour
        return [_JSON_COMMA.sub("", line) for line in lines]
    return lines


_JSON_COMMA = re.compile(r",?[ \t]*(?=\r?\n|\Z)")


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
