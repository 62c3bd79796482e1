"""The statements of a table rebuild, per database family; no I/O.

A rebuild runs in three phases, each a list of statements (:class:`RebuildStatements`):
``build`` creates the new table under a scratch name and copies the rows (the old table is
untouched, so a failure here loses nothing on any database); ``swap`` puts the new table in
the old one's place; ``finish`` adds what could not exist while both tables did.

Where each constraint goes depends on where the database keeps constraint names:

- SQLite: everything is in ``CREATE TABLE``; indexes (schema-wide names) come after the swap.
  With foreign keys enforced, dropping the old table would run ``ON DELETE`` actions in the
  tables that reference it, so the safe variant drops it under ``defer_foreign_keys`` and
  fills a table created under the final name, which settles the deferred checks.
- PostgreSQL: primary key, unique and index names are schema-wide, so the scratch table gets
  only its columns and a primary key under a scratch name; the rest follows the swap.
- MySQL / MariaDB: index names are per table, so keys and indexes are built before the swap
  (a duplicate fails while the old table is intact); foreign key and (on MySQL) CHECK names
  are per database, so those come after. The swap is one atomic ``RENAME TABLE``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    cast,
    column,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy import schema as sa_schema
from sqlalchemy.engine.interfaces import Dialect as SADialect
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.schema import DefaultClause, Identity
from sqlalchemy.types import Integer

from sqlstrata.batch.plan import RebuildPlan
from sqlstrata.batch.shape import ColumnShape, Parts, TableShape, build_table, make_column
from sqlstrata.batch.sqltext import qualify_created
from sqlstrata.dialects.base import DialectContext
from sqlstrata.dialects.ddl import RawDDL, ddl_compiler, quote, string_literal, table_ref
from sqlstrata.dialects.generic import table_extras


@dataclass(frozen=True, slots=True, eq=False)
class RebuildStatements:
    build: tuple[Executable, ...] = ()
    swap: tuple[Executable, ...] = ()
    finish: tuple[Executable, ...] = ()


@dataclass(frozen=True, slots=True)
class SQLiteState:
    """What the connection says before a SQLite rebuild (defaults for a SQL script)."""

    legacy_alter_table: bool = False
    safe: bool = False
    old_sequence: int | None = None
    children: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Scratch:
    """The temporary names a rebuild uses."""

    table: str
    old: str
    primary_key: str


def scratch_name(sa_dialect: SADialect, prefix: str, name: str) -> str:
    """``prefix + name``, shortened with a hash when the database's limit requires."""
    limit = getattr(sa_dialect, "max_identifier_length", None) or 63
    full = prefix + name
    if len(full) <= limit:
        return full
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{prefix}{name[: limit - len(prefix) - 9]}_{digest}"


def scratch(sa_dialect: SADialect, name: str) -> Scratch:
    return Scratch(
        table=scratch_name(sa_dialect, "_strata_tmp_", name),
        old=scratch_name(sa_dialect, "_strata_old_", name),
        primary_key=scratch_name(sa_dialect, "_strata_pk_", name),
    )


def copy_rows(
    plan: RebuildPlan,
    into: Table,
    source_name: str,
    sa_dialect: SADialect,
    *,
    casts: bool,
) -> Executable:
    """``INSERT INTO new (...) SELECT ... FROM old`` following the plan's column mapping."""
    old = table(source_name, *(column(c.source) for c in plan.copy), schema=plan.target.schema)
    expressions: list[Any] = []
    for entry in plan.copy:
        value: Any = old.c[entry.source]
        if entry.using is not None:
            value = literal_column(entry.using)
        elif entry.convert and casts:
            value = cast(value, into.c[entry.target].type)
        expressions.append(value)
    targets = [entry.target for entry in plan.copy]
    return insert(into).from_select(targets, select(*expressions).select_from(old))


# -- SQLite --------------------------------------------------------------------------------


