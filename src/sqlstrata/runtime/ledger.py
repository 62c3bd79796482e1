"""The version table: one row per current head, in the shape Alembic uses.

Existing Alembic databases keep working because the table has the same columns; only its
default name differs (``strata_version``; ``alembic_version`` for projects configured by an
alembic.ini). Every row change is checked: an UPDATE or DELETE that does not touch exactly one
row means the table is not what the plan assumed, and the run stops.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    delete,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy import schema as sa_schema
from sqlalchemy.sql.schema import SchemaItem

from sqlstrata.errors import VersionTableError
from sqlstrata.runtime.sinks import Sink

VERSION_NUM_LENGTH = 32


def version_table(name: str, schema: str | None = None, *, primary_key: bool = True) -> Table:
    """Describe the version table."""
    items: list[SchemaItem] = [Column("version_num", String(VERSION_NUM_LENGTH), nullable=False)]
    if primary_key:
        items.append(PrimaryKeyConstraint("version_num", name=f"{name}_pkc"))
    return Table(name, MetaData(), *items, schema=schema)


def version_table_exists(connection: Connection, table: Table) -> bool:
    return inspect(connection).has_table(table.name, schema=table.schema)


def read_heads(connection: Connection, table: Table) -> tuple[str, ...]:
    """Return the heads recorded in the version table (empty if it does not exist)."""
    if not version_table_exists(connection, table):
        return ()
    rows = connection.execute(select(table.c.version_num)).scalars().all()
    return tuple(sorted(str(r) for r in rows))


def create_version_table(sink: Sink, table: Table) -> None:
    sink.execute(sa_schema.CreateTable(table))


def _checked(sink: Sink, count: int | None, what: str, revision: str) -> None:
    if count is not None and count != 1:
        raise VersionTableError(
            f"Can't {what} revision {revision!r} in the version table: "
            f"{count} rows matched where exactly one was expected.",
            hint="Another process may have changed it; run 'strata current' and retry.",
        )


def write_head_changes(
    sink: Sink,
    table: Table,
    deletes: Sequence[str],
    updates: Sequence[tuple[str, str]],
    inserts: Sequence[str],
) -> None:
    """Carry out one step's head changes on the version table, checking row counts."""
    col = table.c.version_num
    for old, new in updates:
        stmt = update(table).where(col == literal(old)).values(version_num=literal(new))
        _checked(sink, sink.execute(stmt), "update", old)
    for rev in deletes:
        _checked(sink, sink.execute(delete(table).where(col == literal(rev))), "delete", rev)
    for rev in inserts:
        sink.execute(insert(table).values(version_num=literal(rev)))


def clear_heads(sink: Sink, table: Table) -> None:
    """Remove every row (``stamp --purge``)."""
    sink.execute(delete(table))
