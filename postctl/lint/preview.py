"""What ``postctl preview`` shows besides the rendered body: a post's source as written (even
one whose front matter cannot be parsed) and what ``postctl lint`` says about the post."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site
    from postctl.text.source import Source

__all__ = ["RawSource", "lint_notes", "raw_source"]


class RawSource(NamedTuple):
    """A post's text with its front-matter kind and how many lines the front matter takes
    (delimiters included; 0 when there is none or it cannot be found)."""

    text: str
    kind: str  # "yaml" | "toml" | "json" | "none"
    front_matter_lines: int

    @classmethod
    def of(cls, source: Source) -> RawSource:
        return cls(source.text, source.kind, source.body_line - 1)


def raw_source(site: Site, reference: str) -> RawSource | None:
    """The source of the file ``reference`` names by its path, or of the one post file it
    names by its file name (None: neither), read without parsing the front matter, so a
    post lint rejects can still be looked at."""
    from postctl.errors import SourceError
    from postctl.site.resolve import named_files, resolve_path
    from postctl.site.scan import iter_post_files
    from postctl.text.reading import read_post_bytes
    from postctl.text.source import split_source

    path = resolve_path(site, reference.strip())
    if path is None:
        files = [item for item in iter_post_files(site) if item.skip_reason is None]
        named = named_files(reference.strip(), files)
        if len(named) != 1:
            return None
        path = Path(named[0].path)
    data = read_post_bytes(path, site.config.limits.max_file_bytes)
    try:
        source = split_source(data, path)
    except SourceError:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return RawSource(text, "none", 0)
    return RawSource.of(source)


def lint_notes(post: Post, site: Site) -> list[tuple[str, str]]:
    """What ``postctl lint`` says about ``post``: (severity, ``line:col RULE message``)."""
    from postctl.errors import PostctlError

    try:
        from postctl.lint import LintOptions, run_lint
    except ImportError:  # a build without lint
        return []
    try:
        report = run_lint(site, LintOptions(paths=(str(post.path),), skip_non_posts=True))
    except PostctlError as error:
        return [("warning", f"lint could not run: {error}")]
    return [(d.severity, f"{d.line}:{d.column} {d.rule} {d.message}")
            for d in report.diagnostics]
