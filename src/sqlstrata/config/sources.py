"""Where the configuration comes from: finding the file, and reading ini and TOML files.

``find_config`` decides which file (and which ini section or ``[tool.*]`` table) a command uses,
in this order: ``-c PATH``, ``$STRATA_CONFIG``, then ``strata.ini``, ``pyproject.toml`` with
``[tool.strata]`` and ``alembic.ini`` in the current directory (and, last, a ``pyproject.toml``
with only ``[tool.alembic]``). The result is a ``ConfigSource`` value; ``Config.from_source``
loads it. Option values are not interpreted here.
"""

from __future__ import annotations

import configparser
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlstrata.errors import ConfigError

STRATA_SECTION = "strata"
ALEMBIC_SECTION = "alembic"
CONFIG_ENV_VAR = "STRATA_CONFIG"
STRATA_INI = "strata.ini"
PYPROJECT = "pyproject.toml"
ALEMBIC_INI = "alembic.ini"
INIT_HINT = "Run 'strata init migrations' to create one, or pass -c PATH."


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """Which configuration file to load, and which part of it.

    ``ini_path`` is the ini file (``None`` for a pyproject-only configuration) and ``section``
    its main section. ``toml_path`` / ``toml_table`` name a ``pyproject.toml`` and its
    ``[tool.<table>]``; for an ``alembic.ini`` this is the companion ``[tool.alembic]`` table
    that Alembic also reads. ``origin`` says how the file was chosen, for messages.
    """

    ini_path: Path | None
    section: str
    toml_path: Path | None = None
    toml_table: str | None = None
    origin: str = "discovered"

    def __post_init__(self) -> None:
        if self.ini_path is None and self.toml_path is None:
            raise ValueError("ConfigSource needs an ini_path or a toml_path")
        if (self.toml_path is None) != (self.toml_table is None):
            raise ValueError("toml_path and toml_table go together")

    @property
    def path(self) -> Path:
        """The main file: the ini file if there is one, else the TOML file."""
        path = self.ini_path or self.toml_path
        assert path is not None  # guaranteed by __post_init__
        return path

    @property
    def alembic_compatible(self) -> bool:
        """Whether this is an Alembic configuration (so the version table is alembic_version)."""
        return is_alembic_config(self.ini_path, self.section, self.toml_table)


def is_alembic_config(ini_path: Path | None, section: str, toml_table: str | None) -> bool:
    """Tell whether a configuration was written for Alembic: an ``alembic.ini`` file, an
    ``[alembic]`` section or a ``[tool.alembic]`` table."""
    if ini_path is not None and ini_path.name == ALEMBIC_INI:
        return True
    return ALEMBIC_SECTION in (section, toml_table)


def find_config(
    explicit: str | None,
    env: Mapping[str, str],
    cwd: Path,
    *,
    section: str | None = None,
) -> ConfigSource:
    """Choose the configuration file: ``-c`` path, ``$STRATA_CONFIG``, or discovery in ``cwd``.

    ``section`` is the ``-n/--name`` option: the ini section to use instead of the default.
    """
    if explicit:
        return _source_for_path(cwd / explicit, section, cwd, origin="-c")
    if env.get(CONFIG_ENV_VAR):
        path = cwd / env[CONFIG_ENV_VAR]
        return _source_for_path(path, section, cwd, origin="$" + CONFIG_ENV_VAR)
    strata_ini = cwd / STRATA_INI
    if strata_ini.is_file():
        return _ini_source(strata_ini, section, cwd, origin="discovered")
    pyproject = cwd / PYPROJECT
    tools = tool_tables(read_toml(pyproject), pyproject) if pyproject.is_file() else {}
    if STRATA_SECTION in tools:
        return _toml_source(pyproject, STRATA_SECTION, section, origin="discovered")
    alembic_ini = cwd / ALEMBIC_INI
    if alembic_ini.is_file():
        return _ini_source(alembic_ini, section, cwd, origin="discovered")
    if ALEMBIC_SECTION in tools:
        return _toml_source(pyproject, ALEMBIC_SECTION, section, origin="discovered")
    raise ConfigError(
        f"Can't find a configuration: there is no {STRATA_INI}, {PYPROJECT} with "
        f"[tool.strata] or {ALEMBIC_INI} in {cwd}.",
        hint=INIT_HINT,
    )


def _source_for_path(path: Path, section: str | None, cwd: Path, *, origin: str) -> ConfigSource:
    """Build the source for a file named by ``-c`` or ``$STRATA_CONFIG``."""
    if not path.exists():
        via = f" (from {origin})" if origin.startswith("$") else ""
        raise ConfigError(
            f"Can't read the configuration: {path}{via} does not exist.", hint=INIT_HINT
        )
    if path.suffix == ".toml":
        tools = tool_tables(read_toml(path), path)
        for table in (STRATA_SECTION, ALEMBIC_SECTION):
            if table in tools:
                return _toml_source(path, table, section, origin=origin)
        raise ConfigError(
            f"Can't read the configuration: {path} has no [tool.strata] table.",
            hint="Add a [tool.strata] table with script_location, or pass -c PATH.",
        )
    return _ini_source(path, section, cwd, origin=origin)


