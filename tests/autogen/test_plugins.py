"""Comparator plugins found through entry points, and the operation tree's own values."""

from __future__ import annotations

from importlib import metadata as importlib_metadata
from typing import Any

import pytest
import sqlalchemy as sa

from sqlstrata.autogen.directives import (
    AutocommitBlock,
    Comment,
    ModifyTableOps,
    OpsList,
    flatten,
)
from sqlstrata.autogen.options import DiffOptions
from sqlstrata.autogen.plugins import ComparisonContext, load_comparators, run_comparators
from sqlstrata.errors import ConfigError
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import snap


def compare_views(context: ComparisonContext) -> list[ops.Operation]:
    return [ops.ExecuteSQL(f"-- {context.direction}: {len(context.new.tables)} tables")]


class FakeEntryPoint:
    def __init__(self, name: str, target: Any) -> None:
        self.name = name
        self.value = f"tests:{name}"
        self._target = target

    def load(self) -> Any:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_comparators_come_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    groups: list[str] = []

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        groups.append(group)
        return [FakeEntryPoint("views", compare_views)]

    monkeypatch.setattr(importlib_metadata, "entry_points", entry_points)
    (comparator,) = load_comparators()
    assert groups == ["sqlstrata.comparators"]
    md = sa.MetaData()
    sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True))
    context = ComparisonContext(snap(sa.MetaData()), snap(md), DiffOptions())
    (up,) = run_comparators([comparator], context)
    (down,) = run_comparators([comparator], context.reversed())
    assert isinstance(up, ops.ExecuteSQL) and up.statement == "-- upgrade: 1 tables"
    assert isinstance(down, ops.ExecuteSQL) and down.statement == "-- downgrade: 0 tables"


def test_broken_plugin_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        importlib_metadata,
        "entry_points",
        lambda *, group: [FakeEntryPoint("broken", ImportError("no module named x"))],
    )
    with pytest.raises(ConfigError, match="Can't load the comparator plugin 'broken'"):
        load_comparators()
    monkeypatch.setattr(
        importlib_metadata, "entry_points", lambda *, group: [FakeEntryPoint("odd", 42)]
    )
    with pytest.raises(ConfigError, match="not callable"):
        load_comparators()


def test_operation_tree() -> None:
    add = ops.AddColumn("t", sa.Column("a", sa.Integer))
    tree = OpsList(
        (
            Comment("note"),
            AutocommitBlock((ops.AddEnumValue("mood", "x"),)),
            ModifyTableOps("t", (add, ops.CreateIndex("ix", "t", ("a",)))),
        )
    )
    assert not tree.is_empty() and OpsList((Comment("only a note"),)).is_empty()
    assert [type(op).__name__ for op in flatten(tree.ops)] == [
        "AddEnumValue",
        "AddColumn",
        "CreateIndex",
    ]
    group = ModifyTableOps("t", (add, ops.CreateIndex("ix", "t", ("a",)))).reverse()
    assert [type(op).__name__ for op in group.ops] == ["DropIndex", "DropColumn"]
