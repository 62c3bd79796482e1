"""Column operations: add, drop and alter a column.

:class:`AlterColumn` keeps what changes (``modify_*``) apart from what the column is now
(``existing_*``). Databases that restate the whole column to change one part of it (MySQL's
``MODIFY``, MSSQL's ``ALTER COLUMN``) need the ``existing_*`` values, and ``reverse()`` swaps
the two sets. ``UNSET`` means "not given" where ``None`` means something (no default, no
comment).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlstrata.ops.base import UNSET, Operation, Options, ServerDefault, Unset, irreversible

if TYPE_CHECKING:
    from sqlalchemy import Column
    from sqlalchemy.types import TypeEngine


@dataclass(frozen=True, slots=True, eq=False)
class AddColumn(Operation):
    """``ALTER TABLE ... ADD COLUMN``, plus the column's foreign keys, indexes and comment.

    ``inline_references`` / ``inline_primary_key`` put ``REFERENCES`` / ``PRIMARY KEY`` in
    the column definition instead of separate constraints; ``None`` lets the dialect decide
    (SQLite can only do it inline).
    """

    table_name: str
    column: Column[Any]
    schema: str | None = None
    if_not_exists: bool = False
    inline_references: bool | None = None
    inline_primary_key: bool | None = None

    def reverse(self) -> DropColumn:
        return DropColumn(
            self.table_name,
            self.column.name,
            self.schema,
            self.column,
            if_exists=self.if_not_exists,
        )


@dataclass(frozen=True, slots=True, eq=False)
class DropColumn(Operation):
    """``ALTER TABLE ... DROP COLUMN``; ``column`` (if known) makes it reversible.

    ``options`` holds dialect arguments such as ``mssql_drop_check``.
    """

    table_name: str
    column_name: str
    schema: str | None = None
    column: Column[Any] | None = None
    if_exists: bool = False
    options: Options = ()

    def reverse(self) -> AddColumn:
        if self.column is None:
            raise irreversible(
                f"drop_column {self.table_name}.{self.column_name}", "the column is unknown"
            )
        return AddColumn(self.table_name, self.column, self.schema, self.if_exists)


@dataclass(frozen=True, slots=True, eq=False)
class AlterColumn(Operation):
    """Change a column's name, type, nullability, server default, comment or autoincrement.

    ``modify_*`` fields say what changes (``None`` / ``UNSET``: unchanged; a
    ``modify_server_default`` or ``modify_comment`` of ``None`` removes it). ``existing_*``
    fields describe the column before the change. ``options`` holds dialect arguments such
    as ``postgresql_using``.
    """

    table_name: str
    column_name: str
    schema: str | None = None
    modify_name: str | None = None
    modify_type: TypeEngine[Any] | None = None
    modify_nullable: bool | None = None
    modify_server_default: ServerDefault | Unset | None = UNSET
    modify_comment: str | Unset | None = UNSET
    modify_autoincrement: bool | None = None
    existing_type: TypeEngine[Any] | None = None
    existing_nullable: bool | None = None
    existing_server_default: ServerDefault | Unset | None = UNSET
    existing_comment: str | None = None
    existing_autoincrement: bool | None = None
    options: Options = ()

    @property
    def changes_anything(self) -> bool:
        """Whether any ``modify_*`` field is given."""
        return (
            self.modify_name is not None
            or self.modify_type is not None
            or self.modify_nullable is not None
            or self.modify_server_default is not UNSET
            or self.modify_comment is not UNSET
            or self.modify_autoincrement is not None
        )

    def reverse(self) -> AlterColumn:
        what = f"alter_column {self.table_name}.{self.column_name}"
        if self.modify_type is not None and self.existing_type is None:
            raise irreversible(what, "the existing type is unknown")
        if self.modify_nullable is not None and self.existing_nullable is None:
            raise irreversible(what, "the existing nullability is unknown")
        if self.modify_server_default is not UNSET and self.existing_server_default is UNSET:
            raise irreversible(what, "the existing server default is unknown")
        if self.modify_autoincrement is not None and self.existing_autoincrement is None:
            raise irreversible(what, "the existing autoincrement is unknown")
        changed_default = self.modify_server_default is not UNSET
        changed_comment = self.modify_comment is not UNSET
        new_comment = self.modify_comment if isinstance(self.modify_comment, str) else None
        return AlterColumn(
            self.table_name,
            self.modify_name or self.column_name,
            self.schema,
            modify_name=self.column_name if self.modify_name else None,
            modify_type=self.existing_type if self.modify_type is not None else None,
            modify_nullable=self.existing_nullable if self.modify_nullable is not None else None,
            modify_server_default=self.existing_server_default if changed_default else UNSET,
            modify_comment=self.existing_comment if changed_comment else UNSET,
            modify_autoincrement=(
                self.existing_autoincrement if self.modify_autoincrement is not None else None
            ),
            existing_type=self.modify_type or self.existing_type,
            existing_nullable=(
                self.modify_nullable if self.modify_nullable is not None else self.existing_nullable
            ),
            existing_server_default=(
                self.modify_server_default if changed_default else self.existing_server_default
            ),
            existing_comment=new_comment if changed_comment else self.existing_comment,
            existing_autoincrement=(
                self.modify_autoincrement
                if self.modify_autoincrement is not None
                else self.existing_autoincrement
            ),
        )
