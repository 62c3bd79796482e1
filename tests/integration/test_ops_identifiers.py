"""Awkward identifiers on every live database: reserved words, mixed case, quotes, backticks,
spaces and non-ASCII names as tables, columns, indexes, constraints and the version table.

Each name runs the same scenario; the schema is reflected back after each step, and rows
are written and read through the tables, so a wrongly quoted name fails either in the
database or in the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from sqlstrata.runtime import ledger
from sqlstrata.runtime.sinks import ConnectionSink
from tests.dialects.live import inspector, live_ops

# SQLAlchemy's reflection misreads some of these names; Schema below reads around it.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Unknown schema content", "ignore:.*SQL-parsed foreign key constraint"
)

NAMES = ["select", "MixedCase", 'quo"te', "it's", "back`tick", "with space", "ünïcødé"]


@pytest.fixture(autouse=True)
def drop_what_is_left(engine: sa.Engine) -> Iterator[None]:
    """Drop the tables a failed scenario leaves, quoting their names properly (the shared
    fixture that empties the database before each test does not expect backticks)."""
    yield
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        if engine.dialect.name == "mysql":
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
        for table in sa.inspect(connection).get_table_names():
            connection.execute(sa.text(f"DROP TABLE {quote(table)}{cascade}"))


class Schema:
    """What the database holds, read so that no name is misread.

    SQLAlchemy reads MySQL's schema by parsing SHOW CREATE TABLE, which keeps a backtick in
    a name doubled, and parses SQLite's table SQL, which misses constraint names holding a
    double quote; information_schema and the stored SQL are read instead there.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.kind = engine.dialect.name
        self.look = inspector(engine)

    def query(self, sql: str, **params: str) -> list[tuple[object, ...]]:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql), params)]

    def _mysql(self, sql: str, table: str) -> list[str]:
        where = "table_schema = DATABASE() AND table_name = :t"
        return [str(row[0]) for row in self.query(sql.format(where=where), t=table)]

    def columns(self, table: str) -> list[str]:
        if self.kind == "mysql":
            return self._mysql(
                "SELECT column_name FROM information_schema.columns WHERE {where} "
                "ORDER BY ordinal_position",
                table,
            )
        return [c["name"] for c in self.look.get_columns(table)]

    def indexes(self, table: str) -> set[str]:
        if self.kind == "mysql":
            return set(
                self._mysql(
                    "SELECT index_name FROM information_schema.statistics WHERE {where}", table
                )
            )
        return {str(ix["name"]) for ix in self.look.get_indexes(table)}

    def constraints(self, table: str, kind: str) -> set[str]:
        """Names of the UNIQUE or CHECK constraints of ``table``."""
        if self.kind == "mysql":
            sql = (
                "SELECT constraint_name FROM information_schema.table_constraints "
                f"WHERE {{where}} AND constraint_type = '{kind}'"
            )
            return set(self._mysql(sql, table))
        if self.kind == "sqlite":
            (sql,) = self.query("SELECT sql FROM sqlite_master WHERE name = :t", t=table)[0]
            return set(_names_in(str(sql), kind))
        found = (
            self.look.get_unique_constraints(table)
            if kind == "UNIQUE"
            else self.look.get_check_constraints(table)
        )
        return {str(c["name"]) for c in found}

    def table_comment(self, table: str) -> str | None:
        if self.kind == "mysql":
            found = self._mysql(
                "SELECT table_comment FROM information_schema.tables WHERE {where}", table
            )
            return found[0] or None
        return self.look.get_table_comment(table)["text"]

    def column(self, table: str, name: str) -> dict[str, object]:
        """nullable, default, comment and length of one column."""
        if self.kind == "mysql":
            sql = (
                "SELECT is_nullable, column_default, column_comment, character_maximum_length "
                "FROM information_schema.columns WHERE table_schema = DATABASE() "
                "AND table_name = :t AND column_name = :c"
            )
            ((nullable, default, comment, length),) = self.query(sql, t=table, c=name)
            return {
                "nullable": nullable == "YES",
                "default": None if default in (None, "NULL") else default,
                "comment": comment or None,
                "length": length,
            }
        (found,) = [c for c in self.look.get_columns(table) if c["name"] == name]
        return {
            "nullable": found["nullable"],
            "default": found["default"],
            "comment": found.get("comment"),
            "length": getattr(found["type"], "length", None),
        }

    def foreign_keys(self, table: str) -> list[tuple[str, str]]:
        """(referred table, constrained column) of each foreign key of ``table``."""
        if self.kind == "mysql":
            sql = (
                "SELECT referenced_table_name, column_name FROM "
                "information_schema.key_column_usage WHERE table_schema = DATABASE() "
                "AND table_name = :t AND referenced_table_name IS NOT NULL ORDER BY 1, 2"
            )
            return [(str(r), str(c)) for r, c in self.query(sql, t=table)]
        found = self.look.get_foreign_keys(table)
        return sorted((fk["referred_table"], fk["constrained_columns"][0]) for fk in found)


def _names_in(sql: str, kind: str) -> list[str]:
    """The constraint names of one kind in SQLite's stored CREATE TABLE."""
    found = re.findall(r'CONSTRAINT ("(?:[^"]|"")+"|\S+) ' + kind, sql)
    return [n[1:-1].replace('""', '"') if n.startswith('"') else n for n in found]


