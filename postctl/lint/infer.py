"""A ``[schema]`` for ``postctl.toml`` inferred from a site's posts, for ``postctl init``.

For every front-matter key, from the values the posts have:

* **required** when nearly every post has it (:data:`REQUIRED_SHARE`, and at least
  :data:`MIN_POSTS` posts in all), so ``lint`` flags the few that lack it;
* **type**: the strictest schema type every value passes (as ``lint`` judges types:
  :func:`postctl.lint.schema.type_problem`), when at least :data:`TYPED_SHARE` of the
  values pass it; the others are exactly what ``lint`` reports then;
* **allowed**: the values of a string (or each item of a list) when there are few of them
  (at most :data:`MAX_CHOICES`), each used by several posts: a small enum such as
  ``layout``;

and each choice is written with a comment counting what it was made from, so that a person
can read why and change it. The text is TOML that :func:`postctl.lint.schema.load_schema`
reads back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from postctl.lint.schema import type_problem

if TYPE_CHECKING:
    from postctl.catalog.summary import Summary

REQUIRED_SHARE = 0.95
TYPED_SHARE = 0.95
MIN_POSTS = 5
MAX_CHOICES = 8
MIN_USES = 2  # each allowed value is used at least this often
# Types tried in order, strictest first ("path" is never guessed: it needs a file check).
_TYPES = ("boolean", "integer", "number", "datetime", "url", "list", "string")
# Keys whose values are free text, one per post, or grow with the site (a new post may
# bring a new tag): never an enum.
_FREE = frozenset({"title", "date", "slug", "permalink", "excerpt", "description", "image",
                   "redirect_from", "redirect_to", "last_modified_at", "summary", "tags",
                   "tag", "keywords", "aliases"})


@dataclass
class KeyFacts:
    """What the posts hold under one key."""

    name: str
    posts: int = 0  # posts that have it (with any value)
    empty: int = 0  # posts where it is empty (null, "" or [])
    values: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class InferredField:
    name: str
    posts: int  # posts with a value
    total: int  # posts read
    required: bool
    type: str | None
    typed: int  # values that pass ``type``
    allowed: tuple[tuple[str, int], ...] | None  # value -> posts using it


def post_values(summaries: Iterable[Summary]) -> Iterator[Mapping[str, Any]]:
    """The values ``lint`` judges of each post: its front matter over the Jekyll defaults
    that apply, with the date the post has (from the front matter or the file name)."""
    for summary in summaries:
        values = summary.values
        if summary.date_iso is not None and values.get("date") in (None, ""):
            values = {**values, "date": summary.date_iso}
        yield values


def gather(front_matters: Iterable[Mapping[str, Any]]) -> tuple[int, dict[str, KeyFacts]]:
    """The number of posts and the facts of each key, in order of first appearance."""
    total = 0
    keys: dict[str, KeyFacts] = {}
    for values in front_matters:
        total += 1
        for name, value in values.items():
            facts = keys.get(name)
            if facts is None:
                facts = keys[name] = KeyFacts(name)
            facts.posts += 1
            if value is None or value == "" or value == []:
                facts.empty += 1
            else:
                facts.values.append(value)
    return total, keys


def infer(total: int, keys: Mapping[str, KeyFacts], tz: dt.tzinfo) -> list[InferredField]:
    """A field for each key more than one post has, most used first."""
    fields = []
    for facts in sorted(keys.values(), key=lambda f: -len(f.values)):
        used = len(facts.values)
        if used < MIN_USES:
            continue
        kind, typed = _type(facts.values, tz)
        fields.append(InferredField(
            name=facts.name, posts=used, total=total,
            required=total >= MIN_POSTS and used >= REQUIRED_SHARE * total,
            type=kind, typed=typed, allowed=_choices(facts, kind)))
    return fields


def _type(values: list[Any], tz: dt.tzinfo) -> tuple[str | None, int]:
    for kind in _TYPES:
        passing = sum(1 for value in values if type_problem(kind, value, tz) is None)
        if kind == "list":  # a plain string passes as a list (Jekyll splits it): not enough
            passing = sum(1 for value in values if isinstance(value, list)
                          and type_problem(kind, value, tz) is None)
        if passing >= TYPED_SHARE * len(values):
            return kind, passing
    return None, 0


def _choices(facts: KeyFacts, kind: str | None) -> tuple[tuple[str, int], ...] | None:
    if kind not in ("string", "list") or facts.name in _FREE:
        return None
    counts: Counter[str] = Counter()
    for value in facts.values:
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                return None
            counts[item] += 1
    if not counts or len(counts) > MAX_CHOICES or min(counts.values()) < MIN_USES:
        return None
    if kind == "list" and len(counts) == len(facts.values):
        return None
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def schema_toml(fields: list[InferredField], total: int, source: str) -> str:
    """The ``[schema]`` tables of ``fields`` as TOML, each choice with its count."""
    lines = [
        "[schema]",
        f"# Inferred by postctl init from {total} posts ({source}). Keys present in at",
        f"# least {REQUIRED_SHARE:.0%} of the posts are required; types and small sets of "
        "values",
        "# come from the values seen. Edit freely; `postctl lint` checks posts against it.",
        "strict = false",
    ]
    for spec in fields:
        lines += ["", f"[schema.fields.{_key(spec.name)}]"]
        if spec.type is not None:
            note = (f"all {spec.posts} values" if spec.typed == spec.posts
                    else f"{spec.typed} of {spec.posts} values")
            lines.append(_noted(f'type = "{spec.type}"', note))
        lines.append(_noted(f"required = {'true' if spec.required else 'false'}",
                            f"in {spec.posts} of {spec.total} posts"))
        if spec.allowed is not None:
            lines.append("allowed = [")
            for value, count in spec.allowed:
                lines.append(_noted(f"    {_string(value)},",
                                    f"{count} post{'s' if count != 1 else ''}"))
            lines.append("]")
    return "\n".join(lines) + "\n"


def _noted(line: str, note: str) -> str:
    return f"{line:<20} # {note}"


def with_schema(existing: str, schema: str) -> str:
    """``existing`` TOML text with its ``[schema]`` tables (``[schema]``,
    ``[schema.fields.x]``...) replaced by ``schema``; every other line kept as written."""
    kept: list[str] = []
    in_schema = False
    for line in existing.splitlines():
        header = line.strip()
        if header.startswith("[") and not header.startswith("[["):
            name = header.strip("[]").split("]")[0].strip().strip('"')
            in_schema = name == "schema" or name.startswith("schema.")
        if not in_schema:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n\n" + schema if kept else schema


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _key(name: str) -> str:
    bare = name.replace("-", "").replace("_", "")
    return name if bare.isascii() and bare.isalnum() else _string(name)


def config_text(summaries: Iterable[Summary], tz: dt.tzinfo, source: str,
                existing: str | None = None) -> tuple[str, list[InferredField], int]:
    """A whole ``postctl.toml`` whose ``[schema]`` is inferred from ``summaries`` (the
    other settings of ``existing``, the file being replaced, kept), its fields, and the
    number of posts read. The text is read back with the loaders postctl uses before it is
    returned: a ConfigError means the existing file could not be merged."""
    from postctl.lint.schema import load_schema
    from postctl.site.settings_files import parse_toml

    total, keys = gather(post_values(summaries))
    fields = infer(total, keys, tz)
    schema = schema_toml(fields, total, source)
    text = (with_schema(existing, schema) if existing is not None else
            "# postctl configuration, written by `postctl init`. See the README for every "
            "setting;\n# `postctl config` shows the effective ones and where each comes from."
            "\n\n" + schema)
    load_schema(parse_toml(text).get("schema", {}), None)
    return text, fields, total
