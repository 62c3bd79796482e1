"""Comparator plugins: your own comparisons, run after the built-in diff.

A comparator is a callable taking a :class:`ComparisonContext` and returning operations. It is
called twice, once per direction: for the upgrade ``old`` is the database and ``new`` the
models; for the downgrade the other way round (``direction`` says which). Comparators come
from the ``sqlstrata.comparators`` entry point group of installed packages and from
``context.configure(comparators=[...])`` in env.py::

    # pyproject.toml of your plugin
    [project.entry-points."sqlstrata.comparators"]
    views = "myplugin.views:compare_views"

The operations a comparator returns must be ones the renderer knows, or come with a renderer
(``context.configure(autogen_renderers={MyOperation: render_my_operation})``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.snapshot import SchemaSnapshot
from sqlstrata.errors import ConfigError
from sqlstrata.ops.operations import Operation

ENTRY_POINT_GROUP = "sqlstrata.comparators"


@dataclass(frozen=True, slots=True)
class ComparisonContext:
    """What a comparator sees: both snapshots, the diff options, and for comparators that
    look at more than snapshots hold, the connection and the target metadata."""

    old: SchemaSnapshot
    new: SchemaSnapshot
    options: DiffOptions
    direction: Literal["upgrade", "downgrade"] = "upgrade"
    connection: Any = None
    metadata: tuple[Any, ...] = ()
    migration_context: Any = None

    def reversed(self) -> ComparisonContext:
        """The same comparison, for the downgrade."""
        return replace(
            self, old=self.new, new=self.old, options=self.options.reversed(), direction="downgrade"
        )


Comparator = Callable[[ComparisonContext], Iterable[Operation]]


def load_comparators(group: str = ENTRY_POINT_GROUP) -> tuple[Comparator, ...]:
    """The comparators installed packages declare, in entry point name order."""
    from importlib.metadata import entry_points

    found = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            comparator = entry.load()
        except Exception as exc:  # a broken plugin must not look like a schema difference
            raise ConfigError(
                f"Can't load the comparator plugin {entry.name!r} ({entry.value}): {exc}.",
                hint="Fix or uninstall the package that declares it.",
            ) from exc
        if not callable(comparator):
            raise ConfigError(
                f"Can't use the comparator plugin {entry.name!r}: {entry.value} is not callable."
            )
        found.append(comparator)
    return tuple(found)


def run_comparators(
    comparators: Iterable[Comparator], context: ComparisonContext
) -> tuple[Operation, ...]:
    """Every comparator's operations for one direction, in order."""
    return tuple(op for comparator in comparators for op in comparator(context))
