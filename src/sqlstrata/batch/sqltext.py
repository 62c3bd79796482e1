"""SQL text as tokens: find and rename column references, read SQLite's stored DDL.

A rebuild carries SQL text over from the old table: CHECK conditions, index expressions,
SQLite's stored ``CREATE INDEX`` statements. When a column is renamed in the same batch,
the references in that text must follow. The tokenizer here knows strings, quoted
identifiers (``"..."``, backticks, ``[...]``), comments and words, so a rename touches
identifiers only, never the inside of a string literal.

SQLAlchemy's SQLite reflection parses the stored ``CREATE TABLE`` with regular expressions and
loses what it cannot match (constraint names holding a double quote, ``COLLATE`` clauses,
``AUTOINCREMENT``). :func:`parse_create_table` reads the statement token by token instead and
returns what the rebuild needs to keep.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
      (?P<space>\s+|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))
    | (?P<string>'(?:[^']|'')*'?)
    | (?P<quoted>"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
    | (?P<word>[^\W\d][\w$]*)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token; ``start`` is its offset in the source text."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_name(self) -> bool:
        """Whether the token is an identifier (bare word or quoted)."""
        return self.kind in ("word", "quoted")

    @property
    def value(self) -> str:
        """The identifier it names: quotes removed, doubled quotes undone."""
        if self.kind != "quoted":
            return self.text
        opening, body = self.text[0], self.text[1:-1]
        if opening == "[":
            return body
        return body.replace(opening * 2, opening)

    def keyword(self, *words: str) -> bool:
        """Whether this is a bare word equal (case-insensitively) to one of ``words``."""
        return self.kind == "word" and self.text.upper() in words


def tokenize(sql: str) -> list[Token]:
    """The tokens of ``sql``, whitespace and comments left out."""
    found = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "punct"
        if kind != "space":
            found.append(Token(kind, match.group(), match.start()))
    return found


def _matches(token: Token, name: str) -> bool:
    if token.kind == "quoted":
        return token.value == name
    return token.kind == "word" and token.text.casefold() == name.casefold()


def _column_positions(tokens: Sequence[Token]) -> Iterable[int]:
    """Indexes of the tokens that can be column references: identifiers that are not a
    function name (followed by ``(``), a qualifier (followed by ``.``) or a collation."""
    for i, token in enumerate(tokens):
        if not token.is_name:
            continue
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if token.kind == "word" and following == "(":
            continue
        if following == ".":
            continue
        if i > 0 and tokens[i - 1].keyword("COLLATE"):
            continue
        yield i


def references(sql: str, name: str) -> bool:
    """Whether ``sql`` mentions the column ``name``."""
    tokens = tokenize(sql)
    return any(_matches(tokens[i], name) for i in _column_positions(tokens))


def rename_columns(sql: str, renames: Mapping[str, str], quote: Callable[[str], str]) -> str:
    """``sql`` with each reference to a column in ``renames`` replaced by the new name."""
    if not renames:
        return sql
    tokens = tokenize(sql)
    pieces: list[str] = []
    position = 0
    for i in _column_positions(tokens):
        token = tokens[i]
        new = next((new for old, new in renames.items() if _matches(token, old)), None)
        if new is None:
            continue
        pieces.append(sql[position : token.start])
        pieces.append(quote(new))
        position = token.end
    pieces.append(sql[position:])
    return "".join(pieces)


# -- SQLite's stored CREATE TABLE ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedConstraint:
    """A constraint as written: ``kind`` is "primary", "unique", "check" or "foreignkey"."""

    kind: str
    name: str | None
    columns: tuple[str, ...] = ()
    sqltext: str | None = None
    referred_table: str | None = None
    deferrable: bool | None = None
    initially: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedColumn:
    name: str
    collation: str | None = None
    autoincrement: bool = False


@dataclass(frozen=True, slots=True)
class ParsedTable:
    """What a stored ``CREATE TABLE`` says beyond what PRAGMA table_info tells."""

    columns: tuple[ParsedColumn, ...] = ()
    constraints: tuple[ParsedConstraint, ...] = ()
    on_conflict: bool = False

    @property
    def autoincrement(self) -> bool:
        return any(column.autoincrement for column in self.columns)

    def column(self, name: str) -> ParsedColumn | None:
        return next((c for c in self.columns if c.name.casefold() == name.casefold()), None)

    def of_kind(self, kind: str) -> tuple[ParsedConstraint, ...]:
        return tuple(c for c in self.constraints if c.kind == kind)


_TABLE_CONSTRAINTS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


def _split(tokens: Sequence[Token], start: int) -> tuple[list[list[Token]], int]:
    """Split the parenthesised list opening at ``tokens[start]`` at its top-level commas;
    return the items and the index just past the closing parenthesis."""
    items: list[list[Token]] = [[]]
    depth = 0
    for i in range(start, len(tokens)):
        text = tokens[i].text
        if text == "(":
            depth += 1
            if depth == 1:
                continue
        elif text == ")":
            depth -= 1
            if depth == 0:
                return [item for item in items if item], i + 1
        elif text == "," and depth == 1:
            items.append([])
            continue
        items[-1].append(tokens[i])
    return [item for item in items if item], len(tokens)


def _group_end(tokens: Sequence[Token], start: int) -> int:
    """The index of the parenthesis closing the one at ``tokens[start]``."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def parse_create_table(sql: str) -> ParsedTable:
    """Read the column and table constraints of a stored ``CREATE TABLE`` statement."""
    tokens = tokenize(sql)
    opening = next((i for i, t in enumerate(tokens) if t.text == "("), None)
    if opening is None:
        return ParsedTable()
    definitions, _ = _split(tokens, opening)
    columns: list[ParsedColumn] = []
    constraints: list[ParsedConstraint] = []
    for definition in definitions:
        first = definition[0]
        if first.kind == "word" and first.keyword(*_TABLE_CONSTRAINTS):
            constraints.extend(_constraints(sql, definition, None))
        else:
            column, found = _column(sql, definition)
            columns.append(column)
            constraints.extend(found)
    on_conflict = any(
        a.keyword("ON") and b.keyword("CONFLICT") for a, b in itertools.pairwise(tokens)
    )
    return ParsedTable(tuple(columns), tuple(constraints), on_conflict)


def _column(sql: str, definition: list[Token]) -> tuple[ParsedColumn, list[ParsedConstraint]]:
    name = definition[0].value
    collation = None
    autoincrement = False
    i = 1
    while i < len(definition):
        token = definition[i]
        if token.text == "(":
            i = _group_end(definition, i) + 1
            continue
        if token.keyword("COLLATE") and i + 1 < len(definition):
            collation = definition[i + 1].value
        elif token.keyword("AUTOINCREMENT"):
            autoincrement = True
        i += 1
    found = _constraints(sql, definition[1:], name)
    return ParsedColumn(name, collation, autoincrement), found


def _names_in(item_tokens: list[list[Token]]) -> tuple[str, ...]:
    return tuple(item[0].value for item in item_tokens if item)


def _constraints(sql: str, tokens: list[Token], column: str | None) -> list[ParsedConstraint]:
    """The named or unnamed constraints in a column definition (``column`` given) or a
    table constraint clause."""
    found: list[ParsedConstraint] = []
    name: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.text == "(":
            i = _group_end(tokens, i) + 1
            continue
        if token.keyword("CONSTRAINT") and i + 1 < len(tokens):
            name = tokens[i + 1].value
            i += 2
            continue
        parsed, i = _one_constraint(sql, tokens, i, name, column)
        if parsed is not None:
            found.append(parsed)
            name = None
        elif token.keyword("NOT", "NULL", "DEFAULT", "COLLATE", "GENERATED", "AS"):
            name = None
    return found


def _one_constraint(
    sql: str, tokens: list[Token], i: int, name: str | None, column: str | None
) -> tuple[ParsedConstraint | None, int]:
    """The constraint starting at ``tokens[i]`` (if one does) and the index after it."""
    token = tokens[i]
    own = (column,) if column is not None else ()
    has_list = i + 1 < len(tokens) and tokens[i + 1].text == "("
    if token.keyword("PRIMARY", "UNIQUE"):
        kind = "primary" if token.keyword("PRIMARY") else "unique"
        j = i + 2 if kind == "primary" else i + 1  # PRIMARY KEY
        if column is None and j < len(tokens) and tokens[j].text == "(":
            items, after = _split(tokens, j)
            return ParsedConstraint(kind, name, _names_in(items)), after
        return ParsedConstraint(kind, name, own), j
    if token.keyword("CHECK") and has_list:
        end = _group_end(tokens, i + 1)
        text = sql[tokens[i + 1].end : tokens[end].start].strip()
        return ParsedConstraint("check", name, own, sqltext=text), end + 1
    if token.keyword("FOREIGN") and i + 2 < len(tokens) and tokens[i + 2].text == "(":
        items, after = _split(tokens, i + 2)
        if after < len(tokens) and tokens[after].keyword("REFERENCES"):
            return _references(tokens, after, name, _names_in(items))
        return None, after
    if token.keyword("REFERENCES") and i + 1 < len(tokens):
        return _references(tokens, i, name, own)
    return None, i + 1


_CLAUSE_STARTS = (
    "CONSTRAINT",
    "PRIMARY",
    "UNIQUE",
    "CHECK",
    "FOREIGN",
    "REFERENCES",
    "DEFAULT",
    "COLLATE",
    "GENERATED",
    "AS",
    "NULL",
)


def _references(
    tokens: list[Token], i: int, name: str | None, columns: tuple[str, ...]
) -> tuple[ParsedConstraint, int]:
    """``REFERENCES table [(columns)] [ON ... | MATCH ... | [NOT] DEFERRABLE ...]`` at
    ``tokens[i]``: the parts PRAGMA foreign_key_list does not tell (deferrability)."""
    referred = tokens[i + 1].value if i + 1 < len(tokens) else None
    end = i + 2
    while end < len(tokens):
        if tokens[end].text == "(":
            end = _group_end(tokens, end) + 1
            continue
        word = tokens[end]
        if word.keyword(*_CLAUSE_STARTS) or (
            word.keyword("NOT") and end + 1 < len(tokens) and tokens[end + 1].keyword("NULL")
        ):
            break
        end += 1
    clause = tokens[i + 2 : end]
    deferrable = None
    initially = None
    for j, word in enumerate(clause):
        if word.keyword("DEFERRABLE"):
            deferrable = not (j > 0 and clause[j - 1].keyword("NOT"))
        elif word.keyword("INITIALLY") and j + 1 < len(clause):
            initially = clause[j + 1].text.upper()
    found = ParsedConstraint("foreignkey", name, columns, None, referred, deferrable, initially)
    return found, end


# -- SQLite's stored CREATE INDEX ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedIndex:
    """A stored ``CREATE INDEX``: its head (up to the table name) and the rest."""

    unique: bool
    head: str
    body: str


def parse_create_index(sql: str) -> ParsedIndex:
    """Split ``CREATE [UNIQUE] INDEX name ON table (...) [WHERE ...]`` after the table name,
    so that column renames touch the column list and the WHERE clause only."""
    tokens = tokenize(sql)
    unique = any(t.keyword("UNIQUE") for t in tokens[:3])
    opening = next((i for i, t in enumerate(tokens) if t.text == "("), len(tokens))
    cut = tokens[opening].start if opening < len(tokens) else len(sql)
    return ParsedIndex(unique, sql[:cut], sql[cut:])


def qualify_created(sql: str, schema: str | None, quote: Callable[[str], str]) -> str:
    """``CREATE INDEX name ...`` / ``CREATE TRIGGER name ...`` with ``name`` put in
    ``schema`` (SQLite stores the statement without it; run as it is, the object would be
    created in the main database)."""
    if schema is None:
        return sql
    tokens = tokenize(sql)
    i = next((n for n, t in enumerate(tokens) if t.keyword("INDEX", "TRIGGER")), None)
    if i is None:
        return sql
    i += 1
    if i + 2 < len(tokens) and tokens[i].keyword("IF") and tokens[i + 1].keyword("NOT"):
        i += 3
    if i >= len(tokens) or (i + 1 < len(tokens) and tokens[i + 1].text == "."):
        return sql
    return f"{sql[: tokens[i].start]}{quote(schema)}.{sql[tokens[i].start :]}"
