"""``op`` and ``context`` are per-thread: two threads migrate two databases at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from sqlstrata import command
from tests.conftest import backend_url
from tests.projects import add_revision, make_project, table_names, version_rows

# Each migration waits at a barrier in the middle of its upgrade(), so both are running
# (with their own op and context current) when they create their tables.
BODY = """
import builtins
op.create_table("{name}_1", sa.Column("id", sa.Integer, primary_key=True))
builtins.STRATA_TEST_BARRIER.wait(timeout=20)
op.create_table("{name}_2", sa.Column("id", sa.Integer, primary_key=True))
"""


def test_two_threads_two_databases(tmp_path: Path, backend: str) -> None:
    import builtins

    other = "sqlite" if backend != "sqlite" else "sqlite-second"
    urls = {
        "left": backend_url(backend, tmp_path),
        "right": f"sqlite:///{tmp_path / 'right.db'}" if other else "",
    }
    configs = {}
    for name, url in urls.items():
        root = tmp_path / name
        root.mkdir()
        configs[name] = make_project(root, url)
        add_revision(configs[name], f"{name}1", None, BODY.format(name=name))
    barrier = threading.Barrier(2)
    builtins.STRATA_TEST_BARRIER = barrier  # type: ignore[attr-defined]
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            command.upgrade(configs[name], "head")
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(n,)) for n in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    del builtins.STRATA_TEST_BARRIER  # type: ignore[attr-defined]
    if errors:
        raise errors[0]
    for name, url in urls.items():
        assert {f"{name}_1", f"{name}_2"} <= table_names(url)
        assert version_rows(url) == {f"{name}1"}


def test_op_outside_a_migration_is_a_clear_error() -> None:
    from sqlstrata import op

    with pytest.raises(RuntimeError, match="no migration is running"):
        op.create_table("x")


def test_alembic_stand_in_is_removed_after_concurrent_runs(tmp_path: Path) -> None:
    """Two threads inside the Alembic stand-in at once: afterwards sys.modules is as before."""
    import sys

    from sqlstrata.runtime.compat import alembic_names

    before = {name: sys.modules.get(name) for name in ("alembic", "alembic.op")}
    entered = threading.Barrier(2)
    release = threading.Event()

    def run() -> None:
        with alembic_names():
            entered.wait(timeout=10)
            release.wait(timeout=10)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(timeout=20)
    assert {name: sys.modules.get(name) for name in ("alembic", "alembic.op")} == before


def test_proxies_answer_introspection() -> None:
    from sqlstrata import context, op

    assert getattr(op, "__file__", None) is None
    assert getattr(context, "__wrapped__", None) is None
