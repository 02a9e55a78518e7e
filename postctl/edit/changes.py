"""Changes to several files, made recoverable: record, then apply; undo; roll back.

Every command that writes posts describes what it wants as :class:`Planned` file changes
(old path and bytes as read, new path and bytes). :func:`apply_change` records all of them in
the journal, durably, before the first file changes; then brings each file from its old
state to its new one through the guarded writes of :mod:`postctl.edit.files`. A file that is
not as it was read (another program saved it meanwhile) is never overwritten: it is named in
the outcome, and the files already changed in the same group (a post renamed and the posts
whose links to it were rewritten, say) are put back; with ``all_or_nothing`` the whole change
is one group.

:func:`undo` takes a recorded change back the same way, file by file: a file that is as the
change left it gets its old bytes (and old name) back; a file already back is skipped; a file
changed since is not touched and is named. Both directions use one primitive,
:func:`_transition`, so completing, rolling back and undoing all follow the same rules
(docs/guarantees.md, "Writes" and "Batches"). Files rewritten in place outside any group are
written in batches whose new bytes are flushed to disk together
(:mod:`postctl.edit.batchwrite`): the same checks, far fewer flushes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from postctl.edit import batchwrite, files
from postctl.edit.journal import Change, FileState, Journal, Recorder, Step
from postctl.errors import (
    NotDurableError,
    PostExistsError,
    UnsafeWriteError,
    WriteRefusedError,
)
from postctl.text.reading import FileStamp


@dataclass(frozen=True)
class Planned:
    """One file's intended change. ``old_path``/``old`` are the file as read (``None``: a
    new file); ``new_path``/``new`` what it should become (``None``: the file goes)."""

    old_path: Path | None
    old: bytes | None
    new_path: Path | None
    new: bytes | None
    group: str | None = None
    # The read that ``old`` comes from (None: not known). A file rewritten in place is then
    # checked against that very read when it is written, rather than read once more.
    stamp: FileStamp | None = None


@dataclass
class Outcome:
    """What a change or an undo did: the files it changed and the ones it refused."""

    change: Change | None
    changed: list[Path] = field(default_factory=list)
    refused: list[WriteRefusedError] = field(default_factory=list)
    rolled_back: bool = False
    declined: bool = False
    failed_groups: set[str] = field(default_factory=set)
    applied: list[Step] = field(default_factory=list, repr=False)


def apply_change(journal: Journal, command: str, planned: Iterable[Planned], *,
                 all_or_nothing: bool = False,
                 confirm: Callable[[int], bool] | None = None) -> Outcome:
    """Record every planned change, then apply them; see the module notes. ``confirm`` is
    asked, with the number of files, once every change is recorded and before any file
    changes: when it says no, the record is dropped and nothing is written."""
    try:
        recorder = journal.record(command)
    except OSError as exc:
        raise UnsafeWriteError(journal.folder, _not_recorded(exc)) from exc
    stamps: dict[str, FileStamp | None] = {}  # by path; None: not to be used
    try:
        for plan in planned:
            step = _step(recorder, journal.root, plan)
            recorder.add(step)
            if step.before is not None:
                path = step.before.path
                stamps[path] = plan.stamp if path not in stamps and _batched(step) else None
        if recorder.count == 0:
            recorder.abort()
            return Outcome(None)
        if confirm is not None and not confirm(recorder.count):
            recorder.abort()
            return Outcome(None, declined=True)
        change = recorder.seal()
    except OSError as exc:
        recorder.abort()
        raise UnsafeWriteError(journal.folder, _not_recorded(exc)) from exc
    except BaseException:
        recorder.abort()
        raise
    outcome = _run(change, journal.root, list(change.steps()), forward=True,
                   stop_at_refusal=all_or_nothing, stamps=stamps)
    if outcome.refused and all_or_nothing:
        back = _run(change, journal.root, outcome.applied[::-1], forward=False,
                    stop_at_refusal=False)
        outcome.rolled_back = not back.refused
        outcome.refused.extend(back.refused)
        change.mark("undone" if not back.refused else "done")
        return outcome
    change.mark("done")
    return outcome


def undo(change: Change, root: Path) -> Outcome:
    """Put back every file of ``change``; marked undone only when all of them are back."""
    outcome = _run(change, root, list(change.steps())[::-1], forward=False,
                   stop_at_refusal=False)
    if not outcome.refused:
        change.mark("undone")
    return outcome


def complete(change: Change, root: Path) -> Outcome:
    """Finish an interrupted change from its record."""
    outcome = _run(change, root, list(change.steps()), forward=True, stop_at_refusal=False)
    if not outcome.refused:
        change.mark("done")
    return outcome


def _step(recorder: Recorder, root: Path, plan: Planned) -> Step:
    def side(path: Path | None, data: bytes | None, digest: str | None) -> FileState | None:
        if path is None or data is None:
            return None
        rel = old_rel if path == plan.old_path else _relative(root, path)
        return recorder.store(rel, data, digest)

    old_rel = _relative(root, plan.old_path) if plan.old_path is not None else ""
    return Step(side(plan.old_path, plan.old, plan.stamp.sha256 if plan.stamp else None),
                side(plan.new_path, plan.new, None), plan.group)


def _relative(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, '/'-separated."""
    prefix, text = os.fspath(root) + os.sep, os.fspath(path)
    if os.sep == "/" and text.startswith(prefix):
        return text[len(prefix) :]
    return path.relative_to(root).as_posix()


