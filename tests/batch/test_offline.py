"""Batch mode in a SQL script (no database): the statements per dialect, from copy_from."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from sqlstrata.errors import CommandError
from sqlstrata.ops.facade import Operations
from tests.dialects.render import statements


def account() -> sa.Table:
    return sa.Table(
        "account",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="anon", comment="who"),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("person.id")),
        sa.UniqueConstraint("name", name="uq_account_name"),
        sa.CheckConstraint("length(name) > 0", name="ck_name"),
        sa.Index("ix_owner", "owner_id"),
        comment="accounts",
    )


def change(op: Operations, recreate: str = "auto") -> None:
    with op.batch_alter_table("account", copy_from=account(), recreate=recreate) as batch:
        batch.alter_column("name", type_=sa.String(80), new_column_name="label")
        batch.add_column(sa.Column("note", sa.Text), insert_before="owner_id")


def test_sqlite_rebuild_script() -> None:
    assert statements("sqlite", change) == [
        "ALTER TABLE account RENAME COLUMN name TO label",
        "CREATE TABLE _strata_tmp_account (\n\tid INTEGER NOT NULL, \n\tlabel VARCHAR(80) "
        "DEFAULT 'anon' NOT NULL, \n\tnote TEXT, \n\towner_id INTEGER, \n\tPRIMARY KEY (id), "
        "\n\tCONSTRAINT uq_account_name UNIQUE (label), \n\tCONSTRAINT ck_name CHECK "
        "(length(label) > 0), \n\tFOREIGN KEY(owner_id) REFERENCES person (id)\n)",
        "INSERT INTO _strata_tmp_account (id, label, owner_id) SELECT account.id, "
        "account.label, account.owner_id \nFROM account",
        "PRAGMA legacy_alter_table = ON",
        "DROP TABLE account",
        "ALTER TABLE _strata_tmp_account RENAME TO account",
        "PRAGMA legacy_alter_table = OFF",
        "CREATE INDEX ix_owner ON account (owner_id)",
    ]


def test_sqlite_keeps_the_autoincrement_counter() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer),
        sqlite_autoincrement=True,
    )

    def directive(op: Operations) -> None:
        with op.batch_alter_table("t", copy_from=table) as batch:
            batch.drop_column("a")

    found = statements("sqlite", directive)
    assert "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" in found[0]
    assert found[2] == (
        "UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence "
        "WHERE name = 't'), 0)) WHERE name = '_strata_tmp_t'"
    )
    assert found[3].startswith("INSERT INTO sqlite_sequence (name, seq) SELECT '_strata_tmp_t'")


def test_postgresql_rebuild_script() -> None:
    assert statements("postgresql", lambda op: change(op, "always")) == [
        "ALTER TABLE account RENAME COLUMN name TO label",
        "CREATE TABLE _strata_tmp_account (\n\tid INTEGER NOT NULL, \n\tlabel VARCHAR(80) "
        "DEFAULT 'anon' NOT NULL, \n\tnote TEXT, \n\towner_id INTEGER, \n\tCONSTRAINT "
        "_strata_pk_account PRIMARY KEY (id)\n)",
        "INSERT INTO _strata_tmp_account (id, label, owner_id) SELECT account.id, "
        "CAST(account.label AS VARCHAR(80)) AS label, account.owner_id \nFROM account",
        "DROP TABLE account",
        "ALTER TABLE _strata_tmp_account RENAME TO account",
        "ALTER TABLE account RENAME CONSTRAINT _strata_pk_account TO account_pkey",
        "ALTER TABLE account ADD CONSTRAINT uq_account_name UNIQUE (label)",
        "ALTER TABLE account ADD CONSTRAINT ck_name CHECK (length(label) > 0)",
        "ALTER TABLE account ADD FOREIGN KEY(owner_id) REFERENCES person (id)",
        "CREATE INDEX ix_owner ON account (owner_id)",
        "COMMENT ON TABLE account IS 'accounts'",
        "COMMENT ON COLUMN account.label IS 'who'",
        "CREATE SEQUENCE account_id_seq OWNED BY account.id",
        "ALTER TABLE account ALTER COLUMN id SET DEFAULT nextval('account_id_seq'::regclass)",
        "SELECT setval(pg_get_serial_sequence('account', 'id'), COALESCE(MAX(id), 0) + 1, "
        "false) FROM account",
    ]


def test_postgresql_in_place_with_auto() -> None:
    assert statements("postgresql", change) == [
        "ALTER TABLE account ALTER COLUMN name TYPE VARCHAR(80)",
        "ALTER TABLE account RENAME COLUMN name TO label",
        "ALTER TABLE account ADD COLUMN note TEXT",
    ]


def test_mysql_rebuild_script() -> None:
    assert statements("mysql", lambda op: change(op, "always")) == [
        "CREATE TABLE _strata_tmp_account (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tlabel "
        "VARCHAR(80) NOT NULL COMMENT 'who' DEFAULT 'anon', \n\tnote TEXT, \n\towner_id "
        "INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT uq_account_name UNIQUE (label)\n"
        ")COMMENT='accounts'",
        "CREATE INDEX ix_owner ON _strata_tmp_account (owner_id)",
        "INSERT INTO _strata_tmp_account (id, label, owner_id) SELECT account.id, "
        "account.name, account.owner_id \nFROM account",
        "RENAME TABLE account TO _strata_old_account, _strata_tmp_account TO account",
        "DROP TABLE _strata_old_account",
        "ALTER TABLE account ADD CONSTRAINT ck_name CHECK (length(label) > 0)",
        "ALTER TABLE account ADD FOREIGN KEY(owner_id) REFERENCES person (id)",
    ]


def test_mysql_in_place_takes_existing_values_from_copy_from() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account", copy_from=account()) as batch:
            batch.alter_column("name", type_=sa.String(80))

    assert statements("mysql", directive) == [
        "ALTER TABLE account MODIFY COLUMN name VARCHAR(80) NOT NULL COMMENT 'who' DEFAULT 'anon'"
    ]


def test_sqlite_in_place_when_it_can() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account") as batch:
            batch.add_column(sa.Column("note", sa.Text))
            batch.alter_column("name", new_column_name="label")
            batch.create_index("ix_label", ["label"])

    assert statements("sqlite", directive) == [
        "ALTER TABLE account ADD COLUMN note TEXT",
        "ALTER TABLE account RENAME COLUMN name TO label",
        "CREATE INDEX ix_label ON account (label)",
    ]


def test_offline_rebuild_without_copy_from_says_what_to_do() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account") as batch:
            batch.drop_column("owner_id")

    with pytest.raises(CommandError, match="offline") as caught:
        statements("sqlite", directive)
    assert "copy_from" in caught.value.hint


def test_offline_rebuild_warns_about_what_it_cannot_see(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sqlstrata.batch"):
        statements("sqlite", change)
    assert "cannot be seen offline" in caplog.text


def test_recreate_never_refuses_what_sqlite_cannot_do_in_place() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account", copy_from=account(), recreate="never") as batch:
            batch.alter_column("name", type_=sa.Text())

    with pytest.raises(CommandError, match="recreate='never'"):
        statements("sqlite", directive)


def test_recreate_must_be_a_known_value() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account", recreate="sometimes"):
            pass

    with pytest.raises(CommandError, match="recreate='sometimes'"):
        statements("sqlite", directive)


def test_an_error_inside_the_block_runs_nothing() -> None:
    def directive(op: Operations) -> None:
        with op.batch_alter_table("account", copy_from=account()) as batch:
            batch.drop_column("owner_id")
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        statements("sqlite", directive)


def test_postgresql_rebuild_creates_only_the_enum_types_it_introduces() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("happy", "sad", name="mood")),
        sa.Column("size", sa.String(10)),
    )

    def directive(op: Operations) -> None:
        with op.batch_alter_table("t", copy_from=table, recreate="always") as batch:
            batch.alter_column("size", type_=sa.Enum("s", "m", "l", name="size"))

    found = statements("postgresql", directive)
    assert found[0] == "CREATE TYPE size AS ENUM ('s', 'm', 'l')"
    assert not any("CREATE TYPE mood" in sql for sql in found)
    assert "CAST(t.size AS size) AS size" in found[2]
