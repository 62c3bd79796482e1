"""Constraint operations: create primary key, foreign key, unique, check and exclude
constraints, and drop any constraint by name.

A ``constraint_name`` of ``None`` lets the target metadata's naming convention name the
constraint; ``op.f("name")`` marks a name as final. ``DropConstraint.created_by`` remembers the
creating operation so the drop can be reversed and can find a convention-made name.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias

from sqlstrata.ops.base import Operation, Options, irreversible

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement, TextClause

ConstraintType: TypeAlias = Literal["primary", "foreignkey", "unique", "check", "exclude"]
CONSTRAINT_TYPES: tuple[str, ...] = ("primary", "foreignkey", "unique", "check", "exclude")


class CreateConstraint(Operation, metaclass=ABCMeta):
    """Base of the operations that add a constraint to an existing table."""

    __slots__ = ()
    constraint_type: ClassVar[ConstraintType]

    @property
    @abstractmethod
    def name(self) -> str | None:
        """The constraint's name; ``None`` leaves it to the naming convention."""

    @property
    @abstractmethod
    def target(self) -> tuple[str, str | None]:
        """The table the constraint is on, and its schema."""

    def reverse(self) -> DropConstraint:
        table_name, schema = self.target
        return DropConstraint(self.name, table_name, self.constraint_type, schema, created_by=self)


@dataclass(frozen=True, slots=True, eq=False)
class CreatePrimaryKey(CreateConstraint):
    constraint_type: ClassVar[ConstraintType] = "primary"

    constraint_name: str | None
    table_name: str
    columns: tuple[str, ...]
    schema: str | None = None

    @property
    def name(self) -> str | None:
        return self.constraint_name

    @property
    def target(self) -> tuple[str, str | None]:
        return self.table_name, self.schema


@dataclass(frozen=True, slots=True, eq=False)
class CreateForeignKey(CreateConstraint):
    """``FOREIGN KEY (local_cols) REFERENCES referent_table (remote_cols)``.

    ``options`` holds dialect arguments; ``use_alter`` and the like do not apply here.
    """

    constraint_type: ClassVar[ConstraintType] = "foreignkey"

    constraint_name: str | None
    source_table: str
    referent_table: str
    local_cols: tuple[str, ...]
    remote_cols: tuple[str, ...]
    onupdate: str | None = None
    ondelete: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    match: str | None = None
    source_schema: str | None = None
    referent_schema: str | None = None
    options: Options = ()

    @property
    def name(self) -> str | None:
        return self.constraint_name

    @property
    def target(self) -> tuple[str, str | None]:
        return self.source_table, self.source_schema


@dataclass(frozen=True, slots=True, eq=False)
class CreateUniqueConstraint(CreateConstraint):
    constraint_type: ClassVar[ConstraintType] = "unique"

    constraint_name: str | None
    table_name: str
    columns: tuple[str, ...]
    schema: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    options: Options = ()

    @property
    def name(self) -> str | None:
        return self.constraint_name

    @property
    def target(self) -> tuple[str, str | None]:
        return self.table_name, self.schema


@dataclass(frozen=True, slots=True, eq=False)
class CreateCheckConstraint(CreateConstraint):
    """``CHECK (condition)``; the condition is SQL text or a SQLAlchemy expression."""

    constraint_type: ClassVar[ConstraintType] = "check"

    constraint_name: str | None
    table_name: str
    condition: str | ColumnElement[Any] | TextClause
    schema: str | None = None
    options: Options = ()

    @property
    def name(self) -> str | None:
        return self.constraint_name

    @property
    def target(self) -> tuple[str, str | None]:
        return self.table_name, self.schema


@dataclass(frozen=True, slots=True, eq=False)
class CreateExcludeConstraint(CreateConstraint):
    """PostgreSQL ``EXCLUDE USING gist (col WITH =, ...)``.

    ``elements`` pairs a column name (or expression) with its operator.
    """

    constraint_type: ClassVar[ConstraintType] = "exclude"

    constraint_name: str | None
    table_name: str
    elements: tuple[tuple[Any, str], ...]
    schema: str | None = None
    where: str | ColumnElement[Any] | TextClause | None = None
    using: str = "gist"
    deferrable: bool | None = None
    initially: str | None = None
    options: Options = ()

    @property
    def name(self) -> str | None:
        return self.constraint_name

    @property
    def target(self) -> tuple[str, str | None]:
        return self.table_name, self.schema


@dataclass(frozen=True, slots=True, eq=False)
class DropConstraint(Operation):
    """``ALTER TABLE ... DROP CONSTRAINT``.

    ``type_`` is ``"primary"``, ``"foreignkey"``, ``"unique"``, ``"check"`` or ``None``; MySQL
    needs it because it drops each kind with a different statement.
    """

    constraint_name: str | None
    table_name: str
    type_: ConstraintType | None = None
    schema: str | None = None
    if_exists: bool = False
    created_by: CreateConstraint | None = None

    def reverse(self) -> CreateConstraint:
        if self.created_by is None:
            raise irreversible(
                f"drop_constraint {self.constraint_name!r}", "its definition is unknown"
            )
        return self.created_by
