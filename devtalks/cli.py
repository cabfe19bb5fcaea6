"""The `devtalks` command line: a lazy Click group and the one top-level error handler.

Each command lives in devtalks/commands/<name>.py and is imported only when it runs, so
`devtalks validate` in a pre-commit hook never pays for mkdocs, jinja2 or gitpython.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import DevtalksError

COMMANDS = {
    "init": "devtalks.commands.init:init",
    "cycle": "devtalks.commands.cycle:cycle",
    "codeowners": "devtalks.commands.codeowners:codeowners",
    "validate": "devtalks.commands.validate:validate",
    "status": "devtalks.commands.status:status",
    "schema": "devtalks.commands.schema:schema",
    "build": "devtalks.commands.build:build",
    "serve": "devtalks.commands.serve:serve",
    "remind": "devtalks.commands.remind:remind",
    "notes": "devtalks.commands.notes:notes",
    "person": "devtalks.commands.person:person",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="devtalks")
def cli() -> None:
    """Development talks as code: validate talk files, show progress, build sites, send reminders.

    Run a command with --help for its options and an example:

    \b
        devtalks validate --help
    """


def main(argv: list[str] | None = None) -> int:
    """Run the CLI: a known problem exits 1 (2 for usage), Ctrl-C 130, a bug 3 with a log file."""
    try:
        return cli.main(args=argv, prog_name="devtalks", standalone_mode=False) or 0
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except DevtalksError as e:
        click.echo(f"error: {e}", err=True)
        return e.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        log = _write_crash_log()
        click.echo(f"devtalks hit an unexpected error (a bug, not your data). Details: {log}\n"
                   "Please report it with that file.", err=True)
        return 3


def _write_crash_log() -> Path:
    from .cache import cache_home

    base = cache_home()
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = Path(tempfile.gettempdir())
    log = base / "crash.log"
    log.write_text(f"devtalks {__version__}\nargv: {sys.argv}\n\n{traceback.format_exc()}", encoding="utf-8")
    return log


if __name__ == "__main__":
    sys.exit(main())
