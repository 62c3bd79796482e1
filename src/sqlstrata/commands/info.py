"""Commands that only read the scripts: history, heads, branches, show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlstrata.commands.loading import revision_graph, run_environment, script_directory
from sqlstrata.errors import CommandError
from sqlstrata.runtime.request import MigrationRequest

if TYPE_CHECKING:
    from sqlstrata.config import Config
    from sqlstrata.graph.graph import RevisionGraph
    from sqlstrata.graph.revision import Revision


@dataclass(frozen=True, slots=True)
class RevisionView:
    """A revision with what the listing commands mark it with."""

    revision: Revision
    is_head: bool
    is_branch_point: bool
    is_merge_point: bool
    is_current: bool = False
    children: tuple[str, ...] = ()


def view(
    graph: RevisionGraph, rev: Revision, current: frozenset[str] = frozenset()
) -> RevisionView:
    children = tuple(graph.children(rev.id))
    return RevisionView(
        rev,
        is_head=rev.id in graph.heads,
        is_branch_point=len(children) > 1,
        is_merge_point=rev.is_merge,
        is_current=rev.id in current,
        children=children,
    )


def history(
    config: Config, rev_range: str | None = None, indicate_current: bool = False
) -> tuple[RevisionView, ...]:
    """The revisions newest first, optionally within ``START:END``."""
    from sqlstrata.graph.targets import iterate_range

    graph = revision_graph(script_directory(config))
    start: str | None = None
    end: str | None = None
    if rev_range is not None:
        if ":" not in rev_range:
            raise CommandError(
                f"Can't show history for {rev_range!r}: a range reads START:END.",
                hint="e.g. -r ae1027:head, -r -3:current, -r 1975ea:",
            )
        start, _, end = rev_range.partition(":")
    needs_db = indicate_current or "current" in (start, end)
    heads: tuple[str, ...] = ()
    if needs_db:
        heads = run_environment(config, MigrationRequest("read")).heads_before or ()
    revisions = iterate_range(graph, start or None, end or None, heads)
    current = frozenset(heads) if indicate_current else frozenset()
    return tuple(view(graph, rev, current) for rev in revisions)


def heads(config: Config, resolve_dependencies: bool = False) -> tuple[RevisionView, ...]:
    """The head revisions (with ``resolve_dependencies``, only heads nothing depends on)."""
    graph = revision_graph(script_directory(config))
    ids = list(graph.heads)
    if resolve_dependencies:
        needed = {
            dep for h in ids for dep in graph.ancestors((h,), include_dependencies=True) if dep != h
        }
        ids = [h for h in ids if h not in needed]
    return tuple(view(graph, graph.get(h)) for h in ids)


def branches(config: Config) -> tuple[RevisionView, ...]:
    """The branch points, oldest first."""
    graph = revision_graph(script_directory(config))
    return tuple(view(graph, graph.get(rid)) for rid in graph.branch_points)


def show(config: Config, rev: str) -> tuple[RevisionView, ...]:
    """The revisions a target names (``head``, an id, a prefix ...)."""
    from sqlstrata.graph.targets import resolve

    graph = revision_graph(script_directory(config))
    if rev == "current":
        ids = run_environment(config, MigrationRequest("read")).heads_before or ()
    else:
        ids = resolve(graph, rev)
    if not ids:
        raise CommandError(f"Can't show {rev!r}: it names no revision (base).")
    return tuple(view(graph, graph.get(i)) for i in ids)
