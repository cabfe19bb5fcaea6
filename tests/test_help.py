"""Every command's --help, as a reader sees it: its examples stand one per line, at any terminal width.

Click rewraps a docstring's paragraphs; only a block marked with \\b keeps its lines. The
test walks the command tree, so a command added later is covered without touching it.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from devtalks.commands import cli

WIDTHS = (60, 100)


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    """(path, command) for the CLI and every command and subcommand under it."""
    yield path, group
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


def examples(command: click.Command) -> list[str]:
    """The example lines of a command's docstring: those that start with `devtalks `."""
    return [line.strip() for line in (command.help or "").splitlines() if line.strip().startswith("devtalks ")]


ALL = list(commands())


def test_the_walk_reaches_every_subcommand():
    names = {" ".join(path) for path, _ in ALL}
    assert {"", "build", "validate", "cycle open", "notes add", "notes show"} <= names


@pytest.mark.parametrize("path, command", ALL, ids=[" ".join(p) or "devtalks" for p, _ in ALL])
@pytest.mark.parametrize("width", WIDTHS)
def test_help_shows_each_example_on_a_line_of_its_own(path, command, width):
    lines = examples(command)
    assert lines, f"`devtalks {' '.join(path)} --help` has no example"
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="devtalks", terminal_width=width)
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.output.splitlines()]
    for line in lines:
        assert line in shown, (f"`devtalks {' '.join(path)} --help` at {width} columns runs the example "
                               f"`{line}` together with other text; put the examples in a \\b block")
