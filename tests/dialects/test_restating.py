"""Databases that restate a whole column to change part of it need the existing_* arguments,
and say so clearly when one is missing."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from sqlstrata.errors import CommandError
from tests.dialects.render import statements


def test_mysql_refuses_to_restate_a_column_without_existing_type() -> None:
    directive = lambda op: op.alter_column("account", "name", nullable=False)  # noqa: E731
    with pytest.raises(CommandError, match="existing_type is not given") as info:
        statements("mysql", directive)
    assert "MODIFY/CHANGE" in info.value.hint


def test_mysql_rename_restates_everything_given() -> None:
    directive = lambda op: op.alter_column(  # noqa: E731
        "account",
        "id",
        new_column_name="account_id",
        existing_type=sa.Integer,
        existing_nullable=False,
        existing_autoincrement=True,
        existing_comment="key",
    )
    assert statements("mysql", directive) == [
        "ALTER TABLE account CHANGE COLUMN id account_id INTEGER NOT NULL COMMENT 'key' "
        "AUTO_INCREMENT"
    ]


def test_mysql_keeps_the_existing_default_when_changing_the_type() -> None:
    directive = lambda op: op.alter_column(  # noqa: E731
        "account",
        "code",
        type_=sa.String(20),
        existing_type=sa.String(10),
        existing_nullable=False,
        existing_server_default=sa.text("'x'"),
    )
    assert statements("mysql", directive) == [
        "ALTER TABLE account MODIFY COLUMN code VARCHAR(20) NOT NULL DEFAULT 'x'"
    ]


def test_mysql_warns_when_nullability_is_unknown(caplog: pytest.LogCaptureFixture) -> None:
    directive = lambda op: op.alter_column(  # noqa: E731
        "account", "code", type_=sa.String(20), existing_type=sa.String(10)
    )
    with caplog.at_level(logging.WARNING, "sqlstrata.dialects.mysql"):
        assert statements("mysql", directive) == [
            "ALTER TABLE account MODIFY COLUMN code VARCHAR(20)"
        ]
    assert "existing_nullable is not given" in caplog.text


def test_mariadb_drops_check_constraints_with_drop_constraint() -> None:
    directive = lambda op: op.drop_constraint("ck_x", "t", "check", if_exists=True)  # noqa: E731
    assert statements("mariadb", directive) == ["ALTER TABLE t DROP CONSTRAINT IF EXISTS ck_x"]
    with pytest.raises(CommandError, match="no IF EXISTS"):
        statements("mysql", lambda op: op.drop_constraint("pk", "t", "primary", if_exists=True))


def test_mysql_drop_index_needs_the_table() -> None:
    with pytest.raises(CommandError, match="the table is not named"):
        statements("mysql", lambda op: op.drop_index("ix_name"))


def test_mssql_nullability_needs_the_type() -> None:
    directive = lambda op: op.alter_column("account", "name", nullable=False)  # noqa: E731
    with pytest.raises(CommandError, match="existing_type is not given"):
        statements("mssql", directive)


def test_mssql_type_change_puts_the_existing_default_back() -> None:
    directive = lambda op: op.alter_column(  # noqa: E731
        "account",
        "code",
        type_=sa.String(20),
        existing_type=sa.String(10),
        existing_nullable=False,
        existing_server_default="x",
    )
    result = statements("mssql", directive)
    assert len(result) == 3
    assert "sys.default_constraints" in result[0]
    assert result[1:] == [
        "ALTER TABLE account ALTER COLUMN code VARCHAR(20) NOT NULL",
        "ALTER TABLE account ADD DEFAULT 'x' FOR code",
    ]


def test_mssql_drop_column_can_drop_check_and_foreign_key_first() -> None:
    directive = lambda op: op.drop_column(  # noqa: E731
        "account", "owner", mssql_drop_check=True, mssql_drop_foreign_key=True
    )
    result = statements("mssql", directive)
    assert [s.split(" FROM ")[1].split(" AS ")[0] for s in result[:3]] == [
        "sys.default_constraints",
        "sys.check_constraints",
        "sys.foreign_keys",
    ]
    assert result[3] == "ALTER TABLE account DROP COLUMN owner"


def test_sqlite_refusal_points_to_batch_mode() -> None:
    with pytest.raises(CommandError) as info:
        statements("sqlite", lambda op: op.alter_column("t", "c", nullable=False))
    assert "batch_alter_table" in info.value.hint
