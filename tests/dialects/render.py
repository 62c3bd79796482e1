"""Render op.* directives as SQL for one dialect, through the ScriptSink (no database)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sqlstrata.dialects.registry import dialect_for
from sqlstrata.ops.facade import Operations
from sqlstrata.ops.registry import OperationRegistry
from sqlstrata.runtime.migration import MigrationContext, MigrationOptions
from sqlstrata.runtime.sinks import ScriptSink

URLS = {
    "sqlite": "sqlite://",
    "postgresql": "postgresql+psycopg://",
    "mysql": "mysql+pymysql://",
    "mariadb": "mariadb+pymysql://",
    "mssql": "mssql+pyodbc://",
    "oracle": "oracle+oracledb://",
}


def sa_dialect(name: str) -> Any:
    dialect_cls: Any = make_url(URLS[name]).get_dialect()
    return dialect_cls()


def offline_context(
    name: str,
    buffer: io.StringIO,
    *,
    metadata: sa.MetaData | None = None,
    registry: OperationRegistry | None = None,
) -> MigrationContext:
    ours = dialect_for(name)
    sink = ScriptSink(
        buffer, sa_dialect(name), terminator=ours.terminator, batch_separator=ours.batch_separator
    )
    return MigrationContext(
        dialect=ours,
        sink=sink,
        options=MigrationOptions(),
        target_metadata=metadata,
        operations=registry,
    )


def render(
    name: str,
    directive: Callable[[Operations], object],
    *,
    metadata: sa.MetaData | None = None,
    registry: OperationRegistry | None = None,
) -> str:
    """The SQL script ``directive(op)`` writes for dialect ``name``."""
    buffer = io.StringIO()
    directive(Operations(offline_context(name, buffer, metadata=metadata, registry=registry)))
    return buffer.getvalue().strip()


def statements(name: str, directive: Callable[[Operations], object], **kw: Any) -> list[str]:
    """The statements ``directive(op)`` writes, without terminators and separators."""
    ours = dialect_for(name)
    text = render(name, directive, **kw)
    chunks = [chunk.strip() for chunk in text.split("\n\n") if chunk.strip()]
    result = []
    for chunk in chunks:
        if ours.batch_separator and chunk == ours.batch_separator:
            continue
        if ours.terminator and chunk.endswith(ours.terminator):
            chunk = chunk[: -len(ours.terminator)]
        result.append(chunk)
    return result
