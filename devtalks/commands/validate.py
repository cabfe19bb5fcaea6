"""devtalks validate."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for terminals, github for pull-request annotations, json for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@today_option
@click.argument("files", nargs=-1, type=click.Path())
def validate(repo, fmt, strict, today, files) -> None:
    """Check every file of a team repository against its schema and the cross-file rules.

    Prints one line per problem as path:line:col: severity CODE: message — hint.
    Exits 0 when there is no error (warnings are fine unless --strict), 1 when there is.
    Given FILES (as a pre-commit hook does), only those talk files are read, with the
    team, templates and cycles they depend on.

    Example:

        devtalks validate --repo . --format github
    """
    from ..check import check
    from ..load import load
    from ..report import REPORTERS

    root = require_repo(repo)
    ws = load(root, only=files or None)
    diagnostics = check(ws, today)
    out = REPORTERS[fmt](diagnostics)
    if out:
        click.echo(out)
    elif fmt == "text":
        click.echo(f"ok: {len(ws.sources)} files valid")
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    raise SystemExit(1 if failed else 0)
