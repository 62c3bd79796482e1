"""Read, from a live database, what a rebuild needs to know about a table.

:func:`reflect_shape` reflects the table into a :class:`~sqlstrata.batch.shape.TableShape`.
On SQLite, SQLAlchemy's reflection is completed from the stored ``CREATE TABLE`` (constraint
names, every CHECK, ``COLLATE``, ``AUTOINCREMENT``) and from ``PRAGMA index_list`` (unique
constraints), and indexes keep the exact statement they were created with (partial and
expression indexes included), so a rebuild loses none of it.

The other functions look around the table: foreign keys of other tables that point at it,
its triggers (to create them again) and, on PostgreSQL, the views that depend on it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table, inspect, text
from sqlalchemy.exc import NoSuchTableError, SAWarning

from sqlstrata.batch.reflect_mysql import mysql_details, mysql_foreign_keys
from sqlstrata.batch.request import BatchRequest
from sqlstrata.batch.shape import (
    CheckShape,
    ForeignKeyShape,
    IndexShape,
    KeyShape,
    TableShape,
    make_column,
    shape_of,
)
from sqlstrata.batch.sqltext import (
    ParsedTable,
    parse_create_index,
    parse_create_table,
    qualify_created,
)
from sqlstrata.dialects.ddl import table_ref
from sqlstrata.errors import CommandError
from sqlstrata.ops.base import as_options

log = logging.getLogger("sqlstrata.batch")


def reflect_shape(connection: Connection, request: BatchRequest) -> tuple[TableShape, list[str]]:
    """The table as the database has it, with any ``reflect_args`` overrides; and the
    warnings about what cannot be carried over."""
    try:
        with warnings.catch_warnings():
            if connection.dialect.name == "sqlite":
                # Expression indexes and oddly named foreign keys are read from the SQL.
                warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
                warnings.filterwarnings("ignore", "WARNING: SQL-parsed foreign key", SAWarning)
            table = Table(
                request.table_name,
                MetaData(),
                *request.reflect_args,
                schema=request.schema,
                autoload_with=connection,
                resolve_fks=False,
                **dict(request.reflect_kwargs),
            )
    except NoSuchTableError:
        raise CommandError(
            f"Can't batch-alter table {request.table_name!r}: it does not exist.",
            hint="Check the table name and schema.",
        ) from None
    shape = shape_of(table, connection.dialect)
    if connection.dialect.name in ("mysql", "mariadb"):
        return mysql_details(connection, shape), []
    if connection.dialect.name != "sqlite":
        return shape, []
    overridden = {item.name for item in request.reflect_args if hasattr(item, "type")}
    return _sqlite_details(connection, shape, overridden)


def _master(connection: Connection, schema: str | None) -> str:
    if schema is None:
        return "sqlite_master"
    return f"{connection.dialect.identifier_preparer.quote_schema(schema)}.sqlite_master"


def _pragma(connection: Connection, name: str, schema: str | None, argument: str) -> list[Any]:
    quote = connection.dialect.identifier_preparer.quote
    prefix = f"{quote(schema)}." if schema else ""
    return list(connection.exec_driver_sql(f"PRAGMA {prefix}{name}({quote(argument)})"))


def _sqlite_details(
    connection: Connection, shape: TableShape, overridden: set[str]
) -> tuple[TableShape, list[str]]:
    sql = connection.execute(
        text(
            f"SELECT sql FROM {_master(connection, shape.schema)} "
            "WHERE type = 'table' AND name = :n"
        ),
        {"n": shape.name},
    ).scalar()
    parsed = parse_create_table(str(sql or ""))
    warnings = []
    if parsed.on_conflict:
        warnings.append(
            f"Table {shape.name!r} has ON CONFLICT clauses; the rebuilt table does not keep them."
        )
    columns = []
    for column in shape.columns:
        found = parsed.column(column.name)
        collation = found.collation if found else None
        if collation is None or column.name in overridden:
            columns.append(column)
            continue
        type_ = column.column.type.copy()
        if hasattr(type_, "collation"):
            type_.collation = collation
        else:
            warnings.append(
                f"Column {shape.name}.{column.name} has COLLATE {collation}, which its type "
                "cannot carry; the rebuilt column does not keep it."
            )
        columns.append(column.__class__(make_column(column.column, type_=type_), column.source))
    options = dict(shape.options)
    if parsed.autoincrement:
        options["sqlite_autoincrement"] = True
    primary = parsed.of_kind("primary")
    primary_key = shape.primary_key
    if primary_key is not None and primary and primary[0].name:
        primary_key = KeyShape(primary[0].name, primary_key.columns, primary_key.options)
    details = shape.replace(
        columns=tuple(columns),
        options=as_options(options),
        primary_key=primary_key,
        checks=_sqlite_checks(shape, parsed),
        uniques=_sqlite_uniques(connection, shape, parsed),
        foreign_keys=_sqlite_foreign_keys(connection, shape, parsed),
        indexes=_sqlite_indexes(connection, shape),
    )
    for message in warnings:
        log.warning(message)
    return details, warnings


def _sqlite_checks(shape: TableShape, parsed: ParsedTable) -> tuple[CheckShape, ...]:
    """Every CHECK of the stored SQL, named or not; and any SQLAlchemy found that the
    parse did not (none should be), so that no CHECK is ever left out."""
    found = [CheckShape(c.name, c.sqltext or "") for c in parsed.of_kind("check")]
    texts = {" ".join(c.sqltext.split()) for c in found}
    found += [c for c in shape.checks if " ".join(c.sqltext.split()) not in texts]
    return tuple(found)


def _same(a: Sequence[str], b: Sequence[str]) -> bool:
    return [x.casefold() for x in a] == [y.casefold() for y in b]


def _sqlite_uniques(
    connection: Connection, shape: TableShape, parsed: ParsedTable
) -> tuple[KeyShape, ...]:
    """UNIQUE constraints from PRAGMA index_list (origin 'u'), named as the SQL names them."""
    found = []
    declared = list(parsed.of_kind("unique"))
    for row in _pragma(connection, "index_list", shape.schema, shape.name):
        if row[3] != "u":
            continue
        info = _pragma(connection, "index_info", shape.schema, str(row[1]))
        columns = tuple(str(r[2]) for r in sorted(info, key=lambda r: r[0]))
        match = next((d for d in declared if _same(d.columns, columns)), None)
        if match is not None:
            declared.remove(match)
        found.append(KeyShape(match.name if match else None, columns))
    return tuple(reversed(found))


def _sqlite_foreign_keys(
    connection: Connection, shape: TableShape, parsed: ParsedTable
) -> tuple[ForeignKeyShape, ...]:
    """The reflected foreign keys with the name, ON DELETE / ON UPDATE and deferrability
    SQLAlchemy's parsing misses (column-level REFERENCES, names holding quotes)."""
    actions: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}
    for row in _pragma(connection, "foreign_key_list", shape.schema, shape.name):
        key = (str(row[2]).casefold(), row[0])
        entry = actions.setdefault(key, {"onupdate": str(row[5]), "ondelete": str(row[6])})
        entry.setdefault("columns", "")
        entry["columns"] += f"\x00{row[3]}"
    by_columns = {
        (table, tuple(entry.pop("columns").split("\x00")[1:])): entry
        for (table, _), entry in actions.items()
    }
    declared = list(parsed.of_kind("foreignkey"))
    found = []
    for fk in shape.foreign_keys:
        table = fk.referred_table.casefold()
        match = next(
            (
                d
                for d in declared
                if (d.referred_table or "").casefold() == table and _same(d.columns, fk.columns)
            ),
            None,
        )
        if match is not None:
            declared.remove(match)
        options = dict(fk.options)
        for option_name, value in by_columns.get((table, fk.columns), {}).items():
            if value.upper() != "NO ACTION":
                options[option_name] = value.upper()
        if match is not None and match.deferrable is not None:
            options["deferrable"] = match.deferrable
        if match is not None and match.initially is not None:
            options["initially"] = match.initially
        name = fk.name if fk.name is not None else (match.name if match else None)
        found.append(
            ForeignKeyShape(
                name,
                fk.columns,
                fk.referred_table,
                fk.referred_columns,
                fk.referred_schema,
                as_options(options),
            )
        )
    return tuple(found)


