"""Jekyll specifics: space-separated tag strings, and ``draft: true`` (which Jekyll ignores)."""

from __future__ import annotations

from collections.abc import Iterator

from postctl.lint.diagnostics import Finding, Fix
from postctl.lint.rules.base import Context, Rule
from postctl.post.model import Post
from postctl.post.normalize import to_bool

RULES = (
    Rule("J001", "list-as-string", "warning",
         "tags or categories written as one space-separated string: legal (Jekyll splits it "
         "on spaces) but easy to get wrong; the fix writes the same words as a list.",
         fix="safe"),
    Rule("J002", "draft-key", "warning",
         "draft: true in a Jekyll post: Jekyll ignores it and publishes the post "
         "(published: false or the _drafts/ folder hides a post)."),
)

LIST_KEYS = ("tags", "categories")


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    for key in LIST_KEYS:
        value = post.values.get(key)
        if isinstance(value, str) and len(value.split()) > 1:
            yield _string_list(post, key, value)
    if (ctx.site.flavour == "jekyll" and to_bool(post.values.get("draft")) is True
            and not post.draft):
        info = post.metadata.keys.get("draft")
        line, col = (info.line, info.col) if info else (1, 1)
        yield Finding("J002", line, col, "draft: true does not hide a Jekyll post: use "
                      "published: false, or move the file to _drafts/")


def _string_list(post: Post, key: str, value: str) -> Finding:
    from postctl.edit.splice import Edit

    info = post.metadata.keys[key]
    words = value.split()
    if "," in value:
        cleaned = [part.strip() for part in value.split(",") if part.strip()]
        message = (f"{key} is one string {value!r}: Jekyll splits it on spaces, not commas, "
                   f"giving {words!r}")
        fix = Fix("unsafe", f"write {key} as the list {cleaned!r}", (Edit(key, "set", cleaned),))
    else:
        message = (f"{key} is one space-separated string {value!r}: Jekyll reads it as "
                   f"{words!r}; write it as a list")
        fix = Fix("safe", f"write {key} as the list {words!r}", (Edit(key, "set", words),))
    return Finding("J001", info.value_line, info.value_col, message, fix)
