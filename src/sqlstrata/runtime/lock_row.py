"""The lock row: the migration lock for databases with no lock of their own.

A table ``strata_lock`` (``<version table>_lock`` next to another version table) holds one row
per locked version table: a random token, who holds it (host, pid, since when) and a heartbeat
counter. The holder inserts the row, bumps the counter from a background thread while it works
and deletes the row when it is done.

A killed holder can't delete its row, so the row expires. Expiry never compares clocks (two
hosts' clocks need not agree): a waiter watches the counter, and when the counter has not moved
for ``expiry`` seconds of the waiter's own clock, it takes the row over with an UPDATE that
succeeds only if token and counter are still what it saw.

A live holder must never look dead, and it must never go on once it has lost the row. So at the
start of each migration step the holder bumps the counter inside the step's own transaction
(:meth:`TableLock.confirm`): it fails the step if the row is no longer its own, and until the
step commits the row stays locked, so a waiter's takeover blocks (bounded by a short lock wait)
and counts as a sign of life instead of succeeding.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy import exc as sa_exc

from sqlstrata.errors import LockLostError
from sqlstrata.runtime.lock import Waiting, holder_description, utc_now, wait_for

log = logging.getLogger("sqlstrata.lock")

# Seconds a statement on the lock row may wait for a row lock before it counts as "busy".
LOCK_WAIT_SECONDS = 2


def lock_table_name(version_table: str) -> str:
    """``strata_lock`` next to ``strata_version``; ``<version table>_lock`` otherwise."""
    return "strata_lock" if version_table == "strata_version" else f"{version_table}_lock"


def lock_table(name: str, schema: str | None = None) -> Table:
    return Table(
        name,
        MetaData(),
        # 191 characters: the longest utf8mb4 key older MySQL versions can index.
        Column("name", String(191), primary_key=True),
        Column("token", String(32), nullable=False),
        Column("holder", String(255), nullable=False),
        Column("acquired_at", String(32), nullable=False),
        Column("heartbeat", Integer, nullable=False),
        schema=schema,
    )


def ensure_lock_table(conn: Connection, table: Table) -> None:
    """Create the lock table unless it exists (on an autocommit connection)."""
    try:
        table.create(conn, checkfirst=True)
    except sa_exc.DBAPIError:
        # Another process created it between our check and our CREATE.
        if not inspect(conn).has_table(table.name, schema=table.schema):
            raise


def bound_lock_waits(conn: Connection) -> None:
    """Make statements on ``conn`` give up after a short wait for a row or database lock."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.exec_driver_sql(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
    elif dialect in ("mysql", "mariadb"):
        conn.exec_driver_sql(f"SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_SECONDS}")
    elif dialect == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_WAIT_SECONDS * 1000}")


def _open(engine: Engine) -> Connection:
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    bound_lock_waits(conn)
    return conn


def _discard(conn: Connection) -> None:
    """Close ``conn`` without returning its session settings to the pool."""
    try:
        conn.invalidate()
    finally:
        conn.close()


class _Heartbeat(threading.Thread):
    """Bumps the lock row's counter every ``every`` seconds on a connection of its own."""

    def __init__(self, migration_connection: Connection, lock: TableLock, every: float) -> None:
        super().__init__(name="sqlstrata-lock-heartbeat", daemon=True)
        self._source = migration_connection
        self._lock = lock
        self._every = every
        self._halt = threading.Event()
        self.lost = False

    def run(self) -> None:
        engine = self._source.engine
        if not engine.dialect.is_async:
            self._beat(engine)
            return
        # An async driver's connections belong to env.py's event loop: beat on a loop of
        # this thread's own, through a pool of its own with the same connect settings.
        import asyncio

        from sqlalchemy.ext.asyncio import create_async_engine

        async def beat_on_own_loop() -> None:
            own = create_async_engine(engine.url, pool=engine.pool.recreate())
            try:
                async with own.connect() as conn:
                    await conn.run_sync(lambda sync_conn: self._beat(sync_conn.engine))
            finally:
                await own.dispose()

        try:
            asyncio.run(beat_on_own_loop())
        except Exception as exc:  # the step's confirm() still guards the row
            log.warning("The migration lock heartbeat stopped: %s", exc)

    def _beat(self, engine: Engine) -> None:
        conn: Connection | None = None
        try:
            while not self._halt.wait(self._every):
                try:
                    if conn is None:
                        conn = _open(engine)
                    if not self._lock.bump(conn):
                        self.lost = True
                        log.error("The migration lock row was taken over by another process.")
                        return
                except sa_exc.DBAPIError as exc:
                    # Busy (the holder's own step has the row locked) or a dropped connection:
                    # the step's confirm() keeps the row alive meanwhile; try again later.
                    log.debug("Lock heartbeat skipped: %s", exc)
                    if conn is not None and exc.connection_invalidated:
                        _discard(conn)
                        conn = None
        finally:
            if conn is not None:
                _discard(conn)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=LOCK_WAIT_SECONDS + 5)


