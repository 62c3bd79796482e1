"""Expected SQL on MySQL/MariaDB for every directive in cases.py.

Columns are restated (MODIFY/CHANGE) from the existing_* arguments; constraints are dropped by kind.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import CompileError

from sqlstrata.errors import CommandError
from tests.dialects.cases import CASES
from tests.dialects.render import statements

DIALECT = "mysql"

EXPECTED: dict[str, list[str]] = {
    "create_table": [
        (
            "CREATE TABLE bank.account (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tname "
            "VARCHAR(50) NOT NULL COMMENT 'who' DEFAULT 'anon', \n\towner_id INTEGER, \n\t"
            "PRIMARY KEY (id), \n\tCONSTRAINT uq_account_name UNIQUE (name), \n\tCONSTRAINT "
            "ck_account_owner CHECK (owner_id > 0), \n\tFOREIGN KEY(owner_id) REFERENCES "
            "person (id) ON DELETE CASCADE\n)COMMENT='accounts'"
        ),
        "CREATE INDEX ix_account_owner ON bank.account (owner_id)",
    ],
    "create_table_if_not_exists": [
        (
            "CREATE TABLE IF NOT EXISTS t (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tPRIMARY "
            "KEY (id)\n)"
        ),
    ],
    "create_table_enum": [
        (
            "CREATE TABLE t (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\tstatus "
            "ENUM('new','done'), \n\tPRIMARY KEY (id)\n)"
        ),
    ],
    "drop_table": [
        "DROP TABLE bank.account",
    ],
    "drop_table_if_exists": [
        "DROP TABLE IF EXISTS account",
    ],
    "rename_table": [
        "ALTER TABLE bank.account RENAME TO bank.ledger",
    ],
    "create_table_comment": [
        "ALTER TABLE account COMMENT 'it''s ours'",
    ],
    "drop_table_comment": [
        "ALTER TABLE account COMMENT ''",
    ],
    "add_column": [
        "ALTER TABLE account ADD COLUMN balance NUMERIC(10, 2) NOT NULL DEFAULT '0'",
    ],
    "add_column_fk_comment": [
        "ALTER TABLE bank.account ADD COLUMN branch_id INTEGER",
        (
            "ALTER TABLE bank.account ADD CONSTRAINT fk_branch FOREIGN KEY(branch_id) "
            "REFERENCES branch (id)"
        ),
    ],
    "add_column_comment": [
        "ALTER TABLE account ADD COLUMN note TEXT COMMENT 'free text'",
    ],
    "add_column_if_not_exists": [
        "ALTER TABLE account ADD COLUMN IF NOT EXISTS note TEXT",
    ],
    "drop_column": [
        "ALTER TABLE bank.account DROP COLUMN note",
    ],
    "drop_column_if_exists": [
        "ALTER TABLE account DROP COLUMN IF EXISTS note",
    ],
    "alter_nullable": [
        "ALTER TABLE account MODIFY COLUMN name VARCHAR(50)",
    ],
    "alter_type": [
        "ALTER TABLE account MODIFY COLUMN name VARCHAR(100) NOT NULL",
    ],
    "alter_type_using": [
        "ALTER TABLE account MODIFY COLUMN code INTEGER",
    ],
    "alter_default": [
        "ALTER TABLE account ALTER COLUMN name SET DEFAULT 'nobody'",
    ],
    "alter_default_expression": [
        "ALTER TABLE account ALTER COLUMN created SET DEFAULT CURRENT_TIMESTAMP",
    ],
    "alter_drop_default": [
        "ALTER TABLE account ALTER COLUMN name DROP DEFAULT",
    ],
    "alter_rename": [
        (
            "ALTER TABLE account CHANGE COLUMN name title VARCHAR(50) NOT NULL COMMENT 'who' "
            "DEFAULT 'anon'"
        ),
    ],
    "alter_comment": [
        "ALTER TABLE account MODIFY COLUMN name VARCHAR(50) NOT NULL COMMENT 'display name'",
    ],
    "alter_autoincrement": [
        "ALTER TABLE account MODIFY COLUMN id INTEGER NOT NULL AUTO_INCREMENT",
    ],
    "create_primary_key": [
        "ALTER TABLE account ADD CONSTRAINT pk_account PRIMARY KEY (id)",
    ],
    "create_foreign_key_plain": [
        (
            "ALTER TABLE account ADD FOREIGN KEY(owner_id, kind) REFERENCES person (id, kind) "
            "ON DELETE CASCADE"
        ),
    ],
    "create_unique_constraint": [
        "ALTER TABLE bank.account ADD CONSTRAINT uq_name UNIQUE (name, owner_id)",
    ],
    "create_check_constraint": [
        "ALTER TABLE account ADD CONSTRAINT ck_positive CHECK (balance >= 0)",
    ],
    "drop_constraint_fk": [
        "ALTER TABLE account DROP FOREIGN KEY fk_owner",
    ],
    "drop_constraint_pk": [
        "ALTER TABLE account DROP PRIMARY KEY",
    ],
    "drop_constraint_unique": [
        "ALTER TABLE account DROP INDEX uq_name",
    ],
    "drop_constraint_check": [
        "ALTER TABLE account DROP CHECK ck_positive",
    ],
    "drop_constraint_if_exists": [
        "ALTER TABLE account DROP INDEX IF EXISTS uq_name",
    ],
    "create_index": [
        "CREATE INDEX ix_name ON account (name, owner_id)",
    ],
    "create_index_unique_functional": [
        "CREATE UNIQUE INDEX ix_lower_name ON bank.account (lower(name))",
    ],
    "create_index_partial": [
        "CREATE INDEX ix_active ON account (name)",
    ],
    "create_index_postgresql": [
        "CREATE INDEX ix_doc ON account (doc)",
    ],
    "create_index_mysql": [
        "CREATE FULLTEXT INDEX ix_name_prefix ON account (name(10), note(20))",
    ],
    "create_index_if_not_exists": [
        "CREATE INDEX IF NOT EXISTS ix_name ON account (name)",
    ],
    "drop_index": [
        "DROP INDEX ix_name ON bank.account",
    ],
    "drop_index_if_exists": [
        "DROP INDEX IF EXISTS ix_name ON account",
    ],
    "drop_index_concurrently": [
        "DROP INDEX ix_name ON account",
    ],
    "create_sequence": [
        "CREATE SEQUENCE seq_id INCREMENT BY 5 START WITH 10",
    ],
    "drop_sequence": [
        "DROP SEQUENCE IF EXISTS seq_id",
    ],
    "execute_text": [
        "UPDATE account SET name = 'x'",
    ],
    "execute_statement": [
        "UPDATE account SET name='it''s' WHERE id = 5",
    ],
    "bulk_insert": [
        "INSERT INTO account (id, name) VALUES (1, 'a''b')",
        "INSERT INTO account (id, name) VALUES (2, 'c')",
    ],
    "postgresql_enum_column_type": [
        "ALTER TABLE account ADD COLUMN mood ENUM('a','b')",
    ],
}
REFUSED: dict[str, tuple[type[Exception], str]] = {
    "create_foreign_key": (CompileError, "MySQL ignores the 'MATCH' keyword"),
    "create_exclude_constraint": (CommandError, "EXCLUDE is PostgreSQL only"),
    "drop_constraint_untyped": (CommandError, "its type is not given"),
    "create_enum": (CommandError, "named enum types exist on PostgreSQL only"),
    "drop_enum": (CommandError, "named enum types exist on PostgreSQL only"),
    "add_enum_value": (CommandError, "named enum types exist on PostgreSQL only"),
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_directive_sql(case: str) -> None:
    assert statements(DIALECT, CASES[case]) == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_directive_refused(case: str) -> None:
    error, why = REFUSED[case]
    with pytest.raises(error, match=why):
        statements(DIALECT, CASES[case])


def test_every_case_has_an_expectation() -> None:
    assert set(EXPECTED) | set(REFUSED) == set(CASES)
