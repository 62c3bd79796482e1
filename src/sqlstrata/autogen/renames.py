"""Table and column renames: hints, candidates, and the decision.

A rename looks like a drop plus an add, and writing it that way loses the data. So renames are
decided before the diff: hints say so outright (``--rename account.name:account.full_name``,
``Column(..., info={"renamed_from": "name"})``, ``Table(..., info={"renamed_from": ...})``);
otherwise a dropped and an added table (or column) that match closely are *candidates*, which
an interactive run asks about and a non-interactive run never guesses at. The decision is a
:class:`Renames` value the pure diff takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlstrata.autogen.normalize import type_key
from sqlstrata.autogen.snapshot import SchemaSnapshot, TableKey, TableSnap
from sqlstrata.errors import CommandError

ColumnKey = tuple[str | None, str, str]
"""``(schema, table, column)``, with the table's name in the old schema."""


@dataclass(frozen=True, slots=True)
class Renames:
    """Decided renames: tables ``(schema, old) -> new``; columns ``(schema, old table, old
    column) -> new column``."""

    tables: tuple[tuple[TableKey, str], ...] = ()
    columns: tuple[tuple[ColumnKey, str], ...] = ()

    def table_map(self) -> dict[TableKey, str]:
        return dict(self.tables)

    def column_map(self) -> dict[ColumnKey, str]:
        return dict(self.columns)

    def new_table_name(self, key: TableKey) -> str:
        return self.table_map().get(key, key[1])

    def inverted(self) -> Renames:
        """The same renames seen from the other side (for the downgrade)."""
        tables = self.table_map()
        return Renames(
            tuple(((schema, new), old) for (schema, old), new in self.tables),
            tuple(
                ((schema, tables.get((schema, table), table), new), old)
                for (schema, table, old), new in self.columns
            ),
        )

    def __bool__(self) -> bool:
        return bool(self.tables or self.columns)


@dataclass(frozen=True, slots=True)
class RenameCandidate:
    """A dropped and an added table or column that may be one renamed object."""

    kind: Literal["table", "column"]
    schema: str | None
    table: str
    old: str
    new: str
    new_table: str = ""

    @property
    def question(self) -> str:
        if self.kind == "table":
            return f"Was table {self._q(self.old)} renamed to {self._q(self.new)}?"
        return (
            f"Was {self._q(self.table)}.{self.old} renamed to "
            f"{self._q(self.new_table or self.table)}.{self.new}?"
        )

    @property
    def hint(self) -> str:
        """The ``--rename`` argument that confirms this candidate."""
        if self.kind == "table":
            return f"{self._q(self.old)}:{self.new}"
        return f"{self._q(self.table)}.{self.old}:{self.new}"

    def _q(self, name: str) -> str:
        return f"{self.schema}.{name}" if self.schema else name


Ask = Callable[[RenameCandidate], bool]


@dataclass(frozen=True, slots=True)
class RenameDecision:
    renames: Renames = field(default_factory=Renames)
    unresolved: tuple[RenameCandidate, ...] = ()


def decide(
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    dialect: str,
    *,
    hints: Sequence[str] = (),
    ask: Ask | None = None,
    strict: bool = False,
) -> RenameDecision:
    """Decide the renames between ``old`` (the database) and ``new`` (the models)."""
    tables = dict(_table_hints(old, new, hints))
    tables.update(_info_table_hints(old, new, tables))
    unresolved: list[RenameCandidate] = []
    for cand in table_candidates(old, new, dialect, tables):
        if ask is not None and ask(cand):
            tables[(cand.schema, cand.old)] = cand.new
        elif ask is None:
            unresolved.append(cand)
    columns = dict(_column_hints(old, new, hints, tables))
    columns.update(_info_column_hints(old, new, tables, columns))
    for cand in column_candidates(old, new, dialect, tables, columns):
        if ask is not None and ask(cand):
            columns[(cand.schema, cand.table, cand.old)] = cand.new
        elif ask is None:
            unresolved.append(cand)
    if strict and unresolved:
        listed = "; ".join(c.question.removeprefix("Was ").rstrip("?") for c in unresolved)
        raise CommandError(
            f"Can't autogenerate with --strict-renames: these drops and adds may be renames: "
            f"{listed}.",
            hint="Confirm each with --rename OLD:NEW (e.g. --rename "
            f"{unresolved[0].hint}), or run in a terminal to be asked.",
        )
    return RenameDecision(Renames(tuple(tables.items()), tuple(columns.items())), tuple(unresolved))


def _pairs(
    old: SchemaSnapshot, new: SchemaSnapshot, tables: dict[TableKey, str]
) -> Iterable[tuple[TableSnap, TableSnap]]:
    """Old tables with their counterpart among the new ones."""
    new_by_key = {t.key: t for t in new.tables}
    for table in old.tables:
        match = new_by_key.get((table.schema, tables.get(table.key, table.name)))
        if match is not None:
            yield table, match


def _table_hints(
    old: SchemaSnapshot, new: SchemaSnapshot, hints: Sequence[str]
) -> Iterable[tuple[TableKey, str]]:
    old_keys = {t.key for t in old.tables}
    new_keys = {t.key for t in new.tables}
    for hint in hints:
        left, right = _split_hint(hint)
        key = _as_table(left, old_keys)
        if key is None:
            continue
        target = (key[0], right.rsplit(".", 1)[-1])
        if target not in new_keys:
            raise CommandError(
                f"Can't rename table {left!r} to {right!r}: the models have no table {right!r}.",
                hint="Check the --rename argument (OLD:NEW).",
            )
        yield key, target[1]


