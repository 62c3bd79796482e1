"""Alembic scripts run unchanged: every op.* directive takes Alembic's arguments.

Alembic is a test dependency only, used here as the reference for names and signatures.
"""

from __future__ import annotations

import inspect

import pytest

from sqlstrata.ops.facade import Operations

alembic_operations = pytest.importorskip("alembic.operations")

DIRECTIVES = [
    "create_table",
    "drop_table",
    "rename_table",
    "create_table_comment",
    "drop_table_comment",
    "add_column",
    "drop_column",
    "alter_column",
    "create_primary_key",
    "create_foreign_key",
    "create_unique_constraint",
    "create_check_constraint",
    "create_exclude_constraint",
    "drop_constraint",
    "create_index",
    "drop_index",
    "execute",
    "bulk_insert",
    "inline_literal",
    "get_bind",
    "get_context",
    "f",
    "run_async",
]

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def parameters(function: object) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", DIRECTIVES)
def test_directive_takes_alembics_arguments(name: str) -> None:
    theirs = parameters(getattr(alembic_operations.Operations, name))
    ours = parameters(getattr(Operations, name))
    assert [p.name for p in ours if p.kind in POSITIONAL] == [
        p.name for p in theirs if p.kind in POSITIONAL
    ]
    assert [p.kind for p in ours if p.kind is inspect.Parameter.VAR_POSITIONAL] == [
        p.kind for p in theirs if p.kind is inspect.Parameter.VAR_POSITIONAL
    ]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in ours)
    our_keywords = {p.name for p in ours}
    for parameter in theirs:
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            assert parameter.name in our_keywords or takes_any, parameter.name
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in theirs):
        assert takes_any
