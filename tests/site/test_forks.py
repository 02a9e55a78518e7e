"""Work shared out to forked processes (postctl.site.forks)."""

from __future__ import annotations

import os
import signal

import pytest

from postctl.site.forks import forked_map, interrupts_held

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_results_come_in_order_from_the_children() -> None:
    parent = os.getpid()
    found = list(forked_map(lambda item: (item * item, os.getpid()), 7, 3))
    assert [square for square, _ in found] == [item * item for item in range(7)]
    pids = {pid for _, pid in found}
    assert parent not in pids and len(pids) == 3
    assert all(_gone(pid) for pid in pids)


def test_the_items_of_a_child_that_ended_are_computed_here() -> None:
    parent = os.getpid()

    def work(item: int) -> int:
        if item == 3 and os.getpid() != parent:
            os._exit(1)
        return item + 100

    assert list(forked_map(work, 9, 2)) == [item + 100 for item in range(9)]


def test_an_error_of_the_work_is_raised_here() -> None:
    def work(item: int) -> int:
        if item == 2:
            raise ValueError("item 2")
        return item

    with pytest.raises(ValueError, match="item 2"):
        list(forked_map(work, 4, 2))


def test_children_are_stopped_when_the_caller_stops_early() -> None:
    results = forked_map(lambda item: os.getpid(), 50, 2)
    first = next(results)
    results.close()
    assert _gone(first)


def test_an_interrupt_in_a_held_block_is_acted_on_at_its_end() -> None:
    ran: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            ran.append("the rest of the block")
    assert ran == ["the rest of the block"]
