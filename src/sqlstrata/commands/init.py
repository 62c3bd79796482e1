"""Create a migration environment: ``strata init`` and ``strata list-templates``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlstrata.errors import CommandError

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    description: str
    path: Path


def list_templates() -> tuple[Template, ...]:
    """The environment templates, with the first line of each README."""
    found = []
    for path in sorted(TEMPLATES_DIR.iterdir()):
        readme = path / "README"
        if path.is_dir() and readme.is_file():
            first = readme.read_text(encoding="utf-8").strip().splitlines()[0]
            found.append(Template(path.name, first, path))
    return tuple(found)


def _template(name: str) -> Template:
    for template in list_templates():
        if template.name == name:
            return template
    names = ", ".join(t.name for t in list_templates())
    raise CommandError(
        f"Can't use template {name!r}: no such template.", hint=f"Choose one of {names}."
    )


def _location_value(directory: Path, config_dir: Path) -> tuple[str, str]:
    """``script_location`` as written in the config: relative to %(here)s when possible."""
    try:
        rel = directory.resolve().relative_to(config_dir.resolve()).as_posix()
    except ValueError:
        return directory.resolve().as_posix(), directory.resolve().as_posix()
    return f"%(here)s/{rel}", rel


def init(
    directory: str | Path,
    template: str = "generic",
    package: bool = False,
    config_file: str | Path | None = None,
) -> list[tuple[str, Path]]:
    """Write the environment into ``directory`` and the config next to the current directory.

    Returns the (action, path) pairs done, e.g. ``("Generating", .../env.py)``.
    """
    from mako.template import Template as MakoTemplate  # type: ignore[import-untyped]

    chosen = _template(template)
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise CommandError(
            f"Can't create the environment in {target}: the directory is not empty.",
            hint="Choose a new directory name, e.g. 'strata init migrations'.",
        )
    is_pyproject = template == "pyproject"
    config_path = (
        Path(config_file)
        if config_file
        else Path("pyproject.toml" if is_pyproject else "strata.ini")
    )
    location, rel = _location_value(
        target, config_path.parent if config_path.parent != Path() else Path.cwd()
    )
    done: list[tuple[str, Path]] = []
    for path in (target, target / "versions"):
        if not path.exists():
            path.mkdir(parents=True)
            done.append(("Creating directory", path.resolve()))
    for source in _template_files(chosen):
        dest = target / source.name
        dest.write_bytes(source.read_bytes())
        done.append(("Generating", dest.resolve()))
    if package:
        for path in (target / "__init__.py", target / "versions" / "__init__.py"):
            path.write_text("", encoding="utf-8")
            done.append(("Generating", path.resolve()))
    rendered = MakoTemplate(
        filename=str(chosen.path / ("pyproject.toml.mako" if is_pyproject else "strata.ini.mako"))
    ).render(script_location=location, script_location_rel=rel)
    done.append(_write_config(config_path, rendered, is_pyproject))
    return done


def _template_files(template: Template) -> list[Path]:
    """The files a template puts in the environment; what it lacks comes from generic."""
    files: dict[str, Path] = {}
    for folder in (TEMPLATES_DIR / "generic", template.path):
        for source in folder.iterdir():
            is_config = source.suffix == ".mako" and source.name != "script.py.mako"
            if not is_config and source.name != "__pycache__":
                files[source.name] = source
    return [files[name] for name in sorted(files)]


def _write_config(path: Path, rendered: str, is_pyproject: bool) -> tuple[str, Path]:
    if is_pyproject and path.exists():
        existing = path.read_text(encoding="utf-8")
        if "[tool.strata]" in existing:
            return ("Skipping existing [tool.strata] in", path.resolve())
        separator = (
            "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
        )
        path.write_text(existing + separator + rendered, encoding="utf-8")
        return ("Appending [tool.strata] to", path.resolve())
    if path.exists():
        return ("Skipping existing", path.resolve())
    path.write_text(rendered, encoding="utf-8")
    os.chmod(path, 0o644)
    return ("Generating", path.resolve())
