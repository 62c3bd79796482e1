"""What a ``batch_alter_table`` block asked for, as values.

A :class:`BatchRequest` is everything the block collected: the table, the operations in
order (each a :class:`BatchEntry`, which adds the column position that only a rebuild can
honour) and the ``batch_alter_table()`` arguments. Planning reads it; nothing here runs SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops

if TYPE_CHECKING:
    from sqlalchemy import Table

Recreate: TypeAlias = Literal["auto", "always", "never"]
RECREATE_VALUES: tuple[str, ...] = ("auto", "always", "never")


@dataclass(frozen=True, slots=True, eq=False)
class BatchEntry:
    """One operation of the batch; ``insert_before`` / ``insert_after`` place a column
    (added or altered) next to another one when the table is rebuilt."""

    operation: ops.Operation
    insert_before: str | None = None
    insert_after: str | None = None

    @property
    def positioned(self) -> bool:
        return self.insert_before is not None or self.insert_after is not None


@dataclass(frozen=True, slots=True, eq=False)
class BatchRequest:
    """A ``batch_alter_table`` block: the table, its operations and the options.

    ``table_args`` are extra constraints and indexes for the new table (for example an
    unnamed CHECK that the source table cannot tell about); ``table_kwargs`` extra
    ``Table()`` keyword arguments. ``reflect_args`` / ``reflect_kwargs`` go to the
    reflection of the table (columns given there replace the reflected ones).
    ``naming_convention`` names the reflected constraints that have no name, so that
    ``drop_constraint()`` can find them.
    """

    table_name: str
    schema: str | None = None
    entries: tuple[BatchEntry, ...] = ()
    recreate: Recreate = "auto"
    partial_reordering: tuple[tuple[str, ...], ...] = ()
    copy_from: Table | None = None
    table_args: tuple[Any, ...] = ()
    table_kwargs: ops.Options = ()
    reflect_args: tuple[Any, ...] = ()
    reflect_kwargs: ops.Options = ()
    naming_convention: ops.Options = ()

    @property
    def operations(self) -> tuple[ops.Operation, ...]:
        return tuple(entry.operation for entry in self.entries)

    @property
    def reorders(self) -> bool:
        """Whether the batch asks for column positions."""
        return bool(self.partial_reordering) or any(e.positioned for e in self.entries)


def checked_recreate(value: str) -> Recreate:
    """``value`` if it is a valid ``recreate`` argument."""
    if value == "auto":
        return "auto"
    if value == "always":
        return "always"
    if value == "never":
        return "never"
    raise CommandError(
        f"Can't start batch_alter_table: recreate={value!r} is not a valid choice.",
        hint="Use recreate='auto', 'always' or 'never'.",
    )


def naming(convention: Mapping[str, Any] | None) -> ops.Options:
    """A naming convention as an Options tuple (keys may be strings or classes)."""
    if not convention:
        return ()
    return tuple(convention.items())
