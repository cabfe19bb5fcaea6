"""devtalks validate."""

from __future__ import annotations

import click

from ..check.report import REPORTERS
from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@click.option("--format", "fmt", type=click.Choice(list(REPORTERS)), default="text", show_default=True,
              help="text for terminals, github for pull-request annotations, json for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-cache", is_flag=True,
              help="Check every file afresh instead of reusing the verdict kept for an unchanged repository.")
@click.option("--base", metavar="REF",
              help="Also report changes since REF (a pull request's base, e.g. origin/main) to a signed-off talk "
                   "or a closed cycle.")
@today_option
@click.argument("files", nargs=-1, type=click.Path())
def validate(repo, fmt, strict, no_cache, base, today, files) -> int:
    """Check every file of a team repository against its schema and the cross-file rules.

    Prints one line per problem as path:line:col: severity CODE: message — hint.
    Exits 0 when there is no error (warnings are fine unless --strict), 1 when there is.
    Given FILES (as a pre-commit hook does) that are all talk or check-in files, only
    those are read, with the team, templates and cycles they depend on.

    Example:

    \b
        devtalks validate --repo . --format github
        devtalks validate --base origin/main --format github
    """
    from ..check.validate import report

    code, out = report(require_repo(repo), fmt, strict, no_cache, base, today, files)
    if out:
        click.echo(out)
    return code
