"""The pure diff: PostgreSQL enum types and sequences."""

from __future__ import annotations

import sqlalchemy as sa

from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import AutocommitBlock, ModifyTableOps
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import changes, kinds, snap


def moods(*values: str, default: str | None = None, table: str = "person") -> sa.MetaData:
    md = sa.MetaData()
    if values:
        sa.Table(
            table,
            md,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("mood", sa.Enum(*values, name="mood"), server_default=default),
        )
    return md


def test_new_enum_type_is_created_before_its_table() -> None:
    up = changes(sa.MetaData(), moods("sad", "ok"))
    assert kinds(up) == ["CreateEnum", "CreateTable"]
    create = up[0]
    assert isinstance(create, ops.CreateEnum) and create.values == ("sad", "ok")
    table = up[1]
    assert isinstance(table, ops.CreateTable)
    column = next(i for i in table.items if isinstance(i, sa.Column) and i.name == "mood")
    # The operation creates the type; the table must not create it again.
    assert column.type.create_type is False  # type: ignore[attr-defined]


def test_dropped_enum_type_is_dropped_after_its_table() -> None:
    down = changes(moods("sad", "ok"), sa.MetaData())
    assert kinds(down) == ["DropTable", "DropEnum"]
    drop_table = down[0]
    assert isinstance(drop_table, ops.DropTable)
    assert ("postgresql_drop_enums", False) in drop_table.options
    drop_enum = down[1]
    assert isinstance(drop_enum, ops.DropEnum) and drop_enum.values == ("sad", "ok")


def test_enum_values_added_in_an_autocommit_block() -> None:
    up = diff(snap(moods("sad", "ok")), snap(moods("happy", "sad", "meh", "ok", "great")))
    (block,) = up
    assert isinstance(block, AutocommitBlock)
    placed = [
        (op.value, op.before, op.after) for op in block.ops if isinstance(op, ops.AddEnumValue)
    ]
    assert placed == [
        ("happy", "sad", None),
        ("meh", None, "sad"),
        ("great", None, "ok"),
    ]


def test_enum_values_removed_recreate_the_type() -> None:
    old, new = moods("sad", "ok", "meh", default="ok"), moods("ok", "sad", default="sad")
    up = list(diff(snap(old), snap(new), DiffOptions(dialect="postgresql")))
    assert kinds(up) == ["ExecuteSQL", "CreateEnum", "ModifyTableOps", "DropEnum"]
    rename = up[0]
    assert isinstance(rename, ops.ExecuteSQL)
    assert rename.statement == "ALTER TYPE mood RENAME TO mood_old"
    group = up[2]
    assert isinstance(group, ModifyTableOps)
    drop_default, move, set_default = group.ops
    assert isinstance(drop_default, ops.AlterColumn) and drop_default.modify_server_default is None
    assert isinstance(move, ops.AlterColumn)
    assert move.options == (("postgresql_using", "mood::text::mood"),)
    assert isinstance(set_default, ops.AlterColumn) and set_default.modify_server_default == "sad"
    drop = up[3]
    assert isinstance(drop, ops.DropEnum) and drop.type_name == "mood_old"
    # The downgrade is the diff the other way: a recreate back to the old values.
    down = diff(snap(new), snap(old), DiffOptions(dialect="postgresql").reversed())
    assert kinds(down) == ["ExecuteSQL", "CreateEnum", "ModifyTableOps", "DropEnum"]


def test_enum_types_elsewhere_are_column_types() -> None:
    assert kinds(changes(sa.MetaData(), moods("a", "b"), "mysql")) == ["CreateTable"]
    up = changes(moods("a", "b"), moods("a", "b", "c"), "mysql")
    assert kinds(up) == ["AlterColumn"]


def test_enum_not_used_by_the_database_tables_is_left_alone() -> None:
    from dataclasses import replace

    from sqlstrata.autogen.snapshot import EnumSnap

    old = replace(snap(sa.MetaData()), enums=(EnumSnap("orphan", None, ("x",)),))
    assert changes(old, sa.MetaData()) == []


def sequences(*names: str) -> sa.MetaData:
    md = sa.MetaData()
    for name in names:
        sa.Sequence(name, start=10, increment=5, metadata=md)
    return md


def test_sequences_created_and_dropped() -> None:
    up = changes(sequences(), sequences("order_no"))
    (create,) = up
    assert isinstance(create, ops.CreateSequence) and create.sequence_name == "order_no"
    assert dict(create.options) == {"start": 10, "increment": 5}
    (drop,) = changes(sequences("order_no"), sequences())
    assert isinstance(drop, ops.DropSequence)
    assert drop.created_by is not None
    assert changes(sequences("a"), sequences("a")) == []
    # SQLite has no sequences.
    assert changes(sequences(), sequences("order_no"), "sqlite") == []
