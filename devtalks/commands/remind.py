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

    from ..check.rules import check
    from ..errors import DevtalksError
    from ..read.load import load
    from ..progress import due_items, left_behind
    from ..remind import github, plan
    from ..remind.email import SentLog, Smtp
    from .table import render

    root = require_repo(repo)
    ws = load(root)
    errors = [d for d in check(ws, today) if d.is_error]
    if errors or ws.team is None:
        raise DevtalksError(f"{len(errors)} file error(s): reminders worked out from files with errors could be wrong. "
                            "Run `devtalks validate` and fix them first.")
    env = os.environ
    rules = plan.settings(ws)
    repository = rules.repository or env.get("GITHUB_REPOSITORY", "").strip() or None
    if repository and repository.count("/") != 1:
        raise DevtalksError(f"GITHUB_REPOSITORY={repository!r} is not owner/name")
    api = github.api_from_env(env)
    web = (env.get("GITHUB_SERVER_URL") or github.web_url(api)).rstrip("/")
    links = plan.Links(f"{web}/{repository}" if repository else None)
    wants_github, wants_email = channel in ("github", "all"), channel in ("email", "all")
    reminders = plan.reminders(ws, today, links) if wants_github else []
    log = SentLog(root, today)
    digests = plan.digests(ws, today, links, log.sent) if wants_email else []

    if dry_run:
        rows = [["open", ", ".join("@" + a for a in r.assignees) or ", ".join(r.people), r.task,
                 r.item.due.isoformat() + (" overdue" if r.item.overdue(today) else "")] for r in reminders]
        rows += [["e-mail", d.address, d.subject, ""] for d in digests]
        click.echo(render(["action", "who", "what", "due"], rows) if rows else "nothing is due")
        if wants_github:
            click.echo(f"\n{len(reminders)} reminder issue(s) due; without contacting GitHub each shows as `open`: a real "
                       "run leaves alone or updates those that already have an issue, and closes the ones that are done.")
        if wants_email:
            click.echo(f"{len(digests)} e-mail digest(s) due today.")
        return

    problems: list[str] = []
    token = env.get("GITHUB_TOKEN", "").strip()
    if wants_github and not (token and repository):
        missing = "GITHUB_TOKEN" if not token else "a repository (reminders.repository in team.yaml, or GITHUB_REPOSITORY)"
        if channel == "github":
            raise DevtalksError(f"GitHub reminders need {missing}")
        click.echo(f"note: GitHub issues skipped: {missing} is not set", err=True)
        wants_github = False
    smtp = Smtp.from_env(env) if wants_email else None
    if wants_email and (smtp is None or not rules.sender):
        missing = "DEVTALKS_SMTP_HOST" if smtp is None else "reminders.sender in team.yaml"
        if channel == "email":
            raise DevtalksError(f"e-mail digests need {missing}")
        click.echo(f"note: e-mail skipped: {missing} is not set", err=True)
        wants_email = False
    if not (wants_github or wants_email):
        raise DevtalksError("nothing to do: set GITHUB_TOKEN for issues, or DEVTALKS_SMTP_HOST for e-mail")

    rows: list[list[str]] = []
    summary: list[str] = []
    if wants_github:
        from ..remind.sync import Outcome, sync

        outcome = Outcome()
        still_due = {i.key for i in due_items(ws, today)}
        try:
            with github.GitHub(api, repository, token, github.Policy.from_env(env)) as gh:
                sync(gh, reminders, still_due, ws.team.language, outcome, frozenset(left_behind(ws, today)))
        except github.ForgeError as e:
            problems.append(str(e))
        rows += [[d.action, f"#{d.number}", d.who, d.what] for d in outcome.done]
        summary.append(f"GitHub {repository}: " + ", ".join(
            f"{outcome.count(a)} {word}" for a, word in (("open", "opened"), ("update", "updated"),
                                                         ("reopen", "reopened"), ("close", "closed")))
            + (f", {outcome.unchanged} unchanged" if not problems else ""))
        for note in outcome.notes:
            click.echo(f"note: {note}", err=True)
    if wants_email:
        from ..remind.email import message, send

        sent: list[str] = []
        name = f"{ws.team.team.name} via devtalks"
        batch = [(d, message(d, rules.sender, name, today)) for d in digests]

        def record(digest: plan.Digest) -> None:
            log.record(digest)
            sent.append(digest.address)

        try:
            failed = send(smtp, batch, record) if batch else []
        except DevtalksError as e:
            failed = []
            problems.append(str(e))
        problems += [f"e-mail to {line}" for line in failed]
        if log.problem:
            click.echo(f"note: {log.problem}", err=True)
        rows += [["e-mail", "", d.address, d.subject] for d in digests if d.address in sent]
        summary.append(f"E-mail: {len(sent)} sent" + (f", {len(failed)} refused" if failed else ""))

    if rows:
        click.echo(render(["action", "issue", "who", "what"], rows))
        click.echo("")
    click.echo("\n".join(summary))
    if problems:
        raise DevtalksError("\n".join(["stopped; what is listed above was done:" if rows else "stopped before any change:",
                                       *problems]))
