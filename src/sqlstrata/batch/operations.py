"""BatchOperations: the object ``with op.batch_alter_table(...) as batch:`` yields.

Its directives are Alembic's batch directives: those of ``op`` without the table name (and
schema), plus ``insert_before`` / ``insert_after`` on ``add_column`` and ``alter_column``.
Each one builds the same operation value ``op`` would (through an ``Operations`` whose
``invoke`` collects instead of running), so arguments mean exactly what they mean on ``op``.
Nothing runs until the block ends; then :func:`~sqlstrata.batch.run.run_batch` applies
them all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlstrata.batch.request import BatchEntry
from sqlstrata.ops import operations as ops
from sqlstrata.ops.facade import Operations

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.sql.elements import ColumnElement, TextClause
    from sqlalchemy.types import TypeEngine

    from sqlstrata.runtime.migration import MigrationContext


class _Collector(Operations):
    """``op`` directives that record their operation instead of running it."""

    def __init__(self, migration: MigrationContext) -> None:
        super().__init__(migration)
        self.collected: list[ops.Operation] = []

    def invoke(self, operation: ops.Operation) -> None:
        self.collected.append(operation)


class BatchOperations:
    """Directives on one table, collected and applied when the batch block ends."""

    def __init__(self, migration: MigrationContext, table_name: str, schema: str | None) -> None:
        self.table_name = table_name
        self.schema = schema
        self._collector = _Collector(migration)
        self._entries: list[BatchEntry] = []

    @property
    def entries(self) -> tuple[BatchEntry, ...]:
        """The operations collected so far, in order."""
        return tuple(self._entries)

    def get_context(self) -> MigrationContext:
        return self._collector.migration

    def _record(self, insert_before: str | None = None, insert_after: str | None = None) -> None:
        (operation,) = self._collector.collected
        self._collector.collected.clear()
        self._entries.append(BatchEntry(operation, insert_before, insert_after))

    # -- columns ---------------------------------------------------------------------------
    def add_column(
        self,
        column: Column[Any],
        *,
        insert_before: str | None = None,
        insert_after: str | None = None,
        if_not_exists: bool | None = None,
    ) -> None:
        """Add ``column``; ``insert_before`` / ``insert_after`` place it when the table is
        rebuilt (otherwise it goes last)."""
        self._collector.add_column(
            self.table_name, column, schema=self.schema, if_not_exists=if_not_exists
        )
        self._record(insert_before, insert_after)

    def drop_column(self, column_name: str, **kw: Any) -> None:
        self._collector.drop_column(self.table_name, column_name, schema=self.schema, **kw)
        self._record()

    def alter_column(
        self,
        column_name: str,
        *,
        nullable: bool | None = None,
        comment: str | bool | None = False,
        server_default: Any = False,
        new_column_name: str | None = None,
        type_: TypeEngine[Any] | type[TypeEngine[Any]] | None = None,
        existing_type: TypeEngine[Any] | type[TypeEngine[Any]] | None = None,
        existing_server_default: Any = False,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        insert_before: str | None = None,
        insert_after: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column as ``op.alter_column`` does; in a rebuild the ``existing_*``
        values are not needed (the table is known)."""
        self._collector.alter_column(
            self.table_name,
            column_name,
            nullable=nullable,
            comment=comment,
            server_default=server_default,
            new_column_name=new_column_name,
            type_=type_,
            existing_type=existing_type,
            existing_server_default=existing_server_default,
            existing_nullable=existing_nullable,
            existing_comment=existing_comment,
            schema=self.schema,
            **kw,
        )
        self._record(insert_before, insert_after)

    # -- constraints -----------------------------------------------------------------------
    def create_primary_key(self, constraint_name: str | None, columns: Sequence[str]) -> None:
        self._collector.create_primary_key(
            constraint_name, self.table_name, columns, schema=self.schema
        )
        self._record()

    def create_foreign_key(
        self,
        constraint_name: str | None,
        referent_table: str,
        local_cols: Sequence[str],
        remote_cols: Sequence[str],
        *,
        referent_schema: str | None = None,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        self._collector.create_foreign_key(
            constraint_name,
            self.table_name,
            referent_table,
            local_cols,
            remote_cols,
            onupdate=onupdate,
            ondelete=ondelete,
            deferrable=deferrable,
            initially=initially,
            match=match,
            source_schema=self.schema,
            referent_schema=referent_schema,
            **dialect_kw,
        )
        self._record()

    def create_unique_constraint(
        self, constraint_name: str | None, columns: Sequence[str], **kw: Any
    ) -> None:
        self._collector.create_unique_constraint(
            constraint_name, self.table_name, columns, schema=self.schema, **kw
        )
        self._record()

    def create_check_constraint(
        self,
        constraint_name: str | None,
        condition: str | ColumnElement[bool] | TextClause,
        **kw: Any,
    ) -> None:
        self._collector.create_check_constraint(
            constraint_name, self.table_name, condition, schema=self.schema, **kw
        )
        self._record()

    def drop_constraint(self, constraint_name: str, type_: str | None = None) -> None:
        self._collector.drop_constraint(constraint_name, self.table_name, type_, schema=self.schema)
        self._record()

    # -- indexes ---------------------------------------------------------------------------
    def create_index(
        self,
        index_name: str | None,
        columns: Sequence[str | TextClause | ColumnElement[Any]],
        **kw: Any,
    ) -> None:
        self._collector.create_index(index_name, self.table_name, columns, schema=self.schema, **kw)
        self._record()

    def drop_index(self, index_name: str, **kw: Any) -> None:
        self._collector.drop_index(index_name, self.table_name, schema=self.schema, **kw)
        self._record()

    # -- table comment ---------------------------------------------------------------------
    def create_table_comment(
        self, comment: str | None, *, existing_comment: str | None = None
    ) -> None:
        self._collector.create_table_comment(
            self.table_name, comment, existing_comment=existing_comment, schema=self.schema
        )
        self._record()

    def drop_table_comment(self, *, existing_comment: str | None = None) -> None:
        self._collector.drop_table_comment(
            self.table_name, existing_comment=existing_comment, schema=self.schema
        )
        self._record()
