"""Per-invocation state shared by every command (global options, the output sink)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from postctl.render.output import Output
    from postctl.site import Site


@dataclass
class AppState:
    root: str | None = None
    color: str = "auto"
    quiet: bool = False
    debug: bool = False
    json_errors: bool = False  # set by commands running with --format json/jsonl
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
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        found = ctx.find_object(AppState)
        if found is not None and found is not _invocation[0]:
            begin(found)
    return _invocation[0]


def current_site() -> Site:
    """Open the site named by ``--root``/``POSTCTL_ROOT`` or found from the working folder."""
    from postctl.site import open_site

    return open_site(state().root)


def output() -> Output:
    return state().output


def wants_json(fmt: object) -> None:
    """Errors become one JSON object on stderr when the command emits JSON data."""
    state().json_errors = str(getattr(fmt, "value", fmt)) in ("json", "jsonl")
