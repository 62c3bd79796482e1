"""find_config: which file is chosen, in which order, and what goes wrong how."""

from __future__ import annotations

from pathlib import Path

import pytest

from sqlstrata.config import Config, ConfigSource, find_config
from sqlstrata.errors import ConfigError

STRATA_INI = "[strata]\nscript_location = migrations\n"
ALEMBIC_INI = "[alembic]\nscript_location = alembic\n"
PYPROJECT = '[tool.strata]\nscript_location = "migrations"\n'
INIT_HINT = "Run 'strata init migrations' to create one, or pass -c PATH."


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- precedence ------------------------------------------------------------------------


def test_explicit_path_wins_over_everything(tmp_path: Path) -> None:
    write(tmp_path, "strata.ini", STRATA_INI)
    write(tmp_path, "pyproject.toml", PYPROJECT)
    write(tmp_path, "alembic.ini", ALEMBIC_INI)
    write(tmp_path, "env.ini", STRATA_INI)
    chosen = write(tmp_path, "conf/explicit.ini", STRATA_INI)

    source = find_config("conf/explicit.ini", {"STRATA_CONFIG": "env.ini"}, tmp_path)

    assert source == ConfigSource(ini_path=chosen, section="strata", origin="-c")


def test_env_var_wins_over_discovered_files(tmp_path: Path) -> None:
    write(tmp_path, "strata.ini", STRATA_INI)
    chosen = write(tmp_path, "deploy/prod.ini", STRATA_INI)

    source = find_config(None, {"STRATA_CONFIG": "deploy/prod.ini"}, tmp_path)

    assert source.ini_path == chosen
    assert source.origin == "$STRATA_CONFIG"


def test_absolute_env_var_path(tmp_path: Path) -> None:
    chosen = write(tmp_path / "elsewhere", "x.ini", STRATA_INI)
    source = find_config(None, {"STRATA_CONFIG": str(chosen)}, tmp_path / "cwd")
    assert source.ini_path == chosen


def test_empty_env_var_is_ignored(tmp_path: Path) -> None:
    chosen = write(tmp_path, "strata.ini", STRATA_INI)
    assert find_config(None, {"STRATA_CONFIG": ""}, tmp_path).ini_path == chosen


def test_strata_ini_wins_over_pyproject_and_alembic_ini(tmp_path: Path) -> None:
    chosen = write(tmp_path, "strata.ini", STRATA_INI)
    write(tmp_path, "pyproject.toml", PYPROJECT)
    write(tmp_path, "alembic.ini", ALEMBIC_INI)

    source = find_config(None, {}, tmp_path)

    assert source == ConfigSource(ini_path=chosen, section="strata")
    assert not source.alembic_compatible


def test_pyproject_with_tool_strata_wins_over_alembic_ini(tmp_path: Path) -> None:
    chosen = write(tmp_path, "pyproject.toml", PYPROJECT)
    write(tmp_path, "alembic.ini", ALEMBIC_INI)

    source = find_config(None, {}, tmp_path)

    assert source == ConfigSource(
        ini_path=None, section="strata", toml_path=chosen, toml_table="strata"
    )
    assert source.path == chosen
    assert not source.alembic_compatible


def test_pyproject_without_tool_strata_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    chosen = write(tmp_path, "alembic.ini", ALEMBIC_INI)

    source = find_config(None, {}, tmp_path)

    assert source == ConfigSource(ini_path=chosen, section="alembic")
    assert source.alembic_compatible


def test_alembic_ini_takes_companion_tool_alembic_table(tmp_path: Path) -> None:
    pyproject = write(tmp_path, "pyproject.toml", '[tool.alembic]\nscript_location = "alembic"\n')
    chosen = write(tmp_path, "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n")

    source = find_config(None, {}, tmp_path)

    assert source == ConfigSource(
        ini_path=chosen, section="alembic", toml_path=pyproject, toml_table="alembic"
    )


def test_pyproject_with_only_tool_alembic_is_the_last_resort(tmp_path: Path) -> None:
    pyproject = write(tmp_path, "pyproject.toml", '[tool.alembic]\nscript_location = "alembic"\n')

    source = find_config(None, {}, tmp_path)

    assert source == ConfigSource(
        ini_path=None, section="alembic", toml_path=pyproject, toml_table="alembic"
    )
    assert source.alembic_compatible


def test_nothing_found(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path)
    assert caught.value.message == (
        f"Can't find a configuration: there is no strata.ini, pyproject.toml with "
        f"[tool.strata] or alembic.ini in {tmp_path}."
    )
    assert caught.value.hint == INIT_HINT


# -- sections ---------------------------------------------------------------------------


def test_name_selects_another_ini_section(tmp_path: Path) -> None:
    write(tmp_path, "strata.ini", STRATA_INI + "[prod]\nscript_location = prod\n")
    assert find_config(None, {}, tmp_path, section="prod").section == "prod"


def test_name_selects_a_section_of_alembic_ini(tmp_path: Path) -> None:
    chosen = write(tmp_path, "alembic.ini", ALEMBIC_INI + "[db2]\nscript_location = db2\n")

    source = find_config(None, {}, tmp_path, section="db2")

    assert source == ConfigSource(ini_path=chosen, section="db2")
    assert source.alembic_compatible  # an alembic.ini is always an Alembic configuration


