"""Operation values: reverse() undoes, or says why it cannot."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlstrata.errors import IrreversibleError
from sqlstrata.ops import operations as ops
from tests.dialects.render import statements


def test_create_and_drop_table_reverse_each_other() -> None:
    created = ops.CreateTable("t", (sa.Column("id", sa.Integer),), "s", "c", if_not_exists=True)
    dropped = created.reverse()
    assert (dropped.table_name, dropped.schema, dropped.items, dropped.if_exists) == (
        "t",
        "s",
        created.items,
        True,
    )
    again = dropped.reverse()
    assert (again.table_name, again.comment, again.items) == ("t", "c", created.items)


def test_drop_table_without_columns_is_irreversible() -> None:
    with pytest.raises(IrreversibleError, match="columns are unknown"):
        ops.DropTable("t").reverse()


def test_rename_table_reverses() -> None:
    back = ops.RenameTable("a", "b", "s").reverse()
    assert (back.table_name, back.new_table_name, back.schema) == ("b", "a", "s")


def test_table_comment_reverses_to_the_existing_comment_or_a_drop() -> None:
    assert isinstance(ops.CreateTableComment("t", "new").reverse(), ops.DropTableComment)
    back = ops.CreateTableComment("t", "new", "old").reverse()
    assert isinstance(back, ops.CreateTableComment)
    assert (back.comment, back.existing_comment) == ("old", "new")
    with pytest.raises(IrreversibleError):
        ops.DropTableComment("t").reverse()


def test_add_and_drop_column_reverse_each_other() -> None:
    column = sa.Column("c", sa.Integer)
    dropped = ops.AddColumn("t", column, "s").reverse()
    assert (dropped.column_name, dropped.column, dropped.schema) == ("c", column, "s")
    assert dropped.reverse().column is column
    with pytest.raises(IrreversibleError):
        ops.DropColumn("t", "c").reverse()


def test_alter_column_swaps_modify_and_existing() -> None:
    old_type, new_type = sa.String(10), sa.String(20)
    op = ops.AlterColumn(
        "t",
        "name",
        modify_name="title",
        modify_type=new_type,
        modify_nullable=False,
        modify_server_default=None,
        modify_comment="new",
        existing_type=old_type,
        existing_nullable=True,
        existing_server_default="x",
        existing_comment="old",
        options=(("postgresql_using", "name::varchar"),),
    )
    back = op.reverse()
    assert (back.column_name, back.modify_name) == ("title", "name")
    assert (back.modify_type, back.existing_type) == (old_type, new_type)
    assert (back.modify_nullable, back.existing_nullable) == (True, False)
    assert (back.modify_server_default, back.existing_server_default) == ("x", None)
    assert (back.modify_comment, back.existing_comment) == ("old", "new")
    assert back.options == ()
    assert back.reverse().modify_type is new_type


def test_alter_column_leaves_unchanged_parts_unchanged() -> None:
    back = ops.AlterColumn("t", "c", modify_nullable=False, existing_nullable=True).reverse()
    assert back.modify_type is None
    assert back.modify_server_default is ops.UNSET
    assert back.modify_comment is ops.UNSET
    assert back.modify_name is None


@pytest.mark.parametrize(
    ("op", "why"),
    [
        (ops.AlterColumn("t", "c", modify_type=sa.Integer()), "existing type"),
        (ops.AlterColumn("t", "c", modify_nullable=True), "existing nullability"),
        (ops.AlterColumn("t", "c", modify_server_default="1"), "existing server default"),
        (ops.AlterColumn("t", "c", modify_autoincrement=True), "existing autoincrement"),
    ],
)
def test_alter_column_needs_existing_values_to_reverse(op: ops.AlterColumn, why: str) -> None:
    with pytest.raises(IrreversibleError, match=why):
        op.reverse()


def test_constraints_reverse_to_typed_drops() -> None:
    created: list[ops.CreateConstraint] = [
        ops.CreatePrimaryKey("pk", "t", ("id",)),
        ops.CreateForeignKey("fk", "t", "u", ("u_id",), ("id",), source_schema="s"),
        ops.CreateUniqueConstraint("uq", "t", ("a",)),
        ops.CreateCheckConstraint("ck", "t", "a > 0"),
        ops.CreateExcludeConstraint("ex", "t", (("a", "="),)),
    ]
    drops = [op.reverse() for op in created]
    assert [d.type_ for d in drops] == ["primary", "foreignkey", "unique", "check", "exclude"]
    assert [d.constraint_name for d in drops] == ["pk", "fk", "uq", "ck", "ex"]
    assert drops[1].schema == "s"
    assert [d.reverse() for d in drops] == created
    with pytest.raises(IrreversibleError):
        ops.DropConstraint("x", "t").reverse()


def test_index_sequence_and_enum_reverse() -> None:
    index = ops.CreateIndex("ix", "t", ("a",), options=(("postgresql_concurrently", True),))
    drop = index.reverse()
    assert drop.created_by is index
    assert drop.options == (("postgresql_concurrently", True),)
    assert drop.reverse() is index
    with pytest.raises(IrreversibleError):
        ops.DropIndex("ix").reverse()
    sequence = ops.CreateSequence("s", options=(("start", 5),))
    assert sequence.reverse().reverse() is sequence
    enum = ops.CreateEnum("mood", ("a", "b")).reverse()
    assert enum.reverse().values == ("a", "b")
    with pytest.raises(IrreversibleError):
        ops.DropEnum("mood").reverse()


@pytest.mark.parametrize(
    "op",
    [
        ops.ExecuteSQL("SELECT 1"),
        ops.BulkInsert(sa.table("t"), ()),
        ops.AddEnumValue("mood", "c"),
    ],
)
def test_data_operations_are_irreversible(op: ops.Operation) -> None:
    with pytest.raises(IrreversibleError, match="no inverse"):
        op.reverse()


def test_reversed_create_table_drops_its_enum_types_offline() -> None:
    created = ops.CreateTable(
        "t",
        (
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("status", sa.Enum("new", "done", name="status")),
            sa.Column("shared", postgresql.ENUM("x", name="shared", create_type=False)),
        ),
    )
    directive = lambda op: op.invoke(created.reverse())  # noqa: E731
    assert statements("postgresql", directive) == ["DROP TABLE t", "DROP TYPE status"]
    keep = lambda op: op.drop_table("t", postgresql_drop_enums=False)  # noqa: E731
    assert statements("postgresql", keep) == ["DROP TABLE t"]
