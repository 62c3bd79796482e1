"""Operation values: one frozen dataclass per kind of schema change.

Operations carry data and ``reverse()``, nothing else. Dialects turn them into SQL, the
renderer prints them, the linter inspects them. They hold SQLAlchemy schema objects
(columns, constraints), which compare as SQL expressions, so equality is by identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlstrata.errors import IrreversibleError

if TYPE_CHECKING:
    from sqlalchemy import Column, MetaData, Table
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.schema import SchemaItem


class Operation:
    """Base of every operation."""

    __slots__ = ()

    def reverse(self) -> Operation:
        raise IrreversibleError(
            f"Can't reverse {type(self).__name__}: it has no inverse operation."
        )


def as_options(kw: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(kw.items()))


@dataclass(frozen=True, slots=True, eq=False)
class CreateTable(Operation):
    table_name: str
    items: tuple[SchemaItem, ...]
    schema: str | None = None
    comment: str | None = None
    options: tuple[tuple[str, Any], ...] = ()

    def to_table(self, metadata: MetaData | None = None) -> Table:
        """The SQLAlchemy Table this operation creates.

        A Column belongs to one Table only, so once the items are attached (the dialect
        built the table to emit CREATE TABLE), later calls return that same table.
        """
        from sqlalchemy import Column, MetaData, Table

        for item in self.items:
            if isinstance(item, Column):
                owner = getattr(item, "table", None)
                if isinstance(owner, Table) and owner.name == self.table_name:
                    return owner
                break
        return Table(
            self.table_name,
            metadata if metadata is not None else MetaData(),
            *self.items,
            schema=self.schema,
            comment=self.comment,
            **dict(self.options),
        )

    def reverse(self) -> DropTable:
        return DropTable(self.table_name, self.schema, self.items, self.comment, self.options)


@dataclass(frozen=True, slots=True, eq=False)
class DropTable(Operation):
    table_name: str
    schema: str | None = None
    items: tuple[SchemaItem, ...] = ()
    comment: str | None = None
    options: tuple[tuple[str, Any], ...] = ()

    def reverse(self) -> CreateTable:
        if not self.items:
            raise IrreversibleError("Can't reverse drop_table: the table's columns are unknown")
        return CreateTable(self.table_name, self.items, self.schema, self.comment, self.options)


@dataclass(frozen=True, slots=True, eq=False)
class RenameTable(Operation):
    old_name: str
    new_name: str
    schema: str | None = None

    def reverse(self) -> RenameTable:
        return RenameTable(self.new_name, self.old_name, self.schema)


@dataclass(frozen=True, slots=True, eq=False)
class AddColumn(Operation):
    table_name: str
    column: Column[Any]
    schema: str | None = None

    def reverse(self) -> DropColumn:
        return DropColumn(self.table_name, self.column.name, self.schema, self.column)


@dataclass(frozen=True, slots=True, eq=False)
class DropColumn(Operation):
    table_name: str
    column_name: str
    schema: str | None = None
    column: Column[Any] | None = None

    def reverse(self) -> AddColumn:
        if self.column is None:
            raise IrreversibleError("Can't reverse drop_column: the column's type is unknown")
        return AddColumn(self.table_name, self.column, self.schema)


@dataclass(frozen=True, slots=True, eq=False)
class CreateIndex(Operation):
    index_name: str | None
    table_name: str
    columns: tuple[Any, ...]
    schema: str | None = None
    unique: bool = False
    options: tuple[tuple[str, Any], ...] = ()

    def reverse(self) -> DropIndex:
        return DropIndex(self.index_name, self.table_name, self.schema, self)


@dataclass(frozen=True, slots=True, eq=False)
class DropIndex(Operation):
    index_name: str | None
    table_name: str | None = None
    schema: str | None = None
    created_by: CreateIndex | None = None
    options: tuple[tuple[str, Any], ...] = ()

    def reverse(self) -> CreateIndex:
        if self.created_by is None:
            raise IrreversibleError("Can't reverse drop_index: the index's columns are unknown")
        return self.created_by


@dataclass(frozen=True, slots=True, eq=False)
class ExecuteSQL(Operation):
    """Run SQL text or a SQLAlchemy statement as it is."""

    statement: str | Executable
    execution_options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class BulkInsert(Operation):
    table: Table
    rows: tuple[Mapping[str, Any], ...]
    multiinsert: bool = True
