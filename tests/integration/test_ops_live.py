"""Every directive on real SQLite, PostgreSQL and MariaDB, checked by reflecting the schema.

Directives run through a MigrationContext over a connection, as a migration runs them; the
result is read back with ``sqlalchemy.inspect``. Where a database cannot do something in
place (SQLite and constraints), the test checks the error instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from sqlstrata.dialects.ddl import RawDDL, quote
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops
from sqlstrata.ops.facade import Operations
from sqlstrata.ops.registry import OperationRegistry
from tests.dialects.live import inspector, live_ops, rows


@dataclass(frozen=True, slots=True)
class DeleteRows(ops.Operation):
    """A user operation, for the extension API tests."""

    table_name: str


def make_person_and_account(op: Operations) -> sa.Table:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False, server_default="human"),
    )
    return op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="anon", comment="who"),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE")),
        sa.Column("balance", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("name", name="uq_account_name"),
        sa.CheckConstraint("balance >= 0", name="ck_account_balance"),
        sa.Index("ix_account_owner", "owner_id"),
        comment="accounts",
    )


def columns(engine: sa.Engine, table: str, schema: str | None = None) -> dict[str, Any]:
    return {c["name"]: c for c in inspector(engine).get_columns(table, schema=schema)}


def default_of(column: dict[str, Any]) -> str:
    return str(column["default"] or "")


def test_create_table(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        table = make_person_and_account(op)
    assert isinstance(table, sa.Table)
    assert [c.name for c in table.columns] == ["id", "name", "owner_id", "balance"]
    look = inspector(engine)
    cols = columns(engine, "account")
    assert list(cols) == ["id", "name", "owner_id", "balance"]
    assert cols["name"]["nullable"] is False
    assert "anon" in default_of(cols["name"])
    assert look.get_pk_constraint("account")["constrained_columns"] == ["id"]
    (fk,) = look.get_foreign_keys("account")
    assert (fk["referred_table"], fk["referred_columns"]) == ("person", ["id"])
    assert fk["options"]["ondelete"] == "CASCADE"
    assert [u["name"] for u in look.get_unique_constraints("account")] == ["uq_account_name"]
    checks = {c["name"] for c in look.get_check_constraints("account")}
    assert "ck_account_balance" in checks
    assert "ix_account_owner" in {ix["name"] for ix in look.get_indexes("account")}
    if engine.dialect.name != "sqlite":
        assert look.get_table_comment("account")["text"] == "accounts"
        assert cols["name"]["comment"] == "who"


def test_drop_table_and_existence_checks(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), if_not_exists=True)
    assert inspector(engine).has_table("t")
    with live_ops(engine) as op:
        op.drop_table("t")
        op.drop_table("t", if_exists=True)
    assert not inspector(engine).has_table("t")


def test_rename_table(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("old", sa.Column("id", sa.Integer, primary_key=True))
        op.rename_table("old", "new")
    assert inspector(engine).get_table_names() == ["new"]


def test_table_comments(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table_comment("t", "it's a table")
    if engine.dialect.name == "sqlite":
        return  # SQLite has no comments; the directive is skipped with a warning.
    assert inspector(engine).get_table_comment("t")["text"] == "it's a table"
    with live_ops(engine) as op:
        op.drop_table_comment("t", existing_comment="it's a table")
    assert not inspector(engine).get_table_comment("t")["text"]


def test_add_column_fills_existing_rows_and_adds_its_foreign_key(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        table = make_person_and_account(op)
        op.bulk_insert(table, [{"id": 1, "name": "a"}])
        op.add_column(
            "account",
            sa.Column("currency", sa.String(3), nullable=False, server_default="EUR"),
        )
        op.add_column(
            "account",
            sa.Column(
                "manager_id",
                sa.Integer,
                sa.ForeignKey("person.id", name="fk_account_manager"),
                comment="boss",
            ),
        )
    cols = columns(engine, "account")
    assert cols["currency"]["nullable"] is False
    assert rows(engine, "SELECT currency FROM account") == [("EUR",)]
    fks = {tuple(fk["constrained_columns"]) for fk in inspector(engine).get_foreign_keys("account")}
    assert fks == {("owner_id",), ("manager_id",)}
    if engine.dialect.name != "sqlite":
        assert cols["manager_id"]["comment"] == "boss"


def test_add_column_with_check_from_its_type(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.add_column(
            "t",
            sa.Column(
                "size",
                sa.Enum("S", "M", name="size_check", native_enum=False, create_constraint=True),
            ),
        )
    checks = inspector(engine).get_check_constraints("t")
    assert "size_check" in {c["name"] for c in checks}


def test_add_and_drop_column_if_not_exists(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    if engine.dialect.name == "sqlite":
        with pytest.raises(CommandError, match="no IF NOT EXISTS"), live_ops(engine) as op:
            op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True)
        return
    with live_ops(engine) as op:
        op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True)
        op.add_column("t", sa.Column("c", sa.Integer), if_not_exists=True)
    assert list(columns(engine, "t")) == ["id", "c"]
    with live_ops(engine) as op:
        op.drop_column("t", "c", if_exists=True)
        op.drop_column("t", "c", if_exists=True)
    assert list(columns(engine, "t")) == ["id"]


def test_drop_column(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("gone", sa.Integer)
        )
        op.drop_column("t", "gone")
    assert list(columns(engine, "t")) == ["id"]


def test_alter_column_rename_keeps_the_column(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        table = make_person_and_account(op)
        op.bulk_insert(table, [{"id": 1, "name": "kept"}])
        op.alter_column(
            "account",
            "name",
            new_column_name="title",
            existing_type=sa.String(50),
            existing_nullable=False,
            existing_server_default="anon",
            existing_comment="who",
        )
    cols = columns(engine, "account")
    assert "name" not in cols
    assert cols["title"]["nullable"] is False
    assert "anon" in default_of(cols["title"])
    assert rows(engine, "SELECT title FROM account") == [("kept",)]


def test_alter_column_in_place(engine: sa.Engine) -> None:
    """Nullability, type, default set and removed, comment: all but SQLite do it in place."""
    with live_ops(engine) as op:
        make_person_and_account(op)
    if engine.dialect.name == "sqlite":
        with pytest.raises(CommandError, match="batch_alter_table"), live_ops(engine) as op:
            op.alter_column("account", "owner_id", nullable=False)
        return
    with live_ops(engine) as op:
        op.alter_column(
            "account", "owner_id", nullable=False, existing_type=sa.Integer, existing_nullable=True
        )
        op.alter_column(
            "account",
            "name",
            type_=sa.String(100),
            existing_type=sa.String(50),
            existing_nullable=False,
            existing_server_default="anon",
            existing_comment="who",
        )
        op.alter_column("account", "balance", server_default="7", existing_type=sa.Integer)
        op.alter_column("account", "name", server_default=None, existing_type=sa.String(100))
        op.alter_column(
            "account",
            "name",
            comment="display name",
            existing_type=sa.String(100),
            existing_nullable=False,
        )
    cols = columns(engine, "account")
    assert cols["owner_id"]["nullable"] is False
    assert cols["name"]["type"].length == 100
    assert cols["name"]["nullable"] is False
    assert "7" in default_of(cols["balance"])
    assert cols["name"]["default"] is None
    assert cols["name"]["comment"] == "display name"


def test_alter_column_autoincrement(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite: autoincrement is a table rebuild (batch mode)")
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
        op.alter_column(
            "t", "id", autoincrement=True, existing_type=sa.Integer, existing_nullable=False
        )
        op.execute(
            "INSERT INTO t DEFAULT VALUES"
            if engine.dialect.name == "postgresql"
            else "INSERT INTO t () VALUES ()"
        )
    assert rows(engine, "SELECT id FROM t") == [(1,)]


def test_constraints(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("person", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, nullable=False),
            sa.Column("code", sa.String(10)),
            sa.Column("n", sa.Integer),
            sa.Column("person_id", sa.Integer),
        )
    if engine.dialect.name == "sqlite":
        with pytest.raises(CommandError, match="batch_alter_table"), live_ops(engine) as op:
            op.create_unique_constraint("uq_t_code", "t", ["code"])
        return
    with live_ops(engine) as op:
        op.create_primary_key("pk_t", "t", ["id"])
        op.create_unique_constraint("uq_t_code", "t", ["code"])
        op.create_check_constraint("ck_t_n", "t", sa.column("n") > 0)
        op.create_foreign_key(
            "fk_t_person",
            "t",
            "person",
            ["person_id"],
            ["id"],
            ondelete="SET NULL",
            onupdate="CASCADE",
        )
    look = inspector(engine)
    assert look.get_pk_constraint("t")["constrained_columns"] == ["id"]
    assert [u["name"] for u in look.get_unique_constraints("t")] == ["uq_t_code"]
    assert [c["name"] for c in look.get_check_constraints("t")] == ["ck_t_n"]
    (fk,) = look.get_foreign_keys("t")
    assert fk["name"] == "fk_t_person"
    assert fk["options"] == {"ondelete": "SET NULL", "onupdate": "CASCADE"}
    with live_ops(engine) as op:
        op.drop_constraint("fk_t_person", "t", type_="foreignkey")
        op.drop_constraint("ck_t_n", "t", type_="check")
        op.drop_constraint("uq_t_code", "t", type_="unique")
        op.drop_constraint("pk_t", "t", type_="primary")
        op.drop_constraint("uq_t_code", "t", type_="unique", if_exists=True)
    look = inspector(engine)
    assert look.get_foreign_keys("t") == []
    assert look.get_check_constraints("t") == []
    assert look.get_unique_constraints("t") == []
    assert look.get_pk_constraint("t")["constrained_columns"] == []


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_indexes(engine: sa.Engine) -> None:
    name = engine.dialect.name
    with live_ops(engine) as op:
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50)),
            sa.Column("active", sa.Boolean),
        )
        op.create_index("ix_t_name", "t", ["name", "id"], unique=True)
        op.create_index("ix_t_name", "t", ["name", "id"], unique=True, if_not_exists=True)
        if name != "mysql":  # MariaDB has no functional or partial indexes
            op.create_index("ix_t_lower", "t", [sa.text("lower(name)")])
            op.create_index(
                "ix_t_active",
                "t",
                ["name"],
                postgresql_where=sa.text("active"),
                sqlite_where=sa.text("active"),
            )
    indexes = {ix["name"]: ix for ix in inspector(engine).get_indexes("t")}
    assert indexes["ix_t_name"]["column_names"] == ["name", "id"]
    assert indexes["ix_t_name"]["unique"]
    if name == "sqlite":  # SQLAlchemy does not reflect SQLite expression indexes
        definitions = dict(rows(engine, "SELECT name, sql FROM sqlite_master WHERE type='index'"))
        assert "(lower(name))" in str(definitions["ix_t_lower"])
        assert str(definitions["ix_t_active"]).endswith("WHERE active")
    elif name == "postgresql":
        assert indexes["ix_t_lower"]["expressions"] == ["lower(name::text)"]
        assert indexes["ix_t_active"]["dialect_options"]["postgresql_where"] == "active"
    with live_ops(engine) as op:
        op.drop_index("ix_t_name", "t")
        op.drop_index("ix_t_name", "t", if_exists=True)
    assert "ix_t_name" not in {ix["name"] for ix in inspector(engine).get_indexes("t")}


def test_bulk_insert_execute_and_inline_literal(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        table = op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("a", sa.String(20)),
            sa.Column("b", sa.Integer),
        )
        op.bulk_insert(table, [{"id": i, "a": f"r{i}", "b": i % 7} for i in range(1, 1001)])
        op.bulk_insert(table, [{"id": 2000, "a": "x", "b": 1}], multiinsert=False)
        op.bulk_insert(table, [])
        op.execute("UPDATE t SET b = 100 WHERE id = 1")
        op.execute(
            sa.table("t", sa.column("a"), sa.column("id"))
            .update()
            .where(sa.column("id") == op.inline_literal(2))
            .values(a=op.inline_literal("it's"))
        )
        assert op.get_bind().execute(sa.text("SELECT count(*) FROM t")).scalar() == 1001
    assert rows(engine, "SELECT b FROM t WHERE id = 1") == [(100,)]
    assert rows(engine, "SELECT a FROM t WHERE id = 2") == [("it's",)]
    assert rows(engine, "SELECT count(*) FROM t") == [(1001,)]


def test_naming_convention_from_target_metadata(engine: sa.Engine) -> None:
    metadata = sa.MetaData(
        naming_convention={
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ix": "ix_%(column_0_label)s",
        }
    )
    with live_ops(engine, metadata=metadata) as op:
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("code", sa.String(10)),
            sa.UniqueConstraint("code"),
        )
        op.create_index(None, "t", ["id", "code"])
        assert op.get_context().target_metadata is metadata
    look = inspector(engine)
    assert [u["name"] for u in look.get_unique_constraints("t")] == ["uq_t_code"]
    assert "ix_t_id" in {ix["name"] for ix in look.get_indexes("t")}


def test_sequences(engine: sa.Engine) -> None:
    if engine.dialect.name == "sqlite":
        with pytest.raises(CommandError, match="no sequences"), live_ops(engine) as op:
            op.create_sequence("s")
        return
    with live_ops(engine) as op:
        op.create_sequence("s", start=10, increment=5)
        op.create_sequence("s", start=10, if_not_exists=True)
    assert "s" in inspector(engine).get_sequence_names()
    with engine.connect() as connection:
        values = [connection.execute(sa.Sequence("s").next_value()).scalar() for _ in "ab"]
    assert values == [10, 15]
    with live_ops(engine) as op:
        op.drop_sequence("s")
        op.drop_sequence("s", if_exists=True)
    assert "s" not in inspector(engine).get_sequence_names()


def test_reversing_a_migration_restores_the_schema(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("base", sa.Column("id", sa.Integer, primary_key=True))
    before = sorted(inspector(engine).get_table_names())
    forward: list[ops.Operation] = [
        ops.CreateTable(
            "t", (sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer))
        ),
        ops.AddColumn("t", sa.Column("b", sa.String(5))),
        ops.CreateIndex("ix_t_b", "t", ("b",)),
        ops.RenameTable("t", "t2"),
    ]
    with live_ops(engine) as op:
        for operation in forward:
            op.invoke(operation)
    assert set(columns(engine, "t2")) == {"id", "a", "b"}
    with live_ops(engine) as op:
        for operation in reversed(forward):
            op.invoke(operation.reverse())
    assert sorted(inspector(engine).get_table_names()) == before


def test_user_operation_from_a_registry(engine: sa.Engine) -> None:
    class CreateView(ops.Operation):
        __slots__ = ("name", "select")

        def __init__(self, name: str, select: str) -> None:
            self.name, self.select = name, select

    def create_view_sql(op: CreateView, ctx: Any) -> Iterator[Any]:
        yield RawDDL(f"CREATE VIEW {quote(ctx.sa_dialect, op.name)} AS {op.select}")

    registry = (
        OperationRegistry()
        .register_operation("create_view", lambda o, n, s: o.invoke(CreateView(n, s)))
        .implementation_for(CreateView, create_view_sql)
    )
    with live_ops(engine, registry=registry) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.create_view("Big Ids", "SELECT id FROM t WHERE id > 10")
    assert inspector(engine).get_view_names() == ["Big Ids"]


def test_exclude_constraint_is_refused_outside_postgresql(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL runs it: see test_ops_postgresql.py")
    with pytest.raises(CommandError, match="PostgreSQL only"), live_ops(engine) as op:
        op.create_exclude_constraint("ex", "t", ("a", "="))


def test_run_async_needs_an_async_connection(engine: sa.Engine) -> None:
    async def count(connection: Any) -> int:
        return 0

    with pytest.raises(CommandError, match="not async"), live_ops(engine) as op:
        op.run_async(count)


def test_run_async_on_an_async_connection(tmp_path: Any, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("one async driver is enough")
    pytest.importorskip("greenlet")
    pytest.importorskip("aiosqlite")
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine

    async def insert_and_count(connection: Any, value: int) -> int:
        await connection.execute(sa.text("INSERT INTO t (id) VALUES (:v)"), {"v": value})
        result = await connection.execute(sa.text("SELECT count(*) FROM t"))
        return int(result.scalar())

    def migrate(connection: sa.Connection) -> int:
        from sqlstrata.dialects.registry import dialect_for
        from sqlstrata.runtime.migration import MigrationContext, MigrationOptions
        from sqlstrata.runtime.sinks import ConnectionSink

        migration = MigrationContext(
            dialect=dialect_for("sqlite"),
            sink=ConnectionSink(connection),
            options=MigrationOptions(),
            connection=connection,
        )
        op = Operations(migration)
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        return int(op.run_async(insert_and_count, 7))

    async def main() -> int:
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
        async with engine.begin() as connection:
            counted = await connection.run_sync(migrate)
        await engine.dispose()
        return counted

    assert asyncio.run(main()) == 1


def test_registry_reaches_scripts_through_context_configure(engine: sa.Engine) -> None:
    from sqlstrata.config import Config
    from sqlstrata.runtime.environment import EnvironmentContext
    from sqlstrata.runtime.request import MigrationRequest

    def drop_all_rows(op: DeleteRows, ctx: Any) -> Iterator[Any]:
        yield sa.text(f"DELETE FROM {quote(ctx.sa_dialect, op.table_name)}")

    registry = (
        OperationRegistry()
        .register_operation("delete_rows", lambda o, name: o.invoke(DeleteRows(name)))
        .implementation_for(DeleteRows, drop_all_rows)
    )
    env = EnvironmentContext(Config(), None, MigrationRequest("upgrade"), graph=list)  # type: ignore[arg-type]
    with engine.connect() as connection:
        env.configure(connection=connection, operations=registry)
        migration = env.get_context()
        assert migration.operation_registry is registry
        with migration.begin_transaction():
            op = Operations(migration)
            table = op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
            op.bulk_insert(table, [{"id": 1}, {"id": 2}])
            op.delete_rows("t")
        migration.close()
    assert rows(engine, "SELECT count(*) FROM t") == [(0,)]
