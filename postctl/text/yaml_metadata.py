"""YAML front matter: values plus the position of every top-level key.

YAML is read with the loader of :mod:`postctl.text.scalars` (YAML 1.1, as Jekyll's Psych
reads it; its notes say how each scalar is typed), composed once so each key keeps its
line, column and value span. Duplicate keys are recorded (PyYAML silently keeps the last
value); anchors, aliases and deep nesting are refused before construction; unknown tags
are refused by the safe constructor; an impossible timestamp stays a string for the date
rules to judge.

The node tree of a text is kept for the few texts read last (:func:`composed`): an edit
loads a post's front matter, splices it and checks the result, and each of those steps
reads the same tree instead of parsing the text again.
"""

from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path
from typing import Any

import yaml

from postctl.errors import SourceError
from postctl.text.metadata import MAX_DEPTH, Duplicate, KeyInfo, Metadata
from postctl.text.scalars import PostLoader


@functools.lru_cache(maxsize=4)
def composed(fm_text: str, loader_class: type[PostLoader] = PostLoader) -> yaml.Node | None:
    """The node tree of ``fm_text`` as ``loader_class`` resolves its scalars (None: no
    document), kept for the last few texts: the load, the splice and the check of one edit
    read the same text one after the other. The trees are shared, so they are only ever read
    (the loader's errors propagate)."""
    return _compose(fm_text, loader_class)


def _compose(fm_text: str, loader_class: type[PostLoader] = PostLoader) -> yaml.Node | None:
    return yaml.compose(fm_text, Loader=loader_class)


def load_yaml(fm_text: str, path: Path, line_offset: int,
              loader_class: type[PostLoader] = PostLoader, *,
              positions: bool = True) -> Metadata:
    """The front matter's values (typed by ``loader_class``: PostLoader as Jekyll types
    them, HugoLoader as Hugo does), key positions (with ``positions``), duplicates and
    comments."""
    where = _Positions(fm_text, line_offset)
    _refuse_aliases_and_depth(fm_text, path, where)
    loader = loader_class("")
    try:
        # Constructing a mapping with a merge key (``<<``) rewrites the node's items, so
        # such a text gets a tree of its own; every other tree is only read, and shared.
        node = (composed(fm_text, loader_class)  # type: ignore[arg-type]  # (hashable)
                if "<<" not in fm_text else _compose(fm_text, loader_class))
        if node is None:
            return Metadata({}, {}, (), _comments(fm_text, line_offset))
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a scalar", "SequenceNode": "a list"}.get(
                type(node).__name__, "not a mapping"
            )
            raise SourceError(path, f"front matter is {kind}, not a mapping of keys to values",
                              *where(node.start_mark), code="E005")
        values = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, where) from None
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        message = str(exc).split(":", 1)[0] if isinstance(exc, ValueError) else str(exc)
        raise SourceError(path, f"invalid YAML value: {message}", line_offset, 1,
                          code="E004") from None
    finally:
        loader.dispose()
    keys, duplicates = (_key_positions(node, fm_text, where) if positions
                        else ({}, _duplicates(node, where)))
    non_string = [k for k in values if not isinstance(k, str)]
    if non_string:
        values = {str(k): v for k, v in values.items()}
    return Metadata(values, keys, duplicates, _comments(fm_text, line_offset))


class _Positions:
    """File line and column (1-based) of a libyaml mark.

    libyaml also breaks lines at a lone CR, NEL, LS and PS; files count only LF, so when
    the text holds one of those the position is recomputed from the character index.
    """

    _ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")

    def __init__(self, text: str, line_offset: int) -> None:
        self.text = text
        self.line_offset = line_offset
        self.starts: list[int] | None = None
        if self._ODD_BREAKS.search(text):
            self.starts = [0, *(found.end() for found in re.finditer("\n", text))]

    def __call__(self, mark: Any) -> tuple[int, int]:
        if mark is None:
            return self.line_offset, 1
        return self.at(mark.index) if self.starts is not None else (
            mark.line + self.line_offset, mark.column + 1)

    def at(self, index: int) -> tuple[int, int]:
        starts = self.starts if self.starts is not None else [
            0, *(found.end() for found in re.finditer("\n", self.text))]
        line = bisect.bisect_right(starts, index) - 1
        return line + self.line_offset, index - starts[line] + 1


_TAG_PROBLEM = r"constructor for the tag '([^']*)'"  # compiled when an error needs it


