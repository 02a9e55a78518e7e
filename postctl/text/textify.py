"""Post text for searching: Markdown and Liquid reduced to plain text, and word tokens.

``markdown_to_text`` keeps what a reader sees (words, link text, image alt text, code) and
drops markup (emphasis markers, link targets, heading hashes, table pipes, HTML tags, Liquid
tags and output), so search snippets read like prose. It is a fast line-preserving regex
pass, not a Markdown parser: indexing 100k posts must take seconds, not minutes.

``fold`` and ``tokens`` define what a *word* is for the file-scan search path and for
highlighting, matching SQLite FTS5's ``unicode61 remove_diacritics 2`` tokenizer closely:
letters, digits and private-use characters form words; case and diacritics are ignored.
``fold_chars`` is a length-preserving character map applied to indexed text and to query
words, so FTS5 also ignores the marks its tokenizer keeps (Greek accents, Russian ё).

Chinese, Japanese and Korean are written without spaces between words (Korean attaches its
particles to the word), so each of their characters is a word of its own: a word of two or
more characters is found as a phrase of single characters, wherever it occurs in a run.
``split_cjk`` puts a break between such characters for the index tokenizer, which would
otherwise take a whole run for one word.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "CJK_BREAK", "count_words", "fold", "fold_chars", "has_word", "index_text",
    "markdown_to_text", "plain_line", "split_cjk", "tokens",
]

# --------------------------------------------------------------------------------------------
# Every pattern here runs in time linear in the text, whatever the text (a post is untrusted
# input): no two quantifiers may split the same run of characters between them, and a pattern
# that would scan to the end of the text from many starting points is not used that way.

# Spans dropped whole, from an opener to the first closer of its kind after it: the openers'
# common first characters, then per kind the rest of its opener and its closer. The common
# literal start lets the regex engine skip to candidates. See _drop_enclosed.
_Enclosed = tuple[str, dict[str, tuple[str, str]]]
_LIQUID_COMMENT: _Enclosed = (
    r"\{%", {"comment": (r"-?\s*comment\s*-?%\}", r"\{%-?\s*endcomment\s*-?%\}")})
_LIQUID_MARKUP: _Enclosed = (r"\{", {"tag": ("%", r"%\}"), "output": (r"\{", r"\}\}")})
_HTML_HIDDEN: _Enclosed = ("<", {
    "comment": ("!--", "-->"),
    "script": (r"(?i:script)\b[^<>]*>", r"(?i:</script\s*>)"),
    "style": (r"(?i:style)\b[^<>]*>", r"(?i:</style\s*>)"),
})
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")

# --------------------------------------------------------------------------------------------
# Markdown. Line patterns start with a literal newline (the text gets one prepended): the
# regex engine then jumps from line to line instead of trying every position, as `^` does.

_REF_DEF = re.compile(r"\n[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*")
# A link target: no spaces or parentheses, or one level of them (`wiki/Foo_(bar)`), and an
# optional title; it stops at a second unmatched `(`, so a failed try never reads far.
_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_LINK_TEXT = r"\[([^\[\]\n]*)\]"
_IMAGE = re.compile(rf"!{_LINK_TEXT}(?:{_TARGET}|\[[^\[\]\n]*\])?")
_LINK = re.compile(rf"{_LINK_TEXT}(?:{_TARGET}|\[[^\[\]\n]*\])?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Leading blanks are matched once, by `\n[ \t]*`: every alternative after it starts with a
# character that is not blank, so it cannot take part of that run back.
_DROP_LINE = re.compile(
    r"\n[ \t]*(?:(?:`{3,}|~{3,})[^\n]*"  # code fences (the code itself is kept)
    r"|(?:[-*_=][ \t]*){3,}"  # rules and setext underlines
    r"|(?:\|[ \t]*)?:?-+:?(?:[ \t]*\|[ \t]*:?-+:?)+(?:[ \t]*\|)?[ \t]*"  # table separators
    r")(?=\n|$)"
)
_LINE_PREFIX = re.compile(
    r"\n[ \t]*(?:(?:>[ \t]?)+(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?|#{1,6}(?=[ \t\n])[ \t]*"
    r"|[-*+][ \t]+|\d{1,9}[.)][ \t]+)"
)
# The lookbehind makes a run of blanks one try, not one per blank.
_HEADING_TAIL = re.compile(r"(?<![ \t])[ \t]+#+[ \t]*(?=\n)")
_UNDERSCORES = re.compile(r"_+")
_SPACES = re.compile(r"[ \t]{2,}|\t")
_LINE_EDGES = re.compile(r" \n|\n ")
_BLANK_LINES = re.compile(r"\n\n\n+")


def index_text(body: str) -> str:
    """The words of a body for the index: Liquid, HTML tags, link targets and reference
    definitions removed, entities decoded. Punctuation-only markup (emphasis, heading hashes,
    list markers, table pipes) is left in: the tokenizer ignores it."""
    text = body
    if "{" in text:
        text = _drop_enclosed(text, _LIQUID_COMMENT)
        text = _drop_enclosed(text, _LIQUID_MARKUP)
    if "<" in text:
        text = _drop_enclosed(text, _HTML_HIDDEN)
        text = _AUTOLINK.sub(r"\1", text)
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "]:" in text:
        text = _REF_DEF.sub("\n", "\n" + text)[1:]
    if "[" in text:
        if "![" in text:
            text = _IMAGE.sub(r"\1", text)  # first, so that a linked image is a link's text
        text = _LINK.sub(r"\1", text)
    return text


def _drop_enclosed(text: str, enclosed: _Enclosed) -> str:
    """``text`` with each span from an opener to the first closer of its kind after it
    replaced by a space, as ``re.sub`` with ``opener.*?closer`` (DOTALL) would, in linear time.

    An opener with no closer after it stays as it is, and its kind is not looked for again:
    no later opener of that kind can be closed either (the lazy pattern would scan the rest
    of the text again for each one).
    """
    prefix, kinds = enclosed
    live = dict(kinds)
    pieces: list[str] = []
    done = start = 0
    while live:
        opener = _opener(prefix, tuple((kind, rest) for kind, (rest, _) in live.items()))
        while True:
            found = opener.search(text, start)
            if found is None:
                live.clear()
                break
            kind = str(found.lastgroup)
            closed = re.compile(live[kind][1]).search(text, found.end())
            if closed is None:
                del live[kind]
                start = found.start() + 1
                break
            pieces += [text[done:found.start()], " "]
            done = start = closed.end()
    pieces.append(text[done:])
    return "".join(pieces)


@functools.cache
def _opener(prefix: str, kinds: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile(prefix + "(?:" + "|".join(f"(?P<{kind}>{rest})" for kind, rest in kinds)
                      + ")")


def markdown_to_text(body: str) -> str:
    """The readable text of a Markdown/Liquid/HTML body, for display (search snippets).

    Line structure is kept (one output line per source line, blank lines between blocks);
    emphasis markers, heading hashes, list and quote markers, table pipes and code fences go.
    Control characters become spaces, so the result never contains ``\\x01``/``\\x02``
    (the highlight markers of search snippets). Its words are those of :func:`index_text`.
    """
    text = "\n" + index_text(body).replace("\r\n", "\n").replace("\r", "\n")
    text = _DROP_LINE.sub("\n", text)
    text = _LINE_PREFIX.sub("\n", text)
    if "#" in text:
        text = _HEADING_TAIL.sub("", text + "\n")
    for marker in ("*", "~~", "`"):
        if marker in text:
            text = text.replace(marker, "")
    if "_" in text:
        text = _UNDERSCORES.sub(_underscore, text)
    if "|" in text:
        text = text.replace("|", " ")
    text = _CONTROL.sub(" ", text)
    text = _LINE_EDGES.sub("\n", _SPACES.sub(" ", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _underscore(match: re.Match[str]) -> str:
    """Keep ``snake_case`` underscores, drop ``_emphasis_`` markers."""
    text, start, end = match.string, match.start(), match.end()
    inside = 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return match.group() if inside else ""


def plain_line(text: str) -> str:
    """A metadata value (title, excerpt) as one line of plain text for indexing."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text).replace("\n", " ")).strip()


