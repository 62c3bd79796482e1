"""The lock row (``migration_lock = table``), the lock for databases with none of their own.

Run here on all three databases by choosing it explicitly (test_concurrency.py runs its
concurrent deploys and its waiter with it too): a SIGKILLed holder's row expires and the next
run takes it over; a live holder inside a step longer than the expiry is never taken over; a
holder that lost its row stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from sqlstrata.errors import LockLostError
from sqlstrata.runtime.lock_row import TableLock, lock_table
from tests.e2e.test_templates import ASYNC_DRIVERS
from tests.projects import version_rows
from tests.safety.test_concurrency import (
    applied_counts,
    chain_project,
    spawn,
    use_lock,
    wait_until_running,
)


def strata(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sqlstrata", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


def lock_rows(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                (r[0], r[1])
                for r in conn.execute(sa.text("SELECT name, holder FROM strata_lock")).all()
            ]
    finally:
        engine.dispose()


def test_killed_holder_row_expires_and_is_taken_over(tmp_path: Path, db_url: str) -> None:
    chain_project(
        tmp_path,
        db_url,
        2,
        'import os, time\ntime.sleep(60 if os.environ.get("HOLD") else 0)\n'
        'op.create_table("t{i:03d}", sa.Column("id", sa.Integer))',
    )
    use_lock(tmp_path, "table", expiry=2)
    holder = subprocess.Popen(
        [sys.executable, "-m", "sqlstrata", "upgrade", "head"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "HOLD": "1"},
    )
    wait_until_running(holder)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert [name for name, _ in lock_rows(db_url)] == ["strata_version"]  # left behind

    started = time.monotonic()
    after = strata(tmp_path, "upgrade", "head", "--lock-timeout", "60")
    assert after.returncode == 0, after.stderr
    assert "Took over the migration lock" in after.stderr, after.stderr
    assert f"pid={holder.pid}" in after.stderr
    assert time.monotonic() - started >= 2  # not before the row had expired
    assert version_rows(db_url) == {"r001"}
    assert lock_rows(db_url) == []


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_live_holder_in_a_long_step_is_not_taken_over(
    tmp_path: Path, db_url: str, backend: str, driver: str
) -> None:
    url = db_url
    if driver == "async":  # the heartbeat runs on an event loop of its own
        async_url = sa.make_url(db_url).set(drivername=ASYNC_DRIVERS[backend])
        url = async_url.render_as_string(hide_password=False)
    chain_project(
        tmp_path,
        url,
        1,
        'import time\ntime.sleep(6)\nop.create_table("t{i:03d}", sa.Column("id", sa.Integer))',
        template="generic" if driver == "sync" else "async",
    )
    use_lock(tmp_path, "table", expiry=2)
    holder = spawn(tmp_path, "upgrade", "head")
    wait_until_running(holder)
    waiter = strata(tmp_path, "upgrade", "head", "--lock-timeout", "60")
    _out, holder_err = holder.communicate(timeout=60)
    assert holder.returncode == 0, holder_err
    assert waiter.returncode == 0, waiter.stderr
    assert "Took over" not in waiter.stderr
    assert "Running upgrade" not in waiter.stderr  # it found r000 applied
    assert applied_counts(db_url) == {"r000": 1}


@pytest.mark.parametrize(
    ("setting", "shown"),
    [
        ("migration_lock = sometimes", "migration_lock is 'sometimes'"),
        ("migration_lock_expiry = soon", "migration_lock_expiry is 'soon'"),
        ("migration_lock_expiry = 0", "migration_lock_expiry is '0'"),
    ],
)
def test_bad_lock_settings_are_one_line_errors(tmp_path: Path, setting: str, shown: str) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    chain_project(tmp_path, url, 1, 'op.create_table("t{i:03d}", sa.Column("id", sa.Integer))')
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("[strata]\n", f"[strata]\n{setting}\n"))
    result = strata(tmp_path, "upgrade", "head")
    assert result.returncode == 2, result.stderr
    assert shown in result.stderr
    assert "Traceback" not in result.stderr
    assert version_rows(url) == set()


@pytest.mark.parametrize(("kind", "lock_file"), [("auto", True), ("none", False)])
def test_migration_lock_none_takes_no_lock(tmp_path: Path, kind: str, lock_file: bool) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    chain_project(tmp_path, url, 1, 'op.create_table("t{i:03d}", sa.Column("id", sa.Integer))')
    use_lock(tmp_path, kind)
    result = strata(tmp_path, "upgrade", "head")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "app.db.strata-lock").exists() is lock_file
    assert version_rows(url) == {"r000"}


def test_a_holder_that_lost_its_row_stops(tmp_path: Path, db_url: str) -> None:
    """A holder whose heartbeat stopped (a paused process) has its row taken over; when it
    comes back, its next step fails instead of migrating alongside the new holder."""
    engine = sa.create_engine(db_url)
    table = lock_table("strata_lock")
    try:
        with engine.connect() as first_conn, engine.connect() as second_conn:
            first = TableLock(first_conn, table, "strata_version", expiry=0.5, beat_every=3600)
            first.acquire(5, lambda holder: None)
            waits: list[str] = []
            second = TableLock(second_conn, table, "strata_version", expiry=0.5)
            second.acquire(10, waits.append)
            assert waits and "pid=" in waits[0]
            with first_conn.begin(), pytest.raises(LockLostError, match="taken over"):
                first.confirm(first_conn)
            with second_conn.begin():
                second.confirm(second_conn)
            first.release()  # must not delete the row the second holder owns
            assert len(lock_rows(db_url)) == 1
            second.release()
            assert lock_rows(db_url) == []
    finally:
        engine.dispose()
