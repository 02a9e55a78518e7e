"""The journal: a durable record of every change postctl makes to a site's files.

Before the first file of a change is touched, the journal holds, for each file, its state
before (path and content) and after (path and content), flushed to disk. That is what makes
a change recoverable after a kill at any moment (docs/guarantees.md, "Batches") and what
``postctl undo`` restores from.

One folder per site (beside the site index, in the cache folder), one folder per change,
named so that they sort oldest first::

    20261204T103000.123456Z-4242/
        change.json   what ran: {"format", "command", "root", "started"}
        pack          every recorded content, back to back (old and new, deduplicated)
        steps.jsonl   one line per file: {"before": STATE, "after": STATE, "group": name};
                      a STATE is null (no file) or {"path": relative path, "sha256",
                      "at": [offset, size]}; steps of one group stand or fall together
        sealed        empty: every step is recorded and flushed; files may now change
        done          empty: every step was applied
        undone        empty: every step was put back

A change without ``sealed`` changed no file and is discarded. A change that is sealed but
neither done nor undone was interrupted: the next command says so. Contents are streamed to
the pack, so recording a large change does not hold its files in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

# Kept light to import: every command asks whether a change was interrupted
# (:func:`interruption_notice`); the modules that recording and undoing need are
# imported where they are used.

FORMAT = 1
KEEP_CHANGES = 50  # older finished changes are pruned when a new one starts

_SEALED, _DONE, _UNDONE = "sealed", "done", "undone"


class FileState(NamedTuple):
    """One side of a step: a file at ``path`` (relative to the site root) whose bytes have
    ``sha256``, stored in the pack at ``at`` (offset, size)."""

    path: str
    sha256: str
    at: tuple[int, int]

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "sha256": self.sha256, "at": list(self.at)}

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> FileState | None:
        if data is None:
            return None
        at = data["at"]
        assert isinstance(at, list) and len(at) == 2
        return cls(str(data["path"]), str(data["sha256"]), (int(at[0]), int(at[1])))


class Step(NamedTuple):
    """One file's change: ``before`` → ``after``; ``None`` on a side means no file there
    (a created or a removed file). A move has two different paths."""

    before: FileState | None
    after: FileState | None
    group: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.path for s in (self.before, self.after) if s))


class Change:
    """One recorded change: its steps, its contents and its state."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.id = folder.name

    @property
    def info(self) -> dict[str, str]:
        import json

        data = json.loads((self.folder / "change.json").read_text(encoding="utf-8"))
        return {key: str(value) for key, value in data.items()}

    @property
    def command(self) -> str:
        return self.info.get("command", "")

    @property
    def started(self) -> str:
        return self.info.get("started", "")

    @property
    def state(self) -> str:
        """``recording``, ``interrupted``, ``done`` or ``undone``."""
        if (self.folder / _UNDONE).exists():
            return "undone"
        if (self.folder / _DONE).exists():
            return "done"
        if (self.folder / _SEALED).exists():
            return "interrupted"
        return "recording"

    def steps(self) -> Iterator[Step]:
        import json

        with open(self.folder / "steps.jsonl", encoding="utf-8") as lines:
            for line in lines:
                data = json.loads(line)
                yield Step(FileState.from_json(data["before"]), FileState.from_json(data["after"]),
                           data.get("group"))

    def content(self, state: FileState) -> bytes:
        return self.contents([state])[0]

    def contents(self, states: list[FileState]) -> list[bytes]:
        """The recorded contents of ``states``, read with one opening of the pack; each is
        checked against its hash."""
        import hashlib

        found = []
        with open(self.folder / "pack", "rb") as pack:
            for state in states:
                offset, size = state.at
                pack.seek(offset)
                data = pack.read(size)
                if hashlib.sha256(data).hexdigest() != state.sha256:
                    raise OSError(f"{self.folder / 'pack'}: recorded content of {state.path} "
                                  "is damaged")
                found.append(data)
        return found

    def mark(self, state: str) -> None:
        """Record ``done`` or ``undone``, durably."""
        _write_durably(self.folder / state, b"")


