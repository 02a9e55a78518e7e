"""`postctl preview POST`: see a post rendered (terminal or HTML page), not its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import click
import typer
import typer.core

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import TextIO

    from rich.console import RenderableType

    from postctl.post import Post
    from postctl.render.output import Output
    from postctl.site import Site

_TEMP = "\0temp"  # --html given without a file name


class PreviewCommand(typer.core.TyperCommand):
    """The preview command: ``--html`` takes an optional value (``--html`` or ``--html FILE``).

    Typer cannot declare an option whose value may be omitted; Click can, so the option
    is adjusted once the command is built.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.name == "html" and isinstance(param, click.Option):
                param._flag_needs_value = True
                param.flag_value = _TEMP


def preview(
    post_ref: Annotated[
        list[str], typer.Argument(metavar="POST", help="A path, a slug, or words from the "
                                  "title (quoted or not).", show_default=False)
    ],
    html: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--html", metavar="[FILE]",
                     help="Write a standalone HTML page to FILE (default: a temporary file) "
                     "and print its path. Put it after POST, or write --html=FILE.",
                     show_default=False),
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the HTML page in the browser (implies --html).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing --html FILE.")
    ] = False,
    allow_html: Annotated[
        bool, typer.Option("--allow-html", help="Keep raw HTML of the post in the HTML page "
                           "(escaped by default).")
    ] = False,
    raw: Annotated[bool, typer.Option("--raw", help="The source, syntax-highlighted.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour.")] = False,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Never page the output.")] = False,
    width: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--width", "-w", min=20, max=1000, help="Width in columns (default: the "
                     "terminal's, at most 100).", show_default=False),
    ] = None,
) -> None:
    """Render a post in the terminal (header, lint warnings, Markdown body) or as HTML."""
    from postctl.cli.context import current_site, output

    site = current_site()
    out = output()
    reference = " ".join(post_ref)
    if raw and not (html is not None or open_):
        source = _raw_source(site, reference)
        if source is not None:
            _show_raw(source, out, plain=plain, page=not no_pager, width=width)
            return
    post = _pick_post(site, reference, out)
    if html is not None or open_:
        _write_html(post, site, out, None if html in (None, _TEMP) else html,
                    force=force, allow_html=allow_html, open_page=open_)
        return
    _show(post, site, out, raw=raw, plain=plain, page=not no_pager, width=width)


def _pick_post(site: Site, reference: str, out: Output) -> Post:
    """The post named; several candidates: a numbered prompt on a terminal, else exit 2."""
    import sys

    from postctl.errors import AmbiguousPostError, PostNotFoundError
    from postctl.render.sanitize import sanitize_line
    from postctl.resolve import find_posts

    match = find_posts(site, reference, search=_ranked_search(site, out))
    if not match.posts:
        raise PostNotFoundError(f"no post matches {reference!r}")
    if len(match.posts) == 1:
        return match.posts[0]
    lines = [_candidate_line(number, post, site) for number, post in enumerate(match.posts, 1)]
    stream = out.stderr
    if out.is_terminal(sys.stdin) and out.is_terminal(out.stdout):
        stream.write(f"{sanitize_line(reference)} matches {len(match.posts)} posts:\n")
        stream.write("".join(line + "\n" for line in lines))
        return match.posts[_ask_number(len(match.posts), stream) - 1]
    stream.write("".join(line + "\n" for line in lines))
    stream.flush()
    error = AmbiguousPostError(reference, [post.rel_path for post in match.posts])
    error.hint = "name one by its path or slug (candidates above)"  # type: ignore[attr-defined]
    raise error


def _ranked_search(site: Site, out: Output) -> Callable[[str], list[str] | None]:
    """``postctl search``'s ranked query (the site index's full-text search, or a scan of
    the files without one), over published posts and drafts alike."""

    def search(words: str) -> list[str] | None:
        from postctl import query
        from postctl.cli.search import run_search
        from postctl.fulltext import stem_setting
        from postctl.resolve import MAX_CANDIDATES
        from postctl.searchquery import QueryError, parse_query

        try:
            node = parse_query(words)
        except QueryError:
            return None  # not a query: the words are matched by a scan instead
        filters = query.make_filters(site.tz, all_posts=True)
        stem = stem_setting(site.config.search, site.config.path)
        result = run_search(site, node, filters, None, MAX_CANDIDATES, stem, False, out,
                            width=80, count=False)
        return [hit.summary.path for hit in result.hits]

    return search


