"""Expected SQL on SQLite for every directive in cases.py.

SQLite alters little in place: the refusals point to batch mode.
"""

from __future__ import annotations

import pytest

from sqlstrata.errors import CommandError
from tests.dialects.cases import CASES
from tests.dialects.render import statements

DIALECT = "sqlite"

EXPECTED: dict[str, list[str]] = {
    "create_table": [
        (
            "CREATE TABLE bank.account (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50) DEFAULT "
            "'anon' NOT NULL, \n\towner_id INTEGER, \n\tPRIMARY KEY (id), \n\tCONSTRAINT "
            "uq_account_name UNIQUE (name), \n\tCONSTRAINT ck_account_owner CHECK (owner_id > "
            "0)\n)"
        ),
        "CREATE INDEX bank.ix_account_owner ON account (owner_id)",
    ],
    "create_table_if_not_exists": [
        "CREATE TABLE IF NOT EXISTS t (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)",
    ],
    "create_table_enum": [
        ("CREATE TABLE t (\n\tid INTEGER NOT NULL, \n\tstatus VARCHAR(4), \n\tPRIMARY KEY (id)\n)"),
    ],
    "drop_table": [
        "DROP TABLE bank.account",
    ],
    "drop_table_if_exists": [
        "DROP TABLE IF EXISTS account",
    ],
    "rename_table": [
        "ALTER TABLE bank.account RENAME TO ledger",
    ],
    "create_table_comment": [],
    "drop_table_comment": [],
    "add_column": [
        "ALTER TABLE account ADD COLUMN balance NUMERIC(10, 2) DEFAULT '0' NOT NULL",
    ],
    "add_column_fk_comment": [
        (
            "ALTER TABLE bank.account ADD COLUMN branch_id INTEGER CONSTRAINT fk_branch "
            "REFERENCES branch (id)"
        ),
    ],
    "add_column_comment": [
        "ALTER TABLE account ADD COLUMN note TEXT",
    ],
    "drop_column": [
        "ALTER TABLE bank.account DROP COLUMN note",
    ],
    "alter_rename": [
        "ALTER TABLE account RENAME COLUMN name TO title",
    ],
    "alter_comment": [],
    "create_index": [
        "CREATE INDEX ix_name ON account (name, owner_id)",
    ],
    "create_index_unique_functional": [
        "CREATE UNIQUE INDEX bank.ix_lower_name ON account (lower(name))",
    ],
    "create_index_partial": [
        "CREATE INDEX ix_active ON account (name) WHERE active",
    ],
    "create_index_postgresql": [
        "CREATE INDEX ix_doc ON account (doc)",
    ],
    "create_index_mysql": [
        "CREATE INDEX ix_name_prefix ON account (name, note)",
    ],
    "create_index_if_not_exists": [
        "CREATE INDEX IF NOT EXISTS ix_name ON account (name)",
    ],
    "drop_index": [
        "DROP INDEX bank.ix_name",
    ],
    "drop_index_if_exists": [
        "DROP INDEX IF EXISTS ix_name",
    ],
    "drop_index_concurrently": [
        "DROP INDEX ix_name",
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
        "ALTER TABLE account ADD COLUMN mood VARCHAR(1)",
    ],
}
REFUSED: dict[str, tuple[type[Exception], str]] = {
    "add_column_if_not_exists": (CommandError, "there is no IF NOT EXISTS"),
    "drop_column_if_exists": (CommandError, "there is no IF EXISTS"),
    "alter_nullable": (
        CommandError,
        "SQLite cannot change a column's nullability in place",
    ),
    "alter_type": (CommandError, "SQLite cannot change a column's type in place"),
    "alter_type_using": (
        CommandError,
        "SQLite cannot change a column's type in place",
    ),
    "alter_default": (
        CommandError,
        "SQLite cannot change a column's server default in place",
    ),
    "alter_default_expression": (
        CommandError,
        "SQLite cannot change a column's server default in place",
    ),
    "alter_drop_default": (
        CommandError,
        "SQLite cannot change a column's server default in place",
    ),
    "alter_autoincrement": (
        CommandError,
        "SQLite cannot change a column's autoincrement in place",
    ),
    "create_primary_key": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_foreign_key": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_foreign_key_plain": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_unique_constraint": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_check_constraint": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_exclude_constraint": (CommandError, "EXCLUDE is PostgreSQL only"),
    "drop_constraint_fk": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "drop_constraint_pk": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "drop_constraint_unique": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "drop_constraint_check": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "drop_constraint_untyped": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "drop_constraint_if_exists": (
        CommandError,
        "SQLite cannot add or drop constraints on an existing table",
    ),
    "create_sequence": (CommandError, "SQLite has no sequences"),
    "drop_sequence": (CommandError, "SQLite has no sequences"),
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