def _sqlite_indexes(connection: Connection, shape: TableShape) -> tuple[IndexShape, ...]:
    rows = connection.execute(
        text(
            f"SELECT name, sql FROM {_master(connection, shape.schema)} "
            "WHERE type = 'index' AND tbl_name = :n AND sql IS NOT NULL ORDER BY name"
        ),
        {"n": shape.name},
    )
    return tuple(
        IndexShape(str(name), (), (), parse_create_index(str(sql)).unique, sql=str(sql))
        for name, sql in rows
    )


# -- around the table -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboundKey:
    """A foreign key of another table (``table`` in ``schema``) that points at ours."""

    table: str
    schema: str | None
    key: ForeignKeyShape
    own: bool = False


def inbound_foreign_keys(
    connection: Connection, table_name: str, schema: str | None
) -> tuple[InboundKey, ...]:
    """The foreign keys of other tables that reference ``table_name`` (and those of the
    table itself that reference it)."""
    if connection.dialect.name == "sqlite":
        return _sqlite_inbound(connection, table_name, schema)
    if connection.dialect.name in ("mysql", "mariadb"):
        return tuple(
            InboundKey(table, key_schema, key, own=table == table_name and key_schema == schema)
            for table, key_schema, key in mysql_foreign_keys(
                connection, schema, referenced=table_name
            )
        )
    inspector = inspect(connection)
    default = inspector.default_schema_name
    target = schema or default
    schemas: list[str | None] = [schema]
    if connection.dialect.name == "postgresql":
        schemas = [s for s in inspector.get_schema_names() if not s.startswith("pg_")]
        schemas = [s for s in schemas if s != "information_schema"]
    found = []
    for each in schemas:
        keys = inspector.get_multi_foreign_keys(schema=each)
        for (table_schema, referring), fks in sorted(keys.items(), key=lambda kv: str(kv[0])):
            for fk in fks:
                if fk["referred_table"] != table_name:
                    continue
                if (fk["referred_schema"] or table_schema or default) != target:
                    continue
                key = ForeignKeyShape(
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    table_name,
                    tuple(fk["referred_columns"]),
                    schema,
                    as_options({k: v for k, v in (fk.get("options") or {}).items() if v}),
                )
                own = referring == table_name and (table_schema or default) == target
                found.append(InboundKey(referring, table_schema, key, own))
    return tuple(found)


