"""Build the SQLAlchemy schema objects an operation describes, on throwaway tables.

Operations name tables and columns by string; SQLAlchemy's DDL constructs want Table,
Constraint and Index objects. The objects built here live in ``ctx.metadata()``, which
carries the target metadata's naming convention, so constraints and indexes created with
name ``None`` get the names the convention gives them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.sql.schema import Constraint
from sqlalchemy.types import NullType

from sqlstrata.dialects.base import DialectContext
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops


def stub_table(
    metadata: MetaData, name: str, schema: str | None, columns: Iterable[str] = ()
) -> Table:
    """The table ``name`` in ``metadata`` (created if needed), with at least ``columns``."""
    key = f"{schema}.{name}" if schema else name
    table = metadata.tables.get(key)
    if table is None:
        table = Table(name, metadata, schema=schema)
    for column in columns:
        if column not in table.c:
            table.append_column(Column(column, NullType()))
    return table


def ensure_referents(table: Table) -> None:
    """Give each foreign key of ``table`` given by name a stub target table.

    The DDL compiler resolves ``ForeignKey("account.id")`` to render ``REFERENCES``; the
    referenced table is not in our throwaway metadata, so put a stub of it there.
    """
    for fk in list(table.foreign_keys):
        if fk._table_column is not None:
            continue
        target = fk._column_tokens
        if target.table_name is None:
            continue
        columns = [target.column_name] if target.column_name else []
        stub_table(table.metadata, target.table_name, target.schema, columns)


def sql_text(condition: Any) -> Any:
    """SQL given as a string becomes ``text()``; expressions pass through."""
    return text(condition) if isinstance(condition, str) else condition


def constraint_for(op: ops.CreateConstraint, ctx: DialectContext) -> Constraint:
    """The constraint ``op`` adds, attached to a throwaway table."""
    metadata = ctx.metadata()
    if isinstance(op, ops.CreateForeignKey):
        return _foreign_key(op, metadata)
    table_name, schema = op.target
    constraint: Constraint
    if isinstance(op, ops.CreatePrimaryKey):
        table = stub_table(metadata, table_name, schema, op.columns)
        constraint = PrimaryKeyConstraint(*op.columns, name=op.constraint_name)
    elif isinstance(op, ops.CreateUniqueConstraint):
        table = stub_table(metadata, table_name, schema, op.columns)
        constraint = UniqueConstraint(
            *op.columns,
            name=op.constraint_name,
            deferrable=op.deferrable,
            initially=op.initially,
            **dict(op.options),
        )
    elif isinstance(op, ops.CreateCheckConstraint):
        table = stub_table(metadata, table_name, schema)
        constraint = CheckConstraint(
            sql_text(op.condition), name=op.constraint_name, **dict(op.options)
        )
    elif isinstance(op, ops.CreateExcludeConstraint):
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        names = [element for element, _ in op.elements if isinstance(element, str)]
        table = stub_table(metadata, table_name, schema, names)
        constraint = ExcludeConstraint(
            *op.elements,
            name=op.constraint_name,
            using=op.using,
            where=sql_text(op.where) if op.where is not None else None,
            deferrable=op.deferrable,
            initially=op.initially,
            **dict(op.options),
        )
    else:
        raise CommandError(f"Can't build a constraint from {type(op).__name__}.")
    table.append_constraint(constraint)
    return constraint


def _foreign_key(op: ops.CreateForeignKey, metadata: MetaData) -> ForeignKeyConstraint:
    source = stub_table(metadata, op.source_table, op.source_schema, op.local_cols)
    referent = stub_table(metadata, op.referent_table, op.referent_schema, op.remote_cols)
    constraint = ForeignKeyConstraint(
        list(op.local_cols),
        [referent.c[name] for name in op.remote_cols],
        name=op.constraint_name,
        onupdate=op.onupdate,
        ondelete=op.ondelete,
        deferrable=op.deferrable,
        initially=op.initially,
        match=op.match,
        **dict(op.options),
    )
    source.append_constraint(constraint)
    return constraint


def _constraint_class(type_: str | None) -> type[Constraint]:
    if type_ == "exclude":
        # PostgreSQL only: importing its dialect costs start-up time everywhere else.
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        return ExcludeConstraint
    classes: dict[str | None, type[Constraint]] = {
        "primary": PrimaryKeyConstraint,
        "foreignkey": ForeignKeyConstraint,
        "unique": UniqueConstraint,
        "check": CheckConstraint,
    }
    return classes.get(type_, Constraint)


def dropped_constraint(op: ops.DropConstraint, ctx: DialectContext) -> Constraint:
    """A stand-in for the constraint ``op`` drops: the right class, the right name."""
    name = constraint_name(op, ctx)
    table = stub_table(ctx.metadata(), op.table_name, op.schema)
    cls = _constraint_class(op.type_)
    constraint: Constraint
    if cls is ForeignKeyConstraint:
        constraint = ForeignKeyConstraint([], [], name=name)
    elif cls is CheckConstraint:
        constraint = CheckConstraint(text(""), name=name)
    else:
        constraint = cls(name=name)
    table.append_constraint(constraint)
    return constraint


def constraint_name(op: ops.DropConstraint, ctx: DialectContext) -> str | None:
    """The name of the constraint ``op`` drops, from the convention if it was not given."""
    if op.constraint_name is not None:
        return op.constraint_name
    if op.created_by is not None:
        name = constraint_for(op.created_by, ctx).name
        if isinstance(name, str):
            return name
    return None


def index_for(op: ops.CreateIndex, ctx: DialectContext) -> Index:
    """The Index ``op`` creates, on a throwaway table.

    Plain strings name columns; anything else (``sa.text("lower(name)")``) is an expression.
    """
    table = stub_table(ctx.metadata(), op.table_name, op.schema)
    expressions: list[Any] = []
    for column in op.columns:
        if isinstance(column, str):
            stub_table(table.metadata, op.table_name, op.schema, [column])
            expressions.append(table.c[column])
        else:
            expressions.append(column)
    for key in ("postgresql_include", "mssql_include"):
        included = ops.option(op.options, key) or ()
        names = [name for name in included if isinstance(name, str)]
        stub_table(table.metadata, op.table_name, op.schema, names)
    index = Index(op.index_name, *expressions, unique=op.unique, _table=table, **dict(op.options))
    if index.name is None:
        raise CommandError(
            f"Can't create an index on {op.table_name!r}: it has no name.",
            hint="Give index_name, or a naming convention for 'ix' in target_metadata.",
        )
    return index


def dropped_index(op: ops.DropIndex, ctx: DialectContext) -> Index:
    """A stand-in for the index ``op`` drops.

    PostgreSQL, SQLite and Oracle drop an index by (schema-qualified) name alone; when the
    table is not named, the stub table only carries the schema.
    """
    name = op.index_name
    if name is None and op.created_by is not None:
        name = index_for(op.created_by, ctx).name
    if name is None:
        raise CommandError(
            "Can't drop an index without a name.", hint="Give index_name to op.drop_index()."
        )
    table = stub_table(ctx.metadata(), op.table_name or f"{name}_table", op.schema)
    return Index(name, _table=table, **dict(op.options))
