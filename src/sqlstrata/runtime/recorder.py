"""Journal a step's statements and write its history row.

:class:`JournalingSink` sits between the operations and the real sink for the length of one
migration: it hashes every statement, skips the ones a resumed migration already ran (after
checking they are still the same), and reports each completed statement. The recorder
turns that into history rows, with the transaction rules of the database at hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Table
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import Executable

from sqlstrata.errors import IntegrityError
from sqlstrata.graph.plan import Downgrade, Stamp, Step, Upgrade
from sqlstrata.runtime import history
from sqlstrata.runtime.sinks import Sink


def statement_hash(statement: Executable, dialect: SADialect) -> str:
    """A short, stable hash of a statement's SQL and parameters."""
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    params = sorted((k, repr(v)) for k, v in (compiled.params or {}).items())
    return hashlib.sha256(f"{compiled}|{params!r}".encode()).hexdigest()[:16]


# MySQL/MariaDB errors that mean a DDL statement's effect is already there.
ALREADY_DONE_ERRORS = frozenset(
    {
        1050,  # table already exists
        1060,  # duplicate column name
        1061,  # duplicate key name
        1068,  # multiple primary key defined
        1091,  # can't DROP: it does not exist
        1826,  # duplicate foreign key constraint name
        4160,  # MariaDB: constraint already exists
    }
)


def _already_done(exc: Exception) -> bool:
    orig = getattr(exc, "orig", None)
    args: tuple[object, ...] = tuple(getattr(orig, "args", ()))
    return bool(args) and args[0] in ALREADY_DONE_ERRORS


class JournalingSink:
    """Counts and hashes statements; on resume skips the first ones after checking them.

    ``in_flight`` is the hash of the statement that was running when an earlier attempt
    died: it is run again, and counts as done if the database says its effect exists.
    """

    def __init__(
        self,
        inner: Sink,
        on_statement: Callable[[list[str]], None],
        skip: tuple[str, ...] = (),
        *,
        on_start: Callable[[str], None] | None = None,
        in_flight: str | None = None,
    ) -> None:
        self.inner = inner
        self.on_statement = on_statement
        self.on_start = on_start
        self.skip = skip
        self.in_flight = in_flight
        self.hashes: list[str] = []

    @property
    def sa_dialect(self) -> SADialect:
        return self.inner.sa_dialect

    @property
    def offline(self) -> bool:
        return self.inner.offline

    def execute(self, statement: Executable) -> int | None:
        digest = statement_hash(statement, self.inner.sa_dialect)
        index = len(self.hashes)
        if index < len(self.skip):
            if self.skip[index] != digest:
                raise IntegrityError(
                    f"Can't resume: statement {index + 1} of the migration is not the one "
                    "that ran before (the script changed since it failed).",
                    hint="Fix the database by hand, then run 'strata resolve REV "
                    "--applied' or '--rolled-back'.",
                )
            self.hashes.append(digest)
            return None
        if self.on_start is not None:
            self.on_start(digest)
        retrying = index == len(self.skip) and self.in_flight == digest
        try:
            result = self.inner.execute(statement)
        except Exception as exc:
            if not (retrying and _already_done(exc)):
                raise
            result = None  # it had run before the process died
        self.hashes.append(digest)
        self.on_statement(self.hashes)
        return result


def direction_of(step: Step) -> str:
    if isinstance(step, Upgrade):
        return "upgrade"
    if isinstance(step, Downgrade):
        return "downgrade"
    return "stamp"


class HistoryRecorder:
    """Writes the history rows of one run on one connection."""

    def __init__(self, connection: Connection, table: Table, transactional: bool) -> None:
        self.connection = connection
        self.table = table
        self.transactional = transactional
        self._row: int | None = None
        self._started: datetime = history.now()

    def ensure_table(self) -> None:
        history.ensure(self.connection, self.table)

    def commit_now(self) -> None:
        """Make the rows written so far durable.

        Only used without transactional DDL, where every DDL statement commits implicitly
        anyway. A COMMIT statement does the same on the server without ending the
        SQLAlchemy transaction env.py may hold, so its own commit() still works.
        """
        self.connection.exec_driver_sql("COMMIT")

    def begin(self, step: Step) -> None:
        """A step starts. Without transactional DDL its row is committed right away."""
        self._started = history.now()
        self._row = None
        if self.transactional or isinstance(step, Stamp):
            return
        rev = step.revision
        self._row = history.start_row(
            self.connection,
            self.table,
            revision=rev.id,
            direction=direction_of(step),
            down_revisions=rev.down_revisions,
            checksum=rev.checksum,
            transactional=False,
            started_at=self._started,
        )
        self.commit_now()

    def statement_starting(self, digest: str) -> None:
        if self._row is None:
            return
        history.update_row(self.connection, self.table, self._row, in_flight=digest)
        self.commit_now()

    def statement_done(self, hashes: list[str]) -> None:
        if self._row is None:
            return
        history.update_row(
            self.connection,
            self.table,
            self._row,
            statements_applied=len(hashes),
            statement_hashes=",".join(hashes),
            in_flight=None,
        )
        self.commit_now()

    def succeeded(self, step: Step, hashes: list[str], stamped: tuple[str, ...] = ()) -> None:
        """Record success; the caller's transaction commits it with the version table."""
        values = history.finish_values(self._started, history.APPLIED, hashes)
        if self._row is not None:
            history.update_row(self.connection, self.table, self._row, **values)
            return
        if isinstance(step, Stamp):
            self._stamp_rows(step)
            return
        rev = step.revision
        row = history.start_row(
            self.connection,
            self.table,
            revision=rev.id,
            direction=direction_of(step),
            down_revisions=rev.down_revisions,
            checksum=rev.checksum,
            transactional=self.transactional,
            outcome=history.APPLIED,
            started_at=self._started,
        )
        history.update_row(self.connection, self.table, row, **values)

    def _stamp_rows(self, step: Stamp) -> None:
        for rev_id, direction in [(r, "unstamp") for r in step.removed] + [
            (r, "stamp") for r in step.added
        ]:
            history.start_row(
                self.connection,
                self.table,
                revision=rev_id,
                direction=direction,
                down_revisions=(),
                checksum=None,
                transactional=self.transactional,
                outcome=history.APPLIED,
                started_at=self._started,
            )

    def failed(self, step: Step, hashes: list[str], error: BaseException) -> None:
        """Record a failure after rolling back what the database can roll back."""
        conn = self.connection
        if not self.transactional:
            conn.exec_driver_sql("ROLLBACK")  # only the uncommitted row changes go
        elif conn.in_transaction():
            conn.rollback()
        if isinstance(step, Stamp):
            return
        text = f"{type(error).__name__}: {error}"
        values = history.finish_values(self._started, history.FAILED, hashes, text)
        if self._row is not None:
            history.update_row(conn, self.table, self._row, **values)
        else:
            self.ensure_table()
            rev = step.revision
            row = history.start_row(
                conn,
                self.table,
                revision=rev.id,
                direction=direction_of(step),
                down_revisions=rev.down_revisions,
                checksum=rev.checksum,
                transactional=self.transactional,
                outcome=history.FAILED,
                started_at=self._started,
            )
            history.update_row(conn, self.table, row, **values)
        if self.transactional:
            conn.commit()
        else:
            self.commit_now()