def _yaml_error(exc: yaml.YAMLError, path: Path, where: _Positions) -> SourceError:
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports the byte offset of the offending character in the UTF-8 text.
        index = len(where.text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        char = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        return SourceError(path, f"invalid YAML: {exc.reason}{char}", *where.at(index),
                           code="E004")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return SourceError(path, f"invalid YAML: {str(exc).splitlines()[0]}", *where(None),
                           code="E004")
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    tag = re.search(_TAG_PROBLEM, problem)
    if isinstance(exc, yaml.constructor.ConstructorError) and tag:
        name = tag[1].replace("tag:yaml.org,2002:", "!!", 1)
        problem = f"YAML tag {name!r} is not allowed (only plain data is read)"
        code = "E006"
    elif "maximum nesting depth" in problem:
        problem = f"front matter nests deeper than {MAX_DEPTH} levels"
        code = "E007"
    else:
        problem = f"invalid YAML: {problem}"
        code = "E004"
    return SourceError(path, problem, *where(mark), code=code)


_ALIAS_HINT = re.compile(r"[&*]")


def _refuse_aliases_and_depth(fm_text: str, path: Path, where: _Positions) -> None:
    """Refuse anchors/aliases and nesting deeper than MAX_DEPTH (docs/guarantees.md: Limits),
    cheaply.

    The event stream is only walked when the text could hold either.
    """
    if not _ALIAS_HINT.search(fm_text) and not may_nest_too_deep(fm_text):
        return
    depth = 0
    try:
        for event in yaml.parse(fm_text, Loader=PostLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(path, "YAML anchors and aliases are not allowed in front matter",
                                  *where(event.start_mark), code="E007")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(path, f"front matter nests deeper than {MAX_DEPTH} levels",
                                      *where(event.start_mark), code="E007")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, where) from None


def may_nest_too_deep(fm_text: str) -> bool:
    """Whether the text could nest deeper than MAX_DEPTH (a cheap, safe over-estimate).

    Every two levels of block nesting move a collection at least one column right, and
    only spaces and the indicators ``- ? :`` can stand before it on its line; so with a
    longest such run of L characters, block depth is at most 2L + 2. Each flow bracket
    adds at most one level.
    """
    budget = MAX_DEPTH - 2 - fm_text.count("[") - fm_text.count("{")
    if budget < 0:
        return True
    return re.search(rf"^[ \t?:-]{{{budget // 2 + 1}}}", fm_text, re.MULTILINE) is not None


def _key_positions(
    node: yaml.MappingNode, fm_text: str, where: _Positions
) -> tuple[dict[str, KeyInfo], tuple[Duplicate, ...]]:
    keys: dict[str, KeyInfo] = {}
    duplicates: list[Duplicate] = []
    for key_node, value_node in node.value:
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        start, end = value_node.start_mark, value_node.end_mark
        key_line, key_col = where(key_node.start_mark)
        value_line, value_col = where(start)
        end_line, end_col = where(end)
        info = KeyInfo(
            line=key_line,
            col=key_col,
            value_line=value_line,
            value_col=value_col,
            end_line=end_line - int(end_col == 1 and end_line > value_line),
            value_text=fm_text[start.index : end.index],
            style=getattr(value_node, "style", None),
        )
        if name in keys:
            duplicates.append(Duplicate(name, keys[name].line, info.line))
        keys[name] = info
    return keys, tuple(duplicates)


def _duplicates(node: yaml.MappingNode, where: _Positions) -> tuple[Duplicate, ...]:
    """The keys of ``node`` written more than once, as :func:`_key_positions` finds them."""
    names = [str(key.value) if isinstance(key, yaml.ScalarNode) else "?" for key, _ in node.value]
    if len(set(names)) == len(names):
        return ()
    first: dict[str, int] = {}
    duplicates = []
    for name, (key_node, _) in zip(names, node.value, strict=True):
        line = where(key_node.start_mark)[0]
        if name in first:
            duplicates.append(Duplicate(name, first[name], line))
        first[name] = line
    return tuple(duplicates)


def _comments(fm_text: str, line_offset: int) -> tuple[tuple[int, str], ...]:
    """Whole-line and trailing ``#`` comments, by file line (approximate for quoted '#')."""
    if "#" not in fm_text:
        return ()
    found = []
    for number, line in enumerate(fm_text.split("\n"), start=line_offset):
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
