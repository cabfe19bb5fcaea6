"""The CLI's manners: help with an example for every command (tests/test_docs.py checks each is in the docs),
clear exit codes, a crash log instead of a traceback, and a fast validate path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest

from devtalks import __version__
from devtalks.commands import COMMANDS, cli
from devtalks.diagnostics import CODES
from tests.conftest import EXAMPLE_TODAY, ROOT


def all_commands() -> list[tuple[str, click.Command]]:
    """Every command and subcommand as (`devtalks …` path, command)."""
    out = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        out.append((name, command))
        if isinstance(command, click.Group):
            out.extend((f"{name} {sub}", command.commands[sub]) for sub in command.commands)
    return out


@pytest.mark.parametrize("path, command", all_commands(), ids=[p for p, _ in all_commands()])
def test_every_command_has_help_with_an_example(path, command, run_cli):
    result = run_cli(*path.split(), "--help")
    assert result.exit_code == 0
    assert command.help and len(command.help) > 40
    if not isinstance(command, click.Group):
        assert "Example:" in result.stdout and f"devtalks {path}" in result.stdout


def test_every_diagnostic_code_is_documented():
    page = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in page, f"{code} missing from docs/codes.md"


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_usage_mistakes_exit_2_with_a_message(run_cli, tmp_path):
    result = run_cli("validate", "--today", "27-11-2026")
    assert result.exit_code == 2 and "write it as YYYY-MM-DD" in result.stderr
    result = run_cli("validate", "--repo", tmp_path)
    assert result.exit_code == 2 and "has no team.yaml" in result.stderr
    result = run_cli("frobnicate")
    assert result.exit_code == 2 and "No such command" in result.stderr


def test_unexpected_failure_exits_3_with_a_log_not_a_traceback(tmp_path, example_repo):
    # A sitecustomize module makes check() raise, standing in for a bug in devtalks.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(tmp_path / "inject")}
    env.pop("DEVTALKS_CACHE_DIR")  # the crash log goes to the user's cache folder, here XDG_CACHE_HOME
    (tmp_path / "inject").mkdir()
    (tmp_path / "inject" / "sitecustomize.py").write_text(
        "import devtalks.check.rules\n"
        "def broken(*a, **k):\n    raise ZeroDivisionError('simulated bug')\n"
        "devtalks.check.rules.check = broken\n")
    proc = subprocess.run([sys.executable, "-m", "devtalks.cli", "validate", "--repo", str(example_repo)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "unexpected error" in proc.stderr
    log = tmp_path / "cache" / "devtalks" / "crash.log"
    assert "ZeroDivisionError: simulated bug" in log.read_text()


def test_the_example_team_validates_cleanly(run_cli):
    result = run_cli("validate", "--repo", ROOT, "--strict", "--today", EXAMPLE_TODAY.isoformat())
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("ok: ")


def test_json_output_of_the_example_is_an_empty_list(run_cli):
    result = run_cli("validate", "--repo", ROOT, "--format", "json", "--today", EXAMPLE_TODAY.isoformat())
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def _validate_in_a_new_python(args: list[str], watched: tuple[str, ...], again: bool = False) -> str:
    """`exit-code [watched packages imported]` of main(['validate', *args]) in a fresh interpreter; with `again`,
    of a second run after the watched packages were forgotten (the first one left its verdict)."""
    code = ("import sys; from devtalks.cli import main; "
            f"args = ['validate', '--repo', {str(ROOT)!r}, '--today', '{EXAMPLE_TODAY}', *{args!r}]; "
            + (f"main(args); [sys.modules.pop(m) for m in list(sys.modules) if m.startswith({watched!r})]; " if again else "")
            + f"rc = main(args); print(rc, sorted({{m.split('.')[0] for m in sys.modules}} & set({watched!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return proc.stdout.strip().splitlines()[-1]


def test_validate_path_imports_no_heavy_library():
    heavy = ("mkdocs", "jinja2", "git", "httpx", "pyrage", "nh3", "material", "ruamel")
    assert _validate_in_a_new_python([], heavy) == "0 []"


def test_the_quick_validate_path_knows_every_option_click_declares():
    from devtalks.cli import QUICK_FLAGS, QUICK_VALUES

    command = cli.get_command(click.Context(cli), "validate")
    declared = {o: p.name for p in command.params if isinstance(p, click.Option) for o in p.opts}
    assert declared == {**QUICK_VALUES, **QUICK_FLAGS}


@pytest.mark.parametrize("args", [
    ["--today", str(EXAMPLE_TODAY)],
    ["--format", "json", "--today", str(EXAMPLE_TODAY), "--no-cache"],
    ["--format=github", "--strict", f"--today={EXAMPLE_TODAY}", "talks/ella/2026-q1.yaml"],
    ["--today", str(EXAMPLE_TODAY), "--", "talks/ella/2026-q1.yaml", "talks/ella/checkin-2026-02-30.yaml"],
    ["talks/ella/2026-q1.yaml", "--today", str(EXAMPLE_TODAY), "--format", "text", "--format", "json"],
])
def test_a_hook_run_without_click_prints_what_click_prints(args, tmp_path, capsys, monkeypatch):
    from devtalks.cli import main, quick_validate_args, with_click
    from tests.validate.test_cases import NEGATIVE, team_with, write

    repo = team_with(tmp_path, NEGATIVE[0])
    write(repo, "talks/ella/checkin-2026-02-30.yaml", b"employee:\n  wellbeing: 3\n")
    monkeypatch.chdir(repo)
    argv = ["validate", *args]
    assert quick_validate_args(argv) is not None
    quick = main(argv), capsys.readouterr()
    clicked = with_click(argv), capsys.readouterr()
    assert quick == clicked and quick[0] == 1 and quick[1].out


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--format", "xml"], ["--today", "27-11-2026"], ["--frobnicate"],
                                  ["--strict=yes"], ["--repo"], ["--repo", "nowhere"]])
def test_anything_unusual_goes_to_click(args, tmp_path, run_cli, monkeypatch):
    from devtalks.cli import quick_validate_args

    monkeypatch.chdir(ROOT)
    assert quick_validate_args(["validate", *args]) is None
    result = run_cli("validate", *args)
    assert result.exit_code in (0, 2) and (result.stdout if args[0] in ("--help", "-h") else result.stderr)


def test_a_hook_run_imports_neither_click_nor_pydantic_when_the_verdict_stands():
    assert _validate_in_a_new_python(["talks/ella/2026-q1.yaml"], ("click", "pydantic"), again=True) == "0 []"
