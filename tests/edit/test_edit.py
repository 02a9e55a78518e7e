"""edit: splices change only the edited value's bytes, and every rewrite is verified
(docs/guarantees.md: Edits, Verification)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from postctl.edit import splice as edit
from postctl.edit import verify
from postctl.edit.splice import Edit, UneditableError
from postctl.edit.tempfiles import TEMP_PREFIX
from postctl.edit.verify import VerificationError
from postctl.errors import SourceError, UnsafeWriteError
from postctl.text import emit
from postctl.text.source import split_source
from postctl.text.yaml_metadata import load_yaml
from tests.conftest import CORPORA as SHARED_CORPORA

# A realistic post: BOM, CRLF, comments, every quoting style, flow and block lists, a
# block scalar, an empty value, a body with a thematic break and no final newline.
GOLDEN_LINES = [
    "\ufeff---",
    "layout: post   # the default layout",
    'title: "Notes from the \\"garden\\" \\u2014 week 3"',
    "subtitle: 'It''s spring'",
    "date: 2024-03-02 09:15:00 +01:00",
    "tags:",
    "  - garden",
    '  - "seed swaps"',
    "# categories are shown in the sidebar",
    "categories: [notes, 'spring']",
    "image:",
    "excerpt: >",
    "  Tomatoes, again.",
    "draft: no ",
    "---",
    "Body text with `title: x` in it.",
    "---",
    "The end",
]
GOLDEN = "\r\n".join(GOLDEN_LINES).encode("utf-8")


def golden_with(*replacements: tuple[int, str | None], extra: Sequence[str] = ()) -> bytes:
    """GOLDEN with the given lines replaced (None removes a line), ``extra`` lines
    added before the closing delimiter."""
    lines: list[str] = list(GOLDEN_LINES)
    for index, text in replacements:
        lines[index] = text if text is not None else "\0"
    closing = lines.index("---", 1)
    lines[closing:closing] = list(extra)
    return "\r\n".join(line for line in lines if line != "\0").encode("utf-8")


def golden_source(tmp_path: Path | None = None) -> Any:
    return split_source(GOLDEN, Path("2024-03-02-garden.md"))


def apply(edits: Sequence[Edit], raw: bytes = GOLDEN) -> bytes:
    source = split_source(raw, Path("post.md"))
    new = edit.apply_edits(source, edits)
    verify.verify_rewrite(source, new, edits)
    return new


# --- golden fixture -------------------------------------------------------------------


def test_golden_set_title_changes_only_the_value_bytes() -> None:
    new = apply([Edit("title", "set", "Notes from the garden: week 4")])
    assert new == golden_with((2, 'title: "Notes from the garden: week 4"'))
    old_start = GOLDEN.index(b'"Notes')
    old_end = GOLDEN.index(b"\r\nsubtitle")
    assert new[:old_start] == GOLDEN[:old_start]
    assert new[len(new) - (len(GOLDEN) - old_end) :] == GOLDEN[old_end:]


def test_golden_keeps_single_quotes() -> None:
    assert apply([Edit("subtitle", "set", "Summer's here")]) == golden_with(
        (3, "subtitle: 'Summer''s here'")
    )


def test_golden_block_list_stays_a_block_list() -> None:
    new = apply([Edit("tags", "set", ["garden", "seeds", "no"])])
    assert new == golden_with((6, "  - garden"), (7, '  - seeds\r\n  - "no"'))


def test_golden_flow_list_and_empty_value() -> None:
    new = apply([Edit("categories", "set", ["notes"]), Edit("image", "set", "/img/a.jpg")])
    assert new == golden_with((9, "categories: [notes]"), (10, "image: /img/a.jpg"))


def test_golden_insert_uses_crlf_and_goes_before_the_closing_delimiter() -> None:
    new = apply([Edit("author", "insert", "Sam"), Edit("weight", "insert", 3)])
    assert new == golden_with(extra=["author: Sam", "weight: 3"])


def test_golden_delete_removes_exactly_the_key_lines() -> None:
    new = apply([Edit("tags", "delete"), Edit("excerpt", "delete"), Edit("layout", "delete")])
    assert new == golden_with((1, None), (5, None), (6, None), (7, None), (11, None), (12, None))


def test_golden_strip_trailing_space() -> None:
    assert apply([Edit("draft", "strip")]) == golden_with((13, "draft: no"))
    # spaces before a comment separate it from the value: kept
    assert apply([Edit("layout", "strip")]) == GOLDEN


def test_golden_set_a_date() -> None:
    value = dt.datetime(2024, 3, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert apply([Edit("date", "set", value)]) == golden_with(
        (4, "date: 2024-03-03 10:00:00 -05:00")
    )


def test_golden_body_and_bom_survive_every_edit() -> None:
    new = apply(
        [
            Edit("title", "set", "x"),
            Edit("tags", "set", ["a"]),
            Edit("new", "insert", ["b", "c d"]),
            Edit("image", "delete"),
        ]
    )
    assert new.startswith(b"\xef\xbb\xbf---\r\n")
    assert new.endswith(b"\r\n---\r\nBody text with `title: x` in it.\r\n---\r\nThe end")
    assert b"\n" not in new.replace(b"\r\n", b"")


# --- single edits ---------------------------------------------------------------------


@pytest.mark.parametrize(("fm", "key", "value"), [
    ("date: 2024-02-30\n", "date", "2024-02-30"),  # an impossible date is its text
    ("sep: =\n", "sep", "="),  # a plain = is the text "="
    ("n: [=, 2024-02-30]\n", "n", ["=", "2024-02-30"]),
])
def test_a_value_equal_to_what_postctl_reads_is_left_as_written(
    fm: str, key: str, value: object
) -> None:
    """The no-op test reads the old value as metadata reads it (not as PyYAML's bare
    safe constructor, which refuses these texts)."""
    assert edit.set_value(fm, key, value) == fm
    assert edit.set_value("n: [=, 2024-02-30]\n", "n", ["=", "x"]) == "n: [=, x]\n"


def test_value_span_is_the_value_text() -> None:
    fm = "a: 1\ntitle: 'x y'   # c\ntags:\n  - a\n  - b\n# trailing\n"
    start, end = edit.value_span(fm, "title")
    assert fm[start:end] == "'x y'"
    start, end = edit.value_span(fm, "tags")
    assert fm[start:end] == "- a\n  - b"


def test_value_span_counts_characters_not_bytes() -> None:
    fm = "a: é😀x\r\nb: 'q'\r\n"
    start, end = edit.value_span(fm, "b")
    assert fm[start:end] == "'q'"


def test_set_on_an_empty_value_adds_a_space() -> None:
    assert edit.set_value("a:\nb: 1\n", "a", "x") == "a: x\nb: 1\n"
    assert edit.set_value("a:   # c\n", "a", "x") == "a: x   # c\n"


def test_set_keeps_double_quotes_even_when_plain_would_do() -> None:
    assert edit.set_value('t: "a"\n', "t", "b") == 't: "b"\n'


def test_set_a_list_on_a_scalar_writes_a_flow_list() -> None:
    assert edit.set_value("tags: a b\n", "tags", ["a", "b"]) == "tags: [a, b]\n"


def test_set_a_one_item_block_list_uses_the_dash_layout_and_newline() -> None:
    assert edit.set_value("t:\n- a\nz: 1\n", "t", ["a", "b"], "\r\n") == "t:\n- a\r\n- b\nz: 1\n"
    fm = "t:\r\n    -   a\r\n"
    assert edit.set_value(fm, "t", ["x", "w"]) == "t:\r\n    -   x\r\n    -   w\r\n"


def test_insert_into_empty_front_matter() -> None:
    assert edit.insert_key("", "title", "x", "\r\n") == "title: x\r\n"


def test_insert_without_final_newline_keeps_it_absent() -> None:
    assert edit.insert_key("a: 1", "b", 2, "\n") == "a: 1\nb: 2"


def test_insert_follows_the_indentation_of_the_mapping() -> None:
    assert edit.insert_key("  a: 1\n", "b", None) == "  a: 1\n  b:\n"


def test_insert_quotes_a_key_that_needs_it() -> None:
    result = edit.insert_key("a: 1\n", "on", "no")
    assert result == 'a: 1\n"on": "no"\n'
    assert load_yaml(result, Path("x"), 2).values == {"a": 1, "on": "no"}


def test_delete_keeps_following_comments_and_handles_the_last_line() -> None:
    fm = "a: 1\ntags:\n  - x\n  - y\n# about b\nb: 2"
    assert edit.delete_key(fm, "tags") == "a: 1\n# about b\nb: 2"
    assert edit.delete_key(fm, "b") == "a: 1\ntags:\n  - x\n  - y\n# about b"
    assert edit.delete_key("a: |\n  x\n\nb: 1\n", "a") == "b: 1\n"


def test_strip_only_touches_trailing_blanks() -> None:
    assert edit.strip_trailing_space("a: x \t\r\nb: y\r\n", "a") == "a: x\r\nb: y\r\n"
    assert edit.strip_trailing_space("a: x  # c\n", "a") == "a: x  # c\n"
    assert edit.strip_trailing_space("a: 'x'  \n", "a") == "a: 'x'\n"


@pytest.mark.parametrize(
    ("fm", "key", "value", "reason"),
    [
        ("t: a\n  b\n", "t", "x", "several lines"),
        ('t: "a\n  b"\n', "t", "x", "several lines"),
        ("t: [a,\n  b]\n", "t", ["x"], "several lines"),
        ("t: |\n  a\n", "t", "x", "block scalar"),
        ("t: >-\n  a\n", "t", "x", "block scalar"),
        ("t:\n  - a\n", "t", "x", "block list"),
        ("t:\n  a: 1\n", "t", "x", "block mapping"),
        ("t:\n  a: 1\n", "t", ["x"], "block mapping"),
        ("t:\n  - [a]\n", "t", ["x"], "nested"),
        ("t:\n  - a\n  # c\n  - b\n", "t", ["x"], "comments"),
        ("t:\n  - a\n", "t", [], "emptied"),
        ("t: a\nt: b\n", "t", "x", "more than once"),
        ("t: &x a\nu: *x\n", "u", "x", "anchors"),
        ("{t: a}\n", "t", "x", "not a block mapping"),
        ("t: a\n", "t", {"a": 1}, "mapping values"),
    ],
)
def test_refusals(fm: str, key: str, value: object, reason: str) -> None:
    with pytest.raises(UneditableError, match=reason) as caught:
        edit.set_value(fm, key, value)
    assert str(caught.value).endswith("edit this key by hand")


def test_other_refusals() -> None:
    with pytest.raises(UneditableError, match="already exists"):
        edit.insert_key("t: a\n", "t", "b")
    with pytest.raises(UneditableError, match="more than once"):
        edit.delete_key("t: a\nt: b\n", "t")
    with pytest.raises(UneditableError, match="block scalar"):
        edit.strip_trailing_space("t: |\n  a  \n", "t")
    with pytest.raises(UneditableError, match="would become part of the block scalar"):
        edit.delete_key("t: |\n  a\nu: 1\n  # c\n", "u")
    with pytest.raises(UneditableError, match="would become part of the block scalar"):
        edit.delete_key("t: |+\n  a\nu: 1\n\nv: 2\n", "u")
    assert edit.delete_key("t: |\n  a\nu: 1\n# c\n", "u") == "t: |\n  a\n# c\n"
    with pytest.raises(KeyError):
        edit.set_value("t: a\n", "missing", "b")
    bare = split_source(b"no front matter\n", Path("p.md"))
    with pytest.raises(UneditableError, match="has no front matter"):
        edit.apply_edits(bare, [Edit("title", "set", "b")])


# --- verification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "detail"),
    [
        (GOLDEN.replace(b"The end", b"The End"), "body"),
        (GOLDEN[3:], "BOM"),
        (GOLDEN.replace(b"\r\n", b"\n"), "newline"),
        (GOLDEN.replace(b"draft: no ", b'draft: "no"'), "'draft'"),
        (GOLDEN.replace(b"layout: post", b"layout: 1"), "'layout'"),
        (GOLDEN.replace(b"# categories", b"# Categories"), "lines outside"),
        (GOLDEN.replace(b"image:\r\n", b"").replace(b"draft", b"image:\r\ndraft"), "order"),
        (GOLDEN.replace(b'title: "', b'titel: "'), "keys"),
        (GOLDEN.replace(b"\r\n---\r\nBody", b"\r\n...\r\nBody"), "delimiters"),
    ],
)
def test_verify_rejects_unexpected_changes(new: bytes, detail: str) -> None:
    source = golden_source()
    with pytest.raises(VerificationError, match="verification failed") as caught:
        verify.verify_rewrite(source, new, [Edit("subtitle", "set", "It's spring")])
    assert detail in caught.value.detail
    assert caught.value.diff.startswith("--- a/2024-03-02-garden.md")


def test_verify_rejects_a_wrong_value_for_the_edited_key() -> None:
    source = golden_source()
    new = GOLDEN.replace(b"'It''s spring'", b"'Its spring'")
    with pytest.raises(VerificationError, match="please report"):
        verify.verify_rewrite(source, new, [Edit("subtitle", "set", "It's spring")])


def test_verify_rejects_an_unexpected_type_for_the_edited_key() -> None:
    source = golden_source()
    new = GOLDEN.replace(b"'It''s spring'", b"1")
    with pytest.raises(VerificationError, match="please report"):
        verify.verify_rewrite(source, new, [Edit("subtitle", "set", "1")])


def broken_plain_emitter(value: object) -> str:
    return str(value)  # the naive template: `no` becomes a boolean, `a: b` a mapping


def line_swallowing_emitter(value: object) -> str:
    return emit.double_quoted(str(value)) + "\nextra: 1"


def newline_changing_splice(fm_text: str, node: Any, text: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    return (fm_text[:start] + emit.scalar(text) + fm_text[end:]).replace("\r\n", "\n", 1)


@pytest.mark.parametrize(
    ("target", "broken", "value"),
    [
        ("scalar", broken_plain_emitter, "no"),
        ("scalar", broken_plain_emitter, "a: b"),
        ("scalar", line_swallowing_emitter, "x"),
        ("double_quoted", lambda value: f'"{value}"', 'say "hi"'),
    ],
)
def test_a_broken_emitter_is_caught_and_nothing_is_written(
    tmp_path: Path, monkeypatch: Any, target: str, broken: Any, value: str
) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    before = (path.read_bytes(), os.stat(path).st_mtime_ns, os.stat(path).st_ino)
    monkeypatch.setattr(emit, target, broken)
    key = "title" if target == "double_quoted" else "image"
    with pytest.raises(VerificationError, match="file not written"):
        verify.rewrite_file(path, [Edit(key, "set", value)])
    assert (path.read_bytes(), os.stat(path).st_mtime_ns, os.stat(path).st_ino) == before
    assert not [n for n in os.listdir(tmp_path) if n.startswith(TEMP_PREFIX)]


def test_a_broken_splice_is_caught(tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    monkeypatch.setattr(edit, "_splice", newline_changing_splice)
    with pytest.raises(VerificationError):
        verify.rewrite_file(path, [Edit("image", "set", "x")])
    assert path.read_bytes() == GOLDEN


def test_verification_error_is_an_unsafe_write() -> None:
    error = VerificationError(Path("p.md"), "detail")
    assert isinstance(error, UnsafeWriteError)
    assert (
        str(error) == "p.md: internal error: verification failed; file not written — please report"
    )


# --- rewrite_file ---------------------------------------------------------------------


def test_rewrite_file_writes_verified_bytes_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    path.chmod(0o664)
    assert verify.rewrite_file(path, [Edit("draft", "set", True)]) is True
    assert path.read_bytes() == golden_with((13, "draft: true "))
    assert os.stat(path).st_mode & 0o777 == 0o664


@pytest.mark.parametrize(
    "edits",
    [
        [Edit("layout", "strip")],
        [Edit("subtitle", "set", "It's spring")],
        [Edit("categories", "set", ["notes", "spring"])],
        [Edit("tags", "set", ["garden", "seed swaps"])],
        [],
    ],
)
def test_a_no_op_never_touches_the_file(tmp_path: Path, edits: list[Edit]) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = os.stat(path)
    assert verify.rewrite_file(path, edits) is False
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_ino, path.read_bytes()) == (
        before.st_mtime_ns,
        before.st_ino,
        GOLDEN,
    )


def test_rewrite_file_refuses_a_symlink(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    link = tmp_path / "link.md"
    link.symlink_to(path)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        verify.rewrite_file(link, [Edit("draft", "set", True)])
    assert path.read_bytes() == GOLDEN and link.is_symlink()


def test_rewrite_file_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    with pytest.raises(SourceError, match="byte limit"):
        verify.rewrite_file(path, [Edit("draft", "set", True)], max_bytes=len(GOLDEN) - 1)
    assert path.read_bytes() == GOLDEN
    assert verify.rewrite_file(path, [Edit("draft", "set", True)], max_bytes=len(GOLDEN))


def test_rewrite_file_names_the_file_in_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(GOLDEN)
    with pytest.raises(UneditableError, match=r"post\.md: excerpt: the value is a block scalar"):
        verify.rewrite_file(path, [Edit("excerpt", "set", "x")])


# --- properties -----------------------------------------------------------------------

comment_text = st.text(st.sampled_from("abc XYZ#:'\"-é😀\t"), max_size=8)
texts = st.text(max_size=12)
scalar_values = st.one_of(
    texts,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.dates(),
    st.floats(allow_nan=False, allow_infinity=False),
)
new_values = st.one_of(scalar_values, st.lists(texts, min_size=1, max_size=4))
SIMPLE = ("plain", "double", "single", "flow", "empty", "number")


@st.composite
def entries(draw: Any, name: str) -> tuple[str, str, list[str]]:
    """(name, style, lines) of one top-level key, lines without their EOL."""
    style = draw(st.sampled_from([*SIMPLE, "block_list", "block_scalar", "nested", "folded"]))
    key = emit.key(name)
    comment = draw(st.one_of(st.just(""), comment_text.map(lambda c: " " * 2 + "#" + c)))
    trailing = draw(st.sampled_from(["", "", " ", "  \t"]))
    value = draw(texts)
    if style == "plain":
        return name, style, [f"{key}: {emit.scalar(value)}{comment or trailing}"]
    if style == "double":
        return name, style, [f"{key}: {emit.double_quoted(value)}{comment}"]
    if style == "single":
        quoted = emit.single_quoted(value) or "'x'"
        return name, style, [f"{key}: {quoted}{comment}"]
    if style == "number":
        number = draw(st.integers(-1000, 1000))
        return name, style, [f"{key}: {number}{comment or trailing}"]
    if style == "flow":
        items = draw(st.lists(texts, max_size=3))
        return name, style, [f"{key}: {emit.flow_list(items)}{comment}"]
    if style == "empty":
        return name, style, [f"{key}:{comment}"]
    if style == "block_list":
        indent = draw(st.sampled_from(["", "  ", "    "]))
        items = draw(st.lists(texts, min_size=1, max_size=3))
        return name, style, [f"{key}:{comment}"] + [f"{indent}- {emit.scalar(i)}" for i in items]
    if style == "nested":  # a block mapping, its value on the following lines
        inner = draw(st.lists(scalar_values, min_size=1, max_size=2))
        return (
            name,
            style,
            [f"{key}:{comment}"]
            + [f"  k{index}: {emit.scalar(value)}" for index, value in enumerate(inner)],
        )
    if style == "folded":  # a plain scalar folded over two lines
        return name, style, [f"{key}: first part", "  second part"]
    line = st.text(st.sampled_from("ab #:'"), max_size=6).map(lambda text: "x" + text)
    lines = draw(st.lists(line, min_size=1, max_size=3))
    return name, style, [f"{key}: |", *("  " + line for line in lines)]


names = st.lists(
    st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), min_size=1, max_size=6, unique=True
)


@st.composite
def posts(draw: Any) -> tuple[bytes, list[tuple[str, str, list[str]]]]:
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    keys = [draw(entries(name)) for name in draw(names)]
    lines = []
    for entry in keys:
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# a comment", "  # indented", "#"])))
        lines.extend(entry[2])
    body = draw(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30))
    text = eol.join(["---", *lines, "---", ""]) + body
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8"), keys


@st.composite
def edits_for(draw: Any, keys: list[tuple[str, str, list[str]]]) -> Edit:
    op = draw(st.sampled_from(["set", "set", "insert", "delete", "strip"]))
    if op == "insert":
        taken = {name for name, _, _ in keys}
        name = draw(
            st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n not in taken)
        )
        return Edit(name, "insert", draw(st.one_of(scalar_values, st.none())))
    name, style, _ = draw(st.sampled_from(keys))
    if op == "delete":
        return Edit(name, "delete")
    if op == "set" and style == "block_list":
        return Edit(name, "set", draw(st.lists(texts, min_size=1, max_size=4)))
    assume(style in SIMPLE)
    if op == "strip":
        return Edit(name, "strip")
    return Edit(name, "set", draw(new_values))


def changed_span(old: bytes, new: bytes) -> tuple[int, int, int]:
    """(start, old_end, new_end) of the one differing region of two byte strings."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, len(old) - end, len(new) - end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_edit_changes_only_its_own_bytes_and_verifies(data: Any) -> None:
    raw, keys = data.draw(posts())
    change = data.draw(edits_for(keys))
    source = split_source(raw, Path("post.md"))
    fm_start = len(raw) - len(source.text[source.fm_offset :].encode("utf-8"))
    fm_bytes = source.fm_text.encode("utf-8")
    try:
        new = edit.apply_edits(source, [change])
    except UneditableError as refused:  # the one refusal these posts can meet
        assert change.op == "delete" and "block scalar" in refused.reason
        return
    # raises on any mismatch (docs/guarantees.md: Verification)
    verify.verify_rewrite(source, new, [change])

    start, old_end, new_end = changed_span(raw, new)
    if new == raw:
        pass
    elif change.op == "set":
        # docs/guarantees.md, Edits: the change lies inside the value's span
        span_start, span_end = edit.value_span(source.fm_text, change.key)
        lo = fm_start + len(source.fm_text[:span_start].encode("utf-8"))
        hi = fm_start + len(source.fm_text[:span_end].encode("utf-8"))
        kept = len(raw) - hi
        assert lo + kept <= len(new)
        assert new[:lo] == raw[:lo] and new[len(new) - kept :] == raw[hi:]
        middle = new[lo : len(new) - kept]
        style = next(style for name, style, _ in keys if name == change.key)
        assert style == "block_list" or b"\n" not in middle
    elif change.op == "insert":
        assert old_end == start == fm_start + len(fm_bytes)
        assert new[start:new_end].endswith(source.newline.encode())
        assert new[start:new_end].count(b"\n") == 1
    elif change.op == "delete":
        assert new_end == start
    else:
        assert new_end == start and raw[start:old_end].strip(b" \t") == b""
    assert new[:fm_start] == raw[:fm_start]
    # a second application of the same edit changes nothing (idempotent), bar an insert
    if change.op in ("set", "strip"):
        assert edit.apply_edits(split_source(new, Path("post.md")), [change]) == new


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_set_and_set_back_gives_identical_bytes(data: Any) -> None:
    raw, keys = data.draw(posts())
    source = split_source(raw, Path("post.md"))
    values = load_yaml(source.fm_text, source.path, source.fm_line).values
    candidates = [
        (name, style) for name, style, _ in keys if style in ("plain", "double", "flow", "number")
    ]
    candidates += [(name, style) for name, style, _ in keys if style == "block_list"]
    assume(candidates)
    name, style = data.draw(st.sampled_from(candidates))
    original = values[name]
    if isinstance(original, list):
        other: object = data.draw(st.lists(texts, min_size=1, max_size=4))
    else:
        # a value that needs another quote style would change the style for good
        other = data.draw(scalar_values if style != "double" else texts)
        assume(style == "double" or not emit.scalar(other).startswith('"'))
    changed = apply([Edit(name, "set", other)], raw)
    assert apply([Edit(name, "set", original)], changed) == raw


