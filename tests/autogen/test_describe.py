"""Descriptions of operations (``strata check``) and parsing SQLite's index SQL."""

from __future__ import annotations

import sqlalchemy as sa

from sqlstrata.autogen.describe import changes, describe
from sqlstrata.autogen.directives import ModifyTableOps
from sqlstrata.autogen.reflect import parse_sqlite_index
from sqlstrata.ops import operations as ops


def test_descriptions() -> None:
    cases: list[tuple[ops.Operation, str, str]] = [
        (ops.CreateTable("t", ()), "create_table", "add table 't'"),
        (ops.DropTable("t", "s"), "drop_table", "remove table 's.t'"),
        (ops.AddColumn("t", sa.Column("a", sa.Integer)), "add_column", "add column 't.a'"),
        (ops.DropColumn("t", "a"), "drop_column", "remove column 't.a'"),
        (
            ops.AlterColumn(
                "t",
                "a",
                modify_nullable=False,
                existing_nullable=True,
                modify_server_default="1",
                existing_server_default=None,
            ),
            "alter_column",
            "alter column 't.a': nullable True -> False, server default None -> '1'",
        ),
        (
            ops.CreateIndex("ix", "t", ("a",), unique=True),
            "create_index",
            "add unique index 'ix' on 't'",
        ),
        (
            ops.DropConstraint("fk", "t", "foreignkey"),
            "drop_constraint",
            "remove foreign key 'fk' from 't'",
        ),
        (
            ops.CreateCheckConstraint("ck", "t", "a > 0"),
            "create_check_constraint",
            "add check constraint 'ck' on 't'",
        ),
        (ops.AddEnumValue("mood", "ok"), "add_enum_value", "add value 'ok' to enum type 'mood'"),
        (ops.CreateSequence("seq"), "create_sequence", "add sequence 'seq'"),
    ]
    for op, kind, text in cases:
        change = describe(op)
        assert (change.kind, change.description) == (kind, text)
    grouped = changes([ModifyTableOps("t", (ops.DropColumn("t", "a"),))])
    assert [c.as_json() for c in grouped] == [
        {"op": "drop_column", "table": "t", "description": "remove column 't.a'"}
    ]


def test_parse_sqlite_expression_index() -> None:
    parsed = parse_sqlite_index(
        "ix", 'CREATE UNIQUE INDEX "ix" ON "t" (lower(name), "b", coalesce(a, \'x,y\')) WHERE a > 0'
    )
    assert parsed == {
        "name": "ix",
        "unique": True,
        "column_names": [None, "b", None],
        "expressions": ["lower(name)", "b", "coalesce(a, 'x,y')"],
        "dialect_options": {"sqlite_where": "a > 0"},
    }
    assert parse_sqlite_index("ix", "CREATE TABLE nope (a)") is None
