"""The search query grammar: trees, FTS5 expressions, and one-line errors."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.errors import UsageError
from postctl.search.language import (
    TAG_MARK,
    And,
    Not,
    Or,
    QueryError,
    Term,
    parse_query,
    to_fts,
)


def test_words_side_by_side_must_all_match() -> None:
    assert parse_query("zelensky alaska") == And((Term("zelensky"), Term("alaska")))


def test_phrase_and_prefix() -> None:
    assert parse_query('"exact phrase" talk*') == And(
        (Term("exact phrase", phrase=True), Term("talk", prefix=True))
    )
    assert parse_query('"state of th"*') == Term("state of th", phrase=True, prefix=True)


def test_or_binds_tighter_than_and() -> None:
    assert parse_query("a OR b c") == And((Or((Term("a"), Term("b"))), Term("c")))


def test_explicit_and_and_parentheses() -> None:
    assert parse_query("a AND (b OR c)") == And((Term("a"), Or((Term("b"), Term("c")))))


def test_not_and_minus_negate() -> None:
    assert parse_query("a -b NOT c") == And((Term("a"), Not(Term("b")), Not(Term("c"))))
    assert parse_query('a -"b c"') == And((Term("a"), Not(Term("b c", phrase=True))))


def test_operators_only_in_capitals_and_minus_only_at_word_start() -> None:
    assert parse_query("cats or dogs") == And((Term("cats"), Term("or"), Term("dogs")))
    assert parse_query("open-source") == Term("open-source")
    assert parse_query("a - b") == And((Term("a"), Term("b")))  # a dash, not an operator


def test_fields() -> None:
    assert parse_query("title:café") == Term("café", field="title")
    assert parse_query("TAG:python") == Term("python", field="tags")
    assert parse_query("tags:py*") == Term("py", prefix=True, field="tags")
    assert parse_query('author:"Mara L"') == Term("Mara L", phrase=True, field="author")
    assert parse_query("category:travel") == Term("travel", field="categories")
    assert parse_query("a -excerpt:x") == And((Term("a"), Not(Term("x", field="excerpt"))))


def test_unknown_field_is_a_word() -> None:
    assert parse_query("foo:bar") == Term("foo:bar")
    assert to_fts(parse_query("foo:bar")) == '"foo:bar"'


def test_terms_without_letters_are_dropped() -> None:
    assert parse_query("& coffee --") == Term("coffee")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zelensky alaska", '("zelensky" AND "alaska")'),
        ('"exact phrase"', '"exact phrase"'),
        ("talk*", '"talk" *'),
        ("a OR b", '("a" OR "b")'),
        ("a -b -c", '(("a") NOT ("b" OR "c"))'),
        ("title:x", 'title : "x"'),
        ("tag:open-source", f'tags : "{TAG_MARK} open-source {TAG_MARK}"'),
        ("tag:py*", f'tags : "{TAG_MARK} py" *'),
        ('"say ""hi"""', '("say " AND "hi")'),  # the empty phrase is dropped
        ("Ёлка", '"Елка"'),
        ("NEAR", '"NEAR"'),
    ],
)
def test_to_fts(query: str, expected: str) -> None:
    assert to_fts(parse_query(query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed phrase', "unbalanced quote: the phrase starting at column 1 has no closing"),
        ('a "b', "unbalanced quote: the phrase starting at column 3"),
        ("OR", "'OR' at column 1 needs a term before it"),
        ("a OR", "'OR' at column 3 needs a term after it"),
        ("a OR OR b", "'OR' at column 3 needs a term after it"),
        ("AND a", "'AND' at column 1 needs a term before it"),
        ("a AND", "'AND' at column 3 needs a term after it"),
        ("NOT", "'NOT' at column 1 needs a term after it"),
        ("a NOT", "'NOT' at column 3 needs a term after it"),
        ("(a", "unbalanced parenthesis: '(' at column 1 is never closed"),
        ("a)", "unbalanced parenthesis: ')' at column 2 has no matching '('"),
        ("()", "empty parentheses at column 1"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("-", "no letters or digits"),
        ("&& ||", "no letters or digits"),
        ("-a", "the query only excludes words"),
        ("NOT a -b", "the query only excludes words"),
        ("a OR -b", "an excluded word cannot be an alternative of OR"),
        ("title:", "'title:' at column 1 needs a word"),
        ("x title: a", "'title:' at column 3 needs a word"),
        ("title:(a b)", "'title:' at column 1 needs a word"),
        ("fo*o", "'*' at column 3 is allowed only at the end of a word"),
        ("*", "a prefix search needs letters before the '*'"),
        ("(" * 33 + "a" + ")" * 33, "nests parentheses or negations more than 32 deep"),
        ("a " + "NOT " * 33 + "b", "more than 32 deep"),
        (" ".join(["a"] * 201), "more than 200 words and phrases"),
    ],
)
def test_errors_are_one_line_usage_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert isinstance(caught.value, UsageError)


def _fts_connection() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, tags, categories, author, excerpt, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute(
        "INSERT INTO t VALUES ('A', ?, '', '', '', 'or and not near x')",
        (f"{TAG_MARK} a {TAG_MARK}",),
    )
    return connection


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*'ab "()*-:é\t\x00', "OR", "AND", "NOT", "title:", "tag:"]),
                max_size=16).map("".join))
def test_any_query_is_a_query_error_or_valid_fts5(query: str) -> None:
    connection = _fts_connection()
    try:
        expression = to_fts(parse_query(query))
    except QueryError as error:
        assert "\n" not in str(error)
        return
    connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_text_is_a_query_fts5_runs_or_a_one_line_error(query: str) -> None:
    connection = _fts_connection()
    try:
        expression = to_fts(parse_query(query))
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    found = connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    every = connection.execute("SELECT rowid FROM t").fetchall()
    assert set(found) <= set(every)


def test_keywords_in_quotes_are_words_for_fts5() -> None:
    connection = _fts_connection()
    expression = to_fts(parse_query('"or" "NEAR" "and"'))
    rows = connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    assert rows == [(1,)]


def test_big_queries_within_the_bounds_run_in_fts5() -> None:
    connection = _fts_connection()
    for text in ("(" * 32 + "or" + ")" * 32, " ".join(["or"] * 200),
                 "or " + " ".join(f"-x{n}" for n in range(199)),
                 " OR ".join(["or"] * 200)):
        expression = to_fts(parse_query(text))
        rows = connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,))
        assert rows.fetchall() == [(1,)]
