"""Content hygiene: empty bodies, SEO lengths, trailing whitespace and tabs in front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from postctl.lint.diagnostics import Finding, Fix
from postctl.lint.rules.base import Context, Rule
from postctl.post.model import Post

if TYPE_CHECKING:
    from postctl.text.metadata import KeyInfo

RULES = (
    Rule("C001", "body-empty", "warning", "The post has front matter but no body text."),
    Rule("C002", "title-too-long", "warning",
         "The title is longer than the SEO limit ([lint] title-max-length, default 70 "
         "characters)."),
    Rule("C003", "excerpt-too-long", "warning",
         "The excerpt is longer than the SEO limit ([lint] excerpt-max-length, default 160 "
         "characters)."),
    Rule("C004", "trailing-whitespace", "warning",
         "Spaces or tabs at the end of a front-matter line (YAML drops them after a plain "
         "value, so removing them changes nothing).", fix="safe"),
    Rule("C005", "yaml-tab", "warning",
         "A tab character in the front matter: YAML forbids tabs in indentation and readers "
         "disagree on them elsewhere."),
)

_TRAILING = re.compile(r"[ \t]+$")


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    if post.source.kind == "none":
        return
    # A Hugo section, home page or page not listed or rendered often has no text of its own.
    page = post.kind in ("post", "page") and post.listed and post.rendered
    if page and not post.body.strip():
        yield Finding("C001", post.source.body_line, 1, "the post has no body text")
    yield from _lengths(post, ctx)
    if post.source.kind == "yaml":
        yield from _whitespace(post)


def _lengths(post: Post, ctx: Context) -> Iterator[Finding]:
    limits = (("title", "C002", ctx.settings.title_max_length),
              ("excerpt", "C003", ctx.settings.excerpt_max_length))
    for key, rule, limit in limits:
        value = post.values.get(key)
        spec = ctx.schema.fields.get(key)
        if not isinstance(value, str) or (spec is not None and spec.max_length is not None):
            continue  # the schema's own limit (F005) decides
        if len(value) > limit:
            info = post.metadata.keys[key]
            yield Finding(rule, info.value_line, info.value_col,
                          f"{key} is {len(value)} characters long, more than {limit} "
                          "(search results cut it)")


def _block_lines(post: Post) -> set[int]:
    """File lines holding block-scalar content (where whitespace is content)."""
    lines: set[int] = set()
    for info in post.metadata.keys.values():
        if info.style in ("|", ">"):
            lines.update(range(info.value_line + 1, info.end_line + 1))
    return lines


def _whitespace(post: Post) -> Iterator[Finding]:
    fm = post.source.fm_text
    if "\t" not in fm and " \n" not in fm and " \r" not in fm and not fm.endswith(" "):
        return
    skip = _block_lines(post)
    key_lines = {info.line: (key, info) for key, info in post.metadata.keys.items()}
    for number, line in enumerate(fm.splitlines(), start=post.source.fm_line):
        if number in skip:
            continue
        trailing = _TRAILING.search(line)
        if trailing and line.strip():
            yield Finding("C004", number, trailing.start() + 1,
                          "trailing whitespace in the front matter", _strip_fix(number, line,
                                                                                key_lines))
        tab = line.find("\t")
        if tab >= 0 and (trailing is None or tab < trailing.start()):
            yield Finding("C005", number, tab + 1, "tab character in the front matter")


def _strip_fix(number: int, line: str, key_lines: dict[int, tuple[str, KeyInfo]]) -> Fix | None:
    from postctl.edit.splice import Edit

    entry = key_lines.get(number)
    if entry is None:
        return None
    key, info = entry
    if info.value_line != number or info.end_line != number:
        return None
    if info.style in ("|", ">"):
        return None
    end = info.value_col - 1 + len(info.value_text)
    if line[end:].strip():
        return None  # a comment follows the value
    return Fix("safe", f"remove the trailing whitespace after {key}", (Edit(key, "strip"),))