def _column_hints(
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    hints: Sequence[str],
    tables: dict[TableKey, str],
) -> Iterable[tuple[ColumnKey, str]]:
    old_keys = {t.key for t in old.tables}
    pairs = {o.key: (o, n) for o, n in _pairs(old, new, tables)}
    for hint in hints:
        left, right = _split_hint(hint)
        if _as_table(left, old_keys) is not None:
            continue
        parts = left.split(".")
        if len(parts) < 2:
            raise CommandError(
                f"Can't rename {left!r}: there is no table of that name in the database.",
                hint="Name a table (OLD:NEW) or a column (TABLE.OLD:NEW).",
            )
        schema = parts[0] if len(parts) == 3 else None
        key = (schema, parts[-2])
        pair = pairs.get(key)
        if pair is None or pair[0].column(parts[-1]) is None:
            raise CommandError(
                f"Can't rename {left!r}: there is no such column in the database.",
                hint="Name a column as TABLE.COLUMN (SCHEMA.TABLE.COLUMN in other schemas).",
            )
        new_name = right.rsplit(".", 1)[-1]
        if pair[1].column(new_name) is None:
            raise CommandError(
                f"Can't rename {left!r} to {new_name!r}: the models have no such column in "
                f"{pair[1].qualified}.",
                hint="Check the --rename argument (TABLE.OLD:NEW).",
            )
        yield (schema, parts[-2], parts[-1]), new_name


def _split_hint(hint: str) -> tuple[str, str]:
    left, sep, right = hint.partition(":")
    if not sep or not left or not right:
        raise CommandError(
            f"Can't read the rename {hint!r}: it is not OLD:NEW.",
            hint="Write --rename account:customer or --rename account.name:full_name.",
        )
    return left.strip(), right.strip()


def _as_table(name: str, keys: set[TableKey]) -> TableKey | None:
    if (None, name) in keys:
        return (None, name)
    schema, _, table = name.rpartition(".")
    if schema and (schema, table) in keys:
        return (schema, table)
    return None


def _info_table_hints(
    old: SchemaSnapshot, new: SchemaSnapshot, decided: dict[TableKey, str]
) -> Iterable[tuple[TableKey, str]]:
    old_keys = {t.key for t in old.tables}
    new_keys = {t.key for t in new.tables}
    for table in new.tables:
        source = table.renamed_from
        key = (table.schema, source) if source else None
        if key in old_keys and key not in new_keys and key not in decided:
            yield (table.schema, str(source)), table.name


def _info_column_hints(
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    tables: dict[TableKey, str],
    decided: dict[ColumnKey, str],
) -> Iterable[tuple[ColumnKey, str]]:
    for before, after in _pairs(old, new, tables):
        for column in after.columns:
            source = column.renamed_from
            if not source or before.column(source) is None or after.column(source) is not None:
                continue
            key = (before.schema, before.name, source)
            if key not in decided:
                yield key, column.name


def table_candidates(
    old: SchemaSnapshot, new: SchemaSnapshot, dialect: str, decided: dict[TableKey, str]
) -> list[RenameCandidate]:
    """Dropped and added tables whose columns match closely, best matches first."""
    paired_new = {(s, n) for (s, _), n in decided.items()}
    new_keys = {t.key for t in new.tables}
    old_keys = {t.key for t in old.tables}
    dropped = [t for t in old.tables if t.key not in new_keys and t.key not in decided]
    added = [t for t in new.tables if t.key not in old_keys and t.key not in paired_new]
    scored = sorted(
        (
            (-_table_similarity(d, a, dialect), d.qualified, a.qualified, d, a)
            for d in dropped
            for a in added
            if d.schema == a.schema and _table_similarity(d, a, dialect) >= 0.6
        ),
        key=lambda item: item[:3],
    )
    used: set[TableKey] = set()
    out = []
    for _, _, _, d, a in scored:
        if d.key in used or a.key in used:
            continue
        used.update({d.key, a.key})
        out.append(RenameCandidate("table", d.schema, d.name, d.name, a.name, a.name))
    return out


def _table_similarity(a: TableSnap, b: TableSnap, dialect: str) -> float:
    sa_ = {(c.name, type_key(dialect, c.type_sql)) for c in a.columns}
    sb = {(c.name, type_key(dialect, c.type_sql)) for c in b.columns}
    union = sa_ | sb
    return len(sa_ & sb) / len(union) if union else 0.0


def column_candidates(
    old: SchemaSnapshot,
    new: SchemaSnapshot,
    dialect: str,
    tables: dict[TableKey, str],
    decided: dict[ColumnKey, str],
) -> list[RenameCandidate]:
    """Per table, a dropped and an added column of the same type and nullability."""
    out = []
    for before, after in _pairs(old, new, tables):
        renamed_old = {k[2] for k in decided if k[:2] == before.key}
        renamed_new = {v for k, v in decided.items() if k[:2] == before.key}
        dropped = [
            c for c in before.columns if after.column(c.name) is None and c.name not in renamed_old
        ]
        added = [
            c for c in after.columns if before.column(c.name) is None and c.name not in renamed_new
        ]
        used: set[str] = set()
        for d in dropped:
            for a in added:
                if a.name in used:
                    continue
                same = type_key(dialect, d.type_sql) == type_key(dialect, a.type_sql)
                if same and d.nullable == a.nullable:
                    used.add(a.name)
                    out.append(
                        RenameCandidate(
                            "column", before.schema, before.name, d.name, a.name, after.name
                        )
                    )
                    break
    return out
