"""Building the revision graph: errors that name files, queries, order and speed."""

from __future__ import annotations

import time

import pytest

from sqlstrata.errors import (
    CycleError,
    DuplicateRevisionError,
    GraphError,
    MissingRevisionError,
    UnknownRevisionError,
)
from sqlstrata.graph.graph import RevisionGraph
from sqlstrata.graph.revision import Revision


def rev(
    rid: str, *parents: str, labels: tuple[str, ...] = (), deps: tuple[str, ...] = ()
) -> Revision:
    return Revision(
        rid,
        down_revisions=parents,
        branch_labels=labels,
        depends_on=deps,
        path=f"versions/{rid}.py",
    )


def branchy() -> RevisionGraph:
    """a1 - b2 - c3 < (d4 [shop] - e5) (f6 - g7); n1 [net] - n2 (depends on shop)."""
    return RevisionGraph.build(
        [
            rev("a1"),
            rev("b2", "a1"),
            rev("c3", "b2"),
            rev("d4", "c3", labels=("shop",)),
            rev("e5", "d4"),
            rev("f6", "c3"),
            rev("g7", "f6"),
            rev("n1", labels=("net",)),
            rev("n2", "n1", deps=("shop",)),
        ]
    )


# -- errors --------------------------------------------------------------------------------


def test_duplicate_revision_names_both_files() -> None:
    first = Revision("abc", path="versions/one.py")
    second = Revision("abc", path="versions/two.py")
    with pytest.raises(DuplicateRevisionError) as info:
        RevisionGraph.build([first, second])
    assert "versions/one.py" in str(info.value) and "versions/two.py" in str(info.value)
    assert info.value.paths == ("versions/one.py", "versions/two.py")


def test_missing_down_revision_names_the_file() -> None:
    with pytest.raises(MissingRevisionError) as info:
        RevisionGraph.build([rev("a1"), rev("b2", "zz9")])
    assert info.value.missing == "zz9"
    assert "versions/b2.py" in str(info.value)


def test_missing_dependency_names_the_file() -> None:
    with pytest.raises(MissingRevisionError) as info:
        RevisionGraph.build([rev("a1"), rev("b2", "a1", deps=("nolabel",))])
    assert info.value.revision == "b2" and info.value.missing == "nolabel"
    assert "versions/b2.py" in str(info.value)


def test_dependency_may_name_a_branch_label() -> None:
    graph = RevisionGraph.build([rev("a1", labels=("core",)), rev("x1", deps=("core",))])
    assert graph.dependencies("x1") == ("a1",)
    assert graph.dependents("a1") == ("x1",)


@pytest.mark.parametrize(
    "revisions",
    [
        [rev("a1", "b2"), rev("b2", "a1")],
        [rev("a1", "a1")],
        [rev("r0"), rev("a1", "r0", deps=("c3",)), rev("b2", "a1"), rev("c3", "b2")],
    ],
    ids=["two", "self", "through-depends-on"],
)
def test_cycle_names_a_file_in_the_cycle(revisions: list[Revision]) -> None:
    with pytest.raises(CycleError) as info:
        RevisionGraph.build(revisions)
    cycle = info.value.revisions
    assert cycle[0] == cycle[-1]
    assert info.value.path == f"versions/{cycle[0]}.py"
    assert info.value.path in str(info.value)
    assert "r0" not in cycle


def test_duplicate_branch_label_names_both_files() -> None:
    with pytest.raises(GraphError, match=r"versions/a1\.py.*versions/b2\.py") as info:
        RevisionGraph.build([rev("a1", labels=("x",)), rev("b2", "a1", labels=("x",))])
    assert "'x'" in str(info.value)


@pytest.mark.parametrize("label", ["a1", "head", "base", "heads", "current", "x@y"])
def test_branch_label_clashing_with_the_grammar_is_refused(label: str) -> None:
    with pytest.raises(GraphError, match=r"versions/b2\.py"):
        RevisionGraph.build([rev("a1"), rev("b2", "a1", labels=(label,))])


# -- queries -------------------------------------------------------------------------------


