"""Schema snapshots: hashable values describing tables, columns, constraints, indexes, enum
types and sequences, as one database (or one set of models) has them.

A snapshot is built from MetaData (:mod:`sqlstrata.autogen.from_metadata`) or from a live
database (:mod:`sqlstrata.autogen.reflect`) and compared by :func:`sqlstrata.autogen.diff.diff`.
SQL-ish parts (types, server defaults, CHECK conditions, index expressions) are kept as the SQL
text the target database would see; :mod:`sqlstrata.autogen.normalize` makes them comparable.
Fields marked ``compare=False`` carry the SQLAlchemy objects the renderer needs (the type as
the user wrote it, the default as given); they take no part in equality or hashing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeAlias

from sqlalchemy.types import NullType, TypeEngine

TableKey: TypeAlias = tuple[str | None, str]
"""``(schema, table name)``; ``None`` is the default schema."""


@dataclass(frozen=True, slots=True)
class IdentitySnap:
    """``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY``."""

    always: bool = False
    start: int | None = None
    increment: int | None = None


@dataclass(frozen=True, slots=True)
class ComputedSnap:
    """``GENERATED ALWAYS AS (sqltext)``; ``persisted`` ``None`` is the database's default."""

    sqltext: str
    persisted: bool | None = None


@dataclass(frozen=True, slots=True)
class ColumnSnap:
    """One column.

    ``type_sql`` is the type as the database writes it (``""`` when unknown); ``default`` the
    server default as SQL text; ``default_known`` is False for a ``FetchedValue`` the models
    do not describe. ``autoincrement`` is ``None`` where the database does not say. ``enum``
    names the native enum type the column uses, on databases with named enum types.
    """

    name: str
    type_sql: str
    nullable: bool = True
    default: str | None = None
    default_known: bool = True
    comment: str | None = None
    autoincrement: bool | None = None
    identity: IdentitySnap | None = None
    computed: ComputedSnap | None = None
    enum: TableKey | None = None
    renamed_from: str | None = None
    type_: TypeEngine[Any] = field(default_factory=NullType, compare=False)
    default_arg: Any = field(default=None, compare=False)
    """The default to render: a ``str`` literal, or a SQL expression (``sa.text``)."""


@dataclass(frozen=True, slots=True)
class PrimaryKeySnap:
    name: str | None
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UniqueSnap:
    name: str | None
    columns: tuple[str, ...]
    deferrable: bool | None = None
    initially: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignKeySnap:
    name: str | None
    columns: tuple[str, ...]
    referred_schema: str | None
    referred_table: str
    referred_columns: tuple[str, ...]
    ondelete: str | None = None
    onupdate: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    match: str | None = None

    @property
    def referred_key(self) -> TableKey:
        return (self.referred_schema, self.referred_table)


@dataclass(frozen=True, slots=True)
class CheckSnap:
    name: str | None
    sqltext: str


@dataclass(frozen=True, slots=True)
class IndexSnap:
    """An index; each element is a column name or, where ``expressions`` says so, SQL.

    ``options`` are dialect options (``postgresql_where``, ``postgresql_using``,
    ``mysql_length``...) with hashable values; SQL values are text.
    """

    name: str | None
    elements: tuple[str, ...]
    expressions: tuple[bool, ...]
    unique: bool = False
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """The plain column elements."""
        return tuple(e for e, expr in zip(self.elements, self.expressions, strict=True) if not expr)


@dataclass(frozen=True, slots=True)
class TableSnap:
    """A table with everything that hangs off it.

    ``options`` are the remaining ``Table()`` keyword arguments (``mysql_engine``...), kept
    for rendering ``create_table`` only.
    """

    name: str
    schema: str | None
    columns: tuple[ColumnSnap, ...]
    primary_key: PrimaryKeySnap | None = None
    uniques: tuple[UniqueSnap, ...] = ()
    foreign_keys: tuple[ForeignKeySnap, ...] = ()
    checks: tuple[CheckSnap, ...] = ()
    indexes: tuple[IndexSnap, ...] = ()
    comment: str | None = None
    renamed_from: str | None = None
    options: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)

    @property
    def qualified(self) -> str:
        """``schema.name`` or ``name``, for messages."""
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> ColumnSnap | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None


def canonical(table: TableSnap) -> TableSnap:
    """``table`` with its constraints and indexes in one order (by name, then columns), so
    equal tables are equal values whatever order they were found in."""

    def key(item: UniqueSnap | ForeignKeySnap | CheckSnap | IndexSnap) -> tuple[str, str]:
        return (str(item.name or ""), repr(item))

    return replace(
        table,
        uniques=tuple(sorted(table.uniques, key=key)),
        foreign_keys=tuple(sorted(table.foreign_keys, key=key)),
        checks=tuple(sorted(table.checks, key=key)),
        indexes=tuple(sorted(table.indexes, key=key)),
    )


@dataclass(frozen=True, slots=True)
class EnumSnap:
    """A named enum type (PostgreSQL ``CREATE TYPE ... AS ENUM``)."""

    name: str
    schema: str | None
    values: tuple[str, ...]

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)


@dataclass(frozen=True, slots=True)
class SequenceSnap:
    """A sequence; ``options`` (start, increment...) are kept for rendering only."""

    name: str
    schema: str | None
    options: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)


@dataclass(frozen=True, slots=True)
class SchemaSnapshot:
    """Everything autogenerate compares, for one database or one set of models."""

    tables: tuple[TableSnap, ...] = ()
    enums: tuple[EnumSnap, ...] = ()
    sequences: tuple[SequenceSnap, ...] = ()

    def table(self, key: TableKey) -> TableSnap | None:
        for table in self.tables:
            if table.key == key:
                return table
        return None

    def with_tables(self, tables: Iterable[TableSnap]) -> SchemaSnapshot:
        return replace(self, tables=tuple(tables))
