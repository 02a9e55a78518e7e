"""``postctl search QUERY``: ranked full-text search over the site's posts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from postctl.cli.options import (
    AllOpt,
    AnyTagOpt,
    AuthorOpt,
    CategoryOpt,
    DraftsOpt,
    FormatOpt,
    LimitOpt,
    NoCacheOpt,
    NoFutureOpt,
    SinceOpt,
    StrictOpt,
    TagOpt,
    UntilOpt,
    WhereOpt,
)

if TYPE_CHECKING:
    from postctl.fulltext import Hit, SearchResult
    from postctl.query import Filters, Sort
    from postctl.render import OutputFormat
    from postctl.render.output import Output
    from postctl.searchquery import Node
    from postctl.site import Site

DEFAULT_LIMIT = 20
DATA_SNIPPET_WIDTH = 200
_RELEVANCE = frozenset({"relevance", "score", "rank", "-relevance", "-score", "-rank"})

QueryArg = Annotated[
    str,
    typer.Argument(metavar="QUERY", show_default=False, help=(
        'Words (all must match), "exact phrases", prefix*, OR, NOT or -word, and field terms '
        "title:word, tag:name, author:name, category:name.")),
]
SearchSortOpt = Annotated[
    Optional[str],  # noqa: UP045 - Typer 0.15 reads typing.Optional on Python 3.10
    typer.Option("--sort", "-s", show_default=False, help=(
        "Order: relevance (default; ties newest first), or a sort key as for list "
        "(-date: newest first).")),
]
StemOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option("--stem/--no-stem", show_default=False, help=(
        "Match English word forms (talks finds talk); default: [search] stem in the config.")),
]


def search(
    query_text: QueryArg,
    tag: TagOpt = None,
    any_tag: AnyTagOpt = False,
    category: CategoryOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    no_future: NoFutureOpt = False,
    where: WhereOpt = None,
    sort: SearchSortOpt = None,
    limit: LimitOpt = None,
    stem: StemOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Search the posts' text, best matches first, with the matching passage shown.

    Case and accents are ignored (cafe finds café). Shows the 20 best unless --limit says
    otherwise. Exit 1 when nothing matches.

    Examples: postctl search zelensky alaska; postctl search '"night train" -flight';
    postctl search 'title:python tag:cli' --since 2024 --format json
    """
    from postctl import query
    from postctl.cli.context import current_site, output, wants_json
    from postctl.cli.list import report_unreadable
    from postctl.fulltext import stem_setting
    from postctl.searchquery import parse_query

    site = current_site()
    out = output()
    wants_json(fmt)
    node = parse_query(query_text)
    filters = query.make_filters(
        site.tz, tags=tag, any_tag=any_tag, categories=category, author=author, since=since,
        until=until, drafts=drafts, all_posts=all_posts, no_future=no_future, where=where)
    order = None if sort is None or sort.strip() in _RELEVANCE else query.parse_sort(sort)
    stemmed = stem if stem is not None else stem_setting(site.config.search, site.config.path)
    human = fmt is None or fmt.value == "table"
    width = _snippet_width(out) if human else DATA_SNIPPET_WIDTH
    result = run_search(site, node, filters, order, limit or DEFAULT_LIMIT, stemmed, no_cache,
                        out, width=width, count=human)
    write_hits(result, site, fmt, out, filters.now)
    report_unreadable(result.errors, out, strict)
    if not result.hits:
        out.info(f"no posts match {query_text!r}")
        raise typer.Exit(1)


def run_search(
    site: Site,
    node: Node,
    filters: Filters,
    order: Sort | None,
    limit: int,
    stem: bool,
    no_cache: bool,
    out: Output,
    *,
    width: int,
    count: bool,
) -> SearchResult:
    """Search the full-text index, or the files when there is no usable index."""
    from postctl.fulltext import FtsUnavailable, FullTextIndex, SearchResult, fts5_available
    from postctl.searchscan import scan_search

    def scan() -> SearchResult:
        if stem:
            out.warning("--stem needs the full-text index; matching exact word forms")
        return scan_search(site, node, filters, order, limit, snippet_width=width)

    if no_cache:
        return scan()
    if not fts5_available():
        out.warning("this Python's SQLite has no FTS5 full-text search; reading every post "
                    "instead (correct, but slower)")
        return scan()
    from postctl.cli.list import open_catalog_for
    from postctl.index import SiteIndex

    catalog = open_catalog_for(site, False, out)
    if not isinstance(catalog, SiteIndex):  # the index cannot be used; the reason was shown
        catalog.close()
        return scan()
    try:
        engine = FullTextIndex(catalog, stem=stem)
        bar = _BuildProgress(out)
        try:
            engine.sync(bar)
        finally:
            bar.close()
        found = engine.search(node, filters, order, limit, snippet_width=width, count=count)
        errors = catalog.errors() if catalog.error_count() else []
        return SearchResult(found.hits, found.total, errors)
    except FtsUnavailable as exc:
        out.warning(f"{exc}; reading every post instead")
        return scan()
    finally:
        catalog.close()


