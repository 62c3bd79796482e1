"""Build a :class:`~sqlstrata.autogen.snapshot.SchemaSnapshot` from SQLAlchemy MetaData.

Types, defaults, conditions and index expressions are compiled for the target database, so
the snapshot holds the SQL that database would be given. Nothing here touches a database.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Column,
    Computed,
    Enum,
    ForeignKeyConstraint,
    Identity,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
)
from sqlalchemy import Sequence as SequenceObj
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.schema import DefaultClause, ForeignKey
from sqlalchemy.types import TypeEngine

from sqlstrata.autogen.snapshot import (
    CheckSnap,
    ColumnSnap,
    ComputedSnap,
    EnumSnap,
    ForeignKeySnap,
    IdentitySnap,
    IndexSnap,
    PrimaryKeySnap,
    SchemaSnapshot,
    SequenceSnap,
    TableKey,
    TableSnap,
    UniqueSnap,
    canonical,
)
from sqlstrata.dialects.ddl import ddl_compiler

# Index options that say how to build an index, not what it is.
_OPERATIONAL_OPTIONS = frozenset({"postgresql_concurrently", "mssql_online"})
_SEQUENCE_OPTIONS = ("start", "increment", "minvalue", "maxvalue", "cycle", "cache", "order")


def snapshot_from_metadata(
    metadata: MetaData | Sequence[MetaData],
    sa_dialect: SADialect,
    *,
    default_schema: str | None = None,
    schemas: Collection[str | None] | None = None,
) -> SchemaSnapshot:
    """Describe the tables (of ``schemas``, all when ``None``) in ``metadata`` as ``sa_dialect``
    would create them. ``default_schema`` is the database's default schema: tables naming it
    explicitly are filed under ``None``, as reflection files them."""
    builder = _Builder(sa_dialect, default_schema)
    tables = [
        t
        for md in _metadatas(metadata)
        for t in md.tables.values()
        if schemas is None or builder.schema(t.schema) in schemas
    ]
    snaps = tuple(builder.table(t) for t in tables)
    enums: dict[TableKey, EnumSnap] = {}
    if sa_dialect.name == "postgresql":
        for table in tables:
            for column in table.columns:
                enum = _named_enum(column.type, arrays=True)
                if enum is not None:
                    snap = builder.enum(enum, table)
                    enums.setdefault(snap.key, snap)
    sequences: dict[TableKey, SequenceSnap] = {}
    if sa_dialect.supports_sequences:
        for md in _metadatas(metadata):
            for seq in md._sequences.values():
                seq_snap = builder.sequence(seq)
                if schemas is None or seq_snap.schema in schemas:
                    sequences.setdefault(seq_snap.key, seq_snap)
    return SchemaSnapshot(snaps, tuple(enums.values()), tuple(sequences.values()))


def _metadatas(metadata: MetaData | Sequence[MetaData]) -> Iterable[MetaData]:
    return (metadata,) if isinstance(metadata, MetaData) else tuple(metadata)


def _named_enum(type_: TypeEngine[Any], *, arrays: bool = False) -> Enum | None:
    """The named native enum type a column uses (with ``arrays``, also as array elements)."""
    if arrays and isinstance(type_, ARRAY):
        type_ = type_.item_type
    if isinstance(type_, Enum) and type_.native_enum and type_.name:
        return type_
    return None


def constraint_name(name: Any) -> str | None:
    """A constraint's name, ``None`` for unnamed ones (incl. SQLAlchemy's ``_NONE_NAME``)."""
    return name if isinstance(name, str) else None


class _Builder:
    """Compiles one MetaData's objects for one dialect."""

    def __init__(self, sa_dialect: SADialect, default_schema: str | None) -> None:
        self.dialect = sa_dialect
        self.default_schema = default_schema
        self.compiler = ddl_compiler(sa_dialect)

    def schema(self, schema: str | None) -> str | None:
        return None if schema == self.default_schema else schema

    def sql(self, expression: Any) -> str:
        """Compile a SQL expression inline, without table prefixes."""
        if isinstance(expression, str):
            return expression
        rendered: str = self.compiler.sql_compiler.process(
            expression, include_table=False, literal_binds=True
        )
        return rendered

    def type_sql(self, type_: TypeEngine[Any]) -> str:
        try:
            rendered: str = self.dialect.type_compiler_instance.process(type_)
        except Exception:  # a type this database has no DDL for (CompileError and kin)
            return ""
        return rendered

    def table(self, table: Table) -> TableSnap:
        pk = table.primary_key
        checks = [
            CheckSnap(name, self.sql(c.sqltext))
            for c in table.constraints
            if isinstance(c, CheckConstraint)
            and (name := constraint_name(c.name)) is not None
            and self._wanted(c)
        ]
        return canonical(
            TableSnap(
                name=table.name,
                schema=self.schema(table.schema),
                columns=tuple(self.column(c, table) for c in table.columns),
                primary_key=(
                    PrimaryKeySnap(constraint_name(pk.name), tuple(c.name for c in pk.columns))
                    if len(pk.columns)
                    else None
                ),
                uniques=tuple(
                    UniqueSnap(
                        constraint_name(c.name),
                        tuple(col.name for col in c.columns),
                        c.deferrable,
                        c.initially,
                    )
                    for c in table.constraints
                    if isinstance(c, UniqueConstraint)
                ),
                foreign_keys=tuple(self.foreign_key(fk) for fk in table.foreign_key_constraints),
                checks=tuple(sorted(checks, key=lambda c: str(c.name))),
                indexes=tuple(self.index(ix, table) for ix in table.indexes),
                comment=table.comment,
                renamed_from=table.info.get("renamed_from"),
                options=tuple(sorted(table.dialect_kwargs.items())),
            )
        )

    def _wanted(self, check: CheckConstraint) -> bool:
        """Whether the database gets this CHECK (a Boolean's is skipped where booleans are
        native)."""
        rule = getattr(check, "_create_rule", None)
        return rule is None or bool(rule(self.compiler))

    def column(self, column: Column[Any], table: Table) -> ColumnSnap:
        default: str | None = None
        default_arg: Any = None
        known = True
        identity: IdentitySnap | None = None
        computed: ComputedSnap | None = None
        server_default = column.server_default
        if isinstance(server_default, Computed):
            computed = ComputedSnap(self.sql(server_default.sqltext), server_default.persisted)
        elif isinstance(server_default, Identity):
            identity = IdentitySnap(
                bool(server_default.always), server_default.start, server_default.increment
            )
        elif isinstance(server_default, DefaultClause):
            default = self.compiler.get_column_default_string(column)
            default_arg = server_default.arg
        elif server_default is not None:
            known = False
        enum = _named_enum(column.type) if self.dialect.name == "postgresql" else None
        return ColumnSnap(
            name=column.name,
            type_sql=self.type_sql(column.type),
            nullable=bool(column.nullable),
            default=default,
            default_known=known,
            comment=column.comment,
            autoincrement=column is table.autoincrement_column,
            identity=identity,
            computed=computed,
            enum=self.enum(enum, table).key if enum is not None else None,
            renamed_from=column.info.get("renamed_from"),
            type_=column.type,
            default_arg=default_arg,
        )

    def enum(self, enum: Enum, table: Table) -> EnumSnap:
        schema = enum.schema
        with warnings.catch_warnings():  # deprecated in SQLAlchemy 2.1, still honoured
            warnings.simplefilter("ignore", DeprecationWarning)
            inherit = bool(getattr(enum, "inherit_schema", False))
        if schema is None and inherit:
            schema = table.schema
        return EnumSnap(str(enum.name), self.schema(schema), tuple(enum.enums))

    def foreign_key(self, fk: ForeignKeyConstraint) -> ForeignKeySnap:
        targets = [_target(element) for element in fk.elements]
        schema, table = targets[0][0], targets[0][1]
        return ForeignKeySnap(
            name=constraint_name(fk.name),
            columns=tuple(fk.column_keys),
            referred_schema=self.schema(schema),
            referred_table=table,
            referred_columns=tuple(t[2] for t in targets),
            ondelete=fk.ondelete,
            onupdate=fk.onupdate,
            deferrable=fk.deferrable,
            initially=fk.initially,
            match=fk.match,
        )

    def index(self, index: Index, table: Table) -> IndexSnap:
        elements: list[str] = []
        expressions: list[bool] = []
        for expr in index.expressions:
            if isinstance(expr, Column) and expr.table is table:
                elements.append(expr.name)
                expressions.append(False)
            elif isinstance(expr, str) and expr in table.c:
                elements.append(expr)
                expressions.append(False)
            else:
                elements.append(self.sql(expr))
                expressions.append(True)
        return IndexSnap(
            name=constraint_name(index.name),
            elements=tuple(elements),
            expressions=tuple(expressions),
            unique=bool(index.unique),
            options=self.index_options(index),
        )

    def index_options(self, index: Index) -> tuple[tuple[str, Any], ...]:
        prefix = f"{self.dialect.name}_"
        return clean_options(
            (key, option_value(key, value, self.sql))
            for key, value in index.dialect_kwargs.items()
            if key.startswith(prefix)
        )

    def sequence(self, seq: SequenceObj) -> SequenceSnap:
        options = tuple(
            (name, getattr(seq, name))
            for name in _SEQUENCE_OPTIONS
            if getattr(seq, name, None) is not None
        )
        return SequenceSnap(seq.name, self.schema(seq.schema), options)


