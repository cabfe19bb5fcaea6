"""Opening a cycle: every participant's talk file written, on the work tree or on a branch of its own.

Takes a team repository, a cycle id and how to record the files (written, committed, on one branch, or on one
branch per participant, pushed or not); gives one row per participant: the talk file, what was done with it,
its branch, who is assigned and the pull request's text, for `devtalks cycle open` to print or a workflow to use.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path
from typing import Mapping

from ..errors import DevtalksError
from ..people.access import forge_name
from . import repo as gitrepo
from .talkfile import plan, pull_request


def open_cycle(root: Path, cycle_id: str, today: dt.date, branch: str | None, commit: bool, push: bool,
               remote: str, pull_requests: bool = False, env: Mapping[str, str] = os.environ) -> list[dict]:
    """Write (and with `commit`, commit; with `push`, push) the talk file of each participant who has none; with
    `pull_requests`, open (or find) the pull request of each talk's branch through the forge's API."""
    from ..check.rules import check
    from ..read.load import load

    if pull_requests and not env.get("GITHUB_TOKEN", "").strip():
        raise DevtalksError("--pull-requests opens them through the forge's API: set GITHUB_TOKEN to a token that may "
                            "open pull requests in the repositories the talks go to")
    ws = load(root)
    _require_cycle(ws, cycle_id, check(ws, today))
    planned = plan(ws, cycle_id, today)
    elsewhere = [t.person for t in planned if t.person in ws.homes and not t.exists]
    if elsewhere and not (branch and push):
        raise DevtalksError(f"the talks of {', '.join(elsewhere)} live in their own repositories: open the cycle with "
                            "--branch 'cycle/{cycle}/{person}' --push, which pushes a branch to each of them")
    per_person = bool(branch) and ("{person}" in branch or bool(ws.homes))
    rows = []
    if commit or branch:
        git_repo = gitrepo.open_repo(root)
        if gitrepo.head_sha(git_repo) is None:
            raise DevtalksError("the repository has no commits yet; commit team.yaml and friends first")
    if per_person:
        here = [t for t in planned if t.person not in ws.homes]
        if here:
            rows += _on_branches(ws, git_repo, gitrepo.team_prefix(git_repo, root), here, branch, cycle_id, push, remote)
        for talk in planned:
            if talk.person in ws.homes:  # a branch in the person's own repository, through devtalks' clone of it
                mine = gitrepo.open_repo(ws.home(talk.person))
                rows += _on_branches(ws, mine, "", [talk], branch, cycle_id, push, "origin", scratch=True)
        order = {t.person: i for i, t in enumerate(planned)}
        rows.sort(key=lambda row: order[row["person"]])
        if pull_requests:
            _open_pull_requests(ws, rows, git_repo, env)
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
    return rows


def _on_branches(ws, git_repo, prefix: str, talks: list, branch: str, cycle_id: str, push: bool, remote: str,
                 scratch: bool = False) -> list[dict]:
    """One branch per talk in `git_repo`, each made from its HEAD without touching a work tree; pushed with `push`.

    In a `scratch` repository (devtalks' own clone) a branch an earlier run left unpushed is made again."""
    known = gitrepo.remote_branches(git_repo, remote) if push else gitrepo.local_branches(git_repo, remote)
    start = git_repo.head.commit
    rows, created = [], []
    for talk in talks:
        name = branch.replace("{person}", talk.person).replace("{cycle}", cycle_id)
        action = "kept" if talk.exists else "branch-exists" if name in known else "created"
        if action == "created":
            title, _ = pull_request(ws, talk.person, cycle_id)
            made = gitrepo.commit_files(git_repo, start, {prefix + talk.path: talk.text}, title)
            git_repo.create_head(name, made, force=scratch)
            created.append(name)
        rows.append(_row(ws, talk, action, name, cycle_id))
    if push:
        gitrepo.push(git_repo, remote, created)
    return rows


def _open_pull_requests(ws, rows: list[dict], team_repo, env: Mapping[str, str]) -> None:
    """A pull request for each talk branch this run or an earlier one pushed: one that is open already is found, not
    opened twice (a run that stopped half-way is simply run again). Each row gets its address."""
    from ..remind.github import Policy, api_from_env
    from ..remind.repositories import PullRequests

    token = env["GITHUB_TOKEN"].strip()
    team = env.get("GITHUB_REPOSITORY") or (ws.team.reminders.repository if ws.team else None)
    for row in rows:
        if row["action"] not in ("created", "branch-exists"):
            continue
        where = row["repository"] or team
        if not where:
            raise DevtalksError("set GITHUB_REPOSITORY to the team repository's owner/name (a workflow has it), or "
                                "reminders.repository in team.yaml")
        base = "main" if row["repository"] else team_repo.active_branch.name
        with PullRequests(api_from_env(env), where, token, Policy.from_env(env)) as forge:
            made, _ = forge.open(row["branch"], base, row["title"], row["body"], row["assignees"])
        row["pull_request"] = made.get("html_url")


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
    person = ws.people[talk.person]
    manager = ws.people.get(person.manager) if person.manager else None
    title, body = pull_request(ws, talk.person, cycle_id)
    return {
        "person": talk.person, "path": talk.path, "action": action, "branch": branch,
        "assignees": [p.github for p in (person, manager) if p is not None and p.github],
        "title": title, "body": body,
        # where the pull request goes: the person's own repository (owner/name), or None for the team's
        "repository": forge_name(person.talks_repo) if talk.person in ws.homes else None,
    }
