"""Writing new revision files: ids, file names, rendering ``script.py.mako``, post-write hooks.

The template sees the variables Alembic's templates use, so an existing ``script.py.mako`` keeps
working: ``up_revision``, ``down_revision`` (``None``, a string, or a tuple for a merge),
``branch_labels`` and ``depends_on`` (``None`` or a tuple), ``message``, ``create_date``,
``imports`` (default ``""``), ``upgrades`` and ``downgrades`` (default ``"pass"``), ``comma`` (a
Mako filter joining a tuple with ", "), plus any ``template_args``.

The file name is ``file_template % tokens`` + ``.py``, where the tokens are ``rev``, ``slug``,
``epoch``, ``year``, ``month``, ``day``, ``hour``, ``minute`` and ``second``, taken from the
create date (converted to ``timezone`` when one is set). ``file_template`` is the value after
ini-file interpolation, so ``%%`` gives a literal ``%``. It may contain ``/``: the file then goes
into subdirectories, which needs ``recursive_version_locations`` so that it is found again.

Mako is imported only here, and only when a revision is written.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlstrata.errors import CommandError, ConfigError, ScriptError
from sqlstrata.scripts.hooks import run_hooks

if TYPE_CHECKING:
    from sqlstrata.scripts.directory import ScriptSettings

FILE_TEMPLATE_TOKENS = ("rev", "slug", "epoch", "year", "month", "day", "hour", "minute", "second")
_REVISION_VARIABLES = frozenset(
    {"up_revision", "down_revision", "branch_labels", "depends_on", "message", "create_date"}
)
_WORD = re.compile(r"\w+")
_REV_ID = re.compile(r"\w+")


def new_revision_id() -> str:
    """Return a fresh random revision id: 12 hexadecimal characters."""
    return uuid.uuid4().hex[-12:]


def slugify(message: str | None, max_length: int) -> str:
    """Turn a message into a file-name slug: lowercase words joined by ``_``.

    A slug longer than ``max_length`` is cut at the last word boundary that fits; a first word
    longer than ``max_length`` is cut inside the word.
    """
    slug = "_".join(_WORD.findall(message or "")).lower()
    if len(slug) <= max_length:
        return slug
    if slug[max_length] == "_":
        return slug[:max_length]
    cut = slug[:max_length].rsplit("_", 1)[0]
    return cut or slug[:max_length]


def localize(create_date: datetime, timezone: str | None) -> datetime:
    """Express ``create_date`` in the zone named ``timezone`` (naive dates are local time)."""
    if timezone is None:
        return create_date
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"Can't use timezone {timezone!r}: no such time zone.",
            hint="Use an IANA zone name such as 'UTC' or 'Europe/Paris' (install tzdata "
            "on systems without a zone database).",
        ) from exc
    return create_date.astimezone(zone)


def revision_filename(
    file_template: str,
    *,
    rev_id: str,
    message: str | None,
    create_date: datetime,
    truncate_slug_length: int,
) -> str:
    """Return the relative file name (``/``-separated, ending in ``.py``) for a new revision."""
    tokens: dict[str, object] = {
        "rev": rev_id,
        "slug": slugify(message, truncate_slug_length),
        "epoch": int(create_date.timestamp()),
        "year": create_date.year,
        "month": create_date.month,
        "day": create_date.day,
        "hour": create_date.hour,
        "minute": create_date.minute,
        "second": create_date.second,
    }
    try:
        name = file_template % tokens
    except KeyError as exc:
        raise ConfigError(
            f"Can't name the revision file: file_template {file_template!r} uses the unknown "
            f"token {exc.args[0]!r}.",
            hint=f"Use only these tokens: {', '.join(FILE_TEMPLATE_TOKENS)}.",
        ) from exc
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"Can't name the revision file: file_template {file_template!r} is not a valid "
            f"%-format ({exc}).",
            hint="Write tokens as %(rev)s (%%(rev)s in an ini file); write %% for a literal %.",
        ) from exc
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ConfigError(
            f"Can't name the revision file: file_template {file_template!r} gives {name!r}, "
            "which is not a relative path inside the version location.",
            hint="Remove empty, '.', '..' and leading '/' parts from file_template.",
        )
    return "/".join(parts) + ".py"


def write_revision(
    settings: ScriptSettings,
    *,
    rev_id: str,
    message: str | None,
    down_revisions: Sequence[str] = (),
    branch_labels: Sequence[str] = (),
    depends_on: Sequence[str] = (),
    version_path: Path | None = None,
    template_args: Mapping[str, Any] | None = None,
    create_date: datetime | None = None,
) -> Path:
    """Render ``script.py.mako`` into a new revision file, run the post-write hooks, return it.

    ``create_date`` defaults to now. The file must not exist yet.
    """
    if not _REV_ID.fullmatch(rev_id):
        raise CommandError(
            f"Can't create revision {rev_id!r}: a revision id may contain only letters, "
            "digits and underscores.",
            hint="Choose another --rev-id, or leave it out to get a random one.",
        )
    date = localize(create_date or datetime.now(), settings.timezone)
    location = _target_location(settings, version_path)
    name = revision_filename(
        settings.file_template,
        rev_id=rev_id,
        message=message,
        create_date=date,
        truncate_slug_length=settings.truncate_slug_length,
    )
    if "/" in name and not settings.recursive_version_locations:
        raise ConfigError(
            f"Can't write revision {rev_id}: file_template puts it in a subdirectory "
            f"({name}), where it would not be found again.",
            hint="Set recursive_version_locations = true, or remove '/' from file_template.",
        )
    variables = _template_variables(
        rev_id, message, down_revisions, branch_labels, depends_on, date, template_args or {}
    )
    text = render_template(settings.script_location / "script.py.mako", variables)
    path = location.joinpath(*name.split("/"))
    _write_new_file(path, _encode(text, settings.output_encoding, rev_id))
    run_hooks(settings.post_write_hooks, path)
    return path


def _target_location(settings: ScriptSettings, version_path: Path | None) -> Path:
    """Return the directory the new file goes into; it must be (inside) a version location."""
    if version_path is None:
        return settings.version_locations[0]
    wanted = version_path.resolve()
    for location in settings.version_locations:
        resolved = location.resolve()
        if wanted == resolved or (
            settings.recursive_version_locations and wanted.is_relative_to(resolved)
        ):
            return version_path
    listed = ", ".join(str(location) for location in settings.version_locations)
    raise CommandError(
        f"Can't write a revision into {version_path}: it is not one of the version "
        f"locations ({listed}).",
        hint="Pass one of the version locations, or add the directory to version_locations.",
    )


def _template_variables(
    rev_id: str,
    message: str | None,
    down_revisions: Sequence[str],
    branch_labels: Sequence[str],
    depends_on: Sequence[str],
    create_date: datetime,
    template_args: Mapping[str, Any],
) -> dict[str, Any]:
    """Return the variables ``script.py.mako`` is rendered with."""
    clash = sorted(_REVISION_VARIABLES & template_args.keys())
    if clash:
        raise CommandError(
            f"Can't render revision {rev_id}: template_args may not set {', '.join(clash)}.",
            hint="Pass those values as the revision's own arguments.",
        )
    variables: dict[str, Any] = {
        "imports": "",
        "upgrades": "pass",
        "downgrades": "pass",
        "comma": _comma,
    }
    variables.update(template_args)
    variables.update(
        up_revision=rev_id,
        down_revision=_one_or_tuple(down_revisions),
        branch_labels=tuple(branch_labels) or None,
        depends_on=tuple(depends_on) or None,
        message=message if message is not None else "",
        create_date=create_date,
    )
    return variables


def _one_or_tuple(ids: Sequence[str]) -> str | tuple[str, ...] | None:
    """Return ``None`` for no ids, the id itself for one, a tuple for several."""
    if not ids:
        return None
    return ids[0] if len(ids) == 1 else tuple(ids)


def _comma(value: object) -> str:
    """Mako filter: show ``None`` as "", a string as itself, a sequence joined by ", "."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return str(value)


