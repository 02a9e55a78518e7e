"""How library code tells a person what is happening: one small interface, :class:`Reporter`.

A library call that has something to say (a rebuilt index, a post skipped) or that may take a
while takes one ``reporter``. The command line passes one that prints notices and warnings on
standard error and draws progress bars (:mod:`postctl.render.progress`); scripts and tests
get :data:`SILENT` by default. Stages of work are named, so that whoever draws them can label
them: ``"index"`` (updating the site index), ``"fulltext"`` (building the search index) and
``"words"`` (counting the words of posts for ``stats``) and ``"lint"`` (checking posts).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Literal, Protocol

__all__ = ["SILENT", "Progress", "Reporter", "Stage"]

Stage = Literal["index", "fulltext", "words", "lint"]
Progress = Callable[[int, int], None]
"""Called with ``(done, total)`` as a stage of work advances."""


class Reporter(Protocol):
    def notice(self, message: str) -> None:
        """Something worth knowing; the work goes on as asked (one line)."""

    def warn(self, message: str) -> None:
        """Something went wrong or differently from what was asked (one line)."""

    def stage(self, name: Stage) -> AbstractContextManager[Progress]:
        """A stage of work: the ``with`` block gets the function to call as it advances."""


def _ignore_progress(done: int, total: int) -> None:
    pass


class _Silent:
    def notice(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass

    def stage(self, name: Stage) -> AbstractContextManager[Progress]:
        return nullcontext(_ignore_progress)


SILENT: Reporter = _Silent()
