"""Changes to several files, made recoverable: record, then apply; undo; roll back.

Every command that writes posts describes what it wants as :class:`Planned` file changes
(old path and bytes as read, new path and bytes). :func:`apply_change` records all of them in
the journal, durably, before the first file changes; then brings each file from its old
state to its new one through the guarded writes of :mod:`postctl.edit.files`. A file that is
not as it was read (another program saved it meanwhile) is never overwritten: it is named in
the outcome, and with ``all_or_nothing`` every file already changed is put back.

:func:`undo` takes a recorded change back the same way, file by file: a file that is as the
change left it gets its old bytes (and old name) back; a file already back is skipped; a file
changed since is not touched and is named. Both directions use one primitive,
:func:`_transition`, so completing, rolling back and undoing all follow the same rules
(docs/guarantees.md, "Writes" and "Batches").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from postctl.edit import files
from postctl.edit.journal import Change, FileState, Journal, Recorder, Step
from postctl.errors import PostExistsError, UnsafeWriteError, WriteRefusedError
from postctl.text.reading import FileStamp


@dataclass(frozen=True)
class Planned:
    """One file's intended change. ``old_path``/``old`` are the file as read (``None``: a
    new file); ``new_path``/``new`` what it should become (``None``: the file goes)."""

    old_path: Path | None
    old: bytes | None
    new_path: Path | None
    new: bytes | None


@dataclass
class Outcome:
    """What a change or an undo did: the files it changed and the ones it refused."""

    change: Change | None
    changed: list[Path] = field(default_factory=list)
    refused: list[WriteRefusedError] = field(default_factory=list)
    rolled_back: bool = False
    applied: list[Step] = field(default_factory=list, repr=False)


def apply_change(journal: Journal, command: str, planned: Iterable[Planned], *,
                 all_or_nothing: bool = False) -> Outcome:
    """Record every planned change, then apply them; see the module notes."""
    recorder = journal.record(command)
    try:
        for plan in planned:
            recorder.add(_step(recorder, journal.root, plan))
    except BaseException:
        recorder.abort()
        raise
    if recorder.count == 0:
        recorder.abort()
        return Outcome(None)
    change = recorder.seal()
    outcome = _run(change, journal.root, list(change.steps()), forward=True,
                   stop_at_refusal=all_or_nothing)
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
    def side(path: Path | None, data: bytes | None) -> FileState | None:
        if path is None or data is None:
            return None
        return recorder.store(path.relative_to(root).as_posix(), data)

    return Step(side(plan.old_path, plan.old), side(plan.new_path, plan.new))


def _run(change: Change, root: Path, steps: list[Step], *, forward: bool,
         stop_at_refusal: bool) -> Outcome:
    outcome = Outcome(change)
    for step in steps:
        source, target = (step.before, step.after) if forward else (step.after, step.before)
        try:
            if _transition(change, root, source, target):
                outcome.changed.append(root / (target or source).path)  # type: ignore[union-attr]
            outcome.applied.append(step)
        except WriteRefusedError as refusal:
            outcome.refused.append(refusal)
            if stop_at_refusal:
                break
    return outcome


def _transition(change: Change, root: Path, source: FileState | None,
                target: FileState | None) -> bool:
    """Bring one file from ``source`` to ``target``; False when it is there already."""
    if source and target and source.path == target.path:
        return _rewrite(change, root / source.path, source, target)
    source_now = _current(root, source)
    target_now = _current(root, target)
    _check_side(root, source, source_now, target_now, target)
    moved = False
    if target and target_now is None:
        files.create_exclusive(root / target.path, change.content(target))
        moved = True
    if source and source_now is not None:
        files.remove_unchanged(root / source.path, source_now)
        moved = True
    return moved


def _rewrite(change: Change, path: Path, source: FileState, target: FileState) -> bool:
    now = files.read_if_present(path, max(source.at[1], target.at[1]))
    if now is not None and now.sha256 == target.sha256:
        return False
    if now is None or now.sha256 != source.sha256:
        raise UnsafeWriteError(path, _CHANGED if now else _GONE)
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


_CHANGED = "changed since postctl read it; left as it is"
_GONE = "was removed since postctl read it; left as it is"
