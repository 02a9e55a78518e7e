"""``search`` output: the hits for a human (title, date, path, then the passage with the
matches highlighted), or as data (JSON items, CSV rows, paths)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.render import OutputFormat

if TYPE_CHECKING:
    from rich.text import Text

    from postctl.render.output import Output
    from postctl.search.fulltext import Hit, SearchResult
    from postctl.site.model import Site

__all__ = ["DATA_SNIPPET_WIDTH", "snippet_width", "write_hits"]

DATA_SNIPPET_WIDTH = 200  # snippets in data formats, whatever the terminal
CSV_FIELDS = ("path", "title", "date", "score", "snippet")


def snippet_width(fmt: OutputFormat | None, out: Output) -> int:
    """How long a snippet to cut: two lines of the output's width, less the indent, for a
    human; DATA_SNIPPET_WIDTH for data; none for a list of paths."""
    if fmt is OutputFormat.paths:
        return 0
    if fmt not in (None, OutputFormat.table):
        return DATA_SNIPPET_WIDTH
    return max(60, 2 * (out.console().width - 6))


def write_hits(
    result: SearchResult, site: Site, fmt: OutputFormat | None, out: Output, now: float
) -> None:
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        from postctl.render.listing import write_items
        from postctl.text.jsonvalues import json_dumps

        write_items((json_dumps(hit.item(now)).encode() for hit in result.hits), fmt, out)
    elif fmt is OutputFormat.paths:
        from postctl.text.sanitize import sanitize_line

        for hit in result.hits:
            out.data(sanitize_line(_here(site, hit.summary.path)))
        out.flush()
    elif fmt is OutputFormat.csv:
        from postctl.render.rows import write_rows

        rows = ({"path": hit.summary.path, "title": hit.summary.title,
                 "date": hit.summary.date, "score": hit.score, "snippet": hit.snippet}
                for hit in result.hits)
        write_rows(rows, fmt, out, fields=CSV_FIELDS)
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

    from postctl.text.sanitize import one_line, sanitize_line

    console = out.console()
    for number, hit in enumerate(result.hits, start=1):
        summary = hit.summary
        line = Text()
        line.append(f"{number:>2}. ", style="dim")
        title = one_line(summary.title or "") or summary.slug or summary.path
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


def _snippet_text(hit: Hit) -> Text:
    """The snippet as rich Text, each highlighted span bold (sanitised piecewise, so
    escapes do not shift the spans)."""
    from rich.text import Text

    from postctl.text.sanitize import sanitize_line

    text = Text()
    cursor = 0
    for start, end in hit.highlights:
        text.append(sanitize_line(hit.snippet[cursor:start]))
        text.append(sanitize_line(hit.snippet[start:end]), style="bold reverse")
        cursor = end
    text.append(sanitize_line(hit.snippet[cursor:]))
    return text