def _ini_source(path: Path, section: str | None, cwd: Path, *, origin: str) -> ConfigSource:
    """Build the source for an ini file, with its companion ``[tool.alembic]`` if it has one."""
    parser = read_ini(path)
    if section is not None:
        chosen = require_section(parser, path, section)
    elif path.name == ALEMBIC_INI:
        chosen = choose_section(parser, path, (ALEMBIC_SECTION, STRATA_SECTION))
    else:
        chosen = choose_section(parser, path, (STRATA_SECTION, ALEMBIC_SECTION))
    if not is_alembic_config(path, chosen, None):
        return ConfigSource(ini_path=path, section=chosen, origin=origin)
    pyproject = cwd / PYPROJECT
    if pyproject.is_file() and ALEMBIC_SECTION in tool_tables(read_toml(pyproject), pyproject):
        return ConfigSource(
            ini_path=path,
            section=chosen,
            toml_path=pyproject,
            toml_table=ALEMBIC_SECTION,
            origin=origin,
        )
    return ConfigSource(ini_path=path, section=chosen, origin=origin)


def _toml_source(path: Path, table: str, section: str | None, *, origin: str) -> ConfigSource:
    """Build the source for a pyproject-only configuration."""
    if section is not None and section != table:
        raise ConfigError(
            f"Can't use section [{section}]: {path} configures sqlstrata in [tool.{table}], "
            f"which has no sections.",
            hint="Drop -n/--name, or put the configuration in an ini file.",
        )
    return ConfigSource(
        ini_path=None, section=table, toml_path=path, toml_table=table, origin=origin
    )


def new_parser(here: str | None) -> configparser.ConfigParser:
    """Create the ConfigParser every ini file is read with; ``%(here)s`` is a default."""
    return configparser.ConfigParser({"here": here} if here is not None else {})


def read_ini(path: Path) -> configparser.ConfigParser:
    """Read an ini file; ``%(here)s`` is the absolute directory of the file."""
    parser = new_parser(os.path.dirname(os.path.abspath(path)))
    try:
        with open(path, encoding="utf-8") as stream:
            parser.read_file(stream, source=str(path))
    except FileNotFoundError:
        raise ConfigError(
            f"Can't read the configuration: {path} does not exist.", hint=INIT_HINT
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Can't read the configuration: {path} cannot be read ({one_line(exc)}).",
            hint="Check the file's permissions and encoding (UTF-8), or pass -c PATH.",
        ) from None
    except configparser.Error as exc:
        raise ConfigError(
            f"Can't read the configuration: {path} is not a valid ini file ({one_line(exc)}).",
            hint="Fix the syntax error, or pass -c PATH.",
        ) from None
    return parser


def require_section(parser: configparser.ConfigParser, path: Path, section: str) -> str:
    """Return ``section`` if the ini file has it, else raise naming the sections it has."""
    if parser.has_section(section):
        return section
    raise ConfigError(
        f"Can't read the configuration: {path} has no [{section}] section.",
        hint=_section_hint(parser, section),
    )


def choose_section(
    parser: configparser.ConfigParser, path: Path, preferred: tuple[str, ...]
) -> str:
    """Return the first of ``preferred`` that the ini file has."""
    for section in preferred:
        if parser.has_section(section):
            return section
    raise ConfigError(
        f"Can't read the configuration: {path} has no [{preferred[0]}] section.",
        hint=_section_hint(parser, preferred[0]),
    )


def _section_hint(parser: configparser.ConfigParser, section: str) -> str:
    existing = ", ".join(f"[{name}]" for name in parser.sections())
    found = f" (the file has {existing})" if existing else ""
    return f"Add a [{section}] section with script_location, or pass -n SECTION{found}."


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file."""
    try:
        with open(path, "rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise ConfigError(
            f"Can't read the configuration: {path} does not exist.", hint=INIT_HINT
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Can't read the configuration: {path} cannot be read ({one_line(exc)}).",
            hint="Check the file's permissions, or pass -c PATH.",
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Can't read the configuration: {path} is not valid TOML ({one_line(exc)}).",
            hint="Fix the syntax error, or pass -c PATH.",
        ) from None


def tool_tables(document: Mapping[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """Return the ``[tool.strata]`` and ``[tool.alembic]`` tables a TOML document has."""
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for name in (STRATA_SECTION, ALEMBIC_SECTION):
        table = tool.get(name)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigError(
                f"Can't read the configuration: tool.{name} in {path} is not a table.",
                hint=f"Write it as a [tool.{name}] table.",
            )
        found[name] = table
    return found


def one_line(exc: BaseException) -> str:
    """Squeeze an exception message onto one line, without a trailing period."""
    return " ".join(str(exc).split()).rstrip(".")
