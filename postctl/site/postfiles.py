"""Which files of a site are posts: one rule for every command (the walk behind ``list``,
``search`` and the site index, the scan, lint's targets, ``preview``).

Jekyll, as its PostReader and EntryFilter read ``_posts`` and ``_drafts`` (at the site root
or under category folders such as ``news/_posts``; subfolders are read too):

- a file of ``_posts`` is a post when its own name is ``YYYY-MM-DD-slug.ext``
  (DATE_FILENAME_MATCHER, on the last path component; any extension), a file of
  ``_drafts`` when its name has an extension. No front matter is needed: Jekyll publishes a
  dated file without one (its own test site holds ``_posts/2009-06-22-no-yaml.markdown``);
- skipped: a name starting with ``_``, ``#`` or ``~`` right in the folder, a file name
  starting with them at any depth, a file name ending with ``~`` (a backup) or ``.``, and
  every hidden name (a leading ``.``), at any depth;
- skipped: a path the site's ``exclude`` names (matched from the site root as Jekyll does: a
  glob whose ``*`` also crosses ``/``, or a plain prefix), unless ``include`` names it;
- never posts: data files (``.yml``, ``.yaml``: Jekyll reads them as data and drops them)
  and files whose extension marks them binary (images, audio, video, archives, fonts, PDF:
  Jekyll reads them and drops them, their bytes not being UTF-8 text).

A Markdown file of ``_posts`` without the date is no post (Jekyll skips it silently); lint
checks it anyway, to say so (:meth:`PostNames.undated_file`).

Hugo (``content/``): a Markdown file (``.md``, ``.markdown``, ``.mdown``, in any case) is a
page, ``_index.md`` included (a section's or the home page's own page:
:mod:`postctl.post.hugo_page` gives its kind); a folder holding
``index.md`` (or ``index.fr.md``, fr one of the site's languages) is a page bundle, whose
other files and subfolders are the page's resources;
names starting with ``.`` or ``#`` or ending with ``~`` are skipped (Hugo's source filter).
A folder configured in ``postctl.toml`` under another name holds its Markdown files,
filtered as Jekyll filters ``_posts``.

The test is on names only (no stat, no read): the walk applies it to every name it lists.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Collection, Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from postctl.site.model import PostFolder, Site

__all__ = ["BUNDLE_INDEXES", "POST_EXTENSIONS", "PostNames", "folder_patterns",
           "post_kind_of_path"]

POST_EXTENSIONS = (".md", ".markdown")  # Markdown: Hugo pages, posts of configured folders
HUGO_EXTENSIONS = (".md", ".markdown", ".mdown")  # Hugo's Markdown, in any case
BUNDLE_INDEXES = ("index.md", "index.markdown")
# Jekyll's DATE_FILENAME_MATCHER on the last path component.
_DATED_NAME = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-.*\.[^.]+\Z", re.DOTALL | re.ASCII)
_SPECIAL = (".", "_", "#", "~")  # Jekyll's EntryFilter: leading characters it skips
_HUGO_SKIPPED = (".", "#")
# Extensions of files that are never posts: Jekyll's data files, and binary formats.
_NEVER_POSTS = frozenset((
    ".yml", ".yaml",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
    ".heic", ".mp3", ".m4a", ".ogg", ".wav", ".flac", ".mp4", ".m4v", ".mov", ".webm",
    ".avi", ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".woff", ".woff2",
    ".ttf", ".otf", ".eot",
))
_GLOB = re.compile(r"[*?\[]")


class PostNames:
    """The rule for the files of one post folder, applied name by name.

    ``where`` is the folder a name is in, relative to the post folder: ``""`` for the
    post folder itself, else ending with ``/``.
    """

    def __init__(self, folder: PostFolder, root: str | Path) -> None:
        self.folder = folder
        self.hugo = folder.hugo
        self.dated = not folder.hugo and not folder.drafts and folder.path.name == "_posts"
        self.dateless = folder.drafts
        self._exclude = folder.exclude
        self._include = folder.include
        self._prefix = _site_path(folder.path, root) if folder.exclude else ""
        # Hugo: index.md, and index.fr.md where fr is one of the site's languages.
        self.bundle_indexes = BUNDLE_INDEXES + tuple(
            f"index.{language}{extension}" for language in folder.languages
            for extension in (".md", ".markdown"))

    def walks_into(self, name: str, where: str) -> bool:
        """Whether the walk reads the subfolder ``name`` (of ``where``)."""
        if self.hugo:
            return not (name.startswith(_HUGO_SKIPPED) or name.endswith("~"))
        return not name.startswith(_SPECIAL if not where else ".")

    def post_file(self, name: str, where: str) -> bool:
        """Whether the file ``name`` (of ``where``) is a post."""
        if self.hugo:
            return (name.lower().endswith(HUGO_EXTENSIONS)
                    and not name.startswith(_HUGO_SKIPPED))
        if self.dated:
            matched = _DATED_NAME.match(name) is not None
        elif self.dateless:
            matched = _has_extension(name)
        else:
            matched = name.endswith(POST_EXTENSIONS)
        return (matched and not _skipped_file(name) and _extension(name) not in _NEVER_POSTS
                and not self._excluded(where + name))

    def undated_file(self, name: str, where: str) -> bool:
        """Whether the file ``name`` is a Markdown file of ``_posts`` that Jekyll skips for
        want of a date in its name (no post, but lint says so)."""
        return (self.dated and name.endswith(POST_EXTENSIONS) and not _skipped_file(name)
                and _DATED_NAME.match(name) is None and not self._excluded(where + name))

    def bundle(self, names: Collection[str]) -> list[str] | None:
        """Hugo: the index files of a page bundle, when ``names`` (a folder's entries) make
        one (its other files and folders are then resources); None otherwise."""
        if not self.hugo:
            return None
        found = [name for name in self.bundle_indexes if name in names]
        return found or None

    def _excluded(self, inside: str) -> bool:
        if not self._exclude:
            return False
        path = self._prefix + inside
        return _matches(self._exclude, path) and not _matches(self._include, path)


def _site_path(folder: Path, root: str | Path) -> str:
    """The folder's path from the site root, ending with ``/``, as patterns name it."""
    try:
        return folder.relative_to(root).as_posix() + "/"
    except ValueError:
        return folder.as_posix() + "/"


def _skipped_file(name: str) -> bool:
    """Jekyll's EntryFilter on a file's own name (at any depth)."""
    return name.startswith(_SPECIAL) or name.endswith(("~", "."))


def _has_extension(name: str) -> bool:
    """Jekyll's DATELESS_FILENAME_MATCHER on the last path component."""
    _, dot, extension = name.rpartition(".")
    return bool(dot) and bool(extension)


def _extension(name: str) -> str:
    return name[name.rfind("."):].lower() if "." in name else ""


def _matches(patterns: Iterable[str], path: str) -> bool:
    """Jekyll's glob_include?: a pattern from the site root matches as a glob (Ruby's
    File.fnmatch without flags: ``*`` crosses ``/``) or as a plain prefix of the path."""
    return any(path.startswith(pattern) or fnmatch.fnmatchcase(path, pattern)
               for pattern in patterns)


def folder_patterns(folder: Path, root: Path, patterns: Iterable[str]) -> tuple[str, ...]:
    """The ``exclude``/``include`` patterns that may match a path inside ``folder``, ready
    for matching (no leading ``/``, Ruby's ``[^`` written ``[!``); usually none."""
    if not folder.is_relative_to(root):
        return ()
    inside = _site_path(folder, root)
    found = []
    for written in patterns:
        pattern = written.lstrip("/").replace("[^", "[!")
        glob = _GLOB.search(pattern)
        literal = pattern[: glob.start()] if glob else pattern
        if pattern and (literal.startswith(inside) or inside.startswith(literal)):
            found.append(pattern)
    return tuple(found)


def post_kind_of_path(folder: PostFolder, root: Path, path: Path) -> str | None:
    """``"post"``, ``"undated"`` (a Markdown file of ``_posts`` without the date) or None
    for the file at ``path`` inside ``folder``, by the walk's rule. Reads nothing but, for
    Hugo, whether a folder on the way is a page bundle."""
    names = PostNames(folder, root)
    parts = PurePosixPath(path.relative_to(folder.path).as_posix()).parts
    where = ""
    current = folder.path
    for part in parts[:-1]:
        if not names.walks_into(part, where) or _is_bundle(names, current):
            return None
        where += part + "/"
        current = current / part
    name = parts[-1]
    bundle = _is_bundle(names, current)
    if bundle and name not in names.bundle_indexes:
        return None
    if names.post_file(name, where):
        return "post"
    return "undated" if names.undated_file(name, where) else None


def _is_bundle(names: PostNames, folder: Path) -> bool:
    return names.hugo and any((folder / index).is_file() for index in names.bundle_indexes)


def count_posts(site: Site, limit: int) -> int:
    """The number of post files, counted up to ``limit`` (names only: no stat calls, and a
    large folder is read only until the limit is reached)."""
    count = 0
    for folder in site.folders:
        names = PostNames(folder, site.root)
        top = str(folder.path)
        pending = [(top, "")]
        while pending and count < limit:
            directory, where = pending.pop()
            try:
                entries = os.scandir(directory)
            except OSError:
                continue
            with entries:
                for entry in entries:
                    name = entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if names.walks_into(name, where):
                            pending.append((entry.path, f"{where}{name}/"))
                    elif names.post_file(name, where):
                        count += 1
                        if count >= limit:
                            return count
    return count
