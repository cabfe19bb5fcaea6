"""A person's own repository, from the team repository's side: start it empty-handed (add) or with history (split).

Both push to a repository that has no commits yet; add run twice finds the repository is
this person's already and pushes nothing. Nothing is written to team.yaml here: the
commands write it after the push succeeded, so a failed push leaves the team as it was.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DevtalksError
from ..gitflow.personrepo import (
    push_first,
    refuse_taken,
    scaffold,
    scaffold_commit,
    team_address,
)
from ..gitflow.repo import _git_error, open_repo, team_prefix
from ..model import Person

START = "Start {pid}'s own repository of development talks (devtalks person add)"
SPLIT = "Give {pid}'s talks a repository of their own, with their history (devtalks person split)"
LEAVES = "Move {pid}'s talks to their own repository, {url} (devtalks person split)"


def publish(root: Path, person: Person, url: str, language: str) -> list[str]:
    """Push the scaffold as the first commit of the empty repository at `url`; nothing when it is theirs already."""
    repo = open_repo(root)
    if refuse_taken(repo, url, person.id):
        return [f"{url} is {person.id}'s repository already; nothing to push"]
    team, ref = team_address(root)
    commit = scaffold_commit(repo, scaffold(root, person, team, ref, language), None, START.format(pid=person.id))
    push_first(repo, url, commit)
    return [f"pushed {person.id}'s repository scaffold to {url} (devtalks.yaml: team {team}, branch {ref})"]


def refuse_unsplittable(root: Path, person: Person, url: str) -> str:
    """The talk folder's path in the repository, when `person` can be split out to `url` now; else a clear refusal."""
    import git

    repo = open_repo(root)
    path = f"{team_prefix(repo, root)}talks/{person.id}"
    if person.talks_repo:
        raise DevtalksError(f"{person.id}'s talks are in their own repository already ({person.talks_repo})")
    if not (root / "talks" / person.id).is_dir():
        raise DevtalksError(f"{person.id} has no talks in this repository (no talks/{person.id}/): nothing to move. "
                            f"Give them a repository of their own with `devtalks person add` and --talks-repo instead")
    if repo.is_dirty(index=True, working_tree=True, untracked_files=True, path=path):
        raise DevtalksError(f"talks/{person.id}/ has changes that are not committed: commit them (or throw them "
                            "away) first, so the split carries everything")
    if repo.is_dirty(index=True, working_tree=True, path=f"{team_prefix(repo, root)}team.yaml"):
        raise DevtalksError("team.yaml has changes that are not committed: commit or stash them first")
    try:
        repo.git.diff("--cached", "--quiet")
    except git.GitCommandError:
        raise DevtalksError("other changes are staged for the next commit: commit or unstage them first, so the "
                            "split's commit holds the split alone") from None
    if refuse_taken(repo, url, person.id):
        raise DevtalksError(f"{url} has {person.id}'s talks already: a split needs an empty repository, so that "
                            "no history is lost on either side")
    return path


def split(root: Path, person: Person, url: str, language: str) -> list[str]:
    """Push `person`'s talk folder with its history, and the scaffold on top, to the empty repository at `url`."""
    from ..gitflow.split import carry

    path = refuse_unsplittable(root, person, url)
    repo = open_repo(root)
    newest, count = carry(repo, path, f"talks/{person.id}")
    if newest is None:
        raise DevtalksError(f"talks/{person.id}/ was never committed: nothing to move; commit it first")
    team, ref = team_address(root)
    top = scaffold_commit(repo, scaffold(root, person, team, ref, language), newest, SPLIT.format(pid=person.id))
    push_first(repo, url, top)
    return [f"pushed {count} commit(s) of talks/{person.id}/ (authors and dates kept) and the repository scaffold "
            f"to {url}"]


def remove_folder(root: Path, pid: str, url: str, edited: list[str]) -> str:
    """One commit in the team repository: talks/<pid>/ gone, and the `edited` files (team.yaml) as they are now."""
    import git

    repo = open_repo(root)
    prefix = team_prefix(repo, root)
    repo.git.rm("-r", "-q", "--", f"{prefix}talks/{pid}")
    repo.git.add("--", *[prefix + rel for rel in edited])
    try:
        repo.git.commit("-q", "-m", LEAVES.format(pid=pid, url=url))
    except git.GitCommandError as e:
        raise DevtalksError(f"their repository is complete, but the commit here failed ({_git_error(e)}): the "
                            f"removal of talks/{pid}/ and team.yaml are staged; commit them yourself") from None
    return (f"committed the removal of talks/{pid}/ and {pid}'s talks_repo in team.yaml ({repo.head.commit.hexsha[:7]}); "
            "push it, or open a pull request with it, to finish the move")
