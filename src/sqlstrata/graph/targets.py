"""Target grammar: turn what a user types ("head", "ae1", "+2", "shop@head") into revisions.

What belongs here: parsing targets, resolving them against a graph and the current
heads, relative walks, and history ranges. Everything is pure.

Grammar (an exact revision id or branch label always wins over the forms below)::

    head          the single head (MultipleHeadsError if there are several)
    heads         every head
    base          nothing applied (the empty tuple)
    current       the current heads
    <id>          a full revision id, or a unique prefix of one
    <label>       the revision that declares this branch label
    +N / -N       N revisions up / down from the single current head
    REF+N / REF-N N revisions up / down from REF (a revision, label, head, heads, base)
    X@head        the head built on X (X is a branch label or a revision)
    X@base        the base of X's branch: below the first revision only X's branch has
    X@+N / X@-N   N revisions up / down on X's branch from its current revision
    X@head-N      N revisions below the head of X's branch

X's branch, for walks, is everything X builds on or that builds on X; so ``X@+1`` from a
branch point takes the child on X's side. ``X@base`` keeps the revisions X's branch shares
with others: its first revision is the lowest one reached from X through single-parent
links whose parent has no other child.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlstrata.errors import (
    AmbiguousRevisionError,
    MultipleHeadsError,
    ResolutionError,
    UnknownRevisionError,
)
from sqlstrata.graph.graph import RESERVED_WORDS, RevisionGraph
from sqlstrata.graph.heads import known_heads
from sqlstrata.graph.revision import Revision

Direction = Literal["up", "down"]

_TARGET = re.compile(r"^(?:(?P<branch>[^@]+)@)?(?P<symbol>[^@]*?)(?P<delta>[+-]\d+)?$")


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed target ``[branch@][symbol][+N|-N]``; ``symbol`` None means "from current"."""

    text: str
    branch: str | None = None
    symbol: str | None = None
    delta: int | None = None

    @property
    def relative_to_current(self) -> bool:
        """True for ``+N``, ``-N``, ``X@+N`` and ``X@-N``."""
        return self.symbol is None


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a target leads.

    ``revisions`` are the tips of the wanted state (empty: base). ``remove_from`` says what a
    move down takes off: these revisions and everything built on them. When it is None, a
    move down takes off everything built on ``revisions``.
    """

    revisions: tuple[str, ...]
    remove_from: tuple[str, ...] | None = None


def parse(text: str) -> Target:
    """Parse a target's syntax; names are not looked up here."""
    stripped = text.strip()
    match = _TARGET.match(stripped)
    if not stripped or match is None or stripped.endswith("@"):
        raise ResolutionError(
            f"Can't resolve {text!r}: it is not a revision, a branch label or a target such "
            "as 'head', 'heads', 'base', '+1', '-1' or 'label@head'.",
            hint="Run 'strata history' to see the revisions.",
        )
    delta = match["delta"]
    return Target(
        text=stripped,
        branch=match["branch"],
        symbol=match["symbol"] or None,
        delta=int(delta) if delta is not None else None,
    )


def resolve(
    graph: RevisionGraph,
    target: str,
    current_heads: Sequence[str] = (),
    *,
    for_downgrade: bool = False,
) -> tuple[str, ...]:
    """Resolve ``target`` to revision ids (the empty tuple is base).

    With ``for_downgrade`` a step up from the current heads (``+N``, ``X@+N``) is refused.
    """
    direction: Direction | None = "down" if for_downgrade else None
    return resolve_destination(graph, target, current_heads, direction=direction).revisions


def resolve_destination(
    graph: RevisionGraph,
    target: str,
    current_heads: Sequence[str] = (),
    *,
    direction: Direction | None = None,
) -> Destination:
    """Resolve ``target`` to a :class:`Destination`.

    ``direction`` refuses relative steps from the current heads that go the other way
    (``-1`` for an upgrade, ``+1`` for a downgrade).
    """
    current = tuple(current_heads)  # checked against the graph only where it is used
    stripped = target.strip()
    if stripped in graph or stripped in graph.label_map:
        return Destination((lookup(graph, stripped),))
    parsed = parse(stripped)
    _check_direction(parsed, direction)
    if parsed.branch is not None:
        return _resolve_on_branch(graph, parsed, current)
    if parsed.delta is None:
        assert parsed.symbol is not None  # the grammar never yields an empty target here
        return _resolve_symbol(graph, parsed.symbol, parsed.text, current)
    if parsed.symbol is None:
        start = _single(known_heads(graph, current), parsed.text)
        path = _walk(graph, start, parsed.delta, parsed.text)
        return _destination(graph, path, parsed.delta, scoped=True)
    origin = _resolve_symbol(graph, parsed.symbol, parsed.text, current)
    start = _single(origin.revisions, parsed.text)
    path = _walk(graph, start, parsed.delta, parsed.text)
    return _destination(graph, path, parsed.delta, scoped=False)


