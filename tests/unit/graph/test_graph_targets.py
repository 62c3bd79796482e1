"""The target grammar, one example per form and per error, and history ranges."""

from __future__ import annotations

import pytest
from test_graph_build import branchy, rev

from sqlstrata.errors import (
    AmbiguousRevisionError,
    MultipleHeadsError,
    ResolutionError,
    UnknownRevisionError,
)
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.revision import Revision
from sqlstrata.graph.targets import Destination, iterate_range, parse, resolve, resolve_destination

A, B, C = "1975ea83b712", "ae1027a6acf", "27c6a30d7c24"


@pytest.fixture
def line() -> RevisionGraph:
    return RevisionGraph.build([rev(A), rev(B, A), rev(C, B)])


@pytest.fixture
def tree() -> RevisionGraph:
    return branchy()


def test_parse() -> None:
    assert parse("shop@-2") == parse(" shop@-2 ")
    target = parse("shop@-2")
    assert (target.branch, target.symbol, target.delta) == ("shop", None, -2)
    assert parse("ae10+3").symbol == "ae10" and parse("ae10+3").delta == 3
    assert parse("head").delta is None
    assert parse("+1").relative_to_current


@pytest.mark.parametrize("text", ["", "  ", "x@", "a@b@c"])
def test_malformed_targets(line: RevisionGraph, text: str) -> None:
    with pytest.raises(ResolutionError, match="Can't resolve"):
        resolve(line, text)


# -- names ---------------------------------------------------------------------------------


def test_head_heads_base_current(line: RevisionGraph, tree: RevisionGraph) -> None:
    assert resolve(line, "head") == (C,)
    assert resolve(line, "heads") == (C,)
    assert resolve(line, "base") == ()
    assert resolve(tree, "heads") == ("e5", "g7", "n2")
    assert resolve(tree, "current", ["g7", "e5"]) == ("e5", "g7")
    assert resolve(RevisionGraph.build([]), "head") == ()


def test_head_with_several_heads_says_to_use_heads_or_merge(tree: RevisionGraph) -> None:
    with pytest.raises(MultipleHeadsError) as info:
        resolve(tree, "head")
    assert info.value.heads == ("e5", "g7", "n2")
    assert "'heads'" in info.value.hint and "merge" in info.value.hint


def test_full_id_prefix_and_label(line: RevisionGraph, tree: RevisionGraph) -> None:
    assert resolve(line, A) == (A,)
    assert resolve(line, "1975") == (A,)
    assert resolve(line, "a") == (B,)  # one character is enough when unique, as in Alembic
    assert resolve(tree, "shop") == ("d4",)
    assert resolve(tree, "net") == ("n1",)


def test_ambiguous_prefix_lists_candidates(tree: RevisionGraph) -> None:
    with pytest.raises(AmbiguousRevisionError) as info:
        resolve(tree, "n")
    assert info.value.candidates == ("n1", "n2")
    assert "n1, n2" in str(info.value)


def test_unknown_revision(line: RevisionGraph) -> None:
    with pytest.raises(UnknownRevisionError, match="'ffff'"):
        resolve(line, "ffff")


def test_exact_names_win_over_the_grammar() -> None:
    graph = RevisionGraph.build([rev("a1", labels=("v-1",)), rev("a1-1", "a1")])
    assert resolve(graph, "v-1") == ("a1",)
    assert resolve(graph, "a1-1") == ("a1-1",)
    assert resolve(graph, "a1+1") == ("a1-1",)


# -- relative ------------------------------------------------------------------------------


def test_relative_to_the_current_head(line: RevisionGraph) -> None:
    assert resolve(line, "+1", [A]) == (B,)
    assert resolve(line, "+2", [A]) == (C,)
    assert resolve(line, "+1") == (A,)  # from base
    assert resolve(line, "-1", [C]) == (B,)
    assert resolve(line, "-1", [A]) == ()  # down to base
    assert resolve(line, "current", [B]) == (B,)


def test_relative_walk_past_the_end_fails(line: RevisionGraph) -> None:
    with pytest.raises(ResolutionError, match="only 1 revision"):
        resolve(line, "+2", [B])
    with pytest.raises(ResolutionError, match="below"):
        resolve(line, "-3", [B])
    with pytest.raises(ResolutionError):
        resolve(line, "-1")  # nothing applied


def test_relative_from_several_heads_fails(tree: RevisionGraph) -> None:
    with pytest.raises(MultipleHeadsError) as info:
        resolve(tree, "-1", ["e5", "g7"])
    assert info.value.heads == ("e5", "g7")


def test_relative_walk_through_a_branch_point_is_ambiguous(tree: RevisionGraph) -> None:
    with pytest.raises(ResolutionError, match=r"several revisions \(d4, f6\)"):
        resolve(tree, "+1", ["c3"])


def test_relative_to_a_revision(line: RevisionGraph, tree: RevisionGraph) -> None:
    assert resolve(line, f"{A}+2") == (C,)
    assert resolve(line, "27c6-2") == (A,)
    assert resolve(line, "head-1") == (B,)
    assert resolve(line, "base+1") == (A,)
    assert resolve(line, f"{B}-2") == ()
    assert resolve(tree, "shop+1") == ("e5",)
    with pytest.raises(MultipleHeadsError):
        resolve(tree, "heads-1")
    with pytest.raises(ResolutionError, match="only 0 revision"):
        resolve(line, "head+1")


