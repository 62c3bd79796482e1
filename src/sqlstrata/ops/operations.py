"""Operation values: one frozen dataclass per kind of schema change.

Operations carry data and ``reverse()``, nothing else. Dialects turn them into SQL, the
renderer prints them, the linter inspects them. They hold SQLAlchemy schema objects
(columns, constraints), which compare as SQL expressions, so equality is by identity.

The values live in one file per family (``tables``, ``columns``, ``constraints``,
``indexes``, ``data``, ``schema_objects``); this module gathers them so callers can write
``from sqlstrata.ops import operations as ops`` and use ``ops.AddColumn``.
"""

from __future__ import annotations

from sqlstrata.ops.base import (
    UNSET,
    Operation,
    Options,
    ServerDefault,
    Unset,
    as_options,
    option,
    without,
)
from sqlstrata.ops.columns import AddColumn, AlterColumn, DropColumn
from sqlstrata.ops.constraints import (
    CONSTRAINT_TYPES,
    ConstraintType,
    CreateCheckConstraint,
    CreateConstraint,
    CreateExcludeConstraint,
    CreateForeignKey,
    CreatePrimaryKey,
    CreateUniqueConstraint,
    DropConstraint,
)
from sqlstrata.ops.data import BulkInsert, ExecuteSQL
from sqlstrata.ops.indexes import CreateIndex, DropIndex
from sqlstrata.ops.schema_objects import (
    AddEnumValue,
    CreateEnum,
    CreateSequence,
    DropEnum,
    DropSequence,
)
from sqlstrata.ops.tables import (
    CreateTable,
    CreateTableComment,
    DropTable,
    DropTableComment,
    RenameTable,
)

__all__ = [
    "CONSTRAINT_TYPES",
    "UNSET",
    "AddColumn",
    "AddEnumValue",
    "AlterColumn",
    "BulkInsert",
    "ConstraintType",
    "CreateCheckConstraint",
    "CreateConstraint",
    "CreateEnum",
    "CreateExcludeConstraint",
    "CreateForeignKey",
    "CreateIndex",
    "CreatePrimaryKey",
    "CreateSequence",
    "CreateTable",
    "CreateTableComment",
    "CreateUniqueConstraint",
    "DropColumn",
    "DropConstraint",
    "DropEnum",
    "DropIndex",
    "DropSequence",
    "DropTable",
    "DropTableComment",
    "ExecuteSQL",
    "Operation",
    "Options",
    "RenameTable",
    "ServerDefault",
    "Unset",
    "as_options",
    "option",
    "without",
]
