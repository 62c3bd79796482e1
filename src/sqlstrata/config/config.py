"""The ``Config`` object: what commands read and what ``env.py`` sees as ``context.config``.

It offers Alembic's ``Config`` API (``get_main_option``, ``set_main_option``, ``get_section``,
``attributes``, ``cmd_opts``, ``print_stdout``...) so that an ``env.py`` written for Alembic works
unchanged apart from its imports, plus typed accessors (``script_location``,
``version_locations``, ``sqlalchemy_url``, ``version_table``...) that the rest of sqlstrata uses.

Options come from the main ini section first and then from the ``[tool.strata]`` (or
``[tool.alembic]``) table of a ``pyproject.toml``. A ``Config`` is mutable where Alembic's is:
``set_main_option`` and friends change the loaded values of this object only.
"""

from __future__ import annotations

import configparser
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO, TypeVar, overload

from sqlstrata.config.sources import (
    ALEMBIC_SECTION,
    STRATA_SECTION,
    ConfigSource,
    is_alembic_config,
    new_parser,
    one_line,
    read_ini,
    read_toml,
    require_section,
    tool_tables,
)
from sqlstrata.config.values import (
    RawValue,
    describe,
    expand_env,
    flatten_hooks,
    format_tree,
    parse_x_arguments,
    resolve_location,
    separator_for,
    to_bool,
    to_int,
    to_paths,
    to_text,
)
from sqlstrata.errors import ConfigError

_T = TypeVar("_T")

URL_OPTION = "sqlalchemy.url"
HOOKS_SECTION = "post_write_hooks"
DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_VERSION_TABLE = "strata_version"
ALEMBIC_VERSION_TABLE = "alembic_version"
# pyproject.toml keys cannot contain a dot without quoting, so sqlalchemy_url is accepted too.
_TOML_KEYS = {URL_OPTION: (URL_OPTION, "sqlalchemy_url")}


@dataclass(frozen=True, slots=True)
class _Found:
    """An option value and where it was read, for error messages."""

    value: RawValue
    where: str


