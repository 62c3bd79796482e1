"""Safety checks around a rebuild, run on the live connection.

Before the rebuild: nothing outside the table may depend on what the batch removes (a
column another table's foreign key points at, a key such a foreign key needs), and on
SQLite with foreign keys enforced, dropping the old table must not fire ``ON DELETE``
actions in other tables. After it: the foreign keys of the table and of the tables that
reference it hold no more violations than before, and the views and triggers that use the
table still compile. Every failure is a :class:`~sqlstrata.errors.CommandError` raised
while the rebuild can still be rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, inspect, text

from sqlstrata.batch.emit import scratch_name
from sqlstrata.batch.plan import RebuildPlan
from sqlstrata.batch.reflect import InboundKey
from sqlstrata.batch.shape import TableShape
from sqlstrata.dialects.ddl import quote, table_ref
from sqlstrata.errors import CommandError
from sqlstrata.ops.base import option

_FK_OFF_HINT = (
    "Turn foreign key enforcement off for the migration's connection (PRAGMA foreign_keys=OFF "
    "before its transaction begins, e.g. in env.py); the rebuild checks the foreign keys "
    "itself with PRAGMA foreign_key_check."
)


def rebuild_error(table: str, why: str, hint: str) -> CommandError:
    return CommandError(f"Can't rebuild table {table!r}: {why}.", hint=hint)


def refuse_scratch_table(connection: Connection, name: str, schema: str | None, table: str) -> None:
    """A scratch table left by an interrupted rebuild must not be overwritten silently."""
    if inspect(connection).has_table(name, schema=schema):
        raise rebuild_error(
            table,
            f"a table named {name!r} exists (left behind by an interrupted rebuild?)",
            "Check that it holds nothing you need, drop it, and run the migration again.",
        )


def others(inbound: Iterable[InboundKey]) -> list[InboundKey]:
    """The inbound foreign keys that belong to other tables."""
    return [k for k in inbound if not k.own]


def check_inbound(plan: RebuildPlan, inbound: Sequence[InboundKey]) -> None:
    """Foreign keys of other tables must still find their columns, and a key over them."""
    target = plan.target
    renamed = plan.renamed
    keys = [set(u.columns) for u in target.uniques]
    if target.primary_key is not None:
        keys.append(set(target.primary_key.columns))
    keys += [set(ix.columns) for ix in target.indexes if ix.unique and not any(ix.is_text)]
    for key in others(inbound):
        named = f" {key.key.name!r}" if key.key.name else ""
        described = f"the foreign key{named} of table {key.table!r}"
        lost = [c for c in key.key.referred_columns if c in plan.dropped]
        if lost:
            raise rebuild_error(
                target.name,
                f"column {lost[0]!r} is dropped, but {described} references it",
                f"Drop that foreign key first (op.drop_constraint(..., {key.table!r}, "
                "type_='foreignkey')).",
            )
        columns = {renamed.get(c, c) for c in key.key.referred_columns}
        if columns not in keys:
            raise rebuild_error(
                target.name,
                f"{described} references ({', '.join(sorted(columns))}), which would no longer "
                "be the primary key or unique",
                "Keep a primary key or unique constraint on those columns, or drop the "
                "foreign key first.",
            )


def refuse_delete_actions(
    connection: Connection, table: TableShape, inbound: Sequence[InboundKey]
) -> None:
    """With foreign keys enforced, DROP TABLE deletes the rows first and runs the ON DELETE
    actions of the referencing tables; refuse when that would touch rows."""
    d = connection.dialect
    for key in inbound:
        action = str(option(key.key.options, "ondelete") or "").upper()
        own = key.own
        if action not in ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT"):
            continue
        if own and action != "RESTRICT":
            continue  # the old rows go anyway
        condition = " AND ".join(f"{quote(d, c)} IS NOT NULL" for c in key.key.columns)
        found = connection.execute(
            text(f"SELECT 1 FROM {table_ref(d, key.table, key.schema)} WHERE {condition} LIMIT 1")
        ).first()
        if found is not None:
            raise rebuild_error(
                table.name,
                f"foreign keys are enforced on this connection, and dropping the old table "
                f"would run ON DELETE {action} on the rows of {key.table!r} that reference it",
                _FK_OFF_HINT,
            )


def pragma_value(connection: Connection, name: str) -> Any:
    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def sqlite_sequence(connection: Connection, table: TableShape) -> int | None:
    """The AUTOINCREMENT counter of ``table``, if it has one."""
    d = connection.dialect
    prefix = f"{d.identifier_preparer.quote_schema(table.schema)}." if table.schema else ""
    exists = connection.execute(
        text(f"SELECT 1 FROM {prefix}sqlite_master WHERE name = 'sqlite_sequence'")
    ).first()
    if exists is None:
        return None
    value = connection.execute(
        text(f"SELECT seq FROM {prefix}sqlite_sequence WHERE name = :n"), {"n": table.name}
    ).scalar()
    return int(value) if value is not None else None


def foreign_key_violations(
    connection: Connection, tables: Iterable[str], schema: str | None
) -> dict[str, int] | None:
    """``PRAGMA foreign_key_check`` row counts per table; ``None`` if SQLite cannot even
    check (a foreign key that matches no key raises "foreign key mismatch")."""
    d = connection.dialect
    prefix = f"{quote(d, schema)}." if schema else ""
    counts = {}
    try:
        for name in tables:
            rows = connection.exec_driver_sql(f"PRAGMA {prefix}foreign_key_check({quote(d, name)})")
            counts[name] = len(rows.all())
    except Exception:
        return None
    return counts


def verify_foreign_keys(
    connection: Connection,
    table: str,
    tables: Sequence[str],
    schema: str | None,
    before: dict[str, int] | None,
) -> None:
    """Fail if the rebuild left more foreign key violations than there were before."""
    after = foreign_key_violations(connection, tables, schema)
    if after is None:
        raise rebuild_error(
            table,
            "PRAGMA foreign_key_check fails after the rebuild (a foreign key no longer "
            "matches a primary key or unique constraint)",
            "Keep the keys that other tables' foreign keys reference.",
        )
    for name, count in after.items():
        was = before.get(name, 0) if before else 0
        if count > was:
            raise rebuild_error(
                table,
                f"PRAGMA foreign_key_check finds {count - was} new violation(s) in {name!r}",
                "Make the rows satisfy the foreign keys before the batch, or drop the "
                "foreign key in the batch.",
            )


@contextmanager
def savepoint(connection: Connection | None) -> Iterator[None]:
    """Everything inside happens or nothing does (on databases with transactional DDL)."""
    if connection is None:
        yield
        return
    nested = connection.begin_nested()
    try:
        yield
    except BaseException:
        if nested.is_active:
            nested.rollback()
        raise
    if nested.is_active:
        nested.commit()


def sqlite_schema_problem(connection: Connection, table: str, schema: str | None) -> str | None:
    """What SQLite's own schema check says about the views and triggers using ``table``.

    Renaming a table makes SQLite re-read every view and trigger that mentions it and
    report the first one that no longer compiles; the rename is rolled back at once.
    """
    d = connection.dialect
    legacy = pragma_value(connection, "legacy_alter_table")
    probe = scratch_name(d, "_strata_check_", table)
    nested = connection.begin_nested()
    try:
        connection.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        connection.exec_driver_sql(
            f"ALTER TABLE {table_ref(d, table, schema)} RENAME TO {quote(d, probe)}"
        )
    except Exception as error:
        return str(getattr(error, "orig", error))
    finally:
        nested.rollback()
        connection.exec_driver_sql(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")
    return None


def broken_views(connection: Connection, table: str, schema: str | None) -> dict[str, str]:
    """MySQL: the views mentioning ``table`` that fail to run, with the error."""
    d = connection.dialect
    rows = connection.execute(
        text(
            "SELECT table_name, view_definition FROM information_schema.views "
            "WHERE table_schema = COALESCE(:s, DATABASE())"
        ),
        {"s": schema},
    ).all()
    broken = {}
    for name, definition in rows:
        if table not in str(definition):
            continue
        try:
            connection.exec_driver_sql(f"SELECT * FROM {table_ref(d, str(name), schema)} LIMIT 0")
        except Exception as error:
            broken[str(name)] = str(getattr(error, "orig", error))
    return broken
