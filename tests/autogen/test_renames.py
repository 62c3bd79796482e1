"""Renames: hints, candidates, asking, never guessing, and the operations they give."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import ModifyTableOps, flatten
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.renames import RenameCandidate, Renames, decide
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import kinds, snap


def account(name_column: str = "name", table: str = "account", **info: str) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        table,
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(name_column, sa.String(50), nullable=False, info=dict(info)),
        sa.Column("email", sa.String(100)),
        sa.Index(f"ix_{table}_email", "email"),
    )
    return md


def order(target: str = "account") -> sa.MetaData:
    md = account(table=target)
    sa.Table(
        "orders",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner", sa.Integer, sa.ForeignKey(f"{target}.id", name="fk_owner")),
    )
    return md


def test_column_candidate_and_its_question() -> None:
    decision = decide(snap(account()), snap(account("full_name")), "postgresql")
    (candidate,) = decision.unresolved
    assert candidate.question == "Was account.name renamed to account.full_name?"
    assert candidate.hint == "account.name:full_name"
    assert not decision.renames


def test_asked_yes_gives_a_rename() -> None:
    asked: list[str] = []

    def ask(candidate: RenameCandidate) -> bool:
        asked.append(candidate.question)
        return True

    old, new = snap(account()), snap(account("full_name"))
    decision = decide(old, new, "postgresql", ask=ask)
    assert asked == ["Was account.name renamed to account.full_name?"]
    assert decision.unresolved == ()
    up = list(flatten(diff(old, new, DiffOptions(renames=decision.renames))))
    (op,) = up
    assert isinstance(op, ops.AlterColumn)
    assert (op.column_name, op.modify_name) == ("name", "full_name")
    assert op.existing_type is not None and op.existing_nullable is False
    down = list(flatten(diff(new, old, DiffOptions(renames=decision.renames).reversed())))
    (op,) = down
    assert isinstance(op, ops.AlterColumn)
    assert (op.column_name, op.modify_name) == ("full_name", "name")


def test_asked_no_gives_drop_and_add_without_warning() -> None:
    decision = decide(
        snap(account()), snap(account("full_name")), "postgresql", ask=lambda c: False
    )
    assert decision.unresolved == () and not decision.renames


def test_different_types_are_no_candidates() -> None:
    md = account()
    other = sa.MetaData()
    sa.Table(
        "account",
        other,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("age", sa.Integer, nullable=False),
        sa.Column("email", sa.String(100)),
    )
    assert decide(snap(md), snap(other), "postgresql").unresolved == ()


def test_strict_renames_fails_on_candidates() -> None:
    with pytest.raises(CommandError) as info:
        decide(snap(account()), snap(account("full_name")), "postgresql", strict=True)
    assert "--rename account.name:full_name" in str(info.value)
    # A decided rename leaves nothing to be strict about.
    decided = decide(
        snap(account()),
        snap(account("full_name")),
        "postgresql",
        hints=["account.name:full_name"],
        strict=True,
    )
    assert decided.renames.columns == (((None, "account", "name"), "full_name"),)


def test_column_info_hint() -> None:
    old, new = snap(account()), snap(account("full_name", renamed_from="name"))
    decision = decide(old, new, "postgresql", strict=True)
    assert decision.renames.column_map() == {(None, "account", "name"): "full_name"}
    # Once applied, the hint names a column the database no longer has: nothing to do.
    assert not decide(new, new, "postgresql").renames


def test_table_rename_hint_and_references() -> None:
    old, new = snap(order("account")), snap(order("customer"))
    candidates = decide(old, new, "postgresql").unresolved
    assert [c.question for c in candidates] == ["Was table account renamed to customer?"]
    decision = decide(old, new, "postgresql", hints=["account:customer"])
    assert decision.renames.table_map() == {(None, "account"): "customer"}
    up = diff(old, new, DiffOptions(renames=decision.renames))
    # The table is renamed; its index name still says account, so it is made again; the
    # foreign key follows the table by itself.
    assert kinds(up) == ["RenameTable", "ModifyTableOps"]
    rename = up[0]
    assert isinstance(rename, ops.RenameTable)
    assert (rename.table_name, rename.new_table_name) == ("account", "customer")
    group = up[1]
    assert isinstance(group, ModifyTableOps)
    assert kinds(group.ops) == ["DropIndex", "CreateIndex"]


def test_table_info_hint() -> None:
    new_md = sa.MetaData()
    sa.Table(
        "customer",
        new_md,
        sa.Column("id", sa.Integer, primary_key=True),
        info={"renamed_from": "account"},
    )
    old_md = sa.MetaData()
    sa.Table("account", old_md, sa.Column("id", sa.Integer, primary_key=True))
    decision = decide(snap(old_md), snap(new_md), "postgresql", strict=True)
    assert decision.renames.table_map() == {(None, "account"): "customer"}


def test_column_rename_inside_a_renamed_table() -> None:
    old, new = snap(account()), snap(account("full_name", table="customer"))
    decision = decide(
        old, new, "postgresql", hints=["account:customer", "account.name:customer.full_name"]
    )
    up = list(flatten(diff(old, new, DiffOptions(renames=decision.renames))))
    assert isinstance(up[0], ops.RenameTable)
    alter = up[1]
    assert isinstance(alter, ops.AlterColumn)
    assert (alter.table_name, alter.column_name, alter.modify_name) == (
        "customer",
        "name",
        "full_name",
    )
    inverted = decision.renames.inverted()
    assert inverted.table_map() == {(None, "customer"): "account"}
    assert inverted.column_map() == {(None, "customer", "full_name"): "name"}


def test_bad_hints() -> None:
    old, new = snap(account()), snap(account("full_name"))
    for hint, message in [
        ("account", "not OLD:NEW"),
        ("nosuch:other", "no table of that name"),
        ("account.nosuch:x", "no such column in the database"),
        ("account.name:nosuch", "the models have no such column"),
    ]:
        with pytest.raises(CommandError, match=message):
            decide(old, new, "postgresql", hints=[hint])


def test_renames_value() -> None:
    renames = Renames(tables=(((None, "a"), "b"),))
    assert renames.new_table_name((None, "a")) == "b"
    assert renames.new_table_name((None, "x")) == "x"
    assert not Renames() and renames
