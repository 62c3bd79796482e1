"""The SQL script itself: terminators and batch separators per dialect."""

from __future__ import annotations

import sqlalchemy as sa

from sqlstrata.ops.facade import Operations
from tests.dialects.render import render


def two_statements(op: Operations) -> None:
    op.add_column("t", sa.Column("c", sa.Integer))
    op.create_index("ix_c", "t", ["c"])


def test_mssql_writes_go_after_each_statement() -> None:
    assert render("mssql", two_statements) == (
        "ALTER TABLE t ADD c INTEGER NULL;\n\nGO\n\nCREATE INDEX ix_c ON t (c);\n\nGO"
    )


def test_oracle_writes_a_slash_after_each_statement() -> None:
    assert render("oracle", two_statements) == (
        "ALTER TABLE t ADD c INTEGER\n\n/\n\nCREATE INDEX ix_c ON t (c)\n\n/"
    )


def test_postgresql_ends_statements_with_semicolons() -> None:
    assert render("postgresql", two_statements) == (
        "ALTER TABLE t ADD COLUMN c INTEGER;\n\nCREATE INDEX ix_c ON t (c);"
    )


def test_create_table_returns_the_table_offline() -> None:
    tables: list[sa.Table] = []
    render(
        "postgresql",
        lambda op: tables.append(op.create_table("t", sa.Column("id", sa.Integer))),
    )
    assert tables[0].name == "t"
    assert [c.name for c in tables[0].columns] == ["id"]


def test_bulk_insert_offline_writes_literals_for_each_row() -> None:
    table = sa.table("t", sa.column("n", sa.Integer), sa.column("s", sa.String))
    text = render(
        "sqlite",
        lambda op: op.bulk_insert(table, [{"n": 1, "s": None}, {"n": 2, "s": "x"}]),
    )
    assert text == (
        "INSERT INTO t (n, s) VALUES (1, NULL);\n\nINSERT INTO t (n, s) VALUES (2, 'x');"
    )
