"""devtalks codeowners."""

from __future__ import annotations

import click

from ..errors import DevtalksError
from .options import repo_option, require_repo


@click.command()
@repo_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when .github/CODEOWNERS does not match team.yaml.")
def codeowners(repo, check) -> int:
    """Write .github/CODEOWNERS from team.yaml, so the right people review each change.

    Each person's talk folder is owned by that person and their manager; question
    templates and cycles by HR (team.yaml's `hr:`, else the team's top managers); the
    rest by the managers. With branch protection's "require review from code owners",
    a talk can then only change with its two owners' approval. Run it again after
    changing people; `devtalks validate` reports a CODEOWNERS that no longer matches.

    Example:

    \b
        devtalks codeowners --repo .
        devtalks codeowners --check
    """
    from ..check.report import text
    from ..gitflow import codeowners as co
    from ..read.load import load

    root = require_repo(repo)
    ws = load(root, only=[])
    if ws.team is None:
        raise DevtalksError("team.yaml has errors, so its people are unknown; run `devtalks validate` and fix them first")
    target = root / co.PATH
    if check:
        if not target.is_file():
            click.echo(f"{co.PATH}:1:1: error DT600: the file is missing — run `devtalks codeowners` to write it")
            return 1
        found = co.check(ws.team, target.read_text(encoding="utf-8"))
        click.echo(text(found) if found else f"ok: {co.PATH} matches team.yaml")
        return 1 if found else 0
    wanted = co.render(ws.team)
    if target.is_file() and target.read_text(encoding="utf-8") == wanted:
        click.echo(f"{co.PATH} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(wanted, encoding="utf-8")
    click.echo(f"wrote {co.PATH}: {len(ws.team.people)} talk folders, each owned by the person and their manager")
    return 0
