"""Plans by example: head transitions, merges, dependencies, stamps and their errors."""

from __future__ import annotations

import pytest
from test_graph_build import branchy, linear, rev

from sqlstrata.errors import (
    CommandError,
    MultipleHeadsError,
    ResolutionError,
    UnknownRevisionError,
    VersionTableError,
)
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.plan import (
    Downgrade,
    Plan,
    Stamp,
    Upgrade,
    VersionTableChanges,
    apply_plan,
    plan_downgrade,
    plan_stamp,
    plan_upgrade,
    version_table_changes,
)

A, B, C = "1975ea83b712", "ae1027a6acf", "27c6a30d7c24"


@pytest.fixture
def line() -> RevisionGraph:
    return RevisionGraph.build([rev(A), rev(B, A), rev(C, B)])


@pytest.fixture
def tree() -> RevisionGraph:
    return branchy()


@pytest.fixture
def merged() -> RevisionGraph:
    return RevisionGraph.build([*branchy(), rev("m8", "e5", "g7")])


def moves(plan: Plan) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """Summarise a plan as (kind, revision, removed, added)."""
    out = []
    for step in plan:
        if isinstance(step, Upgrade):
            out.append(("up", step.revision.id, step.removed, step.added))
        elif isinstance(step, Downgrade):
            out.append(("down", step.revision.id, step.removed, step.added))
        else:
            out.append(("stamp", "", step.removed, step.added))
    return out


# -- upgrade -------------------------------------------------------------------------------


def test_upgrade_linear_from_base(line: RevisionGraph) -> None:
    plan = plan_upgrade(line, (), "head")
    assert moves(plan) == [
        ("up", A, (), (A,)),
        ("up", B, (A,), (B,)),
        ("up", C, (B,), (C,)),
    ]
    assert apply_plan(plan) == (C,)
    assert [version_table_changes(s) for s in plan] == [
        VersionTableChanges((), (), (A,)),
        VersionTableChanges((), ((A, B),), ()),
        VersionTableChanges((), ((B, C),), ()),
    ]


def test_upgrade_relative(line: RevisionGraph) -> None:
    assert [m[1] for m in moves(plan_upgrade(line, [A], "+1"))] == [B]
    assert [m[1] for m in moves(plan_upgrade(line, (), "+2"))] == [A, B]
    with pytest.raises(ResolutionError, match="only 1 revision"):
        plan_upgrade(line, [B], "+2")
    with pytest.raises(ResolutionError, match="Can't upgrade to '-1'"):
        plan_upgrade(line, [B], "-1")


def test_upgrade_to_a_revision_behind_does_nothing(line: RevisionGraph) -> None:
    assert plan_upgrade(line, [C], A) == ()
    assert plan_upgrade(line, [C], "head") == ()
    assert plan_upgrade(line, [C], "base") == ()


def test_upgrade_branches_then_merge(merged: RevisionGraph) -> None:
    plan = plan_upgrade(merged, ["c3"], "m8")
    assert moves(plan) == [
        ("up", "d4", ("c3",), ("d4",)),
        ("up", "e5", ("d4",), ("e5",)),
        ("up", "f6", (), ("f6",)),  # c3 is no head any more: a new row
        ("up", "g7", ("f6",), ("g7",)),
        ("up", "m8", ("e5", "g7"), ("m8",)),  # the merge removes both heads
    ]
    assert apply_plan(plan, ("c3",)) == ("m8",)
    assert version_table_changes(plan[2]) == VersionTableChanges((), (), ("f6",))
    assert version_table_changes(plan[-1]) == VersionTableChanges(("g7",), (("e5", "m8"),), ())


def test_upgrade_heads_with_several_heads(tree: RevisionGraph) -> None:
    plan = plan_upgrade(tree, (), "heads")
    assert apply_plan(plan) == ("e5", "g7", "n2")
    with pytest.raises(MultipleHeadsError):
        plan_upgrade(tree, (), "head")


