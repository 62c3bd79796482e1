"""Index operations: create and drop an index.

``columns`` are column names (strings) or SQL expressions (``sa.text("lower(name)")``) for
functional indexes. ``options`` holds the dialect arguments SQLAlchemy's ``Index`` takes:
``postgresql_where`` / ``sqlite_where`` (partial indexes), ``postgresql_using``,
``postgresql_include``, ``postgresql_concurrently``, ``mysql_length``, ``mysql_prefix``, ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlstrata.ops.base import Operation, Options, irreversible


@dataclass(frozen=True, slots=True, eq=False)
class CreateIndex(Operation):
    index_name: str | None
    table_name: str
    columns: tuple[Any, ...]
    schema: str | None = None
    unique: bool = False
    options: Options = ()
    if_not_exists: bool = False

    def reverse(self) -> DropIndex:
        concurrently = tuple(
            (key, value) for key, value in self.options if key == "postgresql_concurrently"
        )
        return DropIndex(
            self.index_name,
            self.table_name,
            self.schema,
            self,
            concurrently,
            if_exists=self.if_not_exists,
        )


@dataclass(frozen=True, slots=True, eq=False)
class DropIndex(Operation):
    """``DROP INDEX``; ``created_by`` (if known) makes it reversible.

    MySQL needs ``table_name`` (``DROP INDEX name ON table``).
    """

    index_name: str | None
    table_name: str | None = None
    schema: str | None = None
    created_by: CreateIndex | None = None
    options: Options = ()
    if_exists: bool = False

    def reverse(self) -> CreateIndex:
        if self.created_by is None:
            raise irreversible(f"drop_index {self.index_name!r}", "the index's columns are unknown")
        return self.created_by
