"""The revision graph: an immutable DAG built from revision headers.

What belongs here: building and validating the graph (duplicate ids, missing references,
cycles, branch labels) and pure queries over it (heads, bases, branch points, ancestry,
topological order). Target syntax lives in ``targets.py``; plans live in ``plan.py``.

Two kinds of edges exist. ``down_revisions`` are parent links: they define heads, bases,
branch points and merges. ``depends_on`` links (after branch labels are resolved to
revision ids) are "dependencies": a revision needs them applied first, but they do not
make the revision a child, so a revision others depend on can still be a head. Every
algorithm here is iterative, so graphs with tens of thousands of revisions are fine.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlstrata.errors import (
    CycleError,
    DuplicateRevisionError,
    GraphError,
    MissingRevisionError,
    UnknownRevisionError,
)
from sqlstrata.graph.revision import Revision

#: Words the target grammar gives a meaning of its own; a branch label cannot be one.
RESERVED_WORDS = frozenset({"head", "heads", "base", "current"})

_EMPTY: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RevisionGraph:
    """An immutable revision DAG. Build it with :meth:`RevisionGraph.build`.

    ``heads``, ``bases`` and ``branch_points`` follow ``down_revisions`` only and are sorted
    by id. ``label_map`` maps each branch label to the id of the revision that declares it.
    """

    _revisions: Mapping[str, Revision]
    _children: Mapping[str, tuple[str, ...]]
    _dependencies: Mapping[str, tuple[str, ...]]
    _dependents: Mapping[str, tuple[str, ...]]
    _order: tuple[str, ...]
    _position: Mapping[str, int]
    _sorted_ids: tuple[str, ...]
    label_map: Mapping[str, str]
    heads: tuple[str, ...]
    bases: tuple[str, ...]
    branch_points: tuple[str, ...]

    @classmethod
    def build(cls, revisions: Iterable[Revision]) -> RevisionGraph:
        """Build and validate the graph; raise a :class:`GraphError` naming the bad file."""
        by_id = _index(revisions)
        labels = _label_map(by_id)
        _check_parents(by_id)
        dependencies = _resolve_dependencies(by_id, labels)
        children = _invert({rid: rev.down_revisions for rid, rev in by_id.items()})
        dependents = _invert(dependencies)
        order = _topological_order(by_id, children, dependencies, dependents)
        sorted_ids = tuple(sorted(by_id))
        return cls(
            _revisions=MappingProxyType(by_id),
            _children=MappingProxyType(children),
            _dependencies=MappingProxyType(dependencies),
            _dependents=MappingProxyType(dependents),
            _order=order,
            _position=MappingProxyType({rid: i for i, rid in enumerate(order)}),
            _sorted_ids=sorted_ids,
            label_map=MappingProxyType(labels),
            heads=tuple(rid for rid in sorted_ids if not children.get(rid)),
            bases=tuple(rid for rid in sorted_ids if not by_id[rid].down_revisions),
            branch_points=tuple(rid for rid in sorted_ids if len(children.get(rid, ())) > 1),
        )

    def __repr__(self) -> str:
        return f"<RevisionGraph of {len(self._revisions)} revisions, heads={self.heads!r}>"

    # -- lookups ---------------------------------------------------------------------------

    def get(self, revision_id: str) -> Revision:
        """Return the revision with exactly this id."""
        try:
            return self._revisions[revision_id]
        except KeyError:
            raise UnknownRevisionError(revision_id) from None

    def __contains__(self, revision_id: object) -> bool:
        return revision_id in self._revisions

    def __len__(self) -> int:
        return len(self._revisions)

    def __iter__(self) -> Iterator[Revision]:
        """Iterate over the revisions in topological order (bases first)."""
        return (self._revisions[rid] for rid in self._order)

    @property
    def revisions(self) -> Mapping[str, Revision]:
        """All revisions by id (read-only)."""
        return self._revisions

    def ids_with_prefix(self, prefix: str) -> tuple[str, ...]:
        """Return the ids starting with ``prefix``, sorted."""
        ids = self._sorted_ids
        found: list[str] = []
        for i in range(bisect_left(ids, prefix), len(ids)):
            if not ids[i].startswith(prefix):
                break
            found.append(ids[i])
        return tuple(found)

    # -- neighbours ------------------------------------------------------------------------

    def children(self, revision_id: str) -> tuple[str, ...]:
        """Return the revisions whose ``down_revisions`` name this one, sorted by id."""
        self.get(revision_id)
        return self._children.get(revision_id, _EMPTY)

    def dependencies(self, revision_id: str) -> tuple[str, ...]:
        """Return the ids this revision ``depends_on`` (branch labels resolved)."""
        self.get(revision_id)
        return self._dependencies.get(revision_id, _EMPTY)

    def dependents(self, revision_id: str) -> tuple[str, ...]:
        """Return the revisions that ``depends_on`` this one, sorted by id."""
        self.get(revision_id)
        return self._dependents.get(revision_id, _EMPTY)

    # -- ancestry --------------------------------------------------------------------------

    def ancestors(
        self, ids: str | Iterable[str], include_dependencies: bool = True
    ) -> frozenset[str]:
        """Return ``ids`` (one id or several) and every revision they build on, through
        ``depends_on`` too unless ``include_dependencies`` is false."""
        extra = self._dependencies if include_dependencies else None
        return self._closure(ids, lambda rid: self._revisions[rid].down_revisions, extra)

    def descendants(
        self, ids: str | Iterable[str], include_dependencies: bool = True
    ) -> frozenset[str]:
        """Return ``ids`` (one id or several) and every revision built on them, through
        ``depends_on`` too unless ``include_dependencies`` is false."""
        extra = self._dependents if include_dependencies else None
        return self._closure(ids, lambda rid: self._children.get(rid, _EMPTY), extra)

    def _closure(
        self,
        ids: str | Iterable[str],
        step: Callable[[str], tuple[str, ...]],
        extra: Mapping[str, tuple[str, ...]] | None,
    ) -> frozenset[str]:
        start = (ids,) if isinstance(ids, str) else tuple(ids)
        for rid in start:
            self.get(rid)
        seen = set(start)
        stack = list(start)
        while stack:
            rid = stack.pop()
            for nxt in step(rid):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
            if extra is not None:
                for nxt in extra.get(rid, _EMPTY):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        return frozenset(seen)

    # -- order -----------------------------------------------------------------------------

    def topological_order(self) -> tuple[str, ...]:
        """Return every id, parents and dependencies before the revisions that need them.

        Bases come first; the order is deterministic and follows one branch to its end (or
        to a merge that still waits for another branch) before starting the next one.
        """
        return self._order

    def ordered(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Return ``ids`` sorted in topological order (duplicates dropped)."""
        unique = set(ids)
        for rid in unique:
            self.get(rid)
        return tuple(sorted(unique, key=self._position.__getitem__))