def test_depends_on_is_applied_first_and_stays_a_head(tree: RevisionGraph) -> None:
    plan = plan_upgrade(tree, (), "n2")
    assert [m[1] for m in moves(plan)] == ["a1", "b2", "c3", "d4", "n1", "n2"]
    assert apply_plan(plan) == ("d4", "n2")


def test_branch_upgrades(tree: RevisionGraph) -> None:
    assert [m[1] for m in moves(plan_upgrade(tree, ["g7"], "shop@head"))] == ["d4", "e5"]
    assert [m[1] for m in moves(plan_upgrade(tree, ["g7"], "shop@+1"))] == ["d4"]
    assert [m[1] for m in moves(plan_upgrade(tree, ["e5", "g7"], "net@+1"))] == ["n1"]


# -- downgrade -----------------------------------------------------------------------------


def test_downgrade_linear(line: RevisionGraph) -> None:
    plan = plan_downgrade(line, [C], "base")
    assert moves(plan) == [
        ("down", C, (C,), (B,)),
        ("down", B, (B,), (A,)),
        ("down", A, (A,), ()),
    ]
    assert version_table_changes(plan[-1]) == VersionTableChanges((A,), (), ())
    assert moves(plan_downgrade(line, [C], "-1")) == [("down", C, (C,), (B,))]
    assert [m[1] for m in moves(plan_downgrade(line, [C], A))] == [C, B]
    assert [m[1] for m in moves(plan_downgrade(line, [C], "-3"))] == [C, B, A]
    assert plan_downgrade(line, [C], C) == ()


def test_downgrade_errors(line: RevisionGraph, tree: RevisionGraph) -> None:
    with pytest.raises(CommandError, match=f"Can't downgrade to '{C}': it is not applied"):
        plan_downgrade(line, [A], C)
    with pytest.raises(CommandError, match="not applied"):
        plan_downgrade(tree, ["e5"], "f6")  # on another branch
    with pytest.raises(ResolutionError, match="Can't downgrade to '\\+1'"):
        plan_downgrade(line, [A], "+1")
    with pytest.raises(ResolutionError, match="below"):
        plan_downgrade(line, [A], "-2")
    with pytest.raises(MultipleHeadsError):
        plan_downgrade(tree, ["e5", "g7"], "-1")


def test_downgrade_undoes_a_merge(merged: RevisionGraph) -> None:
    plan = plan_downgrade(merged, ["m8", "n2"], "e5")
    assert moves(plan) == [("down", "m8", ("m8",), ("e5", "g7"))]
    assert version_table_changes(plan[0]) == VersionTableChanges((), (("m8", "e5"),), ("g7",))
    assert apply_plan(plan, ("m8", "n2")) == ("n2", "e5", "g7")


def test_downgrade_takes_dependents_along(tree: RevisionGraph) -> None:
    heads = ("e5", "g7", "n2")
    plan = plan_downgrade(tree, heads, "c3")
    assert [m[1] for m in moves(plan)] == ["n2", "g7", "f6", "e5", "d4"]
    assert set(apply_plan(plan, heads)) == {"c3", "n1"}


def test_downgrade_keeps_what_only_depends_on_the_target(tree: RevisionGraph) -> None:
    heads = ("e5", "g7", "n2")
    plan = plan_downgrade(tree, heads, "d4")  # n2 needs d4, which stays
    assert moves(plan) == [("down", "e5", ("e5",), ("d4",))]
    assert apply_plan(plan, heads) == ("g7", "n2", "d4")


def test_downgrade_branch_base_only_touches_that_branch(tree: RevisionGraph) -> None:
    heads = ("e5", "g7", "n2")
    shop = plan_downgrade(tree, heads, "shop@base")
    assert [m[1] for m in moves(shop)] == ["n2", "e5", "d4"]  # n2 depends on shop
    assert set(apply_plan(shop, heads)) == {"g7", "n1"}
    net = plan_downgrade(tree, heads, "net@base")
    assert moves(net) == [("down", "n2", ("n2",), ("n1",)), ("down", "n1", ("n1",), ())]
    assert plan_downgrade(tree, ["g7"], "shop@base") == ()


