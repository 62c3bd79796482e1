"""The Revision value: what a revision file's header declares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision, as declared by its script header (read without importing the module).

    ``down_revisions`` is empty for a base, has one id for an ordinary revision and several
    for a merge. ``depends_on`` holds revision ids or branch labels this revision needs
    applied first without being its parent. ``path`` is the file it came from, if any.
    """

    id: str
    down_revisions: tuple[str, ...] = ()
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    message: str | None = None
    path: str | None = None
    checksum: str | None = None

    @property
    def is_base(self) -> bool:
        return not self.down_revisions

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1