def lookup(graph: RevisionGraph, ref: str) -> str:
    """Return the id for an exact id, a branch label or a unique id prefix."""
    if ref in graph:
        return ref
    labelled = graph.label_map.get(ref)
    if labelled is not None:
        return labelled
    matches = graph.ids_with_prefix(ref)
    if len(matches) > 1:
        raise AmbiguousRevisionError(ref, matches)
    if not matches:
        raise UnknownRevisionError(ref)
    return matches[0]


def branch_root(graph: RevisionGraph, revision_id: str) -> str:
    """Return the first revision of the branch ``revision_id`` is on.

    Walk down single-parent links while the parent has no other child: the result is the
    lowest revision that only this branch has.
    """
    rid = revision_id
    while True:
        parents = graph.get(rid).down_revisions
        if len(parents) != 1 or len(graph.children(parents[0])) != 1:
            return rid
        rid = parents[0]


def iterate_range(
    graph: RevisionGraph,
    start: str | None,
    end: str | None,
    current_heads: Sequence[str] = (),
) -> tuple[Revision, ...]:
    """Return the revisions of a ``history -r START:END`` range, newest first.

    Both ends are included. START defaults to base and END to heads; either may be
    ``current``. A START of ``-N`` counts down from END and an END of ``+N`` counts up from
    START; such walks stop quietly at base or at a head.
    """
    current = tuple(current_heads)
    start_t = parse(start) if start and start.strip() else None
    end_t = parse(end) if end and end.strip() else None
    start_from_end = _counts_from_other_end(start_t, -1)
    end_from_start = _counts_from_other_end(end_t, +1)
    if start_from_end and end_from_start:
        raise ResolutionError(
            f"Can't resolve the range {start}:{end}: both ends count from each other.",
            hint="Give at least one end as a revision, 'base', 'heads' or 'current'.",
        )
    lower: tuple[str, ...] | None = None  # None: from base
    if start_t is not None and not start_from_end:
        lower = _range_floor(resolve_destination(graph, start_t.text, current))
    if end_t is None:
        upper = graph.heads
    elif end_from_start:
        assert end_t.delta is not None
        origin = None if lower is None else _single(lower, start_t.text if start_t else "")
        upper = _tip(_walk(graph, origin, end_t.delta, end_t.text, clamp=True))
    else:
        upper = resolve_destination(graph, end_t.text, current).revisions
    if start_from_end:
        assert start_t is not None and start_t.delta is not None
        origin = _single(upper, end_t.text if end_t else "heads") if upper else None
        lower = _tip(_walk(graph, origin, start_t.delta, start_t.text, clamp=True)) or None
    selected = graph.ancestors(upper, include_dependencies=True)
    if lower is not None:
        selected &= graph.descendants(lower, include_dependencies=True)
    return tuple(graph.get(rid) for rid in reversed(graph.ordered(selected)))


# -- resolution pieces ---------------------------------------------------------------------


def _check_direction(target: Target, direction: Direction | None) -> None:
    if direction is None or not target.relative_to_current or target.delta is None:
        return
    if direction == "up" and target.delta < 0:
        raise ResolutionError(
            f"Can't upgrade to {target.text!r}: a negative step goes down.",
            hint=f"Use 'strata downgrade {target.text}', or a positive step such as '+1'.",
        )
    if direction == "down" and target.delta > 0:
        raise ResolutionError(
            f"Can't downgrade to {target.text!r}: a positive step goes up.",
            hint=f"Use 'strata upgrade {target.text}', or a negative step such as '-1'.",
        )


def _resolve_symbol(
    graph: RevisionGraph, symbol: str, text: str, current: tuple[str, ...]
) -> Destination:
    if symbol == "head":
        if len(graph.heads) > 1:
            raise MultipleHeadsError(text, graph.heads)
        return Destination(graph.heads)
    if symbol == "heads":
        return Destination(graph.heads)
    if symbol == "base":
        return Destination((), remove_from=graph.bases)
    if symbol == "current":
        return Destination(graph.ordered(known_heads(graph, current)))
    return Destination((lookup(graph, symbol),))


def _resolve_on_branch(
    graph: RevisionGraph, target: Target, current: tuple[str, ...]
) -> Destination:
    assert target.branch is not None
    anchor = lookup(graph, target.branch)
    above = graph.descendants(anchor, include_dependencies=False)
    lineage = graph.ancestors(anchor, include_dependencies=False) | above
    start: str | None
    if target.symbol == "head":
        heads = tuple(h for h in graph.heads if h in above)
        if len(heads) > 1:
            raise MultipleHeadsError(target.text, heads)
        start = heads[0]  # everything is below at least one head
        if target.delta is None:
            return Destination(heads)
    elif target.symbol == "base":
        root = branch_root(graph, anchor)
        if target.delta is None:
            return Destination((), remove_from=(root,))
        start = None if target.delta <= 0 else root
        steps = target.delta - 1 if target.delta > 0 else target.delta
        path = _walk(graph, start, steps, target.text, lineage)
        return _destination(graph, path, steps, scoped=True)
    elif target.symbol is None:
        assert target.delta is not None
        start = _branch_start(graph, target, current, lineage)
    else:
        raise ResolutionError(
            f"Can't resolve {target.text!r}: after '@' comes 'head', 'base', '+N' or '-N'.",
            hint=f"Try '{target.branch}@head' or name the revision alone.",
        )
    assert target.delta is not None
    path = _walk(graph, start, target.delta, target.text, lineage)
    return _destination(graph, path, target.delta, scoped=True)


