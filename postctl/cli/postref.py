"""The post a command-line reference names, as ``preview`` finds it: a path, a slug, or
words (ranked as ``search`` ranks them); of several, the user's choice on a terminal, else
exit 2 listing them, numbered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postctl.cli.completion import complete_post

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

PostArg = Annotated[list[str], typer.Argument(
    metavar="POST", help="A path, a slug, or words from the title (quoted or not).",
    show_default=False, autocompletion=complete_post)]


def pick_post(site: Site, reference: str, verb: str = "Preview") -> Post:
    """The post ``reference`` names; ``verb`` asks which one when several match."""
    from functools import partial

    from postctl.cli.context import output
    from postctl.errors import PostNotFoundError
    from postctl.render.candidates import choose_post
    from postctl.render.progress import TerminalReporter
    from postctl.search.service import ranked_paths
    from postctl.site.resolve import MAX_CANDIDATES, find_posts

    out = output()
    search = partial(ranked_paths, site, limit=MAX_CANDIDATES, reporter=TerminalReporter(out))
    match = find_posts(site, reference, search=search)
    if not match.posts:
        raise PostNotFoundError(f"no post matches {reference!r}")
    post = choose_post(match.posts, reference, site.tz, out, verb)
    if post is None:
        raise typer.Abort()
    return post
