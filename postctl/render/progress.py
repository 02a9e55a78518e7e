"""Progress bars on stderr while postctl updates its caches: a terminal only, and only when
the work takes long enough to be worth watching."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from postctl.render.output import Output
    from postctl.reporting import Stage

__all__ = ["STAGES", "ProgressBar", "TerminalReporter"]

# stage of work → (label, seconds before a bar appears, a total that shows it at once)
STAGES: dict[Stage, tuple[str, float, int | None]] = {
    "index": ("Updating the site index", 1.0, None),
    "fulltext": ("Building the search index", 0.5, 1000),
    "words": ("Counting words", 0.5, 1000),
    "lint": ("Checking posts", 1.0, None),
}


class ProgressBar:
    """A rich progress bar on stderr, shown only on a terminal (and not under ``--quiet``),
    once the work has taken more than ``delay`` seconds (counted from ``since``, a
    ``time.monotonic()`` value: by default now) or at once for ``at_once`` items or more. Call
    it with ``(done, total)``; close it (or leave its ``with`` block) when done."""

    def __init__(
        self,
        out: Output,
        label: str = STAGES["index"][0],
        delay: float = STAGES["index"][1],
        at_once: int | None = None,
        since: float | None = None,
    ) -> None:
        self.out = out
        self.label = label
        self.delay = delay
        self.at_once = at_once
        self.start = time.monotonic() if since is None else since
        self._progress: Any = None
        self._task: Any = None
        self._enabled = out.is_terminal(out.stderr) and not out.quiet
        self.shown = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._progress is None:
            if done >= total or (time.monotonic() - self.start < self.delay
                                 and (self.at_once is None or total < self.at_once)):
                return
            self._begin(total)
        self._progress.update(self._task, completed=done, total=total)

    def _begin(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        color = self.out.use_color(self.out.stderr)
        console = Console(file=self.out.stderr, width=self.out.width, force_terminal=True,
                          no_color=not color, color_system="auto" if color else None,
                          highlight=False, markup=False, emoji=False)
        self._progress = Progress(console=console, transient=True)
        self._progress.start()
        self.shown = True
        self._task = self._progress.add_task(self.label, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class TerminalReporter:
    """The command line's :class:`postctl.reporting.Reporter`: notices and warnings as one
    line each on standard error, each stage of work as a :class:`ProgressBar`. A stage's bar
    appears once the whole run, not the stage alone, has taken longer than the stage's delay:
    a run of several short stages that takes long shows its progress too."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.started = time.monotonic()

    def notice(self, message: str) -> None:
        self.out.info(message)

    def warn(self, message: str) -> None:
        self.out.warning(message)

    def stage(self, name: Stage) -> ProgressBar:
        return ProgressBar(self.out, *STAGES[name], since=self.started)
