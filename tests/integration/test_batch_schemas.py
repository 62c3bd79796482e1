"""Batch mode on a table in another schema (PostgreSQL schema, MySQL database, attached
SQLite file), and the Alembic arguments that shape the new table: reflect_args,
table_args, table_kwargs and naming_convention."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlstrata.errors import CommandError
from tests.dialects.live import inspector, live_ops, rows
from tests.integration.test_ops_schemas import schema

__all__ = ["schema"]


def test_a_rebuild_in_another_schema(engine: sa.Engine, schema: str) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "parent",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(20)),
            sa.Index("ix_parent_name", "name"),
            schema=schema,
        )
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey(f"{schema}.parent.id")),
            schema=schema,
        )
        op.execute(sa.text(f"INSERT INTO {_ref(engine, schema, 'parent')} VALUES (1, 'a')"))
        op.execute(sa.text(f"INSERT INTO {_ref(engine, schema, 'child')} VALUES (1, 1)"))
    with (
        live_ops(engine) as op,
        op.batch_alter_table("parent", schema=schema, recreate="always") as batch,
    ):
        batch.alter_column("name", type_=sa.String(40), nullable=False)
        batch.add_column(sa.Column("note", sa.Text))
        batch.create_index("ix_parent_note", ["note"])
    look = inspector(engine)
    assert "parent" in look.get_table_names(schema=schema)
    assert not [t for t in look.get_table_names(schema=schema) if t.startswith("_strata")]
    columns = {c["name"]: c for c in look.get_columns("parent", schema=schema)}
    assert list(columns) == ["id", "name", "note"]
    assert columns["name"]["nullable"] is False
    indexes = {ix["name"] for ix in look.get_indexes("parent", schema=schema)}
    assert indexes == {"ix_parent_name", "ix_parent_note"}
    (fk,) = look.get_foreign_keys("child", schema=schema)
    assert fk["referred_table"] == "parent"
    assert rows(engine, f"SELECT id, name FROM {_ref(engine, schema, 'parent')}") == [(1, "a")]


def _ref(engine: sa.Engine, schema: str, table: str) -> str:
    quote = engine.dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(table)}"


def test_reflect_args_table_args_and_table_kwargs(engine: sa.Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite reflection is the one these arguments complete")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER, n INT)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1, 1, 5)")
    with (
        live_ops(engine) as op,
        op.batch_alter_table(
            "t",
            reflect_args=[sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_flag"))],
            table_args=[sa.CheckConstraint("n > 0", name="ck_n")],
            table_kwargs={"sqlite_autoincrement": True},
        ) as batch,
    ):
        batch.alter_column("n", nullable=False)
    (sql,) = rows(engine, "SELECT sql FROM sqlite_master WHERE name = 't'")[0]
    assert "CONSTRAINT ck_flag CHECK (flag IN (0, 1))" in str(sql)
    assert "CONSTRAINT ck_n CHECK (n > 0)" in str(sql)
    assert "AUTOINCREMENT" in str(sql)
    assert rows(engine, "SELECT id, flag, n FROM t") == [(1, 1, 5)]


def test_naming_convention_names_unnamed_constraints_so_they_can_be_dropped(
    engine: sa.Engine,
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite keeps constraints without names")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql(
            "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id), UNIQUE (p_id))"
        )
    with (
        pytest.raises(CommandError, match="naming_convention"),
        live_ops(engine) as op,
        op.batch_alter_table("c") as batch,
    ):
        batch.drop_constraint("fk_c_p_id_p", type_="foreignkey")
    convention = {
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
    }
    with (
        live_ops(engine) as op,
        op.batch_alter_table("c", naming_convention=convention) as batch,
    ):
        batch.drop_constraint("fk_c_p_id_p", type_="foreignkey")
        batch.drop_constraint("uq_c_p_id", type_="unique")
    assert inspector(engine).get_foreign_keys("c") == []
    assert inspector(engine).get_unique_constraints("c") == []
