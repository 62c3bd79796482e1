"""Directives used by the expected-SQL tests, by name; each dialect's file gives the SQL."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlstrata.ops.facade import Operations

Directive = Callable[[Operations], object]


def _create_table(op: Operations) -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="anon", comment="who"),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE")),
        sa.UniqueConstraint("name", name="uq_account_name"),
        sa.CheckConstraint("owner_id > 0", name="ck_account_owner"),
        sa.Index("ix_account_owner", "owner_id"),
        schema="bank",
        comment="accounts",
    )


CASES: dict[str, Directive] = {
    "create_table": _create_table,
    "create_table_if_not_exists": lambda op: op.create_table(
        "t", sa.Column("id", sa.Integer, primary_key=True), if_not_exists=True
    ),
    "create_table_enum": lambda op: op.create_table(
        "t",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.Enum("new", "done", name="status")),
    ),
    "drop_table": lambda op: op.drop_table("account", schema="bank"),
    "drop_table_if_exists": lambda op: op.drop_table("account", if_exists=True),
    "rename_table": lambda op: op.rename_table("account", "ledger", schema="bank"),
    "create_table_comment": lambda op: op.create_table_comment("account", "it's ours"),
    "drop_table_comment": lambda op: op.drop_table_comment("account", existing_comment="x"),
    "add_column": lambda op: op.add_column(
        "account", sa.Column("balance", sa.Numeric(10, 2), nullable=False, server_default="0")
    ),
    "add_column_fk_comment": lambda op: op.add_column(
        "account",
        sa.Column("branch_id", sa.Integer, sa.ForeignKey("branch.id", name="fk_branch")),
        schema="bank",
    ),
    "add_column_comment": lambda op: op.add_column(
        "account", sa.Column("note", sa.Text, comment="free text")
    ),
    "add_column_if_not_exists": lambda op: op.add_column(
        "account", sa.Column("note", sa.Text), if_not_exists=True
    ),
    "drop_column": lambda op: op.drop_column("account", "note", schema="bank"),
    "drop_column_if_exists": lambda op: op.drop_column("account", "note", if_exists=True),
    "alter_nullable": lambda op: op.alter_column(
        "account", "name", nullable=True, existing_type=sa.String(50)
    ),
    "alter_type": lambda op: op.alter_column(
        "account",
        "name",
        type_=sa.String(100),
        existing_type=sa.String(50),
        existing_nullable=False,
    ),
    "alter_type_using": lambda op: op.alter_column(
        "account",
        "code",
        type_=sa.Integer,
        postgresql_using="code::integer",
        existing_type=sa.String(10),
        existing_nullable=True,
    ),
    "alter_default": lambda op: op.alter_column(
        "account", "name", server_default="nobody", existing_type=sa.String(50)
    ),
    "alter_default_expression": lambda op: op.alter_column(
        "account",
        "created",
        server_default=sa.text("CURRENT_TIMESTAMP"),
        existing_type=sa.DateTime(),
    ),
    "alter_drop_default": lambda op: op.alter_column(
        "account", "name", server_default=None, existing_type=sa.String(50)
    ),
    "alter_rename": lambda op: op.alter_column(
        "account",
        "name",
        new_column_name="title",
        existing_type=sa.String(50),
        existing_nullable=False,
        existing_server_default="anon",
        existing_comment="who",
    ),
    "alter_comment": lambda op: op.alter_column(
        "account",
        "name",
        comment="display name",
        existing_type=sa.String(50),
        existing_nullable=False,
    ),
    "alter_autoincrement": lambda op: op.alter_column(
        "account", "id", autoincrement=True, existing_type=sa.Integer, existing_nullable=False
    ),
    "create_primary_key": lambda op: op.create_primary_key("pk_account", "account", ["id"]),
    "create_foreign_key": lambda op: op.create_foreign_key(
        "fk_owner",
        "account",
        "person",
        ["owner_id"],
        ["id"],
        ondelete="SET NULL",
        onupdate="CASCADE",
        deferrable=True,
        initially="DEFERRED",
        match="FULL",
        source_schema="bank",
        referent_schema="people",
    ),
    "create_foreign_key_plain": lambda op: op.create_foreign_key(
        None, "account", "person", ["owner_id", "kind"], ["id", "kind"], ondelete="CASCADE"
    ),
    "create_unique_constraint": lambda op: op.create_unique_constraint(
        "uq_name", "account", ["name", "owner_id"], schema="bank"
    ),
    "create_check_constraint": lambda op: op.create_check_constraint(
        "ck_positive", "account", sa.column("balance") >= 0
    ),
    "create_exclude_constraint": lambda op: op.create_exclude_constraint(
        "ex_booking", "booking", ("room", "="), ("during", "&&"), where="cancelled = false"
    ),
    "drop_constraint_fk": lambda op: op.drop_constraint("fk_owner", "account", "foreignkey"),
    "drop_constraint_pk": lambda op: op.drop_constraint("pk_account", "account", "primary"),
    "drop_constraint_unique": lambda op: op.drop_constraint("uq_name", "account", "unique"),
    "drop_constraint_check": lambda op: op.drop_constraint("ck_positive", "account", "check"),
    "drop_constraint_untyped": lambda op: op.drop_constraint("uq_name", "account"),
    "drop_constraint_if_exists": lambda op: op.drop_constraint(
        "uq_name", "account", "unique", if_exists=True
    ),
    "create_index": lambda op: op.create_index("ix_name", "account", ["name", "owner_id"]),
    "create_index_unique_functional": lambda op: op.create_index(
        "ix_lower_name", "account", [sa.text("lower(name)")], unique=True, schema="bank"
    ),
    "create_index_partial": lambda op: op.create_index(
        "ix_active",
        "account",
        ["name"],
        postgresql_where=sa.text("active"),
        sqlite_where=sa.text("active"),
        mssql_where=sa.text("active = 1"),
    ),
    "create_index_postgresql": lambda op: op.create_index(
        "ix_doc",
        "account",
        ["doc"],
        postgresql_using="gin",
        postgresql_include=["name"],
        postgresql_concurrently=True,
    ),
    "create_index_mysql": lambda op: op.create_index(
        "ix_name_prefix",
        "account",
        ["name", "note"],
        mysql_length={"name": 10, "note": 20},
        mysql_prefix="FULLTEXT",
    ),
    "create_index_if_not_exists": lambda op: op.create_index(
        "ix_name", "account", ["name"], if_not_exists=True
    ),
    "drop_index": lambda op: op.drop_index("ix_name", "account", schema="bank"),
    "drop_index_if_exists": lambda op: op.drop_index("ix_name", "account", if_exists=True),
    "drop_index_concurrently": lambda op: op.drop_index(
        "ix_name", "account", postgresql_concurrently=True
    ),
    "create_sequence": lambda op: op.create_sequence("seq_id", start=10, increment=5),
    "drop_sequence": lambda op: op.drop_sequence("seq_id", if_exists=True),
    "create_enum": lambda op: op.create_enum("mood", ["sad", "ok", "it's fine"], schema="app"),
    "drop_enum": lambda op: op.drop_enum("mood", if_exists=True),
    "add_enum_value": lambda op: op.add_enum_value("mood", "happy", after="ok"),
    "execute_text": lambda op: op.execute("UPDATE account SET name = 'x'"),
    "execute_statement": lambda op: op.execute(
        sa.table("account", sa.column("name"), sa.column("id"))
        .update()
        .where(sa.column("id") == op.inline_literal(5))
        .values(name=op.inline_literal("it's"))
    ),
    "bulk_insert": lambda op: op.bulk_insert(
        sa.table("account", sa.column("id", sa.Integer), sa.column("name", sa.String)),
        [{"id": 1, "name": "a'b"}, {"id": 2, "name": "c"}],
    ),
    "postgresql_enum_column_type": lambda op: op.add_column(
        "account", sa.Column("mood", postgresql.ENUM("a", "b", name="mood2"))
    ),
}