# --------------------------------------------------------------------------------------------
# Folding


@functools.cache
def _fold_table() -> dict[int, str]:
    """Greek letters with accents or diaeresis → their base letter; Cyrillic ё → е.

    unicode61 folds Latin diacritics itself but keeps Greek tonos and Cyrillic letters; Russian
    is mostly written with е for ё, so both spellings should match. Cyrillic й, ї and the
    like are letters of their own and stay distinct. One character maps to one character, so
    offsets in folded text are offsets in the original.
    """
    table: dict[int, str] = {0x0451: "\u0435", 0x0401: "\u0415"}
    for code in list(range(0x0370, 0x0400)) + list(range(0x1F00, 0x2000)):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        if (
            len(decomposed) > 1
            and unicodedata.category(base).startswith("L")
            and all(unicodedata.category(mark) == "Mn" for mark in decomposed[1:])
        ):
            table[code] = base
    return table


_NEEDS_FOLD = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0401\u0451]")


def fold_chars(text: str) -> str:
    """Map accented Greek letters and ё to their base letter (length-preserving)."""
    if text.isascii() or _NEEDS_FOLD.search(text) is None:
        return text
    return text.translate(_fold_table())


def fold(word: str) -> str:
    """A word's search key: case folded, diacritics removed (as the index tokenizer does)."""
    if word.isascii():
        return word.lower()
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", fold_chars(word)):
        if kept and _is_latin(kept[-1]) and unicodedata.category(char) == "Mn":
            continue  # a diacritic on a Latin letter (Cyrillic й and the like keep theirs)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


