"""Awkward identifiers are quoted the way each database expects, in every kind of statement.

Reserved words, mixed case, embedded quotes, spaces and non-ASCII names, in a schema whose
name has a space: the same directives rendered for the five dialects.
"""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from sqlstrata.ops.facade import Operations
from tests.dialects.render import statements

SCHEMA = "Odd Schema"


def directives(op: Operations) -> None:
    op.create_table(
        'My "Table"',
        sa.Column("select", sa.Integer, primary_key=True),
        sa.Column("naïve col", sa.String(5)),
        schema=SCHEMA,
    )
    op.add_column('My "Table"', sa.Column("Order", sa.Integer), schema=SCHEMA)
    op.rename_table('My "Table"', "from", schema=SCHEMA)
    op.alter_column(
        "from",
        "naïve col",
        new_column_name="where",
        existing_type=sa.String(5),
        existing_nullable=True,
        schema=SCHEMA,
    )
    op.create_index("ix sp", "from", ["where"], schema=SCHEMA)
    op.drop_index("ix sp", "from", schema=SCHEMA)
    op.drop_column("from", "Order", schema=SCHEMA)


EXPECTED = {
    "sqlite": [
        'CREATE TABLE "Odd Schema"."My ""Table""" (\n\t"select" INTEGER NOT NULL, \n\t'
        '"naïve col" VARCHAR(5), \n\tPRIMARY KEY ("select")\n)',
        'ALTER TABLE "Odd Schema"."My ""Table""" ADD COLUMN "Order" INTEGER',
        'ALTER TABLE "Odd Schema"."My ""Table""" RENAME TO "from"',
        'ALTER TABLE "Odd Schema"."from" RENAME COLUMN "naïve col" TO "where"',
        'CREATE INDEX "Odd Schema"."ix sp" ON "from" ("where")',
        'DROP INDEX "Odd Schema"."ix sp"',
        'ALTER TABLE "Odd Schema"."from" DROP COLUMN "Order"',
    ],
    "postgresql": [
        'CREATE TABLE "Odd Schema"."My ""Table""" (\n\t"select" SERIAL NOT NULL, \n\t'
        '"naïve col" VARCHAR(5), \n\tPRIMARY KEY ("select")\n)',
        'ALTER TABLE "Odd Schema"."My ""Table""" ADD COLUMN "Order" INTEGER',
        'ALTER TABLE "Odd Schema"."My ""Table""" RENAME TO "from"',
        'ALTER TABLE "Odd Schema"."from" RENAME COLUMN "naïve col" TO "where"',
        'CREATE INDEX "ix sp" ON "Odd Schema"."from" ("where")',
        'DROP INDEX "Odd Schema"."ix sp"',
        'ALTER TABLE "Odd Schema"."from" DROP COLUMN "Order"',
    ],
    "mysql": [
        'CREATE TABLE `Odd Schema`.`My "Table"` (\n\t`select` INTEGER NOT NULL AUTO_INCREMENT, '
        "\n\t`naïve col` VARCHAR(5), \n\tPRIMARY KEY (`select`)\n)",
        'ALTER TABLE `Odd Schema`.`My "Table"` ADD COLUMN `Order` INTEGER',
        'ALTER TABLE `Odd Schema`.`My "Table"` RENAME TO `Odd Schema`.`from`',
        "ALTER TABLE `Odd Schema`.`from` CHANGE COLUMN `naïve col` `where` VARCHAR(5)",
        "CREATE INDEX `ix sp` ON `Odd Schema`.`from` (`where`)",
        "DROP INDEX `ix sp` ON `Odd Schema`.`from`",
        "ALTER TABLE `Odd Schema`.`from` DROP COLUMN `Order`",
    ],
    "mssql": [
        'CREATE TABLE [Odd Schema].[My "Table"] (\n\t[select] INTEGER NOT NULL IDENTITY, \n\t'
        "[naïve col] VARCHAR(5) NULL, \n\tPRIMARY KEY ([select])\n)",
        'ALTER TABLE [Odd Schema].[My "Table"] ADD [Order] INTEGER NULL',
        "EXEC sp_rename N'[Odd Schema].[My \"Table\"]', N'from'",
        "EXEC sp_rename N'[Odd Schema].[from].[naïve col]', N'where', 'COLUMN'",
        "CREATE INDEX [ix sp] ON [Odd Schema].[from] ([where])",
        "DROP INDEX [ix sp] ON [Odd Schema].[from]",
        "DECLARE @const_name sysname;\nSELECT @const_name = k.name FROM sys.default_constraints "
        "AS k JOIN sys.columns AS c ON c.object_id = k.parent_object_id AND c.column_id = "
        "k.parent_column_id WHERE k.parent_object_id = OBJECT_ID(N'[Odd Schema].[from]') AND "
        "c.name = N'Order';\nIF @const_name IS NOT NULL EXEC(N'ALTER TABLE [Odd Schema].[from] "
        "DROP CONSTRAINT ' + QUOTENAME(@const_name))",
        "ALTER TABLE [Odd Schema].[from] DROP COLUMN [Order]",
    ],
    "oracle": [
        'CREATE TABLE "Odd Schema"."My ""Table""" (\n\t"select" INTEGER NOT NULL, \n\t'
        '"naïve col" VARCHAR2(5 CHAR), \n\tPRIMARY KEY ("select")\n)',
        'ALTER TABLE "Odd Schema"."My ""Table""" ADD "Order" INTEGER',
        'ALTER TABLE "Odd Schema"."My ""Table""" RENAME TO "from"',
        'ALTER TABLE "Odd Schema"."from" RENAME COLUMN "naïve col" TO "where"',
        'CREATE INDEX "Odd Schema"."ix sp" ON "Odd Schema"."from" ("where")',
        'DROP INDEX "Odd Schema"."ix sp"',
        'ALTER TABLE "Odd Schema"."from" DROP COLUMN "Order"',
    ],
}


@pytest.mark.parametrize("dialect", sorted(EXPECTED))
def test_awkward_identifiers_are_quoted(dialect: str) -> None:
    assert statements(dialect, directives) == EXPECTED[dialect]


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("postgresql", 'COMMENT ON TABLE "Odd Schema"."from" IS \'it\'\'s "x"\''),
        ("mysql", "ALTER TABLE `Odd Schema`.`from` COMMENT 'it''s \"x\"'"),
        ("oracle", 'COMMENT ON TABLE "Odd Schema"."from" IS \'it\'\'s "x"\''),
        (
            "mssql",
            "EXEC sp_addextendedproperty N'MS_Description', N'it''s \"x\"', N'SCHEMA', "
            "N'Odd Schema', N'TABLE', N'from'",
        ),
    ],
)
def test_comments_quote_names_and_text(dialect: str, expected: str) -> None:
    directive = lambda op: op.create_table_comment("from", 'it\'s "x"', schema=SCHEMA)  # noqa: E731
    assert statements(dialect, directive) == [expected]


def test_backtick_in_mysql_name_is_doubled() -> None:
    directive = lambda op: op.drop_column("t", "a`b")  # noqa: E731
    assert statements("mysql", directive) == ["ALTER TABLE t DROP COLUMN `a``b`"]


def test_sqlite_skips_comments_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "sqlstrata.dialects.sqlite"):
        assert statements("sqlite", lambda op: op.create_table_comment("t", "x")) == []
    assert "SQLite has no comments" in caplog.text