def _run(change: Change, root: Path, steps: list[Step], *, forward: bool,
         stop_at_refusal: bool, stamps: Mapping[str, FileStamp | None] | None = None
         ) -> Outcome:
    outcome = Outcome(change)
    failed: set[str] = set()
    for run in _runs(steps):
        if _batched(run[0]):
            _rewrite_run(change, root, run, outcome, stop_at_refusal,
                         forward=forward, stamps=stamps if forward else None)
            if stop_at_refusal and outcome.refused:
                break
            continue
        step = run[0]
        if step.group is not None and step.group in failed:
            continue
        source, target = (step.before, step.after) if forward else (step.after, step.before)
        try:
            if _transition(change, root, source, target, outcome.refused):
                outcome.changed.append(root / (target or source).path)  # type: ignore[union-attr]
            outcome.applied.append(step)
        except WriteRefusedError as refusal:
            outcome.refused.append(refusal)
            if stop_at_refusal:
                break
            if forward and step.group is not None:
                failed.add(step.group)
                outcome.failed_groups.add(step.group)
                _put_back_group(change, root, outcome, step.group)
    return outcome


def _batched(step: Step) -> bool:
    """A file rewritten in place, outside any group."""
    return bool(step.before and step.after and step.before.path == step.after.path
                and step.group is None)


def _runs(steps: list[Step]) -> Iterator[list[Step]]:
    """Runs of files rewritten in place outside any group, and every other step alone."""
    run: list[Step] = []
    for step in steps:
        if _batched(step):
            run.append(step)
            continue
        if run:
            yield run
            run = []
        yield [step]
    if run:
        yield run


def _rewrite_run(change: Change, root: Path, run: list[Step], outcome: Outcome,
                 stop_at_refusal: bool, *, forward: bool,
                 stamps: Mapping[str, FileStamp | None] | None) -> None:
    """:func:`_rewrite` for each step of ``run``, written in batches whose flushes are
    shared (:mod:`postctl.edit.batchwrite`); with ``stop_at_refusal``, no batch is begun
    after one that had a refusal. A file with a stamp in ``stamps`` (the read its change
    was planned from) is written only if it is still as that read found it."""
    written: list[tuple[Step, Path]] = []  # the steps handed to the writes, in order

    def writes() -> Iterator[batchwrite.Write]:
        for start in range(0, len(run), batchwrite.BATCH):
            due: list[tuple[Step, Path, FileState, FileStamp]] = []
            for step in run[start : start + batchwrite.BATCH]:
                source, target = (step.before, step.after) if forward else (step.after,
                                                                             step.before)
                assert source is not None and target is not None
                path = root / source.path
                try:
                    now = (stamps or {}).get(source.path) or _due(path, source, target)
                except WriteRefusedError as refusal:
                    outcome.refused.append(refusal)
                    continue
                if now is None:
                    outcome.applied.append(step)
                    continue
                due.append((step, path, target, now))
            contents = change.contents([target for _, _, target, _ in due])
            for (step, path, _, now), data in zip(due, contents, strict=True):
                written.append((step, path))
                yield path, data, now

    done = 0
    with contextlib.closing(batchwrite.replace_batches(writes())) as batches:
        for results in batches:
            for (step, path), result in zip(written[done : done + len(results)], results,
                                            strict=True):
                if result is not None:
                    outcome.refused.append(result)
                if result is None or isinstance(result, NotDurableError):
                    outcome.changed.append(path)
                    outcome.applied.append(step)
            done += len(results)
            if stop_at_refusal and outcome.refused:
                return


