"""The `devtalks` entry point: the one top-level error handler, and the pre-commit hook's quick path.

Each command lives in devtalks/commands/<name>.py and is imported only when it runs, so
`devtalks validate` in a pre-commit hook never pays for mkdocs, jinja2 or gitpython. A plain
`devtalks validate [options] [FILES]` does not even pay for Click: its few options are read
here, and anything else (help, a typo, a bad value) goes to Click, which explains it.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .errors import DevtalksError

# validate's options as Click declares them in commands/validate.py (a test keeps the two in step).
QUICK_VALUES = {"--repo": "repo", "--format": "fmt", "--base": "base", "--today": "today"}
QUICK_FLAGS = {"--strict": "strict", "--no-cache": "no_cache"}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: a known problem exits 1 (2 for usage), Ctrl-C 130, a bug 3 with a log file."""
    args = sys.argv[1:] if argv is None else [str(a) for a in argv]
    try:
        quick = quick_validate_args(args)
        if quick is None:
            return with_click(args)
        from .check.validate import report

        code, out = report(**quick)
        if out:
            print(out)
        return code
    except DevtalksError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log = _write_crash_log()
        print(f"devtalks hit an unexpected error (a bug, not your data). Details: {log}\n"
              "Please report it with that file.", file=sys.stderr)
        return 3


def run() -> None:
    """The `devtalks` program: main() without the cyclic garbage collector, then the process ends without taking
    itself apart.

    Importing the libraries and reading a repository make many long-lived objects and hardly any garbage with
    cycles, so the collector would only walk them again and again: a sixth of a cold validate, and a fourteenth
    of the imports. It stays off for a command's short life; the work that runs long or makes garbage turns it
    back on (a build once it has loaded the team, an organisation's validation, serve).

    As a Python program exits, it collects every generation once more, walking each object
    the command made (about 0.3 s after a build has loaded a 200-person team), and then frees
    every module's objects one by one (about 25 ms more). The memory goes back to the system
    with the process either way: so the exit handlers run (devtalks' date cache, logging's),
    the output is flushed, and the process ends there.
    """
    gc.disable()
    code = main()
    gc.freeze()  # what the exit handlers allocate collects only their own garbage
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)  # a thread still runs (a pool that Ctrl-C stopped): Python's own exit joins it first
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass  # a reader that went away (`devtalks … | head`): main() says 0 for that too
    os._exit(code)


def with_click(args: list[str]) -> int:
    """Any command, its options parsed by Click; usage errors exit 2 with Click's explanation."""
    import click

    from .commands import cli

    try:
        return cli.main(args=args, prog_name="devtalks", standalone_mode=False) or 0
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130


def quick_validate_args(args: list[str]) -> dict[str, Any] | None:
    """validate's arguments when they are plainly well-formed, else None (Click parses, and explains)."""
    if not args or args[0] != "validate":
        return None
    found: dict[str, Any] = {"repo": ".", "fmt": "text", "base": None, "today": None, "strict": False,
                             "no_cache": False, "files": []}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            found["files"].extend(rest)
        elif not arg.startswith("-") or arg == "-":
            found["files"].append(arg)
        elif arg in QUICK_FLAGS:
            found[QUICK_FLAGS[arg]] = True
        else:
            name, eq, value = arg.partition("=")
            if name not in QUICK_VALUES:
                return None
            value = value if eq else next(rest, None)
            if not value:
                return None
            found[QUICK_VALUES[name]] = value
    import datetime as dt

    from .check.report import REPORTERS

    try:
        found["today"] = dt.date.today() if found["today"] is None else dt.date.fromisoformat(found["today"])
    except ValueError:
        return None
    repo = found["repo"] = Path(found["repo"])
    if found["fmt"] not in REPORTERS or not (repo.is_dir() and ((repo / "team.yaml").is_file()
                                                                 or (repo / "devtalks.yaml").is_file())):
        return None
    return found


def _write_crash_log() -> Path:
    import tempfile
    import traceback

    from .state import cache_home

    base = cache_home()
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = Path(tempfile.gettempdir())
    log = base / "crash.log"
    log.write_text(f"devtalks {__version__}\nargv: {sys.argv}\n\n{traceback.format_exc()}", encoding="utf-8")
    return log


if __name__ == "__main__":
    run()
