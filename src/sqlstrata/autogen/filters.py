"""Apply env.py's ``include_object`` hook to a pair of snapshots.

``include_object(object, name, type_, reflected, compare_to)`` gets SQLAlchemy objects, as in
Alembic: for what the models have, their own Table, Column, Index and constraint objects (so
``object.info`` works); for what only the database has, objects built from the reflection. An
object the hook rejects leaves both snapshots, so it is neither created nor dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Index, MetaData, Table

from sqlstrata.autogen import objects
from sqlstrata.autogen.snapshot import SchemaSnapshot, TableKey, TableSnap

IncludeObject = Callable[[Any, "str | None", str, bool, Any], bool]

_KINDS = (
    ("uniques", "unique_constraint"),
    ("foreign_keys", "foreign_key_constraint"),
    ("checks", "check_constraint"),
    ("indexes", "index"),
)


def include_objects(
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    hook: IncludeObject | None,
    metadata: Sequence[MetaData],
    dialect: str,
    default_schema: str | None = None,
) -> tuple[SchemaSnapshot, SchemaSnapshot]:
    """``old`` (reflected) and ``new`` (models) without what ``hook`` excludes."""
    if hook is None:
        return old, new
    models = _model_tables(metadata, default_schema)
    reflected = {t.key: t for t in old.tables}
    modelled = {t.key: t for t in new.tables}
    keep_old: list[TableSnap] = []
    keep_new: list[TableSnap] = []
    for key in list(dict.fromkeys([*reflected, *modelled])):
        mine, theirs = modelled.get(key), reflected.get(key)
        model_obj = models.get(key) if mine is not None else None
        db_obj = _table_object(theirs, dialect) if theirs is not None else None
        subject = model_obj if model_obj is not None else db_obj
        compare_to = db_obj if model_obj is not None else None
        if not hook(subject, key[1], "table", model_obj is None, compare_to):
            continue
        if theirs is not None:
            keep_old.append(_filter_table(theirs, hook, db_obj, model_obj, reflected=True))
        if mine is not None:
            keep_new.append(_filter_table(mine, hook, model_obj, db_obj, reflected=False))
    return old.with_tables(keep_old), new.with_tables(keep_new)


def _model_tables(
    metadata: Sequence[MetaData], default_schema: str | None
) -> dict[TableKey, Table]:
    out: dict[TableKey, Table] = {}
    for md in metadata:
        for table in md.tables.values():
            schema = None if table.schema == default_schema else table.schema
            out[(schema, table.name)] = table
    return out


def _table_object(table: TableSnap, dialect: str) -> Table:
    """A throwaway Table for what the database has."""
    built = Table(
        table.name, MetaData(), *objects.table_items(table, dialect, False), schema=table.schema
    )
    for ix in table.indexes:
        if ix.name and not any(ix.expressions):
            Index(ix.name, *[built.c[c] for c in ix.elements if c in built.c], unique=ix.unique)
    return built


def _filter_table(
    table: TableSnap,
    hook: IncludeObject,
    own: Table | None,
    counterpart: Table | None,
    *,
    reflected: bool,
) -> TableSnap:
    def allowed(name: str | None, kind: str) -> bool:
        obj = _find(own, name, kind)
        return bool(hook(obj, name, kind, reflected, _find(counterpart, name, kind)))

    changes: dict[str, Any] = {
        "columns": tuple(c for c in table.columns if allowed(c.name, "column"))
    }
    for attr, kind in _KINDS:
        items: Iterable[Any] = getattr(table, attr)
        changes[attr] = tuple(i for i in items if i.name is None or allowed(i.name, kind))
    return replace(table, **changes)


def _find(table: Table | None, name: str | None, kind: str) -> Any:
    if table is None or name is None:
        return None
    if kind == "column":
        return table.c.get(name)
    if kind == "index":
        return next((ix for ix in table.indexes if ix.name == name), None)
    return next((c for c in table.constraints if c.name == name), None)