def test_for_downgrade_refuses_a_step_up(line: RevisionGraph) -> None:
    with pytest.raises(ResolutionError, match="Can't downgrade to '\\+1'"):
        resolve(line, "+1", [A], for_downgrade=True)
    assert resolve(line, "-1", [B], for_downgrade=True) == (A,)
    assert resolve(line, f"{A}+1", for_downgrade=True) == (B,)  # not relative to current
    with pytest.raises(ResolutionError, match="Can't upgrade to '-1'"):
        resolve_destination(line, "-1", [B], direction="up")


# -- branches ------------------------------------------------------------------------------


def test_branch_head(tree: RevisionGraph) -> None:
    assert resolve(tree, "shop@head") == ("e5",)
    assert resolve(tree, "net@head") == ("n2",)
    assert resolve(tree, "f6@head") == ("g7",)  # a revision works like a label
    assert resolve(tree, "f@head") == ("g7",)  # ... and so does a prefix
    with pytest.raises(MultipleHeadsError) as info:
        resolve(tree, "b2@head")
    assert info.value.heads == ("e5", "g7")


def test_branch_base(tree: RevisionGraph) -> None:
    # the branch starts at d4 (c3 is shared), so its base is c3 with d4 taken off
    assert resolve_destination(tree, "shop@base") == Destination((), remove_from=("d4",))
    assert resolve_destination(tree, "e5@base") == Destination((), remove_from=("d4",))
    assert resolve_destination(tree, "net@base") == Destination((), remove_from=("n1",))
    assert resolve(tree, "shop@base") == ()


def test_branch_relative_up(tree: RevisionGraph) -> None:
    assert resolve(tree, "shop@+1", ["c3"]) == ("d4",)  # picks the branch's side
    assert resolve(tree, "shop@+2", ["c3"]) == ("e5",)
    assert resolve(tree, "shop@+1", ["g7"]) == ("d4",)  # from c3, shared with g7's branch
    assert resolve(tree, "net@+1", ["e5", "g7"]) == ("n1",)  # from the branch's base
    assert resolve(tree, "shop@base+1") == ("d4",)
    with pytest.raises(ResolutionError, match="only 0"):
        resolve(tree, "shop@+1", ["e5"])


def test_branch_relative_down(tree: RevisionGraph) -> None:
    current = ["e5", "g7", "n2"]
    assert resolve_destination(tree, "shop@-1", current) == Destination(
        ("d4",), remove_from=("e5",)
    )
    assert resolve_destination(tree, "shop@-2", current) == Destination(
        ("c3",), remove_from=("d4",)
    )
    assert resolve(tree, "shop@head-1") == ("d4",)
    assert resolve(tree, "net@-2", current) == ()
    with pytest.raises(ResolutionError, match="no current head is on branch 'shop'"):
        resolve(tree, "shop@-1", ["g7"])
    with pytest.raises(MultipleHeadsError):
        resolve(tree, "b2@-1", ["e5", "g7"])


def test_after_at_only_head_base_or_steps(tree: RevisionGraph) -> None:
    with pytest.raises(ResolutionError, match="after '@'"):
        resolve(tree, "shop@e5")
    with pytest.raises(UnknownRevisionError):
        resolve(tree, "nosuch@head")


def test_unknown_current_head_points_at_the_version_table(line: RevisionGraph) -> None:
    for target in ("+1", "current", "a@+1"):
        with pytest.raises(UnknownRevisionError) as info:
            resolve(line, target, ["dead"])
        assert "Can't locate revision 'dead' recorded in the version table" in str(info.value)
    assert resolve(line, "head", ["dead"]) == (C,)  # only checked where it is used


# -- history ranges ------------------------------------------------------------------------


def ids(revisions: tuple[Revision, ...]) -> list[str]:
    return [r.id for r in revisions]


def test_history_ranges(line: RevisionGraph) -> None:
    assert ids(iterate_range(line, None, None)) == [C, B, A]
    assert ids(iterate_range(line, "1975ea", "ae1027")) == [B, A]
    assert ids(iterate_range(line, "ae10", None)) == [C, B]
    assert ids(iterate_range(line, None, "ae10")) == [B, A]
    assert ids(iterate_range(line, "base", "heads")) == [C, B, A]
    assert ids(iterate_range(line, "current", None, [B])) == [C, B]
    assert ids(iterate_range(line, None, "current", [B])) == [B, A]
    assert ids(iterate_range(line, "-1", "current", [C])) == [C, B]
    assert ids(iterate_range(line, "-10", "current", [C])) == [C, B, A]  # stops at base
    assert ids(iterate_range(line, A, "+1")) == [B, A]
    assert ids(iterate_range(line, A, "+10")) == [C, B, A]  # stops at the head
    assert ids(iterate_range(line, C, A)) == []  # start above end


def test_history_ranges_on_branches(tree: RevisionGraph) -> None:
    assert ids(iterate_range(tree, "shop@base", "shop@head")) == ["e5", "d4"]
    assert ids(iterate_range(tree, "c3", "g7")) == ["g7", "f6", "c3"]
    # n2 needs d4, so the range up to n2 includes what it depends on
    assert ids(iterate_range(tree, "net@base", "n2")) == ["n2", "n1"]
    assert ids(iterate_range(tree, "shop@-1", "current", ["e5", "g7"])) == ["e5", "d4"]
    assert ids(iterate_range(tree, None, "n2")) == ["n2", "n1", "d4", "c3", "b2", "a1"]
    with pytest.raises(MultipleHeadsError):
        iterate_range(tree, "-1", None)
    with pytest.raises(ResolutionError, match="both ends"):
        iterate_range(tree, "-1", "+1")
