"""Config's typed accessors, read from ini files: every key, its default and its errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sqlstrata.config import Config
from sqlstrata.errors import ConfigError


def config_from(
    tmp_path: Path,
    body: str,
    *,
    name: str = "strata.ini",
    environ: dict[str, str] | None = None,
    url_override: str | None = None,
) -> Config:
    section = "alembic" if name == "alembic.ini" else "strata"
    path = tmp_path / name
    path.write_text(f"[{section}]\n{body}", encoding="utf-8")
    return Config(path, section, environ=environ, url_override=url_override)


def where(tmp_path: Path, name: str = "strata.ini", section: str = "strata") -> str:
    return f"[{section}] of {tmp_path / name}"


# -- script_location --------------------------------------------------------------------


def test_script_location_relative_to_current_directory(tmp_path: Path) -> None:
    assert config_from(tmp_path, "script_location = migrations\n").script_location == Path(
        "migrations"
    )


def test_script_location_with_here(tmp_path: Path) -> None:
    config = config_from(tmp_path, "script_location = %(here)s/migrations\n")
    assert config.script_location == tmp_path / "migrations"
    assert config.script_location.is_absolute()


def test_script_location_absolute(tmp_path: Path) -> None:
    config = config_from(tmp_path, f"script_location = {tmp_path}/abs\n")
    assert config.script_location == tmp_path / "abs"


def test_script_location_package_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site" / "myapp_cfgtest"
    (package / "db" / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))

    config = config_from(tmp_path, "script_location = myapp_cfgtest:db/migrations\n")

    assert config.script_location == package / "db" / "migrations"
    assert config.script_location.is_dir()


def test_script_location_unknown_package(tmp_path: Path) -> None:
    config = config_from(tmp_path, "script_location = no_such_pkg_xyz:migrations\n")
    with pytest.raises(ConfigError) as caught:
        _ = config.script_location
    assert caught.value.message.startswith(
        "Can't resolve 'no_such_pkg_xyz:migrations': package 'no_such_pkg_xyz' cannot be imported"
    )
    assert caught.value.hint == "Install the package, or give a file system path instead."


@pytest.mark.parametrize("body", ["", "script_location =\n"])
def test_script_location_missing(tmp_path: Path, body: str) -> None:
    config = config_from(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        _ = config.script_location
    assert str(caught.value) == (
        "Can't find the migration environment: script_location is not set in "
        f"{where(tmp_path)}. Add 'script_location = migrations', or run "
        "'strata init migrations'."
    )


# -- version_locations and path_separator ------------------------------------------------


def test_version_locations_default_is_empty(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").version_locations == ()


def test_version_locations_legacy_split_on_spaces_and_commas(tmp_path: Path) -> None:
    config = config_from(tmp_path, "version_locations = a b,c, %(here)s/d\n")
    assert config.version_locations == (Path("a"), Path("b"), Path("c"), tmp_path / "d")


@pytest.mark.parametrize(
    ("separator", "value", "expected"),
    [
        ("os", f"a b{os.pathsep}c", ("a b", "c")),
        ("space", "a,b  c", ("a,b", "c")),
        ("newline", "\n  a b\n  c,d", ("a b", "c,d")),
        (";", "a b;c", ("a b", "c")),
        (":", "a b:c", ("a b", "c")),
    ],
)
def test_path_separator_variants(
    tmp_path: Path, separator: str, value: str, expected: tuple[str, ...]
) -> None:
    config = config_from(
        tmp_path,
        f"path_separator = {separator}\nversion_locations = {value}\nprepend_sys_path = {value}\n",
    )
    assert config.version_locations == tuple(Path(p) for p in expected)
    assert config.prepend_sys_path == expected


def test_version_path_separator_is_honoured(tmp_path: Path) -> None:
    config = config_from(tmp_path, "version_path_separator = ;\nversion_locations = a b;c\n")
    assert config.version_locations == (Path("a b"), Path("c"))


def test_path_separator_wins_over_version_path_separator(tmp_path: Path) -> None:
    config = config_from(
        tmp_path,
        "path_separator = newline\nversion_path_separator = ;\nversion_locations = a;b\n  c\n",
    )
    assert config.version_locations == (Path("a;b"), Path("c"))


def test_unknown_path_separator(tmp_path: Path) -> None:
    config = config_from(tmp_path, "path_separator = comma\nversion_locations = a,b\n")
    with pytest.raises(ConfigError) as caught:
        _ = config.version_locations
    assert str(caught.value) == (
        f"Can't read path_separator in {where(tmp_path)}: 'comma' is not a known separator. "
        "Use one of 'os', 'space', 'newline', ':', ';'."
    )


def test_recursive_version_locations(tmp_path: Path) -> None:
    assert not config_from(tmp_path, "").recursive_version_locations
    assert config_from(tmp_path, "recursive_version_locations = true\n").recursive_version_locations


# -- prepend_sys_path -------------------------------------------------------------------


def test_prepend_sys_path_default_is_current_directory(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").prepend_sys_path == (".",)


def test_prepend_sys_path_empty_value(tmp_path: Path) -> None:
    assert config_from(tmp_path, "prepend_sys_path =\n").prepend_sys_path == ()


def test_prepend_sys_path_legacy_split(tmp_path: Path) -> None:
    config = config_from(tmp_path, f"prepend_sys_path = . src,lib{os.pathsep}%(here)s/x\n")
    assert config.prepend_sys_path == (".", "src", "lib", f"{tmp_path}/x")


# -- flags and simple values --------------------------------------------------------------


@pytest.mark.parametrize("name", ["revision_environment", "sourceless"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("yes", True),
        ("on", True),
        ("1", True),
        ("false", False),
        ("no", False),
        ("0", False),
        ("", False),
    ],
)
def test_boolean_options(tmp_path: Path, name: str, text: str, expected: bool) -> None:
    assert getattr(config_from(tmp_path, f"{name} = {text}\n"), name) is expected


@pytest.mark.parametrize("name", ["revision_environment", "sourceless"])
def test_boolean_defaults(tmp_path: Path, name: str) -> None:
    assert getattr(config_from(tmp_path, ""), name) is False


def test_invalid_boolean(tmp_path: Path) -> None:
    config = config_from(tmp_path, "sourceless = maybe\n")
    with pytest.raises(ConfigError) as caught:
        _ = config.sourceless
    assert str(caught.value) == (
        f"Can't read sourceless in {where(tmp_path)}: 'maybe' is not a boolean. "
        "Set sourceless to true or false."
    )


def test_file_template(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").file_template == "%(rev)s_%(slug)s"
    config = config_from(tmp_path, "file_template = %%(year)d_%%(rev)s_%%(slug)s\n")
    assert config.file_template == "%(year)d_%(rev)s_%(slug)s"


def test_timezone(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").timezone is None
    assert config_from(tmp_path, "timezone =\n").timezone is None
    assert config_from(tmp_path, "timezone = Europe/Paris\n").timezone == "Europe/Paris"


def test_truncate_slug_length(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").truncate_slug_length == 40
    assert config_from(tmp_path, "truncate_slug_length = 12\n").truncate_slug_length == 12


@pytest.mark.parametrize("text", ["forty", "-1", "4.5"])
def test_invalid_truncate_slug_length(tmp_path: Path, text: str) -> None:
    config = config_from(tmp_path, f"truncate_slug_length = {text}\n")
    with pytest.raises(ConfigError) as caught:
        _ = config.truncate_slug_length
    assert str(caught.value) == (
        f"Can't read truncate_slug_length in {where(tmp_path)}: {text!r} is not a non-negative "
        "integer. Set truncate_slug_length to a whole number such as 40."
    )


def test_output_encoding(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").output_encoding == "utf-8"
    assert config_from(tmp_path, "output_encoding = latin-1\n").output_encoding == "latin-1"


# -- version table ----------------------------------------------------------------------


def test_version_table_default(tmp_path: Path) -> None:
    config = config_from(tmp_path, "")
    assert config.version_table == "strata_version"
    assert not config.alembic_compatible


def test_version_table_for_alembic_ini(tmp_path: Path) -> None:
    config = config_from(tmp_path, "", name="alembic.ini")
    assert config.version_table == "alembic_version"
    assert config.alembic_compatible


def test_version_table_for_alembic_section_in_any_file(tmp_path: Path) -> None:
    path = tmp_path / "custom.ini"
    path.write_text("[alembic]\nscript_location = a\n", encoding="utf-8")
    assert Config(path, "alembic").version_table == "alembic_version"


def test_version_table_configured(tmp_path: Path) -> None:
    config = config_from(tmp_path, "version_table = my_versions\n", name="alembic.ini")
    assert config.version_table == "my_versions"


def test_version_table_schema(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").version_table_schema is None
    assert config_from(tmp_path, "version_table_schema = ops\n").version_table_schema == "ops"


# -- url ----------------------------------------------------------------------------------


def test_url_absent(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").sqlalchemy_url is None
    assert config_from(tmp_path, "sqlalchemy.url =\n").sqlalchemy_url is None


def test_url_plain(tmp_path: Path) -> None:
    config = config_from(tmp_path, "sqlalchemy.url = sqlite:///%(here)s/app.db\n")
    assert config.sqlalchemy_url == f"sqlite:///{tmp_path}/app.db"


def test_url_env_expansion(tmp_path: Path) -> None:
    config = config_from(
        tmp_path,
        "sqlalchemy.url = postgresql://${DB_USER}:pa$$word@$DB_HOST/app\n",
        environ={"DB_USER": "scott", "DB_HOST": "db.internal"},
    )
    assert config.sqlalchemy_url == "postgresql://scott:pa$word@db.internal/app"
    assert config.get_main_option("sqlalchemy.url") == config.sqlalchemy_url


def test_url_env_expansion_uses_os_environ_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_from(tmp_path, "sqlalchemy.url = ${STRATA_TEST_CFG_URL}\n")
    monkeypatch.setenv("STRATA_TEST_CFG_URL", "sqlite:///from-env.db")
    assert config.sqlalchemy_url == "sqlite:///from-env.db"


def test_url_missing_env_var(tmp_path: Path) -> None:
    config = config_from(tmp_path, "sqlalchemy.url = ${DATABASE_URL}\n", environ={})
    with pytest.raises(ConfigError) as caught:
        _ = config.sqlalchemy_url
    assert str(caught.value) == (
        f"Can't read sqlalchemy.url in {where(tmp_path)}: environment variable "
        "'DATABASE_URL' is not set. Set DATABASE_URL, pass --url, or write $$ for a literal '$'."
    )
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        config.get_main_option("sqlalchemy.url")


def test_url_override_wins(tmp_path: Path) -> None:
    config = config_from(
        tmp_path, "sqlalchemy.url = ${DATABASE_URL}\n", url_override="sqlite://", environ={}
    )
    assert config.sqlalchemy_url == "sqlite://"


def test_url_follows_set_main_option(tmp_path: Path) -> None:
    config = config_from(tmp_path, "sqlalchemy.url = sqlite:///a.db\n")
    config.set_main_option("sqlalchemy.url", "sqlite:///b.db")
    assert config.sqlalchemy_url == "sqlite:///b.db"


# -- hooks and logging ----------------------------------------------------------------------


def test_post_write_hooks_section(tmp_path: Path) -> None:
    config = config_from(
        tmp_path,
        "script_location = m\n[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
        "black.options = -l 79 REVISION_SCRIPT_FILENAME\n",
    )
    assert config.post_write_hooks == {
        "hooks": "black",
        "black.type": "console_scripts",
        "black.options": "-l 79 REVISION_SCRIPT_FILENAME",
    }


def test_post_write_hooks_default(tmp_path: Path) -> None:
    assert config_from(tmp_path, "").post_write_hooks == {}


def test_has_logging_config(tmp_path: Path) -> None:
    assert not config_from(tmp_path, "").has_logging_config
    assert config_from(tmp_path, "[loggers]\nkeys = root\n").has_logging_config
