"""TOML and JSON front matter: values plus the position of every top-level key."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from postctl.errors import SourceError
from postctl.text.metadata import MAX_DEPTH, Duplicate, KeyInfo, Metadata, too_deep

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*=\s*(.*)$")
_TOML_TABLE = re.compile(r"^\s*\[")


def load_toml(fm_text: str, path: Path, line_offset: int) -> Metadata:
    try:
        values = tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        line, col = (int(found[1]), int(found[2])) if found else (1, 1)
        message = _TOML_POSITION.sub("", message).strip()
        raise SourceError(path, f"invalid TOML: {message}", line + line_offset - 1, col,
                          code="E004") from None
    except RecursionError:
        raise too_deep(path, line_offset) from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise SourceError(path, f"invalid TOML: {str(exc).split(':', 1)[0]}", line_offset, 1,
                          code="E004") from None
    _check_depth(values, path, line_offset)
    return Metadata(values, dict(_toml_keys(fm_text, line_offset)))


def read_toml_value(text: str) -> Any:
    """The value ``text`` is when written after ``v = `` (ValueError when it is none)."""
    return tomllib.loads(f"v = {text}")["v"]


def _toml_keys(fm_text: str, line_offset: int) -> Iterator[tuple[str, KeyInfo]]:
    """Top-level ``key = value`` lines: those before the first ``[table]`` header."""
    for number, line in enumerate(fm_text.split("\n"), start=line_offset):
        if _TOML_TABLE.match(line):
            return
        found = _TOML_KEY.match(line.rstrip("\r"))
        if found:
            yield found[1], KeyInfo(number, 1, number, found.start(2) + 1, number, found[2])


def load_json(fm_text: str, path: Path, line_offset: int) -> Metadata:
    try:
        values = json.loads(fm_text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid JSON front matter: {exc.msg}",
                          exc.lineno + line_offset - 1, exc.colno, code="E004") from None
    except RecursionError:
        raise too_deep(path, line_offset) from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise SourceError(path, f"invalid JSON front matter: {str(exc).split(':', 1)[0]}",
                          line_offset, 1, code="E004") from None
    if not isinstance(values, dict):
        raise SourceError(path, "front matter is not a JSON object", line_offset, 1, code="E005")
    _check_depth(values, path, line_offset)
    keys, duplicates = _json_keys(fm_text, line_offset)
    return Metadata(values, keys, duplicates)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]\n]')
_JSON_COLON = re.compile(r"[ \t\r\n]*:[ \t]*")


def _json_keys(
    fm_text: str, line_offset: int
) -> tuple[dict[str, KeyInfo], tuple[Duplicate, ...]]:
    """Keys of the outermost object (the text is known to be valid JSON)."""
    keys: dict[str, KeyInfo] = {}
    duplicates: list[Duplicate] = []
    depth, line, line_start = 0, line_offset, 0
    for token in _JSON_TOKEN.finditer(fm_text):
        text = token[0]
        if text == "\n":
            line, line_start = line + 1, token.end()
        elif text in "{[":
            depth += 1
        elif text in "}]":
            depth -= 1
        elif depth == 1:
            colon = _JSON_COLON.match(fm_text, token.end())
            if colon is None or "\n" in colon[0]:
                continue  # a string value, not a key (keys are on their colon's line here)
            name = json.loads(text)
            value_end = fm_text.find("\n", colon.end())
            value = fm_text[colon.end() : None if value_end < 0 else value_end]
            value = value.rstrip().removesuffix(",").rstrip()
            info = KeyInfo(line, token.start() - line_start + 1, line,
                           colon.end() - line_start + 1, line, value)
            if name in keys:
                duplicates.append(Duplicate(name, keys[name].line, line))
            keys[name] = info
    return keys, tuple(duplicates)


def _check_depth(values: dict[str, Any], path: Path, line_offset: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH (the outer mapping counts as one level)."""
    pending: list[tuple[object, int]] = [(values, 1)]
    while pending:
        item, depth = pending.pop()
        children: Iterable[object]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise too_deep(path, line_offset)
        pending.extend((child, depth + 1) for child in children)
