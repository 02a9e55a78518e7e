"""A post's lifecycle changes (``publish``, ``unpublish``, ``rename``) as one plan, and the
one way such a plan is written.

A plan says everything before anything is written: the post's new path and bytes, the
front-matter keys that change, the posts whose references to it are rewritten, its URL
before and after. :func:`apply_plan` hands it to :func:`postctl.edit.changes.apply_change`
as one all-or-nothing change: recorded in the journal first (``postctl undo`` puts it
back), each file written only if it is still as it was read, a move never replacing a file,
and everything already changed put back when any step is refused
(docs/guarantees.md: Writes, Batches).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from postctl.errors import UnsafeWriteError, WriteRefusedError, display_path
from postctl.post.model import Post, parse_post
from postctl.site.model import PostFolder, Site

__all__ = ["ChangeRefusedError", "FieldChange", "FileChange", "LifecyclePlan", "apply_plan",
           "check_target", "planned_post", "post_folder", "require_post", "sibling_folder"]


@dataclass(frozen=True)
class FieldChange:
    """One front-matter key changed: ``set``, ``insert`` or ``delete``, its new value and
    that value's text as written."""

    key: str
    op: str
    value: object = None
    text: str = ""


@dataclass(frozen=True)
class FileChange:
    """One file: as read, and as it will be (another path for a move); ``references`` is
    how many references to the post were rewritten in it."""

    old_path: Path
    new_path: Path
    old: bytes
    new: bytes
    references: int = 0


@dataclass(frozen=True)
class LifecyclePlan:
    """What a command will do to a post and to the posts that refer to it."""

    command: str
    post: Post
    new_path: Path
    old_url: str | None = None
    new_url: str | None = None
    fields: tuple[FieldChange, ...] = ()
    files: tuple[FileChange, ...] = ()  # the post first, then the referring posts
    notes: tuple[str, ...] = ()  # what the person should know (nothing to do, a lost date...)

    @property
    def changed(self) -> bool:
        return bool(self.files)

    @property
    def moved(self) -> bool:
        return self.new_path != self.post.path


class ChangeRefusedError(UnsafeWriteError):
    """A lifecycle change stopped for safety; every file it had changed was put back."""


def post_folder(site: Site, path: Path) -> PostFolder:
    """The post folder that holds ``path`` (the path need not exist yet)."""
    from postctl.site.scan import PostLoader

    return PostLoader(site).folder_of(path)


def require_post(site: Site, post: Post, command: str) -> None:
    """Only a post of the site (by the rule of :mod:`postctl.site.postfiles`) is published,
    unpublished or renamed: a page, a section list or a file outside the post folders is not."""
    from postctl.errors import UsageError
    from postctl.site.postfiles import post_kind_of_path

    if not any(post.path.is_relative_to(folder.path) for folder in site.folders) or \
            post_kind_of_path(post_folder(site, post.path), site.root, post.path) != "post":
        raise UsageError(f"{display_path(post.path)}: not a post of the site (not in its post "
                         f"folders, or a file they skip); {command} changes posts only")


def sibling_folder(site: Site, folder: PostFolder, drafts: bool) -> Path:
    """Jekyll: the ``_drafts`` (or ``_posts``) folder beside ``folder`` (``news/_posts`` →
    ``news/_drafts``); for folders named in the config, the site's first one of that kind."""
    if folder.path.name in ("_posts", "_drafts"):
        return folder.path.parent / ("_drafts" if drafts else "_posts")
    return site.drafts_folder if drafts else site.posts_folder


def check_target(source: Path, target: Path) -> None:
    """A move to ``target`` never replaces a file: refused when it exists, also when a
    file there differs from its name only in case (one file on a case-insensitive disk)."""
    if target == source:
        return
    refusal = f"cannot move to {display_path(target)}: "
    if os.path.lexists(target):
        raise UnsafeWriteError(source, refusal + "that file exists; nothing was changed")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    folded = target.name.casefold()
    for name in names:
        if name.casefold() == folded and target.parent / name != source:
            raise UnsafeWriteError(source, refusal + f"{name} exists there (a name differing "
                                   "only in case); nothing was changed")


def planned_post(site: Site, path: Path, data: bytes) -> Post:
    """The post that ``data`` will be at ``path``: what its URL and facts will be."""
    from postctl.site.scan import PostLoader

    loader = PostLoader(site)
    context = loader.context(path, loader.folder_of(path))
    return parse_post(data, path, context, site.config.limits.max_front_matter_bytes)


def post_url_of(site: Site, post: Post) -> str | None:
    from postctl.site.urls import post_url

    return post_url(post, site)


def apply_plan(site: Site, plan: LifecyclePlan, command: str | None = None) -> list[Path]:
    """Write ``plan`` as one all-or-nothing change, recorded as ``command`` (the command
    line; by default the verb and the post); the files written. Raises ChangeRefusedError
    naming what was refused (nothing is left changed)."""
    from postctl.edit.changes import Planned, apply_change
    from postctl.edit.journal import Journal
    from postctl.site.cache import journal_dir

    if not plan.changed:
        return []
    made = _make_folders([change.new_path.parent for change in plan.files])
    steps = [Planned(change.old_path, change.old, change.new_path, change.new)
             for change in plan.files]
    journal = Journal(journal_dir(site.root), site.root)
    try:
        outcome = apply_change(journal, command or f"{plan.command} {plan.post.rel_path}",
                               steps, all_or_nothing=True)
    except BaseException:
        _remove_empty(made)
        raise
    if outcome.refused:
        _remove_empty(made)
        raise _refused(plan, outcome.refused, outcome.rolled_back)
    return outcome.changed


def _refused(plan: LifecyclePlan, refused: Sequence[WriteRefusedError],
             rolled_back: bool) -> ChangeRefusedError:
    first = refused[0]
    path = getattr(first, "path", plan.post.path)
    reason = str(getattr(first, "message", None) or first)
    if rolled_back:
        return ChangeRefusedError(path, f"{reason}; {plan.command} changed nothing (every file "
                                  "is as it was)")
    others = "; ".join(str(error) for error in refused[1:])
    return ChangeRefusedError(path, f"{reason}; and could not put back: {others} "
                              "(`postctl undo` may)")


def _make_folders(folders: Sequence[Path]) -> list[Path]:
    """Create the missing ``folders``; the ones created, deepest first."""
    made: list[Path] = []
    for folder in dict.fromkeys(folders):
        missing = [folder, *folder.parents]
        missing = missing[: next(index for index, path in enumerate(missing) if path.exists())]
        if missing:
            from postctl.edit.files import make_folders

            make_folders(folder)
            made.extend(missing)
    return made


def _remove_empty(folders: Sequence[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass
