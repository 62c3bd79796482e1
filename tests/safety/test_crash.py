"""SIGKILL at random moments during a 50-revision upgrade, 50 times per database.

Afterwards the version table always matches the schema actually present on PostgreSQL and
SQLite; on MariaDB the history names the half-applied revision and ``--resume`` finishes it.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.projects import table_names
from tests.safety.test_concurrency import chain_project, spawn

KILLS = 50
REVISIONS = 50
# Three statements per revision, so a kill can land between them.
BODY = """
op.create_table("t{i:03d}", sa.Column("id", sa.Integer, primary_key=True))
op.create_table("t{i:03d}_b", sa.Column("id", sa.Integer, primary_key=True))
op.create_table("t{i:03d}_c", sa.Column("id", sa.Integer, primary_key=True))
"""

DOWN = """
op.drop_table("t{i:03d}_c")
op.drop_table("t{i:03d}_b")
op.drop_table("t{i:03d}")
"""


def applied_count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table("strata_version"):
            return 0
        with engine.connect() as conn:
            head = conn.execute(sa.text("SELECT version_num FROM strata_version")).scalar()
        return 0 if head is None else int(str(head)[1:]) + 1
    finally:
        engine.dispose()


def expected_tables(count: int) -> set[str]:
    return {f"t{i:03d}{s}" for i in range(count) for s in ("", "_b", "_c")}


def pending(url: str) -> tuple[str, int, str | None] | None:
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table("strata_history"):
            return None
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT revision, statements_applied, in_flight, outcome FROM strata_history "
                    "ORDER BY id DESC LIMIT 1"
                )
            ).first()
        if row is None or row.outcome != "running":
            return None
        if row.statements_applied == 0 and row.in_flight is None:
            return None
        return str(row.revision), int(row.statements_applied), row.in_flight
    finally:
        engine.dispose()


def wait_for_other_sessions_to_end(url: str) -> None:
    """Wait until the killed process's server sessions are gone.

    A process killed just after sending COMMIT leaves a server session that may still be
    committing; reading the version table before that and the tables after would see two
    different states. Once its sessions are gone, the outcome is final.
    """
    engine = sa.create_engine(url)
    query = {
        "postgresql": "SELECT COUNT(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
        "mysql": "SELECT COUNT(*) FROM information_schema.processlist "
        "WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command <> 'Sleep'",
    }.get(engine.dialect.name)
    try:
        if query is None:
            return  # SQLite: the file is consistent as soon as the process is gone
        deadline = time.monotonic() + 30
        with engine.connect() as conn:
            while conn.execute(sa.text(query)).scalar() and time.monotonic() < deadline:
                conn.rollback()
                time.sleep(0.05)
    finally:
        engine.dispose()


def timed(root: Path, *args: str) -> float:
    """Seconds a whole ``strata ARGS`` run takes."""
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "sqlstrata", *args], cwd=root, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return time.monotonic() - started


def user_tables(url: str) -> set[str]:
    return {t for t in table_names(url) if t.startswith("t")}


def test_sigkill_never_leaves_an_inconsistent_database(
    tmp_path: Path, db_url: str, backend: str
) -> None:
    chain_project(tmp_path, db_url, REVISIONS, BODY, DOWN)
    # Kill between the end of start-up and the end of a whole upgrade, measured here, so
    # that nearly every run is killed, and killed while it migrates.
    start_up = timed(tmp_path, "current")
    whole = timed(tmp_path, "upgrade", "head")
    timed(tmp_path, "downgrade", "base")
    rng = random.Random(20261121)
    kills = resumes = 0
    while kills < KILLS:
        proc = spawn(tmp_path, "upgrade", "head")
        try:
            proc.wait(timeout=rng.uniform(start_up * 0.9, whole * 1.1))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
        wait_for_other_sessions_to_end(db_url)
        stuck = pending(db_url)
        if stuck is not None:
            assert backend == "mysql", f"half-applied migration on {backend}: {stuck}"
            rev, done, in_flight = stuck
            # The history points at the half-applied revision ...
            count = int(rev[1:])
            tables = user_tables(db_url) - expected_tables(count)
            assert len(tables) in (done, done + (1 if in_flight else 0)), (stuck, tables)
            # ... and --resume finishes it.
            fin = subprocess.run(
                [sys.executable, "-m", "sqlstrata", "upgrade", "--resume", rev],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                check=False,
            )
            assert fin.returncode == 0, fin.stderr
            resumes += 1
        # The version table matches the schema that is actually there.
        count = applied_count(db_url)
        assert user_tables(db_url) == expected_tables(count), count
        if count == REVISIONS:
            down = subprocess.run(
                [sys.executable, "-m", "sqlstrata", "downgrade", "base"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                check=False,
            )
            assert down.returncode == 0, down.stderr
            assert user_tables(db_url) == set()
    if backend == "mysql":
        assert resumes > 0  # the kills did land inside migrations
