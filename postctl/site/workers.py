"""How many processes postctl's forked pools may use: one setting for all of them.

The site index parses changed files, the full-text index reduces them to text, lint checks
posts and the walk stats files in forked worker processes; each asks here how many.
``$POSTCTL_INDEX_WORKERS`` sets the number (1: never fork); by default one per CPU, at
most 8, and always 1 outside Linux, where forking is not tested.
"""

from __future__ import annotations

import os
import sys

WORKERS_ENV = "POSTCTL_INDEX_WORKERS"
PARALLEL_MIN_FILES = 1000  # fewer files than this are parsed in this process


def process_count() -> int:
    """How many processes a pool may use: ``$POSTCTL_INDEX_WORKERS``, else one per CPU
    (at most 8); always 1 outside Linux."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    configured = os.environ.get(WORKERS_ENV, "")
    if configured.isdigit():
        return max(1, int(configured))
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def worker_count(files: int) -> int:
    """How many processes parse ``files`` changed files (1: this one alone)."""
    return 1 if files < PARALLEL_MIN_FILES else process_count()


def may_fork(threshold: int, files: int) -> bool:
    """Whether to fork for ``files`` files: at least ``threshold`` of them, two processes
    allowed, and no other thread in this process (forking a threaded process is not safe)."""
    if files < threshold or process_count() < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1
