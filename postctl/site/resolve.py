"""Turn a POST argument (a path, a slug, or words) into the post it names.

In order, the first rule that gives an answer wins:

1. **A path** to an existing file (relative to the working folder, else to the site root)
   is that file, even outside the post folders. An argument that looks like a path
   (it has a ``/`` or ends in ``.md``/``.markdown``) but names no file is an error.
2. **A slug or file name**: the post whose file name without extension, file name without
   its date prefix, or front-matter ``slug`` equals the argument (exactly, then ignoring
   case). File names are matched before any file is parsed.
3. **Words**, ranked: posts whose title is the argument (ignoring case and accents), else
   posts whose title holds every word, else posts that hold every word anywhere, ranked as
   ``postctl search`` ranks them (the caller passes its ranked query as ``search``; without
   one, posts whose title, tags, categories or body hold every word, most occurrences
   first). Title matches come best first: most of the title covered, then the newest.

Drafts are included: previewing a post before publishing it is the point. Posts that cannot
be parsed are skipped while searching, but one named by its path or file name is reported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from postctl.errors import AmbiguousPostError, PostNotFoundError, SourceError
from postctl.post.model import Post
from postctl.site.model import Site
from postctl.site.postfiles import POST_EXTENSIONS
from postctl.site.scan import PostFile, PostLoader, iter_post_files
from postctl.text.dates import filename_date

__all__ = ["MAX_CANDIDATES", "Match", "find_posts", "looks_like_path", "named_files",
           "resolve_path", "resolve_post"]

MAX_CANDIDATES = 20
_Keys = Callable[[Post], list[str]]
# A ranked full-text query: words → paths relative to the site root, best first; None when
# the words are not a query it can run (then the posts are scanned instead).
SearchFn = Callable[[str], "Sequence[str] | None"]


@dataclass(frozen=True)
class Match:
    """The posts an argument names, best first, and which rule found them."""

    posts: tuple[Post, ...]
    rule: str  # "path" | "slug" | "title" | "title words" | "words" | "none"


def looks_like_path(reference: str) -> bool:
    return "/" in reference or os.sep in reference or reference.endswith(POST_EXTENSIONS)


def resolve_path(site: Site, reference: str, cwd: Path | None = None) -> Path | None:
    """The existing file ``reference`` names, or None when it is not a path.

    Raises PostNotFoundError for a path-like argument that names no file.
    """
    folder = cwd or Path.cwd()
    for base in (folder, site.root):
        candidate = base / reference
        if candidate.is_file():
            return candidate.resolve() if not candidate.is_symlink() else candidate
    if looks_like_path(reference):
        raise PostNotFoundError(f"no such post file: {reference}")
    return None


def resolve_post(
    site: Site, reference: str, cwd: Path | None = None, search: SearchFn | None = None
) -> Post:
    """The one post ``reference`` names; PostNotFoundError or AmbiguousPostError otherwise."""
    match = find_posts(site, reference, cwd, search)
    if len(match.posts) == 1:
        return match.posts[0]
    if not match.posts:
        raise PostNotFoundError(f"no post matches {reference!r}")
    raise AmbiguousPostError(reference, [post.rel_path for post in match.posts])


def find_posts(
    site: Site, reference: str, cwd: Path | None = None, search: SearchFn | None = None
) -> Match:
    """Every post ``reference`` could name, best first (at most MAX_CANDIDATES)."""
    reference = reference.strip()
    if not reference:
        raise PostNotFoundError("no post named: the argument is empty")
    loader = PostLoader(site)
    path = resolve_path(site, reference, cwd)
    if path is not None:
        return Match((loader.load(path),), "path")
    files = [item for item in iter_post_files(site) if item.skip_reason is None]
    by_name = _slug_matches(reference, files, loader)
    if by_name:
        return Match(tuple(by_name[:MAX_CANDIDATES]), "slug")
    posts = list(_load_all(files, loader))
    by_front_matter_slug = _exact_or_folded(reference, posts, lambda post: [post.slug])
    if by_front_matter_slug:
        return Match(tuple(by_front_matter_slug[:MAX_CANDIDATES]), "slug")
    for rule, found in _word_tiers(reference, posts, search):
        if found:
            return Match(tuple(found[:MAX_CANDIDATES]), rule)
    return Match((), "none")


# --- slugs and file names ------------------------------------------------------------------


def _name_keys(name: str) -> list[str]:
    stem = PurePosixPath(name).stem
    dated = filename_date(stem)
    return [stem, dated[1]] if dated else [stem]


def _slug_matches(reference: str, files: list[PostFile], loader: PostLoader) -> list[Post]:
    """Posts whose file name (with or without date prefix) is ``reference``; parsed lazily."""
    return [loader.load(Path(item.path), item.folder) for item in named_files(reference, files)]


def named_files(reference: str, files: Iterable[PostFile]) -> list[PostFile]:
    """The files whose name without extension, with or without its date prefix, is
    ``reference`` (exactly, else ignoring case); none is parsed."""
    if any(char.isspace() for char in reference):
        return []
    named = [(item, _name_keys(os.path.basename(item.path))) for item in files]
    hits = [item for item, keys in named if reference in keys]
    if not hits:
        folded = reference.casefold()
        hits = [item for item, keys in named if folded in (key.casefold() for key in keys)]
    return hits


def _load_all(files: Iterable[PostFile], loader: PostLoader) -> Iterator[Post]:
    for item in files:
        try:
            yield loader.load(Path(item.path), item.folder)
        except SourceError:
            continue


def _exact_or_folded(reference: str, posts: list[Post], keys: _Keys) -> list[Post]:
    exact = [post for post in posts if reference in keys(post)]
    if exact:
        return exact
    folded = reference.casefold()
    return [post for post in posts if folded in (key.casefold() for key in keys(post))]


# --- words ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    from postctl.text.textify import tokens

    return [word for word, _start, _end in tokens(text)]


def _word_tiers(
    reference: str, posts: list[Post], search: SearchFn | None
) -> Iterator[tuple[str, list[Post]]]:
    query = _words(reference)
    if not query:
        return
    wanted = set(query)
    titled = [(post, _words(post.title or "")) for post in posts]
    yield "title", _newest_first([post for post, words in titled if words == query])
    in_title = [(post, words) for post, words in titled if wanted <= set(words)]
    in_title.sort(key=lambda pair: (-len(wanted) / max(len(pair[1]), 1), -_timestamp(pair[0])))
    yield "title words", [post for post, _words_ in in_title]
    ranked = search(reference) if search is not None else None
    if ranked is None:
        yield "words", _search(wanted, posts)
        return
    by_path = {post.rel_path: post for post in posts}
    yield "words", [by_path[path] for path in ranked if path in by_path]


def _search(wanted: set[str], posts: list[Post]) -> list[Post]:
    """Posts holding every word in their title, tags, categories or body; most hits first."""
    scored: list[tuple[int, float, Post]] = []
    for post in posts:
        text = " ".join([post.title or "", *post.tags, *post.categories, post.body])
        words = _words(text)
        present = set(words)
        if wanted <= present:
            hits = sum(1 for word in words if word in wanted)
            scored.append((hits, _timestamp(post), post))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [post for _hits, _time, post in scored]


def _newest_first(posts: list[Post]) -> list[Post]:
    return sorted(posts, key=lambda post: -_timestamp(post))


def _timestamp(post: Post) -> float:
    return post.date.timestamp() if post.date is not None else float("-inf")
