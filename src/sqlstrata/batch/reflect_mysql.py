"""MySQL and MariaDB: complete SQLAlchemy's reflection from information_schema.

SQLAlchemy reads MySQL tables by parsing ``SHOW CREATE TABLE``. A name holding a backtick
comes back with the backtick doubled, and a foreign key whose names hold one is not found
at all. A rebuild would then create wrongly named columns and lose the foreign key, so
names are undoubled here and foreign keys (the table's and those pointing at it) are read
from ``information_schema``, which holds them as they are.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, text

from sqlstrata.batch.shape import (
    CheckShape,
    ColumnShape,
    ForeignKeyShape,
    KeyShape,
    TableShape,
    make_column,
)
from sqlstrata.ops.base import as_options

_FOREIGN_KEYS = text(
    "SELECT k.table_schema, k.table_name, k.constraint_name, k.column_name, "
    "k.referenced_table_schema, k.referenced_table_name, k.referenced_column_name, "
    "r.update_rule, r.delete_rule "
    "FROM information_schema.key_column_usage k "
    "JOIN information_schema.referential_constraints r "
    "ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name "
    "AND r.table_name = k.table_name "
    "WHERE k.referenced_table_name IS NOT NULL AND {where} "
    "ORDER BY k.table_name, k.constraint_name, k.ordinal_position"
)


def undouble(name: str) -> str:
    return name.replace("``", "`")


def _names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(undouble(name) for name in names)


def mysql_details(connection: Connection, shape: TableShape) -> TableShape:
    """``shape`` with its names undoubled and its foreign keys read afresh."""
    columns = tuple(
        ColumnShape(
            make_column(c.column, name=undouble(c.name)),
            undouble(c.source) if c.source else None,
            c.convert,
            c.using,
        )
        for c in shape.columns
    )
    pk = shape.primary_key
    keys = [fk for _, _, fk in mysql_foreign_keys(connection, shape.schema, table=shape.name)]
    return shape.replace(
        columns=columns,
        primary_key=KeyShape(pk.name, _names(pk.columns), pk.options) if pk else None,
        uniques=tuple(
            KeyShape(undouble(u.name) if u.name else None, _names(u.columns), u.options)
            for u in shape.uniques
        ),
        checks=tuple(
            CheckShape(undouble(c.name) if c.name else None, c.sqltext, c.options)
            for c in shape.checks
        ),
        indexes=tuple(
            replace(
                ix,
                name=undouble(ix.name),
                expressions=tuple(
                    e if is_text else undouble(e)
                    for e, is_text in zip(ix.expressions, ix.is_text, strict=True)
                ),
            )
            for ix in shape.indexes
        ),
        foreign_keys=tuple(keys),
    )


def mysql_foreign_keys(
    connection: Connection,
    schema: str | None,
    *,
    table: str | None = None,
    referenced: str | None = None,
) -> list[tuple[str, str | None, ForeignKeyShape]]:
    """Foreign keys of ``table`` (or pointing at ``referenced``) in ``schema`` (default:
    the connection's database), as (table, its schema if another one, key)."""
    if table is not None:
        where = "k.table_schema = COALESCE(:s, DATABASE()) AND k.table_name = :t"
        params = {"s": schema, "t": table}
    else:
        where = (
            "k.referenced_table_schema = COALESCE(:s, DATABASE()) AND k.referenced_table_name = :t"
        )
        params = {"s": schema, "t": referenced}
    current = schema or connection.exec_driver_sql("SELECT DATABASE()").scalar()
    grouped: dict[tuple[str, str, str], list[Any]] = {}
    statement = text(_FOREIGN_KEYS.text.format(where=where))
    for row in connection.execute(statement, params):
        grouped.setdefault((str(row[0]), str(row[1]), str(row[2])), []).append(row)
    found = []
    for (table_schema, table_name, name), key_rows in grouped.items():
        first = key_rows[0]
        options = {"onupdate": str(first[7]), "ondelete": str(first[8])}
        referred_schema = str(first[4])
        key = ForeignKeyShape(
            name,
            tuple(str(r[3]) for r in key_rows),
            str(first[5]),
            tuple(str(r[6]) for r in key_rows),
            None if referred_schema == current else referred_schema,
            as_options({k: v for k, v in options.items() if v not in ("NO ACTION", "RESTRICT")}),
        )
        own_schema = None if schema is None and table_schema == current else table_schema
        found.append((table_name, own_schema, key))
    return found
