"""Progress bars: on a terminal only, once the whole run (not one stage of it) is slow."""

from __future__ import annotations

import io
import time

import pytest

from postctl.render.output import Output
from postctl.render.progress import STAGES, ProgressBar, TerminalReporter


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_delay_counts_from_the_start_of_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    terminal = _Terminal()
    bar = ProgressBar(Output(stderr=terminal, color="never"), "Checking posts", 1.0,
                      since=time.monotonic() - 5)
    bar(1, 100)
    assert bar.shown
    bar.close()
    fresh = ProgressBar(Output(stderr=_Terminal(), color="never"), "Checking posts", 1.0)
    fresh(1, 100)
    assert not fresh.shown


def test_each_stage_of_a_slow_run_shows_a_bar_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    assert STAGES["lint"][0] == "Checking posts"
    terminal = _Terminal()
    reporter = TerminalReporter(Output(stderr=terminal, color="never"))
    reporter.started -= 1.5  # the index stage took that long, without a bar of its own
    with reporter.stage("lint") as bar:
        bar(64, 1000)
        assert bar.shown
        bar._progress.refresh()
        assert "Checking posts" in terminal.getvalue()
    piped = io.StringIO()
    reporter = TerminalReporter(Output(stderr=piped, color="never"))
    reporter.started -= 5
    with reporter.stage("lint") as bar:
        bar(64, 1000)
        assert not bar.shown
    assert piped.getvalue() == ""
