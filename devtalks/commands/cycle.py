"""devtalks cycle new, devtalks cycle open."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import parse_date, repo_option, require_repo, today_option


@click.group()
def cycle() -> None:
    """Work with cycles: write a new one, then open it, so every participant has a talk file to prepare.

    Example:

    \b
        devtalks cycle new 2027-spring --opens 2027-03-01 --talks-by 2027-04-09
        devtalks cycle open 2027-spring --today 2026-11-27
    """


def _date_option(name: str, text: str):
    return click.option(name, metavar="YYYY-MM-DD", callback=parse_date, help=text)


@cycle.command("new")
@click.argument("cycle_id", metavar="[CYCLE]", required=False)
@repo_option
@click.option("--title", help="The cycle's title on sites and in talk files (default: the season and year, in the "
                              "team's language).")
@click.option("--template", metavar="ID", help="The question template (default: the latest cycle's, else default).")
@_date_option("--opens", "When talk files are written and reminders start (default: today, or --today).")
@_date_option("--prepare-by", "Both sides have prepared by then (default: two weeks before --talks-by).")
@_date_option("--talks-by", "The talks have taken place by then (default: two weeks after --prepare-by, else "
                            "four weeks after --opens).")
@_date_option("--plan-by", "Summary, agreements and sign-offs are in by then (default: two weeks after --talks-by).")
@click.option("--dry-run", is_flag=True, help="Write nothing; print the file it would write.")
@today_option
def new_cycle(cycle_id, repo, title, template, opens, prepare_by, talks_by, plan_by, dry_run, today) -> None:
    """Write cycles/CYCLE.yaml: title, template, the four deadlines and who takes part.

    CYCLE defaults to the opening date's half year (2027-spring). Who takes part is everyone
    in team.yaml with a manager, less whoever has left by --talks-by or joins after it: the file
    says `participants: all` when that is everyone `all` means, else lists them and names who
    is left out. Each key has a comment in the team's language. An existing cycle is refused.

    Example:

    \b
        devtalks cycle new 2027-spring --opens 2027-03-01 --talks-by 2027-04-09 --today 2026-11-27
        devtalks cycle new --opens 2027-09-01 --title 'Autumn talks 2027' --dry-run
    """
    from ..gitflow.newfiles import new_cycle as plan_cycle

    root = require_repo(repo)
    dates = {"opens": opens, "prepare_by": prepare_by, "talks_by": talks_by, "plan_by": plan_by}
    new = plan_cycle(root, cycle_id, title, template, dates, today)
    report_new_file(new, root, dry_run, f"`devtalks validate`, commit it, then `devtalks cycle open {Path(new.path).stem}`")


def report_new_file(new, root, dry_run: bool, then: str) -> None:
    if dry_run:
        click.echo(new.text, nl=False)
        click.echo(f"(dry run: {new.path} was not written)")
        return
    new.write(root)
    click.echo(f"wrote {new.path}")
    for line in new.said:
        click.echo(f"  {line}")
    click.echo(f"next: {then}")


@cycle.command("open")
@click.argument("cycle_id", metavar="CYCLE")
@repo_option
@click.option("--branch", metavar="NAME",
              help="Do it on a new branch NAME. With {person} in NAME (and optionally {cycle}), one branch per "
                   "participant, each with only that participant's talk, made without touching your work tree.")
@click.option("--commit", is_flag=True, help="Commit the new talk files (only those).")
@click.option("--push", is_flag=True, help="Push the branch or branches to --remote; implies --commit.")
@click.option("--remote", default="origin", show_default=True, help="The remote to push to.")
@click.option("--pull-requests", is_flag=True,
              help="Also open each talk branch's pull request through the forge's API, assigned to the person and "
                   "their manager (GITHUB_TOKEN; the team repository from GITHUB_REPOSITORY, a person's from their "
                   "talks_repo); one already open is left as it is. Implies --push; needs a {person} branch.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json lists each talk with its branch, assignees and pull-request text, for a workflow.")
@today_option
def open_cycle(cycle_id, repo, branch, commit, push, remote, pull_requests, fmt, today) -> None:
    """Create the talk file of every participant of CYCLE from the cycle's question template.

    Each question appears as a comment in the team's language above an empty answer, with
    the open agreements from earlier talks listed for revisiting. A talk file that exists
    is never touched, so running it again changes nothing and keeps answers already written.

    Example:

    \b
        devtalks cycle open 2027-spring --today 2026-11-27
        devtalks cycle open 2027-spring --branch 'cycle/{cycle}/{person}' --push
        devtalks cycle open 2027-spring --branch 'cycle/{cycle}/{person}' --pull-requests
    """
    from ..gitflow.cycle import open_cycle as open_talks

    if pull_requests and not (branch and "{person}" in branch):
        raise click.UsageError("--pull-requests needs a branch per person: --branch 'cycle/{cycle}/{person}'")
    push = push or pull_requests
    commit = commit or push or (bool(branch) and "{person}" in branch)
    rows = open_talks(require_repo(repo), cycle_id, today, branch, commit, push, remote, pull_requests)
    _report(rows, fmt, commit, push, remote)


def _report(rows: list[dict], fmt: str, commit: bool, push: bool, remote: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(r["path"]) for r in rows), default=0)
    for r in rows:
        where = f"  on branch {r['branch']}" if r["branch"] else ""
        why = {"kept": "  (exists; left as it is)", "branch-exists": "  (its branch exists already)"}.get(r["action"], "")
        label = {"branch-exists": "skipped"}.get(r["action"], r["action"])
        pull = f"  → {r['pull_request']}" if r.get("pull_request") else ""
        click.echo(f"{label:<8}{r['path'].ljust(width)}{where}{why}{pull}")
    created = sum(r["action"] == "created" for r in rows)
    done = "committed" + (f" and pushed to {remote}" if push else "") if commit and created else "written"
    click.echo(f"{created} talk file{'s' * (created != 1)} {done}, {len(rows) - created} left as they were"
               if rows else "the cycle has no participants: people take part when they have a manager in team.yaml")
