"""The pure diff: keys, constraints, indexes, and the order operations come out in."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from sqlstrata.autogen.diff import diff
from sqlstrata.autogen.directives import ModifyTableOps
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.reconcile import reconcile
from sqlstrata.autogen.snapshot import IndexSnap, SchemaSnapshot, UniqueSnap
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import changes, kinds, snap

CONVENTION = {
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
}


def parent_child(**fk: object) -> sa.MetaData:
    md = sa.MetaData(naming_convention=CONVENTION)
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "child",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", **fk)),  # type: ignore[arg-type]
    )
    return md


def t(*items: sa.SchemaItem) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "t",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sa.Column("name", sa.String(20)),
        *items,
    )
    return md


def without_table(md: sa.MetaData, name: str) -> sa.MetaData:
    copy = sa.MetaData(naming_convention=md.naming_convention)
    for table in md.tables.values():
        if table.name != name:
            table.to_metadata(copy)
    return copy


def test_primary_key_change() -> None:
    old = sa.MetaData()
    sa.Table("t", old, sa.Column("a", sa.Integer, primary_key=True), sa.Column("b", sa.Integer))
    new = sa.MetaData()
    sa.Table(
        "t",
        new,
        sa.Column("a", sa.Integer, primary_key=True),
        sa.Column("b", sa.Integer, primary_key=True),
    )
    up = changes(old, new)
    assert kinds(up) == ["DropConstraint", "AlterColumn", "CreatePrimaryKey"]
    drop, _, create = up
    assert isinstance(drop, ops.DropConstraint) and drop.type_ == "primary"
    assert isinstance(create, ops.CreatePrimaryKey) and create.columns == ("a", "b")
    # MySQL reports its primary key without a name: it is dropped as PRIMARY.
    (drop,) = [op for op in changes(old, new, "mysql") if isinstance(op, ops.DropConstraint)]
    assert drop.constraint_name == "PRIMARY"


def test_unique_constraints_by_name_and_by_columns() -> None:
    old = t()
    named = t(sa.UniqueConstraint("a", "name", name="uq_t_a"))
    (op,) = changes(old, named)
    assert isinstance(op, ops.CreateUniqueConstraint) and op.columns == ("a", "name")
    (op,) = changes(named, old)
    assert isinstance(op, ops.DropConstraint) and op.type_ == "unique"
    other_columns = t(sa.UniqueConstraint("a", name="uq_t_a"))
    assert kinds(changes(named, other_columns)) == ["DropConstraint", "CreateUniqueConstraint"]
    # The database named an unnamed constraint: it is the same one.
    unnamed = t(sa.UniqueConstraint("a", "name"))
    assert changes(named, unnamed) == []
    reflected = snap(t(sa.UniqueConstraint("a", "name", name="t_a_name_key")))
    assert changes(reflected, snap(unnamed)) == []


def test_unnamed_constraint_gone_from_the_models_is_not_dropped() -> None:
    old = snap(t(sa.UniqueConstraint("a")))
    up = diff(old, snap(t()), DiffOptions(dialect="postgresql"))
    (group,) = up
    assert isinstance(group, ModifyTableOps)
    assert "WARNING: an unnamed unique on t (a)" in getattr(group.ops[0], "text", "")


def test_foreign_keys() -> None:
    old = parent_child()
    up = changes(without_table(old, "child"), old)
    assert kinds(up) == ["CreateTable"]
    fks = [i for i in getattr(up[0], "items", ()) if isinstance(i, sa.ForeignKeyConstraint)]
    assert len(fks) == 1
    cascade = parent_child(ondelete="CASCADE")
    up = changes(old, cascade)
    assert kinds(up) == ["DropConstraint", "CreateForeignKey"]
    create = up[1]
    assert isinstance(create, ops.CreateForeignKey) and create.ondelete == "CASCADE"
    assert create.referent_table == "parent" and create.remote_cols == ("id",)
    assert changes(cascade, parent_child(ondelete="cascade")) == []
    assert changes(old, parent_child(onupdate="SET NULL"), "mysql") != []
    # MySQL: RESTRICT is what no action means.
    assert changes(old, parent_child(ondelete="RESTRICT"), "mysql") == []
    assert changes(old, parent_child(ondelete="RESTRICT"), "postgresql") != []


def test_deferrable_foreign_keys_on_postgresql() -> None:
    old = parent_child()
    new = parent_child(deferrable=True, initially="DEFERRED")
    assert kinds(changes(old, new)) == ["DropConstraint", "CreateForeignKey"]
    assert changes(new, parent_child(deferrable=True, initially="deferred")) == []
    assert changes(old, parent_child(deferrable=False)) == []
    assert changes(old, new, "mysql") == []  # MySQL ignores DEFERRABLE


def test_named_check_constraints_by_normalised_text() -> None:
    old = t(sa.CheckConstraint("a > 0", name="ck_a"))
    reflected = t(sa.CheckConstraint("(a > 0)", name="ck_a"))
    assert changes(reflected, old) == []
    changed = t(sa.CheckConstraint("a >= 0", name="ck_a"))
    assert kinds(changes(old, changed)) == ["DropConstraint", "CreateCheckConstraint"]
    assert kinds(changes(t(), old)) == ["CreateCheckConstraint"]
    # Unnamed CHECKs are not compared.
    assert changes(t(), t(sa.CheckConstraint("a > 0"))) == []


def test_indexes() -> None:
    plain = t(sa.Index("ix_a", "a"))
    assert kinds(changes(t(), plain)) == ["CreateIndex"]
    assert kinds(changes(plain, t())) == ["DropIndex"]
    unique = t(sa.Index("ix_a", "a", unique=True))
    up = changes(plain, unique)
    assert kinds(up) == ["DropIndex", "CreateIndex"]
    assert isinstance(up[1], ops.CreateIndex) and up[1].unique
    two = t(sa.Index("ix_a", "a", "name"))
    assert kinds(changes(plain, two)) == ["DropIndex", "CreateIndex"]


def test_functional_and_partial_indexes() -> None:
    fn = t(sa.Index("ix_lower", sa.func.lower(sa.column("name"))))
    (op,) = changes(t(), fn)
    assert isinstance(op, ops.CreateIndex)
    assert [str(c) for c in op.columns] == ["lower(name)"]
    reflected = snap(fn)
    table = reflected.tables[0]
    ix = replace(table.indexes[0], elements=("lower((name)::text)",))
    reflected = reflected.with_tables([replace(table, indexes=(ix,))])
    assert changes(reflected, fn) == []
    partial = t(sa.Index("ix_a", "a", postgresql_where=sa.text("a > 0")))
    assert kinds(changes(t(sa.Index("ix_a", "a")), partial)) == ["DropIndex", "CreateIndex"]
    assert changes(t(sa.Index("ix_a", "a", postgresql_where=sa.text("(a > 0)"))), partial) == []
    # The option is PostgreSQL's: other databases do not see it.
    assert changes(t(sa.Index("ix_a", "a")), partial, "sqlite") == []


def test_index_dialect_options() -> None:
    gin = t(sa.Index("ix_a", "a", postgresql_using="gin"))
    assert kinds(changes(t(sa.Index("ix_a", "a")), gin)) == ["DropIndex", "CreateIndex"]
    btree = t(sa.Index("ix_a", "a", postgresql_using="btree"))
    assert changes(t(sa.Index("ix_a", "a")), btree) == []
    concurrently = t(sa.Index("ix_a", "a", postgresql_concurrently=True))
    assert changes(t(sa.Index("ix_a", "a")), concurrently) == []


def test_reflected_default_index_options_are_no_change() -> None:
    from sqlstrata.autogen.from_metadata import clean_options

    assert clean_options(
        [
            ("postgresql_include", ()),
            ("postgresql_using", "btree"),
            ("postgresql_nulls_not_distinct", False),
            ("postgresql_with", ()),
            ("mysql_length", 10),
        ]
    ) == (("mysql_length", 10),)


def test_mysql_unique_index_reported_as_constraint() -> None:
    model = snap(t(sa.Index("ix_a", "a", unique=True)), "mysql")
    table = model.tables[0]
    reflected = model.with_tables(
        [replace(table, indexes=(), uniques=(UniqueSnap("ix_a", ("a",)),))]
    )
    assert changes(reconcile(reflected, model, "mysql"), model, "mysql") == []


def test_mysql_foreign_key_index_is_no_change() -> None:
    model = snap(parent_child(), "mysql")
    child = model.table((None, "child"))
    assert child is not None
    implicit = IndexSnap("fk_child_parent_id", ("parent_id",), (False,))
    reflected = SchemaSnapshot(
        tuple(replace(tb, indexes=(implicit,)) if tb is child else tb for tb in model.tables)
    )
    assert "DropIndex" in kinds(changes(reflected, model, "mysql"))
    assert changes(reconcile(reflected, model, "mysql"), model, "mysql") == []


@pytest.mark.parametrize(
    ("name", "implicit"),
    [
        ("fk_child_parent_id", True),  # named after the constraint
        ("parent_id", True),  # an unnamed constraint: after the column
        ("parent_id_2", True),
        ("ix_child_parent", False),  # the user's own index on the same column
    ],
)
def test_mysql_tells_its_own_foreign_key_index_from_the_users(name: str, implicit: bool) -> None:
    model = snap(parent_child(), "mysql")
    child = model.table((None, "child"))
    assert child is not None
    index = IndexSnap(name, ("parent_id",), (False,))
    reflected = SchemaSnapshot(
        tuple(replace(tb, indexes=(index,)) if tb is child else tb for tb in model.tables)
    )
    found = kinds(changes(reconcile(reflected, model, "mysql"), model, "mysql"))
    # The user's index goes, with the foreign key dropped around it (MySQL needs an index).
    assert found == ([] if implicit else ["DropConstraint", "DropIndex", "CreateForeignKey"])


def test_mysql_drops_a_foreign_key_around_the_index_it_uses() -> None:
    def model(*items: sa.SchemaItem) -> sa.MetaData:
        md = parent_child()
        for item in items:
            md.tables["child"].append_constraint(item)  # type: ignore[arg-type]
        return md

    old = model(sa.UniqueConstraint("parent_id", "id", name="uq_child"))
    new = model()
    groups = diff(snap(old, "mysql"), snap(new, "mysql"), DiffOptions(dialect="mysql"))
    assert [kinds(g.ops) for g in groups if isinstance(g, ModifyTableOps)] == [
        ["DropConstraint"],
        ["DropConstraint"],
        ["CreateForeignKey"],
    ]
    assert kinds(changes(old, new, "postgresql")) == ["DropConstraint"]


def chain() -> sa.MetaData:
    md = sa.MetaData(naming_convention=CONVENTION)
    sa.Table(
        "c",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("b_id", sa.ForeignKey("b.id")),
    )
    sa.Table(
        "b",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a_id", sa.ForeignKey("a.id")),
    )
    sa.Table("a", md, sa.Column("id", sa.Integer, primary_key=True))
    return md


def test_tables_are_created_before_the_tables_that_point_at_them() -> None:
    up = changes(sa.MetaData(), chain())
    assert [getattr(op, "table_name", None) for op in up] == ["a", "b", "c"]
    down = changes(chain(), sa.MetaData())
    assert [getattr(op, "table_name", None) for op in down] == ["c", "b", "a"]


def cycle() -> sa.MetaData:
    md = sa.MetaData(naming_convention=CONVENTION)
    sa.Table(
        "a",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("b_id", sa.ForeignKey("b.id")),
    )
    sa.Table(
        "b",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a_id", sa.ForeignKey("a.id")),
    )
    return md


def test_foreign_key_cycles_are_added_after_the_tables() -> None:
    up = changes(sa.MetaData(), cycle())
    assert kinds(up) == ["CreateTable", "CreateTable", "CreateForeignKey"]
    first = up[0]
    assert isinstance(first, ops.CreateTable) and first.table_name == "a"
    assert not [i for i in first.items if isinstance(i, sa.ForeignKeyConstraint)]
    down = changes(cycle(), sa.MetaData())
    assert kinds(down) == ["DropConstraint", "DropTable", "DropTable"]
    # SQLite takes references to tables that do not exist yet: no separate step.
    assert kinds(changes(sa.MetaData(), cycle(), "sqlite")) == ["CreateTable", "CreateTable"]


def test_foreign_key_changes_run_around_table_changes() -> None:
    old = parent_child()
    new = parent_child(ondelete="CASCADE")
    new.tables["child"].append_column(sa.Column("extra", sa.Integer))
    groups = diff(snap(old), snap(new), DiffOptions(dialect="postgresql"))
    assert [kinds(g.ops) for g in groups if isinstance(g, ModifyTableOps)] == [
        ["DropConstraint"],
        ["AddColumn"],
        ["CreateForeignKey"],
    ]
    # On SQLite they belong to the one rebuild of the table.
    groups = diff(snap(old, "sqlite"), snap(new, "sqlite"), DiffOptions(dialect="sqlite"))
    assert [kinds(g.ops) for g in groups if isinstance(g, ModifyTableOps)] == [
        ["DropConstraint", "AddColumn", "CreateForeignKey"]
    ]


def test_naming_convention_marks_reflected_names_final() -> None:
    old = snap(t(sa.CheckConstraint("a > 0", name="ck_t_pos")))
    up = diff(old, snap(t()), DiffOptions(dialect="postgresql", convention=True))
    (group,) = up
    assert isinstance(group, ModifyTableOps)
    (drop,) = group.ops
    assert isinstance(drop, ops.DropConstraint)
    assert type(drop.constraint_name).__name__ == "conv"
