"""``postctl new`` on a Hugo site: the archetype ``hugo new content`` uses, filled in as Hugo
fills it.

For ``content/<section>/.../<name>.md`` Hugo takes ``archetypes/<section>.md``, else
``archetypes/default.md`` (the extension is the new file's), and runs it as a Go template.
postctl fills the actions such archetypes use: ``.Date`` (the post's date, RFC 3339),
``.Name`` and ``.File.ContentBaseName`` (the file name without extension, or the bundle's
folder name), ``.File.BaseFileName``, ``.Section`` and ``.Type`` (the first folder),
``.Site.Title``, string literals, comments, ``{{-``/``-}}``, and pipelines through
``replace``, ``title`` (Hugo's default AP style), ``humanize``, ``lower`` and ``upper``.
Any other action is refused with the archetype's path and line: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from postctl.errors import UsageError

__all__ = ["ArchetypeData", "fill", "find_archetype", "rfc3339"]

# {{ action }}, with Go's trim markers: "{{- " trims the space before, " -}}" the space after.
_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)')
# Words Hugo's title (AP style) keeps in lower case, but for the first and the last.
_MINOR = frozenset("a an and as at but by en for if in nor of on or per the to v v. via vs vs."
                   .split())


class ArchetypeData(NamedTuple):
    """What an archetype's actions read."""

    date: dt.datetime
    name: str  # the file name without its extension, or a bundle's folder name
    base_file_name: str  # the file name without its extension ("index" for a bundle)
    section: str
    site_title: str = ""


def find_archetype(site_root: Path, section: str, extension: str) -> Path | None:
    """The archetype Hugo uses for a new file of ``section`` (None: Hugo's built-in one).
    A bundle archetype (a folder) is refused: postctl writes one file."""
    folder = site_root / "archetypes"
    if section and (folder / section).is_dir():
        raise UsageError(f"archetypes/{section} is a page bundle archetype (a folder): "
                         "postctl new writes one file; use hugo new content for it")
    for name in ([section] if section else []) + ["default"]:
        path = folder / f"{name}{extension}"
        if path.is_file():
            return path
    return None


def rfc3339(moment: dt.datetime) -> str:
    """A date as Go's RFC 3339 writes it: seconds, ``Z`` for UTC."""
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def fill(template: str, data: ArchetypeData, where: str) -> str:
    """The archetype's text with its actions filled in; ``where`` names it in errors."""
    parts: list[str] = []
    pos = 0
    trim_next = False
    for action in _ACTION.finditer(template):
        text = template[pos:action.start()]
        if trim_next:
            text = text.lstrip()
        if action[1]:
            text = text.rstrip()
        parts.append(text)
        line = template.count("\n", 0, action.start()) + 1
        parts.append(_evaluate(action[2].strip(), data, f"{where}:{line}"))
        trim_next = bool(action[3])
        pos = action.end()
    rest = template[pos:]
    parts.append(rest.lstrip() if trim_next else rest)
    return "".join(parts)


def _evaluate(action: str, data: ArchetypeData, where: str) -> str:
    if action.startswith("/*") and action.endswith("*/"):
        return ""
    fields = {
        ".Date": rfc3339(data.date), ".Name": data.name, ".File.ContentBaseName": data.name,
        ".File.BaseFileName": data.base_file_name, ".Section": data.section,
        ".Type": data.section or "page", ".Site.Title": data.site_title,
    }

    def refused(why: str) -> UsageError:
        return UsageError(f"{where}: postctl cannot fill {{{{ {action} }}}} ({why}); "
                          "nothing written")

    value: str | None = None
    for number, command in enumerate(_split_pipeline(action)):
        tokens = list(_TOKEN.findall(command))
        if not tokens:
            raise refused("an empty command")
        head, *rest = tokens
        arguments = [_literal(token, fields, refused) for token in rest]
        if number > 0:
            arguments.append(value or "")
        function = _FUNCTIONS.get(head)
        if function is not None:
            arity, call = function
            if len(arguments) != arity:
                raise refused(f"{head} takes {arity} argument{'s' if arity > 1 else ''}")
            value = call(*arguments)
        elif number == 0 and not rest:
            value = _literal(head, fields, refused)
        else:
            raise refused(f"{head!r} is not a function postctl knows")
    return value or ""


def _split_pipeline(action: str) -> list[str]:
    """The commands of a pipeline: ``|`` outside quotes."""
    commands: list[str] = []
    current: list[str] = []
    quote = ""
    for char in action:
        if quote:
            quote = "" if char == quote and (current[-1:] != ["\\"] or quote == "`") else quote
        elif char in "\"`":
            quote = char
        elif char == "|":
            commands.append("".join(current))
            current = []
            continue
        current.append(char)
    commands.append("".join(current))
    return commands


def _literal(token: str, fields: dict[str, str],
             refused: Callable[[str], UsageError]) -> str:
    if token.startswith('"') and token.endswith('"') and len(token) > 1:
        import json

        try:
            text: str = json.loads(token)
        except ValueError:
            raise refused("a string postctl cannot read") from None
        return text
    if token.startswith("`") and token.endswith("`") and len(token) > 1:
        return token[1:-1]
    if token in fields:
        return fields[token]
    raise refused(f"{token!r} is not a value postctl knows")


def title_case(text: str) -> str:
    """Hugo's ``title`` (AP style): each word's first letter in upper case, but for short
    words (a, and, of, the...) that are neither first nor last."""
    words = text.split(" ")
    found = [index for index, word in enumerate(words) if word]
    out = []
    for index, word in enumerate(words):
        minor = word.lower() in _MINOR and index not in (found[0], found[-1])
        out.append(word.lower() if minor else word[:1].upper() + word[1:])
    return " ".join(out)


def humanize(text: str) -> str:
    """Hugo's ``humanize``: words split at ``-``, ``_`` and lower-to-upper case changes, in
    lower case but for the first letter."""
    chars = []
    for index, char in enumerate(text.replace("-", " ").replace("_", " ")):
        if index and char.isupper() and text[index - 1].islower():
            chars.append(" ")
        chars.append(char)
    lowered = " ".join("".join(chars).split()).lower()
    return lowered[:1].upper() + lowered[1:]


_FUNCTIONS: dict[str, tuple[int, Callable[..., str]]] = {
    "replace": (3, lambda text, old, new: str(text).replace(old, new)),
    "title": (1, title_case),
    "humanize": (1, humanize),
    "lower": (1, str.lower),
    "upper": (1, str.upper),
}
