"""Normalisation: what a database hands back compares equal to what the models say.

Each row is a known source of spurious diffs (several are Alembic false positives reported by
its users): a reflected type, default or condition on the left, the model's on the right.
"""

from __future__ import annotations

import pytest

from sqlstrata.autogen.normalize import (
    default_key,
    fk_action,
    persisted,
    sql_key,
    type_family,
    type_key,
    types_equal,
)

SAME_TYPES = [
    ("postgresql", "VARCHAR(50)", "VARCHAR(50)"),
    ("postgresql", "CHARACTER VARYING(50)", "VARCHAR(50)"),
    ("postgresql", "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"),
    ("postgresql", "TIMESTAMP(3) WITH TIME ZONE", "TIMESTAMPTZ(3)"),
    ("postgresql", "TIME WITHOUT TIME ZONE", "TIME"),
    ("postgresql", "DOUBLE PRECISION", "FLOAT"),
    ("postgresql", "REAL", "FLOAT(24)"),
    ("postgresql", "INT4", "INTEGER"),
    ("postgresql", "NUMERIC(10, 2)", "DECIMAL(10,2)"),
    ("postgresql", "BOOL", "BOOLEAN"),
    ("mysql", "TINYINT(1)", "BOOL"),
    ("mysql", "TINYINT(1)", "BOOLEAN"),
    ("mysql", "INTEGER(11)", "INTEGER"),
    ("mysql", "INT(11)", "INTEGER"),
    ("mysql", "BIGINT(20)", "BIGINT"),
    ("mysql", "SMALLINT(6)", "SMALLINT"),
    ("mysql", "DECIMAL(10, 2)", "NUMERIC(10, 2)"),
    ("mysql", "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "JSON"),
    ("mysql", "VARCHAR(20) COLLATE utf8mb4_general_ci", "VARCHAR(20)"),
    ("mysql", "NATIONAL VARCHAR(20)", "VARCHAR(20)"),
    ("mysql", "ENUM('a','b')", "ENUM('a', 'b')"),
    ("sqlite", "VARCHAR(5)", "VARCHAR(5)"),
    ("sqlite", "INT", "INTEGER"),
]

DIFFERENT_TYPES = [
    ("postgresql", "VARCHAR(50)", "VARCHAR(60)"),
    ("postgresql", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"),
    ("postgresql", "INTEGER", "BIGINT"),
    ("postgresql", "JSON", "JSONB"),
    ("mysql", "TINYINT(4)", "BOOL"),
    ("mysql", "VARCHAR(20) COLLATE utf8mb4_bin", "VARCHAR(20) COLLATE latin1_bin"),
    ("mysql", "ENUM('a','b')", "ENUM('a','b','c')"),
    ("sqlite", "NUMERIC(10, 2)", "NUMERIC(12, 2)"),
]


@pytest.mark.parametrize(("dialect", "reflected", "model"), SAME_TYPES)
def test_equivalent_types_are_equal(dialect: str, reflected: str, model: str) -> None:
    assert types_equal(dialect, reflected, model)
    assert types_equal(dialect, model, reflected)


@pytest.mark.parametrize(("dialect", "a", "b"), DIFFERENT_TYPES)
def test_different_types_differ(dialect: str, a: str, b: str) -> None:
    assert not types_equal(dialect, a, b)


def test_unknown_types_never_differ() -> None:
    assert types_equal("sqlite", "", "VARCHAR(5)")


SAME_DEFAULTS = [
    ("postgresql", "'abc'::character varying", "'abc'"),
    ("postgresql", "'it''s'::text", "'it''s'"),
    ("postgresql", "now()", "CURRENT_TIMESTAMP"),
    ("postgresql", "CURRENT_TIMESTAMP", "now()"),
    ("postgresql", "'2020-01-02'::date", "'2020-01-02'"),
    ("postgresql", "'2020-01-01 00:00:00'::timestamp without time zone", "'2020-01-01 00:00:00'"),
    ("postgresql", "'-1'::integer", "-1"),
    ("postgresql", "1.50", "'1.50'"),
    ("postgresql", "false", "false"),
    ("postgresql", "(0)", "0"),
    ("mysql", "current_timestamp()", "now()"),
    ("mysql", "current_timestamp()", "CURRENT_TIMESTAMP"),
    ("mysql", "0", "'0'"),
    ("mysql", "0", "false"),
    ("mysql", "1", "true"),
    ("mysql", "'abc'", "'abc'"),
    ("mysql", "_utf8mb4'abc'", "'abc'"),
    ("sqlite", "'0'", "0"),
    ("sqlite", "CURRENT_TIMESTAMP", "(CURRENT_TIMESTAMP)"),
    ("sqlite", "0", "false"),
]


@pytest.mark.parametrize(("dialect", "reflected", "model"), SAME_DEFAULTS)
def test_equivalent_defaults_are_equal(dialect: str, reflected: str, model: str) -> None:
    assert default_key(dialect, reflected) == default_key(dialect, model)


@pytest.mark.parametrize(
    ("dialect", "a", "b"),
    [
        ("postgresql", "'abc'::character varying", "'abd'"),
        ("postgresql", "0", "1"),
        ("mysql", "'x'", "'X'"),
        ("sqlite", "'0'", "'00'"),
    ],
)
def test_different_defaults_differ(dialect: str, a: str, b: str) -> None:
    assert default_key(dialect, a) != default_key(dialect, b)


def test_no_default_and_null_default_are_the_same() -> None:
    assert default_key("mysql", "NULL") is None
    assert default_key("mysql", None) is None


SAME_SQL = [
    ("default", "(x > 0)", "x > 0"),
    ("default", "((x > 0))", "x > 0"),
    ("default", '"x" > 0', "x > 0"),
    ("default", "`x` > 0", "x > 0"),
    ("default", "c0 > '-1'::integer", "c0 > -1"),
    ("default", "lower(name::text)", "lower(name)"),
    ("default", "lower((name)::text)", "lower(name)"),
    (
        "default",
        "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        "status IN ('a', 'b')",
    ),
    ("default", "X  >   0", "x > 0"),
    ("mysql", "octet_length(`name`) > 0", "length(name) > 0"),
    ("mysql", "char_length(`name`) > 0", "character_length(name) > 0"),
]


@pytest.mark.parametrize(("dialect", "reflected", "model"), SAME_SQL)
def test_equivalent_conditions_are_equal(dialect: str, reflected: str, model: str) -> None:
    assert sql_key(reflected, dialect) == sql_key(model, dialect)


def test_different_conditions_differ() -> None:
    assert sql_key("x > 0") != sql_key("x >= 0")
    assert sql_key("x = 'A'") != sql_key("x = 'a'")
    assert sql_key("a[1] > 0") == "a [ 1 ] > 0"


def test_foreign_key_actions() -> None:
    assert fk_action("postgresql", None) == fk_action("postgresql", "no action")
    assert fk_action("postgresql", "RESTRICT") != fk_action("postgresql", None)
    assert fk_action("mysql", "RESTRICT") == fk_action("mysql", None)
    assert fk_action("mysql", "cascade") == "CASCADE"


def test_type_families() -> None:
    assert type_family("postgresql", "INTEGER") == type_family("postgresql", "BIGINT")
    assert type_family("postgresql", "VARCHAR(20)") == type_family("postgresql", "TEXT")
    assert type_family("postgresql", "VARCHAR(20)") != type_family("postgresql", "INTEGER")
    assert type_key("postgresql", "numeric(10, 2)") == "NUMERIC(10,2)"


def test_computed_storage_defaults() -> None:
    assert persisted("postgresql", None) is True
    assert persisted("mysql", None) is False
    assert persisted("mysql", True) is True
