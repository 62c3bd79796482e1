"""Naming conventions from target_metadata name constraints and indexes created with None;
op.f() marks a name as final."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops
from tests.dialects.render import statements

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
METADATA = sa.MetaData(naming_convention=CONVENTION)


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        (
            lambda op: op.create_unique_constraint(None, "account", ["name"]),
            "ALTER TABLE account ADD CONSTRAINT uq_account_name UNIQUE (name)",
        ),
        (
            lambda op: op.create_primary_key(None, "account", ["id"]),
            "ALTER TABLE account ADD CONSTRAINT pk_account PRIMARY KEY (id)",
        ),
        (
            lambda op: op.create_foreign_key(None, "account", "person", ["owner"], ["id"]),
            "ALTER TABLE account ADD CONSTRAINT fk_account_owner_person "
            "FOREIGN KEY(owner) REFERENCES person (id)",
        ),
        (
            lambda op: op.create_check_constraint("positive", "account", "balance > 0"),
            "ALTER TABLE account ADD CONSTRAINT ck_account_positive CHECK (balance > 0)",
        ),
        (
            lambda op: op.create_index(None, "account", ["name"]),
            "CREATE INDEX ix_account_name ON account (name)",
        ),
        (
            lambda op: op.create_unique_constraint(op.f("exactly_this"), "account", ["name"]),
            "ALTER TABLE account ADD CONSTRAINT exactly_this UNIQUE (name)",
        ),
        (
            lambda op: op.create_check_constraint(op.f("ck_final"), "account", "balance > 0"),
            "ALTER TABLE account ADD CONSTRAINT ck_final CHECK (balance > 0)",
        ),
    ],
)
def test_convention_names_unnamed_constraints(directive: object, expected: str) -> None:
    assert statements("postgresql", directive, metadata=METADATA) == [expected]  # type: ignore[arg-type]


def test_create_table_applies_the_convention() -> None:
    directive = lambda op: op.create_table(  # noqa: E731
        "t",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(5), unique=True),
    )
    assert statements("postgresql", directive, metadata=METADATA) == [
        "CREATE TABLE t (\n\tid SERIAL NOT NULL, \n\tcode VARCHAR(5), \n\t"
        "CONSTRAINT pk_t PRIMARY KEY (id), \n\tCONSTRAINT uq_t_code UNIQUE (code)\n)"
    ]


def test_drop_of_a_convention_named_constraint_finds_the_name() -> None:
    created = ops.CreateUniqueConstraint(None, "account", ("name",))
    directive = lambda op: op.invoke(created.reverse())  # noqa: E731
    assert statements("postgresql", directive, metadata=METADATA) == [
        "ALTER TABLE account DROP CONSTRAINT uq_account_name"
    ]
    assert statements("mysql", directive, metadata=METADATA) == [
        "ALTER TABLE account DROP INDEX uq_account_name"
    ]


def test_drop_of_a_convention_named_index_finds_the_name() -> None:
    created = ops.CreateIndex(None, "account", ("name",))
    directive = lambda op: op.invoke(created.reverse())  # noqa: E731
    assert statements("postgresql", directive, metadata=METADATA) == ["DROP INDEX ix_account_name"]


def test_unnamed_index_gets_sqlalchemy_default_name() -> None:
    directive = lambda op: op.create_index(None, "account", ["name"])  # noqa: E731
    assert statements("postgresql", directive) == ["CREATE INDEX ix_account_name ON account (name)"]


def test_unnamed_index_without_an_ix_convention_is_refused() -> None:
    no_ix = sa.MetaData(naming_convention={"uq": "uq_%(column_0_name)s"})
    with pytest.raises(CommandError, match="it has no name"):
        statements(
            "postgresql", lambda op: op.create_index(None, "account", ["name"]), metadata=no_ix
        )


def test_unnamed_constraint_without_convention_is_left_to_the_database() -> None:
    directive = lambda op: op.create_unique_constraint(None, "account", ["name"])  # noqa: E731
    assert statements("postgresql", directive) == ["ALTER TABLE account ADD UNIQUE (name)"]
