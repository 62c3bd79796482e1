"""Table operations: create, drop, rename, and table comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlstrata.ops.base import Operation, Options, irreversible

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Table
    from sqlalchemy.sql.schema import SchemaItem


@dataclass(frozen=True, slots=True, eq=False)
class CreateTable(Operation):
    """``CREATE TABLE`` with its columns, constraints and indexes.

    ``options`` are the remaining ``Table()`` keyword arguments: ``info``, ``prefixes`` and
    dialect arguments such as ``mysql_engine``.
    """

    table_name: str
    items: tuple[SchemaItem, ...]
    schema: str | None = None
    comment: str | None = None
    options: Options = ()
    if_not_exists: bool = False

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
        return DropTable(
            self.table_name,
            self.schema,
            self.items,
            self.comment,
            self.options,
            if_exists=self.if_not_exists,
        )


@dataclass(frozen=True, slots=True, eq=False)
class DropTable(Operation):
    """``DROP TABLE``; ``items`` (the columns, if known) make it reversible."""

    table_name: str
    schema: str | None = None
    items: tuple[SchemaItem, ...] = ()
    comment: str | None = None
    options: Options = ()
    if_exists: bool = False

    def reverse(self) -> CreateTable:
        if not self.items:
            raise irreversible(f"drop_table {self.table_name!r}", "the table's columns are unknown")
        return CreateTable(
            self.table_name,
            self.items,
            self.schema,
            self.comment,
            self.options,
            if_not_exists=self.if_exists,
        )


@dataclass(frozen=True, slots=True, eq=False)
class RenameTable(Operation):
    """Rename a table within its schema."""

    table_name: str
    new_table_name: str
    schema: str | None = None

    def reverse(self) -> RenameTable:
        return RenameTable(self.new_table_name, self.table_name, self.schema)


@dataclass(frozen=True, slots=True, eq=False)
class CreateTableComment(Operation):
    """Set a table's comment; ``existing_comment`` makes it reversible."""

    table_name: str
    comment: str
    existing_comment: str | None = None
    schema: str | None = None

    def reverse(self) -> CreateTableComment | DropTableComment:
        if self.existing_comment is None:
            return DropTableComment(self.table_name, self.comment, self.schema)
        return CreateTableComment(self.table_name, self.existing_comment, self.comment, self.schema)


@dataclass(frozen=True, slots=True, eq=False)
class DropTableComment(Operation):
    """Remove a table's comment; ``existing_comment`` makes it reversible."""

    table_name: str
    existing_comment: str | None = None
    schema: str | None = None

    def reverse(self) -> CreateTableComment:
        if self.existing_comment is None:
            raise irreversible(
                f"drop_table_comment on {self.table_name!r}", "the existing comment is unknown"
            )
        return CreateTableComment(self.table_name, self.existing_comment, None, self.schema)
