"""A reminder run: what is due, as forge issues opened, updated and closed, and e-mail digests sent.

Takes a team repository, the channel (github, email or all), today and the environment (tokens, SMTP,
patience); gives an Outcome: the lines `devtalks remind` prints and, when something stopped the run,
why. Notes (a channel skipped, an assignee the forge refused) go to `note` as they happen. With
`dry_run` it contacts nothing and gives the plan as a table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ..errors import DevtalksError


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    failure: str | None = None


def run_reminders(root: Path, channel: str, dry_run: bool, today: dt.date, env: Mapping[str, str],
                  note: Callable[[str], None]) -> Outcome:
    """Remind everyone of what is due on `channel`; refuse (DevtalksError) when the files have errors."""
    from ..check.rules import check
    from ..progress import due_items, left_behind
    from ..read.load import load
    from ..table import render
    from . import github, plan
    from .email import SentLog, Smtp

    out = Outcome()
    ws = load(root)
    errors = [d for d in check(ws, today) if d.is_error]
    if errors or ws.team is None:
        raise DevtalksError(f"{len(errors)} file error(s): reminders worked out from files with errors could be wrong. "
                            "Run `devtalks validate` and fix them first.")
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
        out.lines.append(render(["action", "who", "what", "due"], rows) if rows else "nothing is due")
        if wants_github:
            out.lines.append(f"\n{len(reminders)} reminder issue(s) due; without contacting GitHub each shows as `open`: a real "
                       "run leaves alone or updates those that already have an issue, and closes the ones that are done.")
        if wants_email:
            out.lines.append(f"{len(digests)} e-mail digest(s) due today.")
        return out

    problems: list[str] = []
    token = env.get("GITHUB_TOKEN", "").strip()
    if wants_github and not (token and repository):
        missing = "GITHUB_TOKEN" if not token else "a repository (reminders.repository in team.yaml, or GITHUB_REPOSITORY)"
        if channel == "github":
            raise DevtalksError(f"GitHub reminders need {missing}")
        note(f"note: GitHub issues skipped: {missing} is not set")
        wants_github = False
    smtp = Smtp.from_env(env) if wants_email else None
    if wants_email and (smtp is None or not rules.sender):
        missing = "DEVTALKS_SMTP_HOST" if smtp is None else "reminders.sender in team.yaml"
        if channel == "email":
            raise DevtalksError(f"e-mail digests need {missing}")
        note(f"note: e-mail skipped: {missing} is not set")
        wants_email = False
    if not (wants_github or wants_email):
        raise DevtalksError("nothing to do: set GITHUB_TOKEN for issues, or DEVTALKS_SMTP_HOST for e-mail")

    rows: list[list[str]] = []
    summary: list[str] = []
    if wants_github:
        from .sync import Outcome as Synced
        from .sync import sync

        outcome = Synced()
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
        for line in outcome.notes:
            note(f"note: {line}")
    if wants_email:
        from .email import message, send

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
            note(f"note: {log.problem}")
        rows += [["e-mail", "", d.address, d.subject] for d in digests if d.address in sent]
        summary.append(f"E-mail: {len(sent)} sent" + (f", {len(failed)} refused" if failed else ""))

    if rows:
        out.lines += [render(["action", "issue", "who", "what"], rows), ""]
    out.lines.append("\n".join(summary))
    if problems:
        out.failure = "\n".join(["stopped; what is listed above was done:" if rows else "stopped before any change:",
                                 *problems])
    return out
