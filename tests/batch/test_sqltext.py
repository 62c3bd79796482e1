"""SQL text: column references found and renamed without touching strings, and SQLite's
stored CREATE TABLE / CREATE INDEX read token by token."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from sqlstrata.batch.sqltext import (
    parse_create_index,
    parse_create_table,
    qualify_created,
    references,
    rename_columns,
    tokenize,
)

QUOTE = sa.create_engine("sqlite://").dialect.identifier_preparer.quote


def test_tokens_keep_strings_quoted_names_and_comments_apart() -> None:
    tokens = tokenize("a = 'it''s -- no' /* c */ AND \"we\"\"ird\" > [x y] -- tail")
    assert [t.kind for t in tokens] == [
        "word",
        "punct",
        "string",
        "word",
        "quoted",
        "punct",
        "quoted",
    ]
    assert tokens[4].value == 'we"ird'
    assert tokens[6].value == "x y"


def test_references_ignore_strings_functions_qualifiers_and_collations() -> None:
    assert references("balance >= 0", "balance")
    assert references('"Balance" >= 0', "Balance")
    assert references("BALANCE >= 0", "balance")  # bare names fold case
    assert not references("name = 'balance'", "balance")
    assert not references("balance(x) > 0", "balance")
    assert not references("balance.x > 0", "balance")
    assert not references("x COLLATE nocase", "nocase")
    assert not references('"Balance" > 0', "balance")  # quoted names are exact


def test_rename_rewrites_references_only() -> None:
    sql = "lower(name) <> 'name' AND \"name\" IS NOT NULL AND t.name > 0"
    renamed = rename_columns(sql, {"name": "full name"}, QUOTE)
    assert renamed == (
        'lower("full name") <> \'name\' AND "full name" IS NOT NULL AND t."full name" > 0'
    )


def test_rename_quotes_awkward_new_names() -> None:
    assert rename_columns("a > 0", {"a": 'quo"te'}, QUOTE) == '"quo""te" > 0'
    assert rename_columns("a > 0", {}, QUOTE) == "a > 0"


@given(st.text(alphabet="ab '\"()-,=", max_size=40))
def test_rename_with_nothing_to_rename_returns_the_text(sql: str) -> None:
    assert rename_columns(sql, {"zz": "yy"}, QUOTE) == sql


def test_parse_create_table_names_every_constraint() -> None:
    parsed = parse_create_table(
        'CREATE TABLE "quo""te" (\n'
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  name VARCHAR(20) COLLATE NOCASE NOT NULL DEFAULT 'x' CHECK (length(name) > 0),\n"
        '  ref INT CONSTRAINT "fk ""r""" REFERENCES other (id) ON DELETE CASCADE,\n'
        "  b INT UNIQUE,\n"
        '  CONSTRAINT "ck ""q""" CHECK (b <> \'it\'\'s, (x)\'),\n'
        "  CHECK (b > 1),\n"
        '  CONSTRAINT "uq" UNIQUE (name, b),\n'
        '  FOREIGN KEY (b) REFERENCES "quo""te" (id)\n'
        ") WITHOUT ROWID"
    )
    assert parsed.autoincrement
    assert parsed.column("NAME") is not None
    assert parsed.column("name").collation == "NOCASE"  # type: ignore[union-attr]
    checks = [(c.name, c.sqltext) for c in parsed.of_kind("check")]
    assert checks == [
        (None, "length(name) > 0"),
        ('ck "q"', "b <> 'it''s, (x)'"),
        (None, "b > 1"),
    ]
    assert [(c.name, c.columns) for c in parsed.of_kind("unique")] == [
        (None, ("b",)),
        ("uq", ("name", "b")),
    ]
    fks = [(c.name, c.columns, c.referred_table) for c in parsed.of_kind("foreignkey")]
    assert fks == [('fk "r"', ("ref",), "other"), (None, ("b",), 'quo"te')]
    assert [c.columns for c in parsed.of_kind("primary")] == [("id",)]
    assert not parsed.on_conflict


def test_parse_create_table_notices_on_conflict_clauses() -> None:
    parsed = parse_create_table("CREATE TABLE t (a INT NOT NULL ON CONFLICT IGNORE)")
    assert parsed.on_conflict
    assert parse_create_table("CREATE TABLE t AS SELECT 1").columns == ()


def test_parse_create_index_splits_after_the_table() -> None:
    parsed = parse_create_index(
        'CREATE UNIQUE INDEX "a" ON "a" (lower("a"), b DESC) WHERE "a" IS NOT NULL'
    )
    assert parsed.unique
    assert parsed.head == 'CREATE UNIQUE INDEX "a" ON "a" '
    renamed = parsed.head + rename_columns(parsed.body, {"a": "z"}, QUOTE)
    assert renamed == 'CREATE UNIQUE INDEX "a" ON "a" (lower(z), b DESC) WHERE z IS NOT NULL'
    assert not parse_create_index("CREATE INDEX i ON t (a)").unique


def test_created_objects_are_put_in_their_schema() -> None:
    assert (
        qualify_created('CREATE INDEX IF NOT EXISTS "ix a" ON t (a)', "Other S", QUOTE)
        == 'CREATE INDEX IF NOT EXISTS "Other S"."ix a" ON t (a)'
    )
    trigger = "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN SELECT 1; END"
    assert qualify_created(trigger, "s", QUOTE) == trigger.replace(" tr ", " s.tr ")
    assert qualify_created("CREATE INDEX s.ix ON t (a)", "s", QUOTE) == "CREATE INDEX s.ix ON t (a)"
    assert qualify_created("CREATE INDEX ix ON t (a)", None, QUOTE) == "CREATE INDEX ix ON t (a)"