def sqlite_rebuild(
    plan: RebuildPlan, names: Scratch, ctx: DialectContext, state: SQLiteState
) -> RebuildStatements:
    """SQLite's procedure: create the new table, copy, drop the old one, rename the new."""
    d = ctx.sa_dialect
    target = plan.target
    final = target.name
    if state.safe:
        return _sqlite_safe_rebuild(plan, names, ctx, state)
    new = build_table(target, names.table, Parts(indexes=False))
    legacy = "ON" if state.legacy_alter_table else "OFF"
    rename = f"ALTER TABLE {table_ref(d, names.table, target.schema)} RENAME TO {quote(d, final)}"
    return RebuildStatements(
        build=(
            sa_schema.CreateTable(new),
            copy_rows(plan, new, final, d, casts=False),
            *_sqlite_sequence_carry(target, names.table, d),
        ),
        swap=(
            # Views naming the table would fail the rename's schema check while the table
            # is missing; the legacy rename skips that check (and rewrites nothing else).
            RawDDL("PRAGMA legacy_alter_table = ON"),
            sa_schema.DropTable(Table(final, MetaData(), schema=target.schema)),
            RawDDL(rename),
            RawDDL(f"PRAGMA legacy_alter_table = {legacy}"),
        ),
        finish=tuple(_sqlite_indexes(target, ctx)),
    )


def _sqlite_safe_rebuild(
    plan: RebuildPlan, names: Scratch, ctx: DialectContext, state: SQLiteState
) -> RebuildStatements:
    """Foreign keys enforced and other tables referencing this one: drop the old table
    under ``defer_foreign_keys`` (nothing references a holding table) and fill a table
    created under the final name, which settles the deferred checks.

    SQLite finds the rows that reference a deleted or inserted key by scanning the
    referencing table; helper indexes on the referencing columns keep that from being
    quadratic, and go again at the end.
    """
    d = ctx.sa_dialect
    target = plan.target
    final = target.name
    holding = build_table(target, names.table, Parts(foreign_keys=False, indexes=False))
    new = build_table(target, final, Parts(indexes=False))
    columns = [c.name for c in target.columns if not c.generated]
    own = [
        fk.columns
        for fk in target.foreign_keys
        if fk.referred_table == final and fk.referred_schema == target.schema
    ]
    sources = {c.target: c.source for c in plan.copy}
    old_own = [tuple(sources[c] for c in cols) for cols in own if all(c in sources for c in cols)]
    helpers = [
        (scratch_name(d, f"_strata_fk{i}_", final), table, cols)
        for i, (table, cols) in enumerate([*state.children, *((final, cols) for cols in old_own)])
    ]
    new_helpers = [
        (scratch_name(d, f"_strata_fk{len(helpers) + i}_", final), final, cols)
        for i, cols in enumerate(own)
    ]

    def create(name: str, table: str, cols: tuple[str, ...]) -> Executable:
        listed = ", ".join(quote(d, c) for c in cols)
        return RawDDL(
            f"CREATE INDEX {_qualified(d, name, target.schema)} ON {quote(d, table)} ({listed})"
        )

    return RebuildStatements(
        build=(
            RawDDL("PRAGMA defer_foreign_keys = ON"),
            sa_schema.CreateTable(holding),
            copy_rows(plan, holding, final, d, casts=False),
            *(create(*helper) for helper in helpers),
        ),
        swap=(
            sa_schema.DropTable(Table(final, MetaData(), schema=target.schema)),
            sa_schema.CreateTable(new),
            *(create(*helper) for helper in new_helpers),
            insert(new).from_select(columns, select(*(holding.c[name] for name in columns))),
            sa_schema.DropTable(holding),
            *_sqlite_sequence_restore(target, state.old_sequence, d),
        ),
        finish=(
            *(
                RawDDL(f"DROP INDEX IF EXISTS {_qualified(d, name, target.schema)}")
                for name, _, _ in [*helpers, *new_helpers]
            ),
            *_sqlite_indexes(target, ctx),
        ),
    )


def _qualified(d: SADialect, name: str, schema: str | None) -> str:
    if schema:
        return f"{d.identifier_preparer.quote_schema(schema)}.{quote(d, name)}"
    return quote(d, name)


def _sequence_table(target: TableShape, d: SADialect) -> str:
    if target.schema:
        return f"{d.identifier_preparer.quote_schema(target.schema)}.sqlite_sequence"
    return "sqlite_sequence"


def _autoincrement(target: TableShape) -> bool:
    return bool(dict(target.options).get("sqlite_autoincrement"))