def render_template(template_path: Path, variables: Mapping[str, Any]) -> str:
    """Render a Mako template file; a missing file or a template error raises ScriptError."""
    if not template_path.is_file():
        raise ScriptError(
            f"Can't render a new revision: the template {template_path} does not exist.",
            path=str(template_path),
            hint="Restore script.py.mako in the script directory (see 'strata init').",
        )
    from mako import exceptions  # type: ignore[import-untyped]
    from mako.template import Template  # type: ignore[import-untyped]

    try:
        rendered: str = Template(filename=str(template_path)).render_unicode(**variables)
    except Exception as exc:
        why = _mako_error(exceptions.RichTraceback(), template_path)
        raise ScriptError(
            f"Can't render {template_path}: {why}.",
            path=str(template_path),
            hint="Fix the template; the error text above points at the failing line.",
        ) from exc
    return rendered


def _mako_error(traceback: Any, template_path: Path) -> str:
    """Describe a Mako error: its type, message and the template line it came from."""
    text = f"{traceback.errorname}: {traceback.message}"
    for record in reversed(traceback.records):
        if record[4] == str(template_path) and record[5]:
            return f"{text} (line {record[5]}: {str(record[6]).strip()})"
    return text


def _encode(text: str, encoding: str, rev_id: str) -> bytes:
    """Encode the rendered script with ``output_encoding``."""
    try:
        return text.encode(encoding)
    except LookupError as exc:
        raise ConfigError(
            f"Can't write revision {rev_id}: unknown output_encoding {encoding!r}.",
            hint="Set output_encoding to a Python codec name such as utf-8.",
        ) from exc
    except UnicodeEncodeError as exc:
        raise ScriptError(
            f"Can't write revision {rev_id}: the rendered script has characters that "
            f"{encoding} cannot encode ({exc.object[exc.start : exc.end]!r}).",
            hint="Use output_encoding = utf-8, or remove those characters from the message.",
        ) from exc


def _write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (and its directories) with ``data``; never overwrite a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as file:
            file.write(data)
    except FileExistsError as exc:
        raise CommandError(
            f"Can't write revision file {path}: it already exists.",
            hint="Use another revision id, or remove the existing file.",
        ) from exc
    except OSError as exc:
        raise ScriptError(
            f"Can't write revision file {path}: {exc.strerror or exc}.",
            path=str(path),
            hint="Check that the version location exists and is writable.",
        ) from exc
