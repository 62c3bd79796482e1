"""The history log: an append-only record of every upgrade, downgrade and stamp.

The version table says where a database is; the history says how it got there: revision,
direction, the script's checksum and parents, start and finish times, outcome, error text,
how many statements ran (with a short hash of each), tool version, host and user.

On databases with transactional DDL a step's row is written in the step's own transaction, so
it exists exactly when the step does; a failure is recorded after the rollback. Without
transactional DDL (MySQL/MariaDB) a row is written and committed when the step starts and
after every statement, so a crash or a failure leaves a row that says exactly how far the
migration got.
"""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy import schema as sa_schema

RUNNING = "running"
APPLIED = "applied"
FAILED = "failed"
RESOLVED_APPLIED = "resolved-applied"
RESOLVED_ROLLED_BACK = "resolved-rolled-back"
ACCEPTED = "accepted"


def history_table_name(version_table: str) -> str:
    """``strata_history`` next to ``strata_version``; ``<version table>_history`` otherwise."""
    return "strata_history" if version_table == "strata_version" else f"{version_table}_history"


def history_table(name: str, schema: str | None = None) -> Table:
    return Table(
        name,
        MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("revision", String(32), nullable=False),
        Column("direction", String(12), nullable=False),
        Column("down_revisions", String(255), nullable=False, default=""),
        Column("checksum", String(80)),
        Column("started_at", DateTime, nullable=False),
        Column("finished_at", DateTime),
        Column("duration_ms", Integer),
        Column("outcome", String(24), nullable=False),
        Column("error", Text),
        Column("statements_applied", Integer, nullable=False, default=0),
        Column("statement_hashes", Text, nullable=False, default=""),
        # Set while a statement runs on a database without transactional DDL: if the process
        # dies then, this statement may or may not have taken effect.
        Column("in_flight", String(16)),
        Column("transactional", Boolean, nullable=False),
        Column("tool_version", String(32), nullable=False),
        Column("host", String(255), nullable=False),
        Column("username", String(255), nullable=False),
        schema=schema,
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row of the history log."""

    id: int
    revision: str
    direction: str
    down_revisions: tuple[str, ...]
    checksum: str | None
    started_at: datetime
    finished_at: datetime | None
    duration_ms: int | None
    outcome: str
    error: str | None
    statements_applied: int
    statement_hashes: tuple[str, ...]
    in_flight: str | None
    transactional: bool
    tool_version: str
    host: str
    username: str


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _who() -> tuple[str, str]:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some containers
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return socket.gethostname()[:255], user[:255]


def exists(connection: Connection, table: Table) -> bool:
    return inspect(connection).has_table(table.name, schema=table.schema)


def ensure(connection: Connection, table: Table) -> None:
    """Create the history table unless it exists."""
    if not exists(connection, table):
        connection.execute(sa_schema.CreateTable(table))


def start_row(
    connection: Connection,
    table: Table,
    *,
    revision: str,
    direction: str,
    down_revisions: Sequence[str],
    checksum: str | None,
    transactional: bool,
    outcome: str = RUNNING,
    started_at: datetime | None = None,
) -> int:
    """Insert a row; return its id."""
    from sqlstrata import __version__

    host, user = _who()
    result = connection.execute(
        insert(table).values(
            revision=revision,
            direction=direction,
            down_revisions=",".join(down_revisions),
            checksum=checksum,
            started_at=started_at or now(),
            outcome=outcome,
            statements_applied=0,
            statement_hashes="",
            transactional=transactional,
            tool_version=__version__,
            host=host,
            username=user,
        )
    )
    key = result.inserted_primary_key
    return int(key[0]) if key else 0


def update_row(connection: Connection, table: Table, row_id: int, **values: object) -> None:
    connection.execute(update(table).where(table.c.id == row_id).values(**values))


def finish_values(
    started_at: datetime, outcome: str, hashes: Sequence[str], error: str | None = None
) -> dict[str, object]:
    """The columns a finished step sets."""
    finished = now()
    return {
        "finished_at": finished,
        "duration_ms": int((finished - started_at).total_seconds() * 1000),
        "outcome": outcome,
        "statements_applied": len(hashes),
        "statement_hashes": ",".join(hashes),
        "in_flight": None,
        "error": error[:4000] if error else None,
    }


def read(connection: Connection, table: Table) -> tuple[HistoryEntry, ...]:
    """Every row, oldest first (empty when the table does not exist)."""
    if not exists(connection, table):
        return ()
    rows = connection.execute(select(table).order_by(table.c.id)).mappings().all()
    return tuple(_entry(r) for r in rows)


def _entry(row: object) -> HistoryEntry:
    r = dict(row)  # type: ignore[call-overload]
    return HistoryEntry(
        id=int(r["id"]),
        revision=str(r["revision"]),
        direction=str(r["direction"]),
        down_revisions=_split(r["down_revisions"]),
        checksum=r["checksum"],
        started_at=r["started_at"],
        finished_at=r["finished_at"],
        duration_ms=r["duration_ms"],
        outcome=str(r["outcome"]),
        error=r["error"],
        statements_applied=int(r["statements_applied"] or 0),
        statement_hashes=_split(r["statement_hashes"]),
        in_flight=r["in_flight"],
        transactional=bool(r["transactional"]),
        tool_version=str(r["tool_version"]),
        host=str(r["host"]),
        username=str(r["username"]),
    )


def _split(value: object) -> tuple[str, ...]:
    return tuple(v for v in str(value or "").split(",") if v)


def pending_failure(entries: Iterable[HistoryEntry]) -> HistoryEntry | None:
    """The half-applied migration the database is stuck at, if any.

    A row counts when it ran on a database without transactional DDL, got at least one
    statement in (or had one in flight), did not finish, and nothing was recorded for that
    revision afterwards.
    """
    latest: dict[str, HistoryEntry] = {}
    for entry in entries:
        latest[entry.revision] = entry
    stuck = [
        e
        for e in latest.values()
        if e.outcome in (RUNNING, FAILED)
        and not e.transactional
        and (e.statements_applied > 0 or e.in_flight)
    ]
    return max(stuck, key=lambda e: e.id) if stuck else None
