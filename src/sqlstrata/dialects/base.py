"""The Dialect value: capability flags plus a table ``{operation type: handler}``.

A handler turns one operation into SQLAlchemy executables; ``dialect.statements(op, ctx)``
is the one hop from an operation to SQL. The generic handlers every dialect starts from are
in :mod:`sqlstrata.dialects.generic`; each database's file overrides what differs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, MetaData
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import Executable

from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops


@dataclass(frozen=True, slots=True)
class DialectContext:
    """What a handler needs besides the operation.

    ``connection`` is set when statements run on a live database; handlers use it only to
    look before they leap (does this enum type exist already?). With no connection the
    handler writes statements that are right for a SQL script.
    """

    sa_dialect: SADialect
    target_metadata: MetaData | None = None
    connection: Connection | None = None

    @property
    def offline(self) -> bool:
        """Whether statements are written to a script rather than run."""
        return self.connection is None

    def metadata(self) -> MetaData:
        """A fresh MetaData carrying the target's naming convention, if any."""
        if self.target_metadata is not None:
            return MetaData(naming_convention=self.target_metadata.naming_convention)
        return MetaData()


Handler = Callable[[Any, DialectContext], Iterable[Executable]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """A database's differences: flags and handlers.

    ``terminator`` ends each statement in a SQL script; ``batch_separator`` (``GO`` on
    MSSQL, ``/`` on Oracle) follows each statement on a line of its own.
    """

    name: str
    transactional_ddl: bool
    handlers: Mapping[type[ops.Operation], Handler] = field(default_factory=dict)
    terminator: str = ";"
    batch_separator: str | None = None

    def handler_for(self, operation_type: type[ops.Operation]) -> Handler | None:
        """The handler for ``operation_type`` or its nearest base class."""
        for cls in operation_type.__mro__:
            handler = self.handlers.get(cls)
            if handler is not None:
                return handler
        return None

    def statements(self, operation: ops.Operation, ctx: DialectContext) -> Iterator[Executable]:
        """Yield the executables that carry out ``operation`` on this database."""
        handler = self.handler_for(type(operation))
        if handler is None:
            raise CommandError(
                f"Can't run {type(operation).__name__} on {self.name}: no handler for it.",
                hint="Register an implementation for this operation "
                "(see sqlstrata.ops.registry.OperationRegistry).",
            )
        yield from handler(operation, ctx)

    def with_handlers(self, extra: Mapping[type[ops.Operation], Handler]) -> Dialect:
        """Return a copy with ``extra`` handlers added or replacing existing ones."""
        return dataclasses.replace(self, handlers={**self.handlers, **extra})


def unsupported(ctx: DialectContext, what: str, why: str, hint: str = "") -> CommandError:
    """The error for a change this database cannot make."""
    return CommandError(
        f"Can't {what} on {ctx.sa_dialect.name}: {why}.",
        hint=hint or "Write the SQL with op.execute(), or use a database that supports it.",
    )


BATCH_HINT = (
    "Use 'with op.batch_alter_table(...)' so the table is rebuilt with the change, "
    "or write the SQL with op.execute()."
)
