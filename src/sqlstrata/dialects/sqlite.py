"""SQLite: transactional DDL (the runner owns BEGIN/COMMIT on pysqlite), little ALTER.

SQLite can add, drop and rename a column and rename a table in place. It cannot change a
column's type, nullability or default, nor add or drop constraints: those need the table
rebuilt (``op.batch_alter_table()``), and the handlers here say so. A new column's foreign
keys and CHECK constraints are written into its definition, the only place SQLite takes them.
SQLite has no comments; comment operations are skipped with a logged warning.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy.sql.base import Executable

from sqlstrata.dialects.base import BATCH_HINT, Dialect, DialectContext, Handler, unsupported
from sqlstrata.dialects.ddl import RawDDL, attach, quote, table_ref
from sqlstrata.dialects.generic import GENERIC_HANDLERS, add_column_statements, drop_column
from sqlstrata.ops import operations as ops

log = logging.getLogger("sqlstrata.dialects.sqlite")


def add_column(op: ops.AddColumn, ctx: DialectContext) -> Iterator[Executable]:
    if op.if_not_exists:
        raise unsupported(ctx, f"add column {op.column.name!r}", "there is no IF NOT EXISTS")
    column = attach(op.column, op.table_name, op.schema)
    if op.inline_primary_key and column.primary_key:
        raise unsupported(
            ctx, f"add column {column.name!r}", "ADD COLUMN cannot add a PRIMARY KEY", BATCH_HINT
        )
    yield from add_column_statements(op, ctx, inline_references=True, inline_checks=True)


def sqlite_drop_column(op: ops.DropColumn, ctx: DialectContext) -> Iterator[Executable]:
    if op.if_exists:
        raise unsupported(ctx, f"drop column {op.column_name!r}", "there is no IF EXISTS")
    yield from drop_column(op, ctx)


def alter_column(op: ops.AlterColumn, ctx: DialectContext) -> Iterator[Executable]:
    changes = [
        name
        for name, changed in (
            ("type", op.modify_type is not None),
            ("nullability", op.modify_nullable is not None),
            ("server default", op.modify_server_default is not ops.UNSET),
            ("autoincrement", op.modify_autoincrement is not None),
        )
        if changed
    ]
    if changes:
        raise unsupported(
            ctx,
            f"alter column {op.table_name}.{op.column_name}",
            f"SQLite cannot change a column's {', '.join(changes)} in place",
            BATCH_HINT,
        )
    if op.modify_comment is not ops.UNSET:
        log.warning("SQLite has no comments; the comment of %s is not set.", op.column_name)
    if op.modify_name is not None:
        d = ctx.sa_dialect
        yield RawDDL(
            f"ALTER TABLE {table_ref(d, op.table_name, op.schema)} RENAME COLUMN "
            f"{quote(d, op.column_name)} TO {quote(d, op.modify_name)}"
        )


def constraint_unsupported(op: Any, ctx: DialectContext) -> Iterator[Executable]:
    kind = "drop" if isinstance(op, ops.DropConstraint) else "add"
    raise unsupported(
        ctx,
        f"{kind} constraint {op.constraint_name!r}",
        "SQLite cannot add or drop constraints on an existing table",
        BATCH_HINT,
    )


def comment_skipped(
    op: ops.CreateTableComment | ops.DropTableComment, ctx: DialectContext
) -> Iterator[Executable]:
    log.warning("SQLite has no comments; the comment of table %s is not changed.", op.table_name)
    return iter(())


def sequences_unsupported(
    op: ops.CreateSequence | ops.DropSequence, ctx: DialectContext
) -> Iterator[Executable]:
    raise unsupported(ctx, f"change sequence {op.sequence_name!r}", "SQLite has no sequences")


def sqlite_dialect() -> Dialect:
    handlers: dict[type[ops.Operation], Handler] = {
        **GENERIC_HANDLERS,
        ops.AddColumn: add_column,
        ops.DropColumn: sqlite_drop_column,
        ops.AlterColumn: alter_column,
        ops.CreatePrimaryKey: constraint_unsupported,
        ops.CreateForeignKey: constraint_unsupported,
        ops.CreateUniqueConstraint: constraint_unsupported,
        ops.CreateCheckConstraint: constraint_unsupported,
        ops.DropConstraint: constraint_unsupported,
        ops.CreateTableComment: comment_skipped,
        ops.DropTableComment: comment_skipped,
        ops.CreateSequence: sequences_unsupported,
        ops.DropSequence: sequences_unsupported,
    }
    return Dialect("sqlite", transactional_ddl=True, handlers=handlers)
