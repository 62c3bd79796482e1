"""The base of every operation value and the small types operations share.

``Operation`` gives ``reverse()``, which raises :class:`~sqlstrata.errors.IrreversibleError`
unless the operation knows its inverse. ``UNSET`` marks an argument that was not given where
``None`` is a meaningful value (``server_default=None`` removes a default; not giving it leaves
the default alone). ``Options`` holds keyword arguments (mostly ``<dialect>_<name>`` ones) as a
sorted tuple of pairs, so operation values stay immutable.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from sqlstrata.errors import IrreversibleError

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement, TextClause
    from sqlalchemy.sql.schema import FetchedValue

Options: TypeAlias = tuple[tuple[str, Any], ...]
"""Keyword arguments as a sorted tuple of ``(name, value)`` pairs."""

ServerDefault: TypeAlias = "str | TextClause | ColumnElement[Any] | FetchedValue"
"""What a server default can be given as: SQL text, an expression, or a DefaultClause,
Computed or Identity."""


class Unset(enum.Enum):
    """The type of :data:`UNSET`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET
"""An argument that was not given (as opposed to one given as ``None``)."""


class Operation:
    """Base of every operation."""

    __slots__ = ()

    def reverse(self) -> Operation:
        """The operation that undoes this one."""
        raise IrreversibleError(
            f"Can't reverse {type(self).__name__}: it has no inverse operation.",
            hint="Write the downgrade step by hand.",
        )


def as_options(kw: Mapping[str, Any]) -> Options:
    """Freeze keyword arguments into an :data:`Options` tuple."""
    return tuple(sorted(kw.items()))


def option(options: Options, name: str, default: Any = None) -> Any:
    """The value of ``name`` in ``options``, or ``default``."""
    for key, value in options:
        if key == name:
            return value
    return default


def without(options: Options, *names: str) -> Options:
    """``options`` minus the given names."""
    return tuple((key, value) for key, value in options if key not in names)


def irreversible(what: str, why: str) -> IrreversibleError:
    """The error for an operation that lacks what its reverse needs."""
    return IrreversibleError(
        f"Can't reverse {what}: {why}.",
        hint="Give the missing existing_* argument, or write the downgrade step by hand.",
    )
