"""One module per CLI command, found by a lazy Click group: heavy imports stay inside the commands."""

from __future__ import annotations

import importlib

import click

from .. import __version__

COMMANDS = {
    "init": "devtalks.commands.init:init",
    "cycle": "devtalks.commands.cycle:cycle",
    "checkin": "devtalks.commands.checkin:checkin",
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
