"""The migration lock: one migrating process per database at a time.

Each database has its best tool, always one that the server (or the kernel) releases when the
holder dies, so a killed deploy never leaves a stuck lock:

- PostgreSQL: a session advisory lock on a dedicated connection; the holder sets that
  connection's ``application_name`` so waiters can say who it is.
- MySQL / MariaDB: ``GET_LOCK`` on a dedicated connection; waiters find the holder's
  connection in the process list.
- SQLite (file databases): an exclusive ``flock`` on ``<database>.strata-lock`` next to the
  database file; the holder writes host, pid and start time into it.
- Anything else: a lock row with a heartbeat (``lock_row.py``), which expires when its holder
  stops beating. ``migration_lock = table`` chooses it anywhere, ``none`` turns locking off.

The lock connection is separate from the migration connection and runs in autocommit, so
waiting never opens a snapshot in the migration's transaction, and releasing never depends on
how that transaction ended. The lock is released only after env.py has finished (and so
committed): releasing earlier would let a waiter read heads that are not yet committed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import IO, Protocol

from sqlalchemy import Connection, Table, text

from sqlstrata.errors import LockTimeoutError

Waiting = Callable[[str], None]

# The first of PostgreSQL's two advisory-lock keys: "ST" for sqlstrata.
PG_NAMESPACE = 0x5354


class MigrationLock(Protocol):
    def acquire(self, timeout: float, on_wait: Waiting) -> None: ...

    def confirm(self, connection: Connection) -> None:
        """Check at the start of a step, in its transaction, that the lock is still held."""

    def release(self) -> None: ...


LOCK_KINDS = ("auto", "table", "none")
# Seconds without a heartbeat after which a lock row is taken to belong to a dead process.
DEFAULT_LOCK_EXPIRY = 30.0


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def holder_description() -> str:
    """Who we are, as waiters will see it."""
    return f"strata host={socket.gethostname()} pid={os.getpid()} since={utc_now()}"


def wait_for(
    try_once: Callable[[], bool],
    describe_holder: Callable[[], str],
    timeout: float,
    on_wait: Waiting,
    what: str,
) -> None:
    """Call ``try_once`` until it gets the lock; say once who holds it; give up at
    ``timeout``."""
    deadline = time.monotonic() + timeout
    announced = False
    delay = 0.05
    while not try_once():
        if not announced:
            on_wait(describe_holder())
            announced = True
        if time.monotonic() >= deadline:
            raise LockTimeoutError(
                f"Can't get the migration lock on {what} within {timeout:g}s: "
                f"it is held by {describe_holder()}.",
                hint="Wait for that migration to finish, or raise --lock-timeout.",
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


class PostgresLock:
    """A session-level advisory lock held on a dedicated autocommit connection."""

    def __init__(self, migration_connection: Connection, name: str) -> None:
        self._engine = migration_connection.engine
        self.key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        self.name = name
        self._conn: Connection | None = None

    def acquire(self, timeout: float, on_wait: Waiting) -> None:
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._conn = conn
        params = {"a": PG_NAMESPACE, "b": self.key}

        def try_once() -> bool:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), params).scalar()
            return bool(got)

        try:
            wait_for(try_once, lambda: self._holder(conn), timeout, on_wait, self.name)
            conn.execute(
                text("SELECT set_config('application_name', :v, false)"),
                {"v": holder_description()[:63]},
            )
        except BaseException:
            self.release()
            raise

    def _holder(self, conn: Connection) -> str:
        row = conn.execute(
            text(
                "SELECT a.pid, a.application_name, a.client_addr, a.backend_start "
                "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.classid = :a AND l.objid = :b "
                "AND l.objsubid = 2 AND l.granted"
            ),
            {"a": PG_NAMESPACE, "b": self.key},
        ).first()
        if row is None:
            return "another session (it just finished)"
        who = row.application_name or "a session"
        return f"{who} (server pid {row.pid}, client {row.client_addr or 'local'})"

    def confirm(self, connection: Connection) -> None:
        return None  # the server holds it until this process's connection goes away

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute(
                text("SELECT pg_advisory_unlock(:a, :b)"), {"a": PG_NAMESPACE, "b": self.key}
            )
        finally:
            conn.close()


class MySQLLock:
    """A named lock (``GET_LOCK``) held on a dedicated autocommit connection.

    MySQL shows a waiter the holder's connection, not its process, so once the holder starts
    migrating it also writes who it is into the lock table (``board``), keyed by its
    connection id; a row left by a killed holder names another connection and is ignored.
    """

    def __init__(self, migration_connection: Connection, name: str, board: Table) -> None:
        self._engine = migration_connection.engine
        self.name = name
        self.lock_name = _mysql_lock_name(name)
        self.board = board
        self._conn: Connection | None = None
        self._announced_as: str | None = None
        self._announce_tried = False

    def acquire(self, timeout: float, on_wait: Waiting) -> None:
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._conn = conn
        if "." not in self.name:
            # Named locks are server-wide: two databases on one server must not share one.
            database = conn.execute(text("SELECT DATABASE()")).scalar()
            self.lock_name = _mysql_lock_name(f"{database}.{self.name}")

        def try_once() -> bool:
            got = conn.execute(text("SELECT GET_LOCK(:n, 0)"), {"n": self.lock_name}).scalar()
            return got == 1

        try:
            wait_for(try_once, lambda: self._holder(conn), timeout, on_wait, self.name)
        except BaseException:
            self.release()
            raise

    def _announce(self, conn: Connection) -> None:
        from sqlalchemy import delete, exc, insert

        from sqlstrata.runtime.lock_row import ensure_lock_table

        board = self.board
        try:
            ensure_lock_table(conn, board)
            me = str(conn.execute(text("SELECT CONNECTION_ID()")).scalar())
            conn.execute(delete(board).where(board.c.name == self.lock_name))
            conn.execute(
                insert(board).values(
                    name=self.lock_name,
                    token=me,
                    holder=holder_description()[:255],
                    acquired_at=utc_now(),
                    heartbeat=0,
                )
            )
            self._announced_as = me
        except exc.DBAPIError as error:  # e.g. no CREATE privilege: waiters see less
            logging.getLogger("sqlstrata.lock").debug("Lock holder not announced: %s", error)

    def _holder(self, conn: Connection) -> str:
        from sqlalchemy import exc, select

        holder_id = conn.execute(text("SELECT IS_USED_LOCK(:n)"), {"n": self.lock_name}).scalar()
        if holder_id is None:
            return "another session (it just finished)"
        row = conn.execute(
            text("SELECT host, time FROM information_schema.processlist WHERE id = :i"),
            {"i": holder_id},
        ).first()
        where = f"connection {holder_id}"
        if row is not None:
            where += f" from {row.host}, holding it for {row.time}s"
        board = self.board
        try:
            who = conn.execute(
                select(board.c.holder).where(
                    board.c.name == self.lock_name, board.c.token == str(holder_id)
                )
            ).scalar()
        except exc.DBAPIError:
            who = None
        return f"{who} ({where})" if who else where

    def confirm(self, connection: Connection) -> None:
        """The server holds the lock until this process's connection goes away; at the
        first step (so never for a command that fails before changing anything) say who
        holds it."""
        if self._conn is not None and not self._announce_tried:
            self._announce_tried = True
            self._announce(self._conn)

    def release(self) -> None:
        from sqlalchemy import delete, exc

        conn, self._conn = self._conn, None
        if conn is None:
            return
        board, me, self._announced_as = self.board, self._announced_as, None
        try:
            if me is not None:
                with contextlib.suppress(exc.DBAPIError):
                    conn.execute(
                        delete(board).where(board.c.name == self.lock_name, board.c.token == me)
                    )
            conn.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": self.lock_name})
        finally:
            conn.close()


def _mysql_lock_name(name: str) -> str:
    # MySQL limits lock names to 64 characters; the checksum keeps long names apart.
    return f"sqlstrata:{zlib.crc32(name.encode()):08x}:{name}"[:64]


class SQLiteFileLock:
    """An exclusive flock on a file next to the database."""

    def __init__(self, database_path: str) -> None:
        self.path = f"{database_path}.strata-lock"
        self._file: IO[str] | None = None

    def acquire(self, timeout: float, on_wait: Waiting) -> None:
        import fcntl

        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        self._file = handle

        def try_once() -> bool:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        try:
            wait_for(try_once, self._holder, timeout, on_wait, self.path)
        except BaseException:
            self.release()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"holder": holder_description()}))
        handle.flush()

    def _holder(self) -> str:
        try:
            with open(self.path, encoding="utf-8") as f:
                return str(json.loads(f.read() or "{}").get("holder", "another process"))
        except (OSError, ValueError):
            return "another process"

    def confirm(self, connection: Connection) -> None:
        return None  # the kernel holds it until this process closes the file

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            handle.close()  # closing the descriptor releases the flock


class NoLock:
    """For databases no other process can reach (SQLite in memory) and offline scripts."""

    def acquire(self, timeout: float, on_wait: Waiting) -> None:
        return None

    def confirm(self, connection: Connection) -> None:
        return None

    def release(self) -> None:
        return None


def lock_for(
    connection: Connection | None,
    name: str,
    *,
    kind: str,
    table: Table,
    expiry: float,
) -> MigrationLock:
    """The lock suited to the database behind ``connection`` (None: offline, no lock).

    ``kind`` is ``auto`` (the database's own lock, else the lock row), ``table`` (the lock
    row) or ``none``. ``table`` is the lock table: the lock row's, and where a MySQL holder
    says who it is.
    """
    if connection is None or kind == "none":
        return NoLock()
    dialect = connection.dialect.name
    if kind == "auto":
        if dialect == "postgresql":
            return PostgresLock(connection, name)
        if dialect in ("mysql", "mariadb"):
            return MySQLLock(connection, name, board=table)
        if dialect == "sqlite":
            database = connection.engine.url.database
            if not database or database == ":memory:" or database.startswith("file::memory:"):
                return NoLock()  # nobody else can reach this database
            return SQLiteFileLock(os.path.abspath(database))
    from sqlstrata.runtime.lock_row import TableLock

    return TableLock(connection, table, name, expiry)
