"""The ``op`` facade: what ``upgrade()`` and ``downgrade()`` call.

Each method builds an operation value and hands it to :meth:`Operations.invoke`, which asks
the dialect for statements and sends them to the sink. One hop from directive to SQL. The
names and arguments are Alembic's, so Alembic scripts run unchanged; directives registered
in an :class:`~sqlstrata.ops.registry.OperationRegistry` are found by attribute lookup.

Every directive ends in :meth:`Operations.invoke`, so a variant that collects operations
instead of running them (batch mode) overrides ``invoke`` and reuses the directives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

if TYPE_CHECKING:
    from sqlalchemy import Column, Connection, Table, TableClause
    from sqlalchemy.sql.base import Executable
    from sqlalchemy.sql.elements import ColumnElement, TextClause, conv
    from sqlalchemy.sql.schema import SchemaItem
    from sqlalchemy.types import TypeEngine

    from sqlstrata.batch.operations import BatchOperations
    from sqlstrata.dialects.ddl import InlineLiteral
    from sqlstrata.runtime.migration import MigrationContext

T = TypeVar("T")


def _given(value: Any) -> Any:
    """Alembic's ``False`` for "not given" becomes ``UNSET``."""
    return ops.UNSET if value is False else value


def _type(type_: Any) -> Any:
    """Accept a type class (``sa.String``) where a type instance is expected."""
    return type_() if isinstance(type_, type) else type_


def _names(columns: str | Sequence[str]) -> tuple[str, ...]:
    return (columns,) if isinstance(columns, str) else tuple(columns)