class _BuildProgress:
    """A progress bar on stderr while the full-text index is built (terminal only)."""

    def __init__(self, out: Output, delay: float = 0.5) -> None:
        self.out = out
        self.delay = delay
        self.start = time.monotonic()
        self._progress: Any = None
        self._task: Any = None
        self._enabled = out.is_terminal(out.stderr) and not out.quiet

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._progress is None:
            if done >= total or (total < 1000 and time.monotonic() - self.start < self.delay):
                return
            from rich.progress import Progress

            self._progress = Progress(console=self.out.console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("Building the search index", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _snippet_width(out: Output) -> int:
    """Two lines of the output's width, less the indent."""
    return max(60, 2 * (out.console().width - 6))


# --------------------------------------------------------------------------------------------
# output


def write_hits(
    result: SearchResult, site: Site, fmt: OutputFormat | None, out: Output, now: float
) -> None:
    from postctl.render import OutputFormat

    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        from postctl.cli.list import write_items
        from postctl.render.rows import json_dumps

        write_items((json_dumps(hit.item(now)) for hit in result.hits), fmt, out)
    elif fmt is OutputFormat.paths:
        from postctl.render.sanitize import sanitize_line

        for hit in result.hits:
            out.data(sanitize_line(_here(site, hit.summary.path)))
        out.flush()
    elif fmt is OutputFormat.csv:
        from postctl.render.rows import write_rows

        rows = ({"path": hit.summary.path, "title": hit.summary.title,
                 "date": hit.summary.date, "score": hit.score, "snippet": hit.snippet}
                for hit in result.hits)
        write_rows(rows, fmt, out, fields=("path", "title", "date", "score", "snippet"))
    else:
        _write_list(result, site, out)


def _here(site: Site, rel: str) -> str:
    """A post's path relative to the current folder (so a terminal or editor can open it)."""
    import os

    try:
        return os.path.relpath(os.path.join(site.root, rel))
    except ValueError:  # another drive on Windows
        return os.path.join(site.root, rel)


def _write_list(result: SearchResult, site: Site, out: Output) -> None:
    """The hits for a human: title, date and path, then the snippet, matches highlighted."""
    if not result.hits:
        return
    from rich.text import Text

    from postctl.render.sanitize import sanitize_line

    console = out.console()
    for number, hit in enumerate(result.hits, start=1):
        summary = hit.summary
        line = Text()
        line.append(f"{number:>2}. ", style="dim")
        title = (summary.title or "").strip() or summary.slug or summary.path
        line.append(sanitize_line(title), style="bold")
        console.print(line, overflow="ellipsis", no_wrap=True)
        facts = Text("    ")
        if summary.date is not None:
            facts.append(summary.date.date().isoformat() + "  ", style="green")
        facts.append(sanitize_line(_here(site, summary.path)), style="cyan")
        if summary.draft:
            facts.append("  draft", style="yellow")
        console.print(facts, soft_wrap=True)  # a path is never broken: it is copied whole
        if hit.snippet:
            for piece in _snippet_text(hit).wrap(console, max(20, console.width - 4)):
                piece.rstrip()
                console.print(Text("    ") + piece, soft_wrap=True)
        console.print()
    if result.total is not None and result.total > len(result.hits):
        more = result.total - len(result.hits)
        out.info(f"{len(result.hits)} of {result.total} matching posts shown "
                 f"({more} more: raise --limit)")


def _snippet_text(hit: Hit) -> Any:
    """The snippet as rich Text, each highlighted span bold (sanitised piecewise, so
    escapes do not shift the spans)."""
    from rich.text import Text

    from postctl.render.sanitize import sanitize_line

    text = Text()
    cursor = 0
    for start, end in hit.highlights:
        text.append(sanitize_line(hit.snippet[cursor:start]))
        text.append(sanitize_line(hit.snippet[start:end]), style="bold reverse")
        cursor = end
    text.append(sanitize_line(hit.snippet[cursor:]))
    return text
