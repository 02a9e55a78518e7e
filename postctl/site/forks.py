"""Work shared out to forked processes, and Ctrl-C while they run.

A terminal sends Ctrl-C (SIGINT) to every process of the foreground group: to postctl and to
each process it forked. Only postctl itself acts on it (KeyboardInterrupt, which the CLI
reports in one line); a forked process ignores it, and postctl stops it. Processes are forked
and stopped with Ctrl-C held, so that none is left unrecorded or half stopped.

:func:`forked_map` shares numbered items of work out to forked children, each sending its
results back over a pipe of its own; no thread, lock or queue is shared with them, so
stopping them (SIGKILL, then a wait) never waits on them. The work and its data are the
parent's own, inherited with the fork: only results are sent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Generator, Iterator
from typing import Any, BinaryIO, TypeVar

__all__ = ["fork_sender", "forked_map", "ignore_interrupts", "interrupts_held", "read_all",
           "stop_senders"]

T = TypeVar("T")
_LENGTH = 8  # bytes of the length that comes before each result


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Run the block with Ctrl-C held: a SIGINT received meanwhile is acted on when the block
    ends (by the handler that was in force: KeyboardInterrupt, by default). A process forked
    in the block inherits the holding handler, so it never raises KeyboardInterrupt before
    it has set its own. Outside the main thread the block runs as is."""
    received: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    except ValueError:  # not the main thread: only the main thread handles signals
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(signal.SIGINT, None)
        elif received and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


def ignore_interrupts() -> None:
    """In a forked process: leave Ctrl-C to the process that forked it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def forked_map(work: Callable[[int], T], count: int, processes: int,
               ) -> Generator[T, None, None]:
    """``work(0)``, ..., ``work(count - 1)``, in order, computed by ``processes`` forked
    children: child ``k`` computes the items ``k``, ``k + processes``, ... and sends each
    result as soon as it is done, so the caller takes results while the children work.

    An item whose child failed (it ended, or could not be forked) is computed here, so an
    error in ``work`` is raised here. The children are stopped when the iteration ends,
    however it ends (close the iterator when stopping early).
    """
    children: list[tuple[int, BinaryIO] | None] = []
    try:
        with interrupts_held():
            for first in range(min(processes, count)):
                children.append(_fork(work, range(first, count, processes)))
        for item in range(count):
            child = children[item % len(children)] if children else None
            found = _receive(child) if child is not None else None
            if found is None:  # the child failed: this item, and its next ones, are ours
                if children:
                    children[item % len(children)] = None
                yield work(item)
            else:
                yield found[0]
    finally:
        with interrupts_held():
            _stop([child for child in children if child is not None])


def _fork(work: Callable[[int], T], items: range) -> tuple[int, BinaryIO] | None:
    """A child computing ``items`` and sending the results; None when it cannot be forked."""

    def send(write_end: int) -> None:
        with open(write_end, "wb") as out:
            for item in items:
                data = pickle.dumps(work(item), pickle.HIGHEST_PROTOCOL)
                out.write(len(data).to_bytes(_LENGTH, "little"))
                out.write(data)
                out.flush()

    child = _forked_child(send)
    return None if child is None else (child[0], open(child[1], "rb"))


def _receive(child: tuple[int, BinaryIO]) -> tuple[Any] | None:
    """The next result of ``child`` (in a tuple), or None when it ended without one."""
    head = child[1].read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    size = int.from_bytes(head, "little")
    data = child[1].read(size)
    if len(data) < size:
        return None
    return (pickle.loads(data),)


def _stop(children: list[tuple[int, BinaryIO]]) -> None:
    """Stop the children and wait for them: one still working was given up on."""
    for pid, results in children:
        results.close()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


# --- one child, one message of bytes ------------------------------------------------------


def fork_sender(work: Callable[[], bytes]) -> tuple[int, int] | None:
    """A forked child that sends ``work()`` over a pipe and ends (its status 0 once all is
    sent, 1 when ``work`` failed): (its pid, the read end of the pipe; read it with
    :func:`read_all`), or None when it cannot be forked. Fork with Ctrl-C held
    (:func:`interrupts_held`) so that the child is recorded before Ctrl-C is acted on."""

    def send(write_end: int) -> None:
        import gc

        gc.disable()  # a short life: spare copying the parent's memory pages
        message = memoryview(work())
        while message:
            message = message[os.write(write_end, message):]

    return _forked_child(send)


def _forked_child(send: Callable[[int], None]) -> tuple[int, int] | None:
    """A forked child that runs ``send`` on the write end of a pipe, ignoring Ctrl-C, then
    ends at once (status 0, or 1 when ``send`` failed): (its pid, the read end), or None
    when it cannot be forked."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child process (its results are tested)
        status = 1
        try:
            ignore_interrupts()
            os.close(read_end)
            send(write_end)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def read_all(descriptor: int) -> bytes:
    """Everything a sender wrote to the pipe, once it closed it (it ended)."""
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def stop_senders(children: list[tuple[int, int]]) -> None:
    """Stop senders whose message is not wanted (pid, read end), and wait for them: do not
    wait for a child stuck on a slow file system."""
    for pid, read_end in children:
        with contextlib.suppress(OSError):
            os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
