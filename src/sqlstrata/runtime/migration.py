"""MigrationContext: one configured run against one database (or one SQL script).

It owns the sink, the dialect, the version table description and the transaction rules. It
does not decide what to run: the runner walks a Plan and calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, MetaData, Table
from sqlalchemy.sql.base import Executable

from sqlstrata.dialects.base import Dialect, DialectContext
from sqlstrata.errors import CommandError
from sqlstrata.ops.operations import ExecuteSQL, Operation
from sqlstrata.ops.registry import OperationRegistry
from sqlstrata.runtime import history, ledger
from sqlstrata.runtime.lock import DEFAULT_LOCK_EXPIRY, MigrationLock, lock_for
from sqlstrata.runtime.logs import migration_log
from sqlstrata.runtime.recorder import HistoryRecorder
from sqlstrata.runtime.sinks import ScriptSink, Sink
from sqlstrata.runtime.sqlite_tx import SQLiteTransactionTakeover, takes_over


@dataclass(frozen=True, slots=True)
class MigrationOptions:
    """What env.py passed to ``context.configure()`` that governs running."""

    version_table: str = "strata_version"
    version_table_schema: str | None = None
    version_table_pk: bool = True
    history_table: str | None = None
    migration_lock: str = "auto"
    migration_lock_expiry: float = DEFAULT_LOCK_EXPIRY
    transaction_per_migration: bool = False
    transactional_ddl: bool | None = None
    literal_binds: bool = False
    starting_rev: str | None = None
    tag: str | None = None
    on_version_apply: Callable[..., None] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class _RunTransaction:
    """A transaction that commits whatever transaction the connection has at exit.

    ``autocommit_block()`` commits and re-begins underneath; a plain SQLAlchemy transaction
    object would then commit the old, finished one and leave the new one open.
    """

    def __init__(self, connection: Connection, on_end: Callable[[], None] | None = None) -> None:
        self.connection = connection
        self.on_end = on_end

    def __enter__(self) -> _RunTransaction:
        if self.connection.in_transaction():
            self.connection.commit()
        self.connection.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self.connection.in_transaction():
                return
            if exc_type is None:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            if self.on_end is not None:
                self.on_end()


class MigrationContext:
    """A configured migration run: where statements go and how transactions work."""

    def __init__(
        self,
        *,
        dialect: Dialect,
        sink: Sink,
        options: MigrationOptions,
        connection: Connection | None = None,
        target_metadata: MetaData | None = None,
        operations: OperationRegistry | None = None,
    ) -> None:
        self.operation_registry = operations or OperationRegistry()
        self.impl = self.operation_registry.apply(dialect)
        self.sink = sink
        self.options = options
        self.connection = connection
        self.target_metadata = target_metadata
        self.as_sql = sink.offline
        self.version_table: Table = ledger.version_table(
            options.version_table,
            options.version_table_schema,
            primary_key=options.version_table_pk,
        )
        self.history_table: Table = history.history_table(
            options.history_table or history.history_table_name(options.version_table),
            options.version_table_schema,
        )
        self._lock: MigrationLock | None = None
        self._takeover: SQLiteTransactionTakeover | None = None
        if connection is not None and takes_over(connection):
            self._takeover = SQLiteTransactionTakeover(connection)
        self.dialect_context = DialectContext(sink.sa_dialect, target_metadata, connection)

    # -- what scripts see ------------------------------------------------------------------
    @property
    def dialect(self) -> Any:
        """The SQLAlchemy dialect in use."""
        return self.sink.sa_dialect

    @property
    def bind(self) -> Connection:
        if self.connection is None:
            raise CommandError(
                "Can't get a connection in offline (--sql) mode: there is none.",
                hint="Write statements with op.execute() so they work in a SQL script.",
            )
        return self.connection

    @property
    def opts(self) -> Mapping[str, Any]:
        return {**self.options.extra, "as_sql": self.as_sql}

    @property
    def transactional_ddl(self) -> bool:
        if self.options.transactional_ddl is not None:
            return self.options.transactional_ddl
        return self.impl.transactional_ddl

    def invoke(self, operation: Operation) -> None:
        for statement in self.impl.statements(operation, self.dialect_context):
            self.sink.execute(statement)

    def execute(
        self, sql: str | Executable, execution_options: Mapping[str, Any] | None = None
    ) -> None:
        self.invoke(ExecuteSQL(sql, tuple(sorted((execution_options or {}).items()))))

    # -- version table ---------------------------------------------------------------------
    def get_current_heads(self) -> tuple[str, ...]:
        if self.connection is None:
            raise CommandError(
                "Can't read the version table in offline (--sql) mode.",
                hint="Give the starting revision as START:END.",
            )
        return ledger.read_heads(self.connection, self.version_table)

    def get_current_revision(self) -> str | None:
        heads = self.get_current_heads()
        if len(heads) > 1:
            raise CommandError(
                "Can't give one current revision: "
                f"the database has several heads ({', '.join(heads)}).",
                hint="Use get_current_heads().",
            )
        return heads[0] if heads else None

    def version_table_exists(self) -> bool:
        if self.connection is None:
            return False
        return ledger.version_table_exists(self.connection, self.version_table)

    # -- transactions ----------------------------------------------------------------------
    def begin_transaction(self, *, per_migration: bool = False) -> AbstractContextManager[Any]:
        """The transaction for the whole run, or (``per_migration``) for one migration.

        Only one of the two levels opens a transaction, chosen by ``transaction_per_migration``.
        """
        if per_migration != self.options.transaction_per_migration:
            return nullcontext()
        if isinstance(self.sink, ScriptSink):
            return self._script_transaction(self.sink)
        assert self.connection is not None
        if not per_migration and self.connection.in_transaction():
            # env.py began a transaction itself (engine.begin()); it will end it.
            return nullcontext()
        if per_migration:
            return _RunTransaction(self.connection)
        # The run's own transaction: once it has ended, the lock may go.
        return _RunTransaction(self.connection, on_end=self.release_lock)

    @contextmanager
    def _script_transaction(self, sink: ScriptSink) -> Iterator[None]:
        if not self.transactional_ddl:
            yield
            return
        sink.write("BEGIN")
        yield
        sink.write("COMMIT")

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        """Run the enclosed statements outside any transaction (e.g. CREATE INDEX CONCURRENTLY)."""
        if isinstance(self.sink, ScriptSink):
            if self.transactional_ddl:
                self.sink.write("COMMIT")
            yield
            if self.transactional_ddl:
                self.sink.write("BEGIN")
            return
        connection = self.bind
        if connection.in_transaction():
            connection.commit()
        if self._takeover is not None:
            self._takeover.suspended = True
            try:
                yield
            finally:
                self._takeover.suspended = False
        else:
            # Asking the server for the level would begin a transaction; the options know it.
            saved = connection.get_execution_options().get(
                "isolation_level", connection.default_isolation_level
            )
            connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                yield
            finally:
                if connection.in_transaction():
                    connection.commit()
                connection.execution_options(isolation_level=saved)
        if connection.in_transaction():
            connection.commit()
        connection.begin()

    # -- lock and history -----------------------------------------------------------------
    def hold_lock(self, timeout: float) -> None:
        """Take the database's migration lock until :meth:`close` (no-op offline)."""
        if self._lock is not None:
            return
        from sqlstrata.runtime.lock_row import lock_table, lock_table_name

        options = self.options
        lock = lock_for(
            self.connection,
            self.version_table.fullname,
            kind=options.migration_lock,
            table=lock_table(lock_table_name(options.version_table), options.version_table_schema),
            expiry=options.migration_lock_expiry,
        )
        lock.acquire(
            timeout,
            lambda holder: migration_log().warning("Waiting for the migration lock: %s", holder),
        )
        self._lock = lock

    def confirm_lock(self) -> None:
        """At the start of a step: fail it if the migration lock was lost meanwhile."""
        if self._lock is not None and self.connection is not None:
            self._lock.confirm(self.connection)

    def read_history(self) -> tuple[history.HistoryEntry, ...]:
        if self.connection is None:
            return ()
        return history.read(self.connection, self.history_table)

    def recorder(self) -> HistoryRecorder | None:
        if self.connection is None:
            return None
        return HistoryRecorder(self.connection, self.history_table, self.transactional_ddl)

    def release_lock(self) -> None:
        """Release the migration lock (only ever after the run's changes are committed)."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def release_lock_if_committed(self) -> None:
        """Release the lock now unless a transaction is still open on the connection."""
        if self.connection is not None and not self.connection.in_transaction():
            self.release_lock()

    def close(self) -> None:
        """Undo what configuring did to the connection and release the lock if still held.

        Called once env.py has finished, so after its transaction committed. With an async
        driver the event loop may be gone by now; the lock connection is then dropped and the
        server releases the lock when it closes.
        """
        try:
            self.release_lock()
        except Exception as exc:
            migration_log().debug("Could not release the migration lock explicitly: %s", exc)
        if self._takeover is not None:
            self._takeover.restore()
            self._takeover = None
