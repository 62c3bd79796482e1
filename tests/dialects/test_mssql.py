"""Expected SQL on SQL Server (offline) for every directive in cases.py.

Default constraints are looked up and dropped by a script-safe block; GO follows each statement.
"""

from __future__ import annotations

import pytest

from sqlstrata.errors import CommandError
from tests.dialects.cases import CASES
from tests.dialects.render import statements

DIALECT = "mssql"

EXPECTED: dict[str, list[str]] = {
    "create_table": [
        (
            "CREATE TABLE bank.account (\n\tid INTEGER NOT NULL IDENTITY, \n\tname VARCHAR(50) "
            "NOT NULL DEFAULT 'anon', \n\towner_id INTEGER NULL, \n\tPRIMARY KEY (id), \n\t"
            "CONSTRAINT uq_account_name UNIQUE (name), \n\tCONSTRAINT ck_account_owner CHECK "
            "(owner_id > 0), \n\tFOREIGN KEY(owner_id) REFERENCES person (id) ON DELETE "
            "CASCADE\n)"
        ),
        "CREATE INDEX ix_account_owner ON bank.account (owner_id)",
        (
            "EXEC sp_addextendedproperty N'MS_Description', N'accounts', N'SCHEMA', N'bank', "
            "N'TABLE', N'account'"
        ),
        (
            "EXEC sp_addextendedproperty N'MS_Description', N'who', N'SCHEMA', N'bank', "
            "N'TABLE', N'account', N'COLUMN', N'name'"
        ),
    ],
    "create_table_enum": [
        (
            "CREATE TABLE t (\n\tid INTEGER NOT NULL IDENTITY, \n\tstatus VARCHAR(4) NULL, \n\t"
            "PRIMARY KEY (id)\n)"
        ),
    ],
    "drop_table": [
        "DROP TABLE bank.account",
    ],
    "drop_table_if_exists": [
        "DROP TABLE IF EXISTS account",
    ],
    "rename_table": [
        "EXEC sp_rename N'bank.account', N'ledger'",
    ],
    "create_table_comment": [
        (
            "EXEC sp_addextendedproperty N'MS_Description', N'it''s ours', N'SCHEMA', N'dbo', "
            "N'TABLE', N'account'"
        ),
    ],
    "drop_table_comment": [
        ("EXEC sp_dropextendedproperty N'MS_Description', N'SCHEMA', N'dbo', N'TABLE', N'account'"),
    ],
    "add_column": [
        "ALTER TABLE account ADD balance NUMERIC(10, 2) NOT NULL DEFAULT '0'",
    ],
    "add_column_fk_comment": [
        "ALTER TABLE bank.account ADD branch_id INTEGER NULL",
        (
            "ALTER TABLE bank.account ADD CONSTRAINT fk_branch FOREIGN KEY(branch_id) "
            "REFERENCES branch (id)"
        ),
    ],
    "add_column_comment": [
        "ALTER TABLE account ADD note TEXT NULL",
        (
            "EXEC sp_addextendedproperty N'MS_Description', N'free text', N'SCHEMA', N'dbo', "
            "N'TABLE', N'account', N'COLUMN', N'note'"
        ),
    ],
    "drop_column": [
        (
            "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM "
            "sys.default_constraints AS k JOIN sys.columns AS c ON c.object_id = "
            "k.parent_object_id AND c.column_id = k.parent_column_id WHERE k.parent_object_id "
            "= OBJECT_ID(N'bank.account') AND c.name = N'note';\nIF @const_name IS NOT NULL "
            "EXEC(N'ALTER TABLE bank.account DROP CONSTRAINT ' + QUOTENAME(@const_name))"
        ),
        "ALTER TABLE bank.account DROP COLUMN note",
    ],
    "drop_column_if_exists": [
        (
            "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM "
            "sys.default_constraints AS k JOIN sys.columns AS c ON c.object_id = "
            "k.parent_object_id AND c.column_id = k.parent_column_id WHERE k.parent_object_id "
            "= OBJECT_ID(N'account') AND c.name = N'note';\nIF @const_name IS NOT NULL "
            "EXEC(N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(@const_name))"
        ),
        "ALTER TABLE account DROP COLUMN IF EXISTS note",
    ],
    "alter_nullable": [
        "ALTER TABLE account ALTER COLUMN name VARCHAR(50) NULL",
    ],
    "alter_type": [
        "ALTER TABLE account ALTER COLUMN name VARCHAR(100) NOT NULL",
    ],
    "alter_type_using": [
        "ALTER TABLE account ALTER COLUMN code INTEGER NULL",
    ],
    "alter_default": [
        (
            "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM "
            "sys.default_constraints AS k JOIN sys.columns AS c ON c.object_id = "
            "k.parent_object_id AND c.column_id = k.parent_column_id WHERE k.parent_object_id "
            "= OBJECT_ID(N'account') AND c.name = N'name';\nIF @const_name IS NOT NULL "
            "EXEC(N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(@const_name))"
        ),
        "ALTER TABLE account ADD DEFAULT 'nobody' FOR name",
    ],
    "alter_default_expression": [
        (
            "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM "
            "sys.default_constraints AS k JOIN sys.columns AS c ON c.object_id = "
            "k.parent_object_id AND c.column_id = k.parent_column_id WHERE k.parent_object_id "
            "= OBJECT_ID(N'account') AND c.name = N'created';\nIF @const_name IS NOT NULL "
            "EXEC(N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(@const_name))"
        ),
        "ALTER TABLE account ADD DEFAULT CURRENT_TIMESTAMP FOR created",
    ],
    "alter_drop_default": [
        (
            "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM "
            "sys.default_constraints AS k JOIN sys.columns AS c ON c.object_id = "
            "k.parent_object_id AND c.column_id = k.parent_column_id WHERE k.parent_object_id "
            "= OBJECT_ID(N'account') AND c.name = N'name';\nIF @const_name IS NOT NULL "
            "EXEC(N'ALTER TABLE account DROP CONSTRAINT ' + QUOTENAME(@const_name))"
        ),
    ],
    "alter_rename": [
        "EXEC sp_rename N'account.name', N'title', 'COLUMN'",
    ],
    "alter_comment": [
        (
            "EXEC sp_addextendedproperty N'MS_Description', N'display name', N'SCHEMA', "
            "N'dbo', N'TABLE', N'account', N'COLUMN', N'name'"
        ),
    ],
    "create_primary_key": [
        "ALTER TABLE account ADD CONSTRAINT pk_account PRIMARY KEY (id)",
    ],
    "create_foreign_key": [
        (
            "ALTER TABLE bank.account ADD CONSTRAINT fk_owner FOREIGN KEY(owner_id) REFERENCES "
            "people.person (id) MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE "
            "INITIALLY DEFERRED"
        ),
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
        "ALTER TABLE account DROP CONSTRAINT fk_owner",
    ],
    "drop_constraint_pk": [
        "ALTER TABLE account DROP CONSTRAINT pk_account",
    ],
    "drop_constraint_unique": [
        "ALTER TABLE account DROP CONSTRAINT uq_name",
    ],
    "drop_constraint_check": [
        "ALTER TABLE account DROP CONSTRAINT ck_positive",
    ],
    "drop_constraint_untyped": [
        "ALTER TABLE account DROP CONSTRAINT uq_name",
    ],
    "drop_constraint_if_exists": [
        "ALTER TABLE account DROP CONSTRAINT IF EXISTS uq_name",
    ],
    "create_index": [
        "CREATE INDEX ix_name ON account (name, owner_id)",
    ],
    "create_index_unique_functional": [
        "CREATE UNIQUE INDEX ix_lower_name ON bank.account (lower(name))",
    ],
    "create_index_partial": [
        "CREATE INDEX ix_active ON account (name) WHERE active = 1",
    ],
    "create_index_postgresql": [
        "CREATE INDEX ix_doc ON account (doc)",
    ],
    "create_index_mysql": [
        "CREATE INDEX ix_name_prefix ON account (name, note)",
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
        "ALTER TABLE account ADD mood VARCHAR(1) NULL",
    ],
}
REFUSED: dict[str, tuple[type[Exception], str]] = {
    "create_table_if_not_exists": (CommandError, "there is no IF NOT EXISTS"),
    "add_column_if_not_exists": (CommandError, "there is no IF NOT EXISTS"),
    "alter_autoincrement": (CommandError, "IDENTITY cannot be altered"),
    "create_exclude_constraint": (CommandError, "EXCLUDE is PostgreSQL only"),
    "create_index_if_not_exists": (CommandError, "there is no IF NOT EXISTS"),
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
