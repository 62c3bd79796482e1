"""Data operations: run a statement as it is, insert rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlstrata.ops.base import Operation, Options

if TYPE_CHECKING:
    from sqlalchemy import Table, TableClause
    from sqlalchemy.sql.base import Executable


@dataclass(frozen=True, slots=True, eq=False)
class ExecuteSQL(Operation):
    """Run SQL text or a SQLAlchemy statement as it is."""

    statement: str | Executable
    execution_options: Options = ()


@dataclass(frozen=True, slots=True, eq=False)
class BulkInsert(Operation):
    """Insert rows into a table (a ``Table`` or a lightweight ``sa.table()``).

    ``multiinsert`` sends the rows as few multi-row INSERTs; otherwise one INSERT per row.
    In a SQL script the values are always written inline.
    """

    table: Table | TableClause
    rows: tuple[Mapping[str, Any], ...]
    multiinsert: bool = True
