"""``postctl links`` drawn: the posts that link to a post, the links it makes (the broken
ones marked with lint's message), and with ``--related`` the posts most like it; or all of
it as one JSON object. Every string from a post passes the sanitiser."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from postctl.lint.outlinks import OutLink
    from postctl.render.output import Output
    from postctl.search.related import Related
    from postctl.site.backlinks import Referrer


@dataclass
class LinksReport:
    path: str
    title: str | None
    url: str | None
    backlinks: list[Referrer]
    links: list[OutLink]
    related: list[Related] | None = None
    key_words: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path, "title": self.title, "url": self.url,
            "backlinks": [{"path": referrer.rel_path, "kind": link.kind, "target": link.target,
                           "line": link.line}
                          for referrer in self.backlinks for link in referrer.links],
            "links": [{**asdict(link), "broken": link.problem is not None}
                      for link in self.links],
        }
        if self.related is not None:
            data["related"] = [asdict(item) for item in self.related]
            data["key_words"] = self.key_words
        return data


def write_links(report: LinksReport, as_json: bool, out: Output) -> None:
    if as_json:
        out.data(json_dumps(report.as_json()))
        return
    width = out.console().width if out.is_terminal(out.stdout) else None
    out.data("\n".join(links_lines(report, width)))


def links_lines(report: LinksReport, width: int | None = None) -> list[str]:
    """The report as text; on a terminal of ``width`` columns, a title and its path that do
    not fit on one line take two (the title cut, the path never)."""
    title = sanitize_line(report.title) if report.title else "(no title)"
    lines = _titled(title, "", sanitize_line(report.path), width)
    count = sum(len(referrer.links) for referrer in report.backlinks)
    lines += ["", f"Linked from: {_posts(len(report.backlinks))}"
                  + (f" ({count} links)" if count != len(report.backlinks) else "")]
    for referrer in report.backlinks:
        for link in referrer.links:
            lines += _two_parts(f"  {sanitize_line(referrer.rel_path)}:{link.line}",
                                f"{link.kind}  {sanitize_line(link.target)}", width)
    broken = sum(1 for out in report.links if out.problem is not None)
    lines += ["", f"Links: {len(report.links)}" + (f", {broken} broken" if broken else "")]
    for out in report.links:
        where = f"  {out.line}:{out.column}  {out.kind}  {sanitize_line(out.target)}"
        if out.problem is not None:
            where += f"  BROKEN ({out.severity}): {sanitize_line(out.problem)}"
        elif out.title:
            where += f"  -> {sanitize_line(out.title)}"
        lines.append(where)
    if report.related is not None:
        lines += ["", f"Related: {_posts(len(report.related))}"
                      + (f" (words: {', '.join(report.key_words)})" if report.key_words else "")]
        for item in report.related:
            tags = f"{len(item.shared_tags)} tag{'s' if len(item.shared_tags) != 1 else ''}"
            words = f"words #{item.word_rank}" if item.word_rank is not None else "no words"
            name = sanitize_line(item.title) if item.title else "(no title)"
            lines += _titled(f"{item.score:4.1f}  {tags}, {words}  {name}", "  ",
                             sanitize_line(item.path), width)
    return lines


def _titled(text: str, indent: str, path: str, width: int | None) -> list[str]:
    from rich.cells import cell_len

    from postctl.render.stats import fit

    whole = f"{indent}{text}  ({path})"
    if width is None or cell_len(whole) <= width:
        return [whole]
    return [fit(f"{indent}{text}", width), f"{indent}      {path}"]


def _two_parts(first: str, second: str, width: int | None) -> list[str]:
    """``first  second`` on one line, or, where it does not fit, ``second`` on the next
    line, indented: the terminal never breaks a path (or its line number) in two."""
    from rich.cells import cell_len

    whole = f"{first}  {second}"
    if width is None or cell_len(whole) <= width:
        return [whole]
    if cell_len(first) > width:  # the indent goes before the path is broken
        first = first.lstrip()
    return [first, f"      {second}"]


def _posts(count: int) -> str:
    return f"{count} post{'s' if count != 1 else ''}"
