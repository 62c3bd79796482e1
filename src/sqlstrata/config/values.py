"""Pure converters from raw configuration values to typed values.

A raw value comes from an ini file (always a string) or from ``pyproject.toml`` (a string,
boolean, number or list of strings). The functions here turn one raw value into what the rest
of the program uses — a boolean, an int, a tuple of paths — and raise ``ConfigError`` naming the
option and where it was found when the value is wrong. Nothing here reads files.
"""

from __future__ import annotations

import configparser
import importlib.resources
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

from sqlstrata.errors import ConfigError

RawValue: TypeAlias = str | bool | int | float | list[str]
"""One option value as read from an ini file or a TOML table (after ``%(here)s``)."""

PATH_SEPARATORS: Mapping[str, str] = {
    "os": os.pathsep,
    "space": " ",
    "newline": "\n",
    ":": ":",
    ";": ";",
}
"""Values allowed for ``path_separator``, and the character each one splits on."""

_BOOLEANS = configparser.ConfigParser.BOOLEAN_STATES

# The historical Alembic format: entries separated by spaces and/or commas.
_LEGACY_SPLIT = re.compile(r"[\s,]+")

# "package.sub:resource/dir" -- a package resource rather than a file system path.
_RESOURCE = re.compile(r"^([A-Za-z_][\w.]*):(.+)$")

# $$ (a literal $), ${NAME} or $NAME.
_ENV_REFERENCE = re.compile(r"\$(?:(\$)|\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))")


def describe(value: object) -> str:
    """Name the kind of a TOML value for an error message."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def to_text(name: str, value: RawValue, where: str) -> str:
    """Return ``value`` as a string; lists are not accepted."""
    if isinstance(value, list):
        raise ConfigError(
            f"Can't read {name} in {where}: expected a string, got a list.",
            hint=f"Give {name} a single string value.",
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_bool(name: str, value: RawValue, where: str) -> bool:
    """Read a boolean: TOML true/false, or true/false/yes/no/on/off/1/0 in text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
        return _BOOLEANS[value.strip().lower()]
    raise ConfigError(
        f"Can't read {name} in {where}: {value!r} is not a boolean.",
        hint=f"Set {name} to true or false.",
    )


def to_int(name: str, value: RawValue, where: str) -> int:
    """Read a non-negative integer."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if number is None or number < 0:
        raise ConfigError(
            f"Can't read {name} in {where}: {value!r} is not a non-negative integer.",
            hint=f"Set {name} to a whole number such as 40.",
        )
    return number


def separator_for(name: str, value: str, where: str) -> str:
    """Return the character a ``path_separator`` value names."""
    try:
        return PATH_SEPARATORS[value.strip()]
    except KeyError:
        allowed = ", ".join(repr(key) for key in PATH_SEPARATORS)
        raise ConfigError(
            f"Can't read {name} in {where}: {value!r} is not a known separator.",
            hint=f"Use one of {allowed}.",
        ) from None


def split_paths(value: str, separator: str | None, legacy_extra: str = "") -> tuple[str, ...]:
    """Split a list of paths written on one line (or several).

    ``separator`` is a character from ``PATH_SEPARATORS``; ``None`` means the legacy Alembic
    format, where spaces and commas (and ``legacy_extra``, if given) separate entries.
    Entries are stripped; empty ones are dropped.
    """
    if separator is not None:
        parts = value.split(separator)
    elif legacy_extra:
        parts = re.split(rf"[\s,{re.escape(legacy_extra)}]+", value)
    else:
        parts = _LEGACY_SPLIT.split(value)
    return tuple(part.strip() for part in parts if part.strip())


def to_paths(
    name: str, value: RawValue, where: str, separator: str | None, legacy_extra: str = ""
) -> tuple[str, ...]:
    """Read a list of paths: a TOML list as it is, or a string split by ``separator``."""
    if isinstance(value, list):
        return tuple(item.strip() for item in value if item.strip())
    if isinstance(value, str):
        return split_paths(value, separator, legacy_extra)
    raise ConfigError(
        f"Can't read {name} in {where}: expected a string or a list of strings, "
        f"got {describe(value)}.",
        hint=f'Write {name} = ["path/one", "path/two"].',
    )


def resolve_location(value: str) -> Path:
    """Turn a location into a path; ``package:resource`` names a directory inside a package.

    A relative file system path stays relative: it is relative to the current directory,
    as in Alembic. Use ``%(here)s`` to make it relative to the configuration file instead.
    """
    match = _RESOURCE.match(value)
    if os.path.isabs(value) or match is None:
        return Path(value)
    package, resource = match.groups()
    try:
        root = importlib.resources.files(package)
    except (ImportError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"Can't resolve {value!r}: package {package!r} cannot be imported ({exc}).",
            hint="Install the package, or give a file system path instead.",
        ) from None
    target = root
    for part in resource.strip("/").split("/"):
        target = target.joinpath(part)
    if not isinstance(target, Path):
        raise ConfigError(
            f"Can't resolve {value!r}: package {package!r} is not on the file system.",
            hint="Install the package unzipped, or give a file system path instead.",
        )
    return target


def expand_env(value: str, environ: Mapping[str, str], *, name: str, where: str) -> str:
    """Replace ``${VAR}`` and ``$VAR`` with environment variables; ``$$`` is a literal ``$``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        variable = match.group(2) or match.group(3)
        if variable not in environ:
            raise ConfigError(
                f"Can't read {name} in {where}: environment variable {variable!r} is not set.",
                hint=f"Set {variable}, pass --url, or write $$ for a literal '$'.",
            )
        return environ[variable]

    return _ENV_REFERENCE.sub(replace, value)


