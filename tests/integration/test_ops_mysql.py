"""MySQL/MariaDB only: columns restated from existing_*, index lengths and prefixes,
constraints dropped by kind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sqlstrata.errors import CommandError
from tests.dialects.live import inspector, live_ops, rows

pytestmark = pytest.mark.parametrize("backend", ["mysql"])


def make_table(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("code", sa.String(10), nullable=False, server_default="x", comment="kept"),
            sa.Column("body", sa.Text),
        )


def test_modify_keeps_what_the_existing_arguments_say(engine: sa.Engine) -> None:
    make_table(engine)
    with live_ops(engine) as op:
        op.alter_column(
            "t",
            "code",
            type_=sa.String(30),
            existing_type=sa.String(10),
            existing_nullable=False,
            existing_server_default="x",
            existing_comment="kept",
        )
    code = inspector(engine).get_columns("t")[1]
    assert (code["type"].length, code["nullable"], code["default"], code["comment"]) == (
        30,
        False,
        "'x'",
        "kept",
    )


def test_change_renames_and_keeps_auto_increment(engine: sa.Engine) -> None:
    make_table(engine)
    with live_ops(engine) as op:
        op.alter_column(
            "t",
            "id",
            new_column_name="t_id",
            existing_type=sa.Integer,
            existing_nullable=False,
            existing_autoincrement=True,
        )
        op.execute("INSERT INTO t (code) VALUES ('a')")
    first = inspector(engine).get_columns("t")[0]
    assert (first["name"], first["autoincrement"], first["nullable"]) == ("t_id", True, False)
    assert rows(engine, "SELECT t_id FROM t") == [(1,)]


def test_comment_change_restates_the_column(engine: sa.Engine) -> None:
    make_table(engine)
    with live_ops(engine) as op:
        op.alter_column(
            "t",
            "code",
            comment="new words",
            existing_type=sa.String(10),
            existing_nullable=False,
            existing_server_default="x",
        )
    code = inspector(engine).get_columns("t")[1]
    assert (code["comment"], code["nullable"], code["default"]) == ("new words", False, "'x'")


def test_missing_existing_type_is_a_clear_error(engine: sa.Engine) -> None:
    make_table(engine)
    with pytest.raises(CommandError, match="existing_type is not given"), live_ops(engine) as op:
        op.alter_column("t", "code", nullable=True)
    assert inspector(engine).get_columns("t")[1]["nullable"] is False


def test_index_lengths_and_prefix(engine: sa.Engine) -> None:
    make_table(engine)
    with live_ops(engine) as op:
        op.create_index("ix_t_body", "t", ["body", "code"], mysql_length={"body": 20})
        op.create_index("ft_t_body", "t", ["body"], mysql_prefix="FULLTEXT")
    indexes = {ix["name"]: ix for ix in inspector(engine).get_indexes("t")}
    assert indexes["ix_t_body"]["dialect_options"]["mysql_length"] == {"body": 20}
    assert indexes["ft_t_body"]["dialect_options"]["mysql_prefix"] == "FULLTEXT"
    with live_ops(engine) as op:
        op.drop_index("ft_t_body", "t")
    assert "ft_t_body" not in {ix["name"] for ix in inspector(engine).get_indexes("t")}


def test_drop_constraint_needs_its_kind(engine: sa.Engine) -> None:
    make_table(engine)
    with live_ops(engine) as op:
        op.create_unique_constraint("uq_t_code", "t", ["code"])
    with pytest.raises(CommandError, match="its type is not given"), live_ops(engine) as op:
        op.drop_constraint("uq_t_code", "t")
    with live_ops(engine) as op:
        op.drop_constraint("uq_t_code", "t", type_="unique")
        op.drop_constraint("uq_t_code", "t", type_="unique", if_exists=True)
    assert inspector(engine).get_unique_constraints("t") == []
