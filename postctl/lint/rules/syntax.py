"""Parse errors reported by the post model, duplicate keys, posts without front matter, and
plain values a ``#`` cuts short."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postctl.errors import SourceError
from postctl.lint.diagnostics import Finding, Fix
from postctl.lint.rules.base import Context, Rule
from postctl.post.model import Post

RULES = (
    Rule("S001", "yaml-invalid", "error",
         "Front matter is not valid YAML (or TOML/JSON): Jekyll publishes the post without "
         "its title, date or layout."),
    Rule("S002", "front-matter-unclosed", "error",
         "Front matter opened with --- is never closed: Jekyll reads no front matter at all."),
    Rule("S003", "encoding", "error",
         "The file is not UTF-8 text (invalid bytes or NUL bytes)."),
    Rule("S004", "front-matter-not-mapping", "error",
         "Front matter is a list or a single value, not a mapping of keys to values."),
    Rule("S005", "yaml-unsafe-tag", "error",
         "Front matter uses a YAML tag (!!python/object, !ruby/...) that is not plain data."),
    Rule("S006", "yaml-alias-or-depth", "error",
         "Front matter uses YAML anchors/aliases or nests deeper than 32 levels."),
    Rule("S007", "file-unreadable", "warning",
         "The file could not be checked: a symbolic link, not a regular file, or over the "
         "size limit."),
    Rule("S008", "duplicate-key", "error",
         "A key appears twice in the front matter: Jekyll keeps the last value and silently "
         "loses the other."),
    Rule("S009", "front-matter-missing", "error",
         "A file in a Jekyll posts folder does not start with a --- line: Jekyll copies it "
         "as a static file and publishes no post."),
    Rule("S010", "value-cut-by-comment", "warning",
         "A plain value followed by ' #': YAML starts a comment there, so the rest of the text "
         "is silently lost (title: Why #rust reads 'Why'). Reported for titles, descriptions "
         "and the like, and wherever the # starts a word; the fix quotes the whole text "
         "(it changes the value, so it is unsafe).", fix="unsafe"),
)

_CODES = {"E002": "S002", "E003": "S003", "E004": "S001", "E005": "S004", "E006": "S005",
          "E007": "S006", "E008": "S007"}


def source_error(error: SourceError) -> Finding:
    """The finding for a file the post model could not read."""
    rule = _CODES.get(error.code, "S001")
    return Finding(rule, error.line or 1, error.col or 1, error.message)


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    yield from cut_by_comment(post)
    for dup in post.metadata.duplicates:
        info = post.metadata.keys.get(dup.key)
        col = info.col if info is not None else 1
        yield Finding("S008", dup.first_line, col,
                      f"duplicate key {dup.key!r} (again on line {dup.line}): this value is "
                      "lost, Jekyll keeps the last one")
        yield Finding("S008", dup.line, col,
                      f"duplicate key {dup.key!r} (first on line {dup.first_line}): Jekyll "
                      "keeps this value and drops the first")
    if post.source.kind == "none" and ctx.site.flavour == "jekyll":
        first = post.source.text.lstrip("\ufeff")[:200]
        hint = ""
        if "---" in first and not first.startswith("---"):
            hint = ": the --- line must be the very first line (no blank line or text before)"
        yield Finding("S009", 1, 1, "no front matter, so Jekyll treats this file as a static "
                      f"file, not a post{hint}")


# Keys whose values are prose: a ' #' in them is text cut short, not a note to the reader.
_PROSE_KEYS = frozenset({"title", "subtitle", "linktitle", "description", "excerpt", "summary",
                         "caption", "alt", "headline"})
_CUT = r"[ \t]+#(\S?)[^\r\n]*?(?=[ \t]*\r?$)"  # compiled (and cached by re) when needed


def cut_by_comment(post: Post) -> Iterator[Finding]:
    """S010: plain one-line string values that a ``#`` comment cuts short."""
    fm_text = post.source.fm_text
    if post.source.kind != "yaml" or (" #" not in fm_text and "\t#" not in fm_text):
        return
    from postctl.edit.splice import Edit

    lines = fm_text.split("\n")
    for key, info in post.metadata.keys.items():
        value = post.metadata.values.get(key)
        if (info.style or not isinstance(value, str) or not value
                or info.value_line != info.end_line or info.value_text != value):
            continue
        line = lines[info.value_line - post.source.fm_line]
        end = info.value_col - 1 + len(info.value_text)
        found = re.match(_CUT, line[end:])
        if found is None or not (found[1] or key.lower() in _PROSE_KEYS):
            continue
        whole = value + found[0]
        comment = found[0].lstrip(" \t")
        yield Finding("S010", info.value_line, end + 1 + found[0].index("#"),
                      f"{key} reads {value!r}: YAML starts a comment at ' #', so "
                      f"{comment!r} is lost; quote the whole value",
                      Fix("unsafe", f"quote {key} as {whole!r}", (Edit(key, "rejoin", whole),)))