def clean_options(options: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    """Index options without those that state a default (``postgresql_using="btree"``, an
    empty ``postgresql_include``) or only say how to build the index."""
    kept = []
    for key, value in options:
        if key in _OPERATIONAL_OPTIONS or value is None or value is False:
            continue
        if isinstance(value, str | tuple) and not value:
            continue
        if key.endswith("_using") and str(value).lower() == "btree":
            continue
        kept.append((key, value))
    return tuple(sorted(kept))


def option_value(key: str, value: Any, sql: Any) -> Any:
    """A hashable, comparable form of a dialect option's value; SQL becomes text."""
    if key.endswith("_where"):
        return sql(value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), option_value(key, v, sql)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(v.name if isinstance(v, Column) else v for v in value)
    if isinstance(value, str):
        return value
    if hasattr(value, "__clause_element__") or hasattr(value, "compile"):
        return sql(value)
    return value


def _target(element: ForeignKey) -> tuple[str | None, str, str]:
    """``(schema, table, column)`` a ForeignKey points at, resolved or not."""
    try:
        column = element.column
    except Exception:  # the target table is not in this MetaData
        schema, table, name = element._column_tokens
        return schema, str(table), str(name or "")
    owner = column.table
    return getattr(owner, "schema", None), str(getattr(owner, "name", "")), str(column.name)
