"""``schema=`` on every directive: PostgreSQL schemas, MySQL databases, attached SQLite files.

The schema's name has a space and capitals, so it must be quoted everywhere it appears.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.dialects.live import inspector, live_ops, rows


@pytest.fixture
def schema(engine: sa.Engine, tmp_path: Path) -> Iterator[str]:
    """A second schema, empty, with an awkward name."""
    name = f"Other Schema {os.getpid()}"
    kind = engine.dialect.name
    if kind == "sqlite":
        path = tmp_path / "other.db"

        def attach(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.execute(f"ATTACH DATABASE '{path}' AS \"{name}\"")

        sa.event.listen(engine, "connect", attach)
        yield name
        return
    quoted = engine.dialect.identifier_preparer.quote(name)
    create = "CREATE SCHEMA" if kind == "postgresql" else "CREATE DATABASE"
    with engine.begin() as connection:
        connection.exec_driver_sql(f"{create} {quoted}")
    yield name
    if kind == "mysql":
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {quoted}")


def test_tables_columns_and_indexes_in_a_schema(engine: sa.Engine, schema: str) -> None:
    with live_ops(engine) as op:
        op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True), schema=schema)
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey(f"{schema}.parent.id")),
            sa.Column("note", sa.String(20)),
            schema=schema,
        )
        op.add_column("child", sa.Column("extra", sa.Integer), schema=schema)
        op.alter_column(
            "child",
            "note",
            new_column_name="remark",
            existing_type=sa.String(20),
            existing_nullable=True,
            schema=schema,
        )
        op.create_index("ix_child_remark", "child", ["remark"], schema=schema)
        op.rename_table("child", "kid", schema=schema)
        op.bulk_insert(sa.table("parent", sa.column("id"), schema=schema), [{"id": 1}, {"id": 2}])
    look = inspector(engine)
    assert sorted(look.get_table_names(schema=schema)) == ["kid", "parent"]
    assert look.get_table_names() == []
    assert [c["name"] for c in look.get_columns("kid", schema=schema)] == [
        "id",
        "parent_id",
        "remark",
        "extra",
    ]
    (fk,) = look.get_foreign_keys("kid", schema=schema)
    assert fk["referred_table"] == "parent"
    assert "ix_child_remark" in {ix["name"] for ix in look.get_indexes("kid", schema=schema)}
    quoted = engine.dialect.identifier_preparer.format_table(
        sa.Table("parent", sa.MetaData(), schema=schema)
    )
    assert rows(engine, f"SELECT count(*) FROM {quoted}") == [(2,)]
    with live_ops(engine) as op:
        op.drop_index("ix_child_remark", "kid", schema=schema)
        op.drop_column("kid", "extra", schema=schema)
        op.drop_table("kid", schema=schema)
    look = inspector(engine)
    assert look.get_table_names(schema=schema) == ["parent"]


def test_constraints_and_comments_across_schemas(engine: sa.Engine, schema: str) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite adds constraints by rebuilding the table (batch mode)")
    # MySQL resolves an unqualified REFERENCES in the child table's database.
    home_schema = engine.url.database if engine.dialect.name == "mysql" else None
    with live_ops(engine) as op:
        op.create_table("home", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table(
            "away",
            sa.Column("id", sa.Integer, nullable=False),
            sa.Column("home_id", sa.Integer),
            sa.Column("code", sa.String(5)),
            schema=schema,
        )
        op.create_primary_key("pk_away", "away", ["id"], schema=schema)
        op.create_unique_constraint("uq_away_code", "away", ["code"], schema=schema)
        op.create_foreign_key(
            "fk_away_home",
            "away",
            "home",
            ["home_id"],
            ["id"],
            source_schema=schema,
            referent_schema=home_schema,
        )
        op.add_column("home", sa.Column("away_id", sa.Integer))
        op.create_foreign_key(
            "fk_home_away", "home", "away", ["away_id"], ["id"], referent_schema=schema
        )
        op.create_table_comment("away", "over there", schema=schema)
    look = inspector(engine)
    assert look.get_pk_constraint("away", schema=schema)["constrained_columns"] == ["id"]
    assert [u["name"] for u in look.get_unique_constraints("away", schema=schema)] == [
        "uq_away_code"
    ]
    (out,) = look.get_foreign_keys("away", schema=schema)
    assert (out["referred_table"], out["referred_schema"]) == ("home", home_schema)
    (back,) = look.get_foreign_keys("home")
    assert (back["referred_table"], back["referred_schema"]) == ("away", schema)
    assert look.get_table_comment("away", schema=schema)["text"] == "over there"
    with live_ops(engine) as op:
        op.drop_constraint("fk_home_away", "home", type_="foreignkey")
        op.drop_constraint("fk_away_home", "away", type_="foreignkey", schema=schema)
        op.drop_constraint("uq_away_code", "away", type_="unique", schema=schema)
    look = inspector(engine)
    assert look.get_foreign_keys("away", schema=schema) == []
    assert look.get_unique_constraints("away", schema=schema) == []
