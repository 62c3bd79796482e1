"""One-line descriptions of operations, for ``strata check``, its JSON output and the log."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlstrata.autogen.directives import flatten
from sqlstrata.ops import operations as ops


@dataclass(frozen=True, slots=True)
class Change:
    """A pending change: the directive (``add_column``), where, and a sentence."""

    kind: str
    table: str | None
    description: str

    def as_json(self) -> dict[str, Any]:
        return {"op": self.kind, "table": self.table, "description": self.description}


def changes(operations: Iterable[ops.Operation]) -> tuple[Change, ...]:
    """Describe every operation, containers opened."""
    return tuple(describe(op) for op in flatten(tuple(operations)))


def _kind(op: ops.Operation) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(op).__name__).lower()


def _q(name: str | None, schema: str | None = None) -> str:
    return f"{schema}.{name}" if schema else str(name)


def describe(op: ops.Operation) -> Change:
    """What ``op`` does, in words."""
    table = _table_of(op)
    return Change(_kind(op), table, _sentence(op, table))


def _table_of(op: ops.Operation) -> str | None:
    for attr in ("table_name", "source_table"):
        name = getattr(op, attr, None)
        if isinstance(name, str):
            return _q(name, getattr(op, "schema", None) or getattr(op, "source_schema", None))
    return None


def _sentence(op: ops.Operation, table: str | None) -> str:
    if isinstance(op, ops.CreateTable):
        return f"add table {table!r}"
    if isinstance(op, ops.DropTable):
        return f"remove table {table!r}"
    if isinstance(op, ops.RenameTable):
        return f"rename table {table!r} to {op.new_table_name!r}"
    if isinstance(op, ops.AddColumn):
        return f"add column '{table}.{op.column.name}'"
    if isinstance(op, ops.DropColumn):
        return f"remove column '{table}.{op.column_name}'"
    if isinstance(op, ops.AlterColumn):
        return f"alter column '{table}.{op.column_name}': {', '.join(_alterations(op))}"
    if isinstance(op, ops.CreateIndex):
        kind = "unique index" if op.unique else "index"
        return f"add {kind} {op.index_name!r} on {table!r}"
    if isinstance(op, ops.DropIndex):
        return f"remove index {op.index_name!r}" + (f" on {table!r}" if table else "")
    if isinstance(op, ops.CreateConstraint):
        return f"add {_constraint_kind(op.constraint_type)} {op.name!r} on {table!r}"
    if isinstance(op, ops.DropConstraint):
        return f"remove {_constraint_kind(op.type_)} {op.constraint_name!r} from {table!r}"
    if isinstance(op, ops.CreateTableComment | ops.DropTableComment):
        return f"change the comment of table {table!r}"
    return _other(op)


def _other(op: ops.Operation) -> str:
    if isinstance(op, ops.CreateEnum):
        return f"add enum type {_q(op.type_name, op.schema)!r} ({', '.join(op.values)})"
    if isinstance(op, ops.DropEnum):
        return f"remove enum type {_q(op.type_name, op.schema)!r}"
    if isinstance(op, ops.AddEnumValue):
        return f"add value {op.value!r} to enum type {_q(op.type_name, op.schema)!r}"
    if isinstance(op, ops.CreateSequence):
        return f"add sequence {_q(op.sequence_name, op.schema)!r}"
    if isinstance(op, ops.DropSequence):
        return f"remove sequence {_q(op.sequence_name, op.schema)!r}"
    if isinstance(op, ops.ExecuteSQL):
        return f"execute {op.statement!s}"
    return _kind(op).replace("_", " ")


def _constraint_kind(kind: str | None) -> str:
    return {
        "primary": "primary key",
        "foreignkey": "foreign key",
        "unique": "unique constraint",
        "check": "check constraint",
        "exclude": "exclude constraint",
    }.get(kind or "", "constraint")


def _alterations(op: ops.AlterColumn) -> list[str]:
    out = []
    if op.modify_name is not None:
        out.append(f"rename to {op.modify_name!r}")
    if op.modify_type is not None:
        out.append(f"type {op.existing_type!r} -> {op.modify_type!r}")
    if op.modify_nullable is not None:
        out.append(f"nullable {op.existing_nullable} -> {op.modify_nullable}")
    if op.modify_server_default is not ops.UNSET:
        out.append(
            f"server default {_default(op.existing_server_default)} -> "
            f"{_default(op.modify_server_default)}"
        )
    if op.modify_comment is not ops.UNSET:
        out.append(f"comment {op.existing_comment!r} -> {op.modify_comment!r}")
    if op.modify_autoincrement is not None:
        out.append(f"autoincrement {op.existing_autoincrement} -> {op.modify_autoincrement}")
    return out or ["no change"]


def _default(default: Any) -> str:
    if default is None or default is ops.UNSET:
        return "None"
    text = getattr(default, "text", None)
    if isinstance(text, str):
        return text
    arg = getattr(default, "arg", default)
    return repr(arg) if isinstance(arg, str) else str(arg)
