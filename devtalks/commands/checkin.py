"""devtalks checkin new."""

from __future__ import annotations

import click

from .cycle import report_new_file
from .options import parse_date, repo_option, require_repo, today_option


@click.group()
def checkin() -> None:
    """Work with check-ins: the short talks between development cycles.

    Example:

    \b
        devtalks checkin new noor --today 2026-11-27
    """


@checkin.command("new")
@click.argument("person", metavar="PERSON")
@repo_option
@click.option("--on", "on", metavar="YYYY-MM-DD", callback=parse_date,
              help="The day of the check-in (default: today, or --today); not a day still to come.")
@click.option("--dry-run", is_flag=True, help="Write nothing; print the file it would write.")
@today_option
def new_checkin(person, repo, on, dry_run, today) -> None:
    """Write talks/PERSON/checkin-DATE.yaml, dated, ready to fill in.

    The team's check-in questions (team.yaml's checkin_template) stand as comments above
    empty answers, in the team's language, and PERSON's open agreements from earlier talks
    and check-ins are listed to look at. An unknown person, someone who has left and a
    check-in that exists are refused.

    Example:

    \b
        devtalks checkin new noor --today 2026-11-27
        devtalks checkin new daan --on 2026-11-20 --dry-run
    """
    from ..gitflow.newfiles import new_checkin as plan_checkin

    root = require_repo(repo)
    new = plan_checkin(root, person, on or today, today)
    report_new_file(new, root, dry_run, "fill it in during or after the check-in, `devtalks validate`, and commit it")
