"""Who may read and push a person's own repository, on the forge: made at add, handed over at move, closed at leave.

The repository is named on the forge by the last two parts of its `talks_repo` URL
(https://github.com/acme/talks-mila.git → acme/talks-mila). The person and their manager
are collaborators with `push`: enough to edit and merge a talk, not to change who may read
it; HR reads through the organisation. Without GITHUB_TOKEN, move and leave change team.yaml
and say what is left to do on the forge.
"""

from __future__ import annotations

import os
import re
from typing import Mapping
from urllib.parse import urlsplit

from ..errors import DevtalksError
from ..model import Person

PERMISSION = "push"
LEFT = "pull"


def forge_name(url: str) -> str:
    """owner/name of the repository at `url`: the last two parts of its path, `.git` dropped."""
    text = url.strip().rstrip("/")
    if re.match(r"^[\w.-]+@[\w.-]+:", text):
        text = text.split(":", 1)[1]  # git@github.com:acme/talks-mila.git
    elif "://" in text:
        text = urlsplit(text).path
    parts = [p for p in re.split(r"[/\\]", text) if p]
    if len(parts) < 2 or not parts[-1].removesuffix(".git"):
        raise DevtalksError(f"cannot tell the organisation and the repository's name from `{url}`; give a URL such as "
                            "https://github.com/your-org/talks-mila")
    return f"{parts[-2]}/{parts[-1].removesuffix('.git')}"


def _client(url: str, env: Mapping[str, str]):
    """The forge client for the repository at `url`, or None without GITHUB_TOKEN."""
    from ..remind.github import Policy, api_from_env
    from ..remind.repositories import Repositories

    token = env.get("GITHUB_TOKEN", "").strip()
    if not token:
        return None
    return Repositories(api_from_env(env), forge_name(url), token, Policy.from_env(env))


def _login(person: Person, what: str, fix: str = "add `github: HANDLE` to their entry in team.yaml") -> str:
    if not person.github:
        raise DevtalksError(f"{person.id} has no github handle in team.yaml, so the forge cannot give them {what}: "
                            f"{fix}, then run this again")
    return person.github


def create(url: str, person: Person, manager: Person | None, env: Mapping[str, str] = os.environ) -> list[str]:
    """Make the private repository at `url` (or take the one there) and let the person and their manager push to it."""
    forge = _client(url, env)
    if forge is None:
        raise DevtalksError("--create makes the repository through the forge's API: set GITHUB_TOKEN to a token that "
                            "may create repositories in the organisation (and GITHUB_API_URL for GitHub Enterprise)")
    logins = [(person, _login(person, "access to their repository", "pass --github HANDLE"))]
    if manager is not None:
        logins.append((manager, _login(manager, f"access to {person.id}'s repository")))
    with forge:
        found, new = forge.create_private(f"Development talks of {person.name}")
        if not found.get("private", False):
            raise DevtalksError(f"{forge.repository} exists already and is public: a person's talks go in a private "
                                "repository. Make it private in its settings, or choose another URL")
        done = [f"created the private repository {forge.repository}" if new else
                f"{forge.repository} exists already (private); kept it"]
        for who, login in logins:
            forge.set_access(login, PERMISSION)
            done.append(f"{who.id} (@{login}) may read and push to {forge.repository}")
    return done


def hand_over(url: str, person: Person, old: Person | None, new: Person, team: list[Person], drop: bool,
              dry_run: bool, env: Mapping[str, str] = os.environ) -> list[str]:
    """The new manager may push to the person's repository; with `drop`, teammates given access to it before
    (the old manager) lose it. Without `drop` nobody loses access: the old manager still has notes to re-encrypt."""
    name = forge_name(url)
    login = _login(new, f"access to {person.id}'s repository")
    forge = None if dry_run else _client(url, env)
    if forge is None:
        steps = [f"let @{login} ({new.id}) push to it"]
        if drop:
            steps.append(f"take @{old.github} ({old.id}) off its collaborators" if old and old.github else
                         f"take every teammate but @{person.github or person.id} and @{login} off its collaborators")
        verb = "would" if dry_run else "still to do on the forge (devtalks does it when GITHUB_TOKEN is set)"
        return [f"{person.id}'s repository {name}: {verb}: {'; '.join(steps)}"]
    staying = {h.lower() for h in (person.github, login) if h}
    teammates = {p.github.lower(): p for p in team if p.github}
    done = []
    with forge:
        forge.set_access(login, PERMISSION)
        done.append(f"{name}: @{login} ({new.id}) may push to it")
        for other in forge.collaborators() if drop else []:
            # Only teammates: whoever administers the repository for the organisation stays.
            if other.lower() in teammates and other.lower() not in staying:
                forge.remove_access(other)
                done.append(f"{name}: took @{other} ({teammates[other.lower()].id}) off its collaborators")
    return done


def close(url: str, person: Person, dry_run: bool, env: Mapping[str, str] = os.environ) -> list[str]:
    """The person may no longer push to their repository, and it is archived (read-only, kept)."""
    name = forge_name(url)
    steps = ([f"let @{person.github} only read it"] if person.github else []) + ["archive it"]
    forge = None if dry_run else _client(url, env)
    if forge is None:
        verb = "would" if dry_run else "still to do, on the forge"
        fix = "" if dry_run else " (or set GITHUB_TOKEN, with admin rights on it, and run this again)"
        return [f"{person.id}'s repository {name}: {verb}: {'; '.join(steps)}{fix}"]
    with forge:
        found = forge.get()
        if found is None:
            raise DevtalksError(f"{name} is not on the forge (or the token cannot see it): check {person.id}'s "
                                "talks_repo in team.yaml")
        if found.get("archived"):
            return [f"{name} is archived already; nothing to change"]
        if person.github:
            forge.set_access(person.github, LEFT)
        forge.archive()
    return [f"{name}: {person.id} may only read it now; archived it"]