def _branch_start(
    graph: RevisionGraph, target: Target, current: tuple[str, ...], lineage: frozenset[str]
) -> str | None:
    """Return where ``X@+N`` / ``X@-N`` starts: X's branch's current revision."""
    current = known_heads(graph, current)
    on_branch = tuple(h for h in current if h in lineage)
    if len(on_branch) > 1:
        raise MultipleHeadsError(target.text, on_branch)
    if on_branch:
        return on_branch[0]
    assert target.delta is not None
    if target.delta < 0:
        raise ResolutionError(
            f"Can't resolve {target.text!r}: no current head is on branch {target.branch!r}.",
            hint=f"Run 'strata current'; to go up the branch use '{target.branch}@+1'.",
        )
    # Nothing of the branch is a head: start from the newest applied revisions it shares.
    applied = graph.ancestors(current, include_dependencies=True) & lineage
    tips = tuple(rid for rid in applied if not any(c in applied for c in graph.children(rid)))
    if len(tips) > 1:
        raise MultipleHeadsError(target.text, sorted(tips))
    return tips[0] if tips else None


def _walk(
    graph: RevisionGraph,
    start: str | None,
    steps: int,
    text: str,
    lineage: frozenset[str] | None = None,
    *,
    clamp: bool = False,
) -> tuple[str | None, ...]:
    """Walk ``steps`` revisions up (> 0) or down (< 0) from ``start`` (None is base).

    Return the path, ``start`` included; None in it stands for base. ``lineage`` limits
    the choices at each step. With ``clamp`` the walk stops quietly where the graph ends.
    """
    path: list[str | None] = [start]
    for _ in range(abs(steps)):
        here = path[-1]
        options: tuple[str | None, ...]
        if steps > 0:
            options = graph.bases if here is None else graph.children(here)
        elif here is None:
            options = ()
        else:
            options = graph.get(here).down_revisions or (None,)
        if lineage is not None:
            options = tuple(o for o in options if o is None or o in lineage)
        if not options:
            if clamp:
                break
            _raise_overwalk(text, start, steps, len(path) - 1)
        if len(options) > 1:
            raise ResolutionError(
                f"Can't resolve {text!r}: from {_name(here)} the walk can go to several "
                f"revisions ({', '.join(str(o) for o in options)}).",
                hint="Use 'label@+N' or 'label@-N' to pick a branch, or name the revision.",
            )
        path.append(options[0])
    return tuple(path)


def _raise_overwalk(text: str, start: str | None, steps: int, done: int) -> None:
    where = "above" if steps > 0 else "below"
    raise ResolutionError(
        f"Can't resolve {text!r}: only {done} revision(s) lie {where} {_name(start)}, "
        f"not {abs(steps)}.",
        hint="Use 'heads' to go to the newest revisions."
        if steps > 0
        else "Use 'base' to remove every revision.",
    )


def _destination(
    graph: RevisionGraph, path: tuple[str | None, ...], steps: int, *, scoped: bool
) -> Destination:
    """Turn a walk into a destination.

    A scoped walk down (from the current heads, or on a branch) only takes off the line it
    walked; an unscoped one behaves like naming the revision it reached (or base).
    """
    end = path[-1]
    revisions = () if end is None else (end,)
    if steps < 0 and len(path) > 1:
        below = path[-2]  # never base: a walk down only reaches base at its last step
        if scoped and below is not None:
            return Destination(revisions, remove_from=(below,))
        if end is None:
            return Destination((), remove_from=graph.bases)
    return Destination(revisions)


def _single(revisions: tuple[str, ...], text: str) -> str | None:
    """Return the one revision to walk from (None for base), or raise for several."""
    if len(revisions) > 1:
        raise MultipleHeadsError(text, revisions)
    return revisions[0] if revisions else None


def _tip(path: tuple[str | None, ...]) -> tuple[str, ...]:
    end = path[-1]
    return () if end is None else (end,)


def _range_floor(destination: Destination) -> tuple[str, ...] | None:
    """Return the lowest revisions a range starting at ``destination`` shows (None: all)."""
    if destination.revisions:
        return destination.revisions
    return destination.remove_from  # "base" or "X@base": from the first revision up


def _counts_from_other_end(target: Target | None, sign: int) -> bool:
    return (
        target is not None
        and target.branch is None
        and target.symbol is None
        and target.delta is not None
        and target.delta * sign > 0
    )


def _name(revision_id: str | None) -> str:
    return "base" if revision_id is None else repr(revision_id)


__all__ = [
    "RESERVED_WORDS",
    "Destination",
    "Direction",
    "Target",
    "branch_root",
    "iterate_range",
    "lookup",
    "parse",
    "resolve",
    "resolve_destination",
]
