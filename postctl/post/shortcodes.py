"""Hugo's ``ref`` and ``relref`` shortcodes in a post body: which page each names, and where
that name is written.

``{{< ref "posts/my-post.md" >}}``, ``{{% relref "my-post" %}}``, ``{{< ref path="x.md" >}}``
(the path quoted with ``"`` or backquotes, or bare). An escaped shortcode
(``{{</* ref "x" */>}}``) shows its text and refers to nothing. Hugo expands shortcodes
inside fenced code too, so code is not skipped.

Which page a path names (:func:`names_page`), as Hugo's page lookup does it: the fragment
(``#part``) aside and case ignored, a path starting with ``/`` is read from the content
folder; any other path from the referring page's folder first, then from the content
folder; a path without ``/`` may also be a page's file name or bundle folder name. The
extension may be left out, and a bundle is named by its folder.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

__all__ = ["RefShortcode", "lookup_keys", "names_page", "page_keys", "ref_shortcodes"]

_SHORTCODE = re.compile(
    r"\{\{([<%])\s*(ref|relref)\s+"
    r"(?:path\s*=\s*)?(?:\"((?:[^\"\\\n]|\\.)*)\"|`([^`\n]*)`|([^\s\"`>%}]+))"
    r"[^\n]*?\s*[>%]\}\}")
_EXTENSIONS = (".md", ".markdown")
_BUNDLE_INDEXES = ("index", "_index")


@dataclass(frozen=True)
class RefShortcode:
    """One ``ref``/``relref`` in a body: the path as written and its span in the body."""

    kind: str  # "ref" | "relref"
    target: str
    start: int
    end: int


def ref_shortcodes(body: str) -> list[RefShortcode]:
    """Every ``ref`` and ``relref`` shortcode of ``body``, in order."""
    if "ref" not in body:
        return []
    found = []
    for match in _SHORTCODE.finditer(body):
        group = next(index for index in (3, 4, 5) if match[index] is not None)
        found.append(RefShortcode(match[2], match[group], match.start(group), match.end(group)))
    return found


def page_keys(content_path: str) -> tuple[str, str]:
    """A page's logical path (from the content folder, no extension, a bundle by its
    folder) and its base name, both case-folded."""
    path = PurePosixPath(content_path)
    logical = path.with_suffix("") if path.suffix in _EXTENSIONS else path
    if logical.name in _BUNDLE_INDEXES and logical.parent != PurePosixPath("."):
        logical = logical.parent
    text = logical.as_posix().casefold()
    return text, logical.name.casefold()


def names_page(target: str, page: str, referrer: str) -> bool:
    """Whether ``target``, written in the page at ``referrer``, names the page at ``page``
    (both paths from the content folder)."""
    logical, name = page_keys(page)
    paths, by_name = lookup_keys(target, referrer)
    return logical in paths or (by_name is not None and by_name == name)


def lookup_keys(target: str, referrer: str) -> tuple[tuple[str, ...], str | None]:
    """The logical paths (:func:`page_keys`) ``target``, written in the page at ``referrer``,
    may name, and the base name it may name a page by (None: not by name). Nothing for a
    target that is only a fragment (the page itself)."""
    wanted = target.split("#", 1)[0].strip()
    if not wanted:
        return (), None
    if wanted.startswith("/"):
        return (_key(wanted.lstrip("/")),), None
    folder = PurePosixPath(referrer).parent
    paths = (_key(posixpath.normpath((folder / wanted).as_posix())), _key(wanted))
    return paths, (_key(wanted) if "/" not in wanted else None)


def _key(path: str) -> str:
    return page_keys(path)[0]
