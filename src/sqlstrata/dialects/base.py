"""The Dialect value and the generic handlers every dialect starts from.

A dialect is capability flags plus a table ``{operation type: handler}``; a handler turns one
operation into SQLAlchemy executables. ``dialect.statements(op, ctx)`` is the one hop from an
operation to SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Index, MetaData, Table, insert, text
from sqlalchemy import schema as sa_schema
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import Executable
from sqlalchemy.types import NullType

from sqlstrata.dialects.ddl import RawDDL, attach, column_spec, quote, table_ref
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops


@dataclass(frozen=True, slots=True)
class DialectContext:
    """What a handler needs besides the operation: the SQLAlchemy dialect and the metadata."""

    sa_dialect: SADialect
    target_metadata: MetaData | None = None

    def metadata(self) -> MetaData:
        """A fresh MetaData carrying the target's naming convention, if any."""
        if self.target_metadata is not None:
            return MetaData(naming_convention=dict(self.target_metadata.naming_convention))
        return MetaData()


Handler = Callable[[Any, DialectContext], Iterable[Executable]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """A database's differences: flags and handlers."""

    name: str
    transactional_ddl: bool
    handlers: Mapping[type[ops.Operation], Handler] = field(default_factory=dict)
    terminator: str = ";"
    batch_separator: str | None = None

    def statements(self, operation: ops.Operation, ctx: DialectContext) -> Iterator[Executable]:
        """Yield the executables that carry out ``operation`` on this database."""
        for cls in type(operation).__mro__:
            handler = self.handlers.get(cls)
            if handler is not None:
                yield from handler(operation, ctx)
                return
        raise CommandError(
            f"Can't run {type(operation).__name__} on {self.name}: no handler for it.",
            hint="Register an implementation for this operation.",
        )

    def with_handlers(self, extra: Mapping[type[ops.Operation], Handler]) -> Dialect:
        """Return a copy with ``extra`` handlers added or replacing existing ones."""
        merged = {**self.handlers, **extra}
        return Dialect(
            self.name, self.transactional_ddl, merged, self.terminator, self.batch_separator
        )


def create_table(op: ops.CreateTable, ctx: DialectContext) -> Iterator[Executable]:
    table = op.to_table(ctx.metadata())
    yield sa_schema.CreateTable(table)
    for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
        yield sa_schema.CreateIndex(index)


def drop_table(op: ops.DropTable, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.DropTable(Table(op.table_name, MetaData(), schema=op.schema))


def rename_table(op: ops.RenameTable, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    old = table_ref(d, op.old_name, op.schema)
    yield RawDDL(f"ALTER TABLE {old} RENAME TO {quote(d, op.new_name)}")


def add_column(op: ops.AddColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    column = attach(op.column, op.table_name, op.schema)
    yield RawDDL(
        f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} ADD COLUMN {column_spec(d, column)}"
    )
    for constraint in sorted(column.foreign_keys, key=lambda fk: str(fk.name)):
        if constraint.constraint is not None:
            yield sa_schema.AddConstraint(constraint.constraint)


def drop_column(op: ops.DropColumn, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    yield RawDDL(
        f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} "
        f"DROP COLUMN {quote(d, op.column_name)}"
    )


def index_for(op: ops.CreateIndex, ctx: DialectContext) -> Index:
    """Build the SQLAlchemy Index an operation describes, on a throwaway table.

    Plain strings name columns; anything else (``sa.text("lower(name)")``) is an expression.
    """
    table = Table(op.table_name, ctx.metadata(), schema=op.schema)
    exprs: list[Any] = []
    for col in op.columns:
        if isinstance(col, str):
            if col not in table.c:
                table.append_column(Column(col, NullType()))
            exprs.append(table.c[col])
        else:
            exprs.append(col)
    return Index(op.index_name, *exprs, unique=op.unique, _table=table, **dict(op.options))


def create_index(op: ops.CreateIndex, ctx: DialectContext) -> Iterator[Executable]:
    yield sa_schema.CreateIndex(index_for(op, ctx))


def drop_index(op: ops.DropIndex, ctx: DialectContext) -> Iterator[Executable]:
    d = ctx.sa_dialect
    name = quote(d, op.index_name or "")
    if op.schema:
        name = f"{quote(d, op.schema)}.{name}"
    yield RawDDL(f"DROP INDEX {name}")


def execute_sql(op: ops.ExecuteSQL, ctx: DialectContext) -> Iterator[Executable]:
    statement = text(op.statement) if isinstance(op.statement, str) else op.statement
    if op.execution_options:
        statement = statement.execution_options(**dict(op.execution_options))
    yield statement


def bulk_insert(op: ops.BulkInsert, ctx: DialectContext) -> Iterator[Executable]:
    if not op.rows:
        return
    if op.multiinsert:
        yield insert(op.table).values(list(op.rows))
    else:
        for row in op.rows:
            yield insert(op.table).values(dict(row))


GENERIC_HANDLERS: Mapping[type[ops.Operation], Handler] = {
    ops.CreateTable: create_table,
    ops.DropTable: drop_table,
    ops.RenameTable: rename_table,
    ops.AddColumn: add_column,
    ops.DropColumn: drop_column,
    ops.CreateIndex: create_index,
    ops.DropIndex: drop_index,
    ops.ExecuteSQL: execute_sql,
    ops.BulkInsert: bulk_insert,
}
