"""Configuration in pyproject.toml: [tool.strata] and Alembic's [tool.alembic]."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqlstrata.config import Config
from sqlstrata.errors import ConfigError

FULL = """\
[tool.strata]
script_location = "%(here)s/migrations"
version_locations = ["%(here)s/versions", "more versions"]
prepend_sys_path = [".", "src"]
recursive_version_locations = true
revision_environment = true
sourceless = false
file_template = "%%(year)d_%%(rev)s_%%(slug)s"
timezone = "UTC"
truncate_slug_length = 20
output_encoding = "latin-1"
sqlalchemy_url = "postgresql://scott:tiger@${DB_HOST}/app"
version_table = "deploys"
version_table_schema = "ops"
databases = "one, two"

[[tool.strata.post_write_hooks]]
name = "black"
type = "console_scripts"
entrypoint = "black"
options = "-l 79 REVISION_SCRIPT_FILENAME"

[[tool.strata.post_write_hooks]]
name = "ruff"
type = "exec"
executable = "%(here)s/.venv/bin/ruff"

[tool.strata.one]
"sqlalchemy.url" = "sqlite:///%(here)s/${DB_NAME}.db"
echo = true
"""


def pyproject(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_with_toml_types(tmp_path: Path) -> None:
    config = Config(toml_file=pyproject(tmp_path, FULL), environ={"DB_HOST": "db"})

    assert config.config_file_name is None
    assert config.script_location == tmp_path / "migrations"
    assert config.version_locations == (tmp_path / "versions", Path("more versions"))
    assert config.prepend_sys_path == (".", "src")
    assert config.recursive_version_locations is True
    assert config.revision_environment is True
    assert config.sourceless is False
    assert config.file_template == "%(year)d_%(rev)s_%(slug)s"
    assert config.timezone == "UTC"
    assert config.truncate_slug_length == 20
    assert config.output_encoding == "latin-1"
    assert config.sqlalchemy_url == "postgresql://scott:tiger@db/app"
    assert config.version_table == "deploys"
    assert config.version_table_schema == "ops"
    assert not config.has_logging_config
    assert not config.alembic_compatible


def test_post_write_hooks_list_of_tables(tmp_path: Path) -> None:
    config = Config(toml_file=pyproject(tmp_path, FULL))
    assert config.post_write_hooks == {
        "hooks": "black, ruff",
        "black.type": "console_scripts",
        "black.entrypoint": "black",
        "black.options": "-l 79 REVISION_SCRIPT_FILENAME",
        "ruff.type": "exec",
        "ruff.executable": f"{tmp_path}/.venv/bin/ruff",
    }
    assert config.get_section("post_write_hooks") == config.post_write_hooks


def test_alembic_api_over_toml_values(tmp_path: Path) -> None:
    config = Config(toml_file=pyproject(tmp_path, FULL), environ={"DB_HOST": "db"})
    assert config.get_main_option("databases") == "one, two"
    assert config.get_main_option("recursive_version_locations") == "true"
    assert config.get_main_option("truncate_slug_length") == "20"
    assert config.get_main_option("prepend_sys_path") == ". src"
    assert config.get_main_option("sqlalchemy.url") == "postgresql://scott:tiger@db/app"
    main = config.get_section("strata", {})
    assert main["sqlalchemy.url"] == "postgresql://scott:tiger@db/app"
    assert main["script_location"] == f"{tmp_path}/migrations"
    assert "post_write_hooks" not in main
    assert "one" not in main


def test_sub_table_is_a_section(tmp_path: Path) -> None:
    config = Config(toml_file=pyproject(tmp_path, FULL), environ={"DB_NAME": "one"})
    assert config.get_section("one") == {
        "sqlalchemy.url": f"sqlite:///{tmp_path}/one.db",
        "echo": "true",
    }
    assert config.get_section_option("one", "echo") == "true"
    assert config.get_section("two") is None


def test_quoted_dotted_url_key(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.strata]\n"sqlalchemy.url" = "sqlite://"\n')
    assert Config(toml_file=path).sqlalchemy_url == "sqlite://"


def test_string_lists_use_path_separator(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path, '[tool.strata]\npath_separator = ";"\nversion_locations = "a b;%(here)s/c"\n'
    )
    assert Config(toml_file=path).version_locations == (Path("a b"), tmp_path / "c")


def test_toml_booleans_as_strings_also_work(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.strata]\nsourceless = "yes"\n')
    assert Config(toml_file=path).sourceless is True


def test_set_and_remove_override_toml(tmp_path: Path) -> None:
    config = Config(toml_file=pyproject(tmp_path, FULL), environ={"DB_HOST": "db"})
    config.set_main_option("timezone", "Asia/Tokyo")
    assert config.timezone == "Asia/Tokyo"
    config.remove_main_option("timezone")
    assert config.timezone is None
    assert config.get_main_option("timezone") is None
    assert "timezone" not in config.get_section("strata", {})
    config.set_main_option("timezone", "UTC")
    assert config.timezone == "UTC"


def test_tool_alembic_table(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.alembic]\nscript_location = "alembic"\n')
    config = Config(toml_file=path)
    assert config.script_location == Path("alembic")
    assert config.version_table == "alembic_version"
    assert config.alembic_compatible


def test_ini_wins_over_toml(tmp_path: Path) -> None:
    toml = pyproject(tmp_path, '[tool.alembic]\nscript_location = "from_toml"\ntimezone = "UTC"\n')
    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\nscript_location = from_ini\n", encoding="utf-8")
    config = Config(ini, "alembic", toml_file=toml)
    assert config.script_location == Path("from_ini")
    assert config.timezone == "UTC"


def test_missing_table(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.black]\nline-length = 88\n")
    with pytest.raises(ConfigError) as caught:
        Config(toml_file=path)
    assert str(caught.value) == (
        f"Can't read the configuration: {path} has no [tool.strata] table. "
        "Add a [tool.strata] table with script_location, or pass -c PATH."
    )


def test_wrong_type_for_a_string_option(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.strata]\nscript_location = ["a", "b"]\n')
    with pytest.raises(ConfigError) as caught:
        _ = Config(toml_file=path).script_location
    assert str(caught.value) == (
        f"Can't read script_location in [tool.strata] of {path}: expected a string, got a list. "
        "Give script_location a single string value."
    )


def test_wrong_type_for_a_number(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.strata]\ntruncate_slug_length = true\n")
    with pytest.raises(ConfigError, match="True is not a non-negative integer"):
        _ = Config(toml_file=path).truncate_slug_length


def test_wrong_type_for_a_path_list(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.strata]\nversion_locations = 3\n")
    with pytest.raises(ConfigError) as caught:
        _ = Config(toml_file=path).version_locations
    assert caught.value.message == (
        f"Can't read version_locations in [tool.strata] of {path}: expected a string or a "
        "list of strings, got a number."
    )


def test_table_where_an_option_is_expected(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.strata.timezone]\nname = 'UTC'\n")
    with pytest.raises(ConfigError) as caught:
        _ = Config(toml_file=path).timezone
    assert caught.value.message == (
        f"Can't read timezone in [tool.strata] of {path}: expected a string, number, boolean "
        "or list of strings, got a table."
    )


def test_bad_percent_substitution(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.strata]\nfile_template = "%(rev)s_%(slug)s"\n')
    with pytest.raises(ConfigError) as caught:
        _ = Config(toml_file=path).file_template
    assert caught.value.message.startswith(
        f"Can't read file_template in [tool.strata] of {path}: '%(rev)s_%(slug)s' has a bad "
        "%-substitution"
    )
    assert caught.value.hint == "Only %(here)s is available; write %% for a literal '%'."


def test_hook_without_name(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[[tool.strata.post_write_hooks]]\ntype = "exec"\n')
    with pytest.raises(ConfigError) as caught:
        _ = Config(toml_file=path).post_write_hooks
    assert caught.value.message == (
        f"Can't read post_write_hooks in [tool.strata] of {path}: every hook needs a string 'name'."
    )


def test_hooks_must_be_a_list(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.strata]\npost_write_hooks = 'black'\n")
    with pytest.raises(ConfigError, match="expected a list of tables, got a str"):
        _ = Config(toml_file=path).post_write_hooks
