"""Apply lint fixes: front-matter edits (verified, atomic), and the post rename that also
rewrites the ``{% post_url %}`` tags naming the renamed post.

Edits go through ``postctl.edit.splice`` (splice), ``postctl.edit.verify`` (re-parse,
compare) and ``postctl.edit.files`` (atomic replace of a file that has not changed since
it was read; a rename that never replaces a file): this module writes nothing itself.
Fixes of one file repeat until nothing is left to fix, at most ``MAX_ROUNDS`` times
(docs/guarantees.md: Fixes).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.errors import PostctlError, SourceError, UnsafeWriteError
from postctl.lint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from postctl.edit.splice import Edit
    from postctl.lint.linter import Linter
    from postctl.lint.report import FileChange, LintOptions
    from postctl.text.reading import FileStamp

MAX_ROUNDS = 10


@dataclass
class Outcome:
    changes: list[FileChange] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)  # old rel path -> new rel path


def wanted(options: LintOptions) -> frozenset[str]:
    return frozenset({"safe", "unsafe"} if options.unsafe_fixes else {"safe"})


def apply_fixes(linter: Linter, diagnostics: Sequence[Diagnostic],
                options: LintOptions) -> Outcome:
    kinds = wanted(options)
    outcome = Outcome()
    edit_files = sorted({d.path for d in diagnostics
                         if d.fix is not None and d.fix.applicability in kinds and d.fix.edits})
    for rel in edit_files:
        try:
            change = fix_file(linter, rel, kinds, options.dry_run)
        except PostctlError as error:
            outcome.refused.append((rel, _reason(error)))
            continue
        if change is not None:
            outcome.changes.append(change)
    renames = [d for d in diagnostics
               if d.fix is not None and d.fix.rename and d.fix.applicability in kinds]
    for diagnostic in sorted(renames, key=Diagnostic.sort_key):
        assert diagnostic.fix is not None and diagnostic.fix.rename is not None
        try:
            changes = rename_post(linter, diagnostic.path, diagnostic.fix.rename,
                                  options.dry_run, outcome)
        except PostctlError as error:
            outcome.refused.append((diagnostic.path, _reason(error)))
            continue
        outcome.changes.extend(changes)
    return outcome


def _reason(error: PostctlError) -> str:
    message = getattr(error, "message", None)
    return str(message) if message else str(error)


# --- front-matter edits ----------------------------------------------------------------------


def fix_file(linter: Linter, rel: str, kinds: frozenset[str], dry_run: bool) -> FileChange | None:
    """Fix one file to a fixed point; write it (unless dry_run) only if its bytes change."""
    from postctl.edit import files as fsio
    from postctl.edit import splice as edit
    from postctl.edit.verify import verify_rewrite
    from postctl.lint.report import FileChange
    from postctl.post.model import parse_post

    path = linter.site.root / rel
    limits = linter.site.config.limits
    raw, stamp = fsio.read_for_rewrite(path, limits.max_file_bytes)
    current = raw
    fixed = 0
    context = linter.loader.context(path)
    for _ in range(MAX_ROUNDS):
        post = parse_post(current, path, context, limits.max_front_matter_bytes)
        edits = _round(linter.diagnose_post(post), kinds)
        if not edits:
            break
        new = edit.apply_edits(post.source, [e for _, e in edits])
        if new == current:
            break
        verify_rewrite(post.source, new, [e for _, e in edits])
        current = new
        fixed += len({id(d) for d, _ in edits})
    else:
        raise UnsafeWriteError(path, f"fixes did not settle after {MAX_ROUNDS} rounds; "
                               "not written (please report this)")
    if current == raw:
        return None
    if not dry_run:
        fsio.atomic_replace(path, current, stamp)
    return FileChange(rel, raw, current, fixed, written=not dry_run)


def _round(diagnostics: Sequence[Diagnostic], kinds: frozenset[str]) -> list[tuple[Diagnostic,
                                                                                   Edit]]:
    """The edits of one round: at most one fix per key, so fixes never overlap."""
    chosen: list[tuple[Diagnostic, Edit]] = []
    keys: set[str] = set()
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or fix.applicability not in kinds or not fix.edits:
            continue
        names = {e.key for e in fix.edits}
        if names & keys:
            continue
        keys |= names
        chosen.extend((diagnostic, e) for e in fix.edits)
    return chosen


# --- renaming a post ---------------------------------------------------------------------------


def rename_post(linter: Linter, rel: str, new_name: str, dry_run: bool,
                outcome: Outcome) -> list[FileChange]:
    """Rename ``rel`` to ``new_name`` in its folder; rewrite post_url tags that name it.

    Refused (UnsafeWriteError) when the target name exists, also case-folded.
    """
    from postctl.edit import files as fsio
    from postctl.lint.report import FileChange
    from postctl.text.reading import read_post_bytes

    path = linter.site.root / rel
    target = path.with_name(new_name)
    new_rel = linter.site.relative(target)
    _refuse_existing(path, target)
    references = _reference_rewrites(linter, rel, target.stem)
    max_bytes = linter.site.config.limits.max_file_bytes
    raw = read_post_bytes(path, max_bytes)
    changes = [FileChange(rel, raw, raw, 1, rename_to=new_rel, written=not dry_run)]
    if dry_run:
        changes.extend(FileChange(ref_rel, old, new, count)
                       for ref_rel, old, new, count, _ in references)
        return changes
    fsio.rename_exclusive(path, target)
    outcome.renames[rel] = new_rel
    candidates = linter.context.memo.get("post_url_files")
    if candidates is not None:
        linter.context.memo["post_url_files"] = [target if c == path else c for c in candidates]
    for ref_rel, old, new, count, read_stamp in references:
        ref_path = target if ref_rel == rel else linter.site.root / ref_rel
        shown = new_rel if ref_rel == rel else ref_rel
        try:
            stamp = (fsio.read_for_rewrite(ref_path, max_bytes)[1] if ref_rel == rel
                     else read_stamp)
            fsio.atomic_replace(ref_path, new, stamp)
        except PostctlError as error:
            outcome.refused.append((shown, _reason(error)))
            continue
        changes.append(FileChange(shown, old, new, count, written=True))
    return changes


def _refuse_existing(path: Path, target: Path) -> None:
    if os.path.lexists(target):
        raise UnsafeWriteError(path, f"cannot rename to {target.name}: that file exists")
    folded = target.name.casefold()
    for name in os.listdir(target.parent):
        if name.casefold() == folded and name != path.name:
            raise UnsafeWriteError(path, f"cannot rename to {target.name}: {name} exists")


def _reference_rewrites(linter: Linter, rel: str,
                        new_stem: str) -> list[tuple[str, bytes, bytes, int, FileStamp]]:
    """(rel, old bytes, new bytes, count, stamp) of every post whose post_url names ``rel``."""
    from postctl.edit import files as fsio
    from postctl.lint.rules.references import liquid_tags, resolve_post_url
    from postctl.site.scan import iter_post_files
    from postctl.text.source import split_source

    old_stem = Path(rel).stem
    found = []
    max_bytes = linter.site.config.limits.max_file_bytes
    candidates = linter.context.memo.get("post_url_files")
    if candidates is None:  # the posts using post_url at all, found once per run
        candidates = [Path(item.path) for item in iter_post_files(linter.site)
                      if not item.skip_reason
                      and _mentions_post_url(Path(item.path), max_bytes)]
        linter.context.memo["post_url_files"] = candidates
    for path in candidates:
        try:
            raw, stamp = fsio.read_for_rewrite(path, max_bytes)
        except (OSError, PostctlError):
            continue
        if old_stem.encode() not in raw:
            continue
        try:
            source = split_source(raw, path)
        except SourceError:
            continue
        body = source.body
        pieces: list[str] = []
        last = 0
        count = 0
        for name, argument, offset in liquid_tags(body):
            if name != "post_url":
                continue
            resolved = resolve_post_url(argument, linter.context)
            if resolved is None or resolved[0].rel_path != rel:
                continue
            start = body.index(argument, offset)
            replacement = argument[: len(argument) - len(argument.lstrip("/"))] + \
                _renamed_name(argument.lstrip("/"), new_stem)
            pieces.append(body[last:start])
            pieces.append(replacement)
            last = start + len(argument)
            count += 1
        if not count:
            continue
        pieces.append(body[last:])
        new_body = "".join(pieces)
        text = source.text[: source.body_offset] + new_body
        new_raw = (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")
        _verify_body_edit(source, new_raw)
        found.append((linter.site.relative(path), raw, new_raw, count, stamp))
    return found


def _mentions_post_url(path: Path, max_bytes: int) -> bool:
    from postctl.text.reading import read_post_bytes

    try:
        return b"post_url" in read_post_bytes(path, max_bytes)
    except SourceError:
        return False


def _renamed_name(name: str, new_stem: str) -> str:
    folder, _, _ = name.rpartition("/")
    return f"{folder}/{new_stem}" if folder else new_stem


def _verify_body_edit(old: object, new_raw: bytes) -> None:
    """The front matter and delimiters are byte-identical; only the body changed."""
    from postctl.text.source import Source, split_source

    assert isinstance(old, Source)
    new = split_source(new_raw, old.path)
    if new.text[: new.body_offset] != old.text[: old.body_offset] or new.bom != old.bom:
        raise UnsafeWriteError(old.path, "internal error: verification failed; file not "
                               "written (please report)")
