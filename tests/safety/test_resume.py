"""A migration that fails halfway on MariaDB: refused, resumed, or resolved by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_tutorial import strata
from tests.projects import add_revision, make_project, table_names, version_rows

THREE_STEPS = """
op.create_table("one", sa.Column("id", sa.Integer, primary_key=True))
op.create_table("two", sa.Column("id", sa.Integer, primary_key=True))
op.execute("{third}")
"""


@pytest.fixture
def half_applied(tmp_path: Path, db_url: str, backend: str) -> Path:
    if backend != "mysql":
        pytest.skip("only databases without transactional DDL can be left half-applied")
    config = make_project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("sqlite:///%(here)s/app.db", db_url.replace("%", "%%")))
    add_revision(config, "r1", None, 'op.create_table("base", sa.Column("id", sa.Integer))')
    add_revision(config, "r2", "r1", THREE_STEPS.format(third="SELECT * FROM missing_table"))
    proc = strata(tmp_path, "upgrade", "head", code=5)
    assert "missing_table" in proc.stderr
    assert {"one", "two"} <= table_names(db_url) and version_rows(db_url) == {"r1"}
    return tmp_path


def fix_third_statement(root: Path, rev: str = "r2") -> None:
    path = root / "migrations" / "versions" / f"{rev}.py"
    text = path.read_text().replace("SELECT * FROM missing_table", "CREATE TABLE three (id INT)")
    path.write_text(text)


def test_next_upgrade_refuses_and_says_what_to_do(half_applied: Path) -> None:
    proc = strata(half_applied, "upgrade", "head", code=14)
    assert "r2 failed halfway (2 statement(s) applied" in proc.stderr
    assert "--resume" in proc.stderr and "strata resolve r2" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_resume_skips_what_already_ran(half_applied: Path, db_url: str) -> None:
    fix_third_statement(half_applied)
    proc = strata(half_applied, "upgrade", "--resume", "head", "--no-verify")
    assert "(resuming)" in proc.stderr
    assert {"one", "two", "three"} <= table_names(db_url)
    assert version_rows(db_url) == {"r2"}
    strata(half_applied, "upgrade", "head")  # nothing pending any more


def test_resume_refuses_when_applied_statements_changed(half_applied: Path) -> None:
    path = half_applied / "migrations" / "versions" / "r2.py"
    path.write_text(path.read_text().replace('"two"', '"deux"'))
    proc = strata(half_applied, "upgrade", "--resume", "head", "--no-verify", code=10)
    assert "statement 2" in proc.stderr and "resolve" in proc.stderr


def test_resolve_applied(half_applied: Path, db_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE three (id INT)")  # the manual fix
    engine.dispose()
    strata(half_applied, "resolve", "r2", "--applied")
    assert version_rows(db_url) == {"r2"}
    strata(half_applied, "upgrade", "head")


def test_resolve_rolled_back(half_applied: Path, db_url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE one")
        conn.exec_driver_sql("DROP TABLE two")
    engine.dispose()
    strata(half_applied, "resolve", "r2", "--rolled-back")
    assert version_rows(db_url) == {"r1"}
    fix_third_statement(half_applied)
    strata(half_applied, "upgrade", "head", "--no-verify")
    assert version_rows(db_url) == {"r2"}


def test_resume_without_a_failure_is_an_error(half_applied: Path) -> None:
    strata(half_applied, "resolve", "r2", "--rolled-back")
    proc = strata(half_applied, "upgrade", "--resume", "head", code=1)
    assert "no migration failed halfway" in proc.stderr


def test_transactional_failure_does_not_block(tmp_path: Path, db_url: str, backend: str) -> None:
    if backend == "mysql":
        pytest.skip("covered above")
    config = make_project(tmp_path, db_url)
    add_revision(config, "r1", None, THREE_STEPS.format(third="SELECT * FROM missing_table"))
    strata(tmp_path, "--url", db_url, "upgrade", "head", code=5)
    assert table_names(db_url) == {"strata_history"}  # rolled back, failure recorded
    fix_third_statement(tmp_path, "r1")
    strata(tmp_path, "--url", db_url, "upgrade", "head")
    assert version_rows(db_url) == {"r1"}