class Operations:
    """Schema-changing directives bound to one running migration."""

    def __init__(self, migration: MigrationContext) -> None:
        self.migration = migration

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        registry = getattr(self.migration, "operation_registry", None)
        directive = registry.directive(name) if registry is not None else None
        if directive is None:
            raise AttributeError(
                f"'op' has no directive {name!r}; register your own with "
                "OperationRegistry.register_operation() and context.configure(operations=...)."
            )

        def bound(*args: Any, **kw: Any) -> Any:
            return directive(self, *args, **kw)

        return bound

    # -- plumbing --------------------------------------------------------------------------
    def invoke(self, operation: ops.Operation) -> None:
        """Carry out ``operation`` on the current sink (database or SQL script)."""
        self.migration.invoke(operation)

    def get_context(self) -> MigrationContext:
        """The running MigrationContext (``autocommit_block()``, ``dialect``, ...)."""
        return self.migration

    def get_bind(self) -> Connection:
        """The connection migrations run on (not available in offline mode)."""
        return self.migration.bind

    def f(self, name: str) -> conv:
        """Mark ``name`` as final: naming conventions leave it as it is."""
        from sqlalchemy.sql.elements import conv

        return conv(name)

    def inline_literal(self, value: Any, type_: TypeEngine[Any] | None = None) -> InlineLiteral:
        """A value written into the SQL as a literal, so a statement also works offline."""
        from sqlstrata.dialects.ddl import InlineLiteral

        return InlineLiteral(value, type_)

    def run_async(
        self, async_function: Callable[..., Awaitable[T]], *args: Any, **kw_args: Any
    ) -> T:
        """Run ``async_function(async_connection, *args, **kw_args)`` on the migration's
        connection, which must come from an async engine (``connection.run_sync``)."""
        from sqlalchemy.ext.asyncio import AsyncConnection
        from sqlalchemy.util import await_

        bind = self.get_bind()
        if not bind.dialect.is_async:
            raise CommandError(
                "Can't run an async function: the migration's connection is not async.",
                hint="Use an async driver and run migrations through "
                "'await connection.run_sync(...)', as the async template does.",
            )
        async_connection = AsyncConnection._retrieve_proxy_for_target(bind)
        assert async_connection is not None
        return await_(async_function(async_connection, *args, **kw_args))

    # -- tables ----------------------------------------------------------------------------
    def create_table(
        self, table_name: str, *columns: SchemaItem, if_not_exists: bool | None = None, **kw: Any
    ) -> Table:
        """CREATE TABLE with columns, constraints and indexes; returns the Table.

        ``schema``, ``comment``, ``info``, ``prefixes`` and dialect arguments
        (``mysql_engine``, ...) are keyword arguments, as for ``sa.Table``.
        """
        schema = kw.pop("schema", None)
        comment = kw.pop("comment", None)
        operation = ops.CreateTable(
            table_name, columns, schema, comment, ops.as_options(kw), bool(if_not_exists)
        )
        self.invoke(operation)
        return operation.to_table()

    def drop_table(
        self,
        table_name: str,
        *,
        schema: str | None = None,
        if_exists: bool | None = None,
        **kw: Any,
    ) -> None:
        """DROP TABLE (on PostgreSQL also the enum types only it used;
        ``postgresql_drop_enums=False`` keeps them)."""
        self.invoke(
            ops.DropTable(table_name, schema, options=ops.as_options(kw), if_exists=bool(if_exists))
        )

    def rename_table(
        self, old_table_name: str, new_table_name: str, *, schema: str | None = None
    ) -> None:
        self.invoke(ops.RenameTable(old_table_name, new_table_name, schema))

    def create_table_comment(
        self,
        table_name: str,
        comment: str | None,
        *,
        existing_comment: str | None = None,
        schema: str | None = None,
    ) -> None:
        if comment is None:
            self.drop_table_comment(table_name, existing_comment=existing_comment, schema=schema)
            return
        self.invoke(ops.CreateTableComment(table_name, comment, existing_comment, schema))

    def drop_table_comment(
        self,
        table_name: str,
        *,
        existing_comment: str | None = None,
        schema: str | None = None,
    ) -> None:
        self.invoke(ops.DropTableComment(table_name, existing_comment, schema))

    # -- columns ---------------------------------------------------------------------------
    def add_column(
        self,
        table_name: str,
        column: Column[Any],
        *,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        inline_references: bool | None = None,
        inline_primary_key: bool | None = None,
    ) -> None:
        """ALTER TABLE ADD COLUMN, with the column's foreign keys, CHECKs and comment.

        ``unique=`` and ``index=`` on the Column are ignored, as in Alembic.
        """
        self.invoke(
            ops.AddColumn(
                table_name,
                column,
                schema,
                bool(if_not_exists),
                inline_references,
                inline_primary_key,
            )
        )

    def drop_column(
        self,
        table_name: str,
        column_name: str,
        *,
        schema: str | None = None,
        if_exists: bool | None = None,
        **kw: Any,
    ) -> None:
        """ALTER TABLE DROP COLUMN; ``mssql_drop_check`` / ``mssql_drop_foreign_key``
        drop the column's constraint of that kind first on SQL Server."""
        self.invoke(
            ops.DropColumn(
                table_name,
                column_name,
                schema,
                if_exists=bool(if_exists),
                options=ops.as_options(kw),
            )
        )

    def alter_column(
        self,
        table_name: str,
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
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column; ``comment`` / ``server_default`` of ``None`` remove them.

        Also takes ``autoincrement``, ``existing_autoincrement`` and dialect arguments such
        as ``postgresql_using``. MySQL needs ``existing_type`` (and should get the other
        ``existing_*`` values) to restate the column.
        """
        autoincrement = kw.pop("autoincrement", None)
        existing_autoincrement = kw.pop("existing_autoincrement", None)
        self.invoke(
            ops.AlterColumn(
                table_name,
                column_name,
                schema,
                modify_name=new_column_name,
                modify_type=_type(type_),
                modify_nullable=nullable,
                modify_server_default=_given(server_default),
                modify_comment=_given(comment),
                modify_autoincrement=autoincrement,
                existing_type=_type(existing_type),
                existing_nullable=existing_nullable,
                existing_server_default=_given(existing_server_default),
                existing_comment=existing_comment,
                existing_autoincrement=existing_autoincrement,
                options=ops.as_options(kw),
            )
        )

    # -- constraints -----------------------------------------------------------------------
    def create_primary_key(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
    ) -> None:
        self.invoke(ops.CreatePrimaryKey(constraint_name, table_name, _names(columns), schema))

    def create_foreign_key(
        self,
        constraint_name: str | None,
        source_table: str,
        referent_table: str,
        local_cols: Sequence[str],
        remote_cols: Sequence[str],
        *,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        source_schema: str | None = None,
        referent_schema: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        self.invoke(
            ops.CreateForeignKey(
                constraint_name,
                source_table,
                referent_table,
                _names(local_cols),
                _names(remote_cols),
                onupdate=onupdate,
                ondelete=ondelete,
                deferrable=deferrable,
                initially=initially,
                match=match,
                source_schema=source_schema,
                referent_schema=referent_schema,
                options=ops.as_options(dialect_kw),
            )
        )

    def create_unique_constraint(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        deferrable = kw.pop("deferrable", None)
        initially = kw.pop("initially", None)
        self.invoke(
            ops.CreateUniqueConstraint(
                constraint_name,
                table_name,
                _names(columns),
                schema,
                deferrable,
                initially,
                ops.as_options(kw),
            )
        )

    def create_check_constraint(
        self,
        constraint_name: str | None,
        table_name: str,
        condition: str | ColumnElement[bool] | TextClause,
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        self.invoke(
            ops.CreateCheckConstraint(
                constraint_name, table_name, condition, schema, ops.as_options(kw)
            )
        )

    def create_exclude_constraint(
        self, constraint_name: str | None, table_name: str, *elements: Any, **kw: Any
    ) -> None:
        """PostgreSQL EXCLUDE constraint: ``elements`` are ``(column, operator)`` pairs;
        ``where``, ``using`` (default gist), ``deferrable``, ``initially``, ``schema``."""
        self.invoke(
            ops.CreateExcludeConstraint(
                constraint_name,
                table_name,
                tuple((element, operator) for element, operator in elements),
                schema=kw.pop("schema", None),
                where=kw.pop("where", None),
                using=kw.pop("using", "gist"),
                deferrable=kw.pop("deferrable", None),
                initially=kw.pop("initially", None),
                options=ops.as_options(kw),
            )
        )

    def drop_constraint(
        self,
        constraint_name: str,
        table_name: str,
        type_: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool | None = None,
    ) -> None:
        """DROP CONSTRAINT; ``type_`` is "foreignkey", "primary", "unique" or "check"."""
        if type_ is not None and type_ not in ops.CONSTRAINT_TYPES:
            raise CommandError(
                f"Can't drop constraint {constraint_name!r}: unknown type_ {type_!r}.",
                hint=f"Use one of {', '.join(ops.CONSTRAINT_TYPES)}, or None.",
            )
        kind = cast("ops.ConstraintType | None", type_)
        self.invoke(ops.DropConstraint(constraint_name, table_name, kind, schema, bool(if_exists)))

    # -- indexes ---------------------------------------------------------------------------
    def create_index(
        self,
        index_name: str | None,
        table_name: str,
        columns: Sequence[str | TextClause | ColumnElement[Any]],
        *,
        schema: str | None = None,
        unique: bool = False,
        if_not_exists: bool | None = None,
        **kw: Any,
    ) -> None:
        """CREATE INDEX on column names or expressions.

        Dialect arguments: ``postgresql_where`` / ``sqlite_where`` (partial index),
        ``postgresql_using``, ``postgresql_include``, ``mysql_length``, ``mysql_prefix``, ...
        ``postgresql_concurrently=True`` must run outside a transaction:
        ``with op.get_context().autocommit_block(): op.create_index(...)``.
        """
        columns = [columns] if isinstance(columns, str) else columns
        self.invoke(
            ops.CreateIndex(
                index_name,
                table_name,
                tuple(columns),
                schema,
                unique,
                ops.as_options(kw),
                bool(if_not_exists),
            )
        )

    def drop_index(
        self,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool | None = None,
        **kw: Any,
    ) -> None:
        """DROP INDEX (MySQL and SQL Server need ``table_name``)."""
        self.invoke(
            ops.DropIndex(
                index_name,
                table_name,
                schema,
                options=ops.as_options(kw),
                if_exists=bool(if_exists),
            )
        )

    # -- sequences and enum types ----------------------------------------------------------
    def create_sequence(
        self,
        sequence_name: str,
        *,
        schema: str | None = None,
        if_not_exists: bool | None = None,
        **kw: Any,
    ) -> None:
        """CREATE SEQUENCE; ``start``, ``increment``, ``minvalue``... as for sa.Sequence."""
        self.invoke(
            ops.CreateSequence(sequence_name, schema, ops.as_options(kw), bool(if_not_exists))
        )

    def drop_sequence(
        self, sequence_name: str, *, schema: str | None = None, if_exists: bool | None = None
    ) -> None:
        self.invoke(ops.DropSequence(sequence_name, schema, bool(if_exists)))

    def create_enum(
        self, type_name: str, values: Sequence[str], *, schema: str | None = None
    ) -> None:
        """PostgreSQL CREATE TYPE ... AS ENUM."""
        self.invoke(ops.CreateEnum(type_name, tuple(values), schema))

    def drop_enum(
        self, type_name: str, *, schema: str | None = None, if_exists: bool | None = None
    ) -> None:
        """PostgreSQL DROP TYPE."""
        self.invoke(ops.DropEnum(type_name, schema, if_exists=bool(if_exists)))

    def add_enum_value(
        self,
        type_name: str,
        value: str,
        *,
        schema: str | None = None,
        before: str | None = None,
        after: str | None = None,
        if_not_exists: bool | None = None,
    ) -> None:
        """PostgreSQL ALTER TYPE ... ADD VALUE (cannot be undone)."""
        self.invoke(ops.AddEnumValue(type_name, value, schema, before, after, bool(if_not_exists)))

    # -- data ------------------------------------------------------------------------------
    def execute(
        self, sqltext: str | Executable, *, execution_options: Mapping[str, Any] | None = None
    ) -> None:
        """Run SQL text or a SQLAlchemy statement."""
        self.invoke(ops.ExecuteSQL(sqltext, ops.as_options(execution_options or {})))

    def bulk_insert(
        self,
        table: Table | TableClause,
        rows: Iterable[Mapping[str, Any]],
        *,
        multiinsert: bool = True,
    ) -> None:
        """INSERT rows (dicts keyed by column name) into ``table``."""
        self.invoke(ops.BulkInsert(table, tuple(rows), multiinsert))

    # -- batch mode ------------------------------------------------------------------------
    @contextmanager
    def batch_alter_table(
        self,
        table_name: str,
        schema: str | None = None,
        recreate: str = "auto",
        partial_reordering: Sequence[Sequence[str]] | None = None,
        copy_from: Table | None = None,
        table_args: Sequence[Any] = (),
        table_kwargs: Mapping[str, Any] | None = None,
        reflect_args: Sequence[Any] = (),
        reflect_kwargs: Mapping[str, Any] | None = None,
        naming_convention: Mapping[Any, str] | None = None,
    ) -> Iterator[BatchOperations]:
        """Collect column, constraint and index changes to one table; apply them at the end.

        ``recreate="auto"`` changes the table in place where the database can (everywhere
        but SQLite) and rebuilds it otherwise: new table, rows copied, old table dropped,
        new one renamed, indexes and triggers recreated. ``"always"`` rebuilds, ``"never"``
        refuses what cannot be done in place. Offline, a rebuild needs ``copy_from`` (the
        table as it is). See :mod:`sqlstrata.batch` for what a rebuild keeps and checks.
        """
        from sqlstrata.batch.operations import BatchOperations
        from sqlstrata.batch.request import BatchRequest, checked_recreate, naming
        from sqlstrata.batch.run import run_batch

        mode = checked_recreate(recreate)
        batch = BatchOperations(self.migration, table_name, schema)
        yield batch
        request = BatchRequest(
            table_name,
            schema,
            batch.entries,
            recreate=mode,
            partial_reordering=tuple(tuple(group) for group in partial_reordering or ()),
            copy_from=copy_from,
            table_args=tuple(table_args),
            table_kwargs=ops.as_options(table_kwargs or {}),
            reflect_args=tuple(reflect_args),
            reflect_kwargs=ops.as_options(reflect_kwargs or {}),
            naming_convention=naming(naming_convention),
        )
        run_batch(self.migration, request)
