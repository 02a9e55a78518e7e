"""Per-invocation state shared by every command (global options, the output sink)."""

from __future__ import annotations

from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from postctl.catalog.reader import Catalog
    from postctl.errors import SourceError
    from postctl.render.output import Output
    from postctl.site.model import Site


@dataclass
class AppState:
    root: str | None = None
    color: str = "auto"
    quiet: bool = False
    debug: bool = False
    json_errors: bool = False  # set by commands running with --format json/jsonl
    interrupt_reported: bool = False  # "Interrupted." was written
    _output: Output | None = field(default=None, repr=False)

    @property
    def output(self) -> Output:
        if self._output is None:
            from postctl.render.output import Output

            self._output = Output(color=self.color, quiet=self.quiet)  # type: ignore[arg-type]
        return self._output


_invocation: list[AppState] = [AppState()]  # the current invocation's state, in a box


def begin(new_state: AppState | None = None) -> AppState:
    """Start an invocation: its state is what ``state()`` returns until the next one."""
    _invocation[0] = new_state or AppState()
    return _invocation[0]


def state() -> AppState:
    """The current invocation's state (kept after the command ends, for error reporting)."""
    return _invocation[0]


def current_site(near: str | None = None) -> Site:
    """Open the site named by ``--root``/``POSTCTL_ROOT`` or found from the working folder
    (from the folder of ``near``, a path given, when there is one); say which of its post
    folders lead out of it (they are not read), and whether a change to it was
    interrupted."""
    from postctl.edit.journal import interruption_notice
    from postctl.site.model import open_site, start_folder

    site = open_site(state().root, start_folder(near))
    for note in site.outside:
        output().warning(note)
    notice = interruption_notice(site.root)
    if notice:
        output().warning(notice)
    return site


def output() -> Output:
    return state().output


def wants_json(fmt: object) -> None:
    """Errors become one JSON object on stderr when the command emits JSON data."""
    state().json_errors = str(getattr(fmt, "value", fmt)) in ("json", "jsonl")


@contextmanager
def reading_posts(site: Site, no_cache: bool, strict: bool) -> Iterator[Catalog]:
    """The posts to read in the ``with`` block: the refreshed site index (notices on stderr,
    a progress bar when slow), or the files read directly (``--no-cache``, or an index that
    cannot be used: a warning says why). After the block, the posts that could not be read
    are named (see :func:`report_unreadable`)."""
    from postctl.catalog.reader import open_catalog
    from postctl.render.progress import TerminalReporter

    catalog = open_catalog(site, no_cache=no_cache, reporter=TerminalReporter(output()))
    with closing(catalog):
        yield catalog
        errors = catalog.errors()
    report_unreadable(errors, strict)


def report_unreadable(errors: list[SourceError], strict: bool) -> None:
    """Name the posts that could not be read; with ``--strict`` that is a failure (exit 1)."""
    from postctl.render.listing import report_unreadable as report

    if report(errors, output(), strict):
        raise typer.Exit(1)


def require_posts(site: Site, what: str) -> None:
    """Exit 2 (:func:`no_posts`) when the site has no post file at all, drafts included: an
    empty answer would be a silent success on nothing."""
    from postctl.site.postfiles import count_posts

    if count_posts(site, 1) == 0:
        raise no_posts(site, what)


def no_posts(site: Site, what: str) -> Exception:
    """The usage error (exit 2) of a command that needs posts on a site that has none:
    ``what`` it could not do, and where it looked."""
    from postctl.errors import UsageError

    looked = ", ".join(site.relative(folder.path) for folder in site.folders) or "no post folder"
    return UsageError(f"no posts in {site.root} (looked in {looked}): {what}")
