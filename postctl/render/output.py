"""The one output sink: data on stdout, every message on stderr, colour decided in one place.

Messages are sanitised to one line (docs/guarantees.md: Terminal) and coloured with plain SGR
codes, so printing an error or a hint does not import rich; only :meth:`Output.console` does.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Literal, TextIO

from postctl.text.sanitize import escape_json_text, sanitize_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

__all__ = ["ColorMode", "Output"]

ColorMode = Literal["auto", "always", "never"]

_RESET = "\x1b[0m"
_BOLD_RED = "\x1b[1;31m"
_BOLD_YELLOW = "\x1b[1;33m"
_CYAN = "\x1b[36m"

_DUMB_TERMS = frozenset({"dumb", "unknown"})


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (ValueError, OSError):  # closed stream
        return False


def _writes_utf8(stream: TextIO) -> bool:
    """Whether text written to ``stream`` is encoded as UTF-8 (its bytes may go straight)."""
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "").name == "utf-8"
    except LookupError:
        return False


class Output:
    """Where postctl writes: ``data`` to stdout, ``error``/``warning``/``hint``/``info`` to stderr.

    ``stdout``/``stderr`` default to ``sys.stdout``/``sys.stderr`` looked up at each write, so
    a test runner that swaps them is honoured. ``width`` pins the width of rich consoles (tests);
    otherwise rich uses ``COLUMNS``, then the terminal size, then 80.
    """

    def __init__(
        self,
        color: ColorMode = "auto",
        quiet: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        *,
        width: int | None = None,
    ) -> None:
        if color not in ("auto", "always", "never"):
            raise ValueError(f"color must be 'auto', 'always' or 'never', not {color!r}")
        self.color: ColorMode = color
        self.quiet = quiet
        self.width = width
        self._stdout = stdout
        self._stderr = stderr

    @property
    def stdout(self) -> TextIO:
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr if self._stderr is not None else sys.stderr

    def use_color(self, stream: TextIO) -> bool:
        """Whether to colour ``stream``: ``always``, ``never``, or ``auto``.

        ``auto`` (as pre-commit's ``color.use_color``) colours only a terminal whose ``TERM`` is
        not ``dumb``, and never when ``NO_COLOR`` is set to a non-empty value (no-color.org).
        ``always`` wins over ``NO_COLOR``: an explicit flag beats the environment.
        """
        if self.color == "always":
            return True
        if self.color == "never":
            return False
        if os.environ.get("NO_COLOR", ""):
            return False
        if os.environ.get("TERM", "").lower() in _DUMB_TERMS:
            return False
        return _isatty(stream)

    def is_terminal(self, stream: TextIO) -> bool:
        """Whether ``stream`` is a terminal (a human reads it), whatever the colour setting."""
        return _isatty(stream)

    # data ------------------------------------------------------------------------------------

    def data(self, text: str, *, end: str = "\n") -> None:
        """Write ``text`` to stdout as is: the caller sanitised it, or it is JSON/CSV data."""
        stream = self.stdout
        stream.write(text)
        if end:
            stream.write(end)

    def data_bytes(self, data: bytes) -> None:
        """Write UTF-8 ``data`` to stdout: straight to its byte stream when the text stream
        encodes UTF-8 (written text is flushed first, so the order is kept), else through
        it as text (in its encoding, with its error handler, as :meth:`data` writes)."""
        stream = self.stdout
        binary = getattr(stream, "buffer", None)
        if binary is None or not _writes_utf8(stream):
            stream.write(data.decode("utf-8"))
            return
        stream.flush()
        binary.write(data)

    def flush(self) -> None:
        self.stdout.flush()

    # messages --------------------------------------------------------------------------------

    def _message(self, prefix: str, sgr: str, message: str) -> None:
        stream = self.stderr
        text = sanitize_line(message)
        if prefix and self.use_color(stream):
            prefix = f"{sgr}{prefix}{_RESET}"
        stream.write(f"{prefix} {text}\n" if prefix else f"{text}\n")
        stream.flush()

    def error(self, message: str) -> None:
        """``Error: message`` on stderr (the prefix bold red with colour)."""
        self._message("Error:", _BOLD_RED, message)

    def warning(self, message: str) -> None:
        """``warning: message`` on stderr (the prefix bold yellow with colour)."""
        self._message("warning:", _BOLD_YELLOW, message)

    def hint(self, message: str) -> None:
        """``hint: message`` on stderr, unless quiet."""
        if not self.quiet:
            self._message("hint:", _CYAN, message)

    def info(self, message: str) -> None:
        """A plain progress or summary line on stderr, unless quiet."""
        if not self.quiet:
            self._message("", "", message)

    def error_json(
        self,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        candidates: Sequence[str] | None = None,
    ) -> None:
        """The error as one JSON object on stderr, for ``--format json``; stdout stays empty.

        ``{"error": {"code": ..., "message": ..., "hint": ...}}``, ``hint`` null when absent;
        with ``candidates`` (what an ambiguous name could mean), also ``"candidates": [...]``.
        """
        error: dict[str, object] = {"code": code, "message": message, "hint": hint}
        if candidates is not None:
            error["candidates"] = list(candidates)
        payload = {"error": error}
        text = escape_json_text(json.dumps(payload, ensure_ascii=False))
        stream = self.stderr
        stream.write(text + "\n")
        stream.flush()

    # rich ------------------------------------------------------------------------------------

    def console(
        self, stderr: bool = False, width: int | None = None, *, soft_wrap: bool = False
    ) -> Console:
        """A rich Console on stdout (or stderr) that never interprets data.

        Markup, emoji codes and highlighting are off, so only ``Text`` built from sanitised
        strings and postctl's own styles reach the stream. With colour off the console is not
        treated as a terminal and has no colour system: it writes no escape sequence at all.
        """
        from rich.console import Console

        stream = self.stderr if stderr else self.stdout
        color = self.use_color(stream)
        if color:
            term = os.environ.get("TERM", "").lower()
            # rich detects no colour system on a dumb TERM; `always` still means colour.
            system: Literal["auto", "standard"] | None = (
                "standard" if term in _DUMB_TERMS else "auto"
            )
        else:
            system = None
        return Console(
            file=stream,
            width=width if width is not None else self.width,
            force_terminal=color,
            no_color=not color,
            color_system=system,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=soft_wrap,
        )
