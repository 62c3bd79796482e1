"""``strata revision --autogenerate`` and ``strata check`` as a user types them."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_tutorial import strata

MODELS = """
import sqlalchemy as sa

metadata = sa.MetaData()
account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("{name}", sa.String(50), nullable=False),
    {extra}
)
"""


def project(root: Path, url: str) -> list[str]:
    """``strata init`` in ``root`` with env.py using models.py; return the global options."""
    strata(root, "--url", url, "init", "migrations")
    env = root / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None",
            "import sys, os\nsys.path.insert(0, os.getcwd())\nfrom models import metadata as "
            "target_metadata",
        )
    )
    write_models(root)
    return ["--url", url]


def write_models(root: Path, name: str = "name", extra: str = "") -> None:
    (root / "models.py").write_text(MODELS.format(name=name, extra=extra))
    for cached in (root / "__pycache__").glob("models*"):
        cached.unlink()


def generated(out: str) -> Path:
    match = re.search(r"Generating (\S+\.py)", out)
    assert match, out
    return Path(match.group(1))


def test_autogenerate_then_check(tmp_path: Path, db_url: str) -> None:
    url = project(tmp_path, db_url)
    proc = strata(tmp_path, *url, "revision", "--autogenerate", "-m", "add account")
    assert "Detected add table 'account'" in proc.stderr
    text = generated(proc.stdout).read_text()
    assert 'op.create_table(\n        "account",' in text and 'op.drop_table("account")' in text
    proc = strata(tmp_path, *url, "check", code=1)
    assert "not up to date" in proc.stderr
    strata(tmp_path, *url, "upgrade", "head")
    proc = strata(tmp_path, *url, "check")
    assert proc.stdout.strip() == "No new upgrade operations detected."
    proc = strata(tmp_path, *url, "check", "--format", "json")
    assert json.loads(proc.stdout) == {"up_to_date": True, "changes": [], "warnings": []}

    write_models(tmp_path, extra='sa.Column("email", sa.String(100)),')
    proc = strata(tmp_path, *url, "check", code=1)
    assert proc.stdout.splitlines() == [
        "New upgrade operations detected:",
        "  - add column 'account.email'",
    ]
    assert "Can't pass the check: the models and the database differ (1 pending change)" in (
        proc.stderr
    )
    proc = strata(tmp_path, *url, "check", "--format", "json", code=1)
    assert json.loads(proc.stdout) == {
        "up_to_date": False,
        "changes": [
            {
                "op": "add_column",
                "table": "account",
                "description": "add column 'account.email'",
            }
        ],
        "warnings": [],
    }


def sqlite_project(root: Path) -> list[str]:
    url = project(root, f"sqlite:///{root / 'app.db'}")
    strata(root, *url, "revision", "--autogenerate", "-m", "init")
    strata(root, *url, "upgrade", "head")
    write_models(root, name="full_name")
    return url


def test_rename_flags(tmp_path: Path) -> None:
    url = sqlite_project(tmp_path)
    proc = strata(
        tmp_path, *url, "revision", "--autogenerate", "-m", "r", "--strict-renames", code=1
    )
    assert "Was" not in proc.stderr
    assert "--rename account.name:full_name" in proc.stderr
    proc = strata(tmp_path, *url, "revision", "-m", "r", "--rename", "a:b", code=2)
    assert "need --autogenerate" in proc.stderr
    proc = strata(
        tmp_path,
        *url,
        "revision",
        "--autogenerate",
        "-m",
        "r",
        "--rename",
        "account.name:full_name",
    )
    text = generated(proc.stdout).read_text()
    assert (
        'op.alter_column(\n        "account",\n        "name",\n        new_column_name="full_name"'
        in (text)
    )


def test_non_interactive_run_warns(tmp_path: Path) -> None:
    url = sqlite_project(tmp_path)
    proc = strata(tmp_path, *url, "revision", "--autogenerate", "-m", "r")
    assert "LOSES THE DATA in account.name" in proc.stderr
    assert "# WARNING: column account.name is dropped" in generated(proc.stdout).read_text()


def test_interactive_terminal_is_asked(tmp_path: Path) -> None:
    url = sqlite_project(tmp_path)
    main, secondary = pty.openpty()
    try:
        os.write(main, b"y\n")
        proc = subprocess.run(
            [sys.executable, "-m", "sqlstrata", *url, "revision", "--autogenerate", "-m", "r"],
            cwd=tmp_path,
            stdin=secondary,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    finally:
        os.close(main)
        os.close(secondary)
    assert proc.returncode == 0, proc.stderr
    assert "Was account.name renamed to account.full_name? [y/N]" in proc.stderr
    text = generated(proc.stdout).read_text()
    assert 'new_column_name="full_name"' in text and "WARNING" not in text


def test_the_lock_row_table_is_not_a_change(tmp_path: Path, db_url: str) -> None:
    url = project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(ini.read_text().replace("# migration_lock = auto", "migration_lock = table"))
    strata(tmp_path, *url, "revision", "--autogenerate", "-m", "add account")
    strata(tmp_path, *url, "upgrade", "head")
    proc = strata(tmp_path, *url, "check")  # strata_lock exists now, and is ours
    assert proc.stdout.strip() == "No new upgrade operations detected."


@pytest.mark.parametrize("autogenerate", [False, True])
def test_template_args_from_env_py_reach_the_template(
    tmp_path: Path, db_url: str, autogenerate: bool
) -> None:
    url = project(tmp_path, db_url)
    ini = tmp_path / "strata.ini"
    ini.write_text(
        ini.read_text().replace("# revision_environment = false", "revision_environment = true")
    )
    env = tmp_path / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "context.configure(", 'context.configure(template_args={"team": "core"}, '
        )
    )
    mako = tmp_path / "migrations" / "script.py.mako"
    mako.write_text("# team: ${team}\n" + mako.read_text())
    extra = ["--autogenerate"] if autogenerate else []
    proc = strata(tmp_path, *url, "revision", "-m", "x", *extra)
    assert generated(proc.stdout).read_text().startswith("# team: core\n")
