"""The program pauses the cyclic garbage collector while it loads, and a command runs with
it on; a library user's collector is never touched."""

from __future__ import annotations

import gc

import pytest

from postctl.cli import collector
from postctl.cli.errors import translated


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    collector._paused.clear()
    gc.unfreeze()
    gc.enable()


def test_a_command_runs_with_the_collector_the_program_paused_while_loading() -> None:
    collector.pause_collector()
    assert not gc.isenabled()
    seen: list[bool] = []
    translated(lambda: seen.append(gc.isenabled()))()
    assert seen == [True]
    assert gc.get_freeze_count() > 0  # what loading made is spared by later passes


def test_a_collector_the_program_did_not_pause_is_left_as_it_is() -> None:
    gc.disable()  # paused by someone else: not postctl's to turn on
    collector.command_starts()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    gc.enable()
    collector.command_starts()
    assert gc.isenabled() and gc.get_freeze_count() == 0
