"""What a command asks the environment to do, as a value, and the result it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlstrata.autogen.produce import AutogenRequest, AutogenResult
    from sqlstrata.runtime.history import HistoryEntry

Verb = Literal[
    "upgrade",
    "downgrade",
    "stamp",
    "read",
    "revision",
    "ensure",
    "autogenerate",
    "resolve",
    "accept",
]


@dataclass(frozen=True, slots=True)
class MigrationRequest:
    """Intent: ``upgrade`` to ``heads``, with or without ``--sql``.

    ``targets`` has one entry except for ``stamp``, which may take several. ``starting_rev``
    is the START of an offline ``START:END`` range. ``read`` only reads the current heads;
    ``ensure`` creates the version table; ``revision`` runs env.py for ``strata revision``;
    ``autogenerate`` compares the models with the database (``autogen`` says how);
    ``resolve`` marks a half-applied migration (``resolution``: ``applied`` or
    ``rolled-back``); ``accept`` records a deliberate edit of an applied script.

    ``lock_timeout`` is how long to wait for another process's migration lock; ``resume``
    re-runs a half-applied migration skipping what it already did; ``verify`` checks the
    scripts against the history log before running.
    """

    verb: Verb
    targets: tuple[str, ...] = ()
    sql: bool = False
    starting_rev: str | None = None
    purge: bool = False
    tag: str | None = None
    autogen: AutogenRequest | None = None
    lock_timeout: float = 300.0
    resume: bool = False
    verify: bool = True
    resolution: str | None = None

    @property
    def target(self) -> str | None:
        return self.targets[0] if self.targets else None


@dataclass(slots=True)
class RunResult:
    """Filled in while env.py runs: the heads before and after, and whether anything ran."""

    heads_before: tuple[str, ...] | None = None
    heads_after: tuple[str, ...] | None = None
    steps: list[str] = field(default_factory=list)
    url: str | None = None
    autogen: list[AutogenResult] = field(default_factory=list)
    history: tuple[HistoryEntry, ...] = ()
    template_args: dict[str, Any] = field(default_factory=dict)