def test_lookups() -> None:
    graph = branchy()
    assert len(graph) == 9
    assert "c3" in graph and "zz" not in graph
    assert graph.get("d4").branch_labels == ("shop",)
    with pytest.raises(UnknownRevisionError):
        graph.get("zz")
    assert graph.label_map == {"shop": "d4", "net": "n1"}
    assert graph.ids_with_prefix("n") == ("n1", "n2")
    assert [r.id for r in graph] == list(graph.topological_order())
    assert repr(graph) == "<RevisionGraph of 9 revisions, heads=('e5', 'g7', 'n2')>"


def test_heads_bases_branch_points() -> None:
    graph = branchy()
    assert graph.heads == ("e5", "g7", "n2")
    assert graph.bases == ("a1", "n1")
    assert graph.branch_points == ("c3",)
    assert graph.children("c3") == ("d4", "f6")
    assert graph.children("e5") == ()


def test_a_revision_that_is_only_depended_on_stays_a_head() -> None:
    graph = RevisionGraph.build([rev("a1"), rev("x1"), rev("b2", "a1", deps=("x1",))])
    assert graph.heads == ("b2", "x1")
    assert graph.bases == ("a1", "x1")


def test_ancestors_and_descendants_with_and_without_dependencies() -> None:
    graph = branchy()
    assert graph.ancestors("n2") == {"n2", "n1", "d4", "c3", "b2", "a1"}
    assert graph.ancestors("n2", include_dependencies=False) == {"n2", "n1"}
    assert graph.descendants("d4") == {"d4", "e5", "n2"}
    assert graph.descendants("d4", include_dependencies=False) == {"d4", "e5"}
    assert graph.ancestors(["e5", "g7"], include_dependencies=False) == {
        "a1",
        "b2",
        "c3",
        "d4",
        "e5",
        "f6",
        "g7",
    }
    with pytest.raises(UnknownRevisionError):
        graph.ancestors("zz")


def test_topological_order_keeps_branches_together() -> None:
    graph = branchy()
    # n2 waits for d4 (its dependency); each branch runs to its end before the next.
    assert graph.topological_order() == ("a1", "b2", "c3", "d4", "e5", "f6", "g7", "n1", "n2")
    assert graph.ordered(["g7", "a1", "d4", "a1"]) == ("a1", "d4", "g7")


def test_merge_waits_for_both_branches() -> None:
    graph = RevisionGraph.build(
        [rev("a"), rev("b", "a"), rev("c", "a"), rev("m", "b", "c"), rev("z", "m")]
    )
    assert graph.topological_order() == ("a", "b", "c", "m", "z")
    assert graph.get("m").is_merge


# -- size ----------------------------------------------------------------------------------


def linear(count: int) -> list[Revision]:
    ids = [f"{i:06x}" for i in range(count)]
    return [Revision(ids[0])] + [Revision(ids[i], (ids[i - 1],)) for i in range(1, count)]


def test_ten_thousand_revisions_build_fast_without_recursion() -> None:
    revisions = linear(10_000)
    started = time.perf_counter()
    graph = RevisionGraph.build(revisions)
    elapsed = time.perf_counter() - started
    assert graph.heads == ("00270f",)
    assert len(graph.ancestors("00270f")) == 10_000
    assert len(graph.descendants("000000")) == 10_000
    assert graph.topological_order()[0] == "000000"
    assert elapsed < 1.0  # typically ~30 ms; generous for slow CI machines


def test_ten_thousand_revisions_in_many_branches_build() -> None:
    # a spine with a two-revision side branch every tenth revision, merged back later
    revisions = linear(5_000)
    for i in range(0, 4_990, 10):
        spine = f"{i:06x}"
        revisions.append(Revision(f"s{i}", (spine,)))
        revisions.append(Revision(f"t{i}", (f"s{i}",)))
        revisions.append(Revision(f"m{i}", (f"t{i}", f"{i + 5:06x}")))
    graph = RevisionGraph.build(revisions)
    assert len(graph) == 5_000 + 3 * 499
    assert len(graph.topological_order()) == len(graph)
