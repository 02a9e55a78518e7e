"""The command-line interface: a thin Typer layer over the postctl library.

This module is the ``postctl`` program's entry point, and stays light: loading the Typer
app (:mod:`postctl.cli.app`) takes most of a run's start. Before it loads, a command that
reads the site index first begins the walk of its site in a child process
(:mod:`postctl.catalog.early_walk`), and Ctrl-C ends the run at once.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn

from postctl.cli.collector import pause_collector
from postctl.cli.early import begin_early_walk, stop_early_walk

__all__ = ["entry"]


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


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C while the CLI's modules load (nothing is open or written yet): one line and
    exit 130 at once, as the run would."""
    stop_early_walk()
    os.write(2, b"\nInterrupted.\n" if os.isatty(2) else b"Interrupted.\n")
    os._exit(130)
