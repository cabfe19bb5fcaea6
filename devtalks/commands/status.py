"""devtalks status."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@today_option
def status(repo, today) -> None:
    """Show where everyone stands: one row per person.

    Columns: the current cycle and its stage, the next deadline about the person
    (what, who must act, when; the same next step the sites and reminders show),
    and the open and overdue agreements the person owns. Files with errors are left out;
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
        rows.append([row.person.id, row.person.name, row.cycle or "–", row.stage.slug if row.stage is not None else "–",
                     _next(row.next, today) if row.next else "–", str(row.open_agreements), str(row.overdue_agreements)])
    click.echo(render(["person", "name", "cycle", "stage", "next deadline", "open", "overdue"], rows))
    if errors:
        click.echo(f"\n{len(errors)} file error(s) left out; run `devtalks validate` to see them.", err=True)


def _next(step, today) -> str:
    """kind, who must act, date and how close it is: `talk sanne 2026-11-27 (overdue 1d)`."""
    due, days = step.item, step.item.days_left(today)
    when = {"overdue": f"overdue {-days}d", "soon": f"due soon, in {days}d"}.get(step.urgency, f"in {days}d")
    return f"{due.kind} {','.join(due.responsible)} {due.due.isoformat()} ({when})"