class Config:
    """The configuration of one migration environment."""

    def __init__(
        self,
        file_: str | os.PathLike[str] | None = None,
        ini_section: str = STRATA_SECTION,
        *,
        toml_file: str | os.PathLike[str] | None = None,
        toml_table: str | None = None,
        cmd_opts: Any = None,
        attributes: dict[str, Any] | None = None,
        x_arguments: Sequence[str] = (),
        url_override: str | None = None,
        stdout: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        """Load ``file_`` (an ini file) and/or ``toml_file`` (a ``pyproject.toml``).

        ``ini_section`` is the main section; when it is the default ``strata`` and the file
        only has ``[alembic]``, that section is used. ``toml_table`` picks ``strata`` or
        ``alembic`` under ``[tool]`` (default: whichever the file has, preferring the one that
        matches the ini section). ``environ`` is where ``${VAR}`` in ``sqlalchemy.url`` is
        looked up (default: ``os.environ`` at the time of the lookup).
        """
        self.config_file_name: str | None = None if file_ is None else os.fspath(file_)
        self.toml_file_name: str | None = None if toml_file is None else os.fspath(toml_file)
        self.cmd_opts: Any = cmd_opts
        self.attributes: dict[str, Any] = {} if attributes is None else attributes
        self.x_arguments: tuple[str, ...] = tuple(x_arguments) or tuple(
            getattr(cmd_opts, "x", None) or ()
        )
        self.url_override = url_override
        self.stdout: TextIO = sys.stdout if stdout is None else stdout
        self._environ = environ
        self.file_config, self.config_ini_section = _load_ini(self.config_file_name, ini_section)
        self._toml_table, self._toml, self._toml_here = _load_toml(
            self.toml_file_name, toml_table, self.config_ini_section
        )
        self._hidden: set[str] = set()

    @classmethod
    def from_source(
        cls,
        source: ConfigSource,
        *,
        cmd_opts: Any = None,
        attributes: dict[str, Any] | None = None,
        x_arguments: Sequence[str] = (),
        url_override: str | None = None,
        stdout: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Config:
        """Load the configuration ``find_config`` chose."""
        return cls(
            source.ini_path,
            source.section,
            toml_file=source.toml_path,
            toml_table=source.toml_table,
            cmd_opts=cmd_opts,
            attributes=attributes,
            x_arguments=x_arguments,
            url_override=url_override,
            stdout=stdout,
            environ=environ,
        )

    def __repr__(self) -> str:
        files = [name for name in (self.config_file_name, self.toml_file_name) if name]
        return f"<Config {' + '.join(files) or '(no file)'} [{self.config_ini_section}]>"

    # -- Alembic's API -------------------------------------------------------------------

    @overload
    def get_main_option(self, name: str) -> str | None: ...
    @overload
    def get_main_option(self, name: str, default: _T) -> str | _T: ...
    def get_main_option(self, name: str, default: object = None) -> object:
        """Return an option of the main section (or of ``[tool.strata]``) as a string.

        ``sqlalchemy.url`` is the effective URL: ``--url`` if given, else the configured
        value with ``${VAR}`` expanded.
        """
        return self.get_section_option(self.config_ini_section, name, default)

    @overload
    def get_section_option(self, section: str, name: str) -> str | None: ...
    @overload
    def get_section_option(self, section: str, name: str, default: _T) -> str | _T: ...
    def get_section_option(self, section: str, name: str, default: object = None) -> object:
        """Return an option of any section; raise ``ConfigError`` if the section is missing."""
        if section == self.config_ini_section:
            if name == URL_OPTION:
                url = self.sqlalchemy_url
                return default if url is None else url
            found = self._lookup(name)
            return default if found is None else self._stringify(found.value)
        if self.file_config.has_section(section):
            if not self.file_config.has_option(section, name):
                return default
            value = self._ini_get(section, name)
            if name == URL_OPTION:
                return self._expand_url(value, self._ini_where(section))
            return value
        table = self._toml_section(section)
        if table is None:
            raise ConfigError(
                f"Can't read option {name!r}: the configuration has no [{section}] section.",
                hint=f"Add a [{section}] section to {self._main_file()}.",
            )
        return table.get(name, default)

    @overload
    def get_section(self, name: str) -> dict[str, str] | None: ...
    @overload
    def get_section(self, name: str, default: _T) -> dict[str, str] | _T: ...
    def get_section(self, name: str, default: object = None) -> object:
        """Return a section as a dict of strings, or ``default`` if there is no such section.

        For the main section, ``sqlalchemy.url`` is the effective URL (see
        ``get_main_option``), so ``engine_from_config(config.get_section(...))`` honours
        ``--url``. ``here`` is not included.
        """
        if name == self.config_ini_section:
            return self._main_items()
        if self.file_config.has_section(name):
            return self._ini_items(name)
        table = self._toml_section(name)
        return default if table is None else table

    def set_main_option(self, name: str, value: str) -> None:
        """Set an option of the main section; ``%`` must be written ``%%``, as in the file."""
        self.set_section_option(self.config_ini_section, name, value)

    def set_section_option(self, section: str, name: str, value: str) -> None:
        """Set an option of a section, creating the section if needed."""
        if not self.file_config.has_section(section):
            self.file_config.add_section(section)
        try:
            self.file_config.set(section, name, value)
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"Can't set {name} in [{section}]: {one_line(exc)}.",
                hint="Give a string, and write %% for a literal '%'.",
            ) from None
        if section == self.config_ini_section:
            self._hidden.discard(name)

    def remove_main_option(self, name: str) -> None:
        """Remove an option from the main section (and hide it in ``[tool.strata]``)."""
        if self.file_config.has_section(self.config_ini_section):
            self.file_config.remove_option(self.config_ini_section, name)
        self._hidden.add(name)

    def print_stdout(self, text: str, *args: object) -> None:
        """Write ``text % args`` and a newline to ``stdout``, unless ``cmd_opts.quiet``."""
        if getattr(self.cmd_opts, "quiet", False):
            return
        output = str(text) % args if args else str(text)
        self.stdout.write(output + "\n")

    def get_template_directory(self) -> str:
        """Return the directory holding sqlstrata's ``init`` templates."""
        return str(Path(__file__).resolve().parent.parent / "templates")

    @overload
    def get_x_argument(self, as_dictionary: Literal[False] = ...) -> list[str]: ...
    @overload
    def get_x_argument(self, as_dictionary: Literal[True]) -> dict[str, str]: ...
    @overload
    def get_x_argument(self, as_dictionary: bool) -> list[str] | dict[str, str]: ...
    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        """Return the ``-x`` arguments: a list, or a dict where a bare ``KEY`` maps to ``""``."""
        if as_dictionary:
            return parse_x_arguments(self.x_arguments)
        return list(self.x_arguments)

    # -- typed accessors -----------------------------------------------------------------

    @property
    def alembic_compatible(self) -> bool:
        """Whether this configuration was written for Alembic (alembic.ini / [tool.alembic])."""
        ini_path = None if self.config_file_name is None else Path(self.config_file_name)
        return is_alembic_config(ini_path, self.config_ini_section, self._toml_table)

    @property
    def script_location(self) -> Path:
        """The migration environment directory (``package:resource`` is resolved)."""
        found = self._lookup("script_location")
        text = "" if found is None else to_text("script_location", found.value, found.where)
        if not text.strip():
            raise ConfigError(
                f"Can't find the migration environment: script_location is not set in "
                f"{self._main_where()}.",
                hint="Add 'script_location = migrations', or run 'strata init migrations'.",
            )
        return resolve_location(text.strip())

    @property
    def version_locations(self) -> tuple[Path, ...]:
        """Directories holding revision files; empty means ``<script_location>/versions``."""
        found = self._lookup("version_locations")
        if found is None:
            return ()
        separator = self._separator("version_path_separator")
        paths = to_paths("version_locations", found.value, found.where, separator)
        return tuple(resolve_location(path) for path in paths)

    @property
    def recursive_version_locations(self) -> bool:
        """Whether revision files are searched for in subdirectories too."""
        return self._bool("recursive_version_locations", default=False)

    @property
    def prepend_sys_path(self) -> tuple[str, ...]:
        """Paths to put at the front of ``sys.path`` before ``env.py`` runs (default ``.``)."""
        found = self._lookup("prepend_sys_path")
        if found is None:
            return (".",)
        separator = self._separator(None)
        # Alembic's legacy format also splits on ':'; os.pathsep keeps Windows drives intact.
        return to_paths("prepend_sys_path", found.value, found.where, separator, os.pathsep)

    @property
    def file_template(self) -> str:
        """The ``%``-template for new revision file names (``%(rev)s_%(slug)s``)."""
        return self._text("file_template") or DEFAULT_FILE_TEMPLATE

    @property
    def timezone(self) -> str | None:
        """The time zone name for dates in new revisions; ``None`` is local time."""
        return self._text("timezone") or None

    @property
    def truncate_slug_length(self) -> int:
        """The maximum length of the message slug in file names (default 40)."""
        found = self._lookup("truncate_slug_length")
        if found is None or found.value == "":
            return 40
        return to_int("truncate_slug_length", found.value, found.where)

    @property
    def revision_environment(self) -> bool:
        """Whether ``revision`` always runs ``env.py``."""
        return self._bool("revision_environment", default=False)

    @property
    def sourceless(self) -> bool:
        """Whether ``.pyc`` files without a ``.py`` source count as revisions."""
        return self._bool("sourceless", default=False)

    @property
    def output_encoding(self) -> str:
        """The encoding revision files are written in (default ``utf-8``)."""
        return self._text("output_encoding") or "utf-8"

    @property
    def sqlalchemy_url(self) -> str | None:
        """The database URL: ``--url`` if given, else the configured one with ``${VAR}`` expanded.

        A missing environment variable raises ``ConfigError`` naming it.
        """
        if self.url_override is not None:
            return self.url_override
        found = self._lookup(URL_OPTION)
        if found is None:
            return None
        text = to_text(URL_OPTION, found.value, found.where).strip()
        return self._expand_url(text, found.where) if text else None

    @property
    def version_table(self) -> str:
        """The version table: ``strata_version``, or ``alembic_version`` for Alembic configs."""
        configured = self._text("version_table")
        if configured:
            return configured
        return ALEMBIC_VERSION_TABLE if self.alembic_compatible else DEFAULT_VERSION_TABLE

    @property
    def version_table_schema(self) -> str | None:
        """The schema of the version table; ``None`` is the default schema."""
        return self._text("version_table_schema") or None

    @property
    def post_write_hooks(self) -> dict[str, str]:
        """The ``[post_write_hooks]`` options (``hooks``, ``<name>.type``...), ini style."""
        hooks = self.get_section(HOOKS_SECTION)
        return {} if hooks is None else hooks

    @property
    def has_logging_config(self) -> bool:
        """Whether the ini file configures logging (has a ``[loggers]`` section)."""
        return self.file_config.has_section("loggers")

    # -- internals -----------------------------------------------------------------------

    def _lookup(self, name: str) -> _Found | None:
        """Find a main option: the ini section first, then the TOML table."""
        section = self.config_ini_section
        if self.file_config.has_option(section, name):
            return _Found(self._ini_get(section, name), self._ini_where(section))
        if name in self._hidden or self._toml_table is None:
            return None
        for key in _TOML_KEYS.get(name, (name,)):
            if key in self._toml:
                return self._toml_found(key, self._toml[key])
        return None

    def _toml_found(self, key: str, value: object) -> _Found:
        """Check a TOML option's type and apply ``%(here)s``."""
        where = self._toml_where()
        value = format_tree(value, self._toml_here, name=key, where=where)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return _Found(list(value), where)
        if isinstance(value, str | bool | int | float):
            return _Found(value, where)
        raise ConfigError(
            f"Can't read {key} in {where}: expected a string, number, boolean or list of "
            f"strings, got {describe(value)}.",
            hint=f'Give {key} a plain value, e.g. {key} = "...".',
        )

    def _text(self, name: str) -> str:
        """Return an option as stripped text, ``""`` when it is not set."""
        found = self._lookup(name)
        return "" if found is None else to_text(name, found.value, found.where).strip()

    def _bool(self, name: str, *, default: bool) -> bool:
        found = self._lookup(name)
        if found is None or found.value == "":
            return default
        return to_bool(name, found.value, found.where)

    def _separator(self, legacy_key: str | None) -> str | None:
        """Return the configured path separator character, or ``None`` for the legacy split."""
        for key in ("path_separator", legacy_key):
            found = None if key is None else self._lookup(key)
            if key is not None and found is not None:
                text = to_text(key, found.value, found.where)
                if text.strip():
                    return separator_for(key, text, found.where)
        return None

    def _stringify(self, value: RawValue) -> str:
        """Render a value the way it would read in an ini file."""
        if isinstance(value, list):
            return (self._separator("version_path_separator") or " ").join(value)
        return to_text("option", value, "")

    def _ini_get(self, section: str, name: str) -> str:
        try:
            return self.file_config.get(section, name)
        except configparser.Error as exc:
            raise ConfigError(
                f"Can't read {name} in {self._ini_where(section)}: {one_line(exc)}.",
                hint="Write %% for a literal '%' in ini values.",
            ) from None

    def _ini_items(self, section: str) -> dict[str, str]:
        items = {
            name: self._ini_get(section, name)
            for name in self.file_config.options(section)
            if name != "here"
        }
        if URL_OPTION in items and section != self.config_ini_section:
            items[URL_OPTION] = self._expand_url(items[URL_OPTION], self._ini_where(section))
        return items

    def _expand_url(self, text: str, where: str) -> str:
        environ = os.environ if self._environ is None else self._environ
        return expand_env(text, environ, name=URL_OPTION, where=where)

    def _main_items(self) -> dict[str, str]:
        """The main section merged over the TOML table, with the effective URL."""
        items: dict[str, str] = {}
        if self._toml_table is not None:
            for key, raw in self._toml.items():
                name = URL_OPTION if key == "sqlalchemy_url" else key
                if name in self._hidden or not _is_option_value(raw):
                    continue
                items[name] = self._stringify(self._toml_found(key, raw).value)
        items.update(self._ini_items(self.config_ini_section))
        url = self.sqlalchemy_url
        if url is not None:
            items[URL_OPTION] = url
        return items

    def _toml_section(self, name: str) -> dict[str, str] | None:
        """A ``[tool.strata.<name>]`` table (or the hooks list) as an ini-style section."""
        if self._toml_table is None or name not in self._toml:
            return None
        where = self._toml_where()
        value = format_tree(self._toml[name], self._toml_here, name=name, where=where)
        if name == HOOKS_SECTION:
            return flatten_hooks(value, where)
        if not isinstance(value, dict):
            return None
        items = {
            key: self._stringify(item) for key, item in value.items() if _is_option_value(item)
        }
        if URL_OPTION in items:
            items[URL_OPTION] = self._expand_url(
                items[URL_OPTION], f"[tool.{self._toml_table}.{name}]"
            )
        return items

    def _ini_where(self, section: str) -> str:
        return f"[{section}] of {self.config_file_name or 'the configuration'}"

    def _toml_where(self) -> str:
        return f"[tool.{self._toml_table}] of {self.toml_file_name}"

    def _main_where(self) -> str:
        if self.config_file_name is None and self._toml_table is not None:
            return self._toml_where()
        return self._ini_where(self.config_ini_section)

    def _main_file(self) -> str:
        return self.config_file_name or self.toml_file_name or "the configuration"


def _is_option_value(value: object) -> bool:
    """Tell whether a TOML value is a plain option (not a table or a list of tables)."""
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, str | bool | int | float)


