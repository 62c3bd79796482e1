"""The whole sqlstrata exception tree, in one place.

::

    StrataError                      root; every error carries a one-line ``hint``
    ├── ConfigError                  bad or missing configuration (file, section, key)
    ├── CommandError                 a command was asked something it cannot do
    ├── ScriptError                  a revision file cannot be read, parsed or imported
    ├── GraphError                   the revision graph is broken
    │   ├── DuplicateRevisionError   two files declare the same revision id
    │   ├── CycleError               down_revision links form a cycle
    │   ├── MissingRevisionError     a down_revision / depends_on names no revision
    ├── ResolutionError              a target ("head", "ae1", "+2", "label@head") cannot be resolved
    │   ├── AmbiguousRevisionError   a prefix matches several revisions
    │   ├── UnknownRevisionError     no revision matches
    │   └── MultipleHeadsError       one head was needed and there are several
    ├── MigrationError               a migration failed while running (the cause is chained)
    ├── IrreversibleError            an operation has no reverse (e.g. drop_table without columns)
    ├── VersionTableError            the version table is not in the state a step expects
    ├── LockError                    the migration lock could not be had or kept
    │   ├── LockTimeoutError         another process held the migration lock too long
    │   └── LockLostError            the lock row expired and another process took it over
    └── IntegrityError               scripts and the history log disagree
        ├── PendingFailureError      a migration failed halfway and was not resolved
        └── ChecksumMismatchError    applied scripts were edited, removed or reordered

Messages read "Can't <do what>: <why>" and the hint says what to do. Only the CLI turns an
error into an exit code; library code raises and never prints.
"""

from __future__ import annotations

from collections.abc import Sequence


class StrataError(Exception):
    """Root of every error sqlstrata raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message


class ConfigError(StrataError):
    """The configuration is missing, unreadable or wrong."""


class CommandError(StrataError):
    """A command was asked to do something it cannot do."""


class ScriptError(StrataError):
    """A revision script cannot be read, parsed or imported."""

    def __init__(self, message: str, *, path: str | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.path = path


class GraphError(StrataError):
    """The revision graph is broken."""


class DuplicateRevisionError(GraphError):
    """Two revision files declare the same revision id."""

    def __init__(self, revision: str, paths: Sequence[str | None]) -> None:
        shown = " and ".join(str(p) for p in paths)
        super().__init__(
            f"Can't build the revision graph: revision {revision!r} is declared twice ({shown}).",
            hint="Give one of the files a new revision id.",
        )
        self.revision = revision
        self.paths = tuple(paths)


class CycleError(GraphError):
    """down_revision / depends_on links form a cycle."""

    def __init__(self, revisions: Sequence[str], path: str | None = None) -> None:
        chain = " -> ".join(revisions)
        where = f" ({path})" if path else ""
        super().__init__(
            f"Can't build the revision graph: revisions form a cycle: {chain}{where}.",
            hint="Fix the down_revision of one of them.",
        )
        self.revisions = tuple(revisions)
        self.path = path


class MissingRevisionError(GraphError):
    """A down_revision or depends_on names a revision that does not exist."""

    def __init__(self, revision: str, missing: str, path: str | None = None) -> None:
        where = f" in {path}" if path else ""
        super().__init__(
            f"Can't build the revision graph: revision {revision!r}{where} "
            f"refers to {missing!r}, which does not exist.",
            hint="Restore the missing revision file or correct the reference.",
        )
        self.revision = revision
        self.missing = missing
        self.path = path


class ResolutionError(StrataError):
    """A target cannot be resolved to revisions."""


class AmbiguousRevisionError(ResolutionError):
    """A revision prefix matches several revisions."""

    def __init__(self, prefix: str, candidates: Sequence[str]) -> None:
        listed = ", ".join(sorted(candidates))
        super().__init__(
            f"Can't resolve {prefix!r}: it is the prefix of several revisions: {listed}.",
            hint="Give more characters of the revision id.",
        )
        self.prefix = prefix
        self.candidates = tuple(sorted(candidates))


class UnknownRevisionError(ResolutionError):
    """No revision matches the given identifier."""

    def __init__(self, identifier: str, *, hint: str = "") -> None:
        super().__init__(
            f"Can't resolve {identifier!r}: no such revision or branch label.",
            hint=hint or "Run 'strata history' to see the revisions.",
        )
        self.identifier = identifier


class MultipleHeadsError(ResolutionError):
    """A single head was needed but the graph (or a branch) has several."""

    def __init__(self, target: str, heads: Sequence[str]) -> None:
        listed = ", ".join(heads)
        super().__init__(
            f"Can't resolve {target!r}: there are several heads ({listed}).",
            hint="Use 'heads' to act on all of them, name one, or run "
            "'strata merge heads -m \"merge\"' to join them.",
        )
        self.target = target
        self.heads = tuple(heads)


class MigrationError(StrataError):
    """A migration failed while it ran; the original exception is chained."""

    def __init__(self, message: str, *, revision: str | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.revision = revision


class VersionTableError(StrataError):
    """The version table is not in the state a step expects."""


class IrreversibleError(StrataError):
    """An operation cannot be reversed with what it knows."""


class LockError(StrataError):
    """The migration lock could not be had or kept."""


class LockTimeoutError(LockError):
    """Another process held the migration lock longer than --lock-timeout."""


class LockLostError(LockError):
    """The lock row expired (no heartbeat) and another process took it over."""


class IntegrityError(StrataError):
    """The scripts on disk and the history log disagree."""


class PendingFailureError(IntegrityError):
    """A migration failed halfway on a database without transactional DDL."""

    def __init__(self, message: str, *, revision: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.revision = revision


class ChecksumMismatchError(IntegrityError):
    """Applied scripts were edited, removed or reordered since they ran."""

    def __init__(self, message: str, *, problems: tuple[object, ...], hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.problems = problems
