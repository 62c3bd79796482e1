"""MySQL and MariaDB: DDL commits implicitly (no transactional DDL); index drops name the table."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.sql.base import Executable

from sqlstrata.dialects.base import GENERIC_HANDLERS, Dialect, DialectContext
from sqlstrata.dialects.ddl import RawDDL, quote, table_ref
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops


def drop_index(op: ops.DropIndex, ctx: DialectContext) -> Iterator[Executable]:
    if not op.table_name:
        raise CommandError(
            f"Can't drop index {op.index_name!r} on MySQL: the table is not named.",
            hint="Pass table_name= to op.drop_index().",
        )
    d = ctx.sa_dialect
    yield RawDDL(
        f"DROP INDEX {quote(d, op.index_name or '')} ON {table_ref(d, op.table_name, op.schema)}"
    )


def mysql_dialect(name: str = "mysql") -> Dialect:
    handlers = {**GENERIC_HANDLERS, ops.DropIndex: drop_index}
    return Dialect(name, transactional_ddl=False, handlers=handlers)
