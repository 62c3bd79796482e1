"""Importing revision scripts: the one place a script file is executed as a module.

A script is imported only to run its ``upgrade()``/``downgrade()``, or when its header cannot be
read without running it (see :mod:`sqlstrata.scripts.header`). Each file gets a module name of
its own, derived from its absolute path, so two files with the same name in different version
locations never replace each other in ``sys.modules``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import types
from pathlib import Path

from sqlstrata.errors import ScriptError

MODULE_PREFIX = "_strata_script_"
"""Every module imported from a script file has a name starting with this."""

_NOT_IDENTIFIER = re.compile(r"\W")


def module_name_for(path: Path) -> str:
    """Return the module name a script file is imported under (unique per absolute path)."""
    absolute = os.path.abspath(path)
    digest = hashlib.sha1(absolute.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    stem = _NOT_IDENTIFIER.sub("_", path.name.split(".", 1)[0])
    return f"{MODULE_PREFIX}{stem}_{digest}"


def import_script(path: Path) -> types.ModuleType:
    """Execute the script file at ``path`` as a fresh module and return it.

    ``.py`` files are compiled from source and ``.pyc`` files are loaded as bytecode. The module
    is registered in ``sys.modules`` while it runs (dataclasses and typing need that) and stays
    there afterwards, replacing any earlier load of the same file.
    """
    name = module_name_for(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ScriptError(
            f"Can't import revision script {path}: it is not a Python source or bytecode file.",
            path=str(path),
            hint="Revision scripts must end in .py (or .pyc when sourceless is set).",
        )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise _import_error(path, exc) from exc
    return module


def _import_error(path: Path, exc: Exception) -> ScriptError:
    """Describe why importing ``path`` failed, with a hint fitting the kind of failure."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        why = f"it imports {exc.name!r}, which is not installed (ModuleNotFoundError: {exc})"
        hint = f"Install the package that provides {exc.name!r}, or fix the import in {path}."
    elif isinstance(exc, SyntaxError):
        where = f" at line {exc.lineno}" if exc.lineno else ""
        why = f"SyntaxError{where}: {exc.msg}"
        hint = f"Fix the syntax error in {path}."
    elif isinstance(exc, FileNotFoundError):
        why = f"the file does not exist ({exc})"
        hint = "Restore the file or remove the reference to it."
    else:
        why = f"{type(exc).__name__}: {exc}"
        hint = f"Fix the error raised while importing {path}."
    return ScriptError(f"Can't import revision script {path}: {why}.", path=str(path), hint=hint)
