"""Concurrent deploys: N processes run ``strata upgrade head`` at once; each migration is
applied exactly once and every process succeeds. A waiter says who holds the lock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.projects import add_revision, make_project, version_rows

PROCESSES = 8
REVISIONS = 50


def chain_project(
    root: Path,
    url: str,
    revisions: int,
    body: str,
    down_body: str = 'op.drop_table("t{i:03d}")',
    template: str = "generic",
) -> None:
    config = make_project(root, url, template)
    ini = root / "strata.ini"
    ini.write_text(
        re.sub(
            r"^sqlalchemy\.url = .*$",
            lambda _: "sqlalchemy.url = " + url.replace("%", "%%"),
            ini.read_text(),
            count=1,
            flags=re.M,
        )
    )
    down = None
    for i in range(revisions):
        rev = f"r{i:03d}"
        add_revision(config, rev, down, body.format(i=i), down_body.format(i=i))
        down = rev


def spawn(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sqlstrata", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_until_running(proc: subprocess.Popen[str]) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if "Running upgrade" in line:
            return
    raise AssertionError("the holder never started a migration")


def applied_counts(url: str) -> dict[str, int]:
    """How many times the history log says each revision was applied."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT revision, COUNT(*) FROM strata_history "
                    "WHERE direction = 'upgrade' AND outcome = 'applied' GROUP BY revision"
                )
            ).all()
        return {r[0]: r[1] for r in rows}
    finally:
        engine.dispose()


def use_lock(root: Path, kind: str, expiry: float = 30) -> None:
    """Choose the migration lock (``auto``, ``table`` for the lock row, or ``none``)."""
    ini = root / "strata.ini"
    ini.write_text(
        ini.read_text().replace(
            "[strata]\n", f"[strata]\nmigration_lock = {kind}\nmigration_lock_expiry = {expiry}\n"
        )
    )


@pytest.mark.parametrize("lock", ["auto", "table"])
def test_concurrent_upgrades_apply_each_revision_once(
    tmp_path: Path, db_url: str, lock: str
) -> None:
    chain_project(
        tmp_path,
        db_url,
        REVISIONS,
        'op.create_table("t{i:03d}", sa.Column("id", sa.Integer, primary_key=True))',
    )
    use_lock(tmp_path, lock)
    procs = [spawn(tmp_path, "upgrade", "head", "--lock-timeout", "240") for _ in range(PROCESSES)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    assert version_rows(db_url) == {f"r{REVISIONS - 1:03d}"}
    assert applied_counts(db_url) == {f"r{i:03d}": 1 for i in range(REVISIONS)}
    ran = sum(err.count("Running upgrade") for _out, err in outputs)
    assert ran == REVISIONS  # nobody re-ran what another process had applied
    if lock == "table":
        engine = sa.create_engine(db_url)
        with engine.connect() as conn:  # every holder deleted its row
            assert conn.execute(sa.text("SELECT COUNT(*) FROM strata_lock")).scalar() == 0
        engine.dispose()


@pytest.mark.parametrize("lock", ["auto", "table"])
def test_waiter_names_the_holder_and_times_out(tmp_path: Path, db_url: str, lock: str) -> None:
    chain_project(
        tmp_path,
        db_url,
        2,
        'import time\ntime.sleep(4)\nop.create_table("t{i:03d}", sa.Column("id", sa.Integer))',
    )
    use_lock(tmp_path, lock)
    holder = spawn(tmp_path, "upgrade", "head")
    # Wait until the holder is inside its first migration (it logs before running it).
    assert holder.stderr is not None
    for line in holder.stderr:
        if "Running upgrade" in line:
            break
    waiter = subprocess.run(
        [sys.executable, "-m", "sqlstrata", "upgrade", "head", "--lock-timeout", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    holder.communicate(timeout=60)
    assert holder.returncode == 0
    assert waiter.returncode == 15, waiter.stderr
    assert "Waiting for the migration lock" in waiter.stderr
    assert "Can't get the migration lock" in waiter.stderr
    assert f"pid={holder.pid}" in waiter.stderr
    if db_url.startswith("mysql") and lock == "auto":
        assert "connection" in waiter.stderr  # MySQL also names the holder's connection
    assert "Traceback" not in waiter.stderr
    assert version_rows(db_url) == {"r001"}


def test_offline_takes_no_lock(tmp_path: Path, db_url: str) -> None:
    chain_project(
        tmp_path,
        db_url,
        1,
        'import time\ntime.sleep(3)\nop.create_table("t{i:03d}", sa.Column("id", sa.Integer))',
    )
    holder = spawn(tmp_path, "upgrade", "head")
    assert holder.stderr is not None
    for line in holder.stderr:
        if "Running upgrade" in line:
            break
    offline = subprocess.run(
        [sys.executable, "-m", "sqlstrata", "upgrade", "head", "--sql", "--lock-timeout", "0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    holder.communicate(timeout=60)
    assert offline.returncode == 0, offline.stderr
    assert "CREATE TABLE t000" in offline.stdout


def test_two_databases_on_one_server_do_not_share_a_lock(
    tmp_path: Path, db_url: str, backend: str
) -> None:
    """MySQL's named locks are server-wide; each database still gets a lock of its own."""
    if backend == "sqlite":
        pytest.skip("a SQLite file is one database")
    url = sa.make_url(db_url)
    other = f"{url.database}_b"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    quote = admin.dialect.identifier_preparer.quote
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(other)}")
        conn.exec_driver_sql(f"CREATE DATABASE {quote(other)}")
    try:
        (tmp_path / "one").mkdir()
        (tmp_path / "two").mkdir()
        slow = (
            'import time\ntime.sleep(4)\nop.create_table("t{i:03d}", sa.Column("id", sa.Integer))'
        )
        chain_project(tmp_path / "one", db_url, 1, slow)
        other_url = url.set(database=other).render_as_string(hide_password=False)
        chain_project(tmp_path / "two", other_url, 1, slow.replace("time.sleep(4)", "pass"))
        holder = spawn(tmp_path / "one", "upgrade", "head")
        wait_until_running(holder)
        second = subprocess.run(
            [sys.executable, "-m", "sqlstrata", "upgrade", "head", "--lock-timeout", "1"],
            cwd=tmp_path / "two",
            capture_output=True,
            text=True,
            check=False,
        )
        holder.communicate(timeout=60)
        assert second.returncode == 0, second.stderr
        assert "Waiting for the migration lock" not in second.stderr
        assert holder.returncode == 0
        assert version_rows(other_url) == {"r000"}
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quote(other)}")
        admin.dispose()
