"""A change to many posts, planned file by file: each file read once, edited, verified.

:func:`plan_files` reads each post (a stamped read: :mod:`postctl.edit.files`), asks what to
change in its front matter, applies the edits (:mod:`postctl.edit.splice`), verifies the
result (:mod:`postctl.edit.verify`) and yields a :class:`FilePlan`: the old and new bytes and,
per key, the value before and after. A post that cannot be edited is yielded as
:class:`Unchanged` with the reason, and the others go on (docs/guarantees.md: Batches).
Plans are yielded one at a time, so a change of many files is recorded in the journal
(:func:`postctl.edit.changes.apply_change`) without holding them all in memory. Many files
are planned by forked worker processes (reading, editing and verifying YAML is CPU-bound),
a few chunks ahead of the journal at most, in order.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from postctl.edit import files as fsio
from postctl.edit.changes import Planned
from postctl.edit.edits import Edit, UneditableError
from postctl.edit.json_text import as_json
from postctl.edit.splice import apply_edits
from postctl.edit.verify import expected_values, verify_rewrite
from postctl.errors import PostctlError
from postctl.site.model import Site
from postctl.text.front_matter import load_front_matter
from postctl.text.reading import FileStamp
from postctl.text.source import split_source


class _Absent(enum.Enum):
    ABSENT = "absent"  # an enum member: it stays itself through a worker's pickle


ABSENT = _Absent.ABSENT  # a KeyChange side where the key is not there
CHUNK = 128  # files one worker plans at a time
_worker_state: dict[str, Any] = {}  # what forked workers inherit: the site, rels, edits_for

# What to change in a post (its path, front-matter values and kind: yaml, toml or json):
# edits, or the reason it is left as it is.
EditsFor = Callable[[Path, Mapping[str, Any], str], "list[Edit] | str"]


@dataclass(frozen=True)
class KeyChange:
    """One key of one post: its value before and after (:data:`ABSENT`: not there)."""

    key: str
    before: object
    after: object


@dataclass(frozen=True)
class FilePlan:
    """One post's change: its bytes as read and as they are to be, and what that changes."""

    rel: str
    path: Path
    old: bytes
    new: bytes
    changes: tuple[KeyChange, ...]
    stamp: FileStamp | None = None  # the read ``old`` comes from

    def planned(self) -> Planned:
        return Planned(self.path, self.old, self.path, self.new, stamp=self.stamp)


@dataclass(frozen=True)
class Unchanged:
    """A post left as it is: ``reason`` says why; ``failed`` when that is a failure (the
    post cannot be read or edited), not for a note."""

    rel: str
    reason: str
    failed: bool = False


def plan_files(site: Site, rels: Sequence[str],
               edits_for: EditsFor) -> Iterator[FilePlan | Unchanged]:
    """A plan for each post of ``rels`` (paths relative to the site root) that changes, and
    an :class:`Unchanged` for each that cannot, or that ``edits_for`` gives a reason for."""
    from postctl.site.workers import may_fork, worker_count

    processes = worker_count(len(rels))
    if processes > 1 and may_fork(0, len(rels)):
        yield from _forked(site, rels, edits_for, processes)
        return
    for rel in rels:
        found = plan_one(site, rel, edits_for)
        if found is not None:
            yield found


def plan_one(site: Site, rel: str, edits_for: EditsFor) -> FilePlan | Unchanged | None:
    """The plan of one post (None: nothing to change)."""
    try:
        return _plan(site.root / rel, rel, site.config.limits.max_file_bytes, edits_for)
    except PostctlError as error:
        return Unchanged(rel, _reason(error), failed=True)


def _forked(site: Site, rels: Sequence[str], edits_for: EditsFor,
            processes: int) -> Iterator[FilePlan | Unchanged]:
    """The plans of ``rels``, in order, made by ``processes`` forked workers, with at most
    two chunks per worker waiting to be taken."""
    import multiprocessing
    from collections import deque

    _worker_state.update(site=site, rels=rels, edits_for=edits_for)
    chunks = iter(range(0, len(rels), CHUNK))
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            waiting = deque(pool.apply_async(_plan_chunk, (start,))
                            for start in itertools.islice(chunks, 2 * processes))
            while waiting:
                found = waiting.popleft().get()
                for start in itertools.islice(chunks, 1):
                    waiting.append(pool.apply_async(_plan_chunk, (start,)))
                yield from found
    finally:
        _worker_state.clear()


def _plan_chunk(start: int) -> list[FilePlan | Unchanged]:
    site, rels, edits_for = (_worker_state[key] for key in ("site", "rels", "edits_for"))
    found = (plan_one(site, rel, edits_for) for rel in rels[start : start + CHUNK])
    return [item for item in found if item is not None]


def _plan(path: Path, rel: str, max_bytes: int,
          edits_for: EditsFor) -> FilePlan | Unchanged | None:
    raw, stamp = fsio.read_for_rewrite(path, max_bytes)
    source = split_source(raw, path)
    meta = load_front_matter(source.kind, source.fm_text, path, source.fm_line, positions=False)
    values = meta.values
    wanted = edits_for(path, values, source.kind)
    if isinstance(wanted, str):
        return Unchanged(rel, wanted)
    edits = [_written(edit) for edit in wanted] if source.kind == "json" else wanted
    if not edits:
        return None
    try:
        new = apply_edits(source, edits)
    except UneditableError as exc:
        raise UneditableError(exc.key, exc.reason, path) from None
    if new == raw:
        return None
    verify_rewrite(source, new, edits, meta)
    return FilePlan(rel, path, raw, new, _key_changes(values, edits), stamp)


def _written(edit: Edit) -> Edit:
    """An edit of JSON front matter, with its value as JSON holds it (dates as text)."""
    return replace(edit, value=as_json(edit.value)) if edit.op in ("set", "insert") else edit


def _key_changes(values: Mapping[str, Any], edits: Sequence[Edit]) -> tuple[KeyChange, ...]:
    after = expected_values(dict(values), edits)
    keys = dict.fromkeys(edit.key for edit in edits)
    return tuple(KeyChange(key, values.get(key, ABSENT), after.get(key, ABSENT)) for key in keys)


def _reason(error: PostctlError) -> str:
    """The error without the path it starts with (the report names the file)."""
    if isinstance(error, UneditableError):
        return f"{error.key}: {error.reason}; edit this key by hand"
    message = getattr(error, "message", None)
    return str(message) if message else str(error)