CORPORA = os.environ.get("POSTCTL_CORPORA", "") or str(SHARED_CORPORA)


@pytest.mark.skipif(not Path(CORPORA).is_dir(), reason="no folder of real posts")
def test_real_posts_edit_and_verify() -> None:
    """On real posts, every edit either verifies or is refused; none corrupts."""
    from postctl.errors import SourceError

    files = sorted(p for p in Path(CORPORA).rglob("*") if p.suffix in (".md", ".markdown"))
    assert files
    checked = refused = 0
    for path in files:
        try:
            source = split_source(path.read_bytes(), path)
            if source.kind != "yaml":
                continue
            meta = load_yaml(source.fm_text, path, source.fm_line)
        except SourceError:
            continue
        for name in list(meta.values)[:6]:
            for change in (
                Edit(name, "set", "Changed: a #value"),
                Edit(name, "set", ["a", "b c"]),
                Edit(name, "delete"),
                Edit(name, "strip"),
            ):
                try:
                    new = edit.apply_edits(source, [change])
                except UneditableError:
                    refused += 1
                    continue
                verify.verify_rewrite(source, new, [change])
                checked += 1
        change = Edit("postctl_test", "insert", "x")
        verify.verify_rewrite(source, edit.apply_edits(source, [change]), [change])
    assert checked > refused
