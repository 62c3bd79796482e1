"""PostgreSQL only: enum types, EXCLUDE, identity, USING, and indexes built CONCURRENTLY."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlstrata.errors import CommandError
from tests.dialects.live import inspector, live_ops, rows

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])

ENUM_TYPES = (
    "SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    "WHERE t.typtype = 'e' ORDER BY 1, 2"
)


def enum_types(engine: sa.Engine) -> list[tuple[object, ...]]:
    return rows(engine, ENUM_TYPES)


def labels(engine: sa.Engine, name: str) -> list[str]:
    found = rows(
        engine,
        "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
        f"WHERE t.typname = '{name}' ORDER BY e.enumsortorder",
    )
    return [str(label) for (label,) in found]


def status_table(op: object, name: str = "ticket") -> None:
    op.create_table(  # type: ignore[attr-defined]
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.Enum("new", "done", name="status"), server_default="new"),
        sa.Column("tags", postgresql.ARRAY(sa.Enum("red", "blue", name="colour"))),
    )


def test_downgrade_then_upgrade_recreates_the_enum_types(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        status_table(op)
    assert enum_types(engine) == [("public", "colour"), ("public", "status")]
    with live_ops(engine) as op:
        op.drop_table("ticket")
    assert enum_types(engine) == []
    with live_ops(engine) as op:
        status_table(op)
    assert labels(engine, "status") == ["new", "done"]


def test_a_shared_enum_type_is_dropped_with_its_last_table(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        status_table(op, "first")
        op.create_table(
            "second",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("status", postgresql.ENUM(name="status", create_type=False)),
        )
        op.drop_table("first")
    assert enum_types(engine) == [("public", "status")]
    with live_ops(engine) as op:
        op.drop_table("second")
    assert enum_types(engine) == []


def test_drop_table_can_keep_its_enum_types(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        status_table(op)
        op.drop_table("ticket", postgresql_drop_enums=False)
    assert enum_types(engine) == [("public", "colour"), ("public", "status")]


def test_an_enum_type_left_behind_is_reused_or_refused(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.execute("CREATE TYPE status AS ENUM ('new', 'done')")
        op.execute("CREATE TYPE colour AS ENUM ('red', 'blue')")
        status_table(op)
        op.drop_table("ticket", postgresql_drop_enums=False)
    with live_ops(engine) as op:
        status_table(op)
    assert inspector(engine).has_table("ticket")
    with live_ops(engine) as op:
        op.drop_table("ticket", postgresql_drop_enums=False)
        op.execute("DROP TYPE status")
        op.execute("CREATE TYPE status AS ENUM ('open', 'closed')")
    refused = pytest.raises(CommandError, match="exists with the values open, closed")
    with refused, live_ops(engine) as op:
        status_table(op)


def test_enum_types_in_a_schema(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.execute('CREATE SCHEMA "Shop"')
        op.create_table(
            "order",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("state", sa.Enum("a", "b", name="Order State", schema="Shop")),
            schema="Shop",
        )
    assert enum_types(engine) == [("Shop", "Order State")]
    with live_ops(engine) as op:
        op.drop_table("order", schema="Shop")
    assert enum_types(engine) == []


def test_add_and_alter_column_create_their_enum_types(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("size", sa.Text)
        )
        op.add_column("t", sa.Column("mood", sa.Enum("sad", "ok", name="mood")))
        op.alter_column(
            "t",
            "size",
            type_=sa.Enum("S", "M", name="size"),
            postgresql_using="size::size",
            existing_type=sa.Text,
        )
    types = {c["name"]: c["type"] for c in inspector(engine).get_columns("t")}
    assert (types["mood"].name, types["size"].name) == ("mood", "size")
    assert labels(engine, "mood") == ["sad", "ok"]
    assert labels(engine, "size") == ["S", "M"]


def test_enum_directives(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_enum("mood", ["sad", "ok"])
        op.add_enum_value("mood", "happy", after="ok")
        op.add_enum_value("mood", "grim", before="sad")
        op.add_enum_value("mood", "ok", if_not_exists=True)
    assert labels(engine, "mood") == ["grim", "sad", "ok", "happy"]
    with live_ops(engine) as op:
        op.drop_enum("mood")
        op.drop_enum("mood", if_exists=True)
    assert enum_types(engine) == []


def test_exclude_constraint(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "booking",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("during", postgresql.TSRANGE),
            sa.Column("cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
        )
        op.create_exclude_constraint(
            "ex_booking_overlap", "booking", ("during", "&&"), where="NOT cancelled"
        )
        op.execute("INSERT INTO booking (during) VALUES ('[2024-01-01, 2024-01-05)')")
    definition = rows(
        engine,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ex_booking_overlap'",
    )
    assert definition == [("EXCLUDE USING gist (during WITH &&) WHERE ((NOT cancelled))",)]
    with pytest.raises(sa.exc.IntegrityError), live_ops(engine) as op:
        op.execute("INSERT INTO booking (during) VALUES ('[2024-01-03, 2024-01-04)')")
    with live_ops(engine) as op:
        op.drop_constraint("ex_booking_overlap", "booking")
    assert rows(engine, "SELECT count(*) FROM pg_constraint WHERE contype = 'x'") == [(0,)]


def test_identity_autoincrement_on_and_off(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
        op.alter_column("t", "id", autoincrement=True, existing_autoincrement=False)
    assert inspector(engine).get_columns("t")[0]["identity"]["start"] == 1
    with live_ops(engine) as op:
        op.alter_column("t", "id", autoincrement=False, existing_autoincrement=True)
    assert "identity" not in inspector(engine).get_columns("t")[0]


def test_type_change_with_using(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(10))
        )
        op.execute("INSERT INTO t (id, code) VALUES (1, '42')")
        op.alter_column(
            "t", "code", type_=sa.Integer, postgresql_using="code::integer", existing_type=sa.String
        )
    assert isinstance(inspector(engine).get_columns("t")[1]["type"], sa.Integer)
    assert rows(engine, "SELECT code FROM t") == [(42,)]


def test_index_using_include_and_concurrently(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "doc",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("body", postgresql.JSONB),
            sa.Column("title", sa.Text),
        )
        op.create_index("ix_doc_body", "doc", ["body"], postgresql_using="gin")
        op.create_index("ix_doc_id", "doc", ["id"], postgresql_include=["title"])
        with op.get_context().autocommit_block():
            op.create_index("ix_doc_title", "doc", ["title"], postgresql_concurrently=True)
    indexes = {ix["name"]: ix for ix in inspector(engine).get_indexes("doc")}
    assert indexes["ix_doc_body"]["dialect_options"]["postgresql_using"] == "gin"
    assert indexes["ix_doc_id"]["dialect_options"]["postgresql_include"] == ["title"]
    assert indexes["ix_doc_title"]["column_names"] == ["title"]
    with live_ops(engine) as op, op.get_context().autocommit_block():
        op.drop_index("ix_doc_title", postgresql_concurrently=True)
    assert "ix_doc_title" not in {ix["name"] for ix in inspector(engine).get_indexes("doc")}


def test_concurrently_needs_the_autocommit_block(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
    refused = pytest.raises(sa.exc.InternalError, match="cannot run inside a transaction block")
    with refused, live_ops(engine) as op:
        op.create_index("ix_t", "t", ["id"], postgresql_concurrently=True)
