"""Apply lint fixes: front-matter edits (verified), and the post rename that also rewrites
the ``{% post_url %}`` tags naming the renamed post.

Fixes are planned first: each file's new bytes are computed (``postctl.edit.splice``) and
verified (``postctl.edit.verify``), a renamed post and the posts whose links to it change
forming one group. The plan is then handed to ``postctl.edit.changes``, which records it in
the journal before the first file changes (so ``postctl undo`` restores it, and a kill
leaves a change that can be undone or completed) and writes each file only if it is still
as it was read; a group stands or falls together. This module writes nothing itself. Fixes
of one file repeat until nothing is left to fix, at most ``MAX_ROUNDS`` times
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
    from postctl.edit.changes import Planned
    from postctl.edit.splice import Edit
    from postctl.lint.linter import Linter
    from postctl.lint.report import FileChange, LintOptions

MAX_ROUNDS = 10


@dataclass
class Outcome:
    changes: list[FileChange] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)  # old rel path -> new rel path


class Plan:
    """The files fixes change: each one's bytes as they will be (by its path relative to the
    root, after planned renames) and one step per file from its bytes and name as read to
    its final bytes and name, so that undoing or finishing any part of the change deals with
    each file once. A file that two renames touch joins their groups into one."""

    def __init__(self, linter: Linter) -> None:
        self.linter = linter
        self.contents: dict[str, bytes] = {}
        self.steps: list[Planned] = []
        self._step_of: dict[str, int] = {}  # a file's planned path -> its step
        self.group_of: dict[str, str] = {}  # a rename's group -> the group it joined

    def read(self, rel: str) -> bytes:
        """``rel`` as the plan has it so far: planned bytes, else the file on disk."""
        if rel in self.contents:
            return self.contents[rel]
        from postctl.edit.files import read_for_rewrite

        path = self.linter.site.root / rel
        return read_for_rewrite(path, self.linter.site.config.limits.max_file_bytes)[0]

    def change(self, rel: str, old: bytes, new: bytes, new_rel: str | None = None,
               group: str | None = None) -> None:
        from postctl.edit.changes import Planned

        root = self.linter.site.root
        target = new_rel or rel
        group = self.group(group)
        index = self._step_of.pop(rel, None)
        if index is None:
            self.steps.append(Planned(root / rel, old, root / target, new, group))
            index = len(self.steps) - 1
        else:  # the file has a step already: it now ends here
            earlier = self.steps[index]
            group = self._join(earlier.group, group)
            self.steps[index] = Planned(earlier.old_path, earlier.old, root / target, new, group)
        self._step_of[target] = index
        if new_rel is not None:
            self.contents.pop(rel, None)
        self.contents[target] = new

    def group(self, name: str | None) -> str | None:
        while name is not None and name in self.group_of:
            name = self.group_of[name]
        return name

    def _join(self, first: str | None, second: str | None) -> str | None:
        first, second = self.group(first), self.group(second)
        if first is None or second is None or first == second:
            return first or second
        from dataclasses import replace

        self.group_of[second] = first
        self.steps = [replace(step, group=first) if step.group == second else step
                      for step in self.steps]
        return first


def wanted(options: LintOptions) -> frozenset[str]:
    return frozenset({"safe", "unsafe"} if options.unsafe_fixes else {"safe"})


def apply_fixes(linter: Linter, diagnostics: Sequence[Diagnostic],
                options: LintOptions) -> Outcome:
    kinds = wanted(options)
    outcome = Outcome()
    plan = Plan(linter)
    edit_files = sorted({d.path for d in diagnostics
                         if d.fix is not None and d.fix.applicability in kinds and d.fix.edits})
    for rel in edit_files:
        try:
            change = fix_file(plan, rel, kinds)
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
            changes = rename_post(plan, diagnostic.path, diagnostic.fix.rename, outcome)
        except PostctlError as error:
            outcome.refused.append((diagnostic.path, _reason(error)))
            continue
        outcome.changes.extend(changes)
    if not options.dry_run and plan.steps:
        _write(plan, options, outcome)
    return outcome


def _write(plan: Plan, options: LintOptions, outcome: Outcome) -> None:
    """Record the plan in the journal and apply it; mark what was written, name what was
    refused (and the renames that did not happen)."""
    from postctl.edit.changes import apply_change
    from postctl.edit.journal import Journal
    from postctl.site.cache import journal_dir

    site = plan.linter.site
    command = "postctl lint --fix" + (" --unsafe-fixes" if options.unsafe_fixes else "")
    result = apply_change(Journal(journal_dir(site.root), site.root), command, plan.steps)
    refused = {site.relative(Path(getattr(error, "path", site.root))): _reason(error)
               for error in result.refused}
    failed = result.failed_groups
    outcome.renames = {old: new for old, new in outcome.renames.items()
                       if plan.group(old) not in failed}
    outcome.refused.extend(refused.items())
    outcome.changes = [
        change._replace(written=change.path not in refused
                        and plan.group(change.group) not in failed)
        for change in outcome.changes]


def _reason(error: PostctlError) -> str:
    message = getattr(error, "message", None)
    return str(message) if message else str(error)


# --- front-matter edits ----------------------------------------------------------------------


def fix_file(plan: Plan, rel: str, kinds: frozenset[str]) -> FileChange | None:
    """Fix one file to a fixed point; plan its new bytes only if they differ."""
    from postctl.edit import splice as edit
    from postctl.edit.verify import verify_rewrite
    from postctl.lint.report import FileChange
    from postctl.post.model import parse_post

    linter = plan.linter
    path = linter.site.root / rel
    limits = linter.site.config.limits
    raw = plan.read(rel)
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
    plan.change(rel, raw, current)
    return FileChange(rel, raw, current, fixed, written=True)


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


def rename_post(plan: Plan, rel: str, new_name: str, outcome: Outcome) -> list[FileChange]:
    """Plan renaming ``rel`` to ``new_name`` in its folder, and rewriting the post_url tags
    that name it, as one group.

    Refused (UnsafeWriteError) when the target name exists, also case-folded.
    """
    from postctl.lint.report import FileChange

    linter = plan.linter
    path = linter.site.root / rel
    target = path.with_name(new_name)
    new_rel = linter.site.relative(target)
    _refuse_existing(path, target)
    references = _reference_rewrites(plan, rel, target.stem)
    raw = plan.read(rel)
    moved = next((new for ref_rel, _, new, _ in references if ref_rel == rel), raw)
    plan.change(rel, raw, moved, new_rel=new_rel, group=rel)
    changes = [FileChange(rel, raw, raw, 1, rename_to=new_rel, written=True, group=rel)]
    for ref_rel, old, new, count in references:
        if ref_rel == rel:
            changes.append(FileChange(new_rel, old, new, count, written=True, group=rel))
            continue
        plan.change(ref_rel, old, new, group=rel)
        changes.append(FileChange(ref_rel, old, new, count, written=True, group=rel))
    outcome.renames[rel] = new_rel
    candidates = linter.context.memo.get("post_url_files")
    if candidates is not None:
        linter.context.memo["post_url_files"] = [target if c == path else c for c in candidates]
    return changes


def _refuse_existing(path: Path, target: Path) -> None:
    if os.path.lexists(target):
        raise UnsafeWriteError(path, f"cannot rename to {target.name}: that file exists")
    folded = target.name.casefold()
    for name in os.listdir(target.parent):
        if name.casefold() == folded and name != path.name:
            raise UnsafeWriteError(path, f"cannot rename to {target.name}: {name} exists")


def _reference_rewrites(plan: Plan, rel: str,
                        new_stem: str) -> list[tuple[str, bytes, bytes, int]]:
    """(rel, old bytes, new bytes, count) of every post whose post_url names ``rel``, read as
    the plan has them."""
    from postctl.lint.rules.references import liquid_tags, resolve_post_url
    from postctl.site.scan import iter_post_files
    from postctl.text.source import split_source

    linter = plan.linter
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
            raw = plan.read(linter.site.relative(path))
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
        found.append((linter.site.relative(path), raw, new_raw, count))
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
