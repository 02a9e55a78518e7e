"""What checking one post gives before the rest of the site is consulted (``Checked``: what
the findings cache keeps), and the per-file facts it is made of: suppression comments, keys
a fix can rewrite, whether a fix applies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from postctl.lint.diagnostics import Finding

if TYPE_CHECKING:
    from postctl.lint.rules.site import Subject
    from postctl.post.model import Post

Pairs = list[tuple[Finding, bool]]  # findings, and whether each one's fix applies
Suppression = tuple[tuple[str, ...], dict[int, tuple[str, ...]]]  # whole file, per line
NO_SUPPRESSION: Suppression = ((), {})


class Checked(NamedTuple):
    """What one post gives, before the rest of the site is consulted."""

    rel_path: str
    pure: Pairs  # findings of the file-only rules
    refs: Sequence[Sequence[Any]]  # Ref, or [kind, target, line, column] from the cache
    suppress: Suppression
    subject: Subject
    date_place: tuple[int, int]
    editable: frozenset[str]  # tag/category keys a fix can rewrite


def fix_usable(post: Post | None, finding: Finding) -> bool:
    """Whether a finding's fix can be applied (edits that postctl can splice)."""
    fix = finding.fix
    if fix is None or post is None:
        return False
    if not fix.edits:
        return True
    from postctl.edit.splice import apply_edits
    from postctl.errors import PostctlError

    try:
        return apply_edits(post.source, fix.edits) != post.source.raw
    except (PostctlError, KeyError, ValueError, TypeError):
        return False


def editable(post: Post) -> frozenset[str]:
    """Tag and category keys whose value a fix can rewrite (one-line values, block lists)."""
    found = set()
    for key in ("tag", "tags", "category", "categories"):
        info = post.metadata.keys.get(key)
        if info is not None and info.style not in ("|", ">") and post.source.kind == "yaml":
            found.add(key)
    return frozenset(found)


_SUPPRESS = r"postctl:\s*ignore\[([^\]]*)\]"  # compiled (and cached by re) for the first comment


def suppressions(post: Post) -> Suppression:
    """Rule ids silenced for the whole file (comments above the first key) and per line."""
    comments = post.metadata.comments
    if not comments:
        return NO_SUPPRESSION
    first_key = min((info.line for info in post.metadata.keys.values()), default=10**9)
    file_ids: list[str] = []
    per_line: dict[int, tuple[str, ...]] = {}
    for line, text in comments:
        found = re.search(_SUPPRESS, text)
        if found is None:
            continue
        ids = tuple(part.strip() for part in found[1].split(",") if part.strip())
        if line < first_key:
            file_ids.extend(ids)
        else:
            per_line[line] = ids
    return tuple(file_ids), per_line