@pytest.mark.parametrize("name", NAMES)
def test_tables_columns_and_indexes(engine: sa.Engine, name: str) -> None:
    child = f"{name} child"
    with live_ops(engine) as op:
        table = op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(name, sa.String(20), server_default="d", comment=f"{name} says"),
            sa.UniqueConstraint(name, name=f"uq {name}"),
            sa.CheckConstraint(sa.column(name) != "forbidden", name=f"ck {name}"),
            sa.Index(f"ix {name}", name),
            comment=name,
        )
        op.create_table(
            child,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(f"{name} ref", sa.Integer, sa.ForeignKey(f"{name}.id")),
        )
        op.add_column(name, sa.Column(f"{name} 2", sa.Integer))
        op.alter_column(
            name,
            f"{name} 2",
            new_column_name=f"{name} 3",
            existing_type=sa.Integer,
            existing_nullable=True,
        )
        op.create_index(f"ix2 {name}", name, [f"{name} 3"])
        op.bulk_insert(table, [{"id": 1, name: "one"}, {"id": 2}])
        op.execute(
            sa.table(name, sa.column(name), sa.column("id"))
            .update()
            .where(sa.column("id") == op.inline_literal(2))
            .values({name: op.inline_literal("two")})
        )
    schema = Schema(engine)
    assert sorted(schema.look.get_table_names()) == sorted([name, child])
    assert schema.columns(name) == ["id", name, f"{name} 3"]
    assert schema.indexes(name) >= {f"ix {name}", f"ix2 {name}"}
    assert f"uq {name}" in schema.constraints(name, "UNIQUE")
    assert f"ck {name}" in schema.constraints(name, "CHECK")
    assert schema.foreign_keys(child) == [(name, f"{name} ref")]
    if engine.dialect.name != "sqlite":
        assert schema.table_comment(name) == name
        assert schema.column(name, name)["comment"] == f"{name} says"
    with engine.connect() as connection:
        values = connection.execute(sa.select(table.c[name]).order_by(table.c.id)).scalars()
        assert list(values) == ["one", "two"]

    with live_ops(engine) as op:
        op.drop_index(f"ix2 {name}", name)
        op.drop_column(name, f"{name} 3")
        op.drop_table(child)
        op.rename_table(name, f"{name} renamed")
    assert inspector(engine).get_table_names() == [f"{name} renamed"]
    assert Schema(engine).columns(f"{name} renamed") == ["id", name]
    with live_ops(engine) as op:
        op.drop_table(f"{name} renamed")
    assert inspector(engine).get_table_names() == []


@pytest.mark.parametrize("name", NAMES)
def test_constraints_and_column_changes(engine: sa.Engine, name: str) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite changes constraints and column types by rebuilding (batch mode)")
    with live_ops(engine) as op:
        op.create_table(name, sa.Column("id", sa.Integer, nullable=False))
        op.add_column(name, sa.Column(name, sa.String(10)))
        op.add_column(name, sa.Column(f"{name} fk", sa.Integer))
        op.create_primary_key(f"pk {name}", name, ["id"])
        op.create_unique_constraint(f"uq {name}", name, [name])
        op.create_check_constraint(f"ck {name}", name, sa.column(name) != "no")
        op.create_foreign_key(f"fk {name}", name, name, [f"{name} fk"], ["id"])
        op.alter_column(
            name,
            name,
            type_=sa.String(30),
            nullable=False,
            server_default="it's",
            comment=f"{name} 'c'",
            existing_type=sa.String(10),
            existing_nullable=True,
        )
    schema = Schema(engine)
    column = schema.column(name, name)
    assert (column["length"], column["nullable"]) == (30, False)
    assert "it''s" in str(column["default"])
    assert column["comment"] == f"{name} 'c'"
    assert schema.look.get_pk_constraint(name)["constrained_columns"] == ["id"]
    assert schema.foreign_keys(name) == [(name, f"{name} fk")]
    assert schema.constraints(name, "UNIQUE") == {f"uq {name}"}
    assert schema.constraints(name, "CHECK") == {f"ck {name}"}
    with live_ops(engine) as op:
        op.drop_constraint(f"fk {name}", name, type_="foreignkey")
        op.drop_constraint(f"ck {name}", name, type_="check")
        op.drop_constraint(f"uq {name}", name, type_="unique")
        op.alter_column(name, name, server_default=None, existing_type=sa.String(30))
    schema = Schema(engine)
    assert schema.foreign_keys(name) == []
    assert schema.constraints(name, "UNIQUE") == set()
    assert schema.constraints(name, "CHECK") == set()
    assert schema.column(name, name)["default"] is None


@pytest.mark.parametrize("name", NAMES)
def test_version_table(engine: sa.Engine, name: str) -> None:
    table = ledger.version_table(f"{name} version")
    with engine.begin() as connection:
        sink = ConnectionSink(connection)
        ledger.create_version_table(sink, table)
        ledger.write_head_changes(sink, table, [], [], ["abc"])
        ledger.write_head_changes(sink, table, [], [("abc", "def")], ["ghi"])
    with engine.connect() as connection:
        assert ledger.version_table_exists(connection, table)
        assert ledger.read_heads(connection, table) == ("def", "ghi")
    primary_key = inspector(engine).get_pk_constraint(f"{name} version")
    assert primary_key["constrained_columns"] == ["version_num"]
    if engine.dialect.name == "postgresql":  # MySQL calls it PRIMARY; SQLite forgets it
        assert primary_key["name"] == f"{name} version_pkc"
