"""What a diff needs to know besides the two snapshots: the database, the user's comparison
hooks, the decided renames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

from sqlstrata.autogen.renames import Renames

TypeComparator: TypeAlias = Callable[..., bool | None]
"""``compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type)``
returns True (different), False (the same) or None (use the built-in comparison)."""

DefaultComparator: TypeAlias = Callable[..., bool | None]
"""``compare_server_default(context, inspected_column, metadata_column, inspected_default,
metadata_default, rendered_metadata_default)``, answering like :data:`TypeComparator`."""


def plain_quote(name: str) -> str:
    """Quote an identifier unless it is a plain lower-case word."""
    if name.isidentifier() and name == name.lower():
        return name
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """How to compare.

    ``dialect`` is the SQLAlchemy dialect name of the database. ``comments`` says whether it
    keeps comments. ``convention`` marks reflected constraint names final (``op.f``) because
    the target metadata has a naming convention that would otherwise rename them.
    ``reflected`` says which side of the diff came from the database, so user hooks get
    their arguments the right way round; ``context`` is handed to them. ``quote`` quotes
    identifiers in the few statements written as SQL text.
    """

    dialect: str = "default"
    compare_type: bool | TypeComparator = True
    compare_server_default: bool | DefaultComparator = True
    comments: bool = True
    convention: bool = False
    renames: Renames = field(default_factory=Renames)
    reflected: Literal["old", "new"] | None = "old"
    context: Any = field(default=None, compare=False)
    quote: Callable[[str], str] = field(default=plain_quote, compare=False)

    def reversed(self) -> DiffOptions:
        """The options for diffing the other way (new → old), for the downgrade."""
        flipped: Literal["old", "new"] | None = None
        if self.reflected is not None:
            flipped = "new" if self.reflected == "old" else "old"
        return replace(self, renames=self.renames.inverted(), reflected=flipped)

    def qualified(self, name: str, schema: str | None) -> str:
        return f"{self.quote(schema)}.{self.quote(name)}" if schema else self.quote(name)