def _sqlite_sequence_carry(target: TableShape, new_name: str, d: SADialect) -> list[Executable]:
    """Keep the AUTOINCREMENT counter: ids of deleted rows must not come back."""
    if not _autoincrement(target):
        return []
    seq = _sequence_table(target, d)
    old, new = string_literal(d, target.name), string_literal(d, new_name)
    return [
        RawDDL(
            f"UPDATE {seq} SET seq = MAX(seq, COALESCE((SELECT seq FROM {seq} "
            f"WHERE name = {old}), 0)) WHERE name = {new}"
        ),
        RawDDL(
            f"INSERT INTO {seq} (name, seq) SELECT {new}, seq FROM {seq} WHERE name = {old} "
            f"AND NOT EXISTS (SELECT 1 FROM {seq} WHERE name = {new})"
        ),
    ]


def _sqlite_sequence_restore(
    target: TableShape, old_sequence: int | None, d: SADialect
) -> list[Executable]:
    if not _autoincrement(target) or old_sequence is None:
        return []
    seq = _sequence_table(target, d)
    name = string_literal(d, target.name)
    return [
        RawDDL(f"UPDATE {seq} SET seq = MAX(seq, {int(old_sequence)}) WHERE name = {name}"),
        RawDDL(
            f"INSERT INTO {seq} (name, seq) SELECT {name}, {int(old_sequence)} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {seq} WHERE name = {name})"
        ),
    ]


def _sqlite_indexes(target: TableShape, ctx: DialectContext) -> Iterator[Executable]:
    """Indexes SQLite stored as SQL run as they were written; the others are rendered."""
    quote_ = ctx.sa_dialect.identifier_preparer.quote
    for index in target.indexes:
        if index.sql is not None:
            yield RawDDL(qualify_created(index.sql, target.schema, quote_))
    final = build_table(target, target.name)
    yield from table_extras(final, ctx)


# -- PostgreSQL and the rest ------------------------------------------------------------------


_NEXTVAL = re.compile(r"^\s*nextval\('((?:[^']|'')+)'(?:::regclass)?\)\s*$", re.I)


def _owned_sequence(shape: ColumnShape) -> str | None:
    """The sequence a serial column's ``nextval('...')`` default draws from, if any."""
    default = shape.column.server_default
    if not isinstance(default, DefaultClause):
        return None
    match = _NEXTVAL.match(str(getattr(default.arg, "text", default.arg)))
    return match.group(1).replace("''", "'") if match else None


def _plain_column(shape: ColumnShape) -> Column[Any]:
    """The column without identity or autoincrement: the scratch table keeps a serial's
    ``nextval`` default as it is, and identity is added once the rows are in."""
    identity = isinstance(shape.column.server_default, Identity)
    return make_column(shape.column, autoincrement=False, generated=not identity)


def postgresql_rebuild(
    plan: RebuildPlan, names: Scratch, ctx: DialectContext, inbound_drops: Sequence[Executable]
) -> RebuildStatements:
    """PostgreSQL, and the generic path for databases without a family of their own.

    ``inbound_drops`` drop the other tables' foreign keys to the table before it goes; a
    serial's sequence is released from the old table and given to the new one.
    """
    d = ctx.sa_dialect
    target = plan.target
    final = target.name
    postgresql = d.name == "postgresql"
    parts = Parts(
        uniques=False,
        checks=False,
        foreign_keys=False,
        indexes=False,
        primary_key_name=names.primary_key if postgresql else None,
        column=_plain_column,
    )
    new = build_table(target, names.table, parts)
    sequences = [(c.name, s) for c in target.columns if (s := _owned_sequence(c))]
    scratch_ref = table_ref(d, names.table, target.schema)
    swap: list[Executable] = [RawDDL(f"ALTER SEQUENCE {s} OWNED BY NONE") for _, s in sequences]
    swap += [
        *inbound_drops,
        sa_schema.DropTable(Table(final, MetaData(), schema=target.schema)),
        RawDDL(f"ALTER TABLE {scratch_ref} RENAME TO {quote(d, final)}"),
    ]
    ref = table_ref(d, final, target.schema)
    if postgresql and target.primary_key is not None:
        wanted = quote(d, target.primary_key.name or f"{final[:58]}_pkey")
        scratch_pk = quote(d, names.primary_key)
        swap.append(RawDDL(f"ALTER TABLE {ref} RENAME CONSTRAINT {scratch_pk} TO {wanted}"))
    whole = build_table(target, final)
    finish: list[Executable] = [
        sa_schema.AddConstraint(c)
        for c in _constraints(whole)
        if not isinstance(c, PrimaryKeyConstraint)
    ]
    finish += list(table_extras(whole, ctx))
    for name, sequence in sequences:
        finish.append(RawDDL(f"ALTER SEQUENCE {sequence} OWNED BY {ref}.{quote(d, name)}"))
    if postgresql:
        finish += _identities(target, whole, ctx)
    return RebuildStatements(
        build=(sa_schema.CreateTable(new), copy_rows(plan, new, final, d, casts=True)),
        swap=tuple(swap),
        finish=tuple(finish),
    )


