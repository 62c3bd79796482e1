"""The pure diff, table and column detections: no database, snapshots from MetaData."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.snapshot import SchemaSnapshot
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import changes, kinds, snap


def table(md: sa.MetaData, name: str, *items: sa.SchemaItem, **kw: object) -> sa.Table:
    return sa.Table(name, md, sa.Column("id", sa.Integer, primary_key=True), *items, **kw)


def one_table(*items: sa.SchemaItem, **kw: object) -> sa.MetaData:
    md = sa.MetaData()
    table(md, "t", *items, **kw)
    return md


def with_column(snapshot: SchemaSnapshot, column: str, **changed: object) -> SchemaSnapshot:
    """``snapshot`` with one column of table ``t`` changed (as reflection would report it)."""
    tables = []
    for t in snapshot.tables:
        cols = tuple(replace(c, **changed) if c.name == column else c for c in t.columns)
        tables.append(replace(t, columns=cols))
    return snapshot.with_tables(tables)


def test_same_schema_gives_nothing() -> None:
    md = one_table(sa.Column("name", sa.String(50), nullable=False, server_default="x"))
    for dialect in ("postgresql", "mysql", "sqlite"):
        assert changes(md, md, dialect) == []


def test_added_and_removed_tables() -> None:
    old = one_table()
    new = one_table()
    table(new, "u", sa.Column("name", sa.String(20)))
    up = changes(old, new)
    assert kinds(up) == ["CreateTable"]
    assert isinstance(up[0], ops.CreateTable) and up[0].table_name == "u"
    down = changes(new, old)
    assert kinds(down) == ["DropTable"]
    assert isinstance(down[0], ops.DropTable)
    # The drop knows the columns, so it can be reversed.
    assert isinstance(down[0].reverse(), ops.CreateTable)


def test_added_and_removed_columns() -> None:
    old = one_table(sa.Column("a", sa.Integer))
    new = one_table(sa.Column("b", sa.String(10), nullable=False))
    up = changes(old, new)
    assert kinds(up) == ["AddColumn", "DropColumn"]
    add, drop = up
    assert isinstance(add, ops.AddColumn) and add.column.name == "b"
    assert add.column.nullable is False
    assert isinstance(drop, ops.DropColumn) and drop.column_name == "a"
    assert drop.column is not None  # reversible


def test_nullable_change() -> None:
    old = one_table(sa.Column("a", sa.Integer, nullable=True))
    new = one_table(sa.Column("a", sa.Integer, nullable=False))
    (op,) = changes(old, new)
    assert isinstance(op, ops.AlterColumn)
    assert op.modify_nullable is False and op.existing_nullable is True
    assert op.modify_type is None and op.modify_server_default is ops.UNSET


def test_type_change_carries_the_existing_column() -> None:
    old = one_table(sa.Column("a", sa.String(20), nullable=False, server_default="x"))
    new = one_table(sa.Column("a", sa.String(40), nullable=False, server_default="x"))
    (op,) = changes(old, new, "mysql")
    assert isinstance(op, ops.AlterColumn)
    assert isinstance(op.modify_type, sa.String) and op.modify_type.length == 40
    assert isinstance(op.existing_type, sa.String) and op.existing_type.length == 20
    assert op.existing_nullable is False
    assert op.existing_server_default == "x"


def test_reflected_type_spellings_are_no_change() -> None:
    pairs = [
        ("postgresql", sa.VARCHAR(50), sa.String(50)),
        ("postgresql", sa.INTEGER(), sa.Integer()),
        ("postgresql", postgresql.TIMESTAMP(), sa.DateTime()),
        ("postgresql", postgresql.DOUBLE_PRECISION(precision=53), sa.Float()),
        ("postgresql", postgresql.JSON(astext_type=sa.Text()), sa.JSON()),
        ("mysql", mysql.TINYINT(display_width=1), sa.Boolean()),
        ("mysql", mysql.INTEGER(display_width=11), sa.Integer()),
        ("mysql", mysql.DECIMAL(precision=10, scale=2), sa.Numeric(10, 2)),
        ("mysql", mysql.LONGTEXT(charset="utf8mb4", collation="utf8mb4_bin"), sa.JSON()),
        ("mysql", mysql.ENUM("a", "b"), sa.Enum("a", "b")),
        ("sqlite", sa.VARCHAR(length=2), sa.Enum("ab", "c")),
        ("sqlite", sa.CHAR(32), sa.Uuid()),
    ]
    for dialect, reflected, model in pairs:
        old = one_table(sa.Column("a", reflected))
        new = one_table(sa.Column("a", model))
        assert changes(old, new, dialect) == [], (dialect, reflected, model)


def test_compare_type_off_and_callable() -> None:
    old = one_table(sa.Column("a", sa.String(20)))
    new = one_table(sa.Column("a", sa.String(40)))
    assert changes(old, new, compare_type=False) == []
    seen = []

    def compare(context, inspected, metadata, inspected_type, metadata_type):  # type: ignore[no-untyped-def]
        if inspected.name == "a":
            seen.append((inspected.name, inspected_type.length, metadata_type.length))
        return False

    assert changes(old, new, compare_type=compare, context="ctx") == []
    assert ("a", 20, 40) in seen  # called for every column, as in Alembic
    # None falls back to the built-in comparison.
    assert kinds(changes(old, new, compare_type=lambda *a: None)) == ["AlterColumn"]


def test_compare_type_callable_gets_the_database_side_first_both_ways() -> None:
    old = one_table(sa.Column("a", sa.String(20)))
    new = one_table(sa.Column("a", sa.String(40)))
    seen = []

    def compare(context, inspected, metadata, inspected_type, metadata_type):  # type: ignore[no-untyped-def]
        seen.append((getattr(inspected_type, "length", None), getattr(metadata_type, "length", 0)))
        return None

    options = DiffOptions(dialect="postgresql", compare_type=compare)
    from sqlstrata.autogen.diff import diff

    diff(snap(old), snap(new), options)
    diff(snap(new), snap(old), options.reversed())
    assert [pair for pair in seen if pair[0]] == [(20, 40), (20, 40)]


def test_server_default_changes() -> None:
    base = one_table(sa.Column("a", sa.Integer, server_default="0"))
    other = one_table(sa.Column("a", sa.Integer, server_default="1"))
    none = one_table(sa.Column("a", sa.Integer))
    (op,) = changes(base, other)
    assert isinstance(op, ops.AlterColumn) and op.modify_server_default == "1"
    assert op.existing_server_default == "0"
    (op,) = changes(base, none)
    assert isinstance(op, ops.AlterColumn) and op.modify_server_default is None
    assert changes(base, other, compare_server_default=False) == []


def test_reflected_defaults_are_no_change() -> None:
    md = one_table(
        sa.Column("s", sa.String(10), server_default="abc"),
        sa.Column("d", sa.DateTime, server_default=sa.func.now()),
        sa.Column("n", sa.Integer, server_default="0"),
    )
    new = snap(md)
    old = with_column(new, "s", default="'abc'::character varying")
    old = with_column(old, "d", default="CURRENT_TIMESTAMP")
    old = with_column(old, "n", default="0")
    assert changes(old, new) == []
    my_new = snap(md, "mysql")
    my_old = with_column(my_new, "d", default="current_timestamp()")
    my_old = with_column(my_old, "n", default="0")
    assert changes(my_old, my_new, "mysql") == []


def test_compare_server_default_callable() -> None:
    old = one_table(sa.Column("a", sa.Integer, server_default="0"))
    new = one_table(sa.Column("a", sa.Integer, server_default="1"))
    calls = []

    def compare(context, inspected_col, metadata_col, inspected, metadata, rendered):  # type: ignore[no-untyped-def]
        calls.append((inspected, metadata, rendered))
        return False

    assert changes(old, new, compare_server_default=compare) == []
    assert calls == [("'0'", "1", "'1'")]


def test_fetched_value_defaults_are_not_compared() -> None:
    old = one_table(sa.Column("a", sa.Integer, server_default="5"))
    new = one_table(sa.Column("a", sa.Integer, server_default=sa.FetchedValue()))
    assert changes(old, new) == []


def test_comments() -> None:
    old = one_table(sa.Column("a", sa.Integer), comment="old")
    new = one_table(sa.Column("a", sa.Integer, comment="about a"), comment="new")
    up = changes(old, new)
    assert kinds(up) == ["AlterColumn", "CreateTableComment"]
    assert isinstance(up[0], ops.AlterColumn) and up[0].modify_comment == "about a"
    assert isinstance(up[1], ops.CreateTableComment) and up[1].existing_comment == "old"
    gone = one_table(sa.Column("a", sa.Integer))
    assert kinds(changes(old, gone)) == ["DropTableComment"]
    # SQLite keeps no comments: nothing to compare.
    assert changes(old, new, "sqlite") == []


def test_autoincrement_on_mysql() -> None:
    old = sa.MetaData()
    sa.Table("t", old, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
    new = sa.MetaData()
    sa.Table("t", new, sa.Column("id", sa.Integer, primary_key=True))
    (op,) = changes(old, new, "mysql")
    assert isinstance(op, ops.AlterColumn)
    assert op.modify_autoincrement is True and op.existing_autoincrement is False
    # PostgreSQL has serial and identity columns instead: no autoincrement changes there.
    assert changes(old, new, "postgresql") == []


def test_identity_changes_on_postgresql() -> None:
    plain = one_table(sa.Column("n", sa.Integer))
    ident = one_table(sa.Column("n", sa.Integer, sa.Identity(start=5)))
    always = one_table(sa.Column("n", sa.Integer, sa.Identity(always=True, start=5, increment=2)))
    # An identity column is NOT NULL, which PostgreSQL needs before ADD GENERATED.
    not_null, op = changes(plain, ident)
    assert isinstance(not_null, ops.AlterColumn) and not_null.modify_nullable is False
    assert isinstance(op, ops.ExecuteSQL)
    assert op.statement == (
        "ALTER TABLE t ALTER COLUMN n ADD GENERATED BY DEFAULT AS IDENTITY "
        "(START WITH 5 INCREMENT BY 1)"
    )
    (op,) = changes(ident, always)
    assert isinstance(op, ops.ExecuteSQL)
    assert op.statement == "ALTER TABLE t ALTER COLUMN n SET GENERATED ALWAYS SET INCREMENT BY 2"
    # ... and the identity goes before the column may be NULL again.
    op, nullable = changes(ident, plain)
    assert isinstance(op, ops.ExecuteSQL)
    assert op.statement == "ALTER TABLE t ALTER COLUMN n DROP IDENTITY"
    assert isinstance(nullable, ops.AlterColumn) and nullable.modify_nullable is True
    assert changes(ident, one_table(sa.Column("n", sa.Integer, sa.Identity(start=5)))) == []


def test_computed_expression_change_recreates_the_column() -> None:
    old = one_table(sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("a * 2")))
    same = one_table(sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("(a*2)")))
    new = one_table(sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("a * 3")))
    assert changes(old, same) == []
    up = changes(old, new)
    assert kinds(up) == ["DropColumn", "AddColumn"]
    add = up[1]
    assert isinstance(add, ops.AddColumn)
    assert isinstance(add.column.server_default, sa.Computed)
    stored = one_table(
        sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("a * 2", persisted=True))
    )
    assert changes(old, stored, "postgresql") == []  # STORED is PostgreSQL's default
    assert kinds(changes(old, stored, "mysql")) == ["DropColumn", "AddColumn"]


def test_type_change_on_postgresql_gets_a_using_cast_across_families() -> None:
    old = one_table(sa.Column("a", sa.String(10)))
    new = one_table(sa.Column("a", sa.Integer))
    (op,) = changes(old, new)
    assert isinstance(op, ops.AlterColumn)
    assert op.options == (("postgresql_using", "a::INTEGER"),)
    wider = one_table(sa.Column("a", sa.String(20)))
    (op,) = changes(old, wider)
    assert isinstance(op, ops.AlterColumn) and op.options == ()
