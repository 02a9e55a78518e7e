"""The one sanitiser for untrusted text on its way to a terminal (docs/guarantees.md: Terminal).

Post metadata, bodies, file names and error excerpts are data. Printed raw, an ESC or C1
character drives the terminal (colours, cursor moves, window titles, hyperlinks), a bidi
override reorders what the reader sees, and a zero-width character hides a difference. Every
such code point is replaced by a visible escape (``\\x1b``, ``\\u202e``) before the text reaches
rich or a stream; everything else, including non-Latin scripts and emoji, passes through.
"""

from __future__ import annotations

import functools
import re

__all__ = ["escape_json_text", "sanitize", "sanitize_line"]

# Code points that control the terminal or hide/reorder text, outside any context.
#   C0 except \t and \n, DEL, C1; surrogates (a str can hold them, a terminal cannot);
#   ZWSP, LRM, RLM (U+200B, U+200E, U+200F); bidi embeddings and overrides (U+202A-U+202E);
#   invisible operators and the word joiner (U+2060-U+2064); bidi isolates and the
#   deprecated format controls (U+2066-U+206F); BOM / ZWNBSP (U+FEFF); Arabic letter mark.
_C0 = "\x00-\x08\x0b-\x1f"
_INVISIBLE = (
    "\x7f-\x9f\ud800-\udfff\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u061c"
)
_ALWAYS = _C0 + _INVISIBLE

# ZWNJ and ZWJ (U+200C, U+200D) are invisible too, but text needs them: emoji sequences
# (👩‍💻) and Persian or Indic spelling. They are kept only between two characters of such a
# context, and escaped anywhere else (for example between two Latin letters).
_JOIN_CONTEXT = (
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u0900-\u0dff"  # Arabic, Indic scripts
    "\ufb50-\ufdff\ufe70-\ufefc"  # Arabic presentation forms
    "\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]"  # symbols, VS16, emoji and modifiers
)
_JOINERS = "\u200c\u200d"
_LONE_JOINER = f"(?<!{_JOIN_CONTEXT})[{_JOINERS}]|[{_JOINERS}](?!{_JOIN_CONTEXT})"
_LINE_BREAKS = "\n\t\u2028\u2029"

# Clean text is the common case. No code point above is printable (each is a control, a
# format character, a surrogate or a line/paragraph separator), so printable text has
# nothing to escape: ``str.isprintable`` says so without a pattern. Otherwise a plain
# character class finds "nothing to do" about ten times faster than the full pattern with
# its look-arounds. Every pattern is compiled on first use: start-up matters.
_CANDIDATE = f"[{_ALWAYS}{_JOINERS}]"
_CANDIDATE_LINE = f"[{_ALWAYS}{_JOINERS}{_LINE_BREAKS}]"
_UNSAFE = f"[{_ALWAYS}]|{_LONE_JOINER}"
_UNSAFE_LINE = f"[{_ALWAYS}{_LINE_BREAKS}]|{_LONE_JOINER}"
# Inside serialised JSON: everything a terminal should not see raw. JSON already escapes C0.
_UNSAFE_JSON = f"[{_INVISIBLE}{_JOINERS}\u2028\u2029]"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def sanitize(text: str) -> str:
    """Return ``text`` with every terminal-unsafe code point replaced by a visible escape.

    Newlines and tabs are kept (multi-line text such as a post body); ``\\r`` becomes ``\\r``.
    Text with nothing to replace is returned as the same object.
    """
    if text.isprintable() or _compiled(_CANDIDATE).search(text) is None:
        return text
    return _compiled(_UNSAFE).sub(_escape, text)


def sanitize_line(text: str) -> str:
    """Like :func:`sanitize`, and also escape ``\\n``, ``\\t``, U+2028 and U+2029.

    For text that must stay on one line: table cells, paths, messages.
    """
    if text.isprintable() or _compiled(_CANDIDATE_LINE).search(text) is None:
        return text
    return _compiled(_UNSAFE_LINE).sub(_escape, text)


_SPACE_RUN = re.compile(r"[ \t\r\n\v\f\u0085\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` as one line for a person to read: each run of spaces and line breaks (a
    title written as a folded or literal YAML block ends with one, and may hold more)
    becomes one space, and the ends are stripped. Data output keeps the real value."""
    return _SPACE_RUN.sub(" ", text).strip()


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_json_text(json_text: str) -> str:
    """Escape terminal-unsafe code points in serialised JSON as ``\\uXXXX``.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but writes DEL, C1, bidi
    controls and lone surrogates raw (the last one cannot even be encoded as UTF-8). These code
    points can only occur inside JSON strings, so escaping them keeps the document valid and
    its parsed value identical, while readable text (accents, CJK, emoji) stays unescaped.
    """
    pattern = _compiled(_UNSAFE_JSON)
    if pattern.search(json_text) is None:
        return json_text
    return pattern.sub(_json_escape, json_text)
