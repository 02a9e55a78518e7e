"""The site: where its root is, which flavour it is, and which folders hold posts."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from postctl.errors import UsageError
from postctl.site.config import HUGO_CONFIGS, JEKYLL_CONFIG, POSTCTL_TOML, Config, load_config

ROOT_ENV = "POSTCTL_ROOT"
ROOT_MARKERS = (POSTCTL_TOML, JEKYLL_CONFIG, *HUGO_CONFIGS, ".git")


@dataclass(frozen=True)
class PostFolder:
    """A folder that holds posts, and what holding them there means."""

    path: Path
    drafts: bool = False  # Jekyll _drafts
    categories: tuple[str, ...] = ()  # Jekyll: the folders above _posts
    hugo: bool = False
    # The site's exclude and include patterns that may match a path inside the folder
    # (``postctl.site.postfiles``): usually none.
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    root: Path
    config: Config
    flavour: str  # "jekyll" | "hugo"
    tz: dt.tzinfo
    folders: tuple[PostFolder, ...]

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def posts_folder(self) -> Path:
        """Where new posts go: the first non-draft folder, or the flavour's default."""
        for folder in self.folders:
            if not folder.drafts:
                return folder.path
        return self.root / ("_posts" if self.flavour == "jekyll" else self.config.content_dir)

    @property
    def drafts_folder(self) -> Path:
        for folder in self.folders:
            if folder.drafts:
                return folder.path
        return self.root / "_drafts"


def find_root(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """``--root``, else ``$POSTCTL_ROOT``, else the nearest folder with a marker file."""
    chosen = explicit or os.environ.get(ROOT_ENV)
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise UsageError(f"site root {str(root)!r} does not exist or is not a folder")
        return root.resolve()
    return nearest_root(cwd or Path.cwd())


def nearest_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a marker file, else ``start``
    (resolved either way)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return start


def open_site(explicit_root: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Site:
    from postctl.text.dates import zone

    root = find_root(explicit_root, cwd)
    config = load_config(root)
    flavour = config.flavour or _detect_flavour(root)
    folders = tuple(_with_patterns(folder, root, config)
                    for folder in _post_folders(root, config, flavour))
    return Site(root, config, flavour, zone(config.timezone), folders)


def _detect_flavour(root: Path) -> str:
    if (root / "_posts").is_dir() or (root / JEKYLL_CONFIG).is_file():
        return "jekyll"
    if (root / "content").is_dir() or any((root / name).is_file() for name in HUGO_CONFIGS):
        return "hugo"
    return "jekyll"


def _post_folders(root: Path, config: Config, flavour: str) -> tuple[PostFolder, ...]:
    if flavour == "hugo":
        names = config.posts_dirs or (config.content_dir,)
        return tuple(PostFolder(root / name, hugo=True) for name in names)
    if config.posts_dirs is not None:
        posts = [PostFolder(root / name) for name in config.posts_dirs]
        drafts = [PostFolder(root / name, drafts=True) for name in config.drafts_dirs or ()]
        return tuple(posts + drafts)
    return tuple(_find_jekyll_folders(root, frozenset(config.exclude)))


def _with_patterns(folder: PostFolder, root: Path, config: Config) -> PostFolder:
    from dataclasses import replace

    from postctl.site.postfiles import folder_patterns

    exclude = folder_patterns(folder.path, root, config.exclude)
    if not exclude:
        return folder
    return replace(folder, exclude=exclude,
                   include=folder_patterns(folder.path, root, config.include))


def _excluded(rel: str, patterns: frozenset[str]) -> bool:
    """Jekyll's ``exclude`` test: a path or glob from the root; ``docs/`` names a folder."""
    for name in patterns:
        pattern = name.strip("/")
        if pattern and (rel == pattern or rel.startswith(pattern + "/")
                        or fnmatch.fnmatchcase(rel, pattern)):
            return True
    return False


def _find_jekyll_folders(root: Path, excluded: frozenset[str]) -> list[PostFolder]:
    """Every ``_posts`` and ``_drafts`` folder, nested ones included (``news/_posts``)."""
    found: list[PostFolder] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False) or entry.name.startswith("."):
                continue
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if entry.name in excluded or _excluded(rel, excluded):
                continue
            if entry.name in ("_posts", "_drafts"):
                categories = tuple(path.parent.relative_to(root).parts)
                found.append(PostFolder(path, entry.name == "_drafts", categories))
            elif not entry.name.startswith("_") or entry.name in ("_collections",):
                pending.append(path)
    found.sort(key=lambda folder: (folder.drafts, len(folder.path.parts), str(folder.path)))
    return found
