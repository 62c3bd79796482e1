"""Operations on schema objects that are not tables: sequences and PostgreSQL enum types.

Enum types that columns need are created by ``create_table`` / ``add_column`` and dropped by
``drop_table`` on PostgreSQL without these operations; they exist for explicit control and
for autogenerate.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlstrata.ops.base import Operation, Options, irreversible


@dataclass(frozen=True, slots=True, eq=False)
class CreateSequence(Operation):
    """``CREATE SEQUENCE``; ``options`` are ``sa.Sequence`` arguments (start, increment, ...)."""

    sequence_name: str
    schema: str | None = None
    options: Options = ()
    if_not_exists: bool = False

    def reverse(self) -> DropSequence:
        return DropSequence(self.sequence_name, self.schema, self.if_not_exists, self)


@dataclass(frozen=True, slots=True, eq=False)
class DropSequence(Operation):
    sequence_name: str
    schema: str | None = None
    if_exists: bool = False
    created_by: CreateSequence | None = None

    def reverse(self) -> CreateSequence:
        if self.created_by is None:
            raise irreversible(
                f"drop_sequence {self.sequence_name!r}", "the sequence's options are unknown"
            )
        return self.created_by


@dataclass(frozen=True, slots=True, eq=False)
class CreateEnum(Operation):
    """PostgreSQL ``CREATE TYPE name AS ENUM (values)``."""

    type_name: str
    values: tuple[str, ...]
    schema: str | None = None

    def reverse(self) -> DropEnum:
        return DropEnum(self.type_name, self.schema, self.values)


@dataclass(frozen=True, slots=True, eq=False)
class DropEnum(Operation):
    """PostgreSQL ``DROP TYPE``; ``values`` (if known) make it reversible."""

    type_name: str
    schema: str | None = None
    values: tuple[str, ...] | None = None
    if_exists: bool = False

    def reverse(self) -> CreateEnum:
        if self.values is None:
            raise irreversible(f"drop_enum {self.type_name!r}", "the enum's values are unknown")
        return CreateEnum(self.type_name, self.values, self.schema)


@dataclass(frozen=True, slots=True, eq=False)
class AddEnumValue(Operation):
    """PostgreSQL ``ALTER TYPE name ADD VALUE``; PostgreSQL cannot remove it again.

    ``before`` / ``after`` place the new value next to an existing one.
    """

    type_name: str
    value: str
    schema: str | None = None
    before: str | None = None
    after: str | None = None
    if_not_exists: bool = False
    options: Options = ()
