"""Split a post's bytes into BOM, front matter and body, losslessly.

Front matter exists only if the text (after at most one UTF-8 BOM) starts with a
delimiter line: ``---`` for YAML (Jekyll, Hugo), ``+++`` for TOML (Hugo), or a
JSON object (Hugo). YAML front matter closes at the first ``---`` or ``...``
line, as Jekyll's reader does; a later ``---`` in the body is a thematic break.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

from postctl.errors import SourceError

BOM = "\ufeff"
_YAML_OPEN = re.compile(r"---[ \t]*(\r?\n|\Z)")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
# Hugo's TOML delimiters: compiled (and cached by re) only for a file not opened by YAML's.
_TOML_OPEN = r"\+\+\+[ \t]*(\r?\n|\Z)"
_TOML_CLOSE = r"^\+\+\+[ \t]*(?:\r?\n|\Z)"


class Source(NamedTuple):
    """A post's text, split. ``text[fm_offset:fm_offset+len(fm_text)] == fm_text``."""

    path: Path
    raw: bytes
    text: str
    bom: bool
    newline: str
    kind: str  # "yaml" | "toml" | "json" | "none"
    fm_text: str
    fm_offset: int
    fm_line: int
    body_offset: int
    body_line: int

    @property
    def body(self) -> str:
        return self.text[self.body_offset :]

    @property
    def has_front_matter(self) -> bool:
        return self.kind != "none"


def decode(raw: bytes, path: Path) -> tuple[str, bool]:
    """Decode UTF-8 strictly; return the text without its BOM and whether it had one."""
    if b"\x00" in raw:
        line, col = _line_col_of_byte(raw, raw.index(b"\x00"))
        raise SourceError(path, "binary file (contains a NUL byte)", line, col, code="E003")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_byte(raw, exc.start)
        raise SourceError(
            path, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, col, code="E003"
        ) from None
    if text.startswith(BOM):
        return text[1:], True
    return text, False


def _line_col_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _newline_style(text: str) -> str:
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split_source(raw: bytes, path: Path) -> Source:
    """Split ``raw`` into its parts; raise SourceError when the split is impossible."""
    text, bom = decode(raw, path)
    opening = _YAML_OPEN.match(text)
    if opening:
        return _split_delimited(raw, path, text, bom, "yaml", opening.end(), _YAML_CLOSE, "---")
    opening = re.match(_TOML_OPEN, text)
    if opening:
        return _split_delimited(raw, path, text, bom, "toml", opening.end(),
                                re.compile(_TOML_CLOSE, re.MULTILINE), "+++")
    if text.startswith("{") and not text.startswith(("{{", "{%")):
        # "{{" and "{%" open Liquid or Hugo template code, never a JSON object.
        return _split_json(raw, path, text, bom)
    return Source(path, raw, text, bom, _newline_style(text), "none", "", 0, 1, 0, 1)


def _split_delimited(
    raw: bytes,
    path: Path,
    text: str,
    bom: bool,
    kind: str,
    fm_start: int,
    closing: re.Pattern[str],
    delimiter: str,
) -> Source:
    close = closing.search(text, fm_start)
    if close is None:
        raise SourceError(
            path,
            f"front matter opened with '{delimiter}' on line 1 is never closed "
            f"(no closing '{delimiter}' line)",
            1,
            1,
            code="E002",
        )
    fm_text = text[fm_start : close.start()]
    return Source(
        path=path,
        raw=raw,
        text=text,
        bom=bom,
        newline=_newline_style(text),
        kind=kind,
        fm_text=fm_text,
        fm_offset=fm_start,
        fm_line=2,
        body_offset=close.end(),
        body_line=_line_at(text, close.end()),
    )


def _split_json(raw: bytes, path: Path, text: str, bom: bool) -> Source:
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON front matter: {exc.msg}", exc.lineno, exc.colno,
                          code="E004") from None
    except RecursionError:
        raise SourceError(path, "JSON front matter nests too deeply", 1, 1, code="E007") from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        message = str(exc).split(":", 1)[0]
        raise SourceError(path, f"invalid JSON front matter: {message}", 1, 1,
                          code="E004") from None
    body_offset = end
    for newline in ("\r\n", "\n"):
        if text.startswith(newline, end):
            body_offset = end + len(newline)
            break
    return Source(path, raw, text, bom, _newline_style(text), "json", text[:end], 0, 1,
                  body_offset, _line_at(text, body_offset))
