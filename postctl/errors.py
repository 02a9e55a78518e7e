"""Domain errors. Each carries a one-line message and, where known, a location.

The CLI maps each class to an exit code in one place (``postctl.cli.errors``);
the library never decides exit codes.
"""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as users should see it: relative to the working folder when inside it."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


class PostctlError(Exception):
    """Base class: ``str(error)`` is a complete one-line message."""


class SourceError(PostctlError):
    """A post that cannot be read, split or parsed."""

    def __init__(
        self,
        path: Path,
        message: str,
        line: int | None = None,
        col: int | None = None,
        code: str = "E001",
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.col = col
        self.code = code
        super().__init__(str(self))

    def location(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class ConfigError(PostctlError):
    """A configuration file or option that is invalid."""

    def __init__(self, path: Path | None, message: str, key: str | None = None) -> None:
        self.path = path
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{display_path(self.path)}: " if self.path is not None else ""
        key = f"{self.key}: " if self.key else ""
        return f"{prefix}{key}{self.message}"


class UsageError(PostctlError):
    """A request that cannot be carried out as given (bad argument, unknown post)."""


class PostNotFoundError(UsageError):
    """A named post or path that does not exist."""


class AmbiguousPostError(UsageError):
    """A post reference that matches several posts."""

    def __init__(
        self,
        reference: str,
        candidates: list[str],
        labels: list[str] | None = None,
        hint: str | None = None,
    ) -> None:
        self.reference = reference
        self.candidates = candidates
        self.labels = labels  # one descriptive line per candidate, for people
        self.hint = hint
        super().__init__(f"{reference!r} matches {len(candidates)} posts")


class WriteRefusedError(PostctlError):
    """Base of every refusal to write, so the CLI maps them all to one exit code."""


class PostExistsError(WriteRefusedError):
    """Refusal to overwrite an existing file."""

    def __init__(self, path: Path, message: str | None = None) -> None:
        self.path = path
        super().__init__(
            message or f"{display_path(path)}: already exists (use --force to overwrite)"
        )


class UnsafeWriteError(WriteRefusedError):
    """A write refused or aborted to keep a user's file safe."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{display_path(path)}: {message}")


class NotDurableError(UnsafeWriteError):
    """A write that happened, but whose folder could not be flushed to disk: the file is
    complete now, but may not survive a power cut. Reported, and counted as refused."""
