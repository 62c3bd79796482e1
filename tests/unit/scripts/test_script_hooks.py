"""Post-write hooks: parsing the configuration section and running real hook processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from script_helpers import SCRIPT_MAKO, write_file

from sqlstrata.errors import ConfigError, ScriptError
from sqlstrata.scripts import ScriptSettings, parse_hooks, read_header, run_hooks, write_revision
from sqlstrata.scripts.hooks import HookSpec, hook_command

# A tiny hook: appends a marker line (its arguments) to the file it is given, or fails.
HOOK_SOURCE = """\
import sys

args = sys.argv[1:]
if "--fail" in args:
    sys.stderr.write("hook refused the file\\n")
    sys.exit(3)
path = args[-1]
with open(path, "a", encoding="utf-8") as file:
    file.write("# hooked: " + " ".join(args[:-1]) + "\\n")
"""


@pytest.fixture
def hook_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "hooks"
    write_file(directory / "strata_test_hook.py", HOOK_SOURCE, dedent=False)
    return directory


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return write_file(tmp_path / "a1_x.py", "revision = 'a1'\n", dedent=False)


def test_parse_hooks_in_listed_order() -> None:
    section = {
        "hooks": "ruff, black  isort",
        "ruff.type": "exec",
        "ruff.executable": "/venv/bin/ruff",
        "ruff.options": "check --fix REVISION_SCRIPT_FILENAME",
        "ruff.cwd": "/project",
        "black.type": "console_scripts",
        "black.entrypoint": "black",
        "black.options": "-l 79 REVISION_SCRIPT_FILENAME",
        "isort.type": "module",
        "isort.module": "isort",
        "unlisted.type": "exec",
    }
    assert parse_hooks(section) == (
        HookSpec(
            "ruff", "exec", "/venv/bin/ruff", "check --fix REVISION_SCRIPT_FILENAME", "/project"
        ),
        HookSpec("black", "console_scripts", "black", "-l 79 REVISION_SCRIPT_FILENAME"),
        HookSpec("isort", "module", "isort"),
    )


def test_no_hooks() -> None:
    assert parse_hooks({}) == ()
    assert parse_hooks({"hooks": "  "}) == ()


@pytest.mark.parametrize(
    ("section", "complaint"),
    [
        ({"hooks": "ruff"}, "'ruff.type' is missing"),
        ({"hooks": "ruff", "ruff.type": "shell"}, "unknown type 'shell'"),
        ({"hooks": "ruff", "ruff.type": "exec"}, "needs 'ruff.executable'"),
        ({"hooks": "b", "b.type": "console_scripts"}, "needs 'b.entrypoint'"),
        ({"hooks": "m", "m.type": "module", "m.module": " "}, "needs 'm.module'"),
    ],
)
def test_parse_hooks_errors(section: dict[str, str], complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        parse_hooks(section)


def test_command_lines(tmp_path: Path) -> None:
    path = tmp_path / "dir with space" / "a1_x.py"
    exec_hook = HookSpec("r", "exec", "/bin/ruff", "check --fix REVISION_SCRIPT_FILENAME")
    assert hook_command(exec_hook, path) == ["/bin/ruff", "check", "--fix", str(path)]
    module_hook = HookSpec("m", "module", "black", "-l 79")  # no token: the path goes last
    assert hook_command(module_hook, path) == [sys.executable, "-m", "black", "-l", "79", str(path)]
    quoted = HookSpec("q", "exec", "tool", "--name 'two words' --out=REVISION_SCRIPT_FILENAME.bak")
    assert hook_command(quoted, path) == ["tool", "--name", "two words", f"--out={path}.bak"]


def test_exec_hook_runs(hook_dir: Path, target: Path) -> None:
    spec = HookSpec(
        "marker",
        "exec",
        sys.executable,
        f"{hook_dir / 'strata_test_hook.py'} --tag REVISION_SCRIPT_FILENAME",
    )
    run_hooks([spec], target)
    assert target.read_text().endswith("# hooked: --tag\n")


def test_module_hook_runs_in_cwd(hook_dir: Path, target: Path) -> None:
    spec = HookSpec("marker", "module", "strata_test_hook", "--mod", cwd=str(hook_dir))
    run_hooks([spec], target)
    assert target.read_text().endswith("# hooked: --mod\n")


def test_hooks_run_in_order(hook_dir: Path, target: Path) -> None:
    specs = [
        HookSpec("one", "module", "strata_test_hook", "first", cwd=str(hook_dir)),
        HookSpec("two", "module", "strata_test_hook", "second", cwd=str(hook_dir)),
    ]
    run_hooks(specs, target)
    assert target.read_text().splitlines()[-2:] == ["# hooked: first", "# hooked: second"]


def test_failing_hook_reports_stderr(hook_dir: Path, target: Path) -> None:
    spec = HookSpec("strict", "module", "strata_test_hook", "--fail", cwd=str(hook_dir))
    with pytest.raises(ScriptError) as caught:
        run_hooks([spec], target)
    message = str(caught.value)
    assert "post-write hook 'strict'" in message
    assert "status 3" in message
    assert "hook refused the file" in message
    assert "was written" in caught.value.hint


def test_missing_executable(target: Path) -> None:
    spec = HookSpec("ghost", "exec", "/nonexistent/strata-hook-binary")
    with pytest.raises(ScriptError, match="can't start '/nonexistent/strata-hook-binary'"):
        run_hooks([spec], target)


def test_console_scripts_hook(tmp_path: Path) -> None:
    # mako-render is a console script installed with Mako: it renders a template to stdout.
    good = write_file(tmp_path / "good.txt", "plain text\n", dedent=False)
    bad = write_file(tmp_path / "bad.txt", "${no_such_name.attribute}\n", dedent=False)
    spec = HookSpec("render", "console_scripts", "mako-render")
    command = hook_command(spec, good)
    assert command[:2] == [sys.executable, "-c"]
    assert "mako.cmd" in command[2]
    run_hooks([spec], good)
    with pytest.raises(ScriptError, match="exited with status"):
        run_hooks([spec], bad)


def test_unknown_console_script(target: Path) -> None:
    spec = HookSpec("ruff", "console_scripts", "strata-no-such-entry-point")
    with pytest.raises(ScriptError, match="console_scripts entry point") as caught:
        run_hooks([spec], target)
    assert "type = exec" in caught.value.hint


def test_write_revision_runs_the_hooks(tmp_path: Path, hook_dir: Path) -> None:
    location = tmp_path / "migrations"
    write_file(location / "script.py.mako", SCRIPT_MAKO, dedent=False)
    hooks = parse_hooks(
        {
            "hooks": "marker",
            "marker.type": "exec",
            "marker.executable": sys.executable,
            "marker.options": f"{hook_dir / 'strata_test_hook.py'} after-write",
        }
    )
    settings = ScriptSettings(location, post_write_hooks=hooks)
    path = write_revision(settings, rev_id="a1", message="hooked")
    assert path.read_text().endswith("# hooked: after-write\n")
    assert read_header(path).id == "a1"
