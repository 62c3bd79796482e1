"""The operation tree autogenerate produces and ``process_revision_directives`` rewrites.

A :class:`MigrationScript` is one revision file to write: its id and message and two lists of
operations. Besides the operations of :mod:`sqlstrata.ops.operations` the lists hold three
containers: :class:`ModifyTableOps` (changes to one existing table; rendered as a batch block
where the database needs the table rebuilt), :class:`AutocommitBlock` (statements that must
run outside a transaction, such as PostgreSQL's ``ALTER TYPE ... ADD VALUE``) and
:class:`Comment` (a warning written into the script).

The values are immutable; a hook returns a new list (or edits the ``directives`` list it is
given, e.g. ``directives[:] = []`` to write no file) and builds new scripts with
``dataclasses.replace``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlstrata.ops.operations import Operation


@dataclass(frozen=True, slots=True, eq=False)
class ModifyTableOps(Operation):
    """Changes to one existing table, in order."""

    table_name: str
    ops: tuple[Operation, ...]
    schema: str | None = None

    def reverse(self) -> ModifyTableOps:
        return ModifyTableOps(
            self.table_name, tuple(op.reverse() for op in reversed(self.ops)), self.schema
        )


@dataclass(frozen=True, slots=True, eq=False)
class AutocommitBlock(Operation):
    """Operations run outside the migration's transaction."""

    ops: tuple[Operation, ...]

    def reverse(self) -> AutocommitBlock:
        return AutocommitBlock(tuple(op.reverse() for op in reversed(self.ops)))


@dataclass(frozen=True, slots=True, eq=False)
class Comment(Operation):
    """A comment written into the script (each line becomes a ``#`` line)."""

    text: str

    def reverse(self) -> Comment:
        return self


@dataclass(frozen=True, slots=True)
class OpsList:
    """The body of ``upgrade()`` or ``downgrade()``."""

    ops: tuple[Operation, ...] = ()

    def is_empty(self) -> bool:
        """Whether there is no operation (comments do not count)."""
        return not any(True for _ in flatten(self.ops))

    def reverse(self) -> OpsList:
        return OpsList(tuple(op.reverse() for op in reversed(self.ops)))


UpgradeOps = OpsList
DowngradeOps = OpsList


@dataclass(frozen=True, slots=True)
class MigrationScript:
    """One revision file to write."""

    rev_id: str | None
    upgrade_ops: OpsList
    downgrade_ops: OpsList
    message: str | None = None
    head: str = "head"
    splice: bool = False
    branch_label: tuple[str, ...] = ()
    version_path: str | None = None
    depends_on: tuple[str, ...] = ()


def flatten(ops: tuple[Operation, ...]) -> Iterator[Operation]:
    """The operations inside containers, in order, without comments."""
    for op in ops:
        if isinstance(op, ModifyTableOps | AutocommitBlock):
            yield from flatten(op.ops)
        elif not isinstance(op, Comment):
            yield op