def _sqlite_inbound(
    connection: Connection, table_name: str, schema: str | None
) -> tuple[InboundKey, ...]:
    """SQLite's foreign keys to the table, from PRAGMA foreign_key_list (SQLAlchemy misses
    the ON DELETE of a column-level REFERENCES). A REFERENCES without columns means the
    primary key."""
    tables = inspect(connection).get_table_names(schema=schema)
    primary_key: tuple[str, ...] | None = None
    found = []
    for referring in tables:
        grouped: dict[int, list[Any]] = {}
        for row in _pragma(connection, "foreign_key_list", schema, referring):
            if str(row[2]).casefold() == table_name.casefold():
                grouped.setdefault(int(row[0]), []).append(row)
        for key_rows in grouped.values():
            key_rows.sort(key=lambda r: r[1])
            referred = tuple(str(r[4]) for r in key_rows if r[4] is not None)
            if not referred:
                if primary_key is None:
                    pk = inspect(connection).get_pk_constraint(table_name, schema=schema)
                    primary_key = tuple(pk["constrained_columns"])
                referred = primary_key
            options = {"onupdate": str(key_rows[0][5]), "ondelete": str(key_rows[0][6])}
            key = ForeignKeyShape(
                None,
                tuple(str(r[3]) for r in key_rows),
                table_name,
                referred,
                schema,
                as_options({k: v for k, v in options.items() if v.upper() != "NO ACTION"}),
            )
            found.append(InboundKey(referring, schema, key, own=referring == table_name))
    return tuple(found)


