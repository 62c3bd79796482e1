"""An existing Alembic project runs unchanged under strata, and Alembic (the oracle, a test
dependency only) builds the same schema from the same scripts; each tool reads the other's
version table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.e2e.test_tutorial import strata

SCRIPTS = {
    "a1": (
        None,
        """
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("description", sa.Unicode(200)),
    )
""",
        'op.drop_table("account")',
    ),
    "a2": (
        "a1",
        """
    op.add_column("account", sa.Column("last_transaction_date", sa.DateTime))
    op.create_index("ix_account_name", "account", ["name"], unique=True)
""",
        """
    op.drop_index("ix_account_name", table_name="account")
    op.drop_column("account", "last_transaction_date")
""",
    ),
    "a3": (
        "a2",
        """
    op.create_table(
        "cart",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", name="fk_cart_account")),
    )
""",
        'op.drop_table("cart")',
    ),
}


def alembic(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "alembic", *args], cwd=cwd, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def alembic_project(root: Path, url: str) -> None:
    alembic(root, "init", "migrations")
    ini = root / "alembic.ini"
    ini.write_text(
        ini.read_text().replace("driver://user:pass@localhost/dbname", url.replace("%", "%%"))
    )
    for rev, (down, up, downgrade) in SCRIPTS.items():
        (root / "migrations" / "versions" / f"{rev}.py").write_text(
            f'"""{rev}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
            f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\n"
            f"depends_on = None\n\n\ndef upgrade():{up}\n\ndef downgrade():{downgrade}\n"
        )


def schema(url: str) -> dict[str, Any]:
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        out: dict[str, Any] = {}
        for table in sorted(inspector.get_table_names()):
            if table == "alembic_version" or table.endswith(("_history", "_lock")):
                continue  # sqlstrata's own: the history log, and who holds the lock (MySQL)
            out[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
                ],
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "fks": sorted(
                    (f["name"], tuple(f["constrained_columns"]), f["referred_table"])
                    for f in inspector.get_foreign_keys(table)
                ),
            }
        return out
    finally:
        engine.dispose()


def alembic_version(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def test_alembic_project_runs_unchanged_and_matches_alembic(tmp_path: Path, db_url: str) -> None:
    alembic_project(tmp_path, db_url)
    proc = strata(tmp_path, "upgrade", "head")
    assert "Running upgrade a2 -> a3" in proc.stderr
    assert alembic_version(db_url) == {"a3"}  # Alembic's table, so the database stays usable
    ours = schema(db_url)
    assert set(ours) == {"account", "cart"}
    assert alembic(tmp_path, "current").stdout.split()[0] == "a3"  # Alembic reads our rows

    strata(tmp_path, "downgrade", "base")
    assert set(schema(db_url)) == set()
    alembic(tmp_path, "upgrade", "head")
    assert schema(db_url) == ours  # the oracle builds exactly the same schema
    assert strata(tmp_path, "current").stdout.strip() == "a3 (head)"  # we read Alembic's rows
    alembic(tmp_path, "downgrade", "a1")
    strata(tmp_path, "upgrade", "head")
    assert schema(db_url) == ours


def test_offline_sql_matches_alembic_statements(tmp_path: Path, db_url: str) -> None:
    alembic_project(tmp_path, db_url)
    ours = strata(tmp_path, "upgrade", "head", "--sql").stdout
    theirs = alembic(tmp_path, "upgrade", "head", "--sql").stdout
    for fragment in (
        "CREATE TABLE account",
        "ADD COLUMN last_transaction_date",
        "CREATE UNIQUE INDEX ix_account_name",
        "CREATE TABLE cart",
    ):
        assert fragment in ours and fragment in theirs
