"""The cyclic garbage collector of the ``postctl`` program: paused while the program loads,
running again once the command starts.

Loading the command line makes tens of thousands of long-lived objects (modules, classes,
functions) and no garbage, and the collector's passes over them cost as much as a tenth of
a short command. The command itself runs with the collector on, as any program does.
"""

from __future__ import annotations

import gc

__all__ = ["command_starts", "pause_collector"]

_paused: list[bool] = []  # [True] while the program keeps the collector paused


def pause_collector() -> None:
    """Pause the collector while the program loads (:mod:`postctl.cli` does, and nothing
    else: a library user's collector is never touched)."""
    if gc.isenabled():
        gc.disable()
        _paused.append(True)


def command_starts() -> None:
    """Called as a command starts: the collector runs again if the program paused it, and
    spares the objects made so far (they live as long as the program)."""
    if _paused:
        _paused.clear()
        gc.freeze()
        gc.enable()
