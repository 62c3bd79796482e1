"""Pure planning: in place or rebuilt, and what the new table and the copy look like."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from sqlstrata.batch.plan import (
    hoisted_renames,
    in_place_refusal,
    plan_rebuild,
    rebuild_reason,
)
from sqlstrata.batch.request import BatchEntry, BatchRequest
from sqlstrata.batch.shape import TableShape, named_by_convention, shape_of
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

SQLITE = sa.create_engine("sqlite://").dialect


def account() -> sa.Table:
    return sa.Table(
        "account",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="anon"),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE")),
        sa.Column("balance", sa.Integer, nullable=False, server_default="0"),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("account.id")),
        sa.UniqueConstraint("name", name="uq_account_name"),
        sa.CheckConstraint("balance >= 0", name="ck_balance"),
        sa.CheckConstraint("balance < 1000"),
        sa.Index("ix_owner", "owner_id"),
        sa.Index("ix_lower_name", sa.text("lower(name)")),
    )


def source() -> TableShape:
    return shape_of(account(), SQLITE)


def request(*operations: ops.Operation | BatchEntry, **kw: Any) -> BatchRequest:
    entries = tuple(o if isinstance(o, BatchEntry) else BatchEntry(o) for o in operations)
    return BatchRequest("account", entries=entries, **kw)


def plan(*operations: ops.Operation | BatchEntry, **kw: Any) -> Any:
    return plan_rebuild(request(*operations, **kw), source(), SQLITE)


def alter(column: str, **kw: Any) -> ops.AlterColumn:
    return ops.AlterColumn("account", column, **kw)


# -- in place or rebuilt ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "rebuilds"),
    [
        (ops.AddColumn("account", sa.Column("note", sa.Text)), False),
        (ops.AddColumn("account", sa.Column("n", sa.Integer, nullable=False)), True),
        (ops.AddColumn("account", sa.Column("n", sa.Integer, server_default="1")), False),
        (ops.AddColumn("account", sa.Column("n", sa.Integer, server_default=sa.text("2"))), False),
        (ops.AddColumn("account", sa.Column("t", sa.Text, server_default=sa.func.now())), True),
        (ops.AddColumn("account", sa.Column("k", sa.Integer, primary_key=True)), True),
        (ops.AddColumn("account", sa.Column("g", sa.Integer, sa.Computed("id * 2"))), True),
        (alter("name", modify_name="label"), False),
        (alter("name", modify_comment="who"), False),
        (alter("name", modify_type=sa.Text()), True),
        (alter("name", modify_nullable=True), True),
        (alter("name", modify_server_default=None), True),
        (ops.DropColumn("account", "name"), True),
        (ops.CreateUniqueConstraint("uq", "account", ("name",)), True),
        (ops.DropConstraint("uq_account_name", "account", "unique"), True),
        (ops.CreateIndex("ix", "account", ("name",)), False),
        (ops.DropIndex("ix_owner", "account"), False),
        (ops.CreateTableComment("account", "c"), False),
    ],
)
def test_sqlite_rebuilds_only_what_it_cannot_alter(
    operation: ops.Operation, rebuilds: bool
) -> None:
    assert (rebuild_reason(request(operation), "sqlite") is not None) is rebuilds
    assert rebuild_reason(request(operation), "postgresql") is None
    assert rebuild_reason(request(operation, recreate="always"), "mysql") is not None
    assert rebuild_reason(request(operation, recreate="never"), "sqlite") is None
    assert (
        in_place_refusal(request(operation, recreate="never"), "sqlite") is not None
    ) is rebuilds


def test_positions_make_sqlite_rebuild() -> None:
    add = ops.AddColumn("account", sa.Column("note", sa.Text))
    assert rebuild_reason(request(BatchEntry(add, insert_after="id")), "sqlite") is not None
    assert rebuild_reason(request(add, partial_reordering=(("name", "id"),)), "sqlite")
    assert rebuild_reason(request(BatchEntry(add, insert_after="id")), "postgresql") is None


# -- the new table ---------------------------------------------------------------------------


def test_nothing_to_change_copies_every_column_and_keeps_everything() -> None:
    result = plan()
    target = result.target
    assert target.column_names == ("id", "name", "owner_id", "balance", "parent_id")
    assert [(c.target, c.source, c.convert) for c in result.copy] == [
        (name, name, False) for name in target.column_names
    ]
    assert target.primary_key.columns == ("id",)
    assert [u.name for u in target.uniques] == ["uq_account_name"]
    assert sorted((c.name or "", c.sqltext) for c in target.checks) == [
        ("", "balance < 1000"),
        ("ck_balance", "balance >= 0"),
    ]
    assert sorted((fk.referred_table, fk.columns) for fk in target.foreign_keys) == [
        ("account", ("parent_id",)),
        ("person", ("owner_id",)),
    ]
    assert {ix.name for ix in target.indexes} == {"ix_owner", "ix_lower_name"}
    assert result.renames == () and result.dropped == ()


def test_add_column_with_position_and_its_foreign_key() -> None:
    column = sa.Column("manager_id", sa.Integer, sa.ForeignKey("person.id", name="fk_manager"))
    result = plan(BatchEntry(ops.AddColumn("account", column), insert_before="owner_id"))
    assert result.target.column_names == (
        "id",
        "name",
        "manager_id",
        "owner_id",
        "balance",
        "parent_id",
    )
    assert "manager_id" not in {c.target for c in result.copy}
    assert "fk_manager" in {fk.name for fk in result.target.foreign_keys}


def test_drop_column_takes_its_keys_indexes_and_checks(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sqlstrata.batch"):
        result = plan(ops.DropColumn("account", "balance"), ops.DropColumn("account", "name"))
    target = result.target
    assert target.column_names == ("id", "owner_id", "parent_id")
    assert target.checks == () and target.uniques == ()
    assert {ix.name for ix in target.indexes} == {"ix_owner"}
    assert result.dropped == ("name", "balance")
    assert len(result.warnings) == 2
    assert "ck_balance" in caplog.text and "balance < 1000" in caplog.text


def test_alter_column_changes_and_renames_everywhere() -> None:
    result = plan(
        alter("balance", modify_type=sa.BigInteger(), modify_nullable=True, modify_name="amount"),
        alter("name", modify_server_default=None, modify_name="label"),
        alter("id", modify_name="key"),
    )
    target = result.target
    assert target.column_names == ("key", "label", "owner_id", "amount", "parent_id")
    amount = target.column("amount")
    assert amount is not None and isinstance(amount.column.type, sa.BigInteger)
    assert amount.column.nullable and amount.convert
    label = target.column("label")
    assert label is not None and label.column.server_default is None
    assert sorted(c.sqltext for c in target.checks) == ["amount < 1000", "amount >= 0"]
    assert [u.columns for u in target.uniques] == [("label",)]
    assert target.primary_key.columns == ("key",)
    self_fk = next(fk for fk in target.foreign_keys if fk.referred_table == "account")
    assert self_fk.referred_columns == ("key",)
    lower = next(ix for ix in target.indexes if ix.name == "ix_lower_name")
    assert lower.expressions == ("lower(label)",)
    assert result.renames == (("id", "key"), ("name", "label"), ("balance", "amount"))
    assert {(c.target, c.source) for c in result.copy} >= {("amount", "amount"), ("key", "key")}


def test_renames_that_swap_names_step_aside() -> None:
    result = plan(
        alter("name", modify_name="tmp"),
        alter("owner_id", modify_name="name"),
        alter("tmp", modify_name="owner_id"),
    )
    assert result.target.column_names == ("id", "owner_id", "name", "balance", "parent_id")
    names = {"id", "name", "owner_id", "balance", "parent_id"}
    for old, new in result.renames:
        assert old in names and new not in names
        names = (names - {old}) | {new}
    assert [(c.target, c.source) for c in result.copy][1:3] == [
        ("owner_id", "owner_id"),
        ("name", "name"),
    ]


def test_a_dropped_column_steps_aside_for_a_rename() -> None:
    result = plan(ops.DropColumn("account", "name"), alter("balance", modify_name="name"))
    assert result.renames[0] == ("name", "_strata_col_0")
    assert ("balance", "name") in result.renames
    assert ("name", "name") in {(c.target, c.source) for c in result.copy}


@given(st.permutations(["a", "b", "c", "d"]), st.sets(st.sampled_from("abcd")))
def test_hoisted_renames_reach_every_new_name(order: list[str], dropped: set[str]) -> None:
    names = ["a", "b", "c", "d"]
    renamed = {
        old: new for old, new in zip(names, order, strict=True) if old != new and old not in dropped
    }
    renamed = {old: new for old, new in renamed.items() if new not in dropped or new in renamed}
    kept = [n for n in names if n not in dropped]
    wanted = {renamed.get(n, n) for n in kept}
    if len(wanted) != len(kept) or wanted & (set(dropped) - set(renamed.values())) - set(renamed):
        return
    steps, after = hoisted_renames(names, renamed, sorted(dropped))
    current = set(names)
    for old, new in steps:
        assert old in current and new not in current
        current = (current - {old}) | {new}
    assert {after[n] for n in kept} == wanted


def test_partial_reordering_is_a_stable_sort() -> None:
    result = plan(partial_reordering=(("balance", "name"), ("parent_id", "id")))
    assert result.target.column_names == ("owner_id", "balance", "name", "parent_id", "id")
    result = plan(partial_reordering=(("parent_id", "name", "id"),))
    assert result.target.column_names == ("owner_id", "balance", "parent_id", "name", "id")
    with pytest.raises(CommandError, match="cycle"):
        plan(partial_reordering=(("name", "id"), ("id", "name")))


def test_constraints_and_indexes_come_and_go() -> None:
    result = plan(
        ops.DropConstraint("uq_account_name", "account", "unique"),
        ops.DropConstraint("ck_balance", "account"),
        ops.CreateUniqueConstraint("uq_pair", "account", ("name", "owner_id")),
        ops.CreateCheckConstraint("ck_name", "account", "length(name) > 0"),
        ops.CreateForeignKey("fk_parent2", "account", "account", ("owner_id",), ("id",)),
        ops.DropIndex("ix_owner", "account"),
        ops.CreateIndex("ix_name", "account", ("name",), unique=True),
        ops.CreatePrimaryKey("pk_account", "account", ("id", "name")),
        ops.CreateTableComment("account", "accounts"),
    )
    target = result.target
    assert [u.name for u in target.uniques] == ["uq_pair"]
    assert {c.name for c in target.checks} == {None, "ck_name"}
    assert "fk_parent2" in {fk.name for fk in target.foreign_keys}
    assert {ix.name: ix.unique for ix in target.indexes} == {
        "ix_lower_name": False,
        "ix_name": True,
    }
    assert target.primary_key.name == "pk_account" and target.primary_key.columns == ("id", "name")
    assert target.comment == "accounts"


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (ops.DropConstraint("nope", "account", "check"), "no check constraint of that name"),
        (ops.DropIndex("nope", "account"), "no index of that name"),
        (ops.DropColumn("account", "nope"), "no such column"),
        (ops.AddColumn("account", sa.Column("name", sa.Text)), "already has a column"),
        (alter("name", modify_name="balance"), "already has a column"),
        (
            ops.CreateUniqueConstraint("ck_balance", "account", ("name",)),
            "already has a constraint",
        ),
        (ops.CreateIndex("ix_owner", "account", ("name",)), "already has an index"),
        (ops.CreateIndex("ix_x", "account", ("nope",)), "no such column"),
        (ops.ExecuteSQL("SELECT 1"), "batch mode takes"),
    ],
)
def test_mistakes_are_named(operation: ops.Operation, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        plan(operation)


def test_unnamed_constraints_get_convention_names_so_they_can_be_dropped() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, sa.ForeignKey("other.id")),
        sa.UniqueConstraint("a"),
        sa.CheckConstraint("a > 0"),
    )
    convention = {
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
    shape = named_by_convention(shape_of(table, SQLITE), convention, SQLITE)
    assert [fk.name for fk in shape.foreign_keys] == ["fk_t_a_other"]
    assert [u.name for u in shape.uniques] == ["uq_t_a"]
    assert [c.name for c in shape.checks] == [None]  # needs a name to make a name
    dropped = plan_rebuild(
        BatchRequest("t", entries=(BatchEntry(ops.DropConstraint("fk_t_a_other", "t")),)),
        shape,
        SQLITE,
    )
    assert dropped.target.foreign_keys == ()


def test_new_unnamed_constraints_follow_the_target_naming_convention() -> None:
    naming = sa.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    result = plan_rebuild(
        request(ops.CreateUniqueConstraint(None, "account", ("balance",))), source(), SQLITE, naming
    )
    assert "uq_account_balance" in {u.name for u in result.target.uniques}


def test_table_args_add_and_replace() -> None:
    result = plan(
        table_args=(
            sa.CheckConstraint("balance < 1000"),
            sa.CheckConstraint("balance >= 10", name="ck_balance"),
            sa.UniqueConstraint("owner_id", name="uq_owner"),
        ),
        table_kwargs={"sqlite_autoincrement": True}.items(),
    )
    target = result.target
    assert sorted((c.name or "", c.sqltext) for c in target.checks) == [
        ("", "balance < 1000"),
        ("ck_balance", "balance >= 10"),
    ]
    assert {u.name for u in target.uniques} == {"uq_account_name", "uq_owner"}
    assert dict(target.options)["sqlite_autoincrement"] is True
    with pytest.raises(CommandError, match="not a constraint or an index"):
        plan(table_args=(sa.Column("x", sa.Integer),))


def test_every_order_of_add_and_drop_keeps_the_copy_consistent() -> None:
    operations = [
        ops.AddColumn("account", sa.Column("note", sa.Text)),
        ops.DropColumn("account", "balance"),
        alter("name", modify_name="label"),
    ]
    for order in itertools.permutations(operations):
        result = plan(*order)
        sources = {c.source for c in result.copy}
        assert "balance" not in sources
        assert {c.target for c in result.copy} == {"id", "label", "owner_id", "parent_id"}


def test_without_hoisting_the_copy_reads_the_old_names() -> None:
    result = plan_rebuild(
        request(alter("name", modify_name="label")), source(), SQLITE, hoist=False
    )
    assert result.renames == ()
    assert ("label", "name") in {(c.target, c.source) for c in result.copy}


def test_a_generated_column_follows_a_rename_and_blocks_a_drop() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sa.Column("twice", sa.Integer, sa.Computed("a * 2")),
    )
    shape = shape_of(table, SQLITE)
    renamed = plan_rebuild(
        BatchRequest("t", entries=(BatchEntry(ops.AlterColumn("t", "a", modify_name="b")),)),
        shape,
        SQLITE,
    )
    twice = renamed.target.column("twice")
    assert twice is not None and twice.column.computed is not None
    assert str(twice.column.computed.sqltext) == "b * 2"
    assert "twice" not in {c.target for c in renamed.copy}  # computed, not copied
    with pytest.raises(CommandError, match="generated column 'twice'"):
        plan_rebuild(
            BatchRequest("t", entries=(BatchEntry(ops.DropColumn("t", "a")),)), shape, SQLITE
        )