def test_downgrade_branch_relative(tree: RevisionGraph) -> None:
    heads = ("e5", "g7")
    assert moves(plan_downgrade(tree, heads, "shop@-1")) == [("down", "e5", ("e5",), ("d4",))]
    plan = plan_downgrade(tree, heads, "shop@-2")
    assert [m[1] for m in moves(plan)] == ["e5", "d4"]
    assert apply_plan(plan, heads) == ("g7",)  # c3 still has g7's branch above it


# -- the version table ---------------------------------------------------------------------


def test_unknown_current_head(line: RevisionGraph) -> None:
    for plan in (plan_upgrade, plan_downgrade):
        with pytest.raises(UnknownRevisionError) as info:
            plan(line, ["dead"], "head")
        assert "Can't locate revision 'dead' recorded in the version table" in str(info.value)


def test_heads_behind_each_other_are_refused(line: RevisionGraph) -> None:
    with pytest.raises(VersionTableError, match=f"'{A}' is\\s+listed as a head"):
        plan_upgrade(line, [A, C], "head")


def test_step_apply_checks_the_version_table(line: RevisionGraph) -> None:
    step = plan_upgrade(line, [A], "+1")[0]
    assert step.apply((A,)) == (B,)
    with pytest.raises(VersionTableError, match="should hold"):
        step.apply(())
    with pytest.raises(VersionTableError, match="already holds"):
        Stamp((), (A,)).apply((A,))


# -- stamp ---------------------------------------------------------------------------------


def test_stamp_basics(line: RevisionGraph, tree: RevisionGraph) -> None:
    assert plan_stamp(line, (), ["head"]) == (Stamp((), (C,)),)
    assert plan_stamp(line, [C], [A]) == (Stamp((C,), (A,)),)  # down its own line
    assert plan_stamp(line, [A], [C]) == (Stamp((A,), (C,)),)  # up its own line
    assert plan_stamp(line, [C], ["base"]) == (Stamp((C,), ()),)
    assert plan_stamp(line, [C], [C]) == ()
    assert plan_stamp(tree, ["e5"], ["g7"]) == (Stamp((), ("g7",)),)  # another branch
    assert plan_stamp(tree, ["e5", "g7"], ["c3"]) == (Stamp(("e5", "g7"), ("c3",)),)
    assert plan_stamp(tree, (), ["heads"]) == (Stamp((), ("e5", "g7", "n2")),)


def test_stamp_branch_base_and_several_targets(tree: RevisionGraph) -> None:
    heads = ("e5", "g7", "n2")
    assert plan_stamp(tree, heads, ["shop@base"]) == (Stamp(("e5", "n2"), ("n1",)),)
    assert plan_stamp(tree, ["c3"], ["e5", "g7"]) == (Stamp(("c3",), ("e5", "g7")),)
    assert plan_stamp(tree, heads, ["base", "f6"]) == (Stamp(heads, ("f6",)),)
    with pytest.raises(CommandError, match="Can't stamp b2 e5"):
        plan_stamp(tree, (), ["b2", "e5"])


def test_stamp_purge_forgets_unknown_heads(line: RevisionGraph) -> None:
    with pytest.raises(UnknownRevisionError, match="stamp --purge"):
        plan_stamp(line, ["dead"], [B])
    assert plan_stamp(line, ["dead"], [B], purge=True) == (Stamp(("dead",), (B,)),)
    assert plan_stamp(line, [C], [C], purge=True) == ()
    assert plan_stamp(line, [C], [], purge=True) == (Stamp((C,), ()),)


# -- size ----------------------------------------------------------------------------------


def test_ten_thousand_revisions_plan_without_recursion() -> None:
    graph = RevisionGraph.build(linear(10_000))
    up = plan_upgrade(graph, (), "head")
    assert len(up) == 10_000
    heads = apply_plan(up)
    assert heads == graph.heads
    down = plan_downgrade(graph, heads, "base")
    assert len(down) == 10_000
    assert apply_plan(down, heads) == ()
    assert len(plan_downgrade(graph, heads, "-9999")) == 9_999
