"""devtalks cycle open."""

from __future__ import annotations

import json

import click

from .options import repo_option, require_repo, today_option


@click.group()
def cycle() -> None:
    """Work with cycles: open one, so every participant has a talk file to prepare.

    Example:

    \b
        devtalks cycle open 2027-spring --today 2026-11-27
    """


@cycle.command("open")
@click.argument("cycle_id", metavar="CYCLE")
@repo_option
@click.option("--branch", metavar="NAME",
              help="Do it on a new branch NAME. With {person} in NAME (and optionally {cycle}), one branch per "
                   "participant, each with only that participant's talk, made without touching your work tree.")
@click.option("--commit", is_flag=True, help="Commit the new talk files (only those).")
@click.option("--push", is_flag=True, help="Push the branch or branches to --remote; implies --commit.")
@click.option("--remote", default="origin", show_default=True, help="The remote to push to.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json lists each talk with its branch, assignees and pull-request text, for a workflow.")
@today_option
def open_cycle(cycle_id, repo, branch, commit, push, remote, fmt, today) -> None:
    """Create the talk file of every participant of CYCLE from the cycle's question template.

    Each question appears as a comment in the team's language above an empty answer, with
    the open agreements from earlier talks listed for revisiting. A talk file that exists
    is never touched, so running it again changes nothing and keeps answers already written.

    Example:

    \b
        devtalks cycle open 2027-spring --today 2026-11-27
        devtalks cycle open 2027-spring --branch 'cycle/{cycle}/{person}' --push
    """
    from ..gitflow.cycle import open_cycle as open_talks

    commit = commit or push or (bool(branch) and "{person}" in branch)
    rows = open_talks(require_repo(repo), cycle_id, today, branch, commit, push, remote)
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
        click.echo(f"{label:<8}{r['path'].ljust(width)}{where}{why}")
    created = sum(r["action"] == "created" for r in rows)
    done = "committed" + (f" and pushed to {remote}" if push else "") if commit and created else "written"
    click.echo(f"{created} talk file{'s' * (created != 1)} {done}, {len(rows) - created} left as they were"
               if rows else "the cycle has no participants: people take part when they have a manager in team.yaml")
