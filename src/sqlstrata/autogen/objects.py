"""Build the SQLAlchemy objects and operation values a diff emits, from snapshot values.

Operations carry SQLAlchemy columns and constraints (``create_table`` items, the column of
``add_column``); these are made fresh from snapshots, so the models' own objects are never
attached to a second table. Names given by a naming convention stay ``conv`` objects, which
the renderer writes as ``op.f("name")``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Computed,
    Enum,
    ForeignKeyConstraint,
    Identity,
    PrimaryKeyConstraint,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ENUM
from sqlalchemy.sql.elements import conv
from sqlalchemy.sql.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from sqlstrata.autogen.snapshot import (
    CheckSnap,
    ColumnSnap,
    ForeignKeySnap,
    IndexSnap,
    PrimaryKeySnap,
    TableSnap,
    UniqueSnap,
)
from sqlstrata.ops import operations as ops


def named(name: str | None, convention: bool) -> str | None:
    """``name`` marked final (``op.f``) when a naming convention would otherwise rename it."""
    if name is None or isinstance(name, conv) or not convention:
        return name
    return conv(name)


def column_type(snap: ColumnSnap, dialect: str) -> TypeEngine[Any]:
    """The type to give a new column: on PostgreSQL a named enum becomes ``ENUM(...,
    create_type=False)``, because autogenerate creates and drops enum types itself."""
    type_ = snap.type_
    if dialect == "postgresql" and snap.enum is not None and isinstance(type_, Enum):
        if isinstance(type_, ENUM) and not type_.create_type:
            return type_
        schema, name = snap.enum
        return ENUM(*type_.enums, name=name, schema=schema, create_type=False)
    return type_


def column(snap: ColumnSnap, dialect: str, *, lone_key: bool = False) -> Column[Any]:
    """A new Column described by ``snap``; ``lone_key``: it is the whole primary key, so
    it says whether it autoincrements."""
    args: list[SchemaItem] = []
    if snap.computed is not None:
        args.append(Computed(snap.computed.sqltext, persisted=snap.computed.persisted))
    if snap.identity is not None:
        args.append(
            Identity(
                always=snap.identity.always,
                start=snap.identity.start,
                increment=snap.identity.increment,
            )
        )
    kw: dict[str, Any] = {"nullable": snap.nullable, "comment": snap.comment}
    if snap.default is not None and snap.default_known:
        kw["server_default"] = (
            snap.default_arg if snap.default_arg is not None else text(snap.default)
        )
    if lone_key and snap.autoincrement is False:
        kw["autoincrement"] = False
    return Column(snap.name, column_type(snap, dialect), *args, **kw)


def table_items(
    table: TableSnap,
    dialect: str,
    convention: bool,
    *,
    skip_fks: frozenset[ForeignKeySnap] = frozenset(),
) -> tuple[SchemaItem, ...]:
    """Columns then constraints, for ``create_table`` (indexes are separate operations)."""
    # Only a lone integer key column is autoincrement unless told otherwise.
    pk = table.primary_key.columns if table.primary_key else ()
    items: list[SchemaItem] = [column(c, dialect, lone_key=pk == (c.name,)) for c in table.columns]
    if table.primary_key is not None:
        items.append(primary_key(table.primary_key, convention))
    items.extend(foreign_key(fk, convention) for fk in table.foreign_keys if fk not in skip_fks)
    items.extend(unique(u, convention) for u in table.uniques)
    items.extend(check(c, convention) for c in table.checks)
    return tuple(items)


def primary_key(snap: PrimaryKeySnap, convention: bool) -> PrimaryKeyConstraint:
    return PrimaryKeyConstraint(*snap.columns, name=named(snap.name, convention))


def unique(snap: UniqueSnap, convention: bool) -> UniqueConstraint:
    return UniqueConstraint(
        *snap.columns,
        name=named(snap.name, convention),
        deferrable=snap.deferrable,
        initially=snap.initially,
    )


def check(snap: CheckSnap, convention: bool) -> CheckConstraint:
    return CheckConstraint(text(snap.sqltext), name=named(snap.name, convention))


def referent(fk: ForeignKeySnap, column_name: str) -> str:
    parts = [fk.referred_schema, fk.referred_table, column_name]
    return ".".join(p for p in parts if p)


def foreign_key(snap: ForeignKeySnap, convention: bool) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        list(snap.columns),
        [referent(snap, c) for c in snap.referred_columns],
        name=named(snap.name, convention),
        ondelete=snap.ondelete,
        onupdate=snap.onupdate,
        deferrable=snap.deferrable,
        initially=snap.initially,
        match=snap.match,
    )


# -- operations ----------------------------------------------------------------------------


def create_index(table: TableSnap, ix: IndexSnap, convention: bool) -> ops.CreateIndex:
    columns = tuple(
        text(element) if is_expr else element
        for element, is_expr in zip(ix.elements, ix.expressions, strict=True)
    )
    options = tuple(
        (key, text(value) if key.endswith("_where") and isinstance(value, str) else value)
        for key, value in ix.options
    )
    return ops.CreateIndex(
        named(ix.name, convention), table.name, columns, table.schema, ix.unique, options
    )


def drop_index(table: TableSnap, ix: IndexSnap, convention: bool) -> ops.DropIndex:
    created = create_index(table, ix, convention)
    return ops.DropIndex(created.index_name, table.name, table.schema, created)


def create_constraint(
    table: TableSnap,
    item: UniqueSnap | CheckSnap | ForeignKeySnap | PrimaryKeySnap,
    convention: bool,
) -> ops.CreateConstraint:
    name = named(item.name, convention)
    if isinstance(item, PrimaryKeySnap):
        return ops.CreatePrimaryKey(name, table.name, item.columns, table.schema)
    if isinstance(item, UniqueSnap):
        return ops.CreateUniqueConstraint(
            name, table.name, item.columns, table.schema, item.deferrable, item.initially
        )
    if isinstance(item, CheckSnap):
        return ops.CreateCheckConstraint(name, table.name, item.sqltext, table.schema)
    return ops.CreateForeignKey(
        name,
        table.name,
        item.referred_table,
        item.columns,
        item.referred_columns,
        onupdate=item.onupdate,
        ondelete=item.ondelete,
        deferrable=item.deferrable,
        initially=item.initially,
        match=item.match,
        source_schema=table.schema,
        referent_schema=item.referred_schema,
    )


def drop_constraint(
    table: TableSnap,
    item: UniqueSnap | CheckSnap | ForeignKeySnap | PrimaryKeySnap,
    convention: bool,
) -> ops.DropConstraint:
    created = create_constraint(table, item, convention)
    name = created.name
    if name is None and isinstance(item, PrimaryKeySnap):
        name = "PRIMARY"  # MySQL's primary key, which reflection reports without a name
    return ops.DropConstraint(
        name, table.name, created.constraint_type, table.schema, created_by=created
    )


def create_table(
    table: TableSnap,
    dialect: str,
    convention: bool,
    skip_fks: frozenset[ForeignKeySnap] = frozenset(),
) -> ops.CreateTable:
    return ops.CreateTable(
        table.name,
        table_items(table, dialect, convention, skip_fks=skip_fks),
        table.schema,
        table.comment,
        table.options,
    )


def drop_table(table: TableSnap, dialect: str, convention: bool) -> ops.DropTable:
    options: tuple[tuple[str, Any], ...] = ()
    if dialect == "postgresql" and any(c.enum for c in table.columns):
        # The enum types are dropped by their own operations once nothing uses them.
        options = (("postgresql_drop_enums", False),)
    return ops.DropTable(
        table.name,
        table.schema,
        table_items(table, dialect, convention),
        table.comment,
        options,
    )