# --------------------------------------------------------------------------------------------
# Tokens

# The letters of the scripts written without spaces between words: Hangul jamo, Hiragana,
# Katakana, Bopomofo, Hangul compatibility jamo, CJK ideographs (extension A, the main block,
# compatibility ideographs, the supplementary planes), Hangul syllables, halfwidth Katakana.
_CJK_RANGES = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31bf"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
    "\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
# Word characters as unicode61 sees them: letters, numbers, private use, and combining marks
# (which it removes, without splitting the word). \w also matches '_', which splits words.
# A CJK letter is a word alone (see the module docstring).
_TOKEN = re.compile(
    rf"(?=\w)[{_CJK_RANGES}]|[^\W_{_CJK_RANGES}]+(?:[\u0300-\u036f]+[^\W_{_CJK_RANGES}]*)*")
_CJK_EDGE = re.compile(rf"(?<=[{_CJK_RANGES}])(?=\w)|(?<=\w)(?=[{_CJK_RANGES}])")
_CJK = re.compile(f"[{_CJK_RANGES}]")
# The break ``split_cjk`` puts in indexed text: a separator for the tokenizer that no indexed
# text holds otherwise (it is replaced by a space first), so highlights can drop it again.
CJK_BREAK = "\x1f"


def split_cjk(text: str, mark: str = CJK_BREAK) -> str:
    """``text`` with ``mark`` between a CJK letter and the letter or digit next to it, so that
    the index tokenizer takes each CJK letter for a word, as :func:`tokens` does. Text with
    no CJK letter comes back as it is."""
    if text.isascii() or _CJK.search(text) is None:
        return text
    if mark == CJK_BREAK:
        text = text.replace(CJK_BREAK, " ")
    return _CJK_EDGE.sub(mark, text)


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """``(folded word, start, end)`` for every word of ``text``, offsets into ``text``."""
    for match in _TOKEN.finditer(text):
        yield fold(match.group()), match.start(), match.end()


def count_words(text: str) -> int:
    """How many words :func:`tokens` finds in ``text`` (without folding them)."""
    return sum(1 for _ in _TOKEN.finditer(text))


def has_word(text: str) -> bool:
    """Whether ``text`` contains at least one word character (something to search for)."""
    return _TOKEN.search(text) is not None
