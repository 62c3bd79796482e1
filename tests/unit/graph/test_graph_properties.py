"""Invariants of the graph, resolution and plans over random DAGs."""

from __future__ import annotations

import pytest
from graph_strategies import (
    assert_consistent_heads,
    graphs,
    revision_lists,
    strict_down_ancestors,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from sqlstrata.errors import (
    AmbiguousRevisionError,
    CommandError,
    MultipleHeadsError,
    ResolutionError,
)
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.plan import (
    Downgrade,
    Plan,
    Stamp,
    Upgrade,
    apply_plan,
    plan_downgrade,
    plan_stamp,
    plan_upgrade,
    version_table_changes,
)
from sqlstrata.graph.revision import Revision
from sqlstrata.graph.targets import branch_root, iterate_range, resolve

GRAPH_SETTINGS = settings(max_examples=120, deadline=None)


def heads_state(graph: RevisionGraph, target: str, start: tuple[str, ...] = ()) -> tuple[str, ...]:
    return apply_plan(plan_upgrade(graph, start, target), start)


def applied(graph: RevisionGraph, heads: tuple[str, ...]) -> frozenset[str]:
    return graph.ancestors(heads, include_dependencies=True)


def run_checked(graph: RevisionGraph, plan: Plan, heads: tuple[str, ...]) -> tuple[str, ...]:
    """Apply a plan step by step, checking the heads and row operations after each step."""
    for step in plan:
        after = step.apply(heads)
        deletes, updates, inserts = version_table_changes(step)
        rows = set(heads) - set(deletes)
        for old, new in updates:
            assert old in rows
            rows = (rows - {old}) | {new}
        assert not rows & set(inserts)
        assert rows | set(inserts) == set(after)
        assert_consistent_heads(graph, after)
        heads = after
    return heads


def assert_topological(graph: RevisionGraph, ids: list[str]) -> None:
    position = {rid: i for i, rid in enumerate(ids)}
    for rid in ids:
        for before in (*graph.get(rid).down_revisions, *graph.dependencies(rid)):
            if before in position:
                assert position[before] < position[rid], (before, rid)


# -- the graph -----------------------------------------------------------------------------


@GRAPH_SETTINGS
@given(revision_lists())
def test_build_does_not_depend_on_input_order(revisions: list[Revision]) -> None:
    first = RevisionGraph.build(revisions)
    second = RevisionGraph.build(reversed(revisions))
    assert first.heads == second.heads
    assert first.bases == second.bases
    assert first.branch_points == second.branch_points
    assert first.topological_order() == second.topological_order()
    assert dict(first.label_map) == dict(second.label_map)


@GRAPH_SETTINGS
@given(graphs())
def test_topological_order_is_a_permutation_parents_first(graph: RevisionGraph) -> None:
    order = list(graph.topological_order())
    assert sorted(order) == sorted(r.id for r in graph)
    assert_topological(graph, order)
    assert graph.get(order[0]).down_revisions == ()


@GRAPH_SETTINGS
@given(graphs())
def test_heads_bases_and_branch_points(graph: RevisionGraph) -> None:
    ids = [r.id for r in graph]
    assert graph.heads == tuple(sorted(i for i in ids if not graph.children(i)))
    assert graph.bases == tuple(sorted(i for i in ids if not graph.get(i).down_revisions))
    assert graph.branch_points == tuple(sorted(i for i in ids if len(graph.children(i)) > 1))
    for rid in ids:
        for parent in graph.get(rid).down_revisions:
            assert rid in graph.children(parent)
        for dep in graph.dependencies(rid):
            assert rid in graph.dependents(dep)


@GRAPH_SETTINGS
@given(graphs())
def test_ancestors_and_descendants_mirror_each_other(graph: RevisionGraph) -> None:
    ids = [r.id for r in graph]
    for deps in (True, False):
        for a in ids:
            ancestors = graph.ancestors(a, include_dependencies=deps)
            assert a in ancestors
            for b in ids:
                assert (b in ancestors) == (a in graph.descendants(b, include_dependencies=deps))
    for a in ids:
        assert graph.ancestors(a, False) <= graph.ancestors(a, True)
        # every revision lies below some head through parent links alone
    assert set(ids) == set(graph.ancestors(graph.heads, include_dependencies=False))


# -- resolution ----------------------------------------------------------------------------


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_ids_prefixes_and_labels_resolve(graph: RevisionGraph, data: st.DataObject) -> None:
    rid = data.draw(st.sampled_from([r.id for r in graph]))
    assert resolve(graph, rid) == (rid,)
    prefix = rid[: data.draw(st.integers(1, len(rid)))]
    candidates = sorted(r.id for r in graph if r.id.startswith(prefix))
    if prefix in graph:
        assert resolve(graph, prefix) == (prefix,)
    elif len(candidates) == 1:
        assert resolve(graph, prefix) == (rid,)
    else:
        with pytest.raises(AmbiguousRevisionError) as info:
            resolve(graph, prefix)
        assert list(info.value.candidates) == candidates
    for label, owner in graph.label_map.items():
        assert resolve(graph, label) == (owner,)


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_resolution_is_deterministic(graph: RevisionGraph, data: st.DataObject) -> None:
    rebuilt = RevisionGraph.build(reversed(list(graph)))
    rid = data.draw(st.sampled_from([r.id for r in graph]))
    labels = list(graph.label_map)
    targets = ["heads", "base", rid, f"{rid}@head", f"{rid}@base", f"{rid}-1", f"{rid}+1"]
    targets += [f"{label}@head" for label in labels] + [f"{label}@base" for label in labels]
    for target in targets:
        outcomes: list[tuple[str, object]] = []
        for g in (graph, graph, rebuilt):
            try:
                outcomes.append(("ok", resolve(g, target, (rid,))))
            except ResolutionError as error:
                outcomes.append((type(error).__name__, str(error)))
        assert outcomes[0] == outcomes[1] == outcomes[2], target


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_branch_head_and_root(graph: RevisionGraph, data: st.DataObject) -> None:
    rid = data.draw(st.sampled_from([r.id for r in graph]))
    above = graph.descendants(rid, include_dependencies=False)
    heads = [h for h in graph.heads if h in above]
    if len(heads) == 1:
        assert resolve(graph, f"{rid}@head") == (heads[0],)
    else:
        with pytest.raises(MultipleHeadsError):
            resolve(graph, f"{rid}@head")
    root = branch_root(graph, rid)
    assert root in graph.ancestors(rid, include_dependencies=False)
    # every revision between the root and rid has a single parent and a single child
    between = graph.descendants(root, False) & graph.ancestors(rid, False) - {rid}
    for mid in between:
        assert len(graph.children(mid)) == 1


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_relative_steps_from_a_single_head(graph: RevisionGraph, data: st.DataObject) -> None:
    rid = data.draw(st.sampled_from([r.id for r in graph]))
    current = (rid,)
    parents = graph.get(rid).down_revisions
    if len(parents) == 1:
        assert resolve(graph, "-1", current) == parents
    elif not parents:
        assert resolve(graph, "-1", current) == ()
    else:
        with pytest.raises(ResolutionError):
            resolve(graph, "-1", current)
    children = graph.children(rid)
    if len(children) == 1:
        assert resolve(graph, "+1", current) == children
        assert resolve(graph, f"{rid}+1") == children
    else:
        with pytest.raises(ResolutionError):
            resolve(graph, "+1", current)


# -- plans ---------------------------------------------------------------------------------


@GRAPH_SETTINGS
@given(graphs())
def test_upgrade_to_heads_from_base_yields_the_heads(graph: RevisionGraph) -> None:
    plan = plan_upgrade(graph, (), "heads")
    assert all(isinstance(step, Upgrade) for step in plan)
    ids = [step.revision.id for step in plan if isinstance(step, Upgrade)]
    assert sorted(ids) == sorted(r.id for r in graph)
    assert_topological(graph, ids)
    heads = run_checked(graph, plan, ())
    assert set(heads) == set(graph.heads)
    assert plan_upgrade(graph, heads, "heads") == ()
    down = plan_downgrade(graph, heads, "base")
    assert all(isinstance(step, Downgrade) for step in down)
    assert run_checked(graph, down, heads) == ()


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_upgrade_to_a_revision_applies_exactly_its_ancestors(
    graph: RevisionGraph, data: st.DataObject
) -> None:
    start_target = data.draw(st.sampled_from(["base", *(r.id for r in graph)]))
    start = heads_state(graph, start_target)
    target = data.draw(st.sampled_from([r.id for r in graph]))
    plan = plan_upgrade(graph, start, target)
    ids = [step.revision.id for step in plan if isinstance(step, Upgrade)]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(applied(graph, (target,))) - applied(graph, start)
    assert_topological(graph, ids)
    heads = run_checked(graph, plan, start)
    assert applied(graph, heads) == applied(graph, start) | applied(graph, (target,))
    assert target in heads or target in applied(graph, start)


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_downgrade_after_upgrade_restores_the_state(
    graph: RevisionGraph, data: st.DataObject
) -> None:
    low = data.draw(st.sampled_from([r.id for r in graph]))
    start = heads_state(graph, low)
    high = data.draw(st.sampled_from(sorted(graph.descendants(low))))
    upgraded = run_checked(graph, plan_upgrade(graph, start, high), start)
    down = plan_downgrade(graph, upgraded, low)
    removed = [step.revision.id for step in down if isinstance(step, Downgrade)]
    assert_topological(graph, removed[::-1])
    restored = run_checked(graph, down, upgraded)
    # what goes: the line above low, and whatever depends on that line
    line = graph.descendants(low, include_dependencies=False) - {low}
    taken = graph.descendants(line)
    assert applied(graph, restored) == applied(graph, upgraded) - taken
    assert low in applied(graph, restored)
    if applied(graph, upgraded) - applied(graph, start) <= taken:
        assert set(restored) == set(start)


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_downgrade_to_an_unapplied_revision_fails(
    graph: RevisionGraph, data: st.DataObject
) -> None:
    low = data.draw(st.sampled_from([r.id for r in graph]))
    heads = heads_state(graph, low)
    outside = [r.id for r in graph if r.id not in applied(graph, heads)]
    if not outside:
        return
    with pytest.raises(CommandError, match="not applied"):
        plan_downgrade(graph, heads, data.draw(st.sampled_from(outside)))
    # and an upgrade to something already applied does nothing
    assert (
        plan_upgrade(graph, heads, data.draw(st.sampled_from(sorted(applied(graph, heads))))) == ()
    )


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_branch_base_downgrade_only_takes_that_branch(
    graph: RevisionGraph, data: st.DataObject
) -> None:
    heads = heads_state(graph, "heads")
    rid = data.draw(st.sampled_from([r.id for r in graph]))
    root = branch_root(graph, rid)
    after = run_checked(graph, plan_downgrade(graph, heads, f"{rid}@base"), heads)
    assert applied(graph, after) == applied(graph, heads) - graph.descendants(root)


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_stamp(graph: RevisionGraph, data: st.DataObject) -> None:
    start = heads_state(graph, data.draw(st.sampled_from(["base", *(r.id for r in graph)])))
    assert plan_stamp(graph, start, ["current"]) == ()
    stamped = run_checked(graph, plan_stamp(graph, start, ["heads"]), start)
    assert set(stamped) == set(graph.heads)
    assert run_checked(graph, plan_stamp(graph, start, ["base"]), start) == ()
    target = data.draw(st.sampled_from([r.id for r in graph]))
    plan = plan_stamp(graph, start, [target])
    assert all(isinstance(step, Stamp) for step in plan) and len(plan) <= 1
    after = run_checked(graph, plan, start)
    assert target in after
    line = graph.ancestors(target) | graph.descendants(target)
    assert set(after) == {h for h in start if h not in line} | {target}
    purged = run_checked(graph, plan_stamp(graph, start, [target], purge=True), start)
    assert purged == (target,)


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_history_range_is_newest_first_and_bounded(
    graph: RevisionGraph, data: st.DataObject
) -> None:
    ids = [r.id for r in graph]
    start = data.draw(st.sampled_from(ids))
    end = data.draw(st.sampled_from(ids))
    shown = [r.id for r in iterate_range(graph, start, end, ())]
    assert_topological(graph, shown[::-1])
    assert set(shown) == graph.ancestors(end) & graph.descendants(start)
    everything = [r.id for r in iterate_range(graph, None, None, ())]
    assert everything == list(reversed(graph.topological_order()))


@GRAPH_SETTINGS
@given(graphs(), st.data())
def test_head_transitions_never_keep_an_ancestor(graph: RevisionGraph, data: st.DataObject) -> None:
    heads: tuple[str, ...] = ()
    for _ in range(4):
        target = data.draw(st.sampled_from(["heads", "base", *(r.id for r in graph)]))
        if data.draw(st.booleans()):
            plan = plan_upgrade(graph, heads, target)
        else:
            try:
                plan = plan_downgrade(graph, heads, target)
            except CommandError:
                continue
        heads = run_checked(graph, plan, heads)
        for head in heads:
            assert not set(heads) & strict_down_ancestors(graph, head)
