"""The links a post makes, and which of them are broken, for ``postctl links``.

The links are the references :func:`postctl.post.references.find_references` finds
(``{% post_url %}``, ``{% link %}``, Markdown links and images); whether one is broken is
what ``lint`` says of it (rules R002, R003 and R004, run on this one post), so the two
commands never disagree. Where a link names a post or a file of the site, its title and URL
are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

KINDS = ("post_url", "link", "markdown_link", "markdown_image")
RULES = ("R002", "R003", "R004")


@dataclass(frozen=True)
class OutLink:
    kind: str  # one of KINDS
    target: str  # as written (site prefixes stripped)
    line: int
    column: int
    title: str | None = None  # of the post or page it names, when known
    url: str | None = None  # where it leads on the site, when known
    problem: str | None = None  # lint's message when it is broken
    severity: str | None = None


def outgoing_links(site: Site, post: Post) -> list[OutLink]:
    """Every link ``post`` makes, in order, each with lint's verdict."""
    from postctl.lint.report import LintOptions
    from postctl.lint.run import run_lint
    from postctl.post.references import find_references
    from postctl.site.references import SiteResolver

    references = [ref for ref in find_references(post.body, post.source.body_line)
                  if ref.kind in KINDS]
    if not references:
        return []
    report = run_lint(site, LintOptions(paths=(str(post.path),), select=RULES))
    problems = [d for d in report.diagnostics if d.rule in RULES]
    resolver = SiteResolver(site, post)
    found = []
    for ref in references:
        problem = next((d for d in problems if d.line == ref.line
                        and (repr(ref.target) in d.message or ref.target in d.message)), None)
        if problem is not None:
            problems.remove(problem)
        title = url = None
        if problem is None and ref.kind in ("post_url", "link"):
            target = (resolver.post_url(ref.target) if ref.kind == "post_url"
                      else resolver.link(ref.target))
            if target is not None:
                title, url = target.title, target.url
        elif ref.kind in ("markdown_link", "markdown_image"):
            url = ref.target
        found.append(OutLink(ref.kind, ref.target, ref.line, ref.col, title, url,
                             problem.message if problem else None,
                             problem.severity if problem else None))
    return found
