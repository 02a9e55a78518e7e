"""``set`` and ``unset`` in one post: a new key goes where ``postctl new`` would put it, and
removing it gives the file back."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.edit.edits import Edit
from postctl.edit.keys import place, set_edits, unset_edits
from postctl.edit.splice import apply_edits
from postctl.edit.verify import verify_rewrite
from postctl.text.front_matter import load_front_matter
from postctl.text.source import split_source

ORDER = ["layout", "title", "date", "author", "categories", "tags"]


@pytest.mark.parametrize(("key", "keys", "expected"), [
    ("author", ["title", "date", "tags"], "tags"),
    ("layout", ["title", "date"], "title"),
    ("tags", ["title", "date"], None),
    ("image", ["title", "tags"], None),                 # a key the order does not name: last
    ("author", ["title", "image", "tags"], "image"),    # before keys the order does not name
])
def test_a_new_key_goes_where_new_would_put_it(key: str, keys: list[str],
                                               expected: str | None) -> None:
    assert place(key, keys, ORDER) == expected


def rewrite(raw: bytes, edits: list[Edit]) -> bytes:
    source = split_source(raw, Path("p.md"))
    new = apply_edits(source, edits)
    verify_rewrite(source, new, edits)
    return new


@pytest.mark.parametrize("raw", [
    b"---\r\ntitle: T # c\r\ndate: 2024-01-02\r\ntags: [a]\r\n---\r\nbody",
    b"+++\ntitle = 'T'\ndate = 2024-01-02\ntags = ['a']\n\n[params]\nx = 1\n+++\n",
    b'{\n  "title": "T",\n  "tags": ["a"]\n}\n',
])
def test_unset_after_set_gives_the_bytes_back(raw: bytes) -> None:
    source = split_source(raw, Path("p.md"))
    values = load_front_matter(source.kind, source.fm_text, source.path, 2).values
    added = rewrite(raw, set_edits(values, {"author": "Ada", "featured": True}, ORDER))
    assert b"Ada" in added and b"true" in added
    again = split_source(added, Path("p.md"))
    new_values = load_front_matter(again.kind, again.fm_text, again.path, 2).values
    keys = list(new_values)
    assert keys.index("title") < keys.index("author") < keys.index("tags")
    assert keys.index("featured") == len(keys) - 1 - ("params" in keys)
    assert rewrite(added, unset_edits(new_values, ["author", "featured", "nothere"])) == raw


def test_a_value_the_post_has_already_is_no_edit() -> None:
    assert set_edits({"draft": True, "n": 1}, {"draft": True, "n": 1.0}, ORDER) == [
        Edit("n", "set", 1.0)]