class TableLock:
    """The lock row, for databases that have no session lock to offer."""

    def __init__(
        self,
        migration_connection: Connection,
        table: Table,
        name: str,
        expiry: float,
        beat_every: float | None = None,
    ) -> None:
        self._source = migration_connection
        self.table = table
        self.name = name
        self.expiry = expiry
        self.beat_every = beat_every if beat_every is not None else max(expiry / 6, 0.1)
        self.token = uuid.uuid4().hex
        self._conn: Connection | None = None
        self._heartbeat: _Heartbeat | None = None
        self._seen: tuple[str, int] | None = None
        self._seen_at = 0.0
        self._holder = "another process"

    # -- acquiring -------------------------------------------------------------------------
    def acquire(self, timeout: float, on_wait: Waiting) -> None:
        conn = _open(self._source.engine)
        self._conn = conn
        try:
            ensure_lock_table(conn, self.table)
            wait_for(
                lambda: self._try_once(conn),
                self._describe_holder,
                timeout,
                on_wait,
                self.name,
            )
        except BaseException:
            self._conn = None
            _discard(conn)
            raise
        self._heartbeat = _Heartbeat(self._source, self, every=self.beat_every)
        self._heartbeat.start()

    def _try_once(self, conn: Connection) -> bool:
        row_values = {
            "token": self.token,
            "holder": holder_description()[:255],
            "acquired_at": utc_now(),
            "heartbeat": 0,
        }
        try:
            conn.execute(insert(self.table).values(name=self.name, **row_values))
            return True
        except sa_exc.IntegrityError:
            return self._watch_holder(conn, row_values)  # somebody holds it
        except sa_exc.DBAPIError as exc:
            log.debug("Lock row busy: %s", exc)
            self._seen_at = time.monotonic()  # its holder is inside a step: alive
            self._read_row(conn)
            return False

    def _watch_holder(self, conn: Connection, row_values: dict[str, object]) -> bool:
        """Note whether the holder's heartbeat moved; take the row over once it has been
        still for ``expiry`` seconds."""
        seen = self._read_row(conn)
        if seen is None:
            return False  # released just now: insert on the next try
        now = time.monotonic()
        if self._seen != seen:
            self._seen, self._seen_at = seen, now
            return False
        if now - self._seen_at < self.expiry:
            return False
        return self._take_over(conn, *seen, row_values)

    def _read_row(self, conn: Connection) -> tuple[str, int] | None:
        """The holder's (token, heartbeat), remembering who it is; None if gone or unreadable."""
        t = self.table
        try:
            row = conn.execute(
                select(t.c.token, t.c.holder, t.c.heartbeat).where(t.c.name == self.name)
            ).first()
        except sa_exc.DBAPIError as exc:
            log.debug("Lock row unreadable: %s", exc)
            return None
        if row is None:
            return None
        self._holder = str(row.holder)
        return str(row.token), int(row.heartbeat)

    def _take_over(
        self, conn: Connection, token: str, beat: int, row_values: dict[str, object]
    ) -> bool:
        t = self.table
        try:
            taken = conn.execute(
                update(t)
                .where(t.c.name == self.name, t.c.token == token, t.c.heartbeat == beat)
                .values(**row_values)
            ).rowcount
        except sa_exc.DBAPIError as exc:
            log.debug("Lock row busy while taking it over: %s", exc)
            self._seen_at = time.monotonic()
            return False
        if taken == 1:
            log.warning(
                "Took over the migration lock from %s: its heartbeat stopped %.0fs ago "
                "(that process is gone).",
                self._holder,
                time.monotonic() - self._seen_at,
            )
            return True
        return False

    def _describe_holder(self) -> str:
        return self._holder

    # -- holding ---------------------------------------------------------------------------
    def bump(self, conn: Connection) -> bool:
        """Move the heartbeat on; False if the row is no longer ours."""
        t = self.table
        changed = conn.execute(
            update(t)
            .where(t.c.name == self.name, t.c.token == self.token)
            .values(heartbeat=t.c.heartbeat + 1)
        ).rowcount
        return changed == 1

    def confirm(self, connection: Connection) -> None:
        """Check, inside the step's transaction, that the row is still ours, and keep it."""
        if (self._heartbeat is not None and self._heartbeat.lost) or not self.bump(connection):
            raise LockLostError(
                f"Can't go on migrating: the migration lock on {self.name} was taken over by "
                "another process after this one's heartbeat stopped for "
                f"{self.expiry:g}s.",
                hint="Check that one migration run is left, then run `strata upgrade` again; "
                "raise migration_lock_expiry if this process was only paused.",
            )

    def release(self) -> None:
        heartbeat, self._heartbeat = self._heartbeat, None
        if heartbeat is not None:
            heartbeat.stop()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        t = self.table
        try:
            conn.execute(delete(t).where(t.c.name == self.name, t.c.token == self.token))
        finally:
            _discard(conn)
