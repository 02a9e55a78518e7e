"""Several posts for one name: a numbered list to choose from (a prompt on a terminal), or,
when nobody can answer, an AmbiguousPostError that the CLI reports with the same list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.text.sanitize import one_line, sanitize_line

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from typing import TextIO

    from postctl.post.model import Post
    from postctl.render.output import Output

__all__ = ["ask_choice", "candidate_label", "choose_post", "numbered"]

AMBIGUOUS_HINT = "name one by its path or slug (candidates above)"


def candidate_label(post: Post, tz: dt.tzinfo) -> str:
    """``YYYY-MM-DD  Title  path`` (``  (draft)`` after a draft's path)."""
    from postctl.render.facts import format_date

    date = format_date(post.date, tz)[:10] if post.date else "no date   "
    title = one_line(post.title or "") or "(untitled)"
    draft = "  (draft)" if post.draft else ""
    return f"{date}  {title}  {post.rel_path}{draft}"


def numbered(labels: Sequence[str]) -> list[str]:
    """``  1. label`` lines, sanitised (titles and paths come from the posts)."""
    return [sanitize_line(f"{number:>3}. {label}") for number, label in enumerate(labels, 1)]


def choose_post(posts: Sequence[Post], reference: str, tz: dt.tzinfo, out: Output,
                verb: str = "Preview") -> Post | None:
    """The one post of ``posts``; of several, the one the user picks from a numbered list
    when stdin and stdout are a terminal (None: the user quit), else AmbiguousPostError
    carrying the paths and, as ``labels``, the lines to list."""
    import sys

    from postctl.errors import AmbiguousPostError

    if len(posts) == 1:
        return posts[0]
    labels = [candidate_label(post, tz) for post in posts]
    if out.is_terminal(sys.stdin) and out.is_terminal(out.stdout):
        stream = out.stderr
        stream.write(f"{sanitize_line(reference)} matches {len(posts)} posts:\n")
        stream.write("".join(line + "\n" for line in numbered(labels)))
        number = _ask_number(len(posts), stream, verb)
        return None if number is None else posts[number - 1]
    raise AmbiguousPostError(reference, [post.rel_path for post in posts], labels, AMBIGUOUS_HINT)


def ask_choice(question: str, labels: Sequence[str], out: Output, verb: str) -> int | None:
    """The index in ``labels`` the user picks from a numbered list, on a terminal (None: the
    user quit, or stdin and stdout are not a terminal: nobody can answer)."""
    import sys

    if not (out.is_terminal(sys.stdin) and out.is_terminal(out.stdout)):
        return None
    stream = out.stderr
    stream.write(f"{sanitize_line(question)}\n")
    stream.write("".join(line + "\n" for line in numbered(labels)))
    number = _ask_number(len(labels), stream, verb)
    return None if number is None else number - 1


def _ask_number(count: int, stream: TextIO, verb: str = "Preview") -> int | None:
    """A number from 1 to ``count`` read from stdin; None at end of input or on ``q``."""
    import sys

    while True:
        stream.write(f"{verb} which one? [1-{count}, q to quit] ")
        stream.flush()
        answer = sys.stdin.readline()
        if not answer or answer.strip().lower() in ("q", "quit"):
            return None
        answer = answer.strip()
        if answer.isdigit() and 1 <= int(answer) <= count:
            return int(answer)
        stream.write(f"Type a number from 1 to {count}.\n")
