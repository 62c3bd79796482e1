"""Autogenerate against real databases, one detection at a time: the generated migration is
written, run, checked, and run back, and the data that should survive does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sqlstrata import command
from sqlstrata.autogen.directives import MigrationScript
from sqlstrata.commands.autogen import check
from sqlstrata.config import Config
from sqlstrata.errors import CommandError
from sqlstrata.ops import operations as ops
from tests.autogen.helpers import autogen_project, revision_files, ruff_problems


def migrate(config: Config, metadata: sa.MetaData, message: str = "auto", **kw: Any) -> str:
    """Autogenerate against ``metadata``, upgrade, check; return the script's text."""
    config.attributes["target_metadata"] = metadata
    path = command.revision(config, message, autogenerate=True, **kw)
    assert path is not None
    assert not ruff_problems(path), ruff_problems(path)
    command.upgrade(config, "head")
    pending = check(config).changes
    assert not pending, [c.description for c in pending]
    return path.read_text()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def run(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def people(*columns: sa.Column[Any], table: str = "person", **kw: Any) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(table, md, sa.Column("id", sa.Integer, primary_key=True), *columns, **kw)
    return md


def test_create_alter_and_back(tmp_path: Path, db_url: str, backend: str) -> None:
    """Type, nullability, default and comment changes; SQLite rebuilds the table (batch)."""
    config = autogen_project(tmp_path, db_url)
    migrate(config, people(sa.Column("name", sa.String(20), nullable=True)))
    run(db_url, "INSERT INTO person (id, name) VALUES (1, 'ann')")
    text = migrate(
        config,
        people(sa.Column("name", sa.String(40), nullable=False, server_default="x", comment="n")),
    )
    assert ("batch_op.alter_column(" if backend == "sqlite" else "op.alter_column(") in text
    assert rows(db_url, "SELECT name FROM person") == [("ann",)]
    command.downgrade(config, "-1")
    assert rows(db_url, "SELECT name FROM person") == [("ann",)]


def test_renamed_column_keeps_its_data(tmp_path: Path, db_url: str) -> None:
    config = autogen_project(tmp_path, db_url)
    migrate(config, people(sa.Column("name", sa.String(20))))
    run(db_url, "INSERT INTO person (id, name) VALUES (1, 'ann')")
    asked: list[str] = []

    def ask(candidate: Any) -> bool:
        asked.append(candidate.question)
        return True

    text = migrate(config, people(sa.Column("full_name", sa.String(20))), ask=ask)
    assert asked == ["Was person.name renamed to person.full_name?"]
    assert 'new_column_name="full_name"' in text
    assert rows(db_url, "SELECT full_name FROM person") == [("ann",)]
    command.downgrade(config, "-1")
    assert rows(db_url, "SELECT name FROM person") == [("ann",)]


def test_renamed_table_keeps_its_data(tmp_path: Path, db_url: str) -> None:
    config = autogen_project(tmp_path, db_url)
    migrate(config, people(sa.Column("name", sa.String(20))))
    run(db_url, "INSERT INTO person (id, name) VALUES (1, 'ann')")
    text = migrate(
        config, people(sa.Column("name", sa.String(20)), table="human"), renames=["person:human"]
    )
    assert 'op.rename_table("person", "human")' in text
    assert rows(db_url, "SELECT name FROM human") == [("ann",)]


def test_non_interactive_rename_candidate_warns_or_fails(tmp_path: Path, db_url: str) -> None:
    config = autogen_project(tmp_path, db_url)
    migrate(config, people(sa.Column("name", sa.String(20))))
    config.attributes["target_metadata"] = people(sa.Column("full_name", sa.String(20)))
    with pytest.raises(CommandError, match="--strict-renames"):
        command.revision(config, "strict", autogenerate=True, strict_renames=True)
    assert len(revision_files(config)) == 1
    path = command.revision(config, "loud", autogenerate=True)
    assert path is not None
    text = path.read_text()
    comment = " ".join(line.strip()[2:] for line in text.splitlines() if line.strip()[:2] == "# ")
    assert "WARNING: column person.name is dropped and 'full_name' added." in comment
    assert "LOSES THE DATA" in comment and "--rename person.name:full_name" in comment


def test_postgresql_enum_values(tmp_path: Path, db_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("named enum types are PostgreSQL's")

    def model(*values: str) -> sa.MetaData:
        return people(sa.Column("mood", sa.Enum(*values, name="mood"), server_default=values[0]))

    config = autogen_project(tmp_path, db_url)
    text = migrate(config, model("sad", "ok"))
    assert text.index("op.create_enum(") < text.index("op.create_table(")
    run(db_url, "INSERT INTO person (id, mood) VALUES (1, 'ok')")
    text = migrate(config, model("sad", "ok", "happy"))
    assert "with op.get_context().autocommit_block():" in text
    assert 'op.add_enum_value("mood", "happy", after="ok")' in text
    text = migrate(config, model("ok", "happy"))
    assert 'op.execute("ALTER TYPE mood RENAME TO mood_old")' in text
    assert rows(db_url, "SELECT mood::text FROM person") == [("ok",)]
    command.downgrade(config, "-1")
    command.downgrade(config, "-1")
    labels = rows(db_url, "SELECT enumlabel FROM pg_enum ORDER BY enumsortorder")
    assert labels == [("sad",), ("ok",)]
    assert rows(db_url, "SELECT mood::text FROM person") == [("ok",)]
    command.downgrade(config, "base")
    assert rows(db_url, "SELECT typname FROM pg_type WHERE typname = 'mood'") == []


def test_sequences(tmp_path: Path, db_url: str, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite has no sequences")
    md = people()
    sa.Sequence("ticket_no", start=100, metadata=md)
    config = autogen_project(tmp_path, db_url)
    text = migrate(config, md)
    assert 'op.create_sequence("ticket_no", start=100)' in text
    text = migrate(config, people())
    assert 'op.drop_sequence("ticket_no")' in text


def test_identity_and_computed_columns(tmp_path: Path, db_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL identity columns")
    config = autogen_project(tmp_path, db_url)
    migrate(
        config, people(sa.Column("n", sa.Integer), sa.Column("c", sa.Integer, sa.Computed("n * 2")))
    )
    text = migrate(
        config,
        people(
            sa.Column("n", sa.Integer, sa.Identity(start=5)),
            sa.Column("c", sa.Integer, sa.Computed("n * 3")),
        ),
    )
    assert (
        "ADD GENERATED BY DEFAULT AS IDENTITY " in text and "(START WITH 5 INCREMENT BY 1)" in text
    )
    assert 'sa.Computed("n * 3"' in text
    command.downgrade(config, "-1")


def test_include_name_filters_before_reflection(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(db_url, "CREATE TABLE legacy (id INTEGER PRIMARY KEY)")
    config = autogen_project(tmp_path, db_url)
    asked: list[tuple[str | None, str]] = []

    def include_name(name: str | None, type_: str, parents: Any) -> bool:
        asked.append((name, type_))
        return not (type_ == "table" and name == "legacy")

    reflected: list[Any] = []
    original = sa.engine.reflection.Inspector.get_multi_columns

    def spy(self: Any, *args: Any, **kw: Any) -> Any:
        found = original(self, *args, **kw)
        reflected.extend(name for _, name in found)
        return found

    monkeypatch.setattr(sa.engine.reflection.Inspector, "get_multi_columns", spy)
    config.attributes["configure"] = {"include_name": include_name}
    text = migrate(config, people())
    assert ("legacy", "table") in asked
    assert "legacy" not in reflected and "person" in reflected
    assert "legacy" not in text


def test_include_object(tmp_path: Path, db_url: str) -> None:
    run(db_url, "CREATE TABLE legacy (id INTEGER PRIMARY KEY)")
    md = people()
    sa.Table("skipped", md, sa.Column("id", sa.Integer, primary_key=True), info={"skip": True})
    seen: list[tuple[str, str, bool]] = []

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        seen.append((name, type_, reflected))
        if type_ == "table":
            return not (reflected or obj.info.get("skip"))
        return True

    config = autogen_project(tmp_path, db_url)
    config.attributes["configure"] = {"include_object": include_object}
    text = migrate(config, md)
    assert ("legacy", "table", True) in seen and ("skipped", "table", False) in seen
    assert "legacy" not in text and "skipped" not in text and '"person"' in text


def test_extension_and_own_tables_are_never_dropped(
    tmp_path: Path, db_url: str, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("extensions are PostgreSQL's")
    run(
        db_url,
        "CREATE EXTENSION IF NOT EXISTS hstore",
        "CREATE TABLE spatial_ref_sys (srid INTEGER PRIMARY KEY)",
        "ALTER EXTENSION hstore ADD TABLE spatial_ref_sys",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
    )
    config = autogen_project(tmp_path, db_url)
    try:
        text = migrate(config, people())
        assert "spatial_ref_sys" not in text and "alembic_version" not in text
        assert "strata_version" not in text
    finally:
        run(db_url, "ALTER EXTENSION hstore DROP TABLE spatial_ref_sys", "DROP EXTENSION hstore")


def test_include_schemas(tmp_path: Path, db_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("schemas on PostgreSQL")
    run(db_url, "CREATE SCHEMA other", "CREATE TABLE other.stray (id INTEGER PRIMARY KEY)")
    md = people()
    sa.Table("log", md, sa.Column("id", sa.Integer, primary_key=True), schema="other")
    config = autogen_project(tmp_path, db_url)
    text = migrate(config, people())
    assert "other" not in text  # without include_schemas only the default schema counts
    config.attributes["configure"] = {"include_schemas": True}
    text = migrate(config, md)
    assert 'op.create_table(\n        "log",' in text and 'schema="other"' in text
    assert 'op.drop_table("stray", schema="other")' in text


def test_process_revision_directives(tmp_path: Path, db_url: str) -> None:
    import dataclasses

    config = autogen_project(tmp_path, db_url)

    def skip_empty(context: Any, revision: Any, directives: list[MigrationScript]) -> None:
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []

    config.attributes["configure"] = {"process_revision_directives": skip_empty}
    config.attributes["target_metadata"] = sa.MetaData()
    assert command.revision(config, "nothing", autogenerate=True) is None
    assert revision_files(config) == []

    def rewrite(context: Any, revision: Any, directives: list[MigrationScript]) -> list[Any]:
        (script,) = directives
        extra = ops.ExecuteSQL("SELECT 1")
        upgrade = dataclasses.replace(script.upgrade_ops, ops=(*script.upgrade_ops.ops, extra))
        return [dataclasses.replace(script, message="rewritten", upgrade_ops=upgrade)]

    config.attributes["configure"] = {}
    text = migrate(config, people(), process_revision_directives=rewrite)
    assert text.startswith('"""rewritten') and 'op.execute("SELECT 1")' in text


def test_comparator_plugins(tmp_path: Path, db_url: str) -> None:
    from sqlstrata.autogen.plugins import ComparisonContext

    calls: list[str] = []

    def views(context: ComparisonContext) -> list[ops.Operation]:
        calls.append(context.direction)
        sql = "SELECT 1" if context.direction == "upgrade" else "SELECT 2"
        return [ops.ExecuteSQL(sql)]

    config = autogen_project(tmp_path, db_url)
    config.attributes["configure"] = {"comparators": [views]}
    config.attributes["target_metadata"] = people()
    path = command.revision(config, "plugin", autogenerate=True)
    assert path is not None
    text = path.read_text()
    assert calls == ["upgrade", "downgrade"]
    assert text.index('op.execute("SELECT 1")') < text.index("def downgrade")
    assert text.index('op.execute("SELECT 2")') > text.index("def downgrade")


def test_refuses_when_not_at_head_or_without_metadata(tmp_path: Path, db_url: str) -> None:
    config = autogen_project(tmp_path, db_url)
    with pytest.raises(CommandError, match="no target_metadata"):
        command.revision(config, "x", autogenerate=True)
    config.attributes["target_metadata"] = people()
    command.revision(config, "first", autogenerate=True)
    with pytest.raises(CommandError, match="not up to date"):
        command.revision(config, "second", autogenerate=True)
    with pytest.raises(CommandError, match="--sql"):
        command.revision(config, "offline", autogenerate=True, sql=True)


def test_multidb_template_fills_each_database(tmp_path: Path) -> None:
    from sqlstrata.commands.init import init

    ini = tmp_path / "strata.ini"
    init(tmp_path / "migrations", "multidb", config_file=ini)
    ini.write_text(
        ini.read_text()
        .replace("%(here)s/engine1.db", str(tmp_path / "one.db"))
        .replace("%(here)s/engine2.db", str(tmp_path / "two.db"))
    )
    env = tmp_path / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = {}", 'target_metadata = config.attributes["target_metadata"]'
        )
    )
    config = Config(ini)
    one, two = people(table="one"), people(table="two")
    config.attributes["target_metadata"] = {"engine1": one, "engine2": two}
    path = command.revision(config, "split", autogenerate=True)
    assert path is not None
    text = path.read_text()
    first = text[text.index("def upgrade_engine1") : text.index("def downgrade_engine1")]
    second = text[text.index("def upgrade_engine2") : text.index("def downgrade_engine2")]
    assert 'op.create_table(\n        "one",' in first and '"two"' not in first
    assert 'op.create_table(\n        "two",' in second and '"one"' not in second
    command.upgrade(config, "head")
    assert not check(config).changes


def test_reflection_is_one_round_of_queries_per_kind(db_url: str, backend: str) -> None:
    """On PostgreSQL the number of queries does not grow with the number of tables. MySQL's
    SQLAlchemy dialect reads each table's SHOW CREATE TABLE once for every kind of object;
    SQLite's reflects table by table and is left out."""
    if backend == "sqlite":
        pytest.skip("SQLAlchemy's SQLite dialect has no bulk reflection")
    from sqlstrata.autogen.reflect import reflect

    def queries(tables: int) -> int:
        md = sa.MetaData()
        for i in range(tables):
            sa.Table(
                f"q{i}",
                md,
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(10), index=True, unique=i % 2 == 0),
                sa.Column("prev", sa.Integer, sa.ForeignKey(f"q{max(i - 1, 0)}.id")),
            )
        engine = sa.create_engine(db_url)
        count = 0

        def counter(*args: Any) -> None:
            nonlocal count
            count += 1

        try:
            with engine.begin() as conn:
                md.drop_all(conn)
                md.create_all(conn)
            with engine.connect() as conn:
                sa.event.listen(conn, "before_cursor_execute", counter)
                snapshot = reflect(conn)
            assert len([t for t in snapshot.tables if t.name.startswith("q")]) == tables
            with engine.begin() as conn:
                md.drop_all(conn)
        finally:
            engine.dispose()
        return count

    few, many = queries(3), queries(25)
    if backend == "postgresql":
        assert few == many
    else:
        assert many - few <= 25 - 3
