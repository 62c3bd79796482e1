"""Transactions on real databases: a failing migration leaves no trace where DDL is
transactional; per-migration transactions keep what finished; autocommit blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from sqlstrata import command
from sqlstrata.errors import MigrationError
from tests.projects import add_revision, make_project, table_names, version_rows

CREATE_A = 'op.create_table("a", sa.Column("id", sa.Integer, primary_key=True))'
CREATE_B_THEN_FAIL = """
op.create_table("b", sa.Column("id", sa.Integer, primary_key=True))
op.execute("INSERT INTO b (id) VALUES (1)")
raise RuntimeError("boom in r2")
"""


def test_failing_migration_rolls_back_the_run(tmp_path: Path, db_url: str, backend: str) -> None:
    config = make_project(tmp_path, db_url)
    add_revision(config, "r1", None, CREATE_A, 'op.drop_table("a")')
    add_revision(config, "r2", "r1", CREATE_B_THEN_FAIL, 'op.drop_table("b")')
    with pytest.raises(MigrationError) as info:
        command.upgrade(config, "head")
    assert "r2" in str(info.value) and "boom in r2" in str(info.value)
    if backend == "mysql":
        # DDL commits implicitly on MySQL: r1 and table b stay (recovery is the history log's job).
        assert version_rows(db_url) == {"r1"}
        assert {"a", "b"} <= table_names(db_url)
    else:
        # Exactly as before the transaction (no version table either); the only trace is
        # the history log's record of the failure.
        assert table_names(db_url) == {"strata_history"}
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT revision, outcome, error FROM strata_history")
            ).all()
        engine.dispose()
        assert [(r.revision, r.outcome) for r in rows] == [("r2", "failed")]
        assert "boom in r2" in rows[0].error


def test_transaction_per_migration_keeps_finished_ones(
    tmp_path: Path, db_url: str, backend: str
) -> None:
    config = make_project(tmp_path, db_url)
    env = Path(config.script_location) / "env.py"
    env.write_text(
        env.read_text().replace(
            "connection=connection, target_metadata=target_metadata",
            "connection=connection, target_metadata=target_metadata, "
            "transaction_per_migration=True",
        )
    )
    add_revision(config, "r1", None, CREATE_A, 'op.drop_table("a")')
    add_revision(config, "r2", "r1", CREATE_B_THEN_FAIL, 'op.drop_table("b")')
    with pytest.raises(MigrationError):
        command.upgrade(config, "head")
    assert version_rows(db_url) == {"r1"}
    names = table_names(db_url)
    assert "a" in names
    assert ("b" in names) == (backend == "mysql")


def test_data_and_schema_changes_commit_together(tmp_path: Path, db_url: str) -> None:
    config = make_project(tmp_path, db_url)
    add_revision(
        config,
        "r1",
        None,
        """
        t = op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("name", sa.String(20)))
        op.bulk_insert(t, [{"id": 1, "name": "x"}, {"id": 2, "name": "y"}])
        op.execute("UPDATE account SET name = 'z' WHERE id = 2")
        """,
        'op.drop_table("account")',
    )
    command.upgrade(config, "head")
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, name FROM account ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "x"), (2, "z")]


AUTOCOMMIT_BODY = {
    "sqlite": "VACUUM",
    "postgresql": "CREATE INDEX CONCURRENTLY ix_a_x ON a (x)",
    "mysql": "CREATE INDEX ix_a_x ON a (x)",
}


def test_autocommit_block(tmp_path: Path, db_url: str, backend: str) -> None:
    """Statements that cannot run in a transaction run in autocommit_block(); what follows
    runs in a new transaction and the version table is still written."""
    config = make_project(tmp_path, db_url)
    add_revision(
        config,
        "r1",
        None,
        f"""
        op.create_table(
            "a", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)
        )
        with op.get_context().autocommit_block():
            op.execute({AUTOCOMMIT_BODY[backend]!r})
        op.create_table("after", sa.Column("id", sa.Integer, primary_key=True))
        """,
    )
    command.upgrade(config, "head")
    assert {"a", "after"} <= table_names(db_url)
    assert version_rows(db_url) == {"r1"}


def test_sqlite_driver_setting_restored_for_shared_connection(tmp_path: Path) -> None:
    """A connection the application hands to env.py goes back with its driver settings."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    config = make_project(tmp_path, url)
    env = Path(config.script_location) / "env.py"
    env.write_text(
        env.read_text().replace(
            "    connectable = engine_from_config(",
            "    shared = config.attributes.get('connection')\n"
            "    if shared is not None:\n"
            "        context.configure(connection=shared, target_metadata=target_metadata)\n"
            "        with context.begin_transaction():\n"
            "            context.run_migrations()\n"
            "        return\n"
            "    connectable = engine_from_config(",
        )
    )
    add_revision(config, "r1", None, CREATE_A, 'op.drop_table("a")')
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        before = driver.isolation_level  # type: ignore[union-attr]
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()
        assert driver.isolation_level == before  # type: ignore[union-attr]
    engine.dispose()
    assert "a" in table_names(url) and version_rows(url) == {"r1"}
