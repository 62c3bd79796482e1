"""Commands that run env.py against a database: upgrade, downgrade, stamp, current, ensure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlstrata.commands.loading import revision_graph, run_environment, script_directory
from sqlstrata.errors import CommandError
from sqlstrata.runtime.request import MigrationRequest, RunResult

# How long a command waits for another process's migration lock, in seconds.
DEFAULT_LOCK_TIMEOUT = 300.0

if TYPE_CHECKING:
    from sqlstrata.config import Config
    from sqlstrata.graph.revision import Revision


def _split_range(verb: str, revision: str, sql: bool) -> tuple[str | None, str]:
    """Split an offline ``START:END`` range; online, a range is an error."""
    if ":" not in revision:
        return None, revision
    if not sql:
        raise CommandError(
            f"Can't {verb} to {revision!r}: a START:END range is only for offline (--sql) mode.",
            hint="Online, the version table says where to start; give only the target.",
        )
    start, _, end = revision.partition(":")
    if not end:
        raise CommandError(f"Can't {verb} to {revision!r}: the range has no END.")
    return start or None, end


def upgrade(
    config: Config,
    revision: str,
    sql: bool = False,
    tag: str | None = None,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    resume: bool = False,
    verify: bool = True,
) -> RunResult:
    """Upgrade to ``revision`` (``head``, ``heads``, an id, ``+2``, ``label@head`` ...).

    ``resume`` first finishes a migration that failed halfway (skipping what it already did);
    ``verify=False`` skips comparing the applied scripts with the history log.
    """
    return _move(config, "upgrade", revision, sql, tag, lock_timeout, resume, verify)


def downgrade(
    config: Config,
    revision: str,
    sql: bool = False,
    tag: str | None = None,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    resume: bool = False,
    verify: bool = True,
) -> RunResult:
    """Downgrade to ``revision`` (``base``, an id, ``-1`` ...); offline it needs START:END."""
    return _move(config, "downgrade", revision, sql, tag, lock_timeout, resume, verify)


def _move(
    config: Config,
    verb: Literal["upgrade", "downgrade"],
    revision: str,
    sql: bool,
    tag: str | None,
    lock_timeout: float,
    resume: bool,
    verify: bool,
) -> RunResult:
    start, target = _split_range(verb, revision, sql)
    if verb == "downgrade" and sql and start is None:
        raise CommandError(
            f"Can't downgrade to {revision!r} offline without a starting revision.",
            hint="Give a range, e.g. 'strata downgrade ae1027:base --sql'.",
        )
    request = MigrationRequest(
        verb,
        (target,),
        sql=sql,
        starting_rev=start,
        tag=tag,
        lock_timeout=lock_timeout,
        resume=resume,
        verify=verify,
    )
    return run_environment(config, request)


def stamp(
    config: Config,
    revision: str | Sequence[str],
    sql: bool = False,
    tag: str | None = None,
    purge: bool = False,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> RunResult:
    """Record ``revision`` (one or several) in the version table without running migrations."""
    targets = (revision,) if isinstance(revision, str) else tuple(revision)
    if not targets:
        raise CommandError("Can't stamp: no revision given.", hint="e.g. 'strata stamp head'.")
    start: str | None = None
    if sql and len(targets) == 1 and ":" in targets[0]:
        start, end = _split_range("stamp", targets[0], sql)
        targets = (end,)
    request = MigrationRequest(
        "stamp",
        targets,
        sql=sql,
        starting_rev=start,
        tag=tag,
        purge=purge,
        lock_timeout=lock_timeout,
    )
    return run_environment(config, request)


@dataclass(frozen=True, slots=True)
class CurrentState:
    """The database's current heads, with the revisions they name."""

    url: str | None
    heads: tuple[str, ...]
    revisions: tuple[Revision, ...]
    graph_heads: tuple[str, ...]

    @property
    def at_head(self) -> bool:
        return set(self.heads) == set(self.graph_heads)


def current(config: Config, check_heads: bool = False) -> CurrentState:
    """Read the current heads from the database.

    With ``check_heads``, raise CommandError unless the database is at every head.
    """
    result = run_environment(config, MigrationRequest("read"))
    heads = result.heads_before or ()
    graph = revision_graph(script_directory(config))
    known = tuple(graph.get(h) for h in heads if h in graph)
    state = CurrentState(result.url, heads, known, graph.heads)
    if check_heads and not state.at_head:
        missing = ", ".join(sorted(set(graph.heads) - set(heads))) or "none"
        raise CommandError(
            f"Can't confirm the database is up to date: it is at {', '.join(heads) or 'base'}, "
            f"and the scripts' heads not applied are {missing}.",
            hint="Run 'strata upgrade heads'.",
        )
    return state


def ensure_version(config: Config, sql: bool = False) -> RunResult:
    """Create the version table if it does not exist."""
    return run_environment(config, MigrationRequest("ensure", sql=sql))
