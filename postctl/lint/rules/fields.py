"""The schema: required keys, types, allowed values, patterns, lengths, unknown keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from postctl.lint import schema as sch
from postctl.lint.diagnostics import Finding
from postctl.lint.rules.base import Context, Rule
from postctl.post.model import Post
from postctl.text.names import near_miss

RULES = (
    Rule("F001", "field-required", "warning",
         "A key the schema requires is missing or empty (by default: title; a date from the "
         "front matter or the file name, on Jekyll sites: Hugo needs none, nor a title for a "
         "section's _index.md). Jekyll defaults count as present."),
    Rule("F002", "field-type", "warning",
         "A value has the wrong type for the schema, often because YAML typed it "
         "(title: no is the boolean false, title: 2024 an integer)."),
    Rule("F003", "field-allowed", "warning",
         "A value (or list item) is not one of the schema's allowed values."),
    Rule("F004", "field-pattern", "warning",
         "A string value (or list item) does not match the schema's pattern."),
    Rule("F005", "field-length", "warning",
         "A string (characters) or list (items) is shorter or longer than the schema allows."),
    Rule("F006", "key-near-miss", "warning",
         "An unknown key is a near miss of a known one (tittle: did you mean title?)."),
    Rule("F007", "key-unknown", "warning",
         "A key the schema does not declare (only with strict = true in [schema])."),
    Rule("F008", "key-malformed", "warning",
         "A key that looks like text (several words, HTML): usually a line of a multi-line "
         "value that lost its indentation, so part of that value is lost."),
)

# Compiled (and cached by re) on first use: only keys the schema does not know are tried.
_PROSE_KEY = r"^\s*<|</|\S+\s+\S+\s+\S+\s+\S+"


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    values = post.values
    defaults = ctx.defaults_for(post)
    hugo = ctx.site.flavour == "hugo"
    # Hugo reads keys in any letter case: Title is the title
    spelled = {key.lower(): key for key in reversed(values)} if hugo else {}
    for name, spec in ctx.schema.fields.items():
        key = name if name in values else spelled.get(name.lower(), name)
        yield from _check_field(post, ctx, spec, values.get(key), key in values,
                                defaults.get(name))
    known = ctx.schema.known_keys() | frozenset(defaults)
    if hugo:
        known |= sch.HUGO_KEYS
    for key in values:
        if key in known or (hugo and sch.hugo_key(key)):
            continue
        info = post.metadata.keys.get(key)
        line, col = (info.line, info.col) if info else (1, 1)
        if re.search(_PROSE_KEY, key):
            yield Finding("F008", line, col,
                          f"key {_clip(key)!r} looks like text, not a key: is it a line of the "
                          "value above that lost its indentation?")
            continue
        suggestion = near_miss(key, sorted(known))
        if suggestion is not None:
            yield Finding("F006", line, col,
                          f"unknown key {key!r}: did you mean {suggestion!r}?")
        elif ctx.schema.strict:
            yield Finding("F007", line, col,
                          f"key {key!r} is not in the schema ([schema] strict = true)")


def _hugo_needs_none(post: Post, ctx: Context, name: str) -> bool:
    """Hugo needs no date on any page, and no title on a section, the home page or a page
    it does not list (headless): the built-in schema asks for them only on Jekyll sites
    and Hugo's listed pages (a site's own [schema] is followed as written)."""
    if ctx.site.flavour != "hugo" or not ctx.schema.builtin:
        return False
    return name == "date" or (name == "title" and (post.kind in ("home", "section")
                                                   or not post.listed))


def _check_field(
    post: Post, ctx: Context, spec: sch.FieldSpec, value: Any, present: bool, default: Any
) -> Iterator[Finding]:
    info = post.metadata.keys.get(spec.name)
    line, col = (info.value_line, info.value_col) if info else (1, 1)
    if info is None and post.source.kind != "none":
        line = post.source.fm_line

    def found(rule: str, message: str) -> Finding:
        return Finding(rule, line, col, message, severity=spec.severity)

    if (spec.required and _missing(post, spec.name, value, default)
            and not _hugo_needs_none(post, ctx, spec.name)):
        state = "empty" if present else "missing"
        yield found("F001", f"{spec.name} is required but {state}")
    if value is None:
        return
    if spec.type is not None:
        if spec.name == "date" and (post.date_error is not None
                                    or post.date_origin == "front matter"):
            return  # read as a date already, or reported by the date rules
        problem = sch.type_problem(spec.type, value, ctx.site.tz)
        if problem is not None:
            detail = f" ({problem})" if problem else ""
            yield found("F002", f"{spec.name} is {sch.describe(value)}, not "
                        f"{sch.expected(spec.type)}{detail}")
            return
    if spec.allowed is not None:
        for item in sch.items(value):
            if item not in spec.allowed:
                yield found("F003", f"{spec.name}: {item!r} is not an allowed value "
                            f"(allowed: {_listing(spec.allowed)})")
    if spec.regex is not None:
        for item in sch.items(value):
            if isinstance(item, str) and not spec.regex.search(item):
                yield found("F004", f"{spec.name}: {item!r} does not match the pattern "
                            f"{spec.pattern!r}")
    size = sch.length(value)
    if size is not None:
        unit = "characters" if isinstance(value, str) else "items"
        if spec.max_length is not None and size > spec.max_length:
            yield found("F005", f"{spec.name} is {size} {unit} long, more than the "
                        f"{spec.max_length} allowed")
        if spec.min_length is not None and size < spec.min_length:
            yield found("F005", f"{spec.name} is {size} {unit} long, fewer than the "
                        f"{spec.min_length} required")


def _missing(post: Post, name: str, value: Any, default: Any) -> bool:
    if name == "date":
        in_drafts = "_drafts" in post.rel_path.split("/")[:-1]
        return post.date is None and post.date_error is None and not in_drafts
    chosen = value if value is not None else default
    if chosen is None:
        return True
    return isinstance(chosen, (str, list, dict)) and not (
        chosen.strip() if isinstance(chosen, str) else chosen)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _listing(values: Iterable[object], limit: int = 8) -> str:
    shown = [repr(value) for value in values]
    more = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {more} more" if more > 0 else "")