def triggers(connection: Connection, table_name: str, schema: str | None) -> list[str]:
    """The statements that create the table's triggers again."""
    d = connection.dialect
    if d.name == "sqlite":
        rows = connection.execute(
            text(
                f"SELECT sql FROM {_master(connection, schema)} WHERE type = 'trigger' "
                "AND tbl_name = :n AND sql IS NOT NULL ORDER BY name"
            ),
            {"n": table_name},
        )
        quote = d.identifier_preparer.quote
        return [qualify_created(str(sql), schema, quote) for (sql,) in rows]
    if d.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT pg_get_triggerdef(oid) FROM pg_catalog.pg_trigger "
                "WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal ORDER BY tgname"
            ),
            {"t": table_ref(d, table_name, schema)},
        )
        return [str(sql) for (sql,) in rows]
    if d.name in ("mysql", "mariadb"):
        names = connection.execute(
            text(
                "SELECT trigger_name FROM information_schema.triggers "
                "WHERE event_object_schema = COALESCE(:s, DATABASE()) "
                "AND event_object_table = :t ORDER BY action_order"
            ),
            {"s": schema, "t": table_name},
        ).scalars()
        statements = []
        for name in list(names):
            quoted = d.identifier_preparer.quote(str(name))
            target = f"{d.identifier_preparer.quote_schema(schema)}.{quoted}" if schema else quoted
            row = connection.exec_driver_sql(f"SHOW CREATE TRIGGER {target}").one()
            statements.append(str(row[2]))
        return statements
    return []


def dependent_views(connection: Connection, table_name: str, schema: str | None) -> list[str]:
    """Views that depend on the table (PostgreSQL refuses to drop it under them)."""
    if connection.dialect.name != "postgresql":
        return []
    rows = connection.execute(
        text(
            "SELECT DISTINCT v.oid::regclass::text FROM pg_catalog.pg_depend d "
            "JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid "
            "JOIN pg_catalog.pg_class v ON v.oid = r.ev_class "
            "WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass "
            "AND d.refobjid = to_regclass(:t) AND v.oid <> d.refobjid ORDER BY 1"
        ),
        {"t": table_ref(connection.dialect, table_name, schema)},
    )
    return [str(name) for (name,) in rows]


def exclusion_constraints(connection: Connection, table_name: str, schema: str | None) -> list[str]:
    """PostgreSQL: statements that add the table's EXCLUDE constraints again (reflection
    does not see them)."""
    if connection.dialect.name != "postgresql":
        return []
    d = connection.dialect
    ref = table_ref(d, table_name, schema)
    rows = connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint "
            "WHERE conrelid = to_regclass(:t) AND contype = 'x' ORDER BY conname"
        ),
        {"t": ref},
    )
    return [
        f"ALTER TABLE {ref} ADD CONSTRAINT {d.identifier_preparer.quote(str(name))} {definition}"
        for name, definition in rows
    ]


def postgresql_losses(connection: Connection, table_name: str, schema: str | None) -> list[str]:
    """PostgreSQL: what a rebuilt table does not get back (privileges, row security)."""
    if connection.dialect.name != "postgresql":
        return []
    row = connection.execute(
        text(
            "SELECT relacl IS NOT NULL, EXISTS (SELECT 1 FROM pg_catalog.pg_policy "
            "WHERE polrelid = c.oid) FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(:t)"
        ),
        {"t": table_ref(connection.dialect, table_name, schema)},
    ).one()
    found = []
    if row[0]:
        found.append(f"the privileges granted on {table_name!r} are not carried over")
    if row[1]:
        found.append(f"the row security policies of {table_name!r} are not carried over")
    return found
