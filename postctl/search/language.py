"""postctl's search query language, parsed into a small tree and written as an FTS5 MATCH.

Users never write FTS5 syntax: a query goes through this grammar (docs/guarantees.md: Limits), so a
typo is a one-line :class:`QueryError` (exit 2), never an SQLite error.

    query    := and_expr
    and_expr := or_expr ( ["AND"] or_expr )*       words side by side must all match
    or_expr  := unary ( "OR" unary )*              OR binds tighter than AND, as in web search
    unary    := ( "NOT" | "-" ) unary | primary
    primary  := "(" and_expr ")" | [FIELD ":"] ( WORD ["*"] | '"' phrase '"' ["*"] )

``AND``, ``OR`` and ``NOT`` are operators only in capitals; ``-`` negates only at the start
of a word. FIELD is one of ``title``, ``tag``/``tags``, ``category``/``categories``,
``author``, ``excerpt``, ``body``; ``tag:`` and ``category:`` match a whole tag or category
name (``tag:python`` does not match ``python-tips``; ``tag:python*`` does), the others match
words. Any other ``name:value`` is an ordinary word. A word or phrase with no letter or digit
(``&``, ``--``) is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postctl.errors import UsageError
from postctl.text.textify import fold_chars, has_word, split_cjk

__all__ = [
    "FIELDS",
    "NAME_FIELDS",
    "TAG_MARK",
    "And",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Term",
    "parse_query",
    "to_fts",
]


class QueryError(UsageError):
    """A search query that cannot be parsed (exit 2)."""


# query field name → indexed column
FIELDS = {
    "title": "title",
    "tag": "tags",
    "tags": "tags",
    "category": "categories",
    "categories": "categories",
    "author": "author",
    "excerpt": "excerpt",
    "body": "body",
}
# columns holding names matched whole: each name is indexed between two TAG_MARK words
NAME_FIELDS = frozenset({"tags", "categories"})
TAG_MARK = "zqxtagmark"
# Bounds on a query's size (docs/guarantees.md: Limits): a query is typed by a person.
MAX_TERMS = 200
MAX_DEPTH = 32  # nested parentheses and negations


@dataclass(frozen=True)
class Term:
    """A word (``phrase=False``) or a quoted phrase, maybe a prefix, maybe in one column."""

    text: str
    phrase: bool = False
    prefix: bool = False
    field: str | None = None  # a column name (a value of FIELDS)


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | And | Or | Not

# --------------------------------------------------------------------------------------------
# lexer


@dataclass(frozen=True)
class _Token:
    kind: str  # "word" | "phrase" | "(" | ")" | "AND" | "OR" | "NOT" | "-"
    text: str
    column: int  # 1-based, for messages
    prefix: bool = False
    field: str | None = None


_OPERATORS = frozenset({"AND", "OR", "NOT"})
_SPACE = " \t\n\r\f\v"


def _lex(query: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char in _SPACE:
            i += 1
        elif char in "()":
            out.append(_Token(char, char, i + 1))
            i += 1
        elif char == "-" and i + 1 < n and query[i + 1] not in _SPACE + ")":
            out.append(_Token("-", "-", i + 1))
            i += 1
        else:
            i = _lex_term(query, i, out)
    return out


def _lex_term(query: str, start: int, out: list[_Token]) -> int:
    field = None
    i = start
    colon = _field_colon(query, start)
    if colon is not None:
        field = FIELDS[query[start:colon].lower()]
        i = colon + 1
        if i >= len(query) or query[i] in _SPACE + "()":
            name = query[start:colon]
            raise QueryError(f"'{name}:' at column {start + 1} needs a word or a \"phrase\" "
                             "right after the colon")
    if query[i] == '"':
        end = query.find('"', i + 1)
        if end < 0:
            raise QueryError(f"unbalanced quote: the phrase starting at column {i + 1} has no "
                             "closing '\"'")
        prefix = end + 1 < len(query) and query[end + 1] == "*"
        after = end + 2 if prefix else end + 1
        out.append(_Token("phrase", query[i + 1:end], start + 1, prefix, field))
        return after
    end = i
    while end < len(query) and query[end] not in _SPACE + '()"':
        end += 1
    word = query[i:end]
    if field is None and word in _OPERATORS:
        out.append(_Token(word, word, start + 1))
        return end
    prefix = word.endswith("*")
    core = word.rstrip("*") if prefix else word
    if "*" in core:
        raise QueryError(f"'*' at column {i + core.index('*') + 1} is allowed only at the end "
                         "of a word (prefix search: 'word*')")
    if prefix and not has_word(core):
        raise QueryError(f"'{word}' at column {i + 1}: a prefix search needs letters before "
                         "the '*'")
    out.append(_Token("word", core, start + 1, prefix, field))
    return end


def _field_colon(query: str, start: int) -> int | None:
    """The index of the ':' when a known field name starts at ``start``, else None."""
    colon = query.find(":", start)
    if colon <= start:
        return None
    name = query[start:colon]
    if name.lower() in FIELDS and all(c not in _SPACE + '()"' for c in name):
        return colon
    return None


# --------------------------------------------------------------------------------------------
# parser


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def and_expr(self, closing: bool) -> Node:
        items: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token.kind == ")":
                break
            if token.kind == "AND":
                if not items:
                    raise QueryError(f"'AND' at column {token.column} needs a term before it")
                self.take()
                following = self.peek()
                if following is None or following.kind in (")", "AND", "OR"):
                    raise QueryError(f"'AND' at column {token.column} needs a term after it")
                continue
            items.append(self.or_expr())
        token = self.peek()
        if token is not None and not closing:
            raise QueryError(f"unbalanced parenthesis: ')' at column {token.column} has no "
                             "matching '('")
        return items[0] if len(items) == 1 else And(tuple(items))

    def or_expr(self) -> Node:
        first = self.peek()
        if first is not None and first.kind == "OR":
            raise QueryError(f"'OR' at column {first.column} needs a term before it")
        items = [self.unary()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            following = self.peek()
            if following is None or following.kind in (")", "AND", "OR"):
                raise QueryError(f"'OR' at column {token.column} needs a term after it")
            items.append(self.unary())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def unary(self) -> Node:
        token = self.take()
        if token.kind in ("NOT", "-", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"the query nests parentheses or negations more than "
                                 f"{MAX_DEPTH} deep")
            try:
                return self._nested(token)
            finally:
                self.depth -= 1
        if token.kind == ")":
            raise QueryError(f"unbalanced parenthesis: ')' at column {token.column} has no "
                             "matching '('")
        return Term(token.text, token.kind == "phrase", token.prefix, token.field)

    def _nested(self, token: _Token) -> Node:
        if token.kind in ("NOT", "-"):
            following = self.peek()
            if following is None or following.kind in (")", "AND", "OR"):
                name = "NOT" if token.kind == "NOT" else "-"
                raise QueryError(f"'{name}' at column {token.column} needs a term after it")
            return Not(self.unary())
        inner = self.and_expr(closing=True)  # after "("
        if self.peek() is None:
            raise QueryError(f"unbalanced parenthesis: '(' at column {token.column} is "
                             "never closed")
        self.take()
        if isinstance(inner, And) and not inner.items:
            raise QueryError(f"empty parentheses at column {token.column}")
        return inner


def parse_query(query: str) -> Node:
    """Parse ``query``; raise :class:`QueryError` with a one-line message if it is invalid.

    Words and phrases without a letter or digit are dropped; a query left with nothing to
    search for, or with only negated terms, is an error too.
    """
    tokens = _lex(query)
    if not tokens:
        raise QueryError("empty query: give at least one word to search for")
    if sum(1 for token in tokens if token.kind in ("word", "phrase")) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} words and phrases")
    tree = _Parser(tokens).and_expr(closing=False)
    pruned = _prune(tree)
    if pruned is None:
        raise QueryError("the query has no letters or digits to search for")
    _check_positive(pruned)
    return pruned


def _prune(node: Node) -> Node | None:
    """Drop terms the tokenizer would see as empty; flatten nested AND/OR."""
    if isinstance(node, Term):
        return node if has_word(node.text) else None
    if isinstance(node, Not):
        inner = _prune(node.item)
        return None if inner is None else Not(inner)
    kind = type(node)
    items: list[Node] = []
    for item in node.items:
        pruned = _prune(item)
        if pruned is None:
            continue
        items.extend(pruned.items if isinstance(pruned, kind) else (pruned,))
    if not items:
        return None
    return items[0] if len(items) == 1 else kind(tuple(items))


def _check_positive(node: Node) -> None:
    """FTS5 (like any index) can find only what a query asks for, not what it excludes."""
    if isinstance(node, Not):
        raise QueryError("the query only excludes words: add a word to search for "
                         "(as in 'coffee -tea')")
    if isinstance(node, And):
        if all(isinstance(item, Not) for item in node.items):
            raise QueryError("the query only excludes words: add a word to search for "
                             "(as in 'coffee -tea')")
        for item in node.items:
            _check_positive(item.item if isinstance(item, Not) else item)
    elif isinstance(node, Or):
        for item in node.items:
            if isinstance(item, Not):
                raise QueryError("an excluded word cannot be an alternative of OR: write "
                                 "'a OR b -c', not 'a OR -c'")
            _check_positive(item)


# --------------------------------------------------------------------------------------------
# FTS5


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _quote(text: str) -> str:
    # SQLite ends a string at NUL; control characters separate words anyway. CJK letters are
    # words of their own in the index: a CJK word is the phrase of its letters.
    folded = split_cjk(_CONTROL.sub(" ", fold_chars(text)), " ")
    return '"' + folded.replace('"', '""') + '"'


def _term_fts(term: Term) -> str:
    text = term.text
    if term.field in NAME_FIELDS:
        # a whole name: the mark, the name's words, and (unless a prefix) the closing mark
        text = f"{TAG_MARK} {text}" if term.prefix else f"{TAG_MARK} {text} {TAG_MARK}"
    phrase = _quote(text) + (" *" if term.prefix else "")
    return f"{term.field} : {phrase}" if term.field else phrase


def to_fts(node: Node) -> str:
    """The FTS5 MATCH expression of a parsed query (every word quoted, every group bracketed)."""
    if isinstance(node, Term):
        return _term_fts(node)
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts(item) for item in node.items) + ")"
    if isinstance(node, Not):  # only inside an And, handled there; alone it is rejected
        raise QueryError("the query only excludes words: add a word to search for")
    positive = [to_fts(item) for item in node.items if not isinstance(item, Not)]
    negative = [to_fts(item.item) for item in node.items if isinstance(item, Not)]
    text = "(" + " AND ".join(positive) + ")"
    if negative:  # a AND NOT b AND NOT c is a NOT (b OR c): one flat group, however many
        text = f"({text} NOT ({' OR '.join(negative)}))"
    return text
