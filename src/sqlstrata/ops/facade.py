"""The ``op`` facade: what ``upgrade()`` and ``downgrade()`` call.

Each method builds an operation value and hands it to :meth:`Operations.invoke`, which asks the
dialect for statements and sends them to the sink. One hop from directive to SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlstrata.ops import operations as ops

if TYPE_CHECKING:
    from sqlalchemy import Column, Connection, Table
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.elements import conv
    from sqlalchemy.sql.schema import SchemaItem

    from sqlstrata.runtime.migration import MigrationContext


class Operations:
    """Schema-changing directives bound to one running migration."""

    def __init__(self, migration: MigrationContext) -> None:
        self.migration = migration

    # -- plumbing --------------------------------------------------------------------------
    def invoke(self, operation: ops.Operation) -> None:
        """Carry out ``operation`` on the current sink (database or SQL script)."""
        self.migration.invoke(operation)

    def get_context(self) -> MigrationContext:
        return self.migration

    def get_bind(self) -> Connection:
        return self.migration.bind

    def f(self, name: str) -> conv:
        """Mark ``name`` as final: naming conventions leave it as it is."""
        from sqlalchemy.sql.elements import conv

        return conv(name)

    def inline_literal(self, value: Any, type_: Any = None) -> Any:
        """A literal rendered inline in SQL, for statements that must also work offline."""
        from sqlalchemy import literal

        return literal(value, type_)

    # -- tables ----------------------------------------------------------------------------
    def create_table(
        self, table_name: str, *items: SchemaItem, schema: str | None = None, **kw: Any
    ) -> Table:
        comment = kw.pop("comment", None)
        operation = ops.CreateTable(table_name, items, schema, comment, ops.as_options(kw))
        self.invoke(operation)
        return operation.to_table()

    def drop_table(self, table_name: str, *, schema: str | None = None, **kw: Any) -> None:
        self.invoke(ops.DropTable(table_name, schema, options=ops.as_options(kw)))

    def rename_table(
        self, old_table_name: str, new_table_name: str, *, schema: str | None = None
    ) -> None:
        self.invoke(ops.RenameTable(old_table_name, new_table_name, schema))

    # -- columns ---------------------------------------------------------------------------
    def add_column(
        self, table_name: str, column: Column[Any], *, schema: str | None = None
    ) -> None:
        self.invoke(ops.AddColumn(table_name, column, schema))

    def drop_column(
        self, table_name: str, column_name: str, *, schema: str | None = None, **kw: Any
    ) -> None:
        self.invoke(ops.DropColumn(table_name, column_name, schema))

    # -- indexes ---------------------------------------------------------------------------
    def create_index(
        self,
        index_name: str | None,
        table_name: str,
        columns: Sequence[Any],
        *,
        schema: str | None = None,
        unique: bool = False,
        **kw: Any,
    ) -> None:
        self.invoke(
            ops.CreateIndex(
                index_name, table_name, tuple(columns), schema, unique, ops.as_options(kw)
            )
        )

    def drop_index(
        self,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        self.invoke(ops.DropIndex(index_name, table_name, schema, options=ops.as_options(kw)))

    # -- data ------------------------------------------------------------------------------
    def execute(
        self, sqltext: str | Executable, *, execution_options: Mapping[str, Any] | None = None
    ) -> None:
        self.invoke(ops.ExecuteSQL(sqltext, ops.as_options(execution_options or {})))

    def bulk_insert(
        self, table: Table, rows: Iterable[Mapping[str, Any]], *, multiinsert: bool = True
    ) -> None:
        self.invoke(ops.BulkInsert(table, tuple(rows), multiinsert))