def test_alembic_ini_prefers_alembic_section(tmp_path: Path) -> None:
    write(tmp_path, "alembic.ini", STRATA_INI + ALEMBIC_INI)
    assert find_config(None, {}, tmp_path).section == "alembic"


def test_other_ini_with_only_alembic_section_uses_it(tmp_path: Path) -> None:
    chosen = write(tmp_path, "legacy.ini", ALEMBIC_INI)

    source = find_config(str(chosen), {}, tmp_path)

    assert source.section == "alembic"
    assert source.alembic_compatible


def test_missing_strata_section(tmp_path: Path) -> None:
    path = write(tmp_path, "strata.ini", "[loggers]\nkeys = root\n")
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path)
    assert caught.value.message == (
        f"Can't read the configuration: {path} has no [strata] section."
    )
    assert caught.value.hint == (
        "Add a [strata] section with script_location, or pass -n SECTION (the file has [loggers])."
    )


def test_missing_named_section(tmp_path: Path) -> None:
    path = write(tmp_path, "strata.ini", STRATA_INI)
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path, section="prod")
    assert str(caught.value) == (
        f"Can't read the configuration: {path} has no [prod] section. "
        "Add a [prod] section with script_location, or pass -n SECTION (the file has [strata])."
    )


def test_name_is_refused_for_pyproject_configuration(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", PYPROJECT)
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path, section="prod")
    assert caught.value.message == (
        f"Can't use section [prod]: {path} configures sqlstrata in [tool.strata], "
        "which has no sections."
    )


# -- explicit files ---------------------------------------------------------------------


def test_explicit_toml_file(tmp_path: Path) -> None:
    chosen = write(tmp_path, "conf/strata.toml", PYPROJECT)
    source = find_config("conf/strata.toml", {}, tmp_path)
    assert source == ConfigSource(
        ini_path=None, section="strata", toml_path=chosen, toml_table="strata", origin="-c"
    )


def test_explicit_toml_without_table(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError) as caught:
        find_config("pyproject.toml", {}, tmp_path)
    assert caught.value.message == (
        f"Can't read the configuration: {path} has no [tool.strata] table."
    )


def test_explicit_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config("nope.ini", {}, tmp_path)
    assert str(caught.value) == (
        f"Can't read the configuration: {tmp_path / 'nope.ini'} does not exist. {INIT_HINT}"
    )


def test_env_var_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config(None, {"STRATA_CONFIG": "gone.ini"}, tmp_path)
    assert caught.value.message == (
        f"Can't read the configuration: {tmp_path / 'gone.ini'} (from $STRATA_CONFIG) "
        "does not exist."
    )
    assert caught.value.hint == INIT_HINT


def test_explicit_directory_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "dir.ini").mkdir()
    with pytest.raises(ConfigError, match=r"^Can't read the configuration: .*cannot be read"):
        find_config("dir.ini", {}, tmp_path)


# -- broken files -----------------------------------------------------------------------


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", "[tool.strata\nscript_location = 1\n")
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path)
    message = caught.value.message
    assert message.startswith(f"Can't read the configuration: {path} is not valid TOML (")
    assert "line 1" in message
    assert "\n" not in message
    assert caught.value.hint == "Fix the syntax error, or pass -c PATH."


def test_tool_strata_that_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, "pyproject.toml", '[tool]\nstrata = "migrations"\n')
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path)
    assert caught.value.message == (
        f"Can't read the configuration: tool.strata in {path} is not a table."
    )


def test_invalid_ini(tmp_path: Path) -> None:
    path = write(tmp_path, "strata.ini", "script_location = migrations\n")
    with pytest.raises(ConfigError) as caught:
        find_config(None, {}, tmp_path)
    message = caught.value.message
    assert message.startswith(f"Can't read the configuration: {path} is not a valid ini file (")
    assert "no section headers" in message
    assert "\n" not in message


def test_config_source_needs_a_file() -> None:
    with pytest.raises(ValueError, match="ini_path or a toml_path"):
        ConfigSource(ini_path=None, section="strata")
    with pytest.raises(ValueError, match="go together"):
        ConfigSource(ini_path=Path("x.ini"), section="strata", toml_path=Path("p.toml"))


# -- loading what was found -------------------------------------------------------------


def test_from_source_loads_the_chosen_section(tmp_path: Path) -> None:
    write(tmp_path, "strata.ini", STRATA_INI + "[prod]\nscript_location = prod\n")
    config = Config.from_source(find_config(None, {}, tmp_path, section="prod"))
    assert config.config_ini_section == "prod"
    assert config.get_main_option("script_location") == "prod"
    assert config.config_file_name == str(tmp_path / "strata.ini")


def test_from_source_alembic_ini_with_companion_toml(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.alembic]\nscript_location = "%(here)s/alembic"\n')
    write(tmp_path, "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite:///app.db\n")

    config = Config.from_source(find_config(None, {}, tmp_path))

    assert config.script_location == tmp_path / "alembic"
    assert config.sqlalchemy_url == "sqlite:///app.db"
    assert config.version_table == "alembic_version"
    assert config.toml_file_name == str(tmp_path / "pyproject.toml")
