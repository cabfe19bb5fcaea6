"""devtalks cycle open."""

from __future__ import annotations

import difflib
import json

import click

from ..errors import DevtalksError
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
    from ..check.rules import check
    from ..read.load import load
    from ..gitflow.talkfile import plan, pull_request

    root = require_repo(repo)
    ws = load(root)
    _require_cycle(ws, cycle_id, check(ws, today))
    planned = plan(ws, cycle_id, today)
    per_person = bool(branch) and "{person}" in branch
    commit = commit or push or per_person
    rows = []
    if commit or branch:
        from ..gitflow import repo as gitrepo

        git_repo = gitrepo.open_repo(root)
        if gitrepo.head_sha(git_repo) is None:
            raise DevtalksError("the repository has no commits yet; commit team.yaml and friends first")
    if per_person:
        known = gitrepo.remote_branches(git_repo, remote) if push else gitrepo.local_branches(git_repo, remote)
        start = git_repo.head.commit
        prefix = gitrepo.team_prefix(git_repo, root)
        created = []
        for talk in planned:
            name = branch.replace("{person}", talk.person).replace("{cycle}", cycle_id)
            action = "kept" if talk.exists else "branch-exists" if name in known else "created"
            if action == "created":
                title, _ = pull_request(ws, talk.person, cycle_id)
                made = gitrepo.commit_files(git_repo, start, {prefix + talk.path: talk.text}, title)
                git_repo.create_head(name, made)
                created.append(name)
            rows.append(_row(ws, talk, action, name, cycle_id))
        if push:
            gitrepo.push(git_repo, remote, created)
    else:
        name = branch.replace("{cycle}", cycle_id) if branch else None
        if branch:
            gitrepo.switch_to_new_branch(git_repo, name)
        new = {t.path: t.text for t in planned if not t.exists}
        for path, text in new.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if commit and new:
            gitrepo.commit_new_files(git_repo, root, new, f"Open cycle {cycle_id}: {len(new)} talk file{'s' * (len(new) != 1)}")
        if push:
            if git_repo.head.is_detached:
                raise DevtalksError("HEAD is detached; check out a branch (or pass --branch) to push")
            gitrepo.push(git_repo, remote, [git_repo.active_branch.name])
        rows = [_row(ws, t, "kept" if t.exists else "created", name, cycle_id) for t in planned]
    _report(rows, fmt, commit, push, remote)


def _require_cycle(ws, cycle_id: str, diagnostics) -> None:
    """Refuse, with the reason, when the cycle, its template or team.yaml cannot be used."""
    path = ws.cycle_path(cycle_id)
    if cycle_id not in ws.cycles and path not in ws.sources:
        close = difflib.get_close_matches(cycle_id, ws.cycles, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known cycles: {', '.join(sorted(ws.cycles)) or 'none'}"
        raise DevtalksError(f"there is no cycle `{cycle_id}` ({path} does not exist); {hint}")
    cycle = ws.cycles.get(cycle_id)
    needed = {"team.yaml", path} | ({ws.template_path(cycle.template)} if cycle else set())
    errors = [d for d in diagnostics if d.is_error and d.path in needed]
    if errors or cycle is None or cycle.template not in ws.templates or ws.team is None:
        first = "\n".join(f"  {d.path}:{d.line}:{d.column}: {d.message}" for d in errors[:5])
        raise DevtalksError(f"cycle `{cycle_id}` cannot be opened until these files are valid:\n{first}\n"
                            "run `devtalks validate` for the full list")


def _row(ws, talk, action: str, branch: str | None, cycle_id: str) -> dict:
    from ..gitflow.talkfile import pull_request

    person = ws.people[talk.person]
    manager = ws.people.get(person.manager) if person.manager else None
    title, body = pull_request(ws, talk.person, cycle_id)
    return {
        "person": talk.person, "path": talk.path, "action": action, "branch": branch,
        "assignees": [p.github for p in (person, manager) if p is not None and p.github],
        "title": title, "body": body,
    }


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
