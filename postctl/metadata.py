"""Parse front-matter text into values plus the position of every top-level key.

YAML is read as YAML 1.1 with libyaml's safe loader (as Jekyll's Psych does),
composed once so each key keeps its line, column and value span. Duplicate keys
are recorded (PyYAML silently keeps the last value); anchors, aliases and deep
nesting are refused before construction; unknown tags are refused by the safe
constructor; an impossible timestamp stays a string for the date rules to judge.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from postctl.errors import SourceError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

MAX_DEPTH = 32

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PostLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, except that an impossible timestamp is kept as its text."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return node.value


PostLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True)
class KeyInfo:
    """Where a top-level key and its value stand in the file (1-based lines/cols)."""

    line: int
    col: int
    value_line: int
    value_col: int
    end_line: int
    value_text: str
    style: str | None = None  # YAML scalar style of the value ('"', "'", '|', '>', or None)


@dataclass(frozen=True)
class Duplicate:
    key: str
    first_line: int
    line: int


@dataclass(frozen=True)
class Metadata:
    values: dict[str, Any]
    keys: dict[str, KeyInfo]
    duplicates: tuple[Duplicate, ...] = ()
    comments: tuple[tuple[int, str], ...] = field(default=())

    @classmethod
    def empty(cls) -> Metadata:
        return cls({}, {})


def load_front_matter(kind: str, fm_text: str, path: Path, line_offset: int) -> Metadata:
    """Parse front matter of the given kind; ``line_offset`` is the file line of fm_text's start."""
    if kind == "yaml":
        return load_yaml(fm_text, path, line_offset)
    if kind == "toml":
        return load_toml(fm_text, path, line_offset)
    if kind == "json":
        return load_json(fm_text, path, line_offset)
    return Metadata.empty()


# --- YAML -------------------------------------------------------------------------------


def load_yaml(fm_text: str, path: Path, line_offset: int) -> Metadata:
    _refuse_aliases_and_depth(fm_text, path, line_offset)
    loader = PostLoader(fm_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Metadata({}, {}, (), _comments(fm_text, line_offset))
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a scalar", "SequenceNode": "a list"}.get(
                type(node).__name__, "not a mapping"
            )
            raise SourceError(path, f"front matter is {kind}, not a mapping of keys to values",
                              node.start_mark.line + line_offset, node.start_mark.column + 1,
                              code="E005")
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, line_offset) from None
    except yaml.YAMLError as exc:
        raise SourceError(path, f"invalid YAML: {exc}", line_offset, 1, code="E004") from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise SourceError(path, f"invalid YAML value: {exc}", line_offset, 1, code="E004") from None
    finally:
        loader.dispose()
    keys, duplicates = _key_positions(node, fm_text, line_offset)
    non_string = [k for k in values if not isinstance(k, str)]
    if non_string:
        values = {str(k): v for k, v in values.items()}
    return Metadata(values, keys, duplicates, _comments(fm_text, line_offset))


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path, line_offset: int) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip(" '")
        problem = f"YAML tag {tag!r} is not allowed (only plain data is read)"
        code = "E006"
    else:
        problem = f"invalid YAML: {problem}"
        code = "E004"
    line = mark.line + line_offset if mark is not None else line_offset
    col = mark.column + 1 if mark is not None else 1
    return SourceError(path, problem, line, col, code=code)


_ALIAS_HINT = re.compile(r"[&*]")


def _refuse_aliases_and_depth(fm_text: str, path: Path, line_offset: int) -> None:
    """Refuse anchors/aliases and nesting deeper than MAX_DEPTH (G9), cheaply.

    The event stream is only walked when the text could hold either.
    """
    suspicious = _ALIAS_HINT.search(fm_text) or fm_text.count("[") + fm_text.count("{") > MAX_DEPTH
    if not suspicious and not _deeply_indented(fm_text):
        return
    depth = 0
    try:
        for event in yaml.parse(fm_text, Loader=_BaseLoader):
            mark = event.start_mark
            assert mark is not None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(path, "YAML anchors and aliases are not allowed in front matter",
                                  mark.line + line_offset, mark.column + 1, code="E007")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(path, f"front matter nests deeper than {MAX_DEPTH} levels",
                                      mark.line + line_offset, mark.column + 1, code="E007")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, line_offset) from None


def _deeply_indented(fm_text: str) -> bool:
    return re.search(rf"^ {{{MAX_DEPTH * 2}}}", fm_text, re.MULTILINE) is not None


def _key_positions(
    node: yaml.MappingNode, fm_text: str, line_offset: int
) -> tuple[dict[str, KeyInfo], tuple[Duplicate, ...]]:
    keys: dict[str, KeyInfo] = {}
    duplicates: list[Duplicate] = []
    for key_node, value_node in node.value:
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        start, end = value_node.start_mark, value_node.end_mark
        info = KeyInfo(
            line=key_node.start_mark.line + line_offset,
            col=key_node.start_mark.column + 1,
            value_line=start.line + line_offset,
            value_col=start.column + 1,
            end_line=end.line + line_offset - int(end.column == 0 and end.line > start.line),
            value_text=fm_text[start.index : end.index],
            style=getattr(value_node, "style", None),
        )
        if name in keys:
            duplicates.append(Duplicate(name, keys[name].line, info.line))
        keys[name] = info
    return keys, tuple(duplicates)


def _comments(fm_text: str, line_offset: int) -> tuple[tuple[int, str], ...]:
    """Whole-line and trailing ``#`` comments, by file line (approximate for quoted '#')."""
    if "#" not in fm_text:
        return ()
    found = []
    for number, line in enumerate(fm_text.splitlines(), start=line_offset):
        index = _comment_start(line)
        if index >= 0:
            found.append((number, line[index + 1 :].strip()))
    return tuple(found)


def _comment_start(line: str) -> int:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and (index == 0 or line[index - 1] in " :[{,-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return -1


# --- TOML and JSON ----------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


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
    keys = dict(_scan_keys(fm_text, line_offset, re.compile(r"^([A-Za-z0-9_-]+)\s*=\s*(.*)$")))
    return Metadata(values, keys)


def load_json(fm_text: str, path: Path, line_offset: int) -> Metadata:
    try:
        values = json.loads(fm_text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1) + line_offset - 1
        raise SourceError(path, f"invalid JSON front matter: {exc}", line,
                          getattr(exc, "colno", 1), code="E004") from None
    if not isinstance(values, dict):
        raise SourceError(path, "front matter is not a JSON object", line_offset, 1, code="E005")
    keys = dict(_scan_keys(fm_text, line_offset, re.compile(r'^\s*"([^"]+)"\s*:\s*(.*?),?$')))
    return Metadata(values, keys)


def _scan_keys(
    fm_text: str, line_offset: int, pattern: re.Pattern[str]
) -> Iterator[tuple[str, KeyInfo]]:
    seen: set[str] = set()
    for number, line in enumerate(fm_text.splitlines(), start=line_offset):
        found = pattern.match(line)
        if found and found[1] not in seen:
            seen.add(found[1])
            col = line.index(found[1]) + 1
            yield found[1], KeyInfo(number, col, number, found.start(2) + 1, number, found[2])
