"""Each batch directive on real SQLite (rebuilt), PostgreSQL and MariaDB (in place with
recreate="auto", rebuilt with recreate="always"), checked by reflecting the schema back.

Every test also checks what the batch must not lose: the rows, the primary key, and the
foreign key of ``tx`` that points at the batched table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from sqlstrata.batch import BatchOperations
from tests.dialects.live import inspector, live_ops, rows

ROWS = [(1, "ann", 1, 10), (2, "bob", None, 20), (3, "cy", 2, 0)]


@pytest.fixture(params=["auto", "always"])
def recreate(request: pytest.FixtureRequest) -> str:
    """SQLite rebuilds with "auto" whatever it cannot alter, and with "always" everything."""
    return str(request.param)


@pytest.fixture(autouse=True)
def tables(engine: sa.Engine) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "person",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(20)),
        )
        op.create_table(
            "account",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50), nullable=False, server_default="anon"),
            sa.Column("owner_id", sa.Integer, sa.ForeignKey("person.id", name="fk_owner")),
            sa.Column("balance", sa.Integer, nullable=False, server_default="0"),
            sa.UniqueConstraint("name", name="uq_account_name"),
            sa.CheckConstraint("balance >= 0", name="ck_account_balance"),
            sa.Index("ix_account_owner", "owner_id"),
            sa.Index("ix_account_name_balance", "name", "balance"),
        )
        op.create_table(
            "tx",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", name="fk_tx_account")),
        )
        op.execute("INSERT INTO person (id, name) VALUES (1, 'p1'), (2, 'p2')")
        op.execute(
            "INSERT INTO account (id, name, owner_id, balance) VALUES "
            "(1, 'ann', 1, 10), (2, 'bob', NULL, 20), (3, 'cy', 2, 0)"
        )
        op.execute("INSERT INTO tx (id, account_id) VALUES (1, 1), (2, 3)")


@contextmanager
def batch(engine: sa.Engine, recreate: str, **kw: Any) -> Iterator[BatchOperations]:
    with live_ops(engine) as op, op.batch_alter_table("account", recreate=recreate, **kw) as b:
        yield b


def columns(engine: sa.Engine, table: str = "account") -> dict[str, dict[str, Any]]:
    return {c["name"]: dict(c) for c in inspector(engine).get_columns(table)}


def nothing_lost(engine: sa.Engine, *, columns: str = "id, name, owner_id, balance") -> None:
    """The rows, the primary key and the foreign key of tx are still there."""
    look = inspector(engine)
    assert look.get_pk_constraint("account")["constrained_columns"] == ["id"]
    (fk,) = look.get_foreign_keys("tx")
    assert (fk["referred_table"], fk["referred_columns"]) == ("account", ["id"])
    found = rows(engine, f"SELECT {columns} FROM account ORDER BY id")
    assert found == [row[: len(found[0])] for row in ROWS]
    assert rows(engine, "SELECT id, account_id FROM tx ORDER BY id") == [(1, 1), (2, 3)]


def uniques(engine: sa.Engine) -> set[str]:
    found = {str(u["name"]) for u in inspector(engine).get_unique_constraints("account")}
    if engine.dialect.name == "mysql":  # unique constraints are unique indexes there
        found |= {str(i["name"]) for i in inspector(engine).get_indexes("account") if i["unique"]}
    return found


def checks(engine: sa.Engine) -> dict[str | None, str]:
    return {c["name"]: c["sqltext"] for c in inspector(engine).get_check_constraints("account")}


def test_add_column(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.add_column(sa.Column("note", sa.String(20), nullable=False, server_default="none"))
        b.add_column(
            sa.Column("manager_id", sa.Integer, sa.ForeignKey("person.id", name="fk_manager"))
        )
    cols = columns(engine)
    assert list(cols)[-2:] == ["note", "manager_id"]
    assert cols["note"]["nullable"] is False
    assert rows(engine, "SELECT note FROM account") == [("none",)] * 3
    referred = {
        fk["name"]: fk["referred_table"] for fk in inspector(engine).get_foreign_keys("account")
    }
    if engine.dialect.name == "sqlite" and recreate == "auto" and "fk_manager" not in referred:
        referred["fk_manager"] = referred.pop(None)  # SQLite reflection misses inline names
    assert referred["fk_manager"] == "person"
    nothing_lost(engine)


def test_add_column_in_position(engine: sa.Engine, recreate: str) -> None:
    if engine.dialect.name != "sqlite" and recreate == "auto":
        pytest.skip("positions apply when the table is rebuilt")
    with batch(engine, recreate) as b:
        b.add_column(sa.Column("note", sa.Text), insert_after="name")
        b.add_column(sa.Column("first", sa.Integer), insert_before="id")
    assert list(columns(engine)) == ["first", "id", "name", "note", "owner_id", "balance"]
    nothing_lost(engine)


def test_partial_reordering(engine: sa.Engine, recreate: str) -> None:
    if engine.dialect.name != "sqlite" and recreate == "auto":
        pytest.skip("positions apply when the table is rebuilt")
    with batch(engine, recreate, partial_reordering=[("balance", "name")]):
        pass
    assert list(columns(engine)) == ["id", "owner_id", "balance", "name"]
    nothing_lost(engine)


def test_drop_column(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.drop_column("balance")
    assert list(columns(engine)) == ["id", "name", "owner_id"]
    assert "ck_account_balance" not in checks(engine)
    nothing_lost(engine, columns="id, name, owner_id")


def test_alter_column(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.alter_column("name", type_=sa.String(100), server_default="nobody", comment="who")
        b.alter_column("owner_id", nullable=True, new_column_name="holder_id")
        b.alter_column("balance", type_=sa.BigInteger, server_default=None, nullable=True)
    cols = columns(engine)
    assert list(cols) == ["id", "name", "holder_id", "balance"]
    assert cols["name"]["type"].length == 100
    assert "nobody" in str(cols["name"]["default"])
    assert cols["balance"]["nullable"] is True
    assert cols["balance"]["default"] is None
    assert isinstance(cols["balance"]["type"], sa.BigInteger)
    if engine.dialect.name != "sqlite":
        assert cols["name"]["comment"] == "who"
    (fk,) = inspector(engine).get_foreign_keys("account")
    assert fk["constrained_columns"] == ["holder_id"]
    assert "ix_account_owner" in {ix["name"] for ix in inspector(engine).get_indexes("account")}
    assert any("balance" in str(text) for text in checks(engine).values())
    nothing_lost(engine, columns="id, name, holder_id, balance")


def test_alter_column_not_null(engine: sa.Engine, recreate: str) -> None:
    with live_ops(engine) as op:
        op.execute("UPDATE account SET owner_id = 1 WHERE owner_id IS NULL")
    with batch(engine, recreate) as b:
        b.alter_column("owner_id", nullable=False, existing_type=sa.Integer)
    assert columns(engine)["owner_id"]["nullable"] is False


def test_primary_key(engine: sa.Engine, recreate: str) -> None:
    with live_ops(engine) as op:
        op.create_table(
            "link", sa.Column("a", sa.Integer, nullable=False), sa.Column("b", sa.Integer)
        )
        op.execute("INSERT INTO link (a, b) VALUES (1, 2), (2, 3)")
    with live_ops(engine) as op, op.batch_alter_table("link", recreate=recreate) as b:
        b.create_primary_key("pk_link", ["a"])
    assert inspector(engine).get_pk_constraint("link")["constrained_columns"] == ["a"]
    assert rows(engine, "SELECT a, b FROM link ORDER BY a") == [(1, 2), (2, 3)]


def test_create_and_drop_foreign_key(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.drop_constraint("fk_owner", type_="foreignkey")
    assert inspector(engine).get_foreign_keys("account") == []
    with batch(engine, recreate) as b:
        b.create_foreign_key("fk_owner2", "person", ["owner_id"], ["id"], ondelete="CASCADE")
    (fk,) = inspector(engine).get_foreign_keys("account")
    assert (fk["referred_table"], fk["constrained_columns"]) == ("person", ["owner_id"])
    assert fk["options"]["ondelete"] == "CASCADE"
    if engine.dialect.name != "sqlite":
        assert fk["name"] == "fk_owner2"
    nothing_lost(engine)


def test_unique_constraints(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.drop_constraint("uq_account_name", type_="unique")
        b.create_unique_constraint("uq_name_owner", ["name", "owner_id"])
    assert uniques(engine) == {"uq_name_owner"}
    nothing_lost(engine)


def test_check_constraints(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.drop_constraint("ck_account_balance", type_="check")
        b.create_check_constraint("ck_balance_small", "balance < 1000")
    found = checks(engine)
    assert "ck_account_balance" not in found
    assert "1000" in found["ck_balance_small"]
    with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError):
        connection.exec_driver_sql("UPDATE account SET balance = 5000 WHERE id = 1")
    nothing_lost(engine)


def test_indexes(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.drop_index("ix_account_name_balance")
        b.create_index("ix_account_balance", ["balance"], unique=True)
    found = {ix["name"]: ix for ix in inspector(engine).get_indexes("account")}
    assert "ix_account_name_balance" not in found
    assert found["ix_account_owner"]["column_names"] == ["owner_id"]
    assert found["ix_account_balance"]["column_names"] == ["balance"]
    assert found["ix_account_balance"]["unique"]
    nothing_lost(engine)


def test_table_comment(engine: sa.Engine, recreate: str) -> None:
    with batch(engine, recreate) as b:
        b.create_table_comment("accounts")
    if engine.dialect.name != "sqlite":
        assert inspector(engine).get_table_comment("account")["text"] == "accounts"
    with batch(engine, recreate) as b:
        b.drop_table_comment(existing_comment="accounts")
    if engine.dialect.name != "sqlite":  # SQLite has no comments
        assert not inspector(engine).get_table_comment("account")["text"]
    nothing_lost(engine)


def test_in_place_on_mysql_fills_in_existing_values(engine: sa.Engine) -> None:
    if engine.dialect.name != "mysql":
        pytest.skip("MySQL restates columns")
    with batch(engine, "auto") as b:
        b.alter_column("name", type_=sa.String(80))
        b.alter_column("name", new_column_name="label")
        b.alter_column("label", comment="who")
        b.alter_column("label", new_column_name="name")
    cols = columns(engine)
    assert cols["name"]["type"].length == 80
    assert cols["name"]["comment"] == "who"
    assert cols["name"]["nullable"] is False  # not restated as NULL
    assert "anon" in str(cols["name"]["default"])


def test_in_place_on_mysql_finds_the_constraint_type(engine: sa.Engine) -> None:
    if engine.dialect.name != "mysql":
        pytest.skip("MySQL drops each kind of constraint differently")
    with batch(engine, "auto") as b:
        b.drop_constraint("uq_account_name")
        b.drop_constraint("ck_account_balance")
        b.drop_constraint("fk_owner")
    assert uniques(engine) == set()
    assert "ck_account_balance" not in checks(engine)
    assert inspector(engine).get_foreign_keys("account") == []
