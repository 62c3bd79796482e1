"""Hypothesis strategies for random revision DAGs, and invariant checks shared by tests."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.heads import applied_revisions
from sqlstrata.graph.revision import Revision

HEX = "0123456789abcdef"


@st.composite
def revision_lists(
    draw: st.DrawFn,
    max_size: int = 14,
    labels: bool = True,
    dependencies: bool = True,
    tidy_merges: bool = False,
) -> list[Revision]:
    """Draw revisions forming a DAG: linear runs, branches, merges, several bases, branch
    labels and ``depends_on`` (on ids or labels). Parents always come earlier in the draw,
    so the result is acyclic; the list is shuffled so build order is random.

    With ``tidy_merges`` a merge never lists a parent that another of its parents builds
    on (Alembic mishandles such merges, so its oracle test needs them left out)."""
    size = draw(st.integers(min_value=1, max_value=max_size))
    ids = draw(
        st.lists(st.text(HEX, min_size=4, max_size=8), min_size=size, max_size=size, unique=True)
    )
    revisions: list[Revision] = []
    label_of: dict[str, str] = {}
    below: dict[str, set[str]] = {}  # strict ancestors through parents
    for i, rid in enumerate(ids):
        # Mostly one parent; sometimes a new base; sometimes a merge.
        wanted = draw(st.sampled_from((0, 1, 1, 1, 1, 1, 2, 2, 3))) if i else 0
        count = min(wanted, i)
        parents = draw(
            st.lists(st.sampled_from(ids[:i]), min_size=count, max_size=count, unique=True)
            if count
            else st.just([])
        )
        if tidy_merges:
            parents = [p for p in parents if not any(p in below[o] for o in parents)]
        below[rid] = set(parents).union(*(below[p] for p in parents))
        branch_labels: tuple[str, ...] = ()
        if labels and draw(st.integers(0, 4)) == 0:
            branch_labels = (f"lbl{i}",)
            label_of[rid] = branch_labels[0]
        depends_on: tuple[str, ...] = ()
        if dependencies and i and draw(st.integers(0, 3)) == 0:
            dep = draw(st.sampled_from(ids[:i]))
            use_label = dep in label_of and draw(st.booleans())
            depends_on = (label_of[dep] if use_label else dep,)
        revisions.append(
            Revision(
                rid,
                down_revisions=tuple(parents),
                branch_labels=branch_labels,
                depends_on=depends_on,
                message=f"revision {i}",
                path=f"versions/{rid}.py",
            )
        )
    return list(draw(st.permutations(revisions)))


def graphs(
    max_size: int = 14,
    labels: bool = True,
    dependencies: bool = True,
    tidy_merges: bool = False,
) -> st.SearchStrategy[RevisionGraph]:
    """Random graphs (see :func:`revision_lists`)."""
    return revision_lists(max_size, labels, dependencies, tidy_merges).map(RevisionGraph.build)


def strict_down_ancestors(graph: RevisionGraph, rid: str) -> frozenset[str]:
    return graph.ancestors(rid, include_dependencies=False) - {rid}


def assert_consistent_heads(graph: RevisionGraph, heads: Iterable[str]) -> None:
    """A version table state is sound: unique known heads, none behind another applied one."""
    listed = tuple(heads)
    assert len(set(listed)) == len(listed), listed
    for head in listed:
        assert head in graph
        others = set(listed) - {head}
        assert not others & strict_down_ancestors(graph, head), (head, listed)
    applied_revisions(graph, listed)  # raises VersionTableError when a head is behind
