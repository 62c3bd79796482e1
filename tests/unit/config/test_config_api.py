"""Config's Alembic-compatible API, as env.py files use it."""

from __future__ import annotations

import io
import os
from argparse import Namespace
from pathlib import Path

import pytest

from sqlstrata.config import Config
from sqlstrata.errors import ConfigError

SAMPLE = """\
[strata]
script_location = %(here)s/migrations
file_template = %%(rev)s_%%(slug)s
sqlalchemy.url = postgresql://scott:tiger@localhost/app
sqlalchemy.echo = false
databases = engine1, engine2

[engine1]
sqlalchemy.url = sqlite:///one.db

[loggers]
keys = root
"""


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    path = tmp_path / "strata.ini"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_main_options(ini: Path) -> None:
    config = Config(ini)
    assert config.config_file_name == str(ini)
    assert config.config_ini_section == "strata"
    assert config.get_main_option("script_location") == f"{ini.parent}/migrations"
    assert config.get_main_option("file_template") == "%(rev)s_%(slug)s"
    assert config.get_main_option("databases") == "engine1, engine2"
    assert config.get_main_option("here") == str(ini.parent)
    assert config.get_main_option("missing") is None
    assert config.get_main_option("missing", "fallback") == "fallback"


def test_get_section(ini: Path) -> None:
    config = Config(ini)
    assert config.get_section("engine1") == {"sqlalchemy.url": "sqlite:///one.db"}
    assert config.get_section("nope") is None
    assert config.get_section("nope", {}) == {}
    main = config.get_section(config.config_ini_section, {})
    assert "here" not in main
    assert main["sqlalchemy.echo"] == "false"
    assert main["sqlalchemy.url"] == "postgresql://scott:tiger@localhost/app"


def test_get_section_option(ini: Path) -> None:
    config = Config(ini)
    assert config.get_section_option("engine1", "sqlalchemy.url") == "sqlite:///one.db"
    assert config.get_section_option("engine1", "missing", "d") == "d"
    with pytest.raises(ConfigError) as caught:
        config.get_section_option("engine9", "sqlalchemy.url")
    assert str(caught.value) == (
        "Can't read option 'sqlalchemy.url': the configuration has no [engine9] section. "
        f"Add a [engine9] section to {ini}."
    )


def test_set_and_remove_main_option(ini: Path) -> None:
    config = Config(ini)
    config.set_main_option("script_location", "%(here)s/other")
    assert config.get_main_option("script_location") == f"{ini.parent}/other"
    assert config.script_location == ini.parent / "other"
    config.set_main_option("new_option", "100%%")
    assert config.get_main_option("new_option") == "100%"
    config.remove_main_option("new_option")
    assert config.get_main_option("new_option") is None
    config.remove_main_option("never_there")  # no error, as in Alembic


def test_set_main_option_does_not_touch_the_file(ini: Path) -> None:
    Config(ini).set_main_option("script_location", "elsewhere")
    assert Config(ini).get_main_option("script_location") == f"{ini.parent}/migrations"


def test_set_section_option_creates_section(ini: Path) -> None:
    config = Config(ini)
    config.set_section_option("engine3", "sqlalchemy.url", "sqlite://")
    assert config.get_section("engine3") == {"sqlalchemy.url": "sqlite://"}


def test_set_option_with_raw_percent_is_an_error(ini: Path) -> None:
    config = Config(ini)
    with pytest.raises(ConfigError) as caught:
        config.set_main_option("sqlalchemy.url", "postgresql://u:p%40ss@h/db")
    assert caught.value.message.startswith("Can't set sqlalchemy.url in [strata]: ")
    assert caught.value.hint == "Give a string, and write %% for a literal '%'."


def test_bad_interpolation_in_file(tmp_path: Path) -> None:
    path = tmp_path / "strata.ini"
    path.write_text("[strata]\nfile_template = %(rev)s\n", encoding="utf-8")
    config = Config(path)
    with pytest.raises(ConfigError) as caught:
        config.get_main_option("file_template")
    assert caught.value.message.startswith(f"Can't read file_template in [strata] of {path}: ")
    assert caught.value.hint == "Write %% for a literal '%' in ini values."


def test_config_without_file() -> None:
    config = Config()
    assert config.config_file_name is None
    assert config.get_main_option("script_location") is None
    assert config.get_section("strata") == {}
    config.set_main_option("script_location", "migrations")
    assert config.script_location == Path("migrations")
    assert not config.has_logging_config


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        Config(tmp_path / "nope.ini")
    assert caught.value.message == (
        f"Can't read the configuration: {tmp_path / 'nope.ini'} does not exist."
    )


def test_missing_section_is_an_error(ini: Path) -> None:
    with pytest.raises(ConfigError, match=r"has no \[prod\] section"):
        Config(ini, "prod")


