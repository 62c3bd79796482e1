"""Post-write hooks: programs run on a revision file right after it is written.

Configured as in Alembic's ``[post_write_hooks]`` section::

    hooks = ruff, black
    ruff.type = exec                      # exec | console_scripts | module
    ruff.executable = %(here)s/.venv/bin/ruff
    ruff.options = check --fix REVISION_SCRIPT_FILENAME
    ruff.cwd = %(here)s                   # optional working directory
    black.type = console_scripts
    black.entrypoint = black
    black.options = -l 79 REVISION_SCRIPT_FILENAME

``exec`` runs ``executable``; ``console_scripts`` runs the named ``console_scripts`` entry point
of an installed distribution with the current interpreter; ``module`` runs
``python -m <module>``. ``options`` is split like a shell command line; the token
``REVISION_SCRIPT_FILENAME`` is replaced by the file's path, and the path is appended when the
token is absent.

:func:`parse_hooks` is pure; :func:`run_hooks` starts the processes.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from sqlstrata.errors import ConfigError, ScriptError

HookType = Literal["exec", "console_scripts", "module"]

HOOK_TYPES: Final[tuple[HookType, ...]] = ("exec", "console_scripts", "module")
FILENAME_TOKEN: Final = "REVISION_SCRIPT_FILENAME"

_REQUIRED: Final[dict[HookType, str]] = {
    "exec": "executable",
    "console_scripts": "entrypoint",
    "module": "module",
}
_SPLIT = re.compile(r"[\s,]+")
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HookSpec:
    """One configured post-write hook.

    ``target`` is the executable (``exec``), the entry point name (``console_scripts``) or the
    module (``module``).
    """

    name: str
    type: HookType
    target: str
    options: str = ""
    cwd: str | None = None


def parse_hooks(section: Mapping[str, str]) -> tuple[HookSpec, ...]:
    """Build the hook specs from a ``[post_write_hooks]`` section, in the order listed."""
    names = [name for name in _SPLIT.split(section.get("hooks", "")) if name]
    return tuple(_parse_hook(name, section) for name in names)


def _parse_hook(name: str, section: Mapping[str, str]) -> HookSpec:
    """Build one hook spec, checking its type and required key."""
    kind = section.get(f"{name}.type", "").strip()
    if not kind:
        raise ConfigError(
            f"Can't configure post-write hook {name!r}: '{name}.type' is missing.",
            hint=f"Set {name}.type to one of: {', '.join(HOOK_TYPES)}.",
        )
    if kind not in HOOK_TYPES:
        raise ConfigError(
            f"Can't configure post-write hook {name!r}: unknown type {kind!r}.",
            hint=f"Set {name}.type to one of: {', '.join(HOOK_TYPES)}.",
        )
    hook_type: HookType = kind
    key = _REQUIRED[hook_type]
    target = section.get(f"{name}.{key}", "").strip()
    if not target:
        raise ConfigError(
            f"Can't configure post-write hook {name!r}: a {kind} hook needs '{name}.{key}'.",
            hint=f"Set {name}.{key} in the post_write_hooks section.",
        )
    cwd = section.get(f"{name}.cwd", "").strip() or None
    return HookSpec(name, hook_type, target, section.get(f"{name}.options", "").strip(), cwd)


def hook_command(spec: HookSpec, path: Path) -> list[str]:
    """Return the command line that runs ``spec`` on the file at ``path``."""
    arguments = _arguments(spec.options, path)
    if spec.type == "exec":
        return [spec.target, *arguments]
    if spec.type == "module":
        return [sys.executable, "-m", spec.target, *arguments]
    module, attribute = _entry_point(spec)
    code = f"import sys, {module}; sys.exit({module}.{attribute}())"
    return [sys.executable, "-c", code, *arguments]


def run_hooks(specs: Sequence[HookSpec], path: Path) -> None:
    """Run each hook on ``path`` in turn; raise ScriptError at the first one that fails."""
    import subprocess  # only revision writing needs it; keep start-up light

    for spec in specs:
        command = hook_command(spec, path)
        _log.debug("Running post-write hook %s: %s", spec.name, command)
        try:
            done = subprocess.run(
                command,
                cwd=spec.cwd,
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
            )
        except OSError as exc:
            raise _hook_error(spec, path, f"can't start {command[0]!r}: {exc}") from exc
        if done.stdout:
            _log.debug("Post-write hook %s said: %s", spec.name, done.stdout.rstrip())
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip() or "no output"
            raise _hook_error(spec, path, f"it exited with status {done.returncode}: {output}")


def _arguments(options: str, path: Path) -> list[str]:
    """Split ``options`` like a shell would and put the file's path in place of the token."""
    if FILENAME_TOKEN not in options:
        options = f"{options} {FILENAME_TOKEN}"
    words = shlex.split(options, posix=os.name != "nt")
    return [word.replace(FILENAME_TOKEN, str(path)) for word in words]


def _entry_point(spec: HookSpec) -> tuple[str, str]:
    """Find the ``console_scripts`` entry point a hook names; return (module, attribute)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="console_scripts", name=spec.target):
        if entry.attr:
            return entry.module, entry.attr
    raise ScriptError(
        f"Can't run post-write hook {spec.name!r}: no installed distribution provides the "
        f"console_scripts entry point {spec.target!r}.",
        hint=f"Install the tool, or use {spec.name}.type = exec with {spec.name}.executable "
        "(needed for tools that are not Python packages, such as ruff).",
    )


def _hook_error(spec: HookSpec, path: Path, why: str) -> ScriptError:
    """Describe a failed hook; the revision file itself was written."""
    return ScriptError(
        f"Can't run post-write hook {spec.name!r} on {path}: {why}.",
        path=str(path),
        hint="The revision file was written; fix or remove the hook in the post_write_hooks "
        "section, then run the tool by hand.",
    )
