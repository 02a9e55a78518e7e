"""The command-line interface: a thin Typer layer over the postctl library.

This module is the ``postctl`` program's entry point, and stays light: loading the Typer
app (:mod:`postctl.cli.app`) takes most of a run's start. Before it loads, a command that
reads the site index first begins the walk of its site in a child process
(:mod:`postctl.site.early_walk`), and Ctrl-C ends the run at once.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from postctl.cli.collector import pause_collector

__all__ = ["WALK_EARLY", "begin_early_walk", "entry"]

# The commands that read the site index before anything else.
WALK_EARLY = frozenset(("list", "tags", "categories", "search", "stats", "links"))
# Options after which such a command reads no index (or does not run at all).
_NO_WALK_OPTIONS = frozenset(("--no-cache", "--help", "-h"))


def entry() -> NoReturn:
    """The ``postctl`` program (:func:`postctl.cli.app.run_program`)."""
    try:  # until the app is loaded: then the run has its own handler
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass
    begin_early_walk(sys.argv[1:])
    pause_collector()
    from postctl.cli.app import run_program

    run_program()


def begin_early_walk(args: Sequence[str]) -> bool:
    """When ``args`` run a command of :data:`WALK_EARLY` (not asking for help, nor reading
    the files without the index), begin the walk of its site; whether it was begun."""
    from postctl.cli.argv import completion_request, root_option, split_command

    if completion_request() is not None:
        return False
    before, name, rest = split_command(args)
    if name not in WALK_EARLY or not _NO_WALK_OPTIONS.isdisjoint(rest):
        return False
    from postctl.site import early_walk

    return early_walk.begin(root_option(before))


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C while the CLI's modules load (nothing is open or written yet): one line and
    exit 130 at once, as the run would."""
    early_walk = sys.modules.get("postctl.site.early_walk")
    stop = getattr(early_walk, "stop", None)
    if stop is not None:
        stop()
    os.write(2, b"\nInterrupted.\n" if os.isatty(2) else b"Interrupted.\n")
    os._exit(130)
