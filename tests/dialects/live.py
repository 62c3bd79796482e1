"""Run op.* directives on a live database, the way a migration does, and look at the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from sqlstrata.dialects.registry import dialect_for
from sqlstrata.ops.facade import Operations
from sqlstrata.ops.registry import OperationRegistry
from sqlstrata.runtime.migration import MigrationContext, MigrationOptions
from sqlstrata.runtime.sinks import ConnectionSink


@contextmanager
def live_ops(
    engine: sa.Engine,
    *,
    metadata: sa.MetaData | None = None,
    registry: OperationRegistry | None = None,
) -> Iterator[Operations]:
    """An ``op`` bound to a MigrationContext over a new connection, inside one transaction."""
    with engine.connect() as connection:
        migration = MigrationContext(
            dialect=dialect_for(connection.dialect.name),
            sink=ConnectionSink(connection),
            options=MigrationOptions(),
            connection=connection,
            target_metadata=metadata,
            operations=registry,
        )
        try:
            with migration.begin_transaction():
                yield Operations(migration)
        finally:
            migration.close()


def inspector(engine: sa.Engine) -> sa.Inspector:
    """A fresh inspector (reflection caches, so each look needs a new one)."""
    return sa.inspect(engine)


def rows(engine: sa.Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]
