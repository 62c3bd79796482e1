"""The Alembic tutorial, step by step, with ``strata`` in place of ``alembic``.

Each test runs the real command in a temporary directory, as a user types it, on SQLite,
PostgreSQL and MariaDB.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

CREATE_ACCOUNT = """
def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("description", sa.Unicode(200)),
    )


def downgrade() -> None:
    op.drop_table("account")
"""

ADD_COLUMN = """
def upgrade() -> None:
    op.add_column("account", sa.Column("last_transaction_date", sa.DateTime))


def downgrade() -> None:
    op.drop_column("account", "last_transaction_date")
"""

CREATE_CART = """
def upgrade() -> None:
    op.create_table("shopping_cart", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("shopping_cart")
"""


def strata(cwd: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    """Run ``strata ARGS`` in ``cwd`` and check its exit code."""
    proc = subprocess.run(
        [sys.executable, "-m", "sqlstrata", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == code, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def write_body(path: Path, body: str) -> None:
    """Replace the generated upgrade()/downgrade() with ``body``, as a user edits the file."""
    text = path.read_text()
    head = text[: text.index("def upgrade()")]
    path.write_text(head + body.lstrip("\n"))


def new_revision(cwd: Path, message: str, body: str, *extra: str) -> tuple[str, Path]:
    out = strata(cwd, "revision", "-m", message, *extra).stdout
    match = re.search(r"Generating (\S+\.py)", out)
    assert match, out
    path = Path(match.group(1))
    rev = re.search(r"^revision: str = '(\w+)'", path.read_text(), re.M)
    assert rev
    write_body(path, body)
    return rev.group(1), path


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def columns(url: str, table: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def versions(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.exec_driver_sql("SELECT version_num FROM strata_version").scalars())
    finally:
        engine.dispose()


@pytest.fixture
def project(tmp_path: Path, db_url: str, backend: str) -> Path:
    """``strata init migrations``, then the tutorial's ini edit: point sqlalchemy.url at the DB."""
    out = strata(tmp_path, "init", "migrations").stdout
    assert "env.py" in out and "strata.ini" in out
    for name in ("env.py", "script.py.mako", "README"):
        assert (tmp_path / "migrations" / name).is_file()
    assert (tmp_path / "migrations" / "versions").is_dir()
    ini = tmp_path / "strata.ini"
    if backend == "sqlite":
        assert "sqlite:///%(here)s/app.db" in ini.read_text()
        ini.write_text(ini.read_text().replace("%(here)s/app.db", "%(here)s/test.db"))
    else:
        ini.write_text(
            ini.read_text().replace("sqlite:///%(here)s/app.db", db_url.replace("%", "%%"))
        )
    return tmp_path


def test_init_refuses_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "keep.txt").write_text("x")
    proc = strata(tmp_path, "init", "migrations", code=1)
    assert "not empty" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "strata.ini").exists()


def test_first_and_second_migration(project: Path, db_url: str) -> None:
    rev1, _ = new_revision(project, "create account table", CREATE_ACCOUNT)
    proc = strata(project, "upgrade", "head")
    assert f"Running upgrade <base> -> {rev1}, create account table" in proc.stderr
    assert "account" in tables(db_url)
    assert versions(db_url) == {rev1}

    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    proc = strata(project, "upgrade", "head")
    assert f"Running upgrade {rev1} -> {rev2}, Add a column" in proc.stderr
    assert "last_transaction_date" in columns(db_url, "account")
    assert versions(db_url) == {rev2}


