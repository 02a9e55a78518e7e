"""Site-wide rules: two posts on one URL, duplicate titles, tag and category variants.

They compare the posts being linted with every post of the site (``Context.facts``), so
linting five files still checks them against the rest of the site.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from postctl.lint.diagnostics import Finding, Fix
from postctl.lint.rules.base import Context, KeyKind, PostFact, Rule, TermField
from postctl.lint.rules.keys import published_title_key, title_key, url_key
from postctl.post.model import Post
from postctl.post.taxonomy import variant_key

__all__ = ["RULES", "Subject", "check_site", "majority", "subject", "title_key", "variant_key"]

RULES = (
    Rule("X001", "duplicate-url", "error",
         "Two posts publish to the same URL (same date and slug): one of them is lost.",
         scope="site"),
    Rule("X002", "duplicate-title", "warning",
         "Two published posts have the same title.", scope="site"),
    Rule("X003", "taxonomy-variants", "warning",
         "Tags or categories that differ only in case, spacing or hyphenation (News, news, "
         "new-s; a plural is another tag), with the count of each variant; the fix moves a "
         "post to the site's majority spelling.", fix="unsafe", scope="site"),
    Rule("X004", "leftover-temporary-file", "warning",
         "A hidden temporary file of a postctl write that was killed or crashed; the next "
         "postctl write in its folder removes it.", scope="site"),
)


class Subject(NamedTuple):
    """What site rules need of a post being linted (from the file, or from the lint cache)."""

    rel_path: str
    places: Mapping[str, Sequence[int]]  # key -> (line, column) of its value
    own: dict[str, Any]  # tag/tags/category/categories as written in the file
    tags: tuple[str, ...]
    categories: tuple[str, ...]


PLACE_KEYS = ("title", "permalink", "slug", "date", "tag", "tags", "category", "categories")


def subject(post: Post) -> Subject:
    keys = post.metadata.keys
    places = {key: (keys[key].value_line, keys[key].value_col) for key in PLACE_KEYS
              if key in keys}
    own = {key: post.values[key] for key in ("tag", "tags", "category", "categories")
           if post.values.get(key) is not None}
    return Subject(post.rel_path, places, own, post.tags, post.categories)


def check_site(targets: Sequence[Subject],
               ctx: Context) -> Iterator[tuple[Subject, Finding]]:
    facts = ctx.facts
    own = {t.rel_path: facts.fact(t.rel_path) for t in targets}
    checks: tuple[tuple[str, KeyKind, Callable[[PostFact | None], str | None]], ...] = (
        ("X001", "url", url_key), ("X002", "title", published_title_key))
    for rule, kind, key in checks:
        if ctx.enabled(rule):
            keys = {rel: found for rel, found in zip(own, map(key, own.values()), strict=True)
                    if found is not None}
            groups = facts.sharing(kind, set(keys.values())) if keys else {}
            if groups:
                yield from _duplicates(targets, own, keys, rule, groups)
    if ctx.enabled("X003"):
        for field in ("tags", "categories"):
            yield from _variants(targets, ctx, field)


# --- duplicates ------------------------------------------------------------------------------


def _duplicates(
    targets: Sequence[Subject], own: Mapping[str, PostFact | None], keys: Mapping[str, str],
    rule: str, groups: dict[str, list[str]],
) -> Iterator[tuple[Subject, Finding]]:
    for post in targets:
        key = keys.get(post.rel_path)
        fact = own.get(post.rel_path)
        if fact is None or key is None:
            continue
        others = [path for path in groups.get(key, ()) if path != post.rel_path]
        if not others:
            continue
        where = _url_place(post) if rule == "X001" else _place(post, "title")
        listed = ", ".join(sorted(others)[:3]) + (
            f" and {len(others) - 3} more" if len(others) > 3 else "")
        if rule == "X001":
            message = (f"publishes to {fact.url}, as {listed} does: one of them is lost")
        else:
            message = f"same title as {listed}"
        yield post, Finding(rule, where[0], where[1], message)


def _place(post: Subject, key: str) -> tuple[int, int]:
    line, column = post.places.get(key, (1, 1))
    return line, column


def _url_place(post: Subject) -> tuple[int, int]:
    for key in ("permalink", "slug", "date"):
        if key in post.places:
            return _place(post, key)
    return 1, 1


# --- variants --------------------------------------------------------------------------------


def majority(variants: Counter[str]) -> str:
    """The most used spelling; ties go to the lower-case, then the alphabetically first."""
    return min(variants, key=lambda term: (-variants[term], term != term.lower(), term))


def _variants(targets: Sequence[Subject], ctx: Context,
              field: TermField) -> Iterator[tuple[Subject, Finding]]:
    wanted = {variant_key(term) for post in targets for term in getattr(post, field)}
    groups = ctx.facts.spellings(field, wanted) if wanted else {}
    if not groups:
        return
    singular = field[:-1] if field == "tags" else "category"
    for post in targets:
        terms = post.tags if field == "tags" else post.categories
        for term in terms:
            variants = groups.get(variant_key(term))
            if variants is None:
                continue
            best = majority(variants)
            if term == best:
                continue
            counts = ", ".join(f"{name!r}: {variants[name]}" for name in
                               sorted(variants, key=lambda n: (-variants[n], n)))
            key, value = _own_key(post, field, singular)
            line, col = _place(post, key) if key else (1, 1)
            fix = _variant_fix(key, value, term, best) if key else None
            yield post, Finding("X003", line, col,
                                f"{singular} {term!r} has variants ({counts} posts): "
                                f"the site mostly writes {best!r}", fix)


def _own_key(post: Subject, field: str, singular: str) -> tuple[str | None, Any]:
    for key in (singular, field):
        if post.own.get(key) is not None:
            return key, post.own[key]
    return None, None


def _variant_fix(key: str, value: Any, term: str, best: str) -> Fix | None:
    from postctl.edit.splice import Edit

    if isinstance(value, list):
        items = [best if item == term else item for item in value]
        new: object = list(dict.fromkeys(items))
    elif isinstance(value, str) and key.endswith("s"):
        words = [best if word == term else word for word in value.split()]
        if any(" " in word for word in words):
            new = list(dict.fromkeys(words))
        else:
            new = " ".join(dict.fromkeys(words))
    elif isinstance(value, str) and value == term:
        new = best
    else:
        return None
    return Fix("unsafe", f"write {best!r} instead of {term!r}", (Edit(key, "set", new),))
