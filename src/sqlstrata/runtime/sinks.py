"""Where statements go: executed on a connection, or written out as a SQL script.

Offline mode is a sink, not a mode: the runner and the operations never ask which one they
have. Only the version-table reads need a connection, and the runner gets the starting heads
from the command line in offline mode instead.
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.dml import UpdateBase


class Sink(Protocol):
    """Receives statements; returns the affected row count when it can know it."""

    @property
    def sa_dialect(self) -> SADialect: ...

    @property
    def offline(self) -> bool: ...

    def execute(self, statement: Executable) -> int | None: ...


class ConnectionSink:
    """Execute statements on a live connection."""

    offline = False

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def sa_dialect(self) -> SADialect:
        return self.connection.dialect

    def execute(self, statement: Executable) -> int | None:
        result = self.connection.execute(statement)
        if isinstance(statement, UpdateBase):
            rowcount: int = result.rowcount
            return rowcount
        return None


class ScriptSink:
    """Render statements as a SQL script with the dialect's terminator."""

    offline = True

    def __init__(
        self,
        buffer: TextIO,
        sa_dialect: SADialect,
        *,
        terminator: str = ";",
        batch_separator: str | None = None,
        literal_binds: bool = False,
    ) -> None:
        self.buffer = buffer
        self._sa_dialect = sa_dialect
        self.terminator = terminator
        self.batch_separator = batch_separator
        self.literal_binds = literal_binds

    @property
    def sa_dialect(self) -> SADialect:
        return self._sa_dialect

    def render(self, statement: Executable) -> str:
        """Compile one statement to SQL text for this sink's dialect."""
        kw: dict[str, Any] = {}
        if self.literal_binds:
            kw["compile_kwargs"] = {"literal_binds": True}
        compiled = statement.compile(dialect=self._sa_dialect, **kw)  # type: ignore[attr-defined]
        return str(compiled).strip()

    def execute(self, statement: Executable) -> int | None:
        self.write(self.render(statement))
        return None

    def write(self, sql: str) -> None:
        """Write one already-rendered statement, terminated."""
        self.buffer.write(f"{sql}{self.terminator}\n\n")
        if self.batch_separator:
            self.buffer.write(f"{self.batch_separator}\n\n")

    def comment(self, text: str) -> None:
        self.buffer.write(f"-- {text}\n\n")
