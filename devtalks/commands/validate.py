"""devtalks validate."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for terminals, github for pull-request annotations, json for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-cache", is_flag=True, help="Parse every file afresh instead of reusing .devtalks-cache/.")
@today_option
@click.argument("files", nargs=-1, type=click.Path())
def validate(repo, fmt, strict, no_cache, today, files) -> int:
    """Check every file of a team repository against its schema and the cross-file rules.

    Prints one line per problem as path:line:col: severity CODE: message — hint.
    Exits 0 when there is no error (warnings are fine unless --strict), 1 when there is.
    Given FILES (as a pre-commit hook does) that are all talk or check-in files, only
    those are read, with the team, templates and cycles they depend on.

    Example:

        devtalks validate --repo . --format github
    """
    from ..check import check
    from ..load import load
    from ..report import REPORTERS

    root = require_repo(repo)
    # A changed team.yaml, template or cycle can break any talk, so then everything is read.
    only = files if files and all(_is_talk_file(f) for f in files) else None
    ws = load(root, only=only, use_cache=not no_cache)
    diagnostics = check(ws, today)
    out = REPORTERS[fmt](diagnostics)
    if out:
        click.echo(out)
    elif fmt == "text":
        click.echo(f"ok: {len(ws.sources)} files valid")
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    return 1 if failed else 0


def _is_talk_file(path: str) -> bool:
    return path.replace("\\", "/").removeprefix("./").startswith("talks/")