def test_relative_and_partial_identifiers(project: Path, db_url: str) -> None:
    rev1, _ = new_revision(project, "create account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    strata(project, "upgrade", "+2")
    assert versions(db_url) == {rev2}
    strata(project, "downgrade", "-1")
    assert versions(db_url) == {rev1}
    assert "last_transaction_date" not in columns(db_url, "account")
    strata(project, "upgrade", rev2[:4])
    assert versions(db_url) == {rev2}
    proc = strata(project, "upgrade", "+1", code=4)
    assert "Traceback" not in proc.stderr


def test_current_and_history(project: Path, db_url: str) -> None:
    rev1, _ = new_revision(project, "create account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    assert strata(project, "current").stdout.strip() == ""
    strata(project, "upgrade", "head")
    assert strata(project, "current").stdout.strip() == f"{rev2} (head)"
    verbose = strata(project, "current", "-v").stdout
    assert "Current revision(s) for" in verbose and f"Rev: {rev2} (head)" in verbose

    lines = strata(project, "history").stdout.strip().splitlines()
    assert lines == [
        f"{rev1} -> {rev2} (head), Add a column",
        f"<base> -> {rev1}, create account table",
    ]
    ranged = strata(project, "history", "-r", f"{rev1[:6]}:{rev2[:6]}").stdout
    assert ranged.strip().splitlines() == lines
    tail = strata(project, "history", "-r", f"{rev2}:").stdout
    assert tail.strip().splitlines() == lines[:1]
    strata(project, "downgrade", "-1")
    relative = strata(project, "history", "-r", "-1:current").stdout
    assert relative.strip().splitlines() == lines[1:]
    marked = strata(project, "history", "-i").stdout
    assert f"-> {rev1} (current), create account table" in marked


def test_downgrade_base_and_back(project: Path, db_url: str) -> None:
    rev1, _ = new_revision(project, "create account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    strata(project, "upgrade", "head")
    proc = strata(project, "downgrade", "base")
    assert f"Running downgrade {rev2} -> {rev1}, Add a column" in proc.stderr
    assert f"Running downgrade {rev1} -> <base>, create account table" in proc.stderr
    assert "account" not in tables(db_url)
    assert versions(db_url) == set()
    strata(project, "upgrade", "head")
    assert versions(db_url) == {rev2}


def test_offline_sql_with_ranges(project: Path, db_url: str, backend: str) -> None:
    rev1, _ = new_revision(project, "create account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    proc = strata(project, "upgrade", rev2, "--sql")
    sql = proc.stdout
    assert "Running upgrade" in proc.stderr
    marked = [ln for ln in sql.splitlines() if "Running upgrade" in ln]
    assert marked and all(ln.startswith("-- ") for ln in marked)  # comments only
    assert "CREATE TABLE strata_version" in sql
    assert "CREATE TABLE account" in sql
    assert "ADD COLUMN last_transaction_date" in sql
    assert f"INSERT INTO strata_version (version_num) VALUES ('{rev1}');" in sql
    assert f"UPDATE strata_version SET version_num='{rev2}'" in sql
    if backend == "mysql":
        assert "BEGIN;" not in sql
    else:
        assert sql.lstrip().startswith("BEGIN;") and sql.rstrip().endswith("COMMIT;")
    assert tables(db_url) == set()  # offline never touches the database

    partial = strata(project, "upgrade", f"{rev1}:{rev2}", "--sql").stdout
    assert "CREATE TABLE account" not in partial and "strata_version (" not in partial
    assert "ADD COLUMN last_transaction_date" in partial

    down = strata(project, "downgrade", f"{rev2}:base", "--sql").stdout
    assert "DROP COLUMN last_transaction_date" in down and "DROP TABLE account" in down
    proc = strata(project, "downgrade", "base", "--sql", code=1)
    assert "START:END" in proc.stderr or "range" in proc.stderr
    proc = strata(project, "upgrade", f"{rev1}:{rev2}", code=1)
    assert "offline" in proc.stderr


def test_branches_and_merge(project: Path, db_url: str) -> None:
    rev1, _ = new_revision(project, "add account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "add a column", ADD_COLUMN)
    rev3, _ = new_revision(
        project, "add shopping cart table", CREATE_CART, "--head", rev1, "--splice"
    )
    branches = strata(project, "branches").stdout
    assert f"<base> -> {rev1} (branchpoint), add account table" in branches
    assert f"-> {rev1} -> {rev3} (head), add shopping cart table" in branches
    assert f"-> {rev1} -> {rev2} (head), add a column" in branches
    heads = set(strata(project, "heads").stdout.split())
    assert {rev2, rev3} <= heads

    proc = strata(project, "upgrade", "head", code=4)
    assert "several heads" in proc.stderr and "merge" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tables(db_url) == set()

    proc = strata(project, "revision", "-m", "more", code=1)
    assert "several heads" in proc.stderr

    strata(project, "upgrade", "heads")
    assert versions(db_url) == {rev2, rev3}
    out = strata(project, "merge", "heads", "-m", "merge cart and column").stdout
    merge_path = Path(re.search(r"Generating (\S+\.py)", out).group(1))  # type: ignore[union-attr]
    merge_rev = re.search(r"^revision: str = '(\w+)'", merge_path.read_text(), re.M).group(1)  # type: ignore[union-attr]
    strata(project, "upgrade", "head")
    assert versions(db_url) == {merge_rev}
    proc = strata(project, "downgrade", "-1", code=4)  # as in Alembic: an ambiguous walk
    assert "several revisions" in proc.stderr
    strata(project, "downgrade", rev2)  # unmerge: both parents become heads again
    assert versions(db_url) == {rev2, rev3}
    strata(project, "downgrade", f"{rev1}")
    assert versions(db_url) == {rev1}
    assert tables(db_url) >= {"account"} and "shopping_cart" not in tables(db_url)


def test_stamp_head_after_create_all(project: Path, db_url: str) -> None:
    new_revision(project, "create account table", CREATE_ACCOUNT)
    rev2, _ = new_revision(project, "Add a column", ADD_COLUMN)
    metadata = sa.MetaData()
    sa.Table(
        "account",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("last_transaction_date", sa.DateTime),
    )
    engine = sa.create_engine(db_url)
    metadata.create_all(engine)
    engine.dispose()
    strata(project, "stamp", "head")
    assert versions(db_url) == {rev2}
    assert strata(project, "current").stdout.strip() == f"{rev2} (head)"
    strata(project, "upgrade", "head")  # nothing left to do
    assert versions(db_url) == {rev2}
    strata(project, "stamp", "--purge", "base")
    assert versions(db_url) == set()
