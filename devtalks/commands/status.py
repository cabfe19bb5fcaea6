"""devtalks status."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@today_option
def status(repo, today) -> None:
    """Show where everyone stands: one row per person.

    Columns: the current cycle and its stage, the next deadline (what, who, when),
    and the person's open and overdue agreements. Files with errors are left out;
    run `devtalks validate` to see them.

    Example:

    \b
        devtalks status --repo . --today 2026-11-27
    """
    from ..check.rules import check
    from ..progress import status as compute
    from ..read.load import load
    from ..table import render

    ws = load(require_repo(repo))
    errors = [d for d in check(ws, today) if d.is_error]
    rows = []
    for row in compute(ws, today):
        due = row.next_due
        when = ""
        if due:
            days = due.days_left(today)
            when = f"{due.kind} {due.due.isoformat()} ({'overdue ' + str(-days) + 'd' if days < 0 else 'in ' + str(days) + 'd'})"
        rows.append([row.person.id, row.person.name, row.cycle or "–", row.stage.slug if row.stage is not None else "–",
                     when or "–", str(row.open_agreements), str(row.overdue_agreements)])
    click.echo(render(["person", "name", "cycle", "stage", "next deadline", "open", "overdue"], rows))
    if errors:
        click.echo(f"\n{len(errors)} file error(s) left out; run `devtalks validate` to see them.", err=True)
