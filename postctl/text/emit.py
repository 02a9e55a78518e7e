"""Write YAML scalars and simple lists that read back exactly as given.

A string is written plain (unquoted) only when :mod:`postctl.text.scalars` says every
reader takes it as that string (``no``, ``on``, ``1.10`` and ``2024-01-01`` are not
strings to postctl, ``09:30`` is not one to Jekyll), and loading it back with postctl's
loader gives it again in its place (a key, a flow or a block item); anything else is
double-quoted with escapes. A key is typed like a value here, as Jekyll types it,
though postctl reads a plain key as its text. No output ever contains a line break, so
a value can be spliced into one line of front matter.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

import yaml

from postctl.errors import PostctlError
from postctl.text.scalars import PostLoader, written_plain_is_text

Context = Literal["block", "flow", "key"]

# Format characters kept as they are: joiners used by Persian, Indic scripts and emoji
# sequences, and the tag characters of flag emoji. Every other format character
# (bidi controls, zero-width space, BOM...) is written as an escape so it stays visible.
_KEEP_FORMAT = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}


class EmitError(PostctlError, ValueError):
    """A value that cannot be written as YAML front matter."""


def needs_escape(char: str) -> bool:
    """True for characters written as escapes: controls, line/paragraph separators,
    non-characters, surrogates and invisible format characters (except joiners)."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return True
    if category == "Cf":
        return char not in _KEEP_FORMAT
    return char in "\ufffe\uffff"


def scalar(value: object) -> str:
    """The YAML text of one scalar value, in plain style when that reads back the same."""
    return _scalar(value, "block")


def key(name: str) -> str:
    """The YAML text of a mapping key."""
    if not isinstance(name, str):
        raise TypeError(f"front-matter keys are strings, not {type(name).__name__}")
    return _string(name, "key")


