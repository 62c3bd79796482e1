"""Regression tests for spurious diffs: a schema created from the models and reflected back
compares equal to the models. Each case is a known false positive (several reported against
Alembic): reflected type spellings, normalised server defaults, and reflected index and
constraint details."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from sqlstrata.autogen.describe import describe
from sqlstrata.autogen.produce import compare_metadata


def pending(engine: sa.Engine, metadata: sa.MetaData) -> list[str]:
    """Create ``metadata`` with create_all and return what autogenerate would still change."""
    with engine.begin() as conn:
        metadata.create_all(conn)
    with engine.connect() as conn:
        return [describe(op).description for op in compare_metadata(conn, metadata)]


def model(*items: sa.SchemaItem, name: str = "t", **kw: object) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(name, md, sa.Column("id", sa.Integer, primary_key=True), *items, **kw)
    return md


def test_common_types(engine: sa.Engine) -> None:
    """VARCHAR vs String, INTEGER vs Integer, MySQL INTEGER(11), BIGINT(20), DECIMAL vs
    Numeric, TINYINT(1) vs Boolean, PostgreSQL TIMESTAMP WITHOUT TIME ZONE vs DateTime and
    DOUBLE PRECISION vs Float, MariaDB LONGTEXT vs JSON, Uuid."""
    md = model(
        sa.Column("s", sa.String(50)),
        sa.Column("u", sa.Unicode(20)),
        sa.Column("txt", sa.Text),
        sa.Column("i", sa.Integer),
        sa.Column("bi", sa.BigInteger),
        sa.Column("si", sa.SmallInteger),
        sa.Column("b", sa.Boolean),
        sa.Column("n", sa.Numeric(10, 2)),
        sa.Column("f", sa.Float),
        sa.Column("d", sa.Date),
        sa.Column("dt", sa.DateTime),
        sa.Column("dtz", sa.DateTime(timezone=True)),
        sa.Column("tm", sa.Time),
        sa.Column("j", sa.JSON),
        sa.Column("uid", sa.Uuid),
        sa.Column("bin", sa.LargeBinary),
        sa.Column("e", sa.Enum("a", "bb", name="t_e")),
    )
    assert pending(engine, md) == []


def test_server_defaults(engine: sa.Engine) -> None:
    """PostgreSQL's casts ('abc'::character varying, '-1'::integer), now() written as
    CURRENT_TIMESTAMP, MySQL's current_timestamp() and quoted numbers, booleans as 0/1."""
    md = model(
        sa.Column("s", sa.String(20), server_default="abc"),
        sa.Column("q", sa.String(20), server_default="it's"),
        sa.Column("i", sa.Integer, server_default="0"),
        sa.Column("neg", sa.Integer, server_default=sa.text("-1")),
        sa.Column("n", sa.Numeric(10, 2), server_default="1.50"),
        sa.Column("b", sa.Boolean, server_default=sa.false()),
        sa.Column("bt", sa.Boolean, server_default=sa.true()),
        sa.Column("now", sa.DateTime, server_default=sa.func.now()),
        sa.Column("cts", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("d", sa.Date, server_default="2020-01-02"),
    )
    assert pending(engine, md) == []


def test_serial_and_autoincrement_keys(engine: sa.Engine) -> None:
    """PostgreSQL's nextval('t_id_seq'::regclass) default of a serial key; MySQL's
    AUTO_INCREMENT."""
    md = model(sa.Column("x", sa.Integer))
    assert pending(engine, md) == []


def test_constraints_and_indexes(engine: sa.Engine, backend: str) -> None:
    """Unique constraints that are also indexes (PostgreSQL reports both, MySQL reports a
    unique index as a constraint), MySQL's own index behind a foreign key, CHECKs the
    database rewrites, partial indexes whose predicate comes back in parentheses, and the
    default index options PostgreSQL reports (empty INCLUDE, btree)."""
    md = sa.MetaData()
    sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "child",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
        sa.Column("code", sa.String(10), unique=True),
        sa.Column("name", sa.String(20)),
        sa.Column("n", sa.Integer),
        sa.UniqueConstraint("name", "n", name="uq_child_name_n"),
        sa.CheckConstraint("n > -5", name="ck_child_n"),
        sa.CheckConstraint("length(name) > 0", name="ck_child_name"),
        sa.Index("ix_child_n", "n", unique=True),
        sa.Index(
            "ix_child_partial",
            "name",
            postgresql_where=sa.text("n > 0"),
            sqlite_where=sa.text("n > 0"),
        ),
    )
    assert pending(engine, md) == []


def test_expression_indexes(engine: sa.Engine, backend: str) -> None:
    """PostgreSQL's lower(name::text); SQLite's expression indexes, which SQLAlchemy does
    not reflect."""
    if backend == "mysql":
        pytest.skip("MariaDB has no expression indexes")
    md = model(
        sa.Column("name", sa.String(20)),
        sa.Index("ix_t_lower", sa.func.lower(sa.column("name"))),
    )
    assert pending(engine, md) == []


def test_postgresql_specifics(engine: sa.Engine, backend: str) -> None:
    """Enum types, arrays, JSONB, GIN indexes, INCLUDE, deferrable foreign keys,
    identity and computed columns, comments."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL types")
    md = sa.MetaData()
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "t",
        md,
        sa.Column("id", sa.Integer, sa.Identity(start=10), primary_key=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(10))),
        sa.Column("doc", postgresql.JSONB),
        sa.Column("mood", postgresql.ENUM("a", "b", name="mood")),
        sa.Column("p_id", sa.Integer, sa.ForeignKey("p.id", deferrable=True, initially="DEFERRED")),
        sa.Column("twice", sa.Integer, sa.Computed("p_id * 2")),
        sa.Column("note", sa.Text, comment="about"),
        sa.Index("ix_t_doc", "doc", postgresql_using="gin"),
        sa.Index("ix_t_p", "p_id", postgresql_include=["note"]),
        comment="table t",
    )
    assert pending(engine, md) == []


def test_mysql_specifics(engine: sa.Engine, backend: str) -> None:
    """Table options, comments, unsigned and sized types, computed columns."""
    if backend != "mysql":
        pytest.skip("MySQL types")
    from sqlalchemy.dialects import mysql

    md = model(
        sa.Column("u", mysql.INTEGER(unsigned=True)),
        sa.Column("ts", mysql.DATETIME(fsp=3)),
        sa.Column("txt", mysql.MEDIUMTEXT),
        sa.Column("e", mysql.ENUM("x", "y")),
        sa.Column("twice", sa.Integer, sa.Computed("u * 2")),
        sa.Column("c", sa.String(10), comment="a comment"),
        mysql_engine="InnoDB",
        comment="table comment",
    )
    assert pending(engine, md) == []
