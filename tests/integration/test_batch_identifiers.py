"""Awkward identifiers survive a rebuild on every live database: reserved words, mixed case,
quotes, backticks, spaces and non-ASCII names as the table, its columns, its constraints and
indexes, and the tables its foreign keys connect it to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.dialects.live import inspector, live_ops, rows
from tests.integration.test_ops_identifiers import NAMES, Schema

pytestmark = pytest.mark.filterwarnings(
    "ignore:Unknown schema content", "ignore:.*SQL-parsed foreign key constraint"
)


@pytest.fixture(autouse=True)
def drop_what_is_left(engine: sa.Engine) -> Iterator[None]:
    yield
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        if engine.dialect.name == "mysql":
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
        for table in sa.inspect(connection).get_table_names():
            connection.execute(sa.text(f"DROP TABLE {quote(table)}{cascade}"))


@pytest.mark.parametrize("name", NAMES)
def test_a_rebuild_keeps_awkward_names(engine: sa.Engine, name: str) -> None:
    parent, child = f"{name} parent", f"{name} child"
    with live_ops(engine) as op:
        op.create_table(parent, sa.Column("id", sa.Integer, primary_key=True))
        table = op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(name, sa.String(20), server_default="d"),
            sa.Column(f"{name} ref", sa.Integer, sa.ForeignKey(f"{parent}.id", name=f"fk {name}")),
            sa.UniqueConstraint(name, name=f"uq {name}"),
            sa.CheckConstraint(sa.column(name) != "forbidden", name=f"ck {name}"),
            sa.Index(f"ix {name}", name),
        )
        op.create_table(
            child,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(f"{name} id", sa.Integer, sa.ForeignKey(f"{name}.id", name=f"fk {child}")),
        )
        op.bulk_insert(sa.table(parent, sa.column("id")), [{"id": 1}])
        op.bulk_insert(table, [{"id": 1, name: "one", f"{name} ref": 1}, {"id": 2}])
        op.bulk_insert(
            sa.table(child, sa.column("id"), sa.column(f"{name} id")), [{"id": 1, f"{name} id": 2}]
        )

    with live_ops(engine) as op, op.batch_alter_table(name, recreate="always") as batch:
        batch.alter_column(name, type_=sa.String(40), new_column_name=f"{name} new")
        batch.add_column(sa.Column(f"{name} added", sa.Integer, server_default="7"))
        batch.create_index(f"ix2 {name}", [f"{name} added"])

    schema = Schema(engine)
    assert schema.columns(name) == ["id", f"{name} new", f"{name} ref", f"{name} added"]
    assert schema.indexes(name) >= {f"ix {name}", f"ix2 {name}"}
    assert f"uq {name}" in schema.constraints(name, "UNIQUE")
    assert f"ck {name}" in schema.constraints(name, "CHECK")
    assert schema.foreign_keys(name) == [(parent, f"{name} ref")]
    assert schema.foreign_keys(child) == [(name, f"{name} id")]
    assert schema.column(name, f"{name} new")["length"] == 40
    assert not {t for t in inspector(engine).get_table_names() if t.startswith("_strata")}
    quote = engine.dialect.identifier_preparer.quote
    selected = f"id, {quote(name + ' new')}, {quote(name + ' added')}"
    found = rows(engine, f"SELECT {selected} FROM {quote(name)} ORDER BY id")
    assert found == [(1, "one", 7), (2, "d", 7)]
    with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError):
        connection.execute(
            sa.text(f"UPDATE {quote(name)} SET {quote(name + ' new')} = 'forbidden' WHERE id = 1")
        )