def _load_ini(file_name: str | None, ini_section: str) -> tuple[configparser.ConfigParser, str]:
    """Read the ini file and choose its main section."""
    if file_name is None:
        parser = new_parser(None)
        parser.add_section(ini_section)
        return parser, ini_section
    path = Path(file_name)
    parser = read_ini(path)
    if parser.has_section(ini_section) or ini_section != STRATA_SECTION:
        return parser, require_section(parser, path, ini_section)
    # Config("alembic.ini") keeps working for code ported from Alembic.
    if parser.has_section(ALEMBIC_SECTION):
        return parser, ALEMBIC_SECTION
    return parser, require_section(parser, path, ini_section)


def _load_toml(
    file_name: str | None, table: str | None, ini_section: str
) -> tuple[str | None, dict[str, Any], str]:
    """Read ``[tool.<table>]`` from a TOML file; return (table, its contents, ``here``)."""
    if file_name is None:
        return None, {}, ""
    path = Path(file_name)
    tools = tool_tables(read_toml(path), path)
    if table is None:
        preferred = (ini_section, STRATA_SECTION, ALEMBIC_SECTION)
        table = next((name for name in preferred if name in tools), STRATA_SECTION)
    if table not in tools:
        raise ConfigError(
            f"Can't read the configuration: {path} has no [tool.{table}] table.",
            hint=f"Add a [tool.{table}] table with script_location, or pass -c PATH.",
        )
    return table, tools[table], os.path.dirname(os.path.abspath(path))