def parse_x_arguments(arguments: Sequence[str]) -> dict[str, str]:
    """Turn ``-x KEY=VALUE`` / ``-x KEY`` arguments into a dict; a bare ``KEY`` maps to ``""``."""
    result: dict[str, str] = {}
    for argument in arguments:
        key, _, value = argument.partition("=")
        result[key] = value
    return result


def format_here(value: str, here: str, *, name: str, where: str) -> str:
    """Apply ``%(here)s`` to a TOML string; ``%%`` is a literal ``%``, as in ini files."""
    try:
        return value % {"here": here}
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"Can't read {name} in {where}: {value!r} has a bad %-substitution ({exc}).",
            hint="Only %(here)s is available; write %% for a literal '%'.",
        ) from None


def format_tree(value: object, here: str, *, name: str, where: str) -> object:
    """Apply ``%(here)s`` to every string in a TOML value (strings, lists and tables)."""
    if isinstance(value, str):
        return format_here(value, here, name=name, where=where)
    if isinstance(value, list):
        return [format_tree(item, here, name=name, where=where) for item in value]
    if isinstance(value, dict):
        return {key: format_tree(item, here, name=name, where=where) for key, item in value.items()}
    return value


def flatten_hooks(entries: object, where: str) -> dict[str, str]:
    """Turn a TOML list of hook tables into the ini form of ``[post_write_hooks]``.

    ``[{"name": "black", "type": "console_scripts"}]`` becomes
    ``{"hooks": "black", "black.type": "console_scripts"}``. Strings must already have had
    ``%(here)s`` applied.
    """
    hint = 'Write [[tool.strata.post_write_hooks]] tables, each with name = "..." and type = "...".'
    if not isinstance(entries, list):
        raise ConfigError(
            f"Can't read post_write_hooks in {where}: expected a list of tables, "
            f"got {describe(entries)}.",
            hint=hint,
        )
    names: list[str] = []
    flat: dict[str, str] = {}
    for entry in entries:
        hook = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(hook, str) or not hook:
            raise ConfigError(
                f"Can't read post_write_hooks in {where}: every hook needs a string 'name'.",
                hint=hint,
            )
        names.append(hook)
        for key, option in entry.items():
            if key == "name":
                continue
            if not isinstance(option, str | bool | int | float):
                raise ConfigError(
                    f"Can't read post_write_hooks in {where}: {hook}.{key} must be a string, "
                    f"got {describe(option)}.",
                    hint=hint,
                )
            flat[f"{hook}.{key}"] = to_text(f"{hook}.{key}", option, where)
    if names:
        flat = {"hooks": ", ".join(names), **flat}
    return flat
