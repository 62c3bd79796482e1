"""Make SQL text from the models and from the database comparable, per database.

A database hands back what it stored, not what it was given: PostgreSQL adds casts and
parentheses (``'abc'::character varying``, ``(x > 0)``), MySQL reports display widths
(``INTEGER(11)``) and stores ``BOOLEAN`` as ``TINYINT(1)``, MariaDB stores ``JSON`` as
``LONGTEXT``, every database spells ``now()`` its own way. The functions here turn both sides
into one canonical form so that an unchanged type, default or condition never shows up as a
change. They are pure string functions, keyed by the SQLAlchemy dialect name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(
    r"""
    (?P<literal>'(?:[^']|'')*')
    |(?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`)
    |(?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    |(?P<word>\w+)
    |(?P<op>::|<>|!=|>=|<=|\|\||[^\s\w])
    """,
    re.VERBOSE,
)

# PostgreSQL type names of more than one word, as they follow a ``::`` cast.
_MULTIWORD_TYPES = (
    ("character", "varying"),
    ("timestamp", "without", "time", "zone"),
    ("timestamp", "with", "time", "zone"),
    ("time", "without", "time", "zone"),
    ("time", "with", "time", "zone"),
    ("double", "precision"),
    ("bit", "varying"),
)

_NOW = frozenset({"now", "current_timestamp", "localtimestamp", "transaction_timestamp"})
_NUMERIC_LITERAL = re.compile(r"^'([-+]?\d+(?:\.\d+)?)'$")


def tokens(sql: str) -> list[str]:
    """Split SQL into comparable tokens: literals kept, the rest lower-cased and unquoted,
    parentheses and PostgreSQL casts dropped."""
    raw = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(sql)]
    out: list[str] = []
    i = 0
    while i < len(raw):
        kind, text = raw[i]
        if kind == "op" and text == "::":
            i = _skip_cast(raw, i + 1)
            continue
        if kind == "literal" and i + 1 < len(raw) and raw[i + 1][1] == "::":
            numeric = _NUMERIC_LITERAL.match(text)
            if numeric:  # PostgreSQL keeps a negative constant as '-1'::integer
                out.extend(_number_tokens(numeric.group(1)))
                i += 1
                continue
        if kind == "op" and text in "()":
            i += 1
            continue
        introducer = kind == "word" and text.startswith("_") and i + 1 < len(raw)
        if introducer and raw[i + 1][0] == "literal":  # MySQL charset: _utf8mb4'abc'
            i += 1
            continue
        if kind == "quoted":
            out.append(text[1:-1].lower())
        elif kind == "literal":
            out.append(text)
        else:
            out.append(text.lower())
        i += 1
    return _any_array_to_in(out)


def _number_tokens(number: str) -> list[str]:
    """A number as the tokenizer splits it: the sign apart."""
    return [number[0], number[1:]] if number[0] in "+-" else [number]


def _skip_cast(raw: list[tuple[str, str]], i: int) -> int:
    """Skip the type after ``::`` (words, a length, array brackets)."""
    words = [text.lower() for kind, text in raw[i : i + 4]]
    for multi in _MULTIWORD_TYPES:
        if tuple(words[: len(multi)]) == multi:
            i += len(multi)
            break
    else:
        if i < len(raw) and raw[i][0] in ("word", "quoted"):
            i += 1
    if i < len(raw) and raw[i][1] == "(":
        while i < len(raw) and raw[i][1] != ")":
            i += 1
        i += 1
    while i + 1 < len(raw) and raw[i][1] == "[" and raw[i + 1][1] == "]":
        i += 2
    return i


def _any_array_to_in(toks: list[str]) -> list[str]:
    """PostgreSQL stores ``x IN ('a', 'b')`` as ``x = ANY (ARRAY['a', 'b'])``."""
    out: list[str] = []
    closing = 0  # "]" tokens still to drop, one per rewritten ARRAY[
    i = 0
    while i < len(toks):
        window = toks[i : i + 4]
        if window in (["=", "any", "array", "["], ["<>", "all", "array", "["]):
            out.extend(["in"] if window[0] == "=" else ["not", "in"])
            closing += 1
            i += 4
            continue
        if toks[i] == "]" and closing:
            closing -= 1
        else:
            out.append(toks[i])
        i += 1
    return out


# Functions MySQL / MariaDB store under another name than the one they were given.
_MYSQL_FUNCTIONS = {
    "length": "octet_length",
    "character_length": "char_length",
    "lcase": "lower",
    "ucase": "upper",
    "substr": "substring",
}


def sql_key(sql: str | None, dialect: str = "default") -> str:
    """Comparable form of a SQL expression: a CHECK condition, an index expression or
    predicate, a computed column's expression."""
    if sql is None:
        return ""
    toks = tokens(sql)
    if dialect in ("mysql", "mariadb"):
        toks = [_MYSQL_FUNCTIONS.get(tok, tok) for tok in toks]
    return " ".join(toks)


def default_key(dialect: str, sql: str | None) -> str | None:
    """Comparable form of a server default, or ``None`` for no default."""
    if sql is None:
        return None
    toks = tokens(sql)
    if not toks or toks == ["null"]:
        return None
    out: list[str] = []
    for tok in toks:
        numeric = _NUMERIC_LITERAL.match(tok)
        if numeric:
            out.extend(_number_tokens(numeric.group(1)))
            continue
        if tok in _NOW:
            tok = "current_timestamp"
        if dialect in ("mysql", "mariadb", "sqlite", "mssql") and tok in ("true", "false"):
            tok = "1" if tok == "true" else "0"
        out.append(tok)
    return " ".join(out)


# -- types -------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_MYSQL_INT = re.compile(r"^(TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT)\s*\((\d+)\)")
_MYSQL_CHARSET = re.compile(r"\s+(CHARACTER SET|CHARSET|COLLATE)\s+\w+", re.IGNORECASE)
_PG_FLOAT = re.compile(r"^FLOAT(?:\((\d+)\))?$")
_SYNONYMS = {
    "INT": "INTEGER",
    "DECIMAL": "NUMERIC",
    "CHARACTER VARYING": "VARCHAR",
    "CHARACTER": "CHAR",
    "BOOL": "BOOLEAN",
}
_PG_ZONED = re.compile(r"^(TIMESTAMP|TIME)(\(\d+\))? WITH(OUT)? TIME ZONE$")
_PG_SYNONYMS = {
    "INT4": "INTEGER",
    "INT8": "BIGINT",
    "INT2": "SMALLINT",
    "FLOAT8": "DOUBLE PRECISION",
    "FLOAT4": "REAL",
    "CHAR": "CHAR(1)",
    "SERIAL": "INTEGER",
    "BIGSERIAL": "BIGINT",
}
_MYSQL_SYNONYMS = {
    "INTEGER": "INTEGER",
    "TINYINT(1)": "BOOLEAN",
    "JSON": "LONGTEXT",
    "DOUBLE PRECISION": "DOUBLE",
    "REAL": "DOUBLE",
    "NCHAR": "CHAR",
    "NVARCHAR": "VARCHAR",
}


def type_key(dialect: str, type_sql: str) -> str:
    """Comparable form of a column type as ``dialect`` writes it."""
    text = _SPACES.sub(" ", type_sql.strip()).upper()
    text = _outside_literals(text, lambda part: part.replace(", ", ","))
    head, paren, rest = text.partition("(")
    head = _SYNONYMS.get(head.strip(), head.strip())
    text = head + paren + rest
    if dialect == "postgresql":
        return _pg_type(text)
    if dialect in ("mysql", "mariadb"):
        return _mysql_type(text)
    return text


def _pg_type(text: str) -> str:
    floating = _PG_FLOAT.match(text)
    if floating:
        precision = floating.group(1)
        return "REAL" if precision and int(precision) <= 24 else "DOUBLE PRECISION"
    zoned = _PG_ZONED.match(text)
    if zoned:
        return zoned.group(1) + ("" if zoned.group(3) else "TZ") + (zoned.group(2) or "")
    head, paren, rest = text.partition("(")
    return _PG_SYNONYMS.get(head, head) + paren + rest


def _mysql_type(text: str) -> str:
    text = text.replace("NATIONAL ", "")
    if text.startswith("TINYINT(1)"):
        text = "BOOLEAN" + text[len("TINYINT(1)") :]
    else:
        text = _MYSQL_INT.sub(lambda m: _SYNONYMS.get(m.group(1), m.group(1)), text)
    head, paren, rest = text.partition("(")
    head = _MYSQL_SYNONYMS.get(head.strip(), head.strip())
    return head + paren + rest


def _outside_literals(text: str, change: Callable[[str], str]) -> str:
    parts = re.split(r"('(?:[^']|'')*')", text)
    return "".join(p if p.startswith("'") else change(p) for p in parts)


def types_equal(dialect: str, a: str, b: str) -> bool:
    """Whether two types (as ``dialect`` writes them) are the same; unknown types are."""
    if not a or not b:
        return True
    ka, kb = type_key(dialect, a), type_key(dialect, b)
    if ka == kb:
        return True
    if dialect in ("mysql", "mariadb"):
        # A character set or collation only one side states is the table's default.
        sa_, sb = _MYSQL_CHARSET.sub("", ka), _MYSQL_CHARSET.sub("", kb)
        if sa_ == sb and (sa_ == ka or sb == kb):
            return True
    return False


_FAMILIES = {
    "SMALLINT": "number",
    "INTEGER": "number",
    "BIGINT": "number",
    "NUMERIC": "number",
    "REAL": "number",
    "DOUBLE PRECISION": "number",
    "VARCHAR": "string",
    "CHAR": "string",
    "TEXT": "string",
}


def type_family(dialect: str, type_sql: str) -> str:
    """A coarse family (``number``, ``string``...): PostgreSQL converts within one family
    without a ``USING`` clause."""
    key = type_key(dialect, type_sql)
    head = key.partition("(")[0].strip()
    return _FAMILIES.get(head, head)


def fk_action(dialect: str, action: str | None) -> str:
    """Comparable ON DELETE / ON UPDATE action; absent means NO ACTION."""
    text = _SPACES.sub(" ", (action or "NO ACTION").strip()).upper()
    if dialect in ("mysql", "mariadb") and text == "RESTRICT":
        return "NO ACTION"
    return text


def persisted(dialect: str, value: bool | None) -> bool:
    """Whether a computed column is stored, ``None`` meaning the database's default
    (stored on PostgreSQL, virtual elsewhere)."""
    if value is not None:
        return value
    return dialect == "postgresql"
