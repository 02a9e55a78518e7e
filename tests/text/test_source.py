"""Splitting a post's bytes into BOM, front matter and body (postctl.text.source).

Every fixture in tests/data/posts is one edge case, stored byte-exact. The tables below give
what a reader counting lines by hand finds in each file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postctl.errors import SourceError
from postctl.text.source import Source, split_source
from tests.conftest import CORPORA, DATA

POSTS = DATA / "posts"
ALL_FIXTURES = sorted(path.name for path in POSTS.iterdir())

# name -> (kind, bom, newline, fm_line, last front-matter line or None if empty, body_line)
SPLITS = {
    "yaml-basic.md": ("yaml", False, "\n", 2, 4, 6),
    "yaml-bom.md": ("yaml", True, "\n", 2, 3, 5),
    "yaml-crlf.md": ("yaml", False, "\r\n", 2, 5, 7),
    "yaml-bom-crlf.md": ("yaml", True, "\r\n", 2, 3, 5),
    "empty-front-matter.md": ("yaml", False, "\n", 2, None, 3),
    "comment-only-front-matter.md": ("yaml", False, "\n", 2, 2, 4),
    "only-front-matter.md": ("yaml", False, "\n", 2, 2, 4),
    # no final newline: the (empty) body starts at the end of the closing line
    "only-front-matter-no-final-newline.md": ("yaml", False, "\n", 2, 2, 3),
    "only-front-matter-crlf-no-final-newline.md": ("yaml", False, "\r\n", 2, 2, 3),
    "body-thematic-break.md": ("yaml", False, "\n", 2, 2, 4),
    "dots-closing-delimiter.md": ("yaml", False, "\n", 2, 2, 4),
    "delimiter-trailing-whitespace.md": ("yaml", False, "\n", 2, 2, 4),
    "block-scalar-excerpt.md": ("yaml", False, "\n", 2, 6, 8),
    "toml-front-matter.md": ("toml", False, "\n", 2, 7, 9),
    "json-front-matter.md": ("json", False, "\n", 1, 5, 6),
    "json-front-matter-no-body.md": ("json", False, "\n", 1, 1, 1),
    "no-front-matter.md": ("none", False, "\n", 1, None, 1),
    "empty-file.md": ("none", False, "\n", 1, None, 1),
    "four-dashes-not-front-matter.md": ("none", False, "\n", 1, None, 1),
    "leading-blank-line-not-front-matter.md": ("none", False, "\n", 1, None, 1),
    "liquid-first-line-no-front-matter.md": ("none", False, "\n", 1, None, 1),
}

# name -> exact str(error) (the path is the bare file name) and code
ERRORS = {
    "unclosed-yaml.md": (
        "unclosed-yaml.md:1:1: front matter opened with '---' on line 1 is never closed "
        "(no closing '---' line)", "E002"),
    "only-opening-delimiter.md": (
        "only-opening-delimiter.md:1:1: front matter opened with '---' on line 1 is never "
        "closed (no closing '---' line)", "E002"),
    "unclosed-toml.md": (
        "unclosed-toml.md:1:1: front matter opened with '+++' on line 1 is never closed "
        "(no closing '+++' line)", "E002"),
    "not-utf8-latin1.md": ("not-utf8-latin1.md:2:11: not valid UTF-8 (byte 0xe9)", "E003"),
    "binary-nul-byte.md": ("binary-nul-byte.md:4:5: binary file (contains a NUL byte)", "E003"),
    "invalid-json.md": (
        "invalid-json.md:3:1: invalid JSON front matter: Expecting property name enclosed in "
        "double quotes", "E004"),
}


def split(name: str) -> Source:
    return split_source((POSTS / name).read_bytes(), Path(name))


def reassemble(source: Source) -> bytes:
    """The lossless-split identity: BOM + text up to the body + body == the file."""
    return (("\ufeff" if source.bom else "") + source.text[: source.body_offset]
            + source.body).encode("utf-8")


@pytest.mark.parametrize("name", sorted(SPLITS))
def test_split_positions(name: str) -> None:
    kind, bom, newline, fm_line, fm_last, body_line = SPLITS[name]
    source = split(name)
    assert (source.kind, source.bom, source.newline) == (kind, bom, newline)
    assert source.fm_line == fm_line
    last = source.fm_line + source.fm_text.rstrip("\r\n").count("\n") if source.fm_text else None
    assert last == fm_last
    assert source.body_line == body_line
    # the body really starts on that line
    assert source.text.count("\n", 0, source.body_offset) + 1 == body_line
    assert source.text[source.fm_offset : source.fm_offset + len(source.fm_text)] \
        == source.fm_text


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_split_errors(name: str) -> None:
    message, code = ERRORS[name]
    with pytest.raises(SourceError) as caught:
        split(name)
    assert str(caught.value) == message
    assert caught.value.code == code
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", [n for n in ALL_FIXTURES if n not in ERRORS])
def test_split_is_lossless_on_every_fixture(name: str) -> None:
    raw = (POSTS / name).read_bytes()
    source = split_source(raw, Path(name))
    assert source.raw == raw
    assert reassemble(source) == raw


def test_bom_is_removed_from_text_and_remembered() -> None:
    source = split("yaml-bom.md")
    assert source.bom and not source.text.startswith("\ufeff")
    assert source.text.startswith("---\n")
    assert source.fm_text == "title: Starts with a byte order mark\ntags: notes\n"


def test_crlf_front_matter_text_and_body_keep_their_line_endings() -> None:
    source = split("yaml-bom-crlf.md")
    assert source.fm_text == "title: Both\r\nauthor: Ann\r\n"
    assert source.body == "Body.\r\n"


def test_closing_delimiter_is_the_first_dash_line_after_the_opening() -> None:
    source = split("body-thematic-break.md")
    assert source.fm_text == "title: Has a rule\n"
    assert source.body == "Above the rule.\n\n---\n\nbelow: not a key\n"


def test_dots_close_yaml_front_matter() -> None:
    source = split("dots-closing-delimiter.md")
    assert source.fm_text == "title: Closed with dots\n"
    assert source.body == "Body.\n"


@pytest.mark.parametrize("name", ["only-front-matter-no-final-newline.md",
                                  "only-front-matter-crlf-no-final-newline.md"])
def test_file_that_is_only_front_matter_without_final_newline(name: str) -> None:
    source = split(name)
    assert source.kind == "yaml"
    assert source.body == ""
    assert source.body_offset == len(source.text)
    assert source.fm_text.rstrip("\r\n") == "title: Nothing below"


def test_empty_front_matter_is_empty_text_not_none() -> None:
    source = split("empty-front-matter.md")
    assert source.kind == "yaml" and source.has_front_matter
    assert source.fm_text == ""
    assert source.body == "Body after an empty front matter.\n"


@pytest.mark.parametrize("name", ["no-front-matter.md", "empty-file.md",
                                  "leading-blank-line-not-front-matter.md",
                                  "four-dashes-not-front-matter.md"])
def test_no_front_matter_keeps_the_whole_text_as_body(name: str) -> None:
    source = split(name)
    assert not source.has_front_matter
    assert source.fm_text == "" and source.body_offset == 0
    assert source.body == (POSTS / name).read_bytes().decode()


def test_template_code_on_the_first_line_is_not_json_front_matter() -> None:
    source = split("liquid-first-line-no-front-matter.md")
    assert source.kind == "none"
    hugo = split_source(b"{{< figure src=x >}}\n", Path("h.md"))
    assert hugo.kind == "none"


def test_toml_and_json_front_matter_text() -> None:
    toml = split("toml-front-matter.md")
    assert toml.fm_text.startswith('title = "Hugo in TOML"\n') and toml.body == "Body.\n"
    json = split("json-front-matter.md")
    assert json.fm_text.startswith("{") and json.fm_text.endswith("}")
    assert json.body == "Body.\n"


def test_bom_with_no_front_matter() -> None:
    raw = "\ufeffPlain text\n".encode()
    source = split_source(raw, Path("b.md"))
    assert source.bom and source.kind == "none" and source.body == "Plain text\n"
    assert reassemble(source) == raw


def test_error_position_of_bad_utf8_counts_crlf_lines() -> None:
    raw = b"---\r\ntitle: ok\r\nx: \xff\r\n---\r\n"
    with pytest.raises(SourceError) as caught:
        split_source(raw, Path("p.md"))
    assert str(caught.value) == "p.md:3:4: not valid UTF-8 (byte 0xff)"


def test_json_nesting_too_deep_for_the_decoder_is_a_source_error() -> None:
    with pytest.raises(SourceError) as caught:
        split_source(b'{"a": ' + b"[" * 100_000, Path("j.md"))
    assert caught.value.code == "E007"


def test_json_number_beyond_the_digit_limit_is_a_source_error() -> None:
    with pytest.raises(SourceError) as caught:
        split_source(b'{"a": ' + b"9" * 5000 + b"}\n", Path("j.md"))
    assert caught.value.code == "E004"
    assert "\n" not in str(caught.value)


def _corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(path for path in CORPORA.rglob("*")
                  if path.is_file() and "_posts" in path.parts)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")
def test_split_is_lossless_on_every_corpus_file() -> None:
    files = _corpus_files()
    assert len(files) == 508 + 102
    for path in files:
        raw = path.read_bytes()
        source = split_source(raw, path)
        assert source.kind == "yaml", path
        assert reassemble(source) == raw, path


# --- property: any well-formed front matter splits losslessly ----------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789", min_size=1, max_size=8)
KEY = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True)
# Any printable text, plus the characters libyaml (not the file) counts as line breaks.
SAFE_TEXT = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    st.sampled_from(["\x85", "\u2028", "\u2029", "\t"])), max_size=12)


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Each value is a list of lines; the first follows "key:" on the key's line.
VALUE = st.one_of(
    WORD.map(lambda word: [" " + word]),
    st.integers(-10_000, 10_000).map(lambda number: [f" {number}"]),
    SAFE_TEXT.map(lambda text: [" " + _double_quoted(text)]),
    SAFE_TEXT.map(lambda text: [" " + _single_quoted(text)]),
    st.lists(WORD, max_size=4).map(lambda words: [" [" + ", ".join(words) + "]"]),
    st.lists(WORD, min_size=1, max_size=4).map(lambda words: ["", *(f"  - {w}" for w in words)]),
    st.lists(WORD, min_size=1, max_size=3).map(lambda words: [" |", *(f"  {w}" for w in words)]),
)
BODY_LINE = st.one_of(st.just("---"), st.just("..."), st.just(""), st.just("key: value"),
                      WORD, SAFE_TEXT)


@settings(max_examples=150, deadline=None)
@given(
    entries=st.dictionaries(KEY, VALUE, max_size=8),
    comments=st.lists(st.booleans(), max_size=8),
    eol=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    body=st.lists(BODY_LINE, max_size=6),
    final_newline=st.booleans(),
)
@example(entries={"on": [" 0"], "yes": [" 1"], "null": [" x"]}, comments=[], eol="\n",
         bom=False, body=[], final_newline=False)  # keys YAML 1.1 reads as True and None
def test_random_front_matter_splits_losslessly(
    entries: dict[str, list[str]], comments: list[bool], eol: str, bom: bool, body: list[str],
    final_newline: bool,
) -> None:
    import yaml

    from postctl.text.front_matter import load_front_matter

    lines: list[str] = []
    reference: list[str] = []  # the same lines, keys quoted
    key_lines: dict[str, int] = {}
    for index, (key, value) in enumerate(entries.items()):
        if index < len(comments) and comments[index]:
            lines.append(f"# note {index}")
            reference.append(f"# note {index}")
        key_lines[key] = 2 + len(lines)
        lines += [f"{key}:{value[0]}", *value[1:]]
        reference += [f'"{key}":{value[0]}', *value[1:]]
    fm_text = "".join(line + eol for line in lines)
    body_text = eol.join(body) + (eol if body and final_newline else "")
    text = "---" + eol + fm_text + "---" + (eol if body or final_newline else "") + body_text
    raw = (("\ufeff" if bom else "") + text).encode("utf-8")

    source = split_source(raw, Path("p.md"))
    assert reassemble(source) == raw
    assert (source.kind, source.bom, source.newline) == ("yaml", bom, eol)
    assert source.fm_text == fm_text
    assert source.body == body_text
    assert source.body_line == len(lines) + (3 if body or final_newline else 2)

    meta = load_front_matter(source.kind, source.fm_text, source.path, source.fm_line)
    # a plain key is its text as written, where the safe loader reads "on" or "yes" as True
    quoted = "".join(line + eol for line in reference)
    assert meta.values == (yaml.load(quoted, Loader=yaml.CSafeLoader) or {})
    assert {key: info.line for key, info in meta.keys.items()} == key_lines