def double_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, escaping what must be escaped."""
    _refuse_surrogates(text)
    parts = ['"']
    for char in text:
        if char in _SHORT_ESCAPES:
            parts.append(_SHORT_ESCAPES[char])
        elif needs_escape(char):
            parts.append(_escape(char))
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def single_quoted(text: str) -> str | None:
    """``text`` as a single-quoted YAML scalar, or None when it needs escapes."""
    if any(char == "\t" or needs_escape(char) for char in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def flow_list(values: Iterable[object]) -> str:
    """A one-line flow sequence such as ``[a, "b c: d"]``."""
    return "[" + ", ".join(flow_scalar(value) for value in values) + "]"


def flow_scalar(value: object) -> str:
    """The YAML text of one item of a flow sequence (``,[]{}`` need quotes there)."""
    return _scalar(value, "flow")


def block_list(values: Iterable[object], indent: str = "  ", newline: str = "\n") -> str:
    """Block sequence lines (``{indent}- item``), each ending with ``newline``."""
    return "".join(f"{indent}- {_scalar(value, 'block')}{newline}" for value in values)


def mapping(
    items: Sequence[tuple[str, object]],
    newline: str = "\n",
    list_style: Literal["flow", "block"] = "flow",
) -> str:
    """Front-matter lines for ``items`` (no ``---`` delimiters), each ending with ``newline``.

    A None value is written as an empty value (``key:``); an empty list as ``[]``.
    """
    lines = []
    for name, value in items:
        prefix = key(name) + ":"
        if value is None:
            lines.append(prefix + newline)
        elif isinstance(value, (list, tuple)):
            if list_style == "block" and value:
                lines.append(prefix + newline + block_list(value, "  ", newline))
            else:
                lines.append(f"{prefix} {flow_list(value)}{newline}")
        else:
            lines.append(f"{prefix} {scalar(value)}{newline}")
    return "".join(lines)


def as_written(value: object) -> object:
    """The value that the emitted text of ``value`` reads back as.

    Tuples become lists, subclasses of int/float/str their base type, and a datetime
    whose offset has seconds is moved to UTC (see ``format_datetime``).
    """
    if isinstance(value, (list, tuple)):
        return [as_written(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return _minute_offset(value)
    return value


# --- dates and times ------------------------------------------------------------------


def format_offset(offset: dt.timedelta) -> str:
    """``+HH:MM`` / ``-HH:MM``: the only numeric offset form PyYAML reads as a timestamp."""
    minutes = offset // dt.timedelta(minutes=1)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def format_datetime(value: dt.datetime, fmt: str | None = None) -> str:
    """Render an aware datetime with a strftime-like format, always with an explicit offset.

    ``%z`` and ``%:z`` both give ``+HH:MM`` (the offset PyYAML reads as part of a
    timestamp); ``%-z`` gives ``+HHMM``, as Jekyll writes it (a string to PyYAML, a date
    to Jekyll and to postctl); a format without any of them gets `` +HH:MM`` appended.
    Without a format the result is ``YYYY-MM-DD HH:MM:SS +HH:MM``. An offset with seconds
    (old local mean times) cannot be written, so such a value is rendered in UTC.
    """
    value = _minute_offset(value)
    offset = value.utcoffset()
    if offset is None:
        raise EmitError("cannot write a date-time without a time zone offset")
    if fmt is None:
        return _plain_datetime(value)
    text, had_offset = _strftime(value, fmt, format_offset(offset))
    return text if had_offset else f"{text} {format_offset(offset)}"


def datetime_scalar(value: dt.datetime, fmt: str | None = None) -> str:
    """YAML text for ``format_datetime(value, fmt)``: plain when it reads back as the
    same aware datetime (same instant and offset), or, with a ``+HHMM`` offset, as that very
    text (a date to Jekyll, written plain as Jekyll writes it); otherwise the quoted string."""
    text = format_datetime(value, fmt)
    loaded = _load_plain(f"k: {text}\n")
    if isinstance(loaded, dict) and (
            _same_datetime(loaded.get("k"), value)
            or (loaded.get("k") == text and _COMPACT_OFFSET.search(text) is not None)):
        return text
    return scalar(text)


_COMPACT_OFFSET = re.compile(r"\d \+\d{4}$|\d -\d{4}$")


def _same_datetime(loaded: object, value: dt.datetime) -> bool:
    return (
        isinstance(loaded, dt.datetime)
        and loaded == value
        and loaded.utcoffset() == _minute_offset(value).utcoffset()
    )


def _minute_offset(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        return value.astimezone(dt.timezone.utc)
    return value


def _plain_datetime(value: dt.datetime) -> str:
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    offset = value.utcoffset()
    return text if offset is None else f"{text} {format_offset(offset)}"


def _strftime(value: dt.datetime, fmt: str, offset: str) -> tuple[str, bool]:
    """strftime, with %z/%:z as ``+HH:MM``, %-z as ``+HHMM`` and a 4-digit %Y on every
    platform."""
    pieces: list[str] = []
    had_offset = False
    index = 0
    while index < len(fmt):
        char = fmt[index]
        if char != "%" or index + 1 == len(fmt):
            pieces.append(char.replace("%", "%%"))
            index += 1
            continue
        directive = fmt[index + 1]
        if directive in ":-" and fmt.startswith("z", index + 2):
            pieces.append(offset if directive == ":" else offset.replace(":", ""))
            had_offset = True
            index += 3
            continue
        if directive == "z":
            pieces.append(offset)
            had_offset = True
        elif directive == "Y":
            pieces.append(f"{value.year:04d}")
        else:
            pieces.append("%" + directive)
        index += 2
    return value.strftime("".join(pieces)), had_offset


# --- scalars --------------------------------------------------------------------------


def _scalar(value: object, context: Context) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, dt.datetime):
        return _plain_datetime(_minute_offset(value))
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, str):
        return _string(value, context)
    raise EmitError(f"cannot write a value of type {type(value).__name__} as a YAML scalar")


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text:  # YAML 1.1 floats need a dot: 1e+20 would be a string
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}" if exponent else f"{mantissa}.0"
    return text


def _string(text: str, context: Context) -> str:
    _refuse_surrogates(text)
    plain = _plain_ok_cached(text, context) if len(text) <= 256 else _plain_ok(text, context)
    return text if plain else double_quoted(text)


def _refuse_surrogates(text: str) -> None:
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise EmitError(
                f"cannot write text containing U+{ord(char):04X} "
                "(a lone surrogate: not valid Unicode, often from undecodable bytes)"
            )


@functools.lru_cache(maxsize=256)
def _plain_ok_cached(text: str, context: Context) -> bool:
    """:func:`_plain_ok`, kept for the short texts asked last: a change to many posts
    writes the same few names again and again."""
    return _plain_ok(text, context)


def _plain_ok(text: str, context: Context) -> bool:
    if not text or any(char == "\t" or needs_escape(char) for char in text):
        return False
    if not written_plain_is_text(text):
        return False
    if context == "key":
        if text.startswith(("---", "...")):
            return False
        return _load_plain(f"{text}: 0\n") == {text: 0}
    if context == "flow":
        return _load_plain(f"k: [{text}, {text}]\n") == {"k": [text, text]}
    return _load_plain(f"k: {text}\nl:\n- {text}\n") == {"k": text, "l": [text]}


def _load_plain(document: str) -> object:
    try:
        return yaml.load(document, Loader=PostLoader)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return None


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"