def test_default_section_falls_back_to_alembic(tmp_path: Path) -> None:
    path = tmp_path / "alembic.ini"
    path.write_text("[alembic]\nscript_location = alembic\n", encoding="utf-8")
    config = Config(path)  # as in ported code: Config("alembic.ini")
    assert config.config_ini_section == "alembic"
    assert config.get_main_option("script_location") == "alembic"


def test_attributes_are_shared_not_copied(ini: Path) -> None:
    shared: dict[str, object] = {"connection": object()}
    config = Config(ini, attributes=shared)
    assert config.attributes is shared
    config.attributes["extra"] = 1
    assert shared["extra"] == 1
    assert Config(ini).attributes == {}
    assert Config(ini).attributes is not Config(ini).attributes


def test_cmd_opts_and_x_arguments_from_it(ini: Path) -> None:
    opts = Namespace(x=["data=true", "tenant"], quiet=False)
    config = Config(ini, cmd_opts=opts)
    assert config.cmd_opts is opts
    assert config.x_arguments == ("data=true", "tenant")
    assert config.get_x_argument() == ["data=true", "tenant"]
    assert config.get_x_argument(as_dictionary=True) == {"data": "true", "tenant": ""}


def test_explicit_x_arguments_win_over_cmd_opts(ini: Path) -> None:
    config = Config(ini, cmd_opts=Namespace(x=["a=1"]), x_arguments=["b=2=3"])
    assert config.get_x_argument() == ["b=2=3"]
    assert config.get_x_argument(as_dictionary=True) == {"b": "2=3"}


def test_no_x_arguments() -> None:
    config = Config(cmd_opts=Namespace(x=None))
    assert config.get_x_argument() == []
    assert config.get_x_argument(as_dictionary=True) == {}


def test_print_stdout() -> None:
    out = io.StringIO()
    config = Config(stdout=out)
    config.print_stdout("plain %s")
    config.print_stdout("rev %s of %d", "ae1", 3)
    assert out.getvalue() == "plain %s\nrev ae1 of 3\n"


def test_print_stdout_quiet() -> None:
    out = io.StringIO()
    Config(stdout=out, cmd_opts=Namespace(quiet=True)).print_stdout("hidden")
    assert out.getvalue() == ""


def test_print_stdout_defaults_to_sys_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    Config().print_stdout("hello")
    assert capsys.readouterr().out == "hello\n"


def test_template_directory() -> None:
    directory = Path(Config().get_template_directory())
    assert directory.name == "templates"
    assert directory.parent.name == "sqlstrata"
    assert (directory.parent / "errors.py").is_file()


def test_get_main_option_url_is_the_effective_url(ini: Path) -> None:
    config = Config(ini, url_override="sqlite:///override.db")
    assert config.get_main_option("sqlalchemy.url") == "sqlite:///override.db"
    main = config.get_section(config.config_ini_section, {})
    assert main["sqlalchemy.url"] == "sqlite:///override.db"
    # other sections are untouched by --url
    assert config.get_section_option("engine1", "sqlalchemy.url") == "sqlite:///one.db"


def test_url_override_is_added_when_file_has_no_url() -> None:
    config = Config(url_override="sqlite://")
    assert config.get_section("strata") == {"sqlalchemy.url": "sqlite://"}


def test_env_vars_expanded_in_other_sections(tmp_path: Path) -> None:
    path = tmp_path / "strata.ini"
    path.write_text("[strata]\n[engine1]\nsqlalchemy.url = ${ONE_URL}\n", encoding="utf-8")
    config = Config(path, environ={"ONE_URL": "sqlite:///one.db"})
    assert config.get_section_option("engine1", "sqlalchemy.url") == "sqlite:///one.db"
    assert config.get_section("engine1") == {"sqlalchemy.url": "sqlite:///one.db"}


def test_repr(ini: Path) -> None:
    assert repr(Config(ini)) == f"<Config {ini} [strata]>"
    assert repr(Config()) == "<Config (no file) [strata]>"


def test_accepts_path_like(ini: Path) -> None:
    assert Config(os.fspath(ini)).config_file_name == Config(ini).config_file_name


def test_same_answers_as_alembic(ini: Path) -> None:
    """Alembic is the oracle: env.py sees the same values through the same calls."""
    alembic_config = pytest.importorskip("alembic.config")
    theirs = alembic_config.Config(str(ini), ini_section="strata")
    ours = Config(ini)
    for name in ("script_location", "file_template", "sqlalchemy.url", "databases", "here"):
        assert ours.get_main_option(name) == theirs.get_main_option(name), name
    assert ours.get_main_option("nope", "d") == theirs.get_main_option("nope", "d")
    for section in ("engine1", "loggers"):
        expected = {k: v for k, v in theirs.get_section(section).items() if k != "here"}
        assert ours.get_section(section) == expected
    ours.set_main_option("x", "%(here)s/y")
    theirs.set_main_option("x", "%(here)s/y")
    assert ours.get_main_option("x") == theirs.get_main_option("x")
