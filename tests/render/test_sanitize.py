from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postctl.text.sanitize import escape_json_text, sanitize, sanitize_line

# The check of docs/guarantees.md, Terminal: no *character* (not byte) of these classes may reach
# the terminal.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]
ZERO_WIDTH = ["\u200b", "\ufeff", "\u2060"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]

READABLE = [
    "Привет, мир",  # Cyrillic: its UTF-8 bytes include 0x80-0x9F
    "before — after",  # em dash
    "party 🎉 time",
    "漢字かなカナ",
    "مرحبا بالعالم",
    "e\u0301te\u0301",  # combining accents
    "tab\tand\nnewline",
    "👩\u200d💻 and 👨\u200d👩\u200d👧",  # ZWJ emoji sequences
    "👩🏽\u200d🚀",  # with a skin tone modifier
    "می\u200cخواهم",  # Persian needs ZWNJ
    "back\\slash [bold]markup[/bold] :smile:",
]


def _escape_of(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


@pytest.mark.parametrize("char", [*C0, "\x7f", *C1, *BIDI, *ZERO_WIDTH, *SURROGATES])
def test_each_control_becomes_a_visible_escape(char: str) -> None:
    expected_escape = "\\r" if char == "\r" else _escape_of(char)
    result = sanitize(f"a{char}b")
    assert result == f"a{expected_escape}b"
    assert char not in result
    assert FORBIDDEN.search(result) is None
    result.encode("utf-8")  # no surrogate left to break the encoder


def test_every_c0_del_and_c1_code_point_at_once() -> None:
    text = "".join(chr(c) for c in range(0xA0))
    result = sanitize(text)
    assert FORBIDDEN.search(result) is None
    assert "\t" in result and "\n" in result
    assert "\\x1b" in result and "\\x9b" in result and "\\x00" in result and "\\r" in result


def test_escape_sequence_is_neutralised() -> None:
    hostile = "title\x1b]0;pwned\x07\x1b[2J\x9b31m"
    assert sanitize(hostile) == "title\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m"


@pytest.mark.parametrize("text", READABLE)
def test_readable_text_passes_through_as_the_same_object(text: str) -> None:
    assert sanitize(text) is text


def test_joiners_outside_a_script_or_emoji_context_are_escaped() -> None:
    assert sanitize("ad\u200dmin") == "ad\\u200dmin"
    assert sanitize("ad\u200cmin") == "ad\\u200cmin"
    assert sanitize("\u200d👩") == "\\u200d👩"  # nothing to join on the left
    assert sanitize("👩\u200d") == "👩\\u200d"  # nothing to join on the right
    assert sanitize("👩\u200d\u200d💻") == "👩\\u200d\\u200d💻"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\ntwo", "one\\ntwo"),
        ("a\tb", "a\\tb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("x\x1b[31my", "x\\x1b[31my"),
        ("x\u202ey", "x\\u202ey"),
    ],
)
def test_sanitize_line_keeps_text_on_one_line(text: str, expected: str) -> None:
    assert sanitize_line(text) == expected


def test_sanitize_keeps_newlines_and_tabs_but_sanitize_line_does_not() -> None:
    assert sanitize("a\nb\tc") == "a\nb\tc"
    assert sanitize_line("a\nb\tc") == "a\\nb\\tc"


@pytest.mark.parametrize("text", [t for t in READABLE if "\n" not in t and "\t" not in t])
def test_sanitize_line_passes_readable_text_through(text: str) -> None:
    assert sanitize_line(text) is text


def test_no_code_point_the_sanitiser_looks_for_is_printable() -> None:
    """Printable text is returned without a search: that is right only while every code
    point that can be escaped (or kept only in context) is one str.isprintable rejects."""
    from postctl.text.sanitize import _CANDIDATE_LINE

    candidate = re.compile(_CANDIDATE_LINE)
    looked_for = [chr(code) for code in range(0x110000) if candidate.match(chr(code))]
    assert len(looked_for) > 2048  # C0, DEL, C1, surrogates, format characters, breaks
    assert [char for char in looked_for if char.isprintable()] == []


def test_json_escaping_keeps_the_value_and_hides_controls() -> None:
    value = {"title": "a\x7f\x9b\u202e\u200b\ud800 é 漢 🎉\x1b", "n": 1}
    raw = json.dumps(value, ensure_ascii=False)
    assert FORBIDDEN.search(raw) is not None  # json.dumps alone lets DEL and C1 through
    escaped = escape_json_text(raw)
    assert FORBIDDEN.search(escaped) is None
    assert SURROGATE.search(escaped) is None
    assert "é 漢 🎉" in escaped
    assert json.loads(escaped) == value


def test_json_escaping_fast_path_returns_the_same_object() -> None:
    raw = json.dumps({"title": "Привет 🎉"}, ensure_ascii=False)
    assert escape_json_text(raw) is raw


@given(st.text())
def test_no_forbidden_character_survives(text: str) -> None:
    for result in (sanitize(text), sanitize_line(text)):
        assert FORBIDDEN.search(result) is None
        assert SURROGATE.search(result) is None
        for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u200b":
            assert char not in result
    assert "\n" not in sanitize_line(text)


@given(st.text())
def test_json_escaping_round_trips(text: str) -> None:
    escaped = escape_json_text(json.dumps([text], ensure_ascii=False))
    assert FORBIDDEN.search(escaped) is None
    assert json.loads(escaped) == [text]