def _ask_number(count: int, stream: TextIO) -> int:
    """A number from 1 to ``count`` read from stdin; end of input or ``q`` aborts."""
    import sys

    while True:
        stream.write(f"Preview which one? [1-{count}, q to quit] ")
        stream.flush()
        answer = sys.stdin.readline()
        if not answer or answer.strip().lower() in ("q", "quit"):
            raise click.exceptions.Abort()
        answer = answer.strip()
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        stream.write(f"Type a number from 1 to {count}.\n")


def _candidate_line(number: int, post: Post, site: Site) -> str:
    from postctl.render.preview import format_date
    from postctl.render.sanitize import sanitize_line

    date = format_date(post.date, site.tz)[:10] if post.date else "no date   "
    title = post.title or "(untitled)"
    draft = "  (draft)" if post.draft else ""
    return sanitize_line(f"{number:>3}. {date}  {title}  {post.rel_path}{draft}")


def _show(post: Post, site: Site, out: Output, *, raw: bool, plain: bool, page: bool,
          width: int | None) -> None:
    from postctl.render import preview as render

    if raw:
        source = post.source
        _show_raw((source.text, source.kind, source.body_line - 1), out, plain=plain, page=page,
                  width=width)
        return
    from postctl.urls import post_url

    renderables = render.preview_renderables(
        post, site, notes=_lint_notes(post, site), url=post_url(post, site)
    )
    _draw(renderables, out, plain=plain, page=page, width=width)


def _draw(renderables: list[RenderableType], out: Output, *, plain: bool, page: bool,
          width: int | None) -> None:
    from postctl.render import preview as render

    console = render.console_for(out, width, plain)
    text = render.render_text(console, renderables)
    terminal = out.is_terminal(out.stdout)
    render.show(text, out, page=page and terminal, height=console.height if terminal else None)


def _show_raw(source: tuple[str, str, int], out: Output, *, plain: bool, page: bool,
              width: int | None) -> None:
    from postctl.render.preview import raw_renderables

    text, kind, fm_lines = source
    _draw(raw_renderables(text, kind, fm_lines), out, plain=plain, page=page, width=width)


def _raw_source(site: Site, reference: str) -> tuple[str, str, int] | None:
    """For ``--raw`` on a path: the file's text, front-matter kind and line count, read
    without parsing the front matter (so a post lint rejects can still be looked at)."""
    from postctl.errors import SourceError
    from postctl.resolve import resolve_path
    from postctl.scan import read_post_bytes
    from postctl.source import split_source

    path = resolve_path(site, reference)
    if path is None:
        return None
    data = read_post_bytes(path, site.config.limits.max_file_bytes)
    try:
        source = split_source(data, path)
    except SourceError:
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return text, "none", 0
    return source.text, source.kind, source.body_line - 1


def _lint_notes(post: Post, site: Site) -> list[tuple[str, str]]:
    """What ``postctl lint`` says about this post: (severity, ``line:col RULE message``)."""
    from postctl.errors import PostctlError

    try:
        from postctl.lint import LintOptions, run_lint
    except ImportError:  # a build without lint
        return []
    try:
        report = run_lint(site, LintOptions(paths=(str(post.path),)))
    except PostctlError as error:
        return [("warning", f"lint could not run: {error}")]
    return [(d.severity, f"{d.line}:{d.column} {d.rule} {d.message}")
            for d in report.diagnostics]


def _write_html(post: Post, site: Site, out: Output, target: str | None, *, force: bool,
                allow_html: bool, open_page: bool) -> None:
    from pathlib import Path

    from postctl.render.html import render_html

    path = Path(target).expanduser().absolute() if target else _temp_page(post)
    page = render_html(post, site, html_dir=path.parent, allow_html=allow_html)
    _save(path, page.encode("utf-8"), force=force)
    out.data(str(path))
    if open_page:
        import webbrowser

        webbrowser.open(path.as_uri())


def _temp_page(post: Post) -> Path:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="postctl-preview-"))
    return folder / f"{post.path.stem}.html"


def _save(path: Path, data: bytes, *, force: bool) -> None:
    from postctl import fsio

    if force:
        fsio.replace_forced(path, data)
    else:
        fsio.create_exclusive(path, data)