# -- building helpers ----------------------------------------------------------------------


def _index(revisions: Iterable[Revision]) -> dict[str, Revision]:
    by_id: dict[str, Revision] = {}
    for rev in revisions:
        seen = by_id.get(rev.id)
        if seen is not None:
            raise DuplicateRevisionError(rev.id, (seen.path, rev.path))
        by_id[rev.id] = rev
    return by_id


def _label_map(by_id: Mapping[str, Revision]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for rid in sorted(by_id):
        rev = by_id[rid]
        for label in rev.branch_labels:
            where = _where(rev)
            if label in RESERVED_WORDS or "@" in label or not label:
                raise GraphError(
                    f"Can't build the revision graph: branch label {label!r} of revision "
                    f"{rid!r}{where} is reserved or contains '@'.",
                    hint="Choose another branch label.",
                )
            other = labels.get(label)
            if other is not None and other != rid:
                raise GraphError(
                    f"Can't build the revision graph: branch label {label!r} is declared by "
                    f"revision {other!r}{_where(by_id[other])} and by revision {rid!r}{where}.",
                    hint="Keep the label on one revision only; its descendants share it.",
                )
            if label in by_id and label != rid:
                raise GraphError(
                    f"Can't build the revision graph: branch label {label!r} of revision "
                    f"{rid!r}{where} is also the id of revision {label!r}.",
                    hint="Choose a branch label that is not a revision id.",
                )
            labels[label] = rid
    return labels


def _check_parents(by_id: Mapping[str, Revision]) -> None:
    for rid in sorted(by_id):
        rev = by_id[rid]
        for parent in rev.down_revisions:
            if parent not in by_id:
                raise MissingRevisionError(rid, parent, rev.path)


def _resolve_dependencies(
    by_id: Mapping[str, Revision], labels: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    resolved: dict[str, tuple[str, ...]] = {}
    for rid in sorted(by_id):
        rev = by_id[rid]
        if not rev.depends_on:
            continue
        ids: dict[str, None] = {}
        for ref in rev.depends_on:
            target = ref if ref in by_id else labels.get(ref)
            if target is None:
                raise MissingRevisionError(rid, ref, rev.path)
            ids[target] = None
        resolved[rid] = tuple(ids)
    return resolved


def _invert(edges: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Turn child -> parents into parent -> sorted children."""
    inverted: dict[str, list[str]] = {}
    for rid, targets in edges.items():
        for target in targets:
            inverted.setdefault(target, []).append(rid)
    return {
        rid: (kids[0],) if len(kids) == 1 else tuple(sorted(set(kids)))
        for rid, kids in inverted.items()
    }


def _topological_order(
    by_id: Mapping[str, Revision],
    children: Mapping[str, tuple[str, ...]],
    dependencies: Mapping[str, tuple[str, ...]],
    dependents: Mapping[str, tuple[str, ...]],
) -> tuple[str, ...]:
    # Kahn's algorithm with a stack instead of a queue: the children of the revision just
    # emitted are taken next, which keeps each branch contiguous.
    waiting: dict[str, int] = {}
    for rid, rev in by_id.items():
        parents = rev.down_revisions
        deps = dependencies.get(rid)
        if deps is None and len(parents) < 2:
            waiting[rid] = len(parents)
        else:
            waiting[rid] = len(set(parents).union(deps or _EMPTY))
    stack = sorted((rid for rid, n in waiting.items() if not n), reverse=True)
    order: list[str] = []
    while stack:
        rid = stack.pop()
        order.append(rid)
        nexts = children.get(rid, _EMPTY)
        extra = dependents.get(rid)
        if extra:
            nexts = tuple(sorted(set(nexts).union(extra)))
        for nxt in reversed(nexts):
            left = waiting[nxt] - 1
            waiting[nxt] = left
            if not left:
                stack.append(nxt)
    if len(order) < len(by_id):
        _raise_cycle(by_id, dependencies, set(by_id) - set(order))
    return tuple(order)


def _raise_cycle(
    by_id: Mapping[str, Revision],
    dependencies: Mapping[str, tuple[str, ...]],
    stuck: set[str],
) -> None:
    # Every stuck revision waits for at least one stuck prerequisite, so walking
    # prerequisites from any of them must come back to a revision already seen.
    rid = min(stuck)
    path: list[str] = []
    seen: dict[str, int] = {}
    while rid not in seen:
        seen[rid] = len(path)
        path.append(rid)
        prereqs = sorted(
            p for p in (*by_id[rid].down_revisions, *dependencies.get(rid, _EMPTY)) if p in stuck
        )
        rid = prereqs[0]
    cycle = path[seen[rid] :]
    cycle.reverse()  # show parents first: a -> b means b builds on a
    cycle.append(cycle[0])
    raise CycleError(cycle, by_id[cycle[0]].path)


def _where(rev: Revision) -> str:
    return f" ({rev.path})" if rev.path else ""