class Recorder:
    """Writes one change's steps and contents, streaming, then seals it."""

    def __init__(self, change: Change) -> None:
        self.change = change
        self._pack = open(change.folder / "pack", "wb")
        self._steps = open(change.folder / "steps.jsonl", "w", encoding="utf-8")
        self._stored: dict[str, tuple[int, int]] = {}
        self._offset = 0
        self.count = 0

    def store(self, path: str, data: bytes, digest: str | None = None) -> FileState:
        """Keep ``data`` (the content of ``path`` on one side of a step) in the pack;
        ``digest``: its SHA-256 (hex), when it is known already."""
        if digest is None:
            import hashlib

            digest = hashlib.sha256(data).hexdigest()
        at = self._stored.get(digest)
        if at is None:
            self._pack.write(data)
            at = self._stored[digest] = (self._offset, len(data))
            self._offset += len(data)
        return FileState(path, digest, at)

    def add(self, step: Step) -> None:
        import json

        record = {"before": step.before.to_json() if step.before else None,
                  "after": step.after.to_json() if step.after else None, "group": step.group}
        self._steps.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1

    def seal(self) -> Change:
        """Flush everything to disk, then mark the change sealed: from here on files may
        change, and the journal can put them back."""
        for handle in (self._pack, self._steps):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        _fsync_folder(self.change.folder)
        self.change.mark(_SEALED)
        return self.change

    def abort(self) -> None:
        """Forget a change that touched no file."""
        import shutil

        for handle in (self._pack, self._steps):
            try:
                handle.close()
            except OSError:
                pass
        shutil.rmtree(self.change.folder, ignore_errors=True)


class Journal:
    """The recorded changes of one site, in ``folder``."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root

    def changes(self) -> list[Change]:
        """Every change that may have touched files, newest first."""
        try:
            names = sorted(os.listdir(self.folder), reverse=True)
        except OSError:  # no journal yet, or a cache folder that cannot be read
            return []
        found = [Change(self.folder / name) for name in names]
        return [change for change in found if change.state != "recording"]

    def interrupted(self) -> list[Change]:
        return [change for change in self.changes() if change.state == "interrupted"]

    def last_to_undo(self) -> Change | None:
        """The newest change that is not undone yet."""
        return next((c for c in self.changes() if c.state != "undone"), None)

    def record(self, command: str) -> Recorder:
        """Start recording a new change (pruning old finished ones first)."""
        import datetime as dt
        import json

        self._prune()
        now = dt.datetime.now(dt.timezone.utc)
        folder = self.folder / f"{now:%Y%m%dT%H%M%S.%f}Z-{os.getpid()}"
        folder.mkdir(parents=True, exist_ok=False)
        info = {"format": FORMAT, "command": command, "root": str(self.root),
                "started": now.isoformat(timespec="seconds")}
        (folder / "change.json").write_text(json.dumps(info, ensure_ascii=False),
                                            encoding="utf-8")
        return Recorder(Change(folder))

    def _prune(self) -> None:
        import shutil

        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return
        changes = [Change(self.folder / name) for name in names]
        for change in changes:  # recordings of processes that are gone touched nothing
            if change.state == "recording" and not _process_alive(change.id):
                shutil.rmtree(change.folder, ignore_errors=True)
        finished = [c for c in changes if c.state in ("done", "undone")]
        for change in finished[: max(0, len(finished) - KEEP_CHANGES)]:
            shutil.rmtree(change.folder, ignore_errors=True)


def _process_alive(change_id: str) -> bool:
    try:
        pid = int(change_id.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def interruption_notice(root: Path) -> str | None:
    """One line about the site's changes that were interrupted (a kill, a crash, Ctrl-C),
    or None: what ran, when, and how to put the files back or finish."""
    from postctl.site.cache import journal_dir

    stopped = Journal(journal_dir(root), root).interrupted()
    if not stopped:
        return None
    last = stopped[0]
    more = f" (and {len(stopped) - 1} earlier)" if len(stopped) > 1 else ""
    return (f"a change was interrupted: `{last.command}` of {last.started}{more}; "
            "`postctl undo` puts its files back, or run the same command again to finish it")
