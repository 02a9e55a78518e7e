"""``postctl links POST``: what links to a post, what it links to, and related posts."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from postctl.cli.postref import PostArg


class LinksFormat(str, enum.Enum):
    text = "text"
    json = "json"


RelatedOpt = Annotated[bool, typer.Option(
    "--related", help="Also the posts sharing most tags and words with it (from the search "
    "index).")]
LinksLimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1,
                                            help="At most this many related posts.")]
LinksFormatOpt = Annotated[LinksFormat, typer.Option(
    "--format", "-f", help="Output format.", case_sensitive=False)]


def links(post_ref: PostArg, related: RelatedOpt = False, limit: LinksLimitOpt = 10,
          fmt: LinksFormatOpt = LinksFormat.text) -> None:
    """The posts that link to POST ({% post_url %}, {% link %}, Hugo ref/relref, and
    Markdown links to its URL), the links it makes with the broken ones marked as lint
    marks them, and with --related the posts sharing most tags and words with it.

    Example: postctl links why-i-keep-my-posts-in-plain-text --related
    """
    from postctl.cli.context import current_site, output, wants_json
    from postctl.cli.postref import pick_post
    from postctl.lint.outlinks import outgoing_links
    from postctl.render.links import LinksReport, write_links
    from postctl.render.progress import TerminalReporter
    from postctl.site.backlinks import referrers
    from postctl.site.urls import post_url

    wants_json(fmt)
    site = current_site()
    post = pick_post(site, " ".join(post_ref), "Show the links of")
    report = LinksReport(path=post.rel_path, title=post.title, url=post_url(post, site),
                         backlinks=referrers(site, post, urls=True),
                         links=outgoing_links(site, post))
    if related:
        from postctl.search.related import related_posts

        report.related, report.key_words = related_posts(site, post, limit,
                                                         TerminalReporter(output()))
    write_links(report, fmt is LinksFormat.json, output())
