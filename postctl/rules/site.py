"""Site-wide rules: two posts on one URL, duplicate titles, tag and category variants.

They compare the posts being linted with every post of the site (``Context.facts``), so
linting five files still checks them against the rest of the site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from postctl.diagnostics import Finding, Fix
from postctl.post import Post
from postctl.rules.base import Context, PostFact, Rule
from postctl.rules.references import normalize_url

RULES = (
    Rule("X001", "duplicate-url", "error",
         "Two posts publish to the same URL (same date and slug): one of them is lost.",
         scope="site"),
    Rule("X002", "duplicate-title", "warning",
         "Two published posts have the same title.", scope="site"),
    Rule("X003", "taxonomy-variants", "warning",
         "Tags or categories that differ only in case, spacing, hyphenation or plural "
         "(News, news, new-s), with the count of each variant; the fix moves a post to "
         "the site's majority spelling.", fix="unsafe", scope="site"),
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
    few = len(targets) * 20 < len(facts)  # a few given files: group only around them
    by_path = ctx.facts_by_path
    if ctx.enabled("X001"):
        wanted = ({_url_key(by_path.get(t.rel_path)) for t in targets} if few else None)
        yield from _duplicates(targets, ctx, "X001", _groups(facts, _url_key, wanted))
    if ctx.enabled("X002"):
        wanted = ({_title_key(by_path.get(t.rel_path)) for t in targets} if few else None)
        yield from _duplicates(targets, ctx, "X002", _groups(facts, _title_key, wanted))
    if ctx.enabled("X003"):
        for field in ("tags", "categories"):
            yield from _variants(targets, ctx, field)


# --- duplicates ------------------------------------------------------------------------------


def _url_key(fact: PostFact | None) -> str | None:
    if fact is None or not fact.published or not fact.url:
        return None
    return normalize_url(fact.url)


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def _title_key(fact: PostFact | None) -> str | None:
    if fact is None or not fact.published or not fact.title or not fact.title.strip():
        return None
    return title_key(fact.title)


def _groups(facts: Sequence[PostFact], key: Callable[[PostFact | None], str | None],
            wanted: set[str | None] | None) -> dict[str, list[str]]:
    """Paths by key, for keys shared by several posts (only ``wanted`` keys when given)."""
    groups: dict[str, list[str]] = {}
    for fact in facts:
        found = key(fact)
        if found is not None and (wanted is None or found in wanted):
            groups.setdefault(found, []).append(fact.rel_path)
    return {name: paths for name, paths in groups.items() if len(paths) > 1}


def _duplicates(
    targets: Sequence[Subject], ctx: Context, rule: str, groups: dict[str, list[str]]
) -> Iterator[tuple[Subject, Finding]]:
    by_path = ctx.facts_by_path
    for post in targets:
        fact = by_path.get(post.rel_path)
        if fact is None or not fact.published:
            continue
        if not groups:
            return
        key = _url_key(fact) if rule == "X001" else _title_key(fact)
        if key is None:
            continue
        where = _url_place(post) if rule == "X001" else _place(post, "title")
        others = [path for path in groups.get(key, ()) if path != post.rel_path]
        if not others:
            continue
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

_SEPARATORS = re.compile(r"[\s_\-]+")


def variant_key(term: str) -> str:
    """Case, spacing, hyphenation and a plural -s do not count."""
    key = _SEPARATORS.sub("", term.casefold())
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def _spellings(ctx: Context, field: str) -> dict[str, Counter[str]]:
    memo_key = f"variants:{field}"
    found = ctx.memo.get(memo_key)
    if found is None:
        counts: dict[str, int] = {}
        for fact in ctx.facts:
            terms = getattr(fact, field)
            for term in set(terms) if len(terms) > 1 else terms:
                counts[term] = counts.get(term, 0) + 1
        groups: dict[str, Counter[str]] = {}
        for term, count in counts.items():
            groups.setdefault(variant_key(term), Counter())[term] = count
        found = ctx.memo[memo_key] = {k: v for k, v in groups.items() if len(v) > 1}
    assert isinstance(found, dict)
    return found


def majority(variants: Counter[str]) -> str:
    """The most used spelling; ties go to the lower-case, then the alphabetically first."""
    return min(variants, key=lambda term: (-variants[term], term != term.lower(), term))


def _variants(targets: Sequence[Subject], ctx: Context,
              field: str) -> Iterator[tuple[Subject, Finding]]:
    groups = _spellings(ctx, field)
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
    from postctl.edit import Edit

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
