"""devtalks remind."""

from __future__ import annotations

import click

from .options import repo_option, require_repo, today_option


@click.command()
@repo_option
@click.option("--channel", type=click.Choice(["github", "email", "all"]), default="all", show_default=True,
              help="github opens, updates and closes reminder issues; email sends digests; all does both "
                   "(skipping one that is not configured).")
@click.option("--dry-run", is_flag=True, help="Print the plan as a table and contact nothing.")
@today_option
def remind(repo, channel, dry_run, today) -> None:
    """Open, update and close reminder issues, and send e-mail digests, for what is due.

    An issue is open for each thing due within reminders.soon_days (team.yaml) or overdue,
    assigned to whoever must act, and closes itself once the files show it is done. A
    person gets one e-mail digest on the days a deadline is 7 and 1 days away
    (reminders.email_days_before), on the day, then weekly; never twice on one day.

    GitHub: GITHUB_TOKEN, GITHUB_API_URL (default the public API; GitHub Enterprise works),
    repository from reminders.repository in team.yaml, else GITHUB_REPOSITORY.
    E-mail: DEVTALKS_SMTP_HOST, DEVTALKS_SMTP_PORT, DEVTALKS_SMTP_STARTTLS (default true),
    DEVTALKS_SMTP_USER, DEVTALKS_SMTP_PASSWORD, DEVTALKS_SMTP_CAFILE; the sender is
    reminders.sender in team.yaml. Patience: DEVTALKS_HTTP_TIMEOUT (a whole request),
    DEVTALKS_HTTP_ATTEMPTS, DEVTALKS_HTTP_BACKOFF, DEVTALKS_RATE_LIMIT_MAX_WAIT,
    DEVTALKS_HTTP_RUN_TIMEOUT (the whole run; seconds).

    Example:

    \b
        devtalks remind --dry-run --today 2026-11-27
    """
    import os

    from ..remind.run import run_reminders

    outcome = run_reminders(require_repo(repo), channel, dry_run, today, os.environ,
                            note=lambda text: click.echo(text, err=True))
    if outcome.lines:
        click.echo("\n".join(outcome.lines))
    if outcome.failure:
        from ..errors import DevtalksError

        raise DevtalksError(outcome.failure)