def _constraints(whole: Table) -> list[Any]:
    """The table's constraints in an order that works: keys before foreign keys."""
    kinds = (PrimaryKeyConstraint, UniqueConstraint, CheckConstraint, ForeignKeyConstraint)
    found = [c for c in whole.constraints if not getattr(c, "_type_bound", False)]
    return sorted(
        (c for c in found if isinstance(c, kinds)),
        key=lambda c: (next(i for i, k in enumerate(kinds) if isinstance(c, k)), str(c.name)),
    )


def _identities(target: TableShape, whole: Table, ctx: DialectContext) -> list[Executable]:
    """Identity columns become identity again, and autoincrement columns that had
    neither default nor identity get the sequence SERIAL would have made; each counter
    starts after the highest value copied."""
    d = ctx.sa_dialect
    ref = table_ref(d, target.name, target.schema)
    compiler = ddl_compiler(d)
    found: list[Executable] = []
    for shape in target.columns:
        name = quote(d, shape.name)
        default = shape.column.server_default
        if isinstance(default, Identity):
            kind = "ALWAYS" if default.always else "BY DEFAULT"
            options = compiler.get_identity_options(default)
            options = f" ({options})" if options else ""
            found.append(
                RawDDL(
                    f"ALTER TABLE {ref} ALTER COLUMN {name} "
                    f"ADD GENERATED {kind} AS IDENTITY{options}"
                )
            )
        elif (
            default is None
            and whole.autoincrement_column is not None
            and whole.autoincrement_column.name == shape.name
            and isinstance(shape.column.type, Integer)
        ):
            sequence = quote(d, f"{target.name[:40]}_{shape.name[:18]}_seq")
            if target.schema:
                sequence = f"{d.identifier_preparer.quote_schema(target.schema)}.{sequence}"
            found += [
                RawDDL(f"CREATE SEQUENCE {sequence} OWNED BY {ref}.{name}"),
                RawDDL(
                    f"ALTER TABLE {ref} ALTER COLUMN {name} SET DEFAULT "
                    f"nextval({string_literal(d, sequence)}::regclass)"
                ),
            ]
        else:
            continue
        serial = (
            f"pg_get_serial_sequence({string_literal(d, ref)}, {string_literal(d, shape.name)})"
        )
        found.append(
            RawDDL(f"SELECT setval({serial}, COALESCE(MAX({name}), 0) + 1, false) FROM {ref}")
        )
    return found


def mysql_rebuild(
    plan: RebuildPlan, names: Scratch, ctx: DialectContext, inbound_drops: Sequence[Executable]
) -> RebuildStatements:
    """MySQL / MariaDB: keys and indexes built on the scratch table, one atomic swap."""
    d = ctx.sa_dialect
    target = plan.target
    final = target.name
    mariadb = bool(getattr(d, "is_mariadb", False))
    parts = Parts(checks=mariadb, foreign_keys=False, primary_key_name=None)
    new = build_table(target, names.table, parts)
    whole = build_table(target, final)
    kinds = (ForeignKeyConstraint,) if mariadb else (CheckConstraint, ForeignKeyConstraint)
    old_ref = table_ref(d, final, target.schema)
    return RebuildStatements(
        build=(
            sa_schema.CreateTable(new),
            *(sa_schema.CreateIndex(ix) for ix in sorted(new.indexes, key=lambda i: str(i.name))),
            copy_rows(plan, new, final, d, casts=False),
        ),
        swap=(
            *inbound_drops,
            RawDDL(
                f"RENAME TABLE {old_ref} TO {table_ref(d, names.old, target.schema)}, "
                f"{table_ref(d, names.table, target.schema)} TO {old_ref}"
            ),
            sa_schema.DropTable(Table(names.old, MetaData(), schema=target.schema)),
        ),
        finish=tuple(
            sa_schema.AddConstraint(c) for c in _constraints(whole) if isinstance(c, kinds)
        ),
    )
