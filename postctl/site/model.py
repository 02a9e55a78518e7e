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
POST_FOLDER_NAMES = ("_posts", "_drafts")
# The kernel's own file systems: no walk ever enters them, whatever the root.
SYSTEM_FOLDERS = frozenset({"/proc", "/sys", "/dev"})


@dataclass(frozen=True)
class PostFolder:
    """A folder that holds posts, and what holding them there means."""

    path: Path
    drafts: bool = False  # Jekyll _drafts
    categories: tuple[str, ...] = ()  # Jekyll: the folders above _posts
    hugo: bool = False
    url_prefix: str = ""  # Hugo: the language in the URL of its pages ("/fr"), if any
    languages: tuple[str, ...] = ()  # Hugo: the languages a file name may end with (a.fr.md)
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
    # Post folders not read, each said once: links that leave the site (as Jekyll's safe
    # mode, postctl reads no posts outside the site).
    outside: tuple[str, ...] = ()

    def relative(self, path: Path) -> str:
        """``path`` from the site root, '/'-separated; a path outside the site as given. The
        folders on the way are resolved, not the file itself: a link is named as a link."""
        try:
            real = Path(os.path.realpath(path.parent)) / path.name
            return real.relative_to(self.root).as_posix()
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
    """The nearest folder at or above ``start`` holding a marker file or a ``_posts`` or
    ``_drafts`` folder (a site with no config, seen from inside its ``_posts``), as git
    finds its repository; else ``start`` (resolved either way)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS) or any(
                (folder / name).is_dir() for name in POST_FOLDER_NAMES):
            return folder
    return start


def start_folder(path: str | os.PathLike[str] | None) -> Path | None:
    """Where to look for the site of ``path`` (a file or folder given on the command
    line): its folder, or the nearest existing folder above it (None: no path given)."""
    if path is None:
        return None
    folder = Path(path).expanduser().absolute()
    if not folder.is_dir():
        folder = folder.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def open_site(explicit_root: str | os.PathLike[str] | None = None, cwd: Path | None = None,
              *, require: bool = True) -> Site:
    """The site at the root :func:`find_root` finds. A root that holds no site (no site
    configuration, no posts folder) is a UsageError, and nothing is walked; without
    ``require`` it is a site without post folders (to read one file of it)."""
    from postctl.text.dates import zone

    root = find_root(explicit_root, cwd)
    config = load_config(root)
    flavour = config.flavour or _detect_flavour(root)
    if not is_site(root, config):
        if require:
            raise UsageError(no_site_message(root, config, chosen=bool(
                explicit_root or os.environ.get(ROOT_ENV))))
        return Site(root, config, flavour, zone(config.timezone), ())
    links: list[Path] = []  # the _posts and _drafts links of a Jekyll site (not followed)
    found = _post_folders(root, config, flavour, links)
    folders = tuple(_with_patterns(folder, root, config)
                    for folder in found if _inside(folder.path, root))
    outside = [folder.path for folder in found if not _inside(folder.path, root)]
    outside += [link for link in links if not _inside(link, root)]
    return Site(root, config, flavour, zone(config.timezone), folders, tuple(
        f"{_shown(path, root)} leads out of the site; its posts are not read"
        for path in outside))


def no_site_message(root: Path, config: Config, chosen: bool) -> str:
    """What was looked for and where, when ``root`` holds no site (``chosen``: given by
    --root or POSTCTL_ROOT, else found by walking up from the working folder)."""
    where = str(root) if chosen else f"{root} or any folder above it"
    if not chosen and (root / ".git").exists():
        where = f"{root} (the top of its git repository)"
    markers = ", ".join((POSTCTL_TOML, JEKYLL_CONFIG, *HUGO_CONFIGS))
    return (f"no site at {where}: looked for {markers}, or a _posts or {config.content_dir} "
            "folder; give the site's folder with --root")


def is_site(root: Path, config: Config) -> bool:
    """Whether ``root`` holds a site: a site configuration file, or a folder of posts (in
    it, or in a folder of it: Jekyll's ``docs/_posts``). Reads ``root`` alone, walks
    nothing."""
    if config.path is not None or config.hugo is not None or any((root / name).is_file()
                                      for name in (JEKYLL_CONFIG, *HUGO_CONFIGS)):
        return True
    if any((root / name).is_dir() for name in ("_posts", "_drafts", config.content_dir)):
        return True
    try:
        with os.scandir(root) as entries:
            folders = [entry.path for entry in entries
                       if entry.is_dir(follow_symlinks=False) and entry.name[0] not in "._"]
    except OSError:
        return False
    return any(os.path.isdir(os.path.join(folder, name)) for folder in folders
               for name in ("_posts", "_drafts"))


def _inside(folder: Path, root: Path) -> bool:
    """Whether ``folder``, its links followed, is inside the site (never in the kernel's
    own file systems)."""
    real = os.path.realpath(folder)
    return Path(real).is_relative_to(root) and not system_folder(real)


def system_folder(path: str) -> bool:
    """Whether ``path`` (absolute) is, or is in, one of the kernel's own file systems, which
    no walk enters."""
    path = "/" + path.strip("/")  # a walk from / names its folders //proc
    return any(path == name or path.startswith(name + "/") for name in SYSTEM_FOLDERS)


def holds_system_folders(path: str) -> bool:
    """Whether the folder at ``path`` (absolute) holds one of the kernel's own file systems
    (it is ``/``): only there need a walk look for them."""
    path = "/" + path.strip("/")
    return any(os.path.dirname(name) == path for name in SYSTEM_FOLDERS)


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _detect_flavour(root: Path) -> str:
    if (root / "_posts").is_dir() or (root / JEKYLL_CONFIG).is_file():
        return "jekyll"
    if (root / "content").is_dir() or any((root / name).is_file() for name in HUGO_CONFIGS):
        return "hugo"
    return "jekyll"


def _post_folders(root: Path, config: Config, flavour: str, links: list[Path],
                  ) -> tuple[PostFolder, ...]:
    if flavour == "hugo":
        if config.posts_dirs is None and config.hugo is not None:
            names = tuple(name for name, _ in config.hugo.languages)
            return tuple(PostFolder(root / language.content_dir, hugo=True,
                                    url_prefix=language.prefix, languages=names)
                         for language in config.hugo.content_dirs)
        names = config.posts_dirs or (config.content_dir,)
        return tuple(PostFolder(root / name, hugo=True) for name in names)
    if config.posts_dirs is not None:
        posts = [PostFolder(root / name) for name in config.posts_dirs]
        drafts = [PostFolder(root / name, drafts=True) for name in config.drafts_dirs or ()]
        return tuple(posts + drafts)
    return tuple(_find_jekyll_folders(root, frozenset(config.exclude), links))


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


def _find_jekyll_folders(root: Path, excluded: frozenset[str], links: list[Path],
                         ) -> list[PostFolder]:
    """Every ``_posts`` and ``_drafts`` folder, nested ones included (``news/_posts``).
    Folder links are not followed; ``links`` receives those named ``_posts`` or ``_drafts``."""
    found: list[PostFolder] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            folder_link = entry.name in ("_posts", "_drafts") and entry.is_symlink()
            if (not (folder_link or entry.is_dir(follow_symlinks=False))
                    or entry.name.startswith(".") or system_folder(entry.path)):
                continue
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            if entry.name in excluded or _excluded(rel, excluded):
                continue
            if folder_link:
                links.append(path)
            elif entry.name in ("_posts", "_drafts"):
                categories = tuple(path.parent.relative_to(root).parts)
                found.append(PostFolder(path, entry.name == "_drafts", categories))
            elif not entry.name.startswith("_") or entry.name in ("_collections",):
                pending.append(path)
    found.sort(key=lambda folder: (folder.drafts, len(folder.path.parts), str(folder.path)))
    return found
