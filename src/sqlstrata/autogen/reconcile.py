"""Line a reflected snapshot up with the models where a database reports one object two ways.

MySQL and MariaDB keep a unique constraint as a unique index (reflection reports it as a
constraint; the models may say ``Index(..., unique=True)``), and give every foreign key an
index of its own when no other index serves it. Neither is a difference.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlstrata.autogen.snapshot import ForeignKeySnap, IndexSnap, SchemaSnapshot, TableSnap


def reconcile(old: SchemaSnapshot, new: SchemaSnapshot, dialect: str) -> SchemaSnapshot:
    """``old`` (reflected) with the objects ``new`` (the models) describes differently."""
    if dialect not in ("mysql", "mariadb"):
        return old
    models = {t.key: t for t in new.tables}
    return old.with_tables(_mysql_table(t, models.get(t.key)) for t in old.tables)


def _mysql_table(table: TableSnap, model: TableSnap | None) -> TableSnap:
    index_names = {ix.name for ix in model.indexes} if model else set()
    unique_names = {uq.name for uq in model.uniques} if model else set()
    as_index = [u for u in table.uniques if u.name in index_names and u.name not in unique_names]
    indexes = list(table.indexes) + [
        IndexSnap(u.name, u.columns, (False,) * len(u.columns), unique=True) for u in as_index
    ]
    indexes = [
        ix
        for ix in indexes
        if ix.unique
        or ix.name in index_names
        or any(ix.expressions)
        or not _made_for_a_foreign_key(ix, table.foreign_keys)
    ]
    return replace(
        table,
        uniques=tuple(u for u in table.uniques if u not in as_index),
        indexes=tuple(indexes),
    )


def _made_for_a_foreign_key(ix: IndexSnap, fks: tuple[ForeignKeySnap, ...]) -> bool:
    """Whether MySQL created ``ix`` itself for a foreign key: same columns, and named as MySQL
    names those (after the constraint, else after its first column, maybe with a number).
    An index the user named on the same columns is theirs, and a difference when it goes."""
    for fk in fks:
        if tuple(ix.elements) != fk.columns or ix.name is None:
            continue
        if ix.name == fk.name or re.fullmatch(re.escape(fk.columns[0]) + r"(_\d+)?", ix.name):
            return True
    return False