def _due(path: Path, source: FileState, target: FileState) -> FileStamp | None:
    """The stamp of ``path`` when it is to be rewritten from ``source`` to ``target``; None
    when it is ``target`` already; refused when it is neither."""
    now = files.read_if_present(path, max(source.at[1], target.at[1]))
    if now is not None and now.sha256 == target.sha256:
        return None
    if now is None or now.sha256 != source.sha256:
        raise UnsafeWriteError(path, _CHANGED if now else _GONE)
    return now


def _put_back_group(change: Change, root: Path, outcome: Outcome, group: str) -> None:
    """Undo the steps of ``group`` that were applied, newest first."""
    done = [step for step in outcome.applied if step.group == group]
    back = _run(change, root, done[::-1], forward=False, stop_at_refusal=False)
    outcome.refused.extend(back.refused)
    outcome.applied = [step for step in outcome.applied if step.group != group]
    moved_back = {root / (s.after or s.before).path for s in done}  # type: ignore[union-attr]
    outcome.changed = [path for path in outcome.changed if path not in moved_back]


def _transition(change: Change, root: Path, source: FileState | None,
                target: FileState | None, not_durable: list[WriteRefusedError]) -> bool:
    """Bring one file from ``source`` to ``target``; False when it is there already. Writes
    that happened but could not be flushed to disk are added to ``not_durable``."""
    if source and target and source.path == target.path:
        return _durable(not_durable, _rewrite, change, root / source.path, source, target)
    source_now = _current(root, source)
    target_now = _current(root, target)
    _check_side(root, source, source_now, target_now, target)
    moved = False
    if target and target_now is None:
        _durable(not_durable, files.create_exclusive, root / target.path,
                 change.content(target))
        moved = True
    if source and source_now is not None:
        _durable(not_durable, files.remove_unchanged, root / source.path, source_now)
        moved = True
    return moved


def _durable(not_durable: list[WriteRefusedError], write: Callable[..., bool | None],
             *args: object) -> bool:
    """Run one write; one that happened but could not be flushed is reported, not undone."""
    try:
        return write(*args) is not False
    except NotDurableError as error:
        not_durable.append(error)
        return True


def _rewrite(change: Change, path: Path, source: FileState, target: FileState) -> bool:
    now = _due(path, source, target)
    if now is None:
        return False
    files.atomic_replace(path, change.content(target), now)
    return True


def _current(root: Path, state: FileState | None) -> FileStamp | None:
    return files.read_if_present(root / state.path, state.at[1]) if state else None


def _check_side(root: Path, source: FileState | None, source_now: FileStamp | None,
                target_now: FileStamp | None, target: FileState | None) -> None:
    if source and source_now is not None and source_now.sha256 != source.sha256:
        raise UnsafeWriteError(root / source.path, _CHANGED)
    if target and target_now is not None and target_now.sha256 != target.sha256:
        raise PostExistsError(root / target.path)
    if source and target and source_now is None and target_now is None:
        raise UnsafeWriteError(root / source.path, _GONE)  # moved, but now on neither side


def _not_recorded(exc: OSError) -> str:
    return (f"could not record the change in the journal ({exc.strerror or exc}); "
            "no file was changed")


_CHANGED = "changed since postctl read it; left as it is"
_GONE = "was removed since postctl read it; left as it is"

